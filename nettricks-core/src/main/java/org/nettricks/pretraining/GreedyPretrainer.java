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
import org.nettricks.training.TrainingState;
import org.nettricks.layers.Parameter;

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
        return pretrain(network, train, validation, random, listener, null);
    }

    /**
     * As {@link #pretrain(Network, Dataset, Dataset, RandomGenerator, TrainingListener)}, writing
     * checkpoints and resuming from one, layer by layer: each layer trains on the {@link TrainingLoop}
     * with its own checkpointing, and each state the writer receives holds, besides the loop's
     * state of the layer in progress (its parameters, optimizer state, generator, position, callbacks,
     * an RBM's persistent chain), {@code pretraining.layers} (the hidden layer count),
     * {@code pretraining.layer} (the layer in progress, from 0), {@code pretraining.step_offset} (the
     * optimizer steps of the layers done) and every parameter of the layers done, under
     * {@code pretraining.done.<j>.}. The writer is called with the steps of the whole pre-training
     * (offset plus the layer's), which grow from layer to layer. A state written by this method
     * for the same network, data, settings and generator resumes to the same bits as the
     * uninterrupted pre-training: the layers done are rebuilt from their parameters (their
     * encodings of the inputs computed again, as the uninterrupted run computed them), the layer in
     * progress continues where it stopped, the later layers are initialized from the restored
     * generator.
     *
     * @param random        must be a {@link org.nettricks.random.SplitMix64} when checkpointing
     * @param checkpointing null for none; its {@code resumeFrom} a state written by this method
     * @throws org.nettricks.InvalidInputException when the state to resume from does not fit
     */
    public List<LayerModel> pretrain(Network network, Dataset train, Dataset validation, RandomGenerator random,
                                     TrainingListener listener, TrainingLoop.Checkpointing checkpointing) {
        List<LayerModel> models = new ArrayList<>();
        Matrix inputs = train.rows(0, train.size(), network.precision());
        Matrix validationInputs = validation == null ? null : validation.rows(0, validation.size(), network.precision());
        int hiddenLayers = hiddenLayers(network);
        TrainingState resume = checkpointing == null ? null : checkpointing.resumeFrom();
        int startLayer = resume == null ? 0 : layerOf(resume, hiddenLayers);
        long offset = resume == null ? 0 : offsetOf(resume);
        for (int k = 0; k < hiddenLayers; k++) {
            DenseLayer layer = network.denseLayers().get(k);
            LayerModel model = create(k, layer, inputs, network);
            if (k < startLayer) { // done before the checkpoint: its parameters are in it
                restoreDone(resume, k, model);
            } else {
                initializer.initialize(model.weight().value(), random);
                TrainingLoop.Checkpointing layerCheckpoints = null;
                long[] last = {0};
                if (checkpointing != null) {
                    TrainingState from = k == startLayer ? resume : null;
                    last[0] = from == null ? 0 : from.scope("loop").getLong("steps");
                    layerCheckpoints = layerCheckpointing(checkpointing, from, hiddenLayers, k, offset,
                            List.copyOf(models), last);
                }
                train(k, model, inputs, validationInputs, random, listener, layerCheckpoints);
                offset += last[0];
            }
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

    /**
     * Checks, without training and without touching {@code network}, that a state written by
     * {@link #pretrain(Network, Dataset, Dataset, RandomGenerator, TrainingListener,
     * TrainingLoop.Checkpointing)} fits a pre-training of {@code network} on {@code examples}
     * inputs: every entry the resumed run reads is read and checked, on throwaway layer models
     * (the inputs of the layer in progress are stood in for by zeros of their shape).
     *
     * @param hasValidation whether the run has validation inputs (early stopping is then on when
     *                      a patience is set)
     * @throws org.nettricks.InvalidInputException naming the checkpoint and the first entry that does not fit
     */
    public void verifyResume(Network network, int examples, boolean hasValidation, TrainingState state) {
        int hiddenLayers = hiddenLayers(network);
        int k = layerOf(state, hiddenLayers);
        offsetOf(state);
        for (int j = 0; j <= k; j++) {
            DenseLayer layer = network.denseLayers().get(j);
            LayerModel model = create(j, layer, Matrix.zeros(1, layer.inputSize(), network.precision()), network);
            if (j < k) {
                restoreDone(state, j, model);
            } else {
                Matrix zeros = Matrix.zeros(examples, layer.inputSize(), network.precision());
                loop(j, model, TrainingListener.NONE, hasValidation).verifyResume(
                        new LayerTask(model, zeros, null, batchSize), state);
            }
        }
    }

    /** The hidden layers, each a dense block: what pre-training trains. */
    private static int hiddenLayers(Network network) {
        if (network.denseLayers().size() != network.architecture().linearLayerCount()) {
            throw new IllegalArgumentException("pre-training needs every linear layer in a dense block (the standard"
                    + " stack, built fused); this network has " + network.denseLayers().size() + " dense blocks for "
                    + network.architecture().linearLayerCount() + " linear layers");
        }
        return network.denseLayers().size() - 1;
    }

    private static int layerOf(TrainingState state, int hiddenLayers) {
        TrainingState p = state.scope("pretraining");
        if (p.getLong("layers") != hiddenLayers) {
            throw p.bad("layers", "is " + p.getLong("layers") + ", but this network has " + hiddenLayers
                    + " hidden layers");
        }
        return p.getInt("layer", 0, hiddenLayers - 1);
    }

    private static long offsetOf(TrainingState state) {
        TrainingState p = state.scope("pretraining");
        long offset = p.getLong("step_offset");
        if (offset < 0) {
            throw p.bad("step_offset", "must be >= 0, got " + offset);
        }
        return offset;
    }

    private static void restoreDone(TrainingState state, int k, LayerModel model) {
        TrainingState done = state.scope("pretraining").scope("done." + k);
        for (Parameter q : model.parameters()) {
            done.copyTensor(q.name(), q.value());
        }
    }

    /** Layer k's checkpointing: the loop's state plus the pre-training's position and the layers done. */
    private static TrainingLoop.Checkpointing layerCheckpointing(TrainingLoop.Checkpointing whole, TrainingState from,
                                                                 int hiddenLayers, int k, long offset,
                                                                 List<LayerModel> done, long[] last) {
        return new TrainingLoop.Checkpointing(from, whole.everySteps(), new TrainingLoop.Writer() {
            @Override
            public void write(long steps, TrainingState s) {
                TrainingState p = s.scope("pretraining");
                p.putLong("layers", hiddenLayers);
                p.putLong("layer", k);
                p.putLong("step_offset", offset);
                for (int j = 0; j < done.size(); j++) {
                    TrainingState d = p.scope("done." + j);
                    for (Parameter q : done.get(j).parameters()) {
                        d.putTensor(q.name(), q.value());
                    }
                }
                last[0] = steps;
                whole.writer().write(offset + steps, s);
            }

            @Override
            public void finish() {
                whole.writer().finish(); // the layer's loop ends: its last checkpoint is complete
            }
        });
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
                       TrainingListener listener, TrainingLoop.Checkpointing checkpointing) {
        loop(k, model, listener, validationInputs != null).run(new LayerTask(model, inputs, validationInputs,
                batchSize), random, listener, null, checkpointing);
    }

    /** Layer k's loop and callbacks (see {@link #train}). */
    private TrainingLoop loop(int k, LayerModel model, TrainingListener listener, boolean hasValidation) {
        List<Callback> callbacks = new ArrayList<>();
        callbacks.add(new DivergenceGuard());
        callbacks.add(new Callback() {
            @Override
            public void onEpochEnd(TrainingRun run, EpochReport report) {
                listener.onPretrainingEpoch(k, report.epoch(), report.trainLoss(), report.validationLoss(),
                        report.seconds());
            }
        });
        if (config.patience() > 0 && hasValidation) {
            callbacks.add(new EarlyStopping(new EarlyStopping.Config(config.patience(), 0,
                    org.nettricks.evaluation.Metric.VAL_LOSS)));
        }
        callbacks.add(new ModelState(model));
        return new TrainingLoop(optimizer, new TrainingLoop.Settings(config.epochsOf(k), batchSize, true,
                config.learningRateOf(k), new LearningRateSchedule.Constant()), gradientChain, callbacks);
    }

    /** Checkpoints the layer model's own state (an RBM's persistent chain): {@link LayerModel#saveState}. */
    private static final class ModelState implements Callback {
        private final LayerModel model;

        ModelState(LayerModel model) {
            this.model = model;
        }

        @Override
        public void saveState(TrainingState state) {
            model.saveState(state);
        }

        @Override
        public void restoreState(TrainingState state, TrainingRun run) {
            model.restoreState(state);
        }
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
