package org.nettricks.evaluation;

import java.util.List;

/**
 * The regression figures of predictions ŷ against true targets y, per target k over the n
 * examples, in the targets' original units, computed in double with scikit-learn's definitions
 * (sklearn.metrics 1.2, {@code multioutput="raw_values"}; the means over targets are its
 * {@code "uniform_average"}):
 * <pre>
 * MSE_k  = (1/n) Σ_i (y_ik − ŷ_ik)²                 mean_squared_error
 * RMSE_k = √MSE_k                                   mean_squared_error(squared=False)
 * MAE_k  = (1/n) Σ_i |y_ik − ŷ_ik|                  mean_absolute_error
 * R²_k   = 1 − Σ_i (y_ik − ŷ_ik)² / Σ_i (y_ik − ȳ_k)²   r2_score
 * </pre>
 * R² of a target that is constant in y (denominator 0) is 1 when the predictions are exact and 0
 * otherwise, as scikit-learn's {@code force_finite=True}. The mean RMSE is the mean of the per-target
 * RMSEs (what scikit-learn's {@code squared=False} averages), not the root of the mean MSE.
 *
 * @param names the targets' names, in output order
 * @param size  n, the number of examples
 * @param mse   per target
 * @param rmse  per target
 * @param mae   per target
 * @param r2    per target
 * @param loss  the mean training loss over examples and targets in standardized units (what
 *              training minimizes), or NaN when not computed
 */
public record RegressionMetrics(List<String> names, int size, double[] mse, double[] rmse, double[] mae, double[] r2,
                                double loss) {
    public RegressionMetrics {
        names = List.copyOf(names);
    }

    /**
     * The figures of {@code predicted} against {@code truth}, both row-major n × K in original units.
     *
     * @param loss the loss to carry along (NaN for none)
     * @throws IllegalArgumentException when the arrays are not n × K, or n is 0
     */
    public static RegressionMetrics of(List<String> names, double[] truth, double[] predicted, double loss) {
        int k = names.size();
        if (k == 0 || truth.length != predicted.length || truth.length % k != 0 || truth.length == 0) {
            throw new IllegalArgumentException(truth.length + " true and " + predicted.length + " predicted values for "
                    + k + " targets");
        }
        int n = truth.length / k;
        double[] mse = new double[k];
        double[] rmse = new double[k];
        double[] mae = new double[k];
        double[] r2 = new double[k];
        for (int j = 0; j < k; j++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += truth[i * k + j];
            }
            mean /= n;
            double ssRes = 0;
            double ssTot = 0;
            double abs = 0;
            for (int i = 0; i < n; i++) {
                double y = truth[i * k + j];
                double d = y - predicted[i * k + j];
                ssRes += d * d;
                abs += Math.abs(d);
                ssTot += (y - mean) * (y - mean);
            }
            mse[j] = ssRes / n;
            rmse[j] = Math.sqrt(mse[j]);
            mae[j] = abs / n;
            r2[j] = ssTot != 0 ? 1 - ssRes / ssTot : ssRes == 0 ? 1 : 0;
        }
        return new RegressionMetrics(names, n, mse, rmse, mae, r2, loss);
    }

    /** The mean over targets of MSE. */
    public double meanMse() {
        return mean(mse);
    }

    /** The mean over targets of the per-target RMSE: what search and the epoch lines report. */
    public double meanRmse() {
        return mean(rmse);
    }

    public double meanMae() {
        return mean(mae);
    }

    public double meanR2() {
        return mean(r2);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
