package org.nettricks.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nettricks.activations.Activation;
import org.nettricks.tensor.Precision;

/**
 * Everything that defines a training run, as small per-concept records. Built from command-line
 * flags and recipe files by {@link RecipeSettings}, which holds every default in one table.
 */
public record Recipe(DataPart data, NetworkPart network, OptimizerPart optimizer, RegularizationPart regularization,
                     PretrainingPart pretraining, int batchSize, int epochs, long seed, Precision precision) {

    /**
     * Greedy layer-wise unsupervised pre-training before the supervised training (fine-tuning).
     *
     * @param method        none, ae, dae or rbm
     * @param epochs        epochs per hidden layer (one value, or one per layer)
     * @param learningRates learning rates per hidden layer (one value, or one per layer)
     * @param onAll         pre-train on all training inputs, not only the labelled ones kept by train-limit
     * @param noise         dae: masking or gaussian
     * @param corruption    dae: the masking probability or the Gaussian σ
     * @param tied          autoencoders: decoder weights Wᵀ
     * @param cdK           rbm: Gibbs steps
     * @param persistent    rbm: persistent contrastive divergence
     * @param patience      early stopping on the validation reconstruction error, 0 for none
     */
    public record PretrainingPart(String method, List<Integer> epochs, List<Double> learningRates, boolean onAll,
                                  String noise, double corruption, boolean tied, int cdK, boolean persistent,
                                  int patience) {
        public PretrainingPart {
            epochs = List.copyOf(epochs);
            learningRates = List.copyOf(learningRates);
        }

        public boolean enabled() {
            return !method.equals("none");
        }
    }

    /**
     * Where the examples come from and how they are prepared.
     *
     * @param source             {@code digits}, {@code fashion-mnist}, an IDX directory or a CSV file
     * @param testData           a separate labelled test set, or null: the source's own (IDX), else a
     *                           held-out {@code testFraction}
     * @param labelColumn        CSV label column by name or index; null: {@code label}, else the last
     * @param validationFraction share of the training examples held out for validation, in [0, 1)
     * @param testFraction       share held out as the test set when there is none, in (0, 1)
     * @param normalization      {@code auto}, {@code scale}, {@code standardize} or {@code none}
     * @param trainLimit         use only the first this many training examples (after the splits), 0 for all
     * @param splitSeed          the seed of the validation and test splits (the run's seed unless set:
     *                           a search keeps one split for all its trials)
     */
    public record DataPart(String source, String testData, String labelColumn, double validationFraction,
                           double testFraction, String normalization, int trainLimit, long splitSeed) {
    }

    /**
     * The network: hidden layer sizes, their activation, batch normalization, dropout, initialization.
     *
     * @param dropout      drop probability per hidden layer (one value for all, or one per layer)
     * @param inputDropout drop probability of the inputs
     * @param init         {@code glorot} or {@code he}
     * @param initGain     multiplies the initialization bound
     */
    public record NetworkPart(List<Integer> hidden, Activation activation, boolean batchNorm, List<Double> dropout,
                              double inputDropout, String init, double initGain) {
        public NetworkPart {
            hidden = List.copyOf(hidden);
            dropout = List.copyOf(dropout);
        }

        /** The drop probability of hidden layer k (0-based). */
        public double dropoutOf(int k) {
            if (dropout.isEmpty()) {
                return 0.0;
            }
            return dropout.size() == 1 ? dropout.get(0) : dropout.get(k);
        }
    }

    /**
     * The update rule and its constants.
     *
     * @param name     sgd, momentum, nesterov, adagrad, rmsprop or adam
     * @param schedule as parsed by {@link org.nettricks.optim.LearningRateSchedule#parse}
     */
    public record OptimizerPart(String name, double learningRate, double momentum, double beta1, double beta2,
                                double epsilon, String schedule) {
    }

    /**
     * Regularization and stopping.
     *
     * @param clipNorm     global gradient norm limit, 0 for none
     * @param patience     early-stopping patience in epochs, 0 for no early stopping
     * @param monitor      {@code val-error} or {@code val-loss}
     * @param bnStatistics {@code final-pass} or {@code running}
     */
    public record RegularizationPart(double l1, double l2, double clipNorm, int patience, double minDelta,
                                     String monitor, String bnStatistics) {
    }

    /** The recipe as a JSON-ready map with the keys of recipe files, saved with every model. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", data.source());
        m.put("test-data", data.testData());
        m.put("label", data.labelColumn());
        m.put("validation-fraction", data.validationFraction());
        m.put("test-fraction", data.testFraction());
        m.put("normalize", data.normalization());
        m.put("train-limit", data.trainLimit());
        m.put("split-seed", data.splitSeed());
        m.put("hidden", network.hidden());
        m.put("activation", network.activation().displayName());
        m.put("batch-norm", network.batchNorm());
        m.put("dropout", network.dropout());
        m.put("input-dropout", network.inputDropout());
        m.put("init", network.init());
        m.put("init-gain", network.initGain());
        m.put("optimizer", optimizer.name());
        m.put("lr", optimizer.learningRate());
        m.put("momentum", optimizer.momentum());
        m.put("beta1", optimizer.beta1());
        m.put("beta2", optimizer.beta2());
        m.put("epsilon", optimizer.epsilon());
        m.put("schedule", optimizer.schedule());
        m.put("l1", regularization.l1());
        m.put("l2", regularization.l2());
        m.put("clip-norm", regularization.clipNorm());
        m.put("patience", regularization.patience());
        m.put("min-delta", regularization.minDelta());
        m.put("monitor", regularization.monitor());
        m.put("bn-statistics", regularization.bnStatistics());
        m.put("pretrain", pretraining.method());
        if (pretraining.enabled()) {
            m.put("pretrain-epochs", pretraining.epochs());
            m.put("pretrain-lr", pretraining.learningRates());
            m.put("pretrain-on", pretraining.onAll() ? "all" : "labelled");
            m.put("noise", pretraining.noise());
            m.put("corruption", pretraining.corruption());
            m.put("tied", pretraining.tied());
            m.put("cd-k", pretraining.cdK());
            m.put("persistent", pretraining.persistent());
            m.put("pretrain-patience", pretraining.patience());
        }
        m.put("batch-size", batchSize);
        m.put("epochs", epochs);
        m.put("seed", seed);
        m.put("precision", precision.displayName());
        return m;
    }
}
