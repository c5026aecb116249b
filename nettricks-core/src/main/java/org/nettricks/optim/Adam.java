package org.nettricks.optim;

import java.util.List;
import java.util.Map;

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
        return new State(this, parameters);
    }

    /**
     * Adam's state (optax's {@code ScaleByAdamState(count, mu, nu)}): the step count t and the
     * first and second moment estimates m and v of every parameter (PyTorch's {@code exp_avg} and
     * {@code exp_avg_sq}).
     */
    static final class State extends OptimizerState {
        private final Adam rule;
        /** m(t), one per parameter. */
        final Matrix[] firstMoment = zerosLike(parameters());
        /** v(t), one per parameter. */
        final Matrix[] secondMoment = zerosLike(parameters());
        /** 1 / (1 − β1ᵗ) and 1 / (1 − β2ᵗ) of the step in progress. */
        double inverseCorrection1;
        double inverseCorrection2;

        State(Adam rule, List<Parameter> parameters) {
            super(rule, parameters);
            this.rule = rule;
        }

        @Override
        protected void prepare(long t) {
            inverseCorrection1 = 1 / (1 - Math.pow(rule.beta1, t)); // m̂ = m(t) / (1 − β1ᵗ)
            inverseCorrection2 = 1 / (1 - Math.pow(rule.beta2, t)); // v̂ = v(t) / (1 − β2ᵗ)
        }

        @Override
        public Map<String, Matrix[]> tensors() {
            return named("exp_avg", firstMoment, "exp_avg_sq", secondMoment);
        }

        @Override
        protected boolean update(int k, int from, int to) {
            Parameter p = parameter(k);
            Matrix theta = p.value();
            if (theta.precision() == Precision.FLOAT32) {
                return Adam.update(theta.floats(), p.gradient().floats(), firstMoment[k].floats(),
                        secondMoment[k].floats(), updated(k).floats(), from, to, (float) learningRate(),
                        (float) rule.beta1, (float) rule.beta2, (float) rule.epsilon, (float) inverseCorrection1,
                        (float) inverseCorrection2);
            }
            return Adam.update(theta.doubles(), p.gradient().doubles(), firstMoment[k].doubles(),
                    secondMoment[k].doubles(), updated(k).doubles(), from, to, learningRate(), rule.beta1, rule.beta2,
                    rule.epsilon, inverseCorrection1, inverseCorrection2);
        }
    }

    /**
     * The rule above for elements [from, to) of one float32 tensor, in one pass that the JIT
     * vectorizes; returns whether every updated value is finite.
     */
    private static boolean update(float[] theta, float[] grad, float[] m, float[] v, float[] updated, int from, int to,
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
            largest = Math.max(largest, Math.abs(u)); // a max reduction the JIT vectorizes; NaN propagates
        }
        return largest <= Float.MAX_VALUE;
    }

    /** The rule above for elements [from, to) of one float64 tensor. */
    private static boolean update(double[] theta, double[] grad, double[] m, double[] v, double[] updated, int from,
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
        return largest <= Double.MAX_VALUE;
    }

    @Override
    public String name() {
        return "adam";
    }
}
