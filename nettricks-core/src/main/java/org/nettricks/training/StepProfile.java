package org.nettricks.training;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the time of a training step goes: a callback that reads the clock at the loop's step
 * events and sums the intervals per phase over the epochs from {@code firstEpoch} on (the earlier
 * ones warm up the JIT and the workspaces).
 *
 * <p>The phases, in nanoseconds summed over the measured steps:
 * <ul>
 * <li>{@code forward}: gathering the batch, the layers' forward passes and the loss
 *     (from {@link Callback#onBatchBegin} to {@link Callback#afterForward});</li>
 * <li>{@code backward}: the gradients of every parameter (to {@link Callback#afterBackward});</li>
 * <li>{@code update}: the gradient transforms (penalty, clipping), the optimizer's step and its
 *     finiteness check (to {@link Callback#afterUpdate});</li>
 * <li>{@code between}: everything else from one step's update to the next step's start: the
 *     other callbacks (the divergence guard, progress, allocation meter) and the loop itself.</li>
 * </ul>
 * Each phase boundary is one {@link System#nanoTime()} read (tens of nanoseconds), so the profile
 * costs a few hundred nanoseconds per step; a run measured with it is not a throughput figure.
 * Add it last among the callbacks: the others' work at a boundary then counts in the phase it ends.
 */
public final class StepProfile implements Callback {
    private final int firstEpoch;
    private long forward;
    private long backward;
    private long update;
    private long between;
    private long steps;
    private long lastUpdate;
    private long batchBegin;
    private long afterForward;
    private long afterBackward;

    /** @param firstEpoch the first epoch measured (1-based); earlier epochs are not counted */
    public StepProfile(int firstEpoch) {
        this.firstEpoch = firstEpoch;
    }

    @Override
    public void onEpochBegin(TrainingRun run) {
        lastUpdate = 0; // the epoch's validation pass does not count as "between" steps
    }

    @Override
    public void onBatchBegin(TrainingRun run) {
        batchBegin = System.nanoTime();
        if (lastUpdate != 0 && run.epoch() >= firstEpoch) {
            between += batchBegin - lastUpdate;
        }
    }

    @Override
    public void afterForward(TrainingRun run, double loss) {
        afterForward = System.nanoTime();
    }

    @Override
    public void afterBackward(TrainingRun run, double loss) {
        afterBackward = System.nanoTime();
    }

    @Override
    public void afterUpdate(TrainingRun run, boolean finite) {
        long now = System.nanoTime();
        if (run.epoch() >= firstEpoch) {
            forward += afterForward - batchBegin;
            backward += afterBackward - afterForward;
            update += now - afterBackward;
            steps++;
        }
        lastUpdate = now;
    }

    /** The steps measured. */
    public long steps() {
        return steps;
    }

    /**
     * Microseconds per step in each phase ({@code forward}, {@code backward}, {@code update},
     * {@code between}) and their sum ({@code step}); empty before a step was measured.
     */
    public Map<String, Double> microsecondsPerStep() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (steps == 0) {
            return m;
        }
        // "between" has no interval before an epoch's first step: per step, it is short by one
        // interval in batches-per-epoch
        double perStep = 1e-3 / steps;
        m.put("forward", forward * perStep);
        m.put("backward", backward * perStep);
        m.put("update", update * perStep);
        m.put("between", between * perStep);
        m.put("step", (forward + backward + update + between) * perStep);
        return m;
    }
}
