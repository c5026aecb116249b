package org.nettricks.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
import org.nettricks.experiment.Experiment;
import org.nettricks.config.Recipe;
import org.nettricks.training.TrainingDivergedException;
import org.nettricks.training.TrainingHistory;
import org.nettricks.training.TrainingListener;
import org.nettricks.selection.MedianPruner;
import org.nettricks.selection.Objective;
import org.nettricks.selection.SearchSpace;
import org.nettricks.selection.TrialResult;

/**
 * Trains one network per trial, as {@code nettricks train} would with the trial's recipe, and
 * scores it by its validation error only (the best epoch's, with early stopping; the last epoch's
 * otherwise). The test set is never looked at here. The best model so far is saved atomically.
 */
public final class TrainingObjective implements Objective {
    private final SearchSpace space;
    private final java.util.function.IntFunction<Backend> backends;
    private final int threadsPerTrial;
    private final Path bestModelFile;
    private double bestError;
    private Classifier bestModel;

    /**
     * @param backends      opens a backend with the given number of threads, one per trial
     * @param bestModelFile where the best model is kept (null: in memory only)
     * @param bestErrorSoFar the best validation error of trials finished earlier (resume), or +∞
     */
    public TrainingObjective(SearchSpace space, java.util.function.IntFunction<Backend> backends, int threadsPerTrial,
                             Path bestModelFile, double bestErrorSoFar) {
        this.space = space;
        this.backends = backends;
        this.threadsPerTrial = threadsPerTrial;
        this.bestModelFile = bestModelFile;
        this.bestError = bestErrorSoFar;
        org.nettricks.data.DataSources.keepLastLoaded(true); // every trial reads the same files
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
        Recipe.DataPart data = space.recipe(typical, 1).data();
        DataSources.Loaded loaded = DataSources.loadForTraining(data.source(), data.labelColumn(), data.delimiter());
        Dataset train = loaded.train();
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
            TrainingMemory.require(space.recipe(values, 1), train.featureCount(), train.classCount(), evaluationRows,
                    maxHeap, subject.toString());
        }
    }

    @Override
    public TrialResult evaluate(int index, long seed, Map<String, String> values, MedianPruner pruning) {
        Recipe recipe = space.recipe(values, seed);
        long started = System.nanoTime();
        try (Backend backend = backends.apply(threadsPerTrial)) {
            Experiment experiment = Experiment.prepare(recipe, backend);
            boolean[] pruned = {false};
            TrainingHistory history;
            String status;
            try {
                history = experiment.train(new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochReport report) {
                        pruned[0] = pruning.report(report.epoch(), report.validationError());
                    }

                    @Override
                    public boolean stopRequested() {
                        return pruned[0];
                    }
                });
                status = pruned[0] ? "pruned" : "ok";
            } catch (TrainingDivergedException e) {
                double seconds = (System.nanoTime() - started) / 1e9;
                return new TrialResult(index, seed, values, "diverged", 0, Double.NaN, Double.NaN,
                        e.completedEpochs().size(), seconds);
            }
            EpochReport best = history.epochs().get(history.bestEpoch() - 1);
            double seconds = (System.nanoTime() - started) / 1e9;
            TrialResult result = new TrialResult(index, seed, values, status, history.bestEpoch(),
                    best.validationError(), best.validationLoss(), history.epochs().size(), seconds);
            keepIfBest(result, experiment);
            return result;
        }
    }

    private synchronized void keepIfBest(TrialResult result, Experiment experiment) {
        if (!(result.validationError() < bestError)) {
            return;
        }
        bestError = result.validationError();
        bestModel = experiment.model(null);
        if (bestModelFile != null) {
            try {
                ModelFile.save(bestModel, bestModelFile);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * The selected configuration's test figures, computed once: its data prepared again from its
     * recipe (same seed, same splits, same normalization), its network from memory or the saved file.
     */
    public Evaluation testSelected(TrialResult selected) {
        Recipe recipe = space.recipe(selected.values(), selected.seed());
        try (Backend backend = backends.apply(threadsPerTrial)) {
            Experiment experiment = Experiment.prepare(recipe, backend);
            Network network;
            if (bestModel != null) {
                // the trial's own backend is closed: copy its parameters into a network on this one
                Network trained = bestModel.network();
                network = new Network(trained.architecture(), trained.precision(), backend);
                network.restore(trained.snapshot());
            } else {
                network = ModelFile.load(bestModelFile, backend).network();
            }
            return new Evaluator(network, experiment.test()).evaluate();
        }
    }
}
