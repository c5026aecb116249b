package org.nettricks.diagnosis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.nettricks.activations.Activation;
import org.nettricks.monitoring.Diagnostics;
import org.nettricks.report.ChartPage;

/**
 * The report of {@link Diagnosis}: one self-contained HTML page ({@link ChartPage}) with the
 * charts, by element id:
 * <ul>
 *   <li>{@code overfit-error}, {@code overfit-loss}: the small-data test, the training error
 *       (fraction misclassified) and mean loss (nats) on its examples after each epoch; for
 *       regression the training RMSE as a share of the targets' standard deviation (mean over
 *       targets), with the pass bar {@link Diagnosis#REGRESSION_FIT} dashed, and the training loss
 *       of the standardized targets;</li>
 *   <li>{@code step-loss}: the training loss of each mini-batch step on the full data, the curve
 *       the learning-rate check judges for bouncing;</li>
 *   <li>{@code saturation}: per hidden layer, before the first update and after those steps, the
 *       share of saturated units on the first 256 training examples ({@link Diagnostics#saturation}:
 *       the flat share for sigmoid and tanh, the dead share for ReLU; none for other activations),
 *       with the share that is flagged ({@value Diagnostics#FLAGGED_SHARE}) drawn;</li>
 * </ul>
 * and the findings with the lecture's advice as a table.
 */
public final class DiagnosisReport {
    private final Diagnosis.Result result;
    private final Map<String, Object> provenance;
    private final UnaryOperator<String> adviceText;

    /**
     * @param result     the diagnosis
     * @param provenance what was diagnosed (network, data …), shown as a table
     * @param adviceText turns the advice's recipe keys into what the reader types (the CLI's flags); may be null
     */
    public DiagnosisReport(Diagnosis.Result result, Map<String, Object> provenance, UnaryOperator<String> adviceText) {
        this.result = result;
        this.provenance = provenance;
        this.adviceText = adviceText == null ? UnaryOperator.identity() : adviceText;
    }

    /** Writes the page to {@code html} atomically. */
    public void write(Path html) throws IOException {
        ChartPage.write(html, "NetTricks diagnosis", body(), charts());
    }

    /** The charts' descriptions, as the page draws them (see {@link ChartPage}). */
    public List<Map<String, Object>> charts() {
        List<Map<String, Object>> charts = new ArrayList<>();
        Diagnosis.OverfitTest o = result.overfit();
        if (o.regression()) {
            Map<String, Object> rmse = line("overfit-error", "Small-data test: training RMSE on " + o.examples()
                    + " examples, as a share of the targets' standard deviation (bar dashed)", "epoch",
                    "RMSE / standard deviation", "training RMSE / std", o.errors());
            rmse.put("threshold", o.bar());
            rmse.put("thresholdName", "pass bar " + o.bar());
            charts.add(rmse);
            charts.add(line("overfit-loss", "Small-data test: mean training loss on " + o.examples() + " examples",
                    "epoch", "loss (standardized units)", "training loss", o.losses()));
        } else {
            charts.add(line("overfit-error", "Small-data test: training error on " + o.examples() + " examples",
                    "epoch", "error", "training error", o.errors()));
            charts.add(line("overfit-loss", "Small-data test: mean loss on " + o.examples() + " examples", "epoch",
                    "loss (nats)", "training loss", o.losses()));
        }
        charts.add(line("step-loss", "Training loss per mini-batch step on the full data", "step",
                o.regression() ? "loss (standardized units)" : "loss (nats)", "batch loss", result.stepLosses()));
        List<String> layers = new ArrayList<>();
        for (Diagnostics.LayerSaturation s : result.saturationBefore()) {
            layers.add("hidden " + (s.layer() + 1) + " (" + s.activation().displayName()
                    + (s.activation() == Activation.RELU ? ", dead)" : measured(s.activation()) ? ", flat)" : ")"));
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", "saturation");
        c.put("title", "Saturated units on 256 training examples (share)");
        c.put("kind", "bars");
        c.put("bins", layers);
        c.put("x", "hidden layer");
        c.put("y", "share");
        c.put("logY", false);
        c.put("threshold", Diagnostics.FLAGGED_SHARE);
        c.put("thresholdName", "flagged above " + Diagnostics.FLAGGED_SHARE);
        List<Map<String, Object>> series = new ArrayList<>();
        series.add(Map.of("name", "before the first update", "data", shares(result.saturationBefore())));
        if (!result.saturationAfter().isEmpty()) {
            // named as the findings name it: the steps of whole epochs the network trained (≥ the step losses kept)
            String after = result.findings().stream().map(Diagnosis.Finding::check)
                    .filter(check -> check.startsWith("saturation after ")).findFirst()
                    .map(check -> check.substring("saturation ".length()))
                    .orElse("after " + result.stepLosses().size() + " steps");
            series.add(Map.of("name", after, "data", shares(result.saturationAfter())));
        }
        c.put("series", series);
        charts.add(c);
        return charts;
    }

    private static boolean measured(Activation g) {
        return g == Activation.SIGMOID || g == Activation.TANH || g == Activation.RELU;
    }

    private static List<Object> shares(List<Diagnostics.LayerSaturation> layers) {
        List<Object> out = new ArrayList<>();
        for (Diagnostics.LayerSaturation s : layers) {
            out.add(s.activation() == Activation.RELU ? (Object) s.deadShare()
                    : measured(s.activation()) ? (Object) s.flatShare() : null);
        }
        return out;
    }

    private static Map<String, Object> line(String id, String title, String x, String y, String name,
                                            List<Double> values) {
        List<double[]> points = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            points.add(new double[] {i + 1, values.get(i)});
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("title", title);
        c.put("kind", "line");
        c.put("x", x);
        c.put("y", y);
        c.put("logX", false);
        c.put("logY", false);
        c.put("series", List.of(Map.of("name", name, "data", points)));
        return c;
    }

    private String body() {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<h1>NetTricks diagnosis</h1>\n<p id=\"status\">").append(ChartPage.escape(result.healthy()
                ? "healthy: no problem found" : "problems found: follow the advice below")).append("</p>\n"
                + "<div id=\"charts\"></div>\n<h2>Findings</h2>\n<table id=\"findings\"><tr><th>check</th><th>verdict</th>"
                + "<th>measured</th><th>advice</th></tr>\n");
        for (Diagnosis.Finding f : result.findings()) {
            sb.append("<tr class=\"").append(f.problem() ? "failed" : "ok").append("\"><td>")
                    .append(ChartPage.escape(f.check())).append("</td><td>").append(f.problem() ? "PROBLEM" : "ok")
                    .append("</td><td>").append(ChartPage.escape(f.detail())).append("</td><td>")
                    .append(f.advice() == null ? "" : ChartPage.escape(adviceText.apply(f.advice())))
                    .append("</td></tr>\n");
        }
        sb.append("</table>\n");
        ChartPage.table(sb, "Provenance", "provenance", provenance);
        return sb.toString();
    }
}
