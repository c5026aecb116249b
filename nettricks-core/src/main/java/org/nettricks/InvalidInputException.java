package org.nettricks;

/**
 * Bad input from the user: a file, a line, a flag or a hyperparameter that cannot be used.
 *
 * <p>The message is one complete line for the user: what is wrong, where (file and line or byte
 * offset, or flag), and how to fix it. The command-line tool prints it without a stack trace and
 * exits with status 2.
 */
public class InvalidInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
