package org.nettricks.cli;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.nettricks.config.RecipeFile;
import org.nettricks.config.Recipe;
import org.nettricks.config.RecipeSettings;

/**
 * The recipe flags shared by every command that builds a network ({@code train}, {@code gradcheck},
 * {@code diagnose}): one flag per {@link RecipeSettings#KEYS} entry, plus {@code --recipe FILE},
 * whose settings the flags override.
 */
final class RecipeArguments {
    private RecipeArguments() {
    }

    /** Flags and the recipe they describe. */
    record Parsed(Flags flags, Recipe recipe) {
    }

    /**
     * Parses {@code args}; {@code valued} and {@code switches} are the command's own extra flags.
     * With {@code --help} the recipe is null.
     */
    static Parsed parse(String command, String[] args, Set<String> valued, Set<String> switches) {
        Set<String> allValued = new HashSet<>(valued);
        Set<String> allSwitches = new HashSet<>(switches);
        allValued.add("--recipe");
        allSwitches.add("--help");
        for (RecipeSettings.Key k : RecipeSettings.KEYS) {
            (k.isSwitch() ? allSwitches : allValued).add("--" + k.name());
        }
        Flags flags = Flags.parse(command, args, allValued, allSwitches);
        if (flags.has("--help")) {
            return new Parsed(flags, null);
        }
        Map<String, RecipeSettings.Setting> settings = new LinkedHashMap<>();
        if (flags.has("--recipe")) {
            settings.putAll(RecipeFile.read(Path.of(flags.string("--recipe", null))));
        }
        for (RecipeSettings.Key k : RecipeSettings.KEYS) {
            if (flags.has("--" + k.name())) {
                settings.put(k.name(), RecipeSettings.Setting.flag(k.name(), flags.string("--" + k.name(), null)));
            }
        }
        return new Parsed(flags, RecipeSettings.parse(settings));
    }

    /** The help text of the recipe flags, grouped by section, generated from the one table of defaults. */
    static String help() {
        StringBuilder sb = new StringBuilder();
        String section = null;
        for (RecipeSettings.Key k : RecipeSettings.KEYS) {
            if (!k.section().equals(section)) {
                section = k.section();
                sb.append('\n').append(section).append(":\n");
            }
            String flag = "--" + k.name() + (k.isSwitch() ? "" : " " + k.name().toUpperCase(Locale.ROOT)
                    .replace("-", "_"));
            String text = k.help() + (k.defaultValue() == null || k.isSwitch() ? "" : " (default: " + k.defaultValue()
                    + ")");
            sb.append(wrap(String.format(Locale.ROOT, "  %-26s ", flag), text));
        }
        sb.append("\nbackend:\n").append(wrap(String.format(Locale.ROOT, "  %-26s ", "--backend B"),
                "auto (OpenBLAS when its native library loads, else the pure-Java backend), java or openblas;"
                + " a one-line notice on standard error says which is in use"));
        return sb.toString();
    }

    static String wrap(String head, String text) {
        StringBuilder sb = new StringBuilder(head);
        int col = head.length();
        String indent = " ".repeat(29);
        if (col > 29) {
            sb.setLength(head.stripTrailing().length());
            sb.append('\n').append(indent);
            col = 29;
        }
        boolean first = true;
        for (String word : text.split(" ")) {
            if (col + word.length() > 100 && col > indent.length()) {
                sb.append('\n').append(indent);
                col = indent.length();
            } else if (!first) {
                sb.append(' ');
                col++;
            }
            sb.append(word);
            col += word.length();
            first = false;
        }
        return sb + "\n";
    }
}
