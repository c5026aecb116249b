package org.nettricks.data;

import java.util.List;

/**
 * Examples: a row-major {@code size × featureCount} feature matrix in float32, and for
 * classification one class index per example (or none, for data to predict) and the class names,
 * or for regression ({@link #withTargets}) K numeric targets per example in double and their names.
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
    /** Regression targets, row-major size × targetNames.size(), or null. */
    private final double[] targets;
    private final List<String> targetNames;
    /** Per-example weights of the training loss (a CSV weight column), or null. */
    private final double[] weights;

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
        this.targets = null;
        this.targetNames = List.of();
        this.weights = null;
    }

    /** A copy of {@code base} with regression targets (and no class labels). */
    private Dataset(Dataset base, double[] targets, List<String> targetNames) {
        this.source = base.source;
        this.features = base.features;
        this.size = base.size;
        this.featureCount = base.featureCount;
        this.labels = null;
        this.classNames = List.of();
        this.valueRange = base.valueRange;
        this.schema = base.schema;
        this.ignoredColumns = base.ignoredColumns;
        this.targets = targets;
        this.targetNames = List.copyOf(targetNames);
        this.weights = base.weights;
    }

    /** A copy of {@code base} with per-example weights (null for none). */
    private Dataset(Dataset base, double[] weights) {
        this.source = base.source;
        this.features = base.features;
        this.size = base.size;
        this.featureCount = base.featureCount;
        this.labels = base.labels;
        this.classNames = base.classNames;
        this.valueRange = base.valueRange;
        this.schema = base.schema;
        this.ignoredColumns = base.ignoredColumns;
        this.targets = base.targets;
        this.targetNames = base.targetNames;
        this.weights = weights;
    }

    /**
     * The same examples with a weight each, multiplying the example's loss in training (a CSV
     * weight column, {@code weight-column}); evaluation ignores them.
     *
     * @param weights one per example, each finite and ≥ 0; null for none
     * @throws IllegalArgumentException when there is not one weight per example, or one is
     *                                  negative or not finite
     */
    public Dataset withWeights(double[] weights) {
        if (weights != null) {
            if (weights.length != size) {
                throw new IllegalArgumentException(weights.length + " weights for " + size + " examples");
            }
            for (int i = 0; i < size; i++) {
                if (!(weights[i] >= 0) || !Double.isFinite(weights[i])) {
                    throw new IllegalArgumentException("weight of example " + i + " is " + weights[i]
                            + "; weights must be finite and >= 0");
                }
            }
        }
        return new Dataset(this, weights);
    }

    /** Whether the examples carry weights ({@link #weights()}). */
    public boolean hasWeights() {
        return weights != null;
    }

    /** Per-example weights of the training loss, one per example; do not modify. */
    public double[] weights() {
        if (weights == null) {
            throw new IllegalStateException(source + " has no example weights");
        }
        return weights;
    }

    /**
     * The same examples with numeric regression targets instead of class labels.
     *
     * @param targets     row-major, {@code size × targetNames.size()} values, one row per example
     * @param targetNames the target columns' names, in output order (at least one)
     * @throws IllegalArgumentException when the number of values is not size × targetNames.size()
     */
    public Dataset withTargets(double[] targets, List<String> targetNames) {
        if (targetNames.isEmpty() || (long) size * targetNames.size() != targets.length) {
            throw new IllegalArgumentException(targets.length + " target values for " + size + " examples and "
                    + targetNames.size() + " targets");
        }
        return new Dataset(this, targets, targetNames);
    }

    /** Whether the examples have regression targets ({@link #targets()}). */
    public boolean hasTargets() {
        return targets != null;
    }

    /** Regression targets, row-major {@code size × targetCount()}; do not modify. */
    public double[] targets() {
        if (targets == null) {
            throw new IllegalStateException(source + " has no regression targets");
        }
        return targets;
    }

    /** The regression targets' names (CSV columns), in output order; empty for classification data. */
    public List<String> targetNames() {
        return targetNames;
    }

    /** The number of regression targets K; 0 for classification data. */
    public int targetCount() {
        return targetNames.size();
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
        Dataset out = new Dataset(subsetSource, x, indices.length, featureCount, y, classNames, valueRange, schema,
                ignoredColumns);
        if (targets != null) {
            int k = targetNames.size();
            double[] t = new double[indices.length * k];
            for (int i = 0; i < indices.length; i++) {
                System.arraycopy(targets, indices[i] * k, t, i * k, k);
            }
            out = out.withTargets(t, targetNames);
        }
        if (weights != null) {
            double[] w = new double[indices.length];
            for (int i = 0; i < indices.length; i++) {
                w[i] = weights[indices[i]];
            }
            out = out.withWeights(w);
        }
        return out;
    }

    /** The same examples with other features (e.g. normalized), same labels and classes. */
    public Dataset withFeatures(float[] newFeatures) {
        Dataset out = new Dataset(source, newFeatures, size, featureCount, labels, classNames, valueRange, schema,
                ignoredColumns);
        out = targets == null ? out : out.withTargets(targets, targetNames);
        return weights == null ? out : out.withWeights(weights);
    }
}
