package org.nettricks.layers;

import java.util.List;

import org.nettricks.tensor.Matrix;

/**
 * One stage of a feed-forward network.
 *
 * <p>Contract: {@link #forward} caches exactly what {@link #backward} needs; {@code backward}
 * must follow a {@code forward} on the same batch, stores the gradients of this layer's
 * parameters (overwriting those of the previous batch) and returns the gradient with respect to
 * the layer's input. Returned matrices are workspaces owned by the layer, valid until the next
 * call with the same batch size.
 */
public interface Layer {
    int inputSize();

    int outputSize();

    /** Computes the layer's output for a batch (rows are examples). */
    Matrix forward(Matrix input, Mode mode);

    /**
     * Backpropagates {@code gradOutput} = ∂L/∂output.
     *
     * @param needInputGradient false for the first layer, whose input gradient nobody uses
     * @return ∂L/∂input, or null when not requested
     */
    Matrix backward(Matrix gradOutput, boolean needInputGradient);

    /** The trained tensors, in a fixed order. */
    List<Parameter> parameters();
}
