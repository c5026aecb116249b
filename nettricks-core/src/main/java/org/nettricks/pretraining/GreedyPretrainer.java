package org.nettricks.pretraining;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.nettricks.data.Dataset;
import org.nettricks.data.Splits;
import org.nettricks.init.Initializer;
import org.nettricks.layers.DenseLayer;
import org.nettricks.layers.Parameter;
import org.nettricks.network.Network;
import org.nettricks.optim.Optimizer;
import org.nettricks.optim.OptimizerState;
import org.nettricks.regularization.WeightPenalty;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;
import org.nettricks.training.EarlyStopping;
import org.nettricks.training.TrainingListener;

/**
 * The lecture's greedy layer-wise pre-training: train one hidden layer at a time, first to last,
 * with an unsupervised criterion; the layers below are fixed and act as feature extraction (their
 * outputs on the training inputs are computed once per layer). The learned W(k) and b(k) are copied
 * into the network's hidden layers; the output layer is left to fine-tuning.
 */
public final class GreedyPretrainer {
    private final PretrainingConfig config;
    private final Optimizer optimizer;
    private final WeightPenalty penalty;
    private final int batchSize;
    private final Initializer initializer;

    public GreedyPretrainer(PretrainingConfig config, Optimizer optimizer, WeightPenalty penalty, int batchSize,
                            Initializer initializer) {
        this.config = config;
        this.optimizer = optimizer;
        this.penalty = penalty;
        this.batchSize = batchSize;
        this.initializer = initializer;
    }

    /**
     * Pre-trains every hidden layer of {@code network} on the inputs of {@code train} (labels
     * unused), watching the reconstruction error on {@code validation} (may be null).
     *
     * @return the trained layer models, first to last
     */
    public List<LayerModel> pretrain(Network network, Dataset train, Dataset validation, SplittableRandom random,
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
                            + ": use --activation sigmoid or --pretrain dae");
                }
                if (!unitRange) {
                    throw new IllegalArgumentException("RBM pre-training needs inputs in [0, 1] (binary visible units"
                            + " read as probabilities); scale them with --normalize scale");
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

    private void train(int k, LayerModel model, Matrix inputs, Matrix validationInputs, SplittableRandom random,
                       TrainingListener listener) {
        List<Parameter> parameters = model.parameters();
        OptimizerState state = optimizer.createState(parameters);
        EarlyStopping stopping = config.patience() > 0 && validationInputs != null
                ? new EarlyStopping(new EarlyStopping.Config(config.patience(), 0, EarlyStopping.Monitor.VALIDATION_LOSS))
                : null;
        List<Matrix> best = null;
        int n = inputs.rows();
        int d = inputs.cols();
        int b = Math.min(batchSize, n);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Matrix batch = Matrix.zeros(b, d, inputs.precision());
        for (int epoch = 1; epoch <= config.epochsOf(k); epoch++) {
            long started = System.nanoTime();
            Splits.shuffle(order, random);
            double sum = 0;
            for (int start = 0; start + b <= n; start += b) {
                for (int i = 0; i < b; i++) {
                    copyRow(inputs, order[start + i], batch, i);
                }
                sum += model.gradients(batch, random) * b;
                penalty.addGradient(parameters);
                optimizer.step(parameters, state, config.learningRateOf(k));
            }
            double trainError = sum / (n - n % b);
            double validationError = validationInputs == null ? Double.NaN
                    : model.reconstructionError(validationInputs);
            listener.onPretrainingEpoch(k, epoch, trainError, validationError, (System.nanoTime() - started) / 1e9);
            if (stopping != null) {
                if (stopping.update(epoch, validationError)) {
                    best = snapshot(parameters);
                }
                if (stopping.shouldStop()) {
                    break;
                }
            }
        }
        if (best != null) {
            for (int i = 0; i < parameters.size(); i++) {
                parameters.get(i).value().copyFrom(best.get(i));
            }
        }
    }

    private static List<Matrix> snapshot(List<Parameter> parameters) {
        List<Matrix> copies = new ArrayList<>();
        for (Parameter p : parameters) {
            copies.add(p.value().copy());
        }
        return copies;
    }

    private static void copyRow(Matrix from, int row, Matrix to, int toRow) {
        int d = from.cols();
        if (from.precision() == Precision.FLOAT32) {
            System.arraycopy(from.floats(), row * d, to.floats(), toRow * d, d);
        } else {
            System.arraycopy(from.doubles(), row * d, to.doubles(), toRow * d, d);
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
