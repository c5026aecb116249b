package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 14, class 4: numbers that stop being finite, through {@code predict} and {@code evaluate}.
 * Models: three-classes.csv, standardized, in float32 and float64. Its x2 column has mean 0.459 and
 * standard deviation 0.281, so x2 = ±3e38 standardizes to ±1.07e39, beyond float32's 3.40e38: an
 * infinite input, whatever the network. Values that are not finite float32 numbers in the file
 * (NaN, ±Infinity, 1e308) are refused by the reader with the line.
 */
class NonFiniteCliTest {
    @TempDir
    static Path dir;
    private static Path model32;
    private static Path model64;


    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    static String inputCase(String name) {
        try {
            return Path.of(NonFiniteCliTest.class.getResource("cases/" + name).toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @BeforeAll
    static void trainModels() {
        model32 = dir.resolve("m32.safetensors");
        model64 = dir.resolve("m64.safetensors");
        for (Path m : List.of(model32, model64)) {
            CliRun r = run("train", "--data", inputCase("three-classes.csv"), "--normalize", "standardize", "--hidden", "16",
                    "--epochs", "60", "--batch-size", "8", "--seed", "1", "--precision",
                    m == model32 ? "float32" : "float64", "--out", m.toString());
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("accuracy 100.00%"), r.out());
        }
    }

    private static Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** The example: a row that standardization makes infinite is flagged, exit 1, the others kept. */
    @Test
    void predictFlagsAnInfiniteStandardizedRowAndExits1() throws IOException {
        for (Path model : List.of(model32, model64)) {
            Path in = file("huge-x2.csv", "x1,x2\n0.5,3.0e38\n5.5,0.5\n10.5,0.5\n");
            Path out = dir.resolve("p.csv");
            CliRun r = run("predict", "--model", model.toString(), "--data", in.toString(), "--out", out.toString());
            assertEquals(1, r.status(), r.err());
            List<String> lines = Files.readAllLines(out);
            assertEquals("index,predicted,p_a,p_b,p_c", lines.get(0));
            assertEquals("0,,NaN,NaN,NaN", lines.get(1), "no class, NaN probabilities");
            assertTrue(lines.get(2).startsWith("1,b,"), lines.get(2));
            assertTrue(lines.get(3).startsWith("2,c,"), lines.get(3));
            assertTrue(r.err().contains("1 of 3 examples"), r.err());
            assertTrue(r.err().contains("example 0 (data row 1): feature 'x2' (input 2 of 2) is 3.0E38, which the model's"
                    + " normalization"
                    + " (standardize) turns into Infinity in float32"), r.err());
        }
    }

    @Test
    void evaluateNeverCountsANaNRowCorrectAndExits1() throws IOException {
        for (Path model : List.of(model32, model64)) {
            // before: "loss NaN, error 0.00%, accuracy 100.00%" (the NaN row's argmax, class 0, was its label)
            Path in = file("huge-x2-labelled.csv", "label,x1,x2\na,0.5,3.0e38\na,0.5,0.5\nb,5.5,0.5\nc,10.5,0.5\n");
            CliRun r = run("evaluate", "--model", model.toString(), "--data", in.toString());
            assertEquals(1, r.status(), r.err());
            assertTrue(r.out().contains("loss NaN nats  error 25.00%  accuracy 75.00%"), r.out());
            assertTrue(r.out().contains("1 example with a non-finite output has no predicted class: counted as an"
                    + " error"), r.out());
            assertTrue(r.err().contains("example 0 (data row 1): feature 'x2' (input 2 of 2) is 3.0E38"), r.err());
            assertTrue(r.err().contains("the loss is NaN, not a finite number"), r.err());
        }
    }

    /** The shared case file: rows huge in x1 (standardized ±7.5e37, finite). One rule: a class, or flagged and exit 1. */
    @Test
    void theSharedHugeFeatureFileFollowsTheRule() {
        for (Path model : List.of(model32, model64)) {
            CliRun r = run("predict", "--model", model.toString(), "--data", inputCase("predict-huge-feature.csv"));
            String[] lines = r.out().split("\n");
            assertEquals(5, lines.length, r.out());
            boolean flagged = false;
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].split(",", -1);
                boolean finite = true;
                for (int c = 2; c < f.length; c++) {
                    finite &= Double.isFinite(Double.parseDouble(f[c]));
                }
                assertEquals(finite, !f[1].isEmpty(), "a class exactly when the probabilities are finite: " + lines[i]);
                flagged |= !finite;
            }
            assertEquals(flagged ? 1 : 0, r.status(), r.err());
            // float64 holds ±3e38 · w easily: the extremes of x1 are the outer classes
            if (model == model64) {
                assertTrue(lines[1].startsWith("0,c,") && lines[2].startsWith("1,c,") && lines[3].startsWith("2,a,"),
                        r.out());
            }
        }
    }

