package org.nettricks.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nettricks.NetTricks;
import org.nettricks.data.DataSources;
import org.nettricks.data.Dataset;
import org.nettricks.data.Normalization;
import org.nettricks.data.Splits;
import org.nettricks.losses.ClassWeights;
import org.nettricks.network.HiddenLayer;
import org.nettricks.optim.Optimizer;
import org.nettricks.pretraining.GreedyPretrainer;
import org.nettricks.pretraining.LayerModel;
import org.nettricks.pretraining.PretrainingConfig;
import org.nettricks.random.SplitMix64;
import org.nettricks.regularization.GradientClipping;
import org.nettricks.regularization.WeightPenalty;
import org.nettricks.io.internal.Json;
import org.nettricks.model.Classifier;
import org.nettricks.network.Architecture;
import org.nettricks.network.Network;
import org.nettricks.tensor.Backend;
import org.nettricks.config.PrecisionLimits;
import org.nettricks.config.Recipe;
import org.nettricks.config.RecipeException;
import org.nettricks.config.BatchNormStatistics;
import org.nettricks.config.NormalizationChoice;
import org.nettricks.evaluation.Evaluation;
import org.nettricks.evaluation.Evaluator;
import org.nettricks.evaluation.RegressionEvaluator;
import org.nettricks.evaluation.RegressionMetrics;
import org.nettricks.data.TargetScaling;
import org.nettricks.training.Callback;
import org.nettricks.training.Trainer;
import org.nettricks.training.TrainingConfig;
import org.nettricks.training.TrainingHistory;
import org.nettricks.training.TrainingListener;

/**
 * Runs a {@link Recipe} from data to a trained, test-evaluated {@link Classifier}: the lecture's
 * train / validation / test protocol.
 *
 * <p>Randomness: one {@link SplitMix64} (the algorithm of {@code java.util.SplittableRandom}, whose
 * draws it repeats, with a state that checkpoints can save) seeded with {@link Recipe#seed()} is split, in this
 * order, into the generators for the data splits, the weight initialization, and training
 * (shuffling and dropout masks), so the same recipe gives the same run on the same backend and
 * thread count. A split seed different from the seed replaces the first with a generator of its
 * own, so that the trials of a search, each with its own seed, share one validation and test set.
 */
public final class Experiment {
    private final Recipe recipe;
    private final Dataset train;
    private final Dataset validation;
    private final Dataset test;
    private final Normalization normalization;
    private final Network network;
    private final SplitMix64 shuffling;
    private final Dataset pretrainingInputs;
    private final SplitMix64 pretrainingRandom;
    private final List<String> warnings;
    private final List<String> notes;
    private final TargetScaling targetScaling;

    private Experiment(Recipe recipe, Dataset train, Dataset validation, Dataset test, Normalization normalization,
                       Network network, SplitMix64 shuffling, Dataset pretrainingInputs,
                       SplitMix64 pretrainingRandom, List<String> warnings, List<String> notes,
                       TargetScaling targetScaling) {
        this.targetScaling = targetScaling;
        this.recipe = recipe;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.normalization = normalization;
        this.network = network;
        this.shuffling = shuffling;
        this.pretrainingInputs = pretrainingInputs;
        this.pretrainingRandom = pretrainingRandom;
        this.warnings = List.copyOf(warnings);
        this.notes = List.copyOf(notes);
    }

    /**
     * What a finished run produced.
     *
     * @param test           the classifier's figures on the test set; null for regression
     * @param regressionTest the regressor's figures on the test set (original units); null for classification
     */
    public record Result(Classifier model, TrainingHistory history, Evaluation test, RegressionMetrics regressionTest) {
        /** The result of a classifier's run. */
        public Result(Classifier model, TrainingHistory history, Evaluation test) {
            this(model, history, test, null);
        }

        /** Training examples per second over all epochs. */
        public double examplesPerSecond(int trainSize) {
            return (double) trainSize * history.epochs().size() / history.trainingSeconds();
        }
    }

