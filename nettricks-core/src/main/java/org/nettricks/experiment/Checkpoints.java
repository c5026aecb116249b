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
import org.nettricks.config.Recipe;
import org.nettricks.data.Dataset;
import org.nettricks.data.Normalization;
import org.nettricks.io.internal.Json;
import org.nettricks.tensor.Backend;
import org.nettricks.training.BackgroundCheckpointWriter;
import org.nettricks.training.CheckpointDirectory;
import org.nettricks.training.CheckpointFile;
import org.nettricks.training.TrainingLoop;
import org.nettricks.training.TrainingState;

/**
 * The checkpoints of an {@link Experiment}'s training (train {@code --checkpoint DIR},
 * {@code --resume DIR}) and pre-training ({@code pretrain --checkpoint DIR}; {@code train --pretrain}
 * keeps its pre-training's in {@code DIR/pretrain}): a {@link CheckpointDirectory} whose files also
 * record, in their metadata, what must be the same for a resumed run to end as the uninterrupted one:
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
 *   <li>{@code nettricks_version} and {@code phase} ({@value #PHASE_TRAIN} or {@value #PHASE_PRETRAIN}).</li>
 * </ul>
 * A checkpoint whose phase, recipe, data or backend differ from the run's is refused with one
 * {@link InvalidInputException} line naming the first difference, e.g. {@code `lr` is 0.01 in
 * the checkpoint, 0.02 now}; so is one with an entry that does not fit the run, before any notice
 * is made (the state is restored into a throwaway copy of the run first). The one difference
 * allowed: a larger {@code epochs}, which continues the run (see {@link #resume}).
 */
public final class Checkpoints {
    /** The phase of supervised training's checkpoints ({@code train}). */
    public static final String PHASE_TRAIN = "train";
    /** The phase of pre-training's checkpoints ({@code pretrain}, and {@code train --pretrain}'s first phase). */
    public static final String PHASE_PRETRAIN = "pretrain";
    /** The subdirectory of a {@code train} checkpoint directory that holds its pre-training's checkpoints. */
    public static final String PRETRAINING_DIRECTORY = "pretrain";

    private final String phase;
    private final CheckpointDirectory directory;
    private final int everySteps;
    private final Map<String, String> header;
    private final CheckpointFile.Contents resumeFrom;
    private final List<String> notices;
    private final Checkpoints pretraining;

    private Checkpoints(String phase, CheckpointDirectory directory, int everySteps, Map<String, String> header,
                        CheckpointFile.Contents resumeFrom, List<String> notices, Checkpoints pretraining) {
        this.phase = phase;
        this.directory = directory;
        this.everySteps = everySteps;
        this.header = header;
        this.resumeFrom = resumeFrom;
        this.notices = List.copyOf(notices);
        this.pretraining = pretraining;
    }

    /**
     * Checkpoints for a new run of {@code experiment} in {@code dir} (created when missing). With
     * pre-training in the recipe, the pre-training checkpoints go to {@code dir/pretrain}
     * ({@link #pretraining()}), and the supervised phase's to {@code dir}.
     *
     * @param everySteps also write every this many optimizer steps, ≥ 0; 0: at the end of each epoch only
     * @throws InvalidInputException when {@code dir} (or {@code dir/pretrain}) already holds
     *                               checkpoints (of this run or another): resume it, or choose another directory
     */
    public static Checkpoints start(Experiment experiment, Path dir, int everySteps) {
        CheckpointDirectory d = new CheckpointDirectory(dir);
        requireEmpty(d, dir);
        Checkpoints pretraining = null;
        if (experiment.recipe().pretraining().enabled()) {
            Path sub = dir.resolve(PRETRAINING_DIRECTORY);
            requireEmpty(new CheckpointDirectory(sub), dir);
            pretraining = new Checkpoints(PHASE_PRETRAIN, new CheckpointDirectory(sub), everySteps,
                    header(experiment, PHASE_PRETRAIN), null, List.of(), null);
        }
        return new Checkpoints(PHASE_TRAIN, d, everySteps, header(experiment, PHASE_TRAIN), null, List.of(),
                pretraining);
    }

