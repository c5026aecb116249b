package org.nettricks.config;

import java.util.Locale;

/** The greedy layer-wise pre-training of a recipe's {@code pretrain} key. */
public enum PretrainingMethod {
    /** No pre-training. */
    NONE,
    /** Autoencoders. */
    AE,
    /** Denoising autoencoders. */
    DAE,
    /** Restricted Boltzmann machines trained with CD-k (needs sigmoid hidden units). */
    RBM;

    /** The name in recipes: {@code none}, {@code ae}, {@code dae} or {@code rbm}. */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return displayName();
    }

    /**
     * Parses {@code none}, {@code ae}, {@code dae} or {@code rbm}.
     *
     * @throws RecipeException naming the key {@code pretrain} and the allowed names
     */
    public static PretrainingMethod parse(String text) {
        return Names.parse(PretrainingMethod.class, PretrainingMethod::displayName, "pretrain", text);
    }
}
