package org.nettricks.training;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.data.Dataset;
import org.nettricks.data.TargetScaling;
import org.nettricks.evaluation.RegressionEvaluator;
import org.nettricks.losses.RegressionLoss;
import org.nettricks.evaluation.Evaluation;
import org.nettricks.evaluation.Evaluator;
import org.nettricks.evaluation.Metric;
import org.nettricks.layers.BatchNormalizing;
import org.nettricks.layers.Layer;
import org.nettricks.network.Network;
import org.nettricks.optim.Optimizer;
import org.nettricks.regularization.GradientTransform;
import org.nettricks.regularization.Penalty;

/**
 * Supervised training of a network with the lecture's tricks: the {@link TrainingLoop} on a
 * {@link ClassificationTask}, with the gradient chain of the {@link TrainingConfig} (weight
 * penalty, then clipping) followed by any transforms given to the constructor, and the standard
 * callbacks, in this order:
 * <ol>
 *   <li>{@link DivergenceGuard}: a NaN or infinity in the loss, a gradient or a parameter, or an
 *       exploding loss, stops training at that step with a {@link TrainingDivergedException}, the
 *       network holding the parameters of the last good step;</li>
 *   <li>{@link SaturationMonitor} and {@link BouncingLossMonitor}: one warning each, through
 *       {@link TrainingListener#onWarning};</li>
 *   <li>{@link ProgressCallback}: the listener's progress;</li>
 *   <li>{@link EarlyStopping}, when configured: keep the best epoch's parameters, stop after
 *       {@code patience} epochs without improvement, restore the best;</li>
 *   <li>{@link BatchNormFinalPass}, unless the running averages are to be kept;</li>
 *   <li>any further callbacks given to {@link #fit(Network, Dataset, Dataset, RandomGenerator,
 *       TrainingListener, List)}.</li>
 * </ol>
 * The trainer owns everything that belongs to a run (optimizer state, shuffling order, batch
 * buffers, early-stopping counters); the network keeps only its parameters and buffers.
 *
 * <p>Continuing from a saved model (warm start): {@link #frozen(int)} keeps the first hidden layers
 * fixed, and {@link #reportingEpochZero(boolean)} reports the network's figures before any update.
 */
public final class Trainer {
    private final Optimizer optimizer;
    private final TrainingConfig config;
    private final List<GradientTransform> extraTransforms;
    private final int frozenHidden;
    private final boolean epochZero;
    private final TargetScaling scaling;
    private final RegressionLoss regressionLoss;
    private final Metric monitor;

    public Trainer(Optimizer optimizer, TrainingConfig config) {
        this(optimizer, config, List.of());
    }

    private Trainer(Optimizer optimizer, TrainingConfig config, List<GradientTransform> extraTransforms,
                    int frozenHidden, boolean epochZero, TargetScaling scaling, RegressionLoss regressionLoss,
                    Metric monitor) {
        this.optimizer = optimizer;
        this.config = config;
        this.extraTransforms = extraTransforms;
        this.frozenHidden = frozenHidden;
        this.epochZero = epochZero;
        this.scaling = scaling;
        this.regressionLoss = regressionLoss;
        this.monitor = monitor;
    }

    /**
     * This trainer fitting a regression network ({@link RegressionTask}) instead of a classifier:
     * the data given to {@link #fit} must hold targets standardized with {@code scaling}. Early
     * stopping's monitor must then be a regression metric ({@link Metric#forRegression()}); the
     * reports' validation "error" is the validation RMSE in original units, averaged over targets,
     * and the training "error" the epoch's running training RMSE when it is exact from the batch
     * losses (one target, squared error: {@link RegressionTask#trainingError(double)}), else NaN.
     * Class weights do not apply.
     */
    public Trainer regression(TargetScaling scaling, RegressionLoss loss) {
        if (scaling == null || loss == null) {
            throw new IllegalArgumentException("regression needs the targets' scaling and a loss");
        }
        return new Trainer(optimizer, config, extraTransforms, frozenHidden, epochZero, scaling, loss, monitor);
    }

    /**
     * This trainer computing {@code metric} on the validation set after every epoch, from the same
     * pass as the validation loss and error ({@link EpochReport#monitored()}, for a metric other
     * than those two): what a search ranks trials by and prunes on. Early stopping watches its own
     * configured monitor ({@link EarlyStopping.Config#monitor()}); when both are set they must be
     * the same. Null (the default): the early-stopping monitor's, if any.
     *
     * @throws IllegalArgumentException when early stopping is configured with another metric
     */
    public Trainer monitoring(Metric metric) {
        if (metric != null && config.earlyStopping() != null && !config.earlyStopping().monitor().equals(metric)) {
            throw new IllegalArgumentException("early stopping monitors " + config.earlyStopping().monitor()
                    + ", not " + metric);
        }
        return new Trainer(optimizer, config, extraTransforms, frozenHidden, epochZero, scaling, regressionLoss,
                metric);
    }

