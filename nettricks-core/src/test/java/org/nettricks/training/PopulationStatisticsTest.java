package org.nettricks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nettricks.activations.Activation;
import org.nettricks.data.Dataset;
import org.nettricks.layers.Buffer;
import org.nettricks.network.Architecture;
import org.nettricks.network.HiddenLayer;
import org.nettricks.network.Network;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Precision;

/**
 * Issue 14, class 5: the final pass's variance of values with a large mean against their spread.
 * One batch-normalized unit whose weight is 1 sees the inputs themselves: 1e5 + d, d ∈ {−1, −0.5,
 * 0, 0.5, 1} in a random order (exact in float32), over 2,500 examples (three batches of the pass).
 * The reference is computed exactly with BigDecimal.
 */
class PopulationStatisticsTest {
    @Test
    void theVarianceOfValuesNear1e5IsAccurateTo1e12() {
        int n = 2500;
        float[] x = new float[n];
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < n; i++) {
            x[i] = 100_000f + (random.nextInt(5) - 2) * 0.5f;
        }
        int[] labels = new int[n];
        Dataset data = new Dataset("1e5±1", x, n, 1, labels, List.of("a", "b"), null);
        MathContext mc = MathContext.DECIMAL128;
        BigDecimal sum = BigDecimal.ZERO;
        for (float v : x) {
            sum = sum.add(new BigDecimal(v));
        }
        BigDecimal mean = sum.divide(BigDecimal.valueOf(n), mc);
        BigDecimal squares = BigDecimal.ZERO;
        for (float v : x) {
            BigDecimal d = new BigDecimal(v).subtract(mean);
            squares = squares.add(d.multiply(d));
        }
        double expected = squares.divide(BigDecimal.valueOf(n), mc).doubleValue();
        assertTrue(expected > 0.4 && expected < 0.6, "about the variance of d: 0.5, got " + expected);
        try (JavaBackend backend = new JavaBackend(1)) {
            Network net = new Network(new Architecture(1, 0.0, List.of(new HiddenLayer(1, Activation.TANH, true, 0.0)),
                    2), Precision.FLOAT64, backend);
            net.parameters().get(0).value().setFlat(0, 1.0); // layers.0.weight: the unit sees x itself
            assertEquals("layers.0.weight", net.parameters().get(0).name());
            PopulationStatistics.compute(net, data);
            Buffer mu = net.buffers().get(0);
            Buffer var = net.buffers().get(1);
            assertEquals("layers.0.bn.running_mean", mu.name());
            assertEquals("layers.0.bn.running_var", var.name());
            assertEquals(mean.doubleValue(), mu.value().getFlat(0), 1e-12 * 1e5);
            double relative = Math.abs(var.value().getFlat(0) - expected) / expected;
            assertTrue(relative <= 1e-12, "relative error of the variance: " + relative);
        }
    }
}
