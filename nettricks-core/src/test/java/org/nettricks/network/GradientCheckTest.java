package org.nettricks.network;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nettricks.activations.Activation;
import org.nettricks.debugging.RelativeError;
import org.nettricks.init.GlorotUniform;
import org.nettricks.layers.Mode;
import org.nettricks.layers.Parameter;
import org.nettricks.losses.SoftmaxCrossEntropy;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * The lecture's gradient check: every parameter's backpropagated gradient against the central
 * difference (f(θ+ε) − f(θ−ε)) / 2ε of the mean softmax-NLL loss, in float64.
 */
class GradientCheckTest {
    private static final JavaBackend BACKEND = new JavaBackend(1);
    private static final double EPSILON = 1e-6;

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void backpropagationAgreesWithFiniteDifferences(Activation g) {
        double worst = check(Architecture.of(6, List.of(5, 4), List.of(g, g), 3), 42);
        assertTrue(worst < 1e-6, g + ": largest relative error " + worst);
    }

    @Test
    void mixedActivationsAndSoftmaxRegressionAgree() {
        double worst = check(Architecture.of(4, List.of(6, 5, 3),
                List.of(Activation.TANH, Activation.RELU, Activation.SIGMOID), 4), 5);
        assertTrue(worst < 1e-6, "largest relative error " + worst);
        double regression = check(Architecture.of(4, List.of(), Activation.RELU, 3), 9);
        assertTrue(regression < 1e-6, "largest relative error " + regression);
    }

    @Test
    void theCheckDetectsAWrongGradient() {
        // sanity of the oracle itself: corrupt one analytic entry and the check must see it
        Network net = network(Architecture.of(3, List.of(4), Activation.TANH, 2), 1);
        Batch batch = batch(net, 1);
        loss(net, batch, true);
        Parameter w = net.parameters().get(0);
        double analytic = w.gradient().getFlat(0) * 1.01;
        double numeric = numeric(net, batch, w, 0);
        assertTrue(relativeError(analytic, numeric) > 1e-4);
    }

    private record Batch(Matrix x, int[] y) {
    }

    private static Network network(Architecture arch, long seed) {
        Network net = new Network(arch, Precision.FLOAT64, BACKEND);
        SplittableRandom r = new SplittableRandom(seed);
        net.initialize(new GlorotUniform(), r);
        for (Parameter p : net.parameters()) {
            if (p.role() == Parameter.Role.BIAS) {
                for (int i = 0; i < p.value().size(); i++) {
                    p.value().setFlat(i, r.nextDouble(-0.5, 0.5)); // non-zero biases exercise ∇b fully
                }
            }
        }
        return net;
    }

    private static Batch batch(Network net, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 7;
        Matrix x = Matrix.zeros(n, net.architecture().inputSize(), Precision.FLOAT64);
        for (int i = 0; i < x.size(); i++) {
            x.setFlat(i, r.nextDouble(-2, 2));
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(net.architecture().outputSize());
        }
        return new Batch(x, y);
    }

    private static double loss(Network net, Batch b, boolean backward) {
        Matrix logits = net.forward(b.x(), Mode.TRAIN);
        Matrix grad = Matrix.zeros(logits.rows(), logits.cols(), Precision.FLOAT64);
        double loss = SoftmaxCrossEntropy.meanLossAndGradient(BACKEND, logits, b.y(), grad, null);
        if (backward) {
            net.backward(grad);
        }
        return loss;
    }

    private static double numeric(Network net, Batch b, Parameter p, int i) {
        double original = p.value().getFlat(i);
        p.value().setFlat(i, original + EPSILON);
        double plus = loss(net, b, false);
        p.value().setFlat(i, original - EPSILON);
        double minus = loss(net, b, false);
        p.value().setFlat(i, original);
        return (plus - minus) / (2 * EPSILON);
    }

    private static double relativeError(double a, double b) {
        return RelativeError.of(a, b);
    }

    /** Returns the largest relative error over every entry of every parameter. */
    private static double check(Architecture arch, long seed) {
        Network net = network(arch, seed);
        Batch b = batch(net, seed + 1);
        loss(net, b, true);
        double worst = 0;
        for (Parameter p : net.parameters()) {
            Matrix analytic = p.gradient().copy();
            for (int i = 0; i < p.value().size(); i++) {
                worst = Math.max(worst, relativeError(analytic.getFlat(i), numeric(net, b, p, i)));
            }
        }
        return worst;
    }
}
