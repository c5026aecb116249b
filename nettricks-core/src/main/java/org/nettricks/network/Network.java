package org.nettricks.network;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.activations.Activation;
import org.nettricks.init.Initializer;
import org.nettricks.layers.BatchNorm;
import org.nettricks.layers.Buffer;
import org.nettricks.layers.DenseLayer;
import org.nettricks.layers.Layer;
import org.nettricks.layers.LayerSpec;
import org.nettricks.layers.LayerSpec.ActivationSpec;
import org.nettricks.layers.LayerSpec.BatchNormSpec;
import org.nettricks.layers.LayerSpec.DropoutSpec;
import org.nettricks.layers.LayerSpec.LinearSpec;
import org.nettricks.layers.Mode;
import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * A feed-forward network: a list of {@link Layer}s built from an {@link Architecture}'s layer specs,
 * applied in order, whose last outputs are the logits a(L+1); f(x) = softmax(a(L+1)) is applied by
 * the loss (or {@link #probabilities}).
 *
 * <p>Fusing: by default every run Linear [BatchNorm] [g] [Dropout] of the specs (with a bias exactly
 * when there is no batch normalization) becomes one {@link DenseLayer}, the fast path: the same
 * function, parameters and tensor names as the small layers, with the bias and g applied in the
 * GEMM's output pass and g in place at inference. Specs outside such a run (input dropout, layer
 * types the block does not cover) become their own layers. {@link #unfused} builds every spec as its
 * own small layer, to check the fast path against.
 *
 * <p>Data flows through arguments: {@link #forward} returns the logits, {@link #backward} takes
 * their gradient. The network holds parameters, buffers and per-batch-size workspaces, nothing
 * else; the random generator for dropout masks is passed to each training forward pass.
 */
public final class Network {
    private final Architecture architecture;
    private final Precision precision;
    private final Backend backend;
    private final double batchNormEpsilon;
    private final List<Layer> layers;
    private final List<DenseLayer> denseLayers;
    private final List<Parameter> parameters;
    private final List<Buffer> buffers;
    /** Index of the first layer with parameters: backpropagation stops there. */
    private final int firstTrained;

    /** A network with all weights zero, fused where it can be; call {@link #initialize} before training. */
    public Network(Architecture architecture, Precision precision, Backend backend) {
        this(architecture, precision, backend, true, BatchNorm.EPSILON);
    }

    /**
     * As {@link #Network(Architecture, Precision, Backend)}, with batch normalization's ε (added to
     * the variance), a finite number &gt; 0: {@value BatchNorm#EPSILON} unless a model file says otherwise.
     */
    public Network(Architecture architecture, Precision precision, Backend backend, double batchNormEpsilon) {
        this(architecture, precision, backend, true, batchNormEpsilon);
    }

    /**
     * A network of one small layer per spec (Linear, BatchNorm, ActivationLayer, Dropout): the same
     * function as {@link #Network(Architecture, Precision, Backend)}, with more memory traffic.
     */
    public static Network unfused(Architecture architecture, Precision precision, Backend backend) {
        return new Network(architecture, precision, backend, false, BatchNorm.EPSILON);
    }

    private Network(Architecture architecture, Precision precision, Backend backend, boolean fuse,
                    double batchNormEpsilon) {
        if (!(batchNormEpsilon > 0) || !Double.isFinite(batchNormEpsilon)) {
            throw new IllegalArgumentException("batch normalization epsilon must be a finite number > 0, got "
                    + batchNormEpsilon);
        }
        this.batchNormEpsilon = batchNormEpsilon;
        this.architecture = architecture;
        this.precision = precision;
        this.backend = backend;
        List<Layer> built = new ArrayList<>();
        List<DenseLayer> dense = new ArrayList<>();
        List<LayerSpec> specs = architecture.layers();
        int size = architecture.inputSize();
        int linear = -1;
        for (int i = 0; i < specs.size(); ) {
            LayerSpec spec = specs.get(i);
            if (spec instanceof LinearSpec) {
                linear++;
            }
            int end = fuse ? fusedRunEnd(specs, i) : i;
            Layer layer;
            if (end > i) {
                layer = denseLayer(specs, i, end, linear, size, precision, backend, batchNormEpsilon);
                dense.add((DenseLayer) layer);
                i = end;
            } else {
                layer = spec.build(new LayerSpec.Context("layers." + linear, size, precision, backend,
                        batchNormEpsilon));
                i++;
            }
            built.add(layer);
            size = layer.outputSize();
        }
        List<Parameter> params = new ArrayList<>();
        List<Buffer> bufs = new ArrayList<>();
        int first = built.size();
        for (int k = 0; k < built.size(); k++) {
            params.addAll(built.get(k).parameters());
            bufs.addAll(built.get(k).buffers());
            if (first == built.size() && !built.get(k).parameters().isEmpty()) {
                first = k;
            }
        }
        this.layers = Collections.unmodifiableList(built);
        this.denseLayers = Collections.unmodifiableList(dense);
        this.parameters = Collections.unmodifiableList(params);
        this.buffers = Collections.unmodifiableList(bufs);
        this.firstTrained = first;
    }

    /**
     * The end (exclusive) of the run Linear [BatchNorm] [g] [Dropout] starting at {@code i} that a
     * {@link DenseLayer} computes, or {@code i} when none starts there. The block has a bias exactly
     * when it does not normalize.
     */
    private static int fusedRunEnd(List<LayerSpec> specs, int i) {
        if (!(specs.get(i) instanceof LinearSpec linear)) {
            return i;
        }
        int j = i + 1;
        boolean batchNorm = j < specs.size() && specs.get(j) instanceof BatchNormSpec;
        if (batchNorm) {
            j++;
        }
        if (linear.bias() == batchNorm) {
            return i;
        }
        if (j < specs.size() && specs.get(j) instanceof ActivationSpec) {
            j++;
        }
        if (j < specs.size() && specs.get(j) instanceof DropoutSpec) {
            j++;
        }
        return j;
    }

    private static DenseLayer denseLayer(List<LayerSpec> specs, int from, int to, int index, int inputSize,
                                         Precision precision, Backend backend, double batchNormEpsilon) {
        LinearSpec linear = (LinearSpec) specs.get(from);
        boolean batchNorm = false;
        Activation g = Activation.LINEAR;
        double dropout = 0;
        for (int i = from + 1; i < to; i++) {
            LayerSpec spec = specs.get(i);
            if (spec instanceof BatchNormSpec) {
                batchNorm = true;
            } else if (spec instanceof ActivationSpec a) {
                g = a.activation();
            } else if (spec instanceof DropoutSpec d) {
                dropout = d.probability();
            }
        }
        return new DenseLayer(index, inputSize, linear.size(), g, batchNorm, dropout, precision, backend,
                batchNormEpsilon);
    }

    public Architecture architecture() {
        return architecture;
    }

    /** Batch normalization's ε, added to the variance (whether or not a layer normalizes). */
    public double batchNormEpsilon() {
        return batchNormEpsilon;
    }

    public Precision precision() {
        return precision;
    }

    public Backend backend() {
        return backend;
    }

    /** Every layer, in order (the input dropout, if any, first). */
    public List<Layer> layers() {
        return layers;
    }

    /**
     * The fused dense blocks, in order: for the standard stack built by the constructor, dense layer
     * k = 0 … L, the layer that owns {@code layers.k.*} (what pre-training, the filter image and
     * saturation messages count); empty for an {@link #unfused} network.
     */
    public List<DenseLayer> denseLayers() {
        return denseLayers;
    }

    /** All trained tensors in layer order: layers.0.weight, layers.0.bias, layers.1.weight, … */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** All buffers (batch normalization's population statistics), in layer order. */
    public List<Buffer> buffers() {
        return buffers;
    }

    /** The trained tensors of the layers from entry {@code firstLayer} of {@link #layers()} on (a {@link #frozenPrefix}). */
    public List<Parameter> parameters(int firstLayer) {
        List<Parameter> out = new ArrayList<>();
        for (int k = firstLayer; k < layers.size(); k++) {
            out.addAll(layers.get(k).parameters());
        }
        return List.copyOf(out);
    }

    /** The buffers of the layers from entry {@code firstLayer} of {@link #layers()} on (a {@link #frozenPrefix}). */
    public List<Buffer> buffers(int firstLayer) {
        List<Buffer> out = new ArrayList<>();
        for (int k = firstLayer; k < layers.size(); k++) {
            out.addAll(layers.get(k).buffers());
        }
        return List.copyOf(out);
    }

    /**
     * Where a non-finite loss came from after a forward pass: "the pre-activations of layers.k
     * overflow" for the first linear layer whose pre-activations hold NaN or infinity, else
     * "the {@code outputs} overflow" (e.g. logits).
     */
    public String describeOverflow(String outputs) {
        for (int k = 0; k < denseLayers().size(); k++) {
            Matrix a = denseLayers().get(k).lastActivationInput();
            if (a != null && !a.allFinite()) {
                return "the pre-activations of layers." + k + " overflow";
            }
        }
        return "the " + outputs + " overflow";
    }

    /**
     * Weights drawn by {@code initializer}, layer by layer, from {@code random}; biases 0;
     * batch normalization γ = 1, β = 0 and its statistics reset. Fused or not, the draws are the same.
     */
    public void initialize(Initializer initializer, RandomGenerator random) {
        for (Layer layer : layers) {
            layer.initialize(initializer, random);
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
        Matrix h = input;
        for (int k = 0; k < layers.size(); k++) { // indexed: no iterator per step
            h = layers.get(k).forward(h, mode, random);
        }
        return h;
    }

    /**
     * The number of entries of {@link #layers()} that the first {@code hiddenLayers} hidden layers
     * occupy, with the input dropout before them: the layers that training with {@code hiddenLayers}
     * frozen runs in {@link Mode#EVAL} and does not backpropagate into. 0 for 0; for K ≥ 1, the index
     * of the first layer holding a tensor of linear layer K ({@code layers.K.*}).
     *
     * @throws IllegalArgumentException when {@code hiddenLayers} is negative or above the number of
     *                                  linear layers less one (the output layer is never frozen)
     */
    public int frozenPrefix(int hiddenLayers) {
        if (hiddenLayers == 0) {
            return 0;
        }
        if (hiddenLayers > 0) {
            String prefix = "layers." + hiddenLayers + ".";
            for (int k = 0; k < layers.size(); k++) {
                for (Parameter p : layers.get(k).parameters()) {
                    if (p.name().startsWith(prefix)) {
                        return k;
                    }
                }
            }
        }
        throw new IllegalArgumentException("cannot freeze " + hiddenLayers + " hidden layers of a "
                + architecture.describe() + " network: freeze must be between 0 and the number of hidden layers");
    }

    /**
     * Forward propagation of a training batch with the first {@code frozenLayers} entries of
     * {@link #layers()} (a {@link #frozenPrefix}) in {@link Mode#EVAL}: a frozen batch-normalized
     * layer normalizes with its stored statistics and leaves them as they are, and frozen dropout
     * draws no mask, as Keras runs layers with {@code trainable = False} inside {@code model(x,
     * training=False)}. The layers above run in {@code mode}.
     */
    public Matrix forward(Matrix input, Mode mode, RandomGenerator random, int frozenLayers) {
        if (input.precision() != precision) {
            throw new IllegalArgumentException("input is " + input.precision().displayName() + " but the network is "
                    + precision.displayName());
        }
        Matrix h = input;
        for (int k = 0; k < layers.size(); k++) { // indexed: no iterator per step
            h = layers.get(k).forward(h, k < frozenLayers ? Mode.EVAL : mode, random);
        }
        return h;
    }

    /**
     * Backpropagation that stops above the first {@code frozenLayers} entries of {@link #layers()}
     * (a {@link #frozenPrefix}): only the gradients of the layers above are filled. Must follow a
     * {@link #forward(Matrix, Mode, RandomGenerator, int)} in {@link Mode#TRAIN} with the same
     * {@code frozenLayers} on the same batch.
     */
    public void backward(Matrix gradLogits, int frozenLayers) {
        int stop = Math.max(firstTrained, frozenLayers);
        Matrix grad = gradLogits;
        for (int k = layers.size() - 1; k >= stop; k--) {
            grad = layers.get(k).backward(grad, k > stop);
        }
    }

    /**
     * The input of layer {@code k} (an index into {@link #layers()}) in {@link Mode#EVAL}: the batch
     * propagated through layers 0 … k−1 (the input itself for k = 0).
     */
    public Matrix forwardTo(Matrix input, int k) {
        Matrix h = input;
        for (int i = 0; i < k; i++) {
            h = layers.get(i).forward(h, Mode.EVAL, null);
        }
        return h;
    }

    /**
     * Backpropagation from ∂L/∂a(L+1) down to the first layer with parameters (layers below it, such
     * as input dropout, have nothing to learn); fills every parameter's gradient. Must follow a
     * {@link #forward} in {@link Mode#TRAIN} on the same batch.
     */
    public void backward(Matrix gradLogits) {
        Matrix grad = gradLogits;
        for (int k = layers.size() - 1; k >= firstTrained; k--) {
            grad = layers.get(k).backward(grad, k > firstTrained);
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