    /**
     * Loads and splits the data, fits the normalization and builds the initialized network.
     *
     * <p>With {@code init-from} (warm start), the model file is read first; the training data is read
     * as the model reads data (CSV feature columns by its column names, labels mapped to its
     * classes); the network, built from the recipe, must have the model's architecture (hidden sizes,
     * activation, batch normalization; dropout may differ) and starts from its parameters and
     * batch-normalization statistics, converted to the recipe's precision; and the inputs are
     * normalized with the model's own statistics, not refitted, so that the loaded weights see inputs
     * as in their training. The seed's generators are split as without it, so the shuffling and
     * dropout draws are the same. A regression model ({@code task} regression) continues on the
     * targets it was trained on ({@code label} must name the same columns, in the same order), and
     * they are standardized with the model's own means and standard deviations ({@link
     * Classifier#targetScaling()}), not refitted on the new training split: the output layer's weights
     * were fitted to targets in those units, so the run starts from exactly the saved model's
     * predictions, and the losses it reports are in the saved model's standardized units.
     *
     * @throws org.nettricks.InvalidInputException naming {@code `init-from`} and what differs when the
     *         model does not fit the recipe or the data (a classifier for {@code task} regression or the
     *         reverse, other targets), or a {@code normalize} other than auto differs from the model's
     */
    public static Experiment prepare(Recipe recipe, Backend backend) {
        SplitMix64 root = new SplitMix64(recipe.seed());
        SplitMix64 splitting = root.split();
        if (recipe.data().splitSeed() != recipe.seed()) {
            splitting = new SplitMix64(recipe.data().splitSeed()).split();
        }
        SplitMix64 init = root.split();
        SplitMix64 shuffling = root.split();

        Recipe.DataPart dp = recipe.data();
        DataSources.requireSource("data", dp.source());
        if (dp.testData() != null) {
            DataSources.requireSource("test-data", dp.testData());
        }
        WarmStart warm = recipe.network().initFrom() == null ? null
                : WarmStart.load(recipe.network().initFrom(), backend);
        List<String> targets = recipe.regression() ? targetColumns(dp) : null;
        if (warm != null) {
            warm.requireSameTask(targets);
        }
        if (warm != null && dp.weightColumn() != null) {
            throw new org.nettricks.InvalidInputException("`weight-column` " + dp.weightColumn() + ": example weights"
                    + " are not supported with `init-from` (a warm start) yet; drop one of them");
        }
        DataSources.Loaded loaded = targets != null
                ? new DataSources.Loaded(DataSources.loadForRegression(dp.source(), "data", targets,
                        warm == null ? null : warm.model().inputSchema(),
                        warm == null ? -1 : warm.model().network().architecture().inputSize(), true,
                        dp.delimiter(), dp.weightColumn()), null)
                : warm == null
                ? DataSources.loadForTraining(dp.source(), dp.labelColumn(), dp.delimiter(), dp.weightColumn())
                : DataSources.loadForWarmStart(dp.source(), dp.labelColumn(), dp.delimiter(),
                        warm.model().inputSchema(), warm.model().network().architecture().inputSize(),
                        warm.model().classNames(), warm.reference());
        Dataset all = loaded.train();
        boolean ownTrain = false; // a fresh copy made here, normalized in place below
        boolean ownTest = false;
        Dataset test;
        List<String> warnings = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (warm != null && !all.ignoredColumns().isEmpty()) {
            warnings.add("`data` " + dp.source() + ": column" + (all.ignoredColumns().size() == 1 ? " " : "s ")
                    + quoted(all.ignoredColumns()) + " ignored: not among the feature columns of " + warm.reference());
        }
        if (dp.testData() != null && targets != null) {
            test = DataSources.loadForRegression(dp.testData(), "test-data", targets, all.schema(), all.featureCount(),
                    true, dp.delimiter());
            if (!test.ignoredColumns().isEmpty()) {
                warnings.add("`test-data` " + dp.testData() + ": column" + (test.ignoredColumns().size() == 1 ? " "
                        : "s ") + quoted(test.ignoredColumns()) + " ignored: not among the training data's feature columns");
            }
        } else if (dp.testData() != null) {
            // read as the model will read later files: CSV columns by the training header's names
            test = DataSources.loadForModel(dp.testData(), "test-data", all.schema(), all.featureCount(),
                    all.classNames(), dp.labelColumn(), true, dp.delimiter());
            if (!test.ignoredColumns().isEmpty()) {
                warnings.add("`test-data` " + dp.testData() + ": column" + (test.ignoredColumns().size() == 1 ? " "
                        : "s ") + quoted(test.ignoredColumns()) + " ignored: not among the training data's feature columns");
            }
        } else if (loaded.test() != null) {
            test = loaded.test();
            DataSources.requireSameShape("data", test.source(), test, all.schema(), all.featureCount(),
                    "the training images " + all.source() + " have");
        } else {
            Splits.Split s = holdOut(all, dp.testFraction(), splitting, "test split of " + all.source(),
                    "`test-fraction`");
            all = s.kept();
            test = s.heldOut();
            ownTrain = true;
            ownTest = true;
        }
        Dataset validation = null;
        if (dp.validationFraction() > 0) {
            Splits.Split s = holdOut(all, dp.validationFraction(), splitting,
                    "validation split of " + all.source(), "`validation-fraction`");
            all = s.kept();
            validation = s.heldOut();
            ownTrain = true;
        }
        Dataset beforeLimit = all;
        if (dp.trainLimit() > 0 && dp.trainLimit() < all.size()) {
            int[] first = new int[dp.trainLimit()];
            for (int i = 0; i < first.length; i++) {
                first[i] = i;
            }
            all = all.subset(first, all.source());
        }
        boolean ownBeforeLimit = ownTrain;
        if (beforeLimit != all) {
            ownTrain = true;
        }
        String numeric = numericLabelWarning(all);
        if (numeric != null) {
            warnings.add(numeric);
        }
        String absent = numeric != null ? null : classesWithoutTrainingExamples(all, validation, test);
        if (absent != null) {
            warnings.add(absent);
        }
        ClassWeights classWeights = recipe.optimizer().classWeights();
        if (classWeights.kind() == ClassWeights.Kind.GIVEN && classWeights.values().size() != all.classCount()) {
            throw new org.nettricks.InvalidInputException("`class-weight` " + classWeights.describe() + " gives "
                    + classWeights.values().size() + " weights but " + all.source() + " has " + all.classCount()
                    + " classes " + all.classNames() + ": give one weight per class, in this order");
        }
        int topK = recipe.regularization().monitor().topK();
        if (targets == null && topK > all.classCount()) {
            throw new org.nettricks.InvalidInputException("`monitor` " + recipe.regularization().monitor().name()
                    + ": K = " + topK + " exceeds the " + all.classCount() + " classes of " + all.source()
                    + "; give K from 1 to " + all.classCount() + " (val-top-" + all.classCount() + "-accuracy is always 1)");
        }
        int outputs = targets != null ? all.targetCount() : all.classCount();
        // before the network is allocated
        TrainingMemory.require(recipe, all.featureCount(), outputs,
                Math.max(test.size(), validation == null ? 0 : validation.size()));
        try {
            PrecisionLimits.checkInitialization(recipe.network(), all.featureCount(), outputs,
                    recipe.precision());
        } catch (RecipeException e) {
            throw new org.nettricks.InvalidInputException("`" + e.key() + "` " + e.problem());
        }
        Normalization normalization;
        Network network;
        Architecture architecture = architecture(recipe, all.featureCount(), outputs);
        if (warm == null) {
            normalization = Normalization.fit(dp.normalization().kind(all.valueRange() != null), all);
            network = new Network(architecture, recipe.precision(), backend);
            network.initialize(recipe.network().initializer(), init);
        } else {
            warm.requireSameArchitecture(architecture);
            normalization = warm.model().normalization();
            if (dp.normalization() != NormalizationChoice.AUTO
                    && dp.normalization().kind(all.valueRange() != null) != normalization.kind()) {
                throw new org.nettricks.InvalidInputException("`normalize` " + dp.normalization().displayName()
                        + " differs from the normalization of " + warm.reference() + " ("
                        + normalization.kind().displayName() + "), which a warm start keeps so that the loaded"
                        + " weights see inputs as in their training; leave `normalize` at auto, or drop `init-from`");
            }
            network = new Network(architecture, recipe.precision(), backend,
                    warm.model().network().batchNormEpsilon());
            warm.copyInto(network);
            notes.add(warm.reference() + ": the network starts from its parameters" + (recipe.network().batchNorm()
                    ? " and batch-norm statistics" : "") + ", not from `init`; inputs are normalized with its own"
                    + " statistics (" + normalization.kind().displayName() + ", fitted on its training data; not"
                    + " refitted)" + (targets == null ? "" : ", and the targets standardized with its own means and"
                    + " standard deviations (not refitted)") + " so that its weights see "
                    + (targets == null ? "inputs" : "inputs and targets") + " as in their training");
            if (warm.converts(recipe.precision())) {
                notes.add(warm.reference() + " is " + warm.model().network().precision().displayName() + ": its"
                        + " values are converted to " + recipe.precision().displayName() + (recipe.precision()
                        == org.nettricks.tensor.Precision.FLOAT32 ? " (each rounded to the nearest float32)"
                        : " (exactly)"));
            }
        }
        int frozen = recipe.network().freeze();
        if (frozen > 0) {
            Recipe.NetworkPart np = recipe.network();
            boolean droppedOut = np.inputDropout() > 0;
            for (int k = 0; k < frozen; k++) {
                droppedOut |= np.dropoutOf(k) > 0;
            }
            notes.add("`freeze` " + frozen + ": hidden layer" + (frozen == 1 ? " 1 stays" : "s 1-" + frozen + " stay")
                    + " as " + (warm != null ? "loaded" : recipe.pretraining().enabled() ? "pre-trained"
                    : "initialized (random features)") + " and run" + (frozen == 1
                    ? "s" : "") + " as at inference" + (np.batchNorm() ? " (batch norm with the stored statistics)"
                    : "") + (droppedOut ? "; the input dropout and the dropout of frozen layers are not applied" : ""));
        }
        // the copies made above are normalized in place: Fashion-MNIST's training set is 170 MB
        Dataset normalizedTrain = ownTrain ? normalization.applyInPlace(all) : normalization.apply(all);
        Dataset pretrainingInputs = null;
        if (recipe.pretraining().enabled()) {
            pretrainingInputs = !(recipe.pretraining().onAll() && beforeLimit != all) ? normalizedTrain
                    : ownBeforeLimit ? normalization.applyInPlace(beforeLimit) : normalization.apply(beforeLimit);
        }
        Dataset normalizedValidation = validation == null ? null : normalization.applyInPlace(validation);
        Dataset normalizedTest = ownTest ? normalization.applyInPlace(test) : normalization.apply(test);
        TargetScaling scaling = null;
        if (targets != null) { // the targets' statistics from the training split only, as the inputs'
            // a warm start keeps the model's: its output weights were fitted to targets standardized with them
            scaling = warm == null ? TargetScaling.fit(normalizedTrain) : warm.model().targetScaling();
            normalizedTrain = scaling.standardize(normalizedTrain);
            normalizedValidation = normalizedValidation == null ? null : scaling.standardize(normalizedValidation);
            normalizedTest = scaling.standardize(normalizedTest);
        }
        return new Experiment(recipe, normalizedTrain, normalizedValidation, normalizedTest, normalization, network,
                shuffling, pretrainingInputs, root.split(), warnings, notes, scaling);
    }

