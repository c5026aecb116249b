package org.nettricks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;
import org.nettricks.optim.LearningRateSchedule;
import org.nettricks.optim.Sgd;

/**
 * The step profile charges each phase's time to that phase: a task whose forward pass takes at
 * least 3 ms and whose backward pass takes at least 1 ms shows at least that in those phases (lower
 * bounds only: a busy machine can only make phases longer), and the epochs before the first
 * measured one are not counted.
 */
class StepProfileTest {
    private static void pause(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            LockSupport.parkNanos(end - System.nanoTime());
        }
    }

    @Test
    void eachPhaseIsChargedWithItsOwnTime() {
        TrainingLoopTest.LineTask task = new TrainingLoopTest.LineTask(new double[] {1, 2, 3, 4}, new double[] {1, 2,
                3, 4}, 0.5) {
            @Override
            public double forward(int[] order, int start, int count, RandomGenerator random) {
                pause(3_000_000);
                return super.forward(order, start, count, random);
            }

            @Override
            public void backward() {
                pause(1_000_000);
                super.backward();
            }
        };
        StepProfile profile = new StepProfile(2);
        new TrainingLoop(new Sgd(), new TrainingLoop.Settings(3, 2, false, 0.01, new LearningRateSchedule.Constant()),
                List.of(), List.of(profile)).run(task, new SplittableRandom(1), TrainingListener.NONE, null);
        assertEquals(4, profile.steps(), "epochs 2 and 3, two batches each");
        Map<String, Double> us = profile.microsecondsPerStep();
        assertTrue(us.get("forward") >= 3000, "forward " + us);
        assertTrue(us.get("backward") >= 1000, "backward " + us);
        assertTrue(us.get("forward") > us.get("update") && us.get("backward") > us.get("update"), "update " + us);
        assertEquals(us.get("forward") + us.get("backward") + us.get("update") + us.get("between"), us.get("step"),
                1e-9);
    }
}
