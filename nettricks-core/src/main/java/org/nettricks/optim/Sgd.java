package org.nettricks.optim;

import java.util.List;

import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Backend;

/**
 * Plain stochastic gradient descent, the lecture's update:
 * <pre>
 * Δ = −∇θ (mean regularized loss of the mini-batch)
 * θ ← θ + α Δ
 * </pre>
 * With a batch of one example this is the lecture's per-example SGD.
 *
 * @param learningRate α &gt; 0
 */
public record Sgd(double learningRate) implements Optimizer {
    public Sgd {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a finite number > 0, got " + learningRate);
        }
    }

    @Override
    public OptimizerState createState(List<Parameter> parameters) {
        return new OptimizerState(parameters, 0);
    }

    @Override
    public void step(List<Parameter> parameters, OptimizerState state, Backend backend) {
        for (Parameter p : parameters) {
            backend.axpy(-learningRate, p.gradient(), p.value());
        }
        state.advance();
    }

    @Override
    public String name() {
        return "sgd";
    }
}
