package org.nettricks.layers;

import org.nettricks.tensor.Matrix;

/**
 * A tensor that belongs to the model but is not trained: saved in the model file, never touched
 * by an optimizer or a penalty (like PyTorch's {@code register_buffer}). Batch normalization's
 * population mean and variance are buffers.
 *
 * @param name  the name used in model files, e.g. {@code layers.0.bn.running_mean}
 * @param value a 1 × n row
 */
public record Buffer(String name, Matrix value) {
}
