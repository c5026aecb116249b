package org.nettricks.openblas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nettricks.config.RecipeSettings;
import org.nettricks.experiment.Experiment;
import org.nettricks.training.AllocationMeter;

/**
 * The training step allocates nothing on the OpenBLAS backend either, once its workspaces exist
 * (the core's HotPathAllocationTest checks the pure-Java backend): heap bytes per step in epochs 26–30 (the fewest)
 * of a digits run, counted by {@link AllocationMeter}.
 */
class OpenBlasHotPathAllocationTest {
    private static double bytesPerStep(String... extra) {
        List<String> settings = new ArrayList<>(List.of("data", "digits", "hidden", "64,64", "batch-size", "128",
                "epochs", "30", "seed", "5", "precision", "float32", "optimizer", "adam", "validation-fraction", "0"));
        settings.addAll(List.of(extra));
        try (OpenBlasBackend backend = new OpenBlasBackend(2)) {
            AllocationMeter meter = new AllocationMeter(26, 30);
            Experiment.prepare(RecipeSettings.of(settings.toArray(String[]::new)), backend).run(meter);
            return meter.bytesPerStep();
        }
    }

    @Test
    void aPlainStepAllocatesNothing() {
        assertEquals(0.0, bytesPerStep(), "bytes allocated per step");
    }

    @Test
    void aStepWithBatchNormDropoutAndPenaltiesAllocatesNothing() {
        assertEquals(0.0, bytesPerStep("batch-norm", "true", "dropout", "0.5", "input-dropout", "0.2", "l2", "1e-4",
                "clip-norm", "5"), "bytes allocated per step");
    }
}
