package org.nettricks.optim;

import java.util.List;

import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Backend;

/**
 * An update rule: an immutable record of hyperparameters that creates its own explicit state.
 *
 * <p>{@link #step} reads each parameter's gradient and updates its value (and the state) in place;
 * nothing else is touched and there is no call-order contract beyond "createState, then step".
 */
public interface Optimizer {
    /** State for these parameters (moment estimates, step count), in its initial condition. */
    OptimizerState createState(List<Parameter> parameters);

    /** One update θ ← θ + α Δ from the gradients currently stored in the parameters. */
    void step(List<Parameter> parameters, OptimizerState state, Backend backend);

    /** The name used on the command line and in model files. */
    String name();
}
