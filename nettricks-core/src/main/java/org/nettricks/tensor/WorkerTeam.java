package org.nettricks.tensor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed team of worker threads that runs one parallel region at a time without allocating:
 * the caller publishes the task in a few fields and wakes the workers, everyone (the caller too)
 * claims part numbers from one atomic ticket until none is left, and the caller waits for the
 * last part to end.
 *
 * <p>The ticket packs the region's generation (high 32 bits), its number of parts (16 bits) and
 * the next unclaimed part (low 16 bits), so a worker that wakes late can never claim a part of a
 * region other than the one it read. Idle workers poll for {@value #SPIN_NANOS} ns after a region
 * (the next one usually follows within microseconds in a training step) and then park; a region
 * started while another is running (from a part, or from another thread) runs on its caller alone.
 */
final class WorkerTeam {
    /** How long an idle worker, or the waiting caller, polls before it parks. */
    static final long SPIN_NANOS = 20_000;
    private static final int MAX_PARTS = 0xFFFF;

    private final Thread[] workers;
    private final AtomicLong ticket = new AtomicLong();
    private final AtomicInteger unfinished = new AtomicInteger();
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile IntConsumer task;
    private volatile Thread owner;
    private volatile boolean closed;
    private int generation;

    /** A team of {@code size} worker threads besides the callers', named {@code <name>-1} …. */
    WorkerTeam(int size, String name) {
        workers = new Thread[size];
        for (int i = 0; i < size; i++) {
            Thread t = new Thread(this::workerLoop, name + "-" + (i + 1));
            t.setDaemon(true);
            workers[i] = t;
        }
        for (Thread t : workers) {
            t.start();
        }
    }

    /**
     * Runs {@code task.accept(0)} … {@code task.accept(parts − 1)} on the team and the calling
     * thread; returns when all have ended, rethrowing the first exception a part threw.
     */
    void run(int parts, IntConsumer task) {
        if (parts <= 0) {
            return;
        }
        if (parts == 1 || workers.length == 0 || parts > MAX_PARTS || closed || !busy.compareAndSet(false, true)) {
            for (int i = 0; i < parts; i++) {
                task.accept(i);
            }
            return;
        }
        try {
            this.task = task;
            this.owner = Thread.currentThread();
            unfinished.set(parts);
            int g = ++generation;
            ticket.set((long) g << 32 | (long) parts << 16);
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
            work(g);
            long deadline = 0;
            while (unfinished.get() != 0) {
                if (deadline == 0) {
                    deadline = System.nanoTime() + SPIN_NANOS;
                } else if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(this, 100_000);
                }
            }
            this.task = null;
            Throwable f = failure.getAndSet(null);
            if (f instanceof RuntimeException e) {
                throw e;
            }
            if (f instanceof Error e) {
                throw e;
            }
            if (f != null) {
                throw new IllegalStateException(f);
            }
        } finally {
            busy.set(false);
        }
    }

    /** Claims and runs parts of region {@code g} until none is left. */
    private void work(int g) {
        for (;;) {
            long t = ticket.get();
            if ((int) (t >>> 32) != g) {
                return;
            }
            int parts = (int) (t >>> 16) & MAX_PARTS;
            int part = (int) t & MAX_PARTS;
            if (part >= parts) {
                return;
            }
            if (!ticket.compareAndSet(t, t + 1)) {
                continue;
            }
            try {
                task.accept(part);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            } finally {
                if (unfinished.decrementAndGet() == 0) {
                    LockSupport.unpark(owner);
                }
            }
        }
    }

    private void workerLoop() {
        int seen = 0;
        while (!closed) {
            long deadline = System.nanoTime() + SPIN_NANOS;
            int g;
            while ((g = (int) (ticket.get() >>> 32)) == seen && !closed) {
                if (System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            seen = g;
            work(g);
        }
    }

    /** Stops the workers (they end after their current part); later regions run on the caller. */
    void close() {
        closed = true;
        for (Thread w : workers) {
            LockSupport.unpark(w);
        }
    }
}
