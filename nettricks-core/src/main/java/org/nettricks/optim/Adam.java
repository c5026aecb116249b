package org.nettricks.optim;

import java.util.List;

import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * Adam (Kingma &amp; Ba 2015), "essentially RMSProp with momentum", with bias correction:
 * <pre>
 * m(t) = β1 m(t−1) + (1 − β1) ∇(t)        m(0) = 0
 * v(t) = β2 v(t−1) + (1 − β2) ∇(t)²       v(0) = 0
 * m̂ = m(t) / (1 − β1ᵗ)       v̂ = v(t) / (1 − β2ᵗ)
 * θ ← θ − α m̂ / (√v̂ + ε)
 * </pre>
 * (the paper's and PyTorch's form: ε outside the square root).
 *
 * @param beta1   β1 in [0, 1); default {@value #DEFAULT_BETA1}
 * @param beta2   β2 in [0, 1); default {@value #DEFAULT_BETA2}
 * @param epsilon ε &gt; 0; default {@value Adagrad#DEFAULT_EPSILON}
 */
public record Adam(double beta1, double beta2, double epsilon) implements Optimizer {
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;

    public Adam {
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2);
        }
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be a finite number > 0, got " + epsilon);
        }
    }

    @Override
    public OptimizerState createState(List<Parameter> parameters) {
        return new OptimizerState(parameters, 2);
    }

    @Override
    public boolean step(List<Parameter> parameters, OptimizerState state, double learningRate) {
        state.advance();
        long t = state.steps();
        state.constant(0, beta1).constant(1, beta2).constant(2, epsilon).constant(3, 1 / (1 - Math.pow(beta1, t)))
                .constant(4, 1 / (1 - Math.pow(beta2, t)));
        return state.apply(parameters, learningRate, (s, k, from, to) -> {
            Parameter p = s.parameter(k);
            Matrix theta = p.value();
            double rate = s.learningRate();
            double b1 = s.constant(0);
            double b2 = s.constant(1);
            double eps = s.constant(2);
            double inverse1 = s.constant(3);
            double inverse2 = s.constant(4);
            if (theta.precision() == Precision.FLOAT32) {
                return update(theta.floats(), p.gradient().floats(), s.slot(k, 0).floats(), s.slot(k, 1).floats(),
                        p.next().floats(), from, to, (float) rate, (float) b1, (float) b2, (float) eps,
                        (float) inverse1, (float) inverse2);
            }
            return update(theta.doubles(), p.gradient().doubles(), s.slot(k, 0).doubles(), s.slot(k, 1).doubles(),
                    p.next().doubles(), from, to, rate, b1, b2, eps, inverse1, inverse2);
        });
    }

    /**
     * The rule above for elements [from, to) of one float32 tensor, in one pass that the JIT
     * vectorizes; returns the largest |updated value| (NaN if one is NaN).
     */
    private static float update(float[] theta, float[] grad, float[] m, float[] v, float[] updated, int from, int to,
                                float alpha, float b1, float b2, float eps, float inverseCorrection1,
                                float inverseCorrection2) {
        float largest = 0;
        for (int i = from; i < to; i++) {
            float g = grad[i];
            float mi = b1 * m[i] + (1 - b1) * g;
            float vi = b2 * v[i] + (1 - b2) * g * g;
            m[i] = mi;
            v[i] = vi;
            float mHat = mi * inverseCorrection1;
            float vHat = vi * inverseCorrection2;
            float u = theta[i] - alpha * mHat / ((float) Math.sqrt(vHat) + eps);
            updated[i] = u;
            largest = Math.max(largest, Math.abs(u));
        }
        return largest;
    }

    /** The rule above for elements [from, to) of one float64 tensor. */
    private static double update(double[] theta, double[] grad, double[] m, double[] v, double[] updated, int from,
                                 int to, double alpha, double b1, double b2, double eps, double inverseCorrection1,
                                 double inverseCorrection2) {
        double largest = 0;
        for (int i = from; i < to; i++) {
            double g = grad[i];
            double mi = b1 * m[i] + (1 - b1) * g;
            double vi = b2 * v[i] + (1 - b2) * g * g;
            m[i] = mi;
            v[i] = vi;
            double mHat = mi * inverseCorrection1;
            double vHat = vi * inverseCorrection2;
            double u = theta[i] - alpha * mHat / (Math.sqrt(vHat) + eps);
            updated[i] = u;
            largest = Math.max(largest, Math.abs(u));
        }
        return largest;
    }

    @Override
    public String name() {
        return "adam";
    }
}
