package org.nettricks.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nettricks.layers.Parameter;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Precision;
import org.nettricks.config.Recipe;
import org.nettricks.config.RecipeSettings;
import org.nettricks.experiment.Experiment;

class TrainerTest {
    private static Recipe digits(int epochs, int batch, Precision precision) {
        return RecipeSettings.of("data", "digits", "hidden", "32", "batch-size", Integer.toString(batch), "epochs",
                Integer.toString(epochs), "seed", "7", "precision", precision.displayName());
    }

    @Test
    void learnsTheDigitsWellAboveChance() {
        try (JavaBackend backend = new JavaBackend(2)) {
            Experiment e = Experiment.prepare(digits(8, 32, Precision.FLOAT32), backend);
            Experiment.Result r = e.run(TrainingListener.NONE);
            assertEquals(8, r.history().epochs().size());
            assertTrue(r.history().epochs().get(7).trainLoss() < r.history().epochs().get(0).trainLoss());
            assertTrue(r.test().accuracy() > 0.90, "test accuracy " + r.test().accuracy());
            assertEquals(359, r.test().size()); // round(0.2 × 1797)
            int total = 0;
            for (int[] row : r.test().confusion()) {
                for (int v : row) {
                    total += v;
                }
            }
            assertEquals(359, total);
        }
    }

    @Test
    void sameSeedGivesTheSameRunBitForBit() {
        float[][] first = null;
        for (int run = 0; run < 2; run++) {
            try (JavaBackend backend = new JavaBackend(2)) {
                Experiment e = Experiment.prepare(digits(2, 16, Precision.FLOAT32), backend);
                e.run(TrainingListener.NONE);
                List<Parameter> ps = e.network().parameters();
                float[][] values = new float[ps.size()][];
                for (int i = 0; i < ps.size(); i++) {
                    values[i] = ps.get(i).value().floats().clone();
                }
                if (first == null) {
                    first = values;
                } else {
                    for (int i = 0; i < values.length; i++) {
                        assertArrayEquals(first[i], values[i]);
                    }
                }
            }
        }
    }

    @Test
    void trainsInFloat64AndWithPerExampleSgd() {
        try (JavaBackend backend = new JavaBackend(1)) {
            Experiment.Result r = Experiment.prepare(RecipeSettings.of("data", "digits", "validation-fraction", "0",
                    "hidden", "16", "activation", "tanh", "lr", "0.01", "batch-size", "1", "epochs", "1", "seed", "3",
                    "precision", "float64"), backend).run(TrainingListener.NONE);
            assertTrue(r.test().accuracy() > 0.85, "test accuracy " + r.test().accuracy());
            assertTrue(Double.isNaN(r.history().epochs().get(0).validationError()));
        }
    }

    @Test
    void batchNormKeepsFinalPassStatisticsByDefaultAndRunningAveragesOnRequest() {
        for (String statistics : List.of("final-pass", "running")) {
            try (JavaBackend backend = new JavaBackend(2)) {
                Experiment e = Experiment.prepare(RecipeSettings.of("data", "digits", "hidden", "16", "batch-norm",
                        "true", "epochs", "2", "bn-statistics", statistics), backend);
                e.run(TrainingListener.NONE);
                List<float[]> kept = new java.util.ArrayList<>();
                e.network().buffers().forEach(b -> kept.add(b.value().floats().clone()));
                PopulationStatistics.compute(e.network(), e.train());
                boolean same = true;
                for (int i = 0; i < kept.size(); i++) {
                    same &= java.util.Arrays.equals(kept.get(i), e.network().buffers().get(i).value().floats());
                }
                assertEquals(statistics.equals("final-pass"), same, statistics);
            }
        }
    }

    @Test
    void aDivergedRunKeepsTheParametersOfTheLastGoodStep() {
        try (JavaBackend backend = new JavaBackend(1)) {
            Experiment e = Experiment.prepare(RecipeSettings.of("data", "digits", "hidden", "32", "lr", "100"), backend);
            List<org.nettricks.tensor.Matrix> initial = e.network().snapshot();
            TrainingDivergedException d = org.junit.jupiter.api.Assertions.assertThrows(TrainingDivergedException.class,
                    () -> e.run(TrainingListener.NONE));
            // the first step's update blew the loss up at step 2: the good parameters are the initial ones
            assertEquals(2, d.step());
            List<org.nettricks.tensor.Matrix> now = e.network().snapshot();
            for (int i = 0; i < initial.size(); i++) {
                for (int j = 0; j < initial.get(i).size(); j++) {
                    assertEquals(initial.get(i).getFlat(j), now.get(i).getFlat(j), 0.0);
                }
            }
        }
    }

    @Test
    void aTrainerRefusesBatchNormalizationOfSingleExamples() {
        try (JavaBackend backend = new JavaBackend(1)) {
            Experiment e = Experiment.prepare(RecipeSettings.of("data", "digits", "hidden", "16", "batch-norm", "true",
                    "batch-size", "2", "epochs", "1"), backend);
            IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> new Trainer(new org.nettricks.optim.Sgd(),
                            TrainingConfig.plain(1, 1, 0.1)).fit(e.network(), e.train(), null,
                            new java.util.SplittableRandom(1), TrainingListener.NONE));
            assertTrue(refused.getMessage().startsWith("batch-size must be at least 2 with batch normalization"),
                    refused.getMessage());
        }
    }
}
