package org.nettricks.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.nettricks.config.RecipeFile;
import org.nettricks.config.RecipeSettings;

/**
 * The recipe flags shared by every command that builds a network ({@code train}, {@code gradcheck},
 * {@code diagnose}, {@code bench}, {@code pretrain}): one flag per {@link RecipeSettings#KEYS} entry,
 * generated from that one table, plus {@code --recipe FILE}, whose settings the flags override.
 */
final class RecipeArguments {
    private RecipeArguments() {
    }

    /** {@code --recipe FILE}, then one flag per recipe key, under the key's section. */
    static List<Flag> flags() {
        List<Flag> flags = new ArrayList<>();
        flags.add(Flag.value("recipe", "--recipe", "FILE", "read settings from a JSON or YAML recipe file; the flags"
                + " below override it"));
        for (RecipeSettings.Key k : RecipeSettings.KEYS) {
            String help = k.help() + (k.defaultValue() == null || k.isSwitch() ? "" : " (default: " + k.defaultValue()
                    + ")");
            String name = "--" + k.name();
            flags.add(k.isSwitch() ? Flag.toggle(k.section(), name, help)
                    : Flag.value(k.section(), name, k.name().toUpperCase(Locale.ROOT).replace('-', '_'), help));
        }
        return flags;
    }

    /**
     * The settings the flags describe, each knowing where it came from (a flag, or a file and line):
     * the file's, overridden by the flags given; {@link RecipeSettings#parse} makes them a recipe.
     */
    static Map<String, RecipeSettings.Setting> settings(Flags flags) {
        Map<String, RecipeSettings.Setting> settings = new LinkedHashMap<>();
        if (flags.has("--recipe")) {
            settings.putAll(RecipeFile.read(Path.of(flags.string("--recipe", null))));
        }
        for (RecipeSettings.Key k : RecipeSettings.KEYS) {
            if (flags.has("--" + k.name())) {
                String value = k.isSwitch() ? "true" : flags.string("--" + k.name(), null);
                settings.put(k.name(), RecipeSettings.Setting.flag(k.name(), value));
            }
        }
        return settings;
    }
}
