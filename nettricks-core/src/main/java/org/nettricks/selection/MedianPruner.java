package org.nettricks.selection;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The median stopping rule (as Optuna's MedianPruner and Google Vizier): a trial whose validation
 * error after epoch e is worse than the median of the other trials' errors after epoch e is stopped,
 * once at least {@value #MIN_TRIALS} trials have reported that epoch. Thread-safe.
 */
public final class MedianPruner {
    public static final int MIN_TRIALS = 3;
    private final boolean enabled;
    private final Map<Integer, List<Double>> byEpoch = new HashMap<>();

    public MedianPruner(boolean enabled) {
        this.enabled = enabled;
    }

    /** Records a trial's validation error after an epoch; returns true when the trial should stop. */
    public synchronized boolean report(int epoch, double validationError) {
        List<Double> seen = byEpoch.computeIfAbsent(epoch, e -> new ArrayList<>());
        boolean prune = false;
        if (enabled && seen.size() >= MIN_TRIALS) {
            List<Double> sorted = new ArrayList<>(seen);
            sorted.sort(Double::compare);
            int n = sorted.size();
            double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
            prune = validationError > median;
        }
        seen.add(validationError);
        return prune;
    }
}
