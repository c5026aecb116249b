package org.nettricks.config;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.nettricks.activations.Activation;
import org.nettricks.data.CsvReader;
import org.nettricks.init.Initializer;
import org.nettricks.losses.ClassWeights;
import org.nettricks.losses.RegressionLoss;
import org.nettricks.optim.Adam;
import org.nettricks.optim.LearningRateSchedule;
import org.nettricks.optim.Optimizer;
import org.nettricks.pretraining.Autoencoder;
import org.nettricks.pretraining.PretrainingConfig;
import org.nettricks.tensor.Precision;
import org.nettricks.evaluation.Metric;
import org.nettricks.training.EarlyStopping;

/**
 * Everything that defines a training run, as small per-concept records that validate themselves:
 * a recipe built from Java cannot skip a check that flags and files go through. Every violation is
 * a {@link RecipeException} naming the recipe key, e.g. {@code "beta1 must be in [0, 1), got 1"}.
 *
 * <p>Build one with {@link #builder()}, or from flags and recipe files with {@link RecipeSettings},
 * whose table {@link RecipeSettings#KEYS} holds every key's name, default and help, and reads each
 * value back for {@link #toMap()}.
 *
 * @param batchSize examples per mini-batch, at least 1
 * @param epochs    passes over the training set, at least 1
 * @param seed      seed of every random choice
 * @param checkpoint      the directory of the run's checkpoints, or null for none; how the run is
 *                        kept, not what it computes, so {@link #toMap()} leaves it out (with
 *                        {@code checkpointEvery}): a model's recorded recipe is the same with or
 *                        without checkpoints
 * @param checkpointEvery with {@code checkpoint}: also write one every this many optimizer steps,
 *                        ≥ 0; 0 (default) for the end of each epoch only
 * @param report    the HTML report to write during and after training, or null for none; what the
 *                  run writes, not what it computes, so {@link #toMap()} leaves it out: a model's
 *                  recorded recipe is the same with or without a report
 * @param plots     a directory for each chart of the report as SVG and PNG after training, or null;
 *                  like {@code report}, not in {@link #toMap()}
 * @throws RecipeException when a field breaks its rule, or two parts conflict: pre-training lists
 *                         longer than one that do not match the hidden layers, {@code rbm} without
 *                         sigmoid units, {@code patience} without a validation set, or a setting
 *                         that overflows or underflows the training precision ({@link PrecisionLimits})
 */
