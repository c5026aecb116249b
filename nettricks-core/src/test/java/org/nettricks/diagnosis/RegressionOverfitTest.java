package org.nettricks.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.activations.Activation;
import org.nettricks.config.RecipeSettings;
import org.nettricks.data.Dataset;
import org.nettricks.experiment.Experiment;
import org.nettricks.layers.DenseLayer;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.DelegatingBackend;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;

/**
 * The small-data test for regression: correct networks on noisy targets reach the bar
 * ({@link Diagnosis#REGRESSION_FIT}) within the default budget, and networks with a broken
 * backward pass are blamed, the frozen one no closer than the least-squares fit of its fixed
 * hidden features, computed here by hand.
 */
class RegressionOverfitTest {
    @TempDir
    Path dir;

    /** 300 rows of y = sin 2x₁ + x₂²/2 + N(0, 0.3²), x uniform on [−2, 2]²: noise that 16 ReLUs cannot memorize. */
    private Path noisyPlane() throws IOException {
        SplittableRandom r = new SplittableRandom(1);
        StringBuilder sb = new StringBuilder("x1,x2,y\n");
        for (int i = 0; i < 300; i++) {
            double a = r.nextDouble(-2, 2);
            double b = r.nextDouble(-2, 2);
            sb.append(String.format(Locale.ROOT, "%.5f,%.5f,%.5f%n", a, b, Math.sin(2 * a) + 0.5 * b * b
                    + 0.3 * r.nextGaussian()));
        }
        return Files.writeString(dir.resolve("plane.csv"), sb.toString());
    }

    /** 300 rows of 10 features, y = x₁x₂ + |x₃| + sin x₄ + 0.5 Σ_{j≥5} x_j / 6 + N(0, 0.5²). */
    private Path tenFeatures() throws IOException {
        SplittableRandom r = new SplittableRandom(2);
        StringBuilder sb = new StringBuilder("x1,x2,x3,x4,x5,x6,x7,x8,x9,x10,y\n");
        for (int i = 0; i < 300; i++) {
            double[] x = new double[10];
            double rest = 0;
            for (int j = 0; j < 10; j++) {
                x[j] = r.nextGaussian();
                sb.append(String.format(Locale.ROOT, "%.5f,", x[j]));
                rest += j >= 4 ? x[j] : 0;
            }
            sb.append(String.format(Locale.ROOT, "%.5f%n", x[0] * x[1] + Math.abs(x[2]) + Math.sin(x[3])
                    + 0.5 * rest / 6 + 0.5 * r.nextGaussian()));
        }
        return Files.writeString(dir.resolve("ten.csv"), sb.toString());
    }

    private static Experiment prepare(Path csv, String hidden, Backend backend) {
        return Experiment.prepare(RecipeSettings.of("data", csv.toString(), "task", "regression", "label", "y",
                "hidden", hidden, "seed", "1"), backend);
    }

    private static Diagnosis.Finding overfitFinding(Diagnosis.Result r) {
        return r.findings().stream().filter(f -> f.check().equals("small-data overfit test")).findFirst().orElseThrow();
    }

    @Test
    void correctNetworksOnNoisyTargetsReachTheBar() throws IOException {
        try (JavaBackend java = new JavaBackend(1)) {
            for (Path csv : List.of(noisyPlane(), tenFeatures())) {
                for (String hidden : List.of("16", "64")) {
                    Diagnosis.Result r = Diagnosis.run(prepare(csv, hidden, java), Diagnosis.Options.DEFAULT_REGRESSION);
                    Diagnosis.OverfitTest o = r.overfit();
                    String what = csv.getFileName() + " " + hidden + ": " + overfitFinding(r).detail();
                    assertTrue(o.passed() && o.regression(), what);
                    assertFalse(overfitFinding(r).problem(), what);
                    assertEquals(o.epochToZero(), o.errors().size(), "stops at the bar: " + what);
                    assertTrue(o.finalError() <= Diagnosis.REGRESSION_FIT, what);
                    assertTrue(o.errors().get(o.errors().size() - 2) > Diagnosis.REGRESSION_FIT, what);
                }
            }
        }
    }

