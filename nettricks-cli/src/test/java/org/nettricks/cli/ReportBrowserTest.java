package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report of {@code train --report} in a real browser, headless Chromium (Debian's
 * {@code chromium}, which {@code .ci/run} installs), and reads what it drew from the DOM it dumps
 * after the page's scripts ran: no console error, and every chart an SVG with the expected number
 * of series and points (lines), bars (histograms) or cells (the confusion matrix), counted in the
 * SVG's geometry. Without Chromium the test is skipped, unless the environment variable CI is set:
 * there a missing browser fails it.
 */
class ReportBrowserTest {
    @TempDir
    Path dir;

    /** A line series as ECharts' SVG renderer draws it: a clipped group holding one path M x y L x y …. */
    private static final Pattern LINE = Pattern.compile("<g clip-path=\"url\\(#[^\"]+\\)\"><path d=\"(M[^\"]+)\"");
    /** A bar or a heatmap cell: an untransformed rectangle path with its fill. */
    private static final Pattern RECT = Pattern.compile(
            "<path d=\"M-?[\\d.]+ -?[\\d.]+l[\\d.]+ 0l0 -?[\\d.]+l-[\\d.]+ 0Z\" fill=\"([^\"]+)\">");

    @Test
    void everyChartOfATrainReportRendersInHeadlessChromium() throws Exception {
        Path browser = chromium();
        Path html = dir.resolve("run.html");
        CliRun run = CliRun.of("train", "--data", "digits", "--hidden", "16,8", "--activation", "tanh", "--epochs",
                "3", "--seed", "5", "--backend", "java", "--threads", "1", "--test-each-epoch", "--report",
                html.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("report written to " + html), run.out());
        String dom = dumpDom(browser, html);

        assertEquals("[]", attribute(body(dom), "data-console-errors"), "console errors");
        assertEquals("12", attribute(body(dom), "data-charts"), "charts drawn");
        // line charts: series × points (3 epochs)
        Map<String, int[]> lines = new LinkedHashMap<>();
        lines.put("loss", new int[] {3, 3, 3}); // training, validation, test
        lines.put("error", new int[] {3, 3, 3});
        lines.put("learning-rate", new int[] {3});
        lines.put("saturation", new int[] {3, 3}); // two tanh layers
        lines.put("weight-norm", new int[] {3, 3, 3}); // three dense layers
        lines.put("gradient-norm", new int[] {3, 3, 3});
        for (Map.Entry<String, int[]> e : lines.entrySet()) {
            assertArrayEquals(e.getValue(), linePoints(svg(dom, e.getKey())), e.getKey() + ": points per series");
        }
        // histograms: 30 bars in each of the start and end series
        for (String id : List.of("preactivations-1", "preactivations-2", "weights-1", "weights-2", "weights-3")) {
            Map<String, Integer> bars = rectsByFill(svg(dom, id));
            assertEquals(List.of(30, 30), new ArrayList<>(bars.values()), id + ": bars per series " + bars);
        }
        // the confusion matrix: 10 × 10 cells
        int cells = rectsByFill(svg(dom, "confusion")).values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(100, cells, "confusion cells");
        assertTrue(dom.contains("finished: 3 epochs"), "status line");
    }

    /**
     * Image data (IDX files of 6×6 images, made here): the report shows the misclassified test
     * examples as tiles, as many as the test error counts (up to 64), and the first layer's filters;
     * the browser decodes every image.
     */
    @Test
    void anImageReportShowsTheMisclassifiedExamplesAndTheFilters() throws Exception {
        Path browser = chromium();
        Path data = Files.createDirectory(dir.resolve("idx"));
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (String set : new String[] {"train", "t10k"}) {
            int n = set.equals("train") ? 120 : 40;
            byte[] x = new byte[n * 36];
            byte[] y = new byte[n];
            for (int i = 0; i < n; i++) {
                y[i] = (byte) random.nextInt(3);
                for (int j = 0; j < 36; j++) {
                    x[i * 36 + j] = (byte) random.nextInt(256); // noise: the test set is partly misclassified
                }
                x[i * 36 + y[i] * 6] = (byte) 255;
            }
            Files.write(data.resolve(set + "-images-idx3-ubyte"), IdxBytes.of(new int[] {n, 6, 6}, x));
            Files.write(data.resolve(set + "-labels-idx1-ubyte"), IdxBytes.of(new int[] {n}, y));
        }
        Path html = dir.resolve("images.html");
        CliRun run = CliRun.of("train", "--data", data.toString(), "--hidden", "8", "--epochs", "2", "--seed", "2",
                "--backend", "java", "--threads", "1", "--json", "--report", html.toString());
        assertEquals(0, run.status(), run.err());
        Map<?, ?> summary = (Map<?, ?>) org.nettricks.io.internal.Json.parse(run.out());
        long wrong = Math.round(((Number) summary.get("error")).doubleValue() * 40);
        assertTrue(wrong > 0, "some test example is misclassified: " + run.out());
        String dom = dumpDom(browser, html);
        String body = body(dom);
        assertEquals("[]", attribute(body, "data-console-errors"));
        int tiles = dom.split("<figure>", -1).length - 1;
        assertEquals(Math.min(wrong, 64), tiles, "one tile per misclassified test example");
        assertEquals(String.valueOf(tiles + 1), attribute(body, "data-images"), "the tiles and the filters decoded");
        assertEquals("0", attribute(body, "data-broken-images"));
        assertTrue(dom.contains("id=\"filters\""), "the first layer's filters");
    }


