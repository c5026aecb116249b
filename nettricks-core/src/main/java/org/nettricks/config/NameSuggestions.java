package org.nettricks.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * "Did you mean …?" for a mistyped name: a recipe key, a flag or a command. Names are compared
 * without leading dashes, without the separators {@code -} and {@code _}, and without case
 * ({@code --batchsize}, {@code batch_size} and {@code batchSize} are {@code batch-size}). In order:
 * <ol>
 *   <li>a name equal to the typed one so compared;</li>
 *   <li>a name other tools use for a NetTricks key ({@link #SYNONYMS}: {@code learning-rate} →
 *       {@code lr}, {@code weight-decay} → {@code l2}, {@code max_epochs} → {@code epochs}, …);</li>
 *   <li>the shortest name that the typed one begins ({@code --epoch} → {@code --epochs}), if at least
 *       2 characters were typed;</li>
 *   <li>the longest name (of at least 2 characters) that begins the typed one ({@code --lrr} →
 *       {@code --lr});</li>
 *   <li>the name at the smallest Damerau–Levenshtein distance (optimal string alignment:
 *       insertions, deletions, substitutions and transpositions of adjacent characters), if it is at
 *       most 1 + n/4 for n typed characters and less than n; ties go to a name with the same first
 *       character, then to the name closest in length, then to the earlier name.</li>
 * </ol>
 */
public final class NameSuggestions {
    /**
     * Names of settings in other tools (Keras, PyTorch Lightning, scikit-learn, XGBoost), compared as
     * above, and the NetTricks recipe key each stands for.
     */
    public static final Map<String, String> SYNONYMS = Map.ofEntries(
            Map.entry("learningrate", "lr"),
            Map.entry("weightdecay", "l2"),
            Map.entry("nepochs", "epochs"),
            Map.entry("maxepochs", "epochs"),
            Map.entry("numepochs", "epochs"),
            Map.entry("batch", "batch-size"),
            Map.entry("randomseed", "seed"),
            Map.entry("randomstate", "seed"));

    private NameSuggestions() {
    }

    /**
     * The name of {@code names} that {@code typed} most likely means, by the rules above; empty when
     * none is close enough.
     *
     * @param typed the name as written, with or without leading dashes
     * @param names the valid names, as they should be shown (e.g. {@code --epochs} or {@code epochs})
     */
    public static Optional<String> closest(String typed, Collection<String> names) {
        String t = normalized(typed);
        if (t.isEmpty()) {
            return Optional.empty();
        }
        for (String name : names) {
            if (normalized(name).equals(t)) {
                return Optional.of(name);
            }
        }
        String synonym = SYNONYMS.get(t);
        if (synonym != null) {
            for (String name : names) {
                if (normalized(name).equals(normalized(synonym))) {
                    return Optional.of(name);
                }
            }
        }
        String best = null;
        if (t.length() >= 2) {
            for (String name : names) {
                String n = normalized(name);
                if (n.startsWith(t) && (best == null || n.length() < normalized(best).length())) {
                    best = name;
                }
            }
        }
        if (best == null) {
            for (String name : names) {
                String n = normalized(name);
                if (n.length() >= 2 && t.startsWith(n) && (best == null || n.length() > normalized(best).length())) {
                    best = name;
                }
            }
        }
        if (best != null) {
            return Optional.of(best);
        }
        int bestDistance = Integer.MAX_VALUE;
        for (String name : names) {
            String n = normalized(name);
            int d = distance(t, n);
            if (d > 1 + t.length() / 4 || d >= t.length()) {
                continue;
            }
            if (best == null || d < bestDistance || (d == bestDistance && better(t, n, normalized(best)))) {
                best = name;
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** At equal distance: the same first character first, then the length closest to the typed one. */
    private static boolean better(String typed, String candidate, String current) {
        boolean a = candidate.charAt(0) == typed.charAt(0);
        boolean b = current.charAt(0) == typed.charAt(0);
        if (a != b) {
            return a;
        }
        return Math.abs(candidate.length() - typed.length()) < Math.abs(current.length() - typed.length());
    }

    /** The name as compared: no leading dashes, no {@code -} or {@code _}, lower case. */
    static String normalized(String name) {
        return name.replaceFirst("^-+", "").replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
    }

    /**
     * The Damerau–Levenshtein distance in its optimal-string-alignment form: the fewest insertions,
     * deletions, substitutions and transpositions of two adjacent characters that turn {@code a}
     * into {@code b}, no substring edited twice.
     */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
