package org.nettricks.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.nettricks.evaluation.RegressionMetrics;

/** How train and evaluate print a regressor's figures: a table per target, and the same as JSON. */
final class RegressionOutput {
    private RegressionOutput() {
    }

    /**
     * The loss line, then one row per target and the mean over targets: MSE, RMSE, MAE (original
     * units) and R².
     */
    static void print(PrintStream lines, String prefix, RegressionMetrics m) {
        lines.println(String.format(Locale.ROOT, "%sloss %s (mean over examples and targets, standardized units)"
                + "  rmse %s  r2 %s  (%d examples)", prefix, Format.loss(m.loss()), number(m.meanRmse()),
                number(m.meanR2()), m.size()));
        int width = 12;
        for (String n : m.names()) {
            width = Math.max(width, n.length());
        }
        String row = "%-" + width + "s  %12s  %12s  %12s  %9s";
        lines.println(String.format(Locale.ROOT, row, "target", "mse", "rmse", "mae", "r2"));
        for (int k = 0; k < m.names().size(); k++) {
            lines.println(String.format(Locale.ROOT, row, m.names().get(k), number(m.mse()[k]), number(m.rmse()[k]),
                    number(m.mae()[k]), String.format(Locale.ROOT, "%.4f", m.r2()[k])));
        }
        if (m.names().size() > 1) {
            lines.println(String.format(Locale.ROOT, row, "mean", number(m.meanMse()), number(m.meanRmse()),
                    number(m.meanMae()), String.format(Locale.ROOT, "%.4f", m.meanR2())));
        }
    }

    /** Four significant digits, as the figures' units are the targets' own. */
    static String number(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /**
     * {@code loss}, {@code examples}, {@code per_target} (a list of {@code target}, {@code mse},
     * {@code rmse}, {@code mae}, {@code r2}) and {@code mean} (the same four averaged over targets).
     */
    static Map<String, Object> json(RegressionMetrics m) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("task", "regression");
        j.put("loss", m.loss());
        j.put("examples", m.size());
        List<Map<String, Object>> per = new ArrayList<>();
        for (int k = 0; k < m.names().size(); k++) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("target", m.names().get(k));
            t.put("mse", m.mse()[k]);
            t.put("rmse", m.rmse()[k]);
            t.put("mae", m.mae()[k]);
            t.put("r2", m.r2()[k]);
            per.add(t);
        }
        j.put("per_target", per);
        Map<String, Object> mean = new LinkedHashMap<>();
        mean.put("mse", m.meanMse());
        mean.put("rmse", m.meanRmse());
        mean.put("mae", m.meanMae());
        mean.put("r2", m.meanR2());
        j.put("mean", mean);
        return j;
    }
}
