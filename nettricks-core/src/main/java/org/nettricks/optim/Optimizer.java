package org.nettricks.optim;

import java.util.List;

import org.nettricks.layers.Parameter;

/**
 * An update rule: an immutable record of its constants (β, ε, …) that creates its own explicit
 * state, in the style of optax's {@code GradientTransformation}.
 *
 * <p>{@link #step} reads each parameter's value and gradient (already including any penalty and
 * clipping), writes the updated value into {@link Parameter#next()} and commits it, and updates the
 * state in place; there is no call-order contract beyond "createState, then step". The learning
 * rate is an argument so that a schedule can vary it.
 */
public interface Optimizer {
    /** State for these parameters (velocities, moment estimates, step count), in its initial condition. */
    OptimizerState createState(List<Parameter> parameters);

    /**
     * One update of every parameter with learning rate α, in one pass over each parameter (split
     * across the threads the state {@linkplain OptimizerState#runOn runs on}).
     *
     * @return true when every updated value is finite (checked in the same pass); the update is
     *         committed either way, and {@link Parameter#revert} takes it back
     */
    boolean step(List<Parameter> parameters, OptimizerState state, double learningRate);

    /** The name used on the command line and in model files. */
    String name();

    /** Parses an optimizer name with the given constants (those it does not use are ignored). */
    static Optimizer create(String name, double momentum, double beta1, double beta2, double epsilon) {
        return switch (name) {
            case "sgd" -> new Sgd();
            case "momentum" -> new Momentum(momentum);
            case "nesterov" -> new Nesterov(momentum);
            case "adagrad" -> new Adagrad(epsilon);
            case "rmsprop" -> new RmsProp(beta2, epsilon);
            case "adam" -> new Adam(beta1, beta2, epsilon);
            default -> throw new IllegalArgumentException(
                    "optimizer must be one of sgd, momentum, nesterov, adagrad, rmsprop, adam; got '" + name + "'");
        };
    }
}
