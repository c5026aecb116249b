package org.nettricks.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.activations.Activation;
import org.nettricks.init.Initializer;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.internal.PerBatchSize;
import org.nettricks.tensor.Precision;

/**
 * The fused dense block, the fast path for the lecture's layer k: {@link Linear}, optionally
 * {@link BatchNorm}, {@link ActivationLayer} g and optionally {@link Dropout} computed as one layer
 * with the same parameters, buffers, tensor names and results (bit for bit on the same backend):
 * <pre>
 * a(k) = b(k) + W(k) h(k−1)             (for a batch: A = H Wᵀ + 1 bᵀ)
 * h(k) = g(a(k)) ⊙ m(k)                 (m(k): dropout mask, training only)
 * </pre>
 * With batch normalization, each unit's pre-activation is normalized over the mini-batch before g:
 * <pre>
 * a(k) = W(k) h(k−1),   y = γ x̂ + β = BN_γ,β(a(k)),   h(k) = g(y) ⊙ m(k)
 * </pre>
 * and the layer has no bias b: the mean subtraction would cancel any b, and β takes its role.
 * Backpropagation:
 * <pre>
 * ∇h ← ∇h ⊙ m                            (dropout)
 * ∇y = ∇h ⊙ g'(y)                        (∇a directly without batch normalization)
 * ∇a = BN backward (see {@link Backend#batchNormBackward})
 * ∇W(k) = ∇a h(k−1)ᵀ  (summed over the batch: ∇Aᵀ H),   ∇b(k) = Σ ∇a
 * ∇h(k−1) = W(k)ᵀ ∇a                      (for a batch: ∇A W)
 * </pre>
 * What fusing saves: the bias and g are applied in the same pass over the GEMM's output; in
 * {@link Mode#EVAL} g is applied in place (one pass over one matrix, no matrix of its own); and the
 * values fed into g are kept once, not copied between small layers. W is stored [out, in] and b
 * [1, out], as PyTorch's {@code nn.Linear}; batch normalization follows {@link BatchNorm} (ε =
 * {@value BatchNorm#EPSILON}, running averages with weight {@value BatchNorm#RUNNING_AVERAGE_WEIGHT}
 * and the unbiased batch variance, population statistics in the buffers {@code running_mean} and
 * {@code running_var} in {@link Mode#EVAL}).
 */
public final class DenseLayer implements BatchNormalizing {

    private final double batchNormEpsilon;
    private final int inputSize;
    private final int outputSize;
    private final Activation activation;
    private final Backend backend;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter gamma;
    private final Parameter beta;
    private final Buffer runningMean;
    private final Buffer runningVariance;
    private final Dropout dropout;
    private final PerBatchSize<Workspace> workspaces = new PerBatchSize<>(this::newWorkspace);
    private Matrix input;
    private Workspace current;
    private Mode currentMode;

    /**
     * A layer with zero weights (γ = 1 and β = 0 with batch normalization); initialize the weights
     * before training.
     *
     * @param index   the layer's position, used in tensor names ({@code layers.<index>.weight})
     * @param dropout drop probability of this layer's outputs, 0 for none
     */
    public DenseLayer(int index, int inputSize, int outputSize, Activation activation, boolean batchNorm,
                      double dropout, Precision precision, Backend backend) {
        this(index, inputSize, outputSize, activation, batchNorm, dropout, precision, backend, BatchNorm.EPSILON);
    }

    /**
     * As {@link #DenseLayer(int, int, int, Activation, boolean, double, Precision, Backend)}, with
     * batch normalization's ε, a finite number &gt; 0 (default {@value BatchNorm#EPSILON}).
     */
    public DenseLayer(int index, int inputSize, int outputSize, Activation activation, boolean batchNorm,
                      double dropout, Precision precision, Backend backend, double batchNormEpsilon) {
        if (!(batchNormEpsilon > 0) || !Double.isFinite(batchNormEpsilon)) {
            throw new IllegalArgumentException("layer " + index + ": batch normalization epsilon must be a finite"
                    + " number > 0, got " + batchNormEpsilon);
        }
        this.batchNormEpsilon = batchNormEpsilon;
        if (inputSize < 1 || outputSize < 1) {
            throw new IllegalArgumentException("layer " + index + " needs at least 1 input and 1 output, got "
                    + inputSize + " -> " + outputSize);
        }
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.activation = activation;
        this.backend = backend;
        String prefix = "layers." + index;
        this.weight = new Parameter(prefix + ".weight", Parameter.Role.WEIGHT,
                Matrix.zeros(outputSize, inputSize, precision));
        if (batchNorm) {
            this.bias = null;
            this.gamma = new Parameter(prefix + ".bn.weight", Parameter.Role.BATCH_NORM_SCALE,
                    Matrix.zeros(1, outputSize, precision));
            this.beta = new Parameter(prefix + ".bn.bias", Parameter.Role.BATCH_NORM_SHIFT,
                    Matrix.zeros(1, outputSize, precision));
            this.runningMean = new Buffer(prefix + ".bn.running_mean", Matrix.zeros(1, outputSize, precision));
            this.runningVariance = new Buffer(prefix + ".bn.running_var", Matrix.zeros(1, outputSize, precision));
            resetBatchNorm();
        } else {
            this.bias = new Parameter(prefix + ".bias", Parameter.Role.BIAS, Matrix.zeros(1, outputSize, precision));
            this.gamma = null;
            this.beta = null;
            this.runningMean = null;
            this.runningVariance = null;
        }
        this.dropout = dropout > 0 ? new Dropout(outputSize, dropout, backend) : null;
    }

