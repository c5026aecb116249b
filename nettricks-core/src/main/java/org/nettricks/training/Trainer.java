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
 * Mini-batch training, the lecture's SGD loop with its tricks:
 * <pre>
 * for each epoch e (α_e from the schedule): reshuffle the training set
 *   for each mini-batch:
 *     forward (dropout masks drawn, batch statistics), mean loss and its gradient, backward
 *     ∇θ += λ∇Ω(θ)                       (L1/L2, weights only)
 *     clip ∇ by global norm               (optional)
 *     optimizer step with α_e
 *   evaluate on the validation set (batch normalization uses its running averages)
 *   early stopping: keep the best parameters, stop after `patience` epochs without improvement
 * restore the best parameters; batch normalization's final pass over the training set
 * </pre>
 * The trainer owns everything that belongs to a run (optimizer state, shuffling order, batch
 * buffers, early-stopping counters); the network keeps only its parameters and buffers.
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
     * @param validation evaluated after every epoch; may be null (not with early stopping)
     * @param random     reshuffles the training set each epoch and draws the dropout masks
     */
    public TrainingHistory fit(Network network, Dataset train, Dataset validation, RandomGenerator random,
                               TrainingListener listener) {
        if (train.featureCount() != network.architecture().inputSize()) {
            throw new IllegalArgumentException(train.source() + " has " + train.featureCount()
                    + " features but the network takes " + network.architecture().inputSize());
        }
        if (config.earlyStopping() != null && validation == null) {
            throw new IllegalArgumentException("early stopping needs a validation set");
        }
        int n = train.size();
        int batchSize = Math.min(config.batchSize(), n);
        int batchCount = (n + batchSize - 1) / batchSize;
        List<Parameter> parameters = network.parameters();
        OptimizerState state = optimizer.createState(parameters);
        Batches batches = new Batches(train, network.precision(), network.architecture().outputSize());
        Evaluator validator = validation == null ? null : new Evaluator(network, validation);
        EarlyStopping stopping = config.earlyStopping() == null ? null : new EarlyStopping(config.earlyStopping());
        List<Matrix> best = null;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        List<EpochReport> reports = new ArrayList<>();
        boolean stoppedEarly = false;
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            double learningRate = config.schedule().rate(config.learningRate(), epoch - 1, config.epochs());
            Splits.shuffle(order, random);
            listener.onEpochStart(epoch, batchCount);
            long started = System.nanoTime();
            double sumLoss = 0;
            long errors = 0;
            for (int b = 0; b < batchCount; b++) {
                int start = b * batchSize;
                int count = Math.min(batchSize, n - start);
                Batches.Buffers buf = batches.gather(order, start, count);
                Matrix logits = network.forward(buf.inputs, Mode.TRAIN, random);
                double loss = SoftmaxCrossEntropy.meanLossAndGradient(network.backend(), logits, buf.labels,
                        buf.gradLogits, buf.predictions);
                network.backward(buf.gradLogits);
                config.penalty().addGradient(parameters);
                if (config.clipping() != null) {
                    config.clipping().apply(parameters);
                }
                optimizer.step(parameters, state, learningRate);
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
            EpochReport report = new EpochReport(epoch, sumLoss / n, config.penalty().value(parameters),
                    (double) errors / n, valLoss, valError, learningRate, seconds, n / seconds);
            reports.add(report);
            listener.onEpochEnd(report);
            if (stopping != null) {
                if (stopping.update(epoch, stopping.monitored(report))) {
                    best = network.snapshot();
                }
                if (stopping.shouldStop()) {
                    stoppedEarly = epoch < config.epochs();
                    break;
                }
            }
        }
        int bestEpoch = reports.size();
        if (stopping != null && best != null) {
            network.restore(best);
            bestEpoch = stopping.bestEpoch();
        }
        if (config.finalPass()) {
            PopulationStatistics.compute(network, train);
        }
        return new TrainingHistory(reports, bestEpoch, stoppedEarly);
    }
}
