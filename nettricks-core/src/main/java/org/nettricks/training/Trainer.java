package org.nettricks.training;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.data.Dataset;
import org.nettricks.data.Splits;
import org.nettricks.monitoring.Diagnostics;
import org.nettricks.layers.Mode;
import org.nettricks.layers.Parameter;
import org.nettricks.losses.SoftmaxCrossEntropy;
import org.nettricks.network.Network;
import org.nettricks.optim.Optimizer;
import org.nettricks.optim.OptimizerState;
import org.nettricks.tensor.Matrix;
import org.nettricks.evaluation.Evaluation;
import org.nettricks.evaluation.Evaluator;
import org.nettricks.data.Batches;

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
 * Guards watch every step at almost no cost (the optimizer checks that every updated value is
 * finite in its own pass; the previous parameters are kept by its commit/revert, not copied): a NaN or infinity in
 * the loss, a gradient or a parameter, or a loss above {@link #DIVERGENCE_FACTOR} times the first
 * step's, stops training at that step with a
 * {@link TrainingDivergedException}, the network holding the parameters of the last good step;
 * saturated units (on the first batch of each epoch: more than 25% of a layer before the first
 * update, more than 60% later) and a bouncing loss (over each epoch's batches) raise one warning
 * each, through {@link TrainingListener#onWarning}.
 * The trainer owns everything that belongs to a run (optimizer state, shuffling order, batch
 * buffers, early-stopping counters); the network keeps only its parameters and buffers.
 */
public final class Trainer {
    /**
     * A mini-batch loss above this many times the first step's loss (or ln C, if larger) means
     * training diverged: for 10 classes, 115 nats, a probability of e^−115 on the true class.
     */
    public static final double DIVERGENCE_FACTOR = 50;

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
        OptimizerState state = optimizer.createState(parameters).runOn(network.backend());
        Batches batches = new Batches(train, network.precision(), network.architecture().outputSize());
        Evaluator validator = validation == null ? null : new Evaluator(network, validation);
        EarlyStopping stopping = config.earlyStopping() == null ? null : new EarlyStopping(config.earlyStopping());
        List<Matrix> best = null;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        List<EpochReport> reports = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        boolean stoppedEarly = false;
        List<Matrix> buffersBefore = copies(network);
        double[] batchLosses = new double[batchCount];
        boolean warnedSaturation = false;
        boolean warnedBouncing = false;
        double firstLoss = Double.NaN;
        for (int epoch = 1; epoch <= config.epochs(); epoch++) {
            double learningRate = config.schedule().rate(config.learningRate(), epoch - 1, config.epochs());
            listener.onEpochStart(epoch, batchCount);
            long started = System.nanoTime();
            Splits.shuffle(order, random);
            double sumLoss = 0;
            long errors = 0;
            for (int b = 0; b < batchCount; b++) {
                int start = b * batchSize;
                int count = Math.min(batchSize, n - start);
                Batches.Buffers buf = batches.gather(order, start, count);
                saveBuffers(network, buffersBefore);
                Matrix logits = network.forward(buf.inputs, Mode.TRAIN, random);
                double loss = SoftmaxCrossEntropy.meanLossAndGradient(network.backend(), logits, buf.labels,
                        buf.gradLogits, buf.predictions);
                if (Double.isNaN(firstLoss)) {
                    firstLoss = loss;
                }
                if (!Double.isFinite(loss)) {
                    throw diverged(network, buffersBefore, epoch, b + 1, "the loss is " + loss + " ("
                            + overflowingLayer(network) + ")", learningRate, reports);
                }
                double limit = DIVERGENCE_FACTOR * Math.max(firstLoss, Math.log(network.architecture().outputSize()));
                if (loss > limit) {
                    network.backward(buf.gradLogits);
                    throw diverged(network, buffersBefore, epoch, b + 1, String.format(java.util.Locale.ROOT,
                            "the loss %.4g exceeds %.0f times the first step's %.4g (the largest gradient"
                                    + " relative to its tensor is that of %s)", loss, DIVERGENCE_FACTOR, firstLoss,
                            largestRelativeGradient(parameters)), learningRate, reports);
                }
                if (b == 0 && !warnedSaturation) {
                    String saturated = saturationWarning(network, epoch == 1 ? Diagnostics.FLAGGED_SHARE
                            : Diagnostics.TRAINING_FLAGGED_SHARE, epoch);
                    if (saturated != null) {
                        warnedSaturation = true;
                        warnings.add(saturated);
                        listener.onWarning(saturated);
                    }
                }
                network.backward(buf.gradLogits);
                config.penalty().addGradient(parameters);
                if (config.clipping() != null) {
                    config.clipping().apply(parameters);
                }
                if (!optimizer.step(parameters, state, learningRate)) {
                    // a NaN gradient makes a NaN update: name the first cause
                    String what = null;
                    for (Parameter q : parameters) {
                        if (what == null && !q.gradient().allFinite()) {
                            what = "the gradient of " + q.name() + " holds NaN or infinity";
                        }
                    }
                    for (Parameter q : parameters) {
                        if (what == null && !q.value().allFinite()) {
                            what = "the update made " + q.name() + " NaN or infinite";
                        }
                    }
                    throw diverged(network, buffersBefore, epoch, b + 1,
                            what == null ? "an updated value is NaN or infinite" : what, learningRate, reports);
                }
                sumLoss += loss * count;
                batchLosses[b] = loss;
                for (int i = 0; i < count; i++) {
                    if (buf.predictions[i] != buf.labels[i]) {
                        errors++;
                    }
                }
                listener.onBatchEnd(epoch, b + 1, batchCount, loss);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            if (!warnedBouncing && batchCount >= 10) {
                Diagnostics.LossCurve curve = Diagnostics.lossCurve(batchLosses, batchCount);
                if (curve.bouncing()) {
                    warnedBouncing = true;
                    String w = "the training loss is bouncing up and down in epoch " + epoch + " (" + curve.describe()
                            + "): " + Diagnostics.BOUNCING_ADVICE + "; it is " + learningRate + " now";
                    warnings.add(w);
                    listener.onWarning(w);
                }
            }
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
            if (listener.stopRequested()) {
                break;
            }
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
        return new TrainingHistory(reports, bestEpoch, stoppedEarly, warnings);
    }

    private static String saturationWarning(Network network, double share, int epoch) {
        List<String> flagged = new ArrayList<>();
        for (Diagnostics.LayerSaturation s : Diagnostics.saturation(network)) {
            if (s.flagged(share)) {
                flagged.add(s.describe());
            }
        }
        if (flagged.isEmpty()) {
            return null;
        }
        return epoch == 1
                ? "saturated units before the first update: " + String.join("; ", flagged) + ": "
                        + Diagnostics.SATURATION_ADVICE
                : "saturated units at the start of epoch " + epoch + ": " + String.join("; ", flagged) + ": "
                        + Diagnostics.SATURATION_DURING_TRAINING_ADVICE;
    }

    /** Names the first layer whose pre-activations hold NaN or infinity after a forward pass. */
    private static String overflowingLayer(Network network) {
        for (int k = 0; k < network.denseLayers().size(); k++) {
            Matrix a = network.denseLayers().get(k).lastActivationInput();
            if (a != null && !a.allFinite()) {
                return "the pre-activations of layers." + k + " overflow";
            }
        }
        return "the logits overflow";
    }

    /** The parameter whose gradient is largest relative to its values, with the ratio of norms. */
    private static String largestRelativeGradient(List<Parameter> parameters) {
        String name = null;
        double worst = -1;
        for (Parameter p : parameters) {
            double g = 0;
            double v = 0;
            for (int i = 0; i < p.value().size(); i++) {
                g += p.gradient().getFlat(i) * p.gradient().getFlat(i);
                v += p.value().getFlat(i) * p.value().getFlat(i);
            }
            double ratio = Math.sqrt(g) / Math.max(Math.sqrt(v), 1e-12);
            if (ratio > worst) {
                worst = ratio;
                name = p.name();
            }
        }
        return String.format(java.util.Locale.ROOT, "%s, ‖∇‖/‖θ‖ = %.3g", name, worst);
    }

    /**
     * Puts the network back to the last good step and describes what happened. The optimizer's
     * commit/revert keeps the previous parameters without copying: a non-finite update is undone
     * (the parameters before this step); a loss that exploded undoes the update before it too (the
     * parameters that produced the exploded loss are not good).
     */
    private static TrainingDivergedException diverged(Network network, List<Matrix> buffersBefore, int epoch, int step,
                                                      String what, double learningRate, List<EpochReport> reports) {
        for (Parameter p : network.parameters()) {
            p.revert();
        }
        int i = 0;
        for (org.nettricks.layers.Buffer b : network.buffers()) {
            b.value().copyFrom(buffersBefore.get(i++));
        }
        return new TrainingDivergedException("training diverged at epoch " + epoch + ", step " + step + ": " + what
                + "; decrease the learning rate (it is " + learningRate + "), or clip the gradients (--clip-norm);"
                + " the parameters of the last good step are kept", epoch, step, reports);
    }

    private static List<Matrix> copies(Network network) {
        List<Matrix> out = new ArrayList<>();
        for (org.nettricks.layers.Buffer b : network.buffers()) {
            out.add(b.value().copy());
        }
        return out;
    }

    /** Batch normalization's running statistics before a forward pass (small: one row per layer). */
    private static void saveBuffers(Network network, List<Matrix> into) {
        List<org.nettricks.layers.Buffer> buffers = network.buffers();
        for (int i = 0; i < buffers.size(); i++) { // indexed: no iterator per step
            into.get(i).copyFrom(buffers.get(i).value());
        }
    }
}
