package org.nettricks.training;

import org.nettricks.data.Dataset;
import org.nettricks.network.Network;

/**
 * The lecture's final phase of batch normalization, at the end of a run (after early stopping has
 * restored the best epoch): replaces every batch-normalized layer's running averages by exact
 * population statistics from a pass over the training set ({@link PopulationStatistics}).
 */
public final class BatchNormFinalPass implements Callback {
    private final Network network;
    private final Dataset train;
    private final int firstLayer;

    public BatchNormFinalPass(Network network, Dataset train) {
        this(network, train, 0);
    }

    /**
     * A final pass over the layers from {@code firstLayer} (an index into {@link Network#layers()},
     * a {@link Network#frozenPrefix}) on: frozen layers keep the statistics they started with.
     */
    public BatchNormFinalPass(Network network, Dataset train, int firstLayer) {
        this.network = network;
        this.train = train;
        this.firstLayer = firstLayer;
    }

    @Override
    public void onTrainEnd(TrainingRun run) {
        PopulationStatistics.compute(network, train, firstLayer);
    }
}
