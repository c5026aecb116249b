package org.nettricks.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class NormalizationTest {
    private static Dataset data(float[] x, int cols, ValueRange range) {
        int n = x.length / cols;
        return new Dataset("t", x, n, cols, new int[n], List.of("a", "b"), range);
    }

    @Test
    void standardizeUsesTrainingStatisticsOnly() {
        // feature 0: values 1, 3 → mean 2, population sd 1; feature 1: constant 5 → sd treated as 1
        Dataset train = data(new float[] {1, 5, 3, 5}, 2, null);
        Normalization n = Normalization.fit(Normalization.Kind.STANDARDIZE, train);
        assertArrayEquals(new double[] {2, 5}, n.offset());
        assertArrayEquals(new double[] {1, 1}, n.scale());
        Dataset test = data(new float[] {10, 6}, 2, null);
        assertArrayEquals(new float[] {8, 1}, n.apply(test).features());
    }

    @Test
    void scaleUsesTheFormatsRangeWhenKnownElseTheTrainingRange() {
        Dataset pixels = data(new float[] {0, 51, 255, 102}, 2, new ValueRange(0, 255));
        Normalization n = Normalization.fit(Normalization.Kind.SCALE, pixels);
        assertArrayEquals(new float[] {0, 0.2f, 1, 0.4f}, n.apply(pixels).features());
        Dataset csv = data(new float[] {2, -1, 4, 1}, 2, null);
        Normalization m = Normalization.fit(Normalization.Kind.SCALE, csv);
        assertArrayEquals(new float[] {0, 0, 1, 1}, m.apply(csv).features());
    }

    @Test
    void standardizedTrainingFeaturesHaveMeanZeroAndUnitVariance() {
        SplittableRandom r = new SplittableRandom(2);
        float[] x = new float[3000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (7 + 3 * r.nextGaussian());
        }
        Dataset d = data(x, 3, null);
        float[] z = Normalization.fit(Normalization.Kind.STANDARDIZE, d).apply(d).features();
        for (int j = 0; j < 3; j++) {
            double s = 0;
            double s2 = 0;
            for (int i = j; i < z.length; i += 3) {
                s += z[i];
                s2 += z[i] * z[i];
            }
            assertEquals(0, s / 1000, 1e-5);
            assertEquals(1, s2 / 1000, 1e-4);
        }
    }
}
