package org.nettricks.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nettricks.config.Recipe;
import org.nettricks.config.RecipeSettings;
import org.nettricks.evaluation.Evaluator;
import org.nettricks.experiment.Experiment;
import org.nettricks.layers.Buffer;
import org.nettricks.network.Network;
import org.nettricks.tensor.JavaBackend;

/**
 * Issue 14, class 5: with early stopping, a run that diverges after its best epoch ends with the best
 * epoch's parameters (not "the last good step"), and batch normalization's final pass runs on them.
 * The divergence is provoked by a callback that sets the learning rate to 1e9 from epoch
 * {@value #BLOW_UP}.
 */
class DivergenceAfterBestEpochTest {
    private static final int BLOW_UP = 6;

    /**
     * Sets α to {@value #WORSE} in the two epochs before {@value #BLOW_UP} (a worse validation error,
     * so that the best epoch is not the last that finished), then to 1e9: the run diverges within a
     * few steps.
     */
    private static final class BlowUp implements Callback {
        @Override
        public void onEpochBegin(TrainingRun run) {
            if (run.epoch() >= BLOW_UP) {
                run.learningRate = 1e9;
            } else if (run.epoch() >= BLOW_UP - 2) {
                run.learningRate = WORSE;
            }
        }
    }

    private static final double WORSE = 3.0;

    private static TrainingDivergedException diverge(Experiment e, Recipe recipe) {
        Trainer trainer = new Trainer(Experiment.optimizer(recipe), Experiment.trainingConfig(recipe));
        return assertThrows(TrainingDivergedException.class, () -> trainer.fit(e.network(), e.train(), e.validation(),
                new SplittableRandom(5), TrainingListener.NONE, List.of(new BlowUp())));
    }

    /** The first epoch with the smallest validation error: early stopping's best with minDelta 0. */
    private static int firstBest(List<EpochReport> reports) {
        int best = 0;
        for (int i = 1; i < reports.size(); i++) {
            if (reports.get(i).validationError() < reports.get(best).validationError()) {
                best = i;
            }
        }
        return best + 1;
    }

    @Test
    void aDivergenceAfterTheBestEpochRestoresTheBestEpoch() {
        try (JavaBackend backend = new JavaBackend(2)) {
            Recipe recipe = RecipeSettings.of("data", "digits", "hidden", "32", "batch-size", "32", "epochs", "20",
                    "patience", "10", "lr", "0.2", "seed", "7");
            Experiment e = Experiment.prepare(recipe, backend);
            TrainingDivergedException d = diverge(e, recipe);
            assertEquals(BLOW_UP, d.epoch(), "the blow-up epoch diverges");
            assertEquals(BLOW_UP - 1, d.completedEpochs().size());
            int best = firstBest(d.completedEpochs());
            assertTrue(best < BLOW_UP - 1, "the best epoch is not the last to finish: " + d.completedEpochs());
            assertEquals(best, d.keptEpoch());
            assertTrue(d.getMessage().contains("early stopping restored the parameters of its best epoch, " + best),
                    d.getMessage());
            // the network now classifies the validation set as the best epoch did, recomputed independently
            double recorded = d.completedEpochs().get(best - 1).validationError();
            double now = new Evaluator(e.network(), e.validation()).evaluate().error();
            assertEquals(recorded, now, 0.0, "validation error of the restored network");
            assertEquals(d.completedEpochs().get(best - 1).validationLoss(),
                    new Evaluator(e.network(), e.validation()).evaluate().loss(), 1e-12);
        }
    }

    @Test
    void withBatchNormalizationTheFinalPassRunsOnTheRestoredEpoch() {
        try (JavaBackend backend = new JavaBackend(2)) {
            Recipe recipe = RecipeSettings.of("data", "digits", "hidden", "32", "batch-norm", "true", "batch-size",
                    "32", "epochs", "20", "patience", "10", "lr", "0.2", "seed", "7");
            Experiment e = Experiment.prepare(recipe, backend);
            TrainingDivergedException d = diverge(e, recipe);
            assertTrue(firstBest(d.completedEpochs()) < BLOW_UP - 1, "the best epoch is not the last to finish");
            assertEquals(firstBest(d.completedEpochs()), d.keptEpoch());
            // the population statistics of the restored parameters: recomputing them changes nothing
            Network net = e.network();
            List<float[]> after = buffers(net);
            PopulationStatistics.compute(net, e.train());
            List<float[]> recomputed = buffers(net);
            for (int i = 0; i < after.size(); i++) {
                assertArrayEquals(recomputed.get(i), after.get(i), "buffer " + net.buffers().get(i).name());
            }
            assertTrue(new Evaluator(net, e.validation()).evaluate().accuracy() > 0.85);
        }
    }

    @Test
    void withoutEarlyStoppingTheLastGoodStepIsKept() {
        try (JavaBackend backend = new JavaBackend(2)) {
            Recipe recipe = RecipeSettings.of("data", "digits", "hidden", "32", "batch-size", "32", "epochs", "20",
                    "lr", "0.2", "seed", "7");
            Experiment e = Experiment.prepare(recipe, backend);
            TrainingDivergedException d = diverge(e, recipe);
            assertEquals(0, d.keptEpoch());
            assertTrue(d.getMessage().endsWith("the parameters of the last good step are kept"), d.getMessage());
        }
    }

    private static List<float[]> buffers(Network net) {
        List<float[]> out = new ArrayList<>();
        for (Buffer b : net.buffers()) {
            out.add(b.value().floats().clone());
        }
        return out;
    }
}
