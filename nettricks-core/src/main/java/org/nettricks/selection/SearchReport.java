package org.nettricks.selection;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.nettricks.report.ChartPage;

/**
 * The report of a hyperparameter search: one self-contained HTML page ({@link ChartPage}, charts
 * drawn by ECharts as SVG) after Optuna's visualizations, rewritten atomically after every trial
 * ({@link #add}). Its charts, by element id:
 * <ul>
 *   <li>{@code history}: each trial's monitored figure (the validation error unless the search
 *       monitors another metric, e.g. val-rmse for regression) against its number (finished trials as
 *       circles, pruned ones as triangles, at the error they had when stopped), the best-so-far
 *       curve ({@link Search#bestSoFar}: the lowest {@link TrialResult#objective()} among trials
 *       0 … i, so a failed trial counts as 1), and a dashed vertical line at each failed (diverged)
 *       trial, which has no error to draw;</li>
 *   <li>{@code slice-KEY}, one per hyperparameter: its value against the validation error (a log x
 *       axis for a log-uniform dimension, a category axis for listed values);</li>
 *   <li>{@code parallel}: parallel coordinates (Inselberg 1985), one line per trial through its
 *       values and its validation error (failed trials left out: they have no error); the
 *       metric's axis has explicit bounds covering every line drawn, finished and pruned
 *       ({@link #axisRange});</li>
 *   <li>{@code importance}: each hyperparameter's importance, {@link #importance}: the share of the
 *       variance of the validation error that its value explains, with the share expected by chance.</li>
 * </ul>
 * Below them, the ranked table of every trial ({@link Search#RANKING}), pruned and failed trials
 * marked, and the search's description.
 */
public final class SearchReport {
    /** Numeric hyperparameters are grouped into this many equal-width bins of their unit scale for {@link #importance}. */
    public static final int BINS = 5;

    /**
     * A hyperparameter's importance.
     *
     * @param key     the hyperparameter
     * @param etaSquared the share of the variance of the validation error between its groups (η²),
     *                in [0, 1]; NaN with fewer than two trials or no variance
     * @param chance  the share expected when the value has no effect, (k − 1)/(n − 1) for k non-empty
     *                groups of n trials
     * @param groups  k, the non-empty groups
     * @param trials  n, the finished trials used
     */
    public record Importance(String key, double etaSquared, double chance, int groups, int trials) {
    }

    private final List<Dimension> dimensions;
    private final Map<String, Object> description;
    private final int plannedTrials;
    private final TreeMap<Integer, TrialResult> trials = new TreeMap<>();
    private String outcome;

    /**
     * @param dimensions    the searched hyperparameters
     * @param description   what the search is (strategy, seed, space …), shown as a table
     * @param plannedTrials the trials the search will run in all
     * @param earlier       trials already finished (a resumed search); may be empty
     */
    public SearchReport(List<Dimension> dimensions, Map<String, Object> description, int plannedTrials,
                        List<TrialResult> earlier) {
        this.dimensions = List.copyOf(dimensions);
        this.description = new LinkedHashMap<>(description);
        this.plannedTrials = plannedTrials;
        for (TrialResult t : earlier) {
            trials.put(t.index(), t);
        }
    }

    /** Adds a finished trial. */
    public synchronized void add(TrialResult trial) {
        trials.put(trial.index(), trial);
    }

    /** Marks the search finished, with a sentence on its outcome (e.g. the selected trial and its test accuracy). */
    public synchronized void finish(String outcome) {
        this.outcome = outcome;
    }

    /** Writes the page to {@code html} atomically. */
    public synchronized void write(Path html) throws IOException {
        ChartPage.write(html, "NetTricks search report", body(), charts());
    }

    /** The page as HTML text. */
    public synchronized String html() {
        return ChartPage.html("NetTricks search report", body(), charts());
    }

