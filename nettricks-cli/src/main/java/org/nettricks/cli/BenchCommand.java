package org.nettricks.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.EnumSet;

import org.nettricks.NetTricks;
import org.nettricks.training.BackgroundCheckpointWriter;
import org.nettricks.training.CheckpointDirectory;
import org.nettricks.training.TrainingLoop;
import org.nettricks.data.Dataset;
import org.nettricks.io.internal.Json;
import org.nettricks.layers.Mode;
import org.nettricks.network.Network;
import org.nettricks.tensor.Matrix;
import org.nettricks.training.AllocationMeter;
import org.nettricks.training.EpochReport;
import org.nettricks.training.StepProfile;
import org.nettricks.experiment.Experiment;
import org.nettricks.config.Recipe;
import org.nettricks.training.Callback;
import org.nettricks.training.Trainer;
import org.nettricks.training.TrainingConfig;
import org.nettricks.training.TrainingDivergedException;
import org.nettricks.training.TrainingListener;

/**
 * {@code nettricks bench}: training and inference throughput of a recipe's network, measured the
 * way the PyTorch reference script measures (scripts/peers/torch_mlp.py).
 */
final class BenchCommand extends Command {
    BenchCommand() {
        super(new Definition("bench",
                "training and inference throughput (examples/s) and peak memory",
                List.of("usage: nettricks bench --data SOURCE [recipe flags] [--measure-epochs N] [--infer-reps N]"
                        + " [--profile] [--json]"), """
                Trains the recipe's network for one warm-up epoch, then measures --measure-epochs whole
                epochs (the recipe's --epochs and early stopping are not used; shuffle,
                batch gathering, forward, backward, penalty, optimizer step and the training guards; no
                validation), then inference on the test set in batches of 1,000 (one warm-up pass, then
                --infer-reps timed passes). Reports examples per second (median over the measured
                epochs and passes), the peak resident memory of the process, and the heap bytes the
                training step allocates (JVM per-thread counters in each measured epoch, the fewest kept:
                the JVM's own rare allocations do not land in every epoch; 0 once the workspaces exist).""",
                EnumSet.of(Shared.RECIPE, Shared.THREADS), List.of(
                Flag.value("bench", "--measure-epochs", "N", "epochs measured after the warm-up epoch (default: 1)"),
                Flag.value("bench", "--infer-reps", "N", "timed inference passes over the test set (default: 3)"),
                Flag.toggle("bench", "--profile", "also time the phases of each measured step (forward, backward,"
                        + " update, between steps) and print the mean microseconds per step in each (the rates are"
                        + " medians over epochs and passes); the clock reads cost a"
                        + " few hundred nanoseconds per step"),
                Flag.toggle("bench", "--json", "print train_examples_per_second, infer_examples_per_second,"
                        + " peak_rss_mib, allocated_bytes_per_step, the per-epoch and per-pass figures, the JVM's"
                        + " arguments and, with --profile, step_profile_microseconds as JSON"))));
    }

    @Override
    boolean writesReport() {
        return true;
    }

