package org.nettricks.selection;

import java.util.Map;

/** What one trial does with its hyperparameters: train a network, or evaluate a test function. */
public interface Objective {
    /**
     * Runs trial {@code index}. {@code pruning} may be consulted after each epoch to stop early;
     * a trial that trains keeps its per-epoch validation errors in {@link TrialResult#validationErrors()},
     * which later trials are pruned against.
     */
    TrialResult evaluate(int index, long seed, Map<String, String> values, MedianPruner pruning);

    /**
     * Called by {@link Search} once trial {@code index}'s result is in the results file (flushed to
     * disk), so that what the trial kept for its own resumption (its checkpoints) can go; nothing by
     * default.
     */
    default void recorded(int index) {
    }
}
