package org.nettricks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nettricks.config.RecipeSettings;
import org.nettricks.experiment.Experiment;
import org.nettricks.tensor.JavaBackend;

/**
 * The training guards' warnings hold at batch 1 (the lecture's per-example SGD) as at mini-batches:
 * a healthy run (digits, 64-64-10 ReLU, α = 0.01: about 92% test accuracy) gets no warning, where
 * the per-example losses, read one by one, jumped up at 23% of the steps and one example's dead
 * ReLUs (about half, for any one example) read as a saturated layer; α = 0.2, which costs about 21 points
 * of test accuracy (71.59% against 92.20%, pure-Java backend, one thread, float32 updates in float32
 * arithmetic; 86.35% when they were computed in double), is still called bouncing, on windows of 32
 * examples.
 */
class PerExampleWarningsTest {
    private static List<String> warnings(String lr) {
        return warnings(lr, "1");
    }

    private static List<String> warnings(String lr, String initGain) {
        try (JavaBackend backend = new JavaBackend(1)) {
            Experiment e = Experiment.prepare(RecipeSettings.of("data", "digits", "hidden", "64", "batch-size", "1",
                    "lr", lr, "epochs", "2", "seed", "1", "init-gain", initGain), backend);
            return e.run(TrainingListener.NONE).history().warnings();
        }
    }

    @Test
    void aHealthyPerExampleRunGetsNoWarning() {
        assertEquals(List.of(), warnings("0.01"));
    }

    @Test
    void aLearningRateTooLargeForPerExampleSgdIsStillCalledBouncing() {
        List<String> w = warnings("0.2");
        assertTrue(w.stream().anyMatch(s -> s.contains("bouncing")), String.valueOf(w));
    }

    /**
     * A run that starts far off is not stopped (later losses are compared with its first), but it is
     * named: with `init-gain` 1e6 the first loss is about 1e10, billions of times ln 10.
     */
    @Test
    void aFirstLossFarAboveGuessingIsNamedWithItsCause() {
        List<String> w = warnings("0.01", "1e6");
        assertTrue(w.stream().anyMatch(s -> s.startsWith("the first step's loss") && s.contains("`init-gain`")),
                String.valueOf(w));
    }
}
