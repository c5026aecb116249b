package org.nettricks.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nettricks.activations.Activation;
import org.nettricks.data.Dataset;
import org.nettricks.layers.Mode;
import org.nettricks.network.Architecture;
import org.nettricks.network.Network;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

class DiagnosticsTest {
    @Test
    void saturationCountsFlatSigmoidsAndDeadRelus() {
        try (JavaBackend backend = new JavaBackend(1)) {
            Network net = new Network(Architecture.of(1, List.of(4, 2), List.of(Activation.SIGMOID, Activation.RELU), 2),
                    Precision.FLOAT64, backend);
            // sigmoid pre-activations w·x for x = 1: 0.5, 5, −10, 1 → two of four beyond ±4.36
            Matrix w0 = net.denseLayers().get(0).weight().value();
            w0.setFlat(0, 0.5);
            w0.setFlat(1, 5);
            w0.setFlat(2, -10);
            w0.setFlat(3, 1);
            // relu unit 0 gets −(sum of sigmoids) < 0: dead; unit 1 gets +sum: alive
            Matrix w1 = net.denseLayers().get(1).weight().value();
            for (int j = 0; j < 4; j++) {
                w1.set(0, j, -1);
                w1.set(1, j, 1);
            }
            net.forward(Matrix.of(Precision.FLOAT64, 1, 1, 1.0), Mode.TRAIN, null);
            List<Diagnostics.LayerSaturation> s = Diagnostics.saturation(net);
            assertEquals(0.5, s.get(0).flatShare(), 1e-15);
            assertTrue(s.get(0).flagged());
            assertEquals(0.5, s.get(1).deadShare(), 1e-15);
            assertTrue(s.get(1).flagged());
        }
    }

    @Test
    void inputsOfRawPixelsAreUnnormalized() {
        Dataset raw = new Dataset("r", new float[] {0, 255, 128, 0}, 2, 2, new int[2], List.of("a", "b"), null);
        assertTrue(Diagnostics.inputs(raw).unnormalized());
        // by hand: mean 383/4 = 95.75; E[x²] = (255² + 128²)/4 = 20352.25, σ = √(20352.25 − 95.75²) = 105.755;
        // the figures alone: the finding that shows them names the check ("inputs") itself
        assertEquals("mean 95.8, standard deviation 106, largest |x| 255", Diagnostics.inputs(raw).describe());
        Dataset scaled = new Dataset("s", new float[] {0, 1, 0.5f, 0}, 2, 2, new int[2], List.of("a", "b"), null);
        assertFalse(Diagnostics.inputs(scaled).unnormalized());
    }

    @Test
    void lossCurvesAreReadForBouncing() {
        double[] healthy = new double[40];
        double[] bouncing = new double[40];
        for (int t = 0; t < 40; t++) {
            healthy[t] = 2.3 * Math.exp(-t / 20.0) + 0.1 * ((t % 3) - 1) * 0.5;
            bouncing[t] = t % 4 == 0 ? 9.0 : 2.0; // jumps up by 350% every fourth step
        }
        assertFalse(Diagnostics.lossCurve(healthy, 40).bouncing());
        assertTrue(Diagnostics.lossCurve(bouncing, 40).bouncing());
        double[] diverged = healthy.clone();
        diverged[30] = Double.NaN;
        assertTrue(Diagnostics.lossCurve(diverged, 40).nonFinite());
        double[] tinyWiggles = new double[40];
        for (int t = 0; t < 40; t++) {
            tinyWiggles[t] = t % 2 == 0 ? 0.01 : 0.03; // +200% but only 0.02 nats: not bouncing
        }
        assertFalse(Diagnostics.lossCurve(tinyWiggles, 40).bouncing());
        // converged mini-batch noise: 1 jump in 40 steps and a late mean above the early one is not bouncing
        double[] converged = new double[40];
        for (int t = 0; t < 40; t++) {
            converged[t] = t < 8 ? 0.6 : 0.65;
        }
        converged[20] = 1.2;
        assertFalse(Diagnostics.lossCurve(converged, 40).bouncing());
        double[] climbing = new double[40];
        for (int t = 0; t < 40; t++) {
            climbing[t] = 1 + t * 0.1 + (t % 12 == 0 ? 2.5 : 0); // rising, and 4 jumps of > 50% (10%)
        }
        assertTrue(Diagnostics.lossCurve(climbing, 40).bouncing());
    }
}
