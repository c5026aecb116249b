package org.nettricks.cli;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns the library's names of settings into flag names. The library writes a setting in its
 * messages as its recipe key in backquotes ({@code `clip-norm`}, {@code `lr`}), because a library
 * user may set it from Java or a recipe file; on the command line it is the flag
 * {@code --clip-norm}.
 */
final class SettingNames {
    private static final Pattern KEY = Pattern.compile("`([a-z][a-z0-9-]*)`");

    private SettingNames() {
    }

    /** {@code message} with every {@code `key`} written as {@code --key}. */
    static String asFlags(String message) {
        return message == null ? null : KEY.matcher(message).replaceAll("--$1");
    }

    /**
     * {@code message} {@linkplain #asFlags as flags}, except that a message whose subject (its start)
     * is a setting read from a recipe file names the file, line and key instead
     * ({@code r.yaml line 2: test-data t.csv: no such file}): the value to fix is there, not on the
     * command line.
     */
    static String asFlags(String message, java.util.Map<String, org.nettricks.config.RecipeSettings.Setting> settings) {
        if (message == null) {
            return null;
        }
        java.util.regex.Matcher subject = KEY.matcher(message);
        if (subject.lookingAt()) {
            org.nettricks.config.RecipeSettings.Setting s = settings.get(subject.group(1));
            if (s != null && s.origin() == org.nettricks.config.RecipeSettings.Origin.FILE) {
                return s.label() + asFlags(message.substring(subject.end()));
            }
        }
        return asFlags(message);
    }

    /** Each message {@linkplain #asFlags as flags}. */
    static List<String> asFlags(List<String> messages) {
        return messages.stream().map(SettingNames::asFlags).toList();
    }
}
