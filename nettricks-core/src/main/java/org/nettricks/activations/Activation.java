package org.nettricks.activations;

import java.util.Locale;

/**
 * The hidden-unit activation functions g of the lecture, h = g(a), applied elementwise.
 *
 * <p>A closed family: an enum rather than a sealed interface so that backends can select a tight,
 * JIT-vectorizable loop per function with one {@code switch} outside the loop. The scalar
 * {@link #apply} and {@link #derivative} below are the reference definitions; backends must agree
 * with them (the tests check this), and a backend computes an activation it has no loop for
 * through them, element by element. Adding an activation is one constant here; a fused float32
 * loop in {@code JavaBackend} is an optional speed-up.
 */
public enum Activation {
    /** g(a) = a. Performs no squashing; g'(a) = 1. */
    LINEAR {
        @Override
        public double apply(double a) {
            return a;
        }

        @Override
        public double derivative(double a, double h) {
            return 1.0;
        }
    },
    /** g(a) = sigm(a) = 1 / (1 + exp(−a)), in (0, 1); g'(a) = g(a)(1 − g(a)). */
    SIGMOID {
        @Override
        public double apply(double a) {
            return 1.0 / (1.0 + Math.exp(-a));
        }

        @Override
        public double derivative(double a, double h) {
            return h * (1.0 - h);
        }
    },
    /** g(a) = tanh(a) = (exp(2a) − 1) / (exp(2a) + 1), in (−1, 1); g'(a) = 1 − g(a)². */
    TANH {
        @Override
        public double apply(double a) {
            return Math.tanh(a);
        }

        @Override
        public double derivative(double a, double h) {
            return 1.0 - h * h;
        }
    },
    /**
     * g(a) = reclin(a) = max(0, a); g'(a) = 1 for a &gt; 0 and 0 otherwise (the subgradient 0 is
     * taken at the kink a = 0, as PyTorch does).
     */
    RELU {
        @Override
        public double apply(double a) {
            return a > 0 ? a : 0.0;
        }

        @Override
        public double derivative(double a, double h) {
            return a > 0 ? 1.0 : 0.0;
        }
    };

    /** g(a). */
    public abstract double apply(double a);

    /** g'(a), given both the pre-activation a and the activation h = g(a) (whichever is cheaper). */
    public abstract double derivative(double a, double h);

    /** The lower-case name used on the command line and in model files. */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The display names of every activation, in order, e.g. {@code linear, sigmoid, tanh, relu}. */
    public static String names(String separator) {
        return java.util.Arrays.stream(values()).map(Activation::displayName)
                .collect(java.util.stream.Collectors.joining(separator));
    }

    /** Parses a {@link #displayName()}: {@code linear}, {@code sigmoid}, {@code tanh}, {@code relu}, … */
    public static Activation parse(String name) {
        for (Activation g : values()) {
            if (g.displayName().equals(name)) {
                return g;
            }
        }
        throw new IllegalArgumentException("activation must be one of " + names(", ") + "; got '" + name + "'");
    }
}
