package org.nettricks.optim;

import java.util.List;
import java.util.Map;

import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Matrix;

/**
 * RMSProp (Tieleman &amp; Hinton 2012), as the lecture writes it: Adagrad with an exponential
 * moving average instead of the cumulative sum,
 * <pre>
 * γ(t) = β γ(t−1) + (1 − β) ∇(t)²   γ(0) = 0
 * ∇̄(t) = ∇(t) / √(γ(t) + ε)
 * θ ← θ − α ∇̄(t)
 * </pre>
 * ε sits inside the square root, as on the slide.
 *
 * @param decay   β in [0, 1), the average's decay (flag {@code --beta2}); default {@value #DEFAULT_DECAY}
 * @param epsilon ε &gt; 0; default {@value Adagrad#DEFAULT_EPSILON}
 */
public record RmsProp(double decay, double epsilon) implements Optimizer {
    public static final double DEFAULT_DECAY = 0.9;

    public RmsProp {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("decay (beta2) must be in [0, 1), got " + decay);
        }
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon must be a finite number > 0, got " + epsilon);
        }
    }

    @Override
    public OptimizerState createState(List<Parameter> parameters) {
        return new State(this, parameters);
    }

    /** The step count and the moving average of squared gradients γ of every parameter (PyTorch's {@code square_avg}). */
    static final class State extends OptimizerState.Elementwise<RmsProp> {
        /** γ(t−1), one per parameter. */
        final Matrix[] squareAverage = zerosLike(parameters());

        State(RmsProp rule, List<Parameter> parameters) {
            super(rule, parameters);
        }

        @Override
        double next(int k, int i, double theta, double g) {
            double decay = rule.decay;
            double gamma = decay * squareAverage[k].getFlat(i) + (1 - decay) * g * g; // γ(t) = β γ(t−1) + (1 − β) ∇(t)²
            squareAverage[k].setFlat(i, gamma);
            return theta - learningRate() * g / Math.sqrt(gamma + rule.epsilon);      // θ ← θ − α ∇(t) / √(γ(t) + ε)
        }

        /** The rule for float32 tensors in float32 arithmetic, one pass that the JIT vectorizes. */
        @Override
        boolean update(int k, float[] theta, float[] grad, float[] updated, int from, int to) {
            float alpha = (float) learningRate();
            float decay = (float) rule.decay;
            float epsilon = (float) rule.epsilon;
            float[] average = squareAverage[k].floats();
            float largest = 0;
            for (int i = from; i < to; i++) {
                float g = grad[i];
                float gamma = decay * average[i] + (1 - decay) * g * g;       // γ(t) = β γ(t−1) + (1 − β) ∇(t)²
                average[i] = gamma;
                float u = theta[i] - alpha * g / (float) Math.sqrt(gamma + epsilon); // θ ← θ − α ∇(t) / √(γ(t) + ε)
                updated[i] = u;
                largest = Math.max(largest, Math.abs(u));                      // NaN propagates
            }
            return largest <= Float.MAX_VALUE;
        }

        @Override
        public Map<String, Matrix[]> tensors() {
            return named("square_avg", squareAverage);
        }
    }

    @Override
    public String name() {
        return "rmsprop";
    }
}
