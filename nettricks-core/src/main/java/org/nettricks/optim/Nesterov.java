package org.nettricks.optim;

import java.util.List;
import java.util.Map;

import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Matrix;

/**
 * Nesterov's accelerated gradient in the form of Sutskever et al. (2013) and PyTorch's
 * {@code SGD(nesterov=True)}: the step looks ahead along the updated average,
 * <pre>
 * ∇̄(t) = ∇(t) + β ∇̄(t−1)        ∇̄(0) = 0
 * θ ← θ − α (∇(t) + β ∇̄(t))
 * </pre>
 *
 * @param momentum β in [0, 1); default {@value Momentum#DEFAULT_MOMENTUM}
 */
public record Nesterov(double momentum) implements Optimizer {
    public Nesterov {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
    }

    @Override
    public OptimizerState createState(List<Parameter> parameters) {
        return new State(this, parameters);
    }

    /** The step count and the averaged gradient ∇̄ of every parameter (PyTorch's {@code momentum_buffer}). */
    static final class State extends OptimizerState.Elementwise<Nesterov> {
        /** ∇̄(t−1), one per parameter. */
        final Matrix[] averagedGradient = zerosLike(parameters());

        State(Nesterov rule, List<Parameter> parameters) {
            super(rule, parameters);
        }

        @Override
        double next(int k, int i, double theta, double g) {
            double beta = rule.momentum;
            double averaged = g + beta * averagedGradient[k].getFlat(i); // ∇̄(t) = ∇(t) + β ∇̄(t−1)
            averagedGradient[k].setFlat(i, averaged);
            return theta - learningRate() * (g + beta * averaged);       // θ ← θ − α (∇(t) + β ∇̄(t))
        }

        /** The rule for float32 tensors in float32 arithmetic, one pass that the JIT vectorizes. */
        @Override
        boolean update(int k, float[] theta, float[] grad, float[] updated, int from, int to) {
            float alpha = (float) learningRate();
            float beta = (float) rule.momentum;
            float[] velocity = averagedGradient[k].floats();
            float largest = 0;
            for (int i = from; i < to; i++) {
                float g = grad[i];
                float averaged = g + beta * velocity[i];      // ∇̄(t) = ∇(t) + β ∇̄(t−1)
                velocity[i] = averaged;
                float u = theta[i] - alpha * (g + beta * averaged); // θ ← θ − α (∇(t) + β ∇̄(t))
                updated[i] = u;
                largest = Math.max(largest, Math.abs(u));     // NaN propagates
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
        return "nesterov";
    }
}
