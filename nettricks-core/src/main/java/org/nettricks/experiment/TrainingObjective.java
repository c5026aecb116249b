package org.nettricks.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import org.nettricks.InvalidInputException;
import org.nettricks.config.Recipe;
import org.nettricks.data.DataSources;
import org.nettricks.data.Dataset;
import org.nettricks.selection.Dimension;

import org.nettricks.model.ModelFile;
import org.nettricks.model.Classifier;
import org.nettricks.network.Network;
import org.nettricks.tensor.Backend;
import org.nettricks.training.EpochReport;
import org.nettricks.evaluation.Evaluation;
import org.nettricks.evaluation.Evaluator;
import org.nettricks.model.Classifier;
import org.nettricks.model.ModelFile;
import org.nettricks.network.Network;
import org.nettricks.selection.Dimension;
import org.nettricks.selection.MedianPruner;
import org.nettricks.selection.Objective;
import org.nettricks.selection.Search;
import org.nettricks.selection.SearchSpace;
import org.nettricks.selection.TrialResult;
import org.nettricks.tensor.Backend;
import org.nettricks.training.EpochReport;
import org.nettricks.training.TrainingDivergedException;
import org.nettricks.training.TrainingHistory;
import org.nettricks.training.TrainingListener;

/**
 * Trains one network per trial, as {@code nettricks train} would with the trial's recipe, and
 * scores it on the validation set only, by the recipe's monitored metric ({@code monitor}: the
 * validation error by default; for regression the validation RMSE in original units, mean over
 * targets, unless the space sets another, see {@link #withDefaultMonitor}), the best epoch's with
 * early stopping, the last epoch's otherwise. The test set is never looked at here.
 *
 * <p>The best model so far is saved atomically, in {@link Search#RANKING} order (the better
 * monitored figure; on a tie, the lower trial number), so that whichever worker finishes first,
 * the model kept is the selected trial's. {@link #testSelected} checks this again and trains the
 * selected trial anew (same seed: the same model) when the kept model is not its own.
 */
public final class TrainingObjective implements Objective {
    private final SearchSpace space;
    private final IntFunction<Backend> backends;
    private final int threadsPerTrial;
    private final Path bestModelFile;
    private TrialResult best;
    private Classifier bestModel;
    private Path checkpointRoot;
    private int checkpointEvery;
    private java.util.function.Consumer<String> notices = line -> { };

    /**
     * @param backends       opens a backend with the given number of threads, one per trial
     * @param bestModelFile  where the best model is kept (null: in memory only)
     * @param bestEarlier    the first in {@link Search#RANKING} order of the trials finished earlier
     *                       (resume), whose model {@code bestModelFile} holds; null when none
     */
    public TrainingObjective(SearchSpace space, IntFunction<Backend> backends, int threadsPerTrial,
                             Path bestModelFile, TrialResult bestEarlier) {
        this.space = space;
        this.backends = backends;
        this.threadsPerTrial = threadsPerTrial;
        this.bestModelFile = bestModelFile;
        this.best = bestEarlier != null && bestEarlier.hasFigure() ? bestEarlier : null;
        org.nettricks.data.DataSources.keepLastLoaded(true); // every trial reads the same files
    }

    /**
     * Checkpoints each trial's training in its own directory, {@code root/trial-NNN} (the trial's
     * number, 3 digits at least), as {@code train --checkpoint} does ({@link Checkpoints}); a trial
     * whose directory holds checkpoints resumes from the latest (a search killed in the middle of a
     * trial), and ends as it would have uninterrupted. The directory is removed once the trial is in
     * the results file ({@link #recorded}).
     *
     * @param everySteps also write every this many optimizer steps, ≥ 0; 0: at each epoch's end only
     * @param notices    receives one line per trial resumed ("trial 3: resuming from …")
     * @return this objective
     */
    public TrainingObjective checkpointing(Path root, int everySteps, java.util.function.Consumer<String> notices) {
        if (everySteps < 0) {
            throw new IllegalArgumentException("checkpoint-every must be >= 0, got " + everySteps);
        }
        this.checkpointRoot = root;
        this.checkpointEvery = everySteps;
        this.notices = notices;
        return this;
    }

