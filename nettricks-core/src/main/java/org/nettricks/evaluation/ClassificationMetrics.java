package org.nettricks.evaluation;

import java.util.Arrays;

import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * The classification metrics people expect, computed from true labels and predicted class
 * probabilities with scikit-learn's definitions (sklearn.metrics 1.2), so that the figures match
 * what a Python user would compute from the same predictions (checked against scikit-learn's own
 * output to 1e-12 by {@code ClassificationMetricsTest}).
 *
 * <p>The predicted class of an example is the argmax of its probabilities (the first on ties, as
 * numpy's argmax). An example whose probabilities are not all finite has no predicted class: it
 * counts against its true class's recall, for no class's precision, and makes the log loss and the
 * ROC-AUC NaN.
 *
 * <ul>
 *   <li>Per class c: precision TP/(TP+FP), recall TP/(TP+FN), F1 = 2·P·R/(P+R), each 0 when its
 *       denominator is 0 (scikit-learn's {@code zero_division=0}), and the support (true examples).
 *   <li>Macro averages: the unweighted mean over the classes that occur as a true or as a
 *       predicted label (scikit-learn's {@code labels=None}); weighted averages: weighted by
 *       support.
 *   <li>Balanced accuracy: the mean recall over the classes that occur as true labels
 *       ({@code balanced_accuracy_score}).
 *   <li>Top-k accuracy: the share of examples whose true class is among the k highest
 *       probabilities; ties are broken toward the higher class index, as
 *       {@code top_k_accuracy_score} does (a stable ascending sort, reversed).
 *   <li>Log loss: −(1/n) Σ log p_y, with the probabilities clipped to [ε, 1 − ε] (ε the machine
 *       epsilon of their precision, 2^−52 for float64, 2^−23 for float32) and each row then divided
 *       by its sum ({@code log_loss} with {@code eps="auto"}). On unclipped probabilities it is the
 *       mean negative log-likelihood the loss reports.
 *   <li>ROC-AUC, one-vs-rest: for each class, the area under the ROC curve of "this class" against
 *       the others, scored by that class's probability (ties count one half: the Mann–Whitney U
 *       statistic over P·N pairs); NaN for a class with no positive or no negative example. Macro:
 *       the mean over the classes where it is defined; weighted: weighted by support
 *       ({@code roc_auc_score(multi_class="ovr")}).
 * </ul>
 */
public final class ClassificationMetrics {
    private final int examples;
    private final int classes;
    private final int[] support;
    private final int[] predicted;
    private final double[] precision;
    private final double[] recall;
    private final double[] f1;
    private final double accuracy;
    private final double[] topK;
    private final double logLoss;
    private final double[] rocAuc;

    private ClassificationMetrics(int[] labels, double[] p, int classes, double epsilon) {
        int n = labels.length;
        if (p.length != (long) n * classes) {
            throw new IllegalArgumentException("probabilities must be " + n + " x " + classes + ", got "
                    + p.length + " values");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("classes must be at least 2, got " + classes);
        }
        this.examples = n;
        this.classes = classes;
        this.support = new int[classes];
        this.predicted = new int[classes];
        int[] truePositives = new int[classes];
        boolean allFinite = true;
        int correct = 0;
        int[] prediction = new int[n];
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("label " + y + " of example " + i + " is not in [0, " + classes + ")");
            }
            support[y]++;
            int best = -1;
            boolean finite = true;
            for (int j = 0; j < classes; j++) {
                double v = p[i * classes + j];
                if (!Double.isFinite(v)) {
                    finite = false;
                    break;
                }
                if (best < 0 || v > p[i * classes + best]) {
                    best = j;
                }
            }
            if (!finite) {
                allFinite = false;
                prediction[i] = -1;
                continue;
            }
            prediction[i] = best;
            predicted[best]++;
            if (best == y) {
                truePositives[y]++;
                correct++;
            }
        }
        this.accuracy = n == 0 ? Double.NaN : (double) correct / n;
        this.precision = new double[classes];
        this.recall = new double[classes];
        this.f1 = new double[classes];
        for (int c = 0; c < classes; c++) {
            precision[c] = predicted[c] == 0 ? 0 : (double) truePositives[c] / predicted[c];
            recall[c] = support[c] == 0 ? 0 : (double) truePositives[c] / support[c];
            double sum = precision[c] + recall[c];
            f1[c] = sum == 0 ? 0 : 2 * precision[c] * recall[c] / sum;
        }
        this.topK = new double[classes];
        for (int i = 0; i < n && allFinite; i++) {
            int y = labels[i];
            double sy = p[i * classes + y];
            int rank = 0; // classes placed before y: a higher probability, or an equal one at a higher index
            for (int j = 0; j < classes; j++) {
                double s = p[i * classes + j];
                if (s > sy || (s == sy && j > y)) {
                    rank++;
                }
            }
            for (int k = rank; k < classes; k++) {
                topK[k]++; // a hit for every k > rank (topK[k] is the count for k + 1)
            }
        }
        for (int k = 0; k < classes; k++) {
            topK[k] = allFinite && n > 0 ? topK[k] / n : Double.NaN;
        }
        this.logLoss = allFinite && n > 0 ? logLoss(labels, p, classes, epsilon) : Double.NaN;
        this.rocAuc = new double[classes];
        for (int c = 0; c < classes; c++) {
            rocAuc[c] = allFinite ? oneVersusRestAuc(labels, p, classes, c) : Double.NaN;
        }
    }

    /**
     * The metrics of predicted probabilities against true labels.
     *
     * @param labels        the true class of each example, in [0, classes)
     * @param probabilities n × classes predicted probabilities, one row per example (float32 or
     *                      float64; the log loss clips at the machine epsilon of this precision)
     * @throws IllegalArgumentException when the shapes disagree or a label is out of range
     */
    public static ClassificationMetrics of(int[] labels, Matrix probabilities) {
        if (probabilities.rows() != labels.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + probabilities.rows()
                    + " rows of probabilities");
        }
        double[] p = new double[probabilities.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = probabilities.getFlat(i);
        }
        double epsilon = probabilities.precision() == Precision.FLOAT32 ? Math.ulp(1.0f) : Math.ulp(1.0);
        return new ClassificationMetrics(labels, p, probabilities.cols(), epsilon);
    }

    /**
     * The metrics of float64 probabilities given row by row in one array (n × classes, row-major).
     *
     * @throws IllegalArgumentException when the shapes disagree or a label is out of range
     */
    public static ClassificationMetrics of(int[] labels, double[] probabilities, int classes) {
        return new ClassificationMetrics(labels, probabilities.clone(), classes, Math.ulp(1.0));
    }

    private static double logLoss(int[] labels, double[] p, int classes, double eps) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            double rowSum = 0;
            for (int j = 0; j < classes; j++) {
                rowSum += clip(p[i * classes + j], eps);
            }
            sum += Math.log(clip(p[i * classes + labels[i]], eps) / rowSum);
        }
        return -sum / labels.length;
    }

    private static double clip(double v, double eps) {
        return Math.min(Math.max(v, eps), 1 - eps);
    }

    /** The Mann–Whitney U statistic of class c's scores, positives against negatives, over P·N; ties count ½. */
    private static double oneVersusRestAuc(int[] labels, double[] p, int classes, int c) {
        int n = labels.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[a * classes + c], p[b * classes + c]));
        long positives = 0;
        double rankSum = 0; // sum of the positives' mid-ranks (1-based) among all scores
        for (int start = 0; start < n; ) {
            int end = start;
            double s = p[order[start] * classes + c];
            while (end < n && p[order[end] * classes + c] == s) {
                end++;
            }
            double midRank = (start + 1 + end) / 2.0; // ranks start+1 … end share their mean
            for (int i = start; i < end; i++) {
                if (labels[order[i]] == c) {
                    positives++;
                    rankSum += midRank;
                }
            }
            start = end;
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    /** The number of examples. */
    public int examples() {
        return examples;
    }

    /** The number of classes K (the probabilities' columns). */
    public int classes() {
        return classes;
    }

    /** True examples of class c. */
    public int support(int c) {
        return support[c];
    }

    /** TP/(TP+FP) of class c; 0 when no example is predicted as c. */
    public double precision(int c) {
        return precision[c];
    }

    /** TP/(TP+FN) of class c; 0 when class c has no example. */
    public double recall(int c) {
        return recall[c];
    }

    /** 2·P·R/(P+R) of class c; 0 when P + R = 0. */
    public double f1(int c) {
        return f1[c];
    }

    /** Share of examples whose predicted class is the true class. */
    public double accuracy() {
        return accuracy;
    }

    /** Whether class c occurs as a true or a predicted label, so that it enters the macro averages. */
    public boolean occurs(int c) {
        return support[c] > 0 || predicted[c] > 0;
    }

    public double macroPrecision() {
        return macro(precision);
    }

    public double macroRecall() {
        return macro(recall);
    }

    public double macroF1() {
        return macro(f1);
    }

    public double weightedPrecision() {
        return weighted(precision);
    }

    public double weightedRecall() {
        return weighted(recall);
    }

    public double weightedF1() {
        return weighted(f1);
    }

    /** Mean recall over the classes that have examples. */
    public double balancedAccuracy() {
        double sum = 0;
        int count = 0;
        for (int c = 0; c < classes; c++) {
            if (support[c] > 0) {
                sum += recall[c];
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * Share of examples whose true class is among the k most probable (ties toward the higher index).
     *
     * @param k in [1, classes]
     * @throws IllegalArgumentException when k is out of range
     */
    public double topKAccuracy(int k) {
        if (k < 1 || k > classes) {
            throw new IllegalArgumentException("k must be in [1, " + classes + "], got " + k);
        }
        return topK[k - 1];
    }

    /** scikit-learn's log loss in nats (see the class comment); NaN when some output is not finite. */
    public double logLoss() {
        return logLoss;
    }

    /** One-vs-rest ROC-AUC of class c; NaN when class c has no positive or no negative example. */
    public double rocAuc(int c) {
        return rocAuc[c];
    }

    /** Mean one-vs-rest ROC-AUC over the classes where it is defined; NaN when none is. */
    public double macroRocAuc() {
        double sum = 0;
        int count = 0;
        for (double a : rocAuc) {
            if (!Double.isNaN(a)) {
                sum += a;
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** One-vs-rest ROC-AUC weighted by support over the classes where it is defined; NaN when none is. */
    public double weightedRocAuc() {
        double sum = 0;
        long weight = 0;
        for (int c = 0; c < classes; c++) {
            if (!Double.isNaN(rocAuc[c])) {
                sum += rocAuc[c] * support[c];
                weight += support[c];
            }
        }
        return weight == 0 ? Double.NaN : sum / weight;
    }

    private double macro(double[] values) {
        double sum = 0;
        int count = 0;
        for (int c = 0; c < classes; c++) {
            if (occurs(c)) {
                sum += values[c];
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    private double weighted(double[] values) {
        double sum = 0;
        long total = 0;
        for (int c = 0; c < classes; c++) {
            sum += values[c] * support[c];
            total += support[c];
        }
        return total == 0 ? Double.NaN : sum / total;
    }
}
