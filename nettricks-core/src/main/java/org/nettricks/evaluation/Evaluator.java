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
    /** Where the pass under way writes the probabilities, or null. */
    private Matrix probabilitiesOut;

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
     * One pass in {@link Mode#EVAL} over the whole data set. An example whose output probabilities
     * f(x) are not all finite has no prediction and counts as an error (see {@link Evaluation}); an
     * example whose probabilities are finite has its class (the argmax), even when its loss
     * −log f(x)_y is infinite because f(x)_y is 0 in the precision (a logit of −∞, or logits further
     * apart than the precision's range).
     */
    public Evaluation evaluate() {
        return evaluate(null);
    }

    /**
     * As {@link #evaluate()}, also writing each example's probabilities f(x) = softmax(logits), as
     * {@link Network#probabilities} computes them (the backend's softmax in the network's
     * precision), into row i of {@code probabilities}: one pass gives both.
     *
     * @param probabilities size × classes, in the network's precision; null for none
     * @throws IllegalArgumentException when {@code probabilities} has another shape or precision
     */
    public Evaluation evaluate(Matrix probabilities) {
        int n = data.size();
        if (probabilities != null && (probabilities.rows() != n
                || probabilities.cols() != network.architecture().outputSize()
                || probabilities.precision() != network.precision())) {
            throw new IllegalArgumentException("probabilities must be " + n + " x " + network.architecture().outputSize()
                    + " in " + network.precision() + ", got " + probabilities.rows() + " x " + probabilities.cols()
                    + " in " + probabilities.precision());
        }
        probabilitiesOut = probabilities;
        int classes = network.architecture().outputSize();
        int[][] confusion = new int[classes][classes];
        int[] errors = {0};
        int[] nonFinite = {0};
        double sumLoss = pass((b, logits, i, loss) -> {
            if (!hasClass(logits, i)) { // no class: argmax of a NaN row would say 0
                nonFinite[0]++;
                errors[0]++;
                return;
            }
            confusion[b.labels[i]][b.predictions[i]]++;
            if (b.labels[i] != b.predictions[i]) {
                errors[0]++;
            }
        });
        probabilitiesOut = null;
        return new Evaluation(n, sumLoss / n, (double) errors[0] / n, confusion, nonFinite[0]);
    }

    /**
     * The examples (0-based, in order) whose output probabilities are finite, so that they have a
     * class, but whose loss −log f(x)_y is infinite: the true class's probability is 0 in the
     * precision. One such example makes the {@linkplain Evaluation#loss() mean loss} infinite.
     */
    public int[] infiniteLossRows() {
        int[] rows = new int[data.size()];
        int[] k = {0};
        pass((b, logits, i, loss) -> {
            if (hasClass(logits, i) && !Double.isFinite(loss)) {
                rows[k[0]++] = b.start + i;
            }
        });
        return java.util.Arrays.copyOf(rows, k[0]);
    }

    /** What a pass does with example {@code i} of a batch: its logits' row and its loss in nats. */
    private interface RowVisitor {
        void visit(BatchRef b, Matrix logits, int i, double loss);
    }

    /** A batch's labels, argmax predictions and first example's index. */
    private static final class BatchRef {
        int[] labels;
        int[] predictions;
        int start;
    }

    /** Visits every example; returns the sum of the losses as the backend computes it. */
    private double pass(RowVisitor visitor) {
        int n = data.size();
        BatchRef ref = new BatchRef();
        double sumLoss = 0;
        for (int start = 0; start < n; start += DEFAULT_BATCH_SIZE) {
            int count = Math.min(DEFAULT_BATCH_SIZE, n - start);
            Batches.Buffers b = batches.gather(null, start, count);
            Matrix logits = network.forward(b.inputs, Mode.EVAL);
            sumLoss += SoftmaxCrossEntropy.sumLoss(network.backend(), logits, b.labels, b.predictions);
            if (probabilitiesOut != null) {
                Matrix p = Matrix.zeros(count, logits.cols(), network.precision());
                network.backend().softmax(logits, p);
                int cols = logits.cols();
                for (int i = 0; i < count * cols; i++) {
                    probabilitiesOut.setFlat(start * cols + i, p.getFlat(i));
                }
            }
            ref.labels = b.labels;
            ref.predictions = b.predictions;
            ref.start = start;
            for (int i = 0; i < count; i++) {
                visitor.visit(ref, logits, i, rowLoss(logits, i, b.labels[i]));
            }
        }
        return sumLoss;
    }

    /** −log softmax(row r)_y in nats, in double as the loss is summed: logsumexp(row) − row_y. */
    private static double rowLoss(Matrix logits, int r, int y) {
        int cols = logits.cols();
        int off = r * cols;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) {
            max = Math.max(max, logits.getFlat(off + j));
        }
        double sum = 0;
        for (int j = 0; j < cols; j++) {
            sum += Math.exp(logits.getFlat(off + j) - max);
        }
        return max + Math.log(sum) - logits.getFlat(off + y);
    }

    /**
     * Whether row {@code r} of logits gives finite probabilities softmax(row), so a class: no NaN,
     * no +∞, and at least one finite value (a logit of −∞ is a probability of 0).
     */
    static boolean hasClass(Matrix logits, int r) {
        int cols = logits.cols();
        boolean anyFinite = false;
        for (int j = r * cols, end = j + cols; j < end; j++) {
            double v = logits.getFlat(j);
            if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
                return false;
            }
            anyFinite |= v != Double.NEGATIVE_INFINITY;
        }
        return anyFinite;
    }
}
