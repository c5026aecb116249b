package org.nettricks.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.InvalidInputException;

/**
 * Issue 14, class 6, second example: pruning and proposals with W workers depend only on trials
 * 0 … i − W, so two runs with the same seed give the same results whichever worker is faster, and
 * a search stopped or killed and resumed gives the results of an uninterrupted one, pruning included.
 */
class SearchReproducibilityTest {
    private static final int EPOCHS = 6;
    private static final int WORKERS = 2;
    private static final long SEED = 5;

    @TempDir
    Path dir;

    /**
     * A "training" whose validation error after epoch e is f(x) / 300 + 0.4 / e (f: Branin, 0.4 to
     * 1.4 at the start, falling). Each epoch sleeps 0 to 3 ms at random (not from the seed), so that
     * the workers finish in an order that changes from run to run.
     */
    private static final class CurveObjective implements Objective {
        final TestFunctions.Function f = TestFunctions.branin();

        static double error(double base, int epoch) {
            return base + 0.4 / epoch;
        }

        @Override
        public TrialResult evaluate(int index, long seed, Map<String, String> values, MedianPruner pruning) {
            double base = f.evaluate(values) / 300;
            List<Double> curve = new ArrayList<>();
            String status = "ok";
            for (int e = 1; e <= EPOCHS; e++) {
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextInt(4));
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                curve.add(error(base, e));
                if (pruning.shouldStop(e, error(base, e))) {
                    status = "pruned";
                    break;
                }
            }
            double last = curve.get(curve.size() - 1);
            return new TrialResult(index, seed, values, status, curve.size(), last, last, curve.size(), 0, curve);
        }
    }

    private Strategy tpe() {
        return new TreeParzenEstimator(TestFunctions.branin().dimensions(), SEED);
    }

    private List<TrialResult> search(Path results, int trials, int workers) throws IOException {
        return Search.run(tpe(), new CurveObjective(), new Search.Options(trials, workers, SEED, results, true),
                t -> { });
    }

    /** The results file's lines, ordered by trial (workers append them in the order they finish). */
    private static List<String> byTrial(Path results) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(results));
        lines.sort(java.util.Comparator.comparingLong(l -> (Long) ((Map<?, ?>) org.nettricks.io.internal.Json.parse(l))
                .get("trial")));
        return lines;
    }

    /**
     * The reference, computed here without {@link Search} or {@link MedianPruner}: trials one after
     * another; trial i proposed from trials 0 … i − W and stopped at the first epoch whose error is
     * above the median of those trials' errors at that epoch (when at least 3 reached it).
     */
    private List<TrialResult> reference(int trials, int workers) {
        List<TrialResult> done = new ArrayList<>();
        TestFunctions.Function f = TestFunctions.branin();
        for (int i = 0; i < trials; i++) {
            List<TrialResult> history = done.subList(0, Math.max(0, i - workers + 1));
            Map<String, String> values = tpe().propose(i, history);
            double base = f.evaluate(values) / 300;
            List<Double> curve = new ArrayList<>();
            String status = "ok";
            for (int e = 1; e <= EPOCHS; e++) {
                double err = CurveObjective.error(base, e);
                curve.add(err);
                List<Double> seen = new ArrayList<>();
                for (TrialResult h : history) {
                    if (h.validationErrors().size() >= e) {
                        seen.add(h.validationErrors().get(e - 1));
                    }
                }
                java.util.Collections.sort(seen);
                int n = seen.size();
                if (n >= 3 && err > (n % 2 == 1 ? seen.get(n / 2) : (seen.get(n / 2 - 1) + seen.get(n / 2)) / 2)) {
                    status = "pruned";
                    break;
                }
            }
            double last = curve.get(curve.size() - 1);
            done.add(new TrialResult(i, Strategy.trialSeed(SEED, i), values, status, curve.size(), last, last,
                    curve.size(), 0, curve));
        }
        return done;
    }

    @Test
    void twoRunsWithTheSameSeedAndTwoWorkersGiveTheSameResultsAsTheSequentialReference() throws IOException {
        List<TrialResult> expected = reference(24, WORKERS);
        long pruned = expected.stream().filter(t -> t.status().equals("pruned")).count();
        assertTrue(pruned >= 5 && pruned <= 20, "the reference prunes some trials but not all: " + pruned);
        for (int run = 0; run < 2; run++) {
            Path results = dir.resolve("run" + run + ".jsonl");
            assertEquals(expected, search(results, 24, WORKERS), "run " + run);
        }
        assertEquals(byTrial(dir.resolve("run0.jsonl")), byTrial(dir.resolve("run1.jsonl")),
                "the same results files, line for line once ordered by trial");
    }

    @Test
    void aSearchStoppedAfterNTrialsThenResumedGivesTheUninterruptedResults() throws IOException {
        List<TrialResult> whole = search(dir.resolve("whole.jsonl"), 24, WORKERS);
        Path results = dir.resolve("resumed.jsonl");
        search(results, 7, WORKERS);
        search(results, 15, WORKERS);
        assertEquals(whole, search(results, 24, WORKERS));
        assertEquals(byTrial(dir.resolve("whole.jsonl")), byTrial(results));
    }

    @Test
    void aSearchKilledMidWayThenResumedGivesTheUninterruptedResults() throws IOException {
        List<TrialResult> whole = search(dir.resolve("whole.jsonl"), 24, WORKERS);
        List<String> lines = byTrial(dir.resolve("whole.jsonl"));
        // as kill -9 leaves it with 2 workers: trials 0 … 9 and 11 finished (10 was running), 12's line torn
        Path results = dir.resolve("killed.jsonl");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            if (i != 10) {
                text.append(lines.get(i)).append('\n');
            }
        }
        text.append(lines.get(12), 0, lines.get(12).length() / 2);
        Files.writeString(results, text, StandardCharsets.UTF_8);
        List<Integer> ran = new ArrayList<>();
        List<TrialResult> resumed = Search.run(tpe(), new CurveObjective(),
                new Search.Options(24, WORKERS, SEED, results, true), t -> ran.add(t.index()));
        assertEquals(whole, resumed);
        ran.sort(null);
        assertEquals(List.of(10, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23), ran, "only the unfinished trials");
        assertEquals(lines, byTrial(results));
    }

    @Test
    void resultsOfAnotherWorkerCountOrSeedAreRefusedNamingTheLine() throws IOException {
        Path results = dir.resolve("w2.jsonl");
        search(results, 16, 2);
        String workers = assertThrows(InvalidInputException.class, () -> Search.finishedTrials(tpe(),
                new Search.Options(16, 1, SEED, results, true))).getMessage();
        // TPE starts after 10 random trials: trial 10 learns from 0 … 9 with 1 worker (TPE), from 0 … 8 with 2
        // (still random)
        assertTrue(workers.startsWith(results + " line "), workers);
        assertTrue(workers.contains(": trial 10 has values {"), workers);
        assertTrue(workers.contains("but this search (tpe, seed 5, 1 worker(s)) proposes {"), workers);
        String seed = assertThrows(InvalidInputException.class, () -> Search.finishedTrials(
                new TreeParzenEstimator(TestFunctions.branin().dimensions(), 6),
                new Search.Options(16, 2, 6, results, true))).getMessage();
        assertTrue(seed.contains(": trial 0 has seed " + Strategy.trialSeed(SEED, 0) + ", but search seed 6 gives it "
                + Strategy.trialSeed(6, 0)), seed);
    }

    @Test
    void aDeletedMiddleLineOnlyRunsItsTrialAgain() throws IOException {
        List<TrialResult> whole = search(dir.resolve("whole.jsonl"), 16, WORKERS);
        List<String> lines = byTrial(dir.resolve("whole.jsonl"));
        Path results = dir.resolve("edited.jsonl");
        List<String> kept = new ArrayList<>(lines);
        kept.remove(4);
        Files.write(results, kept);
        List<Integer> ran = new ArrayList<>();
        assertEquals(whole, Search.run(tpe(), new CurveObjective(), new Search.Options(16, WORKERS, SEED, results,
                true), t -> ran.add(t.index())));
        assertEquals(List.of(4), ran);
    }

    @Test
    void aFullDiskStopsTheSearchWithTheFileAndTheReasonAndKeepsTheTrialsWritten() throws IOException {
        Path devFull = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(devFull), "needs Linux's /dev/full");
        Path results = dir.resolve("trials.jsonl");
        // the disk fills during trial 5: from then on the results file is /dev/full (every write: ENOSPC)
        Objective fillsUp = new Objective() {
            final CurveObjective inner = new CurveObjective();

            @Override
            public TrialResult evaluate(int index, long seed, Map<String, String> values, MedianPruner pruning) {
                if (index == 5) {
                    try {
                        Files.move(results, dir.resolve("kept.jsonl"));
                        Files.createSymbolicLink(results, devFull);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return inner.evaluate(index, seed, values, pruning);
            }
        };
        IOException e = assertThrows(IOException.class, () -> Search.run(tpe(), fillsUp,
                new Search.Options(12, 1, SEED, results, true), t -> { }));
        assertEquals(results + ": cannot append the result of trial 5 (No space left on device); the search stopped:"
                + " fix this (e.g. free some disk space) and run the same command to resume from the trials already"
                + " written", e.getMessage());
        assertEquals(5, Files.readAllLines(dir.resolve("kept.jsonl")).size(), "trials 0 … 4 kept, whole lines");
        // the disk freed, the same search resumes
        Files.delete(results);
        Files.move(dir.resolve("kept.jsonl"), results);
        assertEquals(search(dir.resolve("whole.jsonl"), 12, 1), search(results, 12, 1));
    }

    @Test
    void aWholeLastRecordWithoutItsNewlineIsKeptAndCompleted() throws IOException {
        Path results = dir.resolve("t.jsonl");
        search(results, 6, 1);
        String text = Files.readString(results);
        Files.writeString(results, text.substring(0, text.length() - 1)); // the newline of trial 5 cut off
        List<Integer> ran = new ArrayList<>();
        Search.run(tpe(), new CurveObjective(), new Search.Options(6, 1, SEED, results, true), t -> ran.add(t.index()));
        assertEquals(List.of(), ran, "trial 5 finished: nothing runs again");
        assertEquals(text, Files.readString(results), "its newline added");
        Files.writeString(results, "\n", StandardOpenOption.APPEND); // a blank line is skipped
        assertEquals(6, Search.finishedTrials(tpe(), new Search.Options(6, 1, SEED, results, true)).size());
    }
}
