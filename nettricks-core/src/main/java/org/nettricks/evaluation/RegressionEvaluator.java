package org.nettricks.evaluation;

import org.nettricks.data.Dataset;
import org.nettricks.data.TargetScaling;
import org.nettricks.data.internal.Batches;
import org.nettricks.layers.Mode;
import org.nettricks.losses.RegressionLoss;
import org.nettricks.network.Network;
import org.nettricks.tensor.Matrix;

/**
 * Evaluates a regression network in {@link Mode#EVAL} on data whose targets are standardized
 * ({@link TargetScaling#standardize}): the mean loss in standardized units, and the
 * {@link RegressionMetrics} of the predictions turned back into the original units.
 */
public final class RegressionEvaluator {
    private final Network network;
    private final Dataset data;
    private final TargetScaling scaling;
    private final RegressionLoss loss;
    private final Batches batches;
    private final double[] originalTargets;

    /**
     * @param standardized data whose targets are standardized with {@code scaling}
     * @throws IllegalArgumentException when the data has no targets, or another number of targets
     *                                  or features than the network
     */
    public RegressionEvaluator(Network network, Dataset standardized, TargetScaling scaling, RegressionLoss loss) {
        if (!standardized.hasTargets()) {
            throw new IllegalArgumentException(standardized.source() + " has no regression targets to evaluate against");
        }
        if (standardized.featureCount() != network.architecture().inputSize()) {
            throw new IllegalArgumentException(standardized.source() + " has " + standardized.featureCount()
                    + " features but the network takes " + network.architecture().inputSize());
        }
        this.network = network;
        this.data = standardized;
        this.scaling = scaling;
        this.loss = loss;
        this.batches = new Batches(standardized, network.precision(), network.architecture().outputSize());
        this.originalTargets = standardized.targets().clone();
        scaling.unstandardize(originalTargets);
    }

    /**
     * The network's outputs for every example, row-major n × K, in standardized units (as the
     * targets of the data given): {@link TargetScaling#unstandardize} turns them into original units.
     */
    public double[] predictions() {
        int n = data.size();
        int k = network.architecture().outputSize();
        double[] out = new double[n * k];
        for (int start = 0; start < n; start += Evaluator.DEFAULT_BATCH_SIZE) {
            int count = Math.min(Evaluator.DEFAULT_BATCH_SIZE, n - start);
            Batches.Buffers b = batches.gather(null, start, count);
            Matrix o = network.forward(b.inputs, Mode.EVAL);
            for (int i = 0; i < count * k; i++) {
                out[start * k + i] = o.getFlat(i);
            }
        }
        return out;
    }

    /** One pass: the mean loss (standardized units) and the metrics in original units. */
    public RegressionMetrics evaluate() {
        double[] z = predictions();
        double sum = 0;
        double[] t = data.targets();
        for (int i = 0; i < z.length; i++) {
            sum += loss.loss(z[i] - t[i]);
        }
        scaling.unstandardize(z);
        return RegressionMetrics.of(scaling.names(), originalTargets, z, sum / z.length);
    }
}
