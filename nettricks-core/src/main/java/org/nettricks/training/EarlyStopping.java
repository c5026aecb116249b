package org.nettricks.training;

import java.util.ArrayList;
import java.util.List;

import org.nettricks.evaluation.Metric;
import org.nettricks.layers.Buffer;
import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Matrix;

/**
 * The lecture's early stopping, "stop training when the validation error increases (with some
 * look ahead)", as a small state machine: after each epoch, {@link #update} with the monitored
 * validation figure ({@link Metric}: the validation error by default, or the loss, the F1, …);
 * training stops after {@code patience} epochs in a row without an improvement of more than
 * {@code minDelta} over the best so far, and the parameters of the best epoch are restored. A
 * metric to maximize (accuracy, F1, ROC-AUC, R²) improves when it rises by more than
 * {@code minDelta}; a figure that is NaN is never an improvement.
 *
 * <p>As a {@link Callback} of the training loop it resets at the start of each run, copies the
 * parameters and buffers of each new best epoch, asks the run to stop, and restores the best copy
 * at the end of the run, however it ends: at the last epoch, stopped early, or diverged (the
 * loop ends a diverged run with {@link #onTrainEnd} too).
 */
public final class EarlyStopping implements Callback {
    /**
     * @param patience epochs without improvement before stopping, ≥ 1
     * @param minDelta the smallest change in the better direction that counts as an improvement, ≥ 0
     * @param monitor  the watched figure
     */
    public record Config(int patience, double minDelta, Metric monitor) {
        public Config {
            if (monitor == null) {
                throw new IllegalArgumentException("monitor must be given");
            }
            if (patience < 1) {
                throw new IllegalArgumentException("patience must be at least 1 epoch, got " + patience);
            }
            if (!(minDelta >= 0) || !Double.isFinite(minDelta)) {
                throw new IllegalArgumentException("minDelta must be a finite number >= 0, got " + minDelta);
            }
        }
    }

    private final Config config;
    private double best = Double.POSITIVE_INFINITY;
    private int bestEpoch;
    private int wait;
    /** The parameters, then the buffers, of the best epoch; empty before the first best. */
    private final List<Matrix> bestValues = new ArrayList<>();

    public EarlyStopping(Config config) {
        this.config = config;
    }

    /** Starts afresh: no best yet, no epochs waited. */
    public void reset() {
        best = Double.POSITIVE_INFINITY;
        bestEpoch = 0;
        wait = 0;
        bestValues.clear();
    }

    @Override
    public void onTrainBegin(TrainingRun run) {
        reset();
    }

    @Override
    public void onEpochEnd(TrainingRun run, EpochReport report) {
        if (update(report.epoch(), monitored(report))) {
            bestValues.clear();
            for (Parameter p : run.task().parameters()) {
                bestValues.add(p.value().copy());
            }
            for (Buffer b : run.task().buffers()) {
                bestValues.add(b.value().copy());
            }
        }
        if (shouldStop()) {
            run.stopEarly();
        }
    }

    /** Restores the parameters and buffers of the best epoch. */
    @Override
    public void onTrainEnd(TrainingRun run) {
        if (bestValues.isEmpty()) {
            return;
        }
        int i = 0;
        for (Parameter p : run.task().parameters()) {
            p.value().copyFrom(bestValues.get(i++));
        }
        for (Buffer b : run.task().buffers()) {
            b.value().copyFrom(bestValues.get(i++));
        }
        run.keepEpoch(bestEpoch);
    }


    /** The best figure, its epoch, the epochs waited, and the best epoch's parameters and buffers. */
    @Override
    public void saveState(TrainingState state) {
        state.putDouble("best", best);
        state.putLong("best_epoch", bestEpoch);
        state.putLong("wait", wait);
        state.putLong("saved", bestValues.size());
        for (int i = 0; i < bestValues.size(); i++) {
            state.putTensor("best_values." + i, bestValues.get(i));
        }
    }

    @Override
    public void restoreState(TrainingState state, TrainingRun run) {
        best = state.getDouble("best");
        bestEpoch = state.getInt("best_epoch", 0, run.maxEpochs());
        wait = state.getInt("wait", 0, run.maxEpochs());
        int saved = state.getInt("saved", 0, Integer.MAX_VALUE);
        bestValues.clear();
        if (saved == 0) {
            return;
        }
        List<Matrix> current = new ArrayList<>();
        for (Parameter p : run.task().parameters()) {
            current.add(p.value());
        }
        for (Buffer b : run.task().buffers()) {
            current.add(b.value());
        }
        if (saved != current.size()) {
            throw state.bad("saved", "is " + saved + ", but the run has " + current.size() + " parameters and buffers");
        }
        for (int i = 0; i < saved; i++) {
            Matrix copy = current.get(i).copy();
            state.copyTensor("best_values." + i, copy);
            bestValues.add(copy);
        }
    }

    /** The monitored figure of an epoch report. */
    public double monitored(EpochReport report) {
        return report.valueOf(config.monitor());
    }

    /**
     * Records an epoch's figure of the monitored metric; returns true when it is a new best (save
     * the parameters then).
     */
    public boolean update(int epoch, double value) {
        // kept as a cost (lower better): the value, or its negative for a metric to maximize
        double cost = config.monitor().maximizes() ? -value : value;
        if (cost < best - config.minDelta()) {
            best = cost;
            bestEpoch = epoch;
            wait = 0;
            return true;
        }
        wait++;
        return false;
    }

    /** True once {@code patience} epochs in a row brought no improvement. */
    public boolean shouldStop() {
        return wait >= config.patience();
    }

    /** The best figure of the monitored metric so far; +∞ (−∞ for a metric to maximize) before any. */
    public double best() {
        return config.monitor().maximizes() ? -best : best;
    }

    /** The epoch (1-based) of the best figure, 0 before any update. */
    public int bestEpoch() {
        return bestEpoch;
    }

    public Config config() {
        return config;
    }
}
