package org.nettricks.optim;

import java.util.List;

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
        return new OptimizerState(parameters, 1);
    }

    @Override
    public boolean step(List<Parameter> parameters, OptimizerState state, double learningRate) {
        state.advance();
        state.constant(0, momentum);
        return state.apply(parameters, learningRate, (s, k, from, to) -> {
            double rate = s.learningRate();
            double momentum = s.constant(0);
            Parameter p = s.parameter(k);
            Matrix theta = p.value();
            Matrix grad = p.gradient();
            Matrix updated = p.next();
            Matrix average = s.slot(k, 0);
            double largest = 0;
            for (int i = from; i < to; i++) {
                double g = grad.getFlat(i) + momentum * average.getFlat(i);
                average.setFlat(i, g);
                double u = theta.getFlat(i) - rate * g;
                updated.setFlat(i, u);
                largest = Math.max(largest, Math.abs(updated.getFlat(i))); // as stored (float32 may overflow)
            }
            return largest;
        });
    }

    @Override
    public String name() {
        return "momentum";
    }
}