    /**
     * Values of one cell, the model's precision, and what predict and evaluate must do: "refused"
     * (exit 2, the line named), "flagged" (exit 1, no class, counted an error) or a class.
     */
    @ParameterizedTest(name = "{0} in {1}, {2}: {3}")
    @CsvSource(delimiter = ';', value = {
            "NaN;       x1; float32; refused",
            "NaN;       x2; float64; refused",
            "Infinity;  x1; float32; refused",
            "-Infinity; x2; float64; refused",
            "1e308;     x1; float64; refused",
            "-1e39;     x2; float32; refused",
            "3e38;      x2; float32; flagged",
            "-3e38;     x2; float32; flagged",
            "3e38;      x2; float64; flagged",
            "3.4e38;    x2; float64; flagged",
            "1e30;      x1; float32; c",
            "-1e30;     x1; float32; a",
            "3e38;      x1; float64; c",
            "-3e38;     x1; float64; a",
            "1e37;      x2; float32; flagged-or-class",
            "3e38;      x1; float32; flagged-or-class",
    })
    void nonFiniteAndHugeInputs(String value, String column, String precision, String expected) throws IOException {
        Path model = precision.equals("float32") ? model32 : model64;
        String row = column.equals("x1") ? value + ",0.5" : "0.5," + value;
        Path unlabelled = file("one.csv", "x1,x2\n5.5,0.5\n" + row + "\n");
        Path labelled = file("one-labelled.csv", "label,x1,x2\nb,5.5,0.5\na," + row + "\n");
        CliRun p = run("predict", "--model", model.toString(), "--data", unlabelled.toString());
        CliRun e = run("evaluate", "--model", model.toString(), "--data", labelled.toString());
        if (expected.equals("refused")) {
            for (CliRun r : List.of(p, e)) {
                assertEquals(2, r.status(), r.err());
                assertEquals(1, r.err().strip().split("\n").length, r.err());
                assertTrue(r.err().contains("line 3: column '" + column + "' holds '" + value + "'"), r.err());
                assertTrue(r.err().contains("not a finite float32 number"), r.err());
            }
            return;
        }
        String second = p.out().split("\n")[2];
        String predicted = second.split(",", -1)[1];
        if (expected.equals("flagged-or-class")) {
            expected = predicted.isEmpty() ? "flagged" : predicted;
        }
        if (expected.equals("flagged")) {
            assertEquals(1, p.status(), p.err());
            assertEquals("", predicted, second);
            assertTrue(p.err().contains("example 1 (data row 2)"), p.err());
            assertEquals(1, e.status(), e.err());
            assertTrue(e.out().contains("error 50.00%  accuracy 50.00%"), "the flagged row is an error: " + e.out());
            assertTrue(e.err().contains("example 1 (data row 2)"), e.err());
        } else {
            assertEquals(0, p.status(), p.err());
            assertEquals(expected, predicted, second);
            assertFalse(second.contains("NaN") || second.contains("Infinity"), second);
            assertEquals(0, e.status(), e.err());
            String accuracy = expected.equals("a") ? "accuracy 100.00%" : "accuracy 50.00%";
            assertTrue(e.out().contains(accuracy), e.out());
        }
    }

