package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.layers.Buffer;
import org.nettricks.layers.Parameter;
import org.nettricks.model.ModelFile;
import org.nettricks.network.Network;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;

/**
 * Issue 17: a regression model continued with {@code train --init-from}, {@code --freeze K} and
 * {@code --test-each-epoch}, and the training RMSE of the epoch lines, as command-line runs. The
 * epoch-0 figures are compared with {@code nettricks evaluate} of the saved model on the same
 * validation rows, written to a file here (the rows found with the JDK's {@link SplittableRandom},
 * NetTricks' documented draw: SplitMix64(split-seed).split(), Fisher–Yates, round(0.2·n) rows); the
 * training RMSE of an epoch whose parameters cannot move with {@code evaluate} on the training rows;
 * the test RMSE per epoch with the RMSE recomputed here from {@code predict}'s CSV; frozen tensors
 * with the model file's bits; refusals with the bad-input contract (status 2, one line, no model).
 */
class RegressionWarmStartTest {
    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private static final int ROWS = 300;
    private static final String HEADER = "a,b,c,y,y2";
    /** The data rows as written (so that the validation and training rows can be written again verbatim). */
    private static List<String> rows;
    private static Path data;
    private static Path test;
    /** 3-16-8-1 relu, standardized, 20 epochs of Adam, seed 1: the model warm starts continue from. */
    private static Path plain;
    /** The same network with batch normalization. */
    private static Path normalized;

    private static final String[] COMMON = {"--task", "regression", "--label", "y", "--hidden", "16,8",
        "--normalize", "standardize", "--validation-fraction", "0.2", "--seed", "1"};

    private static String[] concat(String[]... parts) {
        List<String> all = new ArrayList<>();
        for (String[] p : parts) {
            all.addAll(List.of(p));
        }
        return all.toArray(String[]::new);
    }

    /** y = 50 + 30·sin(2a) + 20·b·c + noise, in units far from standardized; y2 = 3·a, a second target. */
    private static String row(SplittableRandom r) {
        double a = r.nextDouble(-2, 2);
        double b = r.nextDouble(-2, 2);
        double c = r.nextDouble(0, 5);
        return String.format(Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%.4f", a, b, c,
                50 + 30 * Math.sin(2 * a) + 20 * b * c + r.nextGaussian(), 3 * a);
    }

