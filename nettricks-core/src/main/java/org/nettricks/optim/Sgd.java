package org.nettricks.optim;

import java.util.List;
import java.util.Map;

import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Matrix;

/**
 * Plain stochastic gradient descent, the lecture's update:
 * <pre>
 * Δ = −∇θ (mean regularized loss of the mini-batch)
 * θ ← θ + α Δ
 * </pre>
 * With a batch of one example this is the lecture's per-example SGD.
 */
public record Sgd() implements Optimizer {

    @Override
    public OptimizerState createState(List<Parameter> parameters) {
        return new State(this, parameters);
    }

    /** SGD keeps no tensors, only the step count. */
    static final class State extends OptimizerState.Elementwise<Sgd> {
        State(Sgd rule, List<Parameter> parameters) {
            super(rule, parameters);
        }

        @Override
        double next(int k, int i, double theta, double g) {
            return theta - learningRate() * g; // θ ← θ − α ∇θ
        }

        @Override
        public Map<String, Matrix[]> tensors() {
            return Map.of();
        }
    }

    @Override
    public String name() {
        return "sgd";
    }
}
