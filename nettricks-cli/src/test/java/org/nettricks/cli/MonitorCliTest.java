package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.io.internal.Json;

/**
 * Issue 17: {@code --monitor} and {@code --weight-column} on the command line: the epoch lines and
 * the early-stopping line show the monitored metric; a regression search ranks its trials by the
 * validation RMSE its results file records; and the refusals (one line, exit status 2, nothing
 * written).
 */
class MonitorCliTest {
    @TempDir
    Path dir;

    private Path regressionData() throws IOException {
        SplittableRandom r = new SplittableRandom(2);
        StringBuilder sb = new StringBuilder("a,b,w,y\n");
        for (int i = 0; i < 150; i++) {
            double a = r.nextDouble(-1, 1);
            double b = r.nextDouble(-1, 1);
            sb.append(String.format(Locale.ROOT, "%.5f,%.5f,%.2f,%.6f%n", a, b, r.nextDouble(0.5, 2),
                    3 * a - 2 * b * b + 0.05 * r.nextGaussian()));
        }
        return Files.writeString(dir.resolve("r.csv"), sb.toString());
    }

    @Test
    void theEpochLinesAndTheEarlyStoppingLineShowTheMonitoredMetric() {
        CliRun t = CliRun.of("train", "--data", "digits", "--hidden", "16", "--epochs", "3", "--patience", "2",
                "--monitor", "val-f1-macro", "--json");
        assertEquals(0, t.status(), t.err());
        List<String> lines = t.errLines();
        String header = lines.stream().filter(l -> l.startsWith("epoch ")).findFirst().orElseThrow();
        assertTrue(header.endsWith("  val-f1-macro"), header);
        Map<?, ?> json = t.json();
        assertEquals("val-f1-macro", json.get("monitor"));
        assertEquals("maximize", json.get("monitor_direction"));
        List<?> perEpoch = (List<?>) json.get("monitored_per_epoch");
        for (int e = 0; e < perEpoch.size(); e++) {
            String row = lines.get(lines.indexOf(header) + 1 + e);
            assertTrue(row.endsWith(String.format(Locale.ROOT, "%.4f", ((Number) perEpoch.get(e)).doubleValue())), row);
        }
        String stopping = lines.stream().filter(l -> l.startsWith("early stopping")).findFirst().orElseThrow();
        assertTrue(stopping.startsWith("early stopping (val-f1-macro, patience 2): "), stopping);
        assertTrue(stopping.contains(", val-f1-macro "), stopping);
    }

