package org.nettricks.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nettricks.InvalidInputException;
import org.nettricks.io.internal.Json;
import org.nettricks.io.internal.MemoryBudget;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * The safetensors format (Hugging Face), readable by PyTorch, NumPy and other tools:
 * <pre>
 * 8 bytes     N, the header length, unsigned little-endian
 * N bytes     UTF-8 JSON: {"__metadata__": {string: string}, name: {"dtype": "F32",
 *             "shape": [..], "data_offsets": [begin, end]}, ...}, padded with spaces
 * rest        the tensors' raw little-endian bytes; offsets count from the end of the header
 * </pre>
 * Reading validates the header length, the JSON, every dtype, shape and offset (in range, sized
 * to the shape, covering the data without gaps or overlaps once ordered by (begin, end), as the
 * reference implementation orders them, so zero-size tensors may share an offset) before it
 * allocates or reads any tensor data; the tensors then need no more memory than the file's data.
 * Only F32 and F64 are supported. Nothing is executed or deserialized as code.
 */
public final class Safetensors {
    /** Refuse headers beyond this size, as the reference implementation does. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    /** Tensor data is read through one buffer of at most this size, straight into the matrices. */
    private static final int CHUNK_BYTES = 1 << 20;
    /** The most values one matrix holds (one Java array). */
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    private Safetensors() {
    }

    /** A named tensor: its shape (1-D or 2-D) and its values. */
    public record Tensor(String name, int[] shape, Matrix values) {
        public Tensor {
            long size = 1;
            for (int s : shape) {
                size *= s;
            }
            if (size != values.size()) {
                throw new IllegalArgumentException(name + ": shape holds " + size + " values, matrix " + values.size());
            }
        }
    }

    /** The contents of a file: metadata and tensors in file order. */
    public record Contents(Map<String, String> metadata, List<Tensor> tensors) {
        /** The tensor called {@code name}, or null. */
        public Tensor tensor(String name) {
            for (Tensor t : tensors) {
                if (t.name().equals(name)) {
                    return t;
                }
            }
            return null;
        }
    }

    /** Writes tensors and metadata atomically. */
    public static void write(Path path, Map<String, String> metadata, List<Tensor> tensors) throws IOException {
        byte[] headerBytes = header(metadata, tensors);
        AtomicFiles.write(path, out -> write(out, headerBytes, tensors));
    }

    /**
     * Writes the file's bytes (header, then the tensors' data) to {@code out}, for a caller that
     * writes the file itself, e.g. atomically with more to do before the rename.
     */
    public static void write(OutputStream out, Map<String, String> metadata, List<Tensor> tensors) throws IOException {
        write(out, header(metadata, tensors), tensors);
    }

    private static byte[] header(Map<String, String> metadata, List<Tensor> tensors) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("__metadata__", metadata);
        long offset = 0;
        for (Tensor t : tensors) {
            long bytes = (long) t.values().size() * t.values().precision().bytes();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("dtype", t.values().precision().safetensorsDtype());
            entry.put("shape", t.shape());
            entry.put("data_offsets", List.of(offset, offset + bytes));
            if (header.put(t.name(), entry) != null) {
                throw new IllegalArgumentException("duplicate tensor name " + t.name());
            }
            offset += bytes;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        // pad with spaces so the data starts 8-byte aligned, as the reference writer does
        byte[] headerBytes = java.util.Arrays.copyOf(json, json.length + (8 - json.length % 8) % 8);
        java.util.Arrays.fill(headerBytes, json.length, headerBytes.length, (byte) ' ');
        return headerBytes;
    }

    private static void write(OutputStream out, byte[] headerBytes, List<Tensor> tensors) throws IOException {
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        len.putLong(headerBytes.length);
        out.write(len.array());
        out.write(headerBytes);
        for (Tensor t : tensors) {
            Matrix m = t.values();
            ByteBuffer buf = ByteBuffer.allocate(m.size() * m.precision().bytes()).order(ByteOrder.LITTLE_ENDIAN);
            if (m.precision() == Precision.FLOAT32) {
                buf.asFloatBuffer().put(m.floats());
            } else {
                buf.asDoubleBuffer().put(m.doubles());
            }
            out.write(buf.array());
        }
    }

