package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.io.Safetensors;
import org.nettricks.io.internal.Json;

/**
 * Issue 17, item 1: `--task regression` on the command line: train, predict and evaluate on a small
 * CSV with two targets, checked against the figures recomputed here from predict's own CSV and the
 * true targets; gradcheck and diagnose; and the refusals (one line, exit status 2, nothing written).
 */
class RegressionCliTest {
    @TempDir
    Path dir;

    /** 200 rows: y1 = x0 + 2·x1, y2 = 100·x0·x1 + 7, with a little noise; and an id column first? no: a, b, y1, y2. */
    private Path data() throws IOException {
        SplittableRandom r = new SplittableRandom(1);
        StringBuilder sb = new StringBuilder("a,b,y1,y2\n");
        for (int i = 0; i < 200; i++) {
            double a = r.nextDouble(-1, 1);
            double b = r.nextDouble(-1, 1);
            sb.append(String.format(Locale.ROOT, "%.5f,%.5f,%.6f,%.6f%n", a, b, a + 2 * b + 0.01 * r.nextGaussian(),
                    100 * a * b + 7 + 0.1 * r.nextGaussian()));
        }
        return Files.writeString(dir.resolve("d.csv"), sb.toString());
    }

    @Test
    void trainPredictAndEvaluateAgree() throws IOException {
        Path csv = data();
        Path model = dir.resolve("m.safetensors");
        CliRun t = CliRun.of("train", "--task", "regression", "--data", csv.toString(), "--label", "y1,y2",
                "--hidden", "32", "--optimizer", "adam", "--lr", "0.01", "--epochs", "40", "--batch-size", "16",
                "--patience", "5", "--out", model.toString(), "--json");
        assertEquals(0, t.status(), t.err());
        assertTrue(t.err().contains("val rmse"), t.err());
        Map<?, ?> summary = (Map<?, ?>) Json.parse(t.out());
        Map<?, ?> test = (Map<?, ?>) summary.get("test");
        assertTrue(((Number) ((Map<?, ?>) test.get("mean")).get("r2")).doubleValue() > 0.9, t.out());
        Map<String, String> meta = Safetensors.read(model).metadata();
        assertEquals("regression", meta.get("task"));
        Map<?, ?> targets = (Map<?, ?>) Json.parse(meta.get("targets"));
        assertEquals(List.of("y1", "y2"), targets.get("names"));
        assertEquals("linear: y_k = mean_k + std_k * output_k", targets.get("outputs"));

        Path predictions = dir.resolve("p.csv");
        CliRun p = CliRun.of("predict", "--model", model.toString(), "--data", csv.toString(), "--out",
                predictions.toString());
        assertEquals(0, p.status(), p.err());
        List<String> lines = Files.readAllLines(predictions);
        assertEquals("index,y1,y2", lines.get(0));
        assertEquals(201, lines.size());
        // MSE, MAE and R² recomputed here from predict's values and the file's targets
        List<String> rows = Files.readAllLines(csv);
        double[] sse = new double[2];
        double[] sae = new double[2];
        double[] sum = new double[2];
        double[] sumSq = new double[2];
        for (int i = 0; i < 200; i++) {
            String[] truth = rows.get(i + 1).split(",");
            String[] pred = lines.get(i + 1).split(",");
            for (int k = 0; k < 2; k++) {
                double y = Double.parseDouble(truth[2 + k]);
                double d = y - Double.parseDouble(pred[1 + k]);
                sse[k] += d * d;
                sae[k] += Math.abs(d);
                sum[k] += y;
                sumSq[k] += y * y;
            }
        }
        CliRun e = CliRun.of("evaluate", "--model", model.toString(), "--data", csv.toString(), "--json");
        assertEquals(0, e.status(), e.err());
        List<?> perTarget = (List<?>) ((Map<?, ?>) Json.parse(e.out())).get("per_target");
        for (int k = 0; k < 2; k++) {
            Map<?, ?> m = (Map<?, ?>) perTarget.get(k);
            double mse = sse[k] / 200;
            double ssTot = sumSq[k] - sum[k] * sum[k] / 200;
            assertEquals(mse, ((Number) m.get("mse")).doubleValue(), 1e-9 * Math.max(1, mse));
            assertEquals(Math.sqrt(mse), ((Number) m.get("rmse")).doubleValue(), 1e-9 * Math.max(1, mse));
            assertEquals(sae[k] / 200, ((Number) m.get("mae")).doubleValue(), 1e-9 * Math.max(1, mse));
            assertEquals(1 - sse[k] / ssTot, ((Number) m.get("r2")).doubleValue(), 1e-8);
        }
        CliRun text = CliRun.of("evaluate", "--model", model.toString(), "--data", csv.toString());
        assertEquals(0, text.status(), text.err());
        assertTrue(text.out().contains("target                 mse          rmse           mae         r2"), text.out());
    }

