package org.nettricks.training;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts the heap bytes that the training step allocates: a listener that reads the JVM's
 * per-thread allocation counters of the threads that compute (the one running the trainer and the
 * pure-Java backend's workers, named {@code nettricks-java-…}; OpenBLAS's own threads are native
 * and allocate no Java heap) after the second batch of one epoch and after its last, and divides
 * by the steps in between (the last, smaller batch included). What the counting itself allocates
 * is measured and taken off.
 *
 * <p>Over several epochs it reports the epoch with the fewest bytes: an allocation made at every
 * step shows in each of them, while the JVM's own rare allocations on these threads (seen here:
 * 48 bytes once in about 30 fresh JVMs, before and after the training loop's redesign) do not
 * land in all of them.
 */
public final class AllocationMeter implements TrainingListener {
    private final int firstEpoch;
    private final int lastEpoch;
    private final com.sun.management.ThreadMXBean bean;
    private long[] ids;
    private long start;
    private long overhead;
    private double bytesPerStep = Double.NaN;

    /** Measures during epoch {@code epoch} (counting from 1). */
    public AllocationMeter(int epoch) {
        this(epoch, epoch);
    }

    /** Measures during each epoch from {@code firstEpoch} to {@code lastEpoch} and keeps the fewest bytes per step. */
    public AllocationMeter(int firstEpoch, int lastEpoch) {
        if (firstEpoch < 1 || lastEpoch < firstEpoch) {
            throw new IllegalArgumentException("epochs must satisfy 1 <= first <= last, got " + firstEpoch + " and "
                    + lastEpoch);
        }
        this.firstEpoch = firstEpoch;
        this.lastEpoch = lastEpoch;
        java.lang.management.ThreadMXBean b = ManagementFactory.getThreadMXBean();
        this.bean = b instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()
                && sun.isThreadAllocatedMemoryEnabled() ? sun : null;
    }

    @Override
    public void onBatchEnd(int epoch, int batch, int batches, double batchLoss) {
        if (epoch < firstEpoch || epoch > lastEpoch || bean == null || batches < 3) {
            return;
        }
        if (batch == 2) {
            List<Long> list = new ArrayList<>();
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t == Thread.currentThread() || t.getName().startsWith("nettricks-java-")) {
                    list.add(t.getId());
                }
            }
            ids = list.stream().mapToLong(Long::longValue).toArray();
            long a = allocated();
            long b = allocated();
            overhead = b - a;
            start = allocated();
        } else if (batch == batches && ids != null) {
            double measured = (double) (allocated() - start - overhead) / (batches - 2);
            bytesPerStep = Double.isNaN(bytesPerStep) ? measured : Math.min(bytesPerStep, measured);
        }
    }

    /** Bytes allocated by the counted threads so far; the call allocates its result array. */
    private long allocated() {
        long sum = 0;
        for (long b : bean.getThreadAllocatedBytes(ids)) {
            sum += b;
        }
        return sum;
    }

    /**
     * Heap bytes allocated per training step in the measured epoch (the fewest, over several); NaN if none was reached,
     * had fewer than 3 batches, or this JVM cannot count allocations per thread.
     */
    public double bytesPerStep() {
        return bytesPerStep;
    }
}
