package org.nettricks.training;

import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import org.nettricks.data.Splits;
import org.nettricks.layers.Buffer;
import org.nettricks.layers.Parameter;
import org.nettricks.optim.LearningRateSchedule;
import org.nettricks.optim.Optimizer;
import org.nettricks.optim.OptimizerState;
import org.nettricks.random.SplitMix64;
import org.nettricks.regularization.GradientTransform;
import org.nettricks.tensor.Matrix;
import org.nettricks.regularization.Penalty;
import org.nettricks.tensor.Backend;

/**
 * The one training loop, the lecture's mini-batch SGD:
 * <pre>
 * for each epoch e (α_e from the schedule): reshuffle the examples
 *   for each mini-batch:
 *     forward (dropout masks drawn, batch statistics) and the batch's mean loss
 *     backward: ∇θ of the mean loss
 *     the gradient chain, in order (e.g. ∇θ += λ∇Ω(θ), then clipping by global norm)
 *     the optimizer's update with α_e
 *   validation figures; the epoch's report
 * </pre>
 * Everything else that watches or steers training is a {@link Callback}: early stopping, the
 * divergence guard, the monitors, progress output, batch normalization's final pass. Supervised
 * training and layer-wise pre-training run on this same loop with different {@link TrainingTask}s.
 *
 * <p>A step allocates nothing when the task, the transforms and the callbacks allocate nothing.
 */
