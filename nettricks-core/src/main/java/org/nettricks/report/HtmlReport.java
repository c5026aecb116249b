package org.nettricks.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.UnaryOperator;


import org.nettricks.activations.Activation;
import org.nettricks.data.Dataset;
import org.nettricks.io.FilterImage;

/**
 * The training report: one self-contained HTML file that opens with no network. Its charts are
 * drawn in the browser as SVG, with tooltips, by Apache ECharts {@value #ECHARTS_VERSION} (its
 * WebJar's {@code dist/echarts.min.js}, inlined; Apache License 2.0), from the figures of a
 * {@link TrainingStatistics}, which are embedded as JSON; images (misclassified test examples,
 * first-layer filters) are PNGs in {@code data:} URLs. The charts, by element id:
 * <ul>
 *   <li>{@code loss}, {@code error}: training, validation (and test) loss in nats and error per
 *       epoch, the kept epoch of early stopping marked;</li>
 *   <li>{@code learning-rate}: α per epoch;</li>
 *   <li>{@code saturation}: per hidden layer, the share of saturated units at each epoch's first batch
 *       (flat share for sigmoid/tanh, dead share for ReLU; none for linear layers);</li>
 *   <li>{@code weight-norm}, {@code gradient-norm}: per dense layer, ‖W‖ and the mean ‖∂L/∂W‖ per epoch;</li>
 *   <li>{@code preactivations-K}, {@code weights-K}: histograms ({@value #BINS} bins over the range
 *       of both) at the start and the end of training, per layer;</li>
 *   <li>{@code confusion}: the test set's confusion matrix as a heatmap (rows true, columns predicted).</li>
 * </ul>
 * A regression network's report ({@link TrainingStatistics#regression}) has instead of {@code loss}
 * and {@code error}: {@code loss}, the regression loss (squared error or Huber, the mean over
 * examples and targets, in standardized units: see {@link org.nettricks.losses.RegressionLoss}),
 * and {@code rmse}, the validation (and per-epoch test) RMSE in the targets' original units, the
 * mean of the per-target RMSEs, with the epoch's running training RMSE where it is exact (one
 * target, squared error); and instead of the confusion matrix and the misclassified
 * examples, per target k (from 1): {@code predicted-k}, the test set's predicted against true
 * values (original units; at most {@value #SCATTER_POINTS} examples, evenly spaced in test-set
 * order, i = ⌊j·n/m⌋) with the line y = x, and {@code residuals-k}, a histogram ({@value #BINS}
 * bins) of the residuals y − ŷ of every test example. Its status line gives the test loss, RMSE,
 * MAE and R² (scikit-learn's definitions, {@link org.nettricks.evaluation.RegressionMetrics}).
 * The page records every console error and uncaught exception in its body's
 * {@code data-console-errors} attribute, sets {@code data-charts} to the number of charts drawn and,
 * once loaded, {@code data-images} and {@code data-broken-images} to the images decoded and not,
 * so that a headless browser's dumped DOM shows whether it rendered (see docs/reports.md).
 */
public final class HtmlReport {
    /** The version of the ECharts WebJar inlined (the build's dependency). */
    public static final String ECHARTS_VERSION = ChartPage.ECHARTS_VERSION;
    /** Bins of each histogram. */
    public static final int BINS = 30;
    /** At most this many test examples are drawn in each predicted-against-true scatter. */
    public static final int SCATTER_POINTS = 2000;

    private final TrainingStatistics statistics;
    private final Map<String, Object> provenance;
    private final Map<String, Object> recipe;
    private final List<Integer> imageShape;
    private final UnaryOperator<String> warningText;
    private PretrainingStatistics pretraining;
    /** The histograms of the start alone, computed once: they do not change until the end. */
    private final Map<float[], Map<String, Object>> startHistograms = new java.util.IdentityHashMap<>();