    @Test
    void gradcheckAndDiagnoseRunOnRegression() throws IOException {
        Path csv = data();
        CliRun g = CliRun.of("gradcheck", "--task", "regression", "--data", csv.toString(), "--label", "y1,y2",
                "--hidden", "6", "--batch-norm", "--dropout", "0.5", "--loss", "huber", "--huber-delta", "0.5");
        assertEquals(0, g.status(), g.out() + g.err());
        assertTrue(g.out().contains("PASSED"), g.out());
        CliRun d = CliRun.of("diagnose", "--task", "regression", "--data", csv.toString(), "--label", "y1,y2",
                "--hidden", "32", "--optimizer", "adam", "--lr", "0.01", "--overfit-epochs", "300");
        assertTrue(d.out().contains("small-data overfit test: training RMSE on 50 examples fell to"), d.out() + d.err());
        // the learning-rate check gets its 200 steps on small data too, over several epochs of the
        // training split (it was skipped when one epoch had fewer than 10 steps)
        assertTrue(d.out().contains("learning rate: loss over 200 steps"), d.out());
    }

    /**
     * evaluate on a file without the model's target column says that the model's target is
     * missing, in one line, exit status 2, nothing on standard output; pointed at the column that
     * holds it with --label, the file is evaluated; a --label naming a missing column is refused as
     * before.
     */
    @Test
    void evaluateNamesTheModelsMissingTargetColumn() throws IOException {
        Path csv = data();
        Path model = dir.resolve("y1.safetensors");
        CliRun t = CliRun.of("train", "--task", "regression", "--data", csv.toString(), "--label", "y1",
                "--hidden", "4", "--epochs", "1", "--out", model.toString());
        assertEquals(0, t.status(), t.err());
        Path noTarget = Files.writeString(dir.resolve("noy.csv"), "a,b,y2,t\n0.1,0.2,3,1\n0.3,0.4,5,2\n");
        CliRun e = CliRun.of("evaluate", "--model", model.toString(), "--data", noTarget.toString());
        assertEquals(2, e.status(), e.out() + e.err());
        assertEquals("nettricks evaluate: error: --data " + noTarget + ": line 1: the model's target column 'y1' is"
                + " missing (the header is [a, b, y2, t]); add it, or point --label at the column that holds it",
                e.err().strip());
        assertEquals("", e.out());
        CliRun pointed = CliRun.of("evaluate", "--model", model.toString(), "--data", noTarget.toString(), "--label",
                "t");
        assertEquals(0, pointed.status(), pointed.err());
        CliRun wrongLabel = CliRun.of("evaluate", "--model", model.toString(), "--data", noTarget.toString(),
                "--label", "y9");
        assertEquals(2, wrongLabel.status());
        assertTrue(wrongLabel.err().strip().startsWith("nettricks evaluate: error: --data " + noTarget + ": line 1: no"
                + " target column 'y9'"), wrongLabel.err());
        // found by a fresh user: the fix suggested the very flag given ("e.g. --label y or --label y1,y2")
        Path noY1 = Files.writeString(dir.resolve("noy1.csv"), "a,b\n0.1,0.2\n0.3,0.4\n");
        CliRun given = CliRun.of("evaluate", "--model", model.toString(), "--data", noY1.toString(), "--label", "y1");
        assertEquals(2, given.status());
        assertEquals("nettricks evaluate: error: --data " + noY1 + ": line 1: no target column 'y1' (and it is not an"
                + " index from 0 to 1); the header is [a, b]; add the target column to the file, or name the file's"
                + " numeric target columns with --label", given.err().strip());
    }

    /**
     * Found by a fresh user: a file lacking a feature column the model reads by name was refused as
     * "1 columns but the model takes 2 inputs", as if the delimiter were wrong; the missing columns
     * are named.
     */
    @Test
    void aFileLackingFeatureColumnsNamesThem() throws IOException {
        Path csv = data();
        Path model = dir.resolve("aby1.safetensors");
        assertEquals(0, CliRun.of("train", "--task", "regression", "--data", csv.toString(), "--label", "y2",
                "--hidden", "4", "--epochs", "1", "--out", model.toString()).status());
        Path onlyA = Files.writeString(dir.resolve("a.csv"), "a\n0.1\n0.3\n");
        CliRun p = CliRun.of("predict", "--model", model.toString(), "--data", onlyA.toString());
        assertEquals(2, p.status());
        assertEquals("nettricks predict: error: --data " + onlyA + ": line 1: no columns [b, y1]: the model reads the"
                + " training data's 3 feature columns [a, b, y1] by name, and the header is [a]; add the columns (any"
                + " order)", p.err().strip());
        Path ab = Files.writeString(dir.resolve("ab.csv"), "a,b\n0.1,0.2\n0.3,0.4\n");
        CliRun q = CliRun.of("predict", "--model", model.toString(), "--data", ab.toString());
        assertEquals(2, q.status());
        assertEquals("nettricks predict: error: --data " + ab + ": line 1: no column 'y1': the model reads the"
                + " training data's 3 feature columns [a, b, y1] by name, and the header is [a, b]; add the column (any"
                + " order)", q.err().strip());
        // another delimiter is still told as such
        Path spaces = Files.writeString(dir.resolve("spaces.csv"), "a b\n0.1 0.2\n");
        CliRun s = CliRun.of("predict", "--model", model.toString(), "--data", spaces.toString());
        assertEquals(2, s.status());
        assertTrue(s.err().contains("line 1: 1 columns but the model takes 3 inputs"), s.err());
    }

