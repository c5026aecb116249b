package org.nettricks.network;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.init.Initializer;
import org.nettricks.layers.DenseLayer;
import org.nettricks.layers.Layer;
import org.nettricks.layers.Mode;
import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * A feed-forward network: L hidden dense layers and a linear output layer whose outputs are the
 * logits a(L+1); f(x) = softmax(a(L+1)) is applied by the loss (or {@link #probabilities}).
 *
 * <p>Data flows through arguments: {@link #forward} returns the logits, {@link #backward} takes
 * their gradient. The network holds parameters and per-batch-size workspaces, nothing else.
 */
public final class Network {
    private final Architecture architecture;
    private final Precision precision;
    private final Backend backend;
    private final List<DenseLayer> layers;
    private final List<Parameter> parameters;

    /** A network with all parameters zero; call {@link #initialize} before training. */
    public Network(Architecture architecture, Precision precision, Backend backend) {
        this.architecture = architecture;
        this.precision = precision;
        this.backend = backend;
        List<DenseLayer> built = new ArrayList<>();
        List<Parameter> params = new ArrayList<>();
        for (int k = 0; k < architecture.layerCount(); k++) {
            DenseLayer layer = new DenseLayer(k, architecture.layerInputSize(k), architecture.layerOutputSize(k),
                    architecture.layerActivation(k), precision, backend);
            built.add(layer);
            params.addAll(layer.parameters());
        }
        this.layers = Collections.unmodifiableList(built);
        this.parameters = Collections.unmodifiableList(params);
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

    /** All trained tensors in layer order: layers.0.weight, layers.0.bias, layers.1.weight, … */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Biases to 0 and weights drawn by {@code initializer}, layer by layer, from {@code random}. */
    public void initialize(Initializer initializer, RandomGenerator random) {
        for (DenseLayer layer : layers) {
            initializer.initialize(layer.weight().value(), random);
            layer.bias().value().clear();
        }
    }

    /**
     * Forward propagation of a batch: returns the logits a(L+1), a workspace valid until the next
     * forward with the same batch size.
     */
    public Matrix forward(Matrix input, Mode mode) {
        if (input.precision() != precision) {
            throw new IllegalArgumentException("input is " + input.precision().displayName() + " but the network is "
                    + precision.displayName());
        }
        Matrix h = input;
        for (Layer layer : layers) {
            h = layer.forward(h, mode);
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

    /** Copies every parameter value from a network of the same architecture and precision. */
    public void copyParametersFrom(Network other) {
        if (!other.architecture.equals(architecture)) {
            throw new IllegalArgumentException("architectures differ: " + architecture.describe() + " vs "
                    + other.architecture.describe());
        }
        for (int i = 0; i < parameters.size(); i++) {
            parameters.get(i).value().copyFrom(other.parameters.get(i).value());
        }
    }
}
