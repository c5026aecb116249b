package org.nettricks.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nettricks.activations.Activation;
import org.nettricks.layers.Mode;
import org.nettricks.losses.SoftmaxCrossEntropy;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * A 2-2-2 ReLU network on one example, forward and backward, against values worked out by hand
 * with the lecture's formulas:
 * <pre>
 * x = (1, 2), y = 1
 * W1 = [[0.1, 0.2], [−0.3, 0.4]], b1 = (0.01, −0.02)
 * a1 = W1 x + b1 = (0.1 + 0.4 + 0.01, −0.3 + 0.8 − 0.02) = (0.51, 0.48);  h1 = relu(a1) = a1
 * W2 = [[0.5, −0.6], [0.7, 0.8]], b2 = (0, 0.1)
 * a2 = W2 h1 + b2 = (0.255 − 0.288, 0.357 + 0.384 + 0.1) = (−0.033, 0.841)
 * f = softmax(a2): f_1 = 1 / (1 + e^(−0.874)) = 0.7055773325914291, f_0 = 0.2944226674085709
 * loss = −log f_1 = 0.3487388998177218
 * ∇a2 = f − e(1) = (0.29442266740857087, −0.29442266740857087)
 * ∇W2 = ∇a2 h1ᵀ: row 0 = 0.2944226674 · (0.51, 0.48) = (0.15015556037837, 0.14132288035611)
 * ∇h1 = W2ᵀ ∇a2 = 0.2944226674 · (0.5 − 0.7, −0.6 − 0.8) = (−0.0588845334817, −0.4121917343720)
 * ∇a1 = ∇h1 (both units active);  ∇W1 = ∇a1 xᵀ;  ∇b1 = ∇a1
 * </pre>
 */
class HandWorkedExampleTest {
    private static final JavaBackend BACKEND = new JavaBackend(1);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    /** Inference applies g in place and keeps only h: the same hand-worked logits. */
    @Test
    void inferenceGivesTheSameLogits() {
        for (Precision precision : Precision.values()) {
            Network net = new Network(Architecture.of(2, List.of(2), Activation.RELU, 2), precision, BACKEND);
            set(net.denseLayers().get(0).weight().value(), 0.1, 0.2, -0.3, 0.4);
            set(net.denseLayers().get(0).bias().value(), 0.01, -0.02);
            set(net.denseLayers().get(1).weight().value(), 0.5, -0.6, 0.7, 0.8);
            set(net.denseLayers().get(1).bias().value(), 0.0, 0.1);
            Matrix x = Matrix.of(precision, 1, 2, 1, 2);
            double tolerance = precision == Precision.FLOAT64 ? 1e-15 : 1e-7;
            for (Mode mode : List.of(Mode.EVAL, Mode.TRAIN, Mode.EVAL)) {
                Matrix logits = net.forward(x, mode);
                assertEquals(-0.033, logits.get(0, 0), tolerance, mode + " " + precision);
                assertEquals(0.841, logits.get(0, 1), tolerance, mode + " " + precision);
                // h of the hidden layer: relu(0.01 + 0.1 + 0.4, −0.02 − 0.3 + 0.8) = (0.51, 0.48)
                assertEquals(0.51, net.denseLayers().get(0).lastActivation().get(0, 0), tolerance);
                assertEquals(0.48, net.denseLayers().get(0).lastActivation().get(0, 1), tolerance);
                assertEquals(mode == Mode.TRAIN, net.denseLayers().get(0).lastActivationInput() != null,
                        "the pre-activations are kept in training only");
            }
        }
    }

    @Test
    void forwardAndBackwardMatchTheHandComputation() {
        Network net = new Network(Architecture.of(2, List.of(2), Activation.RELU, 2), Precision.FLOAT64, BACKEND);
        set(net.denseLayers().get(0).weight().value(), 0.1, 0.2, -0.3, 0.4);
        set(net.denseLayers().get(0).bias().value(), 0.01, -0.02);
        set(net.denseLayers().get(1).weight().value(), 0.5, -0.6, 0.7, 0.8);
        set(net.denseLayers().get(1).bias().value(), 0.0, 0.1);

        Matrix x = Matrix.of(Precision.FLOAT64, 1, 2, 1, 2);
        Matrix logits = net.forward(x, Mode.TRAIN);
        assertEquals(-0.033, logits.get(0, 0), 1e-15);
        assertEquals(0.841, logits.get(0, 1), 1e-15);

        Matrix grad = Matrix.zeros(1, 2, Precision.FLOAT64);
        double loss = SoftmaxCrossEntropy.meanLossAndGradient(BACKEND, logits, new int[] {1}, grad, null);
        assertEquals(0.3487388998177218, loss, 1e-15);
        assertEquals(0.29442266740857087, grad.get(0, 0), 1e-15);
        assertEquals(-0.29442266740857087, grad.get(0, 1), 1e-15);

        net.backward(grad);
        Matrix gW2 = net.denseLayers().get(1).weight().gradient();
        assertEquals(0.15015556037837113, gW2.get(0, 0), 1e-15);
        assertEquals(0.141322880356114, gW2.get(0, 1), 1e-15);
        assertEquals(-0.15015556037837116, gW2.get(1, 0), 1e-15);
        assertEquals(-0.14132288035611404, gW2.get(1, 1), 1e-15);
        assertEquals(0.29442266740857087, net.denseLayers().get(1).bias().gradient().get(0, 0), 1e-15);
        Matrix gW1 = net.denseLayers().get(0).weight().gradient();
        assertEquals(-0.0588845334817142, gW1.get(0, 0), 1e-15);
        assertEquals(-0.1177690669634284, gW1.get(0, 1), 1e-15);
        assertEquals(-0.4121917343719993, gW1.get(1, 0), 1e-15);
        assertEquals(-0.8243834687439986, gW1.get(1, 1), 1e-15);
        assertEquals(-0.0588845334817142, net.denseLayers().get(0).bias().gradient().get(0, 0), 1e-15);
        assertEquals(-0.4121917343719993, net.denseLayers().get(0).bias().gradient().get(0, 1), 1e-15);
    }

    @Test
    void aDeadReluUnitPassesNoGradient() {
        Network net = new Network(Architecture.of(2, List.of(2), Activation.RELU, 2), Precision.FLOAT64, BACKEND);
        // unit 0 gets a1 = −1 (dead), unit 1 gets a1 = 1
        set(net.denseLayers().get(0).weight().value(), -1, 0, 1, 0);
        set(net.denseLayers().get(1).weight().value(), 1, 1, 1, -1);
        Matrix logits = net.forward(Matrix.of(Precision.FLOAT64, 1, 2, 1, 0), Mode.TRAIN);
        Matrix grad = Matrix.zeros(1, 2, Precision.FLOAT64);
        SoftmaxCrossEntropy.meanLossAndGradient(BACKEND, logits, new int[] {0}, grad, null);
        net.backward(grad);
        assertEquals(0.0, net.denseLayers().get(0).weight().gradient().get(0, 0), 0);
        assertEquals(0.0, net.denseLayers().get(0).bias().gradient().get(0, 0), 0);
    }

    private static void set(Matrix m, double... values) {
        for (int i = 0; i < values.length; i++) {
            m.setFlat(i, values[i]);
        }
    }
}
