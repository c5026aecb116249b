package org.nettricks.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.nettricks.InvalidInputException;
import org.nettricks.activations.Activation;
import org.nettricks.data.Normalization;
import org.nettricks.init.Initializer;
import org.nettricks.optim.Adagrad;
import org.nettricks.optim.Adam;
import org.nettricks.optim.LearningRateSchedule;
import org.nettricks.optim.Momentum;
import org.nettricks.optim.RmsProp;
import org.nettricks.tensor.Precision;

/**
 * Turns settings (from command-line flags and recipe files, with the same names) into a
 * {@link Recipe}. The table {@link #KEYS} is the one place that defines every setting's name,
 * default and meaning; the command-line help is generated from it.
 *
 * <p>Every invalid value is an {@link InvalidInputException} that names where it came from (the
 * flag, or the file and line) and gives a valid example.
 */
public final class RecipeSettings {
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

    /** A setting's definition: name, whether it is a yes/no switch, default (as text) and help. */
    public record Key(String name, boolean isSwitch, String defaultValue, String help, String section) {
    }

    private static final String SGD_RATE = "0.1";

    /** Every setting of a training recipe, with its default. */
    public static final List<Key> KEYS = List.of(
            new Key("data", false, null, "digits (built in), fashion-mnist, a directory of IDX files, or a CSV file"
                    + " with a header row (required)", "data"),
            new Key("test-data", false, null, "separate labelled test set; default: the source's own test set (IDX"
                    + " t10k files), else a held-out test-fraction", "data"),
            new Key("label", false, null, "CSV label column, by name or 0-based index (default: 'label', else the"
                    + " last column)", "data"),
            new Key("validation-fraction", false, "0.1", "share of the training data held out for validation; 0 for"
                    + " none", "data"),
            new Key("test-fraction", false, "0.2", "share held out as the test set when the source has none", "data"),
            new Key("normalize", false, "auto", "auto, scale ([0,1]), standardize or none; auto scales data of known"
                    + " range (pixels), else standardizes; statistics from the training set only", "data"),
            new Key("train-limit", false, "0", "train on only the first N training examples (after the splits); 0"
                    + " for all", "data"),
            new Key("split-seed", false, null, "seed of the validation and test splits (default: the seed)",
                    "data"),
            new Key("hidden", false, "128", "hidden layer sizes, e.g. 1024,1024; 'none' for softmax regression",
                    "network"),
            new Key("activation", false, "relu", "linear, sigmoid, tanh or relu", "network"),
            new Key("batch-norm", true, "false", "batch-normalize every hidden layer's pre-activations (its bias b is"
                    + " dropped: β takes its role)", "network"),
            new Key("dropout", false, "0", "drop probability of hidden units, one value or one per layer (0.5 is"
                    + " the classic choice)", "network"),
            new Key("input-dropout", false, "0", "drop probability of the inputs (e.g. 0.2)", "network"),
            new Key("init", false, "glorot", "glorot (U[-b,b], b = sqrt(6/(fan_in+fan_out))) or he"
                    + " (b = sqrt(6/fan_in), for ReLU)", "network"),
            new Key("init-gain", false, "1", "multiplies the initialization bound b (below 1 scales it down)",
                    "network"),
            new Key("optimizer", false, "sgd", "sgd, momentum, nesterov, adagrad, rmsprop or adam", "optimization"),
            new Key("lr", false, null, "learning rate alpha (default: 0.1 for sgd, momentum and nesterov;"
                    + " 0.01 for adagrad; 0.001 for rmsprop and adam)", "optimization"),
            new Key("momentum", false, Double.toString(Momentum.DEFAULT_MOMENTUM), "beta of momentum and nesterov",
                    "optimization"),
            new Key("beta1", false, Double.toString(Adam.DEFAULT_BETA1), "Adam's first-moment decay", "optimization"),
            new Key("beta2", false, null, "second-moment decay: Adam (default " + Adam.DEFAULT_BETA2
                    + ") and RMSProp (default " + RmsProp.DEFAULT_DECAY + ")", "optimization"),
            new Key("epsilon", false, Double.toString(Adagrad.DEFAULT_EPSILON), "epsilon of adagrad, rmsprop, adam",
                    "optimization"),
            new Key("schedule", false, "constant", "learning-rate schedule over epochs: constant, step:EPOCHS:FACTOR,"
                    + " exponential:FACTOR, inverse:DECAY or cosine", "optimization"),
            new Key("batch-size", false, "64", "examples per mini-batch; 1 = per-example SGD", "optimization"),
            new Key("epochs", false, "10", "passes over the training set (the maximum, with early stopping)",
                    "optimization"),
            new Key("l1", false, "0", "lambda of the L1 penalty on weights (never biases, gamma, beta)",
                    "regularization"),
            new Key("l2", false, "0", "lambda of the L2 penalty on weights (never biases, gamma, beta)",
                    "regularization"),
            new Key("clip-norm", false, "0", "clip gradients to this global norm; 0 for no clipping",
                    "regularization"),
            new Key("patience", false, "0", "early stopping: stop after this many epochs without improvement and"
                    + " restore the best epoch; 0 for no early stopping", "regularization"),
            new Key("min-delta", false, "0", "early stopping: smallest decrease that counts as improvement",
                    "regularization"),
            new Key("monitor", false, "val-error", "early stopping watches val-error or val-loss", "regularization"),
            new Key("bn-statistics", false, "final-pass", "batch normalization's test-time statistics: final-pass"
                    + " (a pass over the training set after training) or running (running averages)",
                    "regularization"),
            new Key("pretrain", false, "none", "greedy layer-wise unsupervised pre-training of the hidden layers"
                    + " before training: none, ae (autoencoder), dae (denoising autoencoder) or rbm (restricted"
                    + " Boltzmann machine, CD-k)", "pre-training"),
            new Key("pretrain-epochs", false, "10", "epochs per hidden layer, one value or one per layer",
                    "pre-training"),
            new Key("pretrain-lr", false, null, "learning rate per hidden layer, one value or one per layer"
                    + " (default: lr)", "pre-training"),
            new Key("pretrain-on", false, "labelled", "labelled (the training examples train uses) or all (every"
                    + " training input, also those train-limit leaves out)", "pre-training"),
            new Key("noise", false, "masking", "dae corruption: masking (inputs set to 0) or gaussian",
                    "pre-training"),
            new Key("corruption", false, "0.25", "dae: the masking probability, or the Gaussian noise's sigma",
                    "pre-training"),
            new Key("tied", false, "true", "autoencoders: decoder weights tied to the encoder's transpose",
                    "pre-training"),
            new Key("cd-k", false, "1", "rbm: Gibbs steps of contrastive divergence CD-k", "pre-training"),
            new Key("persistent", false, "false", "rbm: persistent contrastive divergence", "pre-training"),
            new Key("pretrain-patience", false, "0", "early stopping on the validation reconstruction error; 0 for"
                    + " none", "pre-training"),
            new Key("seed", false, "1", "seed of every random choice (splits, init, shuffling, dropout)", "run"),
            new Key("precision", false, "float32", "float32 or float64", "run"));

