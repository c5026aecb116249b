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
 * sees the inputs it will see at test time. The variance is the population variance (1/N).
 */
public final class PopulationStatistics {
    private PopulationStatistics() {
    }

    /**
     * Replaces every batch-normalizing layer's running mean and variance by the training set's,
     * from the first layer to the last.
     */
    public static void compute(Network network, Dataset train) {
        Batches batches = new Batches(train, network.precision(), network.architecture().outputSize());
        int n = train.size();
        for (int k = 0; k < network.layers().size(); k++) {
            Layer candidate = network.layers().get(k);
            if (!(candidate instanceof BatchNormalizing layer) || !layer.normalizes()) {
                continue;
            }
            int units = layer.runningMean().value().cols();
            double[] sum = new double[units];
            double[] sumSquares = new double[units];
            for (int start = 0; start < n; start += Evaluator.DEFAULT_BATCH_SIZE) {
                int count = Math.min(Evaluator.DEFAULT_BATCH_SIZE, n - start);
                Matrix x = network.forwardTo(batches.gather(null, start, count).inputs, k);
                Matrix a = layer.valuesToNormalize(x);
                for (int r = 0; r < count; r++) {
                    for (int j = 0; j < units; j++) {
                        double v = a.getFlat(r * units + j);
                        sum[j] += v;
                        sumSquares[j] += v * v;
                    }
                }
            }
            Buffer mean = layer.runningMean();
            Buffer variance = layer.runningVariance();
            for (int j = 0; j < units; j++) {
                double mu = sum[j] / n;
                mean.value().setFlat(j, mu);
                variance.value().setFlat(j, Math.max(0.0, sumSquares[j] / n - mu * mu));
            }
        }
    }
}
