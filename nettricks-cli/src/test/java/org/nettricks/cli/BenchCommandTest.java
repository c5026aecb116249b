package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nettricks bench} beyond speed: it runs a regression as train does (it stopped with an
 * internal error before), names the tricks that change a step's work in its header, and records the
 * backend's library in its JSON.
 */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void benchesARegressionAsTrainRunsIt() throws IOException {
        SplittableRandom r = new SplittableRandom(4);
        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 300; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            csv.append(a).append(',').append(b).append(',').append(2 * a - b).append('\n');
        }
        Path data = Files.writeString(dir.resolve("reg.csv"), csv);
        CliRun run = CliRun.of("bench", "--data", data.toString(), "--task", "regression", "--label", "y", "--hidden",
                "8", "--backend", "java", "--measure-epochs", "2", "--json");
        assertEquals(0, run.status(), run.err());
        Map<?, ?> json = run.json();
        assertEquals("2-8-1", json.get("network"), "one linear output for the one target");
        assertTrue((Double) json.get("train_examples_per_second") > 0, String.valueOf(json));
        assertEquals(2, ((List<?>) json.get("train_examples_per_second_per_epoch")).size());
        // the header as text names the task
        CliRun text = CliRun.of("bench", "--data", data.toString(), "--task", "regression", "--label", "y",
                "--hidden", "8", "--backend", "java");
        assertEquals(0, text.status(), text.err());
        assertTrue(text.out().startsWith("bench 2-8-1 relu · regression · backend java x"), text.out());
    }

    @Test
    void theHeaderNamesBatchNormAndDropoutAndTheJsonTheLibrary() {
        CliRun run = CliRun.of("bench", "--data", "digits", "--hidden", "16", "--batch-norm", "--dropout", "0.5",
                "--input-dropout", "0.2", "--backend", "java", "--threads", "1");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().startsWith("bench 64-16-10 relu · batch norm · dropout 0.5 · input dropout 0.2 · backend"
                + " java x1 · batch 64 · sgd · float32\n"), run.out());
        CliRun json = CliRun.of("bench", "--data", "digits", "--hidden", "16", "--backend", "java", "--threads", "1",
                "--json");
        assertEquals(0, json.status(), json.err());
        assertEquals("java", json.json().get("backend"));
        assertEquals(1.0, ((Number) json.json().get("threads")).doubleValue());
        assertEquals(Map.of("blas", "none (pure-Java loops)"), json.json().get("backend_provenance"));
    }
}
