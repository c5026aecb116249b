package org.nettricks.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nettricks.activations.Activation;
import org.nettricks.layers.Parameter;
import org.nettricks.network.Architecture;
import org.nettricks.network.Network;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

class GlorotUniformTest {
    @Test
    void boundIsTheLecturesFormula() {
        // b = √6 / √(H_k + H_{k−1}) = √6 / √(256 + 784) = √(6 / 1040)
        assertEquals(Math.sqrt(6.0 / 1040), GlorotUniform.bound(784, 256), 1e-15);
    }

    @Test
    void weightsAreUniformOnTheBoundAndBiasesZero() {
        try (JavaBackend backend = new JavaBackend(1)) {
            Network net = new Network(Architecture.of(300, List.of(200), Activation.TANH, 10), Precision.FLOAT64, backend);
            net.denseLayers().get(0).bias().value().setFlat(0, 5); // must be reset
            net.initialize(new GlorotUniform(), new SplittableRandom(1));
            Matrix w = net.denseLayers().get(0).weight().value();
            double b = Math.sqrt(6.0 / 500);
            double sum = 0;
            double sumSq = 0;
            double max = 0;
            for (int i = 0; i < w.size(); i++) {
                double v = w.getFlat(i);
                assertTrue(Math.abs(v) <= b);
                sum += v;
                sumSq += v * v;
                max = Math.max(max, Math.abs(v));
            }
            int n = w.size();
            // U[−b, b]: mean 0, variance b²/3; 60,000 draws give standard errors of about 0.4%
            assertEquals(0, sum / n, 0.01 * b);
            assertEquals(b * b / 3, sumSq / n, 0.02 * b * b / 3);
            assertTrue(max > 0.999 * b);
            for (Parameter p : net.parameters()) {
                if (p.role() == Parameter.Role.BIAS) {
                    for (int i = 0; i < p.value().size(); i++) {
                        assertEquals(0.0, p.value().getFlat(i));
                    }
                }
            }
        }
    }

    @Test
    void sameSeedSameNetworkOtherSeedOtherNetwork() {
        try (JavaBackend backend = new JavaBackend(1)) {
            Architecture arch = Architecture.of(20, List.of(10), Activation.RELU, 3);
            Network a = new Network(arch, Precision.FLOAT32, backend);
            Network b = new Network(arch, Precision.FLOAT32, backend);
            Network c = new Network(arch, Precision.FLOAT32, backend);
            a.initialize(new GlorotUniform(), new SplittableRandom(5));
            b.initialize(new GlorotUniform(), new SplittableRandom(5));
            c.initialize(new GlorotUniform(), new SplittableRandom(6));
            float[] wa = a.denseLayers().get(0).weight().value().floats();
            assertArrayEquals(wa, b.denseLayers().get(0).weight().value().floats());
            assertFalse(Arrays.equals(wa, c.denseLayers().get(0).weight().value().floats()));
        }
    }

    @Test
    void heUniformHasVarianceTwoOverFanIn() {
        Matrix w = Matrix.zeros(300, 200, Precision.FLOAT64);
        new HeUniform().initialize(w, new SplittableRandom(2));
        double b = Math.sqrt(6.0 / 200);
        assertEquals(b, HeUniform.bound(200), 1e-15);
        double sumSq = 0;
        for (int i = 0; i < w.size(); i++) {
            assertTrue(Math.abs(w.getFlat(i)) <= b);
            sumSq += w.getFlat(i) * w.getFlat(i);
        }
        assertEquals(2.0 / 200, sumSq / w.size(), 0.02 * 2.0 / 200);
    }
}
