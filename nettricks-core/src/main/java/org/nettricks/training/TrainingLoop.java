package org.nettricks.training;

import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.data.Splits;
import org.nettricks.layers.Parameter;
import org.nettricks.optim.LearningRateSchedule;
import org.nettricks.optim.Optimizer;
import org.nettricks.optim.OptimizerState;
import org.nettricks.regularization.GradientTransform;
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
        try {
            epochs(task, random, run, parameters, state, order, n, batchSize, batchCount, examplesPerEpoch);
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

    private void epochs(TrainingTask task, RandomGenerator random, TrainingRun run, List<Parameter> parameters,
                        OptimizerState state, int[] order, int n, int batchSize, int batchCount, int examplesPerEpoch) {
        for (int epoch = 1; epoch <= settings.epochs() && !run.stopRequested(); epoch++) {
            run.epoch = epoch;
            run.learningRate = settings.schedule().rate(settings.learningRate(), epoch - 1, settings.epochs());
            for (Callback c : callbacks) {
                c.onEpochBegin(run);
            }
            long started = System.nanoTime();
            Splits.shuffle(order, random);
            double sumLoss = 0;
            long errors = 0;
            for (int b = 0; b < batchCount; b++) {
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
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            TrainingTask.Validation validation = task.validate();
            EpochReport report = new EpochReport(epoch, sumLoss / examplesPerEpoch, penalty(parameters),
                    task.classifies() ? (double) errors / examplesPerEpoch : Double.NaN,
                    validation == null ? Double.NaN : validation.loss(),
                    validation == null ? Double.NaN : validation.error(), run.learningRate, seconds,
                    examplesPerEpoch / seconds);
            run.addReport(report);
            for (Callback c : callbacks) {
                c.onEpochEnd(run, report);
            }
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
