package org.nettricks.training;

import java.util.List;

/**
 * What a training run did.
 *
 * @param epochs       one report per epoch run
 * @param bestEpoch    with early stopping, the epoch whose parameters were restored; else the last
 * @param stoppedEarly true when early stopping ended the run before the maximum number of epochs
 * @param warnings     what the guards reported (saturation, bouncing loss)
 */
public record TrainingHistory(List<EpochReport> epochs, int bestEpoch, boolean stoppedEarly, List<String> warnings) {
    public TrainingHistory {
        epochs = List.copyOf(epochs);
        warnings = List.copyOf(warnings);
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
