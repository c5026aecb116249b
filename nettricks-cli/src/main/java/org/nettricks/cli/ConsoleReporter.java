package org.nettricks.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import java.util.function.DoubleSupplier;

import org.nettricks.training.EpochReport;
import org.nettricks.evaluation.Evaluator;
import org.nettricks.evaluation.Metric;
import org.nettricks.training.TrainingListener;

/** Prints one line per epoch and, on a terminal, a progress bar within each epoch. */
final class ConsoleReporter implements TrainingListener {
    private static final int BAR_WIDTH = 30;
    private final PrintStream lines;
    private final PrintStream bar;
    private final int epochs;
    private final boolean showPenalty;
    private final boolean showRate;
    private final DoubleSupplier testWatcher;
    private final List<Double> testErrors = new ArrayList<>();
    /** The epochs this process trained (epoch lines printed after updates), the first of them; 0 for none. */
    private int epochsTrained;
    private int firstEpochTrained;
    private long lastDraw;
    /**
     * Regression: the error columns are RMSEs in original units (mean over targets); the training
     * RMSE is printed where the loop could derive it exactly (one target, squared error), else "-".
     */
    private boolean regression;
    /** The monitored metric when the columns above do not show it (F1, ROC-AUC, R², …), else null. */
    private Metric extra;

    /**
     * @param bar         where the progress bar is drawn (a terminal), or null for none
     * @param showPenalty print the λΩ(θ) column
     * @param showRate    print the learning-rate column
     * @param testWatcher the test error (classification: the share misclassified; regression: the
     *                    RMSE in original units, mean over targets), evaluated after each epoch for a
     *                    learning curve, or null
     */
    ConsoleReporter(PrintStream lines, PrintStream bar, int epochs, boolean showPenalty, boolean showRate,
                    DoubleSupplier testWatcher) {
        this.testWatcher = testWatcher;
        this.lines = lines;
        this.bar = bar;
        this.epochs = epochs;
        this.showPenalty = showPenalty;
        this.showRate = showRate;
    }

    /** Prints regression's columns: training, validation and test RMSE (original units, mean over targets). */
    ConsoleReporter regression(boolean on) {
        regression = on;
        return this;
    }

    /**
     * Adds a last column with the monitored metric's validation figure, unless the validation
     * columns already show it (the error and loss; regression's RMSE).
     */
    ConsoleReporter monitor(Metric metric) {
        extra = metric == null || metric.isErrorOrLoss() || regression && metric.equals(Metric.VAL_RMSE) ? null
                : metric;
        return this;
    }

    /** A figure of a metric as the epoch lines print it: original units for regression errors, else 4 decimals. */
    static String figure(Metric metric, double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return metric.forRegression() && !metric.maximizes() ? RegressionOutput.number(v)
                : String.format(Locale.ROOT, "%.4f", v);
    }

    private String extraColumn(EpochReport r) {
        if (extra == null) {
            return "";
        }
        int width = Math.max(8, extra.name().length());
        return String.format(Locale.ROOT, "  %" + width + "s", r.hasValidation() ? figure(extra, r.monitored()) : "-");
    }

    private String trainError(EpochReport r) {
        return !regression ? Format.percent(r.trainError()) : Double.isNaN(r.trainError()) ? "-"
                : RegressionOutput.number(r.trainError());
    }

    private String validationError(EpochReport r) {
        return !r.hasValidation() ? "-" : regression ? RegressionOutput.number(r.validationError())
                : Format.percent(r.validationError());
    }

    void printHeader() {
        lines.println("epoch  train loss" + (showPenalty ? "    penalty" : "") + (regression ? " train rmse" : "  train err")
                + "  val loss  " + (regression ? "val rmse" : " val err")
                + (showRate ? "         lr" : "") + "    time      ex/s" + (testWatcher != null ? (regression
                ? " test rmse" : "  test err") : "")
                + (extra == null ? "" : String.format(Locale.ROOT, "  %" + Math.max(8, extra.name().length()) + "s",
                extra.name())));
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batches, double batchLoss) {
        if (bar == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < 100_000_000L && batch < batches) {
            return;
        }
        lastDraw = now;
        int filled = (int) ((long) BAR_WIDTH * batch / batches);
        bar.print(String.format(Locale.ROOT, "\repoch %d/%d [%s%s] %d/%d batches, loss %.4f ", epoch, epochs,
                "#".repeat(filled), ".".repeat(BAR_WIDTH - filled), batch, batches, batchLoss));
        bar.flush();
    }

    @Override
    public void onEpochEnd(EpochReport r) {
        if (bar != null) {
            bar.print("\r" + " ".repeat(80) + "\r");
            bar.flush();
        }
        String test = "";
        if (testWatcher != null) {
            double e = testWatcher.getAsDouble();
            if (r.epoch() > 0) { // epoch 0 (a warm start's figures before any update) is printed only
                testErrors.add(e);
            }
            test = String.format(Locale.ROOT, "  %8s", regression ? RegressionOutput.number(e) : Format.percent(e));
        }
        if (r.epoch() > 0 && epochsTrained++ == 0) {
            firstEpochTrained = r.epoch();
        }
        if (r.epoch() == 0) { // no training yet: no rate, time or throughput; figures in evaluation mode
            lines.println(String.format(Locale.ROOT, "%5d  %10s%s  %9s  %8s  %8s%s  %7s  %8s%s", r.epoch(),
                    Format.loss(r.trainLoss()), showPenalty ? String.format(Locale.ROOT, "  %9.4f", r.penalty()) : "",
                    trainError(r),
                    r.hasValidation() ? Format.loss(r.validationLoss()) : "-",
                    validationError(r),
                    showRate ? String.format(Locale.ROOT, "  %9s", "-") : "", "-", "-", test) + extraColumn(r));
            return;
        }
        lines.println(String.format(Locale.ROOT, "%5d  %10s%s  %9s  %8s  %8s%s  %6.2fs  %8s%s", r.epoch(),
                Format.loss(r.trainLoss()), showPenalty ? String.format(Locale.ROOT, "  %9.4f", r.penalty()) : "",
                trainError(r),
                r.hasValidation() ? Format.loss(r.validationLoss()) : "-",
                validationError(r),
                showRate ? String.format(Locale.ROOT, "  %9.3g", r.learningRate()) : "", r.seconds(),
                Format.rate(r.examplesPerSecond()), test) + extraColumn(r));
    }

    @Override
    public void onPretrainingEpoch(int layer, int epoch, double trainReconstruction, double validationReconstruction,
                                   double seconds) {
        if (bar != null) {
            bar.print("\r" + " ".repeat(80) + "\r");
        }
        lines.println(String.format(Locale.ROOT, "pretrain layer %d epoch %3d: reconstruction error train %.4f,"
                + " validation %s  %6.2fs", layer + 1, epoch, trainReconstruction,
                Double.isNaN(validationReconstruction) ? "-" : String.format(Locale.ROOT, "%.4f",
                        validationReconstruction), seconds));
    }

    @Override
    public void onWarning(String message) {
        if (bar != null) {
            bar.print("\r" + " ".repeat(80) + "\r");
        }
        lines.println("warning: " + SettingNames.asFlags(message));
    }

    /** The number of epochs this process trained (a resumed run's, not the checkpoint's earlier ones). */
    int epochsTrained() {
        return epochsTrained;
    }

    /** The first epoch this process trained, 0 when none. */
    int firstEpochTrained() {
        return firstEpochTrained;
    }

        /** The test errors printed so far (with a test watcher). */
    List<Double> testErrors() {
        return testErrors;
    }
}