    @Override
    int run(Invocation invocation) {
        Flags flags = invocation.flags();
        PrintStream out = invocation.out();
        Recipe recipe = invocation.recipe();
        int measureEpochs = flags.integer("--measure-epochs", 1, 1, "1");
        int reps = flags.integer("--infer-reps", 3, 1, "3");
        if (recipe.plots() != null) {
            throw new UsageException("`plots` " + recipe.plots() + ": bench writes no plots (train does); drop `plots`");
        }
        Path reportPath = recipe.report() == null ? null : OutputPaths.forRecipe(recipe, flags).file("`report`",
                recipe.report());
        try (Invocation.Prepared prepared = invocation.prepare(recipe)) {
            Experiment experiment = prepared.experiment();
            Network network = experiment.network();
            Dataset train = experiment.train();
            TrainingConfig base = Experiment.trainingConfig(recipe);
            TrainingConfig config = new TrainingConfig(1 + measureEpochs, base.batchSize(), base.learningRate(),
                    base.schedule(), base.penalty(), base.clipping(), null, false);
            List<Double> trainRates = new ArrayList<>();
            AllocationMeter allocation = new AllocationMeter(2, 1 + measureEpochs); // the fewest bytes over the measured epochs
            StepProfile profile = flags.has("--profile") ? new StepProfile(2) : null;
            CheckpointCost cost = recipe.checkpoint() == null ? null : new CheckpointCost(Path.of(recipe.checkpoint()));
            Reports report = Reports.of(experiment, recipe, prepared.backend(), "bench", reportPath, null, false);
            List<Double> trainSeconds = new ArrayList<>();
            try {
                fit(recipe, config, experiment.targetScaling(), network, train, allocation, trainRates, trainSeconds,
                        profile, report, cost);
            } catch (TrainingDivergedException e) {
                // as train reports it: the job ran and failed, exit status 1
                invocation.err().println("nettricks bench: " + SettingNames.asFlags(e.getMessage()));
                return Main.FAILED;
            }
            Dataset test = experiment.test();
            List<Double> inferRates = inferenceRates(network, test, reps);
            double trainMedian = median(trainRates);
            double inferMedian = median(inferRates);
            double rss = peakRssMib();
            if (flags.has("--json")) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("train_examples_per_second", trainMedian);
                m.put("infer_examples_per_second", inferMedian);
                m.put("peak_rss_mib", rss);
                m.put("allocated_bytes_per_step", allocation.bytesPerStep());
                if (profile != null) {
                    m.put("step_profile_microseconds", profile.microsecondsPerStep());
                }
                if (cost != null) {
                    m.put("checkpoint_write_seconds", List.copyOf(cost.seconds));
                    m.put("checkpoint_bytes", cost.bytes);
                    m.put("checkpoint_blocking_seconds", cost.blockingSeconds());
                    m.put("checkpoint_share_of_epoch", cost.blockingSeconds() * trainMedian / train.size());
                }
                if (report != null) {
                    m.put("report_seconds_per_epoch", reportSeconds(report));
                    m.put("report_share_of_training_time", reportShare(report, trainSeconds));
                }
                m.put("train_examples_per_second_per_epoch", trainRates);
                m.put("infer_examples_per_second_per_pass", inferRates);
                m.put("backend", prepared.backend().name());
                m.put("threads", prepared.backend().threads());
                m.put("jvm_arguments", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
                m.put("network", network.architecture().describe());
                m.put("backend", prepared.backend().name());
                m.put("threads", prepared.backend().threads());
                m.put("backend_provenance", prepared.backend().provenance()); // the BLAS library and its kernel
                m.put("recipe", recipe.toMap());
                m.put("nettricks_version", NetTricks.VERSION);
                out.println(Json.write(m));
            } else {
                out.println("bench " + network.architecture().describe() + " " + tricks(recipe) + " · backend "
                        + prepared.backend().name() + " x" + prepared.backend().threads() + " · batch "
                        + recipe.batchSize() + " · " + recipe.optimizer().rule().displayName()
                        + " · " + recipe.precision().displayName());
                out.println(String.format(Locale.ROOT, "train: %s examples/s (median of %s after a warm-up"
                        + " epoch: %s)", Format.rate(trainMedian), Format.count(trainRates.size(), "epoch"),
                        rates(trainRates)));
                out.println(String.format(Locale.ROOT, "infer: %s examples/s (batches of 1,000, median of %s over %s:"
                        + " %s)", Format.rate(inferMedian), Format.count(inferRates.size(), "pass"),
                        Format.count(test.size(), "test example"), rates(inferRates)));
                out.println(String.format(Locale.ROOT, "peak resident memory: %.0f MiB", rss));
                if (cost != null) {
                    double write = median(cost.seconds);
                    out.println(String.format(Locale.ROOT, "checkpoint: %.3f s per write on its own thread (median of"
                            + " %s of %,d bytes: %s); the training thread spent %.3f s per checkpoint, %.2f%% of an"
                            + " epoch's training time", write, Format.count(cost.seconds.size(), "write"), cost.bytes,
                            String.join(", ", List.copyOf(cost.seconds).stream().map(x -> String.format(Locale.ROOT,
                                    "%.3f s", x)).toList()), cost.blockingSeconds(),
                            100 * cost.blockingSeconds() * trainMedian / train.size()));
                }
                double bytes = allocation.bytesPerStep();
                out.println(Double.isNaN(bytes) ? "allocated per training step: not measured (fewer than 3 batches)"
                        : "allocated per training step: " + describeBytesPerStep(bytes)
                        + (bytes > 0 && measureEpochs == 1 ? "; one epoch measured: code the JIT has not yet"
                        + " optimized may allocate in it (--measure-epochs 3 keeps the epoch with the fewest)" : ""));
                if (profile != null) {
                    StringBuilder sb = new StringBuilder("step profile (µs per step, " + Format.count(profile.steps(),
                            "step") + "):");
                    profile.microsecondsPerStep().forEach((phase, us) -> sb.append(String.format(Locale.ROOT,
                            " %s %.2f", phase, us)));
                    out.println(sb);
                }
                if (report != null) {
                    out.println(String.format(Locale.ROOT, "report callback (--report %s): %s s per measured epoch,"
                                    + " %.2f%% of the epoch's training time (median over %s)", report.file(),
                            String.join(", ", reportSeconds(report).stream().map(x -> String.format(Locale.ROOT,
                                    "%.4f", x)).toList()), 100 * reportShare(report, trainSeconds),
                            Format.count(trainSeconds.size(), "epoch")));
                }
            }
        }
        return 0;
    }

