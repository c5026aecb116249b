package org.nettricks.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.EnumSet;

import org.nettricks.NetTricks;
import org.nettricks.data.Dataset;
import org.nettricks.io.internal.Json;
import org.nettricks.model.ModelFile;
import org.nettricks.training.EpochReport;
import org.nettricks.evaluation.Evaluator;
import org.nettricks.evaluation.RegressionEvaluator;
import org.nettricks.optim.LearningRateSchedule;
import org.nettricks.InvalidInputException;
import org.nettricks.experiment.Checkpoints;
import org.nettricks.experiment.Experiment;
import org.nettricks.config.Recipe;
import org.nettricks.training.TrainingDivergedException;
import org.nettricks.training.TrainingHistory;

/** {@code nettricks train}: flags and recipe file → {@link Recipe} → {@link Experiment}. */
final class TrainCommand extends Command {
    TrainCommand() {
        super(new Definition("train",
                "train a classifier or a regression on a data set, evaluate it on the test set, save it",
                List.of("usage: nettricks train --data SOURCE [flags]",
                        "       nettricks train --recipe FILE [flags]"), """
                Trains a multilayer network with softmax outputs and the negative log-likelihood on
                mini-batches, prints one line per epoch, evaluates once on the test set, and saves the
                model (safetensors) when --out is given. Every setting can also be given in a recipe
                file (JSON, or YAML 'key: value' lines) under the flag's name without dashes; flags on
                the command line override the file.""",
                EnumSet.of(Shared.RECIPE, Shared.THREADS), List.of(
                Flag.value("output", "--out", "FILE", "save the trained model (safetensors) to FILE, atomically"),
                Flag.value("output", "--filters", "FILE.png", "write the first layer's filters (one tile per hidden"
                        + " unit) as a PNG after training"),
                Flag.toggle("output", "--json", "print the final figures as one JSON object on standard output (the"
                        + " progress goes to standard error)"),
                Flag.value("checkpoints", "--resume", "DIR", "continue the run whose checkpoints are in DIR from its"
                        + " latest complete checkpoint, ending with the model the uninterrupted run would have saved"
                        + " (same recipe, backend and threads: settings not given are the checkpoint's; a larger"
                        + " --epochs continues a finished run); keeps checkpointing into DIR"),
                Flag.toggle("output", "--test-each-epoch", "also print the test error (regression: the test RMSE)"
                        + " after every epoch, for learning curves (never used to choose anything: early stopping and model selection use the"
                        + " validation set only)"))));
    }

    @Override
    boolean writesReport() {
        return true;
    }

