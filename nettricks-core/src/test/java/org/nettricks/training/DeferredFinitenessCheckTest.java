package org.nettricks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;
import org.nettricks.layers.Buffer;
import org.nettricks.layers.Parameter;
import org.nettricks.optim.LearningRateSchedule;
import org.nettricks.optim.Sgd;
import org.nettricks.tensor.Matrix;
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
    /** L = mean (w x − y)², in float32 parameters; the gradient computed in double and stored in float32. */
    static final class Float32Line implements TrainingTask {
        final Parameter w = new Parameter("layers.0.weight", Parameter.Role.WEIGHT, Matrix.zeros(1, 1,
                Precision.FLOAT32));
        final double[] x;
        final double[] y;
        double gradient;

        Float32Line(double[] x, double[] y, double w0) {
            this.x = x;
            this.y = y;
            w.value().setFlat(0, w0);
        }

        @Override
        public List<Parameter> parameters() {
            return List.of(w);
        }

        @Override
        public List<Buffer> buffers() {
            return List.of();
        }

        @Override
        public int exampleCount() {
            return x.length;
        }

        @Override
        public double forward(int[] order, int start, int count, RandomGenerator random) {
            double loss = 0;
            double g = 0;
            double wv = w.value().getFlat(0);
            for (int i = start; i < start + count; i++) {
                double r = wv * x[order[i]] - y[order[i]];
                loss += r * r;
                g += 2 * r * x[order[i]];
            }
            gradient = g / count;
            return loss / count;
        }

        @Override
        public void backward() {
            w.gradient().setFlat(0, gradient);
        }

        @Override
        public int batchErrors() {
            return 0;
        }

        @Override
        public boolean classifies() {
            return false;
        }

        @Override
        public Validation validate() {
            return null;
        }

        @Override
        public double referenceLoss() {
            return 0;
        }

        @Override
        public String describeOverflow() {
            return "w overflows";
        }
    }

    @Test
    void theNextStepsLossFindsTheUpdateThatMadeAParameterInfinite() {
        // batch 1, two examples: step 1's update makes w −∞; step 2's loss is infinite
        Float32Line task = new Float32Line(new double[] {1, 1}, new double[] {2.9e38, 2.9e38}, 3e38);
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
        Float32Line task = new Float32Line(new double[] {1}, new double[] {2.9e38}, 3e38);
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
