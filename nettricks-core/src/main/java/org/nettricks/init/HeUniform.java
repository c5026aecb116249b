package org.nettricks.init;

import java.util.random.RandomGenerator;

import org.nettricks.tensor.Matrix;

/**
 * He initialization (He et al. 2015) for ReLU networks, uniform form (PyTorch's
 * {@code kaiming_uniform_} with gain √2):
 * <pre>
 * W(k)_ij ~ U[−b, b],   b = √6 / √H_{k−1}
 * </pre>
 * so that Var(W) = 2 / H_{k−1}: ReLU halves the variance of what passes through, and this doubles
 * it back, keeping activations from shrinking with depth.
 */
public record HeUniform(double gain) implements Initializer {

    /** The recipe as published: gain 1. */
    public HeUniform() {
        this(1.0);
    }

    public HeUniform {
        if (!(gain > 0) || !Double.isFinite(gain)) {
            throw new IllegalArgumentException("init gain must be a finite number > 0, got " + gain);
        }
    }

    /** b = √6 / √fanIn. */
    public static double bound(int fanIn) {
        return Math.sqrt(6.0 / fanIn);
    }

    @Override
    public void initialize(Matrix weight, RandomGenerator random) {
        double b = gain * bound(weight.cols());
        for (int i = 0; i < weight.size(); i++) {
            weight.setFlat(i, -b + 2.0 * b * random.nextDouble());
        }
    }

    @Override
    public String name() {
        return "he";
    }
}
