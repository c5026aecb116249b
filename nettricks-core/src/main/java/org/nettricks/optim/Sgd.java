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
    public void step(List<Parameter> parameters, OptimizerState state, double learningRate) {
        state.advance();
        for (Parameter p : parameters) {
            Matrix theta = p.value();
            Matrix grad = p.gradient();
            Matrix updated = p.next();
            for (int i = 0; i < theta.size(); i++) {
                updated.setFlat(i, theta.getFlat(i) - learningRate * grad.getFlat(i));
            }
            p.commit();
        }
    }

    @Override
    public String name() {
        return "sgd";
    }
}