    /**
     * The importance of each hyperparameter: the correlation ratio η² (Pearson 1905; Cohen 1988,
     * §8.2, as an effect size) of the validation error on the hyperparameter's value,
     * <pre>η² = Σ_g n_g (ȳ_g − ȳ)² / Σ_i (y_i − ȳ)²,</pre>
     * over the trials that finished ({@code ok}, with a finite error; pruned trials stopped early
     * and failed ones have no comparable error), grouped by value for listed values and integer
     * ranges of at most 10 values, and otherwise into {@value #BINS} equal-width bins of the
     * dimension's unit scale ({@link Dimension.Numeric#toUnit}: logarithmic for log-uniform). It is
     * the share of variance explained by the hyperparameter alone (its main effect, which fANOVA,
     * Hutter, Hoos and Leyton-Brown 2014, estimates with a random forest), here from the trials'
     * binned means. With few trials per group it is biased upward: when the value has no effect
     * and the errors are normal, η² follows Beta((k − 1)/2, (n − k)/2), whose mean (k − 1)/(n − 1)
     * is given as {@link Importance#chance()}; read an η² near it as no evidence of an effect.
     */
    public static List<Importance> importance(List<Dimension> dimensions, List<TrialResult> trials) {
        List<TrialResult> used = trials.stream()
                .filter(t -> t.status().equals("ok") && Double.isFinite(t.monitored())).toList();
        List<Importance> out = new ArrayList<>();
        for (Dimension d : dimensions) {
            Map<String, double[]> groups = new TreeMap<>(); // group → {count, sum}
            double sum = 0;
            int n = 0;
            for (TrialResult t : used) {
                String value = t.values().get(d.key());
                if (value == null) {
                    continue;
                }
                double[] g = groups.computeIfAbsent(group(d, value), k -> new double[2]);
                g[0]++;
                g[1] += t.monitored();
                sum += t.monitored();
                n++;
            }
            double mean = n == 0 ? Double.NaN : sum / n;
            double total = 0;
            for (TrialResult t : used) {
                if (t.values().get(d.key()) != null) {
                    total += (t.monitored() - mean) * (t.monitored() - mean);
                }
            }
            double between = 0;
            for (double[] g : groups.values()) {
                double m = g[1] / g[0];
                between += g[0] * (m - mean) * (m - mean);
            }
            int k = groups.size();
            double eta = n < 2 || !(total > 0) ? Double.NaN : Math.min(1, between / total);
            out.add(new Importance(d.key(), eta, n < 2 ? Double.NaN : (k - 1) / (double) (n - 1), k, n));
        }
        return out;
    }

    /** The group of a value for {@link #importance}. */
    static String group(Dimension d, String value) {
        if (d instanceof Dimension.Numeric num) {
            if (num.kind() == Dimension.Numeric.Kind.INTEGER && num.high() - num.low() < 10) {
                return value;
            }
            double u;
            try {
                u = num.toUnit(value);
            } catch (NumberFormatException e) {
                return value;
            }
            return "bin " + Math.max(0, Math.min(BINS - 1, (int) Math.floor(u * BINS)));
        }
        return value;
    }

    private String body() {
        List<TrialResult> all = new ArrayList<>(trials.values());
        StringBuilder sb = new StringBuilder(16384);
        sb.append("<h1>NetTricks search report</h1>\n<p id=\"status\">").append(ChartPage.escape(status(all)))
                .append("</p>\n<div id=\"charts\"></div>\n");
        sb.append("<p class=\"small\">Importance: η², the share of the variance of the ").append(
                ChartPage.escape(label(metric(all)))).append(" between the"
                + " groups of a hyperparameter's values (listed values and small integer ranges by value, other"
                + " ranges in ").append(BINS).append(" equal-width bins of their scale, logarithmic for log-uniform),"
                + " over the trials that finished; chance: (k − 1)/(n − 1), its mean when the value has no effect."
                + " See docs/reports.md.</p>\n");
        sb.append("<h2>Trials, best first</h2>\n<table id=\"ranking\"><tr><th>rank</th><th>trial</th>");
        for (Dimension d : dimensions) {
            sb.append("<th>").append(ChartPage.escape(d.key())).append("</th>");
        }
        org.nettricks.evaluation.Metric metric = metric(all);
        sb.append("<th>status</th>").append(metric.isError() ? "" : "<th>" + ChartPage.escape(metric.name()) + "</th>")
                .append("<th>validation error</th><th>validation loss</th><th>best epoch</th><th>epochs</th>"
                + "<th>seconds</th></tr>\n");
        List<TrialResult> ranked = Search.ranked(all);
        for (int i = 0; i < ranked.size(); i++) {
            TrialResult t = ranked.get(i);
            String kind = t.status().equals("ok") ? "ok" : t.status().equals("pruned") ? "pruned" : "failed";
            sb.append("<tr class=\"").append(kind).append("\"><td>").append(i + 1).append("</td><td>").append(t.index())
                    .append("</td>");
            for (Dimension d : dimensions) {
                String v = t.values().get(d.key());
                sb.append("<td>").append(ChartPage.escape(v == null ? "" : v)).append("</td>");
            }
            sb.append("<td>").append(ChartPage.escape(t.status())).append("</td>");
            if (!metric.isError()) {
                sb.append("<td>").append(number(t.monitored())).append("</td>");
            }
            sb.append("<td>").append(number(t.validationError()))
                    .append("</td><td>").append(number(t.validationLoss())).append("</td><td>").append(t.bestEpoch())
                    .append("</td><td>").append(t.epochs()).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f", t.seconds())).append("</td></tr>\n");
        }
        sb.append("</table>\n");
        ChartPage.table(sb, "Search", "search", description);
        return sb.toString();
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "-";
    }