    /** Reads and validates a file; every problem is an {@link InvalidInputException} naming the file. */
    public static Contents read(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < 8) {
                throw bad(path, "file is " + fileSize + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long headerLength = lenBuf.flip().getLong();
            if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > fileSize - 8) {
                // a plausible length that runs past the end: most likely a file cut short (a copy or download)
                boolean cut = headerLength >= 2 && headerLength <= MAX_HEADER_BYTES;
                throw bad(path, "header length " + Long.toUnsignedString(headerLength) + " at byte offset 0 is"
                        + " impossible for a file of " + fileSize + " bytes: " + (cut ? "the file is truncated (it"
                        + " ends inside its header, which needs " + (8 + headerLength) + " bytes) or not a"
                        + " safetensors file; copy or download it again" : "it is not a safetensors file"));
            }
            // the bytes, their UTF-16 text and the parsed tree
            MemoryBudget.require(path.toString(), "a safetensors header of " + headerLength + " bytes",
                    headerLength * 6);
            ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLength);
            readFully(ch, headerBuf, 8);
            String headerText;
            try {
                headerText = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headerBuf.flip()).toString();
            } catch (CharacterCodingException e) {
                throw bad(path, "header (byte offset 8) is not valid UTF-8");
            }
            Object parsed;
            try {
                parsed = Json.parse(headerText.stripTrailing());
            } catch (Json.JsonException e) {
                throw bad(path, "header (byte offset 8) is not valid JSON: " + e.getMessage());
            }
            if (!(parsed instanceof Map<?, ?> header)) {
                throw bad(path, "header (byte offset 8) must be a JSON object");
            }
            long dataStart = 8 + headerLength;
            long dataSize = fileSize - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            for (Map.Entry<?, ?> e : header.entrySet()) {
                String name = (String) e.getKey();
                if (name.equals("__metadata__")) {
                    if (!(e.getValue() instanceof Map<?, ?> meta)) {
                        throw bad(path, "__metadata__ must be an object of strings");
                    }
                    for (Map.Entry<?, ?> m : meta.entrySet()) {
                        if (!(m.getValue() instanceof String s)) {
                            throw bad(path, "__metadata__ value of '" + m.getKey() + "' must be a string");
                        }
                        metadata.put((String) m.getKey(), s);
                    }
                    continue;
                }
                entries.add(parseEntry(path, name, e.getValue(), dataSize));
            }
            // The reference implementation's rule: ordered by (begin, end), each tensor starts where the
            // previous one ends, so a zero-size tensor [b, b] may sit before a tensor starting at b.
            List<Entry> byOffset = new ArrayList<>(entries);
            byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
            long expected = 0;
            for (Entry en : byOffset) {
                if (en.begin != expected) {
                    throw bad(path, "tensor '" + en.name + "' starts at data offset " + en.begin + " but the previous"
                            + " tensor ends at " + expected + "; the offsets overlap or leave a gap");
                }
                expected = en.end;
            }
            if (expected != dataSize) {
                throw bad(path, "the tensors cover " + expected + " bytes but " + dataSize + " bytes follow the"
                        + " header; the file is truncated or has trailing bytes");
            }
            // The whole description is valid and the tensors add up to the file's data: now the memory.
            MemoryBudget.require(path.toString(), "the header's " + entries.size() + " tensors of " + dataSize
                    + " bytes", dataSize + Math.min(dataSize, CHUNK_BYTES));
            List<Tensor> tensors = new ArrayList<>();
            ByteBuffer chunk = ByteBuffer.allocate((int) Math.min(dataSize, CHUNK_BYTES)).order(ByteOrder.LITTLE_ENDIAN);
            for (Entry en : entries) {
                int rows = en.shape.length == 2 ? en.shape[0] : 1;
                int cols = en.shape.length == 2 ? en.shape[1] : (en.shape.length == 1 ? en.shape[0] : 1);
                Matrix m = Matrix.zeros(rows, cols, en.precision);
                int bytesPerValue = en.precision.bytes();
                long position = dataStart + en.begin;
                int filled = 0;
                while (filled < m.size()) {
                    int n = Math.min(m.size() - filled, chunk.capacity() / bytesPerValue);
                    chunk.clear().limit(n * bytesPerValue);
                    readFully(ch, chunk, position);
                    chunk.flip();
                    if (en.precision == Precision.FLOAT32) {
                        chunk.asFloatBuffer().get(m.floats(), filled, n);
                    } else {
                        chunk.asDoubleBuffer().get(m.doubles(), filled, n);
                    }
                    filled += n;
                    position += (long) n * bytesPerValue;
                }
                tensors.add(new Tensor(en.name, en.shape, m));
            }
            return new Contents(Collections.unmodifiableMap(metadata), Collections.unmodifiableList(tensors));
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(path + ": no such file; check the path");
        } catch (IOException e) {
            throw new InvalidInputException(path + ": cannot read: " + e.getMessage());
        }
    }

    private record Entry(String name, Precision precision, int[] shape, long begin, long end) {
    }

    private static Entry parseEntry(Path path, String name, Object value, long dataSize) {
        if (!(value instanceof Map<?, ?> info)) {
            throw bad(path, "entry '" + name + "' must be an object with dtype, shape and data_offsets");
        }
        Object dtype = info.get("dtype");
        Precision precision;
        if ("F32".equals(dtype)) {
            precision = Precision.FLOAT32;
        } else if ("F64".equals(dtype)) {
            precision = Precision.FLOAT64;
        } else {
            throw bad(path, "tensor '" + name + "' has dtype " + dtype + "; only F32 and F64 are supported");
        }
        if (!(info.get("shape") instanceof List<?> shapeList) || shapeList.size() > 2) {
            throw bad(path, "tensor '" + name + "' must have a shape of at most 2 dimensions");
        }
        int[] shape = new int[shapeList.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeList.get(i) instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
                throw bad(path, "tensor '" + name + "' has an invalid shape " + shapeList);
            }
            shape[i] = (int) (long) l;
            count *= l; // at most 2 factors below 2^31: no overflow
        }
        if (count > MAX_VALUES) {
            throw bad(path, "tensor '" + name + "' has shape " + shapeList + " of " + count + " values; at most "
                    + MAX_VALUES + " fit in one array");
        }
        if (!(info.get("data_offsets") instanceof List<?> off) || off.size() != 2
                || !(off.get(0) instanceof Long begin) || !(off.get(1) instanceof Long end)) {
            throw bad(path, "tensor '" + name + "' needs data_offsets [begin, end] of two integers");
        }
        if (begin < 0 || end < begin || end > dataSize) {
            throw bad(path, "tensor '" + name + "' has data_offsets [" + begin + ", " + end + "] outside the "
                    + dataSize + " bytes of data; the file is truncated or the offsets are wrong");
        }
        if (end - begin != count * precision.bytes()) {
            throw bad(path, "tensor '" + name + "' has data_offsets [" + begin + ", " + end + "] spanning "
                    + (end - begin) + " bytes, but its shape " + shapeList + " of " + dtype + " needs "
                    + count * precision.bytes());
        }
        return new Entry(name, precision, shape, begin, end);
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long position) throws IOException {
        long pos = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte offset " + pos);
            }
            pos += n;
        }
    }

    private static InvalidInputException bad(Path path, String what) {
        return new InvalidInputException(path + ": not a valid safetensors file: " + oneLine(what));
    }

    /** Control characters (a tensor name may hold a newline) escaped, so the message stays one line. */
    private static String oneLine(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.chars().forEach(c -> {
            if (c == '\n') {
                sb.append("\\n");
            } else if (Character.isISOControl(c)) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.append((char) c);
            }
        });
        return sb.toString();
    }
}
