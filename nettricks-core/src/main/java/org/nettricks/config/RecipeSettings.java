package org.nettricks.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import java.util.function.BiConsumer;
import java.util.function.Function;

import org.nettricks.InvalidInputException;
import org.nettricks.activations.Activation;
import org.nettricks.data.CsvReader;
import org.nettricks.losses.ClassWeights;
import org.nettricks.optim.LearningRateSchedule;
import org.nettricks.tensor.Precision;
import org.nettricks.evaluation.Metric;

/**
 * Turns settings (from command-line flags and recipe files, with the same names) into a
 * {@link Recipe}. One table is the one place that defines every setting's name, default, help,
 * how its text is read and how its value is recorded in {@link Recipe#toMap()};
 * {@link #KEYS} lists it by section, and the command-line help is generated from it.
 *
 * <p>The recipe's records check every value and name the key ({@link RecipeException}); here each
 * such message becomes an {@link InvalidInputException} that names where the value came from (the
 * flag, or the file and line) and gives a valid example.
 */
public final class RecipeSettings {
    /** The fix a problem gives itself: dropping, setting or using a setting named in backquotes. */
    private static final java.util.regex.Pattern ADVICE = java.util.regex.Pattern.compile("\\b(drop|set|use) `");

    private RecipeSettings() {
    }

    /** Where a setting came from. */
    public enum Origin {
        FLAG, FILE
    }

    /**
     * One raw setting.
     *
     * @param key    the setting's name, e.g. {@code lr}
     * @param value  its text (lists comma-separated)
     * @param where  for files, "FILE line N"; ignored for flags
     */
    public record Setting(String key, String value, Origin origin, String where) {
        /** A flag's setting, e.g. {@code --lr 0.1}. */
        public static Setting flag(String key, String value) {
            return new Setting(key, value, Origin.FLAG, null);
        }

        /** How a message names this setting: {@code --lr} or {@code r.yaml line 3: lr}. */
        public String label() {
            return origin == Origin.FLAG ? "--" + key : where + ": " + key;
        }

        /** How a valid example is written where this setting came from. */
        public String example(String exampleValue) {
            return origin == Origin.FLAG ? "--" + key + " " + exampleValue : key + ": " + exampleValue;
        }
    }

    /**
     * A setting's definition: its name, whether it is a yes/no switch, its default (as text; null when
     * it has none or depends on other keys), its help, its section, an example of a valid value,
     * whether provenance records it only when pre-training is on, how its text sets a
     * {@link Recipe.Builder}, and how its value reads back from a {@link Recipe} for {@link Recipe#toMap()}.
     */
    public record Key(String name, boolean isSwitch, String defaultValue, String help, String section, String example,
                      boolean pretrainingOnly, BiConsumer<Recipe.Builder, String> apply,
                      Function<Recipe, Object> recorded) {
        /**
         * Whether the key changes what a run computes, and so belongs to the recipe a model and
         * its checkpoints record ({@link Recipe#toMap()}): every key but those of the sections
         * {@code checkpoints} (how the run is kept) and {@code report} (what it writes besides the
         * model).
         */
        public boolean definesResult() {
            return !section.equals("checkpoints") && !section.equals("report");
        }
    }

    private static Key key(String name, String defaultValue, String example, String section, String help,
                           BiConsumer<Recipe.Builder, String> apply, Function<Recipe, Object> recorded) {
        return new Key(name, false, defaultValue, help, section, example, section.equals("pre-training")
                && !name.equals("pretrain"), apply, recorded);
    }

    private static String learningRateHelp() {
        StringBuilder sb = new StringBuilder("learning rate alpha (default:");
        Map<Double, List<String>> byRate = new LinkedHashMap<>();
        for (UpdateRule r : UpdateRule.values()) {
            byRate.computeIfAbsent(r.defaultLearningRate(), x -> new ArrayList<>()).add(r.displayName());
        }
        String sep = " ";
        for (Map.Entry<Double, List<String>> e : byRate.entrySet()) {
            List<String> names = e.getValue();
            String joined = names.size() == 1 ? names.get(0) : String.join(", ", names.subList(0, names.size() - 1))
                    + " and " + names.get(names.size() - 1);
            sb.append(sep).append(e.getKey()).append(" for ").append(joined);
            sep = "; ";
        }
        return sb.append(")").toString();
    }

