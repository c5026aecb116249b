package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.config.RecipeSettings;
import org.nettricks.data.Dataset;
import org.nettricks.data.Normalization;
import org.nettricks.experiment.Experiment;
import org.nettricks.layers.Buffer;
import org.nettricks.layers.Parameter;
import org.nettricks.model.ModelFile;
import org.nettricks.network.Network;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;

/**
 * Issue 16, part B: {@code train --init-from MODEL} (warm start) and {@code --freeze K}, on the
 * shipped digits, as command-line runs. The epoch-0 figures are compared with {@code nettricks
 * evaluate} of the same model on the same validation examples written to a file (another path: the
 * model read back by evaluate, the CSV read by column name, its own normalization); frozen tensors
 * with the model file's bits; the refusals with the bad-input contract.
 */
class WarmStartTest {
    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    /**
     * digits, 64-32-16-10 relu with batch normalization, standardized (statistics of its 1,294
     * training examples), 3 epochs: the model warm starts continue from.
     */
    private static Path base;
    /** The same without batch normalization, 64-16-10. */
    private static Path plain;

    private static final String[] BN_NETWORK = {"--hidden", "32,16", "--batch-norm", "--normalize", "standardize"};


    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private static String[] concat(String[]... parts) {
        List<String> all = new ArrayList<>();
        for (String[] p : parts) {
            all.addAll(List.of(p));
        }
        return all.toArray(String[]::new);
    }

