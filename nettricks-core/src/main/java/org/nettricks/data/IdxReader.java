package org.nettricks.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

import org.nettricks.InvalidInputException;
import org.nettricks.io.internal.MemoryBudget;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST, gzipped or not.
 *
 * <pre>
 * bytes 0–1   0x00 0x00
 * byte  2     data type (0x08 = unsigned byte, the only one these data sets use)
 * byte  3     number of dimensions d
 * then        d big-endian 32-bit sizes, then the values, row-major
 * </pre>
 * Byte offsets in messages count in the uncompressed stream. The header is validated (and, for a
 * pair, both headers against each other) before any value is allocated; the announced count must
 * match a plain file's size, fit what a gzip file can expand to, and fit the JVM's heap.
 */
public final class IdxReader {
    private static final int UNSIGNED_BYTE = 0x08;
    /** The most values one array holds. */
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

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

        /**
         * One item's shape, e.g. 28×28, as a schema; a file of single values (one dimension) has
         * shape [1]; null when a dimension is 0 (no values to describe).
         */
        public InputSchema itemShape() {
            if (dimensions.length < 2) {
                return InputSchema.image(1);
            }
            int[] item = java.util.Arrays.copyOfRange(dimensions, 1, dimensions.length);
            for (int d : item) {
                if (d < 1) {
                    return null;
                }
            }
            return InputSchema.image(item);
        }
    }

    /**
     * The most a gzip (deflate) stream expands: about 1032 to 1. An IDX header inside a gzip file
     * announcing more values than this allows is refused before anything is allocated.
     */
    static final long MAX_GZIP_RATIO = 1032;

    /** What a header announces, validated against the file's size. */
    private record Description(Path path, int[] dimensions, int headerBytes, long values, long fileSize,
            boolean gzipped) {
    }

    /** Reads and validates one IDX file: the header first, then exactly the values it announces. */
    public static IdxArray read(Path path) {
        try (InputStream in = open(path)) {
            Description d = describe(path, in);
            MemoryBudget.require(path.toString(), "the IDX header's " + Arrays.toString(d.dimensions) + " ("
                    + d.values + " values)", d.values);
            return new IdxArray(path, d.dimensions, body(d, in));
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(path + ": no such file; check the path");
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw corruptGzip(path, e);
        } catch (IOException e) {
            throw new InvalidInputException(path + ": cannot read: " + e.getMessage());
        }
    }

    /** Reads and validates the header of one IDX file, without its values. */
    private static Description describe(Path path) {
        try (InputStream in = open(path)) {
            return describe(path, in);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(path + ": no such file; check the path");
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw corruptGzip(path, e);
        } catch (IOException e) {
            throw new InvalidInputException(path + ": cannot read: " + e.getMessage());
        }
    }

    private static Description describe(Path path, InputStream in) throws IOException {
        boolean gzipped = in instanceof GZIPInputStream;
        long fileSize = Files.size(path);
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new InvalidInputException(path + ": file is " + magic.length
                    + " bytes, too short for an IDX header (4 bytes of magic number); is this an IDX file?");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new InvalidInputException(String.format(
                    "%s: bad magic number 0x%02X%02X%02X%02X at byte offset 0, expected 0x0000 then type and"
                            + " dimension count (e.g. 0x00000803); is this an IDX file?",
                    path, magic[0], magic[1], magic[2], magic[3]));
        }
        int type = magic[2] & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw new InvalidInputException(String.format("%s: IDX data type 0x%02X at byte offset 2 is not supported;"
                    + " only unsigned bytes (0x08) are, as in MNIST and Fashion-MNIST", path, type));
        }
        int ndim = magic[3] & 0xFF;
        if (ndim < 1 || ndim > 4) {
            throw new InvalidInputException(path + ": IDX dimension count " + ndim
                    + " at byte offset 3 must be 1 to 4; is this an IDX file?");
        }
        int header = 4 + 4 * ndim;
        byte[] sizes = in.readNBytes(4 * ndim);
        if (sizes.length < 4 * ndim) {
            throw new InvalidInputException(path + ": truncated header: " + ndim + " dimensions need " + header
                    + " bytes but the file has " + (4 + sizes.length) + "; the file is incomplete, download it again");
        }
        int[] dims = new int[ndim];
        long expected = 1;
        for (int i = 0; i < ndim; i++) {
            int at = 4 * i;
            dims[i] = ((sizes[at] & 0xFF) << 24) | ((sizes[at + 1] & 0xFF) << 16) | ((sizes[at + 2] & 0xFF) << 8)
                    | (sizes[at + 3] & 0xFF);
            if (dims[i] < 0) {
                throw new InvalidInputException(path + ": dimension " + i + " at byte offset " + (4 + at)
                        + " is negative (" + dims[i] + "); the header is corrupt");
            }
            // four factors below 2^31 can overflow a long: saturate, every check below refuses it anyway
            expected = expected > Long.MAX_VALUE / Math.max(1, dims[i]) ? Long.MAX_VALUE : expected * dims[i];
        }
        if (!gzipped) {
            long body = fileSize - header;
            if (body < expected) {
                throw truncated(path, expected, body, fileSize);
            }
            if (body > expected) {
                throw trailing(path, expected, body, header);
            }
        } else if (expected > (fileSize + 1) * MAX_GZIP_RATIO) {
            throw new InvalidInputException(path + ": the IDX header announces " + Arrays.toString(dims) + " = "
                    + expected + " values but a gzip file of " + fileSize + " bytes expands to at most "
                    + fileSize * MAX_GZIP_RATIO + " bytes; the header is corrupt or the file truncated");
        }
        if (expected > MAX_VALUES) {
            throw new InvalidInputException(path + ": the IDX header announces " + Arrays.toString(dims) + " = "
                    + expected + " values; at most " + MAX_VALUES + " fit in one array");
        }
        return new Description(path, dims, header, expected, fileSize, gzipped);
    }

    /** Reads exactly the announced values, then makes sure nothing follows them. */
    private static byte[] body(Description d, InputStream in) throws IOException {
        byte[] values = new byte[(int) d.values];
        int n = in.readNBytes(values, 0, values.length);
        if (n < values.length) {
            throw truncated(d.path, d.values, n, d.headerBytes + n);
        }
        long extra = 0;
        byte[] skip = new byte[8192];
        for (int r; (r = in.read(skip)) > 0; ) {
            extra += r;
        }
        if (extra > 0) {
            throw trailing(d.path, d.values, d.values + extra, d.headerBytes);
        }
        return values;
    }

    private static InvalidInputException truncated(Path path, long expected, long body, long fileEnd) {
        return new InvalidInputException(path + ": truncated body: the header announces " + expected
                + " values but only " + body + " bytes follow it (file ends at byte offset " + fileEnd
                + "); the file is incomplete, download it again");
    }

    private static InvalidInputException trailing(Path path, long expected, long body, int header) {
        return new InvalidInputException(path + ": " + (body - expected) + " unexpected bytes after the "
                + expected + " announced values, starting at byte offset " + (header + expected)
                + "; the header's counts disagree with the file's size");
    }

    /**
     * Reads an image file and its label file into a data set.
     *
     * @param classNames the class names, or null to name classes "0".."max label"
     */
    public static Dataset readPair(Path images, Path labels, java.util.List<String> classNames) {
        Description xd = describe(images);
        Description yd = describe(labels);
        if (xd.dimensions.length < 2) {
            throw new InvalidInputException(images + ": an image file needs at least 2 dimensions, got "
                    + xd.dimensions.length + "; did you swap the image and label files?");
        }
        if (yd.dimensions.length != 1) {
            throw new InvalidInputException(labels + ": a label file has 1 dimension, got " + yd.dimensions.length
                    + "; did you swap the image and label files?");
        }
        if (xd.dimensions[0] != yd.dimensions[0]) {
            throw new InvalidInputException(images + " holds " + xd.dimensions[0] + " images but " + labels + " holds "
                    + yd.dimensions[0] + " labels; the counts must agree: use the label file that belongs to these images");
        }
        // the bytes of both files, the labels as ints and the pixels as floats
        MemoryBudget.require(images + " and " + labels, xd.values + " pixels and " + yd.values + " labels",
                xd.values * (1 + Float.BYTES) + yd.values * (1 + Integer.BYTES));
        IdxArray x = read(images);
        IdxArray y = read(labels);
        int header = yd.headerBytes;
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
            requireEveryClassUpToTheLargest(labels, lab, max, header);
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
        return new Dataset(images.toString(), features, x.count(), d, lab, classNames, new ValueRange(0, 255),
                x.itemShape(), java.util.List.of());
    }

    /**
     * When the classes are numbered by the labels themselves, a class number with no example means a
     * stray label (one 200 among the digits 0–9 would make a 201-class network): refused, naming the
     * missing classes and the byte offset of the first label above the first gap.
     */
    private static void requireEveryClassUpToTheLargest(Path labels, int[] lab, int max, int header) {
        boolean[] seen = new boolean[max + 1];
        for (int l : lab) {
            seen[l] = true;
        }
        int firstMissing = -1;
        int missingCount = 0;
        StringBuilder missing = new StringBuilder();
        for (int c = 0; c <= max; c++) {
            if (!seen[c]) {
                if (firstMissing < 0) {
                    firstMissing = c;
                }
                missingCount++;
            } else if (firstMissing >= 0 && missing.length() == 0) {
                missing.append(firstMissing == c - 1 ? "" + firstMissing : firstMissing + " to " + (c - 1));
            }
        }
        if (firstMissing < 0) {
            return;
        }
        int above = firstMissing + 1;
        while (!seen[above]) {
            above++;
        }
        int at = 0;
        while (lab[at] != above) {
            at++;
        }
        int present = max + 1 - missingCount;
        throw new InvalidInputException(labels + ": label " + above + " at byte offset " + (header + at)
                + " leaves classes without examples: the labels are numbered 0 to " + max + " but " + missingCount
                + " of those classes have no example (first gap: " + missing + "); the " + present
                + " classes present must be numbered 0 to " + (present - 1) + ", or fix or remove that label");
    }

    /** The file's bytes, through gzip if it starts with gzip's magic number. */
    private static InputStream open(Path path) throws IOException {
        InputStream in = new java.io.BufferedInputStream(Files.newInputStream(path), 1 << 16);
        try {
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static InvalidInputException corruptGzip(Path path, IOException e) {
        return new InvalidInputException(path + " " + Gzip.describe(e));
    }
}
