package org.nettricks.evaluation;

/**
 * Figures of a network on a labelled data set.
 *
 * <p>An example whose output probabilities f(x) are not all finite (a NaN or +∞ among its logits,
 * e.g. from an input that overflows the precision) has no predicted class: it counts as
 * misclassified, is left out of the confusion matrix, and is counted in {@code nonFinite}; the loss
 * is then not finite either. An example whose probabilities are finite has its class (the argmax)
 * and is in the matrix, even when its loss −log f(x)_y is infinite because its true class's
 * probability is 0 in the precision (see {@link Evaluator#infiniteLossRows()}): the loss is then
 * infinite while {@code nonFinite} does not count it.
 *
 * @param size      the number of examples
 * @param loss      mean −log f(x)_y in nats; NaN or infinite when some output is
 * @param error     fraction misclassified (prediction = argmax f(x); no prediction for a
 *                  non-finite output, which counts as an error)
 * @param confusion confusion[true class][predicted class] counts, of the examples with a prediction
 * @param nonFinite examples whose output probabilities are not all finite (counted in {@code error})
 */
public record Evaluation(int size, double loss, double error, int[][] confusion, int nonFinite) {
    /** An evaluation in which every output was finite. */
    public Evaluation(int size, double loss, double error, int[][] confusion) {
        this(size, loss, error, confusion, 0);
    }

    public Evaluation {
        if (nonFinite < 0 || nonFinite > size) {
            throw new IllegalArgumentException("nonFinite must be in [0, " + size + "], got " + nonFinite);
        }
    }

    public double accuracy() {
        return 1.0 - error;
    }

    /** Whether the loss and every output were finite. */
    public boolean finite() {
        return nonFinite == 0 && Double.isFinite(loss);
    }
}