    @Override
    int run(Invocation invocation) {
        Flags flags = invocation.flags();
        PrintStream out = invocation.out();
        PrintStream err = invocation.err();
        Recipe recipe = invocation.recipe();
        OutputPaths outputs = OutputPaths.forRecipe(recipe, flags); // every output checked before the run
        Path outPath = flags.has("--out") ? outputs.file("--out", flags.string("--out", null)) : null;
        Path filtersPath = flags.has("--filters") ? outputs.file("--filters", flags.string("--filters", null)) : null;
        Path reportPath = recipe.report() == null ? null : outputs.file("`report`", recipe.report());
        Path plotsPath = recipe.plots() == null ? null : outputs.directory("`plots`", recipe.plots());
        boolean json = flags.has("--json");
        PrintStream lines = json ? err : out;

        Path resumeDir = flags.has("--resume") ? Path.of(flags.string("--resume", null)) : null;
        Path checkpointDir = checkpointDirectory(recipe, resumeDir, outputs);

        Checkpoints[] opened = new Checkpoints[1]; // read and checked before the backend's notice: one line if refused
        try (Invocation.Prepared prepared = invocation.prepare(recipe, e -> opened[0] = checkpointDir == null ? null
                : resumeDir != null ? Checkpoints.resume(e, checkpointDir, recipe.checkpointEvery())
                : Checkpoints.start(e, checkpointDir, recipe.checkpointEvery()))) {
            Experiment experiment = prepared.experiment();
            Checkpoints checkpoints = opened[0];
            Dataset train = experiment.train();
            lines.println("nettricks " + NetTricks.VERSION + " train · backend " + prepared.backend().name() + " x"
                    + prepared.backend().threads() + " · seed " + recipe.seed());
            lines.println("recipe " + Json.write(recipe.toMap()));
            lines.println("data " + recipe.data().source() + ": " + train.size() + " train, "
                    + (experiment.validation() == null ? 0 : experiment.validation().size()) + " validation, "
                    + experiment.test().size() + " test · " + train.featureCount() + " features · "
                    + (recipe.regression() ? Format.count(train.targetCount(), "target") + " " + train.targetNames()
                    + (recipe.network().initFrom() != null ? " (standardized with the mean and population std of"
                    + " --init-from's model, not refitted)" : " (standardized with the training split's mean and"
                    + " population std)")
                    : train.classCount() + " classes") + " · normalization " + experiment.normalization().kind().displayName());
            lines.println("network " + describe(recipe, experiment));
            for (String warning : experiment.warnings()) {
                err.println("warning: " + SettingNames.asFlags(warning));
            }
            for (String note : experiment.notes()) {
                err.println("note: " + SettingNames.asFlags(note));
            }
            PrintStream redraw = invocation.interactive() ? err : null;
            ConsoleReporter reporter = new ConsoleReporter(lines, redraw, recipe.epochs(),
                    recipe.regularization().l1() > 0 || recipe.regularization().l2() > 0,
                    !(recipe.optimizer().schedule() instanceof LearningRateSchedule.Constant),
                    flags.has("--test-each-epoch") ? testWatcher(experiment) : null)
                    .regression(recipe.regression()).monitor(recipe.regularization().monitor());
            if (checkpoints != null) {
                for (String notice : checkpoints.notices()) {
                    err.println(SettingNames.asFlags(notice));
                }
                if (resumeDir != null && outPath == null) { // --out is an output, not part of the recorded recipe
                    err.println("note: no --out given: the resumed run's model will not be saved; give --out FILE"
                            + " to keep it");
                }
            }
            reporter.printHeader();
            // with --test-each-epoch the report draws the test curves too (regression: loss and RMSE)
            Reports report = Reports.of(experiment, recipe, prepared.backend(), "train", reportPath, plotsPath,
                    flags.has("--test-each-epoch"));
            Experiment.Result result;
            try {
                result = experiment.run(report == null ? reporter : report.listener(reporter), checkpoints,
                        report == null ? List.of() : List.of(report.statistics()));
            } catch (java.io.UncheckedIOException e) {
                if (checkpoints == null) {
                    throw e;
                }
                throw new InvalidInputException("--checkpoint " + checkpoints.directory() + ": " + e.getMessage());
            } catch (TrainingDivergedException e) {
                err.println("nettricks train: " + SettingNames.asFlags(e.getMessage()));
                if (outPath != null) {
                    saveDiverged(e, experiment, outPath, err);
                }
                return Main.FAILED;
            }
            TrainingHistory history = result.history();
            if (recipe.regularization().patience() > 0) {
                lines.println(earlyStoppingLine(recipe, history));
            }
            if (result.regressionTest() != null) {
                RegressionOutput.print(lines, "test: ", result.regressionTest());
            } else {
                lines.println(String.format(Locale.ROOT, "test: loss %s  error %s  accuracy %s  (%d examples)",
                        Format.loss(result.test().loss()), Format.percent(result.test().error()),
                        Format.percent(result.test().accuracy()), result.test().size()));
            }
            lines.println(checkpoints != null && checkpoints.resumePoint() != null && reporter.epochsTrained() == 0
                    && !history.epochs().isEmpty() ? nothingToTrain(history, recipe)
                    : trainedLine(history, checkpoints == null ? null : checkpoints.resumePoint(), reporter,
                    result.examplesPerSecond(train.size())));
            if (outPath != null) {
                if (!saveModel(result.model(), experiment, outPath, err)) {
                    return Main.FAILED;
                }
                lines.println("model saved to " + outPath);
            }
            if (filtersPath != null) {
                writeFilters(experiment, filtersPath);
                lines.println("first-layer filters written to " + flags.string("--filters", null));
            }
            if (reportPath != null) {
                lines.println("report written to " + reportPath);
            }
            if (plotsPath != null) {
                lines.println(report.writePlots(plotsPath) + " plot files (SVG and PNG) written to " + plotsPath);
            }
            if (json) {
                Map<String, Object> summary = summary(recipe, result, train.size(), outPath);
                summary.put("epochs_run", reporter.epochsTrained());
                if (flags.has("--test-each-epoch")) {
                    summary.put(recipe.regression() ? "test_rmse_per_epoch" : "test_error_per_epoch",
                            reporter.testErrors());
                }
                out.println(Json.write(summary));
            }
        }
        return 0;
    }

