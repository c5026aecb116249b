package org.nettricks.config;

import java.util.Locale;

/** Batch normalization's test-time statistics: a recipe's {@code bn-statistics} key. */
public enum BatchNormStatistics {
    /** A pass over the training set after training (the lecture's choice). */
    FINAL_PASS,
    /** The running averages kept during training. */
    RUNNING;

    /** The name in recipes: {@code final-pass} or {@code running}. */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @Override
    public String toString() {
        return displayName();
    }

    /**
     * Parses {@code final-pass} or {@code running}.
     *
     * @throws RecipeException naming the key {@code bn-statistics} and the allowed names
     */
    public static BatchNormStatistics parse(String text) {
        return Names.parse(BatchNormStatistics.class, BatchNormStatistics::displayName, "bn-statistics", text);
    }
}
