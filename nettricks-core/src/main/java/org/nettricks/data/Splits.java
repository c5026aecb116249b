package org.nettricks.data;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/** Seeded random hold-out splits of a data set. */
public final class Splits {
    private Splits() {
    }

    /** A data set divided in two. */
    public record Split(Dataset kept, Dataset heldOut) {
    }

    /**
     * Holds out round(fraction × size) examples chosen uniformly at random; both parts keep the
     * original order of their examples.
     */
    public static Split holdOut(Dataset data, double fraction, RandomGenerator random, String heldOutName) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("hold-out fraction must be in (0, 1), got " + fraction);
        }
        int n = data.size();
        int held = (int) Math.round(fraction * n);
        if (held < 1 || held >= n) {
            throw new IllegalArgumentException("holding out " + fraction + " of " + n + " examples leaves " + held
                    + " and " + (n - held) + "; both parts need at least one example");
        }
        int[] perm = permutation(n, random);
        int[] heldIdx = Arrays.copyOf(perm, held);
        int[] keptIdx = Arrays.copyOfRange(perm, held, n);
        Arrays.sort(heldIdx);
        Arrays.sort(keptIdx);
        return new Split(data.subset(keptIdx, data.source()), data.subset(heldIdx, heldOutName));
    }

    /** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
    public static int[] permutation(int n, RandomGenerator random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, random);
        return p;
    }

    /** Shuffles in place (Fisher–Yates). */
    public static void shuffle(int[] p, RandomGenerator random) {
        for (int i = p.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
    }
}