public final class TrainingLoop {
    /**
     * How the examples are visited and at which rate.
     *
     * @param epochs       passes over the examples, ≥ 1 (a maximum when a callback may stop earlier)
     * @param batchSize    examples per mini-batch, ≥ 1 (clamped to N)
     * @param dropLast     false: a last, smaller batch takes the remainder of each epoch; true: the
     *                     remainder is left out of that epoch (the examples change with each shuffle)
     * @param learningRate the base rate α of the schedule, &gt; 0
     * @param schedule     α_e for epoch e
     */
    public record Settings(int epochs, int batchSize, boolean dropLast, double learningRate,
                           LearningRateSchedule schedule) {
        public Settings {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch-size must be at least 1, got " + batchSize);
            }
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new IllegalArgumentException("lr must be a finite number > 0, got " + learningRate);
            }
            if (schedule == null) {
                throw new IllegalArgumentException("schedule must not be null; use LearningRateSchedule.Constant");
            }
        }
    }

    /**
     * Checkpoints of a run (train {@code --checkpoint}, {@code --resume}): the state to resume from,
     * and a writer called at the end of every epoch and every {@code everySteps} optimizer steps.
     *
     * @param resumeFrom a state written by this loop for the same task, settings and callbacks, or
     *                   null to start from the beginning
     * @param everySteps also write after every this many steps (counted over the run), ≥ 0; 0: at
     *                   the end of each epoch only
     * @param writer     receives each state, by reference: it must write it before returning
     */
    public record Checkpointing(TrainingState resumeFrom, int everySteps, Writer writer) {
        public Checkpointing {
            if (everySteps < 0) {
                throw new IllegalArgumentException("checkpoint-every must be >= 0, got " + everySteps);
            }
            if (writer == null) {
                throw new IllegalArgumentException("a checkpoint writer is required");
            }
        }
    }

    /**
     * Writes one checkpoint. The state's tensors are live: the writer must write them, or copy them,
     * before it returns ({@link BackgroundCheckpointWriter} copies, then writes on its own thread).
     */
    @FunctionalInterface
    public interface Writer {
        /** @param steps optimizer steps taken in the run so far (names the checkpoint) */
        void write(long steps, TrainingState state);

        /**
         * Called once when the run ends, normally or by an exception: completes any write still in
         * flight, and throws if it failed. Default: nothing (writes complete in {@link #write}).
         */
        default void finish() {
        }
    }

    private final Optimizer optimizer;
    private final Settings settings;
    private final GradientTransform[] transforms;
    private final Callback[] callbacks;

    /**
     * @param transforms applied to the gradients in this order before each update
     * @param callbacks  called in this order
     */
    public TrainingLoop(Optimizer optimizer, Settings settings, List<? extends GradientTransform> transforms,
                        List<? extends Callback> callbacks) {
        this.optimizer = optimizer;
        this.settings = settings;
        this.transforms = transforms.toArray(GradientTransform[]::new);
        this.callbacks = callbacks.toArray(Callback[]::new);
    }

    /**
     * Trains {@code task}'s parameters in place.
     *
     * @param random   reshuffles the examples each epoch and is passed to the task's forward pass
     * @param listener receives the warnings callbacks raise ({@link TrainingRun#warn})
     * @param backend  the threads the optimizer's update is split across; null for the calling thread
     * @throws TrainingDivergedException when a callback finds the run has diverged
     */
    public TrainingHistory run(TrainingTask task, RandomGenerator random, TrainingListener listener, Backend backend) {
        return run(task, random, listener, backend, null);
    }

    /**
     * As {@link #run(TrainingTask, RandomGenerator, TrainingListener, Backend)}, writing
     * checkpoints and resuming from one. A checkpoint holds the whole state of the run: the
     * parameters and buffers, the optimizer's state, the generator's state, the epoch, the
     * shuffled order and the next batch, the epoch's running sums, the reports and warnings so
     * far, and each callback's state ({@link Callback#saveState}); the learning-rate schedule's
     * position is the epoch. A run resumed from the checkpoint of a run continues as that run
     * would have: the same updates, the same bits, when the backend and thread count are the same.
     *
     * @param checkpointing null for none
     * @throws IllegalArgumentException when checkpointing with a generator other than a {@link SplitMix64}
     *                                  (whose state can be saved)
     * @throws org.nettricks.InvalidInputException when the state to resume from does not fit this
     *                                  run (another network, optimizer, data size or callbacks)
     */
    public TrainingHistory run(TrainingTask task, RandomGenerator random, TrainingListener listener, Backend backend,
                               Checkpointing checkpointing) {
        if (checkpointing != null && !(random instanceof SplitMix64)) {
            throw new IllegalArgumentException("checkpoints need a SplitMix64 generator, whose state can be saved;"
                    + " got " + random.getClass().getName());
        }
        Begun b = begin(task, random, listener, backend, checkpointing == null ? null : checkpointing.resumeFrom());
        TrainingRun run = b.run;
        try {
            try {
                epochs(task, random, run, b.parameters, b.state, b.order, b.n, b.batchSize, b.batchCount,
                        b.examplesPerEpoch, b.at, checkpointing);
            } catch (RuntimeException | Error e) {
                if (checkpointing != null) {
                    try {
                        checkpointing.writer().finish();
                    } catch (RuntimeException | Error f) {
                        e.addSuppressed(f);
                    }
                }
                throw e;
            }
            if (checkpointing != null) {
                checkpointing.writer().finish();
            }
        } catch (TrainingDivergedException e) {
            // a diverged run ends as any run: early stopping restores its best epoch, the final pass runs
            for (Callback c : callbacks) {
                c.onTrainEnd(run);
            }
            int kept = run.restoredEpoch();
            throw kept > 0 ? e.restoredTo(kept, run.reports().get(kept - 1)) : e;
        }
        for (Callback c : callbacks) {
            c.onTrainEnd(run);
        }
        return new TrainingHistory(run.reports(), run.keptEpoch(), run.stoppedEarly(), run.warnings());
    }

    /**
     * Checks that {@code state} fits this loop, {@code task} and the callbacks, by restoring it into
     * them exactly as {@link #run(TrainingTask, RandomGenerator, TrainingListener, Backend, Checkpointing)}
     * would, without training: every entry the resumed run reads is read and checked. The task's
     * parameters and buffers and the callbacks are overwritten, so give a throwaway task and
     * callbacks of the same shapes (e.g. on a copy of the network). What a resumed run calls before
     * it says "resuming", so that a damaged entry is refused before anything is printed.
     *
     * @throws org.nettricks.InvalidInputException naming the checkpoint and the entry that does not fit
     */
    public void verifyResume(TrainingTask task, TrainingState state) {
        if (state == null) {
            throw new IllegalArgumentException("no state to verify");
        }
        begin(task, new SplitMix64(0), TrainingListener.NONE, null, state);
    }

    /** What {@link #begin} sets up: the run, the optimizer state, the order, the position. */
    private record Begun(TrainingRun run, List<Parameter> parameters, OptimizerState state, int[] order, int n,
                         int batchSize, int batchCount, int examplesPerEpoch, Position at) {
    }

    /** The run's set-up, and the restore of {@code resumeFrom} (null: none). */
    private Begun begin(TrainingTask task, RandomGenerator random, TrainingListener listener, Backend backend,
                        TrainingState resumeFrom) {
        int n = task.exampleCount();
        if (n < 1) {
            throw new IllegalArgumentException("no training examples");
        }
        int batchSize = Math.min(settings.batchSize(), n);
        int batchCount = settings.dropLast() ? n / batchSize : (n + batchSize - 1) / batchSize;
        int examplesPerEpoch = settings.dropLast() ? batchCount * batchSize : n;
        List<Parameter> parameters = task.parameters();
        OptimizerState state = optimizer.createState(parameters);
        if (backend != null) {
            state.runOn(backend);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        TrainingRun run = new TrainingRun(task, settings.epochs(), batchCount, listener);
        for (Callback c : callbacks) {
            c.onTrainBegin(run);
        }
        Position at = new Position();
        at.epoch = 1;
        if (resumeFrom != null) {
            restore(resumeFrom, task, (SplitMix64) random, run, state, order, batchCount, at);
        }
        return new Begun(run, parameters, state, order, n, batchSize, batchCount, examplesPerEpoch, at);
    }

    /** Where the run is: the epoch, the batches of it done, its running sums, the steps of the run. */
    private static final class Position {
        int epoch;
        int nextBatch;
        double sumLoss;
        long errors;
        double seconds;
        long steps;
    }

    private void epochs(TrainingTask task, RandomGenerator random, TrainingRun run, List<Parameter> parameters,
                        OptimizerState state, int[] order, int n, int batchSize, int batchCount, int examplesPerEpoch,
                        Position at, Checkpointing checkpointing) {
        int every = checkpointing == null ? 0 : checkpointing.everySteps();
        for (int epoch = at.epoch; epoch <= settings.epochs() && !run.stopRequested(); epoch++) {
            boolean resumedInside = at.nextBatch > 0;
            run.epoch = epoch;
            run.learningRate = settings.schedule().rate(settings.learningRate(), epoch - 1, settings.epochs());
            for (Callback c : callbacks) {
                c.onEpochBegin(run);
            }
            long started = System.nanoTime() - (long) (at.seconds * 1e9);
            if (!resumedInside) {
                Splits.shuffle(order, random);
            }
            double sumLoss = at.sumLoss;
            long errors = at.errors;
            int first = at.nextBatch;
            at.nextBatch = 0;
            at.sumLoss = 0;
            at.errors = 0;
            at.seconds = 0;
            for (int b = first; b < batchCount; b++) {
                run.step = b + 1;
                int start = b * batchSize;
                int count = Math.min(batchSize, n - start);
                for (int c = 0; c < callbacks.length; c++) { // indexed loops: no iterator per step
                    callbacks[c].onBatchBegin(run);
                }
                double loss = task.forward(order, start, count, random);
                for (int c = 0; c < callbacks.length; c++) {
                    callbacks[c].afterForward(run, loss);
                }
                task.backward();
                for (int c = 0; c < callbacks.length; c++) {
                    callbacks[c].afterBackward(run, loss);
                }
                for (int t = 0; t < transforms.length; t++) {
                    transforms[t].apply(parameters);
                }
                boolean finite = optimizer.step(parameters, state, run.learningRate);
                for (int c = 0; c < callbacks.length; c++) {
                    callbacks[c].afterUpdate(run, finite);
                }
                sumLoss += loss * count;
                errors += task.batchErrors();
                for (int c = 0; c < callbacks.length; c++) {
                    callbacks[c].onBatchEnd(run, loss);
                }
                at.steps++;
                if (every > 0 && at.steps % every == 0 && b + 1 < batchCount) {
                    at.epoch = epoch;
                    at.nextBatch = b + 1;
                    at.sumLoss = sumLoss;
                    at.errors = errors;
                    long before = System.nanoTime();
                    at.seconds = (before - started) / 1e9;
                    checkpoint(checkpointing, task, (SplitMix64) random, run, state, order, at);
                    started += System.nanoTime() - before; // the epoch's time is its training's, not the write's
                    at.nextBatch = 0;
                    at.sumLoss = 0;
                    at.errors = 0;
                    at.seconds = 0;
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            TrainingTask.Validation validation = task.validate();
            EpochReport report = new EpochReport(epoch, sumLoss / examplesPerEpoch, penalty(parameters),
                    task.classifies() ? (double) errors / examplesPerEpoch : task.trainingError(sumLoss / examplesPerEpoch),
                    validation == null ? Double.NaN : validation.loss(),
                    validation == null ? Double.NaN : validation.error(), run.learningRate, seconds,
                    examplesPerEpoch / seconds, validation == null ? Double.NaN : validation.monitored());
            run.addReport(report);
            for (Callback c : callbacks) {
                c.onEpochEnd(run, report);
            }
            if (checkpointing != null) {
                at.epoch = epoch;
                at.nextBatch = batchCount; // the epoch is complete: its report is made, its callbacks called
                checkpoint(checkpointing, task, (SplitMix64) random, run, state, order, at);
                at.nextBatch = 0;
            }
        }
    }

    // ---------------------------------------------------------------- checkpoints

    /** The whole state of the run, written through the checkpointing's writer. */
    private void checkpoint(Checkpointing checkpointing, TrainingTask task, SplitMix64 random, TrainingRun run,
                            OptimizerState state, int[] order, Position at) {
        TrainingState s = new TrainingState("checkpoint");
        TrainingState loop = s.scope("loop");
        loop.putLong("examples", order.length);
        loop.putLong("batch_count", run.batchCount());
        loop.putLong("epoch", at.epoch);
        loop.putLong("next_batch", at.nextBatch);
        loop.putLong("steps", at.steps);
        loop.putDouble("sum_loss", at.sumLoss);
        loop.putLong("errors", at.errors);
        loop.putDouble("seconds", at.seconds);
        loop.putString("random_seed", Long.toString(random.seed()));
        loop.putString("random_gamma", Long.toString(random.gamma()));
        loop.putInts("order", order);
        loop.putBoolean("stop_requested", run.stopRequested());
        loop.putBoolean("stopped_early", run.stoppedEarly());
        loop.putStrings("warnings", run.warnings());
        List<EpochReport> reports = run.reports();
        loop.putLong("reports", reports.size());
        for (int i = 0; i < reports.size(); i++) {
            putReport(loop.scope("report." + i), reports.get(i));
        }
        TrainingState params = s.scope("parameters");
        for (Parameter p : task.parameters()) {
            params.putTensor(p.name(), p.value());
        }
        TrainingState buffers = s.scope("buffers");
        for (Buffer b : task.buffers()) {
            buffers.putTensor(b.name(), b.value());
        }
        TrainingState opt = s.scope("optimizer");
        opt.putString("name", optimizer.name());
        opt.putLong("step", state.count());
        for (Map.Entry<String, Matrix[]> named : state.tensors().entrySet()) {
            for (int k = 0; k < task.parameters().size(); k++) {
                opt.putTensor(task.parameters().get(k).name() + "." + named.getKey(), named.getValue()[k]);
            }
        }
        for (int c = 0; c < callbacks.length; c++) {
            TrainingState cs = s.scope("callbacks." + c);
            cs.putString("type", callbacks[c].getClass().getName());
            callbacks[c].saveState(cs);
        }
        checkpointing.writer().write(at.steps, s);
    }

    private static void putReport(TrainingState r, EpochReport e) {
        r.putLong("epoch", e.epoch());
        r.putDouble("train_loss", e.trainLoss());
        r.putDouble("penalty", e.penalty());
        r.putDouble("train_error", e.trainError());
        r.putDouble("validation_loss", e.validationLoss());
        r.putDouble("validation_error", e.validationError());
        r.putDouble("learning_rate", e.learningRate());
        r.putDouble("seconds", e.seconds());
        r.putDouble("examples_per_second", e.examplesPerSecond());
        if (!Double.isNaN(e.monitored())) { // absent for val-error and val-loss: checkpoints as before
            r.putDouble("monitored", e.monitored());
        }
    }

    private static EpochReport getReport(TrainingState r) {
        return new EpochReport((int) r.getLong("epoch"), r.getDouble("train_loss"), r.getDouble("penalty"),
                r.getDouble("train_error"), r.getDouble("validation_loss"), r.getDouble("validation_error"),
                r.getDouble("learning_rate"), r.getDouble("seconds"), r.getDouble("examples_per_second"),
                r.has("monitored") ? r.getDouble("monitored") : Double.NaN);
    }

    /** Puts the run back in the state {@code s} describes, checking that it fits this run. */
    private void restore(TrainingState s, TrainingTask task, SplitMix64 random, TrainingRun run, OptimizerState state,
                         int[] order, int batchCount, Position at) {
        TrainingState loop = s.scope("loop");
        if (loop.getLong("examples") != order.length) {
            throw loop.bad("examples", "is " + loop.getLong("examples") + ", but this run trains on " + order.length
                    + " examples");
        }
        if (loop.getLong("batch_count") != batchCount) {
            throw loop.bad("batch_count", "is " + loop.getLong("batch_count") + ", but this run has " + batchCount
                    + " batches per epoch");
        }
        at.epoch = loop.getInt("epoch", 1, settings.epochs());
        at.nextBatch = loop.getInt("next_batch", 1, batchCount);
        at.steps = loop.getLong("steps");
        at.sumLoss = loop.getDouble("sum_loss");
        at.errors = loop.getLong("errors");
        at.seconds = loop.getDouble("seconds");
        long seed;
        long gamma;
        try {
            seed = Long.parseLong(loop.getString("random_seed"));
            gamma = Long.parseLong(loop.getString("random_gamma"));
            random.setState(seed, gamma);
        } catch (IllegalArgumentException e) {
            throw loop.bad("random_gamma", "is not a generator state: " + e.getMessage());
        }
        int[] saved = loop.getInts("order", order.length, order.length);
        System.arraycopy(saved, 0, order, 0, order.length);
        int reports = loop.getInt("reports", 0, settings.epochs());
        for (int i = 0; i < reports; i++) {
            run.addReport(getReport(loop.scope("report." + i)));
        }
        run.restoreWarnings(loop.getStrings("warnings"));
        run.restoreStop(loop.getBoolean("stop_requested"), loop.getBoolean("stopped_early"));
        TrainingState params = s.scope("parameters");
        for (Parameter p : task.parameters()) {
            params.copyTensor(p.name(), p.value());
        }
        TrainingState buffers = s.scope("buffers");
        for (Buffer b : task.buffers()) {
            buffers.copyTensor(b.name(), b.value());
        }
        TrainingState opt = s.scope("optimizer");
        if (!opt.getString("name").equals(optimizer.name())) {
            throw opt.bad("name", "is " + opt.getString("name") + ", but this run's optimizer is " + optimizer.name());
        }
        for (Map.Entry<String, Matrix[]> named : state.tensors().entrySet()) {
            for (int k = 0; k < task.parameters().size(); k++) {
                opt.copyTensor(task.parameters().get(k).name() + "." + named.getKey(), named.getValue()[k]);
            }
        }
        long steps = opt.getLong("step");
        if (steps < 0) {
            throw opt.bad("step", "must be >= 0, got " + steps);
        }
        state.restoreCount(steps);
        for (int c = 0; c < callbacks.length; c++) {
            TrainingState cs = s.scope("callbacks." + c);
            if (!cs.getString("type").equals(callbacks[c].getClass().getName())) {
                throw cs.bad("type", "is " + cs.getString("type") + ", but this run's callback number " + c + " is "
                        + callbacks[c].getClass().getName());
            }
            callbacks[c].restoreState(cs, run);
        }
        if (at.nextBatch == batchCount) { // the epoch was complete: the next one starts afresh
            at.epoch++;
            at.nextBatch = 0;
            at.sumLoss = 0;
            at.errors = 0;
            at.seconds = 0;
        }
        if (reports != at.epoch - 1) {
            throw loop.bad("reports", "is " + reports + ", but the checkpoint is in epoch " + at.epoch);
        }
    }

    /** λΩ(θ) of the chain's penalties, for the report. */
    private double penalty(List<Parameter> parameters) {
        double sum = 0;
        for (GradientTransform t : transforms) {
            if (t instanceof Penalty p) {
                sum += p.value(parameters);
            }
        }
        return sum;
    }
}