    /** Trial {@code index}'s checkpoint directory: {@code root/trial-NNN}. */
    public static Path trialDirectory(Path root, int index) {
        return root.resolve(String.format(java.util.Locale.ROOT, "trial-%03d", index));
    }

    /** Removes the finished trial's checkpoints (see {@link #checkpointing}). */
    @Override
    public void recorded(int index) {
        if (checkpointRoot != null) {
            removeCheckpoints(checkpointRoot, index);
        }
    }

    /**
     * Removes trial {@code index}'s checkpoint directory under {@code root}, e.g. of a trial that a
     * killed search finished and recorded without removing them.
     *
     * @throws UncheckedIOException when a file cannot be removed
     */
    public static void removeCheckpoints(Path root, int index) {
        try {
            new org.nettricks.training.CheckpointDirectory(trialDirectory(root, index)).deleteCheckpoints();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the checkpoints of trial " + index + " in "
                    + trialDirectory(root, index) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Prepares, without training, the trial whose searched values are each dimension's typical one
     * (seed {@code seed}): reads and splits the data and builds the network, so that missing or
     * malformed data, splits that leave nothing and shapes that do not fit are refused before the
     * search writes anything.
     *
     * @throws InvalidInputException as {@link Experiment#prepare} does
     */
    public void check(long seed) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Dimension d : space.dimensions()) {
            values.put(d.key(), d.typicalValue());
        }
        org.nettricks.config.Recipe typical = space.recipe(values, seed);
        try (Backend backend = backends.apply(threadsPerTrial)) {
            Experiment.prepare(typical, backend);
        }
    }

    /** The keys whose values change what training needs in memory; their extremes are tried up front. */
    private static final java.util.Set<String> MEMORY_KEYS = java.util.Set.of("hidden", "batch-size", "precision",
            "optimizer", "batch-norm", "activation");

    /**
     * Refuses, before the first trial, a space whose largest trial could not be trained in this JVM
     * (see {@link TrainingMemory}): the space's data is read once for its shape, and every combination
     * of the values of the dimensions that change the memory needed ({@code hidden}, {@code batch-size},
     * {@code precision}, {@code optimizer}, {@code batch-norm}, {@code activation}: every listed value,
     * or both ends of a range) is checked, the other dimensions at their typical values. Each trial's
     * own sizes are checked again when it starts.
     *
     * @throws org.nettricks.InvalidInputException naming the dimension's values that ask too much
     */
    public static void requireMemory(SearchSpace space) {
        List<Dimension> memory = space.dimensions().stream().filter(d -> MEMORY_KEYS.contains(d.key())).toList();
        Map<String, String> typical = new java.util.LinkedHashMap<>();
        for (Dimension d : space.dimensions()) {
            typical.put(d.key(), d.typicalValue());
        }
        Recipe typicalRecipe = space.recipe(typical, 1);
        Recipe.DataPart data = typicalRecipe.data();
        DataSources.Loaded loaded = typicalRecipe.regression()
                ? new DataSources.Loaded(DataSources.loadForRegression(data.source(), "data",
                Experiment.targetColumns(data), null, -1, true, data.delimiter()), null)
                : DataSources.loadForTraining(data.source(), data.labelColumn(), data.delimiter());
        Dataset train = loaded.train();
        int outputs = typicalRecipe.regression() ? train.targetCount() : train.classCount();
        int evaluationRows = loaded.test() != null ? loaded.test().size() : (int) (train.size() * data.testFraction());
        List<Map<String, String>> combinations = new ArrayList<>(List.of(typical));
        for (Dimension d : memory) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : combinations) {
                for (String value : d.probeValues()) {
                    Map<String, String> m = new java.util.LinkedHashMap<>(c);
                    m.put(d.key(), value);
                    next.add(m);
                }
            }
            combinations = next;
            if (combinations.size() > 100_000) {
                break; // each trial is still checked when it starts
            }
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        for (Map<String, String> values : combinations) {
            StringBuilder subject = new StringBuilder("search space");
            for (Dimension d : memory) {
                subject.append(subject.length() == "search space".length() ? " " : ", ").append(d.key()).append(" = ")
                        .append(d.describe()).append(": the value ").append(values.get(d.key()));
            }
            TrainingMemory.require(space.recipe(values, 1), train.featureCount(), outputs, evaluationRows,
                    maxHeap, subject.toString());
        }
    }