    /**
     * A diverged run whose model would hold an infinity leaves an existing --out file as it was. One
     * training value of 3e38 (finite in float32) without normalization: the first step's batch
     * statistics overflow (the run diverges at epoch 1, step 1), and the final pass's variance of
     * that unit, about 1e75, is infinite in float32.
     */
    @Test
    void aDivergedRunNeverReplacesAModelWithANonFiniteOne() throws IOException {
        String text = Files.readString(Path.of(inputCase("three-classes.csv"))).replace("b,5.651,", "b,3.0e38,");
        Path data = file("huge-train.csv", text);
        Path out = file("existing.safetensors", "an existing model");
        CliRun r = run("train", "--data", data.toString(), "--normalize", "none", "--batch-norm", "--epochs", "3",
                "--seed", "1", "--out", out.toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("training diverged at epoch 1, step 1"), r.err());
        // before any update: the inputs' scale, not the learning rate
        assertTrue(r.err().contains("before any update, so the cause is not the learning rate"), r.err());
        assertTrue(r.err().contains("(--normalize)"), r.err());
        assertFalse(r.err().contains("decrease the learning rate"), r.err());
        assertTrue(r.err().contains("nettricks train: no model written to " + out + ": training diverged in its first"
                + " epoch, before any model was validated; the existing file is left as it was"), r.err());
        assertFalse(r.err().contains("is saved to"), r.err());
        assertEquals("an existing model", Files.readString(out));
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".existing")), "no temporary file");
        }
    }

    /** A diverged run whose last good model is finite still saves it (exit 1). */
    @Test
    void aDivergedRunSavesItsFiniteLastGoodModel() throws IOException {
        Path out = file("replaced.safetensors", "an existing model");
        CliRun r = run("train", "--data", inputCase("three-classes.csv"), "--lr", "1e6", "--epochs", "3", "--seed", "1",
                "--out", out.toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("training diverged"), r.err());
        // one step per epoch (48 examples, batch 64): epoch 1's step is fine, epoch 2's loss explodes
        assertTrue(r.err().contains("the last good model (epoch 2, before step 1; validation error "), r.err());
        assertTrue(r.err().contains("%) is saved to " + out), r.err());
        CliRun e = run("evaluate", "--model", out.toString(), "--data", inputCase("three-classes.csv"));
        assertEquals(0, e.status(), e.err());
        // with early stopping, the best epoch (the only one that finished) is restored and saved
        CliRun p = run("train", "--data", inputCase("three-classes.csv"), "--lr", "1e6", "--epochs", "3", "--seed", "1",
                "--patience", "2", "--out", out.toString());
        assertEquals(1, p.status(), p.err());
        assertTrue(p.err().contains("early stopping restored the parameters of its best epoch, 1 (validation error"),
                p.err());
        assertTrue(p.err().contains("the model of the best epoch (1) is saved to " + out), p.err());
    }

    /**
     * Settings that overflow or underflow the training precision: exit 2 before training, one line
     * naming the flag, no model written. three-classes.csv has 2 features and 3 classes; with the
     * default 128 hidden units, Glorot's bound of the first layer is gain · √(6/130) = 0.2148 gain,
     * infinite in float32 above gain 1.58e39.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "--init-gain 1e40;                          --init-gain is 1.0E40: the initial weights of layer 1 (fan-in 2, fan-out 128)",
            "--init-gain 1e-40;                         --init-gain is 1.0E-40: the initial weights of layer 1 (fan-in 2, fan-out 128)",
            "--init-gain 1e308 --init he --precision float64; beyond half float64's largest number, 8.99e+307",
            "--hidden 10,10 --init-gain 1e39;           layer 2 (fan-in 10, fan-out 10)",
            "--optimizer adam --epsilon 1e-46;          --epsilon is 1.0E-46, which underflows float32, the training precision (it rounds to 0",
            "--optimizer rmsprop --epsilon 1e-40;       --epsilon is 1.0E-40, which underflows float32",
            "--optimizer adagrad --epsilon 1e-45;       --epsilon is 1.0E-45, which underflows float32",
            "--lr 1e-39;                                --lr is 1.0E-39, which underflows float32",
            "--lr 1e39;                                 --lr is 1.0E39, above float32's largest number",
            "--optimizer adam --beta2 0.99999999;       --beta2 is 0.99999999, which rounds to 1 in float32",
            "--optimizer momentum --momentum 0.99999999; --momentum is 0.99999999, which rounds to 1 in float32",
            "--l2 1e39;                                 --l2 is 1.0E39, above float32's largest number",
            "--lr 0;                                    --lr must be in (0, ∞), got 0",
            "--momentum 1;                              --momentum must be in [0, 1), got 1",
    })
    void settingsThatOverflowOrUnderflowAreRefused(String flags, String message) throws IOException {
        Path out = dir.resolve("never.safetensors");
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data", inputCase("three-classes.csv"),
                "--epochs", "1", "--out", out.toString()));
        args.addAll(List.of(flags.trim().split(" +")));
        CliRun r = run(args.toArray(String[]::new));
        assertEquals(2, r.status(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, r.err());
        assertTrue(lines[0].startsWith("nettricks train: error: "), lines[0]);
        assertTrue(lines[0].contains(message.trim()), lines[0]);
        assertFalse(Files.exists(out));
    }

    /**
     * A hand-set 2-1-2 ReLU model in float32, classes [hi, lo], inputs x1, x2 as written (no
     * normalization): h = relu(10·x1 + x2), logits (0.5·h, −10·h). For x = (0.4, 1e38), h = 1e38 and
     * the logits are (5e37, −1e39 → −∞ in float32): probabilities (1, 0), finite, class hi; the true
     * class lo has probability 0, so the loss −log 0 is infinite. For (0.2, 0.9), h = 2.9, logits
     * (1.45, −29): hi. For (1e38, 0.5), h = 1e39 → ∞, logits (∞, −∞): NaN probabilities, no class.
     */
    private static Path handSetModel() throws IOException {
        org.nettricks.network.Network net = new org.nettricks.network.Network(org.nettricks.network.Architecture.of(2,
                List.of(1), org.nettricks.activations.Activation.RELU, 2), org.nettricks.tensor.Precision.FLOAT32,
                new org.nettricks.tensor.JavaBackend(1));
        List<org.nettricks.layers.Parameter> p = net.parameters(); // W1 [1x2], b1 [1], W2 [2x1], b2 [2]
        assertEquals(4, p.size());
        p.get(0).value().setFlat(0, 10);
        p.get(0).value().setFlat(1, 1);
        p.get(1).value().setFlat(0, 0);
        p.get(2).value().setFlat(0, 0.5);
        p.get(2).value().setFlat(1, -10);
        p.get(3).value().setFlat(0, 0);
        p.get(3).value().setFlat(1, 0);
        org.nettricks.model.Classifier model = new org.nettricks.model.Classifier(net,
                new org.nettricks.data.Normalization(org.nettricks.data.Normalization.Kind.NONE, new double[2],
                        new double[] {1, 1}), List.of("hi", "lo"),
                org.nettricks.data.InputSchema.columns(List.of("x1", "x2"), "label"), java.util.Map.of());
        Path file = dir.resolve("hand-set.safetensors");
        org.nettricks.model.ModelFile.save(model, file);
        return file;
    }

    /** A finite output whose true class has probability 0: a class, in the matrix, loss infinite, exit 1. */
    @Test
    void aFiniteOutputWithAnInfiniteLossHasItsClass() throws IOException {
        Path model = handSetModel();
        Path data = file("underflow.csv", "label,x1,x2\nlo,0.4,1e38\nhi,0.2,0.9\n");
        CliRun p = run("predict", "--model", model.toString(), "--data", data.toString());
        assertEquals(0, p.status(), p.err());
        assertEquals("0,hi,1.0,0.0", p.out().split("\n")[1], p.out());
        CliRun e = run("evaluate", "--model", model.toString(), "--data", data.toString());
        assertEquals(1, e.status(), e.err());
        assertTrue(e.out().contains("loss Infinity nats  error 50.00%  accuracy 50.00%"), e.out());
        // rows: true class; columns: predicted. Both predicted hi: the lo row is in the matrix
        assertTrue(e.out().contains("0 hi           1     0 100.00%"), e.out());
        assertTrue(e.out().contains("1 lo           1     0   0.00%"), e.out());
        assertFalse(e.out().contains("non-finite"), e.out());
        assertFalse(e.err().contains("no finite output"), e.err());
        assertTrue(e.err().contains("1 of 2 examples of " + data + " has a finite output (so a predicted class, in the"
                + " matrix) but an infinite loss"), e.err());
        assertTrue(e.err().contains("  example 0 (data row 1): the model gives its true class 'lo' probability 0 in"
                + " float32, so its loss −log p is infinite"), e.err());
        assertTrue(e.err().contains("nettricks evaluate: the loss is Infinity, not a finite number; exit status 1"),
                e.err());
        CliRun j = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--json");
        assertEquals(1, j.status(), j.err());
        assertTrue(j.out().contains("\"non_finite_outputs\":0"), j.out());
        assertTrue(j.out().contains("\"confusion\":[[1,0],[1,0]]"), j.out());
    }

    /** One NaN row and one underflow row: every count says 1 non-finite output, and each row its reason. */
    @Test
    void countsOfNonFiniteOutputsAgreeEverywhere() throws IOException {
        Path model = handSetModel();
        Path data = file("nan-and-underflow.csv", "label,x1,x2\nlo,0.4,1e38\nhi,0.2,0.9\nhi,1e38,0.5\n");
        CliRun e = run("evaluate", "--model", model.toString(), "--data", data.toString());
        assertEquals(1, e.status(), e.err());
        // row 0 wrong (hi for lo), row 1 right, row 2 no class: 2 of 3 errors
        assertTrue(e.out().contains("loss NaN nats  error 66.67%  accuracy 33.33%"), e.out());
        assertTrue(e.out().contains("1 example with a non-finite output has no predicted class: counted as an error,"
                + " not in the matrix"), e.out());
        assertTrue(e.err().contains("1 of 3 examples of " + data + " has no finite output"), e.err());
        assertTrue(e.err().contains("  example 2 (data row 3): its inputs are finite after normalization"), e.err());
        assertTrue(e.err().contains("  example 0 (data row 1): the model gives its true class 'lo' probability 0"),
                e.err());
        CliRun j = run("evaluate", "--model", model.toString(), "--data", data.toString(), "--json");
        assertTrue(j.out().contains("\"non_finite_outputs\":1"), j.out());
        CliRun p = run("predict", "--model", model.toString(), "--data", data.toString());
        assertEquals(1, p.status(), p.err());
        assertTrue(p.err().contains("1 of 3 examples of " + data + " has no finite output"), p.err());
        assertEquals("2,,NaN,NaN", p.out().split("\n")[3], p.out());
        Path two = file("two-nan.csv", "label,x1,x2\nhi,1e38,0.5\nlo,2e38,0.5\n");
        CliRun t = run("evaluate", "--model", model.toString(), "--data", two.toString());
        assertTrue(t.out().contains("2 examples with a non-finite output have no predicted class: counted as errors,"
                + " not in the matrix"), t.out());
        assertTrue(t.err().contains("2 of 2 examples of " + two + " have no finite output"), t.err());
    }

    /**
     * The fresh user's example: a gain of 1e30 makes the first step's loss NaN on digits. Before:
     * "decrease the learning rate" and an existing good model replaced by the initial weights, whose
     * outputs are all NaN. Now: the advice names the initialization and the inputs' scale, nothing is
     * written, the good model keeps its bytes and still predicts.
     */
    @Test
    void aRunDivergingAtItsFirstStepKeepsTheExistingModel() throws IOException {
        Path good = dir.resolve("g.safetensors");
        CliRun t = run("train", "--data", "digits", "--epochs", "1", "--hidden", "16", "--out", good.toString());
        assertEquals(0, t.status(), t.err());
        byte[] before = Files.readAllBytes(good);
        CliRun r = run("train", "--data", "digits", "--epochs", "2", "--init-gain", "1e30", "--out", good.toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("nettricks train: training diverged at epoch 1, step 1: the loss is NaN"), r.err());
        assertTrue(r.err().contains("before any update, so the cause is not the learning rate but the scale of the"
                + " initial weights or of the inputs: lower --init-gain (or choose another --init), or normalize the"
                + " inputs (--normalize)"), r.err());
        assertFalse(r.err().contains("decrease the learning rate"), r.err());
        assertTrue(r.err().contains("nettricks train: no model written to " + good + ": training diverged in its first"
                + " epoch, before any model was validated; the existing file is left as it was"), r.err());
        assertFalse(r.err().contains("is saved to"), r.err());
        assertArrayEquals(before, Files.readAllBytes(good));
        CliRun p = run("predict", "--model", good.toString(), "--data", "digits");
        assertEquals(0, p.status(), p.err());
        // without an existing file: nothing written, and the line says nothing of one
        Path none = dir.resolve("never-written.safetensors");
        CliRun n = run("train", "--data", "digits", "--epochs", "2", "--init-gain", "1e30", "--out", none.toString());
        assertEquals(1, n.status(), n.err());
        assertTrue(n.err().contains("no model written to " + none + ": training diverged in its first epoch, before"
                + " any model was validated\n"), n.err());
        assertFalse(Files.exists(none));
    }

    /**
     * A model whose outputs on the validation data are not finite is not written, even by a run that
     * did not diverge: three-classes.csv with one x1 of 3e38, no normalization, gain 10 (Glorot bound
     * 2.15, so 3e38 · w overflows float32); split seed 8 puts that row in the validation split.
     */
    @Test
    void aModelWithNonFiniteValidationOutputsIsNotWritten() throws IOException {
        String text = Files.readString(Path.of(inputCase("three-classes.csv"))).replace("c,10.536,0.366",
                "c,3.0e38,0.366");
        assertTrue(text.contains("3.0e38"));
        Path data = file("huge-validation.csv", text);
        Path out = file("kept.safetensors", "an existing model");
        CliRun r = run("train", "--data", data.toString(), "--normalize", "none", "--init-gain", "10", "--epochs", "2",
                "--seed", "8", "--out", out.toString());
        assertEquals(1, r.status(), r.err());
        assertTrue(r.err().contains("nettricks train: model not written to " + out + ": its outputs on 1 of 5"
                + " validation examples are not finite (NaN or infinite), so it cannot classify them; any existing"
                + " file is left as it was"), r.err());
        assertFalse(r.out().contains("model saved"), r.out());
        assertEquals("an existing model", Files.readString(out));
    }
}
