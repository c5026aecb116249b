package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nettricks.cli.ReportBrowserTest.attribute;
import static org.nettricks.cli.ReportBrowserTest.body;
import static org.nettricks.cli.ReportBrowserTest.chromium;
import static org.nettricks.cli.ReportBrowserTest.dumpDom;
import static org.nettricks.cli.ReportBrowserTest.linePoints;
import static org.nettricks.cli.ReportBrowserTest.rectsByFill;
import static org.nettricks.cli.ReportBrowserTest.svg;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.selection.ResultsFile;
import org.nettricks.selection.TrialResult;

/**
 * Opens the reports of {@code search}, {@code pretrain} (and {@code train --pretrain}),
 * {@code diagnose} and {@code gradcheck} in headless Chromium, as {@link ReportBrowserTest} does
 * for {@code train}: no console error, and every chart an SVG whose geometry has as many series and
 * points as the run's own results say (its results file, its console lines or its {@code --json}
 * output), counted in the SVG the browser drew.
 */
class ReportKindsBrowserTest {
    @TempDir
    Path dir;

    /** A scatter symbol of size 8 (finished and pruned trials): a path scaled by 4 at its point, with its fill. */
    private static final Pattern SYMBOL = Pattern.compile(
            "<path d=\"[^\"]+\" transform=\"matrix\\(4,0,0,4,[-\\d.]+,[-\\d.]+\\)\" fill=\"([^\"]+)\"");
    /** A diamond of size 14 (gradcheck's errors on a log axis). */
    private static final Pattern DIAMOND = Pattern.compile(
            "<path d=\"[^\"]+\" transform=\"matrix\\(7,0,0,7,[-\\d.]+,[-\\d.]+\\)\" fill=\"([^\"]+)\"");
    /** A line of parallel coordinates: a path through one point per axis, with its colour. */
    private static final Pattern PARALLEL = Pattern.compile(
            "<path d=\"(M[^\"]+)\" fill=\"none\" stroke=\"([^\"]+)\" stroke-width=\"1.5\" stroke-opacity=\"0.7\"");
    /** A straight axis line of the parallel chart: M x1 y1 L x2 y2 in ECharts' axis grey. */
    private static final Pattern AXIS_LINE = Pattern.compile(
            "<path d=\"M([-\\d.]+) ([-\\d.]+)L([-\\d.]+) ([-\\d.]+)\" fill=\"none\" stroke=\"#6E7079\"");
    /** A failed trial's mark: a vertical line in the failed colour. */
    private static final Pattern FAILED_MARK = Pattern.compile("<path d=\"M[-\\d.]+ [-\\d.]+L[-\\d.]+ [-\\d.]+\" fill=\"none\""
            + " stroke=\"#b00020\"");
    private static final String FINISHED = "#5470c6";
    private static final String PRUNED = "#e6a700";

