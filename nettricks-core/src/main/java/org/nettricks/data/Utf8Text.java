package org.nettricks.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.nettricks.InvalidInputException;

/**
 * The characters of UTF-8 bytes, without a leading byte-order mark. A byte sequence that is not
 * UTF-8 is refused with its line and byte offset, rather than read as U+FFFD and reported later
 * as a strange value (or, in a label column, silently taken as a class).
 */
final class Utf8Text extends Reader {
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final String source;
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(1 << 16).flip();
    private final CharBuffer chars = CharBuffer.allocate(1 << 16).flip();
    /** Bytes consumed before {@code bytes}' current content. */
    private long offsetOfBuffer;
    /** Line breaks among the characters handed out, for messages. */
    private long lineBreaks;
    private boolean first = true;
    private boolean endOfInput;
    private boolean flushed;

    Utf8Text(String source, InputStream in) {
        this.source = source;
        this.in = in;
    }

    @Override
    public int read(char[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (!chars.hasRemaining()) {
            if (!fill()) {
                return -1;
            }
        }
        if (first) {
            first = false;
            if (chars.get(chars.position()) == BYTE_ORDER_MARK) {
                chars.get();
                if (!chars.hasRemaining()) {
                    return read(target, offset, length);
                }
            }
        }
        int n = Math.min(length, chars.remaining());
        chars.get(target, offset, n);
        for (int i = offset; i < offset + n; i++) {
            if (target[i] == '\n') {
                lineBreaks++;
            }
        }
        return n;
    }

    /** Decodes more characters into {@code chars}; false at the end of the input. */
    private boolean fill() throws IOException {
        if (flushed) {
            return false;
        }
        chars.clear();
        while (chars.position() == 0) {
            if (!endOfInput && bytes.remaining() < 4) { // room for the next character's bytes
                offsetOfBuffer += bytes.position();
                bytes.compact();
                int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
                if (n < 0) {
                    endOfInput = true;
                } else {
                    bytes.position(bytes.position() + n);
                }
                bytes.flip();
            }
            CoderResult result = decoder.decode(bytes, chars, endOfInput);
            if (result.isError()) {
                chars.flip();
                long line = lineBreaks + 1;
                for (int i = 0; i < chars.limit(); i++) {
                    if (chars.get(i) == '\n') {
                        line++;
                    }
                }
                throw new InvalidInputException(source + ": line " + line + ", byte " + (offsetOfBuffer
                        + bytes.position()) + ": bytes that are not UTF-8 (0x" + String.format(java.util.Locale.ROOT, "%02X",
                        bytes.get(bytes.position()) & 0xFF) + "); save the file as UTF-8");
            }
            if (endOfInput && !bytes.hasRemaining()) {
                decoder.flush(chars);
                flushed = chars.position() == 0;
                if (flushed) {
                    chars.flip();
                    return false;
                }
            }
        }
        chars.flip();
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