    /**
     * The target columns of {@code task} regression: {@code label}'s comma-separated names.
     *
     * @throws org.nettricks.InvalidInputException naming {@code `label`} when it is not given
     */
    public static List<String> targetColumns(Recipe.DataPart dp) {
        if (dp.labelColumn() == null || dp.labelColumn().isBlank()) {
            throw new org.nettricks.InvalidInputException("`task` regression needs its numeric target columns named:"
                    + " give `label` y (one target) or `label` y1,y2 (several)");
        }
        List<String> names = new ArrayList<>();
        for (String part : dp.labelColumn().split(",", -1)) {
            if (part.isBlank()) {
                throw new org.nettricks.InvalidInputException("`label` " + dp.labelColumn() + " has an empty column"
                        + " name; list the target columns separated by commas, e.g. y1,y2");
            }
            names.add(part.trim());
        }
        return names;
    }

    /** The standardization of the regression targets (fitted on the training split), or null for classification. */
    public TargetScaling targetScaling() {
        return targetScaling;
    }

    /**
     * The one-line warning for classes with test or validation examples but no training example
     * (the network cannot learn them), or null when every such class has one.
     */
    static String classesWithoutTrainingExamples(Dataset train, Dataset validation, Dataset test) {
        int classes = train.classCount();
        int[] inTrain = counts(train, classes);
        int[] inTest = counts(test, classes);
        int[] inValidation = counts(validation, classes);
        List<String> absent = new ArrayList<>();
        for (int c = 0; c < train.classCount(); c++) {
            if (inTrain[c] == 0 && inTest[c] + inValidation[c] > 0) {
                absent.add("'" + train.classNames().get(c) + "' (" + (inTest[c] > 0 ? inTest[c] + " test" : "")
                        + (inTest[c] > 0 && inValidation[c] > 0 ? ", " : "")
                        + (inValidation[c] > 0 ? inValidation[c] + " validation" : "") + ")");
            }
        }
        if (absent.isEmpty()) {
            return null;
        }
        String named = absent.size() <= NAMED_AT_MOST ? String.join(", ", absent)
                : String.join(", ", absent.subList(0, NAMED_AT_MOST)) + " and " + (absent.size() - NAMED_AT_MOST)
                        + " more";
        return "class" + (absent.size() == 1 ? " " : "es ") + named + " of " + train.source()
                + (absent.size() == 1 ? " has" : " have") + " examples to test on but none in the training split,"
                + " so the network cannot learn " + (absent.size() == 1 ? "it" : "them") + "; use more data, a"
                + " smaller `test-fraction` or `validation-fraction`, another `split-seed`, or no `train-limit`";
    }

