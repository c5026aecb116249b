package org.nettricks.evaluation;

/**
 * Figures of a network on a labelled data set.
 *
 * @param loss      mean −log f(x)_y in nats
 * @param error     fraction misclassified (prediction = argmax f(x))
 * @param confusion confusion[true class][predicted class] counts
 */
public record Evaluation(int size, double loss, double error, int[][] confusion) {
    public double accuracy() {
        return 1.0 - error;
    }
}
