package org.nettricks.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A validation figure that early stopping watches and a search selects on (recipe key
 * {@code monitor}), with its direction: whether lower or higher is better.
 *
 * <p>Classification: {@code val-error} (share misclassified; minimize), {@code val-loss} (mean
 * negative log-likelihood from the logits, nats; minimize), {@code val-accuracy} (1 − error;
 * maximize), {@code val-balanced-accuracy}, {@code val-f1-macro}, {@code val-f1-weighted},
 * {@code val-precision-macro}, {@code val-recall-macro}, {@code val-top-K-accuracy} (K ≥ 1 an
 * integer, at most the number of classes), {@code val-roc-auc-ovr} (one-vs-rest ROC-AUC, macro
 * average; all maximize) and {@code val-log-loss} (scikit-learn's {@code log_loss} of the
 * probabilities; minimize), each with the definition of {@link ClassificationMetrics}.
 *
 * <p>Regression (figures in the targets' original units, means over the targets, as
 * {@link RegressionMetrics}): {@code val-loss} (the training loss in standardized units;
 * minimize), {@code val-rmse}, {@code val-mse}, {@code val-mae} (minimize) and {@code val-r2}
 * (maximize).
 *
 * <p>Immutable; equal when the names are equal.
 */
public final class Metric {
    /** Whether a lower or a higher figure is better. */
    public enum Direction {
        MINIMIZE, MAXIMIZE;

        public String displayName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private enum Kind {
        ERROR("val-error", Direction.MINIMIZE, true, false),
        LOSS("val-loss", Direction.MINIMIZE, true, true),
        ACCURACY("val-accuracy", Direction.MAXIMIZE, true, false),
        BALANCED_ACCURACY("val-balanced-accuracy", Direction.MAXIMIZE, true, false),
        F1_MACRO("val-f1-macro", Direction.MAXIMIZE, true, false),
        F1_WEIGHTED("val-f1-weighted", Direction.MAXIMIZE, true, false),
        PRECISION_MACRO("val-precision-macro", Direction.MAXIMIZE, true, false),
        RECALL_MACRO("val-recall-macro", Direction.MAXIMIZE, true, false),
        TOP_K_ACCURACY("val-top-K-accuracy", Direction.MAXIMIZE, true, false),
        LOG_LOSS("val-log-loss", Direction.MINIMIZE, true, false),
        ROC_AUC_OVR("val-roc-auc-ovr", Direction.MAXIMIZE, true, false),
        RMSE("val-rmse", Direction.MINIMIZE, false, true),
        MSE("val-mse", Direction.MINIMIZE, false, true),
        MAE("val-mae", Direction.MINIMIZE, false, true),
        R2("val-r2", Direction.MAXIMIZE, false, true);

        final String pattern;
        final Direction direction;
        final boolean classification;
        final boolean regression;

        Kind(String pattern, Direction direction, boolean classification, boolean regression) {
            this.pattern = pattern;
            this.direction = direction;
            this.classification = classification;
            this.regression = regression;
        }
    }

    /** The validation error: classification's default. */
    public static final Metric VAL_ERROR = new Metric(Kind.ERROR, 0);
    /** The validation loss: regression's default for training (and pre-training's reconstruction error). */
    public static final Metric VAL_LOSS = new Metric(Kind.LOSS, 0);
    /** The validation RMSE in original units, mean over targets: regression's default for search. */
    public static final Metric VAL_RMSE = new Metric(Kind.RMSE, 0);

    private final Kind kind;
    private final int k;

    private Metric(Kind kind, int k) {
        this.kind = kind;
        this.k = k;
    }

    /** The default for a task: {@code val-loss} for regression, {@code val-error} for classification. */
    public static Metric defaultFor(boolean regression) {
        return regression ? VAL_LOSS : VAL_ERROR;
    }

    /**
     * Parses a metric name (case-insensitive), e.g. {@code val-f1-macro} or {@code val-top-3-accuracy}.
     *
     * @throws IllegalArgumentException naming the valid metrics of both tasks
     */
    public static Metric parse(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (Kind kind : Kind.values()) {
            if (kind == Kind.TOP_K_ACCURACY) {
                if (n.startsWith("val-top-") && n.endsWith("-accuracy")) {
                    String digits = n.substring("val-top-".length(), n.length() - "-accuracy".length());
                    int k;
                    try {
                        k = Integer.parseInt(digits);
                    } catch (NumberFormatException e) {
                        k = 0;
                    }
                    if (k < 1 || !digits.matches("[0-9]+")) {
                        throw new IllegalArgumentException("monitor " + name + ": K of val-top-K-accuracy must be"
                                + " an integer >= 1, e.g. val-top-3-accuracy");
                    }
                    return new Metric(kind, k);
                }
            } else if (n.equals(kind.pattern)) {
                return new Metric(kind, 0);
            }
        }
        throw new IllegalArgumentException("monitor must be one of " + String.join(", ", names(false))
                + " (classification) or " + String.join(", ", names(true)) + " (regression), got '" + name + "'");
    }

