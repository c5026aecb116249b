package org.nettricks.selection;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One finished trial, as written to the results file.
 *
 * @param index           the trial's number, from 0
 * @param seed            its seed, derived from the search seed and the index
 * @param values          the searched hyperparameters' values
 * @param status          {@code ok}, {@code pruned} or {@code diverged}
 * @param bestEpoch       the epoch whose parameters the trial kept (early stopping) or its last
 * @param validationError the trial's validation error: what selection minimizes
 * @param validationLoss  the validation loss at that epoch
 * @param seconds         wall time of the trial
 */
public record TrialResult(int index, long seed, Map<String, String> values, String status, int bestEpoch,
                          double validationError, double validationLoss, int epochs, double seconds) {
    public TrialResult {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** The figure strategies rank by: the validation error, 1 (the worst) when it is not a number. */
    public double objective() {
        return Double.isFinite(validationError) ? validationError : 1.0;
    }
}
