package org.nettricks.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SplitsTest {
    @Test
    void holdOutPartitionsTheExamplesReproducibly() {
        int n = 100;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        Dataset d = new Dataset("d", x, n, 1, new int[n], List.of("a", "b"), null);
        Splits.Split s = Splits.holdOut(d, 0.2, new SplittableRandom(4), "held");
        assertEquals(80, s.kept().size());
        assertEquals(20, s.heldOut().size());
        Set<Float> all = new HashSet<>();
        for (float v : s.kept().features()) {
            all.add(v);
        }
        for (float v : s.heldOut().features()) {
            all.add(v);
        }
        assertEquals(n, all.size());
        Splits.Split again = Splits.holdOut(d, 0.2, new SplittableRandom(4), "held");
        assertArrayEquals(s.heldOut().features(), again.heldOut().features());
    }
}
