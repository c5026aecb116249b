package org.nettricks.network;

import org.nettricks.activations.Activation;

/**
 * One hidden layer k of an {@link Architecture}: its size H_k, its activation g, whether its
 * pre-activations are batch-normalized, and the probability that dropout removes each of its units.
 *
 * @param dropout drop probability p in [0, 1); 0 for none
 */
public record HiddenLayer(int size, Activation activation, boolean batchNorm, double dropout) {
    public HiddenLayer {
        if (size < 1) {
            throw new IllegalArgumentException("hidden layer size must be at least 1, got " + size);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + dropout);
        }
    }

    /** A plain layer: no batch normalization, no dropout. */
    public static HiddenLayer of(int size, Activation activation) {
        return new HiddenLayer(size, activation, false, 0.0);
    }
}
