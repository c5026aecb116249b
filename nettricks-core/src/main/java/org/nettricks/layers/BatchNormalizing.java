package org.nettricks.layers;

import org.nettricks.tensor.Matrix;

/**
 * A layer that batch-normalizes some of its values and keeps their population statistics in buffers:
 * what the lecture's final phase of batch normalization fills in after training ("propagate all
 * training data to that layer, compute and store the global mean and variance of each unit").
 */
public interface BatchNormalizing extends Layer {
    /** Whether this layer normalizes at all (a dense block may be built without batch normalization). */
    boolean normalizes();

    /**
     * The values this layer normalizes for an input batch, computed without touching its statistics
     * or the cache of its last forward: W h for a dense block, the input itself for {@link BatchNorm}.
     * A workspace valid until the next call with the same batch size.
     */
    Matrix valuesToNormalize(Matrix input);

    /** The population mean buffer, 1 × units. */
    Buffer runningMean();

    /** The population variance buffer, 1 × units. */
    Buffer runningVariance();
}
