package org.nettricks.network;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
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
import org.nettricks.regularization.WeightPenalty;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * Central finite differences of the whole regularized objective
 * (1/B) Σ l(f(x), y) + λΩ(θ) on a mini-batch against backpropagation plus the penalty's gradient,
 * in float64, for every trick: L1 (weights kept away from its kink at 0), L2, dropout with its
 * masks held fixed (the generator is replayed from the same seed for every evaluation), batch
 * normalization in training mode in front of each activation, and all of them at once. Each check
 * runs on the fused network (dense blocks) and on the same architecture built from the small layers
 * ({@link Network#unfused}).
 */
class TricksGradientCheckTest {
    private static final JavaBackend BACKEND = new JavaBackend(1);
    private static final double EPSILON = 1e-6;
    private static final long MASK_SEED = 99;

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    @Test
    void l2Penalty() {
        assertChecks(plain(Activation.TANH), new WeightPenalty(0, 0.03));
    }

    @Test
    void l1PenaltyAwayFromZero() {
        assertChecks(plain(Activation.SIGMOID), new WeightPenalty(0.02, 0));
    }

    @Test
    void l1AndL2Together() {
        assertChecks(plain(Activation.RELU), new WeightPenalty(0.02, 0.03));
    }

    @Test
    void dropoutWithFixedMasks() {
        Architecture arch = new Architecture(6, 0.2, List.of(new HiddenLayer(5, Activation.TANH, false, 0.5),
                new HiddenLayer(4, Activation.RELU, false, 0.3)), 3);
        assertChecks(arch, WeightPenalty.NONE);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void batchNormalizationInTrainingModeInFrontOfEachActivation(Activation g) {
        Architecture arch = new Architecture(6, 0, List.of(new HiddenLayer(5, g, true, 0),
                new HiddenLayer(4, g, true, 0)), 3);
        assertChecks(arch, WeightPenalty.NONE);
    }

    @Test
    void everyTrickAtOnce() {
        Architecture arch = new Architecture(6, 0.2, List.of(new HiddenLayer(5, Activation.SIGMOID, true, 0.4),
                new HiddenLayer(5, Activation.RELU, true, 0.5), new HiddenLayer(4, Activation.TANH, false, 0.3)), 3);
        assertChecks(arch, new WeightPenalty(0.01, 0.02));
    }

    private static Architecture plain(Activation g) {
        return Architecture.of(6, List.of(5, 4), g, 3);
    }

    private static void assertChecks(Architecture arch, WeightPenalty penalty) {
        assertChecks(new Network(arch, Precision.FLOAT64, BACKEND), penalty);
        assertChecks(Network.unfused(arch, Precision.FLOAT64, BACKEND), penalty);
    }

    private static void assertChecks(Network net, WeightPenalty penalty) {
        Architecture arch = net.architecture();
        SplittableRandom r = new SplittableRandom(17);
        net.initialize(new GlorotUniform(), r);
        for (Parameter p : net.parameters()) {
            for (int i = 0; i < p.value().size(); i++) {
                double v = p.value().getFlat(i);
                if (p.role() == Parameter.Role.WEIGHT) {
                    // L1 has a kink at 0: keep every weight at least 0.05 away from it
                    p.value().setFlat(i, Math.copySign(Math.abs(v) + 0.05, v));
                } else if (p.role() == Parameter.Role.BATCH_NORM_SCALE) {
                    p.value().setFlat(i, r.nextDouble(0.5, 1.5));
                } else {
                    p.value().setFlat(i, r.nextDouble(-0.5, 0.5));
                }
            }
        }
        int n = 8;
        Matrix x = Matrix.zeros(n, arch.inputSize(), Precision.FLOAT64);
        for (int i = 0; i < x.size(); i++) {
            x.setFlat(i, r.nextDouble(-2, 2));
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(arch.outputSize());
        }
        objective(net, x, y, penalty, true);
        List<Matrix> analytic = new ArrayList<>();
        for (Parameter p : net.parameters()) {
            analytic.add(p.gradient().copy());
        }
        double worst = 0;
        String where = "";
        for (int k = 0; k < net.parameters().size(); k++) {
            Parameter p = net.parameters().get(k);
            for (int i = 0; i < p.value().size(); i++) {
                double original = p.value().getFlat(i);
                p.value().setFlat(i, original + EPSILON);
                double plus = objective(net, x, y, penalty, false);
                p.value().setFlat(i, original - EPSILON);
                double minus = objective(net, x, y, penalty, false);
                p.value().setFlat(i, original);
                double numeric = (plus - minus) / (2 * EPSILON);
                double a = analytic.get(k).getFlat(i);
                double rel = RelativeError.of(a, numeric);
                if (rel > worst) {
                    worst = rel;
                    where = p.name() + "[" + i + "] analytic " + a + " numeric " + numeric;
                }
            }
        }
        assertTrue(worst < 1e-6, "largest relative error " + worst + " at " + where + " ("
                + (net.denseLayers().isEmpty() ? "unfused" : "fused") + ")");
    }

    /** The regularized objective on the batch; with {@code backward}, also its gradient. */
    private static double objective(Network net, Matrix x, int[] y, WeightPenalty penalty, boolean backward) {
        Matrix logits = net.forward(x, Mode.TRAIN, new SplittableRandom(MASK_SEED));
        Matrix grad = Matrix.zeros(logits.rows(), logits.cols(), Precision.FLOAT64);
        double loss = SoftmaxCrossEntropy.meanLossAndGradient(BACKEND, logits, y, grad, null);
        if (backward) {
            net.backward(grad);
            penalty.addGradient(net.parameters());
        }
        return loss + penalty.value(net.parameters());
    }
}
