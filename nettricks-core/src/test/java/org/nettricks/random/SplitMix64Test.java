package org.nettricks.random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * Our SplitMix64 against the JDK's {@link SplittableRandom} (an independent implementation of the
 * same published algorithm), draw for draw, for every method the library calls on its generators:
 * nextLong (dropout masks), nextInt(bound) (shuffling, search), nextDouble (initialization, RBM
 * sampling, masking noise, search), nextDouble(origin, bound), nextGaussian (Gaussian noise, the
 * tree-structured Parzen estimator), nextInt, and split (the experiment's generators).
 */
class SplitMix64Test {
    @Test
    void drawsWhatSplittableRandomDrawsThroughSplitsAndEveryMethod() {
        for (long seed : new long[] {0, 1, -1, 42, Long.MIN_VALUE, 0x9e3779b97f4a7c15L, 123456789L}) {
            SplittableRandom jdk = new SplittableRandom(seed);
            SplitMix64 ours = new SplitMix64(seed);
            for (int round = 0; round < 200; round++) {
                compareDraws(jdk, ours, round);
                // descend into a split generator, as Experiment does with its root
                SplittableRandom jdkChild = jdk.split();
                SplitMix64 ourChild = ours.split();
                compareDraws(jdkChild, ourChild, round + 1000);
                if (round % 3 == 0) {
                    jdk = jdkChild;
                    ours = ourChild;
                }
            }
        }
    }

    private static void compareDraws(SplittableRandom jdk, SplitMix64 ours, int round) {
        for (int i = 0; i < 50; i++) {
            int bound = 1 + (i * 7919 + round) % 100_000;
            assertEquals(jdk.nextLong(), ours.nextLong(), "nextLong");
            assertEquals(jdk.nextInt(), ours.nextInt(), "nextInt");
            assertEquals(jdk.nextInt(bound), ours.nextInt(bound), "nextInt(" + bound + ")");
            assertEquals(jdk.nextInt(1 << 20), ours.nextInt(1 << 20), "nextInt(power of two)");
            assertEquals(jdk.nextDouble(), ours.nextDouble(), "nextDouble");
            assertEquals(jdk.nextDouble(-1, 1), ours.nextDouble(-1, 1), "nextDouble(-1, 1)");
            assertEquals(jdk.nextGaussian(), ours.nextGaussian(), "nextGaussian");
            assertEquals(jdk.nextInt(i + 1), ours.nextInt(i + 1), "nextInt(small bound)");
        }
    }

    @Test
    void aStateReadAndSetContinuesTheSameSequence() {
        SplitMix64 a = new SplitMix64(7).split();
        for (int i = 0; i < 1000; i++) {
            a.nextInt(17);
        }
        SplitMix64 b = new SplitMix64(99);
        b.setState(a.seed(), a.gamma());
        SplitMix64 c = new SplitMix64(a.seed(), a.gamma());
        for (int i = 0; i < 10_000; i++) {
            long x = a.nextLong();
            assertEquals(x, b.nextLong());
            assertEquals(x, c.nextLong());
        }
        assertEquals(a.split().nextLong(), b.split().nextLong());
    }

    @Test
    void refusesAnEvenGamma() {
        assertThrows(IllegalArgumentException.class, () -> new SplitMix64(1, 2));
    }
}
