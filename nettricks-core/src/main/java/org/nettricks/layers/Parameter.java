package org.nettricks.layers;

import org.nettricks.layers.internal.ParameterAccess;
import org.nettricks.tensor.Matrix;

/**
 * A trained tensor and the gradient of the objective with respect to it.
 *
 * <p>The {@link Role} tells regularizers what they may touch: the lecture's L1 and L2 penalties
 * apply to weights only, never to biases or batch normalization's γ and β.
 *
 * <p>An optimizer does not overwrite the value: it writes the update into a second matrix and
 * commits it, which keeps the previous value, so that a training guard can take a diverged update
 * back without a copy. That double buffer is the library's plumbing (reached through
 * {@code org.nettricks.layers.internal.ParameterAccess}, in a package the module does not export);
 * an optimizer written outside the library writes its update into
 * {@code OptimizerState.updated(k)}.
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
    private final Matrix gradient;
    private Matrix value;
    private Matrix next;
    private boolean revertible;

    static {
        ParameterAccess.register(new ParameterAccess() {
            @Override
            public Matrix next(Parameter p) {
                return p.next();
            }

            @Override
            public void commit(Parameter p) {
                p.commit();
            }

            @Override
            public boolean revert(Parameter p) {
                return p.revert();
            }
        });
    }

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

    /** The current value. Read it through this method: an update replaces the matrix (see the class comment). */
    public Matrix value() {
        return value;
    }

    /**
     * The matrix an optimizer writes the updated value into; {@link #commit} then makes it the
     * value. Until it is written, it holds the value before the last commit.
     */
    private Matrix next() {
        if (next == null) {
            next = Matrix.zeros(value.rows(), value.cols(), value.precision());
        }
        return next;
    }

    /**
     * Makes {@link #next()} the value. The replaced value is kept, so that {@link #revert} can take
     * the update back without a copy: how training guards keep the last good parameters for free.
     */
    private void commit() {
        Matrix previous = value;
        value = next();
        next = previous;
        revertible = true;
    }

    /** Undoes the last commit, if there was one since the last revert; returns whether it did. */
    private boolean revert() {
        if (!revertible) {
            return false;
        }
        Matrix current = value;
        value = next;
        next = current;
        revertible = false;
        return true;
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
