package org.nettricks.training;

/** Callbacks from a training run, for progress output and (later) diagnostics. */
public interface TrainingListener {
    /** A listener that does nothing. */
    TrainingListener NONE = new TrainingListener() {
    };

    /** Called before the first batch of an epoch. */
    default void onEpochStart(int epoch, int batches) {
    }

    /** Called after each optimizer step. */
    default void onBatchEnd(int epoch, int batch, int batches, double batchLoss) {
    }

    /** Called after the epoch's validation pass. */
    default void onEpochEnd(EpochReport report) {
    }

    /**
     * Called after each epoch of unsupervised pre-training of hidden layer {@code layer} (0-based),
     * with the mean reconstruction error on the training and validation inputs.
     */
    default void onPretrainingEpoch(int layer, int epoch, double trainReconstruction, double validationReconstruction,
                                    double seconds) {
    }

    /** Asked after each epoch's report: true ends training there (like early stopping, without restoring). */
    default boolean stopRequested() {
        return false;
    }

    /** Called once per kind of problem the training guards detect (saturation, bouncing loss). */
    default void onWarning(String message) {
    }
}