    /** How many classes a warning names before it says "and N more". */
    static final int NAMED_AT_MOST = 5;

    /**
     * The one-line warning for a classification whose classes look like the values of a quantity:
     * more than 20 of them, every name a number, and either some not a whole number or more classes
     * than half the examples; null otherwise. Such a label was probably meant for {@code task: regression}.
     */
    static String numericLabelWarning(Dataset data) {
        List<String> names = data.classNames();
        if (names == null || names.size() <= 20) {
            return null;
        }
        boolean fractional = false;
        for (String name : names) {
            double v;
            try {
                v = Double.parseDouble(name.strip());
            } catch (NumberFormatException e) {
                return null;
            }
            if (!Double.isFinite(v)) {
                return null;
            }
            fractional |= v != Math.rint(v);
        }
        if (!fractional && names.size() <= data.size() / 2) {
            return null;
        }
        return "the label of " + data.source() + " has " + names.size() + " distinct values, all numbers (e.g. '"
                + names.get(0) + "', '" + names.get(1) + "', '" + names.get(2) + "'), each trained as a class of its own;"
                + " to predict a quantity, train with `task` regression";
    }

    private static int[] counts(Dataset data, int classes) {
        int[] n = new int[classes];
        if (data != null && data.hasLabels()) {
            for (int label : data.labels()) {
                n[label]++;
            }
        }
        return n;
    }