    /** A scatter symbol of size 8 as ECharts' SVG renderer draws it: a unit circle scaled by 4 and moved to (x, y). */
    private static final Pattern SYMBOL = Pattern.compile(
            "<path d=\"M1 0A1 1 0 1 1 1 -0.0001\" transform=\"matrix\\(4,0,0,4,(-?[\\d.]+),(-?[\\d.]+)\\)\"");

    /**
     * A noisy non-linear function of three features, y = 50 + 20·x1 − 10·x2 + 5·sin(3·x3) + ε, as a
     * CSV of {@code n} rows: a regression whose fit is neither perfect nor useless.
     */
    static Path regressionCsv(Path file, int n, long seed) throws IOException {
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("x1,x2,x3,y\n");
        for (int i = 0; i < n; i++) {
            double x1 = random.nextDouble(-1, 1);
            double x2 = random.nextDouble(-1, 1);
            double x3 = random.nextDouble(-1, 1);
            double y = 50 + 20 * x1 - 10 * x2 + 5 * Math.sin(3 * x3) + random.nextDouble(-3, 3);
            sb.append(x1).append(',').append(x2).append(',').append(x3).append(',').append(y).append('\n');
        }
        return Files.writeString(file, sb.toString());
    }

    /**
     * A regression run's report (issue 18 for issue 17's regression): the loss and RMSE curves with
     * as many points as the run's {@code --json} output counts epochs; no confusion matrix; the test
     * set's predicted against true values, whose points are {@code predict}'s values for the test
     * file's rows (read from the CSV it writes) and the test file's own targets, drawn where an
     * affine map of those values puts them; the residual histogram's counts add up to the test size.
     */
    @Test
    void aRegressionReportDrawsPredictionsAgainstTruthAndTheResiduals() throws Exception {
        Path browser = chromium();
        Path train = regressionCsv(dir.resolve("train.csv"), 200, 1);
        Path test = regressionCsv(dir.resolve("test.csv"), 60, 2);
        Path model = dir.resolve("m.safetensors");
        Path html = dir.resolve("regression.html");
        CliRun run = CliRun.of("train", "--task", "regression", "--data", train.toString(), "--test-data",
                test.toString(), "--label", "y", "--hidden", "8", "--optimizer", "adam", "--lr", "0.01", "--epochs",
                "4", "--seed", "3", "--backend", "java", "--threads", "1", "--json", "--out", model.toString(),
                "--report", html.toString());
        assertEquals(0, run.status(), run.err());
        Map<?, ?> summary = run.json();
        int epochs = ((Number) summary.get("epochs")).intValue();
        int testSize = ((Number) summary.get("test_examples")).intValue();
        assertEquals(60, testSize);
        Map<?, ?> testFigures = (Map<?, ?>) ((Map<?, ?>) summary.get("test")).get("mean");

        String dom = dumpDom(browser, html);
        String body = body(dom);
        assertEquals("[]", attribute(body, "data-console-errors"), "console errors");
        // loss, rmse, predicted-1, residuals-1, learning-rate, saturation (dead ReLUs), weight-norm,
        // gradient-norm, preactivations-1, weights-1, weights-2
        assertEquals("11", attribute(body, "data-charts"), "charts drawn");
        assertArrayEquals(new int[] {epochs, epochs}, linePoints(svg(dom, "loss")), "loss: training, validation");
        // one target with squared error: the epochs' running training RMSE is exact, and drawn too
        assertArrayEquals(new int[] {epochs, epochs}, linePoints(svg(dom, "rmse")), "rmse: training, validation");
        assertFalse(dom.contains("id=\"confusion\"") || dom.contains("id=\"error\""), "no classification charts");
        assertFalse(dom.contains("id=\"misclassified\""), "no misclassified tiles");
        assertTrue(dom.contains(String.format(java.util.Locale.ROOT, "RMSE %.4g, MAE %.4g, R² %.4f (60 examples)",
                ((Number) testFigures.get("rmse")).doubleValue(), ((Number) testFigures.get("mae")).doubleValue(),
                ((Number) testFigures.get("r2")).doubleValue())), "status line with the run's test figures");

        // predict's values for the test rows, and the test file's targets: the independent figures
        Path predictions = dir.resolve("p.csv");
        CliRun p = CliRun.of("predict", "--model", model.toString(), "--data", test.toString(), "--out",
                predictions.toString(), "--backend", "java", "--threads", "1");
        assertEquals(0, p.status(), p.err());
        List<String> predicted = Files.readAllLines(predictions);
        assertEquals("index,y", predicted.get(0));
        List<String> rows = Files.readAllLines(test);
        double[] truth = new double[testSize];
        double[] values = new double[testSize];
        for (int i = 0; i < testSize; i++) {
            String[] t = rows.get(i + 1).split(",");
            truth[i] = Double.parseDouble(t[3]);
            String[] q = predicted.get(i + 1).split(",");
            assertEquals(String.valueOf(i), q[0]);
            values[i] = Double.parseDouble(q[1]);
        }
        // the page's data: every test example as [true, predicted]
        Map<String, Map<?, ?>> charts = reportData(Files.readString(html));
        List<?> points = (List<?>) ((Map<?, ?>) ((List<?>) charts.get("predicted-1").get("series")).get(0)).get("data");
        assertEquals(testSize, points.size());
        for (int i = 0; i < testSize; i++) {
            List<?> xy = (List<?>) points.get(i);
            assertEquals(truth[i], ((Number) xy.get(0)).doubleValue(), 1e-9 * Math.abs(truth[i]), "true value " + i);
            assertEquals(values[i], ((Number) xy.get(1)).doubleValue(), 1e-6 * Math.abs(values[i]), "predicted " + i);
        }
        // the drawn scatter: one symbol per test example, at an affine image of (true, predicted)
        List<double[]> symbols = new ArrayList<>();
        Matcher m = SYMBOL.matcher(svg(dom, "predicted-1"));
        while (m.find()) {
            symbols.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
        }
        assertEquals(testSize, symbols.size(), "symbols drawn");
        assertAffine(truth, symbols, 0, "x of the symbols against the true values");
        assertAffine(values, symbols, 1, "y of the symbols against predict's values");
        assertArrayEquals(new int[] {2}, linePoints(svg(dom, "predicted-1")), "the line y = x");
        // the residuals: 30 bars whose counts add up to the test size
        assertEquals(List.of(30), new ArrayList<>(rectsByFill(svg(dom, "residuals-1")).values()), "residual bars");
        int total = 0;
        for (Object c : (List<?>) ((Map<?, ?>) ((List<?>) charts.get("residuals-1").get("series")).get(0)).get("data")) {
            total += ((Number) c).intValue();
        }
        assertEquals(testSize, total, "residual counts");
    }

