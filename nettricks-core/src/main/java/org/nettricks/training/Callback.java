package org.nettricks.training;

/**
 * Watches a run of the {@link TrainingLoop} (Keras's {@code Callback}): early stopping, the
 * divergence guard, the saturation and bouncing-loss monitors, progress output and batch
 * normalization's final pass are callbacks, so the loop itself stays short.
 *
 * <p>A callback resets its own state in {@link #onTrainBegin}, so one instance may serve several
 * runs one after another. The per-step methods ({@link #onBatchBegin} … {@link #onBatchEnd}) run at
 * every step and must not allocate. A callback that finds training has diverged throws a
 * {@link TrainingDivergedException}, which ends the run: every callback's {@link #onTrainEnd} is
 * still called (early stopping restores its best epoch, the final pass of batch normalization
 * runs), then the exception propagates.
 *
 * <p>Order of a step: {@code onBatchBegin}, forward and loss, {@link #afterForward}, backward,
 * {@link #afterBackward}, the gradient transforms and the optimizer's update,
 * {@link #afterUpdate}, {@link #onBatchEnd}. Callbacks are called in the order they were given.
 */
public interface Callback {
    /** Before the first epoch: reset. */
    default void onTrainBegin(TrainingRun run) {
    }

    /** Before the first batch of an epoch; {@link TrainingRun#learningRate()} is the epoch's. */
    default void onEpochBegin(TrainingRun run) {
    }

    /** Before the forward pass of a step. */
    default void onBatchBegin(TrainingRun run) {
    }

    /** After the forward pass: {@code loss} is the batch's mean loss; no gradient yet. */
    default void afterForward(TrainingRun run, double loss) {
    }

    /** After backward: every parameter holds the gradient of the batch's mean loss (no penalty yet). */
    default void afterBackward(TrainingRun run, double loss) {
    }

    /**
     * After the optimizer's update.
     *
     * @param finite whether every updated value is finite (the optimizer checks in its own pass)
     */
    default void afterUpdate(TrainingRun run, boolean finite) {
    }

    /** At the end of a step. */
    default void onBatchEnd(TrainingRun run, double loss) {
    }

    /** After the epoch's validation pass, with its report. Call {@link TrainingRun#requestStop} to end the run. */
    default void onEpochEnd(TrainingRun run, EpochReport report) {
    }

    /** After the last epoch, or after a divergence before its exception propagates: restore, finish, release. */
    default void onTrainEnd(TrainingRun run) {
    }
}
