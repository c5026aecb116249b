package org.nettricks.config;

/**
 * A recipe value that breaks a rule, naming the recipe key: {@code "lr must be in (0, ∞), got -3"}.
 * Thrown by the recipe's records, its families' {@code parse} methods and its builder; the command
 * line turns the key into where the value came from ({@code --lr}, or {@code r.yaml line 3: lr}).
 */
public final class RecipeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String problem;

    /**
     * @param key     the recipe key, e.g. {@code lr}
     * @param problem what is wrong, without the key: {@code "must be in (0, ∞), got -3"}; other keys
     *                in backquotes. A problem that says the fix itself ({@code "…; drop `class-weight`,
     *                or use `task` classification"}) gets no example value appended
     *                ({@link RecipeSettings#parse})
     */
    public RecipeException(String key, String problem) {
        super(key + " " + problem);
        this.key = key;
        this.problem = problem;
    }

    /** The recipe key whose value is wrong. */
    public String key() {
        return key;
    }

    /** What is wrong, without the key. */
    public String problem() {
        return problem;
    }
}
