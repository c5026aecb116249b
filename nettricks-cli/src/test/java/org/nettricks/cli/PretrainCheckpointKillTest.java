package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 3, pre-training: a real {@code pretrain} (and {@code train --pretrain}) process, a
 * child JVM, is killed with SIGKILL in the middle of a layer (the first, then the second) at a
 * moment chosen by the checkpoint writer's test hooks (see {@link CheckpointKillTest}), resumed
 * with {@code --resume}, and its output file compared byte for byte with an uninterrupted run's
 * without checkpoints. Digits (1,294 training examples, 40 full batches of 32 per epoch), hidden
 * layers 32 and 16, 3 epochs per layer: a denoising autoencoder (corruption draws from the
 * generator), and an RBM with persistent contrastive divergence (its chain is part of the state)
 * and early stopping on the reconstruction error.
 */
class PretrainCheckpointKillTest {
    private static final List<String> DAE = List.of("--data", "digits", "--hidden", "32,16", "--pretrain", "dae",
            "--pretrain-epochs", "3", "--batch-size", "32", "--threads", "1", "--backend", "java");
    private static final List<String> RBM = List.of("--data", "digits", "--hidden", "32,16", "--activation",
            "sigmoid", "--pretrain", "rbm", "--persistent", "true", "--pretrain-epochs", "3", "--pretrain-patience",
            "1", "--batch-size", "32", "--epochs", "3", "--threads", "1", "--backend", "java");

    @TempDir
    Path dir;

    private static List<String> command(String name, List<String> recipe, String... extra) {
        List<String> args = new ArrayList<>(List.of(name));
        args.addAll(recipe);
        args.addAll(List.of(extra));
        return args;
    }

    @Test
    void aPretrainKilledInTheFirstAndInTheSecondLayerResumesToTheUninterruptedStackByteForByte() throws Exception {
        Path reference = dir.resolve("uninterrupted.safetensors");
        CliRun r = CliRun.of(command("pretrain", DAE, "--out", reference.toString()));
        assertEquals(0, r.status(), r.err());

        // every 10 steps and at each epoch's end (step 40, 80, 120 of layer 1; 160, … of layer 2): 12 writes
        // in layer 1. Between two steps of layer 1, after the 5th write (step 50: epoch 2, batch 10 done)
        killAndResume("pretrain", DAE, "first", 4, true, reference,
                "pre-training layer 1 of 2, epoch 2, batch 11 of 40 (50 steps)");
        // inside the 16th write (step 160, layer 2's first epoch end): the 15th (step 150) is the latest complete
        killAndResume("pretrain", DAE, "second", 15, false, reference,
                "pre-training layer 2 of 2, epoch 1, batch 31 of 40 (150 steps)");
    }

    @Test
    void trainWithRbmPretrainingKilledInTheSecondLayerResumesToTheUninterruptedModelByteForByte() throws Exception {
        Path reference = dir.resolve("uninterrupted-train.safetensors");
        CliRun r = CliRun.of(command("train", RBM, "--out", reference.toString()));
        assertEquals(0, r.status(), r.err());
        // layer 1 writes 12 checkpoints (steps 10 … 120) into DIR/pretrain; the 14th (step 140) pauses after
        // its rename: layer 2, epoch 1, batch 20 done
        Path checkpoints = killAndResume("train", RBM, "rbm", 13, true, reference,
                "pre-training layer 2 of 2, epoch 1, batch 21 of 40 (140 steps)");
        assertTrue(Files.exists(checkpoints.resolve("pretrain")), "the pre-training's checkpoints are in DIR/pretrain");
    }

    @Test
    void aPretrainingCheckpointIsResumedAloneAndADamagedOneRefusedBeforeAnythingIsPrinted() throws Exception {
        Path reference = dir.resolve("uninterrupted.safetensors");
        assertEquals(0, CliRun.of(command("pretrain", DAE, "--out", reference.toString())).status());
        Path checkpoints = dir.resolve("pk");
        CliRun full = CliRun.of(command("pretrain", DAE, "--checkpoint", checkpoints.toString(), "--out",
                dir.resolve("checkpointed.safetensors").toString()));
        assertEquals(0, full.status(), full.err());
        // as if killed at the end of layer 2's second epoch: the newest (step 240) gone, step 200's the latest
        Files.delete(checkpoints.resolve("checkpoint-000000000240.safetensors"));

        // --resume alone: the recipe, data, backend and threads are the checkpoint's
        Path resumed = dir.resolve("resumed.safetensors");
        CliRun r = CliRun.of("pretrain", "--resume", checkpoints.toString(), "--out", resumed.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("pre-training layer 2 of 2, after epoch 2 (200 steps)"), r.err());
        assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(resumed));

        // train's resume refuses a pre-training's checkpoint
        CliRun train = CliRun.of("train", "--resume", checkpoints.toString(), "--out",
                dir.resolve("model.safetensors").toString());
        assertEquals(2, train.status(), train.err());
        assertTrue(train.err().strip().endsWith("refused: it was written by pre-training, not by train; resume with"
                + " the checkpoint's settings, or start a new run in another directory"), train.err());

        // a damaged entry of the pre-training's own: refused with one line, before anything is printed
        Path newest = checkpoints.resolve("checkpoint-000000000240.safetensors");
        org.nettricks.io.Safetensors.Contents c = org.nettricks.io.Safetensors.read(newest);
        java.util.Map<String, String> meta = new java.util.LinkedHashMap<>(c.metadata());
        meta.put("state", meta.get("state").replace("\"pretraining.layer\":1", "\"pretraining.layer\":7"));
        org.nettricks.io.Safetensors.write(newest, meta, c.tensors());
        CliRun damaged = CliRun.of("pretrain", "--resume", checkpoints.toString(), "--out",
                dir.resolve("damaged.safetensors").toString());
        assertEquals(2, damaged.status(), damaged.err());
        assertEquals(List.of("nettricks pretrain: error: " + newest + ": not a usable checkpoint: entry"
                + " 'pretraining.layer' must be in [0, 1], got 7"), damaged.errLines());
        assertEquals("", damaged.out());
    }

    /**
     * Starts {@code name RECIPE --checkpoint DIR --checkpoint-every 10} in a child JVM that pauses at
     * write {@code completeWrites + 1} (after its rename, or before), kills it with SIGKILL, resumes
     * in this JVM with {@code --resume DIR} and compares the output file with {@code reference}.
     */
    private Path killAndResume(String name, List<String> recipe, String label, int completeWrites,
                               boolean afterRename, Path reference, String expectedNotice) throws Exception {
        Path checkpoints = dir.resolve(label);
        Path marker = dir.resolve(label + ".paused");
        Path log = dir.resolve(label + ".log");
        Path killedOut = dir.resolve(label + "-killed.safetensors");
        int status = KilledAtCheckpoint.run(command(name, recipe, "--checkpoint", checkpoints.toString(),
                "--checkpoint-every", "10", "--out", killedOut.toString()), marker, completeWrites, afterRename, log, 0);
        assertEquals(137, status, "killed by SIGKILL (128 + 9)");
        assertTrue(Files.notExists(killedOut), "the killed run saved nothing");

        Path resumed = dir.resolve(label + "-resumed.safetensors");
        CliRun r = CliRun.of(command(name, recipe, "--resume", checkpoints.toString(), "--out", resumed.toString()));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains(expectedNotice), "expected '" + expectedNotice + "' in: " + r.err());
        assertArrayEquals(Files.readAllBytes(reference), Files.readAllBytes(resumed),
                label + ": the resumed run's output must be the uninterrupted run's, byte for byte");
        return checkpoints;
    }
}
