package org.nettricks.selection;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class MedianPrunerTest {
    private static TrialResult curve(int index, Double... errors) {
        return new TrialResult(index, 0, Map.of(), "ok", errors.length, errors[errors.length - 1], 0, errors.length, 0,
                List.of(errors));
    }

    @Test
    void stopsATrialWorseThanTheMedianOfEarlierTrialsAtTheSameEpoch() {
        // epoch 1: 0.30, 0.20, 0.25, 0.50 (sorted 0.20 0.25 0.30 0.50, median 0.275);
        // epoch 2: 0.20, 0.10, 0.40, 0.16 (median (0.16 + 0.20) / 2 = 0.18); epoch 3: only two trials got there
        MedianPruner pruner = MedianPruner.of(true, List.of(curve(0, 0.30, 0.20, 0.15), curve(1, 0.20, 0.10),
                curve(2, 0.25, 0.40, 0.35), curve(3, 0.50, 0.16)));
        assertFalse(pruner.shouldStop(1, 0.25));
        assertTrue(pruner.shouldStop(1, 0.28), "worse than the median 0.275");
        assertFalse(pruner.shouldStop(1, 0.27));
        assertTrue(pruner.shouldStop(2, 0.19), "worse than 0.18");
        assertFalse(pruner.shouldStop(2, 0.18));
        assertTrue(pruner.shouldStop(2, Double.NaN), "not a number counts as the worst");
        assertFalse(pruner.shouldStop(3, 0.99), "only two earlier trials reached epoch 3 (fewer than 3)");
        assertFalse(MedianPruner.of(true, List.of(curve(0, 0.1), curve(1, 0.1))).shouldStop(1, 0.9),
                "fewer than MIN_TRIALS earlier trials: never");
    }

    @Test
    void anEarlierTrialWhoseErrorWasNotANumberCountsAsTheWorst() {
        // epoch 1: NaN (→ 1), 0.2, 0.4: median 0.4
        MedianPruner pruner = MedianPruner.of(true, List.of(curve(0, Double.NaN), curve(1, 0.2), curve(2, 0.4)));
        assertFalse(pruner.shouldStop(1, 0.4));
        assertTrue(pruner.shouldStop(1, 0.41));
    }

    @Test
    void offNeverStops() {
        MedianPruner off = MedianPruner.of(false, List.of(curve(0, 0.1), curve(1, 0.1), curve(2, 0.1)));
        for (int e = 1; e <= 3; e++) {
            assertFalse(off.shouldStop(e, 0.9));
        }
        assertFalse(MedianPruner.off().shouldStop(1, 1));
    }
}
