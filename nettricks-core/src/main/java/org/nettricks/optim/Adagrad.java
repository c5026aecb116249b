package org.nettricks.optim;

import java.util.List;
import java.util.Map;

import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Matrix;

/**
 * Adagrad (Duchi et al. 2011), as the lecture writes it: each parameter's learning rate is scaled
 * by the square root of the cumulative sum of its squared gradients,
 * <pre>
 * γ(t) = γ(t−1) + ∇(t)²            γ(0) = 0
 * ∇̄(t) = ∇(t) / √(γ(t) + ε)
 * θ ← θ − α ∇̄(t)
 * </pre>
 * Note ε sits inside the square root, as on the slide (PyTorch adds it outside).
 *
 * @param epsilon ε &gt; 0; default {@value #DEFAULT_EPSILON}
 */
public record Adagrad(double epsilon) implements Optimizer {
    public static final double DEFAULT_EPSILON = 1e-8;

    public Adagrad {
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be a finite number > 0, got " + epsilon);
        }
    }

    @Override
    public OptimizerState createState(List<Parameter> parameters) {
        return new State(this, parameters);
    }

    /** The step count and the sum of squared gradients γ of every parameter (PyTorch's {@code sum}). */
    static final class State extends OptimizerState.Elementwise<Adagrad> {
        /** γ(t−1), one per parameter. */
        final Matrix[] sumOfSquares = zerosLike(parameters());

        State(Adagrad rule, List<Parameter> parameters) {
            super(rule, parameters);
        }

        @Override
        double next(int k, int i, double theta, double g) {
            double gamma = sumOfSquares[k].getFlat(i) + g * g;                  // γ(t) = γ(t−1) + ∇(t)²
            sumOfSquares[k].setFlat(i, gamma);
            return theta - learningRate() * g / Math.sqrt(gamma + rule.epsilon); // θ ← θ − α ∇(t) / √(γ(t) + ε)
        }

        /** The rule for float32 tensors in float32 arithmetic, one pass that the JIT vectorizes. */
        @Override
        boolean update(int k, float[] theta, float[] grad, float[] updated, int from, int to) {
            float alpha = (float) learningRate();
            float epsilon = (float) rule.epsilon;
            float[] sum = sumOfSquares[k].floats();
            float largest = 0;
            for (int i = from; i < to; i++) {
                float g = grad[i];
                float gamma = sum[i] + g * g;                                  // γ(t) = γ(t−1) + ∇(t)²
                sum[i] = gamma;
                float u = theta[i] - alpha * g / (float) Math.sqrt(gamma + epsilon); // θ ← θ − α ∇(t) / √(γ(t) + ε)
                updated[i] = u;
                largest = Math.max(largest, Math.abs(u));                      // NaN propagates
            }
            return largest <= Float.MAX_VALUE;
        }

        @Override
        public Map<String, Matrix[]> tensors() {
            return named("sum", sumOfSquares);
        }
    }

    @Override
    public String name() {
        return "adagrad";
    }
}
