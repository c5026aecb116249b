package org.nettricks.data;

import java.util.Arrays;
import java.util.Locale;

/**
 * Input normalization fitted on the training set only and kept with the model:
 * <pre>x' = (x − offset) / scale,   per feature</pre>
 * <ul>
 *   <li>{@code scale}: to [0, 1]. offset = min, scale = max − min, from the range the file format
 *       guarantees (IDX bytes: [0, 255], so x / 255) or else from the training set, per feature.</li>
 *   <li>{@code standardize}: offset = the training mean, scale = the training standard deviation
 *       (population), per feature.</li>
 *   <li>{@code none}: offset 0, scale 1.</li>
 * </ul>
 * A constant feature gets scale 1, so it maps to 0 rather than to NaN.
 */
public record Normalization(Kind kind, double[] offset, double[] scale) {

    /** The normalization schemes. */
    public enum Kind {
        NONE, SCALE, STANDARDIZE;

        public String displayName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses {@code none}, {@code scale} or {@code standardize}. */
        public static Kind parse(String name) {
            for (Kind k : values()) {
                if (k.displayName().equals(name)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("normalization must be one of none, scale, standardize; got '" + name + "'");
        }
    }

    public Normalization {
        if (offset.length != scale.length) {
            throw new IllegalArgumentException("offset and scale lengths differ: " + offset.length + " vs " + scale.length);
        }
        for (double s : scale) {
            if (!(s > 0) || !Double.isFinite(s)) {
                throw new IllegalArgumentException("normalization scales must be finite and > 0, got " + s);
            }
        }
    }

    /** Fits the statistics of {@code kind} on a training set. */
    public static Normalization fit(Kind kind, Dataset train) {
        int d = train.featureCount();
        int n = train.size();
        float[] x = train.features();
        double[] offset = new double[d];
        double[] scale = new double[d];
        Arrays.fill(scale, 1.0);
        switch (kind) {
            case NONE -> {
            }
            case SCALE -> {
                ValueRange range = train.valueRange();
                if (range != null) {
                    Arrays.fill(offset, range.min());
                    Arrays.fill(scale, range.max() - range.min());
                } else {
                    double[] min = new double[d];
                    double[] max = new double[d];
                    Arrays.fill(min, Double.POSITIVE_INFINITY);
                    Arrays.fill(max, Double.NEGATIVE_INFINITY);
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < d; j++) {
                            double v = x[i * d + j];
                            min[j] = Math.min(min[j], v);
                            max[j] = Math.max(max[j], v);
                        }
                    }
                    for (int j = 0; j < d; j++) {
                        offset[j] = min[j];
                        scale[j] = max[j] > min[j] ? max[j] - min[j] : 1.0;
                    }
                }
            }
            case STANDARDIZE -> {
                double[] sum = new double[d];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < d; j++) {
                        sum[j] += x[i * d + j];
                    }
                }
                for (int j = 0; j < d; j++) {
                    offset[j] = sum[j] / n;
                }
                double[] squares = new double[d];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < d; j++) {
                        double c = x[i * d + j] - offset[j];
                        squares[j] += c * c;
                    }
                }
                for (int j = 0; j < d; j++) {
                    double sd = Math.sqrt(squares[j] / n);
                    scale[j] = sd > 0 ? sd : 1.0;
                }
            }
        }
        return new Normalization(kind, offset, scale);
    }

    /** Number of features this normalization expects. */
    public int featureCount() {
        return offset.length;
    }

    /** A new data set with normalized features. */
    public Dataset apply(Dataset data) {
        float[] out = new float[data.features().length];
        normalize(data, out);
        return data.withFeatures(out);
    }

    /**
     * Normalizes {@code data}'s features in place and returns it: for a data set that nobody else
     * holds (a fresh split), saving a copy of it.
     */
    public Dataset applyInPlace(Dataset data) {
        normalize(data, data.features());
        return data;
    }

    private void normalize(Dataset data, float[] out) {
        int d = data.featureCount();
        if (d != offset.length) {
            throw new IllegalArgumentException(data.source() + " has " + d + " features, the normalization expects "
                    + offset.length);
        }
        float[] in = data.features();
        for (int i = 0; i < data.size(); i++) {
            int off = i * d;
            for (int j = 0; j < d; j++) {
                out[off + j] = (float) ((in[off + j] - offset[j]) / scale[j]);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization other && other.kind == kind && Arrays.equals(other.offset, offset)
                && Arrays.equals(other.scale, scale);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + Arrays.hashCode(offset) * 17 + Arrays.hashCode(scale);
    }

    @Override
    public String toString() {
        return "Normalization[" + kind.displayName() + ", " + offset.length + " features]";
    }
}
