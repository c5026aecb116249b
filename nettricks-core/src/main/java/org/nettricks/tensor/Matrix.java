package org.nettricks.tensor;

import java.util.Arrays;

/**
 * A dense row-major matrix of {@code rows × cols} values in one {@link Precision}.
 *
 * <p>Rows are examples and columns are features: a mini-batch of B inputs of dimension D is a
 * B × D matrix. Exactly one of the two backing arrays is non-null, chosen by the precision. The
 * arrays are exposed to backends (which loop over them) and to I/O; layers go through a
 * {@link Backend} instead of looping themselves.
 */
public final class Matrix {
    private final int rows;
    private final int cols;
    private final Precision precision;
    private final float[] floats;
    private final double[] doubles;

    private Matrix(int rows, int cols, Precision precision, float[] floats, double[] doubles) {
        this.rows = rows;
        this.cols = cols;
        this.precision = precision;
        this.floats = floats;
        this.doubles = doubles;
    }

    /** A new matrix of zeros. */
    public static Matrix zeros(int rows, int cols, Precision precision) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix shape must be non-negative, got " + rows + "x" + cols);
        }
        long size = (long) rows * cols;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("matrix " + rows + "x" + cols + " is too large for one array");
        }
        return precision == Precision.FLOAT32
                ? new Matrix(rows, cols, precision, new float[(int) size], null)
                : new Matrix(rows, cols, precision, null, new double[(int) size]);
    }

    /** Wraps an existing float array (not copied) as a {@code rows × cols} float32 matrix. */
    public static Matrix wrap(int rows, int cols, float[] data) {
        checkLength(rows, cols, data.length);
        return new Matrix(rows, cols, Precision.FLOAT32, data, null);
    }

    /** Wraps an existing double array (not copied) as a {@code rows × cols} float64 matrix. */
    public static Matrix wrap(int rows, int cols, double[] data) {
        checkLength(rows, cols, data.length);
        return new Matrix(rows, cols, Precision.FLOAT64, null, data);
    }

    /** A matrix holding the given row-major values, rounded to the precision. */
    public static Matrix of(Precision precision, int rows, int cols, double... values) {
        checkLength(rows, cols, values.length);
        Matrix m = zeros(rows, cols, precision);
        for (int i = 0; i < values.length; i++) {
            m.setFlat(i, values[i]);
        }
        return m;
    }

    private static void checkLength(int rows, int cols, int length) {
        if ((long) rows * cols != length) {
            throw new IllegalArgumentException(
                    "a " + rows + "x" + cols + " matrix needs " + ((long) rows * cols) + " values, got " + length);
        }
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** rows × cols. */
    public int size() {
        return rows * cols;
    }

    public Precision precision() {
        return precision;
    }

    /** The backing array of a float32 matrix. */
    public float[] floats() {
        if (floats == null) {
            throw new IllegalStateException("matrix is " + precision.displayName() + ", not float32");
        }
        return floats;
    }

    /** The backing array of a float64 matrix. */
    public double[] doubles() {
        if (doubles == null) {
            throw new IllegalStateException("matrix is " + precision.displayName() + ", not float64");
        }
        return doubles;
    }

    public double get(int row, int col) {
        return getFlat(row * cols + col);
    }

    public void set(int row, int col, double value) {
        setFlat(row * cols + col, value);
    }

    /** The value at row-major position {@code index}. */
    public double getFlat(int index) {
        return floats != null ? floats[index] : doubles[index];
    }

    /** Sets the value at row-major position {@code index}, rounding to the precision. */
    public void setFlat(int index, double value) {
        if (floats != null) {
            floats[index] = (float) value;
        } else {
            doubles[index] = value;
        }
    }

    /** Sets every value to zero. */
    public void clear() {
        if (floats != null) {
            Arrays.fill(floats, 0f);
        } else {
            Arrays.fill(doubles, 0.0);
        }
    }

    /** A deep copy. */
    public Matrix copy() {
        return floats != null
                ? new Matrix(rows, cols, precision, floats.clone(), null)
                : new Matrix(rows, cols, precision, null, doubles.clone());
    }

    /** A deep copy converted to another precision. */
    public Matrix toPrecision(Precision target) {
        if (target == precision) {
            return copy();
        }
        Matrix m = zeros(rows, cols, target);
        for (int i = 0; i < size(); i++) {
            m.setFlat(i, getFlat(i));
        }
        return m;
    }

    /**
     * A view of {@code source}'s data with {@code shapeOf}'s shape (same number of values and
     * precision), e.g. a 1-D tensor read from a file as a 1 × n row.
     */
    public static Matrix wrapLike(Matrix shapeOf, Matrix source) {
        if (shapeOf.size() != source.size() || shapeOf.precision != source.precision) {
            throw new IllegalArgumentException("cannot view " + source.describe() + " as " + shapeOf.describe());
        }
        return new Matrix(shapeOf.rows, shapeOf.cols, source.precision, source.floats, source.doubles);
    }

    /** Copies all values from a matrix of the same shape and precision. */
    public void copyFrom(Matrix other) {
        requireSameShape(other, "copyFrom");
        if (floats != null) {
            System.arraycopy(other.floats(), 0, floats, 0, floats.length);
        } else {
            System.arraycopy(other.doubles(), 0, doubles, 0, doubles.length);
        }
    }

    /** Throws unless {@code other} has this matrix's shape and precision. */
    public void requireSameShape(Matrix other, String operation) {
        if (other.rows != rows || other.cols != cols || other.precision != precision) {
            throw new IllegalArgumentException(operation + ": expected " + describe() + ", got " + other.describe());
        }
    }

    /** True when every value is finite (no NaN, no infinity). */
    public boolean allFinite() {
        if (floats != null) {
            for (float v : floats) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
        } else {
            for (double v : doubles) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Shape and precision, e.g. {@code 64x784 float32}. */
    public String describe() {
        return rows + "x" + cols + " " + precision.displayName();
    }

    @Override
    public String toString() {
        return "Matrix[" + describe() + "]";
    }
}
