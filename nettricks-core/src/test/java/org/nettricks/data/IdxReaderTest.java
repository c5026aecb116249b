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
}