    /**
     * The test figure of {@code --test-each-epoch}: the error (share misclassified) of a classifier,
     * the RMSE in original units (mean over targets) of a regression network.
     */
    private static java.util.function.DoubleSupplier testWatcher(Experiment experiment) {
        if (experiment.targetScaling() != null) {
            RegressionEvaluator e = new RegressionEvaluator(experiment.network(), experiment.test(),
                    experiment.targetScaling(), recipe(experiment));
            return () -> e.evaluate().meanRmse();
        }
        Evaluator e = new Evaluator(experiment.network(), experiment.test());
        return () -> e.evaluate().error();
    }

    /**
     * What early stopping did: the monitored metric, the epochs, and the restored epoch's figures
     * (for a metric other than the error and the loss, its figure too).
     */
    static String earlyStoppingLine(Recipe recipe, TrainingHistory history) {
        EpochReport best = history.epochs().get(history.bestEpoch() - 1);
        org.nettricks.evaluation.Metric monitor = recipe.regularization().monitor();
        String figures = recipe.regression()
                ? "validation loss " + Format.loss(best.validationLoss()) + ", rmse "
                + RegressionOutput.number(best.validationError())
                : "validation error " + Format.percent(best.validationError());
        if (!monitor.isErrorOrLoss() && !monitor.equals(org.nettricks.evaluation.Metric.VAL_RMSE)) {
            figures += ", " + monitor.name() + " " + ConsoleReporter.figure(monitor, best.monitored());
        }
        return String.format(Locale.ROOT, "early stopping (%s, patience %d): %s after epoch %d; parameters of epoch"
                        + " %d restored (%s)", monitor.name(), recipe.regularization().patience(),
                history.stoppedEarly() ? "stopped" : "ran to the limit", history.epochs().size(), history.bestEpoch(),
                figures);
    }

    /**
     * The checkpoint directory: {@code --resume DIR}'s, else the recipe's {@code checkpoint}, else
     * null; checked with the other outputs, so that a directory that cannot be made fails before
     * training, and not created: the first checkpoint creates it, so a run refused before it starts
     * leaves nothing behind.
     */
    static Path checkpointDirectory(Recipe recipe, Path resumeDir, OutputPaths outputs) {
        Path dir = resumeDir;
        if (recipe.checkpoint() != null) {
            Path given = Path.of(recipe.checkpoint());
            if (dir != null && !given.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
                throw new UsageException("--checkpoint " + given + " and --resume " + dir + " name different"
                        + " directories; a resumed run keeps checkpointing into the one it resumes: drop --checkpoint");
            }
            dir = given;
        }
        if (dir == null) {
            if (recipe.checkpointEvery() > 0) {
                throw new UsageException("--checkpoint-every " + recipe.checkpointEvery() + " needs a checkpoint"
                        + " directory: give --checkpoint DIR (or --resume DIR)");
            }
            return null;
        }
        outputs.directory(resumeDir != null ? "--resume" : "--checkpoint", dir.toString());
        return dir;
    }

