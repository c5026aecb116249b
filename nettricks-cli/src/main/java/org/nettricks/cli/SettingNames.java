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

    /** Each message {@linkplain #asFlags as flags}. */
    static List<String> asFlags(List<String> messages) {
        return messages.stream().map(SettingNames::asFlags).toList();
    }
}
