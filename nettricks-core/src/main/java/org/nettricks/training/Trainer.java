package org.nettricks.training;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.data.Dataset;
import org.nettricks.data.Splits;
import org.nettricks.layers.Mode;
import org.nettricks.layers.Parameter;
import org.nettricks.losses.SoftmaxCrossEntropy;
import org.nettricks.network.Network;
import org.nettricks.optim.Optimizer;
import org.nettricks.optim.OptimizerState;
import org.nettricks.tensor.Matrix;

/**
 * Mini-batch training, the lecture's SGD loop over epochs:
 * <pre>
 * for each epoch: reshuffle the training set
 *   for each mini-batch: forward, mean loss and its gradient, backward, optimizer step
 *   evaluate on the validation set
 * </pre>
 * The trainer owns everything that belongs to a run (optimizer state, shuffling order, batch
 * buffers); the network keeps only its parameters.
 */
public final class Trainer {
    private final Optimizer optimizer;
    private final TrainingConfig config;

    public Trainer(Optimizer optimizer, TrainingConfig config) {
        this.optimizer = optimizer;
        this.config = config;
    }

    /**
     * Trains {@code network} in place.
     *
     * @param validation evaluated after every epoch; may be null
     * @param shuffling  the generator that reshuffles the training set each epoch
     */
    public List<EpochReport> fit(Network network, Dataset train, Dataset validation, RandomGenerator shuffling,
                                 TrainingListener listener) {
        if (train.featureCount() != network.architecture().inputSize()) {
            throw new IllegalArgumentException(train.source() + " has " + train.featureCount()
                    + " features but the network takes " + network.architecture().inputSize());
        }
        int n = train.size();
        int batchSize = Math.min(config.batchSize(), n);
        int batchCount = (n + batchSize - 1) / batchSize;
        List<Parameter> parameters = network.parameters();
        OptimizerState state = optimizer.createState(parameters);
        Batches batches = new Batches(train, network.precision(), network.architecture().outputSize());
        Evaluator validator = validation == null ? null : new Evaluator(network, validation);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        List<EpochReport> reports = new ArrayList<>();
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            Splits.shuffle(order, shuffling);
            listener.onEpochStart(epoch, batchCount);
            long started = System.nanoTime();
            double sumLoss = 0;
            long errors = 0;
            for (int b = 0; b < batchCount; b++) {
                int start = b * batchSize;
                int count = Math.min(batchSize, n - start);
                Batches.Buffers buf = batches.gather(order, start, count);
                Matrix logits = network.forward(buf.inputs, Mode.TRAIN);
                double loss = SoftmaxCrossEntropy.meanLossAndGradient(network.backend(), logits, buf.labels,
                        buf.gradLogits, buf.predictions);
                network.backward(buf.gradLogits);
                optimizer.step(parameters, state, network.backend());
                sumLoss += loss * count;
                for (int i = 0; i < count; i++) {
                    if (buf.predictions[i] != buf.labels[i]) {
                        errors++;
                    }
                }
                listener.onBatchEnd(epoch, b + 1, batchCount, loss);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double valLoss = Double.NaN;
            double valError = Double.NaN;
            if (validator != null) {
                Evaluation v = validator.evaluate();
                valLoss = v.loss();
                valError = v.error();
            }
            EpochReport report = new EpochReport(epoch, sumLoss / n, (double) errors / n, valLoss, valError, seconds,
                    n / seconds);
            reports.add(report);
            listener.onEpochEnd(report);
        }
        return reports;
    }
}
