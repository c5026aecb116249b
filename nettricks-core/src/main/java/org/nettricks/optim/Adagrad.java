package org.nettricks.optim;

import java.util.List;

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
        return new OptimizerState(parameters, 1);
    }

    @Override
    public boolean step(List<Parameter> parameters, OptimizerState state, double learningRate) {
        state.advance();
        state.constant(0, epsilon);
        return state.apply(parameters, learningRate, (s, k, from, to) -> {
            double rate = s.learningRate();
            double epsilon = s.constant(0);
            Parameter p = s.parameter(k);
            Matrix theta = p.value();
            Matrix grad = p.gradient();
            Matrix updated = p.next();
            Matrix sumOfSquares = s.slot(k, 0);
            double largest = 0;
            for (int i = from; i < to; i++) {
                double g = grad.getFlat(i);
                double gamma = sumOfSquares.getFlat(i) + g * g;
                sumOfSquares.setFlat(i, gamma);
                double u = theta.getFlat(i) - rate * g / Math.sqrt(gamma + epsilon);
                updated.setFlat(i, u);
                largest = Math.max(largest, Math.abs(updated.getFlat(i))); // as stored (float32 may overflow)
            }
            return largest;
        });
    }

    @Override
    public String name() {
        return "adagrad";
    }
}
