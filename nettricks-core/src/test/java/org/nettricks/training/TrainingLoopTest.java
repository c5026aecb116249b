package org.nettricks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;
import org.nettricks.layers.Buffer;
import org.nettricks.layers.Parameter;
import org.nettricks.optim.LearningRateSchedule;
import org.nettricks.optim.Sgd;
import org.nettricks.regularization.GradientClipping;
import org.nettricks.regularization.WeightPenalty;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/** The training loop on a task small enough to work out by hand: one weight, squared error. */
class TrainingLoopTest {
    /** L(w) = (1/B) Σ (w x_t − y_t)², ∂L/∂w = (2/B) Σ (w x_t − y_t) x_t. */
    static class LineTask implements TrainingTask {
        final double[] x;
        final double[] y;
        final Parameter w;
        final List<String> batches = new ArrayList<>();
        private double gradient;

        LineTask(double[] x, double[] y, double w0) {
            this(x, y, w0, Precision.FLOAT64);
        }

        /** The weight in {@code precision}; the loss and gradient are computed in double either way. */
        LineTask(double[] x, double[] y, double w0, Precision precision) {
            this.x = x;
            this.y = y;
            w = new Parameter("layers.0.weight", Parameter.Role.WEIGHT, Matrix.zeros(1, 1, precision));
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
            StringBuilder seen = new StringBuilder();
            for (int i = start; i < start + count; i++) {
                int t = order[i];
                seen.append(t);
                double r = wv * x[t] - y[t];
                loss += r * r;
                g += 2 * r * x[t];
            }
            batches.add(seen.toString());
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

    /** Records every call, in order. */
    static final class Recorder implements Callback {
        final List<String> events = new ArrayList<>();

        @Override
        public void onTrainBegin(TrainingRun run) {
            events.add("trainBegin");
        }

        @Override
        public void onEpochBegin(TrainingRun run) {
            events.add("epochBegin " + run.epoch() + " lr " + run.learningRate());
        }

        @Override
        public void onBatchBegin(TrainingRun run) {
            events.add("batchBegin " + run.step());
        }

        @Override
        public void afterForward(TrainingRun run, double loss) {
            events.add("forward");
        }

        @Override
        public void afterBackward(TrainingRun run, double loss) {
            events.add("backward g=" + run.parameters().get(0).gradient().getFlat(0));
        }

        @Override
        public void afterUpdate(TrainingRun run, boolean finite) {
            events.add("update " + finite);
        }

        @Override
        public void onBatchEnd(TrainingRun run, double loss) {
            events.add("batchEnd");
        }

        @Override
        public void onEpochEnd(TrainingRun run, EpochReport report) {
            events.add("epochEnd " + report.epoch());
        }

        @Override
        public void onTrainEnd(TrainingRun run) {
            events.add("trainEnd");
        }
    }

    @Test
    void oneFullBatchStepIsTheHandWorkedSgdStep() {
        // x = (1, 2), y = (3, 5), w0 = 1: residuals (−2, −3); ∂L/∂w = (2/2)(−2·1 − 3·2) = −8; w1 = 1 + 0.1·8 = 1.8
        LineTask task = new LineTask(new double[] {1, 2}, new double[] {3, 5}, 1);
        TrainingLoop loop = new TrainingLoop(new Sgd(), new TrainingLoop.Settings(1, 2, false, 0.1,
                new LearningRateSchedule.Constant()), List.of(), List.of());
        TrainingHistory h = loop.run(task, new SplittableRandom(1), TrainingListener.NONE, null);
        assertEquals(1.8, task.w.value().getFlat(0), 1e-15);
        assertEquals((4 + 9) / 2.0, h.epochs().get(0).trainLoss(), 1e-15, "the loss before the step");
        assertTrue(Double.isNaN(h.epochs().get(0).trainError()), "no classes, no training error");
    }

    @Test
    void theChainRunsInOrderBeforeTheUpdate() {
        // penalty first: g = −8 + 2·λ·w = −8 + 2·0.5·1 = −7; then clipping to norm 1: g = −1; w1 = 1 + 0.1 = 1.1
        LineTask task = new LineTask(new double[] {1, 2}, new double[] {3, 5}, 1);
        TrainingLoop loop = new TrainingLoop(new Sgd(), new TrainingLoop.Settings(1, 2, false, 0.1,
                new LearningRateSchedule.Constant()), List.of(new WeightPenalty(0, 0.5), new GradientClipping(1)),
                List.of());
        TrainingHistory h = loop.run(task, new SplittableRandom(1), TrainingListener.NONE, null);
        assertEquals(1.1, task.w.value().getFlat(0), 1e-15);
        assertEquals(0.5 * 1.1 * 1.1, h.epochs().get(0).penalty(), 1e-15, "λΩ after the epoch");
        // the other order clips −8 to −1 first, then adds 2·0.5·1: g = 0, w stays 1
        LineTask other = new LineTask(new double[] {1, 2}, new double[] {3, 5}, 1);
        new TrainingLoop(new Sgd(), new TrainingLoop.Settings(1, 2, false, 0.1, new LearningRateSchedule.Constant()),
                List.of(new GradientClipping(1), new WeightPenalty(0, 0.5)), List.of())
                .run(other, new SplittableRandom(1), TrainingListener.NONE, null);
        assertEquals(1.0, other.w.value().getFlat(0), 1e-15);
    }

    @Test
    void callbacksSeeEveryStageOfEveryStepInOrder() {
        LineTask task = new LineTask(new double[] {1, 2, 3}, new double[] {0, 0, 0}, 0);
        Recorder recorder = new Recorder();
        new TrainingLoop(new Sgd(), new TrainingLoop.Settings(1, 2, false, 0.25, new LearningRateSchedule.Constant()),
                List.of(), List.of(recorder)).run(task, new SplittableRandom(1), TrainingListener.NONE, null);
        assertEquals(List.of("trainBegin", "epochBegin 1 lr 0.25",
                "batchBegin 1", "forward", "backward g=0.0", "update true", "batchEnd",
                "batchBegin 2", "forward", "backward g=0.0", "update true", "batchEnd",
                "epochEnd 1", "trainEnd"), recorder.events);
    }

    @Test
    void dropLastLeavesTheRemainderOutAndEveryEpochIsReshuffled() {
        LineTask task = new LineTask(new double[] {1, 2, 3, 4, 5}, new double[] {0, 0, 0, 0, 0}, 0);
        new TrainingLoop(new Sgd(), new TrainingLoop.Settings(3, 2, true, 0.1, new LearningRateSchedule.Constant()),
                List.of(), List.of()).run(task, new SplittableRandom(7), TrainingListener.NONE, null);
        assertEquals(6, task.batches.size(), "two full batches of 2 per epoch, the fifth example left out");
        for (String b : task.batches) {
            assertEquals(2, b.length());
        }
        assertTrue(!(task.batches.get(0) + task.batches.get(1)).equals(task.batches.get(2) + task.batches.get(3))
                        || !(task.batches.get(2) + task.batches.get(3)).equals(task.batches.get(4) + task.batches.get(5)),
                "reshuffled: " + task.batches);
    }

    @Test
    void theGuardStopsAtTheStepAndKeepsTheLastGoodParameters() {
        // w0 = 1e200: the loss (w x − y)² overflows to infinity at the first step
        LineTask task = new LineTask(new double[] {1, 2}, new double[] {3, 5}, 1e200);
        TrainingLoop loop = new TrainingLoop(new Sgd(), new TrainingLoop.Settings(2, 1, false, 0.1,
                new LearningRateSchedule.Constant()), List.of(), List.of(new DivergenceGuard()));
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> loop.run(task, new SplittableRandom(1), TrainingListener.NONE, null));
        assertEquals(1, e.epoch());
        assertEquals(1, e.step());
        assertTrue(e.getMessage().contains("the loss is Infinity (w overflows)"), e.getMessage());
        assertEquals(1e200, task.w.value().getFlat(0));
    }