    @Test
    void aRegressionSearchRanksByTheValidationRmseOfItsResultsFile() throws IOException {
        Path csv = regressionData();
        Path space = Files.writeString(dir.resolve("s.yaml"), "data: " + csv + "\ntask: regression\nlabel: y\n"
                + "weight-column: w\nhidden: choice(4, 12)\nlr: loguniform(1e-3, 3e-2)\noptimizer: adam\n"
                + "batch-size: 16\nepochs: 4\n");
        Path out = dir.resolve("search");
        CliRun s = CliRun.of("search", "--space", space.toString(), "--out", out.toString(), "--strategy", "random",
                "--trials", "4", "--seed", "3", "--json");
        assertEquals(0, s.status(), s.err());
        List<Map<?, ?>> records = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("trials.jsonl"))) {
            records.add((Map<?, ?>) Json.parse(line));
        }
        assertEquals(4, records.size());
        List<Long> byRmse = records.stream().filter(m -> "val-rmse".equals(m.get("monitor")))
                .sorted(Comparator.comparingDouble(m -> ((Number) m.get("monitored")).doubleValue()))
                .map(m -> (Long) m.get("trial")).toList();
        assertEquals(4, byRmse.size(), "every record names the metric");
        List<Long> printed = new ArrayList<>();
        for (String line : s.out().lines().toList()) {
            if (line.matches("^ *\\d+\\. trial .*")) {
                printed.add(Long.parseLong(line.replaceFirst("^ *\\d+\\. trial +(\\d+) .*", "$1")));
            }
        }
        assertEquals(byRmse, printed, s.out());
        assertTrue(s.out().contains("ranking by val-rmse (minimize)"), s.out());
        Map<?, ?> json = (Map<?, ?>) Json.parse(s.out().lines().reduce((a, b) -> b).orElseThrow());
        assertEquals(byRmse.get(0), json.get("selected_trial"));
        assertEquals("val-rmse", json.get("monitor"));
        List<String> csvLines = Files.readAllLines(out.resolve("trials.csv"));
        assertTrue(csvLines.get(0).endsWith(",monitor,monitored"));
        // trials.csv against trials.jsonl: the validation error, null there, is an empty field (as predict
        // writes a missing value), the loss and the monitored RMSE the same numbers
        List<String> columns = List.of(csvLines.get(0).split(",", -1));
        assertEquals(5, csvLines.size());
        for (int i = 1; i < csvLines.size(); i++) {
            String[] fields = csvLines.get(i).split(",", -1);
            assertEquals(columns.size(), fields.length, csvLines.get(i));
            Map<?, ?> record = records.stream().filter(m -> m.get("trial").equals(Long.parseLong(fields[0])))
                    .findFirst().orElseThrow();
            assertEquals(null, record.get("validation_error"));
            assertEquals("", fields[columns.indexOf("validation_error")], csvLines.get(i));
            assertEquals(((Number) record.get("validation_loss")).doubleValue(),
                    Double.parseDouble(fields[columns.indexOf("validation_loss")]));
            assertEquals(((Number) record.get("monitored")).doubleValue(),
                    Double.parseDouble(fields[columns.indexOf("monitored")]));
        }
        // the selected model is a regression model whose recipe records the monitor and the weights
        assertTrue(Files.exists(out.resolve("best.safetensors")));
    }

    private static void refused(CliRun r, String expected) {
        assertEquals(2, r.status(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertEquals(expected, r.err().strip());
    }

    @Test
    void aMetricOfTheOtherTaskAndBadWeightsAreRefusedInOneLine() throws IOException {
        Path csv = regressionData();
        refused(CliRun.of("train", "--data", "digits", "--monitor", "val-r2"), "nettricks train: error: --monitor"
                + " val-r2 is a metric of --task regression, but the task is classification; its metrics are val-error"
                + " (minimize), val-loss (minimize), val-accuracy (maximize), val-balanced-accuracy (maximize),"
                + " val-f1-macro (maximize), val-f1-weighted (maximize), val-precision-macro (maximize),"
                + " val-recall-macro (maximize), val-top-K-accuracy (maximize), val-log-loss (minimize),"
                + " val-roc-auc-ovr (maximize); e.g. --monitor val-loss");
        refused(CliRun.of("train", "--task", "regression", "--data", csv.toString(), "--label", "y", "--monitor",
                "val-f1-macro"), "nettricks train: error: --monitor val-f1-macro is a metric of --task classification,"
                + " but the task is regression; its metrics are val-loss (minimize), val-rmse (minimize), val-mse"
                + " (minimize), val-mae (minimize), val-r2 (maximize); e.g. --monitor val-loss");
        CliRun unknown = CliRun.of("train", "--data", "digits", "--monitor", "f1");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().startsWith("nettricks train: error: --monitor must be one of val-error, val-loss,"),
                unknown.err());
        refused(CliRun.of("train", "--data", "digits", "--monitor", "val-top-11-accuracy"), "nettricks train: error:"
                + " --monitor val-top-11-accuracy: K = 11 exceeds the 10 classes of digits; give K from 1 to 10"
                + " (val-top-10-accuracy is always 1)");
        refused(CliRun.of("train", "--data", "digits", "--weight-column", "w"), "nettricks train: error:"
                + " --weight-column reads example weights from a column of a CSV file, but --data digits is not one;"
                + " give a CSV file with a weight column, or drop --weight-column");
        Path bad = Files.writeString(dir.resolve("bad.csv"), Files.readString(csv).replaceFirst("\n([^,]+),([^,]+),"
                + "[^,]+,", "\n$1,$2,heavy,"));
        Path model = dir.resolve("m.safetensors");
        refused(CliRun.of("train", "--task", "regression", "--data", bad.toString(), "--label", "y", "--weight-column",
                "w", "--out", model.toString()), "nettricks train: error: --data " + bad + ": line 2: weight column"
                + " 'w' holds 'heavy', which is not a finite number >= 0; example weights must be finite and >= 0 (fill"
                + " or drop the row, or fix --weight-column)");
        assertFalse(Files.exists(model));
        Path space = Files.writeString(dir.resolve("s.yaml"), "data: digits\nmonitor: choice(val-r2, val-f1-macro)\n");
        refused(CliRun.of("search", "--space", space.toString(), "--out", dir.resolve("o").toString()),
                "nettricks search: error: " + space + " line 2: monitor: choice(val-r2, val-f1-macro) is searched, but"
                + " trials ranked by different metrics do not compare; fix monitor to one metric of task"
                + " classification (e.g. monitor: val-f1-macro)");
        assertFalse(Files.exists(dir.resolve("o")));
        // a regression space: the file and line, and a metric of regression (the first one searched)
        Path regression = Files.writeString(dir.resolve("r.yaml"), "data: " + csv + "\nlabel: y\nmonitor:"
                + " choice(val-f1-macro, val-r2, val-rmse)\ntask: regression\n");
        refused(CliRun.of("search", "--space", regression.toString(), "--out", dir.resolve("o").toString()),
                "nettricks search: error: " + regression + " line 3: monitor: choice(val-f1-macro, val-r2, val-rmse) is"
                + " searched, but trials ranked by different metrics do not compare; fix monitor to one metric of task"
                + " regression (e.g. monitor: val-r2)");
        assertFalse(Files.exists(dir.resolve("o")));
        // a conflict whose message says the fix ends there, without an example repeating the refused value
        refused(CliRun.of("train", "--data", csv.toString(), "--label", "y", "--loss", "huber"), "nettricks train:"
                + " error: --loss huber is a loss of --task regression, but the task is classification, whose loss is"
                + " cross-entropy; set --task regression to fit numeric targets");
        refused(CliRun.of("train", "--task", "regression", "--data", csv.toString(), "--label", "y", "--class-weight",
                "balanced"), "nettricks train: error: --class-weight weighs classes, but --task is regression"
                + " (numeric targets, no classes); drop --class-weight, or use --task classification");
        // a value out of range still gets its example
        CliRun negative = CliRun.of("train", "--data", csv.toString(), "--label", "y", "--lr", "-1");
        assertEquals(2, negative.status());
        assertTrue(negative.err().strip().endsWith("; e.g. --lr 0.1"), negative.err());
    }

    /**
     * With example weights the epoch's mean loss is the weighted (1/N) Σ s_t (o_t − z_t)², so σ·√ of
     * it is no RMSE: the train rmse column shows "-" and final_train_error is null. The same run
     * without the weight column shows σ·√(train loss), recomputed here from the printed loss and
     * the σ of the training split's targets (every row: no validation split, the test set another
     * file), the population std of y.
     */
    @Test
    void theTrainingRmseIsNotShownWithExampleWeights() throws IOException {
        Path csv = regressionData();
        for (boolean weighted : new boolean[] {true, false}) {
            List<String> args = new ArrayList<>(List.of("train", "--task", "regression", "--data", csv.toString(),
                    "--label", "y", "--hidden", "8", "--epochs", "2", "--batch-size", "150", "--validation-fraction",
                    "0", "--test-data", csv.toString(), "--optimizer", "sgd", "--lr", "0.01", "--json"));
            if (weighted) {
                args.addAll(List.of("--weight-column", "w"));
            }
            CliRun t = CliRun.of(args);
            assertEquals(0, t.status(), t.err());
            List<String> lines = t.errLines();
            String header = lines.stream().filter(l -> l.startsWith("epoch ")).findFirst().orElseThrow();
            assertTrue(header.contains("train rmse"), header);
            String[] last = lines.get(lines.indexOf(header) + 2).trim().split(" +");
            Map<?, ?> json = t.json();
            String network = lines.stream().filter(l -> l.startsWith("network ")).findFirst().orElseThrow();
            assertEquals(weighted, network.contains(" · example weights from column w · "), network);
            if (weighted) {
                assertEquals("-", last[2], lines.toString());
                assertEquals(null, json.get("final_train_error"));
            } else {
                double loss = ((Number) json.get("final_train_loss")).doubleValue();
                double rmse = ((Number) json.get("final_train_error")).doubleValue();
                assertEquals(populationStd(csv) * Math.sqrt(loss), rmse, 1e-9 * rmse);
            }
        }
    }

    /** The population standard deviation of the column y (the last) over every row of the file. */
    private static double populationStd(Path csv) throws IOException {
        List<String> rows = Files.readAllLines(csv);
        double sum = 0;
        double sumSq = 0;
        int n = rows.size() - 1;
        for (String row : rows.subList(1, rows.size())) {
            double y = Double.parseDouble(row.substring(row.lastIndexOf(',') + 1));
            sum += y;
            sumSq += y * y;
        }
        double mean = sum / n;
        return Math.sqrt(sumSq / n - mean * mean);
    }

    @Test
    void theWeightColumnIsNoFeatureOfTheModel() throws IOException {
        Path csv = regressionData();
        Path model = dir.resolve("w.safetensors");
        CliRun t = CliRun.of("train", "--task", "regression", "--data", csv.toString(), "--label", "y",
                "--weight-column", "w", "--epochs", "2", "--out", model.toString());
        assertEquals(0, t.status(), t.err());
        assertTrue(t.out().contains(" · 2 features · "), t.out());
        // predict reads the model's feature columns by name: the weight column is ignored
        CliRun p = CliRun.of("predict", "--model", model.toString(), "--data", csv.toString());
        assertEquals(0, p.status(), p.err());
        assertEquals(151, p.out().strip().lines().count());
    }
}
