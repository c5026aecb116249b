package org.nettricks.layers;

import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.init.Initializer;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.internal.PerBatchSize;
import org.nettricks.tensor.Precision;

/**
 * Batch normalization of every unit (column) over the examples of a mini-batch (Ioffe &amp; Szegedy
 * 2015, as in the lecture), PyTorch's {@code BatchNorm1d}:
 * <pre>
 * μ_B = (1/B) Σᵢ xᵢ,   σ²_B = (1/B) Σᵢ (xᵢ − μ_B)²,   x̂ᵢ = (xᵢ − μ_B) / √(σ²_B + ε),   yᵢ = γ x̂ᵢ + β
 * </pre>
 * with ε (by default {@value #EPSILON}; model files record it) and the lecture's backpropagation through μ_B and σ²_B
 * ({@link Backend#batchNormBackward}). In {@link Mode#EVAL} it uses the population statistics held in
 * the buffers {@code running_mean} and {@code running_var} instead of the batch's. During training
 * those buffers hold a running average of the batch statistics,
 * <pre>new = (1 − w) · old + w · batch,   w = {@value #RUNNING_AVERAGE_WEIGHT}</pre>
 * with the unbiased batch variance σ²_B · B/(B − 1), as PyTorch; after training the trainer may
 * replace them by exact population statistics from a pass over the training set (the lecture's
 * final phase, {@link BatchNormalizing}).
 *
 * <p>Tensors: {@code <prefix>.bn.weight} (γ, starts at 1), {@code <prefix>.bn.bias} (β, starts at 0),
 * {@code <prefix>.bn.running_mean} (0) and {@code <prefix>.bn.running_var} (1), each 1 × units, where
 * the prefix is the linear layer's before it ({@code layers.k}).
 */
public final class BatchNorm implements BatchNormalizing {
    /** ε added to the variance (PyTorch's default). */
    public static final double EPSILON = 1e-5;
    /** Weight w of the newest batch in the running averages of the batch statistics. */
    public static final double RUNNING_AVERAGE_WEIGHT = 0.1;

    private final int size;
    private final double epsilon;
    private final Backend backend;
    private final Parameter gamma;
    private final Parameter beta;
    private final Buffer runningMean;
    private final Buffer runningVariance;
    private final PerBatchSize<Workspace> workspaces;
    private Workspace current;
    private Mode currentMode;

    /**
     * @param prefix names the tensors: {@code <prefix>.bn.weight} …, e.g. {@code layers.0}
     * @param size   the number of units normalized, at least 1
     */
    public BatchNorm(String prefix, int size, Precision precision, Backend backend) {
        this(prefix, size, precision, backend, EPSILON);
    }

    /**
     * @param prefix  names the tensors: {@code <prefix>.bn.weight} …, e.g. {@code layers.0}
     * @param size    the number of units normalized, at least 1
     * @param epsilon ε added to the variance, a finite number &gt; 0 (default {@value #EPSILON})
     */
    public BatchNorm(String prefix, int size, Precision precision, Backend backend, double epsilon) {
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException(prefix + ".bn: epsilon must be a finite number > 0, got " + epsilon);
        }
        this.epsilon = epsilon;
        if (size < 1) {
            throw new IllegalArgumentException(prefix + ".bn needs at least 1 unit, got " + size);
        }
        this.size = size;
        this.backend = backend;
        this.gamma = new Parameter(prefix + ".bn.weight", Parameter.Role.BATCH_NORM_SCALE,
                Matrix.zeros(1, size, precision));
        this.beta = new Parameter(prefix + ".bn.bias", Parameter.Role.BATCH_NORM_SHIFT, Matrix.zeros(1, size, precision));
        this.runningMean = new Buffer(prefix + ".bn.running_mean", Matrix.zeros(1, size, precision));
        this.runningVariance = new Buffer(prefix + ".bn.running_var", Matrix.zeros(1, size, precision));
        this.workspaces = new PerBatchSize<>(rows -> new Workspace(rows, size, precision));
        reset(gamma, beta, runningMean, runningVariance);
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    /** γ, shape [1, units]. */
    public Parameter gamma() {
        return gamma;
    }

    /** β, shape [1, units]. */
    public Parameter beta() {
        return beta;
    }

