package org.nettricks.init;

import java.util.random.RandomGenerator;

import org.nettricks.tensor.Matrix;

/**
 * The lecture's initialization recipe (Glorot &amp; Bengio, 2010):
 * <pre>
 * W(k)_ij ~ U[−b, b],   b = √6 / √(H_k + H_{k−1})
 * </pre>
 * where H_{k−1} is the layer's number of inputs and H_k its number of outputs. Biases are set to
 * 0 by {@link org.nettricks.network.Network#initialize}. Sampling around 0 breaks the symmetry
 * between hidden units. An optional gain multiplies b (1 by default; the debugging chapter's
 * "scale down the initialization" is a gain below 1).
 */
public record GlorotUniform(double gain) implements Initializer {

    /** The recipe as published: gain 1. */
    public GlorotUniform() {
        this(1.0);
    }

    public GlorotUniform {
        if (!(gain > 0) || !Double.isFinite(gain)) {
            throw new IllegalArgumentException("init gain must be a finite number > 0, got " + gain);
        }
    }

    /** b = √6 / √(fanIn + fanOut). */
    public static double bound(int fanIn, int fanOut) {
        return Math.sqrt(6.0) / Math.sqrt((double) fanIn + fanOut); // in double: two huge fans overflow an int
    }

    @Override
    public void initialize(Matrix weight, RandomGenerator random) {
        double b = gain * bound(weight.cols(), weight.rows());
        for (int i = 0; i < weight.size(); i++) {
            weight.setFlat(i, -b + 2.0 * b * random.nextDouble());
        }
    }

    @Override
    public String name() {
        return "glorot";
    }
}
