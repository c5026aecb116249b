package org.nettricks.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nettricks.config.RecipeSettings;
import org.nettricks.data.Dataset;
import org.nettricks.evaluation.Evaluation;
import org.nettricks.evaluation.Evaluator;
import org.nettricks.experiment.Experiment;
import org.nettricks.layers.DenseLayer;
import org.nettricks.network.Architecture;
import org.nettricks.network.Network;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Precision;
import org.nettricks.training.Trainer;
import org.nettricks.training.TrainingConfig;
import org.nettricks.training.TrainingListener;
import org.nettricks.optim.Sgd;

class TrainingStatisticsTest {
    /**
     * Softmax regression on one example x = (1, 2) of class 0, from W = 0, b = 0, by plain SGD with
     * α = 0.1 for one epoch of one step. By hand: f(x) = (½, ½), ∂L/∂a = f(x) − e_0 = (−½, ½),
     * ∂L/∂W = (∂L/∂a) xᵀ = [[−½, −1], [½, 1]], so ‖∂L/∂W‖ = √2.5; after the step W = −0.1 ∂L/∂W, so
     * ‖W‖ = 0.1 √2.5; the epoch's loss, measured before the step, is ln 2.
     */
    @Test
    void normsOfOneStepOfSoftmaxRegressionAreTheHandWorkedOnes() {
        try (JavaBackend backend = new JavaBackend(1)) {
            Network network = new Network(new Architecture(2, 0, List.of(), 2), Precision.FLOAT64, backend);
            Dataset data = new Dataset("one example", new float[] {1, 2}, 1, 2, new int[] {0}, List.of("a", "b"),
                    null);
            int[] runs = {0};
            TrainingStatistics stats = new TrainingStatistics(network, data, data, true, () -> runs[0]++);
            new Trainer(new Sgd(), TrainingConfig.plain(1, 1, 0.1)).fit(network, data, null, new SplittableRandom(1),
                    TrainingListener.NONE, List.of(stats));
            assertEquals(2, runs[0], "the action runs after the epoch and after the end");
            TrainingStatistics.Epoch e = stats.epochs().get(0);
            assertEquals(Math.sqrt(2.5), e.gradientNorm()[0], 1e-12);
            assertEquals(0.1 * Math.sqrt(2.5), e.weightNorm()[0], 1e-12);
            assertEquals(Math.log(2), e.trainLoss(), 1e-12);
            assertEquals(0.1, e.learningRate());
            assertArrayEquals(new float[] {0, 0, 0, 0}, stats.weightsAtStart().get(0));
            assertArrayEquals(new float[] {0.05f, 0.1f, -0.05f, -0.1f}, stats.weightsAtEnd().get(0), 1e-7f);
            // after the step: a = W x + b with b = −0.1 (−½, ½) = (0.05, −0.05): a = (0.3, −0.3), class 0
            assertEquals(0, stats.testErrorAtEnd());
            assertEquals(Math.log(1 + Math.exp(-0.6)), stats.testLossAtEnd(), 1e-12);
            assertEquals(1, stats.keptEpoch());
        }
    }

