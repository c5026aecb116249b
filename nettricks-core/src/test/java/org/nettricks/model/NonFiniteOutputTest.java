package org.nettricks.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nettricks.activations.Activation;
import org.nettricks.data.Dataset;
import org.nettricks.data.Normalization;
import org.nettricks.evaluation.Evaluation;
import org.nettricks.layers.Parameter;
import org.nettricks.network.Architecture;
import org.nettricks.network.Network;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Precision;

/**
 * Issue 14, class 4: an output that is not finite is never a class. A hand-set 1-1-2 ReLU network
 * (w₁ = 10, b₁ = 0; output weights (1, −1), biases (−0.5, 0.5)) on x = 3e38: the hidden value 3e39
 * overflows float32 (max 3.4e38) and the logits (∞ − 0.5, −∞ + 0.5) give NaN probabilities; in
 * float64 it is finite and class 0.
 */
class NonFiniteOutputTest {
    private static Classifier handSet(Precision precision, JavaBackend backend, Normalization normalization) {
        Network net = new Network(Architecture.of(1, List.of(1), Activation.RELU, 2), precision, backend);
        List<Parameter> p = net.parameters(); // W1 [1x1], b1 [1], W2 [2x1], b2 [2]
        assertEquals(4, p.size(), "the network's parameters are W1, b1, W2, b2");
        p.get(0).value().setFlat(0, 10);
        p.get(1).value().setFlat(0, 0);
        p.get(2).value().setFlat(0, 1);
        p.get(2).value().setFlat(1, -1);
        p.get(3).value().setFlat(0, -0.5);
        p.get(3).value().setFlat(1, 0.5);
        return new Classifier(net, normalization, List.of("zero", "one"), Map.of());
    }

    private static Normalization identity() {
        return new Normalization(Normalization.Kind.NONE, new double[] {0}, new double[] {1});
    }

    private static Dataset data(float... x) {
        int[] labels = {0, 0, 1};
        return new Dataset("hand.csv", x, x.length, 1, labels, List.of("zero", "one"), null);
    }

    @Test
    void anOverflowInsideAFloat32NetworkIsNoClassAndAnError() {
        try (JavaBackend backend = new JavaBackend(1)) {
            Classifier model = handSet(Precision.FLOAT32, backend, identity());
            Dataset d = data(3.0e38f, 1f, -1f);
            // x = 1: h = 10, logits (9.5, −9.5): class 0; x = −1: h = 0, logits (−0.5, 0.5): class 1
            assertArrayEquals(new int[] {Classifier.NO_CLASS, 0, 1}, model.predict(d));
            assertArrayEquals(new int[] {0}, Classifier.nonFiniteRows(model.probabilities(d)));
            Evaluation e = model.evaluate(d);
            assertEquals(1, e.nonFinite());
            assertEquals(1.0 / 3, e.error(), 1e-15, "the NaN row is an error, the others are right");
            assertTrue(Double.isNaN(e.loss()));
            assertFalse(e.finite());
            assertEquals(0, e.confusion()[0][0] + e.confusion()[0][1] - 1, "row 'zero' holds only x = 1");
            assertEquals(1, e.confusion()[1][1]);
            assertTrue(model.explainNonFinite(d, 0).contains("the network's values overflow float32"),
                    model.explainNonFinite(d, 0));
        }
    }

    @Test
    void theSameNetworkInFloat64IsFiniteAndRight() {
        try (JavaBackend backend = new JavaBackend(1)) {
            Classifier model = handSet(Precision.FLOAT64, backend, identity());
            Dataset d = data(3.0e38f, 1f, -1f);
            assertArrayEquals(new int[] {0, 0, 1}, model.predict(d));
            Evaluation e = model.evaluate(d);
            assertEquals(0, e.nonFinite());
            assertEquals(0.0, e.error());
            // losses: log(1 + e^(−6e39)) = 0, log(1 + e^(−19)), log(1 + e^(−1))
            double expected = (0 + Math.log1p(Math.exp(-19)) + Math.log1p(Math.exp(-1))) / 3;
            assertEquals(expected, e.loss(), 1e-12);
            assertTrue(e.finite());
        }
    }

    @Test
    void aFeatureThatStandardizationMakesInfiniteIsNamed() {
        try (JavaBackend backend = new JavaBackend(1)) {
            for (Precision precision : Precision.values()) {
                // (3e38 − 0) / 0.25 = 1.2e39 > Float.MAX_VALUE: infinite in the float32 inputs, in both precisions
                Classifier model = handSet(precision, backend,
                        new Normalization(Normalization.Kind.STANDARDIZE, new double[] {0}, new double[] {0.25}));
                Dataset d = data(3.0e38f, 0.25f, -0.25f);
                assertArrayEquals(new int[] {Classifier.NO_CLASS, 0, 1}, model.predict(d), precision.toString());
                Evaluation e = model.evaluate(d);
                assertEquals(1, e.nonFinite());
                assertEquals(1.0 / 3, e.error(), 1e-15);
                assertEquals("feature 0 is 3.0E38, which the model's normalization (standardize) turns into Infinity"
                        + " in float32", model.explainNonFinite(d, 0));
            }
        }
    }
}
