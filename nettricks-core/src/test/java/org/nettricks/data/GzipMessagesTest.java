package org.nettricks.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.InvalidInputException;

/** Issue 14, class 7: a fake or damaged gzip file is described in words, never as "(null)". */
class GzipMessagesTest {
    @TempDir
    Path dir;

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(o)) {
            z.write(plain);
        }
        return o.toByteArray();
    }

    private static final String CSV = "label,x1,x2\na,0,1\nb,1,0\nc,1,1\na,0,1\nb,1,0\nc,1,1\n";

    @Test
    void aCsvNamedGzThatIsNotGzipSaysSo() throws IOException {
        Path fake = Files.writeString(dir.resolve("train.csv.gz"), CSV);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> DataSources.loadForTraining(fake.toString(), null));
        assertEquals(fake + " is not gzip data: it does not start with gzip's magic bytes 1f 8b although its name"
                + " ends in .gz; if it is not compressed, rename it without .gz, else download it again", e.getMessage());
    }

    @Test
    void everyTruncationOfAGzippedCsvIsDescribed() throws IOException {
        byte[] whole = gzip(CSV.getBytes(StandardCharsets.UTF_8));
        assertEquals(6, DataSources.loadForTraining(Files.write(dir.resolve("whole.csv.gz"), whole).toString(), null)
                .train().size(), "the whole file reads");
        for (int n = 0; n < whole.length; n++) {
            Path cut = Files.write(dir.resolve("cut" + n + ".csv.gz"), Arrays.copyOf(whole, n));
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> DataSources.loadForTraining(cut.toString(), null), "truncated to " + n + " bytes");
            assertTrue(e.getMessage().startsWith(cut + " is a truncated gzip file: "), n + ": " + e.getMessage());
            assertFalse(e.getMessage().contains("null"), e.getMessage());
        }
    }

    @Test
    void everyTruncationOfAGzippedIdxFileIsDescribed() throws IOException {
        IdxFiles.directory(dir, 30, 10, 3, true);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] whole = Files.readAllBytes(images);
        // from 2 bytes on, the file starts with gzip's magic number and is read as gzip
        for (int n = 2; n < whole.length; n++) {
            Files.write(images, Arrays.copyOf(whole, n));
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> DataSources.loadForTraining(dir.toString(), null), "truncated to " + n + " bytes");
            assertFalse(e.getMessage().contains("null"), e.getMessage());
            assertTrue(e.getMessage().startsWith(images + " is a truncated gzip file: ")
                    || e.getMessage().startsWith(images + ": "), n + ": " + e.getMessage());
        }
    }

    @Test
    void aCorruptDeflateStreamIsNamedCorrupt() throws IOException {
        byte[] whole = gzip(CSV.getBytes(StandardCharsets.UTF_8));
        whole[10] = (byte) 0xff; // the first deflate block header: an invalid block type
        Path bad = Files.write(dir.resolve("bad.csv.gz"), whole);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> DataSources.loadForTraining(bad.toString(), null));
        assertTrue(e.getMessage().startsWith(bad + " is a corrupt gzip file ("), e.getMessage());
    }
}
