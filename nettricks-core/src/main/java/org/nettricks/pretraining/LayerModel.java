package org.nettricks.pretraining;

import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Matrix;
import org.nettricks.training.TrainingState;

/**
 * A one-hidden-layer model trained without labels: an autoencoder or a restricted Boltzmann
 * machine. Its encoder weights W [hidden, visible] and hidden biases b become one layer of the
 * network; its other parameters are discarded after pre-training.
 */
public interface LayerModel {
    /**
     * One training step's gradient on a batch of inputs: fills every parameter's gradient (for an
     * RBM, the contrastive-divergence estimate of the negative log-likelihood's gradient) and
     * returns the batch's mean reconstruction error.
     */
    double gradients(Matrix inputs, RandomGenerator random);

    /** Mean reconstruction error on a batch, deterministic (no corruption, mean-field). */
    double reconstructionError(Matrix inputs);

    /** h = g(W x + b) for a batch: the layer's features, input to the next layer. */
    Matrix encode(Matrix inputs);

    /** All trained tensors (L1/L2 apply to the weight matrices only). */
    List<Parameter> parameters();

    /** W, shape [hidden, visible]. */
    Parameter weight();

    /** b, shape [1, hidden]. */
    Parameter hiddenBias();

    /**
     * Writes what training keeps besides the parameters (an RBM's persistent chain) into a
     * checkpoint; nothing by default.
     */
    default void saveState(TrainingState state) {
    }

    /**
     * Reads back what {@link #saveState} wrote, when pre-training resumes; nothing by default.
     *
     * @throws org.nettricks.InvalidInputException when an entry is missing or does not fit
     */
    default void restoreState(TrainingState state) {
    }
}
