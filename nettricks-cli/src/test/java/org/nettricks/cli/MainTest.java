package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.io.internal.Json;

class MainTest {
    @TempDir
    Path dir;


    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** Asserts the bad-input contract: status 2, one line naming the problem, nothing written. */
    private void assertRefused(CliRun r, String command, String expectedFragment) throws IOException {
        assertEquals(2, r.status(), r.err());
        String[] lines = r.err().split("\n");
        assertEquals(1, lines.length, "exactly one line on stderr: " + r.err());
        assertTrue(lines[0].startsWith("nettricks " + command + ": error: "), lines[0]);
        assertTrue(lines[0].contains(expectedFragment), "expected '" + expectedFragment + "' in: " + lines[0]);
        assertFalse(r.err().contains("\tat "), "no stack trace");
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("model")), "no model file left");
        }
    }

    private CliRun train(String... extra) {
        String[] base = {"train", "--out", dir.resolve("model.safetensors").toString(), "--epochs", "1"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return run(all);
    }

    private Path csv(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }


    /** An IDX directory of n 2×2 images per set, labels cycling over 3 classes. */
    private Path idxDir(String name) throws IOException {
        Path d = Files.createDirectory(dir.resolve(name));
        for (String set : new String[] {"train", "t10k"}) {
            int n = 12;
            byte[] x = new byte[n * 4];
            byte[] y = new byte[n];
            for (int i = 0; i < n; i++) {
                y[i] = (byte) (i % 3);
                x[i * 4 + y[i]] = (byte) 200;
            }
            Files.write(d.resolve(set + "-images-idx3-ubyte"), IdxBytes.of(new int[] {n, 2, 2}, x));
            Files.write(d.resolve(set + "-labels-idx1-ubyte"), IdxBytes.of(new int[] {n}, y));
        }
        return d;
    }

    // ------------------------------------------------------------ working commands

    // ---------------------------------------------------------------- issue 14: CSV as people have it

    private static String inputCase(String name) {
        try {
            return Path.of(MainTest.class.getResource("cases/" + name).toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** The test accuracy of training on a case file (a small, fixed recipe), checking the exit status. */
    private double trainedAccuracy(String name, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data", inputCase(name), "--hidden", "16",
                "--epochs", "60", "--batch-size", "8", "--seed", "1", "--json"));
        args.addAll(List.of(extra));
        CliRun r = run(args.toArray(String[]::new));
        assertEquals(0, r.status(), name + ": " + r.err());
        return (Double) ((Map<?, ?>) Json.parse(r.out().trim())).get("accuracy");
    }

    @Test
    void csvFilesAsPeopleWriteThemTrainLikeTheReference() {
        double reference = trainedAccuracy("three-classes.csv");
        assertEquals(1.0, reference, "the reference trains to 100% test accuracy");
        for (String name : List.of("three-classes-bom.csv", "three-classes-trailing-blank-line.csv",
                "three-classes-blank-line-inside.csv", "semicolons.csv")) {
            assertEquals(reference, trainedAccuracy(name), name);
        }
        assertEquals(reference, trainedAccuracy("semicolons.csv", "--delimiter", ";"), "semicolons, given");
    }

    @Test
    void aCsvWithoutFeatureColumnsIsRefusedNamingTheDelimiter() throws IOException {
        CliRun labelOnly = run("train", "--data", inputCase("label-only.csv"), "--epochs", "1");
        assertRefused(labelOnly, "train", "label-only.csv: line 1: no feature columns: the header [label] has only"
                + " the label column, read with the delimiter ','");
        assertTrue(labelOnly.err().contains("set --delimiter"), labelOnly.err());
        CliRun commas = run("train", "--data", inputCase("semicolons.csv"), "--delimiter", ",", "--epochs", "1");
        assertRefused(commas, "train", "semicolons.csv: line 1: no feature columns: the header [label;x1;x2] has"
                + " only the label column, read with the delimiter ','");
        assertRefused(run("train", "--data", inputCase("semicolons.csv"), "--delimiter", "ab"), "train",
                "--delimiter must be auto, tab or one character such as ';', got 'ab'");
    }

    @Test
    void evaluateAndPredictReadCsvWithTheDelimiterGivenOrDetected() throws IOException {
        Path model = dir.resolve("three.safetensors");
        CliRun t = run("train", "--data", inputCase("three-classes.csv"), "--hidden", "16", "--epochs", "60",
                "--batch-size", "8", "--seed", "1", "--out", model.toString());
        assertEquals(0, t.status(), t.err());
        for (String name : List.of("three-classes.csv", "three-classes-bom.csv", "three-classes-blank-line-inside.csv",
                "semicolons.csv")) {
            CliRun e = run("evaluate", "--model", model.toString(), "--data", inputCase(name), "--json");
            assertEquals(0, e.status(), name + ": " + e.err());
            assertEquals(60L, ((Map<?, ?>) Json.parse(e.out().trim())).get("examples"), name);
        }
        CliRun given = run("evaluate", "--model", model.toString(), "--data", inputCase("semicolons.csv"), "--delimiter",
                ";", "--json");
        assertEquals(0, given.status(), given.err());
        CliRun wrong = run("evaluate", "--model", model.toString(), "--data", inputCase("semicolons.csv"),
                "--delimiter", ",");
        assertEquals(2, wrong.status(), wrong.err());
        assertTrue(wrong.err().contains("semicolons.csv: line 1: 1 columns but the model takes 2 inputs"), wrong.err());
        assertTrue(wrong.err().contains("(columns separated by ','; check --delimiter)"), wrong.err());
        CliRun p = run("predict", "--model", model.toString(), "--data", inputCase("semicolons.csv"), "--delimiter",
                ";");
        assertEquals(0, p.status(), p.err());
        assertEquals(61, p.out().lines().count(), "a header and one row per example");
        CliRun bad = run("predict", "--model", model.toString(), "--data", inputCase("semicolons.csv"), "--delimiter",
                "\"");
        assertEquals(2, bad.status(), bad.err());
        assertTrue(bad.err().contains("--delimiter must not be a quote"), bad.err());
    }

    @Test
    void trainEvaluatePredictRoundTrip() throws IOException {
        Path model = dir.resolve("digits.safetensors");
        CliRun t = run("train", "--data", "digits", "--hidden", "32", "--epochs", "3", "--out", model.toString());
        assertEquals(0, t.status(), t.err());
        assertTrue(t.out().contains("epoch  train loss  train err  val loss   val err    time      ex/s"), t.out());
        assertTrue(t.out().lines().anyMatch(l -> l.startsWith("    3  ")), t.out());
        assertTrue(t.out().contains("test: loss "), t.out());
        assertTrue(Files.exists(model));

        CliRun e = run("evaluate", "--model", model.toString(), "--data", "digits", "--json");
        assertEquals(0, e.status(), e.err());
        Map<?, ?> json = (Map<?, ?>) Json.parse(e.out().trim());
        assertEquals(1797L, json.get("examples"));
        assertTrue((Double) json.get("accuracy") > 0.8);
        assertEquals(10, ((List<?>) json.get("confusion")).size());

        CliRun text = run("evaluate", "--model", model.toString(), "--data", "digits");
        assertTrue(text.out().contains("confusion matrix (rows: true class"), text.out());

        Path inputs = csv("inputs.csv", "a,b\n1,2\n");
        CliRun bad = run("predict", "--model", model.toString(), "--data", inputs.toString());
        assertEquals(2, bad.status());
        // issue 14, class 2: columns are matched by the training header's names
        assertTrue(bad.err().contains(inputs + ": line 1: no column 'pixel0': the model reads the training data's 64"
                + " feature columns [pixel0, pixel1, pixel2, pixel3, pixel4, pixel5, pixel6, pixel7, …, pixel63] by"
                + " name, and the header is [a, b]"), bad.err());

        Path preds = dir.resolve("preds.csv");
        CliRun p = run("predict", "--model", model.toString(), "--data", "digits", "--out", preds.toString());
        assertEquals(0, p.status(), p.err());
        List<String> lines = Files.readAllLines(preds);
        assertEquals(1798, lines.size());
        assertEquals("index,predicted,p_0,p_1,p_2,p_3,p_4,p_5,p_6,p_7,p_8,p_9", lines.get(0));
        String[] row = lines.get(1).split(",");
        double sum = 0;
        for (int c = 2; c < row.length; c++) {
            sum += Double.parseDouble(row[c]);
        }
        assertEquals(1.0, sum, 1e-5);
    }

    @Test
    void trainJsonPrintsTheFinalFiguresAsOneObject() {
        CliRun r = run("train", "--data", "digits", "--hidden", "16", "--epochs", "2", "--json");
        assertEquals(0, r.status(), r.err());
        Map<?, ?> json = (Map<?, ?>) Json.parse(r.out().trim());
        for (String key : List.of("accuracy", "error", "loss", "epochs", "examples_per_second")) {
            assertTrue(json.containsKey(key), key);
        }
        assertEquals(2L, json.get("epochs"));
        assertEquals(1.0, (Double) json.get("accuracy") + (Double) json.get("error"), 1e-12);
        assertTrue(r.err().contains("epoch  train loss"), "progress goes to stderr with --json");
    }

    @Test
    void trainsOnAnIdxDirectoryAndACsvWithStringLabels() throws IOException {
        Path d = idxDir("idx");
        CliRun r = run("train", "--data", d.toString(), "--hidden", "4", "--epochs", "2", "--validation-fraction", "0");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("12 train, 0 validation, 12 test"), r.out());
        StringBuilder sb = new StringBuilder("x,y,kind\n");
        for (int i = 0; i < 40; i++) {
            sb.append(i % 2).append(',').append(i % 3).append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
        }
        Path file = csv("kinds.csv", sb.toString());
        CliRun c = run("train", "--data", file.toString(), "--label", "kind", "--epochs", "2", "--hidden", "4");
        assertEquals(0, c.status(), c.err());
        assertTrue(c.out().contains("2 classes · normalization standardize"), c.out());
    }

    @Test
    void everyTrickFromFlagsAndFromARecipeFile() throws IOException {
        CliRun flags = run("train", "--data", "digits", "--hidden", "32,16", "--batch-norm", "--dropout", "0.2",
                "--input-dropout", "0.1", "--optimizer", "rmsprop", "--l1", "1e-5", "--l2", "1e-4", "--schedule",
                "step:2:0.5", "--clip-norm", "5", "--patience", "2", "--epochs", "4", "--init", "he", "--json");
        assertEquals(0, flags.status(), flags.err());
        assertTrue(flags.err().contains("epoch  train loss    penalty  train err  val loss   val err         lr"),
                flags.err());
        assertTrue(flags.err().contains("early stopping (val-error, patience 2): "), flags.err());
        Map<?, ?> json = (Map<?, ?>) Json.parse(flags.out().trim());
        assertTrue((Double) json.get("final_penalty") > 0);
        Map<?, ?> recipe = (Map<?, ?>) json.get("recipe");
        assertEquals("rmsprop", recipe.get("optimizer"));
        assertEquals(0.9, recipe.get("beta2"), "RMSProp's own default decay");

        Path file = Files.writeString(dir.resolve("r.yaml"), "data: digits\nhidden: [16]\nepochs: 2\nlr: 0.05\n");
        CliRun fromFile = run("train", "--recipe", file.toString(), "--lr", "0.2", "--json");
        assertEquals(0, fromFile.status(), fromFile.err());
        Map<?, ?> r2 = (Map<?, ?>) ((Map<?, ?>) Json.parse(fromFile.out().trim())).get("recipe");
        assertEquals(0.2, r2.get("lr"), "the flag overrides the file");
        assertEquals(List.of(16L), r2.get("hidden"));
    }

    @Test
    void testEachEpochPrintsALearningCurveOfTheTestSet() {
        CliRun r = run("train", "--data", "digits", "--hidden", "16", "--epochs", "3", "--test-each-epoch", "--json");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("ex/s  test err"), r.err());
        List<?> curve = (List<?>) ((Map<?, ?>) Json.parse(r.out().trim())).get("test_error_per_epoch");
        assertEquals(3, curve.size());
        Map<?, ?> json = (Map<?, ?>) Json.parse(r.out().trim());
        assertEquals((Double) json.get("error"), (Double) curve.get(2), 1e-12, "no batch norm: the last point is the"
                + " final test error");
    }

    @Test
    void badRecipeValuesNameTheirFileAndLine() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), "data: digits\noptimizer: adamw\n");
        assertRefused(run("train", "--recipe", file.toString()), "train",
                file + " line 2: optimizer must be one of sgd, momentum, nesterov, adagrad, rmsprop, adam, got 'adamw'");
        assertRefused(train("--data", "digits", "--schedule", "warmup"), "train", "--schedule must be constant,");
        assertRefused(train("--data", "digits", "--dropout", "1"), "train", "--dropout must be in [0, 1), got 1");
    }

    @Test
    void gradcheckPassesCorrectNetworksAndReportsEveryTensor() {
        CliRun r = run("gradcheck", "--data", "digits", "--hidden", "16,8", "--batch-norm", "--dropout", "0.3", "--l1",
                "1e-4", "--l2", "1e-3", "--samples", "30", "--examples", "8");
        assertEquals(0, r.status(), r.out() + r.err());
        for (String tensor : List.of("layers.0.weight", "layers.0.bn.weight", "layers.0.bn.bias", "layers.1.weight",
                "layers.2.weight", "layers.2.bias")) {
            assertTrue(r.out().contains(tensor), tensor + " in " + r.out());
        }
        assertTrue(r.out().contains("PASSED"), r.out());
        CliRun json = run("gradcheck", "--data", "digits", "--hidden", "8", "--activation", "tanh", "--json", "--samples",
                "10");
        assertEquals(0, json.status());
        Map<?, ?> m = (Map<?, ?>) Json.parse(json.out().trim());
        assertEquals(true, m.get("passed"));
        assertEquals(4, ((List<?>) m.get("tensors")).size());
    }

    @Test
    void gradcheckRunsInFloat64Only() throws IOException {
        assertRefused(run("gradcheck", "--data", "digits", "--precision", "float32"), "gradcheck",
                "--precision float32: gradcheck always runs in float64");
    }

    private static final String SATURATION_ADVICE = "scale down the initialization";
    private static final String INPUT_ADVICE = "properly normalize the inputs";
    private static final String RATE_ADVICE = "decrease the learning rate";

    @Test
    void diagnoseFindsRawPixelsIntoALargeSigmoidInitialization() {
        CliRun r = run("diagnose", "--data", "digits", "--normalize", "none", "--activation", "sigmoid", "--init-gain",
                "4");
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("PROBLEM inputs: mean "), r.out());
        assertFalse(r.out().contains("inputs: inputs"), r.out());
        assertTrue(r.out().contains("PROBLEM saturation before the first update: hidden layer 1 (sigmoid)"), r.out());
        assertTrue(r.out().contains(SATURATION_ADVICE), r.out());
        assertTrue(r.out().contains(INPUT_ADVICE), r.out());
        // the library names settings by their keys; the command line writes them as flags
        assertTrue(r.out().contains("(--init-gain below 1) and properly normalize the inputs (--normalize scale or"
                + " standardize)"), r.out());
        assertFalse(r.out().contains("`"), r.out());
    }

    @Test
    void diagnoseFindsALearningRateOfTen() {
        for (String activation : List.of("relu", "sigmoid")) {
            CliRun r = run("diagnose", "--data", "digits", "--activation", activation, "--lr", "10");
            assertEquals(1, r.status(), r.out() + r.err());
            assertTrue(r.out().contains(RATE_ADVICE), activation + ": " + r.out());
        }
    }

    @Test
    void diagnoseFindsNothingWrongWithAHealthySetUp() {
        CliRun r = run("diagnose", "--data", "digits", "--json");
        assertEquals(0, r.status(), r.out() + r.err());
        Map<?, ?> m = (Map<?, ?>) Json.parse(r.out().trim());
        assertEquals(true, m.get("healthy"));
        assertTrue((Long) m.get("overfit_epoch_to_zero") > 0);
        assertFalse(r.out().contains(SATURATION_ADVICE) || r.out().contains(INPUT_ADVICE)
                || r.out().contains(RATE_ADVICE), r.out());
        CliRun text = run("diagnose", "--data", "digits");
        assertTrue(text.out().contains("healthy: no problem found"), text.out());
        assertTrue(text.out().contains("\nok      inputs: mean "), text.out()); // the check named once
        assertTrue(text.out().contains("ok      small-data overfit test: training error on 50 examples reached 0"),
                text.out());
    }

    @Test
    void batchNormalizationOfSingleExamplesIsRefusedButALastBatchOfOneTrains() throws IOException {
        Path model = dir.resolve("bn-model.safetensors");
        assertRefused(run("train", "--data", "digits", "--batch-norm", "--batch-size", "1", "--out", model.toString()),
                "train", "--batch-size must be at least 2 with --batch-norm: batch normalization of one example sets"
                        + " every unit to 0");
        // 1,294 training examples in batches of 3: the last batch holds one example, and that is fine
        CliRun r = run("train", "--data", "digits", "--batch-norm", "--batch-size", "3", "--epochs", "1", "--out",
                model.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(Files.exists(model));
    }

    /** A run that diverges in its first epoch has no validated model: nothing is written (exit 1). */
    @Test
    void aRunDivergingInItsFirstEpochWritesNoModel() {
        Path model = dir.resolve("diverged.safetensors");
        CliRun r = run("train", "--data", "digits", "--lr", "100", "--out", model.toString());
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("nettricks train: training diverged at epoch 1, step "), r.err());
        assertTrue(r.err().contains("layers."), "names a tensor: " + r.err());
        assertTrue(r.err().contains("or clip the gradients (--clip-norm)"), r.err());
        assertTrue(r.err().contains("nettricks train: no model written to " + model + ": training diverged in its"
                + " first epoch, before any model was validated"), r.err());
        assertFalse(Files.exists(model));
    }

    @Test
    void benchReportsThroughputAndMemoryAsJson() {
        CliRun r = run("bench", "--data", "digits", "--hidden", "32", "--measure-epochs", "2", "--infer-reps", "2",
                "--json");
        assertEquals(0, r.status(), r.err());
        Map<?, ?> m = (Map<?, ?>) Json.parse(r.out().trim());
        assertTrue((Double) m.get("train_examples_per_second") > 0);
        assertTrue((Double) m.get("infer_examples_per_second") > 0);
        assertTrue((Double) m.get("peak_rss_mib") > 0);
        assertEquals(2, ((List<?>) m.get("train_examples_per_second_per_epoch")).size());
        assertEquals(2, ((List<?>) m.get("infer_examples_per_second_per_pass")).size());
        // on the default backend (OpenBLAS where it loads), as on the pure-Java one (HotPathAllocationTest)
        assertEquals(0.0, ((Number) m.get("allocated_bytes_per_step")).doubleValue(), "heap bytes per training step");
        // the flags the figures were measured under (e.g. -XX:+UseTransparentHugePages from the launcher)
        assertEquals(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments(),
                m.get("jvm_arguments"));
    }

    @Test
    void searchSelectsOnValidationAndTestsOnce() throws IOException {
        Path space = Files.writeString(dir.resolve("space.yaml"), "data: digits\nepochs: 3\nhidden: grid(\"16\","
                + " \"32,16\")\nlr: [0.05, 0.2]\n");
        Path out = dir.resolve("grid");
        CliRun r = run("search", "--space", space.toString(), "--out", out.toString(), "--strategy", "grid", "--json");
        assertEquals(0, r.status(), r.out() + r.err());
        assertEquals(4, Files.readAllLines(out.resolve("trials.jsonl")).size(), "the 2 × 2 grid");
        assertEquals(5, Files.readAllLines(out.resolve("trials.csv")).size());
        assertTrue(Files.exists(out.resolve("best.safetensors")));
        assertEquals(1, r.out().lines().filter(l -> l.contains("test accuracy")).count(), "the test set, once");
        String json = r.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow();
        Map<?, ?> m = (Map<?, ?>) Json.parse(json);
        List<?> ranked = Files.readAllLines(out.resolve("trials.jsonl")).stream()
                .map(l -> (Map<?, ?>) Json.parse(l))
                .sorted(java.util.Comparator.comparingDouble(x -> (Double) x.get("validation_error"))).toList();
        assertEquals(((Map<?, ?>) ranked.get(0)).get("trial"), m.get("selected_trial"), "lowest validation error wins");
    }

    @Test
    void invalidSearchSpacesFailBeforeAnyTrial() throws IOException {
        Path space = Files.writeString(dir.resolve("bad.yaml"), "data: digits\nlr: loguniform(-1, 0.1)\n");
        Path out = dir.resolve("never");
        assertRefused(run("search", "--space", space.toString(), "--out", out.toString()), "search",
                "lr: loguniform(-1, 0.1) reaches zero or below");
        assertFalse(Files.exists(out), "no trial ran, nothing written");
        Path ok = Files.writeString(dir.resolve("ok.yaml"), "data: digits\nlr: loguniform(0.01, 0.1)\n");
        assertRefused(run("search", "--space", ok.toString(), "--out", out.toString(), "--strategy", "grid"),
                "search", "grid search needs a list of values for every searched key; lr is loguniform(0.01, 0.1)");
        assertRefused(run("search", "--space", ok.toString(), "--out", out.toString(), "--workers", "8"), "search",
                "--workers 8 × --threads-per-trial 1 = 8 exceeds the");
    }

    @Test
    void aSearchKilledWithSigkillResumesWithoutRepeatingOrLosingTrials() throws Exception {
        Path space = Files.writeString(dir.resolve("space.yaml"), "data: digits\nepochs: 2\nhidden: 16\n"
                + "lr: loguniform(0.01, 0.5)\n");
        Path out = dir.resolve("killed");
        String[] args = {"search", "--space", space.toString(), "--out", out.toString(), "--strategy", "tpe",
                "--trials", "25", "--threads-per-trial", "1"};
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin",
                "java").toString(), "-cp", System.getProperty("java.class.path"), "org.nettricks.cli.Main"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile())
                .start();
        Path results = out.resolve("trials.jsonl");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline && (!Files.exists(results) || Files.readAllLines(results).size() < 4)) {
            Thread.sleep(20);
        }
        p.destroyForcibly(); // SIGKILL
        p.waitFor();
        int before = Files.readAllLines(results).size();
        assertTrue(before >= 4 && before < 25, "killed mid-search after " + before + " trials");
        CliRun resumed = run(args);
        assertEquals(0, resumed.status(), resumed.out() + resumed.err());
        List<Long> indices = Files.readAllLines(results).stream()
                .map(l -> (Long) ((Map<?, ?>) Json.parse(l)).get("trial")).toList();
        assertEquals(25, indices.size(), "no trial lost, none repeated");
        assertEquals(25, new java.util.HashSet<>(indices).size());
        assertTrue(resumed.out().contains("resuming: "), resumed.out());
    }

    @Test
    void searchOverATestFunction() {
        CliRun r = run("search", "--objective", "branin", "--strategy", "tpe", "--trials", "30", "--seed", "2", "--json");
        assertEquals(0, r.status(), r.err());
        Map<?, ?> m = (Map<?, ?>) Json.parse(r.out().trim());
        assertEquals(30, ((List<?>) m.get("best_so_far")).size());
    }

    @Test
    void pretrainSavesTheStackAndTrainFineTunesAfterPretraining() throws IOException {
        Path stack = dir.resolve("stack.safetensors");
        Path png = dir.resolve("filters.png");
        CliRun p = run("pretrain", "--data", "digits", "--hidden", "16,8", "--activation", "sigmoid", "--pretrain", "rbm",
                "--pretrain-epochs", "2", "--pretrain-lr", "0.05", "--out", stack.toString(), "--filters",
                png.toString());
        assertEquals(0, p.status(), p.out() + p.err());
        assertTrue(p.out().contains("pretrain layer 2 epoch   2: reconstruction error train"), p.out());
        org.nettricks.io.Safetensors.Contents c = org.nettricks.io.Safetensors.read(stack);
        assertEquals("nettricks-pretrained-stack", c.metadata().get("format"));
        assertEquals(4, c.tensors().size(), "W and b of the two hidden layers");
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertEquals(4 * 9 + 1, image.getWidth(), "16 tiles of 8x8 in a 4x4 grid with 1-pixel gaps");

        CliRun t = run("train", "--data", "digits", "--hidden", "16", "--activation", "sigmoid", "--pretrain", "dae",
                "--pretrain-epochs", "2", "--corruption", "0.3", "--epochs", "2", "--json");
        assertEquals(0, t.status(), t.err());
        assertTrue(t.err().contains("pretrain layer 1 epoch   2"), t.err());
        Map<?, ?> recipe = (Map<?, ?>) ((Map<?, ?>) Json.parse(t.out().trim())).get("recipe");
        assertEquals("dae", recipe.get("pretrain"));
    }

    @Test
    void rbmPretrainingNeedsSigmoidUnits() throws IOException {
        assertRefused(train("--data", "digits", "--pretrain", "rbm"), "train",
                "--pretrain rbm needs sigmoid hidden units (binary units), but activation is relu");
    }

    @Test
    void backendsAreChosenAndAnnounced() throws IOException {
        CliRun blas = run("train", "--data", "digits", "--hidden", "16", "--epochs", "2", "--backend", "openblas", "--json");
        assertEquals(0, blas.status(), blas.err());
        assertTrue(blas.err().startsWith("backend: openblas (OpenBLAS "), blas.err());
        CliRun java = run("train", "--data", "digits", "--hidden", "16", "--epochs", "2", "--backend", "java", "--threads",
                "1", "--json");
        assertTrue(java.err().startsWith("backend: java, 1 thread\n"), java.err());
        double a = (Double) ((Map<?, ?>) Json.parse(blas.out().trim())).get("accuracy");
        double b = (Double) ((Map<?, ?>) Json.parse(java.out().trim())).get("accuracy");
        assertEquals(a, b, 0.02, "the same recipe trains to about the same accuracy on either backend");
        assertRefused(train("--data", "digits", "--backend", "cuda"), "train",
                "--backend must be auto, java or openblas, got 'cuda'");
    }

    @Test
    void helpAndVersion() {
        assertEquals(0, run("--help").status());
        CliRun h = run("train", "--help");
        assertEquals(0, h.status());
        assertTrue(h.out().contains("--batch-size B"), h.out());
        assertTrue(run("--version").out().startsWith("nettricks "));
        assertEquals(2, run().status());
    }

    // ------------------------------------------------------------ bad input: one line, status 2, nothing written

    @Test
    void missingDataFile() throws IOException {
        Path missing = dir.resolve("nope.csv");
        assertRefused(train("--data", missing.toString()), "train",
                "--data " + missing + ": no such file or directory; pass a CSV file, a directory of IDX files");
    }

    @Test
    void idxWithBadMagicNumber() throws IOException {
        Path d = idxDir("magic");
        Path images = d.resolve("train-images-idx3-ubyte");
        byte[] bytes = Files.readAllBytes(images);
        bytes[0] = 0x1f;
        bytes[1] = 0x00;
        Files.write(images, bytes);
        assertRefused(train("--data", d.toString()), "train", images + ": bad magic number 0x1F000803 at byte offset 0");
    }

    @Test
    void idxWithTruncatedBody() throws IOException {
        Path d = idxDir("cut");
        Path images = d.resolve("t10k-images-idx3-ubyte");
        byte[] bytes = Files.readAllBytes(images);
        Files.write(images, java.util.Arrays.copyOf(bytes, bytes.length - 4));
        assertRefused(train("--data", d.toString()), "train",
                images + ": truncated body: the header announces 48 values but only 44 bytes follow it");
    }

    @Test
    void idxWithCountsThatDisagree() throws IOException {
        Path d = idxDir("counts");
        Files.write(d.resolve("train-labels-idx1-ubyte"), IdxBytes.of(new int[] {11}, new byte[11]));
        assertRefused(train("--data", d.toString()), "train", "holds 12 images but");
    }

    @Test
    void idxLabelOutOfRange() throws IOException {
        Path d = idxDir("range");
        byte[] y = new byte[12];
        y[5] = 7; // the training labels name classes 0..2 only
        Files.write(d.resolve("t10k-labels-idx1-ubyte"), IdxBytes.of(new int[] {12}, y));
        assertRefused(train("--data", d.toString()), "train",
                "t10k-labels-idx1-ubyte: label 7 at byte offset 13 is out of range: this data set has 3 classes");
    }

    @Test
    void csvWithRaggedRow() throws IOException {
        Path f = csv("ragged.csv", "a,b,label\n1,2,0\n3,1\n");
        assertRefused(train("--data", f.toString()), "train", f + ": line 3: 2 fields but the header has 3");
    }

    @Test
    void csvWithEmptyRowSkipsItAndKeepsCountingLines() throws IOException {
        // issue 14: a blank line is skipped (it was refused); the rows after it keep their file line numbers
        Path f = csv("empty-row.csv", "a,b,label\n1,2,0\n\n3,4\n");
        assertRefused(train("--data", f.toString()), "train", f + ": line 4: 2 fields but the header has 3");
    }

    @Test
    void csvWithNonNumericValue() throws IOException {
        Path f = csv("words.csv", "a,b,label\n1,2,0\n3,four,1\n");
        assertRefused(train("--data", f.toString()), "train",
                f + ": line 3: column 'b' holds 'four', which is not a number");
    }

    @Test
    void csvLabelOutOfRangeForTheModel() throws IOException {
        Path model = dir.resolve("m.safetensors");
        assertEquals(0, run("train", "--data", "digits", "--hidden", "8", "--epochs", "1", "--out",
                model.toString()).status());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            sb.append("pixel").append(i).append(','); // the digits' column names, kept in the model
        }
        sb.append("digit\n");
        for (int i = 0; i < 64; i++) {
            sb.append("0,");
        }
        sb.append("11\n");
        Path f = csv("eleven.csv", sb.toString());
        CliRun r = run("evaluate", "--model", model.toString(), "--data", f.toString(), "--label", "digit");
        assertRefused(r, "evaluate", f + ": line 2: label '11' is not one of the model's classes [0, 1, 2");
    }

    @Test
    void emptyDataSet() throws IOException {
        Path f = csv("header-only.csv", "a,b,label\n");
        assertRefused(train("--data", f.toString()), "train", f + ": no data rows after the header; the data set is empty");
    }

    @Test
    void learningRateMustBePositive() throws IOException {
        assertRefused(train("--data", "digits", "--lr", "0"), "train", "--lr must be in (0, ∞), got 0; e.g. --lr 0.1");
        assertRefused(train("--data", "digits", "--lr", "-1"), "train", "--lr must be in (0, ∞), got -1");
        assertRefused(train("--data", "digits", "--lr", "fast"), "train", "--lr must be a number, got 'fast'");
    }

    @Test
    void batchSizeMustBePositive() throws IOException {
        assertRefused(train("--data", "digits", "--batch-size", "0"), "train",
                "--batch-size must be at least 1, got 0; e.g. --batch-size 64");
    }

    @Test
    void unknownActivation() throws IOException {
        assertRefused(train("--data", "digits", "--activation", "swish"), "train",
                "--activation must be one of linear, sigmoid, tanh, relu");
    }

    @Test
    void layerSizeZero() throws IOException {
        assertRefused(train("--data", "digits", "--hidden", "128,0"), "train",
                "--hidden must be layer sizes of at least 1, got 0 in [128, 0]");
    }

    @Test
    void unknownFlagAndMissingValue() throws IOException {
        assertRefused(train("--data", "digits", "--learning-rate", "0.1"), "train",
                "unknown flag --learning-rate for 'train'; see nettricks train --help");
        assertRefused(run("train", "--data"), "train", "--data needs a value");
        CliRun unknown = run("fit");
        assertEquals(2, unknown.status());
        assertEquals("nettricks error: unknown command 'fit'; the commands are train, evaluate, predict, gradcheck,"
                + " diagnose, bench, search, pretrain (see nettricks --help)\n", unknown.err());
    }

    @Test
    void outputDirectoryMustExist() throws IOException {
        Path out = dir.resolve("no-such-dir").resolve("model.safetensors");
        CliRun r = run("train", "--data", "digits", "--out", out.toString());
        assertRefused(r, "train", "--out " + out + ": directory " + out.getParent() + " does not exist");
    }

    @Test
    void corruptModelFileIsRefused() throws IOException {
        Path model = Files.write(dir.resolve("broken.safetensors"), new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, '{'});
        CliRun r = run("evaluate", "--model", model.toString(), "--data", "digits");
        assertRefused(r, "evaluate", model + ": not a valid safetensors file: header length 255 at byte offset 0");
    }
}
