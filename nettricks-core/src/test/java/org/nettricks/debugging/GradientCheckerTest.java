package org.nettricks.debugging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nettricks.activations.Activation;
import org.nettricks.init.GlorotUniform;
import org.nettricks.layers.Parameter;
import org.nettricks.network.Architecture;
import org.nettricks.network.HiddenLayer;
import org.nettricks.network.Network;
import org.nettricks.regularization.Penalty;
import org.nettricks.regularization.WeightPenalty;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.DelegatingBackend;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/** The checker passes correct code and catches real bugs injected into backpropagation, at the right tensor. */
class GradientCheckerTest {
    private static final JavaBackend JAVA = new JavaBackend(1);

    @AfterAll
    static void close() {
        JAVA.close();
    }

    private static GradientChecker.Report check(Architecture arch, Backend backend, Penalty penalty) {
        Network net = new Network(arch, Precision.FLOAT64, backend);
        SplittableRandom r = new SplittableRandom(21);
        net.initialize(new GlorotUniform(), r);
        for (Parameter p : net.parameters()) {
            if (p.role() == Parameter.Role.BIAS || p.role() == Parameter.Role.BATCH_NORM_SHIFT) {
                for (int i = 0; i < p.value().size(); i++) {
                    p.value().setFlat(i, r.nextDouble(-0.3, 0.3));
                }
            }
        }
        Matrix x = Matrix.zeros(10, arch.inputSize(), Precision.FLOAT64);
        for (int i = 0; i < x.size(); i++) {
            x.setFlat(i, r.nextDouble(-1.5, 1.5));
        }
        int[] y = new int[10];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextInt(arch.outputSize());
        }
        return new GradientChecker(net, x, y, penalty, GradientChecker.Options.DEFAULT).run();
    }

    private static final Architecture TANH = new Architecture(6, 0, List.of(new HiddenLayer(5, Activation.TANH, false, 0),
            new HiddenLayer(4, Activation.TANH, false, 0)), 3);
    private static final Architecture BATCH_NORM = new Architecture(6, 0, List.of(
            new HiddenLayer(5, Activation.RELU, true, 0), new HiddenLayer(4, Activation.TANH, true, 0)), 3);
    private static final Architecture DROPOUT = new Architecture(6, 0, List.of(
            new HiddenLayer(5, Activation.TANH, false, 0.5), new HiddenLayer(4, Activation.TANH, false, 0)), 3);

    @Test
    void correctCodePassesEveryCheck() {
        for (Architecture arch : List.of(TANH, BATCH_NORM, DROPOUT)) {
            GradientChecker.Report report = check(arch, JAVA, new WeightPenalty(0.01, 0.02));
            assertTrue(report.passed(), arch + ": " + report.tensors());
            assertTrue(report.tensors().stream().allMatch(t -> t.checked() > 0));
        }
    }

    @Test
    void catchesAnActivationDerivativeOffByAFactor() {
        Backend broken = new DelegatingBackend(JAVA) {
            @Override
            public void activationBackward(Activation g, Matrix pre, Matrix act, Matrix gradAct, Matrix gradPre) {
                super.activationBackward(g, pre, act, gradAct, gradPre);
                if (pre.cols() == 4) { // the second hidden layer only
                    for (int i = 0; i < gradPre.size(); i++) {
                        gradPre.setFlat(i, 1.5 * gradPre.getFlat(i));
                    }
                }
            }
        };
        GradientChecker.Report report = check(TANH, broken, WeightPenalty.NONE);
        assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"),
                report.failedTensors());
        assertEquals("layers.1", report.likelyCulprit());
    }

    @Test
    void catchesBatchNormalizationWithoutTheMeanTerm() {
        Backend broken = new DelegatingBackend(JAVA) {
            @Override
            public void batchNormBackward(Matrix gradY, Matrix xHat, Matrix gamma, Matrix batchVariance,
                                          double epsilon, Matrix gradX, Matrix gradGamma, Matrix gradBeta) {
                super.batchNormBackward(gradY, xHat, gamma, batchVariance, epsilon, gradX, gradGamma, gradBeta);
                if (gradY.cols() != 4) {
                    return;
                }
                // subtract the ∂ℓ/∂μ_B · 1/m term again: what an implementation that forgot it computes
                int m = gradY.rows();
                for (int j = 0; j < gradY.cols(); j++) {
                    double std = Math.sqrt(batchVariance.getFlat(j) + epsilon);
                    double sumDxHat = 0;
                    double sumDxHatCentered = 0;
                    double sumCentered = 0;
                    for (int r = 0; r < m; r++) {
                        double dxHat = gradY.get(r, j) * gamma.getFlat(j);
                        sumDxHat += dxHat;
                        sumDxHatCentered += dxHat * xHat.get(r, j) * std;
                        sumCentered += xHat.get(r, j) * std;
                    }
                    double dVar = sumDxHatCentered * -0.5 * Math.pow(std, -3);
                    double dMean = -sumDxHat / std + dVar * -2 * sumCentered / m;
                    for (int r = 0; r < m; r++) {
                        gradX.set(r, j, gradX.get(r, j) - dMean / m);
                    }
                }
            }
        };
        GradientChecker.Report report = check(BATCH_NORM, broken, WeightPenalty.NONE);
        assertEquals(List.of("layers.0.weight", "layers.0.bn.weight", "layers.0.bn.bias", "layers.1.weight"),
                report.failedTensors(), "γ and β of the broken layer are right; its W and everything below are not");
        assertEquals("layers.1", report.likelyCulprit());
    }

    @Test
    void catchesDropoutWhoseBackwardIgnoresTheMask() {
        Backend broken = new DelegatingBackend(JAVA) {
            @Override
            public void multiply(Matrix x, Matrix m, Matrix out) {
                if (x != out) { // forward applies the mask; the in-place backward call is skipped
                    super.multiply(x, m, out);
                }
            }
        };
        GradientChecker.Report report = check(DROPOUT, broken, WeightPenalty.NONE);
        assertEquals(List.of("layers.0.weight", "layers.0.bias"), report.failedTensors());
        assertEquals("layers.0", report.likelyCulprit());
    }

    @Test
    void catchesL2AppliedToTheBiases() {
        WeightPenalty right = new WeightPenalty(0, 0.05);
        Penalty wrong = new Penalty() {
            @Override
            public double value(List<Parameter> parameters) {
                return right.value(parameters);
            }

            @Override
            public void addGradient(List<Parameter> parameters) {
                for (Parameter p : parameters) { // the bug: every tensor, biases included
                    for (int i = 0; i < p.value().size(); i++) {
                        p.gradient().setFlat(i, p.gradient().getFlat(i) + 0.05 * 2 * p.value().getFlat(i));
                    }
                }
            }
        };
        GradientChecker.Report report = check(TANH, JAVA, wrong);
        assertEquals(List.of("layers.0.bias", "layers.1.bias", "layers.2.bias"), report.failedTensors());
    }

    @Test
    void passesEveryCombinationOfActivationPenaltyBatchNormAndDropout() {
        int combinations = 0;
        for (Activation g : Activation.values()) {
            for (WeightPenalty penalty : List.of(WeightPenalty.NONE, new WeightPenalty(0.01, 0), new WeightPenalty(0, 0.02))) {
                for (boolean batchNorm : new boolean[] {false, true}) {
                    for (double dropout : new double[] {0, 0.4}) {
                        Architecture arch = new Architecture(6, dropout > 0 ? 0.2 : 0, List.of(
                                new HiddenLayer(5, g, batchNorm, dropout), new HiddenLayer(4, g, batchNorm, dropout)), 3);
                        GradientChecker.Report report = check(arch, JAVA, penalty);
                        assertTrue(report.passed(), g + " " + penalty + " bn=" + batchNorm + " dropout=" + dropout + ": "
                                + report.tensors());
                        combinations++;
                    }
                }
            }
        }
        assertEquals(4 * 3 * 2 * 2, combinations);
    }
}
