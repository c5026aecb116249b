package org.nettricks.training;

import java.util.List;

/**
 * Training met a NaN or an infinity (in the loss, a gradient or a parameter), or an exploding loss,
 * and stopped at that step. The run then ended as any run ends (every callback's
 * {@link Callback#onTrainEnd}): with early stopping, the network holds the parameters of the best
 * epoch ({@link #keptEpoch()}); without it, or before a first epoch finished, those of the last good
 * step. Batch normalization's final pass has run on those parameters. The guard leaves no
 * non-finite parameter; the population statistics of the final pass may still overflow the
 * precision (the model file's writer refuses such a model).
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<EpochReport> completedEpochs;
    private final int epoch;
    private final int step;
    private final int keptEpoch;

    TrainingDivergedException(String message, int epoch, int step, List<EpochReport> completedEpochs) {
        this(message, epoch, step, completedEpochs, 0);
    }

    private TrainingDivergedException(String message, int epoch, int step, List<EpochReport> completedEpochs,
                                      int keptEpoch) {
        super(message);
        this.epoch = epoch;
        this.step = step;
        this.completedEpochs = List.copyOf(completedEpochs);
        this.keptEpoch = keptEpoch;
    }

    /**
     * The same divergence, after early stopping restored the parameters of epoch {@code kept} (≥ 1),
     * whose report is {@code best}: the message says so instead of "the last good step".
     */
    TrainingDivergedException restoredTo(int kept, EpochReport best) {
        String message = getMessage().replace(LAST_GOOD_STEP, String.format(java.util.Locale.ROOT,
                "early stopping restored the parameters of its best epoch, %d (validation error %.2f%%, loss %.4f)",
                kept, 100 * best.validationError(), best.validationLoss()));
        return new TrainingDivergedException(message, epoch, step, completedEpochs, kept);
    }

    /** How the guard's message ends when the parameters of the last good step are kept. */
    static final String LAST_GOOD_STEP = "the parameters of the last good step are kept";

    /** The epoch (1-based) in which training diverged. */
    public int epoch() {
        return epoch;
    }

    /** The step within that epoch (1-based). */
    public int step() {
        return step;
    }

    /**
     * The epoch (1-based) whose parameters early stopping restored, or 0 when the network holds those
     * of the last good step (no early stopping, or no epoch finished before the divergence).
     */
    public int keptEpoch() {
        return keptEpoch;
    }

    /** Reports of the epochs that finished before. */
    public List<EpochReport> completedEpochs() {
        return completedEpochs;
    }
}
