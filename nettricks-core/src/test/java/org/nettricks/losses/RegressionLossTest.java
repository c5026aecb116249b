package org.nettricks.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nettricks.activations.Activation;
import org.nettricks.debugging.GradientChecker;
import org.nettricks.init.GlorotUniform;
import org.nettricks.layers.Mode;
import org.nettricks.network.Architecture;
import org.nettricks.network.HiddenLayer;
import org.nettricks.network.Network;
import org.nettricks.regularization.WeightPenalty;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * Issue 17, item 1: the regression losses. Squared error and Huber against a hand-worked batch
 * (PyTorch's definitions, mean reduction); their gradients against central finite differences of
 * the loss itself on both sides of δ, and through whole float64 networks (with batch normalization
 * and dropout) by the GradientChecker.
 */
class RegressionLossTest {
    private static final JavaBackend JAVA = new JavaBackend(1);

    @AfterAll
    static void close() {
        JAVA.close();
    }

    @Test
    void theLossesOfAHandWorkedBatch() {
        // outputs o = (1.5, −2), standardized targets z = (0.5, 1): d = o − z = (1, −3), B·K = 2.
        // squared error: l = (1, 9), L = 5, ∂L/∂o = 2d / 2 = (1, −3).
        // Huber, δ = 1.5: |1| < δ → ½·1 = 0.5; |−3| ≥ δ → 1.5·(3 − 0.75) = 3.375; L = 1.9375;
        // ∂L/∂o = (1, −1.5) / 2 = (0.5, −0.75).
        Matrix o = Matrix.of(Precision.FLOAT64, 2, 1, 1.5, -2);
        double[] z = {0.5, 1};
        Matrix g = Matrix.zeros(2, 1, Precision.FLOAT64);
        assertEquals(5, RegressionLoss.squaredError().meanLossAndGradient(o, z, g), 1e-15);
        assertArrayEquals(new double[] {1, -3}, g.doubles(), 1e-15);
        assertEquals(1.9375, RegressionLoss.huber(1.5).meanLossAndGradient(o, z, g), 1e-15);
        assertArrayEquals(new double[] {0.5, -0.75}, g.doubles(), 1e-15);
        // PyTorch's HuberLoss(delta=1) at |d| < 1 is half the squared error: d = 0.5 → 0.125 vs 0.25
        assertEquals(0.125, RegressionLoss.huber(1).loss(0.5), 0);
        assertEquals(0.25, RegressionLoss.squaredError().loss(0.5), 0);
        // continuous at δ: ½δ² from below, δ(δ − ½δ) from above
        assertEquals(0.5 * 1.5 * 1.5, RegressionLoss.huber(1.5).loss(1.5), 1e-15);
    }

    @Test
    void theDerivativesMatchFiniteDifferencesOnBothSidesOfDelta() {
        double h = 1e-6;
        for (RegressionLoss loss : List.of(RegressionLoss.squaredError(), RegressionLoss.huber(1.0),
                RegressionLoss.huber(0.3))) {
            for (double d : new double[] {-2.5, -0.8, -0.1, 0.05, 0.29, 0.31, 0.7, 0.99, 1.01, 3}) {
                double numeric = (loss.loss(d + h) - loss.loss(d - h)) / (2 * h);
                assertEquals(numeric, loss.derivative(d), 1e-8, loss + " at d = " + d);
            }
        }
    }

    @Test
    void networkGradientsMatchFiniteDifferences() {
        List<Architecture> networks = List.of(
                new Architecture(6, 0, List.of(new HiddenLayer(5, Activation.TANH, false, 0)), 1),
                new Architecture(6, 0.2, List.of(new HiddenLayer(5, Activation.RELU, true, 0.5),
                        new HiddenLayer(4, Activation.TANH, true, 0)), 3));
        for (Architecture arch : networks) {
            for (RegressionLoss loss : List.of(RegressionLoss.squaredError(), RegressionLoss.huber(0.4))) {
                Network net = new Network(arch, Precision.FLOAT64, JAVA);
                SplittableRandom r = new SplittableRandom(11);
                net.initialize(new GlorotUniform(), r);
                int n = 12;
                int k = arch.outputSize();
                Matrix x = Matrix.zeros(n, 6, Precision.FLOAT64);
                for (int i = 0; i < x.size(); i++) {
                    x.setFlat(i, r.nextDouble(-1.5, 1.5));
                }
                double[] z = new double[n * k];
                for (int i = 0; i < z.length; i++) {
                    z[i] = r.nextDouble(-1.5, 1.5);
                }
                GradientChecker.Options options = GradientChecker.Options.DEFAULT;
                if (loss.kind() == RegressionLoss.Kind.HUBER) { // both branches are in the objective
                    Matrix o = net.forward(x, Mode.TRAIN, new SplittableRandom(options.seed()));
                    int inside = 0;
                    for (int i = 0; i < z.length; i++) {
                        inside += Math.abs(o.getFlat(i) - z[i]) < loss.delta() ? 1 : 0;
                    }
                    assertTrue(inside > 0 && inside < z.length, inside + " of " + z.length + " inside δ");
                }
                GradientChecker.Report report = GradientChecker.regression(net, x, z, loss,
                        new WeightPenalty(1e-3, 1e-2), options).run();
                assertTrue(report.passed(), arch + " " + loss + ": " + report.failedTensors());
            }
        }
    }

    @Test
    void aBadDeltaIsRefused() {
        assertEquals("huber-delta must be a finite number > 0, got 0.0",
                assertThrows(IllegalArgumentException.class, () -> RegressionLoss.huber(0)).getMessage());
    }
}
