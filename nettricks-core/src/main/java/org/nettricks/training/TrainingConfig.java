package org.nettricks.training;

/**
 * How long and on what batches to train.
 *
 * @param epochs    passes over the training set, ≥ 1
 * @param batchSize examples per mini-batch B, ≥ 1 (B = 1 is per-example SGD; a last, smaller
 *                  batch takes the remainder of the epoch)
 */
public record TrainingConfig(int epochs, int batchSize) {
    public TrainingConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
    }
}