    private String status(List<TrialResult> all) {
        long pruned = all.stream().filter(t -> t.status().equals("pruned")).count();
        long failed = all.stream().filter(t -> !t.status().equals("ok") && !t.status().equals("pruned")).count();
        String counts = all.size() + " of " + plannedTrials + " trials done (" + pruned + " pruned, " + failed
                + " failed)";
        return outcome == null ? "in progress: " + counts + " (reload to update)" : "finished: " + counts + "; "
                + outcome;
    }

    /** The charts' descriptions (see the class comment), as the page draws them. */
    public synchronized List<Map<String, Object>> charts() {
        List<TrialResult> all = new ArrayList<>(trials.values());
        List<Map<String, Object>> charts = new ArrayList<>();
        // best so far, over the trial numbers finished so far
        org.nettricks.evaluation.Metric metric = metric(all);
        String label = label(metric);
        List<double[]> best = new ArrayList<>();
        double b = Double.POSITIVE_INFINITY;
        for (TrialResult t : all) {
            b = Math.min(b, t.objective()); // lower is better: a metric to maximize is negated
            best.add(new double[] {t.index(), metric.maximizes() ? -b : b});
        }
        List<Map<String, Object>> series = new ArrayList<>();
        series.add(series("best so far", best, null));
        series.add(series("finished", points(all, "ok", t -> (double) t.index()), "circle"));
        series.add(series("pruned", points(all, "pruned", t -> (double) t.index()), "triangle"));
        Map<String, Object> history = chart("history", label.substring(0, 1).toUpperCase(Locale.ROOT) + label.substring(1)
                + " per trial, and the best so far", "line");
        history.put("x", "trial");
        history.put("y", label);
        history.put("logX", false);
        history.put("logY", false);
        history.put("series", series);
        List<Map<String, Object>> failedMarks = new ArrayList<>();
        for (TrialResult t : all) {
            if (failed(t)) {
                failedMarks.add(Map.of("x", t.index(), "name", "trial " + t.index() + " " + t.status()));
            }
        }
        history.put("xMarks", failedMarks);
        charts.add(history);
        for (Dimension d : dimensions) {
            Map<String, Object> c = chart("slice-" + d.key(), d.key() + " against the " + label, "line");
            c.put("x", d.key());
            c.put("y", label);
            boolean log = d instanceof Dimension.Numeric n && n.kind() == Dimension.Numeric.Kind.LOG_UNIFORM;
            c.put("logX", log);
            c.put("logY", false);
            List<Map<String, Object>> s = new ArrayList<>();
            if (d instanceof Dimension.Values v) {
                c.put("categories", v.values());
                s.add(series("finished", categoryPoints(all, "ok", d.key()), "circle"));
                s.add(series("pruned", categoryPoints(all, "pruned", d.key()), "triangle"));
            } else {
                s.add(series("finished", points(all, "ok", t -> value(t, d.key())), "circle"));
                s.add(series("pruned", points(all, "pruned", t -> value(t, d.key())), "triangle"));
            }
            c.put("series", s);
            charts.add(c);
        }
        Map<String, Object> parallel = chart("parallel", "Parallel coordinates: each trial's values and " + label,
                "parallel");
        parallel.put("wide", true);
        List<Map<String, Object>> axes = new ArrayList<>();
        for (Dimension d : dimensions) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("name", d.key());
            if (d instanceof Dimension.Values v) {
                a.put("type", "category");
                a.put("data", v.values());
            } else if (d instanceof Dimension.Numeric n) {
                a.put("type", n.kind() == Dimension.Numeric.Kind.LOG_UNIFORM ? "log" : "value");
                a.put("min", n.low()); // the searched range, which every trial's value lies in
                a.put("max", n.high());
            }
            axes.add(a);
        }
        Map<String, Object> metricAxis = new LinkedHashMap<>();
        metricAxis.put("name", label);
        metricAxis.put("type", "value");
        axes.add(metricAxis);
        parallel.put("axes", axes);
        double lowest = Double.POSITIVE_INFINITY;
        double highest = Double.NEGATIVE_INFINITY;
        List<Map<String, Object>> lines = new ArrayList<>();
        for (String status : List.of("ok", "pruned")) {
            List<List<Object>> rows = new ArrayList<>();
            for (TrialResult t : all) {
                if (t.status().equals(status) && Double.isFinite(t.monitored())) {
                    List<Object> row = new ArrayList<>();
                    for (Dimension d : dimensions) {
                        String v = t.values().get(d.key());
                        row.add(d instanceof Dimension.Values ? v : v == null ? null : Double.parseDouble(v));
                    }
                    row.add(t.monitored());
                    rows.add(row);
                    lowest = Math.min(lowest, t.monitored());
                    highest = Math.max(highest, t.monitored());
                }
            }
            lines.add(Map.of("name", status.equals("ok") ? "finished" : "pruned", "data", rows, "color",
                    status.equals("ok") ? "#5470c6" : "#e6a700"));
        }
        if (lowest <= highest) { // the metric's axis spans every line drawn, finished and pruned
            double[] range = axisRange(lowest, highest);
            metricAxis.put("min", range[0]);
            metricAxis.put("max", range[1]);
        }
        parallel.put("series", lines);
        charts.add(parallel);
        List<Importance> importance = importance(dimensions, all);
        Map<String, Object> imp = chart("importance", "Importance: share of the variance of the " + label
                + " explained (η²)", "bars");
        imp.put("bins", importance.stream().map(Importance::key).toList());
        imp.put("x", "hyperparameter");
        imp.put("y", "η²");
        imp.put("logY", false);
        imp.put("series", List.of(
                Map.of("name", "η²", "data", importance.stream().map(i -> nullIfNaN(i.etaSquared())).toList()),
                Map.of("name", "chance (k − 1)/(n − 1)", "data",
                        importance.stream().map(i -> nullIfNaN(i.chance())).toList())));
        charts.add(imp);
        return charts;
    }

    /** The monitored metric of the trials (all of a search share it); the validation error before any trial. */
    private static org.nettricks.evaluation.Metric metric(List<TrialResult> all) {
        return all.isEmpty() ? org.nettricks.evaluation.Metric.VAL_ERROR : all.get(0).metric();
    }

    /** How the charts name the monitored figure: "validation error", else the metric's name (e.g. val-rmse). */
    private static String label(org.nettricks.evaluation.Metric m) {
        return m.isError() ? "validation error" : m.name() + (m.maximizes() ? " (higher is better)" : "");
    }

    private static Object nullIfNaN(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static boolean failed(TrialResult t) {
        return !t.status().equals("ok") && !t.status().equals("pruned");
    }

    private static double value(TrialResult t, String key) {
        String v = t.values().get(key);
        try {
            return v == null ? Double.NaN : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static List<double[]> points(List<TrialResult> all, String status,
                                         java.util.function.ToDoubleFunction<TrialResult> x) {
        List<double[]> p = new ArrayList<>();
        for (TrialResult t : all) {
            if (t.status().equals(status) && Double.isFinite(t.monitored())) {
                p.add(new double[] {x.applyAsDouble(t), t.monitored()});
            }
        }
        return p;
    }

    private static List<List<Object>> categoryPoints(List<TrialResult> all, String status, String key) {
        List<List<Object>> p = new ArrayList<>();
        for (TrialResult t : all) {
            if (t.status().equals(status) && Double.isFinite(t.monitored()) && t.values().get(key) != null) {
                p.add(List.of(t.values().get(key), t.monitored()));
            }
        }
        return p;
    }

    private static Map<String, Object> series(String name, Object data, String symbol) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("data", data);
        if (symbol != null) {
            s.put("style", "points");
            s.put("symbol", symbol);
        }
        s.put("color", switch (name) {
            case "best so far" -> "#333333";
            case "pruned" -> "#e6a700";
            default -> "#5470c6";
        });
        return s;
    }

    private static Map<String, Object> chart(String id, String title, String kind) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("title", title);
        c.put("kind", kind);
        return c;
    }

    /**
     * An axis range that covers [lo, hi]: the bounds rounded outwards to a hundredth of the range's
     * order of magnitude (10^⌊log10(hi − lo)⌋ / 100), so that the end labels are short; a single value
     * v gets [v − ½·max(|v|, 1), v + ½·max(|v|, 1)] the same way.
     */
    static double[] axisRange(double lo, double hi) {
        if (!(hi > lo)) {
            double half = 0.5 * Math.max(Math.abs(lo), 1);
            lo -= half;
            hi += half;
        }
        int decimals = 2 - (int) Math.floor(Math.log10(hi - lo));
        return new double[]{java.math.BigDecimal.valueOf(lo).setScale(decimals, java.math.RoundingMode.FLOOR).doubleValue(),
                java.math.BigDecimal.valueOf(hi).setScale(decimals, java.math.RoundingMode.CEILING).doubleValue()};
    }
}
