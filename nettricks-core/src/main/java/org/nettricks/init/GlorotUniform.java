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
 * between hidden units.
 */
public record GlorotUniform() implements Initializer {

    /** b = √6 / √(fanIn + fanOut). */
    public static double bound(int fanIn, int fanOut) {
        return Math.sqrt(6.0) / Math.sqrt(fanIn + fanOut);
    }

    @Override
    public void initialize(Matrix weight, RandomGenerator random) {
        double b = bound(weight.cols(), weight.rows());
        for (int i = 0; i < weight.size(); i++) {
            weight.setFlat(i, -b + 2.0 * b * random.nextDouble());
        }
    }

    @Override
    public String name() {
        return "glorot";
    }
}
