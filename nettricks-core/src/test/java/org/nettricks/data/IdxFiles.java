package org.nettricks.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests, byte by byte as the format specifies. */
public final class IdxFiles {
    private IdxFiles() {
    }

    public static byte[] idx(int[] dims, byte[] values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(0);
        out.write(0x08);
        out.write(dims.length);
        for (int d : dims) {
            out.write(d >>> 24);
            out.write(d >>> 16);
            out.write(d >>> 8);
            out.write(d);
        }
        out.write(values, 0, values.length);
        return out.toByteArray();
    }

    public static Path write(Path path, byte[] bytes, boolean gzip) throws IOException {
        if (gzip) {
            try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(path))) {
                o.write(bytes);
            }
        } else {
            Files.write(path, bytes);
        }
        return path;
    }

    /** A directory with train and t10k files: images of 2×2 pixels, labels cycling 0..classes−1. */
    public static Path directory(Path dir, int trainCount, int testCount, int classes, boolean gzip) throws IOException {
        writeSet(dir, "train", trainCount, classes, gzip);
        writeSet(dir, "t10k", testCount, classes, gzip);
        return dir;
    }

    private static void writeSet(Path dir, String prefix, int n, int classes, boolean gzip) throws IOException {
        byte[] pixels = new byte[n * 4];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % classes);
            for (int p = 0; p < 4; p++) {
                pixels[i * 4 + p] = (byte) ((labels[i] * 60 + p * 7 + i) & 0xFF);
            }
        }
        String gz = gzip ? ".gz" : "";
        write(dir.resolve(prefix + "-images-idx3-ubyte" + gz), idx(new int[] {n, 2, 2}, pixels), gzip);
        write(dir.resolve(prefix + "-labels-idx1-ubyte" + gz), idx(new int[] {n}, labels), gzip);
    }
}