    /**
     * A pruned random search on digits whose learning rate is sometimes far too large (so some
     * trials diverge): the history, the slices, the parallel coordinates and the importances drawn
     * for exactly the trials of DIR/trials.jsonl, the failed ones marked, the ranked table one row
     * per trial, and a log axis for the log-uniform dimension.
     */
    @Test
    void everyChartOfASearchReportRendersInHeadlessChromium() throws Exception {
        Path browser = chromium();
        Path space = Files.writeString(dir.resolve("space.yaml"), """
                data: digits
                epochs: 3
                hidden: [8]
                lr: choice(0.1, 0.5, 100000)
                l2: loguniform(0.00001, 0.01)
                batch-size: int(16, 64)
                """);
        Path html = dir.resolve("search.html");
        CliRun run = CliRun.of("search", "--space", space.toString(), "--out", dir.resolve("out").toString(),
                "--strategy", "random", "--trials", "10", "--seed", "4", "--workers", "1", "--threads-per-trial", "1",
                "--prune", "--report", html.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().contains("report written to " + html), run.out());
        List<TrialResult> trials = ResultsFile.read(dir.resolve("out").resolve("trials.jsonl"));
        long ok = trials.stream().filter(t -> t.status().equals("ok")).count();
        long pruned = trials.stream().filter(t -> t.status().equals("pruned") && Double.isFinite(t.validationError()))
                .count();
        long failed = trials.stream().filter(t -> !t.status().equals("ok") && !t.status().equals("pruned")).count();
        assertEquals(10, trials.size());
        assertTrue(ok >= 2 && pruned >= 1 && failed >= 1, "the seed gives finished, pruned and failed trials: " + ok
                + " ok, " + pruned + " pruned, " + failed + " failed");

        String dom = dumpDom(browser, html);
        assertEquals("[]", attribute(body(dom), "data-console-errors"), "console errors");
        List<String> keys = List.of("lr", "l2", "batch-size");
        assertEquals(String.valueOf(3 + keys.size()), attribute(body(dom), "data-charts"), "charts drawn");

        String history = svg(dom, "history");
        assertArrayEquals(new int[] {trials.size()}, linePoints(history), "best so far: one point per trial");
        Map<String, Integer> symbols = count(SYMBOL, history, 1);
        assertEquals(ok, (long) symbols.getOrDefault(FINISHED, 0), "finished trials " + symbols);
        assertEquals(pruned, (long) symbols.getOrDefault(PRUNED, 0), "pruned trials " + symbols);
        assertEquals(failed, FAILED_MARK.matcher(history).results().count(), "failed trials marked");
        for (String key : keys) {
            Map<String, Integer> s = count(SYMBOL, svg(dom, "slice-" + key), 1);
            assertEquals(ok, (long) s.getOrDefault(FINISHED, 0), key + ": finished trials " + s);
            assertEquals(pruned, (long) s.getOrDefault(PRUNED, 0), key + ": pruned trials " + s);
        }
        assertTrue(svg(dom, "slice-l2").contains(">1e-4<"), "l2 (log-uniform) on a log axis: a label at 1e-4");
        Map<String, List<Integer>> lines = new LinkedHashMap<>();
        Matcher m = PARALLEL.matcher(svg(dom, "parallel"));
        while (m.find()) {
            lines.computeIfAbsent(m.group(2), c -> new ArrayList<>())
                    .add(1 + (int) m.group(1).chars().filter(c -> c == 'L').count());
        }
        assertEquals(ok, lines.getOrDefault(FINISHED, List.of()).size(), "parallel: a line per finished trial");
        assertEquals(pruned, lines.getOrDefault(PRUNED, List.of()).size(), "parallel: a line per pruned trial");
        lines.values().forEach(l -> l.forEach(points -> assertEquals(keys.size() + 1, points,
                "a point per hyperparameter and the error")));
        // every line stays between the ends of the parallel axes (the vertical axis lines), the
        // pruned trial's worse error too: the error axis spans finished and pruned trials
        String parallel = svg(dom, "parallel");
        Matcher axis = AXIS_LINE.matcher(parallel);
        double top = Double.POSITIVE_INFINITY;
        double bottom = Double.NEGATIVE_INFINITY;
        int axisLines = 0;
        while (axis.find()) {
            if (axis.group(1).equals(axis.group(3))) {
                top = Math.min(top, Math.min(Double.parseDouble(axis.group(2)), Double.parseDouble(axis.group(4))));
                bottom = Math.max(bottom, Math.max(Double.parseDouble(axis.group(2)),
                        Double.parseDouble(axis.group(4))));
                axisLines++;
            }
        }
        assertEquals(keys.size() + 1, axisLines, "an axis per hyperparameter and the error");
        Matcher line = PARALLEL.matcher(parallel);
        while (line.find()) {
            Matcher point = Pattern.compile("[ML][-\\d.]+ ([-\\d.]+)").matcher(line.group(1));
            while (point.find()) {
                double y = Double.parseDouble(point.group(1));
                assertTrue(y >= top - 1 && y <= bottom + 1, "a " + (line.group(2).equals(PRUNED) ? "pruned" : "finished")
                        + " line's point at y " + y + " outside the axes' [" + top + ", " + bottom + "]");
            }
        }
        Map<String, Integer> bars = rectsByFill(svg(dom, "importance"));
        assertEquals(List.of(keys.size(), keys.size()), new ArrayList<>(bars.values()), "η² and chance per key");
        assertEquals(trials.size(), dom.split("<tr class=\"", -1).length - 1, "the ranked table: a row per trial");
        assertTrue(dom.contains("finished: 10 of 10 trials done (" + trials.stream()
                .filter(t -> t.status().equals("pruned")).count() + " pruned, " + failed + " failed)"), "status line");
    }

