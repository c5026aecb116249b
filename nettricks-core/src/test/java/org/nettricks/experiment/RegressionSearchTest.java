package org.nettricks.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.config.Recipe;
import org.nettricks.data.Dataset;
import org.nettricks.evaluation.RegressionEvaluator;
import org.nettricks.io.internal.Json;
import org.nettricks.selection.MedianPruner;
import org.nettricks.selection.Search;
import org.nettricks.selection.SearchSpace;
import org.nettricks.selection.Strategy;
import org.nettricks.selection.TreeParzenEstimator;
import org.nettricks.selection.TrialResult;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.training.TrainingListener;

/**
 * Issue 17: search for regression. Trials are ranked by the validation RMSE (original units, mean
 * over targets), which this test recomputes by hand from each trial's network, trained again from
 * its recipe (same seed: the same network), and its validation predictions; the results file names
 * the metric; TPE with the median pruner runs on it.
 */
class RegressionSearchTest {
    @TempDir
    Path dir;

    private Path data() throws IOException {
        SplittableRandom r = new SplittableRandom(3);
        StringBuilder sb = new StringBuilder("a,b,c,y1,y2\n");
        for (int i = 0; i < 160; i++) {
            double a = r.nextDouble(-2, 2);
            double b = r.nextDouble(-2, 2);
            double c = r.nextDouble(-2, 2);
            sb.append(String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%.4f%n", a, b, c,
                    100 + 30 * a - 20 * b * b + r.nextGaussian() * 5, 0.5 * c + a * b + r.nextGaussian() * 0.1));
        }
        return Files.writeString(dir.resolve("d.csv"), sb.toString());
    }

    private SearchSpace space(Path csv, String extra) throws IOException {
        Path file = Files.writeString(dir.resolve("space.yaml"), "data: " + csv + "\ntask: regression\nlabel: y1,y2\n"
                + "hidden: choice(4, 16)\nlr: loguniform(1e-3, 3e-2)\noptimizer: adam\nbatch-size: 16\nepochs: 6\n"
                + "split-seed: 1\n" + extra);
        return TrainingObjective.withDefaultMonitor(SearchSpace.read(file));
    }

    /** The validation RMSE, mean over targets, of a trial trained again from its recipe, by hand. */
    private static double validationRmse(SearchSpace space, TrialResult t) {
        Recipe recipe = space.recipe(t.values(), t.seed());
        try (JavaBackend backend = new JavaBackend(1)) {
            Experiment e = Experiment.prepare(recipe, backend);
            e.train(TrainingListener.NONE);
            Dataset v = e.validation();
            double[] predicted = new RegressionEvaluator(e.network(), v, e.targetScaling(),
                    recipe.optimizer().regressionLoss()).predictions(); // standardized units
            e.targetScaling().unstandardize(predicted);
            double[] truth = v.targets().clone();
            e.targetScaling().unstandardize(truth);
            int k = v.targetCount();
            double sum = 0;
            for (int j = 0; j < k; j++) {
                double squares = 0;
                for (int i = 0; i < v.size(); i++) {
                    double d = truth[i * k + j] - predicted[i * k + j];
                    squares += d * d;
                }
                sum += Math.sqrt(squares / v.size());
            }
            return sum / k;
        }
    }

    @Test
    void trialsAreRankedByTheValidationRmseRecomputedByHand() throws IOException {
        SearchSpace space = space(data(), "");
        assertEquals("val-rmse", space.fixed().get("monitor").value(), "regression's default for search");
        Path results = dir.resolve("trials.jsonl");
        TrainingObjective objective = new TrainingObjective(space, JavaBackend::new, 1, dir.resolve("best.safetensors"),
                null);
        objective.check(Strategy.trialSeed(5, 0));
        List<TrialResult> trials = Search.run(new Strategy.RandomSearch(space.dimensions(), 5), objective,
                new Search.Options(4, 1, 5, results, false), t -> { });
        List<double[]> byHand = new ArrayList<>();
        for (TrialResult t : trials) {
            double rmse = validationRmse(space, t);
            assertEquals("val-rmse", t.monitor());
            assertEquals(rmse, t.monitored(), 1e-9 * rmse, "trial " + t.index());
            byHand.add(new double[] {rmse, t.index()});
        }
        byHand.sort(Comparator.<double[]>comparingDouble(a -> a[0]).thenComparingDouble(a -> a[1]));
        assertEquals(byHand.stream().map(a -> (int) a[1]).toList(),
                Search.ranked(trials).stream().map(TrialResult::index).toList());
        assertTrue(byHand.get(0)[0] < byHand.get(byHand.size() - 1)[0], "the trials differ");
        // the results file names the metric and keeps its per-epoch curve; there is no classification error
        Map<?, ?> first = (Map<?, ?>) Json.parse(Files.readAllLines(results).get(0));
        assertEquals("val-rmse", first.get("monitor"));
        assertEquals(null, first.get("validation_error"));
        assertEquals(6, ((List<?>) first.get("monitored_per_epoch")).size());
        // the selected trial's test figures come from its saved model
        assertTrue(objective.testSelectedRegression(Search.ranked(trials).get(0)).meanRmse() > 0);
    }

    @Test
    void tpeWithTheMedianPrunerSelectsOnTheMonitoredMetric() throws IOException {
        SearchSpace space = space(data(), "monitor: val-r2\n");
        TrainingObjective objective = new TrainingObjective(space, JavaBackend::new, 1, null, null);
        List<TrialResult> trials = Search.run(new TreeParzenEstimator(space.dimensions(), 2), objective,
                new Search.Options(12, 1, 2, null, true), t -> { });
        for (TrialResult t : trials) {
            assertEquals("val-r2", t.monitor());
            // each trial was pruned against the trials before it, on R² (higher is better)
            List<TrialResult> earlier = trials.subList(0, t.index());
            MedianPruner pruner = MedianPruner.of(true, earlier);
            int stoppedAt = 0;
            for (int e = 1; e <= t.validationErrors().size() && stoppedAt == 0; e++) {
                stoppedAt = pruner.shouldStop(e, t.validationErrors().get(e - 1)) ? e : 0;
            }
            assertEquals(t.status().equals("pruned"), stoppedAt > 0, "trial " + t.index());
            assertEquals(stoppedAt > 0 ? stoppedAt : 6, t.validationErrors().size(), "trial " + t.index());
        }
        TrialResult best = Search.ranked(trials).get(0);
        for (TrialResult t : trials) {
            assertTrue(!t.hasFigure() || t.monitored() <= best.monitored(), "the highest R² is selected");
        }
    }
}
