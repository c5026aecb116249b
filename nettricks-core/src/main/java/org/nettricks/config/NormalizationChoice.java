package org.nettricks.config;

import java.util.Locale;

import org.nettricks.data.Normalization;

/** The input normalization of a recipe's {@code normalize} key: a scheme, or {@code auto}. */
public enum NormalizationChoice {
    /** Scale data of known range (pixels) to [0, 1], else standardize. */
    AUTO,
    NONE,
    SCALE,
    STANDARDIZE;

    /** The name in recipes: {@code auto}, {@code none}, {@code scale} or {@code standardize}. */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return displayName();
    }

    /** The scheme to fit, given whether the data's value range is known. */
    public Normalization.Kind kind(boolean rangeKnown) {
        return switch (this) {
            case AUTO -> rangeKnown ? Normalization.Kind.SCALE : Normalization.Kind.STANDARDIZE;
            case NONE -> Normalization.Kind.NONE;
            case SCALE -> Normalization.Kind.SCALE;
            case STANDARDIZE -> Normalization.Kind.STANDARDIZE;
        };
    }

    /**
     * Parses {@code auto}, {@code scale}, {@code standardize} or {@code none}.
     *
     * @throws RecipeException naming the key {@code normalize} and the allowed names
     */
    public static NormalizationChoice parse(String text) {
        return Names.parse(NormalizationChoice.class, NormalizationChoice::displayName, "normalize", text);
    }
}
