package org.nettricks.experiment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.nettricks.InvalidInputException;
import org.nettricks.NetTricks;
import org.nettricks.data.Dataset;
import org.nettricks.data.Normalization;
import org.nettricks.io.internal.Json;
import org.nettricks.tensor.Backend;
import org.nettricks.training.CheckpointDirectory;
import org.nettricks.training.CheckpointFile;
import org.nettricks.training.TrainingLoop;
import org.nettricks.training.TrainingState;

/**
 * The checkpoints of an {@link Experiment}'s training (train {@code --checkpoint DIR},
 * {@code --resume DIR}): a {@link CheckpointDirectory} whose files also record, in their
 * metadata, what must be the same for a resumed run to end as the uninterrupted one:
 * <ul>
 *   <li>{@code recipe}: {@link org.nettricks.config.Recipe#toMap()} as JSON (the model file's
 *       {@code recipe} entry; {@code checkpoint} and {@code checkpoint-every} are not part of it);</li>
 *   <li>{@code data}: the data's fingerprint: the sizes of the training and validation sets, their
 *       feature and class counts, and the SHA-256 of their normalized examples (each value's
 *       float32 bits, little-endian, then the labels as 32-bit integers, training then validation),
 *       then of the normalization's offsets and scales (float64, interleaved): data shifted or
 *       scaled as a whole normalizes to the same examples, but not to the same model;</li>
 *   <li>{@code backend}: the backend and thread count ({@code java x2}) and its kernel (OpenBLAS's
 *       version and core type);</li>
 *   <li>{@code nettricks_version} and {@code phase} ({@code train}).</li>
 * </ul>
 * A checkpoint whose recipe, data or backend differ from the run's is refused with one
 * {@link InvalidInputException} line naming the first difference, e.g. {@code `lr` is 0.01 in
 * the checkpoint, 0.02 now}.
 */
public final class Checkpoints {
    /** The phase this class checkpoints; pre-training and search will add their own. */
    public static final String PHASE_TRAIN = "train";

    private final CheckpointDirectory directory;
    private final int everySteps;
    private final Map<String, String> header;
    private final CheckpointFile.Contents resumeFrom;
    private final List<String> notices;
    private long writes;
    private double writeSeconds;

    private Checkpoints(CheckpointDirectory directory, int everySteps, Map<String, String> header,
                        CheckpointFile.Contents resumeFrom, List<String> notices) {
        this.directory = directory;
        this.everySteps = everySteps;
        this.header = header;
        this.resumeFrom = resumeFrom;
        this.notices = List.copyOf(notices);
    }

    /**
     * Checkpoints for a new run of {@code experiment} in {@code dir} (created when missing).
     *
     * @param everySteps also write every this many optimizer steps, ≥ 0; 0: at the end of each epoch only
     * @throws InvalidInputException when {@code dir} already holds checkpoints (of this run or
     *                               another): resume it, or choose another directory
     */
    public static Checkpoints start(Experiment experiment, Path dir, int everySteps) {
        CheckpointDirectory d = new CheckpointDirectory(dir);
        List<Path> existing = list(d);
        if (!existing.isEmpty()) {
            throw new InvalidInputException("`checkpoint` " + dir + " holds checkpoints already (the latest is "
                    + existing.get(0).getFileName() + "); resume that run with `resume` " + dir + ", or give an empty"
                    + " or new directory");
        }
        return new Checkpoints(d, everySteps, header(experiment), null, List.of());
    }

