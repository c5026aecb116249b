package org.nettricks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.config.RecipeSettings;
import org.nettricks.experiment.Experiment;

/**
 * The training step allocates nothing once its workspaces exist: the heap bytes allocated by every
 * thread that computes (the caller's and the backend's workers), counted by the JVM's per-thread
 * allocation counters ({@link AllocationMeter}) over the steps of an epoch.
 */
class HotPathAllocationTest {

    /** Bytes allocated per step in epoch 30 of a digits run on {@code backend}, with extra settings. */
    static double bytesPerStep(Backend backend, String... extra) {
        List<String> settings = new ArrayList<>(List.of("data", "digits", "hidden", "64,64", "batch-size", "128",
                "epochs", "30", "seed", "5", "precision", "float32", "optimizer", "adam", "validation-fraction", "0"));
        settings.addAll(List.of(extra));
        AllocationMeter meter = new AllocationMeter(30);
        Experiment.prepare(RecipeSettings.of(settings.toArray(String[]::new)), backend).run(meter);
        return meter.bytesPerStep();
    }

    @Test
    void aPlainStepAllocatesNothing() {
        try (JavaBackend backend = new JavaBackend(2)) {
            assertEquals(0.0, bytesPerStep(backend), "bytes allocated per step");
        }
    }

    @Test
    void aStepWithBatchNormDropoutAndPenaltiesAllocatesNothing() {
        try (JavaBackend backend = new JavaBackend(2)) {
            assertEquals(0.0, bytesPerStep(backend, "batch-norm", "true", "dropout", "0.5", "input-dropout", "0.2",
                    "l2", "1e-4", "clip-norm", "5"), "bytes allocated per step");
        }
    }
}
