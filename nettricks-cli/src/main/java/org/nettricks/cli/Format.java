package org.nettricks.cli;

import java.util.List;
import java.util.Locale;

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
}
