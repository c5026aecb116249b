package org.nettricks.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Parsing of the recipe's closed families by the names they give themselves. */
final class Names {
    private Names() {
    }

    /**
     * The constant of {@code family} whose name is {@code text} (case-insensitive).
     *
     * @throws RecipeException naming {@code key} and the allowed names
     */
    static <E extends Enum<E>> E parse(Class<E> family, Function<E, String> name, String key, String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (E e : family.getEnumConstants()) {
            if (name.apply(e).equals(wanted)) {
                return e;
            }
        }
        throw new RecipeException(key, "must be one of " + Arrays.stream(family.getEnumConstants()).map(name)
                .collect(Collectors.joining(", ")) + ", got '" + text + "'");
    }
}