    /**
     * A regression search's report speaks of what the search ranks by, val-rmse: the history and
     * slices draw each finished trial's RMSE (counted from trials.jsonl), their axes and the table
     * name the metric, and the table's figures are those of the results file.
     */
    @Test
    void aRegressionSearchReportDrawsTheMonitoredRmse() throws Exception {
        Path browser = chromium();
        StringBuilder csv = new StringBuilder("x1,x2,y\n");
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            double x1 = r.nextDouble(-2, 2);
            double x2 = r.nextDouble(-2, 2);
            csv.append(String.format(java.util.Locale.ROOT, "%.5f,%.5f,%.5f%n", x1, x2,
                    100 + 30 * x1 - 20 * x2 * x2 + r.nextDouble(-1, 1)));
        }
        Path data = Files.writeString(dir.resolve("reg.csv"), csv.toString());
        Path space = Files.writeString(dir.resolve("reg-space.yaml"), """
                data: %s
                task: regression
                label: y
                epochs: 5
                hidden: [8]
                optimizer: adam
                lr: choice(0.001, 0.01, 0.05)
                """.formatted(data));
        Path html = dir.resolve("reg-search.html");
        CliRun run = CliRun.of("search", "--space", space.toString(), "--out", dir.resolve("reg-out").toString(),
                "--strategy", "random", "--trials", "4", "--seed", "1", "--workers", "1", "--threads-per-trial", "1",
                "--report", html.toString());
        assertEquals(0, run.status(), run.err());
        List<TrialResult> trials = ResultsFile.read(dir.resolve("reg-out").resolve("trials.jsonl"));
        assertEquals(4, trials.size());
        long ok = trials.stream().filter(t -> t.status().equals("ok")).count();
        assertEquals("val-rmse", trials.get(0).monitor());