    /**
     * @param statistics  the run's figures
     * @param provenance  what made the run (version, backend, seed, data …), shown as a table
     * @param recipe      the recipe's map ({@code Recipe.toMap()}), shown as a table
     * @param imageShape  the examples' image shape (e.g. [28, 28]) or null: only for 2-D images are the
     *                    misclassified test examples and the first layer's filters shown
     * @param warningText turns a warning's recipe keys into what the reader types (the CLI's flags)
     */
    public HtmlReport(TrainingStatistics statistics, Map<String, Object> provenance, Map<String, Object> recipe,
                      List<Integer> imageShape, UnaryOperator<String> warningText) {
        this.statistics = statistics;
        this.provenance = provenance;
        this.recipe = recipe;
        this.imageShape = imageShape;
        this.warningText = warningText == null ? UnaryOperator.identity() : warningText;
    }

    /**
     * Adds the figures of the greedy layer-wise pre-training that ran before this training (the
     * {@code reconstruction} chart, and the pre-trained filters per layer for image data).
     *
     * @return this report
     */
    public HtmlReport withPretraining(PretrainingStatistics pretraining) {
        this.pretraining = pretraining;
        return this;
    }

    /** Writes the report to {@code html} atomically (a reader never sees half a file). */
    public void write(Path html) throws IOException {
        ChartPage.write(html, title(), body(), charts());
    }

    /** The report as HTML text. */
    public String html() {
        return ChartPage.html(title(), body(), charts());
    }

    private String title() {
        return "NetTricks training report: " + provenance.getOrDefault("data", "");
    }

    private String body() {
        StringBuilder sb = new StringBuilder(8192);
        sb.append("<h1>NetTricks training report</h1>\n<p id=\"status\">").append(escape(status())).append("</p>\n")
                .append("<div id=\"charts\"></div>\n");
        images(sb);
        if (pretraining != null) {
            sb.append(pretraining.filtersHtml(imageShape));
        }
        sb.append("<h2>Warnings of the training guards</h2>\n");
        if (statistics.warnings().isEmpty()) {
            sb.append("<p id=\"warnings\">none</p>\n");
        } else {
            sb.append("<table id=\"warnings\"><tr><th>epoch</th><th>warning</th></tr>\n");
            for (TrainingStatistics.Warning w : statistics.warnings()) {
                sb.append("<tr><td>").append(w.epoch()).append("</td><td>").append(escape(warningText.apply(w.message())))
                        .append("</td></tr>\n");
            }
            sb.append("</table>\n");
        }
        ChartPage.table(sb, "Recipe", "recipe", recipe);
        ChartPage.table(sb, "Provenance", "provenance", provenance);
        return sb.toString();
    }

    private String status() {
        int n = statistics.epochs().size();
        if (!statistics.finished()) {
            return "in progress: " + n + " epoch" + (n == 1 ? "" : "s") + " of " + statistics.maxEpochs()
                    + " done (reload to update)";
        }
        StringBuilder sb = new StringBuilder("finished: " + n + " epoch" + (n == 1 ? "" : "s"));
        if (statistics.stoppedEarly()) {
            sb.append(", stopped early");
        }
        sb.append("; parameters of epoch ").append(statistics.keptEpoch());
        org.nettricks.evaluation.RegressionMetrics r = statistics.regressionTest();
        if (r != null) {
            String mean = r.names().size() > 1 ? " (means over the " + r.names().size() + " targets)" : "";
            sb.append(String.format(Locale.ROOT, "; test loss %.4f (%s, standardized units), RMSE %.4g, MAE %.4g,"
                            + " R² %.4f%s (%d examples)", r.loss(), lossName(), r.meanRmse(), r.meanMae(), r.meanR2(),
                    mean, r.size()));
        }
        if (!Double.isNaN(statistics.testErrorAtEnd())) {
            sb.append(String.format(Locale.ROOT, "; test loss %.4f, test error %.2f%% (%d examples)",
                    statistics.testLossAtEnd(), 100 * statistics.testErrorAtEnd(), statistics.test().size()));
        }
        if (statistics.resumedAfter() > 0) {
            sb.append("; resumed from a checkpoint after epoch ").append(statistics.resumedAfter())
                    .append(": the per-layer statistics begin after it, and the first histograms are of that point");
        }
        return sb.toString();
    }

