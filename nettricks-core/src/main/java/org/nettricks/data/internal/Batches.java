package org.nettricks.data.internal;

import org.nettricks.data.Dataset;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.internal.PerBatchSize;
import org.nettricks.tensor.Precision;

/**
 * Gathers examples into mini-batch matrices, reusing one buffer set per batch size so that a
 * training step allocates nothing.
 */
public final class Batches {
    private final Dataset data;
    private final Precision precision;
    private final int classes;
    private final PerBatchSize<Buffers> buffers;

    /** The matrices of one batch (the regression targets, for data with {@link Dataset#targets()}). */
    public static final class Buffers {
        /** The examples, one per row: B × features. */
        public final Matrix inputs;
        /** Class indices, B of them. */
        public final int[] labels;
        /** Filled by the loss: the predicted class of each row. */
        public final int[] predictions;
        /** Filled by the loss: ∂L/∂logits, B × classes. */
        public final Matrix gradLogits;
        /** Regression: the targets of the rows, row-major B × K (K = the outputs); empty for classification. */
        public final double[] targets;
        /** The rows' example weights (data with {@link Dataset#weights()}); empty otherwise. */
        public final double[] weights;

        Buffers(int rows, int features, int classes, Precision precision, boolean regression, boolean weighted) {
            inputs = Matrix.zeros(rows, features, precision);
            weights = new double[weighted ? rows : 0];
            targets = new double[regression ? rows * classes : 0];
            labels = new int[rows];
            predictions = new int[rows];
            gradLogits = Matrix.zeros(rows, classes, precision);
        }
    }

    public Batches(Dataset data, Precision precision, int classes) {
        this.data = data;
        this.precision = precision;
        this.classes = classes;
        this.buffers = new PerBatchSize<>(rows -> new Buffers(rows, data.featureCount(), classes, precision,
                data.hasTargets(), data.hasWeights()));
        if (data.hasTargets() && data.targetCount() != classes) {
            throw new IllegalArgumentException(data.source() + " has " + data.targetCount() + " targets but the network"
                    + " has " + classes + " outputs");
        }
    }

    /** Copies examples order[start .. start+count) into the buffers for {@code count} rows. */
    public Buffers gather(int[] order, int start, int count) {
        Buffers b = buffers.get(count);
        int d = data.featureCount();
        float[] x = data.features();
        boolean labelled = data.hasLabels();
        int[] y = labelled ? data.labels() : null;
        if (precision == Precision.FLOAT32) {
            float[] dst = b.inputs.floats();
            for (int i = 0; i < count; i++) {
                int ex = order == null ? start + i : order[start + i];
                System.arraycopy(x, ex * d, dst, i * d, d);
                b.labels[i] = labelled ? y[ex] : 0;
            }
        } else {
            double[] dst = b.inputs.doubles();
            for (int i = 0; i < count; i++) {
                int ex = order == null ? start + i : order[start + i];
                for (int j = 0; j < d; j++) {
                    dst[i * d + j] = x[ex * d + j];
                }
                b.labels[i] = labelled ? y[ex] : 0;
            }
        }
        if (data.hasTargets()) {
            double[] t = data.targets();
            int k = classes;
            for (int i = 0; i < count; i++) {
                int ex = order == null ? start + i : order[start + i];
                System.arraycopy(t, ex * k, b.targets, i * k, k);
            }
        }
        if (data.hasWeights()) {
            double[] w = data.weights();
            for (int i = 0; i < count; i++) {
                b.weights[i] = w[order == null ? start + i : order[start + i]];
            }
        }
        return b;
    }
}