    static void writeFilters(Experiment experiment, Path png) {
        try {
            org.nettricks.io.FilterImage.write(experiment.network().denseLayers().get(0).weight().value(), 400, png);
        } catch (IOException e) {
            throw OutputPaths.writeFailed("--filters", png, e);
        }
    }

    /**
     * After a divergence: saves the model the network holds only if an epoch was validated (the best
     * epoch early stopping restored, or the last good step after at least one epoch), never the
     * parameters of a run that diverged in its first epoch; one line on {@code err} either way. An
     * existing file is replaced only by a model that is saved.
     */
    private static void saveDiverged(TrainingDivergedException e, Experiment experiment, Path outPath,
                                     PrintStream err) {
        if (e.completedEpochs().isEmpty()) {
            err.println("nettricks train: no model written to " + outPath + ": training diverged in its first epoch,"
                    + " before any model was validated" + (Files.exists(outPath) ? "; the existing file is left as it"
                    + " was" : ""));
            return;
        }
        if (!saveModel(experiment.lastGoodModel(), experiment, outPath, err)) {
            return;
        }
        if (e.keptEpoch() > 0) {
            err.println("the model of the best epoch (" + e.keptEpoch() + ") is saved to " + outPath);
        } else {
            Dataset check = checkData(experiment);
            err.println("the last good model (epoch " + e.epoch() + ", before step " + e.step() + "; "
                    + (check == experiment.validation() ? "validation" : "training") + (check.hasTargets()
                    ? " rmse " + RegressionOutput.number(new RegressionEvaluator(experiment.network(), check,
                    experiment.targetScaling(), recipe(experiment)).evaluate().meanRmse())
                    : " error " + Format.percent(new Evaluator(experiment.network(), check).evaluate().error()))
                    + ") is saved to " + outPath);
        }
    }

    private static org.nettricks.losses.RegressionLoss recipe(Experiment experiment) {
        return experiment.recipe().optimizer().regressionLoss();
    }

    /** A regressor's examples of {@code check} with a NaN or an infinity among their outputs. */
    private static int nonFiniteOutputs(Experiment experiment, Dataset check) {
        double[] z = new RegressionEvaluator(experiment.network(), check, experiment.targetScaling(),
                recipe(experiment)).predictions();
        int k = check.targetCount();
        int bad = 0;
        for (int i = 0; i < check.size(); i++) {
            for (int j = 0; j < k; j++) {
                if (!Double.isFinite(z[i * k + j])) {
                    bad++;
                    break;
                }
            }
        }
        return bad;
    }

    /** The validation examples, or (without a validation split) up to 1,000 training examples. */
    private static Dataset checkData(Experiment experiment) {
        if (experiment.validation() != null) {
            return experiment.validation();
        }
        Dataset train = experiment.train();
        if (train.size() <= Evaluator.DEFAULT_BATCH_SIZE) {
            return train;
        }
        return train.subset(java.util.stream.IntStream.range(0, Evaluator.DEFAULT_BATCH_SIZE).toArray(),
                train.source() + " (first " + Evaluator.DEFAULT_BATCH_SIZE + " training examples)");
    }

    /**
     * Saves the model; false (after one line on {@code err}) when its outputs on the validation data
     * (or a sample of the training data) are not all finite, or it holds a NaN or an infinity, which
     * the writer refuses, leaving any existing file as it was.
     */
    private static boolean saveModel(org.nettricks.model.Classifier model, Experiment experiment, Path outPath,
                                     PrintStream err) {
        Dataset check = checkData(experiment);
        int nonFinite = check.hasTargets() ? nonFiniteOutputs(experiment, check)
                : new Evaluator(experiment.network(), check).evaluate().nonFinite();
        if (nonFinite > 0) {
            err.println("nettricks train: model not written to " + outPath + ": its outputs on " + nonFinite + " of "
                    + check.size() + (check == experiment.validation() ? " validation" : " training") + " examples are"
                    + " not finite (NaN or infinite), so it cannot classify them; any existing file is left as it"
                    + " was");
            return false;
        }
        try {
            ModelFile.save(model, outPath);
            return true;
        } catch (IllegalArgumentException e) {
            err.println("nettricks train: " + e.getMessage());
            return false;
        } catch (IOException e) {
            throw OutputPaths.writeFailed("--out", outPath, e);
        }
    }