    @BeforeAll
    static void trainTheModelsToContinueFrom() throws IOException {
        SplittableRandom r = new SplittableRandom(7);
        rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(row(r));
        }
        data = Files.writeString(shared.resolve("train.csv"), HEADER + "\n" + String.join("\n", rows) + "\n");
        StringBuilder t = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < 100; i++) {
            t.append(row(r)).append('\n');
        }
        test = Files.writeString(shared.resolve("test.csv"), t.toString());
        plain = shared.resolve("plain.safetensors");
        CliRun p = CliRun.of(concat(new String[] {"train", "--data", data.toString(), "--test-data", test.toString(),
            "--optimizer", "adam", "--lr", "0.01", "--epochs", "20", "--out", plain.toString()}, COMMON));
        assertEquals(0, p.status(), p.err());
        normalized = shared.resolve("normalized.safetensors");
        CliRun n = CliRun.of(concat(new String[] {"train", "--data", data.toString(), "--test-data", test.toString(),
            "--optimizer", "adam", "--lr", "0.01", "--epochs", "5", "--batch-norm", "--out", normalized.toString()},
                COMMON));
        assertEquals(0, n.status(), n.err());
    }

    /**
     * The 0-based data rows NetTricks holds out for validation (fraction 0.2, split seed 1) when
     * {@code --test-data} is given, drawn here with the JDK's SplittableRandom (the algorithm
     * docs/runs/regression/README.md states, which scripts/peers/test_sklearn_regression.py checks
     * against NetTricks' choice of rows).
     */
    private static boolean[] validationRows() {
        SplittableRandom rng = new SplittableRandom(1).split();
        int[] perm = new int[ROWS];
        for (int i = 0; i < ROWS; i++) {
            perm[i] = i;
        }
        for (int i = ROWS - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int s = perm[i];
            perm[i] = perm[j];
            perm[j] = s;
        }
        boolean[] held = new boolean[ROWS];
        for (int k = 0; k < Math.round(0.2 * ROWS); k++) {
            held[perm[k]] = true;
        }
        return held;
    }

    /** The data rows that are (or are not) validation rows, as a CSV file with the same header. */
    private Path rowsAsCsv(boolean validation, String name) throws IOException {
        boolean[] held = validationRows();
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (int i = 0; i < ROWS; i++) {
            if (held[i] == validation) {
                sb.append(rows.get(i)).append('\n');
            }
        }
        return Files.writeString(dir.resolve(name), sb.toString());
    }

    private static Map<?, ?> mean(CliRun evaluate) {
        return (Map<?, ?>) evaluate.json().get("mean");
    }

    private static double number(Object o) {
        return ((Number) o).doubleValue();
    }

    @Test
    void epochZeroIsTheSavedModelsValidationFiguresAsEvaluateComputesThem() throws IOException {
        Path validation = rowsAsCsv(true, "validation.csv");
        CliRun evaluate = CliRun.of("evaluate", "--model", plain.toString(), "--data", validation.toString(), "--json");
        assertEquals(0, evaluate.status(), evaluate.err());
        assertEquals(60.0, number(evaluate.json().get("examples")));

        // on the first 60 training rows only: target statistics refitted on them would differ from the model's
        CliRun warm = CliRun.of(concat(new String[] {"train", "--data", data.toString(), "--test-data", test.toString(),
            "--init-from", plain.toString(), "--train-limit", "60", "--epochs", "1", "--json"}, COMMON));
        assertEquals(0, warm.status(), warm.err());
        Map<?, ?> zero = (Map<?, ?>) warm.json().get("epoch_0");
        double rmse = number(mean(evaluate).get("rmse"));
        assertEquals(rmse, number(zero.get("validation_error")), 1e-9 * rmse, "validation RMSE, original units");
        assertEquals(number(evaluate.json().get("loss")), number(zero.get("validation_loss")), 1e-9,
                "validation loss in the saved model's standardized units");
        String line0 = warm.err().lines().filter(l -> l.startsWith("    0  ")).findFirst().orElseThrow();
        assertTrue(line0.contains(RegressionOutput.number(rmse)), line0 + " vs " + rmse);
        assertTrue(warm.err().indexOf("    0  ") < warm.err().indexOf("    1  "), warm.err());
        assertTrue(warm.err().contains("the targets standardized with its own means and standard deviations (not"
                + " refitted)"), warm.err());
        assertTrue(warm.err().contains("1 target [y] (standardized with the mean and population std of --init-from's"
                + " model, not refitted)"), warm.err());
    }

    @Test
    void theWarmStartedModelFileKeepsTheTargetStatisticsOfTheModel() {
        Path tuned = dir.resolve("tuned-model.safetensors");
        CliRun warm = CliRun.of(concat(new String[] {"train", "--data", data.toString(), "--test-data", test.toString(),
            "--init-from", plain.toString(), "--train-limit", "60", "--epochs", "1", "--out", tuned.toString()},
                COMMON));
        assertEquals(0, warm.status(), warm.err());
        double[] before = ModelFile.load(plain, new JavaBackend(1)).targetScaling().mean();
        double[] after = ModelFile.load(tuned, new JavaBackend(1)).targetScaling().mean();
        assertTrue(Arrays.equals(before, after), Arrays.toString(before) + " vs " + Arrays.toString(after));
        // the mean of y over the first 60 training rows is another number: refitting would have changed it
        boolean[] held = validationRows();
        double sum = 0;
        int n = 0;
        for (int i = 0; i < ROWS && n < 60; i++) {
            if (!held[i]) {
                sum += Double.parseDouble(rows.get(i).split(",")[3]);
                n++;
            }
        }
        assertTrue(Math.abs(sum / n - before[0]) > 0.1, sum / n + " vs " + before[0]);
    }

    /**
     * An epoch whose parameters cannot move (SGD with lr 1e-30, no momentum: every update rounds
     * away against the trained weights and biases; checked on the file written), without dropout or
     * batch normalization, so that the training-mode forward pass is evaluation's: the epoch's
     * training RMSE in the epoch line and the JSON equals evaluate's RMSE on the training rows.
     */
    @Test
    void theEpochsTrainingRmseIsTheRmseOnTheTrainingRows() throws IOException {
        Path trainingRows = rowsAsCsv(false, "training.csv");
        CliRun evaluate = CliRun.of("evaluate", "--model", plain.toString(), "--data", trainingRows.toString(), "--json");
        assertEquals(0, evaluate.status(), evaluate.err());
        assertEquals(240.0, number(evaluate.json().get("examples")));
        double rmse = number(mean(evaluate).get("rmse"));
        Path same = dir.resolve("same-model.safetensors");
        CliRun still = CliRun.of(concat(new String[] {"train", "--data", data.toString(), "--test-data",
            test.toString(), "--init-from", plain.toString(), "--optimizer", "sgd", "--momentum", "0", "--lr", "1e-30",
            "--epochs", "1", "--batch-size", "32", "--out", same.toString(), "--json"}, COMMON));
        assertEquals(0, still.status(), still.err());
        Map<String, Matrix> before = tensors(plain);
        Map<String, Matrix> after = tensors(same);
        for (String name : before.keySet()) {
            assertTrue(sameBits(before.get(name), after.get(name)), name + ": the parameters did not move");
        }
        assertEquals(rmse, number(still.json().get("final_train_error")), 1e-6 * rmse,
                "the running training RMSE of the epoch, from its batch losses");
        assertEquals(rmse, number(((Map<?, ?>) still.json().get("epoch_0")).get("train_error")), 1e-9 * rmse,
                "epoch 0's training RMSE, one evaluation pass");
        assertTrue(still.err().contains("epoch  train loss train rmse  val loss  val rmse"), still.err());
        String line1 = still.err().lines().filter(l -> l.startsWith("    1  ")).findFirst().orElseThrow();
        assertTrue(line1.contains(RegressionOutput.number(rmse)), line1 + " vs " + rmse);
    }

    /**
     * Two targets (the mean of the per-target RMSEs is not a function of the loss averaged over
     * targets) or the Huber loss: no training RMSE, "-" in its column.
     */
    @Test
    void severalTargetsOrHuberLeaveTheTrainingRmseOut() {
        for (String[] variant : List.of(new String[] {"--label", "y,y2"}, new String[] {"--label", "y", "--loss",
            "huber"})) {
            CliRun r = CliRun.of(concat(new String[] {"train", "--task", "regression", "--data", data.toString(),
                "--hidden", "8", "--epochs", "2", "--json"}, variant));
            assertEquals(0, r.status(), r.err());
            Object error = r.json().get("final_train_error");
            assertTrue(error == null || Double.isNaN(number(error)), r.out());
            String line1 = r.err().lines().filter(l -> l.startsWith("    1  ")).findFirst().orElseThrow();
            assertEquals("-", line1.trim().split("\\s+")[2], line1);
        }
    }

    /** Parameters and buffers by tensor name. */
    private static Map<String, Matrix> tensors(Path model) {
        Network n = ModelFile.load(model, new JavaBackend(1)).network();
        Map<String, Matrix> out = new LinkedHashMap<>();
        for (Parameter p : n.parameters()) {
            out.put(p.name(), p.value());
        }
        for (Buffer b : n.buffers()) {
            out.put(b.name(), b.value());
        }
        return out;
    }

    private static boolean sameBits(Matrix a, Matrix b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (Double.doubleToRawLongBits(a.getFlat(i)) != Double.doubleToRawLongBits(b.getFlat(i))) {
                return false;
            }
        }
        return true;
    }

    @Test
    void frozenLayersOfARegressionModelKeepTheirBitsWhileTheOthersTrain() {
        Path tuned = dir.resolve("frozen-model.safetensors");
        CliRun r = CliRun.of(concat(new String[] {"train", "--data", data.toString(), "--test-data", test.toString(),
            "--init-from", normalized.toString(), "--batch-norm", "--freeze", "1", "--l2", "1e-2", "--optimizer",
            "adam", "--dropout", "0.3", "--epochs", "2", "--out", tuned.toString()}, COMMON));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("note: --freeze 1: hidden layer 1 stays as loaded and runs as at inference"
                + " (batch norm with the stored statistics)"), r.err());
        Map<String, Matrix> before = tensors(normalized);
        Map<String, Matrix> after = tensors(tuned);
        assertEquals(before.keySet(), after.keySet());
        List<String> frozen = List.of("layers.0.weight", "layers.0.bn.weight", "layers.0.bn.bias",
                "layers.0.bn.running_mean", "layers.0.bn.running_var");
        for (String name : before.keySet()) {
            if (frozen.contains(name)) {
                assertTrue(sameBits(before.get(name), after.get(name)), name + " frozen: the model's bits");
            } else {
                assertFalse(sameBits(before.get(name), after.get(name)), name + " trained: changed");
            }
        }
        assertEquals(2 * frozen.size() + 2, before.size(), "layers 1 and 2 (5 tensors each), output (2): all compared");
    }

    /**
     * The test RMSE printed after every epoch: with no early stopping the last is the final model's,
     * recomputed here from predict's CSV and the test file's targets.
     */
    @Test
    void testEachEpochPrintsTheTestRmse() throws IOException {
        Path model = dir.resolve("curve-model.safetensors");
        CliRun r = CliRun.of(concat(new String[] {"train", "--data", data.toString(), "--test-data", test.toString(),
            "--optimizer", "adam", "--lr", "0.01", "--epochs", "3", "--test-each-epoch", "--out", model.toString(),
            "--json", "--report", dir.resolve("curve.html").toString()}, COMMON));
        assertEquals(0, r.status(), r.err());
        List<?> perEpoch = (List<?>) r.json().get("test_rmse_per_epoch");
        assertEquals(3, perEpoch.size());
        Path predictions = dir.resolve("p.csv");
        CliRun p = CliRun.of("predict", "--model", model.toString(), "--data", test.toString(), "--out",
                predictions.toString());
        assertEquals(0, p.status(), p.err());
        List<String> predicted = Files.readAllLines(predictions);
        List<String> truth = Files.readAllLines(test);
        double sse = 0;
        for (int i = 1; i < truth.size(); i++) {
            double d = Double.parseDouble(truth.get(i).split(",")[3]) - Double.parseDouble(predicted.get(i).split(",")[1]);
            sse += d * d;
        }
        double rmse = Math.sqrt(sse / (truth.size() - 1));
        assertEquals(rmse, number(perEpoch.get(2)), 1e-9 * rmse);
        // the report's test RMSE curve: the same three figures, the last the final model's
        String html = Files.readString(dir.resolve("curve.html"));
        String chart = html.substring(html.indexOf("\"id\":\"rmse\""));
        String opening = "{\"name\":\"test\",\"data\":";
        String test = chart.substring(chart.indexOf(opening) + opening.length());
        test = test.substring(0, test.indexOf("]]") + 2);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\[([0-9.]+),([-0-9.eE]+)\\]").matcher(test);
        List<Double> drawn = new java.util.ArrayList<>();
        while (m.find()) {
            drawn.add(Double.parseDouble(m.group(2)));
        }
        assertEquals(3, drawn.size(), test);
        for (int e = 0; e < 3; e++) {
            assertEquals(number(perEpoch.get(e)), drawn.get(e), 1e-9 * drawn.get(e), "epoch " + (e + 1));
        }
        assertEquals(rmse, drawn.get(2), 1e-9 * rmse);
        assertTrue(r.err().contains("ex/s test rmse"), r.err());
        String line3 = r.err().lines().filter(l -> l.startsWith("    3  ")).findFirst().orElseThrow();
        assertTrue(line3.endsWith(RegressionOutput.number(rmse)), line3 + " vs " + rmse);
    }

    /** The bad-input contract: status 2, one line naming the problem, no stack trace, no model written. */
    private void assertRefused(CliRun r, String expected) throws IOException {
        assertEquals(2, r.status(), r.err());
        String[] lines = r.err().split("\n");
        assertEquals(1, lines.length, "exactly one line on stderr: " + r.err());
        assertEquals("nettricks train: error: " + expected, lines[0]);
        assertFalse(r.out().contains("epoch  train loss"), "refused before any training: " + r.out());
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().contains("model")), "no model file left");
        }
    }

    @Test
    void anInitModelOfAnotherTaskOrOtherTargetsIsRefused() throws IOException {
        Path out = dir.resolve("never-model.safetensors");
        assertRefused(CliRun.of("train", "--task", "regression", "--data", data.toString(), "--label", "y2",
                "--init-from", plain.toString(), "--out", out.toString()),
                "--init-from " + plain + " predicts the targets [y] but --label names [y2]; set --label to y (its"
                        + " outputs are those targets, in that order), or drop --init-from");
        assertRefused(CliRun.of("train", "--task", "regression", "--data", data.toString(), "--label", "y,y2",
                "--init-from", plain.toString(), "--out", out.toString()),
                "--init-from " + plain + " predicts the targets [y] but --label names [y, y2]; set --label to y (its"
                        + " outputs are those targets, in that order), or drop --init-from");
        assertRefused(CliRun.of("train", "--data", data.toString(), "--label", "y", "--init-from", plain.toString(),
                "--out", out.toString()),
                "--init-from " + plain + " is a regression model (targets [y]) but --task is classification; set"
                        + " --task regression and --label y, or drop --init-from");
        Path classifier = dir.resolve("classifier.safetensors");
        CliRun c = CliRun.of("train", "--data", "digits", "--hidden", "8", "--epochs", "1", "--out",
                classifier.toString());
        assertEquals(0, c.status(), c.err());
        CliRun refused = CliRun.of("train", "--task", "regression", "--data", data.toString(), "--label", "y",
                "--init-from", classifier.toString(), "--out", out.toString());
        assertEquals(2, refused.status(), refused.err());
        assertEquals("nettricks train: error: --init-from " + classifier + " is a classifier (10 classes) but --task"
                + " is regression; set --task classification, or drop --init-from", refused.err().strip());
        assertFalse(Files.exists(out));
    }
}