    /**
     * Checkpoints that resume the latest complete checkpoint in {@code dir}: a newer one that is
     * damaged is skipped, with a notice. With no checkpoint in {@code dir}, the run starts from
     * the beginning (a notice says so).
     *
     * @throws InvalidInputException when every checkpoint in {@code dir} is damaged, or the latest
     *                               complete one was written for another recipe, data or backend
     */
    public static Checkpoints resume(Experiment experiment, Path dir, int everySteps) {
        CheckpointDirectory d = new CheckpointDirectory(dir);
        Map<String, String> header = header(experiment);
        CheckpointDirectory.Latest latest;
        try {
            latest = d.latest(c -> requireSameRun(c, header));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> notices = new ArrayList<>();
        if (latest == null) {
            notices.add("no checkpoint in " + dir + " yet: starting from the beginning");
            return new Checkpoints(d, everySteps, header, null, notices);
        }
        for (String s : latest.skipped()) {
            notices.add("skipped " + s);
        }
        TrainingState loop = latest.contents().state().scope("loop");
        long epoch = loop.getLong("epoch");
        long next = loop.getLong("next_batch");
        long batches = loop.getLong("batch_count");
        notices.add("resuming from " + latest.contents().path() + ": " + (next == batches ? "after epoch " + epoch
                : "epoch " + epoch + ", batch " + (next + 1) + " of " + batches) + " (" + loop.getLong("steps")
                + " steps)");
        return new Checkpoints(d, everySteps, header, latest.contents(), notices);
    }

    private static List<Path> list(CheckpointDirectory d) {
        try {
            return d.checkpoints();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What to say on starting: the checkpoint resumed and any skipped, or that there was none. */
    public List<String> notices() {
        return notices;
    }

    /** Whether the run resumes from a checkpoint. */
    public boolean resumes() {
        return resumeFrom != null;
    }

    /** Checkpoints written so far by this run. */
    public long writes() {
        return writes;
    }

    /** Wall time of those writes, in seconds. */
    public double writeSeconds() {
        return writeSeconds;
    }

    /** The directory. */
    public Path directory() {
        return directory.path();
    }

    /** The training loop's side: the state to resume from and the writer. */
    TrainingLoop.Checkpointing checkpointing() {
        return new TrainingLoop.Checkpointing(resumeFrom == null ? null : resumeFrom.state(), everySteps,
                (steps, state) -> {
                    long started = System.nanoTime();
                    try {
                        directory.write(steps, header, state);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write a checkpoint to " + directory.path() + ": "
                                + e.getMessage(), e);
                    }
                    writes++;
                    writeSeconds += (System.nanoTime() - started) / 1e9;
                });
    }

    // ---------------------------------------------------------------- what must be the same

    static Map<String, String> header(Experiment experiment) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("phase", PHASE_TRAIN);
        h.put("nettricks_version", NetTricks.VERSION);
        h.put("recipe", Json.write(experiment.recipe().toMap()));
        h.put("data", Json.write(fingerprint(experiment.train(), experiment.validation(),
                experiment.normalization())));
        Backend b = experiment.network().backend();
        Map<String, Object> backend = new LinkedHashMap<>();
        backend.put("backend", b.name() + " x" + b.threads());
        backend.putAll(b.provenance());
        h.put("backend", Json.write(backend));
        return h;
    }

    /** Sizes and SHA-256 of the normalized training and validation examples (see the class comment). */
    static Map<String, Object> fingerprint(Dataset train, Dataset validation, Normalization normalization) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("train", train.size());
        f.put("validation", validation == null ? 0 : validation.size());
        f.put("features", train.featureCount());
        f.put("classes", train.classCount());
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java platform has SHA-256
        }
        digest(sha, train);
        if (validation != null) {
            digest(sha, validation);
        }
        ByteBuffer stats = ByteBuffer.allocate(16 * normalization.offset().length).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < normalization.offset().length; i++) {
            stats.putDouble(normalization.offset()[i]).putDouble(normalization.scale()[i]);
        }
        sha.update(stats.array());
        f.put("sha256", HexFormat.of().formatHex(sha.digest()));
        return f;
    }

    private static void digest(MessageDigest sha, Dataset d) {
        float[] x = d.features();
        long values = (long) d.size() * d.featureCount();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < values; i++) {
            if (buf.remaining() < 4) {
                sha.update(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putFloat(x[(int) i]);
        }
        if (d.hasLabels()) {
            for (int label : d.labels()) {
                if (buf.remaining() < 4) {
                    sha.update(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putInt(label);
            }
        }
        if (d.hasTargets()) { // standardized with the training split's statistics: they are covered too
            for (double t : d.targets()) {
                if (buf.remaining() < 8) {
                    sha.update(buf.array(), 0, buf.position());
                    buf.clear();
                }
                buf.putDouble(t);
            }
        }
        sha.update(buf.array(), 0, buf.position());
    }

    /** Refuses a checkpoint of another phase, recipe, data or backend, naming the first difference. */
    static void requireSameRun(CheckpointFile.Contents c, Map<String, String> now) {
        Map<String, String> then = c.header();
        String problem = null;
        if (!PHASE_TRAIN.equals(then.get("phase"))) {
            problem = "it was written by " + then.get("phase") + ", not by train";
        }
        if (problem == null) {
            problem = differs(c, "recipe", then.get("recipe"), now.get("recipe"), "`%s` is %s in the checkpoint, %s now");
        }
        if (problem == null) {
            problem = differs(c, "data", then.get("data"), now.get("data"), "the data's %s is %s in the checkpoint, %s"
                    + " now (the training and validation examples after the splits and normalization)");
        }
        if (problem == null) {
            problem = differs(c, "backend", then.get("backend"), now.get("backend"), "the %s is %s in the checkpoint,"
                    + " %s now; the same results need the same backend and thread count");
        }
        if (problem != null) {
            throw new InvalidInputException(c.path() + ": refused: " + problem + "; resume with the checkpoint's"
                    + " settings, or start a new run in another directory");
        }
    }

    /** The first key whose value differs between two JSON objects, in {@code format}; null when none does. */
    private static String differs(CheckpointFile.Contents c, String entry, String thenJson, String nowJson,
                                  String format) {
        if (thenJson == null) {
            throw new InvalidInputException(c.path() + ": not a usable checkpoint: its __metadata__ has no \"" + entry
                    + "\" entry");
        }
        Map<?, ?> then;
        try {
            if (!(Json.parse(thenJson) instanceof Map<?, ?> m)) {
                throw new InvalidInputException(c.path() + ": not a usable checkpoint: __metadata__ entry \"" + entry
                        + "\" must be a JSON object");
            }
            then = m;
        } catch (Json.JsonException e) {
            throw new InvalidInputException(c.path() + ": not a usable checkpoint: __metadata__ entry \"" + entry
                    + "\" is not valid JSON: " + e.getMessage());
        }
        Map<?, ?> now = (Map<?, ?>) Json.parse(nowJson);
        Set<Object> keys = new LinkedHashSet<>(now.keySet());
        keys.addAll(then.keySet());
        for (Object k : keys) {
            String a = then.containsKey(k) ? Json.write(then.get(k)) : "absent";
            String b = now.containsKey(k) ? Json.write(now.get(k)) : "absent";
            if (!Objects.equals(a, b)) {
                return String.format(format, k, a, b);
            }
        }
        return null;
    }
}
