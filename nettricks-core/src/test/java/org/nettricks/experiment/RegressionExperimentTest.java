package org.nettricks.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.config.Recipe;
import org.nettricks.data.DataSources;
import org.nettricks.data.Dataset;
import org.nettricks.data.TargetScaling;
import org.nettricks.model.Classifier;
import org.nettricks.model.ModelFile;
import org.nettricks.optim.Adam;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.training.TrainingListener;

/**
 * Issue 17, item 1: regression end to end in the library. The targets' standardization against
 * hand-worked statistics; the round trip of the standardization (a network trained on y and one
 * trained on 1000·y + 5 give predictions related the same way, in original units); a model file
 * that saves and loads a regressor with its targets; a network that learns a known function.
 */
class RegressionExperimentTest {
    @TempDir
    Path dir;

    /** 300 examples of two features, y = 3·x0 − 2·x1 + 0.5·x0·x1 + noise, transformed by {@code f}. */
    private Path write(String name, DoubleUnaryOperator f) throws IOException {
        SplittableRandom r = new SplittableRandom(3);
        StringBuilder sb = new StringBuilder("x0,x1,y\n");
        for (int i = 0; i < 300; i++) {
            double x0 = r.nextDouble(-2, 2);
            double x1 = r.nextDouble(-2, 2);
            double y = 3 * x0 - 2 * x1 + 0.5 * x0 * x1 + r.nextGaussian() * 0.1;
            sb.append(String.format(Locale.ROOT, "%.6f,%.6f,%.17g%n", x0, x1, f.applyAsDouble(y)));
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sb.toString());
        return p;
    }

    private static Recipe recipe(Path data) {
        return Recipe.builder().task("regression").data(data.toString()).labelColumn("y").hidden(16)
                .optimizer(new Adam(0.9, 0.999, 1e-8)).learningRate(0.01).epochs(30).batchSize(32).seed(7).build();
    }

    @Test
    void theTargetsAreStandardizedWithThePopulationStandardDeviation() {
        // y = 1, 2, 3, 4: μ = 2.5, σ = √(((1.5)² + (0.5)² + (0.5)² + (1.5)²) / 4) = √1.25 (divisor N, not N − 1)
        Dataset d = new Dataset("t", new float[4], 4, 1, null, List.of(), null).withTargets(new double[] {1, 2, 3, 4},
                List.of("y"));
        TargetScaling s = TargetScaling.fit(d);
        assertArrayEquals(new double[] {2.5}, s.mean(), 0);
        assertArrayEquals(new double[] {Math.sqrt(1.25)}, s.std(), 1e-15);
        assertArrayEquals(new double[] {-1.5 / Math.sqrt(1.25), 1.5 / Math.sqrt(1.25)},
                new double[] {s.standardize(d).targets()[0], s.standardize(d).targets()[3]}, 1e-15);
        double[] back = s.standardize(d).targets().clone();
        s.unstandardize(back);
        assertArrayEquals(new double[] {1, 2, 3, 4}, back, 1e-15);
    }

    @Test
    void predictionsAreInTheOriginalUnitsAndSurviveTheModelFile() throws IOException {
        Path plain = write("plain.csv", y -> y);
        Path scaled = write("scaled.csv", y -> 1000 * y + 5);
        try (Backend b = new JavaBackend(1)) {
            Experiment.Result r1 = Experiment.prepare(recipe(plain), b).run(new TrainingListener() { });
            Experiment.Result r2 = Experiment.prepare(recipe(scaled), b).run(new TrainingListener() { });
            Dataset inputs = DataSources.loadForRegression(plain.toString(), "data", List.of("y"),
                    r1.model().inputSchema(), 2, false, null);
            double[] p1 = r1.model().predictValues(inputs);
            double[] p2 = r2.model().predictValues(inputs);
            for (int i = 0; i < p1.length; i++) {
                assertEquals(1000 * p1[i] + 5, p2[i], 1e-3 * Math.max(1, Math.abs(p2[i])), "example " + i);
            }
            // the network learned the function: test R² near 1, and the same in both units
            assertTrue(r1.regressionTest().r2()[0] > 0.95, "R² " + r1.regressionTest().r2()[0]);
            assertEquals(r1.regressionTest().r2()[0], r2.regressionTest().r2()[0], 1e-4);
            assertEquals(1000 * r1.regressionTest().rmse()[0], r2.regressionTest().rmse()[0],
                    1e-3 * r2.regressionTest().rmse()[0]);
            // the model file keeps the task, the targets and their statistics
            Path file = dir.resolve("m.safetensors");
            ModelFile.save(r2.model(), file);
            Classifier loaded = ModelFile.load(file, b);
            assertTrue(loaded.isRegression());
            assertEquals(List.of("y"), loaded.targetScaling().names());
            assertArrayEquals(r2.model().targetScaling().mean(), loaded.targetScaling().mean(), 0);
            assertArrayEquals(r2.model().targetScaling().std(), loaded.targetScaling().std(), 0);
            assertArrayEquals(p2, loaded.predictValues(inputs), 0);
            Dataset labelled = DataSources.loadForRegression(scaled.toString(), "data", List.of("y"),
                    loaded.inputSchema(), 2, true, null);
            assertEquals(r2.model().evaluateRegression(labelled).mse()[0], loaded.evaluateRegression(labelled).mse()[0],
                    0);
        }
    }
}