    /**
     * Checkpoints for a new pre-training ({@code pretrain --checkpoint DIR}) of {@code experiment}
     * in {@code dir}.
     *
     * @throws InvalidInputException when {@code dir} already holds checkpoints
     */
    public static Checkpoints startPretraining(Experiment experiment, Path dir, int everySteps) {
        CheckpointDirectory d = new CheckpointDirectory(dir);
        requireEmpty(d, dir);
        return new Checkpoints(PHASE_PRETRAIN, d, everySteps, header(experiment, PHASE_PRETRAIN), null, List.of(),
                null);
    }

    private static void requireEmpty(CheckpointDirectory d, Path given) {
        List<Path> existing = list(d);
        if (!existing.isEmpty()) {
            throw new InvalidInputException("`checkpoint` " + given + " holds checkpoints already (the latest is "
                    + given.relativize(existing.get(0)) + "); resume that run with `resume` " + given + ", or give an"
                    + " empty or new directory");
        }
    }

    /**
     * Checkpoints that resume the latest complete checkpoint in {@code dir}: a newer one that is
     * damaged is skipped, with a notice. Every entry of the checkpoint is read and checked against
     * the run before the notice "resuming from …" is made. With no checkpoint in {@code dir} and
     * pre-training in the recipe, the pre-training resumes from {@code dir/pretrain}; with none
     * there either, the run starts from the beginning (a notice says so).
     *
     * <p>A checkpoint whose recipe differs from the run's only in {@code epochs}, larger now,
     * continues the run to the new count (a finished run extended): the result is the run of the
     * new count from the start, as long as the learning-rate schedule gives every epoch already run
     * the same rate under both counts; a schedule that does not (cosine) is refused.
     *
     * @throws InvalidInputException when every checkpoint in {@code dir} is damaged, the latest
     *                               complete one was written for another recipe, data or backend, or
     *                               one of its entries does not fit the run
     */
    public static Checkpoints resume(Experiment experiment, Path dir, int everySteps) {
        CheckpointDirectory d = new CheckpointDirectory(dir);
        Map<String, String> header = header(experiment, PHASE_TRAIN);
        CheckpointDirectory.Latest latest = latest(d, c -> requireSameRun(c, header, PHASE_TRAIN, experiment.recipe(),
                experiment.network().backend()));
        List<String> notices = new ArrayList<>();
        if (latest == null) {
            if (experiment.recipe().pretraining().enabled()) {
                Checkpoints pretraining = resumePretraining(experiment, dir.resolve(PRETRAINING_DIRECTORY),
                        everySteps, dir);
                return new Checkpoints(PHASE_TRAIN, d, everySteps, header, null, pretraining.notices(), pretraining);
            }
            notices.add("no checkpoint in " + dir + " yet: starting from the beginning");
            return new Checkpoints(PHASE_TRAIN, d, everySteps, header, null, notices, null);
        }
        experiment.verifyResume(latest.contents().state());
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
        long before = recordedEpochs(latest.contents());
        if (before < experiment.recipe().epochs()) {
            notices.add(loop.getBoolean("stop_requested")
                    ? "`epochs` " + experiment.recipe().epochs() + ": the run in the checkpoint had stopped early after"
                    + " epoch " + epoch + " (early stopping), so it is not continued; the model is the one it ended with"
                    : "`epochs` " + experiment.recipe().epochs() + ": continuing the run of " + before + " epochs to "
                    + experiment.recipe().epochs() + " (the same run as one of " + experiment.recipe().epochs()
                    + " epochs from the start: the schedule gives the epochs run the same rates)");
        }
        return new Checkpoints(PHASE_TRAIN, d, everySteps, header, latest.contents(), notices, null);
    }

    /**
     * Checkpoints that resume a pre-training ({@code pretrain --resume DIR}) from the latest
     * complete checkpoint in {@code dir}, as {@link #resume} does for training; with none, the
     * pre-training starts from the beginning (a notice says so).
     *
     * @throws InvalidInputException as {@link #resume}
     */
    public static Checkpoints resumePretraining(Experiment experiment, Path dir, int everySteps) {
        return resumePretraining(experiment, dir, everySteps, dir);
    }

