package org.nettricks.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

import org.nettricks.InvalidInputException;
import org.nettricks.data.TextMutations;
import org.nettricks.config.RecipeSettings.Setting;

/**
 * Generated recipe files (issue 14): the same settings written the many ways people write YAML and
 * JSON read to the same recipe as the same settings given as flags (or to the same refusal), and a
 * recipe written out from its settings reads back equal; the same files mutated byte by byte read or
 * end in an {@link InvalidInputException} naming the file, never another exception, in memory
 * bounded by the file's size.
 */
class RecipeFilePropertyTest {
    /** snakeyaml-engine's and Jackson's buffers and the recipe's objects: a fixed allowance. */
    private static final long FIXED_ALLOCATION = 8L << 20;
    /** Bytes allocated per byte of input beyond it: nodes, marks and strings of a small document. */
    private static final long BYTES_PER_INPUT_BYTE = 4096;

    private static Path directory;

    @BeforeContainer
    static void createDirectory() throws IOException {
        directory = Files.createTempDirectory("recipe-property");
    }

    @AfterContainer
    static void removeDirectory() throws IOException {
        try (var files = Files.list(directory)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(directory);
    }

    /**
     * Values people give each key: mostly valid, some not (words for numbers, negative sizes,
     * fractions above 1, empty lists, numbers out of range), so that refusals are compared too.
     */
    private static final Map<String, List<List<String>>> VALUES = new LinkedHashMap<>();
    /** The values of each key that are not valid on their own (a word for a number, out of range). */
    private static final Map<String, List<List<String>>> INVALID = new LinkedHashMap<>();
    /** Separates a key's valid values from its invalid ones in {@link #values}. */
    private static final String INVALID_FROM_HERE = "INVALID:";

    private static void values(String key, Object... choices) {
        List<List<String>> valid = new ArrayList<>();
        List<List<String>> invalid = new ArrayList<>();
        List<List<String>> out = valid;
        for (Object c : choices) {
            if (INVALID_FROM_HERE.equals(c)) {
                out = invalid;
                continue;
            }
            out.add(c instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of((String) c));
        }
        VALUES.put(key, valid);
        INVALID.put(key, invalid);
    }

    static {
        values("data", "digits", "fashion-mnist", "my data/train.csv", "données.csv", "./x.csv");
        values("test-data", "test.csv", "t e s t.csv");
        values("label", "label", "0", "class name", "3");
        values("weight-column", "w", "sample weight", "4");
        values("task", "classification", INVALID_FROM_HERE, "ranking", "Regression");
        values("loss", "cross-entropy", INVALID_FROM_HERE, "hinge", "huber", "squared-error");
        values("huber-delta", "1", "1.0", INVALID_FROM_HERE, "0", "-1", "x");
        values("delimiter", "auto", ";", "tab", "|", ",", INVALID_FROM_HERE, "ab");
        values("validation-fraction", "0", "0.1", "1e-1", "0.25", INVALID_FROM_HERE, "1.5", "x");
        values("test-fraction", "0.2", "0.3", INVALID_FROM_HERE, "-0.1");
        values("normalize", "auto", "scale", "standardize", "none", INVALID_FROM_HERE, "zscore");
        values("train-limit", "0", "100", INVALID_FROM_HERE, "-1", "1.5");
        values("split-seed", "1", "-5", "9007199254740993", INVALID_FROM_HERE, "seed");
        values("hidden", "none", "64", List.of("64"), List.of("64", "32"), List.of("3", "3", "3"), INVALID_FROM_HERE, "0", List.of("8", "x"));
        values("activation", "relu", "tanh", "sigmoid", "Relu", INVALID_FROM_HERE, "swish-ish");
        values("batch-norm", "true", "false", "yes", "no", "on", "off", INVALID_FROM_HERE, "maybe");
        values("dropout", "0", "0.5", List.of("0.5", "0.2"), List.of("0.5", "0.2", "0.1"), INVALID_FROM_HERE, "1", "-0.5");
        values("input-dropout", "0", "0.2", INVALID_FROM_HERE, "2");
        values("init", "glorot", "he", INVALID_FROM_HERE, "xavier");
        values("init-gain", "1", "0.5", INVALID_FROM_HERE, "0", "NaN");
        values("init-from", "model.safetensors", "runs/m 1.safetensors");
        values("freeze", "0", "1", INVALID_FROM_HERE, "-1", "x");
        values("optimizer", "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "Adam", INVALID_FROM_HERE, "lbfgs");
        values("lr", "0.1", "1e-3", "0.001", INVALID_FROM_HERE, "0", "-1", "fast");
        for (UpdateRule.Hyperparameter h : UpdateRule.Hyperparameter.values()) {
            values(h.key(), h.example(), INVALID_FROM_HERE, "-1", "2");
        }
        values("schedule", "constant", "cosine", "step:5:0.5", "exponential:0.9", "inverse:0.01", INVALID_FROM_HERE, "step:5", "warm");
        values("l1", "0", "1e-5", INVALID_FROM_HERE, "-1");
        values("l2", "0", "1e-4", "0.5");
        values("clip-norm", "0", "5", INVALID_FROM_HERE, "-2");
        values("patience", "0", "3", INVALID_FROM_HERE, "-1");
        values("min-delta", "0", "0.001", INVALID_FROM_HERE, "-0.1");
        values("monitor", "val-error", "val-loss", "val-f1-macro", "VAL-Top-2-Accuracy", "val-roc-auc-ovr",
                INVALID_FROM_HERE, "val-acc", "val-top-0-accuracy", "val-rmse");
        values("bn-statistics", "final-pass", "running", INVALID_FROM_HERE, "batch");
        values("pretrain", "none", "ae", "dae", "rbm", INVALID_FROM_HERE, "vae");
        values("pretrain-epochs", "10", List.of("2", "3"), List.of("1", "2", "3", "4"), INVALID_FROM_HERE, "0");
        values("pretrain-lr", "0.01", List.of("0.1", "0.01"), INVALID_FROM_HERE, "-1");
        values("pretrain-on", "labelled", "all", INVALID_FROM_HERE, "some");
        values("noise", "masking", "gaussian", INVALID_FROM_HERE, "salt");
        values("corruption", "0.25", "0.1", INVALID_FROM_HERE, "1.5");
        values("tied", "true", "false", INVALID_FROM_HERE, "1");
        values("cd-k", "1", "3", INVALID_FROM_HERE, "0");
        values("persistent", "false", "true");
        values("pretrain-patience", "0", "3", INVALID_FROM_HERE, "-3");
        values("class-weight", "none", "balanced", "1,2.5", INVALID_FROM_HERE, "heavy", "1,-2");
        values("batch-size", "64", "1", "128", INVALID_FROM_HERE, "0", "many");
        values("epochs", "10", "1", INVALID_FROM_HERE, "0", "3.5");
        values("seed", "1", "42", "-7", INVALID_FROM_HERE, "99999999999999999999");
        values("precision", "float32", "float64", "FLOAT64", INVALID_FROM_HERE, "half");
        values("checkpoint", "runs/ck", "my runs/ck 1", "./ck");
        values("checkpoint-every", "0", "500", INVALID_FROM_HERE, "-1", "often");
        values("report", "run.html", "my runs/r 1.html", "./r.html");
        values("plots", "plots", "my plots/run 1", "./p");
        for (RecipeSettings.Key k : RecipeSettings.KEYS) {
            assertTrue(VALUES.containsKey(k.name()), "a generator of values for every key: " + k.name());
        }
    }

    /** Settings as a user wrote them (key → list items, one item for a scalar), and one way of writing them. */
    record Written(Map<String, List<String>> settings, boolean json, String text, byte[] bytes) {
        String fileName() {
            return json ? "recipe.json" : "recipe.yaml";
        }
    }

    @Provide
    Arbitrary<Written> recipes() {
        return Combinators.combine(Arbitraries.integers().between(1, 12), Arbitraries.longs(),
                Arbitraries.of(false, true)).as((count, seed, json) -> {
            Random random = new Random(seed);
            List<String> keys = new ArrayList<>(VALUES.keySet());
            Map<String, List<String>> settings = new LinkedHashMap<>();
            // a realistic recipe names its data, then some of the other keys, in any order
            settings.put("data", pick("data", random));
            while (settings.size() < count) {
                String key = keys.get(random.nextInt(keys.size()));
                settings.putIfAbsent(key, pick(key, random));
            }
            return write(settings, json, random);
        });
    }

    /** A value of {@code key}: one in 30 is invalid, where the key has invalid values. */
    private static List<String> pick(String key, Random random) {
        List<List<String>> choices = INVALID.get(key).isEmpty() || random.nextInt(30) > 0 ? VALUES.get(key)
                : INVALID.get(key);
        return choices.get(random.nextInt(choices.size()));
    }

    static Written write(Map<String, List<String>> settings, boolean json, Random random) {
        String newline = random.nextInt(4) == 0 ? "\r\n" : "\n";
        StringBuilder text = new StringBuilder();
        if (random.nextInt(8) == 0) {
            text.append('\uFEFF');
        }
        if (json) {
            text.append('{').append(newline);
            int i = 0;
            for (Map.Entry<String, List<String>> e : settings.entrySet()) {
                text.append("  ").append(jsonString(e.getKey())).append(random.nextBoolean() ? ": " : ":");
                List<String> items = e.getValue();
                if (items.size() > 1 || random.nextInt(6) == 0) {
                    text.append('[');
                    for (int j = 0; j < items.size(); j++) {
                        text.append(j > 0 ? ", " : "").append(jsonValue(items.get(j), random));
                    }
                    text.append(']');
                } else {
                    text.append(jsonValue(items.get(0), random));
                }
                text.append(++i < settings.size() ? "," : "").append(newline);
            }
            text.append('}').append(random.nextBoolean() ? newline : "");
        } else {
            if (random.nextInt(4) == 0) {
                text.append("---").append(newline);
            }
            if (random.nextInt(3) == 0) {
                text.append("# a recipe, as people write them").append(newline);
            }
            for (Map.Entry<String, List<String>> e : settings.entrySet()) {
                List<String> items = e.getValue();
                text.append(e.getKey()).append(':');
                if (items.size() > 1 || random.nextInt(6) == 0) {
                    if (random.nextBoolean()) { // flow list
                        text.append(" [");
                        for (int j = 0; j < items.size(); j++) {
                            text.append(j > 0 ? ", " : "").append(yamlScalar(items.get(j), random, true));
                        }
                        text.append(']');
                    } else { // block list, indented or not
                        String indent = random.nextBoolean() ? "  " : "";
                        for (String item : items) {
                            text.append(newline).append(indent).append("- ").append(yamlScalar(item, random, false));
                        }
                    }
                } else {
                    text.append(' ').append(yamlScalar(items.get(0), random, false));
                }
                if (random.nextInt(5) == 0) {
                    text.append("   # a comment");
                }
                text.append(random.nextInt(6) == 0 ? "  " : "").append(newline);
                if (random.nextInt(8) == 0) {
                    text.append(newline);
                }
            }
        }
        String s = text.toString();
        return new Written(settings, json, s, s.getBytes(StandardCharsets.UTF_8));
    }

    /** A JSON value: a number or boolean where the text is one in JSON's canonical spelling, else a string. */
    private static String jsonValue(String v, Random random) {
        if (random.nextBoolean() && (v.equals("true") || v.equals("false") || isCanonicalNumber(v))) {
            return v;
        }
        return jsonString(v);
    }

    private static boolean isCanonicalNumber(String v) {
        try {
            return Long.toString(Long.parseLong(v)).equals(v) && Math.abs(Long.parseLong(v)) < 1e15;
        } catch (NumberFormatException e) {
            try {
                double d = Double.parseDouble(v);
                return Double.isFinite(d) && Double.toString(d).equals(v) && d != Math.rint(d);
            } catch (NumberFormatException e2) {
                return false;
            }
        }
    }

    private static String jsonString(String v) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** A YAML scalar that composes to exactly {@code v}: plain where YAML allows it, else quoted. */
    private static String yamlScalar(String v, Random random, boolean inFlow) {
        boolean plainSafe = v.matches("[A-Za-z0-9.][A-Za-z0-9._/:-]*( [A-Za-z0-9._/-]+)*|-[0-9][0-9.e-]*")
                && !(inFlow && v.contains(":")) && !v.contains(": ");
        int style = random.nextInt(4);
        if (plainSafe && style < 2) {
            return v;
        }
        if (style == 2 || v.contains("\t")) {
            return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\t", "\\t") + '"';
        }
        return '\'' + v.replace("'", "''") + '\'';
    }

    /** What the settings give as flags: a recipe, or a refusal's problem. */
    private static Object viaFlags(Map<String, List<String>> settings) {
        Map<String, Setting> flags = new LinkedHashMap<>();
        settings.forEach((k, items) -> flags.put(k, Setting.flag(k, inRecipeDirectory(k, String.join(",", items)))));
        try {
            return RecipeSettings.parse(flags);
        } catch (InvalidInputException e) {
            return problem(e.getMessage());
        }
    }

    /**
     * A value as the recipe file means it: a relative path given to {@code data}, {@code test-data} or {@code init-from}
     * names a file next to the recipe (docs/reliability.md); the built-in sources keep their names.
     */
    private static String inRecipeDirectory(String key, String value) {
        boolean path = (key.equals("data") || key.equals("test-data") || key.equals("init-from")) && !value.equals("digits")
                && !value.equals("fashion-mnist") && !value.isEmpty() && !value.startsWith("/");
        return path ? directory + "/" + value : value;
    }

    private static Object viaFile(Path file) {
        try {
            return RecipeSettings.parse(RecipeFile.read(file));
        } catch (InvalidInputException e) {
            return problem(e.getMessage());
        }
    }

    /**
     * A refusal's problem without where the setting came from and the example ({@code --lr} and
     * {@code --lr 0.1} for flags, {@code recipe.yaml line 3: lr} and {@code lr: 0.1} for files).
     */
    static String problem(String message) {
        String m = message.replaceFirst("^\\S*recipe\\.(yaml|json) line \\d+: ([a-z0-9-]+) ", "`$2` ")
                .replaceFirst("^--([a-z0-9-]+) ", "`$1` ");
        int example = m.indexOf("; e.g. ");
        return example < 0 ? m : m.substring(0, example);
    }

    private static Path save(String name, byte[] bytes) {
        Path file = directory.resolve(name);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    @Property(tries = 10_000)
    void aFileReadsAsItsSettingsGivenAsFlags(@ForAll("recipes") Written w) {
        Object expected = viaFlags(w.settings());
        Object actual = viaFile(save(w.fileName(), w.bytes()));
        Statistics.collect(expected instanceof Recipe ? "valid" : "refused");
        assertEquals(expected, actual, w.text());
    }

    @Property(tries = 10_000)
    void aRecipeWrittenFromItsSettingsReadsBackEqual(@ForAll("recipes") Written w) {
        Object parsed = viaFlags(w.settings());
        if (!(parsed instanceof Recipe recipe)) {
            Statistics.collect("refused");
            return;
        }
        Statistics.collect("valid");
        Map<String, List<String>> written = new LinkedHashMap<>();
        RecipeSettings.settings(recipe).forEach((k, s) -> written.put(k, List.of(s.value().split(",", -1))));
        Written again = write(written, w.json(), new Random(w.text().hashCode()));
        assertEquals(recipe, viaFile(save(again.fileName(), again.bytes())), again.text());
    }

    /** A file changed by a few byte edits: replaced, inserted, deleted, or cut short. */
    record Mutated(Written original, byte[] bytes) {
    }

    @Provide
    Arbitrary<Mutated> mutated() {
        return Combinators.combine(recipes(), Arbitraries.longs(), Arbitraries.integers().between(1, 4))
                .as((w, seed, edits) -> new Mutated(w, mutate(w.bytes(), new Random(seed), edits)));
    }

    private static final byte[] INTERESTING = "\"':-#[]{},&*!|>%@`\t\n\r \uFEFF.e9".getBytes(StandardCharsets.UTF_8);

    static byte[] mutate(byte[] bytes, Random random, int edits) {
        return TextMutations.mutate(bytes, random, edits, INTERESTING);
    }

    @Property(tries = 10_000)
    void mutatedFilesReadOrFailWithTheInvalidInputErrorInBoundedMemory(@ForAll("mutated") Mutated m) {
        Path file = save(m.original().fileName(), m.bytes());
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        try {
            RecipeSettings.parse(RecipeFile.read(file));
            Statistics.collect("read");
        } catch (InvalidInputException e) {
            Statistics.collect("refused");
            String message = e.getMessage();
            assertTrue(message != null && !message.isBlank(), "a message");
            assertFalse(message.contains("\n"), "one line: " + message);
            assertTrue(message.contains(file.toString()) || message.startsWith("--"),
                    "names the file (or, for a value, its key): " + message);
        } catch (RuntimeException | Error e) {
            fail("not the invalid-input error: " + e + " for\n" + new String(m.bytes(), StandardCharsets.UTF_8), e);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated <= FIXED_ALLOCATION + BYTES_PER_INPUT_BYTE * m.bytes().length,
                allocated + " bytes allocated to read " + m.bytes().length + " bytes");
    }
}