    /** The metric the tasks compute each epoch: the set one, else early stopping's, else null. */
    private Metric monitored() {
        return monitor != null ? monitor : config.earlyStopping() != null ? config.earlyStopping().monitor() : null;
    }

    /**
     * This trainer with the first {@code hiddenLayers} hidden layers frozen (the lecture's "fix the
     * parameters of previous hidden layers"): their weights, biases and batch normalization's γ and
     * β get no gradient, no optimizer update, no weight penalty and no clipping share; they run as at
     * inference, as Keras's transfer-learning recipe {@code base_model(x, training=False)} does (batch
     * normalization with its stored statistics, which stay as they are, also through the final pass;
     * no dropout on their units, nor on the inputs); the saturation warning leaves them out. 0 (the
     * default) trains every layer. Checked against the network in {@link #fit}: at most its number
     * of hidden layers.
     *
     * @throws IllegalArgumentException when {@code hiddenLayers} is negative
     */
    public Trainer frozen(int hiddenLayers) {
        if (hiddenLayers < 0) {
            throw new IllegalArgumentException("freeze must be at least 0, got " + hiddenLayers);
        }
        return new Trainer(optimizer, config, extraTransforms, hiddenLayers, epochZero, scaling, regressionLoss,
                monitor);
    }

    /**
     * This trainer reporting, when {@code on}, an "epoch 0" before the first update: the mean loss
     * (nats) and error of the network as it starts, on the training set and on the validation set,
     * both in {@link org.nettricks.layers.Mode#EVAL} (the epochs' training figures are measured
     * during the epoch, in training mode), and λΩ(θ) of the trained parameters; learning rate and
     * examples per second NaN, 0 seconds. It goes to {@link TrainingListener#onEpochEnd} and to
     * {@link TrainingHistory#initial()}. What a warm-started run reports first: the saved model's
     * figures on the new data. For regression the "error" columns are the RMSEs in original units,
     * averaged over the targets, on the training and on the validation set.
     */
    public Trainer reportingEpochZero(boolean on) {
        return new Trainer(optimizer, config, extraTransforms, frozenHidden, on, scaling, regressionLoss, monitor);
    }

    /**
     * A trainer whose gradient chain is the config's (penalty, then clipping by norm) followed by
     * {@code extraTransforms}, in order: the way to add a transform of one's own from Java.
     */
    public Trainer(Optimizer optimizer, TrainingConfig config, List<? extends GradientTransform> extraTransforms) {
        this(optimizer, config, List.copyOf(extraTransforms), 0, false, null, null, null);
    }

    /**
     * Trains {@code network} in place.
     *
     * @param validation evaluated after every epoch; may be null (not with early stopping)
     * @param random     reshuffles the training set each epoch and draws the dropout masks
     * @throws TrainingDivergedException when training diverges
     * @throws IllegalArgumentException  when the data does not fit the network, or early stopping
     *                                   has no validation set
     */
    public TrainingHistory fit(Network network, Dataset train, Dataset validation, RandomGenerator random,
                               TrainingListener listener) {
        return fit(network, train, validation, random, listener, List.of());
    }

    /** As {@link #fit(Network, Dataset, Dataset, RandomGenerator, TrainingListener)}, with more callbacks after the standard ones. */
    public TrainingHistory fit(Network network, Dataset train, Dataset validation, RandomGenerator random,
                               TrainingListener listener, List<? extends Callback> extraCallbacks) {
        return fit(network, train, validation, random, listener, extraCallbacks, null);
    }

    /**
     * As {@link #fit(Network, Dataset, Dataset, RandomGenerator, TrainingListener, List)}, writing
     * checkpoints and resuming from one ({@link TrainingLoop#run(TrainingTask, RandomGenerator,
     * TrainingListener, org.nettricks.tensor.Backend, TrainingLoop.Checkpointing)}); {@code random}
     * must then be a {@link org.nettricks.random.SplitMix64}.
     *
     * @param checkpointing null for none
     */
    public TrainingHistory fit(Network network, Dataset train, Dataset validation, RandomGenerator random,
                               TrainingListener listener, List<? extends Callback> extraCallbacks,
                               TrainingLoop.Checkpointing checkpointing) {
        Setup setup = setup(network, train, validation, listener, extraCallbacks);
        TrainingTask task = setup.task();
        List<GradientTransform> chain = setup.chain();
        TrainingLoop loop = setup.loop();
        EpochReport initial = null;
        if (epochZero && (checkpointing == null || checkpointing.resumeFrom() == null)) {
            initial = epochZero(network, train, task, chain);
            listener.onEpochEnd(initial);
        }
        TrainingHistory history = loop.run(task, random, listener, network.backend(), checkpointing);
        return initial == null ? history : history.withInitial(initial);
    }

