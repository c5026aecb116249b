package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nettricks.io.internal.Json;

/**
 * Issue 16 item 3, search: a real {@code search --checkpoint DIR} (a child JVM) is killed with
 * SIGKILL inside a checkpoint write in the middle of trial 3 (the first a median pruner may stop),
 * and the same command run again: it resumes trial 3 from its latest checkpoint, and ends with the
 * uninterrupted search's results (every field of trials.jsonl but the wall times) and its best
 * model, byte for byte; no trial is repeated or lost, and the finished trials' checkpoint
 * directories are gone. Grid, random and TPE with the median pruner; digits, 16 hidden units, 3
 * epochs of 21 batches per trial, one worker.
 */
class SearchCheckpointKillTest {
    @TempDir
    Path dir;

    private List<String> search(String strategy, Path space, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("search", "--space", space.toString(), "--out", out.toString(),
                "--workers", "1", "--threads-per-trial", "1", "--backend", "java", "--seed", "2", "--trials", "6"));
        if (strategy.endsWith("tpe-prune")) {
            args.addAll(List.of("--strategy", "tpe", "--prune"));
        } else {
            args.addAll(List.of("--strategy", strategy.replaceFirst("^regression-", "")));
        }
        args.addAll(List.of(extra));
        return args;
    }

    /**
     * Each trial writes 9 checkpoints (every 10 steps and at each epoch's end: steps 10, 20, 21, 30,
     * 40, 42, 50, 60, 63), and trials 0-2 cannot be pruned (the pruner needs 3 earlier trials). Grid
     * and random: write 32 is trial 3's 5th (step 40, epoch 2), killed before its rename, so that
     * step 30's is the latest complete one. TPE with the pruner (seed 2 prunes trial 3 after epoch
     * 1): killed after write 30, trial 3's epoch-1 checkpoint, which holds the pruner's stop.
     */
    @ParameterizedTest
    @CsvSource({"grid, 31, false, epoch 2 batch 10 of 21 (30 steps), 30",
            "random, 31, false, epoch 2 batch 10 of 21 (30 steps), 30",
            "tpe-prune, 29, true, after epoch 1 (21 steps), 21",
            "regression-random, 31, false, epoch 2 batch 10 of 21 (30 steps), 30"})
    void aSearchKilledInTheMiddleOfATrialResumesThatTrialToTheUninterruptedResults(String strategy, int completeWrites,
            boolean afterRename, String position, long steps) throws Exception {
        boolean regression = strategy.startsWith("regression-");
        if (regression) { // as many rows as digits (1,797): the same splits, batches and checkpoint writes
            java.util.SplittableRandom g = new java.util.SplittableRandom(4);
            StringBuilder csv = new StringBuilder("a,b,c,y\n");
            for (int i = 0; i < 1797; i++) {
                double a = g.nextDouble(-1, 1);
                double b = g.nextDouble(-1, 1);
                csv.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%.4f,%.4f%n", a, b, g.nextDouble(),
                        50 * a * b + 3 * b + g.nextGaussian()));
            }
            Files.writeString(dir.resolve("r.csv"), csv.toString());
        }
        Path space = Files.writeString(dir.resolve("space.yaml"), regression ? "data: " + dir.resolve("r.csv")
                + "\ntask: regression\nlabel: y\noptimizer: adam\nepochs: 3\nhidden: 16\nlr: loguniform(0.001, 0.03)\n"
                : "data: digits\nepochs: 3\n" + (strategy.equals("grid")
                ? "hidden: grid(8, 16)\nlr: grid(0.02, 0.05, 0.1)\n" : "hidden: 16\nlr: loguniform(0.01, 0.3)\n"));
        Path reference = dir.resolve("reference");
        CliRun r = CliRun.of(search(strategy, space, reference));
        assertEquals(0, r.status(), r.err());
        List<Map<?, ?>> expected = withoutSeconds(reference.resolve("trials.jsonl"));
        assertEquals(6, expected.size());
        if (regression) {
            assertEquals("val-rmse", expected.get(0).get("monitor"), "a regression search selects on the RMSE");
        }
        if (strategy.equals("tpe-prune")) {
            assertEquals("pruned", expected.get(3).get("status"), "the median pruner stops trial 3: " + expected);
            assertEquals(1L, expected.get(3).get("epochs"));
        }

        Path out = dir.resolve("killed");
        Path checkpoints = dir.resolve("ck");
        Path marker = dir.resolve("paused");
        Path log = dir.resolve("child.log");
        int status = KilledAtCheckpoint.run(search(strategy, space, out, "--checkpoint", checkpoints.toString(),
                "--checkpoint-every", "10"), marker, completeWrites, afterRename, log, 0);
        assertEquals(137, status, "killed by SIGKILL (128 + 9)");
        assertEquals(expected.subList(0, 3), withoutSeconds(out.resolve("trials.jsonl")), "trials 0-2 were finished");
        assertEquals(List.of("trial-003"), list(checkpoints), "only the running trial's checkpoints are left");

        CliRun resumed = CliRun.of(search(strategy, space, out, "--checkpoint", checkpoints.toString()));
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("resuming: 3 trials already finished"), resumed.out());
        assertTrue(resumed.err().contains("trial 3: resuming from " + checkpoints.resolve("trial-003")
                .resolve(String.format("checkpoint-%012d.safetensors", steps)) + ": " + position.replace(" batch",
                ", batch")), resumed.err());
        assertEquals(expected, withoutSeconds(out.resolve("trials.jsonl")), "the uninterrupted search's results");
        assertArrayEquals(Files.readAllBytes(reference.resolve("best.safetensors")),
                Files.readAllBytes(out.resolve("best.safetensors")), "the uninterrupted search's best model");
        assertEquals(List.of(), list(checkpoints), "every trial finished: no checkpoint left");
    }

    /**
     * Two workers, TPE with the pruner: both workers wait in a checkpoint write (every write from the
     * 20th on waits) when the search is killed, at a moment that depends on the timing; the search
     * run again resumes the trials that were running and ends with the results and the best model
     * of the uninterrupted search with two workers.
     */
    @Test
    void aSearchOfTwoWorkersKilledWhileBothTrainResumesToTheUninterruptedResults() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "two workers need two cores");
        Path space = Files.writeString(dir.resolve("space.yaml"), "data: digits\nepochs: 3\nhidden: 16\n"
                + "lr: loguniform(0.01, 0.3)\n");
        Path reference = dir.resolve("reference");
        CliRun r = CliRun.of(twoWorkers(space, reference));
        assertEquals(0, r.status(), r.err());
        List<Map<?, ?>> expected = withoutSeconds(reference.resolve("trials.jsonl"));

        Path out = dir.resolve("killed");
        Path checkpoints = dir.resolve("ck");
        Path marker = dir.resolve("paused");
        Path log = dir.resolve("child.log");
        // after the pause, the other worker reaches its next write and waits too, or trains on: either is fine
        int status = KilledAtCheckpoint.run(twoWorkers(space, out, "--checkpoint", checkpoints.toString(),
                "--checkpoint-every", "10"), marker, 19, true, log, 300);
        assertEquals(137, status, "killed by SIGKILL (128 + 9)");
        assertTrue(!list(checkpoints).isEmpty(), "a running trial's checkpoints were left");

        CliRun resumed = CliRun.of(twoWorkers(space, out, "--checkpoint", checkpoints.toString()));
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.err().contains(": resuming from " + checkpoints), resumed.err());
        assertEquals(expected, withoutSeconds(out.resolve("trials.jsonl")), "the uninterrupted search's results");
        assertArrayEquals(Files.readAllBytes(reference.resolve("best.safetensors")),
                Files.readAllBytes(out.resolve("best.safetensors")), "the uninterrupted search's best model");
        assertEquals(List.of(), list(checkpoints), "every trial finished: no checkpoint left");
    }

    private static List<String> twoWorkers(Path space, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("search", "--space", space.toString(), "--out", out.toString(),
                "--workers", "2", "--threads-per-trial", "1", "--backend", "java", "--seed", "2", "--trials", "6",
                "--strategy", "tpe", "--prune"));
        args.addAll(List.of(extra));
        return args;
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The results file's records by trial, without their wall times. */
    private static List<Map<?, ?>> withoutSeconds(Path results) throws IOException {
        List<Map<?, ?>> out = new ArrayList<>();
        for (String line : Files.readAllLines(results)) {
            if (!line.isBlank()) {
                Map<Object, Object> m = new LinkedHashMap<>((Map<?, ?>) Json.parse(line));
                m.remove("seconds");
                out.add(m);
            }
        }
        out.sort(Comparator.comparingLong(m -> (Long) m.get("trial")));
        return out;
    }
}