    /**
     * {@code bench --checkpoint DIR}: the wall time of each checkpoint write (one at the end of each
     * epoch, in DIR, which must hold no checkpoints) and the size of the file.
     */
    private static final class CheckpointCost {
        final CheckpointDirectory directory;
        /** Wall time of each write on the writer's thread (encoding, writing, fsync, rename). */
        final List<Double> seconds = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile long bytes;
        BackgroundCheckpointWriter writer;

        CheckpointCost(Path dir) {
            directory = new CheckpointDirectory(dir);
            try {
                if (!directory.checkpoints().isEmpty()) {
                    throw new UsageException("--checkpoint " + dir + " holds checkpoints; bench writes its own: give an"
                            + " empty or new directory");
                }
            } catch (IOException e) {
                throw new UsageException("--checkpoint " + dir + ": cannot list the directory: " + e.getMessage());
            }
        }

        TrainingLoop.Checkpointing checkpointing() {
            writer = new BackgroundCheckpointWriter((steps, state) -> {
                long started = System.nanoTime();
                try {
                    Path file = directory.write(steps, Map.of("phase", "bench"), state);
                    seconds.add((System.nanoTime() - started) / 1e9);
                    bytes = Files.size(file);
                } catch (IOException e) {
                    throw OutputPaths.writeFailed("--checkpoint", directory.path(), e);
                }
            });
            return new TrainingLoop.Checkpointing(null, 0, writer);
        }

        /** Mean wall time the training thread spent per checkpoint (copying the state, waiting for a write). */
        double blockingSeconds() {
            return writer.writes() == 0 ? 0 : writer.blockingSeconds() / writer.writes();
        }
    }

    /** The activation and the tricks that change a step's work, as train's network line names them. */
    static String tricks(Recipe recipe) {
        return TrainCommand.layerTricks(recipe.network()) + (recipe.regression() ? " · regression" : "");
    }

