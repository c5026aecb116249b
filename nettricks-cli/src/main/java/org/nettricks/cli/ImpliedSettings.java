package org.nettricks.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nettricks.InvalidInputException;
import org.nettricks.config.RecipeSettings;
import org.nettricks.experiment.Checkpoints;
import org.nettricks.experiment.Experiment;
import org.nettricks.io.internal.Json;
import org.nettricks.training.CheckpointDirectory;

/**
 * Settings a command line implies without giving them:
 * <ul>
 *   <li>{@code --resume DIR} ({@code train}, {@code pretrain}): every recipe setting not given (by a
 *       flag or the recipe file) is the recipe recorded in DIR's latest checkpoint, and {@code --backend}
 *       and {@code --threads}, when not given, are the checkpoint's; so that {@code train --resume DIR}
 *       alone continues the run. Settings given are compared with the checkpoint's as before: a
 *       difference is refused, naming the setting.</li>
 *   <li>{@code --init-from MODEL}: {@code hidden}, {@code activation} and {@code batch-norm}, when not
 *       given, are the model's ({@link Experiment#architectureSettings}); given ones must agree with
 *       it (refused otherwise, naming the setting).</li>
 * </ul>
 */
final class ImpliedSettings {
    private ImpliedSettings() {
    }

    /**
     * Adds to {@code settings} the recipe of the checkpoint {@code --resume DIR} continues (its
     * latest readable checkpoint, or its pre-training's), for the keys not given; returns the flags
     * it implies ({@code --backend}, {@code --threads}). Nothing when DIR holds no checkpoint.
     */
    static Map<String, String> fromCheckpoint(Map<String, RecipeSettings.Setting> settings, Path dir) {
        CheckpointDirectory.Latest latest = latest(dir);
        if (latest == null) {
            latest = latest(dir.resolve(Checkpoints.PRETRAINING_DIRECTORY));
        }
        Map<String, String> flags = new LinkedHashMap<>();
        if (latest == null) {
            return flags;
        }
        String where = latest.contents().path() + " (the run's recipe)";
        if (parse(latest.contents().header().get("recipe")) instanceof Map<?, ?> recipe) {
            for (Map.Entry<?, ?> e : recipe.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (!settings.containsKey(key) && e.getValue() != null && RecipeSettings.KEYS.stream()
                        .anyMatch(k -> k.name().equals(key))) {
                    settings.put(key, new RecipeSettings.Setting(key, text(key, e.getValue()),
                            RecipeSettings.Origin.FILE, where));
                }
            }
        }
        if (parse(latest.contents().header().get("backend")) instanceof Map<?, ?> backend
                && backend.get("backend") instanceof String b && b.matches("[a-z0-9]+ x[0-9]+")) {
            flags.put("--backend", b.substring(0, b.indexOf(' ')));
            flags.put("--threads", b.substring(b.indexOf(" x") + 2));
        }
        return flags;
    }

    /** Adds the architecture of {@code init-from}'s model to {@code settings}, for the keys not given. */
    static void fromInitFrom(Map<String, RecipeSettings.Setting> settings) {
        RecipeSettings.Setting initFrom = settings.get("init-from");
        if (initFrom == null || initFrom.value().isBlank() || initFrom.value().strip().equals("null")
                || settings.keySet().containsAll(List.of("hidden", "activation", "batch-norm"))) {
            return; // nothing to take: the preparation reads the model and checks what is given
        }
        String model = initFrom.value().strip();
        for (Map.Entry<String, String> e : Experiment.architectureSettings(model).entrySet()) {
            if (!settings.containsKey(e.getKey())) {
                settings.put(e.getKey(), new RecipeSettings.Setting(e.getKey(), e.getValue(),
                        RecipeSettings.Origin.FILE, model + " (the model's architecture)"));
            }
        }
    }

    private static CheckpointDirectory.Latest latest(Path dir) {
        try {
            return new CheckpointDirectory(dir).latest(c -> { });
        } catch (IOException e) {
            throw new InvalidInputException("--resume " + dir + ": cannot list the directory: " + e.getMessage());
        }
    }

    private static Object parse(String json) {
        try {
            return json == null ? null : Json.parse(json);
        } catch (Json.JsonException e) {
            return null; // refused, naming the entry, when the checkpoint is checked
        }
    }

    /** A recorded value as a setting's text: lists comma-separated, an empty list as the recipe's word for none. */
    private static String text(String key, Object value) {
        if (value instanceof List<?> list) {
            String joined = String.join(",", list.stream().map(String::valueOf).toList());
            return !joined.isEmpty() ? joined : key.equals("hidden") ? "none" : "0";
        }
        return String.valueOf(value);
    }
}