    /**
     * The charts as the page draws them, each a map: {@code id}, {@code title}, {@code kind}
     * ({@code line}: {@code x}, {@code y} axis names, {@code logY}, {@code series} of {@code name}
     * and {@code data} [[epoch, value] …] with NaN for no value, an optional {@code mark} epoch and
     * {@code markName}; {@code histogram}: {@code bins} (centre labels), {@code range} [lo, hi],
     * {@code series} of {@code name} and {@code data} (int[] counts); {@code heatmap}:
     * {@code classes}, {@code cells} [column, row, count] …, {@code max}). What {@code --plots}
     * draws again as SVG and PNG files.
     */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> charts() {
        return (List<Map<String, Object>>) model().get("charts");
    }

    /** The charts' data, as the page's renderer reads it. */
    Map<String, Object> model() {
        List<TrainingStatistics.Epoch> epochs = statistics.epochs();
        List<Map<String, Object>> charts = new ArrayList<>();
        int mark = statistics.finished() ? statistics.keptEpoch() : 0;
        String markName = statistics.stoppedEarly() || mark != epochs.size() ? "kept epoch " + mark : null;
        if (statistics.isRegression()) {
            charts.add(line("loss", "Loss (mean " + lossName() + " over examples and targets, standardized units)",
                    "loss", false, markName, mark,
                    curve("training", epochs, TrainingStatistics.Epoch::trainLoss),
                    curve("validation", epochs, TrainingStatistics.Epoch::validationLoss),
                    curve("test", epochs, TrainingStatistics.Epoch::testLoss)));
            charts.add(line("rmse", "RMSE in the targets' original units" + (statistics.targetNames().size() > 1
                            ? " (mean over targets)" : " (" + statistics.targetNames().get(0) + ")"), "rmse", false,
                    markName, mark,
                    curve("training", epochs, TrainingStatistics.Epoch::trainError),
                    curve("validation", epochs, TrainingStatistics.Epoch::validationError),
                    curve("test", epochs, TrainingStatistics.Epoch::testError)));
            if (statistics.testPredicted() != null) { // the run's result first, the diagnostics after
                regressionCharts(charts);
            }
        } else {
            charts.add(line("loss", "Loss (mean −log f(x)_y, nats)", "loss", false, markName, mark,
                    curve("training", epochs, TrainingStatistics.Epoch::trainLoss),
                    curve("validation", epochs, TrainingStatistics.Epoch::validationLoss),
                    curve("test", epochs, TrainingStatistics.Epoch::testLoss)));
            charts.add(line("error", "Classification error", "error", false, markName, mark,
                    curve("training", epochs, TrainingStatistics.Epoch::trainError),
                    curve("validation", epochs, TrainingStatistics.Epoch::validationError),
                    curve("test", epochs, TrainingStatistics.Epoch::testError)));
        }
        charts.add(line("learning-rate", "Learning rate α per epoch", "α", false, null, 0,
                curve("α", epochs, TrainingStatistics.Epoch::learningRate)));
        List<Map<String, Object>> saturation = new ArrayList<>();
        List<Activation> activations = statistics.hiddenActivations();
        for (int k = 0; k < activations.size(); k++) {
            Activation g = activations.get(k);
            if (g == Activation.SIGMOID || g == Activation.TANH || g == Activation.RELU) {
                int layer = k;
                saturation.add(curve(statistics.hiddenNames().get(k) + (g == Activation.RELU ? " dead" : " flat"),
                        epochs, e -> layer < e.saturation().length ? e.saturation()[layer] : Double.NaN));
            }
        }
        if (!saturation.isEmpty()) {
            charts.add(line("saturation", "Saturated units at each epoch's first batch (share)", "share", false, null, 0,
                    saturation.toArray(Map[]::new)));
        }
        List<Map<String, Object>> weightNorms = new ArrayList<>();
        List<Map<String, Object>> gradientNorms = new ArrayList<>();
        for (int k = 0; k < statistics.layerNames().size(); k++) {
            int layer = k;
            weightNorms.add(curve(statistics.layerNames().get(k), epochs, e -> e.weightNorm()[layer]));
            gradientNorms.add(curve(statistics.layerNames().get(k), epochs, e -> e.gradientNorm()[layer]));
        }
        charts.add(line("weight-norm", "Weight norm ‖W‖ (Frobenius) after each epoch", "‖W‖", false, null, 0,
                weightNorms.toArray(Map[]::new)));
        charts.add(line("gradient-norm", "Gradient norm ‖∂L/∂W‖, mean over sampled steps", "‖∂L/∂W‖", true, null, 0,
                gradientNorms.toArray(Map[]::new)));
        for (int k = 0; k < statistics.preActivationsAtStart().size(); k++) {
            charts.add(histogramOnce("preactivations-" + (k + 1), "Pre-activations of " + statistics.hiddenNames().get(k)
                            + " on the first " + statistics.sampleSize() + " training examples",
                    statistics.preActivationsAtStart().get(k),
                    statistics.preActivationsAtEnd() == null ? null : statistics.preActivationsAtEnd().get(k)));
        }
        for (int k = 0; k < statistics.weightsAtStart().size(); k++) {
            charts.add(histogramOnce("weights-" + (k + 1), "Weights of " + statistics.layerNames().get(k),
                    statistics.weightsAtStart().get(k),
                    statistics.weightsAtEnd() == null ? null : statistics.weightsAtEnd().get(k)));
        }
        int[][] confusion = statistics.confusion();
        if (confusion != null) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", "confusion");
            c.put("title", "Confusion matrix on the test set (rows: true class, columns: predicted)");
            c.put("kind", "heatmap");
            c.put("classes", statistics.test().classNames());
            List<int[]> cells = new ArrayList<>();
            int max = 0;
            for (int i = 0; i < confusion.length; i++) {
                for (int j = 0; j < confusion.length; j++) {
                    cells.add(new int[] {j, i, confusion[i][j]});
                    max = Math.max(max, confusion[i][j]);
                }
            }
            c.put("cells", cells);
            c.put("max", max);
            charts.add(c);
        }
        if (pretraining != null && !pretraining.epochs().isEmpty()) {
            charts.add(pretraining.chart());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("charts", charts);
        return m;
    }

