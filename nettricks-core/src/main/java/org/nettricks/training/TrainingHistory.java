package org.nettricks.training;

import java.util.List;

/**
 * What a training run did.
 *
 * @param epochs       one report per epoch run
 * @param bestEpoch    with early stopping, the epoch whose parameters were restored; else the last
 * @param stoppedEarly true when early stopping ended the run before the maximum number of epochs
 * @param warnings     what the guards reported (saturation, bouncing loss)
 * @param initial      the "epoch 0" report of a warm-started run: the figures of the network as it
 *                     started, before any update (see {@link Trainer#reportingEpochZero}); null when
 *                     not asked for. Not in {@code epochs}, whose index is the epoch less one.
 */
public record TrainingHistory(List<EpochReport> epochs, int bestEpoch, boolean stoppedEarly, List<String> warnings,
                              EpochReport initial) {
    public TrainingHistory {
        epochs = List.copyOf(epochs);
        warnings = List.copyOf(warnings);
    }

    /** A history without an epoch-0 report. */
    public TrainingHistory(List<EpochReport> epochs, int bestEpoch, boolean stoppedEarly, List<String> warnings) {
        this(epochs, bestEpoch, stoppedEarly, warnings, null);
    }

    /** This history with {@code initial} as its epoch-0 report. */
    public TrainingHistory withInitial(EpochReport initial) {
        return new TrainingHistory(epochs, bestEpoch, stoppedEarly, warnings, initial);
    }

    public EpochReport last() {
        return epochs.get(epochs.size() - 1);
    }

    /** Total wall time of the training steps. */
    public double trainingSeconds() {
        double s = 0;
        for (EpochReport r : epochs) {
            s += r.seconds();
        }
        return s;
    }
}
