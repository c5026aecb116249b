package org.nettricks.layers;

import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.activations.Activation;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.internal.PerBatchSize;
import org.nettricks.tensor.Precision;

/**
 * The activation function g applied elementwise, the lecture's h(k) = g(a(k)) (PyTorch's
 * {@code nn.ReLU}, {@code nn.Tanh}, …):
 * <pre>
 * forward:   H = g(A)
 * backward:  ∇A = ∇H ⊙ g'(A)
 * </pre>
 * No parameters. The output is a matrix of the layer's own in both modes (never g applied in place
 * on the input, which may be the caller's data or another layer's cache).
 */
public final class ActivationLayer implements Layer {
    private final Activation activation;
    private final int size;
    private final Backend backend;
    private final PerBatchSize<Workspace> workspaces;
    private Matrix input;
    private Workspace current;
    private Mode currentMode;

    /** @param size the number of units, at least 1 */
    public ActivationLayer(Activation activation, int size, Precision precision, Backend backend) {
        if (size < 1) {
            throw new IllegalArgumentException(activation.displayName() + " layer needs at least 1 unit, got " + size);
        }
        this.activation = activation;
        this.size = size;
        this.backend = backend;
        this.workspaces = new PerBatchSize<>(rows -> new Workspace(rows, size, precision));
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    @Override
    public Activation activation() {
        return activation;
    }

    @Override
    public Matrix forward(Matrix input, Mode mode, RandomGenerator random) {
        if (input.cols() != size) {
            throw new IllegalArgumentException(activation.displayName() + " layer expects " + size + " inputs, got "
                    + input.cols());
        }
        Workspace ws = workspaces.get(input.rows());
        backend.addBiasAndActivate(input, null, activation, ws.output);
        this.input = input;
        this.current = ws;
        this.currentMode = mode;
        return ws.output;
    }

    @Override
    public Matrix backward(Matrix gradOutput, boolean needInputGradient) {
        Workspace ws = current;
        if (ws == null || currentMode != Mode.TRAIN || gradOutput.rows() != ws.output.rows()) {
            throw new IllegalStateException(activation.displayName()
                    + " layer: backward must follow a TRAIN forward on the same batch");
        }
        if (!needInputGradient) {
            return null;
        }
        backend.activationBackward(activation, input, ws.output, gradOutput, ws.gradInput);
        return ws.gradInput;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public Matrix lastActivationInput() {
        return current == null || currentMode != Mode.TRAIN ? null : input;
    }

    /** Buffers for one batch size, allocated once and reused every step. */
    private static final class Workspace {
        final Matrix output;
        final Matrix gradInput;

        Workspace(int rows, int size, Precision precision) {
            output = Matrix.zeros(rows, size, precision);
            gradInput = Matrix.zeros(rows, size, precision);
        }
    }
}
