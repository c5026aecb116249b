package org.nettricks.training;

import org.nettricks.data.Dataset;
import org.nettricks.layers.Buffer;
import org.nettricks.layers.BatchNormalizing;
import org.nettricks.layers.Layer;
import org.nettricks.network.Network;
import org.nettricks.tensor.Matrix;
import org.nettricks.evaluation.Evaluator;
import org.nettricks.data.internal.Batches;

/**
 * The lecture's final phase of batch normalization: "from the first to the last hidden layer,
 * 1. propagate all training data to that layer, 2. compute and store the global mean and stddev of
 * each unit". Layers below use their already final statistics, so each batch-normalized layer
 * sees the inputs it will see at test time. The mean is Σa / N; the variance, the population
 * variance (1/N), is computed by Chan, Golub and LeVeque's pairwise update of the sums of squared
 * deviations (each batch's from its own mean, merged), not as E[a²] − μ², which loses digits when
 * the mean is large against the spread (inputs of 1e5 ± 1: a relative error of 2.8e-5).
 */
public final class PopulationStatistics {
    private PopulationStatistics() {
    }

    /**
     * Replaces every batch-normalizing layer's running mean and variance by the training set's,
     * from the first layer to the last.
     */
    public static void compute(Network network, Dataset train) {
        compute(network, train, 0);
    }

    /**
     * As {@link #compute(Network, Dataset)} for the layers from {@code firstLayer} (an index into
     * {@link Network#layers()}) on: the statistics of the layers below, frozen ones, stay as they are.
     */
    public static void compute(Network network, Dataset train, int firstLayer) {
        Batches batches = new Batches(train, network.precision(), network.architecture().outputSize());
        int n = train.size();
        for (int k = firstLayer; k < network.layers().size(); k++) {
            Layer candidate = network.layers().get(k);
            if (!(candidate instanceof BatchNormalizing layer) || !layer.normalizes()) {
                continue;
            }
            int units = layer.runningMean().value().cols();
            // Chan, Golub and LeVeque's pairwise update: each batch's sum of squared deviations from its
            // own mean (two passes over the batch), merged into the running one; E[a²] − μ² lost digits
            double[] sum = new double[units];
            double[] runningMean = new double[units];
            double[] m2 = new double[units];
            double[] batchSum = new double[units];
            long seen = 0;
            for (int start = 0; start < n; start += Evaluator.DEFAULT_BATCH_SIZE) {
                int count = Math.min(Evaluator.DEFAULT_BATCH_SIZE, n - start);
                Matrix x = network.forwardTo(batches.gather(null, start, count).inputs, k);
                Matrix a = layer.valuesToNormalize(x);
                java.util.Arrays.fill(batchSum, 0.0);
                for (int r = 0; r < count; r++) {
                    for (int j = 0; j < units; j++) {
                        double v = a.getFlat(r * units + j);
                        sum[j] += v; // summed in the same order as before: the same means, bit for bit
                        batchSum[j] += v;
                    }
                }
                for (int j = 0; j < units; j++) {
                    double batchMean = batchSum[j] / count;
                    double batchM2 = 0;
                    for (int r = 0; r < count; r++) {
                        double d = a.getFlat(r * units + j) - batchMean;
                        batchM2 += d * d;
                    }
                    double delta = batchMean - runningMean[j];
                    long total = seen + count;
                    runningMean[j] += delta * count / total;
                    m2[j] += batchM2 + delta * delta * ((double) seen * count / total);
                }
                seen += count;
            }
            Buffer mean = layer.runningMean();
            Buffer variance = layer.runningVariance();
            for (int j = 0; j < units; j++) {
                double mu = sum[j] / n;
                mean.value().setFlat(j, mu);
                variance.value().setFlat(j, m2[j] / n);
            }
        }
    }
}