    /** The definition of {@code name}, or null. */
    public static Key key(String name) {
        for (Key k : KEYS) {
            if (k.name().equals(name)) {
                return k;
            }
        }
        return null;
    }

    /**
     * A recipe from alternating names and values, as on the command line without dashes:
     * {@code RecipeSettings.of("data", "digits", "hidden", "64", "optimizer", "adam")}.
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

    /** Builds a recipe; {@code settings} maps key names to settings (absent keys take defaults). */
    public static Recipe parse(Map<String, Setting> settings) {
        Reader r = new Reader(settings);
        Recipe.DataPart data = new Recipe.DataPart(
                r.required("data", "digits"),
                r.text("test-data"),
                r.text("label"),
                r.number("validation-fraction", 0, true, 1, false, "0.1"),
                r.number("test-fraction", 0, false, 1, false, "0.2"),
                r.choice("normalize", List.of("auto", "scale", "standardize", "none")),
                r.integer("train-limit", 0, "5000"),
                settings.containsKey("split-seed") ? r.longValue("split-seed") : r.longValue("seed"));
        List<Integer> hidden = r.sizes("hidden", "1024,1024");
        List<Double> dropout = r.probabilities("dropout", "0.5");
        if (dropout.size() > 1 && dropout.size() != hidden.size()) {
            throw r.error("dropout", "gives " + dropout.size() + " probabilities for " + hidden.size()
                    + " hidden layers; give one for all or one per layer", "0.5");
        }
        String init = r.choice("init", List.of("glorot", "he"));
        Recipe.NetworkPart network = new Recipe.NetworkPart(hidden, r.activation("activation"), r.yesNo("batch-norm"),
                dropout, r.number("input-dropout", 0, true, 1, false, "0.2"), init,
                r.number("init-gain", 0, false, Double.POSITIVE_INFINITY, false, "0.5"));
        String optimizer = r.choice("optimizer", List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"));
        double defaultRate = switch (optimizer) {
            case "adagrad" -> 0.01;
            case "rmsprop", "adam" -> 0.001;
            default -> Double.parseDouble(SGD_RATE);
        };
        double defaultBeta2 = optimizer.equals("rmsprop") ? RmsProp.DEFAULT_DECAY : Adam.DEFAULT_BETA2;
        String schedule = r.text("schedule");
        try {
            LearningRateSchedule.parse(schedule);
        } catch (IllegalArgumentException e) {
            throw r.error("schedule", e.getMessage().replace("schedule must be", "must be"), "cosine");
        }
        Recipe.OptimizerPart opt = new Recipe.OptimizerPart(optimizer,
                r.number("lr", defaultRate, 0, false, Double.POSITIVE_INFINITY, false, "0.1"),
                r.number("momentum", 0, true, 1, false, "0.9"),
                r.number("beta1", 0, true, 1, false, "0.9"),
                r.number("beta2", defaultBeta2, 0, true, 1, false, "0.999"),
                r.number("epsilon", 0, false, Double.POSITIVE_INFINITY, false, "1e-8"),
                schedule);
        Recipe.RegularizationPart reg = new Recipe.RegularizationPart(
                r.number("l1", 0, true, Double.POSITIVE_INFINITY, false, "1e-5"),
                r.number("l2", 0, true, Double.POSITIVE_INFINITY, false, "1e-4"),
                r.number("clip-norm", 0, true, Double.POSITIVE_INFINITY, false, "5"),
                r.integer("patience", 0, "5"),
                r.number("min-delta", 0, true, Double.POSITIVE_INFINITY, false, "0.001"),
                r.choice("monitor", List.of("val-error", "val-loss")),
                r.choice("bn-statistics", List.of("final-pass", "running")));
        String method = r.choice("pretrain", List.of("none", "ae", "dae", "rbm"));
        List<Integer> pretrainEpochs = new ArrayList<>();
        for (String part : r.text("pretrain-epochs").split(",")) {
            try {
                int e = Integer.parseInt(part.trim());
                if (e < 1) {
                    throw new NumberFormatException();
                }
                pretrainEpochs.add(e);
            } catch (NumberFormatException e) {
                throw r.error("pretrain-epochs", "must be epochs >= 1, one or one per layer, got '"
                        + r.text("pretrain-epochs") + "'", "10");
            }
        }
        List<Double> pretrainRates = new ArrayList<>();
        if (settings.containsKey("pretrain-lr")) {
            for (String part : r.text("pretrain-lr").split(",")) {
                pretrainRates.add(r.parse("pretrain-lr", part.trim(), 0, false, Double.POSITIVE_INFINITY, false,
                        "0.01"));
            }
        } else {
            pretrainRates.add(opt.learningRate());
        }
        for (List<?> perLayer : List.of(pretrainEpochs, pretrainRates)) {
            if (perLayer.size() > 1 && perLayer.size() != hidden.size()) {
                throw r.error(perLayer == pretrainEpochs ? "pretrain-epochs" : "pretrain-lr", "gives "
                        + perLayer.size() + " values for " + hidden.size() + " hidden layers; give one for all or one"
                        + " per layer", "10");
            }
        }
        if (method.equals("rbm") && network.activation() != Activation.SIGMOID) {
            throw r.error("pretrain", "rbm needs sigmoid hidden units (binary units), but activation is "
                    + network.activation().displayName() + "; add activation sigmoid or pre-train with dae", "dae");
        }
        String noise = r.choice("noise", List.of("masking", "gaussian"));
        Recipe.PretrainingPart pretraining = new Recipe.PretrainingPart(method, pretrainEpochs, pretrainRates,
                r.choice("pretrain-on", List.of("labelled", "all")).equals("all"), noise,
                noise.equals("masking") ? r.number("corruption", 0, true, 1, false, "0.25")
                        : r.number("corruption", 0, true, Double.POSITIVE_INFINITY, false, "0.1"),
                r.yesNo("tied"), r.integer("cd-k", 1, "1"), r.yesNo("persistent"), r.integer("pretrain-patience", 0, "3"));
        int batchSize = r.integer("batch-size", 1, "64");
        int epochs = r.integer("epochs", 1, "10");
        long seed = r.longValue("seed");
        Precision precision = Precision.parse(r.choice("precision", List.of("float32", "float64")));
        if (reg.patience() > 0 && data.validationFraction() == 0) {
            throw r.error("patience", "needs a validation set, but validation-fraction is 0; give a validation"
                    + " fraction such as 0.1, or drop patience", "5");
        }
        return new Recipe(data, network, opt, reg, pretraining, batchSize, epochs, seed, precision);
    }

    /** Reads typed values, each with a message that names its origin. */
    private static final class Reader {
        private final Map<String, Setting> settings;

        Reader(Map<String, Setting> settings) {
            for (String name : settings.keySet()) {
                if (key(name) == null) {
                    Setting s = settings.get(name);
                    throw new InvalidInputException(s.label() + ": unknown setting; known settings are "
                            + KEYS.stream().map(Key::name).toList());
                }
            }
            this.settings = new LinkedHashMap<>(settings);
        }

        InvalidInputException error(String name, String what, String example) {
            Setting s = settings.get(name);
            if (s == null) {
                s = Setting.flag(name, "");
            }
            return new InvalidInputException(s.label() + " " + what + "; e.g. " + s.example(example));
        }

        String raw(String name) {
            Setting s = settings.get(name);
            return s == null ? key(name).defaultValue() : s.value().trim();
        }

        String text(String name) {
            return raw(name);
        }

        String required(String name, String example) {
            String v = raw(name);
            if (v == null || v.isEmpty()) {
                Setting s = Setting.flag(name, "");
                throw new InvalidInputException(s.label() + " is required, e.g. " + s.example(example));
            }
            return v;
        }

        String choice(String name, List<String> allowed) {
            String v = raw(name).toLowerCase(Locale.ROOT);
            if (!allowed.contains(v)) {
                throw error(name, "must be one of " + String.join(", ", allowed) + ", got '" + raw(name) + "'",
                        allowed.get(0));
            }
            return v;
        }

        boolean yesNo(String name) {
            String v = raw(name).toLowerCase(Locale.ROOT);
            return switch (v) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> throw error(name, "must be true or false, got '" + raw(name) + "'", "true");
            };
        }

        Activation activation(String name) {
            try {
                return Activation.parse(raw(name));
            } catch (IllegalArgumentException e) {
                Setting s = settings.get(name);
                throw new InvalidInputException(s.label() + ": " + e.getMessage());
            }
        }

        double number(String name, double low, boolean lowInclusive, double high, boolean highInclusive,
                      String example) {
            String text = raw(name);
            return parseNumber(name, text, low, lowInclusive, high, highInclusive, example);
        }

        double number(String name, double fallback, double low, boolean lowInclusive, double high,
                      boolean highInclusive, String example) {
            if (!settings.containsKey(name)) {
                return fallback;
            }
            return number(name, low, lowInclusive, high, highInclusive, example);
        }

        double parse(String name, String text, double low, boolean lowInclusive, double high, boolean highInclusive,
                     String example) {
            return parseNumber(name, text, low, lowInclusive, high, highInclusive, example);
        }

        private double parseNumber(String name, String text, double low, boolean lowInclusive, double high,
                                   boolean highInclusive, String example) {
            double v;
            try {
                v = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw error(name, "must be a number, got '" + text + "'", example);
            }
            boolean ok = Double.isFinite(v) && (lowInclusive ? v >= low : v > low)
                    && (highInclusive ? v <= high : v < high);
            if (!ok) {
                String range = (lowInclusive ? "[" : "(") + fmt(low) + ", " + fmt(high) + (highInclusive ? "]" : ")");
                throw error(name, "must be in " + range + ", got " + text, example);
            }
            return v;
        }

        int integer(String name, int min, String example) {
            String text = raw(name);
            int v;
            try {
                v = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw error(name, "must be an integer, got '" + text + "'", example);
            }
            if (v < min) {
                throw error(name, "must be at least " + min + ", got " + v, example);
            }
            return v;
        }

        long longValue(String name) {
            String text = raw(name);
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw error(name, "must be an integer, got '" + text + "'", "1");
            }
        }