public record Recipe(DataPart data, NetworkPart network, OptimizerPart optimizer, RegularizationPart regularization,
                     PretrainingPart pretraining, int batchSize, int epochs, long seed, Precision precision,
                     String checkpoint, int checkpointEvery,
                     String report, String plots) {

    public Recipe {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(regularization, "regularization");
        Objects.requireNonNull(pretraining, "pretraining");
        notNull("precision", precision);
        atLeast("batch-size", batchSize, 1);
        atLeast("epochs", epochs, 1);
        atLeast("checkpoint-every", checkpointEvery, 0);
        if (checkpoint != null && checkpoint.isBlank()) {
            throw new RecipeException("checkpoint", "must name a directory, got an empty name");
        }
        if (report != null && report.isBlank()) {
            throw new RecipeException("report", "must name a file, got an empty name");
        }
        if (plots != null && plots.isBlank()) {
            throw new RecipeException("plots", "must name a directory, got an empty name");
        }
        int layers = network.hidden().size();
        perLayer("pretrain-epochs", pretraining.epochs().size(), layers);
        perLayer("pretrain-lr", pretraining.learningRates().size(), layers);
        if (pretraining.method() == PretrainingMethod.RBM && network.activation() != Activation.SIGMOID) {
            throw new RecipeException("pretrain", "rbm needs sigmoid hidden units (binary units), but activation is "
                    + network.activation().displayName() + "; set `activation` to sigmoid, or pre-train with dae");
        }
        if (network.batchNorm() && batchSize == 1) {
            throw new RecipeException("batch-size", "must be at least 2 with `batch-norm`: batch normalization of"
                    + " one example sets every unit to 0 (PyTorch refuses it too); a last, smaller batch of one is"
                    + " fine");
        }
        PrecisionLimits.check(network, optimizer, regularization, pretraining, precision);
        if (network.initFrom() != null && pretraining.enabled()) {
            throw new RecipeException("init-from", "and pretrain " + pretraining.method().displayName() + " both set"
                    + " the hidden layers' starting weights; drop `pretrain` to continue from the model, or drop"
                    + " `init-from` to pre-train");
        }
        if (optimizer.regressionLoss() != null && optimizer.classWeights().kind() != ClassWeights.Kind.NONE) {
            throw new RecipeException("class-weight", "weighs classes, but `task` is regression (numeric targets,"
                    + " no classes); drop `class-weight`, or use `task` classification");
        }
        boolean regression = optimizer.regressionLoss() != null;
        if (regression ? !regularization.monitor().forRegression() : !regularization.monitor().forClassification()) {
            throw new RecipeException("monitor", regularization.monitor().name() + " is a metric of `task` "
                    + (regression ? "classification" : "regression") + ", but the task is "
                    + (regression ? "regression" : "classification") + "; its metrics are "
                    + Metric.describe(regression));
        }
        if (regularization.patience() > 0 && data.validationFraction() == 0) {
            throw new RecipeException("patience", "needs a validation set, but validation-fraction is 0; give a"
                    + " validation fraction such as 0.1, or drop patience");
        }
    }

    /**
     * Whether the recipe fits numeric targets ({@code task} regression: the {@code label} columns are
     * the targets, the loss is {@link OptimizerPart#regressionLoss()}) rather than classes.
     */
    public boolean regression() {
        return optimizer.regressionLoss() != null;
    }

    /** A builder starting from every default of {@link RecipeSettings#KEYS}; {@code data} must be set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Where the examples come from and how they are prepared.
     *
     * @param source             {@code digits}, {@code fashion-mnist}, an IDX directory or a CSV file (required)
     * @param testData           a separate labelled test set, or null: the source's own (IDX), else a
     *                           held-out {@code testFraction}
     * @param labelColumn        CSV label column by name or index; null: {@code label}, else the last
     * @param delimiter          CSV field delimiter; null: detected from the header line (see {@link CsvReader})
     * @param validationFraction share of the training examples held out for validation, in [0, 1)
     * @param testFraction       share held out as the test set when there is none, in (0, 1)
     * @param normalization      {@code auto}, {@code scale}, {@code standardize} or {@code none}
     * @param trainLimit         use only the first this many training examples (after the splits), 0 for all
     * @param splitSeed          the seed of the validation and test splits (the run's seed unless set:
     *                           a search keeps one split for all its trials)
     * @param weightColumn       the CSV column of per-example training weights, by name or index, or
     *                           null for none
     */
    public record DataPart(String source, String testData, String labelColumn, Character delimiter,
                           double validationFraction, double testFraction, NormalizationChoice normalization,
                           int trainLimit, long splitSeed, String weightColumn) {
        /** Data without example weights. */
        public DataPart(String source, String testData, String labelColumn, Character delimiter,
                        double validationFraction, double testFraction, NormalizationChoice normalization,
                        int trainLimit, long splitSeed) {
            this(source, testData, labelColumn, delimiter, validationFraction, testFraction, normalization, trainLimit,
                    splitSeed, null);
        }

        public DataPart {
            if (weightColumn != null && weightColumn.isBlank()) {
                throw new RecipeException("weight-column", "is empty; name the CSV column of example weights, or"
                        + " leave weight-column out");
            }
            if (delimiter != null) {
                try {
                    CsvReader.parseDelimiter(String.valueOf(delimiter));
                } catch (IllegalArgumentException e) {
                    throw new RecipeException("delimiter", e.getMessage().substring("delimiter ".length()));
                }
            }
            if (source == null || source.isBlank()) {
                throw new RecipeException("data", "is required: digits, fashion-mnist, a directory of IDX files or a"
                        + " CSV file");
            }
            if (testData != null && testData.isBlank()) {
                throw new RecipeException("test-data", "is empty; name a labelled test file or IDX directory, or"
                        + " leave test-data out to use the source's own test set (IDX t10k files) or a held-out"
                        + " test-fraction");
            }
            inRange("validation-fraction", validationFraction, 0, true, 1, false);
            inRange("test-fraction", testFraction, 0, false, 1, false);
            notNull("normalize", normalization);
            atLeast("train-limit", trainLimit, 0);
        }
    }

    /**
     * The network: hidden layer sizes, their activation, batch normalization, dropout, initialization.
     *
     * @param hidden       hidden layer sizes, each at least 1; empty for softmax regression
     * @param dropout      drop probability per hidden layer, each in [0, 1): empty (or one 0) for none,
     *                     one value for all layers, or one per layer; a single 0 is stored as empty
     * @param inputDropout drop probability of the inputs, in [0, 1)
     * @param init         {@code glorot} or {@code he}
     * @param initGain     multiplies the initialization bound, &gt; 0
     * @param initFrom     a model file (safetensors, written by {@code nettricks train --out}) whose
     *                     parameters and batch-normalization statistics the network starts from instead
     *                     of {@code init} (warm start), or null; its architecture, inputs and classes
     *                     must match the recipe's and the data's (checked when the experiment is prepared)
     * @param freeze       the number K of hidden layers, from the first, whose parameters training leaves
     *                     as they start (the lecture's "fix the parameters of previous hidden layers");
     *                     in [0, hidden.size()]; 0 (the default) trains every layer
     */
    public record NetworkPart(List<Integer> hidden, Activation activation, boolean batchNorm, List<Double> dropout,
                              double inputDropout, InitScheme init, double initGain, String initFrom, int freeze) {
        public NetworkPart {
            hidden = List.copyOf(hidden);
            dropout = dropout.equals(List.of(0.0)) ? List.of() : List.copyOf(dropout);
            for (int size : hidden) {
                if (size < 1) {
                    throw new RecipeException("hidden", "must be layer sizes of at least 1, got " + size + " in "
                            + hidden);
                }
            }
            notNull("activation", activation);
            for (double p : dropout) {
                inRange("dropout", p, 0, true, 1, false);
            }
            if (dropout.size() > 1 && dropout.size() != hidden.size()) {
                throw new RecipeException("dropout", "gives " + dropout.size() + " probabilities for " + hidden.size()
                        + " hidden layers; give one for all or one per layer");
            }
            inRange("input-dropout", inputDropout, 0, true, 1, false);
            notNull("init", init);
            inRange("init-gain", initGain, 0, false, Double.POSITIVE_INFINITY, false);
            if (initFrom != null && initFrom.isBlank()) {
                throw new RecipeException("init-from", "is empty; name a model file written by `nettricks train"
                        + " --out`, or leave init-from out to start from the initialization");
            }
            if (freeze < 0 || freeze > hidden.size()) {
                throw new RecipeException("freeze", "must be between 0 and the number of hidden layers ("
                        + hidden.size() + "), got " + freeze);
            }
        }

        /**
         * A network part as before warm starts: initialized by {@code init}, every layer trained.
         */
        public NetworkPart(List<Integer> hidden, Activation activation, boolean batchNorm, List<Double> dropout,
                           double inputDropout, InitScheme init, double initGain) {
            this(hidden, activation, batchNorm, dropout, inputDropout, init, initGain, null, 0);
        }

        /** The drop probability of hidden layer k (0-based). */
        public double dropoutOf(int k) {
            if (dropout.isEmpty()) {
                return 0.0;
            }
            return dropout.size() == 1 ? dropout.get(0) : dropout.get(k);
        }

        /** The initializer: the scheme with its gain. */
        public Initializer initializer() {
            return init.initializer(initGain);
        }
    }

    /**
     * The update rule and its hyperparameters. Every hyperparameter of every rule is kept whichever
     * rule is chosen (a recipe records them all), and {@link #create()} passes on those the rule
     * reads ({@link UpdateRule}).
     *
     * @param rule            one of the registered update rules ({@link UpdateRule})
     * @param learningRate    α &gt; 0
     * @param hyperparameters by recipe key, one value for each {@link UpdateRule.Hyperparameter}:
     *                        {@code momentum}, {@code beta1}, {@code beta2} in [0, 1), {@code epsilon} &gt; 0
     * @param schedule        how α changes over the epochs
     * @param classWeights    how much each class's examples count in the training loss (none,
     *                        balanced, or one weight per class)
     * @param regressionLoss  the loss of {@code task} regression (squared error or Huber), or null for
     *                        classification (the negative log-likelihood of the softmax outputs)
     */
    public record OptimizerPart(UpdateRule rule, double learningRate, Map<String, Double> hyperparameters,
                                LearningRateSchedule schedule, ClassWeights classWeights,
                                RegressionLoss regressionLoss) {
        /** The optimizer with every example weighing alike in the loss. */
        public OptimizerPart(UpdateRule rule, double learningRate, Map<String, Double> hyperparameters,
                             LearningRateSchedule schedule) {
            this(rule, learningRate, hyperparameters, schedule, ClassWeights.NONE);
        }

        /** The optimizer of a classifier. */
        public OptimizerPart(UpdateRule rule, double learningRate, Map<String, Double> hyperparameters,
                             LearningRateSchedule schedule, ClassWeights classWeights) {
            this(rule, learningRate, hyperparameters, schedule, classWeights, null);
        }

        public OptimizerPart {
            notNull("class-weight", classWeights);
            notNull("optimizer", rule);
            inRange("lr", learningRate, 0, false, Double.POSITIVE_INFINITY, false);
            Map<String, Double> ordered = new LinkedHashMap<>();
            for (UpdateRule.Hyperparameter h : UpdateRule.Hyperparameter.values()) {
                Double v = hyperparameters.get(h.key());
                if (v == null) {
                    throw new RecipeException(h.key(), "must be given");
                }
                h.check(v);
                ordered.put(h.key(), v);
            }
            for (String key : hyperparameters.keySet()) {
                if (UpdateRule.Hyperparameter.of(key) == null) {
                    throw new RecipeException(key, "is not a hyperparameter of any optimizer");
                }
            }
            hyperparameters = java.util.Collections.unmodifiableMap(ordered);
            notNull("schedule", schedule);
        }

        /** The value of the hyperparameter with recipe key {@code key}, e.g. {@code beta2}. */
        public double hyperparameter(String key) {
            Double v = hyperparameters.get(key);
            if (v == null) {
                throw new IllegalArgumentException("no hyperparameter '" + key + "'; the hyperparameters are "
                        + hyperparameters.keySet());
            }
            return v;
        }

        /** The optimizer record with these constants. */
        public Optimizer create() {
            return rule.create(hyperparameters);
        }
    }

    /**
     * Regularization and stopping.
     *
     * @param l1           λ of the L1 penalty on weights, ≥ 0
     * @param l2           λ of the L2 penalty on weights, ≥ 0
     * @param clipNorm     global gradient norm limit, ≥ 0; 0 for none
     * @param patience     early-stopping patience in epochs, ≥ 0; 0 for no early stopping
     * @param minDelta     the smallest decrease that counts as an improvement, ≥ 0
     * @param monitor      what early stopping watches and a search selects on ({@link Metric}): by
     *                     default {@code val-error} for classification, {@code val-loss} for regression
     * @param bnStatistics {@code final-pass} or {@code running}
     */
    public record RegularizationPart(double l1, double l2, double clipNorm, int patience, double minDelta,
                                     Metric monitor, BatchNormStatistics bnStatistics) {
        public RegularizationPart {
            inRange("l1", l1, 0, true, Double.POSITIVE_INFINITY, false);
            inRange("l2", l2, 0, true, Double.POSITIVE_INFINITY, false);
            inRange("clip-norm", clipNorm, 0, true, Double.POSITIVE_INFINITY, false);
            atLeast("patience", patience, 0);
            inRange("min-delta", minDelta, 0, true, Double.POSITIVE_INFINITY, false);
            notNull("monitor", monitor);
            notNull("bn-statistics", bnStatistics);
        }

        /** The early-stopping configuration, or null when patience is 0. */
        public EarlyStopping.Config earlyStopping() {
            return patience > 0 ? new EarlyStopping.Config(patience, minDelta, monitor) : null;
        }
    }

    /**
     * Greedy layer-wise unsupervised pre-training before the supervised training (fine-tuning).
     *
     * @param method        none, ae, dae or rbm
     * @param epochs        epochs per hidden layer, each ≥ 1 (one value, or one per layer)
     * @param learningRates learning rates per hidden layer, each &gt; 0 (one value, or one per layer)
     * @param onAll         pre-train on all training inputs, not only the labelled ones kept by train-limit
     * @param noise         dae: masking or gaussian
     * @param corruption    dae: the masking probability in [0, 1), or the Gaussian σ ≥ 0
     * @param tied          autoencoders: decoder weights Wᵀ
     * @param cdK           rbm: Gibbs steps, ≥ 1
     * @param persistent    rbm: persistent contrastive divergence
     * @param patience      early stopping on the validation reconstruction error, ≥ 0; 0 for none
     */
    public record PretrainingPart(PretrainingMethod method, List<Integer> epochs, List<Double> learningRates,
                                  boolean onAll, Noise noise, double corruption, boolean tied, int cdK,
                                  boolean persistent, int patience) {
        public PretrainingPart {
            notNull("pretrain", method);
            epochs = List.copyOf(epochs);
            learningRates = List.copyOf(learningRates);
            if (epochs.isEmpty()) {
                throw new RecipeException("pretrain-epochs", "must give epochs, one for all layers or one per layer");
            }
            for (int e : epochs) {
                if (e < 1) {
                    throw new RecipeException("pretrain-epochs", "must be at least 1 epoch per layer, got " + e
                            + " in " + epochs);
                }
            }
            if (learningRates.isEmpty()) {
                throw new RecipeException("pretrain-lr", "must give learning rates, one for all layers or one per"
                        + " layer");
            }
            for (double rate : learningRates) {
                inRange("pretrain-lr", rate, 0, false, Double.POSITIVE_INFINITY, false);
            }
            notNull("noise", noise);
            inRange("corruption", corruption, 0, true, noise == Noise.MASKING ? 1 : Double.POSITIVE_INFINITY, false);
            atLeast("cd-k", cdK, 1);
            atLeast("pretrain-patience", patience, 0);
        }

        public boolean enabled() {
            return method != PretrainingMethod.NONE;
        }

        /**
         * The pre-training configuration.
         *
         * @throws IllegalStateException when the method is {@code none}
         */
        public PretrainingConfig config() {
            if (!enabled()) {
                throw new IllegalStateException("pretrain is none: there is nothing to configure");
            }
            Autoencoder.Corruption c = method == PretrainingMethod.DAE ? noise.corruption(corruption)
                    : Autoencoder.Corruption.NONE;
            return new PretrainingConfig(method.displayName(), epochs, learningRates, tied, c, cdK, persistent,
                    patience);
        }
    }

    /** Keys added after models recorded every key: recorded only when set, so that older recipes read the same. */
    private static final java.util.Set<String> RECORDED_WHEN_SET = java.util.Set.of("weight-column");

    /**
     * The recipe as a JSON-ready map with the keys of recipe files, saved with every model: every key of
     * {@link RecipeSettings#KEYS} in the table's order, the pre-training ones only when pre-training is on,
     * {@code weight-column} only when set.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecipeSettings.Key k : RecipeSettings.TABLE) {
            if ((!k.pretrainingOnly() || pretraining.enabled()) && k.definesResult()) {
                Object value = k.recorded().apply(this);
                if (value == null && RECORDED_WHEN_SET.contains(k.name())) {
                    continue; // models and checkpoints without it stay as they were
                }
                m.put(k.name(), value);
            }
        }
        return m;
    }

    // ---------------------------------------------------------------- checks

    static void notNull(String key, Object value) {
        if (value == null) {
            throw new RecipeException(key, "must be given, got null");
        }
    }

    static void atLeast(String key, long value, long min) {
        if (value < min) {
            throw new RecipeException(key, "must be at least " + min + ", got " + value);
        }
    }

    static void inRange(String key, double v, double low, boolean lowInclusive, double high, boolean highInclusive) {
        boolean ok = Double.isFinite(v) && (lowInclusive ? v >= low : v > low) && (highInclusive ? v <= high : v < high);
        if (!ok) {
            String range = (lowInclusive ? "[" : "(") + format(low) + ", " + format(high) + (highInclusive ? "]" : ")");
            throw new RecipeException(key, "must be in " + range + ", got " + format(v));
        }
    }

    private static void perLayer(String key, int given, int layers) {
        if (given > 1 && given != layers) {
            throw new RecipeException(key, "gives " + given + " values for " + layers + " hidden layers; give one for"
                    + " all or one per layer");
        }
    }

    /** A number as a person writes it: {@code -3}, {@code 0.5}, {@code 1.0E-10}, {@code ∞}. */
    static String format(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "∞" : "-∞";
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    /**
     * Builds a {@link Recipe} in Java, starting from the defaults of {@link RecipeSettings#KEYS}:
     * <pre>{@code
     * Recipe recipe = Recipe.builder().data("digits").hidden(64).optimizer(new Adam(0.9, 0.999, 1e-8))
     *         .learningRate(0.001).epochs(20).seed(1).build();
     * }</pre>
     * Defaults that depend on other keys are settled in {@link #build()}: the learning rate and
     * {@code beta2} follow the optimizer, the split seed follows the seed, the pre-training learning
     * rate follows the learning rate. {@link #build()} validates through the records.
     */
    public static final class Builder {
        private String data;
        private String testData;
        private String label;
        private String weightColumn;
        private Character delimiter;
        private double validationFraction;
        private double testFraction;
        private NormalizationChoice normalize;
        private int trainLimit;
        private Long splitSeed;
        private List<Integer> hidden;
        private Activation activation;
        private boolean batchNorm;
        private List<Double> dropout;
        private double inputDropout;
        private InitScheme init;
        private double initGain;
        private String initFrom;
        private int freeze;
        private UpdateRule rule;
        private Double learningRate;
        /** Hyperparameters given explicitly, by recipe key; the others follow the rule in {@link #build()}. */
        private final Map<String, Double> hyperparameters = new LinkedHashMap<>();
        private LearningRateSchedule schedule;
        private ClassWeights classWeights = ClassWeights.NONE;
        private String task = "classification";
        private String loss;
        private double huberDelta = RegressionLoss.DEFAULT_DELTA;
        private double l1;
        private double l2;
        private double clipNorm;
        private int patience;
        private double minDelta;
        private Metric monitor;
        private BatchNormStatistics bnStatistics;
        private PretrainingMethod pretrain;
        private List<Integer> pretrainEpochs;
        private List<Double> pretrainLearningRates;
        private boolean pretrainOnAll;
        private Noise noise;
        private double corruption;
        private boolean tied;
        private int cdK;
        private boolean persistent;
        private int pretrainPatience;
        private int batchSize;
        private int epochs;
        private long seed;
        private Precision precision;
        private String checkpoint;
        private int checkpointEvery;
        private String report;
        private String plots;

        Builder() {
            for (RecipeSettings.Key k : RecipeSettings.TABLE) {
                if (k.defaultValue() != null) {
                    k.apply().accept(this, k.defaultValue());
                }
            }
        }

        public Builder data(String source) {
            this.data = source;
            return this;
        }

        public Builder testData(String testData) {
            this.testData = testData;
            return this;
        }

        /** The CSV column of per-example training weights, or null (the default) for none. */
        public Builder weightColumn(String column) {
            this.weightColumn = column;
            return this;
        }

        public Builder labelColumn(String label) {
            this.label = label;
            return this;
        }

        /** The CSV field delimiter; null (the default) detects it from the header line. */
        public Builder delimiter(Character delimiter) {
            this.delimiter = delimiter;
            return this;
        }

        public Builder validationFraction(double fraction) {
            this.validationFraction = fraction;
            return this;
        }

        public Builder testFraction(double fraction) {
            this.testFraction = fraction;
            return this;
        }

        public Builder normalization(NormalizationChoice normalization) {
            this.normalize = normalization;
            return this;
        }

        public Builder trainLimit(int examples) {
            this.trainLimit = examples;
            return this;
        }

        public Builder splitSeed(long splitSeed) {
            this.splitSeed = splitSeed;
            return this;
        }

        /** Hidden layer sizes; none for softmax regression. */
        public Builder hidden(int... sizes) {
            return hidden(Arrays.stream(sizes).boxed().toList());
        }

        public Builder hidden(List<Integer> sizes) {
            this.hidden = List.copyOf(sizes);
            return this;
        }

        public Builder activation(Activation activation) {
            this.activation = activation;
            return this;
        }

        public Builder batchNorm(boolean batchNorm) {
            this.batchNorm = batchNorm;
            return this;
        }

        /** Drop probabilities: one for all hidden layers, or one per layer. */
        public Builder dropout(double... probabilities) {
            return dropout(Arrays.stream(probabilities).boxed().toList());
        }

        public Builder dropout(List<Double> probabilities) {
            this.dropout = List.copyOf(probabilities);
            return this;
        }

        public Builder inputDropout(double probability) {
            this.inputDropout = probability;
            return this;
        }

        public Builder init(InitScheme init) {
            this.init = init;
            return this;
        }

        public Builder initGain(double gain) {
            this.initGain = gain;
            return this;
        }

        /**
         * Warm start: the network starts from the parameters and batch-normalization statistics of
         * the model file at {@code model} (written by {@code nettricks train --out} or
         * {@link org.nettricks.model.ModelFile#save}) instead of the initialization; null (the
         * default) initializes. The model's normalization is kept. The architecture (hidden sizes,
         * activation, batch normalization), the input size and schema and the classes must match;
         * {@link org.nettricks.experiment.Experiment#prepare} checks them.
         */
        public Builder initFrom(java.nio.file.Path model) {
            this.initFrom = model == null ? null : model.toString();
            return this;
        }

        /** As {@link #initFrom(java.nio.file.Path)}, the path as text (how recipe files give it). */
        public Builder initFrom(String model) {
            this.initFrom = model;
            return this;
        }

        /**
         * Keeps the first {@code hiddenLayers} hidden layers fixed during supervised training: their
         * weights, biases and batch-normalization γ, β and statistics are not updated, and they run as
         * at inference (batch normalization with the stored statistics, no dropout). 0 (the default)
         * trains every layer; at most the number of hidden layers.
         */
        public Builder freeze(int hiddenLayers) {
            this.freeze = hiddenLayers;
            return this;
        }

        /** The update rule by name; its constants stay as set (or default). */
        public Builder optimizer(UpdateRule rule) {
            this.rule = rule;
            return this;
        }

        /** The update rule by name, e.g. {@code "adam"}. */
        public Builder optimizer(String name) {
            return optimizer(UpdateRule.parse(name));
        }

        /** The update rule and the hyperparameters of an optimizer record (RMSProp's decay is beta2). */
        public Builder optimizer(Optimizer optimizer) {
            UpdateRule r = UpdateRule.of(optimizer);
            if (r == null) {
                throw new RecipeException("optimizer", "must be one of the recipe's update rules ("
                        + UpdateRule.names(", ") + "), got " + optimizer.getClass().getSimpleName());
            }
            rule = r;
            hyperparameters.putAll(r.valuesOf(optimizer));
            return this;
        }

        public Builder learningRate(double learningRate) {
            this.learningRate = learningRate;
            return this;
        }

        /** A hyperparameter of the update rule by its recipe key, e.g. {@code ("beta2", 0.99)}. */
        public Builder hyperparameter(String key, double value) {
            if (UpdateRule.Hyperparameter.of(key) == null) {
                throw new RecipeException(key, "is not a hyperparameter of any optimizer");
            }
            hyperparameters.put(key, value);
            return this;
        }

        public Builder momentum(double momentum) {
            return hyperparameter("momentum", momentum);
        }

        public Builder beta1(double beta1) {
            return hyperparameter("beta1", beta1);
        }

        public Builder beta2(double beta2) {
            return hyperparameter("beta2", beta2);
        }

        public Builder epsilon(double epsilon) {
            return hyperparameter("epsilon", epsilon);
        }

        public Builder schedule(LearningRateSchedule schedule) {
            this.schedule = schedule;
            return this;
        }

        /** How much each class's examples count in the training loss; default {@link ClassWeights#NONE}. */
        /**
         * classification (the default: a label column of classes) or regression (the {@code label}
         * columns, comma-separated, are numeric targets).
         *
         * @throws RecipeException naming {@code task} for another word
         */
        public Builder task(String task) {
            if (!task.equals("classification") && !task.equals("regression")) {
                throw new RecipeException("task", "must be classification or regression, got '" + task + "'");
            }
            this.task = task;
            return this;
        }

        /**
         * The training loss: cross-entropy (classification), squared-error or huber (regression);
         * null (the default) for the task's own default (cross-entropy, squared-error).
         */
        public Builder loss(String loss) {
            this.loss = loss;
            return this;
        }

        /** δ of the Huber loss, finite and &gt; 0; 1 by default (PyTorch's). */
        public Builder huberDelta(double delta) {
            this.huberDelta = delta;
            return this;
        }

        public Builder classWeights(ClassWeights classWeights) {
            this.classWeights = classWeights;
            return this;
        }

        public Builder l1(double lambda) {
            this.l1 = lambda;
            return this;
        }

        public Builder l2(double lambda) {
            this.l2 = lambda;
            return this;
        }

        public Builder clipNorm(double maxNorm) {
            this.clipNorm = maxNorm;
            return this;
        }

        public Builder patience(int epochs) {
            this.patience = epochs;
            return this;
        }

        public Builder minDelta(double minDelta) {
            this.minDelta = minDelta;
            return this;
        }

        /** What early stopping watches and a search selects on; null (the default) for the task's default. */
        public Builder monitor(Metric monitor) {
            this.monitor = monitor;
            return this;
        }

        public Builder bnStatistics(BatchNormStatistics statistics) {
            this.bnStatistics = statistics;
            return this;
        }

        public Builder pretrain(PretrainingMethod method) {
            this.pretrain = method;
            return this;
        }

        public Builder pretrainEpochs(int... epochsPerLayer) {
            this.pretrainEpochs = Arrays.stream(epochsPerLayer).boxed().toList();
            return this;
        }

        public Builder pretrainLearningRates(double... ratesPerLayer) {
            this.pretrainLearningRates = Arrays.stream(ratesPerLayer).boxed().toList();
            return this;
        }

        public Builder pretrainOnAll(boolean onAll) {
            this.pretrainOnAll = onAll;
            return this;
        }

        public Builder noise(Noise noise) {
            this.noise = noise;
            return this;
        }

        public Builder corruption(double level) {
            this.corruption = level;
            return this;
        }

        public Builder tied(boolean tied) {
            this.tied = tied;
            return this;
        }

        public Builder cdK(int steps) {
            this.cdK = steps;
            return this;
        }

        public Builder persistent(boolean persistent) {
            this.persistent = persistent;
            return this;
        }

        public Builder pretrainPatience(int epochs) {
            this.pretrainPatience = epochs;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder precision(Precision precision) {
            this.precision = precision;
            return this;
        }

        /** The checkpoint directory, or null for none. */
        public Builder checkpoint(String dir) {
            this.checkpoint = dir;
            return this;
        }

        /** Optimizer steps between checkpoints, besides each epoch's end; 0 for epoch ends only. */
        public Builder checkpointEvery(int steps) {
            this.checkpointEvery = steps;
            return this;
        }

        /** The HTML report file, or null for none. */
        public Builder report(String file) {
            this.report = file;
            return this;
        }

        /** The directory for the report's charts as SVG and PNG files, or null for none. */
        public Builder plots(String dir) {
            this.plots = dir;
            return this;
        }

        /** The regression loss that task, loss and huber-delta give, or null for classification. */
        private RegressionLoss regressionLoss() {
            if (!(huberDelta > 0) || !Double.isFinite(huberDelta)) {
                throw new RecipeException("huber-delta", "must be a finite number > 0, got " + format(huberDelta));
            }
            if (loss != null && !List.of("cross-entropy", "squared-error", "huber").contains(loss)) {
                throw new RecipeException("loss", "must be cross-entropy (classification), squared-error or huber"
                        + " (regression), got '" + loss + "'");
            }
            if (huberDelta != RegressionLoss.DEFAULT_DELTA && !"huber".equals(loss)) {
                throw new RecipeException("huber-delta", "applies to `loss` huber only, but the loss is "
                        + (loss != null ? loss : task.equals("regression") ? "squared-error" : "cross-entropy")
                        + "; set `loss` huber, or drop `huber-delta`");
            }
            if (task.equals("classification")) {
                if (loss != null && !loss.equals("cross-entropy")) {
                    throw new RecipeException("loss", loss + " is a loss of `task` regression, but the task is"
                            + " classification, whose loss is cross-entropy; set `task` regression to fit numeric"
                            + " targets");
                }
                return null;
            }
            if ("cross-entropy".equals(loss)) {
                throw new RecipeException("loss", "cross-entropy is the loss of `task` classification; regression"
                        + " minimizes squared-error (its default) or huber: drop `loss`, or use `loss` huber");
            }
            return "huber".equals(loss) ? RegressionLoss.huber(huberDelta) : RegressionLoss.squaredError();
        }

        /**
         * The recipe, with the dependent defaults settled.
         *
         * @throws RecipeException naming the first key whose value breaks its rule
         */
        public Recipe build() {
            notNull("optimizer", rule);
            double rate = learningRate != null ? learningRate : rule.defaultLearningRate();
            DataPart d = new DataPart(data, testData, label, delimiter, validationFraction, testFraction, normalize, trainLimit,
                    splitSeed != null ? splitSeed : seed, weightColumn);
            NetworkPart n = new NetworkPart(hidden, activation, batchNorm, dropout, inputDropout, init, initGain,
                    initFrom, freeze);
            Map<String, Double> values = new LinkedHashMap<>();
            for (UpdateRule.Hyperparameter h : UpdateRule.Hyperparameter.values()) {
                Double given = hyperparameters.get(h.key());
                values.put(h.key(), given != null ? given : rule.defaultOf(h));
            }
            OptimizerPart o = new OptimizerPart(rule, rate, values, schedule, classWeights, regressionLoss());
            RegularizationPart r = new RegularizationPart(l1, l2, clipNorm, patience, minDelta,
                    monitor != null ? monitor : Metric.defaultFor(task.equals("regression")), bnStatistics);
            PretrainingPart p = new PretrainingPart(pretrain, pretrainEpochs,
                    pretrainLearningRates != null ? pretrainLearningRates : List.of(rate), pretrainOnAll, noise,
                    corruption, tied, cdK, persistent, pretrainPatience);
            return new Recipe(d, n, o, r, p, batchSize, epochs, seed, precision, checkpoint, checkpointEvery, report,
                    plots);
        }
    }
}
