package org.nettricks.init;

import java.util.random.RandomGenerator;

import org.nettricks.tensor.Matrix;

/** Draws initial values for a weight matrix of shape [fanOut, fanIn]. */
public interface Initializer {
    /** Fills {@code weight} in row-major order from {@code random}. */
    void initialize(Matrix weight, RandomGenerator random);

    /** The name used on the command line and in model files. */
    String name();

    /** {@code glorot} or {@code he}, with the bound multiplied by {@code gain}. */
    static Initializer parse(String name, double gain) {
        return switch (name) {
            case "glorot" -> new GlorotUniform(gain);
            case "he" -> new HeUniform(gain);
            default -> throw new IllegalArgumentException("init must be glorot or he, got '" + name + "'");
        };
    }
}
