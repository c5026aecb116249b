package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code --resume} refuses (exit 2, one line naming what differs, no model written) and what
 * it accepts: another recipe, other data, another backend, a damaged checkpoint; a damaged newest
 * checkpoint is skipped for the previous one (the model still equals the uninterrupted run's);
 * an empty directory starts from the beginning with a notice. The runs are small (digits, 32
 * hidden units, 3 epochs) and in this JVM.
 */
class CheckpointRefusalTest {
    private static final List<String> RECIPE = List.of("--data", "digits", "--hidden", "32", "--dropout", "0.2",
            "--optimizer", "adam", "--epochs", "3", "--threads", "1", "--backend", "java");

    @TempDir
    Path dir;
    private Path checkpoints;
    private Path reference;


    private static CliRun run(List<String> args) {
        return CliRun.of(args);
    }

    private static List<String> train(String... extra) {
        List<String> args = new ArrayList<>(List.of("train"));
        args.addAll(RECIPE);
        args.addAll(List.of(extra));
        return args;
    }

    /** A complete run with checkpoints (3, one per epoch; the last two kept): its model is the reference. */
    @BeforeEach
    void checkpointedRun() {
        checkpoints = dir.resolve("ck");
        reference = dir.resolve("reference.safetensors");
        CliRun r = run(train("--checkpoint", checkpoints.toString(), "--out", reference.toString()));
        assertEquals(0, r.status(), r.err());
    }

    private void assertRefused(CliRun r, String fragment) {
        assertEquals(2, r.status(), r.err());
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, "exactly one line on stderr: " + r.err());
        assertTrue(lines[0].startsWith("nettricks train: error: "), lines[0]);
        assertTrue(lines[0].contains(fragment), "expected '" + fragment + "' in: " + lines[0]);
        assertFalse(Files.exists(dir.resolve("resumed.safetensors")), "no model written");
    }

    @Test
    void keepsTheLastTwoCheckpoints() throws IOException {
        try (var files = Files.list(checkpoints)) {
            assertEquals(List.of("checkpoint-000000000042.safetensors", "checkpoint-000000000063.safetensors"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void aCheckpointGivenAsAModelIsNamedForWhatItIs() {
        // found by a fresh user: `--init-from` a checkpoint said it "was not written by 'nettricks train'"
        Path checkpoint = checkpoints.resolve("checkpoint-000000000063.safetensors");
        for (List<String> args : List.of(List.of("evaluate", "--model", checkpoint.toString(), "--data", "digits"),
                train("--init-from", checkpoint.toString()))) {
            CliRun r = run(args);
            assertEquals(2, r.status(), r.err());
            assertTrue(r.err().contains(checkpoint + ": a training checkpoint (written by train --checkpoint), not a"
                    + " model: resume it with train --resume and its directory"), r.err());
        }
    }

    @Test
    void refusesAnotherRecipeNamingTheSettingAndBothValues() {
        CliRun r = run(train("--resume", checkpoints.toString(), "--lr", "0.02", "--out",
                dir.resolve("resumed.safetensors").toString()));
        assertRefused(r, "refused: --lr is 0.001 in the checkpoint, 0.02 now");
    }

    @Test
    void refusesOtherData() throws IOException {
        // the same split sizes, other examples: the split seed changes which examples are held out
        CliRun r = run(train("--resume", checkpoints.toString(), "--split-seed", "5", "--out",
                dir.resolve("resumed.safetensors").toString()));
        assertRefused(r, "refused: --split-seed is 1 in the checkpoint, 5 now");
        // a CSV whose values differ but whose recipe is the same: the fingerprint tells
        Path a = dir.resolve("a.csv");
        Path ck = dir.resolve("ck-csv");
        Files.writeString(a, csv(0));
        List<String> csvRecipe = List.of("train", "--data", a.toString(), "--hidden", "4", "--epochs", "2",
                "--threads", "1", "--backend", "java");
        List<String> first = new ArrayList<>(csvRecipe);
        first.addAll(List.of("--checkpoint", ck.toString()));
        assertEquals(0, run(first).status());
        Files.writeString(a, csv(1));
        List<String> again = new ArrayList<>(csvRecipe);
        again.addAll(List.of("--resume", ck.toString(), "--out", dir.resolve("resumed.safetensors").toString()));
        assertRefused(run(again), "refused: the data's sha256 is ");
    }

    private static String csv(int shift) {
        StringBuilder sb = new StringBuilder("x,y,label\n");
        for (int i = 0; i < 60; i++) {
            sb.append(i % 7 + shift).append(',').append(i % 5).append(',').append(i % 2 == 0 ? "a" : "b").append('\n');
        }
        return sb.toString();
    }

    @Test
    void refusesAnotherThreadCount() {
        List<String> args = train("--resume", checkpoints.toString(), "--out",
                dir.resolve("resumed.safetensors").toString());
        args.set(args.indexOf("--threads") + 1, "2");
        assertRefused(run(args), "refused: the backend is \"java x1\" in the checkpoint, \"java x2\" now");
    }

    @Test
    void refusesWhenEveryCheckpointIsDamagedNamingTheNewest() throws IOException {
        for (Path p : Files.list(checkpoints).toList()) {
            Files.write(p, java.util.Arrays.copyOf(Files.readAllBytes(p), 1000)); // cut short
        }
        CliRun r = run(train("--resume", checkpoints.toString(), "--out", dir.resolve("resumed.safetensors").toString()));
        assertRefused(r, checkpoints.resolve("checkpoint-000000000063.safetensors") + ": ");
        assertTrue(r.err().contains("truncated"), r.err());
    }

    @Test
    void skipsADamagedNewestCheckpointForThePreviousAndStillEndsWithTheSameModel() throws IOException {
        Path newest = checkpoints.resolve("checkpoint-000000000063.safetensors");
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length / 2] ^= 0x55; // a flipped byte inside the tensors' data is not detected ...
        Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length - 7)); // ... a torn end is
        Path resumed = dir.resolve("resumed.safetensors");
        CliRun r = run(train("--resume", checkpoints.toString(), "--out", resumed.toString()));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("skipped " + newest + ": "), r.err());
        assertTrue(r.err().contains("resuming from " + checkpoints.resolve("checkpoint-000000000042.safetensors")
                + ": after epoch 2"), r.err());
        assertTrue(r.out().contains("trained epoch 3 (resumed after epoch 2) in "), r.out());
        assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(resumed));
    }

    /** Rewrites the newest checkpoint with one entry of its state's JSON replaced. */
    private Path damageEntry(String entry, Object value) throws IOException {
        Path newest = checkpoints.resolve("checkpoint-000000000063.safetensors");
        org.nettricks.io.Safetensors.Contents c = org.nettricks.io.Safetensors.read(newest);
        Map<String, String> meta = new java.util.LinkedHashMap<>(c.metadata());
        Map<Object, Object> state = new java.util.LinkedHashMap<>((Map<?, ?>) org.nettricks.io.internal.Json.parse(
                meta.get("state")));
        assertTrue(state.containsKey(entry), entry + " in " + state.keySet());
        state.put(entry, value);
        meta.put("state", org.nettricks.io.internal.Json.write(state));
        org.nettricks.io.Safetensors.write(newest, meta, c.tensors());
        return newest;
    }

    @Test
    void aDamagedEntryIsRefusedBeforeAnythingIsPrinted() throws IOException {
        // found by a fresh user: the refusal came after "resuming from …" and the run's first lines
        Map<String, Object> damaged = new java.util.LinkedHashMap<>();
        damaged.put("loop.random_gamma", "2"); // SplitMix64's gamma is odd: not a generator state
        damaged.put("optimizer.step", -5L);
        damaged.put("callbacks.0.type", "org.example.Other");
        for (Map.Entry<String, Object> e : damaged.entrySet()) {
            deleteRecursively(dir);
            checkpointedRun();
            Path newest = damageEntry(e.getKey(), e.getValue());
            CliRun r = run(train("--resume", checkpoints.toString(), "--out",
                    dir.resolve("resumed.safetensors").toString()));
            assertRefused(r, newest + ": not a usable checkpoint: entry '" + e.getKey() + "' ");
            assertFalse(r.err().contains("resuming"), r.err());
            assertEquals("", r.out(), "nothing printed before the refusal");
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(root)) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    void resumeAloneTakesTheRecipeDataAndBackendFromTheCheckpoint() throws IOException {
        // found by a fresh user: `train --resume DIR` alone started with the default recipe and was refused
        Files.delete(checkpoints.resolve("checkpoint-000000000063.safetensors")); // the run as if killed in epoch 3
        Path resumed = dir.resolve("resumed.safetensors");
        CliRun r = run(List.of("train", "--resume", checkpoints.toString(), "--out", resumed.toString()));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("resuming from " + checkpoints.resolve("checkpoint-000000000042.safetensors")
                + ": after epoch 2"), r.err());
        assertTrue(r.out().contains("train · backend java x1 · seed 1"), r.out());
        assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(resumed),
                "the uninterrupted run's model: the checkpoint's recipe (data digits, hidden 32, ...), java x1");
        assertFalse(r.err().contains("no --out given"), r.err());
        // found by a fresh user: without --out (not part of the recorded recipe) nothing said the model is not kept
        CliRun bare = run(List.of("train", "--resume", checkpoints.toString()));
        assertEquals(0, bare.status(), bare.err());
        assertTrue(bare.err().contains("note: no --out given: the resumed run's model will not be saved; give --out"
                + " FILE to keep it"), bare.err());
        // a setting given is still compared, and a difference refused naming it
        Files.delete(resumed);
        assertRefused(run(List.of("train", "--resume", checkpoints.toString(), "--dropout", "0.3", "--out",
                resumed.toString())), "refused: --dropout is [0.2] in the checkpoint, [0.3] now");
        assertRefused(run(List.of("train", "--resume", checkpoints.toString(), "--threads", "2", "--out",
                resumed.toString())), "refused: the backend is \"java x1\" in the checkpoint, \"java x2\" now");
    }

    @Test
    void resumingAFinishedRunSaysItHadFinishedAndStillWritesTheModel() throws IOException {
        // found by a fresh user: it said "trained no epochs (resumed after epoch 3) in 0.0 s, 8,067 examples/s"
        Path resumed = dir.resolve("again.safetensors");
        CliRun r = run(List.of("train", "--resume", checkpoints.toString(), "--out", resumed.toString()));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.equals("nothing to train: the checkpoint's run finished after epoch"
                + " 3; give --epochs M > 3 to continue it")), r.out());
        assertFalse(r.out().contains("trained no epochs"), r.out());
        assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(resumed),
                "the model of the uninterrupted run, written again with --out");
        // a schedule that depends on the total epoch count cannot be continued by more epochs (refused above)
        Path cosine = dir.resolve("ck-cosine");
        assertEquals(0, run(train("--schedule", "cosine", "--checkpoint", cosine.toString())).status());
        CliRun c = run(List.of("train", "--resume", cosine.toString()));
        assertEquals(0, c.status(), c.err());
        assertTrue(c.out().lines().anyMatch(l -> l.startsWith("nothing to train: the checkpoint's run finished after"
                + " epoch 3; its --schedule cosine") && l.endsWith("depends on the total epoch count, so it cannot be"
                + " continued: start a new run from its model with --init-from")), c.out());
    }

    @Test
    void moreEpochsContinueAFinishedRunToTheRunOfThatManyEpochs() throws IOException {
        // found by a fresh user: a finished run could not be given more epochs
        Path longer = dir.resolve("longer.safetensors");
        CliRun r = run(List.of("train", "--resume", checkpoints.toString(), "--epochs", "5", "--out",
                longer.toString()));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("--epochs 5: continuing the run of 3 epochs to 5"), r.err());
        // the summary counts the epochs this process trained, those of its epoch lines, and their seconds
        List<String> epochLines = r.out().lines().filter(l -> l.matches(" *\\d+  .*")).toList();
        assertEquals(List.of("4", "5"), epochLines.stream().map(l -> l.trim().split(" +")[0]).toList(), r.out());
        double seconds = epochLines.stream().mapToDouble(l -> Double.parseDouble(l.replaceFirst(".* ([\\d.]+)s .*",
                "$1"))).sum();
        String trained = r.out().lines().filter(l -> l.startsWith("trained ")).findFirst().orElseThrow();
        assertTrue(trained.startsWith("trained epochs 4–5 (resumed after epoch 3) in "), trained);
        assertEquals(seconds, Double.parseDouble(trained.replaceFirst(".* in ([\\d.]+) s,.*", "$1")), 0.051 + 0.01,
                trained);
        Path fiveEpochs = dir.resolve("five.safetensors");
        List<String> args = train("--out", fiveEpochs.toString());
        args.set(args.indexOf("--epochs") + 1, "5");
        assertEquals(0, run(args).status());
        assertArrayEquals(Files.readAllBytes(fiveEpochs), Files.readAllBytes(longer),
                "3 epochs continued to 5 = a run of 5 epochs without checkpoints");

        // fewer epochs than the checkpoint's, and a schedule that depends on the total, are refused
        List<String> fewer = train("--resume", checkpoints.toString(), "--out", dir.resolve("resumed.safetensors")
                .toString());
        fewer.set(fewer.indexOf("--epochs") + 1, "4");
        assertRefused(run(fewer), "refused: --epochs is 5 in the checkpoint, 4 now");
        Path cosine = dir.resolve("ck-cosine");
        assertEquals(0, run(train("--schedule", "cosine", "--checkpoint", cosine.toString())).status());
        List<String> more = train("--schedule", "cosine", "--resume", cosine.toString(), "--out",
                dir.resolve("resumed.safetensors").toString());
        more.set(more.indexOf("--epochs") + 1, "6");
        assertRefused(run(more), "refused: --epochs is 3 in the checkpoint, 6 now, and the --schedule cosine depends"
                + " on the total epoch count");
    }

    @Test
    void aRegressionRunResumesToTheSameModelWithItsTargetStatistics() throws IOException {
        // issue 17: the targets' mean and standard deviation are part of the resumed model, bit for bit
        StringBuilder csv = new StringBuilder("a,b,y\n");
        java.util.SplittableRandom random = new java.util.SplittableRandom(4);
        for (int i = 0; i < 120; i++) {
            double a = random.nextDouble(-1, 1);
            double b = random.nextDouble(-1, 1);
            csv.append(a).append(',').append(b).append(',').append(50 * a - 20 * b * b + 300).append('\n');
        }
        Path data = Files.writeString(dir.resolve("r.csv"), csv.toString());
        List<String> recipe = new ArrayList<>(List.of("train", "--task", "regression", "--data", data.toString(),
                "--label", "y", "--hidden", "8", "--dropout", "0.2", "--optimizer", "adam", "--epochs", "3",
                "--batch-size", "16", "--threads", "1", "--backend", "java"));
        Path ck = dir.resolve("regression-ck");
        Path whole = dir.resolve("regression.safetensors");
        List<String> first = new ArrayList<>(recipe);
        first.addAll(List.of("--checkpoint", ck.toString(), "--out", whole.toString()));
        assertEquals(0, run(first).status());
        List<Path> kept;
        try (var files = Files.list(ck)) {
            kept = files.sorted().toList();
        }
        assertEquals(2, kept.size(), kept.toString());
        Files.delete(kept.get(1)); // the newest: resume from the end of epoch 2
        Path resumed = dir.resolve("regression-resumed.safetensors");
        List<String> again = new ArrayList<>(recipe);
        again.addAll(List.of("--resume", ck.toString(), "--out", resumed.toString()));
        CliRun r = run(again);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("resuming from " + kept.get(0) + ": after epoch 2"), r.err());
        Map<?, ?> targets = (Map<?, ?>) org.nettricks.io.internal.Json.parse(
                org.nettricks.io.Safetensors.read(resumed).metadata().get("targets"));
        double mean = ((Number) ((List<?>) targets.get("mean")).get(0)).doubleValue();
        assertTrue(mean > 280 && mean < 310, "the targets' mean (300 − 20/3 in expectation) is in the model: " + mean);
        assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(resumed));
    }

    @Test
    void anEmptyDirectoryStartsFromTheBeginningAndSaysSo() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        Path resumed = dir.resolve("resumed.safetensors");
        CliRun r = run(train("--resume", empty.toString(), "--out", resumed.toString()));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("no checkpoint in " + empty + " yet: starting from the beginning"), r.err());
        assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(resumed),
                "checkpoints do not change the model");
    }

    @Test
    void refusesToStartANewRunInADirectoryThatHoldsCheckpoints() {
        CliRun r = run(train("--checkpoint", checkpoints.toString(), "--out",
                dir.resolve("resumed.safetensors").toString()));
        assertRefused(r, "holds checkpoints already");
        assertTrue(r.err().contains("--resume " + checkpoints), r.err());
    }

    @Test
    void refusesCheckpointsWhereTheyAreNotWritten() {
        CliRun r = run(List.of("diagnose", "--data", "digits", "--checkpoint", dir.resolve("x").toString()));
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("--checkpoint: only train and pretrain write checkpoints (and search, with its own"
                + " --checkpoint); diagnose does not: drop --checkpoint"), r.err());
        CliRun every = run(train("--checkpoint-every", "5"));
        assertEquals(2, every.status(), every.err());
        assertTrue(every.err().contains("--checkpoint-every 5 needs a checkpoint directory"), every.err());
    }

    @Test
    void benchTimesACheckpointWriteAtTheEndOfEachEpoch() throws IOException {
        Path ck = dir.resolve("bench-ck");
        CliRun r = run(List.of("bench", "--data", "digits", "--hidden", "8", "--threads", "1", "--infer-reps", "1",
                "--checkpoint", ck.toString(), "--json"));
        assertEquals(0, r.status(), r.err());
        Map<?, ?> m = (Map<?, ?>) org.nettricks.io.internal.Json.parse(r.out().strip());
        List<?> seconds = (List<?>) m.get("checkpoint_write_seconds");
        assertEquals(2, seconds.size(), "one write after the warm-up epoch, one after the measured one");
        List<Path> files;
        try (var listing = Files.list(ck)) {
            files = listing.sorted().toList();
        }
        assertEquals(2, files.size());
        assertEquals(Files.size(files.get(1)), ((Number) m.get("checkpoint_bytes")).longValue());
        // the writes run on their own thread: the share is the training thread's time per checkpoint
        // (copying the state, waiting for the previous write) over an epoch's time
        double share = ((Number) m.get("checkpoint_share_of_epoch")).doubleValue();
        double blocking = ((Number) m.get("checkpoint_blocking_seconds")).doubleValue();
        assertTrue(blocking > 0, "copying the state takes some time: " + blocking);
        assertEquals(blocking * ((Number) m.get("train_examples_per_second")).doubleValue() / 1294, share,
                1e-9 * Math.max(1, share), "the blocking time over an epoch's time (1,294 training examples)");
    }

    /** A run refused before it starts (here: its data file is missing) leaves no checkpoint directory behind. */
    @Test
    void aRefusedRunCreatesNoCheckpointDirectory() {
        Path fresh = dir.resolve("new").resolve("ck");
        CliRun r = run(List.of("train", "--data", dir.resolve("missing.csv").toString(), "--label", "y",
                "--checkpoint", fresh.toString()));
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("missing.csv"), r.err());
        assertFalse(Files.exists(dir.resolve("new")), "nothing written");
        Path file = dir.resolve("plain-file");
        assertEquals(0, run(List.of("train", "--data", "digits", "--hidden", "4", "--epochs", "1", "--out",
                file.toString())).status());
        assertRefused(run(train("--checkpoint", file.resolve("ck").toString())), "--checkpoint " + file.resolve("ck")
                + ": " + file.toAbsolutePath() + " is a file, not a directory; choose another path");
    }
}
