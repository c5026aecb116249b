package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nettricks.io.internal.Json;
import org.nettricks.model.ModelFile;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.JavaBackend;

/** Issue 14, class 6: {@code nettricks search} with ties, pruning, resumes and damaged files. */
class SearchCommandTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        return run(line -> { }, args);
    }

    /** Runs a command; {@code onLine} sees each line of standard output as it is printed. */
    private static Run run(Consumer<String> onLine, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OutputStream watched = new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public void write(int b) {
                out.write(b);
                if (b == '\n') {
                    onLine.accept(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else {
                    line.write(b);
                }
            }
        };
        int status = Main.run(args, new PrintStream(watched, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The bad-input contract: status 2, one line on standard error starting with the subject, no stack trace. */
    private static void assertRefused(Run r, String subject, String... fragments) {
        assertEquals(2, r.status(), r.out() + r.err());
        String[] lines = r.err().split("\n");
        assertEquals(1, lines.length, "exactly one line on stderr: " + r.err());
        assertTrue(lines[0].startsWith("nettricks search: error: " + subject), lines[0]);
        for (String f : fragments) {
            assertTrue(lines[0].contains(f), "expected '" + f + "' in: " + lines[0]);
        }
        assertFalse(lines[0].contains("Exception"), lines[0]);
    }

    private static boolean twoCores() {
        return Runtime.getRuntime().availableProcessors() >= 2;
    }

    private static List<Map<?, ?>> records(Path results) throws IOException {
        List<Map<?, ?>> out = new ArrayList<>();
        for (String l : Files.readAllLines(results)) {
            out.add((Map<?, ?>) Json.parse(l));
        }
        out.sort(Comparator.comparingLong(m -> (Long) m.get("trial")));
        return out;
    }

    /** The results without the wall times, ordered by trial: what must be the same from run to run. */
    private static List<Map<?, ?>> withoutSeconds(Path results) throws IOException {
        List<Map<?, ?>> out = new ArrayList<>();
        for (Map<?, ?> m : records(results)) {
            Map<Object, Object> copy = new java.util.LinkedHashMap<>(m);
            copy.remove("seconds");
            out.add(copy);
        }
        return out;
    }

    private static String savedSeed(Path model) {
        try (Backend b = new JavaBackend(1)) {
            return ModelFile.load(model, b).provenance().get("seed");
        }
    }

    private Path threeClasses() throws IOException {
        StringBuilder csv = new StringBuilder("label,x1,x2\n");
        for (int i = 0; i < 60; i++) {
            csv.append("abc".charAt(i % 3)).append(',').append(i % 3 * 5 + i % 7 * 0.1).append(',')
                    .append(i % 5 * 0.1).append('\n');
        }
        return Files.writeString(dir.resolve("three.csv"), csv);
    }

    // ------------------------------------------------------------------ example 1: a tie with two workers

    @Test
    void aTieWithTwoWorkersSelectsSavesAndTestsTrialZero() throws IOException {
        assumeTrue(twoCores(), "two workers need two cores");
        Path space = Files.writeString(dir.resolve("tie.yaml"), "data: " + threeClasses() + "\nhidden: 16\n"
                + "batch-size: 8\nepochs: [3000, 30]\n");
        Path out = dir.resolve("tie");
        Run r = run("search", "--space", space.toString(), "--out", out.toString(), "--strategy", "grid", "--workers",
                "2", "--threads-per-trial", "1", "--json");
        assertEquals(0, r.status(), r.out() + r.err());
        List<Map<?, ?>> trials = records(out.resolve("trials.jsonl"));
        assertEquals(0.0, trials.get(0).get("validation_error"), "the tie this test is about");
        assertEquals(0.0, trials.get(1).get("validation_error"), "the tie this test is about");
        List<String> order = Files.readAllLines(out.resolve("trials.jsonl"));
        assertTrue(order.get(0).startsWith("{\"trial\":1,"), "trial 1 (30 epochs) finished before trial 0 (3000): "
                + order.get(0));
        Map<?, ?> summary = (Map<?, ?>) Json.parse(r.out().lines().filter(l -> l.startsWith("{")).findFirst()
                .orElseThrow());
        assertEquals(0L, summary.get("selected_trial"));
        assertTrue(r.out().contains("selected trial 0: "), r.out());
        assertEquals(trials.get(0).get("seed").toString(), savedSeed(out.resolve("best.safetensors")),
                "best.safetensors is trial 0's model");
        assertEquals(1.0, summary.get("test_accuracy"), "three classes 5 apart: every test example right");
    }

    // --------------------------------------------------------- example 2: pruning, reproducible and resumable

    private static final String[] PRUNED_SEARCH = {"--strategy", "tpe", "--workers", "2", "--threads-per-trial", "1",
            "--prune", "--seed", "3"};

    private Run prunedSearch(Path space, Path out) {
        return prunedSearch(space, out, 14);
    }

    private Run prunedSearch(Path space, Path out, int trials) {
        List<String> args = new ArrayList<>(List.of("search", "--space", space.toString(), "--out", out.toString(),
                "--trials", Integer.toString(trials)));
        args.addAll(List.of(PRUNED_SEARCH));
        return run(args.toArray(String[]::new));
    }

    @Test
    void pruningWithTwoWorkersIsReproducibleAndAResumedSearchPrunesAsAnUninterruptedOne() throws IOException {
        assumeTrue(twoCores(), "two workers need two cores");
        Path space = Files.writeString(dir.resolve("space.yaml"), "data: digits\nepochs: 4\nhidden: 16\n"
                + "lr: loguniform(0.001, 0.5)\n");
        Path first = dir.resolve("first");
        Path second = dir.resolve("second");
        assertEquals(0, prunedSearch(space, first).status());
        assertEquals(0, prunedSearch(space, second).status());
        List<Map<?, ?>> expected = withoutSeconds(first.resolve("trials.jsonl"));
        assertEquals(expected, withoutSeconds(second.resolve("trials.jsonl")), "two runs, the same results");

        // each trial's status checked apart from the code: the median rule over trials 0 … i − 2's stored curves
        int pruned = 0;
        for (int i = 0; i < expected.size(); i++) {
            List<?> curve = (List<?>) expected.get(i).get("validation_errors");
            int stopAt = 0;
            for (int e = 1; e <= curve.size() && stopAt == 0; e++) {
                List<Double> seen = new ArrayList<>();
                for (int j = 0; j <= i - 2; j++) {
                    List<?> c = (List<?>) expected.get(j).get("validation_errors");
                    if (c.size() >= e) {
                        seen.add(((Number) c.get(e - 1)).doubleValue());
                    }
                }
                seen.sort(null);
                int n = seen.size();
                if (n >= 3 && ((Number) curve.get(e - 1)).doubleValue()
                        > (n % 2 == 1 ? seen.get(n / 2) : (seen.get(n / 2 - 1) + seen.get(n / 2)) / 2)) {
                    stopAt = e;
                }
            }
            assertEquals(stopAt > 0 ? "pruned" : "ok", expected.get(i).get("status"), "trial " + i);
            assertEquals((long) (stopAt > 0 ? stopAt : 4), expected.get(i).get("epochs"), "trial " + i);
            pruned += stopAt > 0 ? 1 : 0;
        }
        assertTrue(pruned >= 2 && pruned <= 11, pruned + " trials pruned: the rule is exercised");

        // stopped after 6 trials, then resumed to 14
        Path stopped = dir.resolve("stopped");
        assertEquals(0, prunedSearch(space, stopped, 6).status());
        Run resumed = prunedSearch(space, stopped);
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("resuming: 6 trials already finished"), resumed.out());
        assertEquals(expected, withoutSeconds(stopped.resolve("trials.jsonl")), "stopped and resumed");

        // killed: trials 0 … 6 and 8 written, 7 running, 9's line torn (as kill -9 leaves it with two workers)
        Path killed = Files.createDirectory(dir.resolve("killed"));
        Files.copy(first.resolve("search.json"), killed.resolve("search.json"));
        List<String> lines = new ArrayList<>(Files.readAllLines(first.resolve("trials.jsonl")));
        lines.sort(Comparator.comparingLong(l -> (Long) ((Map<?, ?>) Json.parse(l)).get("trial")));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i <= 8; i++) {
            if (i != 7) {
                text.append(lines.get(i)).append('\n');
            }
        }
        text.append(lines.get(9), 0, 40);
        Files.writeString(killed.resolve("trials.jsonl"), text);
        Run afterKill = prunedSearch(space, killed);
        assertEquals(0, afterKill.status(), afterKill.err());
        assertEquals(expected, withoutSeconds(killed.resolve("trials.jsonl")), "killed and resumed");
    }

    private static String[] concat(List<String> a, List<String> b, List<String> c) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return all.toArray(String[]::new);
    }

    // -------------------------------------------------------------- example 5: --workers and --prune on resume

    @Test
    void resumingATpeOrPrunedSearchWithOtherWorkersOrPruningIsRefusedNamingBothValues() throws IOException {
        assumeTrue(twoCores(), "two workers need two cores");
        Path space = Files.writeString(dir.resolve("space.yaml"), "data: digits\nepochs: 1\nhidden: 8\n"
                + "lr: loguniform(0.01, 0.5)\n");
        Path out = dir.resolve("tpe");
        String[] base = {"search", "--space", space.toString(), "--out", out.toString(), "--threads-per-trial", "1"};
        assertEquals(0, run(concat(List.of(base), List.of("--strategy", "tpe"), List.of("--workers", "1", "--trials",
                "2"))).status());
        assertRefused(run(concat(List.of(base), List.of("--strategy", "tpe"), List.of("--workers", "2", "--trials",
                "3"))), "--out " + out + " holds a search started with --workers 1; resuming it with --workers 2",
                "use --workers 1, or another --out");
        assertRefused(run(concat(List.of(base), List.of("--strategy", "tpe"), List.of("--prune", "--trials", "3"))),
                "--out " + out + " holds a search started without --prune; resuming it with --prune",
                "leave out --prune, or use another --out");
        Run same = run(concat(List.of(base), List.of("--strategy", "tpe"), List.of("--workers", "1", "--trials", "3")));
        assertEquals(0, same.status(), same.err());
        // random search without pruning: the proposals do not depend on the workers, so the change is allowed
        Path random = dir.resolve("random");
        String[] r = {"search", "--space", space.toString(), "--out", random.toString(), "--threads-per-trial", "1",
                "--strategy", "random"};
        assertEquals(0, run(concat(List.of(r), List.of("--workers", "1"), List.of("--trials", "2"))).status());
        Run two = run(concat(List.of(r), List.of("--workers", "2"), List.of("--trials", "4")));
        assertEquals(0, two.status(), two.err());
        assertEquals(4, Files.readAllLines(random.resolve("trials.jsonl")).size());
    }

    // ---------------------------------------------------- example 3: everything checked before --out is written

    @Test
    void invalidFixedSettingsLeaveNothingAndTheCorrectedSpaceThenRuns() throws IOException {
        Path out = dir.resolve("out");
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "data: digits\nepochs: 0\nhidden: 8\n");
        assertRefused(run("search", "--space", bad.toString(), "--out", out.toString()), "search space: ",
                "bad.yaml line 2: epochs must be at least 1, got 0");
        assertFalse(Files.exists(out), "nothing written");
        Path badWithDimension = Files.writeString(dir.resolve("bad2.yaml"), "data: digits\nepochs: 0\nhidden: 8\n"
                + "lr: [0.1, 0.2]\n");
        assertRefused(run("search", "--space", badWithDimension.toString(), "--out", out.toString(), "--strategy",
                "grid"), "search space: ", "bad2.yaml line 2: epochs must be at least 1, got 0");
        assertFalse(run("search", "--space", badWithDimension.toString(), "--out", out.toString(), "--strategy",
                "grid").err().contains("typical value"), "the searched lr takes no part in the refusal");
        assertFalse(Files.exists(out), "nothing written");
        Path noData = Files.writeString(dir.resolve("nodata.yaml"), "data: " + dir.resolve("nosuch.csv")
                + "\nepochs: 1\nlr: [0.1, 0.2]\n");
        Run missing = run("search", "--space", noData.toString(), "--out", out.toString(), "--strategy", "grid");
        assertRefused(missing, "", "nosuch.csv: no such file or directory");
        assertFalse(Files.exists(out), "the data is read before anything is written");
        Path good = Files.writeString(dir.resolve("good.yaml"), "data: digits\nepochs: 1\nhidden: 8\n");
        Run ok = run("search", "--space", good.toString(), "--out", out.toString(), "--trials", "1");
        assertEquals(0, ok.status(), ok.err());
        assertEquals(1, Files.readAllLines(out.resolve("trials.jsonl")).size());
    }

    @Test
    void aDirectoryLeftByASearchThatFinishedNoTrialIsTakenOverByAnother() throws IOException {
        Path out = Files.createDirectory(dir.resolve("left"));
        // as an earlier version left it: search.json of a space whose fixed settings were invalid, no trial
        Files.writeString(out.resolve("search.json"), "{\"space\":\"\",\"fixed\":[\"data=digits\",\"epochs=0\"],"
                + "\"strategy\":\"tpe\",\"seed\":1}\n");
        Path good = Files.writeString(dir.resolve("good.yaml"), "data: digits\nepochs: 1\nhidden: 8\n");
        Run ok = run("search", "--space", good.toString(), "--out", out.toString(), "--trials", "1");
        assertEquals(0, ok.status(), ok.err());
        assertTrue(Files.readString(out.resolve("search.json")).contains("\"epochs=1\""));
        // with a finished trial, a different search is refused
        Path other = Files.writeString(dir.resolve("other.yaml"), "data: digits\nepochs: 2\nhidden: 8\n");
        assertRefused(run("search", "--space", other.toString(), "--out", out.toString(), "--trials", "1"),
                "--out " + out + " holds a different search");
    }

    @Test
    void outputPathsThatCannotBeWrittenAreRefusedFirst() throws IOException {
        Path good = Files.writeString(dir.resolve("good.yaml"), "data: digits\nepochs: 1\nhidden: 8\n");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertRefused(run("search", "--space", good.toString(), "--out", file.toString()),
                "--out " + file + " is a file, not a directory");
        assertRefused(run("search", "--space", good.toString(), "--out", file.resolve("sub").toString()),
                "--out " + file.resolve("sub") + ": " + file + " is a file, not a directory");
        Path out = Files.createDirectory(dir.resolve("out"));
        Files.createDirectory(out.resolve("best.safetensors"));
        assertRefused(run("search", "--space", good.toString(), "--out", out.toString()),
                "--out " + out + ": " + out.resolve("best.safetensors") + " is not a regular file");
        assertFalse(Files.exists(out.resolve("search.json")));
    }

    // ------------------------------------------------------ example 4: a full disk, damaged search.json and results

    @Test
    void aFullDiskStopsTheSearchWithOneLineAndTheSearchResumesOnceFreed() throws IOException {
        Path devFull = Path.of("/dev/full");
        assumeTrue(Files.isWritable(devFull), "needs Linux's /dev/full");
        Path space = Files.writeString(dir.resolve("space.yaml"), "data: digits\nepochs: 1\nhidden: 8\n"
                + "lr: loguniform(0.01, 0.5)\n");
        Path out = dir.resolve("full");
        Path results = out.resolve("trials.jsonl");
        Path aside = dir.resolve("aside.jsonl");
        String[] args = {"search", "--space", space.toString(), "--out", out.toString(), "--trials", "3",
                "--threads-per-trial", "1"};
        // the disk fills once trial 0 is written: the results file becomes /dev/full (every write: ENOSPC)
        Run full = run(line -> {
            if (line.startsWith("trial   0 ")) {
                try {
                    Files.move(results, aside);
                    Files.createSymbolicLink(results, devFull);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }, args);
        assertRefused(full, results + ": cannot append the result of trial 1 (No space left on device); the search"
                + " stopped: fix this (e.g. free some disk space) and run the same command to resume");
        assertFalse(full.out().contains("trial   2 "), "no trial started after the failure");
        Files.delete(results);
        Files.move(aside, results);
        Run resumed = run(args);
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("resuming: 1 trials already finished"), resumed.out());
        assertEquals(List.of(0L, 1L, 2L), records(results).stream().map(m -> m.get("trial")).toList());
    }

    private Path finishedSearch(String name) throws IOException {
        Path space = Files.writeString(dir.resolve("space.yaml"), "data: digits\nepochs: 1\nhidden: 8\n"
                + "lr: [0.05, 0.1, 0.2]\n");
        Path out = dir.resolve(name);
        Run r = run("search", "--space", space.toString(), "--out", out.toString(), "--strategy", "grid");
        assertEquals(0, r.status(), r.err());
        return out;
    }

    private Run resume(Path out) {
        return run("search", "--space", dir.resolve("space.yaml").toString(), "--out", out.toString(), "--strategy",
                "grid");
    }

    @ParameterizedTest(name = "search.json: {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # content of search.json                                           | the problem named
            ``                                                                 | : not JSON (
            not json                                                           | : not JSON (
            {"space":"lr = grid(0.05, 0.1, 0.2)"                               | : not JSON (
            []                                                                 | : not a search description (not a JSON object)
            {}                                                                 | : not a search description ('space' is not a string)
            {"space":1}                                                        | : not a search description ('space' is not a string)
            {"space":"","fixed":"x"}                                           | : not a search description ('fixed' is not a list of strings)
            {"space":"","fixed":[1]}                                           | : not a search description ('fixed' is not a list of strings)
            {"space":"","fixed":[],"strategy":2}                               | : not a search description ('strategy' is not a string)
            {"space":"","fixed":[],"strategy":"grid"}                          | : not a search description ('seed' is not an integer)
            {"space":"","fixed":[],"strategy":"grid","seed":"1"}               | : not a search description ('seed' is not an integer)
            {"space":"","fixed":[],"strategy":"grid","seed":1,"workers":0}     | : not a search description ('workers' is not an integer ≥ 1)
            {"space":"","fixed":[],"strategy":"grid","seed":1,"prune":"yes"}   | : not a search description ('prune' is not true or false)
            {"space":"","fixed":[],"strategy":"grid","seed":1}                 | ' holds a different search
            """)
    void aDamagedSearchJsonIsRefusedWithOneLineNamingIt(String content, String problem) throws IOException {
        Path out = finishedSearch("damaged");
        Files.writeString(out.resolve("search.json"), content == null ? "" : content);
        byte[] results = Files.readAllBytes(out.resolve("trials.jsonl"));
        Run r = resume(out);
        if (problem.startsWith("'")) {
            assertRefused(r, "--out " + out + problem.substring(1));
        } else {
            assertRefused(r, out.resolve("search.json") + problem);
            assertTrue(r.err().contains("restore it, or delete it (the results are then checked against the search you"
                    + " run), or use another --out"), r.err());
        }
        assertTrue(java.util.Arrays.equals(results, Files.readAllBytes(out.resolve("trials.jsonl"))), "untouched");
    }

    @Test
    void aSearchJsonThatIsNotUtf8OrADirectoryIsRefusedAndADeletedOneIsWrittenAgain() throws IOException {
        Path out = finishedSearch("bytes");
        Path json = out.resolve("search.json");
        String good = Files.readString(json);
        Files.write(json, new byte[] {'{', (byte) 0xff, '}'});
        assertRefused(resume(out), json + ": not UTF-8 text; ");
        Files.delete(json);
        Files.createDirectory(json);
        assertRefused(resume(out), "--out " + out + ": " + json + " is not a regular file");
        Files.delete(json);
        Run r = resume(out);
        assertEquals(0, r.status(), r.err());
        assertEquals(good, Files.readString(json), "written again, once the results were checked");
    }

    @Test
    void aHandEditedResultsLineIsRefusedNamingTheFileAndLineWhileATornLastLineIsTolerated() throws IOException {
        Path out = finishedSearch("edited");
        Path results = out.resolve("trials.jsonl");
        List<String> lines = Files.readAllLines(results);
        List<String> edited = new ArrayList<>(lines);
        edited.set(1, lines.get(1).replace("\"status\":\"ok\"", "\"status\":\"finished\""));
        Files.write(results, edited);
        assertRefused(resume(out), results + " line 2: not a trial record: 'status' is \"finished\", not ok, pruned or"
                + " diverged; the line was edited");
        edited.set(1, lines.get(1).replaceFirst("\"lr\":\"0\\.1\"", "\"lr\":\"0.15\""));
        Files.write(results, edited);
        // a grid's proposals do not depend on earlier trials: the workers are not mentioned
        assertRefused(resume(out), results + " line 2: trial 1 has values {lr=0.15}, but this search (grid, seed 1)"
                + " proposes {lr=0.1}; the line was edited, or the file belongs to another search: restore it, or use"
                + " another results directory");
        edited.set(1, lines.get(1).substring(0, 30));
        Files.write(results, edited);
        assertRefused(resume(out), results + " line 2: not a trial record: not JSON (");
        // a kill -9 in the middle of writing the last line: tolerated, the trial runs again
        Files.writeString(results, lines.get(0) + "\n" + lines.get(1) + "\n" + lines.get(2).substring(0, 30));
        Run r = resume(out);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("resuming: 2 trials already finished"), r.out());
        assertEquals(3, Files.readAllLines(results).size());
    }

    /**
     * The results-mismatch message names the workers only for TPE, whose proposals learn from trials
     * 0 … i − W; a random search's proposals depend on the seed and the trial number alone.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"random", "tpe"})
    void aMismatchNamesTheWorkersOnlyWhereTheyMatter(String strategy) throws IOException {
        Path space = Files.writeString(dir.resolve("space-" + strategy + ".yaml"), "data: digits\nepochs: 1\n"
                + "hidden: 8\nlr: loguniform(0.05, 0.2)\n");
        Path out = dir.resolve("mismatch-" + strategy);
        String[] args = {"search", "--space", space.toString(), "--out", out.toString(), "--strategy", strategy,
                "--trials", "3"};
        assertEquals(0, run(args).status());
        Path results = out.resolve("trials.jsonl");
        List<String> lines = Files.readAllLines(results);
        List<String> edited = new ArrayList<>(lines);
        edited.set(1, lines.get(1).replaceFirst("\"lr\":\"[^\"]*\"", "\"lr\":\"0.15\""));
        Files.write(results, edited);
        Run r = run(args);
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains(" has values {lr=0.15}, but this search (" + strategy + ", seed 1"
                + (strategy.equals("tpe") ? ", 1 worker(s))" : ")") + " proposes {lr="), r.err());
        assertEquals(strategy.equals("tpe"), r.err().contains("worker"), r.err());
        assertTrue(r.err().contains("the file belongs to another search" + (strategy.equals("tpe")
                ? " or number of workers" : "") + ": restore it"), r.err());
    }

    /** The help says what happens: trials.jsonl grows trial by trial, trials.csv is written at the end. */
    @Test
    void trialsCsvIsWrittenWhenTheSearchEndsAsTheHelpSays() throws IOException {
        Run help = run("search", "--help");
        String text = help.out().replaceAll("\\s+", " ");
        assertTrue(text.contains("Every finished trial is appended to DIR/trials.jsonl; an interrupted search (even"
                + " kill -9) resumes from it"), text);
        assertTrue(text.contains("DIR/trials.csv, the same table for spreadsheets, is written when the search ends"),
                text);
        assertFalse(text.contains("(and DIR/trials.csv)"), text);
        Path space = Files.writeString(dir.resolve("space-csv.yaml"), "data: digits\nepochs: 1\nhidden: 8\n"
                + "lr: [0.05, 0.1]\n");
        Path out = dir.resolve("csv");
        List<Boolean> csvAfterTrial = new ArrayList<>();
        Run r = run(line -> {
            if (line.startsWith("trial ")) {
                csvAfterTrial.add(Files.exists(out.resolve("trials.csv")));
            }
        }, "search", "--space", space.toString(), "--out", out.toString(), "--strategy", "grid");
        assertEquals(0, r.status(), r.err());
        assertEquals(List.of(false, false), csvAfterTrial, "not written trial by trial");
        assertEquals(3, Files.readAllLines(out.resolve("trials.csv")).size(), "header and the 2 trials at the end");
    }
}