    /** One warm-up epoch, then the measured ones, recording their rates and the bytes each step allocates. */
    private static void fit(Recipe recipe, TrainingConfig config, org.nettricks.data.TargetScaling scaling,
                            Network network, Dataset train, AllocationMeter allocation, List<Double> trainRates,
                            List<Double> trainSeconds, StepProfile profile, Reports report, CheckpointCost cost) {
        // SplitMix64 draws what new SplittableRandom(seed) drew, and its state can be checkpointed
        List<Callback> callbacks = new ArrayList<>();
        if (profile != null) {
            callbacks.add(profile);
        }
        if (report != null) {
            callbacks.add(report.statistics());
        }
        Trainer trainer = new Trainer(Experiment.optimizer(recipe), config);
        if (scaling != null) { // --task regression: the regression loss on standardized targets, as train runs it
            trainer = trainer.regression(scaling, recipe.optimizer().regressionLoss());
        }
        trainer.fit(network, train, null,
                new org.nettricks.random.SplitMix64(recipe.seed()), new TrainingListener() {
                    @Override
                    public void onBatchEnd(int epoch, int batch, int batches, double loss) {
                        allocation.onBatchEnd(epoch, batch, batches, loss);
                    }

                    @Override
                    public void onEpochEnd(EpochReport report) {
                        if (report.epoch() > 1) {
                            trainRates.add(report.examplesPerSecond());
                            trainSeconds.add(report.seconds());
                        }
                    }
                }, callbacks, cost == null ? null : cost.checkpointing());
    }

    /** The report callback's seconds in each measured epoch (after the warm-up one). */
    private static List<Double> reportSeconds(Reports report) {
        List<Double> all = report.statistics().secondsPerEpoch();
        return all.subList(Math.min(1, all.size()), all.size());
    }

    /**
     * The median over the measured epochs of the report callback's seconds (its sampled steps, its
     * end-of-epoch figures and the file's rewrite) over the epoch's training seconds.
     */
    private static double reportShare(Reports report, List<Double> trainSeconds) {
        List<Double> spent = reportSeconds(report);
        List<Double> shares = new ArrayList<>();
        for (int i = 0; i < Math.min(spent.size(), trainSeconds.size()); i++) {
            shares.add(spent.get(i) / trainSeconds.get(i));
        }
        return shares.isEmpty() ? Double.NaN : median(shares);
    }

    /**
     * Bytes per step as printed: a whole number as such; an average below 16 bytes (the smallest
     * Java object) is no allocation made at every step, and says so.
     */
    static String describeBytesPerStep(double bytes) {
        if (bytes == Math.rint(bytes)) {
            return String.format(Locale.ROOT, "%.0f bytes", bytes);
        }
        String value = java.math.BigDecimal.valueOf(bytes).round(new java.math.MathContext(2)).stripTrailingZeros()
                .toPlainString();
        return value + " bytes on average" + (bytes < 16 ? " (less than one object per step: an allocation once"
                + " per epoch or rarer, not in every step)" : "");
    }

    /** Forward passes over the test set in batches of 1,000: one warm-up, then {@code reps} timed. */
    static List<Double> inferenceRates(Network network, Dataset test, int reps) {
        int n = test.size();
        List<Matrix> batches = new ArrayList<>();
        for (int start = 0; start < n; start += 1000) {
            batches.add(test.rows(start, Math.min(1000, n - start), network.precision()));
        }
        List<Double> rates = new ArrayList<>();
        for (int rep = 0; rep <= reps; rep++) {
            long t = System.nanoTime();
            for (Matrix x : batches) {
                network.forward(x, Mode.EVAL);
            }
            double seconds = (System.nanoTime() - t) / 1e9;
            if (rep > 0) {
                rates.add(n / seconds);
            }
        }
        return rates;
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String rates(List<Double> values) {
        return String.join(", ", values.stream().map(Format::rate).toList());
    }

    /** VmHWM from /proc/self/status: the peak resident set size, in MiB; NaN where unavailable. */
    static double peakRssMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Double.parseDouble(parts[1]) / 1024.0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

}
