package org.nettricks.optim;

import java.util.List;

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
        return new OptimizerState(parameters, 1);
    }

    @Override
    public boolean step(List<Parameter> parameters, OptimizerState state, double learningRate) {
        state.advance();
        state.constant(0, decay).constant(1, epsilon);
        return state.apply(parameters, learningRate, (s, k, from, to) -> {
            double rate = s.learningRate();
            double decay = s.constant(0);
            double epsilon = s.constant(1);
            Parameter p = s.parameter(k);
            Matrix theta = p.value();
            Matrix grad = p.gradient();
            Matrix updated = p.next();
            Matrix average = s.slot(k, 0);
            double largest = 0;
            for (int i = from; i < to; i++) {
                double g = grad.getFlat(i);
                double gamma = decay * average.getFlat(i) + (1 - decay) * g * g;
                average.setFlat(i, gamma);
                double u = theta.getFlat(i) - rate * g / Math.sqrt(gamma + epsilon);
                updated.setFlat(i, u);
                largest = Math.max(largest, Math.abs(updated.getFlat(i))); // as stored (float32 may overflow)
            }
            return largest;
        });
    }

    @Override
    public String name() {
        return "rmsprop";
    }
}
