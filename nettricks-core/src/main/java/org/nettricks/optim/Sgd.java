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

        /**
         * The rule for float32 tensors in float32 arithmetic (α rounded to float32, as PyTorch
         * does), one pass that the JIT vectorizes. It does not check the results for NaN or
         * infinity, and returns true: the check doubled the cost of a step of per-example SGD, where
         * the update is most of the step. The training loop's divergence guard finds such a value at
         * the next step's loss (a non-finite parameter makes it non-finite) or at the epoch's end,
         * charges it to this step and takes this update back.
         */
        @Override
        boolean update(int k, float[] theta, float[] grad, float[] updated, int from, int to) {
            float alpha = (float) learningRate();
            for (int i = from; i < to; i++) {
                updated[i] = theta[i] - alpha * grad[i];
            }
            return true;
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
