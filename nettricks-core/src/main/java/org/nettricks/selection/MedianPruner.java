package org.nettricks.selection;

import java.util.ArrayList;
import java.util.List;

/**
 * The median stopping rule (as Optuna's MedianPruner and Google Vizier): a trial whose validation
 * error after epoch e is worse than the median of the earlier trials' errors after epoch e is
 * stopped, once at least {@value #MIN_TRIALS} earlier trials have reached epoch e.
 *
 * <p>The earlier trials are fixed when the pruner is made: {@link Search} gives trial i the curves
 * of trials 0 … i − W (W workers), the trials certainly finished before i was proposed whatever the
 * timing. So the decisions depend only on the results file, never on which worker was faster: the
 * same seed gives the same pruned trials, and a resumed search prunes as an uninterrupted one.
 * A validation error that is not a number counts as 1 (the worst). Immutable, thread-safe.
 */
public final class MedianPruner {
    /** How many earlier trials must have reached an epoch before a trial is compared there. */
    public static final int MIN_TRIALS = 3;
    private static final MedianPruner OFF = new MedianPruner(false, List.of());

    private final boolean enabled;
    private final List<List<Double>> earlier;

    private MedianPruner(boolean enabled, List<List<Double>> earlier) {
        this.enabled = enabled;
        this.earlier = earlier;
    }

    /** A pruner that never stops a trial. */
    public static MedianPruner off() {
        return OFF;
    }

    /**
     * A pruner comparing with the per-epoch validation errors ({@link TrialResult#validationErrors()})
     * of {@code earlier}; {@code enabled} false gives {@link #off()}.
     */
    public static MedianPruner of(boolean enabled, List<TrialResult> earlier) {
        if (!enabled) {
            return OFF;
        }
        List<List<Double>> curves = new ArrayList<>();
        for (TrialResult t : earlier) {
            curves.add(t.validationErrors());
        }
        return new MedianPruner(true, List.copyOf(curves));
    }

    /**
     * Whether a trial whose validation error after {@code epoch} (from 1) is {@code validationError}
     * should stop there: true when at least {@value #MIN_TRIALS} earlier trials reached that epoch
     * and the error is above the median of theirs.
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

    private static double worstIfNaN(double error) {
        return Double.isNaN(error) ? 1.0 : error;
    }
}