    /** The bad-input contract: status 2, one line naming the problem, no stack trace, no model written. */
    private void assertRefused(CliRun r, String expectedFragment) throws IOException {
        assertEquals(2, r.status(), r.err());
        String[] lines = r.err().split("\n");
        assertEquals(1, lines.length, "exactly one line on stderr: " + r.err());
        assertTrue(lines[0].startsWith("nettricks train: error: "), lines[0]);
        assertTrue(lines[0].contains(expectedFragment), "expected '" + expectedFragment + "' in: " + lines[0]);
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertFalse(r.out().contains("epoch  train loss"), "refused before any training: " + r.out());
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("model")), "no model file left");
        }
    }

    @BeforeAll
    static void trainTheModelsToContinueFrom() {
        base = shared.resolve("base.safetensors");
        CliRun b = run(concat(new String[] {"train", "--data", "digits", "--epochs", "3", "--out", base.toString()},
                BN_NETWORK));
        assertEquals(0, b.status(), b.err());
        plain = shared.resolve("plain.safetensors");
        CliRun p = run("train", "--data", "digits", "--hidden", "16", "--epochs", "3", "--out", plain.toString());
        assertEquals(0, p.status(), p.err());
    }

    /**
     * The validation examples of a digits run with the default splits (seed 1), raw, as a CSV file
     * with digits' header: the normalized split of {@link Experiment#prepare} scaled back (digits'
     * pixels are whole numbers in [0, 16], so rounding recovers them exactly).
     */
    private Path validationSplitAsCsv() throws IOException {
        Experiment e = Experiment.prepare(RecipeSettings.of("data", "digits"), new JavaBackend(1));
        Dataset v = e.validation();
        Normalization n = e.normalization();
        List<String> header = new ArrayList<>(v.schema().featureNames());
        header.add(v.schema().labelColumn());
        StringBuilder sb = new StringBuilder(String.join(",", header)).append('\n');
        int d = v.featureCount();
        for (int i = 0; i < v.size(); i++) {
            for (int j = 0; j < d; j++) {
                double raw = v.features()[i * d + j] * n.scale()[j] + n.offset()[j];
                assertEquals(Math.rint(raw), raw, 1e-4, "digits' pixels are whole numbers");
                sb.append((long) Math.rint(raw)).append(',');
            }
            sb.append(v.classNames().get(v.labels()[i])).append('\n');
        }
        return Files.writeString(dir.resolve("validation.csv"), sb.toString());
    }

    @Test
    void epochZeroReportsTheSavedModelsValidationErrorAsEvaluateComputesIt() throws IOException {
        Path validation = validationSplitAsCsv();
        CliRun evaluate = run("evaluate", "--model", base.toString(), "--data", validation.toString(), "--json");
        assertEquals(0, evaluate.status(), evaluate.err());
        assertEquals(144.0, ((Number) evaluate.json().get("examples")).doubleValue(), "digits' validation split");

        // on the first 200 training examples only: statistics refitted on them would differ from the model's
        CliRun warm = run(concat(new String[] {"train", "--data", "digits", "--epochs", "1", "--init-from",
                base.toString(), "--train-limit", "200", "--json"}, BN_NETWORK));
        assertEquals(0, warm.status(), warm.err());
        Map<?, ?> zero = (Map<?, ?>) warm.json().get("epoch_0");
        assertEquals(((Number) evaluate.json().get("error")).doubleValue(),
                ((Number) zero.get("validation_error")).doubleValue(), "the same examples misclassified");
        assertEquals(((Number) evaluate.json().get("loss")).doubleValue(),
                ((Number) zero.get("validation_loss")).doubleValue(), 1e-6);
        // the line, in the epoch lines' format, before epoch 1's
        String line0 = warm.err().lines().filter(l -> l.startsWith("    0  ")).findFirst().orElseThrow();
        assertTrue(line0.contains(Format.percent(((Number) evaluate.json().get("error")).doubleValue())), line0);
        assertTrue(warm.err().indexOf("    0  ") < warm.err().indexOf("    1  "), warm.err());
        assertTrue(warm.err().contains("note: --init-from " + base + ": the network starts from its parameters and"
                + " batch-norm statistics"), warm.err());
        assertTrue(warm.err().contains("normalized with its own statistics (standardize"), warm.err());
    }

    /** Parameters and buffers by tensor name. */
    private static Map<String, Matrix> tensors(Path model) {
        Network n = ModelFile.load(model, new JavaBackend(1)).network();
        Map<String, Matrix> out = new java.util.LinkedHashMap<>();
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
    void frozenLayersKeepTheModelsBitsWithBatchNormWeightDecayAndDropoutWhileTheOthersTrain() {
        Path tuned = dir.resolve("tuned.safetensors");
        CliRun r = run(concat(new String[] {"train", "--data", "digits", "--epochs", "2", "--init-from", base.toString(),
                "--freeze", "1", "--l2", "1e-2", "--optimizer", "adam", "--dropout", "0.3", "--input-dropout", "0.1",
                "--out", tuned.toString()}, BN_NETWORK));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("note: --freeze 1: hidden layer 1 stays as loaded and runs as at inference"
                + " (batch norm with the stored statistics); the input dropout and the dropout of frozen layers are"
                + " not applied"), r.err());
        Map<String, Matrix> before = tensors(base);
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
        assertEquals(frozen.size() + 7, before.size(), "layers 1 (5 tensors) and 2 (weight, bias): all compared");
    }

    @Test
    void freezeWithoutInitFromTrainsOnlyTheUpperLayersOfTheInitialization() {
        // random features: the same seed's initialization, once trained fully and once with layer 1 fixed
        Path randomFeatures = dir.resolve("random-features.safetensors");
        CliRun r = run("train", "--data", "digits", "--hidden", "16", "--epochs", "2", "--freeze", "1",
                "--out", randomFeatures.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("hidden layer 1 stays as initialized (random features)"), r.err());
        // the initialization, drawn as the run draws it (the seed's second generator), on another backend
        Network initial = Experiment.prepare(RecipeSettings.of("data", "digits", "hidden", "16"), new JavaBackend(1))
                .network();
        Map<String, Matrix> init = new java.util.LinkedHashMap<>();
        for (Parameter p : initial.parameters()) {
            init.put(p.name(), p.value());
        }
        Map<String, Matrix> trained = tensors(randomFeatures);
        assertTrue(sameBits(init.get("layers.0.weight"), trained.get("layers.0.weight")));
        assertTrue(sameBits(init.get("layers.0.bias"), trained.get("layers.0.bias")));
        assertFalse(sameBits(init.get("layers.1.weight"), trained.get("layers.1.weight")));
    }

    @Test
    void aFineTuneWithATinyLearningRateMovesLittle() {
        Path tuned = dir.resolve("tiny.safetensors");
        CliRun r = run("train", "--data", "digits", "--hidden", "16", "--epochs", "1", "--init-from", plain.toString(),
                "--lr", "1e-6", "--out", tuned.toString(), "--json");
        assertEquals(0, r.status(), r.err());
        double largestChange = 0;
        double largest = 0;
        Map<String, Matrix> before = tensors(plain);
        Map<String, Matrix> after = tensors(tuned);
        for (String name : before.keySet()) {
            for (int i = 0; i < before.get(name).size(); i++) {
                largestChange = Math.max(largestChange, Math.abs(after.get(name).getFlat(i) - before.get(name).getFlat(i)));
                largest = Math.max(largest, Math.abs(before.get(name).getFlat(i)));
            }
        }
        // SGD: θ moves by lr × Σ_t g_t over 21 steps; a gradient entry of the mean loss is below 10 here
        assertTrue(largestChange > 0, "it trained");
        assertTrue(largestChange < 21 * 1e-6 * 10, "moved " + largestChange + " (largest value " + largest + ")");
        Map<?, ?> zero = (Map<?, ?>) r.json().get("epoch_0");
        assertEquals(((Number) zero.get("validation_error")).doubleValue(),
                ((Number) r.json().get("final_validation_error")).doubleValue(), "the same predictions");
    }

    @Test
    void aModelOfAnotherPrecisionIsConvertedAndSaysSo() {
        CliRun r = run("train", "--data", "digits", "--hidden", "16", "--epochs", "1", "--init-from", plain.toString(),
                "--precision", "float64", "--json");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("is float32: its values are converted to float64 (exactly)"), r.err());
        CliRun same = run("train", "--data", "digits", "--hidden", "16", "--epochs", "1", "--init-from", plain.toString(),
                "--json");
        // float32 → float64 is exact; the figures differ only by the arithmetic's rounding
        assertEquals(((Number) ((Map<?, ?>) same.json().get("epoch_0")).get("validation_loss")).doubleValue(),
                ((Number) ((Map<?, ?>) r.json().get("epoch_0")).get("validation_loss")).doubleValue(), 1e-5);
    }

    @Test
    void theArchitectureComesFromTheModelWhenItsFlagsAreNotGiven() throws IOException {
        // found by a fresh user: --init-from had to repeat --hidden, --activation and --batch-norm
        Path implied = dir.resolve("implied.safetensors");
        CliRun r = run("train", "--data", "digits", "--init-from", base.toString(), "--epochs", "1", "--out",
                implied.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("network 64-32-16-10 relu · batch norm · init-from " + base), r.out());
        Path given = dir.resolve("given.safetensors");
        CliRun g = run("train", "--data", "digits", "--hidden", "32,16", "--activation", "relu", "--batch-norm",
                "--init-from", base.toString(), "--epochs", "1", "--out", given.toString());
        assertEquals(0, g.status(), g.err());
        assertTrue(java.util.Arrays.equals(Files.readAllBytes(given), Files.readAllBytes(implied)),
                "the same model as with the architecture given");
        // a flag given that disagrees is refused, the others still implied
        assertRefused(run("train", "--data", "digits", "--hidden", "32", "--init-from", base.toString()),
                "--init-from " + base + " has hidden layers [32, 16] but the recipe asks for [32]; set --hidden to"
                + " 32,16");
        assertRefused(run("train", "--data", "digits", "--activation", "tanh", "--init-from", base.toString()),
                "--init-from " + base + " has relu hidden units but the recipe asks for tanh");
    }

    @Test
    void mismatchedModelsAreRefusedNamingTheModelAndWhatDiffers() throws IOException {
        String m = "--init-from " + plain;
        assertRefused(run("train", "--data", "digits", "--hidden", "32", "--init-from", plain.toString()),
                m + " has hidden layers [16] but the recipe asks for [32]; set --hidden to 16");
        assertRefused(run("train", "--data", "digits", "--hidden", "16", "--activation", "tanh", "--init-from",
                plain.toString()), m + " has relu hidden units but the recipe asks for tanh; set --activation to relu");
        assertRefused(run("train", "--data", "digits", "--hidden", "16", "--batch-norm", "--init-from",
                plain.toString()), m + " was trained without batch normalization but the recipe asks for it");
        assertRefused(run("train", "--data", "digits", "--hidden", "16", "--init-from", plain.toString(),
                "--normalize", "standardize"), "--normalize standardize differs from the normalization of " + m);
        assertRefused(run("train", "--data", "digits", "--hidden", "16", "--init-from", plain.toString(),
                "--pretrain", "ae"), "--init-from and pretrain ae both set the hidden layers' starting weights");
        assertRefused(run("train", "--data", "digits", "--hidden", "16", "--init-from",
                dir.resolve("absent.safetensors").toString()), "--init-from " + dir.resolve("absent.safetensors"));
    }

    @Test
    void dataOfAnotherSchemaInputSizeOrClassesIsRefused() throws IOException {
        // a model of a CSV with columns x1, x2 and classes a, b
        StringBuilder sb = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < 40; i++) {
            sb.append(i % 2 * 5 + i % 3).append(',').append(i % 7).append(',').append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        Path csv = Files.writeString(dir.resolve("two.csv"), sb.toString());
        Path model = shared.resolve("two.safetensors");
        assertEquals(0, run("train", "--data", csv.toString(), "--hidden", "4", "--epochs", "1", "--out",
                model.toString()).status());
        String m = "--init-from " + model;
        // input size and schema: 64 pixel columns for a model of [x1, x2]
        assertRefused(run("train", "--data", "digits", "--hidden", "4", "--init-from", model.toString()),
                "--data digits holds 64 feature columns");
        // a renamed column
        Path renamed = Files.writeString(dir.resolve("renamed.csv"), sb.toString().replace("x1,x2", "x1,y2"));
        assertRefused(run("train", "--data", renamed.toString(), "--hidden", "4", "--init-from", model.toString()),
                "no column 'x2'");
        // a class the model does not have
        Path classes = Files.writeString(dir.resolve("classes.csv"), sb.toString().replace(",b\n", ",c\n"));
        assertRefused(run("train", "--data", classes.toString(), "--hidden", "4", "--init-from", model.toString()),
                "label 'c' is not one of the model's classes [a, b]");
        // columns reordered, one added: matched by name, the same figures
        StringBuilder reordered = new StringBuilder("label,id,x2,x1\n");
        String[] lines = sb.toString().split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            reordered.append(f[2]).append(',').append(i).append(',').append(f[1]).append(',').append(f[0]).append('\n');
        }
        Path moved = Files.writeString(dir.resolve("moved.csv"), reordered.toString());
        CliRun a = run("train", "--data", csv.toString(), "--hidden", "4", "--epochs", "1", "--init-from",
                model.toString(), "--json");
        CliRun b = run("train", "--data", moved.toString(), "--hidden", "4", "--epochs", "1", "--init-from",
                model.toString(), "--json");
        assertEquals(0, b.status(), b.err());
        assertTrue(b.err().contains("column 'id' ignored: not among the feature columns of " + m), b.err());
        assertEquals(a.json().get("epoch_0"), b.json().get("epoch_0"));
        assertNotEquals(null, a.json().get("epoch_0"));
    }

    @Test
    void freezeOutOfRangeIsRefused() throws IOException {
        assertRefused(run("train", "--data", "digits", "--hidden", "16,8", "--freeze", "3"),
                "--freeze must be between 0 and the number of hidden layers (2), got 3");
        assertRefused(run("train", "--data", "digits", "--hidden", "16", "--freeze", "-1"),
                "--freeze must be between 0 and the number of hidden layers (1), got -1");
    }
}
