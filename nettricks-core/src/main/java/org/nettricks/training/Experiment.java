package org.nettricks.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.nettricks.NetTricks;
import org.nettricks.data.DataSources;
import org.nettricks.data.Dataset;
import org.nettricks.data.Normalization;
import org.nettricks.data.Splits;
import org.nettricks.init.GlorotUniform;
import org.nettricks.io.Json;
import org.nettricks.model.Classifier;
import org.nettricks.network.Architecture;
import org.nettricks.network.Network;
import org.nettricks.optim.Sgd;
import org.nettricks.tensor.Backend;

/**
 * Runs a {@link Recipe} from data to a trained, test-evaluated {@link Classifier}: the lecture's
 * train / validation / test protocol.
 *
 * <p>Randomness: one {@link SplittableRandom} seeded with {@link Recipe#seed()} is split, in this
 * order, into the generators for the data splits, the weight initialization and the shuffling,
 * so the same recipe gives the same run on the same backend and thread count.
 */
public final class Experiment {
    private final Recipe recipe;
    private final Dataset train;
    private final Dataset validation;
    private final Dataset test;
    private final Normalization normalization;
    private final Network network;
    private final SplittableRandom shuffling;

    private Experiment(Recipe recipe, Dataset train, Dataset validation, Dataset test, Normalization normalization,
                       Network network, SplittableRandom shuffling) {
        this.recipe = recipe;
        this.train = train;
        this.validation = validation;
        this.test = test;
        this.normalization = normalization;
        this.network = network;
        this.shuffling = shuffling;
    }

    /** What a finished run produced. */
    public record Result(Classifier model, List<EpochReport> epochs, Evaluation test, double trainingSeconds,
                         double examplesPerSecond) {
    }

    /** Loads and splits the data, fits the normalization and builds the initialized network. */
    public static Experiment prepare(Recipe recipe, Backend backend) {
        SplittableRandom root = new SplittableRandom(recipe.seed());
        SplittableRandom splitting = root.split();
        SplittableRandom init = root.split();
        SplittableRandom shuffling = root.split();

        DataSources.Loaded loaded = DataSources.loadForTraining(recipe.data(), recipe.labelColumn());
        Dataset all = loaded.train();
        Dataset test;
        if (recipe.testData() != null) {
            test = DataSources.loadTestData(recipe.testData(), recipe.labelColumn(), all.classNames(),
                    all.featureCount());
        } else if (loaded.test() != null) {
            test = loaded.test();
        } else {
            Splits.Split s = holdOut(all, recipe.testFraction(), splitting, "test split of " + all.source(),
                    "--test-fraction");
            all = s.kept();
            test = s.heldOut();
        }
        Dataset validation = null;
        if (recipe.validationFraction() > 0) {
            Splits.Split s = holdOut(all, recipe.validationFraction(), splitting,
                    "validation split of " + all.source(), "--validation-fraction");
            all = s.kept();
            validation = s.heldOut();
        }
        Normalization.Kind kind = recipe.normalization().equals("auto")
                ? (all.valueRange() != null ? Normalization.Kind.SCALE : Normalization.Kind.STANDARDIZE)
                : Normalization.Kind.parse(recipe.normalization());
        Normalization normalization = Normalization.fit(kind, all);
        Architecture arch = Architecture.of(all.featureCount(), recipe.hiddenSizes(), recipe.activation(),
                all.classCount());
        Network network = new Network(arch, recipe.precision(), backend);
        network.initialize(new GlorotUniform(), init);
        return new Experiment(recipe, normalization.apply(all), validation == null ? null : normalization.apply(validation),
                normalization.apply(test), normalization, network, shuffling);
    }

    private static Splits.Split holdOut(Dataset data, double fraction, SplittableRandom random, String name,
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
        Trainer trainer = new Trainer(new Sgd(recipe.learningRate()),
                new TrainingConfig(recipe.epochs(), recipe.batchSize()));
        List<EpochReport> epochs = trainer.fit(network, train, validation, shuffling, listener);
        double seconds = 0;
        for (EpochReport r : epochs) {
            seconds += r.seconds();
        }
        Evaluation testEvaluation = new Evaluator(network, test).evaluate();
        Map<String, String> provenance = new LinkedHashMap<>();
        provenance.put("nettricks_version", NetTricks.VERSION);
        provenance.put("seed", Long.toString(recipe.seed()));
        provenance.put("backend", network.backend().name() + " x" + network.backend().threads());
        provenance.put("recipe", Json.write(recipe.toMap()));
        Classifier model = new Classifier(network, normalization, train.classNames(), provenance);
        return new Result(model, epochs, testEvaluation, seconds, (double) train.size() * epochs.size() / seconds);
    }
}