    /**
     * Every setting of a training recipe, in the order of the provenance map {@link Recipe#toMap()}
     * (batch size and epochs after pre-training, as models have always recorded them).
     */
    static final List<Key> TABLE = concat(List.of(
            key("data", null, "digits", "data", "digits (built in), fashion-mnist, a directory of IDX files, or a CSV"
                    + " file with a header row (required)", (b, v) -> b.data(v), r -> r.data().source()),
            key("test-data", null, "test.csv", "data", "separate labelled test set; default: the source's own test"
                    + " set (IDX t10k files), else a held-out test-fraction", (b, v) -> b.testData(v),
                    r -> r.data().testData()),
            key("label", null, "label", "data", "CSV label column, by name or 0-based index (default: 'label', else"
                    + " the last column)", (b, v) -> b.labelColumn(v), r -> r.data().labelColumn()),
            key("task", "classification", "regression", "data", "classification (a label column of classes) or"
                    + " regression (the label columns, e.g. y or y1,y2, hold numeric targets; linear outputs,"
                    + " targets standardized with the training split's statistics)", (b, v) -> b.task(v),
                    r -> r.regression() ? "regression" : "classification"),
            key("weight-column", null, "w", "data", "CSV column of per-example weights (by name or 0-based index;"
                    + " not a feature): each example's training loss is multiplied by its weight (finite, >= 0, not"
                    + " all 0), times its class weight with class-weight; the weighted sum is divided by the batch"
                    + " size; validation and test figures are not weighted", (b, v) -> b.weightColumn(v),
                    r -> r.data().weightColumn()),
            key("delimiter", "auto", ";", "data", "CSV field delimiter: auto (the most frequent of , ; tab | in the header"
                    + " line, else a comma), tab, or one character", (b, v) -> b.delimiter(family("delimiter", v,
                    CsvReader::parseDelimiter)), r -> r.data().delimiter() == null ? "auto"
                    : r.data().delimiter() == '\t' ? "tab" : String.valueOf(r.data().delimiter())),
            key("validation-fraction", "0.1", "0.1", "data", "share of the training data held out for validation;"
                    + " 0 for none", (b, v) -> b.validationFraction(number("validation-fraction", v)),
                    r -> r.data().validationFraction()),
            key("test-fraction", "0.2", "0.2", "data", "share held out as the test set when the source has none",
                    (b, v) -> b.testFraction(number("test-fraction", v)), r -> r.data().testFraction()),
            key("normalize", "auto", "auto", "data", "auto, scale ([0,1]), standardize or none; auto scales data of"
                    + " known range (pixels), else standardizes; statistics from the training set only",
                    (b, v) -> b.normalization(NormalizationChoice.parse(v)),
                    r -> r.data().normalization().displayName()),
            key("train-limit", "0", "5000", "data", "train on only the first N training examples (after the splits);"
                    + " 0 for all", (b, v) -> b.trainLimit(integer("train-limit", v)), r -> r.data().trainLimit()),
            key("split-seed", null, "1", "data", "seed of the validation and test splits (default: the seed)",
                    (b, v) -> b.splitSeed(longValue("split-seed", v)), r -> r.data().splitSeed()),
            key("hidden", "128", "1024,1024", "network", "hidden layer sizes, e.g. 1024,1024; 'none' for softmax"
                    + " regression", (b, v) -> b.hidden(sizes(v)), r -> r.network().hidden()),
            key("activation", "relu", "relu", "network", Activation.names(", "),
                    (b, v) -> b.activation(family("activation", v, Activation::parse)),
                    r -> r.network().activation().displayName()),
            new Key("batch-norm", true, "false", "batch-normalize every hidden layer's pre-activations (its bias b is"
                    + " dropped: β takes its role)", "network", "true", false,
                    (b, v) -> b.batchNorm(yesNo("batch-norm", v)), r -> r.network().batchNorm()),
            key("dropout", "0", "0.5", "network", "drop probability of hidden units, one value or one per layer (0.5"
                    + " is the classic choice)", (b, v) -> b.dropout(numbers("dropout", v)),
                    r -> r.network().dropout()),
            key("input-dropout", "0", "0.2", "network", "drop probability of the inputs (e.g. 0.2)",
                    (b, v) -> b.inputDropout(number("input-dropout", v)), r -> r.network().inputDropout()),
            key("init", "glorot", "he", "network", "glorot (U[-b,b], b = sqrt(6/(fan_in+fan_out))) or he"
                    + " (b = sqrt(6/fan_in), for ReLU)", (b, v) -> b.init(InitScheme.parse(v)),
                    r -> r.network().init().displayName()),
            key("init-gain", "1", "0.5", "network", "multiplies the initialization bound b (below 1 scales it down)",
                    (b, v) -> b.initGain(number("init-gain", v)), r -> r.network().initGain()),
            key("init-from", null, "model.safetensors", "network", "warm start: begin from this saved model's"
                    + " parameters and batch-norm statistics instead of init, and keep its normalization; its"
                    + " hidden sizes, activation, batch-norm, inputs and classes (regression: task and targets, whose"
                    + " standardization it keeps) must match (report: epoch 0)",
                    (b, v) -> b.initFrom(v), r -> r.network().initFrom()),
            key("freeze", "0", "1", "network", "keep the first K hidden layers fixed (weights, biases, batch-norm"
                    + " gamma, beta and statistics; run as at inference, without dropout): the lecture's fixing of"
                    + " previous layers; without init-from they stay at their random initialization (random"
                    + " features)", (b, v) -> b.freeze(integer("freeze", v)), r -> r.network().freeze()),
            key("optimizer", "sgd", "sgd", "optimization", UpdateRule.names(", "),
                    (b, v) -> b.optimizer(UpdateRule.parse(v)), r -> r.optimizer().rule().displayName()),
            key("lr", null, "0.1", "optimization", learningRateHelp(),
                    (b, v) -> b.learningRate(number("lr", v)), r -> r.optimizer().learningRate())), hyperparameterKeys(), List.of(
            key("schedule", "constant", "cosine", "optimization", "learning-rate schedule over epochs: constant,"
                    + " step:EPOCHS:FACTOR, exponential:FACTOR, inverse:DECAY or cosine",
                    (b, v) -> b.schedule(family("schedule", v, LearningRateSchedule::parse)),
                    r -> r.optimizer().schedule().describe()),
            key("class-weight", "none", "balanced", "optimization", "how much each class's examples count in the"
                    + " training loss: none, balanced (n / (k n_c), as scikit-learn) or one weight per class in"
                    + " class-index order, e.g. 1,1,5; the reported training loss is the weighted one, validation"
                    + " and test losses are not weighted",
                    (b, v) -> b.classWeights(family("class-weight", v, ClassWeights::parse)),
                    r -> r.optimizer().classWeights().describe()),
            key("loss", null, "huber", "optimization", "the training loss: cross-entropy (classification; the"
                    + " default), squared-error (regression's default; PyTorch's MSELoss) or huber (PyTorch's"
                    + " HuberLoss with huber-delta); regression losses are means over examples and targets in"
                    + " standardized units", (b, v) -> b.loss(v), r -> r.regression()
                    ? r.optimizer().regressionLoss().describe() : "cross-entropy"),
            key("huber-delta", "1", "0.5", "optimization", "delta of the huber loss: quadratic below it, linear"
                    + " above (in standardized target units)", (b, v) -> b.huberDelta(number("huber-delta", v)),
                    r -> r.regression() ? r.optimizer().regressionLoss().delta() : 1.0),
            key("l1", "0", "1e-5", "regularization", "lambda of the L1 penalty on weights (never biases, gamma, beta)",
                    (b, v) -> b.l1(number("l1", v)), r -> r.regularization().l1()),
            key("l2", "0", "1e-4", "regularization", "lambda of the L2 penalty on weights (never biases, gamma, beta)",
                    (b, v) -> b.l2(number("l2", v)), r -> r.regularization().l2()),
            key("clip-norm", "0", "5", "regularization", "clip gradients to this global norm; 0 for no clipping",
                    (b, v) -> b.clipNorm(number("clip-norm", v)), r -> r.regularization().clipNorm()),
            key("patience", "0", "5", "regularization", "early stopping: stop after this many epochs without"
                    + " improvement and restore the best epoch; 0 for no early stopping",
                    (b, v) -> b.patience(integer("patience", v)), r -> r.regularization().patience()),
            key("min-delta", "0", "0.001", "regularization", "early stopping: smallest decrease that counts as"
                    + " improvement", (b, v) -> b.minDelta(number("min-delta", v)),
                    r -> r.regularization().minDelta()),
            key("monitor", null, "val-loss", "regularization", "what early stopping watches and search selects"
                    + " on (default: val-error for classification, val-loss for regression; search --task regression:"
                    + " val-rmse); classification: " + Metric.describe(false) + "; regression: "
                    + Metric.describe(true), (b, v) -> b.monitor(family("monitor", v, Metric::parse)),
                    r -> r.regularization().monitor().name()),
            key("bn-statistics", "final-pass", "final-pass", "regularization", "batch normalization's test-time"
                    + " statistics: final-pass (a pass over the training set after training) or running (running"
                    + " averages)", (b, v) -> b.bnStatistics(BatchNormStatistics.parse(v)),
                    r -> r.regularization().bnStatistics().displayName()),
            key("pretrain", "none", "dae", "pre-training", "greedy layer-wise unsupervised pre-training of the hidden"
                    + " layers before training: none, ae (autoencoder), dae (denoising autoencoder) or rbm"
                    + " (restricted Boltzmann machine, CD-k)", (b, v) -> b.pretrain(PretrainingMethod.parse(v)),
                    r -> r.pretraining().method().displayName()),
            key("pretrain-epochs", "10", "10", "pre-training", "epochs per hidden layer, one value or one per layer",
                    (b, v) -> b.pretrainEpochs(integers("pretrain-epochs", v)), r -> r.pretraining().epochs()),
            key("pretrain-lr", null, "0.01", "pre-training", "learning rate per hidden layer, one value or one per"
                    + " layer (default: lr)", (b, v) -> b.pretrainLearningRates(numbers("pretrain-lr", v).stream()
                    .mapToDouble(Double::doubleValue).toArray()), r -> r.pretraining().learningRates()),
            key("pretrain-on", "labelled", "all", "pre-training", "labelled (the training examples train uses) or all"
                    + " (every training input, also those train-limit leaves out)",
                    (b, v) -> b.pretrainOnAll(pretrainOn(v)), r -> r.pretraining().onAll() ? "all" : "labelled"),
            key("noise", "masking", "masking", "pre-training", "dae corruption: masking (inputs set to 0) or gaussian",
                    (b, v) -> b.noise(Noise.parse(v)), r -> r.pretraining().noise().displayName()),
            key("corruption", "0.25", "0.25", "pre-training", "dae: the masking probability, or the Gaussian noise's"
                    + " sigma", (b, v) -> b.corruption(number("corruption", v)), r -> r.pretraining().corruption()),
            key("tied", "true", "true", "pre-training", "autoencoders: decoder weights tied to the encoder's transpose",
                    (b, v) -> b.tied(yesNo("tied", v)), r -> r.pretraining().tied()),
            key("cd-k", "1", "1", "pre-training", "rbm: Gibbs steps of contrastive divergence CD-k",
                    (b, v) -> b.cdK(integer("cd-k", v)), r -> r.pretraining().cdK()),
            key("persistent", "false", "true", "pre-training", "rbm: persistent contrastive divergence",
                    (b, v) -> b.persistent(yesNo("persistent", v)), r -> r.pretraining().persistent()),
            key("pretrain-patience", "0", "3", "pre-training", "early stopping on the validation reconstruction"
                    + " error; 0 for none", (b, v) -> b.pretrainPatience(integer("pretrain-patience", v)),
                    r -> r.pretraining().patience()),
            key("batch-size", "64", "64", "optimization", "examples per mini-batch; 1 = per-example SGD",
                    (b, v) -> b.batchSize(integer("batch-size", v)), Recipe::batchSize),
            key("epochs", "10", "10", "optimization", "passes over the training set (the maximum, with early"
                    + " stopping)", (b, v) -> b.epochs(integer("epochs", v)), Recipe::epochs),
            key("seed", "1", "1", "run", "seed of every random choice (splits, init, shuffling, dropout)",
                    (b, v) -> b.seed(longValue("seed", v)), Recipe::seed),
            key("precision", "float32", "float64", "run", "float32 or float64",
                    (b, v) -> b.precision(family("precision", v, Precision::parse)),
                    r -> r.precision().displayName()),
            key("checkpoint", null, "runs/ck", "checkpoints", "write the whole training state to this directory at"
                    + " the end of every epoch, keeping the last two checkpoints (resume with train --resume DIR);"
                    + " not recorded in the model", (b, v) -> b.checkpoint(v), Recipe::checkpoint),
            key("checkpoint-every", "0", "500", "checkpoints", "also checkpoint every this many optimizer steps;"
                    + " 0 for epoch ends only", (b, v) -> b.checkpointEvery(integer("checkpoint-every", v)),
                    Recipe::checkpointEvery),
            key("report", null, "run.html", "report", "write a self-contained HTML report of the run (train:"
                    + " learning curves, per-layer statistics, histograms, confusion matrix; pretrain: reconstruction"
                    + " errors and filters per layer; diagnose and gradcheck: their measurements; docs/reports.md),"
                    + " rewritten atomically after every epoch; not recorded in the model",
                    (b, v) -> b.report(v), Recipe::report),
            key("plots", null, "plots", "report", "also write each chart of the report as SVG and PNG files into"
                    + " this directory (created if needed) after training, for papers and slides; not recorded in"
                    + " the model", (b, v) -> b.plots(v), Recipe::plots)));

