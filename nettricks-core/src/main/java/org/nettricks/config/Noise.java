package org.nettricks.config;

import java.util.Locale;

import org.nettricks.pretraining.Autoencoder;

/** How a denoising autoencoder corrupts its inputs: a recipe's {@code noise} key. */
public enum Noise {
    /** Each input set to 0 with probability {@code corruption}. */
    MASKING,
    /** Gaussian noise of standard deviation {@code corruption} added to each input. */
    GAUSSIAN;

    /** The name in recipes: {@code masking} or {@code gaussian}. */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return displayName();
    }

    /** The autoencoder's corruption of this kind at {@code level}. */
    public Autoencoder.Corruption corruption(double level) {
        return new Autoencoder.Corruption(this == MASKING ? Autoencoder.Corruption.Kind.MASKING
                : Autoencoder.Corruption.Kind.GAUSSIAN, level);
    }

    /**
     * Parses {@code masking} or {@code gaussian}.
     *
     * @throws RecipeException naming the key {@code noise} and the allowed names
     */
    public static Noise parse(String text) {
        return Names.parse(Noise.class, Noise::displayName, "noise", text);
    }
}
