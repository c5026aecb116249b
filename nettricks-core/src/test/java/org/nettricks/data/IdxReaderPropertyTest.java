package org.nettricks.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.nettricks.io.ReaderProperties;

/** Generated IDX files, plain and gzipped: valid ones round-trip, mutated ones are read or refused cleanly. */
class IdxReaderPropertyTest {
    private static final Path DIR = ReaderProperties.scratchDirectory("idx-properties");
    private static final long SLACK = 8L << 20; // stream buffers, the inflater, first-use class initialization

    @Property(tries = 10000)
    void validFilesRoundTrip(@ForAll("dimensions") int[] dims, @ForAll long seed, @ForAll boolean gzip) {
        byte[] values = values(dims, new Random(seed));
        byte[] file = IdxFiles.idx(dims, values);
        Path p = ReaderProperties.write(DIR.resolve("valid" + (gzip ? ".gz" : "")), gzip ? gzip(file) : file);
        IdxReader.IdxArray a = ReaderProperties.readOrRefuse(() -> IdxReader.read(p), SLACK + 4L * file.length);
        assertArrayEquals(dims, a.dimensions());
        assertArrayEquals(values, a.values());
    }

    @Property(tries = 10000)
    void mutatedFilesAreReadOrRefusedWithAMessage(@ForAll("dimensions") int[] dims, @ForAll long seed,
            @ForAll boolean gzip, @ForAll boolean mutateCompressed) {
        Random random = new Random(seed);
        byte[] file = IdxFiles.idx(dims, values(dims, random));
        byte[] bytes = gzip && mutateCompressed ? gzip(file) : file;
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            bytes = mutate(bytes, random);
        }
        byte[] input = gzip && !mutateCompressed ? gzip(bytes) : bytes;
        Path p = ReaderProperties.write(DIR.resolve("mutated" + (gzip ? ".gz" : "")), input);
        ReaderProperties.readOrRefuse(() -> IdxReader.read(p), SLACK + 4L * Math.max(file.length, bytes.length));
    }

    @Property(tries = 10000)
    void hugeAnnouncedSizesAreRefusedWithoutAllocatingThem(@ForAll("dimensions") int[] dims, @ForAll long seed,
            @ForAll boolean gzip) {
        Random random = new Random(seed);
        byte[] file = IdxFiles.idx(dims, values(dims, random));
        int which = random.nextInt(dims.length);
        int huge = (1 << 20) + random.nextInt(Integer.MAX_VALUE - (1 << 20));
        int at = 4 + 4 * which;
        file[at] = (byte) (huge >>> 24);
        file[at + 1] = (byte) (huge >>> 16);
        file[at + 2] = (byte) (huge >>> 8);
        file[at + 3] = (byte) huge;
        byte[] input = gzip ? gzip(file) : file;
        Path p = ReaderProperties.write(DIR.resolve("huge" + (gzip ? ".gz" : "")), input);
        boolean empty = false; // another dimension of 0: no values, a valid file
        for (int i = 0; i < dims.length; i++) {
            empty |= i != which && dims[i] == 0;
        }
        IdxReader.IdxArray read = ReaderProperties.readOrRefuse(() -> IdxReader.read(p), SLACK + 4L * file.length);
        if (!empty) {
            assertNull(read, "a file announcing " + huge + " items or more was read");
        }
    }

    @Provide
    Arbitrary<int[]> dimensions() {
        return Arbitraries.integers().between(0, 6).list().ofMinSize(1).ofMaxSize(4)
                .map((List<Integer> l) -> l.stream().mapToInt(Integer::intValue).toArray());
    }

    private static byte[] values(int[] dims, Random random) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        byte[] v = new byte[n];
        random.nextBytes(v);
        return v;
    }

    private static byte[] mutate(byte[] bytes, Random random) {
        switch (random.nextInt(4)) {
            case 0: { // overwrite a byte, often in the header
                if (bytes.length == 0) {
                    return new byte[] {(byte) random.nextInt()};
                }
                byte[] b = bytes.clone();
                b[random.nextInt(Math.min(b.length, random.nextBoolean() ? 24 : b.length))] = (byte) random.nextInt();
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
            default: { // a dimension set to anything
                int ndim = bytes.length >= 4 ? bytes[3] & 0xFF : 0;
                if (ndim == 0 || bytes.length < 8) {
                    return bytes;
                }
                byte[] b = bytes.clone();
                int at = 4 + 4 * random.nextInt(Math.min(ndim, (b.length - 4) / 4));
                int v = random.nextInt();
                b[at] = (byte) (v >>> 24);
                b[at + 1] = (byte) (v >>> 16);
                b[at + 2] = (byte) (v >>> 8);
                b[at + 3] = (byte) v;
                return b;
            }
        }
    }

    private static byte[] gzip(byte[] bytes) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                z.write(bytes);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
