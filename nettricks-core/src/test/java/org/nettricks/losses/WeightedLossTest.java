package org.nettricks.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nettricks.activations.Activation;
import org.nettricks.debugging.GradientChecker;
import org.nettricks.init.GlorotUniform;
import org.nettricks.network.Architecture;
import org.nettricks.network.HiddenLayer;
import org.nettricks.network.Network;
import org.nettricks.regularization.WeightPenalty;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * Issue 17, item 2: class weights. The weighted negative log-likelihood against a hand-worked batch;
 * its gradient against finite differences through whole networks (float64, with batch normalization
 * and dropout); the balanced weights against scikit-learn's formula worked by hand.
 */
class WeightedLossTest {
    private static final JavaBackend JAVA = new JavaBackend(1);

    @AfterAll
    static void close() {
        JAVA.close();
    }

    @Test
    void theWeightedLossOfAHandWorkedBatch() {
        // two examples, two classes. Row 0: logits (0, 0), y = 0: −log ½ = ln 2, f = (½, ½).
        // Row 1: logits (ln 3, 0), y = 1: f = (¾, ¼), −log ¼ = ln 4.
        // Weights 3 and 0.5: L = (3 ln 2 + 0.5 ln 4) / 2 = 2 ln 2; ∇ row 0 = 3 (½ − 1, ½) / 2,
        // row 1 = 0.5 (¾, ¼ − 1) / 2.
        Matrix logits = Matrix.of(Precision.FLOAT64, 2, 2, 0, 0, Math.log(3), 0);
        Matrix grad = Matrix.zeros(2, 2, Precision.FLOAT64);
        double loss = SoftmaxCrossEntropy.meanLossAndGradient(JAVA, logits, new int[] {0, 1}, new double[] {3, 0.5},
                grad, null);
        assertEquals(2 * Math.log(2), loss, 1e-15);
        assertArrayEquals(new double[] {-0.75, 0.75, 0.1875, -0.1875},
                new double[] {grad.getFlat(0), grad.getFlat(1), grad.getFlat(2), grad.getFlat(3)}, 1e-15);
        // all weights 1 is the unweighted loss, bit for bit
        Matrix g1 = Matrix.zeros(2, 2, Precision.FLOAT64);
        Matrix g2 = Matrix.zeros(2, 2, Precision.FLOAT64);
        double l1 = SoftmaxCrossEntropy.meanLossAndGradient(JAVA, logits, new int[] {0, 1}, new double[] {1, 1}, g1, null);
        double l2 = SoftmaxCrossEntropy.meanLossAndGradient(JAVA, logits, new int[] {0, 1}, g2, null);
        assertEquals(l2, l1, 0);
        for (int i = 0; i < 4; i++) {
            assertEquals(g2.getFlat(i), g1.getFlat(i), 0);
        }
    }

    @Test
    void itsGradientMatchesFiniteDifferencesThroughWholeNetworks() {
        List<Architecture> networks = List.of(
                new Architecture(6, 0, List.of(new HiddenLayer(5, Activation.TANH, false, 0),
                        new HiddenLayer(4, Activation.SIGMOID, false, 0)), 3),
                new Architecture(6, 0.2, List.of(new HiddenLayer(5, Activation.RELU, true, 0.5),
                        new HiddenLayer(4, Activation.TANH, true, 0)), 3));
        for (Architecture arch : networks) {
            Network net = new Network(arch, Precision.FLOAT64, JAVA);
            SplittableRandom r = new SplittableRandom(5);
            net.initialize(new GlorotUniform(), r);
            Matrix x = Matrix.zeros(12, 6, Precision.FLOAT64);
            for (int i = 0; i < x.size(); i++) {
                x.setFlat(i, r.nextDouble(-1.5, 1.5));
            }
            int[] y = new int[12];
            double[] w = new double[12];
            double[] perClass = {0.5, 2.0, 7.0};
            for (int i = 0; i < y.length; i++) {
                y[i] = r.nextInt(3);
                w[i] = perClass[y[i]];
            }
            GradientChecker.Report weighted = new GradientChecker(net, x, y, w, new WeightPenalty(1e-3, 1e-2),
                    GradientChecker.Options.DEFAULT).run();
            assertTrue(weighted.passed(), arch + ": " + weighted.failedTensors());
            // and the weights do change the objective: the unweighted one differs
            GradientChecker.Report unweighted = new GradientChecker(net, x, y, new WeightPenalty(1e-3, 1e-2),
                    GradientChecker.Options.DEFAULT).run();
            assertTrue(Math.abs(weighted.objective() - unweighted.objective()) > 1e-3);
        }
    }

    @Test
    void balancedWeightsAreScikitLearnsFormula() {
        // n = 6: four of class 0, two of class 1, none of class 2 (k = 2 classes present):
        // w0 = 6 / (2·4) = 0.75, w1 = 6 / (2·2) = 1.5 (sklearn compute_class_weight("balanced")), w2 = 0
        double[] w = ClassWeights.BALANCED.perClass(new int[] {0, 1, 0, 0, 1, 0}, 3);
        assertArrayEquals(new double[] {0.75, 1.5, 0}, w, 1e-15);
        // the weights average 1 over the training examples
        assertEquals(1.0, (4 * w[0] + 2 * w[1]) / 6, 1e-15);
        assertNull(ClassWeights.NONE.perClass(new int[] {0, 1}, 2));
        assertArrayEquals(new double[] {1, 2, 0.5}, ClassWeights.parse("1, 2,0.5").perClass(new int[] {0}, 3), 0);
    }

    @Test
    void badWeightsAreRefusedWithTheirReason() {
        assertEquals("class-weight must be none, balanced or one weight per class (e.g. 1,1,5), got 'heavy'",
                assertThrows(IllegalArgumentException.class, () -> ClassWeights.parse("heavy")).getMessage());
        assertEquals("class-weight must be finite weights >= 0, got -1.0",
                assertThrows(IllegalArgumentException.class, () -> ClassWeights.parse("1,-1")).getMessage());
        assertEquals("class-weight must give some class a weight above 0",
                assertThrows(IllegalArgumentException.class, () -> ClassWeights.parse("0,0")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClassWeights.of(1, 2).perClass(new int[] {0}, 3));
        assertEquals("1,2.5,0", ClassWeights.parse("1,2.5,0").describe());
    }
}
