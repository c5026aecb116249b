package org.nettricks.training;

import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.data.internal.Batches;
import org.nettricks.data.Dataset;
import org.nettricks.evaluation.ClassificationMetrics;
import org.nettricks.evaluation.Evaluation;
import org.nettricks.evaluation.Evaluator;
import org.nettricks.evaluation.Metric;
import org.nettricks.layers.Buffer;
import org.nettricks.layers.Mode;
import org.nettricks.layers.Parameter;
import org.nettricks.losses.SoftmaxCrossEntropy;
import org.nettricks.network.Network;
import org.nettricks.tensor.Matrix;

/**
 * Supervised training of a classifier: the network's logits, softmax and the negative
 * log-likelihood of the true classes, averaged over the mini-batch,
 * <pre>L = (1/B) Σ_t −log softmax(a(L+1)(x⁽ᵗ⁾))_{y⁽ᵗ⁾}</pre>
 * and its gradient ∂L/∂a(L+1) = (softmax − onehot(y)) / B backpropagated through the network.
 * With class weights w (see {@link org.nettricks.losses.ClassWeights}) each example's loss and
 * gradient are multiplied by w_{y⁽ᵗ⁾}, and with example weights s_t (a CSV weight column,
 * {@link Dataset#weights()}) by s_t, by their product w_{y⁽ᵗ⁾}·s_t when both are given, still
 * divided by B (not by the sum of the weights):
 * <pre>L = (1/B) Σ_t w_{y⁽ᵗ⁾} s_t (−log softmax(a(L+1)(x⁽ᵗ⁾))_{y⁽ᵗ⁾})</pre>
 * the training loss it reports is that weighted loss. Validation after each epoch runs in
 * {@link Mode#EVAL} (batch normalization's running averages) and reports the unweighted loss and
 * error, comparable between runs, and, from the same pass, the figure of the monitored
 * {@link Metric} when it is another one (F1, ROC-AUC, …: {@link ClassificationMetrics} of the
 * validation probabilities).
 */
public final class ClassificationTask implements TrainingTask {
    private final Network network;
    private final Dataset train;
    private final Evaluator validator;
    private final Batches batches;
    private final double referenceLoss;
    private final double[] classWeights;
    private double[] batchWeights = new double[0];
    /** Whether the training examples carry weights of their own. */
    private final boolean exampleWeights;
    /** Entries of the network's layers run in EVAL and not trained ({@link Network#frozenPrefix}). */
    private final int frozenLayers;
    private final List<Parameter> trained;
    private final List<Buffer> trainedBuffers;
    private Batches.Buffers current;
    private int currentCount;
    private final Metric monitor;
    private final int[] validationLabels;
    /** The validation probabilities of the last pass (allocated at the first), for the monitored metric. */
    private Matrix validationProbabilities;

    /**
     * @param validation may be null
     * @throws IllegalArgumentException when the data's feature count differs from the network's input size
     */
    public ClassificationTask(Network network, Dataset train, Dataset validation) {
        this(network, train, validation, 0, null);
    }

    /**
     * A task that trains all but the first {@code frozenHidden} hidden layers: those run as at
     * inference ({@link Network#forward(Matrix, Mode, RandomGenerator, int)}), and their parameters
     * and buffers are neither in {@link #parameters()} (so no optimizer, penalty or clipping sees
     * them) nor in {@link #buffers()}.
     *
     * @param validation   may be null
     * @param frozenHidden K in [0, number of hidden layers]
     * @throws IllegalArgumentException when the data's feature count differs from the network's
     *                                  input size, or K is out of range
     */
    public ClassificationTask(Network network, Dataset train, Dataset validation, int frozenHidden) {
        this(network, train, validation, frozenHidden, null);
    }

    /**
     * A task with frozen layers (as above) and class weights.
     *
     * @param validation   may be null
     * @param frozenHidden K in [0, number of hidden layers]
     * @param classWeights one weight per class (finite, ≥ 0), or null for the unweighted loss
     * @throws IllegalArgumentException when the data's feature count differs from the network's
     *                                  input size, K is out of range, or the weights are not one per
     *                                  output class
     */
    public ClassificationTask(Network network, Dataset train, Dataset validation, int frozenHidden,
                              double[] classWeights) {
        this(network, train, validation, frozenHidden, classWeights, null);
    }