    /**
     * Hidden layers whose backward pass returns no gradient (the output layer still learns): the
     * test must fail it, and the relative RMSE it reports can be no lower than that of the
     * least-squares fit of y on the initial hidden activations [relu(W₁x + b₁), 1] of the same 50
     * examples, solved here by the normal equations in double.
     */
    @Test
    void aHiddenLayerThatGetsNoGradientIsBlamed() throws IOException {
        try (JavaBackend java = new JavaBackend(1)) {
            Backend frozen = new DelegatingBackend(java) {
                @Override
                public void activationBackward(Activation g, Matrix pre, Matrix act, Matrix gradAct, Matrix gradPre) {
                    super.activationBackward(g, pre, act, gradAct, gradPre);
                    if (g != Activation.LINEAR) {
                        for (int i = 0; i < gradPre.size(); i++) {
                            gradPre.setFlat(i, 0);
                        }
                    }
                }
            };
            Experiment experiment = prepare(noisyPlane(), "16", frozen);
            DenseLayer first = experiment.network().denseLayers().get(0);
            double[][] w = toArray(first.weight().value());
            double[] b = toArray(first.bias().value())[0];
            Dataset train = experiment.train();
            double leastSquares = leastSquaresRelativeRmse(train, w, b, 50);

            Diagnosis.Result r = Diagnosis.run(experiment, Diagnosis.Options.DEFAULT_REGRESSION);
            Diagnosis.OverfitTest o = r.overfit();
            assertFalse(o.passed(), overfitFinding(r).detail());
            assertTrue(overfitFinding(r).problem());
            assertTrue(overfitFinding(r).detail().startsWith("training RMSE on 50 examples is still"),
                    overfitFinding(r).detail());
            assertEquals(Diagnosis.REGRESSION_EPOCHS, o.errors().size());
            assertTrue(leastSquares > Diagnosis.REGRESSION_FIT, "the bug cannot reach the bar: " + leastSquares);
            assertTrue(o.finalError() >= leastSquares - 1e-3, o.finalError() + " below least squares " + leastSquares);
        }
    }

    /** Hidden gradients of the wrong sign: the hidden layers climb the loss; the test reports it. */
    @Test
    void hiddenGradientsOfTheWrongSignAreBlamed() throws IOException {
        try (JavaBackend java = new JavaBackend(1)) {
            Backend flipped = new DelegatingBackend(java) {
                @Override
                public void activationBackward(Activation g, Matrix pre, Matrix act, Matrix gradAct, Matrix gradPre) {
                    super.activationBackward(g, pre, act, gradAct, gradPre);
                    if (g != Activation.LINEAR) {
                        for (int i = 0; i < gradPre.size(); i++) {
                            gradPre.setFlat(i, -gradPre.getFlat(i));
                        }
                    }
                }
            };
            Diagnosis.Result r = Diagnosis.run(prepare(tenFeatures(), "16", flipped), Diagnosis.Options.DEFAULT_REGRESSION);
            assertFalse(r.overfit().passed(), overfitFinding(r).detail());
            assertTrue(overfitFinding(r).problem());
            assertFalse(r.healthy());
        }
    }

    private static double[][] toArray(Matrix m) {
        double[][] a = new double[m.rows()][m.cols()];
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                a[i][j] = m.get(i, j);
            }
        }
        return a;
    }

    /** √(min_β mean (z − Hβ)²) / std(z over the training split), H = [relu(W x + b), 1] on the first n examples. */
    private static double leastSquaresRelativeRmse(Dataset train, double[][] w, double[] b, int n) {
        int d = train.featureCount();
        int p = w.length + 1;
        double[][] h = new double[n][p];
        double[] z = train.targets();
        for (int i = 0; i < n; i++) {
            for (int u = 0; u < w.length; u++) {
                double a = b[u];
                for (int j = 0; j < d; j++) {
                    a += w[u][j] * train.features()[i * d + j];
                }
                h[i][u] = Math.max(0, a);
            }
            h[i][p - 1] = 1;
        }
        double[][] ata = new double[p][p + 1]; // [HᵀH | Hᵀz], solved by Gaussian elimination with pivoting
        for (int r = 0; r < p; r++) {
            for (int c = 0; c < p; c++) {
                for (int i = 0; i < n; i++) {
                    ata[r][c] += h[i][r] * h[i][c];
                }
            }
            for (int i = 0; i < n; i++) {
                ata[r][p] += h[i][r] * z[i];
            }
            ata[r][r] += 1e-12; // a dead unit's column is 0
        }
        for (int c = 0; c < p; c++) {
            int pivot = c;
            for (int r = c + 1; r < p; r++) {
                pivot = Math.abs(ata[r][c]) > Math.abs(ata[pivot][c]) ? r : pivot;
            }
            double[] t = ata[c];
            ata[c] = ata[pivot];
            ata[pivot] = t;
            for (int r = 0; r < p; r++) {
                if (r != c) {
                    double f = ata[r][c] / ata[c][c];
                    for (int k = c; k <= p; k++) {
                        ata[r][k] -= f * ata[c][k];
                    }
                }
            }
        }
        double sse = 0;
        for (int i = 0; i < n; i++) {
            double fit = 0;
            for (int c = 0; c < p; c++) {
                fit += h[i][c] * ata[c][p] / ata[c][c];
            }
            sse += (z[i] - fit) * (z[i] - fit);
        }
        double mean = 0;
        for (int i = 0; i < train.size(); i++) {
            mean += z[i] / train.size();
        }
        double var = 0;
        for (int i = 0; i < train.size(); i++) {
            var += (z[i] - mean) * (z[i] - mean) / train.size();
        }
        return Math.sqrt(sse / n) / Math.sqrt(var);
    }
}
