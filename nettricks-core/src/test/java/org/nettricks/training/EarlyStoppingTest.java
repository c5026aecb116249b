package org.nettricks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nettricks.config.Recipe;
import org.nettricks.config.RecipeSettings;
import org.nettricks.evaluation.Evaluation;
import org.nettricks.evaluation.Evaluator;
import org.nettricks.experiment.Experiment;

class EarlyStoppingTest {
    @Test
    void stopsAfterPatienceEpochsWithoutImprovementBeyondMinDelta() {
        EarlyStopping s = new EarlyStopping(new EarlyStopping.Config(2, 0.01, org.nettricks.evaluation.Metric.VAL_ERROR));
        assertTrue(s.update(1, 0.30));
        assertTrue(s.update(2, 0.25));
        assertFalse(s.update(3, 0.245)); // better, but by less than minDelta: not an improvement
        assertFalse(s.shouldStop());
        assertTrue(s.update(4, 0.20)); // the look-ahead pays off: counter resets
        assertFalse(s.update(5, 0.21));
        assertFalse(s.shouldStop());
        assertFalse(s.update(6, 0.22));
        assertTrue(s.shouldStop());
        assertEquals(4, s.bestEpoch());
        assertEquals(0.20, s.best());
    }

    @Test
    void trainingRestoresTheBestEpochsParameters() {
        try (org.nettricks.tensor.JavaBackend backend = new org.nettricks.tensor.JavaBackend(2)) {
            // a learning rate that makes the validation error wander, so the best epoch is not the last
            Recipe recipe = RecipeSettings.of("data", "digits", "hidden", "16", "lr", "2.0", "epochs", "12",
                    "patience", "3", "seed", "5");
            Experiment e = Experiment.prepare(recipe, backend);
            Experiment.Result r = e.run(TrainingListener.NONE);
            TrainingHistory h = r.history();
            double bestSeen = h.epochs().stream().mapToDouble(EpochReport::validationError).min().orElseThrow();
            assertEquals(bestSeen, h.epochs().get(h.bestEpoch() - 1).validationError());
            Evaluation now = new Evaluator(e.network(), e.validation()).evaluate();
            assertEquals(bestSeen, now.error(), 1e-12, "restored parameters reproduce the best validation error");
        }
    }
}
