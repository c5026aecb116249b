package org.nettricks.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.nettricks.layers.Parameter;

/**
 * The state of one run of the {@link TrainingLoop} that its {@link Callback}s see: where the run
 * is (epoch, step, learning rate), what it has done (epoch reports, warnings) and how it should end
 * (a stop request, the epoch whose parameters it keeps). Belongs to the run, never to the model.
 */
public final class TrainingRun {
    private final TrainingTask task;
    private final int maxEpochs;
    private final int batchCount;
    private final TrainingListener listener;
    private final List<EpochReport> reports = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    int epoch;
    int step;
    double learningRate;
    private boolean stopRequested;
    private boolean stoppedEarly;
    private int keptEpoch;

    TrainingRun(TrainingTask task, int maxEpochs, int batchCount, TrainingListener listener) {
        this.task = task;
        this.maxEpochs = maxEpochs;
        this.batchCount = batchCount;
        this.listener = listener;
    }

    /** What is being trained. */
    public TrainingTask task() {
        return task;
    }

    /** The task's trained tensors. */
    public List<Parameter> parameters() {
        return task.parameters();
    }

    /** The maximum number of epochs. */
    public int maxEpochs() {
        return maxEpochs;
    }

    /** Mini-batches per epoch. */
    public int batchCount() {
        return batchCount;
    }

    /** The current epoch, from 1. */
    public int epoch() {
        return epoch;
    }

    /** The current step within the epoch, from 1. */
    public int step() {
        return step;
    }

    /** The learning rate α of the current epoch (from the schedule). */
    public double learningRate() {
        return learningRate;
    }

    /** The reports of the epochs finished so far. */
    public List<EpochReport> reports() {
        return Collections.unmodifiableList(reports);
    }

    void addReport(EpochReport report) {
        reports.add(report);
    }

    /** Warnings raised so far. */
    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /** Records a warning and passes it to the listener (once per kind of problem, by the caller's choice). */
    public void warn(String message) {
        warnings.add(message);
        listener.onWarning(message);
    }

    /** The warnings of the run a checkpoint resumes, without passing them to the listener again. */
    void restoreWarnings(List<String> saved) {
        warnings.clear();
        warnings.addAll(saved);
    }

    /** The stop request and early stop of the run a checkpoint resumes. */
    void restoreStop(boolean requested, boolean early) {
        stopRequested = requested;
        stoppedEarly = early;
    }

    /** Ends the run after the current epoch's callbacks. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * Ends the run after the current epoch's callbacks, as early stopping does: the run counts as
     * stopped early when epochs were left.
     */
    public void stopEarly() {
        stopRequested = true;
        stoppedEarly = epoch < maxEpochs;
    }

    /** Whether early stopping ended the run before its last epoch. */
    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    /** Whether a callback asked the run to end. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** Records which epoch's parameters the run ends with (early stopping's best epoch). */
    public void keepEpoch(int epoch) {
        keptEpoch = epoch;
    }

    /** The epoch a callback restored with {@link #keepEpoch}, or 0 when none did. */
    int restoredEpoch() {
        return keptEpoch;
    }

    /** The epoch whose parameters the run ends with: the kept one, else the last. */
    public int keptEpoch() {
        return keptEpoch > 0 ? keptEpoch : reports.size();
    }
}
