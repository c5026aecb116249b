package org.nettricks.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import org.nettricks.InvalidInputException;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST, gzipped or not.
 *
 * <pre>
 * bytes 0–1   0x00 0x00
 * byte  2     data type (0x08 = unsigned byte, the only one these data sets use)
 * byte  3     number of dimensions d
 * then        d big-endian 32-bit sizes, then the values, row-major
 * </pre>
 * Byte offsets in messages count in the uncompressed stream.
 */
public final class IdxReader {
    private static final int UNSIGNED_BYTE = 0x08;

    private IdxReader() {
    }

    /** An IDX array: its dimensions and its unsigned-byte values. */
    public record IdxArray(Path path, int[] dimensions, byte[] values) {
        /** Number of items along the first dimension. */
        public int count() {
            return dimensions[0];
        }

        /** Values per item: the product of the other dimensions. */
        public int itemSize() {
            int s = 1;
            for (int i = 1; i < dimensions.length; i++) {
                s *= dimensions[i];
            }
            return s;
        }
    }

    /** Reads and validates one IDX file. */
    public static IdxArray read(Path path) {
        byte[] bytes = readAll(path);
        if (bytes.length < 4) {
            throw new InvalidInputException(path + ": file is " + bytes.length
                    + " bytes, too short for an IDX header (4 bytes of magic number); is this an IDX file?");
        }
        if (bytes[0] != 0 || bytes[1] != 0) {
            throw new InvalidInputException(String.format(
                    "%s: bad magic number 0x%02X%02X%02X%02X at byte offset 0, expected 0x0000 then type and"
                            + " dimension count (e.g. 0x00000803); is this an IDX file?",
                    path, bytes[0], bytes[1], bytes[2], bytes[3]));
        }
        int type = bytes[2] & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw new InvalidInputException(String.format("%s: IDX data type 0x%02X at byte offset 2 is not supported;"
                    + " only unsigned bytes (0x08) are, as in MNIST and Fashion-MNIST", path, type));
        }
        int ndim = bytes[3] & 0xFF;
        if (ndim < 1 || ndim > 4) {
            throw new InvalidInputException(path + ": IDX dimension count " + ndim
                    + " at byte offset 3 must be 1 to 4; is this an IDX file?");
        }
        int header = 4 + 4 * ndim;
        if (bytes.length < header) {
            throw new InvalidInputException(path + ": truncated header: " + ndim + " dimensions need " + header
                    + " bytes but the file has " + bytes.length + "; the file is incomplete, download it again");
        }
        int[] dims = new int[ndim];
        long expected = 1;
        for (int i = 0; i < ndim; i++) {
            int at = 4 + 4 * i;
            dims[i] = ((bytes[at] & 0xFF) << 24) | ((bytes[at + 1] & 0xFF) << 16) | ((bytes[at + 2] & 0xFF) << 8)
                    | (bytes[at + 3] & 0xFF);
            if (dims[i] < 0) {
                throw new InvalidInputException(path + ": dimension " + i + " at byte offset " + at + " is negative ("
                        + dims[i] + "); the header is corrupt");
            }
            expected *= dims[i];
        }
        long body = bytes.length - (long) header;
        if (body < expected) {
            throw new InvalidInputException(path + ": truncated body: the header announces " + expected
                    + " values but only " + body + " bytes follow it (file ends at byte offset " + bytes.length
                    + "); the file is incomplete, download it again");
        }
        if (body > expected) {
            throw new InvalidInputException(path + ": " + (body - expected) + " unexpected bytes after the "
                    + expected + " announced values, starting at byte offset " + (header + expected)
                    + "; the header's counts disagree with the file's size");
        }
        byte[] values = new byte[(int) expected];
        System.arraycopy(bytes, header, values, 0, values.length);
        return new IdxArray(path, dims, values);
    }

    /**
     * Reads an image file and its label file into a data set.
     *
     * @param classNames the class names, or null to name classes "0".."max label"
     */
    public static Dataset readPair(Path images, Path labels, java.util.List<String> classNames) {
        IdxArray x = read(images);
        IdxArray y = read(labels);
        if (x.dimensions().length < 2) {
            throw new InvalidInputException(images + ": an image file needs at least 2 dimensions, got "
                    + x.dimensions().length + "; did you swap the image and label files?");
        }
        if (y.dimensions().length != 1) {
            throw new InvalidInputException(labels + ": a label file has 1 dimension, got " + y.dimensions().length
                    + "; did you swap the image and label files?");
        }
        if (x.count() != y.count()) {
            throw new InvalidInputException(images + " holds " + x.count() + " images but " + labels + " holds "
                    + y.count() + " labels; the counts must agree: use the label file that belongs to these images");
        }
        int header = 4 + 4 * y.dimensions().length;
        int[] lab = new int[y.count()];
        int max = 0;
        for (int i = 0; i < lab.length; i++) {
            lab[i] = y.values()[i] & 0xFF;
            max = Math.max(max, lab[i]);
            if (classNames != null && lab[i] >= classNames.size()) {
                throw new InvalidInputException(labels + ": label " + lab[i] + " at byte offset " + (header + i)
                        + " is out of range: this data set has " + classNames.size() + " classes (0 to "
                        + (classNames.size() - 1) + ")");
            }
        }
        if (classNames == null) {
            java.util.List<String> names = new java.util.ArrayList<>();
            for (int c = 0; c <= Math.max(max, 1); c++) {
                names.add(Integer.toString(c));
            }
            classNames = names;
        }
        int d = x.itemSize();
        float[] features = new float[x.values().length];
        byte[] v = x.values();
        for (int i = 0; i < v.length; i++) {
            features[i] = v[i] & 0xFF;
        }
        return new Dataset(images.toString(), features, x.count(), d, lab, classNames, new ValueRange(0, 255));
    }

    private static byte[] readAll(Path path) {
        try (InputStream raw = Files.newInputStream(path)) {
            InputStream in = new java.io.BufferedInputStream(raw, 1 << 16);
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                in = new GZIPInputStream(in, 1 << 16);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(path + ": no such file; check the path");
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new InvalidInputException(path + ": corrupt or truncated gzip stream (" + e.getMessage()
                    + "); the file is incomplete, download it again");
        } catch (IOException e) {
            throw new InvalidInputException(path + ": cannot read: " + e.getMessage());
        }
    }
}
