package org.nettricks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/** Checkpoints written in the background hold the state of the moment they were taken, in order. */
class BackgroundCheckpointWriterTest {
    @Test
    void aCheckpointHoldsTheValuesOfItsMomentThoughTrainingChangesThemWhileItIsWritten() throws Exception {
        Matrix live = Matrix.of(Precision.FLOAT32, 1, 3, 1, 2, 3);
        CountDownLatch changed = new CountDownLatch(1);
        List<double[]> written = Collections.synchronizedList(new ArrayList<>());
        BackgroundCheckpointWriter writer = new BackgroundCheckpointWriter((steps, state) -> {
            assertTrue(changed.await(10, TimeUnit.SECONDS));
            Matrix m = state.tensor("w");
            written.add(new double[] {steps, m.get(0, 0), m.get(0, 1), m.get(0, 2), state.getLong("epoch")});
        });
        TrainingState s = new TrainingState("test");
        s.putTensor("w", live);
        s.putLong("epoch", 4);
        writer.write(7, s);
        live.set(0, 0, 10); // the next step changes the parameter while the checkpoint is being written
        live.set(0, 2, 30);
        changed.countDown();
        TrainingState t = new TrainingState("test");
        t.putTensor("w", live);
        t.putLong("epoch", 5);
        writer.write(9, t); // waits for the first
        writer.finish();
        assertEquals(2, written.size());
        assertEquals(List.of(7.0, 1.0, 2.0, 3.0, 4.0), box(written.get(0)));
        assertEquals(List.of(9.0, 10.0, 2.0, 30.0, 5.0), box(written.get(1)));
        assertEquals(2, writer.writes());
    }

    @Test
    void aFailedWriteIsReportedWhenTheRunEndsAndAtTheNextCheckpoint() {
        java.io.IOException full = new java.io.IOException("No space left on device");
        BackgroundCheckpointWriter writer = new BackgroundCheckpointWriter((steps, state) -> {
            throw full;
        });
        writer.write(1, new TrainingState("test"));
        UncheckedIOException e = assertThrows(UncheckedIOException.class, writer::finish);
        assertSame(full, e.getCause());
        RuntimeException r = new IllegalStateException("disk gone");
        BackgroundCheckpointWriter second = new BackgroundCheckpointWriter((steps, state) -> {
            throw r;
        });
        second.write(1, new TrainingState("test"));
        assertSame(r, assertThrows(IllegalStateException.class, () -> second.write(2, new TrainingState("test"))));
    }

    private static List<Double> box(double[] v) {
        List<Double> out = new ArrayList<>();
        for (double x : v) {
            out.add(x);
        }
        return out;
    }
}
