package org.nettricks.losses;

import org.nettricks.tensor.Matrix;

/**
 * The losses of regression, on a network's linear outputs o (B × K) and the standardized targets
 * z (B × K), with PyTorch's definitions and its mean reduction (over the B examples and the K
 * targets alike, {@code reduction="mean"}):
 * <pre>
 * squared-error   l(d) = d²                                     (torch.nn.MSELoss)
 * huber           l(d) = ½ d²            if |d| &lt; δ              (torch.nn.HuberLoss(delta=δ))
 *                       δ (|d| − ½ δ)     otherwise
 * d = o − z,      L = (1/(B·K)) Σ_t Σ_k l(d_tk),      ∂L/∂o_tk = l′(d_tk) / (B·K)
 * l′(d) = 2d (squared-error);  d if |d| &lt; δ, else δ·sign(d) (huber)
 * </pre>
 * Sources: PyTorch's documentation of {@code MSELoss} and {@code HuberLoss}
 * (https://pytorch.org/docs/stable/generated/torch.nn.HuberLoss.html). Huber with δ = 1 is
 * PyTorch's {@code SmoothL1Loss}; for |d| &lt; δ it is half the squared error. The values are in
 * standardized units (see {@link org.nettricks.data.TargetScaling}), accumulated in double.
 *
 * @param kind  {@link Kind#SQUARED_ERROR} or {@link Kind#HUBER}
 * @param delta δ of the Huber loss, finite and &gt; 0 (unused by squared error; 1.0 by default)
 */
public record RegressionLoss(Kind kind, double delta) {
    /** The regression losses, by their recipe names. */
    public enum Kind {
        SQUARED_ERROR("squared-error"), HUBER("huber");

        private final String displayName;

        Kind(String displayName) {
            this.displayName = displayName;
        }

        public String displayName() {
            return displayName;
        }
    }

    /** The default δ of the Huber loss, as PyTorch's. */
    public static final double DEFAULT_DELTA = 1.0;

    public RegressionLoss {
        if (kind == null) {
            throw new IllegalArgumentException("a regression loss needs a kind");
        }
        if (!(delta > 0) || !Double.isFinite(delta)) {
            throw new IllegalArgumentException("huber-delta must be a finite number > 0, got " + delta);
        }
    }

    /** The squared error. */
    public static RegressionLoss squaredError() {
        return new RegressionLoss(Kind.SQUARED_ERROR, DEFAULT_DELTA);
    }

    /** The Huber loss with threshold δ. */
    public static RegressionLoss huber(double delta) {
        return new RegressionLoss(Kind.HUBER, delta);
    }

    /** l(d) of one difference d = o − z. */
    public double loss(double d) {
        if (kind == Kind.SQUARED_ERROR) {
            return d * d;
        }
        double a = Math.abs(d);
        return a < delta ? 0.5 * d * d : delta * (a - 0.5 * delta);
    }

    /** l′(d) of one difference d = o − z. */
    public double derivative(double d) {
        if (kind == Kind.SQUARED_ERROR) {
            return 2 * d;
        }
        return Math.abs(d) < delta ? d : Math.copySign(delta, d);
    }

    /**
     * The mean loss L over the first {@code rows} rows of {@code outputs} (B × K), and, when
     * {@code gradient} is not null, ∂L/∂o into it (same shape). Allocates nothing.
     *
     * @param targets the standardized targets, row-major, at least B·K values
     */
    public double meanLossAndGradient(Matrix outputs, double[] targets, Matrix gradient) {
        int n = outputs.rows() * outputs.cols();
        double scale = 1.0 / n;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double d = outputs.getFlat(i) - targets[i];
            sum += loss(d);
            if (gradient != null) {
                gradient.setFlat(i, derivative(d) * scale);
            }
        }
        return sum * scale;
    }

    /**
     * The weighted mean loss {@code L = (1/(B·K)) Σ_t s_t Σ_k l(d_tk)} over the first B rows of
     * {@code outputs} (B × K): each example's loss multiplied by its weight s_t, the sum divided by
     * B·K as the unweighted mean (not by Σ s_t: the convention of the class weights, Keras's
     * {@code sample_weight}); and, when {@code gradient} is not null, ∂L/∂o_tk = s_t l′(d_tk)/(B·K)
     * into it. Allocates nothing.
     *
     * @param targets the standardized targets, row-major, at least B·K values
     * @param weights the rows' weights, at least B values, each finite and ≥ 0
     */
    public double meanLossAndGradient(Matrix outputs, double[] targets, double[] weights, Matrix gradient) {
        int rows = outputs.rows();
        int k = outputs.cols();
        double scale = 1.0 / ((double) rows * k);
        double sum = 0;
        for (int t = 0; t < rows; t++) {
            double w = weights[t];
            for (int j = t * k, end = j + k; j < end; j++) {
                double d = outputs.getFlat(j) - targets[j];
                sum += w * loss(d);
                if (gradient != null) {
                    gradient.setFlat(j, w * derivative(d) * scale);
                }
            }
        }
        return sum * scale;
    }

    /** The summed loss over every value of {@code outputs} (no gradient): for evaluation in batches. */
    public double sumLoss(Matrix outputs, double[] targets) {
        int n = outputs.rows() * outputs.cols();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += loss(outputs.getFlat(i) - targets[i]);
        }
        return sum;
    }

    /** How recipes and provenance write it: {@code squared-error} or {@code huber}. */
    public String describe() {
        return kind.displayName();
    }
}