    /**
     * Linear regression on two examples, x = (1, 0) with y = 3 and x = (0, 1) with y = 7, from W = 0,
     * b = 0, by plain SGD with α = 0.1 for one epoch of one full batch, squared error. By hand: μ = 5,
     * σ = 2 (population), z = (−1, 1); at o = 0 the loss is ((0+1)² + (0−1)²)/2 = 1 and ∂L/∂o = (o − z)
     * = (1, −1), so ∂L/∂W = (1, −1), ∂L/∂b = 0 and after the step W = (−0.1, 0.1): o = (−0.1, 0.1),
     * ŷ = μ + σ o = (4.8, 5.2). On the same two examples as the test set: loss ((0.9)² + (0.9)²)/2 =
     * 0.81, residuals y − ŷ = (−1.8, 1.8), RMSE 1.8, MAE 1.8, R² = 1 − 6.48/8 = 0.19; with the test
     * set evaluated every epoch, the epoch's test loss and RMSE are those.
     */
    @Test
    void aRegressionRunsTestFiguresAreTheHandWorkedOnes() {
        try (JavaBackend backend = new JavaBackend(1)) {
            Network network = new Network(new Architecture(2, 0, List.of(), 1), Precision.FLOAT64, backend);
            Dataset raw = new Dataset("two examples", new float[] {1, 0, 0, 1}, 2, 2, null, List.of(), null)
                    .withTargets(new double[] {3, 7}, List.of("y"));
            org.nettricks.data.TargetScaling scaling = org.nettricks.data.TargetScaling.fit(raw);
            Dataset data = scaling.standardize(raw);
            org.nettricks.losses.RegressionLoss loss = org.nettricks.losses.RegressionLoss.squaredError();
            TrainingStatistics stats = new TrainingStatistics(network, data, data, true, null).regression(scaling, loss);
            new Trainer(new Sgd(), TrainingConfig.plain(1, 2, 0.1)).regression(scaling, loss).fit(network, data, null,
                    new SplittableRandom(1), TrainingListener.NONE, List.of(stats));
            TrainingStatistics.Epoch e = stats.epochs().get(0);
            assertEquals(1, e.trainLoss(), 1e-12);
            assertEquals(0.81, e.testLoss(), 1e-12);
            assertEquals(1.8, e.testError(), 1e-12, "the epoch's test RMSE, original units");
            assertArrayEquals(new double[] {3, 7}, stats.testTruth(), 1e-12);
            assertArrayEquals(new double[] {4.8, 5.2}, stats.testPredicted(), 1e-12);
            assertEquals(0.81, stats.regressionTest().loss(), 1e-12);
            assertEquals(1.8, stats.regressionTest().meanRmse(), 1e-12);
            assertEquals(1.8, stats.regressionTest().meanMae(), 1e-12);
            assertEquals(0.19, stats.regressionTest().meanR2(), 1e-12);
            assertEquals(null, stats.confusion(), "no confusion matrix for regression");

            HtmlReport report = new HtmlReport(stats, java.util.Map.of("data", "two examples"), java.util.Map.of(), null,
                    null);
            java.util.Map<String, java.util.Map<String, Object>> charts = new java.util.LinkedHashMap<>();
            for (java.util.Map<String, Object> c : report.charts()) {
                charts.put((String) c.get("id"), c);
            }
            assertEquals(List.of("loss", "rmse", "predicted-1", "residuals-1"), List.copyOf(charts.keySet()).subList(0, 4));
            assertFalse(charts.containsKey("error") || charts.containsKey("confusion"));
            assertEquals("Loss (mean squared error over examples and targets, standardized units)",
                    charts.get("loss").get("title"));
            @SuppressWarnings("unchecked")
            List<java.util.Map<String, Object>> scatter = (List<java.util.Map<String, Object>>) charts.get("predicted-1")
                    .get("series");
            @SuppressWarnings("unchecked")
            List<double[]> points = (List<double[]>) scatter.get(0).get("data");
            assertArrayEquals(new double[] {3, 4.8}, points.get(0), 1e-12);
            assertArrayEquals(new double[] {7, 5.2}, points.get(1), 1e-12);
            @SuppressWarnings("unchecked")
            List<double[]> diagonal = (List<double[]>) scatter.get(1).get("data");
            assertArrayEquals(new double[] {3, 3}, diagonal.get(0), 1e-12, "y = x over the range of both");
            assertArrayEquals(new double[] {7, 7}, diagonal.get(1), 1e-12);
            // residuals −1.8 and 1.8: 30 bins of width 0.12 from −1.8, the first and the last hold one each
            int[] counts = (int[]) ((List<java.util.Map<?, ?>>) charts.get("residuals-1").get("series")).get(0).get("data");
            assertEquals(1, counts[0]);
            assertEquals(1, counts[29]);
            assertEquals(2, java.util.Arrays.stream(counts).sum());
            assertTrue(report.html().contains("test loss 0.8100 (squared error, standardized units), RMSE 1.800,"
                    + " MAE 1.800, R² 0.1900 (2 examples)"), "the status line");
        }
    }