        String dom = dumpDom(browser, html);
        assertEquals("[]", attribute(body(dom), "data-console-errors"), "console errors");
        String history = svg(dom, "history");
        assertTrue(history.contains(">val-rmse<"), "the history's axis names the metric");
        assertArrayEquals(new int[] {trials.size()}, linePoints(history), "best so far: one point per trial");
        assertEquals(ok, (long) count(SYMBOL, history, 1).getOrDefault(FINISHED, 0), "a point per finished trial");
        assertEquals(ok, (long) count(SYMBOL, svg(dom, "slice-lr"), 1).getOrDefault(FINISHED, 0), "slice of lr");
        assertTrue(dom.contains("<th>val-rmse</th>"), "the table's column of the monitored metric");
        for (TrialResult t : trials) {
            assertTrue(dom.contains("<td>" + String.format(java.util.Locale.ROOT, "%.4f", t.monitored()) + "</td>"),
                    "trial " + t.index() + "'s val-rmse " + t.monitored() + " in the table");
        }
    }

    /**
     * A resumed search's report starts from the trials already in trials.jsonl: after 3 trials and
     * a resume to 6, the page counts 6 and ranks 6 rows, those of the results file.
     */
    @Test
    void aResumedSearchReportHoldsTheEarlierTrials() throws Exception {
        Path out = dir.resolve("branin");
        Path html = dir.resolve("branin.html");
        for (String trials : new String[] {"3", "6"}) {
            CliRun run = CliRun.of("search", "--objective", "branin", "--strategy", "random", "--trials", trials,
                    "--seed", "2", "--out", out.toString(), "--report", html.toString());
            assertEquals(0, run.status(), run.err());
            String page = Files.readString(html);
            int n = ResultsFile.read(out.resolve("trials.jsonl")).size();
            assertEquals(Integer.parseInt(trials), n);
            assertTrue(page.contains("finished: " + n + " of " + n + " trials done (0 pruned, 0 failed)"), trials);
            assertEquals(n, page.split("<tr class=\"ok\">", -1).length - 1, "a row per trial of the results file");
        }
    }

    /**
     * pretrain --report on 6×6 images: the reconstruction chart has a series per layer (training and
     * validation) with a point per epoch the console printed, and both layers' filters decode.
     */
    @Test
    void aPretrainingReportShowsTheReconstructionErrorsAndTheFiltersPerLayer() throws Exception {
        Path browser = chromium();
        Path data = images();
        Path html = dir.resolve("pretrain.html");
        CliRun run = CliRun.of("pretrain", "--data", data.toString(), "--hidden", "9,4", "--pretrain", "ae",
                "--pretrain-epochs", "3,2", "--seed", "2", "--backend", "java", "--threads", "1", "--out",
                dir.resolve("stack.safetensors").toString(), "--report", html.toString());
        assertEquals(0, run.status(), run.err());
        int[] epochs = new int[2];
        Matcher m = Pattern.compile("pretrain layer (\\d) epoch +\\d+: reconstruction error train [\\d.]+,"
                + " validation [\\d.]+").matcher(run.out());
        while (m.find()) {
            epochs[Integer.parseInt(m.group(1)) - 1]++;
        }
        assertArrayEquals(new int[] {3, 2}, epochs, run.out());
        String dom = dumpDom(browser, html);
        String body = body(dom);
        assertEquals("[]", attribute(body, "data-console-errors"));
        assertEquals("1", attribute(body, "data-charts"));
        assertArrayEquals(new int[] {epochs[0], epochs[0], epochs[1], epochs[1]}, linePoints(svg(dom, "reconstruction")),
                "layer 1 training and validation, then layer 2");
        assertTrue(dom.contains("id=\"filters-1\"") && dom.contains("id=\"filters-2\""), "filters of both layers");
        assertEquals("2", attribute(body, "data-images"));
        assertEquals("0", attribute(body, "data-broken-images"));

        // train --pretrain --report: the training report holds the pre-training chart and filters too
        Path trained = dir.resolve("train.html");
        CliRun both = CliRun.of("train", "--data", data.toString(), "--hidden", "9,4", "--pretrain", "ae",
                "--pretrain-epochs", "2", "--epochs", "2", "--seed", "2", "--backend", "java", "--threads", "1",
                "--report", trained.toString());
        assertEquals(0, both.status(), both.err());
        String trainDom = dumpDom(browser, trained);
        assertEquals("[]", attribute(body(trainDom), "data-console-errors"));
        assertArrayEquals(new int[] {2, 2, 2, 2}, linePoints(svg(trainDom, "reconstruction")));
        assertTrue(trainDom.contains("id=\"filters-2\""), "the pre-trained filters of layer 2");
        assertTrue(trainDom.contains("finished: 2 epochs"), "then the training report");
    }

    /**
     * diagnose --report: the overfit curves have a point per epoch of the small-data test, the step
     * curve one per step, and the saturation bars one per hidden layer before and after, as its
     * --json output counts them.
     */
    @Test
    void aDiagnosisReportShowsTheOverfitCurveAndTheSaturation() throws Exception {
        Path browser = chromium();
        Path html = dir.resolve("diagnose.html");
        CliRun run = CliRun.of("diagnose", "--data", "digits", "--hidden", "16,8", "--activation", "tanh",
                "--overfit-epochs", "40", "--steps", "20", "--seed", "3", "--backend", "java", "--threads", "1",
                "--json", "--report", html.toString());
        assertTrue(run.status() == 0 || run.status() == 1, run.err());
        Map<?, ?> json = run.json();
        int overfitEpochs = ((List<?>) json.get("overfit_errors")).size();
        int steps = ((List<?>) json.get("step_losses")).size();
        int layers = ((List<?>) json.get("saturation_before")).size();
        int after = ((List<?>) json.get("saturation_after")).size();
        assertTrue(overfitEpochs > 0 && steps == 20 && layers == 2, json.toString());
        String dom = dumpDom(browser, html);
        assertEquals("[]", attribute(body(dom), "data-console-errors"));
        assertEquals("4", attribute(body(dom), "data-charts"));
        assertArrayEquals(new int[] {overfitEpochs}, linePoints(svg(dom, "overfit-error")));
        assertArrayEquals(new int[] {overfitEpochs}, linePoints(svg(dom, "overfit-loss")));
        assertArrayEquals(new int[] {steps}, linePoints(svg(dom, "step-loss")));
        int bars = rectsByFill(svg(dom, "saturation")).values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(layers + after, bars, "a bar per layer, before and after");
        String afterName = ((List<?>) json.get("findings")).stream().map(f -> (String) ((Map<?, ?>) f).get("check"))
                .filter(c -> c.startsWith("saturation after ")).findFirst().orElseThrow()
                .substring("saturation ".length());
        assertTrue(svg(dom, "saturation").contains(">" + afterName + "<"), "the legend names the steps as the"
                + " findings do: " + afterName);
    }

    /**
     * gradcheck --report: a diamond per tensor with a non-zero error and the threshold line, as many
     * as the tensors of its --json output.
     */
    @Test
    void aGradientCheckReportShowsTheRelativeErrorPerTensorAndTheThreshold() throws Exception {
        Path browser = chromium();
        Path html = dir.resolve("gradcheck.html");
        CliRun run = CliRun.of("gradcheck", "--data", "digits", "--hidden", "8,6", "--examples", "4", "--samples", "10",
                "--backend", "java", "--threads", "1", "--json", "--report", html.toString());
        assertEquals(0, run.status(), run.err());
        List<?> tensors = (List<?>) run.json().get("tensors");
        long drawn = tensors.stream().filter(t -> ((Number) ((Map<?, ?>) t).get("max_relative_error")).doubleValue() > 0)
                .count();
        assertEquals(6, tensors.size());
        String dom = dumpDom(browser, html);
        assertEquals("[]", attribute(body(dom), "data-console-errors"));
        String svg = svg(dom, "relative-error");
        assertEquals(drawn, count(DIAMOND, svg, 1).values().stream().mapToInt(Integer::intValue).sum(), "diamonds");
        assertArrayEquals(new int[] {2}, linePoints(svg), "the threshold: a line from the first tensor to the last");
        assertTrue(svg.contains(">1e-6<"), "the log axis has the threshold's decade");
    }

    /**
     * diagnose --task regression --report: the small-data test's charts are the relative training
     * RMSE (with the pass bar) and the loss in standardized units, a point per epoch as many as its
     * --json output counts; the last relative RMSE is recomputed here from the epoch's loss (squared
     * error of the standardized targets: RMSE / std = √loss for one target), and the curve ends at the
     * first epoch at or below the bar, the epoch the console reports.
     */
    @Test
    void aRegressionDiagnosisReportShowsTheRelativeRmseAgainstTheBar() throws Exception {
        Path browser = chromium();
        Path csv = noisyRegression();
        Path html = dir.resolve("diagnose-regression.html");
        CliRun run = CliRun.of("diagnose", "--task", "regression", "--data", csv.toString(), "--label", "y",
                "--hidden", "16", "--steps", "10", "--seed", "2", "--backend", "java", "--threads", "1", "--json",
                "--report", html.toString());
        assertEquals(0, run.status(), run.out() + run.err());
        assertTrue(run.err().contains("report written to " + html), run.err());
        Map<?, ?> json = run.json();
        List<?> errors = (List<?>) json.get("overfit_errors");
        List<?> losses = (List<?>) json.get("overfit_losses");
        int epochs = ((Number) json.get("overfit_epoch_to_zero")).intValue();
        assertEquals(0.30, ((Number) json.get("overfit_bar")).doubleValue());
        assertTrue(epochs > 1 && errors.size() == epochs && losses.size() == epochs, json.toString());
        double last = ((Number) errors.get(epochs - 1)).doubleValue();
        double before = ((Number) errors.get(epochs - 2)).doubleValue();
        assertTrue(last <= 0.30 && before > 0.30, last + " " + before);
        // one target: RMSE_orig / std = RMSE of the standardized targets = √(mean squared error), the loss
        assertEquals(Math.sqrt(((Number) losses.get(epochs - 1)).doubleValue()), last, 1e-5);
        String dom = dumpDom(browser, html);
        assertEquals("[]", attribute(body(dom), "data-console-errors"));
        assertEquals("4", attribute(body(dom), "data-charts"));
        String rmse = svg(dom, "overfit-error");
        assertArrayEquals(new int[] {epochs}, linePoints(rmse), "a point per epoch");
        assertTrue(rmse.contains("RMSE / standard deviation") && rmse.contains("pass bar 0.3"), "the axis and the bar");
        String loss = svg(dom, "overfit-loss");
        assertArrayEquals(new int[] {epochs}, linePoints(loss));
        assertTrue(loss.contains("loss (standardized units)") && !loss.contains("nats"), "standardized units");
        String steps = svg(dom, "step-loss");
        assertTrue(steps.contains("loss (standardized units)") && !steps.contains("nats"), "the step losses too");
    }

    /**
     * gradcheck --task regression --report: the page is written (it was not), with a diamond per
     * tensor with a non-zero error, as many as the tensors of its --json output, and the loss named.
     */
    @Test
    void aRegressionGradientCheckWritesItsReport() throws Exception {
        Path browser = chromium();
        Path csv = noisyRegression();
        Path html = dir.resolve("gradcheck-regression.html");
        CliRun run = CliRun.of("gradcheck", "--task", "regression", "--data", csv.toString(), "--label", "y",
                "--hidden", "8", "--backend", "java", "--threads", "1", "--json", "--report", html.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.err().contains("report written to " + html), run.err());
        List<?> tensors = (List<?>) run.json().get("tensors");
        assertEquals(4, tensors.size(), "2-8-1: two weights, two biases");
        long drawn = tensors.stream().filter(t -> ((Number) ((Map<?, ?>) t).get("max_relative_error")).doubleValue() > 0)
                .count();
        String dom = dumpDom(browser, html);
        assertEquals("[]", attribute(body(dom), "data-console-errors"));
        String svg = svg(dom, "relative-error");
        assertEquals(drawn, count(DIAMOND, svg, 1).values().stream().mapToInt(Integer::intValue).sum(), "diamonds");
        assertTrue(dom.contains("squared-error of the standardized targets"), "the provenance names the loss");
        CliRun text = CliRun.of("gradcheck", "--task", "regression", "--data", csv.toString(), "--label", "y",
                "--hidden", "8", "--backend", "java", "--threads", "1", "--report", dir.resolve("g2.html").toString());
        assertTrue(text.out().contains("PASSED") && text.out().contains("report written to " + dir.resolve("g2.html")),
                text.out());
    }

    /** 300 rows of y = sin 2x₁ + x₂²/2 + N(0, 0.3²), x uniform on [−2, 2]². */
    private Path noisyRegression() throws Exception {
        SplittableRandom r = new SplittableRandom(1);
        StringBuilder sb = new StringBuilder("x1,x2,y\n");
        for (int i = 0; i < 300; i++) {
            double a = r.nextDouble(-2, 2);
            double b = r.nextDouble(-2, 2);
            sb.append(String.format(java.util.Locale.ROOT, "%.5f,%.5f,%.5f%n", a, b,
                    Math.sin(2 * a) + 0.5 * b * b + 0.3 * r.nextGaussian()));
        }
        return Files.writeString(dir.resolve("noisy.csv"), sb.toString());
    }

    private static Map<String, Integer> count(Pattern p, String svg, int group) {
        Map<String, Integer> n = new LinkedHashMap<>();
        Matcher m = p.matcher(svg);
        while (m.find()) {
            n.merge(m.group(group), 1, Integer::sum);
        }
        return n;
    }

    /** IDX files of 6×6 images in three classes (a bright pixel in the class's row, noise elsewhere). */
    private Path images() throws Exception {
        Path data = Files.createDirectory(dir.resolve("idx"));
        SplittableRandom random = new SplittableRandom(11);
        for (String set : new String[] {"train", "t10k"}) {
            int n = set.equals("train") ? 120 : 40;
            byte[] x = new byte[n * 36];
            byte[] y = new byte[n];
            for (int i = 0; i < n; i++) {
                y[i] = (byte) random.nextInt(3);
                for (int j = 0; j < 36; j++) {
                    x[i * 36 + j] = (byte) random.nextInt(256);
                }
                x[i * 36 + y[i] * 6] = (byte) 255;
            }
            Files.write(data.resolve(set + "-images-idx3-ubyte"), IdxBytes.of(new int[] {n, 6, 6}, x));
            Files.write(data.resolve(set + "-labels-idx1-ubyte"), IdxBytes.of(new int[] {n}, y));
        }
        return data;
    }
}
