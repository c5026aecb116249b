package org.nettricks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.activations.Activation;
import org.nettricks.data.DataSources;
import org.nettricks.data.Dataset;
import org.nettricks.data.Normalization;
import org.nettricks.data.Splits;
import org.nettricks.init.HeUniform;
import org.nettricks.model.ModelFile;
import org.nettricks.model.Classifier;
import org.nettricks.network.Architecture;
import org.nettricks.network.Network;
import org.nettricks.optim.Adam;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;
import org.nettricks.training.EpochReport;
import org.nettricks.evaluation.Evaluation;
import org.nettricks.experiment.Experiment;
import org.nettricks.config.Recipe;
import org.nettricks.config.RecipeSettings;
import org.nettricks.training.Trainer;
import org.nettricks.training.TrainingConfig;
import org.nettricks.training.TrainingHistory;
import org.nettricks.training.TrainingListener;

/**
 * The examples of docs/library.md, run as written: each of its Java blocks appears below line for
 * line (comments, and the test's own lines between "// test: begin" and "// test: end", are skipped
 * in the comparison), and each example is checked against facts it cannot make up (classes from a
 * known rule, the true digits, probabilities that sum to one).
 */
class LibraryGuideTest {
    private static final Path GUIDE = Path.of("..", "docs", "library.md");
    private static final Path SOURCE = Path.of("src", "test", "java", "org", "nettricks", "LibraryGuideTest.java");

    @TempDir
    Path dir;