    /** γ = 1, β = 0, running mean 0, running variance 1 (no-op without batch normalization). */
    public void resetBatchNorm() {
        if (gamma != null) {
            BatchNorm.reset(gamma, beta, runningMean, runningVariance);
        }
    }

    /** W drawn by {@code initializer} (row-major, from {@code random}); b = 0; {@link #resetBatchNorm()}. */
    @Override
    public void initialize(Initializer initializer, RandomGenerator random) {
        initializer.initialize(weight.value(), random);
        if (bias != null) {
            bias.value().clear();
        }
        resetBatchNorm();
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int outputSize() {
        return outputSize;
    }

    @Override
    public Activation activation() {
        return activation;
    }

    public boolean hasBatchNorm() {
        return gamma != null;
    }

    /** W(k), shape [out, in]. */
    public Parameter weight() {
        return weight;
    }

    /** b(k), shape [1, out]; null with batch normalization. */
    public Parameter bias() {
        return bias;
    }

    /** The dropout of this layer's outputs, or null. */
    public Dropout dropout() {
        return dropout;
    }

    /** Population mean and variance buffers (in that order); empty without batch normalization. */
    @Override
    public List<Buffer> buffers() {
        return gamma == null ? List.of() : List.of(runningMean, runningVariance);
    }

    /**
     * Forward pass; {@code random} draws the dropout masks in {@link Mode#TRAIN} (it may be null
     * when the layer has no dropout or in {@link Mode#EVAL}).
     */
    @Override
    public Matrix forward(Matrix input, Mode mode, RandomGenerator random) {
        if (input.cols() != inputSize) {
            throw new IllegalArgumentException(weight.name() + " expects " + inputSize + " inputs, got " + input.cols());
        }
        Workspace ws = workspaces.get(input.rows());
        backend.gemm(false, true, 1.0, input, weight.value(), 0.0, ws.preActivation);
        Matrix h = output(ws, mode);
        if (gamma == null) {
            backend.addBiasAndActivate(ws.preActivation, bias.value(), activation, h);
        } else {
            if (mode == Mode.TRAIN) {
                backend.batchNormTrain(ws.preActivation, gamma.value(), beta.value(), batchNormEpsilon, ws.normalized,
                        ws.scaled, ws.batchMean, ws.batchVariance);
                updateRunningAverages(ws);
                backend.addBiasAndActivate(ws.scaled, null, activation, h);
            } else { // normalization and g in one pass, into h = ws.scaled
                backend.batchNormInference(ws.preActivation, gamma.value(), beta.value(), runningMean.value(),
                        runningVariance.value(), batchNormEpsilon, activation, h);
            }
        }
        this.input = input;
        this.current = ws;
        this.currentMode = mode;
        return dropout == null ? h : dropout.forward(h, mode, random);
    }

    /**
     * The pre-activations W h (+ b) of a batch, before batch normalization and g: what the
     * lecture's final phase averages to get each unit's population statistics.
     */
    public Matrix preActivation(Matrix input) {
        Workspace ws = workspaces.get(input.rows());
        backend.gemm(false, true, 1.0, input, weight.value(), 0.0, ws.preActivation);
        current = null;
        return ws.preActivation;
    }

    private void updateRunningAverages(Workspace ws) {
        BatchNorm.updateRunningAverages(ws.preActivation.rows(), ws.batchMean, ws.batchVariance, runningMean.value(),
                runningVariance.value());
    }

    @Override
    public boolean normalizes() {
        return gamma != null;
    }

    /** {@link #preActivation}: W h, what batch normalization normalizes. */
    @Override
    public Matrix valuesToNormalize(Matrix input) {
        return preActivation(input);
    }

    /** The population mean buffer; null without batch normalization. */
    @Override
    public Buffer runningMean() {
        return runningMean;
    }

    /** The population variance buffer; null without batch normalization. */
    @Override
    public Buffer runningVariance() {
        return runningVariance;
    }

    @Override
    public Matrix backward(Matrix gradOutput, boolean needInputGradient) {
        if (current == null || currentMode != Mode.TRAIN || gradOutput.rows() != current.preActivation.rows()) {
            throw new IllegalStateException(weight.name() + ": backward must follow a TRAIN forward on the same batch");
        }
        Workspace ws = current;
        Matrix gradH = dropout == null ? gradOutput : dropout.backward(gradOutput, true);
        if (gamma == null) {
            backend.activationBackward(activation, ws.preActivation, ws.activation, gradH, ws.gradPreActivation);
            backend.columnSums(1.0, ws.gradPreActivation, 0.0, bias.gradient());
        } else {
            backend.activationBackward(activation, ws.scaled, ws.activation, gradH, ws.gradScaled);
            backend.batchNormBackward(ws.gradScaled, ws.normalized, gamma.value(), ws.batchVariance, batchNormEpsilon,
                    ws.gradPreActivation, gamma.gradient(), beta.gradient());
        }
        backend.gemm(true, false, 1.0, ws.gradPreActivation, input, 0.0, weight.gradient());
        if (!needInputGradient) {
            return null;
        }
        if (ws.gradInput == null) {
            ws.gradInput = Matrix.zeros(ws.preActivation.rows(), inputSize, ws.preActivation.precision());
        }
        backend.gemm(false, false, 1.0, ws.gradPreActivation, weight.value(), 0.0, ws.gradInput);
        return ws.gradInput;
    }

    /**
     * The values fed into g in the last forward pass (the pre-activations, batch-normalized when
     * the layer normalizes), for saturation diagnostics; null before any forward, and after an
     * {@link Mode#EVAL} pass, which applies g in place and keeps only its result.
     */
    @Override
    public Matrix lastActivationInput() {
        if (current == null || currentMode != Mode.TRAIN) {
            return null;
        }
        return gamma == null ? current.preActivation : current.scaled;
    }

    /** g of the last forward pass, before dropout; null before any forward. */
    public Matrix lastActivation() {
        return current == null ? null : output(current, currentMode);
    }

    /**
     * Where g's values go: a matrix of their own in training, where backpropagation needs the
     * values fed into g; in inference the values fed into g themselves (g applied in place, one pass
     * over one matrix).
     */
    private Matrix output(Workspace ws, Mode mode) {
        if (mode == Mode.TRAIN) {
            return ws.activation;
        }
        return gamma == null ? ws.preActivation : ws.scaled;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        ps.add(weight);
        if (gamma == null) {
            ps.add(bias);
        } else {
            ps.add(gamma);
            ps.add(beta);
        }
        return ps;
    }

    private Workspace newWorkspace(int rows) {
        return new Workspace(rows, outputSize, activation, gamma != null, weight.value().precision());
    }

    /** Buffers for one batch size, allocated once and reused every step. */
    private static final class Workspace {
        final Matrix preActivation;
        final Matrix activation;
        final Matrix gradPreActivation;
        final Matrix normalized;
        final Matrix scaled;
        final Matrix gradScaled;
        final Matrix batchMean;
        final Matrix batchVariance;
        /** Allocated on first use: the first layer never needs it. */
        Matrix gradInput;

        Workspace(int rows, int outputSize, Activation g, boolean batchNorm, Precision precision) {
            preActivation = Matrix.zeros(rows, outputSize, precision);
            gradPreActivation = Matrix.zeros(rows, outputSize, precision);
            if (batchNorm) {
                normalized = Matrix.zeros(rows, outputSize, precision);
                scaled = Matrix.zeros(rows, outputSize, precision);
                gradScaled = Matrix.zeros(rows, outputSize, precision);
                batchMean = Matrix.zeros(1, outputSize, precision);
                batchVariance = Matrix.zeros(1, outputSize, precision);
                activation = g == Activation.LINEAR ? scaled : Matrix.zeros(rows, outputSize, precision);
            } else {
                normalized = null;
                scaled = null;
                gradScaled = null;
                batchMean = null;
                batchVariance = null;
                activation = g == Activation.LINEAR ? preActivation : Matrix.zeros(rows, outputSize, precision);
            }
        }
    }
}
