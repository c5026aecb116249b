package org.nettricks.optim;

import java.util.List;

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
        return new OptimizerState(parameters, 0);
    }

    @Override
    public boolean step(List<Parameter> parameters, OptimizerState state, double learningRate) {
        state.advance();
        return state.apply(parameters, learningRate, (s, k, from, to) -> {
            double rate = s.learningRate();
            Parameter p = s.parameter(k);
            Matrix theta = p.value();
            Matrix grad = p.gradient();
            Matrix updated = p.next();
            double largest = 0;
            for (int i = from; i < to; i++) {
                double u = theta.getFlat(i) - rate * grad.getFlat(i);
                updated.setFlat(i, u);
                largest = Math.max(largest, Math.abs(updated.getFlat(i))); // as stored (float32 may overflow)
            }
            return largest;
        });
    }

    @Override
    public String name() {
        return "sgd";
    }
}
