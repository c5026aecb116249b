package org.nettricks;

/**
 * Bad input from the user: a file, a line, a flag or a hyperparameter that cannot be used.
 *
 * <p>The message is one complete line for the user: what is wrong, where (file and line or byte
 * offset, or flag), and how to fix it. The command-line tool prints it without a stack trace and
 * exits with status 2. Control characters that reach the message from the input (a line break
 * quoted by a parser, say) are written as escapes ({@code \n}, {@code \u0007}), so the message
 * stays one line whatever the input held.
 */
public class InvalidInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(oneLine(message));
    }

    public InvalidInputException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    /** {@code message} with each control character written as an escape. */
    static String oneLine(String message) {
        if (message == null || message.chars().noneMatch(Character::isISOControl)) {
            return message;
        }
        StringBuilder out = new StringBuilder(message.length() + 8);
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