    /** At most {@value HtmlReport#SCATTER_POINTS} test examples in a scatter, evenly spaced: example ⌊j·n/m⌋. */
    @Test
    void aLargeTestSetsScatterIsSampledEvenly() {
        try (JavaBackend backend = new JavaBackend(1)) {
            int n = 2500;
            Network network = new Network(new Architecture(1, 0, List.of(), 1), Precision.FLOAT64, backend);
            float[] x = new float[n];
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = i;
                y[i] = i; // the true value names the example
            }
            Dataset raw = new Dataset("a line", x, n, 1, null, List.of(), null).withTargets(y, List.of("y"));
            org.nettricks.data.TargetScaling scaling = org.nettricks.data.TargetScaling.fit(raw);
            Dataset data = scaling.standardize(raw);
            org.nettricks.losses.RegressionLoss loss = org.nettricks.losses.RegressionLoss.huber(1.5);
            TrainingStatistics stats = new TrainingStatistics(network, data, data, false, null).regression(scaling, loss);
            new Trainer(new Sgd(), TrainingConfig.plain(1, 500, 1e-6)).regression(scaling, loss).fit(network, data,
                    null, new SplittableRandom(1), TrainingListener.NONE, List.of(stats));
            HtmlReport report = new HtmlReport(stats, java.util.Map.of(), java.util.Map.of(), null, null);
            java.util.Map<String, Object> scatter = report.charts().stream().filter(c -> c.get("id").equals("predicted-1"))
                    .findFirst().orElseThrow();
            @SuppressWarnings("unchecked")
            List<double[]> points = (List<double[]>) ((List<java.util.Map<String, Object>>) scatter.get("series")).get(0)
                    .get("data");
            assertEquals(2000, points.size());
            for (int j = 0; j < 2000; j++) {
                assertEquals(j * 5 / 4, points.get(j)[0], 1e-9, "example " + j + " of the sample"); // ⌊j·2500/2000⌋
            }
            assertTrue(((String) scatter.get("title")).contains("(2000 of 2500 examples, evenly spaced)"));
            assertTrue(((String) report.charts().get(0).get("title")).startsWith("Loss (mean Huber loss (δ = 1.5)"));
        }
    }

    /** The confusion matrix, test loss and error at the end against the library's own Evaluator (another code path). */
    @Test
    void theEndOfADigitsRunAgreesWithTheEvaluator() {
        try (JavaBackend backend = new JavaBackend(1)) {
            Experiment experiment = Experiment.prepare(RecipeSettings.of("data", "digits", "hidden", "16,8",
                    "activation", "tanh", "epochs", "3", "seed", "5"), backend);
            TrainingStatistics stats = new TrainingStatistics(experiment.network(), experiment.train(),
                    experiment.test(), true, null);
            Experiment.Result r = experiment.run(TrainingListener.NONE, List.of(stats));
            Evaluation test = new Evaluator(experiment.network(), experiment.test()).evaluate();
            assertArrayEquals(test.confusion(), stats.confusion());
            assertEquals(test.error(), stats.testErrorAtEnd(), 1e-12);
            assertEquals(test.loss(), stats.testLossAtEnd(), 1e-6);
            assertEquals(3, stats.epochs().size());
            for (int k = 0; k < 3; k++) {
                assertEquals(r.history().epochs().get(k).validationError(), stats.epochs().get(k).validationError());
            }
            assertEquals(test.error(), stats.epochs().get(2).testError(), 1e-12, "the last epoch's test figure");
            assertEquals(2, stats.epochs().get(0).saturation().length, "two tanh layers");
            assertEquals(3, stats.layerNames().size());
            // pre-activations of hidden 1 on the first 256 examples by hand: W x + b
            DenseLayer first = experiment.network().denseLayers().get(0);
            float[] z = stats.preActivationsAtEnd().get(0);
            assertEquals(256 * 16, z.length);
            for (int i : new int[] {0, 17, 255}) {
                for (int j : new int[] {0, 15}) {
                    double s = first.bias().value().getFlat(j);
                    for (int f = 0; f < 64; f++) {
                        s += first.weight().value().get(j, f) * experiment.train().features()[i * 64 + f];
                    }
                    assertEquals(s, z[i * 16 + j], 1e-4);
                }
            }
            int wrong = 0;
            for (int i = 0; i < test.confusion().length; i++) {
                for (int j = 0; j < test.confusion().length; j++) {
                    wrong += i == j ? 0 : test.confusion()[i][j];
                }
            }
            assertEquals(Math.min(wrong, TrainingStatistics.MISCLASSIFIED_KEPT), stats.misclassified().size());
            for (TrainingStatistics.Misclassified m : stats.misclassified()) {
                assertEquals(experiment.test().labels()[m.index()], m.label());
                assertTrue(m.label() != m.predicted());
            }
        }
    }

    /**
     * A run resumed from a checkpoint after epoch 2 reports all three epochs: epochs 1–2 come from
     * the checkpoint's history with the uninterrupted run's figures (per-layer statistics empty),
     * epoch 3 as measured, equal to the uninterrupted run's (an exact resume); found by a fresh user,
     * whose report after a resume held only the epochs run since.
     */
    @Test
    void aResumedRunReportsTheEpochsBeforeTheResume(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path ck = dir.resolve("ck");
        String[] recipe = {"data", "digits", "hidden", "16", "epochs", "3", "seed", "5"};
        List<TrainingStatistics.Epoch> full;
        try (JavaBackend backend = new JavaBackend(1)) {
            Experiment experiment = Experiment.prepare(RecipeSettings.of(recipe), backend);
            TrainingStatistics stats = new TrainingStatistics(experiment.network(), experiment.train(),
                    experiment.test(), false, null);
            experiment.run(TrainingListener.NONE, org.nettricks.experiment.Checkpoints.start(experiment, ck, 0),
                    List.of(stats));
            full = stats.epochs();
            assertEquals(0, stats.resumedAfter());
        }
        try (var files = java.nio.file.Files.list(ck)) { // drop the newest (after epoch 3): resume after epoch 2
            java.nio.file.Files.delete(files.sorted().reduce((a, b) -> b).orElseThrow());
        }
        try (JavaBackend backend = new JavaBackend(1)) {
            Experiment experiment = Experiment.prepare(RecipeSettings.of(recipe), backend);
            TrainingStatistics stats = new TrainingStatistics(experiment.network(), experiment.train(),
                    experiment.test(), false, null);
            experiment.run(TrainingListener.NONE, org.nettricks.experiment.Checkpoints.resume(experiment, ck, 0),
                    List.of(stats));
            assertEquals(2, stats.resumedAfter());
            assertEquals(3, stats.epochs().size());
            for (int k = 0; k < 3; k++) {
                TrainingStatistics.Epoch e = stats.epochs().get(k);
                assertEquals(k + 1, e.epoch());
                assertEquals(full.get(k).trainLoss(), e.trainLoss(), 0, "epoch " + (k + 1));
                assertEquals(full.get(k).validationError(), e.validationError(), 0);
                assertEquals(full.get(k).learningRate(), e.learningRate(), 0);
                assertEquals(k < 2, Double.isNaN(e.weightNorm()[0]), "per-layer figures only after the resume");
            }
            assertEquals(full.get(2).weightNorm()[0], stats.epochs().get(2).weightNorm()[0], 0);
        }
    }

    /** The report rewritten after each epoch shows the run so far: one point after epoch 1, then the finished run. */
    @Test
    void theReportAfterEachEpochShowsTheRunInProgress(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        try (JavaBackend backend = new JavaBackend(1)) {
            Experiment experiment = Experiment.prepare(RecipeSettings.of("data", "digits", "hidden", "8", "epochs", "3",
                    "seed", "5"), backend);
            java.nio.file.Path file = dir.resolve("r.html");
            List<String> seen = new java.util.ArrayList<>();
            HtmlReport[] report = new HtmlReport[1];
            TrainingStatistics stats = new TrainingStatistics(experiment.network(), experiment.train(),
                    experiment.test(), false, () -> {
                        try {
                            report[0].write(file);
                            seen.add(java.nio.file.Files.readString(file));
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
            report[0] = new HtmlReport(stats, java.util.Map.of("data", "digits"), experiment.recipe().toMap(), null,
                    null);
            experiment.run(TrainingListener.NONE, List.of(stats));
            assertEquals(4, seen.size(), "after each of 3 epochs and at the end");
            assertTrue(seen.get(0).contains("in progress: 1 epoch of 3 done"), "status after epoch 1");
            assertTrue(seen.get(2).contains("in progress: 3 epochs of 3 done"));
            assertTrue(seen.get(3).contains("finished: 3 epochs"));
            assertFalse(seen.get(0).contains("\"id\":\"confusion\""), "no confusion matrix before the end");
            assertTrue(seen.get(3).contains("\"id\":\"confusion\""));
            // the loss series after epoch 1: one point, epoch 1 with the epoch's training loss
            double loss = stats.epochs().get(0).trainLoss();
            assertTrue(seen.get(0).contains("{\"name\":\"training\",\"data\":[[1.0," + loss + "]]}"),
                    "one point after epoch 1");
        }
    }

    /**
     * The callback adds nothing to a step's allocations (0 bytes, counted by the JVM's per-thread
     * counters over steps 3 … 11 of epochs 26–30: with 11 batches per epoch, fewer than 8 per
     * sample, every step measures the gradient norms; the first step's saturation measurement and
     * the epoch's end are outside the window).
     */
    @Test
    void aStepWithTheStatisticsCallbackAllocatesNothing() {
        try (JavaBackend backend = new JavaBackend(2)) {
            Experiment experiment = Experiment.prepare(RecipeSettings.of("data", "digits", "hidden", "64,64",
                    "batch-size", "128", "epochs", "30", "seed", "5", "optimizer", "adam", "validation-fraction", "0"),
                    backend);
            org.nettricks.training.AllocationMeter meter = new org.nettricks.training.AllocationMeter(26, 30);
            experiment.run(meter, List.of(new TrainingStatistics(experiment.network(), experiment.train(),
                    experiment.test(), false, null)));
            assertEquals(0.0, meter.bytesPerStep(), "bytes allocated per step");
        }
    }

    /** Histogram bins by hand: 30 bins over [0, 3], width 0.1. */
    @Test
    void histogramCountsAreTheHandCountedOnes() {
        int[] n = HtmlReport.counts(new float[] {0f, 0.05f, 0.15f, 1.55f, 3f, Float.NaN}, 0, 0.1);
        int[] expected = new int[HtmlReport.BINS];
        expected[0] = 2;
        expected[1] = 1;
        expected[15] = 1;
        expected[29] = 1; // the top edge falls in the last bin; NaN is left out
        assertArrayEquals(expected, n);
    }
}