    /**
     * What the data's preparation noticed, one line each, naming recipe keys in backquotes: classes
     * with test or validation examples but none to train on; test-data columns ignored.
     */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * What the preparation decided that the user may not expect, one line each, naming recipe keys
     * in backquotes: with {@code init-from}, that the model's parameters and normalization are used
     * (and a precision conversion); with {@code freeze}, which layers stay fixed and how they run.
     */
    public List<String> notes() {
        return notes;
    }

    /**
     * The architecture settings of the model file an {@code init-from} names, as recipe values:
     * {@code hidden} (the sizes, comma-separated, or {@code none}), {@code activation} (the first
     * hidden layer's) and {@code batch-norm} ({@code true} or {@code false}), so that a warm start need not
     * repeat them; settings given are still checked against the model when the run is prepared.
     * Empty for a model that is not the standard stack (the preparation refuses it).
     *
     * @throws org.nettricks.InvalidInputException naming {@code `init-from`} when the file cannot be read
     */
    public static Map<String, String> architectureSettings(String initFrom) {
        try (Backend backend = new org.nettricks.tensor.JavaBackend(1)) {
            Architecture a = WarmStart.load(initFrom, backend).model().network().architecture();
            Map<String, String> m = new LinkedHashMap<>();
            if (!a.isStandardStack()) {
                return m;
            }
            m.put("hidden", a.hidden().isEmpty() ? "none" : String.join(",", a.hidden().stream()
                    .map(h -> Integer.toString(h.size())).toList()));
            if (!a.hidden().isEmpty()) {
                m.put("activation", a.hidden().get(0).activation().displayName());
                m.put("batch-norm", Boolean.toString(a.hidden().get(0).batchNorm()));
            }
            return m;
        }
    }

