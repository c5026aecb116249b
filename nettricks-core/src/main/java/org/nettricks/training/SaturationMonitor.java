package org.nettricks.training;

import java.util.ArrayList;
import java.util.List;

import org.nettricks.monitoring.Diagnostics;
import org.nettricks.network.Network;

/**
 * Warns once per run when hidden units are saturated (sigmoid/tanh in their flat regions, ReLUs
 * dead on the whole batch), measured on the first batch of each epoch: more than
 * {@link Diagnostics#FLAGGED_SHARE} of a layer before the first update (an initialization
 * problem), more than {@link Diagnostics#TRAINING_FLAGGED_SHARE} later (the learning rate).
 * Batches of fewer than {@value #MIN_EXAMPLES} examples are not judged: a ReLU that is zero on one
 * example is not dead (about half of them are, for any one example), so per-example SGD gets no
 * warning here; {@code nettricks diagnose} measures saturation on 256 examples whatever the batch.
 */
public final class SaturationMonitor implements Callback {
    private final Network network;
    private final int firstLayer;
    private boolean warned;

    public SaturationMonitor(Network network) {
        this(network, 0);
    }

    /** A monitor of the layers from {@code firstLayer} (a {@link Network#frozenPrefix}) on. */
    public SaturationMonitor(Network network, int firstLayer) {
        this.network = network;
        this.firstLayer = firstLayer;
    }

    @Override
    public void onTrainBegin(TrainingRun run) {
        warned = false;
    }

    /** Whether it warned (once per run). */
    @Override
    public void saveState(TrainingState state) {
        state.putBoolean("warned", warned);
    }

    @Override
    public void restoreState(TrainingState state, TrainingRun run) {
        warned = state.getBoolean("warned");
    }

    /** The fewest examples in a batch whose saturation is judged. */
    public static final int MIN_EXAMPLES = 32;

    @Override
    public void afterBackward(TrainingRun run, double loss) {
        if (run.step() != 1 || warned || run.task().exampleCount() / run.batchCount() < MIN_EXAMPLES) {
            return;
        }
        int epoch = run.epoch();
        double share = epoch == 1 ? Diagnostics.FLAGGED_SHARE : Diagnostics.TRAINING_FLAGGED_SHARE;
        List<String> flagged = new ArrayList<>();
        for (Diagnostics.LayerSaturation s : Diagnostics.saturation(network, firstLayer)) {
            if (s.flagged(share)) {
                flagged.add(s.describe());
            }
        }
        if (flagged.isEmpty()) {
            return;
        }
        warned = true;
        run.warn(epoch == 1
                ? "saturated units before the first update: " + String.join("; ", flagged) + ": "
                        + Diagnostics.SATURATION_ADVICE
                : "saturated units at the start of epoch " + epoch + ": " + String.join("; ", flagged) + ": "
                        + Diagnostics.SATURATION_DURING_TRAINING_ADVICE);
    }
}
