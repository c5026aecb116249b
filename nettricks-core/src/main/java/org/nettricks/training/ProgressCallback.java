package org.nettricks.training;

/**
 * Passes a run's progress to a {@link TrainingListener} (the command line's progress bar and
 * epoch lines), and ends the run when the listener asks (a search's pruner).
 */
public final class ProgressCallback implements Callback {
    private final TrainingListener listener;

    public ProgressCallback(TrainingListener listener) {
        this.listener = listener;
    }

    @Override
    public void onEpochBegin(TrainingRun run) {
        listener.onEpochStart(run.epoch(), run.batchCount());
    }

    @Override
    public void onBatchEnd(TrainingRun run, double loss) {
        listener.onBatchEnd(run.epoch(), run.step(), run.batchCount(), loss);
    }

    @Override
    public void onEpochEnd(TrainingRun run, EpochReport report) {
        listener.onEpochEnd(report);
        if (listener.stopRequested()) {
            run.requestStop();
        }
    }
}