    /**
     * The space a search runs: {@code space} itself, or, for a regression space that does not set
     * {@code monitor}, the space with {@code monitor} val-rmse (issue 17: a regression search selects
     * on the validation RMSE; train's own default for regression is the loss).
     */
    public static SearchSpace withDefaultMonitor(SearchSpace space) {
        if (space.fixed().containsKey("monitor") || space.dimensions().stream().anyMatch(d -> d.key().equals(
                "monitor"))) {
            return space;
        }
        Map<String, String> typical = new LinkedHashMap<>();
        for (Dimension d : space.dimensions()) {
            typical.put(d.key(), d.typicalValue());
        }
        if (!space.recipe(typical, 1).regression()) {
            return space;
        }
        Map<String, org.nettricks.config.RecipeSettings.Setting> fixed = new LinkedHashMap<>(space.fixed());
        fixed.put("monitor", org.nettricks.config.RecipeSettings.Setting.flag("monitor",
                org.nettricks.evaluation.Metric.VAL_RMSE.name()));
        return new SearchSpace(fixed, space.dimensions());
    }

    @Override
    public TrialResult evaluate(int index, long seed, Map<String, String> values, MedianPruner pruning) {
        Recipe recipe = space.recipe(values, seed);
        org.nettricks.evaluation.Metric metric = recipe.regularization().monitor();
        long started = System.nanoTime();
        try (Backend backend = backends.apply(threadsPerTrial)) {
            Experiment experiment = Experiment.prepare(recipe, backend);
            boolean[] pruned = {false};
            TrainingHistory history;
            String status;
            Checkpoints checkpoints = null;
            if (checkpointRoot != null) {
                checkpoints = Checkpoints.resume(experiment, trialDirectory(checkpointRoot, index), checkpointEvery);
                if (checkpoints.resumes() || checkpoints.pretraining() != null && checkpoints.pretraining().resumes()) {
                    for (String line : checkpoints.notices()) {
                        notices.accept("trial " + index + ": " + line);
                    }
                }
            }
            try {
                history = experiment.train(new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochReport report) {
                        pruned[0] = pruning.shouldStop(report.epoch(), report.valueOf(metric));
                    }

                    @Override
                    public boolean stopRequested() {
                        return pruned[0];
                    }
                }, checkpoints);
                // the pruner stops a trial right after the first epoch it rejects: a trial resumed after
                // that epoch's checkpoint runs no epoch here, so the decision is read off its last epoch
                EpochReport last = history.last();
                status = pruning.shouldStop(last.epoch(), last.valueOf(metric)) ? "pruned" : "ok";
            } catch (TrainingDivergedException e) {
                double seconds = (System.nanoTime() - started) / 1e9;
                return new TrialResult(index, seed, values, "diverged", 0, Double.NaN, Double.NaN,
                        e.completedEpochs().size(), seconds, curve(e.completedEpochs(), metric), metric.name(),
                        Double.NaN);
            }
            EpochReport bestEpoch = history.epochs().get(history.bestEpoch() - 1);
            double seconds = (System.nanoTime() - started) / 1e9;
            // a regression network has no classification error: its report's "error" is the RMSE
            TrialResult result = new TrialResult(index, seed, values, status, history.bestEpoch(),
                    recipe.regression() ? Double.NaN : bestEpoch.validationError(), bestEpoch.validationLoss(),
                    history.epochs().size(), seconds, curve(history.epochs(), metric), metric.name(),
                    bestEpoch.valueOf(metric));
            keepIfBest(result, experiment);
            return result;
        }
    }

    private static List<Double> curve(List<EpochReport> epochs, org.nettricks.evaluation.Metric metric) {
        List<Double> out = new ArrayList<>();
        for (EpochReport r : epochs) {
            out.add(r.valueOf(metric));
        }
        return out;
    }

    private synchronized void keepIfBest(TrialResult result, Experiment experiment) {
        if (!result.hasFigure() || best != null && Search.RANKING.compare(result, best) >= 0) {
            return;
        }
        Classifier model = experiment.model(null);
        try {
            save(model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        best = result;
        bestModel = model;
    }

    private void save(Classifier model) throws IOException {
        if (bestModelFile == null) {
            return;
        }
        try {
            ModelFile.save(model, bestModelFile);
        } catch (IOException e) {
            String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.getMessage();
            throw new IOException(bestModelFile + ": cannot write the best model so far (" + reason + "); the search"
                    + " stopped: fix this (e.g. free some disk space) and run the same command to resume", e);
        }
    }

    /**
     * The selected configuration's test figures, computed once: its data prepared again from its
     * recipe (same seed, same splits, same normalization), its network from memory or the saved
     * file when that is the selected trial's (its provenance has the trial's seed); otherwise
     * (a saved model missing, damaged, or left by a trial that is not in the results) the trial
     * is trained again from its recipe (for a pruned trial, as many epochs as it ran) and saved.
     *
     * @throws IOException when the model must be saved again and cannot be
     * @throws IllegalStateException for a regression search (see {@link #testSelectedRegression})
     */
    public Evaluation testSelected(TrialResult selected) throws IOException {
        Recipe recipe = space.recipe(selected.values(), selected.seed());
        if (recipe.regression()) {
            throw new IllegalStateException("a regression search: use testSelectedRegression");
        }
        try (Backend backend = backends.apply(threadsPerTrial)) {
            Experiment experiment = Experiment.prepare(recipe, backend);
            return new Evaluator(selectedNetwork(selected, experiment, backend), experiment.test()).evaluate();
        }
    }

    /**
     * As {@link #testSelected}, for a regression search: MSE, RMSE, MAE and R² per target on the
     * test set, in original units.
     *
     * @throws IOException when the model must be saved again and cannot be
     * @throws IllegalStateException for a classification search
     */
    public org.nettricks.evaluation.RegressionMetrics testSelectedRegression(TrialResult selected) throws IOException {
        Recipe recipe = space.recipe(selected.values(), selected.seed());
        if (!recipe.regression()) {
            throw new IllegalStateException("a classification search: use testSelected");
        }
        try (Backend backend = backends.apply(threadsPerTrial)) {
            Experiment experiment = Experiment.prepare(recipe, backend);
            Network network = selectedNetwork(selected, experiment, backend);
            return new org.nettricks.evaluation.RegressionEvaluator(network, experiment.test(),
                    experiment.targetScaling(), recipe.optimizer().regressionLoss()).evaluate();
        }
    }

    /** The selected trial's network on {@code backend}: from memory, the saved file, or trained again. */
    private Network selectedNetwork(TrialResult selected, Experiment experiment, Backend backend) throws IOException {
        Network network = null;
        if (bestModel != null && best.index() == selected.index()) {
            // the trial's own backend is closed: copy its parameters into a network on this one
            Network trained = bestModel.network();
            network = new Network(trained.architecture(), trained.precision(), backend);
            network.restore(trained.snapshot());
        } else if (bestModelFile != null && Files.isRegularFile(bestModelFile)) {
            network = savedNetworkOf(selected, backend);
        }
        if (network == null) {
            experiment.train(new TrainingListener() {
                private int epochs;

                @Override
                public void onEpochEnd(EpochReport report) {
                    epochs++;
                }

                @Override
                public boolean stopRequested() {
                    return selected.status().equals("pruned") && epochs >= selected.epochs();
                }
            });
            network = experiment.network();
            save(experiment.model(null));
        }
        return network;
    }

    /** The saved model's network when its provenance says it is {@code selected}'s, else null. */
    private Network savedNetworkOf(TrialResult selected, Backend backend) {
        try {
            Classifier saved = ModelFile.load(bestModelFile, backend);
            return Long.toString(selected.seed()).equals(saved.provenance().get("seed")) ? saved.network() : null;
        } catch (InvalidInputException e) {
            return null; // damaged: trained and written again
        }
    }
}