    private static Checkpoints resumePretraining(Experiment experiment, Path dir, int everySteps, Path named) {
        CheckpointDirectory d = new CheckpointDirectory(dir);
        Map<String, String> header = header(experiment, PHASE_PRETRAIN);
        CheckpointDirectory.Latest latest = latest(d, c -> requireSameRun(c, header, PHASE_PRETRAIN, null,
                experiment.network().backend()));
        List<String> notices = new ArrayList<>();
        if (latest == null) {
            notices.add("no checkpoint in " + named + " yet: starting from the beginning");
            return new Checkpoints(PHASE_PRETRAIN, d, everySteps, header, null, notices, null);
        }
        experiment.verifyPretrainingResume(latest.contents().state());
        for (String s : latest.skipped()) {
            notices.add("skipped " + s);
        }
        TrainingState state = latest.contents().state();
        TrainingState loop = state.scope("loop");
        TrainingState p = state.scope("pretraining");
        long epoch = loop.getLong("epoch");
        long next = loop.getLong("next_batch");
        long batches = loop.getLong("batch_count");
        notices.add("resuming from " + latest.contents().path() + ": pre-training layer " + (p.getLong("layer") + 1)
                + " of " + p.getLong("layers") + ", " + (next == batches ? "after epoch " + epoch : "epoch " + epoch
                + ", batch " + (next + 1) + " of " + batches) + " (" + (p.getLong("step_offset") + loop.getLong("steps"))
                + " steps)");
        return new Checkpoints(PHASE_PRETRAIN, d, everySteps, header, latest.contents(), notices, null);
    }