    /** {@code train --pretrain ae --task regression --report}: the pre-training chart joins the regression report. */
    @Test
    void aPretrainedRegressionReportRendersToo() throws Exception {
        Path browser = chromium();
        Path data = regressionCsv(dir.resolve("d.csv"), 150, 4);
        Path html = dir.resolve("pretrained.html");
        CliRun run = CliRun.of("train", "--task", "regression", "--data", data.toString(), "--label", "y", "--hidden",
                "8,4", "--pretrain", "ae", "--pretrain-epochs", "2", "--epochs", "3", "--seed", "2", "--backend",
                "java", "--threads", "1", "--json", "--report", html.toString());
        assertEquals(0, run.status(), run.err());
        int testSize = ((Number) run.json().get("test_examples")).intValue();
        String dom = dumpDom(browser, html);
        assertEquals("[]", attribute(body(dom), "data-console-errors"), "console errors");
        assertArrayEquals(new int[] {2, 2, 2, 2}, linePoints(svg(dom, "reconstruction")),
                "two layers, training and validation inputs, two epochs each");
        assertArrayEquals(new int[] {3, 3}, linePoints(svg(dom, "loss")), "training, validation");
        int symbols = 0;
        for (Matcher m = SYMBOL.matcher(svg(dom, "predicted-1")); m.find(); ) {
            symbols++;
        }
        assertEquals(testSize, symbols, "one symbol per test example");
        assertFalse(dom.contains("id=\"confusion\""), "no confusion matrix");
    }

