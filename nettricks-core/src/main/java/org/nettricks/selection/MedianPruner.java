package org.nettricks.selection;

import java.util.ArrayList;
import java.util.List;

import org.nettricks.evaluation.Metric;

/**
 * The median stopping rule (as Optuna's MedianPruner and Google Vizier): a trial whose validation
 * error after epoch e is worse than the median of the earlier trials' errors after epoch e is
 * stopped, once at least {@value #MIN_TRIALS} earlier trials have reached epoch e.
 *
 * <p>The earlier trials are fixed when the pruner is made: {@link Search} gives trial i the curves
 * of trials 0 … i − W (W workers), the trials certainly finished before i was proposed whatever the
 * timing. So the decisions depend only on the results file, never on which worker was faster: the
 * same seed gives the same pruned trials, and a resumed search prunes as an uninterrupted one.
 * The figure is the search's monitored metric ({@link TrialResult#monitor()}: the validation error
 * by default, the RMSE for regression); a validation error that is not a number counts as 1 (the
 * worst), another figure that is not a number as the worst of all. Immutable, thread-safe.
 */
public final class MedianPruner {
    /** How many earlier trials must have reached an epoch before a trial is compared there. */
    public static final int MIN_TRIALS = 3;
    private static final MedianPruner OFF = new MedianPruner(false, List.of(), Metric.VAL_ERROR);

    private final boolean enabled;
    private final List<List<Double>> earlier;
    private final Metric metric;

    private MedianPruner(boolean enabled, List<List<Double>> earlier, Metric metric) {
        this.enabled = enabled;
        this.earlier = earlier;
        this.metric = metric;
    }

    /** A pruner that never stops a trial. */
    public static MedianPruner off() {
        return OFF;
    }

    /**
     * A pruner comparing with the per-epoch curves of the monitored figure
     * ({@link TrialResult#validationErrors()}) of {@code earlier}, in the direction of their metric
     * (the trials of one search share it; the validation error when there are none); {@code enabled}
     * false gives {@link #off()}.
     */
    public static MedianPruner of(boolean enabled, List<TrialResult> earlier) {
        if (!enabled) {
            return OFF;
        }
        List<List<Double>> curves = new ArrayList<>();
        for (TrialResult t : earlier) {
            curves.add(t.validationErrors());
        }
        return new MedianPruner(true, List.copyOf(curves), earlier.isEmpty() ? Metric.VAL_ERROR
                : earlier.get(0).metric());
    }

    /**
     * Whether a trial whose monitored figure after {@code epoch} (from 1) is {@code validationError}
     * should stop there: true when at least {@value #MIN_TRIALS} earlier trials reached that epoch
     * and the figure is worse than the median of theirs (above it for a metric to minimize, below it
     * for one to maximize).
     */
    public boolean shouldStop(int epoch, double validationError) {
        if (!enabled || epoch < 1) {
            return false;
        }
        List<Double> seen = new ArrayList<>();
        for (List<Double> curve : earlier) {
            if (curve.size() >= epoch) {
                seen.add(worstIfNaN(curve.get(epoch - 1)));
            }
        }
        if (seen.size() < MIN_TRIALS) {
            return false;
        }
        seen.sort(Double::compare);
        int n = seen.size();
        double median = n % 2 == 1 ? seen.get(n / 2) : (seen.get(n / 2 - 1) + seen.get(n / 2)) / 2;
        return worstIfNaN(validationError) > median;
    }

    /** The figure as a cost, lower better; NaN the worst: 1 for the validation error, +∞ for the others. */
    private double worstIfNaN(double figure) {
        if (metric.isError()) {
            return Double.isNaN(figure) ? 1.0 : figure;
        }
        return metric.cost(figure);
    }
}