    /**
     * The summary line: "trained 6 epochs in 0.4 s, …", or for a resumed run the epochs this process
     * ran, "trained epochs 2–6 (resumed after epoch 1) in 0.3 s, …", with the seconds of those epochs.
     */
    static String trainedLine(TrainingHistory history, String resumePoint, ConsoleReporter reporter,
                              double examplesPerSecond) {
        if (resumePoint == null) {
            return String.format(Locale.ROOT, "trained %s in %.1f s, %s examples/s",
                    Format.count(history.epochs().size(), "epoch"), history.trainingSeconds(),
                    Format.rate(examplesPerSecond));
        }
        int first = reporter.firstEpochTrained();
        int count = reporter.epochsTrained();
        double seconds = 0;
        for (EpochReport r : history.epochs()) {
            if (count > 0 && r.epoch() >= first) {
                seconds += r.seconds();
            }
        }
        String epochs = count == 0 ? "no epochs" : count == 1 ? "epoch " + first
                : "epochs " + first + "–" + (first + count - 1);
        return String.format(Locale.ROOT, "trained %s (resumed %s) in %.1f s, %s examples/s", epochs, resumePoint,
                seconds, Format.rate(examplesPerSecond));
    }

    /**
     * The summary line of a resumed run that had already finished (found by a fresh user: it said
     * "trained no epochs … 8,067 examples/s"): that it had, and how to continue it, if it can be
     * (more --epochs, unless early stopping ended it or its schedule depends on the total epoch count).
     */
    static String nothingToTrain(TrainingHistory history, Recipe recipe) {
        int last = history.last().epoch();
        if (history.stoppedEarly()) {
            return "nothing to train: the checkpoint's run had stopped early after epoch " + last;
        }
        String finished = "nothing to train: the checkpoint's run finished after epoch " + last;
        double lr = recipe.optimizer().learningRate();
        var schedule = recipe.optimizer().schedule();
        for (int e = 0; e < last; e++) {
            if (Double.doubleToLongBits(schedule.rate(lr, e, last)) != Double.doubleToLongBits(schedule.rate(lr, e,
                    last + 1))) {
                return finished + "; its --schedule " + schedule.describe() + " depends on the total epoch count, so"
                        + " it cannot be continued: start a new run from its model with --init-from";
            }
        }
        return finished + "; give --epochs M > " + last + " to continue it";
    }

    /**
     * The activation and the layer tricks that change a step's work, e.g. {@code relu · batch norm ·
     * dropout 0.5}: how train's network line and bench's header name them.
     */
    static String layerTricks(Recipe.NetworkPart n) {
        StringBuilder sb = new StringBuilder(n.activation().displayName());
        if (n.batchNorm()) {
            sb.append(" · batch norm");
        }
        if (!n.dropout().isEmpty()) {
            sb.append(" · dropout ").append(n.dropout().toString().replaceAll("[\\[\\] ]", ""));
        }
        if (n.inputDropout() > 0) {
            sb.append(" · input dropout ").append(n.inputDropout());
        }
        return sb.toString();
    }