    /**
     * A task with frozen layers and class weights (as above) whose validation also computes the
     * figure of {@code monitor} ({@link TrainingTask.Validation#monitored()}) from the same pass.
     * The per-example weights of {@code train} ({@link Dataset#weights()}), when it has them,
     * multiply the loss too.
     *
     * @param monitor a classification metric, or null (as {@code val-error} and {@code val-loss}:
     *                nothing more than the loss and error)
     * @throws IllegalArgumentException as above, or for a regression metric, or a top-K accuracy
     *                                  whose K exceeds the number of classes
     */
    public ClassificationTask(Network network, Dataset train, Dataset validation, int frozenHidden,
                              double[] classWeights, Metric monitor) {
        int classes = network.architecture().outputSize();
        if (monitor != null && (!monitor.forClassification() || monitor.topK() > classes)) {
            throw new IllegalArgumentException("monitor " + monitor + " does not apply to a classifier of " + classes
                    + " classes");
        }
        this.monitor = monitor == null || monitor.isErrorOrLoss() ? null : monitor;
        this.validationLabels = validation == null ? null : validation.labels();
        this.exampleWeights = train.hasWeights();
        if (classWeights != null && classWeights.length != network.architecture().outputSize()) {
            throw new IllegalArgumentException(classWeights.length + " class weights for "
                    + network.architecture().outputSize() + " classes");
        }
        this.classWeights = classWeights == null ? null : classWeights.clone();
        if (train.featureCount() != network.architecture().inputSize()) {
            throw new IllegalArgumentException(train.source() + " has " + train.featureCount()
                    + " features but the network takes " + network.architecture().inputSize());
        }
        this.network = network;
        this.train = train;
        this.validator = validation == null ? null : new Evaluator(network, validation);
        this.batches = new Batches(train, network.precision(), network.architecture().outputSize());
        this.referenceLoss = Math.log(network.architecture().outputSize());
        this.frozenLayers = network.frozenPrefix(frozenHidden);
        this.trained = network.parameters(frozenLayers);
        this.trainedBuffers = network.buffers(frozenLayers);
    }

    /** The entries of the network's layers that run in EVAL and are not trained: a {@link Network#frozenPrefix}. */
    public int frozenLayers() {
        return frozenLayers;
    }

    public Network network() {
        return network;
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
        currentCount = count;
        Matrix logits = network.forward(current.inputs, Mode.TRAIN, random, frozenLayers);
        double[] weights = null;
        if (classWeights != null) {
            if (batchWeights.length < count) {
                batchWeights = new double[count]; // once, at the first batch of the largest size
            }
            for (int i = 0; i < count; i++) {
                batchWeights[i] = exampleWeights ? classWeights[current.labels[i]] * current.weights[i]
                        : classWeights[current.labels[i]];
            }
            weights = batchWeights;
        } else if (exampleWeights) {
            weights = current.weights;
        }
        return SoftmaxCrossEntropy.meanLossAndGradient(network.backend(), logits, current.labels, weights,
                current.gradLogits, current.predictions);
    }

    @Override
    public void backward() {
        network.backward(current.gradLogits, frozenLayers);
    }

    @Override
    public int batchErrors() {
        int errors = 0;
        for (int i = 0; i < currentCount; i++) {
            if (current.predictions[i] != current.labels[i]) {
                errors++;
            }
        }
        return errors;
    }

    @Override
    public boolean classifies() {
        return true;
    }

    @Override
    public Validation validate() {
        if (validator == null) {
            return null;
        }
        if (monitor == null) {
            Evaluation v = validator.evaluate();
            return new Validation(v.loss(), v.error());
        }
        if (validationProbabilities == null) {
            validationProbabilities = Matrix.zeros(validationLabels.length, network.architecture().outputSize(),
                    network.precision());
        }
        Evaluation v = validator.evaluate(validationProbabilities);
        double figure = monitor.of(v, ClassificationMetrics.of(validationLabels, validationProbabilities));
        return new Validation(v.loss(), v.error(), figure);
    }

    /** ln C: the loss of uniform predictions over C classes. */
    @Override
    public double referenceLoss() {
        return referenceLoss;
    }

    /** Names the first layer whose pre-activations hold NaN or infinity after a forward pass. */
    @Override
    public String describeOverflow() {
        return network.describeOverflow("logits");
    }
}
