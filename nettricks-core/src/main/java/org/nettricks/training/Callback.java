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
 *
 * <p>Checkpoints: a callback whose state changes what the run does or reports (early stopping's
 * best epoch, the divergence guard's first loss, a monitor's warned-once flag) writes it in
 * {@link #saveState} and reads it back in {@link #restoreState}, so that a run resumed from a
 * checkpoint continues as the uninterrupted run would. A run resumed in the middle of an epoch
 * calls {@link #onEpochBegin} again for that epoch.
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

    /**
     * Writes this callback's state into a checkpoint, under its own scope (tensors by reference:
     * the checkpoint is written before training goes on); nothing by default.
     */
    default void saveState(TrainingState state) {
    }

    /**
     * Reads back what {@link #saveState} wrote, after {@link #onTrainBegin}, when a run resumes
     * from a checkpoint; nothing by default.
     *
     * @throws org.nettricks.InvalidInputException when an entry is missing or does not fit
     */
    default void restoreState(TrainingState state, TrainingRun run) {
    }
}