    /**
     * The network line names the Huber loss and its δ where they are set, and no loss for the
     * default squared error.
     */
    @Test
    void theNetworkLineNamesTheHuberLoss() throws IOException {
        Path csv = data();
        CliRun huber = CliRun.of("train", "--task", "regression", "--data", csv.toString(), "--label", "y1",
                "--hidden", "4", "--epochs", "1", "--loss", "huber", "--huber-delta", "0.5");
        assertEquals(0, huber.status(), huber.err());
        String network = huber.out().lines().filter(l -> l.startsWith("network ")).findFirst().orElseThrow();
        assertTrue(network.startsWith("network 3-4-1 relu · init glorot · huber loss δ 0.5 · sgd lr "), network);
        CliRun squared = CliRun.of("train", "--task", "regression", "--data", csv.toString(), "--label", "y1",
                "--hidden", "4", "--epochs", "1");
        assertEquals(0, squared.status(), squared.err());
        assertFalse(squared.out().contains("loss δ"), squared.out());
    }

    @Test
    void badInputIsRefusedInOneLine() throws IOException {
        Path csv = data();
        Path model = dir.resolve("never.safetensors");
        Path bad = Files.writeString(dir.resolve("bad.csv"), "a,b,y1,y2\n1,2,3,4\n1,2,n/a,4\n");
        CliRun word = CliRun.of("train", "--task", "regression", "--data", bad.toString(), "--label", "y1,y2",
                "--out", model.toString());
        assertEquals(2, word.status());
        assertEquals("nettricks train: error: --data " + bad + ": line 3: target column 'y1' holds 'n/a', which is not"
                + " a finite number; regression targets must be numbers (fill or drop the row, or use --task"
                + " classification for class labels)", word.err().strip());
        CliRun missing = CliRun.of("train", "--task", "regression", "--data", csv.toString(), "--label", "y3");
        assertEquals(2, missing.status());
        assertTrue(missing.err().strip().startsWith("nettricks train: error: --data " + csv + ": line 1: no target"
                + " column 'y3'"), missing.err());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        CliRun noLabel = CliRun.of("train", "--task", "regression", "--data", csv.toString());
        assertEquals(2, noLabel.status());
        assertTrue(noLabel.err().contains("--task regression needs its numeric target columns named: give --label y"),
                noLabel.err());
        CliRun weights = CliRun.of("train", "--task", "regression", "--data", csv.toString(), "--label", "y1",
                "--class-weight", "balanced");
        assertEquals(2, weights.status());
        assertTrue(weights.err().contains("--class-weight weighs classes, but --task is regression"), weights.err());
        CliRun images = CliRun.of("train", "--task", "regression", "--data", "digits", "--label", "y");
        assertEquals(2, images.status());
        assertTrue(images.err().contains("--data digits holds images with class labels, but --task is regression"),
                images.err());
        CliRun huber = CliRun.of("train", "--data", csv.toString(), "--label", "y1", "--loss", "huber");
        assertEquals(2, huber.status());
        assertTrue(huber.err().contains("--loss huber is a loss of --task regression"), huber.err());
        CliRun delta = CliRun.of("train", "--task", "regression", "--data", csv.toString(), "--label", "y1",
                "--huber-delta", "0.5");
        assertEquals(2, delta.status());
        assertTrue(delta.err().contains("--huber-delta applies to --loss huber only"), delta.err());
        // found by a fresh user: the fix was "e.g. --loss huber" where dropping --loss gives the default
        CliRun crossEntropy = CliRun.of("train", "--task", "regression", "--data", csv.toString(), "--label", "y1",
                "--loss", "cross-entropy");
        assertEquals(2, crossEntropy.status());
        assertEquals("nettricks train: error: --loss cross-entropy is the loss of --task classification; regression"
                + " minimizes squared-error (its default) or huber: drop --loss, or use --loss huber",
                crossEntropy.err().strip());
        CliRun task = CliRun.of("train", "--task", "ranking", "--data", csv.toString());
        assertEquals(2, task.status());
        assertTrue(task.err().contains("--task must be classification or regression, got 'ranking'"), task.err());
        assertFalse(Files.exists(model));
    }
}
