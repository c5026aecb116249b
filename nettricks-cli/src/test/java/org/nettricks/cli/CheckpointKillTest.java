package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16's acceptance test: a real {@code train} process (a child JVM running {@link Main} on
 * the test class path) is killed with SIGKILL at several moments, resumed with {@code --resume},
 * and its model file compared byte for byte with an uninterrupted run's (no checkpoints at all),
 * with batch normalization, dropout (hidden and input), Adam, a cosine schedule, clipping and
 * early stopping all on. The moments are chosen by the writer's test hooks, which make the child
 * wait (and say so in a marker file) at one checkpoint write: after the rename of a mid-epoch
 * checkpoint (the run stands between two steps), before the rename (the kill lands inside a
 * write, leaving its temporary file), and at the end of epoch 6 of a run whose early stopping
 * recorded its best epoch (4) in epoch 4 and waited since.
 */
class CheckpointKillTest {
    /** 1,294 training examples in 41 batches; early stopping ends this run after epoch 7, keeping epoch 4. */
    private static final List<String> RECIPE = List.of("--data", "digits", "--hidden", "64,32", "--batch-norm",
            "--dropout", "0.3", "--input-dropout", "0.1", "--optimizer", "adam", "--lr", "0.003", "--schedule",
            "cosine", "--clip-norm", "1", "--patience", "3", "--epochs", "25", "--batch-size", "32", "--threads", "2");

    @TempDir
    Path dir;


    private static CliRun run(List<String> args) {
        return CliRun.of(args);
    }

    private static List<String> train(String backend, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--backend", backend));
        args.addAll(RECIPE);
        args.addAll(List.of(extra));
        return args;
    }

    @ParameterizedTest
    @ValueSource(strings = {"java", "openblas"})
    void aRunKilledAtAnyOfThreeMomentsResumesToTheUninterruptedRunsModelByteForByte(String backend)
            throws Exception {
        Path reference = dir.resolve("uninterrupted.safetensors");
        CliRun r = run(train(backend, "--out", reference.toString()));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("stopped after epoch 7; parameters of epoch 4 restored"), r.out());

        // every 10 steps and at epoch ends (step 41, 82, ...): the 6th write is step 50's, in epoch 2
        // mid-epoch, between steps: paused after the 6th write was renamed into place
        resumeAfterKill(backend, "between", 10, 5, true, reference,
                "checkpoint-000000000050.safetensors: epoch 2, batch 10 of 41");
        // inside a write: paused before the rename of the 7th (step 60); the 6th is the latest complete
        Path inside = resumeAfterKill(backend, "inside", 10, 6, false, reference,
                "checkpoint-000000000050.safetensors: epoch 2, batch 10 of 41");
        // after early stopping recorded its best epoch: killed writing epoch 6's checkpoint; epoch 5's resumes,
        // with best epoch 4 and one epoch waited
        resumeAfterKill(backend, "early", 0, 5, false, reference,
                "checkpoint-000000000205.safetensors: after epoch 5");

        // the killed write left its temporary file, and two complete checkpoints stayed
        try (Stream<Path> files = Files.list(inside)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "the interrupted write's file");
        }
    }

    /**
     * Starts {@code train --checkpoint DIR} in a child JVM that pauses at write number
     * {@code completeWrites + 1}, kills it with SIGKILL there, resumes in this JVM and compares the
     * model with {@code reference}; returns the checkpoint directory.
     */
    private Path resumeAfterKill(String backend, String name, int every, int completeWrites, boolean afterRename,
                                 Path reference, String expectedNotice) throws Exception {
        Path checkpoints = dir.resolve(name + "-" + backend);
        Path marker = dir.resolve(name + "-" + backend + ".paused");
        int status = KilledAtCheckpoint.run(train(backend, "--checkpoint", checkpoints.toString(), "--checkpoint-every",
                Integer.toString(every), "--out", dir.resolve(name + "-killed.safetensors").toString()), marker,
                completeWrites, afterRename, dir.resolve(name + "-" + backend + ".log"), 0);
        assertEquals(137, status, "killed by SIGKILL (128 + 9)");
        assertTrue(Files.notExists(dir.resolve(name + "-killed.safetensors")), "the killed run saved no model");

        Path resumed = dir.resolve(name + "-" + backend + ".safetensors");
        // resumed with checkpoints at epoch ends only: how often it checkpoints does not change the result
        List<String> args = train(backend, "--resume", checkpoints.toString(), "--out", resumed.toString());
        CliRun r = run(args);
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("resuming from " + checkpoints.resolve("x").getParent() + "/" + expectedNotice),
                r.err());
        assertTrue(r.out().contains("stopped after epoch 7; parameters of epoch 4 restored"), r.out());
        assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(resumed),
                name + ": the resumed run's model must be the uninterrupted run's, byte for byte");
        return checkpoints;
    }
}
