package org.nettricks.training;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.data.Dataset;
import org.nettricks.layers.BatchNormalizing;
import org.nettricks.layers.Layer;
import org.nettricks.network.Network;
import org.nettricks.optim.Optimizer;
import org.nettricks.regularization.GradientTransform;

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
 */
public final class Trainer {
    private final Optimizer optimizer;
    private final TrainingConfig config;
    private final List<GradientTransform> extraTransforms;

    public Trainer(Optimizer optimizer, TrainingConfig config) {
        this(optimizer, config, List.of());
    }

    /**
     * A trainer whose gradient chain is the config's (penalty, then clipping by norm) followed by
     * {@code extraTransforms}, in order: the way to add a transform of one's own from Java.
     */
    public Trainer(Optimizer optimizer, TrainingConfig config, List<? extends GradientTransform> extraTransforms) {
        this.optimizer = optimizer;
        this.config = config;
        this.extraTransforms = List.copyOf(extraTransforms);
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
        if (config.earlyStopping() != null && validation == null) {
            throw new IllegalArgumentException("early stopping needs a validation set");
        }
        if (Math.min(config.batchSize(), train.size()) == 1 && normalizes(network)) {
            throw new IllegalArgumentException("batch-size must be at least 2 with batch normalization: normalizing"
                    + " one example sets every unit to 0 (a last, smaller batch of one is fine)");
        }
        ClassificationTask task = new ClassificationTask(network, train, validation);
        List<Callback> callbacks = new ArrayList<>();
        callbacks.add(new DivergenceGuard());
        callbacks.add(new SaturationMonitor(network));
        callbacks.add(new BouncingLossMonitor());
        callbacks.add(new ProgressCallback(listener));
        if (config.earlyStopping() != null) {
            callbacks.add(new EarlyStopping(config.earlyStopping()));
        }
        if (config.finalPass()) {
            callbacks.add(new BatchNormFinalPass(network, train));
        }
        callbacks.addAll(extraCallbacks);
        List<GradientTransform> chain = new ArrayList<>(config.gradientChain());
        chain.addAll(extraTransforms);
        TrainingLoop loop = new TrainingLoop(optimizer, new TrainingLoop.Settings(config.epochs(), config.batchSize(),
                false, config.learningRate(), config.schedule()), chain, callbacks);
        return loop.run(task, random, listener, network.backend(), checkpointing);
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
