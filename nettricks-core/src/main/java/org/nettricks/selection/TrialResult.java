package org.nettricks.selection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nettricks.evaluation.Metric;

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
 * @param validationErrors the monitored figure after each epoch it ran, epoch 1 first (NaN where
 *                         it was not a number): the validation error by default, what the median
 *                         pruner compares later trials with; empty for a trial that trains nothing (a
 *                         test function), or one read from a results file written before the curves
 *                         were kept
 * @param monitor          the name of the {@link Metric} the search selects on ({@code val-error} by
 *                         default, {@code val-rmse} for regression, or the recipe's {@code monitor})
 * @param monitored        its figure at {@code bestEpoch}: what the ranking orders by, in the
 *                         metric's direction
 */
public record TrialResult(int index, long seed, Map<String, String> values, String status, int bestEpoch,
                          double validationError, double validationLoss, int epochs, double seconds,
                          List<Double> validationErrors, String monitor, double monitored) {
    public TrialResult {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        validationErrors = Collections.unmodifiableList(new ArrayList<>(validationErrors));
        Metric.parse(monitor); // a known metric, or IllegalArgumentException
    }

    /** A trial selected on its validation error, with its per-epoch curve of validation errors. */
    public TrialResult(int index, long seed, Map<String, String> values, String status, int bestEpoch,
                       double validationError, double validationLoss, int epochs, double seconds,
                       List<Double> validationErrors) {
        this(index, seed, values, status, bestEpoch, validationError, validationLoss, epochs, seconds,
                validationErrors, Metric.VAL_ERROR.name(), validationError);
    }

    /** A trial selected on its validation error, without a per-epoch curve. */
    public TrialResult(int index, long seed, Map<String, String> values, String status, int bestEpoch,
                       double validationError, double validationLoss, int epochs, double seconds) {
        this(index, seed, values, status, bestEpoch, validationError, validationLoss, epochs, seconds, List.of());
    }

    /** The metric of {@link #monitor()}. */
    public Metric metric() {
        return Metric.parse(monitor);
    }

    /**
     * The figure strategies rank by, lower better: the monitored figure, negated for a metric to
     * maximize ({@link Metric#cost}); the worst when it is not a number: 1 for the validation error
     * (as before other metrics), +∞ for the others.
     */
    public double objective() {
        Metric m = metric();
        if (m.isError()) {
            return Double.isFinite(monitored) ? monitored : 1.0;
        }
        return Double.isFinite(monitored) ? m.cost(monitored) : Double.POSITIVE_INFINITY;
    }

    /** Whether the monitored figure is a number (a trial that diverged has none). */
    public boolean hasFigure() {
        return Double.isFinite(monitored);
    }
}