    /** The charts of a report file by id, from the JSON the page embeds. */
    static Map<String, Map<?, ?>> reportData(String html) {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"report-data\">(.*?)</script>",
                Pattern.DOTALL).matcher(html);
        assertTrue(m.find(), "the report's data");
        Map<?, ?> data = (Map<?, ?>) org.nettricks.io.internal.Json.parse(m.group(1).replace("<\\/", "</"));
        Map<String, Map<?, ?>> charts = new LinkedHashMap<>();
        for (Object c : (List<?>) data.get("charts")) {
            charts.put((String) ((Map<?, ?>) c).get("id"), (Map<?, ?>) c);
        }
        return charts;
    }

    /** Coordinate {@code axis} of {@code drawn} is a + b·value for one a and b (least squares), to 0.01 pixel. */
    private static void assertAffine(double[] value, List<double[]> drawn, int axis, String what) {
        int n = value.length;
        double mv = 0;
        double mp = 0;
        for (int i = 0; i < n; i++) {
            mv += value[i] / n;
            mp += drawn.get(i)[axis] / n;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (value[i] - mv) * (drawn.get(i)[axis] - mp);
            sxx += (value[i] - mv) * (value[i] - mv);
        }
        double b = sxy / sxx;
        assertTrue(Math.abs(b) > 1e-3, what + ": the points spread");
        for (int i = 0; i < n; i++) {
            assertEquals(mp + b * (value[i] - mv), drawn.get(i)[axis], 0.01, what + ", example " + i);
        }
    }

    /** The report of a run is not part of its result: the model is the same byte for byte with and without one. */
    @Test
    void aReportDoesNotChangeTheTrainedModel() throws IOException {
        Path plain = dir.resolve("plain.safetensors");
        Path reported = dir.resolve("reported.safetensors");
        List<String> args = List.of("train", "--data", "digits", "--hidden", "16", "--epochs", "2", "--seed", "3",
                "--backend", "java", "--threads", "1", "--batch-norm", "--dropout", "0.2");
        List<String> a = new ArrayList<>(args);
        a.addAll(List.of("--out", plain.toString()));
        assertEquals(0, CliRun.of(a.toArray(String[]::new)).status());
        List<String> b = new ArrayList<>(args);
        b.addAll(List.of("--out", reported.toString(), "--report", dir.resolve("r.html").toString()));
        CliRun r = CliRun.of(b.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        assertArrayEquals(Files.readAllBytes(plain), Files.readAllBytes(reported));
        String html = Files.readString(dir.resolve("r.html"));
        assertTrue(html.contains("<svg") || html.contains("echarts"), "the report holds the charting library");
        assertFalse(html.contains("src=\"http"), "no network resource");
    }

    /** bench --report: the callback on, its seconds and share printed, the report of the benchmark's epochs written. */
    @Test
    void benchWithAReportPrintsTheCallbacksShare() throws IOException {
        Path html = dir.resolve("bench.html");
        CliRun r = CliRun.of("bench", "--data", "digits", "--hidden", "8", "--measure-epochs", "2", "--infer-reps", "1",
                "--backend", "java", "--threads", "1", "--report", html.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(Pattern.compile("report callback \\(--report " + Pattern.quote(html.toString()) + "\\): [0-9.]+,"
                + " [0-9.]+ s per measured epoch, [0-9.]+% of the epoch's training time \\(median over 2 epochs\\)")
                .matcher(r.out()).find(), r.out());
        assertTrue(Files.readString(html).contains("finished: 3 epochs"), "the warm-up and the 2 measured epochs");
    }

    @Test
    void aReportIntoAMissingDirectoryIsRefusedBeforeTraining() throws IOException {
        Path missing = dir.resolve("missing").resolve("r.html");
        CliRun r = CliRun.of("train", "--data", "digits", "--epochs", "1", "--report", missing.toString());
        assertEquals(2, r.status());
        assertEquals("nettricks train: error: --report " + missing + ": directory " + missing.getParent()
                + " does not exist; create it or choose another path", r.err().strip());
        assertTrue(r.out().isEmpty(), r.out());
        Path recipe = Files.writeString(dir.resolve("r.yaml"), "data: digits\nepochs: 1\nreport: " + missing + "\n");
        CliRun fromFile = CliRun.of("train", "--recipe", recipe.toString());
        assertEquals(2, fromFile.status());
        assertTrue(fromFile.err().startsWith("nettricks train: error: " + recipe + " line 3: report " + missing
                + ": directory "), fromFile.err());
        CliRun other = CliRun.of("diagnose", "--data", "digits", "--plots", dir.resolve("p").toString());
        assertEquals(2, other.status());
        assertEquals("nettricks diagnose: error: --plots " + dir.resolve("p") + ": diagnose writes no plots"
                + " (train does); drop --plots", other.err().strip());
        for (String command : List.of("diagnose", "gradcheck", "pretrain")) {
            List<String> a2 = new ArrayList<>(List.of(command, "--data", "digits", "--report", missing.toString()));
            if (command.equals("pretrain")) {
                a2.addAll(List.of("--pretrain", "ae", "--out", dir.resolve("stack.safetensors").toString()));
            }
            CliRun r2 = CliRun.of(a2.toArray(String[]::new));
            assertEquals(2, r2.status(), command);
            assertEquals("nettricks " + command + ": error: --report " + missing + ": directory " + missing.getParent()
                    + " does not exist; create it or choose another path", r2.err().strip());
            assertTrue(r2.out().isEmpty(), command + ": " + r2.out());
        }
        CliRun search = CliRun.of("search", "--objective", "branin", "--trials", "2", "--report", missing.toString());
        assertEquals(2, search.status());
        assertEquals("nettricks search: error: --report " + missing + ": directory " + missing.getParent()
                + " does not exist; create it or choose another path", search.err().strip());
    }

    // ---------------------------------------------------------------- the browser

    /**
     * Chromium on the PATH ({@code chromium}, {@code chromium-browser} or {@code google-chrome});
     * without it the test is skipped, or fails when the environment variable CI is set.
     */
    static Path chromium() {
        for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path p = Path.of(d, name);
                if (Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        String message = "headless Chromium not found on the PATH (chromium, chromium-browser or google-chrome);"
                + " install Debian's chromium (apt-get install -y chromium) to run the browser check of the reports";
        if (System.getenv("CI") != null) {
            fail(message + " (CI is set, so a missing browser is a failure)");
        }
        Assumptions.abort(message);
        return null;
    }

    /** The DOM after the page's scripts ran: {@code chromium --headless --dump-dom} with a virtual time budget. */
    static String dumpDom(Path browser, Path html) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("nettricks-chromium-");
        Path out = Files.createTempFile("nettricks-dom-", ".html");
        Path log = Files.createTempFile("nettricks-chromium-", ".log");
        try {
            Process p = new ProcessBuilder(browser.toString(), "--headless", "--disable-gpu", "--no-sandbox",
                    "--user-data-dir=" + profile, "--virtual-time-budget=10000", "--dump-dom",
                    html.toUri().toString()).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("chromium did not finish within 180 s");
            }
            String dom = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "chromium's exit status; its log: " + Files.readString(log));
            return dom;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(log);
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static String body(String dom) {
        Matcher m = Pattern.compile("<body[^>]*data-charts[^>]*>").matcher(dom);
        assertTrue(m.find(), "the report's body element");
        return m.group();
    }

    static String attribute(String element, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(element);
        assertTrue(m.find(), name + " in " + element);
        return m.group(1).replace("&quot;", "\"");
    }

    /** The SVG inside the chart element {@code id}; fails when the chart or its SVG is missing. */
    static String svg(String dom, String id) {
        int at = dom.indexOf("id=\"" + id + "\"");
        assertTrue(at >= 0, "chart " + id + " is missing");
        int start = dom.indexOf("<svg", at);
        int next = dom.indexOf("class=\"chart\"", at + 1);
        assertTrue(start >= 0 && (next < 0 || start < next), "chart " + id + " has no SVG");
        int end = dom.indexOf("</svg>", start);
        String svg = dom.substring(start, end);
        assertTrue(svg.length() > 1000, "chart " + id + "'s SVG is empty: " + svg);
        return svg;
    }

    /** The number of points of each line series drawn in {@code svg}, in drawing order. */
    static int[] linePoints(String svg) {
        List<Integer> counts = new ArrayList<>();
        Matcher m = LINE.matcher(svg);
        while (m.find()) {
            String d = m.group(1);
            counts.add(1 + (int) d.chars().filter(c -> c == 'L').count());
        }
        return counts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Rectangles (bars, cells) by fill colour, in order of first appearance; colour ramps count per distinct fill. */
    static Map<String, Integer> rectsByFill(String svg) {
        Map<String, Integer> n = new LinkedHashMap<>();
        Matcher m = RECT.matcher(svg);
        while (m.find()) {
            n.merge(m.group(1), 1, Integer::sum);
        }
        return n;
    }
}
