package org.nettricks.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/** Generated safetensors files: valid ones round-trip, mutated ones are read or refused cleanly. */
class SafetensorsPropertyTest {
    private static final Path DIR = ReaderProperties.scratchDirectory("safetensors-properties");
    private static final long SLACK = 16L << 20; // JSON parsing, buffers, first-use class initialization

    @Property(tries = 10000)
    void validFilesRoundTrip(@ForAll long seed) throws IOException {
        Random random = new Random(seed);
        Map<String, String> metadata = metadata(random);
        List<Safetensors.Tensor> tensors = tensors(random, false);
        Path p = DIR.resolve("valid.safetensors");
        Safetensors.write(p, metadata, tensors);
        Safetensors.Contents c = ReaderProperties.readOrRefuse(() -> Safetensors.read(p), SLACK + 4 * Files.size(p));
        assertEquals(metadata, c.metadata());
        assertEquals(tensors.size(), c.tensors().size());
        for (int i = 0; i < tensors.size(); i++) {
            Safetensors.Tensor want = tensors.get(i);
            Safetensors.Tensor got = c.tensors().get(i);
            assertEquals(want.name(), got.name());
            assertArrayEquals(want.shape(), got.shape());
            assertEquals(want.values().precision(), got.values().precision());
            if (want.values().precision() == Precision.FLOAT32) {
                assertArrayEquals(want.values().floats(), got.values().floats());
            } else {
                assertArrayEquals(want.values().doubles(), got.values().doubles());
            }
        }
    }