    @Override
    public Matrix forward(Matrix input, Mode mode, RandomGenerator random) {
        if (input.cols() != size) {
            throw new IllegalArgumentException(gamma.name() + " expects " + size + " inputs, got " + input.cols());
        }
        Workspace ws = workspaces.get(input.rows());
        if (mode == Mode.TRAIN) {
            backend.batchNormTrain(input, gamma.value(), beta.value(), epsilon, ws.normalized, ws.output,
                    ws.batchMean, ws.batchVariance);
            updateRunningAverages(input.rows(), ws.batchMean, ws.batchVariance, runningMean.value(),
                    runningVariance.value());
        } else {
            backend.batchNormInference(input, gamma.value(), beta.value(), runningMean.value(),
                    runningVariance.value(), epsilon, ws.output);
        }
        this.current = ws;
        this.currentMode = mode;
        return ws.output;
    }

    @Override
    public Matrix backward(Matrix gradOutput, boolean needInputGradient) {
        Workspace ws = current;
        if (ws == null || currentMode != Mode.TRAIN || gradOutput.rows() != ws.output.rows()) {
            throw new IllegalStateException(gamma.name() + ": backward must follow a TRAIN forward on the same batch");
        }
        // one kernel gives ∇x, ∇γ and ∇β together: ∇x is computed even when nobody needs it
        backend.batchNormBackward(gradOutput, ws.normalized, gamma.value(), ws.batchVariance, epsilon, ws.gradInput,
                gamma.gradient(), beta.gradient());
        return needInputGradient ? ws.gradInput : null;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(gamma, beta);
    }

    /** Population mean and variance, in that order. */
    @Override
    public List<Buffer> buffers() {
        return List.of(runningMean, runningVariance);
    }

    /** γ = 1, β = 0, running mean 0, running variance 1; draws nothing. */
    @Override
    public void initialize(Initializer initializer, RandomGenerator random) {
        reset(gamma, beta, runningMean, runningVariance);
    }

    @Override
    public boolean normalizes() {
        return true;
    }

    /** The input itself: this layer normalizes what it is given. */
    @Override
    public Matrix valuesToNormalize(Matrix input) {
        return input;
    }

    @Override
    public Buffer runningMean() {
        return runningMean;
    }

    @Override
    public Buffer runningVariance() {
        return runningVariance;
    }

    /** γ = 1, β = 0, running mean 0, running variance 1. */
    static void reset(Parameter gamma, Parameter beta, Buffer runningMean, Buffer runningVariance) {
        for (int j = 0; j < gamma.value().cols(); j++) {
            gamma.value().setFlat(j, 1.0);
            beta.value().setFlat(j, 0.0);
            runningMean.value().setFlat(j, 0.0);
            runningVariance.value().setFlat(j, 1.0);
        }
    }

    /**
     * new = (1 − w) · old + w · batch for the mean, and for the variance with the unbiased batch
     * variance σ²_B · m/(m − 1) (σ²_B itself when m = 1). The one copy of this rule: the fused
     * {@link DenseLayer} calls it too, so both paths give the same bits.
     */
    static void updateRunningAverages(int m, Matrix batchMean, Matrix batchVariance, Matrix mean, Matrix variance) {
        double unbiased = m > 1 ? (double) m / (m - 1) : 1.0;
        double w = RUNNING_AVERAGE_WEIGHT;
        int units = mean.cols();
        for (int j = 0; j < units; j++) {
            mean.setFlat(j, (1 - w) * mean.getFlat(j) + w * batchMean.getFlat(j));
            variance.setFlat(j, (1 - w) * variance.getFlat(j) + w * batchVariance.getFlat(j) * unbiased);
        }
    }

    /** Buffers for one batch size, allocated once and reused every step. */
    private static final class Workspace {
        final Matrix normalized;
        final Matrix output;
        final Matrix gradInput;
        final Matrix batchMean;
        final Matrix batchVariance;

        Workspace(int rows, int size, Precision precision) {
            normalized = Matrix.zeros(rows, size, precision);
            output = Matrix.zeros(rows, size, precision);
            gradInput = Matrix.zeros(rows, size, precision);
            batchMean = Matrix.zeros(1, size, precision);
            batchVariance = Matrix.zeros(1, size, precision);
        }
    }
}