    @SafeVarargs
    private static List<Key> concat(List<Key>... parts) {
        List<Key> all = new ArrayList<>();
        for (List<Key> part : parts) {
            all.addAll(part);
        }
        return List.copyOf(all);
    }

    /**
     * One key per hyperparameter of the update rules ({@link UpdateRule.Hyperparameter}), with the
     * rules that read it and their defaults in its help: new rules and hyperparameters need no line here.
     */
    private static List<Key> hyperparameterKeys() {
        List<Key> keys = new ArrayList<>();
        for (UpdateRule.Hyperparameter h : UpdateRule.Hyperparameter.values()) {
            List<String> users = new ArrayList<>();
            boolean oneDefault = true;
            for (UpdateRule r : UpdateRule.values()) {
                if (r.hyperparameters().contains(h)) {
                    users.add(r.displayName() + (r.defaultOf(h) != h.defaultValue() ? " (default " + r.defaultOf(h)
                            + ")" : ""));
                    oneDefault &= r.defaultOf(h) == h.defaultValue();
                }
            }
            String help = h.help() + " (used by " + String.join(", ", users) + (oneDefault ? "" : "; otherwise "
                    + h.defaultValue()) + ")";
            keys.add(key(h.key(), oneDefault ? Double.toString(h.defaultValue()) : null, h.example(), "optimization",
                    help, (b, v) -> b.hyperparameter(h.key(), number(h.key(), v)),
                    r -> r.optimizer().hyperparameter(h.key())));
        }
        return keys;
    }

