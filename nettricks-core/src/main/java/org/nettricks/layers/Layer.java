package org.nettricks.layers;

import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.activations.Activation;
import org.nettricks.init.Initializer;
import org.nettricks.tensor.Matrix;

/**
 * One stage of a feed-forward network, as a module of PyTorch's {@code nn.Sequential}: a network
 * is a list of layers, each owning its parameters (trained) and buffers (saved, never trained).
 *
 * <p>Contract: {@link #forward} caches exactly what {@link #backward} needs; {@code backward}
 * must follow a {@link Mode#TRAIN} {@code forward} on the same batch, stores the gradients of this
 * layer's parameters (overwriting those of the previous batch) and returns the gradient with respect
 * to the layer's input. Inputs are rows of examples: [batch, {@link #inputSize()}] in,
 * [batch, {@link #outputSize()}] out. Returned matrices are workspaces owned by the layer (one set
 * per batch size, so a training step allocates nothing), valid until the next call with the same
 * batch size; a layer may return its input itself (dropout in {@link Mode#EVAL}) or modify
 * {@code gradOutput} in place (dropout's backward).
 */
public interface Layer {
    /** Columns of the input. */
    int inputSize();

    /** Columns of the output. */
    int outputSize();

    /**
     * Computes the layer's output for a batch (rows are examples).
     *
     * @param mode   {@link Mode#TRAIN} for a training step (backward may follow; batch statistics,
     *               fresh dropout masks), {@link Mode#EVAL} for inference
     * @param random draws the random choices of {@link Mode#TRAIN} (dropout masks); may be null for
     *               layers that draw nothing, and in {@link Mode#EVAL}
     * @throws IllegalArgumentException when the input does not have {@link #inputSize()} columns
     */
    Matrix forward(Matrix input, Mode mode, RandomGenerator random);

    /** {@link #forward(Matrix, Mode, RandomGenerator)} without a random generator (inference). */
    default Matrix forward(Matrix input, Mode mode) {
        return forward(input, mode, null);
    }

    /**
     * Backpropagates {@code gradOutput} = ∂L/∂output.
     *
     * @param needInputGradient false for the first layer with parameters, whose input gradient
     *                          nobody uses (it saves a matrix product)
     * @return ∂L/∂input, or null when not requested
     * @throws IllegalStateException when no {@link Mode#TRAIN} forward on a batch of this size came before
     */
    Matrix backward(Matrix gradOutput, boolean needInputGradient);

    /** The trained tensors, in a fixed order (the order of the model file and the optimizer state). */
    List<Parameter> parameters();

    /** The saved but untrained tensors (batch normalization's population statistics); none by default. */
    default List<Buffer> buffers() {
        return List.of();
    }

    /**
     * Sets the parameters and buffers to their starting values: weight matrices drawn by
     * {@code initializer} from {@code random} (row-major), biases and β 0, γ 1, running mean 0 and
     * running variance 1. Layers without weights draw nothing, so a network's initialization is the
     * same sequence of draws however its layers are grouped.
     */
    default void initialize(Initializer initializer, RandomGenerator random) {
    }

    /**
     * The nonlinearity g this layer applies, or null when it applies none (linear maps, batch
     * normalization, dropout): with {@link #lastActivationInput()}, what saturation diagnostics read.
     */
    default Activation activation() {
        return null;
    }

    /**
     * The values fed into g in the last {@link Mode#TRAIN} forward (the pre-activations,
     * batch-normalized when the layer normalizes), a workspace valid until the next forward on the
     * same batch size; null when the layer applies no g, before any forward, and after an
     * {@link Mode#EVAL} pass (which may apply g in place and keep only its result).
     */
    default Matrix lastActivationInput() {
        return null;
    }
}