    @Test
    void everyJavaBlockOfTheGuideIsInThisTest() throws IOException {
        List<String> source = meaningfulLines(Files.readString(SOURCE));
        Matcher blocks = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(GUIDE));
        int count = 0;
        while (blocks.find()) {
            List<String> block = meaningfulLines(blocks.group(1));
            assertTrue(java.util.Collections.indexOfSubList(source, block) >= 0,
                    "docs/library.md has a Java block that LibraryGuideTest does not run:\n" + blocks.group(1));
            count++;
        }
        assertEquals(3, count, "Java blocks in docs/library.md");
    }

    /** Example 1 (a recipe) and example 3 (the saved model on new rows). */
    @Test
    void recipeTrainsSavesAndTheSavedModelPredicts() throws IOException {
        Path modelFile = dir.resolve("digits.safetensors");
        List<Double> testAccuracy = new ArrayList<>();
        Recipe recipe = Recipe.builder()
                .data("digits")
                .hidden(64).activation(Activation.RELU)
                .optimizer(new Adam(0.9, 0.999, 1e-8)).learningRate(0.001)
                .batchSize(32).epochs(20).seed(1)
                .build();
        // test: begin
        assertEquals(RecipeSettings.of("data", "digits", "hidden", "64", "activation", "relu", "optimizer", "adam",
                "lr", "0.001", "batch-size", "32", "epochs", "20", "seed", "1"), recipe,
                "the builder gives the recipe the page built from flag names before");
        // test: end
        try (Backend backend = new JavaBackend(2)) {
            Experiment.Result result = Experiment.prepare(recipe, backend).run(new TrainingListener() {
                @Override
                public void onEpochEnd(EpochReport r) {
                    System.out.printf("epoch %d: training loss %.4f, validation error %.2f%%%n",
                            r.epoch(), r.trainLoss(), 100 * r.validationError());
                }
            });
            System.out.printf("test accuracy %.2f%%%n", 100 * result.test().accuracy());
            // test: begin
            testAccuracy.add(result.test().accuracy());
            // test: end
            ModelFile.save(result.model(), modelFile);
        }
        assertTrue(testAccuracy.get(0) > 0.9, "test accuracy " + testAccuracy + " (chance: 10%)");

        // example 3, on the first 300 built-in digits as raw pixels, whose true classes are known
        Dataset digits = DataSources.readDigits();
        int rowCount = 300;
        float[] newFeatures = java.util.Arrays.copyOf(digits.features(), rowCount * digits.featureCount());
        List<Integer> predictedClasses = new ArrayList<>();
        List<Double> rowSums = new ArrayList<>();
        try (Backend backend = new JavaBackend(2)) {
            Classifier model = ModelFile.load(modelFile, backend);
            Dataset rows = new Dataset("new rows", newFeatures, rowCount, model.normalization().featureCount(), null,
                    model.classNames(), null);
            int[] classes = model.predict(rows);
            Matrix probabilities = model.probabilities(rows);
            System.out.println(model.classNames().get(classes[0]) + " with probability "
                    + probabilities.get(0, classes[0]));
            // test: begin
            for (int i = 0; i < rowCount; i++) {
                predictedClasses.add(classes[i]);
                double sum = 0;
                for (int c = 0; c < probabilities.cols(); c++) {
                    sum += probabilities.get(i, c);
                }
                rowSums.add(sum);
            }
            // test: end
        }
        int right = 0;
        for (int i = 0; i < rowCount; i++) {
            if (predictedClasses.get(i) == digits.labels()[i]) {
                right++;
            }
            assertEquals(1.0, rowSums.get(i), 1e-5, "probabilities of row " + i);
        }
        assertTrue(right >= 0.9 * rowCount, right + " of " + rowCount + " digits right (chance: 10%)");
    }

    /** Example 2: own arrays, two classes given by a rule the network must learn. */
    @Test
    void ownArraysTrainToTheRuleThatLabelledThem() {
        int n = 800;
        int d = 4;
        float[] features = new float[n * d];
        int[] labels = new int[n];
        SplittableRandom rule = new SplittableRandom(7);
        for (int i = 0; i < n; i++) {
            double a = rule.nextDouble(-1, 1);
            double b = rule.nextDouble(-1, 1);
            features[i * d] = (float) a;
            features[i * d + 1] = (float) (1000 * b); // a feature on another scale: standardization matters
            features[i * d + 2] = (float) rule.nextDouble(-1, 1); // noise
            features[i * d + 3] = (float) rule.nextDouble(-1, 1); // noise
            labels[i] = a * a + b * b < 0.5 ? 1 : 0; // "faulty" inside a circle: not linearly separable
        }
        List<Integer> predictedHeldOut = new ArrayList<>();
        List<Integer> trueHeldOut = new ArrayList<>();
        Dataset data = new Dataset("sensor readings", features, n, d, labels, List.of("ok", "faulty"), null);
        SplittableRandom random = new SplittableRandom(42);
        Splits.Split split = Splits.holdOut(data, 0.2, random, "validation");
        Normalization normalization = Normalization.fit(Normalization.Kind.STANDARDIZE, split.kept());
        try (Backend backend = new JavaBackend(2)) {
            Network network = new Network(Architecture.of(d, List.of(32, 32), Activation.RELU, 2), Precision.FLOAT32,
                    backend);
            network.initialize(new HeUniform(1.0), random);
            TrainingHistory history = new Trainer(new Adam(0.9, 0.999, 1e-8), TrainingConfig.plain(40, 32, 0.005))
                    .fit(network, normalization.apply(split.kept()), normalization.apply(split.heldOut()), random,
                            TrainingListener.NONE);
            Classifier model = new Classifier(network, normalization, data.classNames(), Map.of());
            Evaluation validation = model.evaluate(split.heldOut());
            System.out.printf("validation accuracy %.2f%% after %d epochs%n", 100 * validation.accuracy(),
                    history.epochs().size());
            // test: begin
            int[] predicted = model.predict(split.heldOut());
            float[] x = split.heldOut().features();
            for (int i = 0; i < predicted.length; i++) {
                predictedHeldOut.add(predicted[i]);
                // the true class recomputed from the raw features by the rule, not read from the data set
                double a = x[i * d];
                double b = x[i * d + 1] / 1000.0;
                trueHeldOut.add(a * a + b * b < 0.5 ? 1 : 0);
            }
            // test: end
        }
        int right = 0;
        for (int i = 0; i < trueHeldOut.size(); i++) {
            right += predictedHeldOut.get(i).equals(trueHeldOut.get(i)) ? 1 : 0;
        }
        assertEquals(160, trueHeldOut.size(), "20% of 800 held out");
        assertTrue(right >= 0.9 * trueHeldOut.size(), right + " of " + trueHeldOut.size()
                + " held-out readings classified as the rule says (majority class: about 60%)");
    }

    /** Trimmed lines, without blank lines, comments and the test's own regions. */
    private static List<String> meaningfulLines(String text) {
        List<String> out = new ArrayList<>();
        boolean testOnly = false;
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (t.equals("// test: begin") || t.equals("// test: end")) {
                testOnly = t.endsWith("begin");
            } else if (!testOnly && !t.isEmpty() && !t.startsWith("//")) {
                out.add(t);
            }
        }
        return out;
    }
}
