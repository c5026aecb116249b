package org.nettricks.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nettricks.config.Recipe;
import org.nettricks.config.RecipeSettings;
import org.nettricks.data.Dataset;
import org.nettricks.evaluation.Metric;
import org.nettricks.network.Network;
import org.nettricks.selection.MedianPruner;
import org.nettricks.selection.Search;
import org.nettricks.selection.TrialResult;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.training.Callback;
import org.nettricks.training.EarlyStopping;
import org.nettricks.training.EpochReport;
import org.nettricks.training.TrainingHistory;
import org.nettricks.training.TrainingListener;
import org.nettricks.training.TrainingRun;

/**
 * Issue 17, item 3: {@code monitor}. Early stopping by the validation macro F1 keeps the epoch whose
 * F1, recomputed here by hand from the network's validation predictions, is the best; metrics to
 * maximize improve upwards; a search ranks and prunes in the metric's direction.
 */
class MonitorTest {
    /** The macro F1 of scikit-learn (zero_division=0, over the classes that occur as true or predicted), by hand. */
    static double macroF1(int[] truth, int[] predicted, int classes) {
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < classes; c++) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < truth.length; i++) {
                if (predicted[i] == c && truth[i] == c) {
                    tp++;
                } else if (predicted[i] == c) {
                    fp++;
                } else if (truth[i] == c) {
                    fn++;
                }
            }
            if (tp + fp + fn == 0) {
                continue; // neither true nor predicted: not in the average
            }
            double p = tp + fp == 0 ? 0 : (double) tp / (tp + fp);
            double r = tp + fn == 0 ? 0 : (double) tp / (tp + fn);
            sum += p + r == 0 ? 0 : 2 * p * r / (p + r);
            counted++;
        }
        return sum / counted;
    }

    /** The argmax class of each validation example, from the network's probabilities (first on ties). */
    static int[] predictions(Network network, Dataset data) {
        Matrix p = network.probabilities(data.rows(0, data.size(), network.precision()));
        int[] out = new int[data.size()];
        for (int i = 0; i < out.length; i++) {
            int best = 0;
            for (int j = 1; j < p.cols(); j++) {
                if (p.get(i, j) > p.get(i, best)) {
                    best = j;
                }
            }
            out[i] = best;
        }
        return out;
    }

    @Test
    void earlyStoppingByTheMacroF1KeepsTheEpochWhoseF1IsBest() {
        Recipe recipe = RecipeSettings.of("data", "digits", "hidden", "12", "epochs", "14", "patience", "4",
                "monitor", "val-f1-macro", "optimizer", "sgd", "lr", "0.5", "batch-size", "32", "seed", "2",
                "train-limit", "400");
        try (JavaBackend backend = new JavaBackend(1)) {
            Experiment experiment = Experiment.prepare(recipe, backend);
            Dataset validation = experiment.validation();
            List<Double> byHand = new ArrayList<>();
            Callback recompute = new Callback() {
                @Override
                public void onEpochEnd(TrainingRun run, EpochReport report) {
                    byHand.add(macroF1(validation.labels(), predictions(experiment.network(), validation),
                            validation.classCount()));
                }
            };
            TrainingHistory history = experiment.run(TrainingListener.NONE, List.of(recompute)).history();
            assertEquals(byHand.size(), history.epochs().size());
            int best = 0; // the first epoch of the highest F1: an equal figure later is no improvement
            for (int e = 0; e < byHand.size(); e++) {
                assertEquals(byHand.get(e), history.epochs().get(e).monitored(), 1e-12, "epoch " + (e + 1));
                if (byHand.get(e) > byHand.get(best)) {
                    best = e;
                }
            }
            assertEquals(best + 1, history.bestEpoch(), "F1 by epoch " + byHand);
            assertTrue(history.bestEpoch() < history.epochs().size(), "the run goes on after its best epoch: "
                    + byHand);
            // the network holds the best epoch's parameters again
            assertEquals(byHand.get(best), macroF1(validation.labels(), predictions(experiment.network(), validation),
                    validation.classCount()), 1e-12);
        }
    }

    @Test
    void theMetricsOfProbabilitiesAreEvaluatesOnTheValidationSet() {
        // evaluate's figures (ClassificationMetrics, checked against scikit-learn to 1e-12 by
        // ClassificationMetricsTest) of the network's validation probabilities after the last epoch
        for (String name : List.of("val-roc-auc-ovr", "val-top-3-accuracy", "val-log-loss", "val-balanced-accuracy",
                "val-f1-weighted", "val-precision-macro", "val-recall-macro", "val-accuracy")) {
            Recipe recipe = RecipeSettings.of("data", "digits", "hidden", "8", "epochs", "2", "monitor", name,
                    "train-limit", "300", "seed", "4");
            try (JavaBackend backend = new JavaBackend(1)) {
                Experiment experiment = Experiment.prepare(recipe, backend);
                TrainingHistory history = experiment.train(TrainingListener.NONE);
                Dataset v = experiment.validation();
                org.nettricks.evaluation.ClassificationMetrics m = org.nettricks.evaluation.ClassificationMetrics.of(
                        v.labels(), experiment.network().probabilities(v.rows(0, v.size(),
                                experiment.network().precision())));
                double expected = switch (name) {
                    case "val-roc-auc-ovr" -> m.macroRocAuc();
                    case "val-top-3-accuracy" -> m.topKAccuracy(3);
                    case "val-log-loss" -> m.logLoss();
                    case "val-balanced-accuracy" -> m.balancedAccuracy();
                    case "val-f1-weighted" -> m.weightedF1();
                    case "val-precision-macro" -> m.macroPrecision();
                    case "val-recall-macro" -> m.macroRecall();
                    default -> m.accuracy();
                };
                assertEquals(expected, history.last().monitored(), 1e-12, name);
                assertTrue(expected > 0 && expected < 1 || name.equals("val-log-loss"), name + " " + expected);
            }
        }
    }

    @Test
    void aRegressionMetricIsComputedFromTheValidationPredictions(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.util.SplittableRandom r = new java.util.SplittableRandom(8);
        StringBuilder sb = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 120; i++) {
            double a = r.nextDouble(-1, 1);
            sb.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%.4f%n", a, r.nextDouble(), 10 * a + 3));
        }
        java.nio.file.Path csv = java.nio.file.Files.writeString(dir.resolve("r.csv"), sb.toString());
        Recipe recipe = RecipeSettings.of("data", csv.toString(), "task", "regression", "label", "y", "hidden", "4",
                "epochs", "3", "monitor", "val-mae", "optimizer", "adam", "lr", "0.01");
        try (JavaBackend backend = new JavaBackend(1)) {
            Experiment e = Experiment.prepare(recipe, backend);
            TrainingHistory history = e.train(TrainingListener.NONE);
            Dataset v = e.validation();
            double[] predicted = new org.nettricks.evaluation.RegressionEvaluator(e.network(), v, e.targetScaling(),
                    recipe.optimizer().regressionLoss()).predictions();
            e.targetScaling().unstandardize(predicted);
            double[] truth = v.targets().clone();
            e.targetScaling().unstandardize(truth);
            double sum = 0;
            for (int i = 0; i < truth.length; i++) {
                sum += Math.abs(truth[i] - predicted[i]);
            }
            assertEquals(sum / truth.length, history.last().monitored(), 1e-9);
        }
    }

    @Test
    void aMetricToMaximizeImprovesUpwardsByMoreThanMinDelta() {
        EarlyStopping s = new EarlyStopping(new EarlyStopping.Config(2, 0.01, Metric.parse("val-r2")));
        assertTrue(s.update(1, 0.50));
        assertTrue(s.update(2, 0.52));
        assertEquals(false, s.update(3, 0.525)); // +0.005: not more than min-delta
        assertEquals(false, s.update(4, Double.NaN));
        assertTrue(s.shouldStop());
        assertEquals(0.52, s.best(), 0);
        assertEquals(2, s.bestEpoch());
        EarlyStopping loss = new EarlyStopping(new EarlyStopping.Config(2, 0, Metric.parse("val-log-loss")));
        assertTrue(loss.update(1, 0.5));
        assertEquals(false, loss.update(2, 0.6));
        assertTrue(loss.update(3, 0.4));
    }

    @Test
    void everyMetricHasItsNameDirectionAndTask() {
        assertEquals("val-top-3-accuracy", Metric.parse("VAL-TOP-3-ACCURACY").name());
        assertEquals(Metric.Direction.MAXIMIZE, Metric.parse("val-roc-auc-ovr").direction());
        assertEquals(Metric.Direction.MINIMIZE, Metric.parse("val-log-loss").direction());
        assertEquals(Metric.Direction.MINIMIZE, Metric.parse("val-mae").direction());
        assertTrue(Metric.VAL_LOSS.forRegression() && Metric.VAL_LOSS.forClassification());
        assertTrue(!Metric.parse("val-r2").forClassification() && !Metric.parse("val-f1-weighted").forRegression());
        assertEquals(Metric.VAL_LOSS, Metric.defaultFor(true));
        assertEquals(Metric.VAL_ERROR, Metric.defaultFor(false));
        assertThrows(IllegalArgumentException.class, () -> Metric.parse("val-top-x-accuracy"));
        assertThrows(IllegalArgumentException.class, () -> Metric.parse("f1"));
        assertEquals(Metric.parse("val-r2"), RecipeSettings.of("data", "d.csv", "task", "regression", "label", "y",
                "monitor", "val-r2").regularization().monitor());
    }

    private static TrialResult trial(int index, String monitor, double figure, List<Double> curve) {
        return new TrialResult(index, index, Map.of(), "ok", 1, Double.NaN, 0.5, curve.size(), 1, curve, monitor,
                figure);
    }

    @Test
    void searchRanksAndPrunesInTheMetricsDirection() {
        List<TrialResult> trials = List.of(trial(0, "val-f1-macro", 0.80, List.of(0.5, 0.8)),
                trial(1, "val-f1-macro", 0.92, List.of(0.6, 0.92)), trial(2, "val-f1-macro", Double.NaN, List.of()),
                trial(3, "val-f1-macro", 0.85, List.of(0.7, 0.85)), trial(4, "val-f1-macro", 0.92, List.of(0.4, 0.92)));
        assertEquals(List.of(1, 4, 3, 0, 2), Search.ranked(trials).stream().map(TrialResult::index).toList(),
                "highest F1 first, the lower trial on a tie, no figure last");
        double[] curve = Search.bestSoFar(trials, 5);
        assertEquals(List.of(0.80, 0.92, 0.92, 0.92, 0.92), java.util.Arrays.stream(curve).boxed().toList());
        // pruning: after epoch 1 the earlier F1s are 0.5, 0.6, 0.7 (median 0.6); below it is worse
        MedianPruner pruner = MedianPruner.of(true, List.of(trials.get(0), trials.get(1), trials.get(3)));
        assertTrue(pruner.shouldStop(1, 0.55));
        assertEquals(false, pruner.shouldStop(1, 0.65));
        assertTrue(pruner.shouldStop(1, Double.NaN));
        // and for a metric to minimize (RMSE), above the median is worse
        MedianPruner rmse = MedianPruner.of(true, List.of(trial(0, "val-rmse", 50, List.of(60.0)),
                trial(1, "val-rmse", 40, List.of(40.0)), trial(2, "val-rmse", 45, List.of(50.0))));
        assertTrue(rmse.shouldStop(1, 55));
        assertEquals(false, rmse.shouldStop(1, 45));
        assertNotEquals(Search.ranked(List.of(trial(0, "val-rmse", 50, List.of()), trial(1, "val-rmse", 40, List.of())))
                .get(0).index(), 0);
    }
}
