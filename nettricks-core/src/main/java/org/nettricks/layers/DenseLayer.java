package org.nettricks.layers;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.nettricks.activations.Activation;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * A fully connected layer with its activation, the lecture's layer k:
 * <pre>
 * a(k) = b(k) + W(k) h(k−1)        (for a batch: A = H Wᵀ + 1 bᵀ)
 * h(k) = g(a(k))
 * </pre>
 * and its backpropagation
 * <pre>
 * ∇a(k) = ∇h(k) ⊙ g'(a(k))
 * ∇W(k) = ∇a(k) h(k−1)ᵀ            (summed over the batch: ∇A ᵀ H)
 * ∇b(k) = ∇a(k)                    (summed over the batch)
 * ∇h(k−1) = W(k)ᵀ ∇a(k)            (for a batch: ∇A W)
 * </pre>
 * W is stored [out, in] and b [1, out], as PyTorch's {@code nn.Linear}. The output layer is a
 * dense layer with the linear activation; the softmax belongs to the loss.
 */
public final class DenseLayer implements Layer {
    private final int inputSize;
    private final int outputSize;
    private final Activation activation;
    private final Backend backend;
    private final Parameter weight;
    private final Parameter bias;
    private final Map<Integer, Workspace> workspaces = new HashMap<>();
    private Matrix input;
    private Workspace current;

    /**
     * A layer with all parameters zero; initialize the weights before training.
     *
     * @param index the layer's position, used in parameter names ({@code layers.<index>.weight})
     */
    public DenseLayer(int index, int inputSize, int outputSize, Activation activation, Precision precision,
                      Backend backend) {
        if (inputSize < 1 || outputSize < 1) {
            throw new IllegalArgumentException("layer " + index + " needs at least 1 input and 1 output, got "
                    + inputSize + " -> " + outputSize);
        }
        this.inputSize = inputSize;
        this.outputSize = outputSize;
        this.activation = activation;
        this.backend = backend;
        this.weight = new Parameter("layers." + index + ".weight", Parameter.Role.WEIGHT,
                Matrix.zeros(outputSize, inputSize, precision));
        this.bias = new Parameter("layers." + index + ".bias", Parameter.Role.BIAS,
                Matrix.zeros(1, outputSize, precision));
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public int outputSize() {
        return outputSize;
    }

    public Activation activation() {
        return activation;
    }

    /** W(k), shape [out, in]. */
    public Parameter weight() {
        return weight;
    }

    /** b(k), shape [1, out]. */
    public Parameter bias() {
        return bias;
    }

    @Override
    public Matrix forward(Matrix input, Mode mode) {
        if (input.cols() != inputSize) {
            throw new IllegalArgumentException(weight.name() + " expects " + inputSize + " inputs, got " + input.cols());
        }
        Workspace ws = workspaces.computeIfAbsent(input.rows(), this::newWorkspace);
        backend.gemm(false, true, 1.0, input, weight.value(), 0.0, ws.preActivation);
        backend.addBiasAndActivate(ws.preActivation, bias.value(), activation, ws.activation);
        this.input = input;
        this.current = ws;
        return ws.activation;
    }

    @Override
    public Matrix backward(Matrix gradOutput, boolean needInputGradient) {
        if (current == null || gradOutput.rows() != current.preActivation.rows()) {
            throw new IllegalStateException(weight.name() + ": backward must follow forward on the same batch");
        }
        Workspace ws = current;
        backend.activationBackward(activation, ws.preActivation, ws.activation, gradOutput, ws.gradPreActivation);
        backend.gemm(true, false, 1.0, ws.gradPreActivation, input, 0.0, weight.gradient());
        backend.columnSums(1.0, ws.gradPreActivation, 0.0, bias.gradient());
        if (!needInputGradient) {
            return null;
        }
        if (ws.gradInput == null) {
            ws.gradInput = Matrix.zeros(ws.preActivation.rows(), inputSize, ws.preActivation.precision());
        }
        backend.gemm(false, false, 1.0, ws.gradPreActivation, weight.value(), 0.0, ws.gradInput);
        return ws.gradInput;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    private Workspace newWorkspace(int rows) {
        return new Workspace(rows, outputSize, activation, weight.value().precision());
    }

    /** Buffers for one batch size, allocated once and reused every step. */
    private static final class Workspace {
        final Matrix preActivation;
        final Matrix activation;
        final Matrix gradPreActivation;
        /** Allocated on first use: the first layer never needs it. */
        Matrix gradInput;

        Workspace(int rows, int outputSize, Activation g, Precision precision) {
            preActivation = Matrix.zeros(rows, outputSize, precision);
            activation = g == Activation.LINEAR ? preActivation : Matrix.zeros(rows, outputSize, precision);
            gradPreActivation = Matrix.zeros(rows, outputSize, precision);
        }
    }
}
