package org.nettricks.optim;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nettricks.layers.Parameter;

/**
 * An update rule: an immutable record of its hyperparameters (β, ε, …) that creates its own
 * explicit, named state, in the style of optax's {@code GradientTransformation(init, update)}.
 *
 * <p>{@link #step} reads each parameter's value and gradient (already including any penalty and
 * clipping), writes the updated value into {@link OptimizerState#updated} and commits it, and updates the
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
     * @param state made by this optimizer's {@link #createState} for these parameters
     * @return false when an updated value was found NaN or infinite (checked in the same pass, by
     *         every rule except plain SGD on float32 parameters, whose update leaves the check to the
     *         training loop's divergence guard: the next step's loss and each epoch's end); the
     *         update is committed either way, and the guard takes it back
     * @throws IllegalArgumentException when the state was made by another kind of optimizer
     */
    default boolean step(List<Parameter> parameters, OptimizerState state, double learningRate) {
        return state.step(this, parameters, learningRate);
    }

    /** The name used on the command line and in model files. */
    String name();

    /**
     * The hyperparameters by name, e.g. {@code beta1} → 0.9: the components of the record that
     * implements the rule (empty for rules that are not records). Saved with the state, so that a
     * state is never read back into a rule with other constants.
     */
    default Map<String, Double> hyperparameters() {
        Map<String, Double> out = new LinkedHashMap<>();
        if (getClass().isRecord()) {
            for (RecordComponent c : getClass().getRecordComponents()) {
                try {
                    Object v = c.getAccessor().invoke(this);
                    if (v instanceof Number n) {
                        out.put(c.getName(), n.doubleValue());
                    }
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + c.getName() + " of " + name(), e);
                }
            }
        }
        return out;
    }
}
