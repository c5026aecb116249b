package org.nettricks.pretraining;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.data.Dataset;
import org.nettricks.init.Initializer;
import org.nettricks.layers.DenseLayer;
import org.nettricks.network.Network;
import org.nettricks.optim.Optimizer;
import org.nettricks.optim.LearningRateSchedule;
import org.nettricks.regularization.GradientTransform;
import org.nettricks.tensor.Matrix;
import org.nettricks.training.Callback;
import org.nettricks.training.DivergenceGuard;
import org.nettricks.training.EarlyStopping;
import org.nettricks.training.EpochReport;
import org.nettricks.training.TrainingListener;
import org.nettricks.training.TrainingLoop;
import org.nettricks.training.TrainingRun;

/**
 * The lecture's greedy layer-wise pre-training: train one hidden layer at a time, first to last,
 * with an unsupervised criterion; the layers below are fixed and act as feature extraction (their
 * outputs on the training inputs are computed once per layer). The learned W(k) and b(k) are copied
 * into the network's hidden layers; the output layer is left to fine-tuning.
 */
public final class GreedyPretrainer {
    private final PretrainingConfig config;
    private final Optimizer optimizer;
    private final List<GradientTransform> gradientChain;
    private final int batchSize;
    private final Initializer initializer;

    /**
     * @param gradientChain applied to the gradients before each update, in order (e.g. the weight
     *                      penalty, then clipping)
     */
    public GreedyPretrainer(PretrainingConfig config, Optimizer optimizer, List<? extends GradientTransform> gradientChain,
                            int batchSize, Initializer initializer) {
        this.config = config;
        this.optimizer = optimizer;
        this.gradientChain = List.copyOf(gradientChain);
        this.batchSize = batchSize;
        this.initializer = initializer;
    }

    /**
     * Pre-trains every hidden layer of {@code network} on the inputs of {@code train} (labels
     * unused), watching the reconstruction error on {@code validation} (may be null).
     *
     * @return the trained layer models, first to last
     */
    public List<LayerModel> pretrain(Network network, Dataset train, Dataset validation, RandomGenerator random,
                                     TrainingListener listener) {
        List<LayerModel> models = new ArrayList<>();
        Matrix inputs = train.rows(0, train.size(), network.precision());
        Matrix validationInputs = validation == null ? null : validation.rows(0, validation.size(), network.precision());
        if (network.denseLayers().size() != network.architecture().linearLayerCount()) {
            throw new IllegalArgumentException("pre-training needs every linear layer in a dense block (the standard"
                    + " stack, built fused); this network has " + network.denseLayers().size() + " dense blocks for "
                    + network.architecture().linearLayerCount() + " linear layers");
        }
        int hiddenLayers = network.denseLayers().size() - 1;
        for (int k = 0; k < hiddenLayers; k++) {
            DenseLayer layer = network.denseLayers().get(k);
            LayerModel model = create(k, layer, inputs, network);
            initializer.initialize(model.weight().value(), random);
            train(k, model, inputs, validationInputs, random, listener);
            layer.weight().value().copyFrom(model.weight().value());
            if (layer.bias() != null) {
                layer.bias().value().copyFrom(model.hiddenBias().value());
            }
            models.add(model);
            if (k + 1 < hiddenLayers) {
                inputs = model.encode(inputs);
                validationInputs = validationInputs == null ? null : model.encode(validationInputs);
            }
        }
        return models;
    }

    private LayerModel create(int k, DenseLayer layer, Matrix inputs, Network network) {
        int visible = layer.inputSize();
        int hidden = layer.outputSize();
        boolean unitRange = inUnitRange(inputs);
        switch (config.method()) {
            case "rbm":
                if (layer.activation() != org.nettricks.activations.Activation.SIGMOID) {
                    throw new IllegalArgumentException("RBM pre-training needs sigmoid hidden units (binary units);"
                            + " hidden layer " + (k + 1) + " is " + layer.activation().displayName()
                            + ": use `activation` sigmoid or `pretrain` dae");
                }
                if (!unitRange) {
                    throw new IllegalArgumentException("RBM pre-training needs inputs in [0, 1] (binary visible units"
                            + " read as probabilities); scale them with `normalize` scale");
                }
                return new RestrictedBoltzmannMachine(visible, hidden, config.cdK(), config.persistent(),
                        network.precision(), network.backend(), k);
            case "dae":
                return new Autoencoder(visible, hidden, layer.activation(), config.tied(), unitRange,
                        config.corruption(), network.precision(), network.backend(), k);
            default:
                return new Autoencoder(visible, hidden, layer.activation(), config.tied(), unitRange,
                        Autoencoder.Corruption.NONE, network.precision(), network.backend(), k);
        }
    }

    /**
     * Trains one layer model on the training loop: full mini-batches (the remainder of each
     * shuffled epoch is left out), the gradient chain (weight penalty, clipping), the optimizer at
     * this layer's learning rate, the divergence guard, and early stopping on the validation
     * reconstruction error when a patience is set.
     */
    private void train(int k, LayerModel model, Matrix inputs, Matrix validationInputs, RandomGenerator random,
                       TrainingListener listener) {
        List<Callback> callbacks = new ArrayList<>();
        callbacks.add(new DivergenceGuard());
        callbacks.add(new Callback() {
            @Override
            public void onEpochEnd(TrainingRun run, EpochReport report) {
                listener.onPretrainingEpoch(k, report.epoch(), report.trainLoss(), report.validationLoss(),
                        report.seconds());
            }
        });
        if (config.patience() > 0 && validationInputs != null) {
            callbacks.add(new EarlyStopping(new EarlyStopping.Config(config.patience(), 0,
                    EarlyStopping.Monitor.VALIDATION_LOSS)));
        }
        TrainingLoop loop = new TrainingLoop(optimizer, new TrainingLoop.Settings(config.epochsOf(k), batchSize, true,
                config.learningRateOf(k), new LearningRateSchedule.Constant()), gradientChain, callbacks);
        loop.run(new LayerTask(model, inputs, validationInputs, batchSize), random, listener, null);
    }

    private static boolean inUnitRange(Matrix m) {
        for (int i = 0; i < m.size(); i++) {
            double v = m.getFlat(i);
            if (v < 0 || v > 1) {
                return false;
            }
        }
        return true;
    }
}
