package org.nettricks.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The report of greedy layer-wise pre-training on its own ({@code pretrain --report}): one
 * self-contained HTML page ({@link ChartPage}) with the chart {@code reconstruction} (each layer's
 * mean reconstruction error per epoch, training and validation) and, once pre-training has ended
 * and for 2-D image inputs, each layer's filters ({@link PretrainingStatistics}); then the recipe
 * and the provenance. Rewritten after every epoch of every layer when the statistics' action writes it.
 */
public final class PretrainingReport {
    private final PretrainingStatistics statistics;
    private final int layers;
    private final Map<String, Object> provenance;
    private final Map<String, Object> recipe;
    private final List<Integer> imageShape;

    /**
     * @param statistics the pre-training's figures
     * @param layers     the hidden layers to pre-train, for the status line
     * @param provenance what made the run, shown as a table
     * @param recipe     the recipe's map, shown as a table
     * @param imageShape the inputs' image shape (e.g. [28, 28]) or null: only 2-D images show filters
     */
    public PretrainingReport(PretrainingStatistics statistics, int layers, Map<String, Object> provenance,
                             Map<String, Object> recipe, List<Integer> imageShape) {
        this.statistics = statistics;
        this.layers = layers;
        this.provenance = provenance;
        this.recipe = recipe;
        this.imageShape = imageShape;
    }

    /** Writes the page to {@code html} atomically. */
    public void write(Path html) throws IOException {
        ChartPage.write(html, "NetTricks pre-training report", body(), List.of(statistics.chart()));
    }

    private String body() {
        List<PretrainingStatistics.LayerEpoch> epochs = statistics.epochs();
        String status = statistics.finished() ? "finished: " + layers + " hidden layer" + (layers == 1 ? "" : "s")
                + " pre-trained, " + epochs.size() + " epochs in all"
                : "in progress: layer " + Math.max(1, statistics.pretrainedLayers()) + " of " + layers + ", "
                + epochs.size() + " epochs so far (reload to update)";
        StringBuilder sb = new StringBuilder(4096);
        sb.append("<h1>NetTricks pre-training report</h1>\n<p id=\"status\">").append(ChartPage.escape(status))
                .append("</p>\n<div id=\"charts\"></div>\n");
        sb.append(statistics.filtersHtml(imageShape));
        ChartPage.table(sb, "Recipe", "recipe", recipe);
        ChartPage.table(sb, "Provenance", "provenance", provenance);
        return sb.toString();
    }
}
