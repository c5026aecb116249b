package org.nettricks.data;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/**
 * Byte edits of a text file for the readers' property tests: each edit replaces, inserts or
 * deletes one byte, or cuts the file short there; half the bytes written are characters that
 * matter to the format, half any byte (half of which are not UTF-8).
 */
public final class TextMutations {
    private TextMutations() {
    }

    /** {@code bytes} after {@code edits} random edits (a copy; the input is left as it was). */
    public static byte[] mutate(byte[] bytes, Random random, int edits, byte[] interesting) {
        byte[] b = bytes.clone();
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = random.nextInt(b.length);
            byte value = random.nextBoolean() ? interesting[random.nextInt(interesting.length)]
                    : (byte) random.nextInt(256);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            switch (random.nextInt(4)) {
                case 0 -> {
                    b[at] = value;
                    continue;
                }
                case 1 -> {
                    out.write(b, 0, at);
                    out.write(value);
                    out.write(b, at, b.length - at);
                }
                case 2 -> {
                    out.write(b, 0, at);
                    out.write(b, at + 1, b.length - at - 1);
                }
                default -> out.write(b, 0, at);
            }
            b = out.toByteArray();
        }
        return b;
    }
}
