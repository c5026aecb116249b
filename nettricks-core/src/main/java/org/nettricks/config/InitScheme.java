package org.nettricks.config;

import java.util.Locale;

import org.nettricks.init.GlorotUniform;
import org.nettricks.init.HeUniform;
import org.nettricks.init.Initializer;

/** The weight initialization of a recipe's {@code init} key. */
public enum InitScheme {
    /** U[-b, b], b = gain · sqrt(6 / (fan_in + fan_out)): Glorot and Bengio (2010). */
    GLOROT,
    /** U[-b, b], b = gain · sqrt(6 / fan_in), for ReLU: He et al. (2015). */
    HE;

    /** The name in recipes: {@code glorot} or {@code he}. */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return displayName();
    }

    /** The initializer, with the bound multiplied by {@code gain}. */
    public Initializer initializer(double gain) {
        return this == GLOROT ? new GlorotUniform(gain) : new HeUniform(gain);
    }

    /**
     * Parses {@code glorot} or {@code he}.
     *
     * @throws RecipeException naming the key {@code init} and the allowed names
     */
    public static InitScheme parse(String text) {
        return Names.parse(InitScheme.class, InitScheme::displayName, "init", text);
    }
}
