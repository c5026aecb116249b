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
 * Batches of fewer than {@value #MIN_EXAMPLES} examples are not judged alone: a ReLU that is zero on
 * one example is not dead (about half of them are, for any one example). The first
 * ⌈{@value #MIN_EXAMPLES} / B⌉ batches of each epoch are then judged together, as one batch of at
 * least {@value #MIN_EXAMPLES} examples ({@link Diagnostics.SaturationWindow}); in the first epoch
 * with the share for "before the first update", since the updates of those few steps (a few dozen
 * per-example steps) barely move a network that starts saturated. {@code nettricks diagnose}
 * measures saturation on 256 examples whatever the batch.
 */
public final class SaturationMonitor implements Callback {
    private final Network network;
    private final int firstLayer;
    private boolean warned;
    /** Batches judged together at the start of each epoch: 1 for batches of at least MIN_EXAMPLES. */
    private int window = 1;
    private Diagnostics.SaturationWindow counts;

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
        int examplesPerBatch = Math.max(1, run.task().exampleCount() / run.batchCount());
        window = examplesPerBatch >= MIN_EXAMPLES || run.task().exampleCount() < MIN_EXAMPLES ? 1 : Math.min(run.batchCount(),
                (MIN_EXAMPLES + examplesPerBatch - 1) / examplesPerBatch);
        counts = window > 1 ? new Diagnostics.SaturationWindow(network, firstLayer) : null;
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
        if (warned || run.step() > window) {
            return;
        }
        int epoch = run.epoch();
        double share = epoch == 1 ? Diagnostics.FLAGGED_SHARE : Diagnostics.TRAINING_FLAGGED_SHARE;
        List<Diagnostics.LayerSaturation> measured;
        if (counts == null) {
            if (run.task().exampleCount() / run.batchCount() < MIN_EXAMPLES) {
                return; // fewer examples in the whole epoch than a judgement needs
            }
            measured = Diagnostics.saturation(network, firstLayer);
        } else {
            if (run.step() == 1) {
                counts.clear();
            }
            counts.add();
            // judged inside the epoch's steps: nothing is allocated unless there is something to say
            if (run.step() < window || !counts.anyFlagged(share)) {
                return;
            }
            measured = counts.saturation();
        }
        List<String> flagged = new ArrayList<>();
        for (Diagnostics.LayerSaturation s : measured) {
            if (s.flagged(share)) {
                flagged.add(s.describe());
            }
        }
        if (flagged.isEmpty()) {
            return;
        }
        warned = true;
        String when = counts == null ? (epoch == 1 ? "before the first update" : "at the start of epoch " + epoch)
                : "in the first " + window + " batches of epoch " + epoch + " (judged together as one batch)";
        run.warn("saturated units " + when + ": " + String.join("; ", flagged) + ": "
                + (epoch == 1 ? Diagnostics.SATURATION_ADVICE : Diagnostics.SATURATION_DURING_TRAINING_ADVICE));
    }
}
