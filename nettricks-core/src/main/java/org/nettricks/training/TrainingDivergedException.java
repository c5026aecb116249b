package org.nettricks.training;

import java.util.List;

/**
 * Training met a NaN or an infinity (in the loss, a gradient or a parameter) and stopped at that
 * step. The network holds the parameters of the last good step; nothing non-finite remains in it.
 */
public final class TrainingDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<EpochReport> completedEpochs;
    private final int epoch;
    private final int step;

    TrainingDivergedException(String message, int epoch, int step, List<EpochReport> completedEpochs) {
        super(message);
        this.epoch = epoch;
        this.step = step;
        this.completedEpochs = List.copyOf(completedEpochs);
    }

    /** The epoch (1-based) in which training diverged. */
    public int epoch() {
        return epoch;
    }

    /** The step within that epoch (1-based). */
    public int step() {
        return step;
    }

    /** Reports of the epochs that finished before. */
    public List<EpochReport> completedEpochs() {
        return completedEpochs;
    }
}
