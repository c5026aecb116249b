package org.nettricks.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import org.nettricks.InvalidInputException;

/**
 * Generated CSV files (issue 14): tables written the many ways people write them read back to the
 * same numbers and labels; the same files, mutated byte by byte, read or end in an
 * {@link InvalidInputException} that names the file, never in another exception, and never
 * allocate more than a fixed multiple of their size.
 */
class CsvReaderPropertyTest {
    /**
     * Bytes allocated per byte of input, at most, beyond {@link #FIXED_ALLOCATION}: a row of one short
     * field costs a record, its strings, a float array and list entries (about 150 bytes for 2 bytes
     * of text), so the bound is linear with room, and far below what a size read from the data
     * (an array sized by a field) would take.
     */
    private static final long BYTES_PER_INPUT_BYTE = 512;
    /** The readers' buffers: 64 KiB of bytes, 64 KiB of chars twice, FastCSV's own. */
    private static final long FIXED_ALLOCATION = 2L << 20;

    private static final char[] DELIMITERS = {',', ';', '\t', '|'};

    /** A table, and one way of writing it. */
    record Written(List<String> header, int labelColumn, List<float[]> features, List<String> labels,
                   Character givenDelimiter, String text, byte[] bytes) {
    }

    @Provide
    Arbitrary<Written> tables() {
        Arbitrary<Integer> featureCount = Arbitraries.integers().between(1, 4);
        Arbitrary<Integer> rowCount = Arbitraries.integers().between(2, 7);
        Arbitrary<Long> seed = Arbitraries.longs();
        return Combinators.combine(featureCount, rowCount, seed).as(CsvReaderPropertyTest::write);
    }

    private static final String LABEL_CHARS = "abcXYZ01 ,;|\"'\n\r\té€-.";

    private static String label(Random random) {
        int n = 1 + random.nextInt(6);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(LABEL_CHARS.charAt(random.nextInt(LABEL_CHARS.length())));
        }
        return sb.toString().strip(); // fields are trimmed: a label is its text without outer spaces
    }

    private static float number(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextInt(100) - 50;
            case 1 -> (float) random.nextGaussian();
            case 2 -> Float.intBitsToFloat(random.nextInt());
            default -> random.nextFloat() * 1e6f;
        };
    }

    static Written write(int featureCount, int rowCount, long seed) {
        Random random = new Random(seed);
        int columns = featureCount + 1;
        int labelColumn = random.nextInt(columns);
        char delimiter = DELIMITERS[random.nextInt(DELIMITERS.length)];
        boolean detect = random.nextBoolean();
        List<String> header = new ArrayList<>();
        for (int c = 0, f = 0; c < columns; c++) {
            header.add(c == labelColumn ? "label" : "x" + f++ + (random.nextBoolean() ? "" : " " + label(random)));
        }
        List<float[]> features = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int r = 0; r < rowCount; r++) {
            float[] x = new float[featureCount];
            for (int f = 0; f < featureCount; f++) {
                float v;
                do {
                    v = number(random);
                } while (!Float.isFinite(v));
                x[f] = v;
            }
            features.add(x);
            String l;
            do {
                l = label(random);
            } while (l.isEmpty());
            labels.add(l);
        }
        String newline = random.nextBoolean() ? "\n" : "\r\n";
        StringBuilder text = new StringBuilder();
        if (random.nextInt(4) == 0) {
            text.append('\uFEFF');
        }
        // when detecting, quote the header's names: only delimiters then count outside quotes
        appendRow(text, header, delimiter, detect, random);
        text.append(newline);
        for (int r = 0; r < rowCount; r++) {
            while (random.nextInt(5) == 0) {
                text.append(random.nextBoolean() ? "" : "   ").append(newline);
            }
            List<String> fields = new ArrayList<>();
            for (int c = 0, f = 0; c < columns; c++) {
                fields.add(c == labelColumn ? labels.get(r) : Float.toString(features.get(r)[f++]));
            }
            appendRow(text, fields, delimiter, false, random);
            if (r < rowCount - 1 || random.nextBoolean()) {
                text.append(newline);
            }
        }
        while (random.nextInt(4) == 0) {
            text.append(newline);
        }
        String s = text.toString();
        return new Written(header, labelColumn, features, labels, detect ? null : delimiter, s,
                s.getBytes(StandardCharsets.UTF_8));
    }

    private static void appendRow(StringBuilder text, List<String> fields, char delimiter, boolean quoteAll,
                                  Random random) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                text.append(delimiter);
            }
            String field = fields.get(i);
            boolean needsQuotes = field.indexOf(delimiter) >= 0 || field.indexOf('"') >= 0
                    || field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0 || field.isEmpty();
            if (quoteAll || needsQuotes || random.nextInt(8) == 0) {
                text.append('"').append(field.replace("\"", "\"\"")).append('"');
            } else {
                text.append(field);
            }
        }
    }

    private static CsvReader.Options options(Written w) {
        return CsvReader.Options.forTraining("label").withDelimiter(w.givenDelimiter());
    }

    @Property(tries = 10_000)
    void writtenTablesReadBackToTheSameNumbersAndLabels(@ForAll("tables") Written w) {
        Assume.that(new HashSet<>(w.labels()).size() >= 2); // a single class is refused, rightly
        Dataset d = CsvReader.read("f.csv", new ByteArrayInputStream(w.bytes()), options(w));
        int featureCount = w.header().size() - 1;
        assertEquals(featureCount, d.featureCount(), w.text());
        assertEquals(w.labels().size(), d.size(), w.text());
        float[] expected = new float[w.features().size() * featureCount];
        for (int r = 0; r < w.features().size(); r++) {
            System.arraycopy(w.features().get(r), 0, expected, r * featureCount, featureCount);
        }
        assertArrayEquals(expected, d.features(), w.text());
        for (int r = 0; r < d.size(); r++) {
            assertEquals(w.labels().get(r), d.classNames().get(d.labels()[r]), w.text());
        }
    }

    /** A file changed by a few byte edits: replaced, inserted, deleted, or cut short. */
    record Mutated(Written original, byte[] bytes) {
    }

    @Provide
    Arbitrary<Mutated> mutated() {
        return Combinators.combine(tables(), Arbitraries.longs(), Arbitraries.integers().between(1, 4))
                .as((w, seed, edits) -> new Mutated(w, mutate(w.bytes(), new Random(seed), edits)));
    }

    private static final byte[] INTERESTING = "\",;|\t\n\r \uFEFF-.eE9".getBytes(StandardCharsets.UTF_8);

    static byte[] mutate(byte[] bytes, Random random, int edits) {
        return TextMutations.mutate(bytes, random, edits, INTERESTING);
    }

    @Property(tries = 10_000)
    void mutatedFilesReadOrFailWithTheInvalidInputErrorInBoundedMemory(@ForAll("mutated") Mutated m) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        try {
            CsvReader.read("f.csv", new ByteArrayInputStream(m.bytes()), options(m.original()));
            Statistics.collect("read");
        } catch (InvalidInputException e) {
            String message = e.getMessage();
            Statistics.collect("refused");
            assertTrue(message != null && message.startsWith("f.csv: ") && message.length() > "f.csv: ".length() + 10,
                    "a message naming the file: " + message);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated <= FIXED_ALLOCATION + BYTES_PER_INPUT_BYTE * m.bytes().length,
                allocated + " bytes allocated to read " + m.bytes().length + " bytes");
    }
}