    /** The network a recipe describes, for data of this shape. */
    public static Architecture architecture(Recipe recipe, int inputSize, int classes) {
        Recipe.NetworkPart np = recipe.network();
        List<HiddenLayer> hidden = new ArrayList<>();
        for (int k = 0; k < np.hidden().size(); k++) {
            hidden.add(new HiddenLayer(np.hidden().get(k), np.activation(), np.batchNorm(), np.dropoutOf(k)));
        }
        return new Architecture(inputSize, np.inputDropout(), hidden, classes);
    }

    /** The optimizer a recipe names, with its constants. */
    public static Optimizer optimizer(Recipe recipe) {
        return recipe.optimizer().create();
    }

    /** The training configuration a recipe describes. */
    public static TrainingConfig trainingConfig(Recipe recipe) {
        Recipe.RegularizationPart r = recipe.regularization();
        return new TrainingConfig(recipe.epochs(), recipe.batchSize(), recipe.optimizer().learningRate(),
                recipe.optimizer().schedule(), new WeightPenalty(r.l1(), r.l2()),
                r.clipNorm() > 0 ? new GradientClipping(r.clipNorm()) : null, r.earlyStopping(),
                r.bnStatistics() == BatchNormStatistics.FINAL_PASS, recipe.optimizer().classWeights());
    }

    private static Splits.Split holdOut(Dataset data, double fraction, SplitMix64 random, String name,
                                        String flag) {
        try {
            return Splits.holdOut(data, fraction, random, name);
        } catch (IllegalArgumentException e) {
            throw new org.nettricks.InvalidInputException(flag + " " + fraction + ": " + e.getMessage()
                    + "; choose another fraction or use more data");
        }
    }

    public Recipe recipe() {
        return recipe;
    }

    /** The normalized training examples. */
    public Dataset train() {
        return train;
    }

    /** The normalized validation examples, or null. */
    public Dataset validation() {
        return validation;
    }

    /** The normalized test examples. */
    public Dataset test() {
        return test;
    }

    public Network network() {
        return network;
    }

    public Normalization normalization() {
        return normalization;
    }

    /** Trains, evaluates once on the test set, and returns the model with its provenance. */
    public Result run(TrainingListener listener) {
        return run(listener, null, List.of());
    }

    /**
     * As {@link #run(TrainingListener)}, writing checkpoints of the training and resuming from one
     * ({@link Checkpoints}); a run that resumes skips the pre-training, which the checkpoint's
     * parameters already hold.
     *
     * @param checkpoints null for none
     */
    public Result run(TrainingListener listener, Checkpoints checkpoints) {
        return run(listener, checkpoints, List.of());
    }

    /**
     * As {@link #run(TrainingListener)}, with {@code callbacks} (e.g. a report's statistics) after the
     * standard ones of supervised training; they do not see pre-training.
     */
    public Result run(TrainingListener listener, List<? extends Callback> callbacks) {
        return run(listener, null, callbacks);
    }

    /** With checkpoints (null for none) and extra callbacks: see the overloads above. */
    public Result run(TrainingListener listener, Checkpoints checkpoints, List<? extends Callback> callbacks) {
        TrainingHistory history = train(listener, checkpoints, callbacks);
        if (targetScaling != null) {
            RegressionMetrics m = new RegressionEvaluator(network, test, targetScaling,
                    recipe.optimizer().regressionLoss()).evaluate();
            return new Result(model(history), history, null, m);
        }
        Evaluation testEvaluation = new Evaluator(network, test).evaluate();
        return new Result(model(history), history, testEvaluation);
    }

    /**
     * Trains without looking at the test set (model selection): first the greedy layer-wise
     * pre-training when the recipe asks for it, then supervised training of every parameter.
     */
    public TrainingHistory train(TrainingListener listener) {
        return train(listener, null, List.of());
    }

    /** As {@link #train(TrainingListener)}, with checkpoints (null for none): see {@link #run(TrainingListener, Checkpoints)}. */
    public TrainingHistory train(TrainingListener listener, Checkpoints checkpoints) {
        return train(listener, checkpoints, List.of());
    }

    /** As {@link #train(TrainingListener)}, with {@code callbacks} after the standard ones of supervised training. */
    public TrainingHistory train(TrainingListener listener, List<? extends Callback> callbacks) {
        return train(listener, null, callbacks);
    }

