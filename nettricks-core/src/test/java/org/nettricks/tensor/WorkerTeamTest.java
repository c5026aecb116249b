package org.nettricks.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;

/**
 * The backend's worker team: every part of every region runs exactly once, regions follow one
 * another without mixing, a failure reaches the caller, and regions opened from inside a part or
 * from another thread at the same time still run every part (on their caller).
 */
class WorkerTeamTest {

    @Test
    void everyPartOfEveryRegionRunsExactlyOnce() {
        WorkerTeam team = new WorkerTeam(3, "test-team");
        try {
            for (int region = 0; region < 20_000; region++) {
                int parts = 1 + region % 7;
                AtomicIntegerArray runs = new AtomicIntegerArray(parts);
                team.run(parts, runs::incrementAndGet);
                int[] expected = new int[parts];
                java.util.Arrays.fill(expected, 1);
                int[] got = new int[parts];
                for (int i = 0; i < parts; i++) {
                    got[i] = runs.get(i);
                }
                assertArrayEquals(expected, got, "region " + region);
            }
        } finally {
            team.close();
        }
    }

    @Test
    void aFailingPartReachesTheCallerAfterTheOthersEnd() {
        WorkerTeam team = new WorkerTeam(1, "test-team");
        try {
            AtomicInteger ran = new AtomicInteger();
            IllegalStateException thrown = new IllegalStateException("part 2 failed");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> team.run(4, i -> {
                ran.incrementAndGet();
                if (i == 2) {
                    throw thrown;
                }
            }));
            assertSame(thrown, e);
            assertEquals(4, ran.get());
            // the team still works afterwards, and the failure does not leak into the next region
            AtomicInteger after = new AtomicInteger();
            team.run(4, i -> after.incrementAndGet());
            assertEquals(4, after.get());
        } finally {
            team.close();
        }
    }

    @Test
    void nestedAndConcurrentRegionsRunEveryPart() throws InterruptedException {
        WorkerTeam team = new WorkerTeam(1, "test-team");
        try {
            AtomicInteger inner = new AtomicInteger();
            team.run(2, i -> team.run(3, j -> inner.incrementAndGet()));
            assertEquals(6, inner.get());

            AtomicInteger total = new AtomicInteger();
            Thread[] callers = new Thread[3];
            for (int t = 0; t < callers.length; t++) {
                callers[t] = new Thread(() -> {
                    for (int r = 0; r < 2_000; r++) {
                        team.run(2, i -> total.incrementAndGet());
                    }
                });
                callers[t].start();
            }
            for (Thread c : callers) {
                c.join();
            }
            assertEquals(3 * 2_000 * 2, total.get());
        } finally {
            team.close();
        }
    }

    @Test
    void aClosedTeamRunsRegionsOnTheCaller() {
        WorkerTeam team = new WorkerTeam(2, "test-team");
        team.close();
        Thread caller = Thread.currentThread();
        AtomicInteger onCaller = new AtomicInteger();
        team.run(5, i -> {
            if (Thread.currentThread() == caller) {
                onCaller.incrementAndGet();
            }
        });
        assertEquals(5, onCaller.get());
    }
}
