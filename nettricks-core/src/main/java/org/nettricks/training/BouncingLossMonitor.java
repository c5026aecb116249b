package org.nettricks.training;

import org.nettricks.monitoring.Diagnostics;

/**
 * Warns once per run when the training loss bounces up and down over an epoch's mini-batches
 * (the lecture's sign of a learning rate that is too large), judged on epochs of at least
 * {@value #MIN_BATCHES} batches by {@link Diagnostics#lossCurve}.
 */
public final class BouncingLossMonitor implements Callback {
    /** Epochs with fewer batches say too little about the curve. */
    public static final int MIN_BATCHES = 10;

    private double[] batchLosses;
    private boolean warned;

    @Override
    public void onTrainBegin(TrainingRun run) {
        batchLosses = new double[run.batchCount()];
        warned = false;
    }

    @Override
    public void onBatchEnd(TrainingRun run, double loss) {
        batchLosses[run.step() - 1] = loss;
    }

    @Override
    public void onEpochEnd(TrainingRun run, EpochReport report) {
        if (warned || run.batchCount() < MIN_BATCHES) {
            return;
        }
        Diagnostics.LossCurve curve = Diagnostics.lossCurve(batchLosses, run.batchCount());
        if (curve.bouncing()) {
            warned = true;
            run.warn("the training loss is bouncing up and down in epoch " + run.epoch() + " (" + curve.describe()
                    + "): " + Diagnostics.BOUNCING_ADVICE + "; it is " + run.learningRate() + " now");
        }
    }
}
