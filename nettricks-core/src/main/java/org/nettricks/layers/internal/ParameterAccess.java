package org.nettricks.layers.internal;

import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Matrix;

/**
 * The double buffer of a {@link Parameter}, for the optimizers that write updates into it and the
 * training guard that takes an update back; not part of the API (the JDK's {@code SharedSecrets}
 * pattern). {@code Parameter} keeps {@code next}, {@code commit} and {@code revert} private and
 * registers the one implementation of this class in its static initializer; this package is not
 * exported, so only the library's own packages can reach them.
 */
public abstract class ParameterAccess {
    private static ParameterAccess instance;

    /** For {@code Parameter}'s own implementation only (registration is allowed once). */
    protected ParameterAccess() {
    }

    /**
     * Registers {@code Parameter}'s implementation; called once, from its static initializer.
     *
     * @throws IllegalStateException on a second call
     */
    public static synchronized void register(ParameterAccess access) {
        if (instance != null) {
            throw new IllegalStateException("the parameter access is registered already");
        }
        instance = access;
    }

    /** The implementation, initializing {@link Parameter} first if no parameter has been made yet. */
    public static ParameterAccess get() {
        ParameterAccess a = instance;
        if (a != null) {
            return a;
        }
        try {
            Class.forName(Parameter.class.getName(), true, Parameter.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        synchronized (ParameterAccess.class) {
            return instance;
        }
    }

    /**
     * The matrix an optimizer writes the updated value of {@code p} into; {@link #commit} then makes
     * it the value. Until it is written, it holds the value before the last commit. Made on the
     * first call.
     */
    public abstract Matrix next(Parameter p);

    /**
     * Makes {@link #next} the value of {@code p}. The replaced value is kept, so that
     * {@link #revert} can take the update back without a copy.
     */
    public abstract void commit(Parameter p);

    /** Undoes the last commit of {@code p}, if there was one since the last revert; returns whether it did. */
    public abstract boolean revert(Parameter p);
}