        List<Integer> sizes(String name, String example) {
            String v = raw(name);
            List<Integer> out = new ArrayList<>();
            if (v.equals("none") || v.isEmpty()) {
                return out;
            }
            for (String part : v.split(",", -1)) {
                int size;
                try {
                    size = Integer.parseInt(part.trim());
                } catch (NumberFormatException e) {
                    throw error(name, "must be comma-separated layer sizes, got '" + v + "'", example);
                }
                if (size < 1) {
                    Setting s = settings.get(name);
                    throw new InvalidInputException(s.label() + ": layer size must be at least 1, got " + size
                            + " in '" + v + "'; e.g. " + s.example(example));
                }
                out.add(size);
            }
            return out;
        }

        List<Double> probabilities(String name, String example) {
            String v = raw(name);
            List<Double> out = new ArrayList<>();
            for (String part : v.split(",", -1)) {
                out.add(parseNumber(name, part.trim(), 0, true, 1, false, example));
            }
            if (out.size() == 1 && out.get(0) == 0.0) {
                return List.of();
            }
            return out;
        }

        private static String fmt(double d) {
            if (Double.isInfinite(d)) {
                return d > 0 ? "∞" : "-∞";
            }
            return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }

    /** The normalization kind a recipe asks for, given whether the data's range is known. */
    public static Normalization.Kind normalizationKind(String setting, boolean rangeKnown) {
        if (setting.equals("auto")) {
            return rangeKnown ? Normalization.Kind.SCALE : Normalization.Kind.STANDARDIZE;
        }
        return Normalization.Kind.parse(setting);
    }

    /** The initializer a recipe names. */
    public static Initializer initializer(Recipe.NetworkPart network) {
        return Initializer.parse(network.init(), network.initGain());
    }
}