    /** With checkpoints (null for none) and extra callbacks after the standard ones of supervised training. */
    public TrainingHistory train(TrainingListener listener, Checkpoints checkpoints,
                                 List<? extends Callback> callbacks) {
        if (recipe.pretraining().enabled() && (checkpoints == null || !checkpoints.resumes())) {
            pretrain(listener, checkpoints == null ? null : checkpoints.pretraining());
        }
        return trainer().fit(network, train, validation, shuffling, listener, callbacks,
                checkpoints == null ? null : checkpoints.checkpointing());
    }

    /** The supervised phase's trainer. */
    private Trainer trainer() {
        Trainer trainer = new Trainer(optimizer(recipe), trainingConfig(recipe)).frozen(recipe.network().freeze())
                .monitoring(recipe.regularization().monitor())
                .reportingEpochZero(recipe.network().initFrom() != null);
        return targetScaling == null ? trainer : trainer.regression(targetScaling, recipe.optimizer().regressionLoss());
    }

    /** Checks a training checkpoint's state against this run without touching it ({@link Trainer#verifyResume}). */
    void verifyResume(org.nettricks.training.TrainingState state) {
        trainer().verifyResume(network, train, validation, state);
    }

    /** Checks a pre-training checkpoint's state against this run ({@link GreedyPretrainer#verifyResume}). */
    void verifyPretrainingResume(org.nettricks.training.TrainingState state) {
        try {
            pretrainer().verifyResume(network, pretrainingInputs.size(), validation != null, state);
        } catch (IllegalArgumentException e) {
            throw new org.nettricks.InvalidInputException("`pretrain` " + recipe.pretraining().method() + ": "
                    + e.getMessage());
        }
    }

    /** Greedy layer-wise pre-training of the hidden layers; the network's hidden weights are replaced. */
    public List<LayerModel> pretrain(TrainingListener listener) {
        return pretrain(listener, null);
    }

    /**
     * As {@link #pretrain(TrainingListener)}, writing checkpoints layer by layer and resuming from
     * one ({@link Checkpoints#startPretraining}, {@link Checkpoints#resumePretraining}; see
     * {@link GreedyPretrainer#pretrain(Network, Dataset, Dataset, java.util.random.RandomGenerator,
     * TrainingListener, org.nettricks.training.TrainingLoop.Checkpointing)}).
     *
     * @param checkpoints null for none; else of phase {@link Checkpoints#PHASE_PRETRAIN}
     */
    public List<LayerModel> pretrain(TrainingListener listener, Checkpoints checkpoints) {
        try {
            return pretrainer().pretrain(network, pretrainingInputs, validation, pretrainingRandom, listener,
                    checkpoints == null ? null : checkpoints.checkpointing());
        } catch (IllegalArgumentException e) {
            throw new org.nettricks.InvalidInputException("`pretrain` " + recipe.pretraining().method() + ": "
                    + e.getMessage());
        }
    }

    private GreedyPretrainer pretrainer() {
        PretrainingConfig config = recipe.pretraining().config();
        return new GreedyPretrainer(config, optimizer(recipe), trainingConfig(recipe).gradientChain(),
                recipe.batchSize(), recipe.network().initializer());
    }

    /** The network as it stands, as a model with its provenance ({@code history} may be null). */
    public Classifier model(TrainingHistory history) {
        if (targetScaling != null) {
            return new Classifier(network, normalization, targetScaling, recipe.optimizer().regressionLoss(),
                    train.schema(), provenance(history));
        }
        return new Classifier(network, normalization, train.classNames(), train.schema(), provenance(history));
    }

    /**
     * The model as the network stands now, e.g. after a {@link TrainingDivergedException} left it
     * at the last good step.
     */
    public Classifier lastGoodModel() {
        return model(null);
    }

    private Map<String, String> provenance(TrainingHistory history) {
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("nettricks_version", NetTricks.VERSION);
        provenance.put("seed", Long.toString(recipe.seed()));
        provenance.put("backend", network.backend().name() + " x" + network.backend().threads());
        provenance.putAll(network.backend().provenance()); // blas, blas_kernel: the same bits need the same kernel
        provenance.put("recipe", Json.write(recipe.toMap()));
        if (history != null) {
            provenance.put("best_epoch", Integer.toString(history.bestEpoch()));
        }
        return provenance;
    }

    /** Column names as messages give them: {@code 'id', 'date'}. */
    private static String quoted(java.util.List<String> names) {
        return names.stream().map(n -> "'" + n + "'").collect(java.util.stream.Collectors.joining(", "));
    }
}
