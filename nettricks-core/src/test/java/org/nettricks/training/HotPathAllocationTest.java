package org.nettricks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nettricks.tensor.JavaBackend;

/**
 * The training step allocates nothing once its workspaces exist: the heap bytes allocated by every
 * thread that computes (the caller's and the backend's workers), counted by the JVM's per-thread
 * allocation counters between two batches in the middle of an epoch, minus what the counting itself
 * allocates.
 */
class HotPathAllocationTest {

    /** Bytes allocated so far by the given threads; the call itself allocates its result array. */
    private static long allocated(com.sun.management.ThreadMXBean bean, long[] ids) {
        long sum = 0;
        for (long b : bean.getThreadAllocatedBytes(ids)) {
            sum += b;
        }
        return sum;
    }

    static long bytesPerStep(String... extra) {
        var bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<String> settings = new ArrayList<>(List.of("data", "digits", "hidden", "64,64", "batch-size", "128",
                "epochs", "40", "seed", "5", "precision", "float32", "optimizer", "adam", "validation-fraction", "0"));
        settings.addAll(List.of(extra));
        long[] perStep = {-1};
        try (JavaBackend backend = new JavaBackend(2)) {
            Experiment e = Experiment.prepare(RecipeSettings.of(settings.toArray(String[]::new)), backend);
            e.run(new TrainingListener() {
                long[] ids;
                long start;
                long overhead;

                @Override
                public void onBatchEnd(int epoch, int batch, int batches, double loss) {
                    if (epoch != 30) {
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
                        long a = allocated(bean, ids);
                        long b = allocated(bean, ids);
                        overhead = b - a;
                        start = allocated(bean, ids);
                    } else if (batch == batches) { // includes the last, smaller batch
                        long steps = batches - 2;
                        perStep[0] = (allocated(bean, ids) - start - overhead) / steps;
                    }
                }
            });
        }
        return perStep[0];
    }

    @Test
    void aPlainStepAllocatesNothing() {
        assertEquals(0, bytesPerStep(), "bytes allocated per step");
    }

    @Test
    void aStepWithBatchNormDropoutAndPenaltiesAllocatesNothing() {
        assertEquals(0, bytesPerStep("batch-norm", "true", "dropout", "0.5", "input-dropout", "0.2", "l2", "1e-4",
                "clip-norm", "5"), "bytes allocated per step");
    }
}