    @Property(tries = 10000)
    void mutatedFilesAreReadOrRefusedWithAMessage(@ForAll long seed) throws IOException {
        Random random = new Random(seed);
        byte[] bytes = validBytes(metadata(random), tensors(random, false));
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            bytes = mutate(bytes, random);
        }
        Path p = ReaderProperties.write(DIR.resolve("mutated.safetensors"), bytes);
        ReaderProperties.readOrRefuse(() -> Safetensors.read(p), SLACK + 4L * bytes.length);
    }

    @Property(tries = 10000)
    void hugeAnnouncedSizesAreRefusedWithoutAllocatingThem(@ForAll long seed) throws IOException {
        Random random = new Random(seed);
        List<Safetensors.Tensor> tensors = tensors(random, true);
        long huge = HUGE[random.nextInt(HUGE.length)];
        byte[] bytes = validBytes(Map.of(), tensors);
        // every number of the header is a shape or an offset; with none, the header length is fuzzed
        byte[] fuzzed = replaceANumber(bytes, random, huge);
        if (fuzzed == null) {
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(0, huge);
            fuzzed = bytes;
        }
        byte[] input = fuzzed;
        Path p = ReaderProperties.write(DIR.resolve("huge.safetensors"), input);
        Safetensors.Contents read = ReaderProperties.readOrRefuse(() -> Safetensors.read(p),
                SLACK + 4L * input.length);
        if (read != null) { // only a zero-size tensor's other dimension can grow and stay valid: [0, huge]
            for (Safetensors.Tensor t : read.tensors()) {
                assertEquals(tensors.stream().filter(w -> w.name().equals(t.name())).findFirst().orElseThrow()
                        .values().size(), t.values().size(), () -> t.name() + " " + Arrays.toString(t.shape()));
            }
        }
    }

    private static final long[] HUGE = {1L << 31, (1L << 31) - 1, 1L << 32, 1L << 40, 1L << 62, Long.MAX_VALUE,
            Integer.MAX_VALUE - 8, 3_000_000_000L, 1L << 33};

    private static byte[] validBytes(Map<String, String> metadata, List<Safetensors.Tensor> tensors)
            throws IOException {
        Path p = DIR.resolve("source.safetensors");
        Safetensors.write(p, metadata, tensors);
        return Files.readAllBytes(p);
    }

    private static byte[] mutate(byte[] bytes, Random random) {
        switch (random.nextInt(6)) {
            case 0: { // overwrite a byte, often in the header
                if (bytes.length == 0) {
                    return new byte[] {(byte) random.nextInt()};
                }
                byte[] b = bytes.clone();
                b[random.nextInt(Math.min(b.length, random.nextBoolean() ? 64 : b.length))] = (byte) random.nextInt();
                return b;
            }
            case 1: // truncate
                return Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));
            case 2: { // append
                byte[] b = Arrays.copyOf(bytes, bytes.length + 1 + random.nextInt(16));
                for (int i = bytes.length; i < b.length; i++) {
                    b[i] = (byte) random.nextInt();
                }
                return b;
            }
            case 3: { // the header length
                if (bytes.length < 8) {
                    return bytes;
                }
                byte[] b = bytes.clone();
                long n = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
                long m = random.nextBoolean() ? n + random.nextInt(17) - 8 : random.nextLong();
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, m);
                return b;
            }
            case 4: { // a number in the header (a shape or an offset), kept consistent with the header length
                long[] values = {0, 1, -1, 2, 7, 8, 255, 1L << 31, 1L << 40, Long.MAX_VALUE};
                byte[] b = replaceANumber(bytes, random, values[random.nextInt(values.length)]);
                return b == null ? bytes : b;
            }
            default: { // a character of the header's JSON, kept consistent with the header length
                String header = header(bytes);
                if (header == null || header.isEmpty()) {
                    return bytes;
                }
                char[] chars = "{}[]:,\"0123456789 -.eE\\aFI".toCharArray();
                int at = random.nextInt(header.length());
                String h = header.substring(0, at) + chars[random.nextInt(chars.length)]
                        + header.substring(at + (random.nextBoolean() ? 1 : 0));
                return withHeader(bytes, h);
            }
        }
    }

    private static final Pattern NUMBER = Pattern.compile("-?\\d+");

    /** The file with one number of its header replaced (header length adjusted), or null if none. */
    private static byte[] replaceANumber(byte[] bytes, Random random, long value) {
        String header = header(bytes);
        if (header == null) {
            return null;
        }
        List<int[]> numbers = new ArrayList<>();
        Matcher m = NUMBER.matcher(header);
        while (m.find()) {
            numbers.add(new int[] {m.start(), m.end()});
        }
        if (numbers.isEmpty()) {
            return null;
        }
        int[] n = numbers.get(random.nextInt(numbers.size()));
        return withHeader(bytes, header.substring(0, n[0]) + value + header.substring(n[1]));
    }

    private static String header(byte[] bytes) {
        if (bytes.length < 8) {
            return null;
        }
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        if (n < 0 || n > bytes.length - 8) {
            return null;
        }
        return new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    }

    private static byte[] withHeader(byte[] bytes, String header) {
        long old = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int rest = bytes.length - 8 - (int) old;
        ByteBuffer out = ByteBuffer.allocate(8 + h.length + rest).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(h.length).put(h).put(bytes, 8 + (int) old, rest);
        return out.array();
    }

    // Built from one seed rather than composed arbitraries: composing them cost most of each try.
    private static final char[] NAME_CHARS = (" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
            + "abcdefghijklmnopqrstuvwxyz{|}~é€中\n").toCharArray();

    private static String text(Random random, int minLength, int maxLength, boolean lettersOnly) {
        int n = minLength + random.nextInt(maxLength - minLength + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(lettersOnly ? (char) ('A' + random.nextInt(26)) : NAME_CHARS[random.nextInt(NAME_CHARS.length)]);
        }
        return sb.toString();
    }

    private static Map<String, String> metadata(Random random) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            m.put(text(random, 1, 6, false), text(random, 0, 6, false));
        }
        return m;
    }

    /** 0 to 4 tensors of rank 0 to 2, dimensions 0 to 4, F32 or F64, any bit patterns (NaNs too). */
    private static List<Safetensors.Tensor> tensors(Random random, boolean letterNames) {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            String name = text(random, 1, 6, letterNames);
            if (!name.equals("__metadata__")) {
                names.add(name);
            }
        }
        List<Safetensors.Tensor> out = new ArrayList<>();
        for (String name : names) {
            int rank = random.nextInt(3);
            long[] spec = new long[1 + rank];
            spec[0] = rank;
            int count = 1;
            for (int i = 0; i < rank; i++) {
                spec[1 + i] = random.nextInt(5);
                count *= (int) spec[1 + i];
            }
            long[] values = new long[count];
            for (int i = 0; i < count; i++) {
                values[i] = random.nextLong();
            }
            long[] full = Arrays.copyOf(spec, spec.length + count);
            System.arraycopy(values, 0, full, spec.length, count);
            out.add(tensor(name, full, random.nextBoolean() ? Precision.FLOAT32 : Precision.FLOAT64));
        }
        return out;
    }

    private static Safetensors.Tensor tensor(String name, long[] spec, Precision precision) {
        int rank = (int) spec[0];
        int[] shape = new int[rank];
        for (int i = 0; i < rank; i++) {
            shape[i] = (int) spec[1 + i];
        }
        int rows = rank == 2 ? shape[0] : 1;
        int cols = rank == 2 ? shape[1] : (rank == 1 ? shape[0] : 1);
        Matrix m = Matrix.zeros(rows, cols, precision);
        for (int i = 0; i < m.size(); i++) {
            long bits = spec[1 + rank + i];
            if (precision == Precision.FLOAT32) {
                m.floats()[i] = Float.intBitsToFloat((int) bits); // any bit pattern, NaNs and infinities too
            } else {
                m.doubles()[i] = Double.longBitsToDouble(bits);
            }
        }
        return new Safetensors.Tensor(name, shape, m);
    }
}
