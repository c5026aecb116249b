package org.nettricks.evaluation;

import org.nettricks.data.Dataset;
import org.nettricks.layers.Mode;
import org.nettricks.losses.SoftmaxCrossEntropy;
import org.nettricks.network.Network;
import org.nettricks.tensor.Matrix;
import org.nettricks.data.internal.Batches;

/** Computes loss, error and the confusion matrix of a network on a labelled data set. */
public final class Evaluator {
    /** Batch size for evaluation passes: large enough for efficient GEMMs, small in memory. */
    public static final int DEFAULT_BATCH_SIZE = 1000;

    private final Network network;
    private final Dataset data;
    private final Batches batches;

    public Evaluator(Network network, Dataset data) {
        if (!data.hasLabels()) {
            throw new IllegalArgumentException(data.source() + " has no labels to evaluate against");
        }
        if (data.featureCount() != network.architecture().inputSize()) {
            throw new IllegalArgumentException(data.source() + " has " + data.featureCount()
                    + " features but the network takes " + network.architecture().inputSize());
        }
        this.network = network;
        this.data = data;
        this.batches = new Batches(data, network.precision(), network.architecture().outputSize());
    }

    /**
     * One pass in {@link Mode#EVAL} over the whole data set. An example whose logits are not all
     * finite has no prediction and counts as an error (see {@link Evaluation}).
     */
    public Evaluation evaluate() {
        int n = data.size();
        int classes = network.architecture().outputSize();
        int[][] confusion = new int[classes][classes];
        double sumLoss = 0;
        int errors = 0;
        int nonFinite = 0;
        for (int start = 0; start < n; start += DEFAULT_BATCH_SIZE) {
            int count = Math.min(DEFAULT_BATCH_SIZE, n - start);
            Batches.Buffers b = batches.gather(null, start, count);
            Matrix logits = network.forward(b.inputs, Mode.EVAL);
            sumLoss += SoftmaxCrossEntropy.sumLoss(network.backend(), logits, b.labels, b.predictions);
            for (int i = 0; i < count; i++) {
                if (!rowFinite(logits, i)) { // no class: argmax of a NaN row would say 0
                    nonFinite++;
                    errors++;
                    continue;
                }
                confusion[b.labels[i]][b.predictions[i]]++;
                if (b.labels[i] != b.predictions[i]) {
                    errors++;
                }
            }
        }
        return new Evaluation(n, sumLoss / n, (double) errors / n, confusion, nonFinite);
    }

    /** Whether every value of row {@code r} is finite. */
    static boolean rowFinite(Matrix m, int r) {
        int cols = m.cols();
        for (int j = r * cols, end = j + cols; j < end; j++) {
            if (!Double.isFinite(m.getFlat(j))) {
                return false;
            }
        }
        return true;
    }
}