    /** Every setting of a training recipe, grouped by section for help (the table's order within each). */
    public static final List<Key> KEYS = groupedBySection(TABLE);

    private static List<Key> groupedBySection(List<Key> table) {
        Map<String, List<Key>> sections = new LinkedHashMap<>();
        for (Key k : table) {
            sections.computeIfAbsent(k.section(), s -> new ArrayList<>()).add(k);
        }
        return sections.values().stream().flatMap(List::stream).toList();
    }

    /** The definition of {@code name}, or null. */
    public static Key key(String name) {
        for (Key k : TABLE) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        return null;
    }

    /**
     * A recipe from alternating names and values, as on the command line without dashes:
     * {@code RecipeSettings.of("data", "digits", "hidden", "64", "optimizer", "adam")}.
     *
     * @throws InvalidInputException naming the flag of a value that is invalid
     */
    public static Recipe of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("give names and values in pairs");
        }
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            settings.put(namesAndValues[i], Setting.flag(namesAndValues[i], namesAndValues[i + 1]));
        }
        return parse(settings);
    }

    /**
     * Builds a recipe; {@code settings} maps key names to settings (absent keys take defaults).
     *
     * @throws InvalidInputException for an unknown key or an invalid value, naming where it came
     *                               from ({@code --lr}, or {@code r.yaml line 3: lr}) and giving an example,
     *                               except when the problem says the fix itself ("drop `class-weight`",
     *                               "set `task` regression", "use `task` classification", "drop patience")
     */
    public static Recipe parse(Map<String, Setting> settings) {
        Recipe.Builder builder = Recipe.builder();
        try {
            for (Setting s : settings.values()) {
                Key k = key(s.key());
                if (k == null) {
                    throw new InvalidInputException(s.label() + ": unknown setting; known settings are "
                            + KEYS.stream().map(Key::name).toList());
                }
                k.apply().accept(builder, s.value().trim());
            }
            return builder.build();
        } catch (RecipeException e) {
            Setting s = settings.get(e.key());
            if (s == null) {
                s = Setting.flag(e.key(), "");
            }
            Key k = key(e.key());
            // a problem that says the fix itself (drop this setting, or set or use another one) gets no
            // example: one of this key's value would only repeat the refused value (`loss` huber when
            // the task is the problem), or suggest a value of the wrong task
            boolean advised = ADVICE.matcher(e.problem()).find() || e.problem().contains("drop " + e.key());
            throw new InvalidInputException(s.label() + " " + e.problem()
                    + (k == null || advised ? "" : "; e.g. " + s.example(k.example())));
        }
    }

    /**
     * The settings that give back {@code recipe}: every key's value as text, each a flag, in the
     * table's order ({@link Recipe#toMap()}'s, with the pre-training keys also when pre-training is
     * off, since the recipe keeps them). {@code parse(settings(r))} equals {@code r}.
     */
    public static Map<String, Setting> settings(Recipe recipe) {
        Map<String, Setting> out = new LinkedHashMap<>();
        for (Key k : TABLE) {
            String name = k.name();
            Object value = k.recorded().apply(recipe);
            if (value != null) {
                String text = value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf)
                        .toList()) : String.valueOf(value);
                // an empty list is written as the recipe's word for none: no hidden layers, no dropout
                out.put(name, Setting.flag(name, !text.isEmpty() ? text : name.equals("hidden") ? "none" : "0"));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- reading text

    private static double number(String key, String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new RecipeException(key, "must be a number, got '" + text + "'");
        }
    }

    private static int integer(String key, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new RecipeException(key, "must be an integer, got '" + text + "'");
        }
    }

    private static long longValue(String key, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new RecipeException(key, "must be an integer, got '" + text + "'");
        }
    }

    private static boolean yesNo(String key, String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new RecipeException(key, "must be true or false, got '" + text + "'");
        };
    }

    private static boolean pretrainOn(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "all" -> true;
            case "labelled" -> false;
            default -> throw new RecipeException("pretrain-on", "must be one of labelled, all, got '" + text + "'");
        };
    }

    private static List<Integer> sizes(String text) {
        if (text.equals("none") || text.isEmpty()) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            try {
                out.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                throw new RecipeException("hidden", "must be comma-separated layer sizes, got '" + text + "'");
            }
        }
        return out;
    }

    private static int[] integers(String key, String text) {
        String[] parts = text.split(",", -1);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new RecipeException(key, "must be whole numbers, one or one per layer, got '" + text + "'");
            }
        }
        return out;
    }

    private static List<Double> numbers(String key, String text) {
        List<Double> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            out.add(number(key, part.trim()));
        }
        return out;
    }

    /** A family parsed by its own package, its message turned into one that names {@code key}. */
    private static <T> T family(String key, String text, Function<String, T> parse) {
        try {
            return parse.apply(text.toLowerCase(Locale.ROOT));
        } catch (RecipeException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            throw new RecipeException(key, m.startsWith(key + " ") ? m.substring(key.length() + 1) : m);
        }
    }
}