    /** The task, the gradient chain and the loop with its callbacks of one {@link #fit}. */
    private record Setup(TrainingTask task, List<GradientTransform> chain, TrainingLoop loop) {
    }

    private Setup setup(Network network, Dataset train, Dataset validation, TrainingListener listener,
                        List<? extends Callback> extraCallbacks) {
        if (config.earlyStopping() != null && validation == null) {
            throw new IllegalArgumentException("early stopping needs a validation set");
        }
        if (Math.min(config.batchSize(), train.size()) == 1 && normalizes(network)) {
            throw new IllegalArgumentException("batch-size must be at least 2 with batch normalization: normalizing"
                    + " one example sets every unit to 0 (a last, smaller batch of one is fine)");
        }
        TrainingTask task;
        int firstTrained;
        if (scaling != null) {
            Metric m = monitored();
            if (m != null && !m.forRegression()) {
                throw new IllegalArgumentException("monitor " + m + " is not a regression metric; regression monitors "
                        + Metric.names(true));
            }
            RegressionTask r = new RegressionTask(network, train, validation, scaling, regressionLoss, frozenHidden, m);
            task = r;
            firstTrained = r.frozenLayers();
        } else {
            Metric m = monitored();
            if (m != null && !m.forClassification()) {
                throw new IllegalArgumentException("monitor " + m + " is not a classification metric; classification"
                        + " monitors " + Metric.names(false));
            }
            ClassificationTask c = new ClassificationTask(network, train, validation, frozenHidden,
                    config.classWeights().perClass(train.labels(), network.architecture().outputSize()), m);
            task = c;
            firstTrained = c.frozenLayers();
        }
        List<Callback> callbacks = new ArrayList<>();
        callbacks.add(new DivergenceGuard());
        callbacks.add(new SaturationMonitor(network, firstTrained));
        callbacks.add(new BouncingLossMonitor());
        callbacks.add(new ProgressCallback(listener));
        if (config.earlyStopping() != null) {
            callbacks.add(new EarlyStopping(config.earlyStopping()));
        }
        if (config.finalPass()) {
            callbacks.add(new BatchNormFinalPass(network, train, firstTrained));
        }
        callbacks.addAll(extraCallbacks);
        List<GradientTransform> chain = new ArrayList<>(config.gradientChain());
        chain.addAll(extraTransforms);
        TrainingLoop loop = new TrainingLoop(optimizer, new TrainingLoop.Settings(config.epochs(), config.batchSize(),
                false, config.learningRate(), config.schedule()), chain, callbacks);
        return new Setup(task, chain, loop);
    }

    /**
     * Checks, without training and without touching {@code network}, that a checkpoint's state fits
     * the run {@link #fit} would make with these arguments: it is restored into a copy of the
     * network (same architecture, precision, backend and batch-norm ε), with this trainer's standard
     * callbacks ({@link TrainingLoop#verifyResume}); callbacks of one's own are not checked here.
     * Needs memory for a second copy of the parameters and of the optimizer's state while it runs.
     *
     * @throws org.nettricks.InvalidInputException naming the checkpoint and the first entry that does not fit
     */
    public void verifyResume(Network network, Dataset train, Dataset validation, TrainingState state) {
        Network copy = new Network(network.architecture(), network.precision(), network.backend(),
                network.batchNormEpsilon());
        Setup setup = setup(copy, train, validation, TrainingListener.NONE, List.of());
        setup.loop().verifyResume(setup.task(), state);
    }

    /** The figures of the network before any update (see {@link #reportingEpochZero}). */
    private EpochReport epochZero(Network network, Dataset train, TrainingTask task,
                                  List<GradientTransform> chain) {
        double trainLoss;
        double trainError;
        if (scaling != null) {
            org.nettricks.evaluation.RegressionMetrics t = new RegressionEvaluator(network, train, scaling,
                    regressionLoss).evaluate();
            trainLoss = t.loss();
            trainError = t.meanRmse(); // exact here (one evaluation pass), whatever the targets and loss
        } else {
            Evaluation t = new Evaluator(network, train).evaluate();
            trainLoss = t.loss();
            trainError = t.error();
        }
        TrainingTask.Validation v = task.validate();
        double penalty = 0;
        for (GradientTransform g : chain) {
            if (g instanceof Penalty p) {
                penalty += p.value(task.parameters());
            }
        }
        return new EpochReport(0, trainLoss, penalty, trainError, v == null ? Double.NaN : v.loss(),
                v == null ? Double.NaN : v.error(), Double.NaN, 0, Double.NaN, v == null ? Double.NaN : v.monitored());
    }

    /** Whether some layer of {@code network} batch-normalizes. */
    private static boolean normalizes(Network network) {
        for (Layer layer : network.layers()) {
            if (layer instanceof BatchNormalizing b && b.normalizes()) {
                return true;
            }
        }
        return false;
    }
}