    private static CheckpointDirectory.Latest latest(CheckpointDirectory d,
                                                     java.util.function.Consumer<CheckpointFile.Contents> accept) {
        try {
            return d.latest(accept);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /**
     * Where the checkpoint the run resumes from stood, as the summary line says it: {@code "after
     * epoch 1"} (a checkpoint at an epoch's end), or {@code "in epoch 3 after batch 4 of 10"}
     * (epoch 3 is then finished by this run); null when the run does not resume.
     */
    public String resumePoint() {
        if (resumeFrom == null) {
            return null;
        }
        TrainingState loop = resumeFrom.state().scope("loop");
        long epoch = loop.getLong("epoch");
        long next = loop.getLong("next_batch");
        long batches = loop.getLong("batch_count");
        return next == batches ? "after epoch " + epoch : "in epoch " + epoch + " after batch " + next + " of "
                + batches;
    }

    /** Whether the run resumes from a checkpoint of its own phase. */
    public boolean resumes() {
        return resumeFrom != null;
    }

    /**
     * A training run's pre-training checkpoints ({@code dir/pretrain}), when the recipe pre-trains
     * and the supervised phase has no checkpoint yet; else null.
     */
    public Checkpoints pretraining() {
        return pretraining;
    }

    /** {@link #PHASE_TRAIN} or {@link #PHASE_PRETRAIN}. */
    public String phase() {
        return phase;
    }

    /** The directory. */
    public Path directory() {
        return directory.path();
    }

    /**
     * The training loop's side: the state to resume from and the writer, which writes each
     * checkpoint on a thread of its own while training goes on ({@link BackgroundCheckpointWriter}).
     */
    TrainingLoop.Checkpointing checkpointing() {
        return new TrainingLoop.Checkpointing(resumeFrom == null ? null : resumeFrom.state(), everySteps,
                new BackgroundCheckpointWriter((steps, state) -> {
                    try {
                        directory.write(steps, header, state);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot write a checkpoint to " + directory.path() + ": "
                                + e.getMessage(), e);
                    }
                }));
    }

    /** The {@code epochs} of the recipe a checkpoint records (0 when it cannot be read). */
    private static long recordedEpochs(CheckpointFile.Contents c) {
        try {
            if (Json.parse(c.header().get("recipe")) instanceof Map<?, ?> m && m.get("epochs") instanceof Long l) {
                return l;
            }
        } catch (RuntimeException e) {
            // checked by requireSameRun
        }
        return 0;
    }

    // ---------------------------------------------------------------- what must be the same

    static Map<String, String> header(Experiment experiment, String phase) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("phase", phase);
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

    /**
     * Refuses a checkpoint of another phase, recipe, data or backend, naming the first difference.
     * With {@code recipe} given (training), {@code epochs} may be larger now than in the checkpoint
     * when the schedule gives the epochs already run the same rates under both counts. A backend that
     * differs adds its {@link Backend#provenanceAdvice advice}.
     */
    static void requireSameRun(CheckpointFile.Contents c, Map<String, String> now, String phase, Recipe recipe,
                               Backend backend) {
        Map<String, String> then = c.header();
        String problem = null;
        if (!phase.equals(then.get("phase"))) {
            problem = "it was written by " + describePhase(then.get("phase")) + ", not by " + describePhase(phase);
        }
        if (problem == null) {
            String nowRecipe = now.get("recipe");
            if (recipe != null) {
                String longer = moreEpochs(c, then.get("recipe"), recipe);
                if (longer != null) {
                    throw new InvalidInputException(c.path() + ": refused: " + longer);
                }
                nowRecipe = withEpochsOf(then.get("recipe"), nowRecipe, recipe.epochs());
            }
            problem = differs(c, "recipe", then.get("recipe"), nowRecipe, "`%s` is %s in the checkpoint, %s now");
        }
        if (problem == null) {
            problem = differs(c, "data", then.get("data"), now.get("data"), "the data's %s is %s in the checkpoint, %s"
                    + " now (the training and validation examples after the splits and normalization)");
        }
        if (problem == null) {
            Difference d = difference(c, "backend", then.get("backend"), now.get("backend"));
            if (d != null) {
                String advice = d.then() instanceof String recorded ? backend.provenanceAdvice(d.key(), recorded)
                        : null;
                problem = d.format("the %s is %s in the checkpoint, %s now; the same results need the same backend,"
                        + " thread count and BLAS library") + (advice == null ? "" : " (" + advice + ")");
            }
        }
        if (problem != null) {
            throw new InvalidInputException(c.path() + ": refused: " + problem + "; resume with the checkpoint's"
                    + " settings, or start a new run in another directory");
        }
    }

    private static String describePhase(String phase) {
        return PHASE_PRETRAIN.equals(phase) ? "pre-training" : PHASE_TRAIN.equals(phase) ? "train" : String.valueOf(phase);
    }

    /**
     * Null when the checkpoint's {@code epochs} is at least the recipe's, or the run may be
     * continued to the recipe's; else why not (a schedule that depends on the total epoch count).
     */
    private static String moreEpochs(CheckpointFile.Contents c, String thenJson, Recipe recipe) {
        long before = recordedEpochs(c);
        if (before <= 0 || before >= recipe.epochs()) {
            return null;
        }
        double lr = recipe.optimizer().learningRate();
        var schedule = recipe.optimizer().schedule();
        for (int e = 0; e < before; e++) {
            double then = schedule.rate(lr, e, (int) before);
            double now = schedule.rate(lr, e, recipe.epochs());
            if (Double.doubleToLongBits(then) != Double.doubleToLongBits(now)) {
                return "`epochs` is " + before + " in the checkpoint, " + recipe.epochs() + " now, and the `schedule` "
                        + schedule.describe() + " depends on the total epoch count (epoch " + (e + 1) + "'s rate is "
                        + then + " of " + before + " epochs, " + now + " of " + recipe.epochs() + "), so the run cannot"
                        + " be continued into the run of " + recipe.epochs() + " epochs; resume with `epochs` " + before
                        + ", or start a new run from its model with `init-from`";
            }
        }
        return null;
    }

    /** {@code nowJson} with its {@code epochs} set to the checkpoint's when the recipe's is larger (a continued run). */
    private static String withEpochsOf(String thenJson, String nowJson, int epochs) {
        try {
            if (Json.parse(thenJson) instanceof Map<?, ?> then && then.get("epochs") instanceof Long before
                    && before < epochs && Json.parse(nowJson) instanceof Map<?, ?> now) {
                Map<Object, Object> m = new LinkedHashMap<>(now);
                m.put("epochs", before);
                return Json.write(m);
            }
        } catch (RuntimeException e) {
            // a damaged entry is reported by differs
        }
        return nowJson;
    }

    /** The first key whose value differs between two JSON objects, in {@code format}; null when none does. */
    private static String differs(CheckpointFile.Contents c, String entry, String thenJson, String nowJson,
                                  String format) {
        Difference d = difference(c, entry, thenJson, nowJson);
        return d == null ? null : d.format(format);
    }

    /** The first key whose value differs between a checkpoint's entry and the run's: its recorded value, and both as JSON. */
    private record Difference(String key, Object then, String thenJson, String nowJson) {
        String format(String format) {
            return String.format(format, key, thenJson, nowJson);
        }
    }

    /** The first difference between the checkpoint's {@code entry} and the run's, or null when they agree. */
    private static Difference difference(CheckpointFile.Contents c, String entry, String thenJson, String nowJson) {
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
                return new Difference(String.valueOf(k), then.get(k), a, b);
            }
        }
        return null;
    }
}
