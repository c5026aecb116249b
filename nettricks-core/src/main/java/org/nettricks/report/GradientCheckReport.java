package org.nettricks.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.nettricks.debugging.GradientChecker;

/**
 * The report of a gradient check ({@link GradientChecker}): one self-contained HTML page
 * ({@link ChartPage}) with the chart {@code relative-error}, each parameter tensor's largest relative
 * error |a − n| / max(|a|, |n|, 10⁻³) between its backpropagated gradient a and the central
 * difference n, on a log axis, with the threshold drawn as a dashed line (a tensor whose error is
 * exactly 0 has no bar: 0 has no place on a log axis; the table says 0), and a table of every
 * tensor (shape, entries checked, entries skipped at kinks, largest error, worst entry, verdict).
 */
public final class GradientCheckReport {
    private final GradientChecker.Report report;
    private final Map<String, Object> provenance;

    /**
     * @param report     the check's result
     * @param provenance what was checked (network, data, examples …), shown as a table
     */
    public GradientCheckReport(GradientChecker.Report report, Map<String, Object> provenance) {
        this.report = report;
        this.provenance = provenance;
    }

    /** Writes the page to {@code html} atomically. */
    public void write(Path html) throws IOException {
        ChartPage.write(html, "NetTricks gradient check", body(), charts());
    }

    /** The charts' descriptions, as the page draws them (see {@link ChartPage}). */
    public List<Map<String, Object>> charts() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", "relative-error");
        c.put("title", "Largest relative error per tensor (threshold dashed)");
        c.put("kind", "bars");
        c.put("wide", true);
        c.put("bins", report.tensors().stream().map(GradientChecker.TensorReport::name).toList());
        c.put("x", "tensor");
        c.put("y", "relative error");
        c.put("logY", true);
        c.put("threshold", report.threshold());
        c.put("thresholdName", "threshold " + report.threshold());
        List<Object> errors = new ArrayList<>();
        for (GradientChecker.TensorReport t : report.tensors()) {
            errors.add(t.maxError() > 0 && Double.isFinite(t.maxError()) ? t.maxError() : null);
        }
        c.put("series", List.of(Map.of("name", "largest relative error", "data", errors)));
        return List.of(c);
    }

    private String body() {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<h1>NetTricks gradient check</h1>\n<p id=\"status\">").append(ChartPage.escape(report.passed()
                ? "PASSED: every checked gradient agrees with its finite difference (threshold " + report.threshold() + ")"
                : "FAILED: " + String.join(", ", report.failedTensors()) + " disagree; the errors start at "
                + report.likelyCulprit() + " (seen from the output): look for the bug in its backward pass"))
                .append("</p>\n<div id=\"charts\"></div>\n");
        sb.append(String.format(Locale.ROOT, "<p class=\"small\">Objective (mean loss + penalty) %.6f. Relative error"
                + " |a − n| / max(|a|, |n|, 1e-3), a the backpropagated gradient, n the central difference"
                + " (f(θ+ε) − f(θ−ε)) / 2ε, in float64.</p>\n", report.objective()));
        sb.append("<h2>Tensors</h2>\n<table id=\"tensors\"><tr><th>tensor</th><th>shape</th><th>checked</th>"
                + "<th>skipped at kinks</th><th>largest relative error</th><th>worst entry (analytic vs numeric)</th>"
                + "<th>verdict</th></tr>\n");
        for (GradientChecker.TensorReport t : report.tensors()) {
            String worst = t.worst().isEmpty() ? "-" : String.format(Locale.ROOT, "[%d,%d] %.6e vs %.6e",
                    t.worst().get(0).row(), t.worst().get(0).col(), t.worst().get(0).analytic(),
                    t.worst().get(0).numeric());
            sb.append("<tr class=\"").append(t.passed() ? "ok" : "failed").append("\"><td>")
                    .append(ChartPage.escape(t.name())).append("</td><td>").append(t.rows()).append("×").append(t.cols())
                    .append("</td><td>").append(t.checked()).append("</td><td>").append(t.skippedAtKinks())
                    .append("</td><td>").append(String.format(Locale.ROOT, "%.3e", t.maxError())).append("</td><td>")
                    .append(worst).append("</td><td>").append(t.passed() ? "ok" : "FAIL").append("</td></tr>\n");
        }
        sb.append("</table>\n");
        ChartPage.table(sb, "Provenance", "provenance", provenance);
        return sb.toString();
    }
}
