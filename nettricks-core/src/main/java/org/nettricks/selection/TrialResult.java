package org.nettricks.selection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One finished trial, as written to the results file.
 *
 * @param index            the trial's number, from 0
 * @param seed             its seed, derived from the search seed and the index
 * @param values           the searched hyperparameters' values
 * @param status           {@code ok}, {@code pruned} or {@code diverged}
 * @param bestEpoch        the epoch whose parameters the trial kept (early stopping) or its last
 * @param validationError  the trial's validation error: what selection minimizes
 * @param validationLoss   the validation loss at that epoch
 * @param epochs           the epochs the trial ran
 * @param seconds          wall time of the trial
 * @param validationErrors the validation error after each epoch it ran, epoch 1 first (NaN where
 *                         it was not a number): what the median pruner compares later trials with;
 *                         empty for a trial that trains nothing (a test function), or one read from
 *                         a results file written before the curves were kept
 */
public record TrialResult(int index, long seed, Map<String, String> values, String status, int bestEpoch,
                          double validationError, double validationLoss, int epochs, double seconds,
                          List<Double> validationErrors) {
    public TrialResult {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        validationErrors = Collections.unmodifiableList(new ArrayList<>(validationErrors));
    }

    /** A trial without a per-epoch curve. */
    public TrialResult(int index, long seed, Map<String, String> values, String status, int bestEpoch,
                       double validationError, double validationLoss, int epochs, double seconds) {
        this(index, seed, values, status, bestEpoch, validationError, validationLoss, epochs, seconds, List.of());
    }

    /** The figure strategies rank by: the validation error, 1 (the worst) when it is not a number. */
    public double objective() {
        return Double.isFinite(validationError) ? validationError : 1.0;
    }
}