    /** The metrics of a task, as patterns ({@code val-top-K-accuracy} for every K). */
    public static List<String> names(boolean regression) {
        List<String> out = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            if (regression ? kind.regression : kind.classification) {
                out.add(kind.pattern);
            }
        }
        return out;
    }

    /** The metrics of a task with their directions, e.g. "val-error (minimize), …", for help and messages. */
    public static String describe(boolean regression) {
        List<String> out = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            if (regression ? kind.regression : kind.classification) {
                out.add(kind.pattern + " (" + kind.direction.displayName() + ")");
            }
        }
        return String.join(", ", out);
    }

    /** The name, e.g. {@code val-f1-macro}, {@code val-top-3-accuracy}. */
    public String name() {
        return kind == Kind.TOP_K_ACCURACY ? "val-top-" + k + "-accuracy" : kind.pattern;
    }

    public Direction direction() {
        return kind.direction;
    }

    /** Whether higher is better. */
    public boolean maximizes() {
        return kind.direction == Direction.MAXIMIZE;
    }

    /** Whether the metric applies to classification ({@code val-loss} applies to both tasks). */
    public boolean forClassification() {
        return kind.classification;
    }

    /** Whether the metric applies to regression ({@code val-loss} applies to both tasks). */
    public boolean forRegression() {
        return kind.regression;
    }

    /** Whether it is the validation error, or the loss: figures of every validation pass, needing no more. */
    public boolean isErrorOrLoss() {
        return kind == Kind.ERROR || kind == Kind.LOSS;
    }

    /** Whether it is the validation loss. */
    public boolean isLoss() {
        return kind == Kind.LOSS;
    }

    /** Whether it is the validation error. */
    public boolean isError() {
        return kind == Kind.ERROR;
    }

    /** K of {@code val-top-K-accuracy}; 0 for the other metrics. */
    public int topK() {
        return k;
    }

    /**
     * The figure of a classifier's validation pass.
     *
     * @param evaluation the loss and error of the pass
     * @param metrics    the metrics of its probabilities; may be null when this metric
     *                   {@link #isErrorOrLoss()}
     * @throws IllegalArgumentException for a regression metric, or K above the number of classes
     */
    public double of(Evaluation evaluation, ClassificationMetrics metrics) {
        return switch (kind) {
            case ERROR -> evaluation.error();
            case LOSS -> evaluation.loss();
            case ACCURACY -> evaluation.accuracy();
            case BALANCED_ACCURACY -> metrics.balancedAccuracy();
            case F1_MACRO -> metrics.macroF1();
            case F1_WEIGHTED -> metrics.weightedF1();
            case PRECISION_MACRO -> metrics.macroPrecision();
            case RECALL_MACRO -> metrics.macroRecall();
            case TOP_K_ACCURACY -> metrics.topKAccuracy(k);
            case LOG_LOSS -> metrics.logLoss();
            case ROC_AUC_OVR -> metrics.macroRocAuc();
            default -> throw new IllegalArgumentException(name() + " is a regression metric");
        };
    }

    /**
     * The figure of a regression network's validation pass.
     *
     * @throws IllegalArgumentException for a classification metric
     */
    public double of(RegressionMetrics metrics) {
        return switch (kind) {
            case LOSS -> metrics.loss();
            case RMSE -> metrics.meanRmse();
            case MSE -> metrics.meanMse();
            case MAE -> metrics.meanMae();
            case R2 -> metrics.meanR2();
            default -> throw new IllegalArgumentException(name() + " is a classification metric");
        };
    }

    /**
     * The figure as a cost, lower better: the figure when minimized, its negative when maximized;
     * +∞ for NaN (the worst).
     */
    public double cost(double value) {
        if (Double.isNaN(value)) {
            return Double.POSITIVE_INFINITY;
        }
        return maximizes() ? -value : value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Metric m && m.kind == kind && m.k == k;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, k);
    }

    @Override
    public String toString() {
        return name();
    }
}
