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
 * A fully connected linear map, the lecture's a(k) = b(k) + W(k) h(k−1), PyTorch's {@code nn.Linear}:
 * <pre>
 * forward:   A = H Wᵀ + 1 bᵀ                 (rows of H and A are examples)
 * backward:  ∇W = ∇Aᵀ H,   ∇b = Σ_rows ∇A,   ∇H = ∇A W
 * </pre>
 * W is stored [out, in] ({@code <prefix>.weight}) and b [1, out] ({@code <prefix>.bias}, saved with
 * shape [out]). Without a bias (before batch normalization, whose β takes its role: the mean
 * subtraction would cancel any b) the layer is A = H Wᵀ.
 */
public final class Linear implements Layer {
    private final int inputSize;
    private final int outputSize;
    private final Backend backend;
    private final Parameter weight;
    private final Parameter bias;
    private final PerBatchSize<Workspace> workspaces;
    private Matrix input;
    private Workspace current;
    private Mode currentMode;

    /**
     * A layer with zero weights; {@link #initialize} draws them.
     *
     * @param prefix names the tensors, e.g. {@code layers.0}
     * @param bias   whether the layer has a bias b
     */
    public Linear(String prefix, int inputSize, int outputSize, boolean bias, Precision precision, Backend backend) {
        if (inputSize < 1 || outputSize < 1) {
            throw new IllegalArgumentException(prefix + " needs at least 1 input and 1 output, got " + inputSize
                    + " -> " + outputSize);
        }
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.backend = backend;
        this.weight = new Parameter(prefix + ".weight", Parameter.Role.WEIGHT,
                Matrix.zeros(outputSize, inputSize, precision));
        this.bias = bias ? new Parameter(prefix + ".bias", Parameter.Role.BIAS, Matrix.zeros(1, outputSize, precision))
                : null;
        this.workspaces = new PerBatchSize<>(rows -> new Workspace(rows, outputSize, precision));
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int outputSize() {
        return outputSize;
    }

    /** W, shape [out, in]. */
    public Parameter weight() {
        return weight;
    }

    /** b, shape [1, out]; null for a layer without bias. */
    public Parameter bias() {
        return bias;
    }

    @Override
    public Matrix forward(Matrix input, Mode mode, RandomGenerator random) {
        if (input.cols() != inputSize) {
            throw new IllegalArgumentException(weight.name() + " expects " + inputSize + " inputs, got " + input.cols());
        }
        Workspace ws = workspaces.get(input.rows());
        backend.gemm(false, true, 1.0, input, weight.value(), 0.0, ws.output);
        if (bias != null) {
            backend.addBiasAndActivate(ws.output, bias.value(), Activation.LINEAR, ws.output);
        }
        this.input = input;
        this.current = ws;
        this.currentMode = mode;
        return ws.output;
    }

    @Override
    public Matrix backward(Matrix gradOutput, boolean needInputGradient) {
        Workspace ws = current;
        if (ws == null || currentMode != Mode.TRAIN || gradOutput.rows() != ws.output.rows()) {
            throw new IllegalStateException(weight.name() + ": backward must follow a TRAIN forward on the same batch");
        }
        if (bias != null) {
            backend.columnSums(1.0, gradOutput, 0.0, bias.gradient());
        }
        backend.gemm(true, false, 1.0, gradOutput, input, 0.0, weight.gradient());
        if (!needInputGradient) {
            return null;
        }
        if (ws.gradInput == null) {
            ws.gradInput = Matrix.zeros(ws.output.rows(), inputSize, ws.output.precision());
        }
        backend.gemm(false, false, 1.0, gradOutput, weight.value(), 0.0, ws.gradInput);
        return ws.gradInput;
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        ps.add(weight);
        if (bias != null) {
            ps.add(bias);
        }
        return List.copyOf(ps);
    }

    /** W drawn by {@code initializer} (row-major, from {@code random}); b = 0. */
    @Override
    public void initialize(Initializer initializer, RandomGenerator random) {
        initializer.initialize(weight.value(), random);
        if (bias != null) {
            bias.value().clear();
        }
    }

    /** Buffers for one batch size, allocated once and reused every step. */
    private static final class Workspace {
        final Matrix output;
        /** Allocated on first use: the first layer never needs it. */
        Matrix gradInput;

        Workspace(int rows, int outputSize, Precision precision) {
            output = Matrix.zeros(rows, outputSize, precision);
        }
    }
}
