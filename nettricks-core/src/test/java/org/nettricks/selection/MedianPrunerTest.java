package org.nettricks.selection;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MedianPrunerTest {
    @Test
    void stopsATrialWorseThanTheMedianOfEarlierTrialsAtTheSameEpoch() {
        MedianPruner pruner = new MedianPruner(true);
        // three trials report epoch 1: 0.30, 0.20, 0.25 (median 0.25); nothing is pruned before three
        assertFalse(pruner.report(1, 0.30));
        assertFalse(pruner.report(1, 0.20));
        assertFalse(pruner.report(1, 0.25));
        assertTrue(pruner.report(1, 0.26), "worse than the median 0.25");
        assertFalse(pruner.report(1, 0.24), "better than the median (now of four: 0.255)");
        assertFalse(pruner.report(2, 0.9), "epoch 2 has no earlier reports");
        MedianPruner off = new MedianPruner(false);
        for (int i = 0; i < 5; i++) {
            assertFalse(off.report(1, i));
        }
    }
}
