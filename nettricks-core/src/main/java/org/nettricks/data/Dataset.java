package org.nettricks.data;

import java.util.List;

/**
 * Examples for classification: a row-major {@code size × featureCount} feature matrix in float32,
 * one class index per example (or none, for data to predict), and the class names.
 *
 * <p>Immutable by convention: the arrays are shared, never modified after construction.
 */
public final class Dataset {
    private final String source;
    private final float[] features;
    private final int size;
    private final int featureCount;
    private final int[] labels;
    private final List<String> classNames;
    private final ValueRange valueRange;
    private final InputSchema schema;
    private final List<String> ignoredColumns;

    /** A data set without a schema (its inputs are known by position only). */
    public Dataset(String source, float[] features, int size, int featureCount, int[] labels,
                   List<String> classNames, ValueRange valueRange) {
        this(source, features, size, featureCount, labels, classNames, valueRange, null, List.of());
    }

    /**
     * @param source       where the data came from, for messages (a path or a name)
     * @param labels       class indices in [0, classNames.size()), or null for unlabelled data
     * @param valueRange   the range the format guarantees, or null if unknown
     * @param schema       the inputs' names or image shape as the source gave them, or null if unknown;
     *                     its feature count must be {@code featureCount}
     * @param ignoredColumns columns of the source read as neither feature nor label (empty for none)
     */
    public Dataset(String source, float[] features, int size, int featureCount, int[] labels,
                   List<String> classNames, ValueRange valueRange, InputSchema schema, List<String> ignoredColumns) {
        if ((long) size * featureCount != features.length) {
            throw new IllegalArgumentException("features hold " + features.length + " values, expected " + size + "x"
                    + featureCount);
        }
        if (labels != null && labels.length != size) {
            throw new IllegalArgumentException(size + " examples but " + labels.length + " labels");
        }
        this.source = source;
        this.features = features;
        this.size = size;
        this.featureCount = featureCount;
        this.labels = labels;
        this.classNames = List.copyOf(classNames);
        if (schema != null && schema.featureCount() != featureCount) {
            throw new IllegalArgumentException("a schema of " + schema.describe() + " for " + featureCount + " features");
        }
        this.valueRange = valueRange;
        this.schema = schema;
        this.ignoredColumns = List.copyOf(ignoredColumns);
    }

    public String source() {
        return source;
    }

    /** Row-major features; do not modify. */
    public float[] features() {
        return features;
    }

    public int size() {
        return size;
    }

    public int featureCount() {
        return featureCount;
    }

    public boolean hasLabels() {
        return labels != null;
    }

    /** Class indices; do not modify. */
    public int[] labels() {
        if (labels == null) {
            throw new IllegalStateException(source + " has no labels");
        }
        return labels;
    }

    public List<String> classNames() {
        return classNames;
    }

    public int classCount() {
        return classNames.size();
    }

    /** The value range the source format guarantees, or null. */
    public ValueRange valueRange() {
        return valueRange;
    }

    /**
     * The inputs as the source named them (CSV feature columns and label column, or the image shape),
     * or null when unknown.
     */
    public InputSchema schema() {
        return schema;
    }

    /** The source's columns that were read as neither feature nor label (e.g. an id column), in file order. */
    public List<String> ignoredColumns() {
        return ignoredColumns;
    }

    /** Examples start … start+count−1 as a count × featureCount matrix of the given precision. */
    public org.nettricks.tensor.Matrix rows(int start, int count, org.nettricks.tensor.Precision precision) {
        org.nettricks.tensor.Matrix m = org.nettricks.tensor.Matrix.zeros(count, featureCount, precision);
        int from = start * featureCount;
        if (precision == org.nettricks.tensor.Precision.FLOAT32) {
            System.arraycopy(features, from, m.floats(), 0, count * featureCount);
        } else {
            double[] d = m.doubles();
            for (int i = 0; i < d.length; i++) {
                d[i] = features[from + i];
            }
        }
        return m;
    }

    /** The examples at {@code indices}, in that order, as a new data set. */
    public Dataset subset(int[] indices, String subsetSource) {
        float[] x = new float[indices.length * featureCount];
        int[] y = labels == null ? null : new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            System.arraycopy(features, indices[i] * featureCount, x, i * featureCount, featureCount);
            if (y != null) {
                y[i] = labels[indices[i]];
            }
        }
        return new Dataset(subsetSource, x, indices.length, featureCount, y, classNames, valueRange, schema,
                ignoredColumns);
    }

    /** The same examples with other features (e.g. normalized), same labels and classes. */
    public Dataset withFeatures(float[] newFeatures) {
        return new Dataset(source, newFeatures, size, featureCount, labels, classNames, valueRange, schema,
                ignoredColumns);
    }
}
