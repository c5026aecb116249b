package org.nettricks.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    @Test
    void eachScheduleFollowsItsFormula() {
        assertEquals(0.1, LearningRateSchedule.parse("constant").rate(0.1, 7, 10), 0);
        LearningRateSchedule step = LearningRateSchedule.parse("step:3:0.5");
        assertEquals(0.1, step.rate(0.1, 2, 10), 1e-15);
        assertEquals(0.05, step.rate(0.1, 3, 10), 1e-15);
        assertEquals(0.025, step.rate(0.1, 7, 10), 1e-15);
        assertEquals(0.1 * 0.9 * 0.9, LearningRateSchedule.parse("exponential:0.9").rate(0.1, 2, 10), 1e-15);
        assertEquals(0.1 / (1 + 0.5 * 4), LearningRateSchedule.parse("inverse:0.5").rate(0.1, 4, 10), 1e-15);
        LearningRateSchedule cosine = LearningRateSchedule.parse("cosine");
        assertEquals(0.1, cosine.rate(0.1, 0, 10), 1e-15);
        assertEquals(0.05, cosine.rate(0.1, 5, 10), 1e-15);
        assertEquals(0.1 * (1 + Math.cos(Math.PI * 0.9)) / 2, cosine.rate(0.1, 9, 10), 1e-15);
    }

    @Test
    void malformedSchedulesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("step:3"));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("exponential:1.5"));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("warmup"));
        assertEquals("step:3:0.5", LearningRateSchedule.parse("step:3:0.5").describe());
    }
}
