package org.nettricks.network;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.init.Initializer;
import org.nettricks.layers.DenseLayer;
import org.nettricks.layers.Buffer;
import org.nettricks.layers.Dropout;
import org.nettricks.layers.Mode;
import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * A feed-forward network: optional dropout on the inputs, L hidden dense layers (each optionally
 * batch-normalized and with dropout) and a linear output layer whose outputs are the logits
 * a(L+1); f(x) = softmax(a(L+1)) is applied by the loss (or {@link #probabilities}).
 *
 * <p>Data flows through arguments: {@link #forward} returns the logits, {@link #backward} takes
 * their gradient. The network holds parameters, buffers and per-batch-size workspaces, nothing
 * else; the random generator for dropout masks is passed to each training forward pass.
 */
public final class Network {
    private final Architecture architecture;
    private final Precision precision;
    private final Backend backend;
    private final Dropout inputDropout;
    private final List<DenseLayer> layers;
    private final List<Parameter> parameters;
    private final List<Buffer> buffers;

    /** A network with all weights zero; call {@link #initialize} before training. */
    public Network(Architecture architecture, Precision precision, Backend backend) {
        this.architecture = architecture;
        this.precision = precision;
        this.backend = backend;
        this.inputDropout = architecture.inputDropout() > 0 ? new Dropout(architecture.inputDropout(), backend) : null;
        List<DenseLayer> built = new ArrayList<>();
        List<Parameter> params = new ArrayList<>();
        List<Buffer> bufs = new ArrayList<>();
        for (int k = 0; k < architecture.layerCount(); k++) {
            DenseLayer layer = new DenseLayer(k, architecture.layerInputSize(k), architecture.layerOutputSize(k),
                    architecture.layerActivation(k), architecture.layerBatchNorm(k), architecture.layerDropout(k),
                    precision, backend);
            built.add(layer);
            params.addAll(layer.parameters());
            bufs.addAll(layer.buffers());
        }
        this.layers = Collections.unmodifiableList(built);
        this.parameters = Collections.unmodifiableList(params);
        this.buffers = Collections.unmodifiableList(bufs);
    }

    public Architecture architecture() {
        return architecture;
    }

    public Precision precision() {
        return precision;
    }

    public Backend backend() {
        return backend;
    }

    public List<DenseLayer> layers() {
        return layers;
    }

    /** The dropout on the inputs, or null. */
    public Dropout inputDropout() {
        return inputDropout;
    }

    /** All trained tensors in layer order: layers.0.weight, layers.0.bias, layers.1.weight, … */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** All buffers (batch normalization's population statistics), in layer order. */
    public List<Buffer> buffers() {
        return buffers;
    }

    /**
     * Weights drawn by {@code initializer}, layer by layer, from {@code random}; biases 0;
     * batch normalization γ = 1, β = 0 and its statistics reset.
     */
    public void initialize(Initializer initializer, RandomGenerator random) {
        for (DenseLayer layer : layers) {
            initializer.initialize(layer.weight().value(), random);
            if (layer.bias() != null) {
                layer.bias().value().clear();
            }
            layer.resetBatchNorm();
        }
    }

    /** Forward propagation for inference ({@link Mode#EVAL}, no randomness). */
    public Matrix forward(Matrix input, Mode mode) {
        return forward(input, mode, null);
    }

    /**
     * Forward propagation of a batch: returns the logits a(L+1), a workspace valid until the next
     * forward with the same batch size.
     *
     * @param random draws the dropout masks in {@link Mode#TRAIN}; replaying a generator with the
     *               same seed replays the same masks (how gradient checks hold them fixed)
     */
    public Matrix forward(Matrix input, Mode mode, RandomGenerator random) {
        if (input.precision() != precision) {
            throw new IllegalArgumentException("input is " + input.precision().displayName() + " but the network is "
                    + precision.displayName());
        }
        Matrix h = inputDropout == null ? input : inputDropout.forward(input, mode, random);
        for (int k = 0; k < layers.size(); k++) { // indexed: no iterator per step
            h = layers.get(k).forward(h, mode, random);
        }
        return h;
    }

    /**
     * The input of dense layer {@code k} in {@link Mode#EVAL}: the batch propagated through
     * layers 0 … k−1 (the input itself for k = 0).
     */
    public Matrix forwardTo(Matrix input, int k) {
        Matrix h = input;
        for (int i = 0; i < k; i++) {
            h = layers.get(i).forward(h, Mode.EVAL, null);
        }
        return h;
    }

    /**
     * Backpropagation from ∂L/∂a(L+1) down to the first layer; fills every parameter's gradient.
     * Must follow a {@link #forward} in {@link Mode#TRAIN} on the same batch.
     */
    public void backward(Matrix gradLogits) {
        Matrix grad = gradLogits;
        for (int k = layers.size() - 1; k >= 0; k--) {
            grad = layers.get(k).backward(grad, k > 0);
        }
    }

    /** f(x) = softmax(a(L+1)) for a batch, into a new matrix. */
    public Matrix probabilities(Matrix input) {
        Matrix logits = forward(input, Mode.EVAL);
        Matrix p = Matrix.zeros(logits.rows(), logits.cols(), precision);
        backend.softmax(logits, p);
        return p;
    }

    /** Every parameter and buffer value, copied: a snapshot for {@link #restore}. */
    public List<Matrix> snapshot() {
        List<Matrix> copies = new ArrayList<>();
        for (Parameter p : parameters) {
            copies.add(p.value().copy());
        }
        for (Buffer b : buffers) {
            copies.add(b.value().copy());
        }
        return copies;
    }

    /** Copies a {@link #snapshot} back into the parameters and buffers. */
    public void restore(List<Matrix> snapshot) {
        int i = 0;
        for (Parameter p : parameters) {
            p.value().copyFrom(snapshot.get(i++));
        }
        for (Buffer b : buffers) {
            b.value().copyFrom(snapshot.get(i++));
        }
    }
}
