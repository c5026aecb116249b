package org.nettricks.losses;

import org.nettricks.tensor.Backend;
import org.nettricks.tensor.Matrix;

/**
 * The lecture's classification loss: softmax outputs with the negative log-likelihood,
 * <pre>
 * f(x)_c = exp(a_c) / Σ_c' exp(a_c')              a = a(L+1)(x), the logits
 * l(f(x), y) = −Σ_c 1(y=c) log f(x)_c = −log f(x)_y   (natural log: nats)
 * ∇a l = −(e(y) − f(x)) = f(x) − e(y)
 * </pre>
 * computed from the logits with log-sum-exp, so it stays finite for logits of ±1000. Over a
 * mini-batch of B examples the objective is the mean, so the stored gradient is divided by B.
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {
    }

    /**
     * Mean loss over the batch; fills {@code gradLogits} with ∂(mean loss)/∂logits when it is not
     * null, and {@code predictions} with argmax f(x) when it is not null.
     */
    public static double meanLossAndGradient(Backend backend, Matrix logits, int[] labels, Matrix gradLogits,
                                             int[] predictions) {
        int rows = logits.rows();
        double sum = backend.softmaxCrossEntropy(logits, labels, 1.0 / rows, gradLogits, predictions);
        return sum / rows;
    }

    /**
     * The weighted negative log-likelihood: the mean over the batch of w_t · (−log f(x⁽ᵗ⁾)_y⁽ᵗ⁾),
     * <pre>L = (1/B) Σ_t w_t l_t        ∂L/∂a_t = w_t (f(x⁽ᵗ⁾) − e(y⁽ᵗ⁾)) / B</pre>
     * divided by the batch size B, not by Σ w_t (Keras's {@code class_weight}; PyTorch's
     * {@code CrossEntropyLoss(weight=…)} divides by Σ w_t instead): with scikit-learn's balanced
     * weights, whose mean over the training set is 1, the learning rate keeps its meaning.
     *
     * @param weights the weight of each row (length ≥ B); null for the unweighted loss
     */
    public static double meanLossAndGradient(Backend backend, Matrix logits, int[] labels, double[] weights,
                                             Matrix gradLogits, int[] predictions) {
        int rows = logits.rows();
        double sum = backend.softmaxCrossEntropy(logits, labels, weights, 1.0 / rows, gradLogits, predictions);
        return sum / rows;
    }

    /** Sum of the losses over the batch (no gradient), with predictions when not null. */
    public static double sumLoss(Backend backend, Matrix logits, int[] labels, int[] predictions) {
        return backend.softmaxCrossEntropy(logits, labels, 0.0, null, predictions);
    }
}