    /** The regression loss's name as the charts and the status line give it. */
    private String lossName() {
        org.nettricks.losses.RegressionLoss loss = statistics.regressionLoss();
        return loss.kind() == org.nettricks.losses.RegressionLoss.Kind.HUBER
                ? String.format(Locale.ROOT, "Huber loss (δ = %s)", loss.delta())
                : "squared error";
    }

    /** Per target: predicted against true values on the test set, and the histogram of the residuals y − ŷ. */
    private void regressionCharts(List<Map<String, Object>> charts) {
        double[] truth = statistics.testTruth();
        double[] predicted = statistics.testPredicted();
        List<String> names = statistics.targetNames();
        int k = names.size();
        int n = truth.length / k;
        int m = Math.min(n, SCATTER_POINTS);
        for (int t = 0; t < k; t++) {
            String name = names.get(t);
            List<double[]> points = new ArrayList<>(m);
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < m; j++) {
                int i = (int) ((long) j * n / m);
                double y = truth[i * k + t];
                double p = predicted[i * k + t];
                points.add(new double[] {y, p});
                for (double v : new double[] {y, p}) {
                    if (Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
            if (!(hi >= lo)) {
                lo = 0;
                hi = 1;
            }
            Map<String, Object> scatter = new LinkedHashMap<>();
            scatter.put("id", "predicted-" + (t + 1));
            scatter.put("title", "Test set: predicted against true " + name + (m < n ? " (" + m + " of " + n
                    + " examples, evenly spaced)" : " (" + n + " examples)"));
            scatter.put("kind", "line");
            scatter.put("x", "true " + name);
            scatter.put("y", "predicted " + name);
            scatter.put("logY", false);
            scatter.put("xContinuous", true);
            Map<String, Object> examples = new LinkedHashMap<>();
            examples.put("name", "test examples");
            examples.put("data", points);
            examples.put("style", "points");
            Map<String, Object> diagonal = new LinkedHashMap<>();
            diagonal.put("name", "y = x");
            diagonal.put("data", List.of(new double[] {lo, lo}, new double[] {hi, hi}));
            diagonal.put("color", "#888");
            diagonal.put("dashed", true);
            scatter.put("series", List.of(examples, diagonal));
            charts.add(scatter);

            double[] residuals = new double[n];
            for (int i = 0; i < n; i++) {
                residuals[i] = truth[i * k + t] - predicted[i * k + t];
            }
            charts.add(residualHistogram("residuals-" + (t + 1), name, residuals));
        }
    }

    /**
     * A histogram of {@code residuals} in {@value #BINS} equal bins over their range (the top edge in
     * the last bin); non-finite residuals are counted in no bin.
     */
    static Map<String, Object> residualHistogram(String id, String name, double[] residuals) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : residuals) {
            if (Double.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (!(hi > lo)) {
            lo = Double.isFinite(lo) ? lo - 0.5 : -0.5;
            hi = lo + 1;
        }
        double width = (hi - lo) / BINS;
        int[] counts = new int[BINS];
        for (double v : residuals) {
            if (Double.isFinite(v)) {
                counts[Math.max(0, Math.min(BINS - 1, (int) ((v - lo) / width)))]++;
            }
        }
        List<String> labels = new ArrayList<>();
        for (int b = 0; b < BINS; b++) {
            labels.add(String.format(Locale.ROOT, "%.3g", lo + (b + 0.5) * width));
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("title", "Test set: residuals true − predicted " + name + " (" + residuals.length + " examples)");
        c.put("kind", "histogram");
        c.put("x", "residual y − ŷ (bin centre, original units)");
        c.put("y", "examples");
        c.put("bins", labels);
        c.put("range", new double[] {lo, hi});
        c.put("labelEvery", 3);
        c.put("series", List.of(Map.of("name", "test examples", "data", counts)));
        return c;
    }

    /** As {@link #histogram}; with no end yet, the start's histogram is computed once and reused. */
    private Map<String, Object> histogramOnce(String id, String title, float[] start, float[] end) {
        if (end != null) {
            return histogram(id, title, start, end);
        }
        synchronized (startHistograms) {
            return startHistograms.computeIfAbsent(start, s -> histogram(id, title, s, null));
        }
    }

    private static Map<String, Object> curve(String name, List<TrainingStatistics.Epoch> epochs,
                                             ToDoubleFunction<TrainingStatistics.Epoch> value) {
        List<double[]> points = new ArrayList<>();
        boolean any = false;
        for (TrainingStatistics.Epoch e : epochs) {
            double v = value.applyAsDouble(e);
            any |= !Double.isNaN(v);
            points.add(new double[] {e.epoch(), v});
        }
        if (!any && !epochs.isEmpty()) {
            return null;
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("data", points);
        return s;
    }

    @SafeVarargs
    private static Map<String, Object> line(String id, String title, String yName, boolean logY, String markName,
                                            int markEpoch, Map<String, Object>... series) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("title", title);
        c.put("kind", "line");
        c.put("x", "epoch");
        c.put("y", yName);
        c.put("logY", logY);
        List<Map<String, Object>> kept = new ArrayList<>();
        for (Map<String, Object> s : series) {
            if (s != null) {
                kept.add(s);
            }
        }
        c.put("series", kept);
        if (markName != null && markEpoch > 0) {
            c.put("mark", markEpoch);
            c.put("markName", markName);
        }
        return c;
    }

    /** Counts of {@code start} and {@code end} (may be null) in {@value #BINS} equal bins over the range of both. */
    static Map<String, Object> histogram(String id, String title, float[] start, float[] end) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (float[] values : end == null ? List.of(start) : List.of(start, end)) {
            for (float v : values) {
                if (Float.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        double width = (hi - lo) / BINS;
        List<String> labels = new ArrayList<>();
        for (int b = 0; b < BINS; b++) {
            labels.add(String.format(Locale.ROOT, "%.3g", lo + (b + 0.5) * width));
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("title", title);
        c.put("kind", "histogram");
        c.put("bins", labels);
        c.put("range", new double[] {lo, hi});
        List<Map<String, Object>> series = new ArrayList<>();
        series.add(Map.of("name", "start", "data", counts(start, lo, width)));
        if (end != null) {
            series.add(Map.of("name", "end", "data", counts(end, lo, width)));
        }
        c.put("series", series);
        return c;
    }

    /** Counts per bin of {@code width} from {@code lo}; the top edge falls in the last bin; non-finite values are left out. */
    static int[] counts(float[] values, double lo, double width) {
        int[] n = new int[BINS];
        for (float v : values) {
            if (Float.isFinite(v)) {
                n[Math.max(0, Math.min(BINS - 1, (int) ((v - lo) / width)))]++;
            }
        }
        return n;
    }

    private void images(StringBuilder sb) {
        if (imageShape == null || imageShape.size() != 2 || !statistics.finished()) {
            return;
        }
        int h = imageShape.get(0);
        int w = imageShape.get(1);
        Dataset test = statistics.test();
        if (test != null && !statistics.misclassified().isEmpty()) {
            sb.append("<h2>Misclassified test examples</h2>\n<p class=\"small\">The first ")
                    .append(statistics.misclassified().size()).append(" in test-set order, each scaled from its own"
                            + " minimum (black) to maximum (white); caption: true → predicted class.</p>\n"
                            + "<div id=\"misclassified\" class=\"tiles\">");
            float[] x = test.features();
            int n = test.featureCount();
            for (TrainingStatistics.Misclassified m : statistics.misclassified()) {
                BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
                float lo = Float.POSITIVE_INFINITY;
                float hi = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < n; j++) {
                    lo = Math.min(lo, x[m.index() * n + j]);
                    hi = Math.max(hi, x[m.index() * n + j]);
                }
                float range = hi > lo ? hi - lo : 1;
                for (int j = 0; j < n; j++) {
                    image.getRaster().setSample(j % w, j / w, 0, Math.round(255 * (x[m.index() * n + j] - lo) / range));
                }
                List<String> names = test.classNames();
                sb.append("<figure><img src=\"").append(png(image)).append("\" alt=\"test example ").append(m.index())
                        .append("\"><figcaption>").append(escape(names.get(m.label()) + " → " + names.get(m.predicted())))
                        .append("</figcaption></figure>");
            }
            sb.append("</div>\n");
        }
        sb.append("<h2>First layer's filters</h2>\n<p class=\"small\">Each hidden unit's incoming weights (a row of"
                + " W) as a tile, scaled from its own minimum (black) to maximum (white); at most 400.</p>\n<img id=\"filters\""
                + " class=\"filters\" src=\"").append(png(FilterImage.image(
                statistics.network().denseLayers().get(0).weight().value(), 400))).append("\" alt=\"filters\">\n");
    }

    private static String png(BufferedImage image) {
        return ChartPage.png(image);
    }

    static String escape(String s) {
        return ChartPage.escape(s);
    }
}
