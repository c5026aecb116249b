package org.nettricks.cli;

import java.util.List;
import java.util.Locale;

import org.nettricks.evaluation.ClassificationMetrics;
import org.nettricks.evaluation.Evaluation;

/** Number formatting shared by the commands. */
final class Format {
    private Format() {
    }

    /** {@code n} and the noun, singular for one: "1 epoch", "2 epochs" (nouns that take an s). */
    static String count(long n, String noun) {
        return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : noun.endsWith("s") ? "es" : "s");
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * fraction);
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%,.0f", perSecond);
    }

    static String loss(double nats) {
        return String.format(Locale.ROOT, "%.4f", nats);
    }

    /** The confusion matrix as an aligned table: rows true class, columns predicted class. */
    static String confusion(Evaluation e, List<String> classNames) {
        int[][] c = e.confusion();
        int width = 6;
        for (int[] row : c) {
            for (int v : row) {
                width = Math.max(width, Integer.toString(v).length() + 2);
            }
        }
        int nameWidth = 10;
        for (String n : classNames) {
            nameWidth = Math.max(nameWidth, n.length() + 2);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("confusion matrix (rows: true class, columns: predicted class index)\n");
        sb.append(String.format(Locale.ROOT, "%-" + nameWidth + "s", ""));
        for (int j = 0; j < c.length; j++) {
            sb.append(String.format(Locale.ROOT, "%" + width + "d", j));
        }
        sb.append(String.format(Locale.ROOT, "%" + (width + 2) + "s%n", "recall"));
        for (int i = 0; i < c.length; i++) {
            String name = i + " " + classNames.get(i);
            sb.append(String.format(Locale.ROOT, "%-" + nameWidth + "s", name));
            int total = 0;
            for (int j = 0; j < c.length; j++) {
                sb.append(String.format(Locale.ROOT, "%" + width + "d", c[i][j]));
                total += c[i][j];
            }
            String recall = total == 0 ? "-" : percent((double) c[i][i] / total);
            sb.append(String.format(Locale.ROOT, "%" + (width + 2) + "s%n", recall));
        }
        return sb.toString();
    }

    /**
     * Per-class precision, recall, F1, support and one-vs-rest ROC-AUC, the macro and weighted
     * averages, then balanced accuracy, top-k accuracies (k = 2 and 5 where below the class count),
     * log loss and the macro ROC-AUC, as scikit-learn's classification_report lays them out.
     */
    static String metrics(ClassificationMetrics m, List<String> classNames) {
        int nameWidth = 14;
        for (String n : classNames) {
            nameWidth = Math.max(nameWidth, n.length() + 4);
        }
        String row = "%-" + nameWidth + "s%10s%10s%10s%10s%10s%n";
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, row, "", "precision", "recall", "f1", "support", "roc-auc"));
        for (int c = 0; c < m.classes(); c++) {
            sb.append(String.format(Locale.ROOT, row, c + " " + classNames.get(c), fixed(m.precision(c)),
                    fixed(m.recall(c)), fixed(m.f1(c)), String.format(Locale.ROOT, "%,d", m.support(c)),
                    Double.isNaN(m.rocAuc(c)) ? "-" : fixed(m.rocAuc(c))));
        }
        String total = String.format(Locale.ROOT, "%,d", m.examples());
        sb.append(String.format(Locale.ROOT, row, "macro avg", fixed(m.macroPrecision()), fixed(m.macroRecall()),
                fixed(m.macroF1()), total, fixed(m.macroRocAuc())));
        sb.append(String.format(Locale.ROOT, row, "weighted avg", fixed(m.weightedPrecision()),
                fixed(m.weightedRecall()), fixed(m.weightedF1()), total, fixed(m.weightedRocAuc())));
        sb.append("balanced accuracy ").append(percent(m.balancedAccuracy()));
        for (int k : new int[] {2, 5}) {
            if (k < m.classes()) {
                sb.append("  top-").append(k).append(" accuracy ").append(percent(m.topKAccuracy(k)));
            }
        }
        sb.append("  log loss ").append(Double.isNaN(m.logLoss()) ? "NaN" : loss(m.logLoss())).append('\n');
        return sb.toString();
    }

    private static String fixed(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.4f", v);
    }
}
