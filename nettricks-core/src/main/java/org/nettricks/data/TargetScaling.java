package org.nettricks.data;

import java.util.List;

/**
 * The standardization of regression targets: each target k is trained on as
 * <pre>z_k = (y_k − μ_k) / σ_k</pre>
 * with μ_k the mean and σ_k the <em>population</em> standard deviation (divisor N, numpy's
 * {@code std(ddof=0)}, as scikit-learn's {@code StandardScaler}) over the training split only,
 * computed in double. A network's linear output o_k is turned back into the original units by
 * <pre>ŷ_k = μ_k + σ_k · o_k</pre>
 * A target that is constant on the training split (σ_k = 0) keeps σ_k = 1, as
 * {@code StandardScaler} does, so that it is only centred.
 *
 * @param names the targets' names, in output order
 * @param mean  μ_k, one per target
 * @param std   σ_k, one per target, finite and &gt; 0
 */
public record TargetScaling(List<String> names, double[] mean, double[] std) {
    public TargetScaling {
        names = List.copyOf(names);
        if (names.isEmpty() || mean.length != names.size() || std.length != names.size()) {
            throw new IllegalArgumentException(names.size() + " target names, " + mean.length + " means and "
                    + std.length + " standard deviations");
        }
        for (int k = 0; k < std.length; k++) {
            if (!Double.isFinite(mean[k]) || !Double.isFinite(std[k]) || !(std[k] > 0)) {
                throw new IllegalArgumentException("target '" + names.get(k) + "' has mean " + mean[k]
                        + " and standard deviation " + std[k] + "; both must be finite and the deviation > 0");
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The statistics of {@code train}'s targets: means and population standard deviations (1 where 0). */
    public static TargetScaling fit(Dataset train) {
        int k = train.targetCount();
        int n = train.size();
        double[] y = train.targets();
        double[] mean = new double[k];
        double[] std = new double[k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                mean[j] += y[i * k + j];
            }
        }
        for (int j = 0; j < k; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                double d = y[i * k + j] - mean[j];
                std[j] += d * d;
            }
        }
        for (int j = 0; j < k; j++) {
            std[j] = Math.sqrt(std[j] / n);
            if (!(std[j] > 0)) {
                std[j] = 1;
            }
        }
        return new TargetScaling(train.targetNames(), mean, std);
    }

    /** The number of targets K. */
    public int count() {
        return names.size();
    }

    /** {@code data} with its targets standardized, z = (y − μ) / σ (a new targets array). */
    public Dataset standardize(Dataset data) {
        int k = count();
        double[] y = data.targets();
        double[] z = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            z[i] = (y[i] - mean[i % k]) / std[i % k];
        }
        return data.withTargets(z, data.targetNames());
    }

    /** Undoes the standardization in place: o ← μ + σ·o, for row-major values with K columns. */
    public void unstandardize(double[] values) {
        int k = count();
        for (int i = 0; i < values.length; i++) {
            values[i] = mean[i % k] + std[i % k] * values[i];
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TargetScaling t && t.names.equals(names) && java.util.Arrays.equals(t.mean, mean)
                && java.util.Arrays.equals(t.std, std);
    }

    @Override
    public int hashCode() {
        return names.hashCode() * 31 + java.util.Arrays.hashCode(mean) * 17 + java.util.Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "TargetScaling" + names + " mean " + java.util.Arrays.toString(mean) + " std "
                + java.util.Arrays.toString(std);
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }
}
