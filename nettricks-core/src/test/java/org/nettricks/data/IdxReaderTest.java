package org.nettricks.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.InvalidInputException;

class IdxReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsPlainAndGzippedFilesAlike() throws IOException {
        byte[] values = {0, 1, (byte) 200, (byte) 255, 7, 8};
        byte[] file = IdxFiles.idx(new int[] {3, 2}, values);
        for (boolean gz : new boolean[] {false, true}) {
            IdxReader.IdxArray a = IdxReader.read(IdxFiles.write(dir.resolve("a" + gz), file, gz));
            assertArrayEquals(new int[] {3, 2}, a.dimensions());
            assertArrayEquals(values, a.values());
            assertEquals(2, a.itemSize());
        }
    }

    @Test
    void readsAnImageLabelPairAsUnsignedPixels() throws IOException {
        Path x = IdxFiles.write(dir.resolve("x"), IdxFiles.idx(new int[] {2, 1, 2}, new byte[] {0, (byte) 255, 3, 4}),
                false);
        Path y = IdxFiles.write(dir.resolve("y"), IdxFiles.idx(new int[] {2}, new byte[] {1, 0}), false);
        Dataset d = IdxReader.readPair(x, y, List.of("a", "b"));
        assertEquals(2, d.size());
        assertEquals(2, d.featureCount());
        assertEquals(255f, d.features()[1]);
        assertArrayEquals(new int[] {1, 0}, d.labels());
        assertEquals(new ValueRange(0, 255), d.valueRange());
    }

    @Test
    void badMagicNumberIsRefusedAtOffsetZero() throws IOException {
        Path p = IdxFiles.write(dir.resolve("bad"), new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0}, false);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().startsWith(p + ": bad magic number 0x504B0304 at byte offset 0"), e.getMessage());
    }

    @Test
    void truncatedBodyNamesTheCountsAndOffset() throws IOException {
        byte[] full = IdxFiles.idx(new int[] {4, 3}, new byte[12]);
        byte[] cut = java.util.Arrays.copyOf(full, full.length - 5);
        Path p = IdxFiles.write(dir.resolve("cut.gz"), cut, true);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> IdxReader.read(p));
        assertEquals(p + ": truncated body: the header announces 12 values but only 7 bytes follow it (file ends at"
                + " byte offset 19); the file is incomplete, download it again", e.getMessage());
    }

    @Test
    void imageAndLabelCountsMustAgree() throws IOException {
        Path x = IdxFiles.write(dir.resolve("x"), IdxFiles.idx(new int[] {3, 2}, new byte[6]), false);
        Path y = IdxFiles.write(dir.resolve("y"), IdxFiles.idx(new int[] {2}, new byte[2]), false);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> IdxReader.readPair(x, y, null));
        assertTrue(e.getMessage().contains("holds 3 images but") && e.getMessage().contains("holds 2 labels"),
                e.getMessage());
    }

    @Test
    void labelOutOfRangeNamesItsByteOffset() throws IOException {
        Path x = IdxFiles.write(dir.resolve("x"), IdxFiles.idx(new int[] {3, 1}, new byte[3]), false);
        Path y = IdxFiles.write(dir.resolve("y"), IdxFiles.idx(new int[] {3}, new byte[] {0, 1, 12}), false);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> IdxReader.readPair(x, y, List.of("0", "1", "2")));
        assertEquals(y + ": label 12 at byte offset 10 is out of range: this data set has 3 classes (0 to 2)",
                e.getMessage());
    }

    @Test
    void unsupportedTypeAndMissingFile() throws IOException {
        Path p = IdxFiles.write(dir.resolve("f"), new byte[] {0, 0, 0x0D, 1, 0, 0, 0, 0}, false);
        assertTrue(assertThrows(InvalidInputException.class, () -> IdxReader.read(p)).getMessage()
                .contains("data type 0x0D"));
        Path missing = dir.resolve("nope");
        assertEquals(missing + ": no such file; check the path",
                assertThrows(InvalidInputException.class, () -> IdxReader.read(missing)).getMessage());
    }

    @Test
    void strayTrainingLabelIsRefusedWithTheLabelsFileAndByteOffset() throws Exception {
        // 20 training labels alternating 0 and 1, the last one 200: it would make a 201-class network
        Path dir = Path.of(IdxReaderTest.class.getResource("idx-stray-label-200").toURI());
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> DataSources.loadForTraining(dir.toString(), null));
        assertEquals(labels + ": label 200 at byte offset 27 leaves classes without examples: the labels are"
                + " numbered 0 to 200 but 198 of those classes have no example (first gap: 2 to 199); the 3 classes"
                + " present must be numbered 0 to 2, or fix or remove that label", e.getMessage());
    }

    @Test
    void aSingleMissingClassIsNamedToo() throws IOException {
        Path x = IdxFiles.write(dir.resolve("x"), IdxFiles.idx(new int[] {4, 1}, new byte[4]), false);
        Path y = IdxFiles.write(dir.resolve("y"), IdxFiles.idx(new int[] {4}, new byte[] {0, 2, 3, 2}), false);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> IdxReader.readPair(x, y, null));
        assertTrue(e.getMessage().startsWith(y + ": label 2 at byte offset 9 leaves classes without examples"),
                e.getMessage());
        assertTrue(e.getMessage().contains("1 of those classes have no example (first gap: 1)"), e.getMessage());
        // with the class names given (test data, Fashion-MNIST) a class may lack examples
        assertEquals(4, IdxReader.readPair(x, y, List.of("a", "b", "c", "d")).size());
    }

    @Test
    void countsExceedingWhatAGzipFileCanHoldAreRefusedBeforeAllocating() throws IOException {
        // a 3-byte body under a header announcing 2^31 − 1 × 1000 values
        byte[] file = IdxFiles.idx(new int[] {Integer.MAX_VALUE, 1000}, new byte[3]);
        Path p = IdxFiles.write(dir.resolve("bomb.gz"), file, true);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> IdxReader.read(p));
        assertTrue(e.getMessage().startsWith(p + ": the IDX header announces [2147483647, 1000] = 2147483647000 values"
                + " but a gzip file of "), e.getMessage());
        Path plain = IdxFiles.write(dir.resolve("bomb"), file, false);
        assertTrue(assertThrows(InvalidInputException.class, () -> IdxReader.read(plain)).getMessage()
                .startsWith(plain + ": truncated body: the header announces 2147483647000 values but only 3 bytes"));
        Path four = IdxFiles.write(dir.resolve("four"), IdxFiles.idx(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE,
                Integer.MAX_VALUE, Integer.MAX_VALUE}, new byte[0]), false);
        assertTrue(assertThrows(InvalidInputException.class, () -> IdxReader.read(four)).getMessage()
                .startsWith(four + ": truncated body: the header announces 9223372036854775807 values"));
    }

    @Test
    void bytesAfterTheAnnouncedValuesAreRefusedInGzipFilesToo() throws IOException {
        byte[] file = IdxFiles.idx(new int[] {2}, new byte[] {1, 2, 3, 4, 5});
        Path p = IdxFiles.write(dir.resolve("extra.gz"), file, true);
        assertEquals(p + ": 3 unexpected bytes after the 2 announced values, starting at byte offset 10; the header's"
                + " counts disagree with the file's size",
                assertThrows(InvalidInputException.class, () -> IdxReader.read(p)).getMessage());
    }

    @Test
    void pairCountsAreComparedBeforeEitherBodyIsRead() throws IOException {
        // the image file's body is truncated, but the counts' disagreement is found first, from the headers
        Path x = IdxFiles.write(dir.resolve("x.gz"), IdxFiles.idx(new int[] {3, 2}, new byte[1]), true);
        Path y = IdxFiles.write(dir.resolve("y.gz"), IdxFiles.idx(new int[] {2}, new byte[] {0, 1}), true);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> IdxReader.readPair(x, y, null));
        assertTrue(e.getMessage().contains("holds 3 images but"), e.getMessage());
    }
}