    private static String describe(Recipe recipe, Experiment experiment) {
        Recipe.NetworkPart n = recipe.network();
        StringBuilder sb = new StringBuilder(experiment.network().architecture().describe());
        sb.append(' ').append(layerTricks(n));
        sb.append(n.initFrom() != null ? " · init-from " + n.initFrom() : " · init " + n.init().displayName());
        if (n.freeze() > 0) {
            sb.append(" · freeze ").append(n.freeze());
        }
        // the loss and the weights where they differ from the defaults (squared error, none)
        org.nettricks.losses.RegressionLoss loss = recipe.optimizer().regressionLoss();
        if (loss != null && loss.kind() == org.nettricks.losses.RegressionLoss.Kind.HUBER) {
            sb.append(" · huber loss δ ").append(loss.delta());
        }
        if (recipe.optimizer().classWeights().kind() != org.nettricks.losses.ClassWeights.Kind.NONE) {
            sb.append(" · class weights ").append(recipe.optimizer().classWeights().describe());
        }
        if (recipe.data().weightColumn() != null) {
            sb.append(" · example weights from column ").append(recipe.data().weightColumn());
        }
        sb.append(" · ").append(recipe.optimizer().rule().displayName()).append(" lr ")
                .append(recipe.optimizer().learningRate());
        if (!(recipe.optimizer().schedule() instanceof LearningRateSchedule.Constant)) {
            sb.append(" ").append(recipe.optimizer().schedule().describe());
        }
        Recipe.RegularizationPart r = recipe.regularization();
        if (r.l1() > 0) {
            sb.append(" · L1 ").append(r.l1());
        }
        if (r.l2() > 0) {
            sb.append(" · L2 ").append(r.l2());
        }
        if (r.clipNorm() > 0) {
            sb.append(" · clip ").append(r.clipNorm());
        }
        sb.append(" · batch ").append(recipe.batchSize()).append(" · ").append(recipe.epochs())
                .append(recipe.epochs() == 1 ? " epoch" : " epochs");
        if (r.patience() > 0) {
            sb.append(" (early stopping, patience ").append(r.patience()).append(')');
        }
        return sb.append(" · ").append(recipe.precision().displayName()).toString();
    }

    private static Map<String, Object> summary(Recipe recipe, Experiment.Result result, int trainSize, Path outPath) {
        TrainingHistory h = result.history();
        EpochReport last = h.last();
        Map<String, Object> m = new LinkedHashMap<>();
        if (result.regressionTest() != null) {
            m.put("test", RegressionOutput.json(result.regressionTest()));
            m.put("loss", result.regressionTest().loss());
            m.put("test_examples", result.regressionTest().size());
        } else {
            m.put("accuracy", result.test().accuracy());
            m.put("error", result.test().error());
            m.put("loss", result.test().loss());
            m.put("test_examples", result.test().size());
        }
        m.put("epochs", h.epochs().size());
        m.put("best_epoch", h.bestEpoch());
        m.put("stopped_early", h.stoppedEarly());
        m.put("examples_per_second", result.examplesPerSecond(trainSize));
        m.put("training_seconds", h.trainingSeconds());
        m.put("final_train_loss", last.trainLoss());
        m.put("final_penalty", last.penalty());
        m.put("final_train_error", last.trainError());
        m.put("final_validation_loss", last.validationLoss());
        m.put("final_validation_error", last.validationError());
        m.put(recipe.regression() ? "validation_rmse_per_epoch" : "validation_error_per_epoch",
                h.epochs().stream().map(EpochReport::validationError).toList());
        org.nettricks.evaluation.Metric monitor = recipe.regularization().monitor();
        m.put("monitor", monitor.name());
        m.put("monitor_direction", monitor.direction().displayName());
        m.put("monitored_per_epoch", h.epochs().stream().map(r -> r.valueOf(monitor)).toList());
        if (h.initial() != null) { // a warm start's figures before any update
            EpochReport e0 = h.initial();
            Map<String, Object> zero = new LinkedHashMap<>();
            zero.put("train_loss", e0.trainLoss());
            zero.put("penalty", e0.penalty());
            zero.put("train_error", e0.trainError());
            zero.put("validation_loss", e0.validationLoss());
            zero.put("validation_error", e0.validationError());
            m.put("epoch_0", zero);
        }
        m.put("warnings", SettingNames.asFlags(h.warnings()));
        m.put("model", outPath == null ? null : outPath.toString());
        m.put("recipe", recipe.toMap());
        m.put("nettricks_version", NetTricks.VERSION);
        return m;
    }

}
