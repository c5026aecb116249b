package org.nettricks.layers;

import org.nettricks.tensor.Matrix;

/**
 * A trained tensor and the gradient of the objective with respect to it.
 *
 * <p>The {@link Role} tells regularizers what they may touch: the lecture's L1 and L2 penalties
 * apply to weights only, never to biases or batch normalization's γ and β.
 */
public final class Parameter {
    /** What a parameter is, for the transforms that treat kinds differently. */
    public enum Role {
        /** A connection weight matrix W(k); penalized by L1/L2. */
        WEIGHT,
        /** A bias vector b(k); never penalized. */
        BIAS,
        /** Batch normalization's learned scale γ; never penalized. */
        BATCH_NORM_SCALE,
        /** Batch normalization's learned shift β; never penalized. */
        BATCH_NORM_SHIFT
    }

    private final String name;
    private final Role role;
    private final Matrix value;
    private final Matrix gradient;

    public Parameter(String name, Role role, Matrix value) {
        this.name = name;
        this.role = role;
        this.value = value;
        this.gradient = Matrix.zeros(value.rows(), value.cols(), value.precision());
    }

    /** The name used in model files, PyTorch style: {@code layers.0.weight}. */
    public String name() {
        return name;
    }

    public Role role() {
        return role;
    }

    /** True for the tensors that L1/L2 penalties apply to: connection weights only. */
    public boolean isPenalized() {
        return role == Role.WEIGHT;
    }

    /** True for tensors stored as vectors (shape [n]) rather than matrices. */
    public boolean isVector() {
        return role != Role.WEIGHT;
    }

    /** The current value, updated in place by optimizers. */
    public Matrix value() {
        return value;
    }

    /** The gradient of the last backward pass, same shape as {@link #value()}. */
    public Matrix gradient() {
        return gradient;
    }

    @Override
    public String toString() {
        return name + " " + value.describe();
    }
}
