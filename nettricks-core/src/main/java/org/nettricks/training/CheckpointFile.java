package org.nettricks.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nettricks.InvalidInputException;
import org.nettricks.io.AtomicFiles;
import org.nettricks.io.Safetensors;
import org.nettricks.io.internal.Json;
import org.nettricks.tensor.Matrix;

/**
 * One checkpoint as one safetensors file, written atomically ({@link AtomicFiles}): a reader sees
 * the previous file or the complete new one, never half of one.
 *
 * <p>The tensors are the {@link TrainingState}'s, under their full names ({@code
 * parameters.layers.0.weight}, {@code optimizer.layers.0.weight.exp_avg}, {@code
 * callbacks.4.best.0}), each stored 2-D as [rows, cols] in its own dtype (F32 or F64). The {@code
 * __metadata__} holds {@code format} ({@value #FORMAT}), {@code format_version}, {@code state} (the
 * state's values as one JSON object) and the caller's own entries (the recipe, the data's
 * fingerprint, the backend: see {@code experiment.Checkpoints}). Reading validates the file as
 * {@link Safetensors#read} does, then the format, the version and the JSON; nothing is
 * deserialized as code. Each value is checked when the run reads it back ({@link TrainingState}).
 */
public final class CheckpointFile {
    /** Value of the {@code format} metadata entry. */
    public static final String FORMAT = "nettricks-checkpoint";
    /** The version this NetTricks writes and reads. */
    public static final String FORMAT_VERSION = "1";
    /**
     * Test hook: when this system property names a file, the writer stops after writing a
     * checkpoint's bytes (of the write after {@link #PAUSE_AFTER_PROPERTY} complete ones) and
     * before renaming it into place, creates that file, and waits forever,
     * so that a test can kill the process in the middle of a checkpoint write.
     */
    static final String PAUSE_PROPERTY = "nettricks.test.pauseCheckpointWrite";
    /** Test hook: how many checkpoint writes complete before the one that pauses (default 0). */
    static final String PAUSE_AFTER_PROPERTY = "nettricks.test.pauseCheckpointAfter";
    /** Test hook: {@code true} pauses after the rename instead (a complete checkpoint, the run between steps). */
    static final String PAUSE_RENAMED_PROPERTY = "nettricks.test.pauseCheckpointRenamed";
    /** Writes of this process so far, for {@link #PAUSE_AFTER_PROPERTY}. */
    private static final java.util.concurrent.atomic.AtomicLong WRITES = new java.util.concurrent.atomic.AtomicLong();

    private CheckpointFile() {
    }

    /** A checkpoint read back: the caller's metadata entries and the state. */
    public record Contents(Path path, Map<String, String> header, TrainingState state) {
    }

    /**
     * Writes {@code state} and {@code header} (entries of the caller's own, e.g. {@code recipe})
     * to {@code path}, atomically.
     *
     * @throws IOException when the file cannot be written (its directory missing or read-only)
     */
    public static void write(Path path, Map<String, String> header, TrainingState state) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", FORMAT_VERSION);
        meta.putAll(header);
        meta.put("state", Json.write(state.values()));
        List<Safetensors.Tensor> tensors = new ArrayList<>();
        for (Map.Entry<String, Matrix> t : state.tensors().entrySet()) {
            Matrix m = t.getValue();
            tensors.add(new Safetensors.Tensor(t.getKey(), new int[] {m.rows(), m.cols()}, m));
        }
        String pauseProperty = System.getProperty(PAUSE_PROPERTY);
        String pause = pauseProperty != null && WRITES.getAndIncrement() >= Long.getLong(PAUSE_AFTER_PROPERTY, 0)
                ? pauseProperty : null;
        boolean afterRename = Boolean.getBoolean(PAUSE_RENAMED_PROPERTY);
        AtomicFiles.write(path, out -> {
            Safetensors.write(out, meta, tensors);
            if (pause != null && !afterRename) {
                pauseForTest(out, Path.of(pause));
            }
        });
        if (pause != null && afterRename) {
            pauseForTest(java.io.OutputStream.nullOutputStream(), Path.of(pause));
        }
    }

    /** The test hook: the bytes are out, the rename has not happened; say so and wait to be killed. */
    private static void pauseForTest(java.io.OutputStream out, Path marker) throws IOException {
        out.flush();
        Files.writeString(marker, "paused");
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads and validates a checkpoint's container (safetensors, format, version, the state's JSON).
     *
     * @throws InvalidInputException naming the file and what is wrong with it
     */
    public static Contents read(Path path) {
        Safetensors.Contents contents = Safetensors.read(path);
        Map<String, String> meta = contents.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw bad(path, "its __metadata__ has no \"format\": \"" + FORMAT + "\" entry");
        }
        if (!FORMAT_VERSION.equals(meta.get("format_version"))) {
            throw bad(path, "format_version is " + meta.get("format_version") + "; this NetTricks reads "
                    + FORMAT_VERSION);
        }
        String stateJson = meta.get("state");
        if (stateJson == null) {
            throw bad(path, "its __metadata__ has no \"state\" entry");
        }
        Object parsed;
        try {
            parsed = Json.parse(stateJson);
        } catch (Json.JsonException e) {
            throw bad(path, "__metadata__ entry \"state\" is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw bad(path, "__metadata__ entry \"state\" must be a JSON object");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        map.forEach((k, v) -> values.put(String.valueOf(k), v));
        Map<String, Matrix> tensors = new LinkedHashMap<>();
        for (Safetensors.Tensor t : contents.tensors()) {
            tensors.put(t.name(), t.values());
        }
        Map<String, String> header = new LinkedHashMap<>(meta);
        header.remove("format");
        header.remove("format_version");
        header.remove("state");
        return new Contents(path, header, new TrainingState(path.toString(), values, tensors));
    }

    static InvalidInputException bad(Path path, String what) {
        return new InvalidInputException(path + ": not a usable checkpoint: " + what);
    }
}
