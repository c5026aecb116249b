package org.nettricks.training;

import org.nettricks.monitoring.Diagnostics;

/**
 * Warns once per run when the training loss bounces up and down over an epoch's mini-batches
 * (the lecture's sign of a learning rate that is too large), judged on epochs of at least
 * {@value #MIN_BATCHES} batches by {@link Diagnostics#lossCurve}.
 *
 * <p>The curve is read over at least {@value #MIN_EXAMPLES_PER_POINT} examples per point: with
 * smaller batches (per-example SGD's batch of one), consecutive batches' losses are averaged into
 * windows of that many examples first. The loss of one example jumps up at every other step in a
 * healthy run (a 784-64-10 network on the digits at batch 1: 23% of steps), while the limits of
 * {@link Diagnostics.LossCurve#bouncing} were measured on mini-batches of 64.
 */
public final class BouncingLossMonitor implements Callback {
    /** Epochs with fewer batches (or windows) say too little about the curve. */
    public static final int MIN_BATCHES = 10;
    /** The fewest examples behind one point of the curve. */
    public static final int MIN_EXAMPLES_PER_POINT = 32;

    private double[] batchLosses;
    private boolean warned;

    @Override
    public void onTrainBegin(TrainingRun run) {
        batchLosses = new double[run.batchCount()];
        warned = false;
    }

    /** Whether it warned, and the epoch's batch losses so far. */
    @Override
    public void saveState(TrainingState state) {
        state.putBoolean("warned", warned);
        state.putTensor("batch_losses", org.nettricks.tensor.Matrix.wrap(1, batchLosses.length, batchLosses));
    }

    @Override
    public void restoreState(TrainingState state, TrainingRun run) {
        warned = state.getBoolean("warned");
        state.copyTensor("batch_losses", org.nettricks.tensor.Matrix.wrap(1, batchLosses.length, batchLosses));
    }

    @Override
    public void onBatchEnd(TrainingRun run, double loss) {
        batchLosses[run.step() - 1] = loss;
    }

    @Override
    public void onEpochEnd(TrainingRun run, EpochReport report) {
        int batches = run.batchCount();
        int examplesPerBatch = Math.max(1, run.task().exampleCount() / batches);
        int window = (MIN_EXAMPLES_PER_POINT + examplesPerBatch - 1) / examplesPerBatch;
        int points = batches / window;
        if (warned || points < MIN_BATCHES) {
            return;
        }
        double[] curveLosses = batchLosses;
        if (window > 1) { // the mean loss of each window of consecutive batches
            curveLosses = new double[points];
            for (int p = 0; p < points; p++) {
                double sum = 0;
                for (int b = p * window; b < (p + 1) * window; b++) {
                    sum += batchLosses[b];
                }
                curveLosses[p] = sum / window;
            }
        }
        Diagnostics.LossCurve curve = Diagnostics.lossCurve(curveLosses, points);
        if (curve.bouncing()) {
            warned = true;
            run.warn("the training loss is bouncing up and down in epoch " + run.epoch() + " (" + curve.describe()
                    + "): " + Diagnostics.BOUNCING_ADVICE + "; it is " + run.learningRate() + " now");
        }
    }
}
