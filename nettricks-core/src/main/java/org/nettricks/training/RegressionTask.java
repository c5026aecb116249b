package org.nettricks.training;

import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.data.Dataset;
import org.nettricks.data.TargetScaling;
import org.nettricks.data.internal.Batches;
import org.nettricks.evaluation.Metric;
import org.nettricks.evaluation.RegressionEvaluator;
import org.nettricks.evaluation.RegressionMetrics;
import org.nettricks.layers.Buffer;
import org.nettricks.layers.Mode;
import org.nettricks.layers.Parameter;
import org.nettricks.losses.RegressionLoss;
import org.nettricks.network.Network;
import org.nettricks.tensor.Matrix;

/**
 * Supervised training of a regression network: K linear output units (the network's last affine
 * layer, no softmax) fitted to the standardized targets z = (y − μ)/σ ({@link TargetScaling}) with
 * a {@link RegressionLoss} (squared error or Huber, PyTorch's definitions, mean over the B examples
 * of the batch and the K targets), whose gradient ∂L/∂o is backpropagated through the network as
 * the classification task backpropagates ∂L/∂a(L+1).
 *
 * <p>Reports: the training loss is that mean loss in standardized units; validation, after each
 * epoch in {@link Mode#EVAL}, gives the mean validation loss in standardized units and, in place of
 * a classification error, the validation RMSE in the original units, averaged over the targets
 * ({@link RegressionMetrics#meanRmse()}), and the figure of the monitored {@link Metric} when it is
 * another one (MSE, MAE, R²), from the same pass. The task counts no errors ({@link #classifies()} false).
 *
 * <p>With per-example weights s_t ({@link Dataset#weights()}, a CSV weight column) the loss is
 * {@code L = (1/(B·K)) Σ_t s_t Σ_k l(d_tk)}: each example's loss multiplied by its weight, the sum
 * still divided by B·K ({@link RegressionLoss#meanLossAndGradient(Matrix, double[], double[], Matrix)}).
 */
public final class RegressionTask implements TrainingTask {
    private final Network network;
    private final Dataset train;
    private final RegressionLoss loss;
    private final RegressionEvaluator validator;
    private final Batches batches;
    private final int frozenLayers;
    private final List<Parameter> trained;
    private final List<Buffer> trainedBuffers;
    private Batches.Buffers current;
    /** σ of the one unweighted target with squared error (the training RMSE is σ·√(mean loss)); 0 when not exact. */
    private final double rmseScale;
    private final Metric monitor;
    private final boolean exampleWeights;

    /**
     * @param train        training examples with standardized targets, one per network output
     * @param validation   validation examples with targets standardized the same way, or null
     * @param scaling      the standardization, to report validation figures in original units
     * @param frozenHidden K in [0, number of hidden layers]: hidden layers kept fixed (as
     *                     {@link ClassificationTask}'s)
     * @throws IllegalArgumentException when the data has no targets, or another number of features
     *                                  or targets than the network's inputs and outputs
     */
    public RegressionTask(Network network, Dataset train, Dataset validation, TargetScaling scaling,
                          RegressionLoss loss, int frozenHidden) {
        this(network, train, validation, scaling, loss, frozenHidden, null);
    }

    /**
     * As above, with the validation also giving the figure of {@code monitor}
     * ({@link TrainingTask.Validation#monitored()}).
     *
     * @param monitor a regression metric, or null (as {@code val-loss}: nothing more than the loss)
     * @throws IllegalArgumentException as above, or for a classification metric
     */
    public RegressionTask(Network network, Dataset train, Dataset validation, TargetScaling scaling,
                          RegressionLoss loss, int frozenHidden, Metric monitor) {
        if (monitor != null && !monitor.forRegression()) {
            throw new IllegalArgumentException("monitor " + monitor + " is not a regression metric");
        }
        this.monitor = monitor == null || monitor.isErrorOrLoss() ? null : monitor;
        this.exampleWeights = train.hasWeights();
        if (!train.hasTargets()) {
            throw new IllegalArgumentException(train.source() + " has no regression targets");
        }
        if (train.featureCount() != network.architecture().inputSize()) {
            throw new IllegalArgumentException(train.source() + " has " + train.featureCount()
                    + " features but the network takes " + network.architecture().inputSize());
        }
        if (train.targetCount() != network.architecture().outputSize() || scaling.count() != train.targetCount()) {
            throw new IllegalArgumentException(train.source() + " has " + train.targetCount() + " targets, the scaling "
                    + scaling.count() + ", the network " + network.architecture().outputSize() + " outputs");
        }
        this.network = network;
        this.train = train;
        this.loss = loss;
        this.validator = validation == null ? null : new RegressionEvaluator(network, validation, scaling, loss);
        this.batches = new Batches(train, network.precision(), network.architecture().outputSize());
        this.frozenLayers = network.frozenPrefix(frozenHidden);
        this.rmseScale = scaling.count() == 1 && loss.kind() == RegressionLoss.Kind.SQUARED_ERROR && !exampleWeights
                ? scaling.std()[0] : 0;
        this.trained = network.parameters(frozenLayers);
        this.trainedBuffers = network.buffers(frozenLayers);
    }

    /** The entries of the network's layers that run in EVAL and are not trained. */
    public int frozenLayers() {
        return frozenLayers;
    }

    @Override
    public List<Parameter> parameters() {
        return trained;
    }

    @Override
    public List<Buffer> buffers() {
        return trainedBuffers;
    }

    @Override
    public int exampleCount() {
        return train.size();
    }

    @Override
    public double forward(int[] order, int start, int count, RandomGenerator random) {
        current = batches.gather(order, start, count);
        Matrix outputs = network.forward(current.inputs, Mode.TRAIN, random, frozenLayers);
        return exampleWeights ? loss.meanLossAndGradient(outputs, current.targets, current.weights, current.gradLogits)
                : loss.meanLossAndGradient(outputs, current.targets, current.gradLogits);
    }

    @Override
    public void backward() {
        network.backward(current.gradLogits, frozenLayers);
    }

    @Override
    public int batchErrors() {
        return 0;
    }

    @Override
    public boolean classifies() {
        return false;
    }

    /**
     * The training RMSE in original units, σ·√(meanLoss), when it is exact: one target, the
     * squared-error loss and no example weights, whose batch loss is the mean of (o − z)² over the batch, so that the
     * epoch's mean loss is the mean squared error in standardized units over the N examples and
     * σ·√ of it the RMSE of ŷ = μ + σ·o (the running figure of the epoch, as the classification
     * error: the parameters change from batch to batch, dropout is on). NaN otherwise: with several
     * targets the mean of the per-target RMSEs is not a function of the loss averaged over targets,
     * the Huber loss is not the squared error, and with example weights s_t the loss is the weighted
     * mean (1/N) Σ s_t (o_t − z_t)², not the mean squared error.
     */
    @Override
    public double trainingError(double meanLoss) {
        return rmseScale > 0 ? rmseScale * Math.sqrt(meanLoss) : Double.NaN;
    }

    /** The validation loss (standardized units) and, as its "error", the mean validation RMSE in original units. */
    @Override
    public Validation validate() {
        if (validator == null) {
            return null;
        }
        RegressionMetrics m = validator.evaluate();
        return new Validation(m.loss(), m.meanRmse(), monitor == null ? Double.NaN : monitor.of(m));
    }

    /** 1: the squared error of predicting the mean of standardized targets (the Huber loss is at most that). */
    @Override
    public double referenceLoss() {
        return 1;
    }

    @Override
    public String describeOverflow() {
        return network.describeOverflow("outputs");
    }
}
