package org.nettricks.optim;

import java.util.List;
import java.util.Map;

import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Matrix;

/**
 * SGD with momentum, exactly as the lecture writes it: an exponential average of past gradients,
 * <pre>
 * ∇̄(t) = ∇(t) + β ∇̄(t−1)        ∇̄(0) = 0
 * θ ← θ − α ∇̄(t)
 * </pre>
 * (PyTorch's {@code SGD(momentum=β, dampening=0)}). With β = 0 it is plain SGD.
 *
 * @param momentum β in [0, 1); default {@value #DEFAULT_MOMENTUM}
 */
public record Momentum(double momentum) implements Optimizer {
    public static final double DEFAULT_MOMENTUM = 0.9;

    public Momentum {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
    }

    @Override
    public OptimizerState createState(List<Parameter> parameters) {
        return new State(this, parameters);
    }

    /** The step count and the averaged gradient ∇̄ of every parameter (PyTorch's {@code momentum_buffer}). */
    static final class State extends OptimizerState.Elementwise<Momentum> {
        /** ∇̄(t−1), one per parameter. */
        final Matrix[] averagedGradient = zerosLike(parameters());

        State(Momentum rule, List<Parameter> parameters) {
            super(rule, parameters);
        }

        @Override
        double next(int k, int i, double theta, double g) {
            double averaged = g + rule.momentum * averagedGradient[k].getFlat(i); // ∇̄(t) = ∇(t) + β ∇̄(t−1)
            averagedGradient[k].setFlat(i, averaged);
            return theta - learningRate() * averaged;                            // θ ← θ − α ∇̄(t)
        }

        /** The rule for float32 tensors in float32 arithmetic, one pass that the JIT vectorizes. */
        @Override
        boolean update(int k, float[] theta, float[] grad, float[] updated, int from, int to) {
            float alpha = (float) learningRate();
            float beta = (float) rule.momentum;
            float[] velocity = averagedGradient[k].floats();
            float largest = 0;
            for (int i = from; i < to; i++) {
                float averaged = grad[i] + beta * velocity[i]; // ∇̄(t) = ∇(t) + β ∇̄(t−1)
                velocity[i] = averaged;
                float u = theta[i] - alpha * averaged;         // θ ← θ − α ∇̄(t)
                updated[i] = u;
                largest = Math.max(largest, Math.abs(u));      // NaN propagates
            }
            return largest <= Float.MAX_VALUE;
        }

        @Override
        public Map<String, Matrix[]> tensors() {
            return named("momentum_buffer", averagedGradient);
        }
    }

    @Override
    public String name() {
        return "momentum";
    }
}
