package org.nettricks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nettricks.optim.LearningRateSchedule;
import org.nettricks.optim.Sgd;
import org.nettricks.tensor.Precision;

/**
 * Plain SGD on float32 parameters does not check its results as it writes them (Sgd's vectorized
 * pass); the divergence guard still stops the run at the update that made a parameter infinite,
 * names it and takes it back, whether the next step's loss finds it or the epoch's end does.
 * Hand-worked: one float32 weight w, L = (w x − y)² on examples (x, y); with x = 1, y = 2.9e38 and
 * w0 = 3e38, ∂L/∂w = 2 (w − y) = 2e37 (finite), and with α = 100 the update w0 − α·2e37 = −1.7e39
 * rounds to −∞ in float32.
 */
class DeferredFinitenessCheckTest {
    /** L = mean (w x − y)², the weight in float32 (TrainingLoopTest's task). */
    private static TrainingLoopTest.LineTask float32Line(double[] x, double[] y, double w0) {
        return new TrainingLoopTest.LineTask(x, y, w0, Precision.FLOAT32);
    }

    @Test
    void theNextStepsLossFindsTheUpdateThatMadeAParameterInfinite() {
        // batch 1, two examples: step 1's update makes w −∞; step 2's loss is infinite
        TrainingLoopTest.LineTask task = float32Line(new double[] {1, 1}, new double[] {2.9e38, 2.9e38}, 3e38);
        TrainingLoop loop = new TrainingLoop(new Sgd(), new TrainingLoop.Settings(1, 1, false, 100,
                new LearningRateSchedule.Constant()), List.of(), List.of(new DivergenceGuard()));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> loop.run(task, new SplittableRandom(1), TrainingListener.NONE, null));
        assertEquals(1, e.epoch());
        assertEquals(1, e.step(), "charged to the update that made it, not to the step that found it");
        assertTrue(e.getMessage().contains("the update of step 1 made layers.0.weight NaN or infinite"),
                e.getMessage());
        assertEquals(3e38f, (float) task.w.value().getFlat(0), "the update taken back");
    }

    @Test
    void theEpochsEndFindsAnInfiniteParameterAfterTheLastUpdate() {
        // one example per epoch: the only update of epoch 1 makes w −∞, and no later loss sees it
        TrainingLoopTest.LineTask task = float32Line(new double[] {1}, new double[] {2.9e38}, 3e38);
        TrainingLoop loop = new TrainingLoop(new Sgd(), new TrainingLoop.Settings(2, 1, false, 100,
                new LearningRateSchedule.Constant()), List.of(), List.of(new DivergenceGuard()));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> loop.run(task, new SplittableRandom(1), TrainingListener.NONE, null));
        assertEquals(1, e.epoch());
        assertEquals(1, e.step());
        assertTrue(e.getMessage().contains("the update of step 1 made layers.0.weight NaN or infinite"),
                e.getMessage());
        assertEquals(3e38f, (float) task.w.value().getFlat(0), "the update taken back");
    }
}