    @Test
    void earlyStoppingAsACallbackRestoresTheBestEpoch() {
        // a task whose validation loss is scripted: 3, 1, 2, 2 → best epoch 2, stop after epoch 4 (patience 2)
        double[] scripted = {3, 1, 2, 2, 0};
        LineTask base = new LineTask(new double[] {1}, new double[] {2}, 0);
        TrainingTask task = new TrainingTask() {
            int epoch;

            @Override
            public List<Parameter> parameters() {
                return base.parameters();
            }

            @Override
            public List<Buffer> buffers() {
                return List.of();
            }

            @Override
            public int exampleCount() {
                return 1;
            }

            @Override
            public double forward(int[] order, int start, int count, RandomGenerator random) {
                return base.forward(order, start, count, random);
            }

            @Override
            public void backward() {
                base.backward();
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
                return new Validation(scripted[epoch++], Double.NaN);
            }

            @Override
            public double referenceLoss() {
                return 0;
            }

            @Override
            public String describeOverflow() {
                return "";
            }
        };
        List<Double> weightAfterEpoch = new ArrayList<>();
        Callback watch = new Callback() {
            @Override
            public void onEpochEnd(TrainingRun run, EpochReport report) {
                weightAfterEpoch.add(base.w.value().getFlat(0));
            }
        };
        TrainingHistory h = new TrainingLoop(new Sgd(), new TrainingLoop.Settings(5, 1, false, 0.1,
                new LearningRateSchedule.Constant()), List.of(), List.of(watch, new EarlyStopping(
                new EarlyStopping.Config(2, 0, org.nettricks.evaluation.Metric.VAL_LOSS))))
                .run(task, new SplittableRandom(1), TrainingListener.NONE, null);
        assertEquals(4, h.epochs().size());
        assertTrue(h.stoppedEarly());
        assertEquals(2, h.bestEpoch());
        assertEquals(weightAfterEpoch.get(1), base.w.value().getFlat(0), 0.0, "the weights of epoch 2");
    }
}
