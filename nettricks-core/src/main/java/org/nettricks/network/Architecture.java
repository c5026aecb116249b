package org.nettricks.network;

import java.util.ArrayList;
import java.util.List;

import org.nettricks.activations.Activation;
import org.nettricks.layers.LayerSpec;
import org.nettricks.layers.LayerSpec.ActivationSpec;
import org.nettricks.layers.LayerSpec.BatchNormSpec;
import org.nettricks.layers.LayerSpec.DropoutSpec;
import org.nettricks.layers.LayerSpec.LinearSpec;

/**
 * The shape of a feed-forward network: {@code inputSize} inputs and a list of layer specs, as
 * PyTorch's {@code nn.Sequential}; the last layer's outputs are the logits a(L+1), one per class
 * (softmax is in the loss).
 *
 * <p>The standard stack (the lecture's multilayer network, what the command line builds) is
 * <pre>
 * [Dropout(p_in)]  { Linear(H_k) [BatchNorm] g_k [Dropout(p_k)] } for k = 1 … L   Linear(classes)
 * </pre>
 * with no bias in a linear layer that batch normalization follows; {@link #Architecture(int, double,
 * List, int)} and {@link #of} build it from {@link HiddenLayer}s, and {@link #hidden()} reads it back.
 * Any other list is valid too: a network of it is built from the small layers (see {@link Network}).
 *
 * <p>Tensors are named after the linear layers, counted from 0: {@code layers.k.weight},
 * {@code layers.k.bias}, and {@code layers.k.bn.*} for a batch normalization after linear layer k.
 *
 * @param inputSize dimension of x = h(0), at least 1
 * @param layers    the layers in order; at least one linear layer, each batch normalization after a
 *                  linear layer (at most one per linear layer), at least 2 outputs
 */
public record Architecture(int inputSize, List<LayerSpec> layers) {
    public Architecture {
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be at least 1, got " + inputSize);
        }
        layers = List.copyOf(layers);
        int linear = -1;
        int normalized = -1;
        int size = inputSize;
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec spec = layers.get(i);
            if (spec instanceof LinearSpec) {
                linear++;
            } else if (spec instanceof BatchNormSpec) {
                if (linear < 0) {
                    throw new IllegalArgumentException("layer " + i + " (batch_norm) has no linear layer before it to"
                            + " name its tensors after (layers.k.bn.*); put a linear layer first");
                }
                if (normalized == linear) {
                    throw new IllegalArgumentException("layer " + i + " (batch_norm) is the second batch normalization"
                            + " after linear layer " + linear + "; its tensors layers." + linear + ".bn.* would clash");
                }
                normalized = linear;
            }
            size = spec.outputSize(size);
        }
        if (linear < 0) {
            throw new IllegalArgumentException("an architecture needs at least one linear layer, got " + layers);
        }
        if (size < 1) {
            throw new IllegalArgumentException("outputSize (classes or regression targets) must be at least 1, got "
                    + size);
        }
    }

    /**
     * The standard stack: optional input dropout, hidden layers, a linear output layer.
     *
     * @param inputDropout drop probability of each input during training, in [0, 1); 0 for none
     * @param hidden       hidden layers 1 … L; may be empty (softmax regression)
     * @param outputSize   number of classes (at least 2 for a classifier) or of regression targets, at least 1
     */
    public Architecture(int inputSize, double inputDropout, List<HiddenLayer> hidden, int outputSize) {
        this(inputSize, stack(inputDropout, hidden, outputSize));
    }

    private static List<LayerSpec> stack(double inputDropout, List<HiddenLayer> hidden, int outputSize) {
        if (!(inputDropout >= 0 && inputDropout < 1)) {
            throw new IllegalArgumentException("input dropout probability must be in [0, 1), got " + inputDropout);
        }
        if (outputSize < 1) { // a classifier has at least 2 classes (its data is refused otherwise)
            throw new IllegalArgumentException("outputSize (classes or regression targets) must be at least 1, got "
                    + outputSize);
        }
        List<LayerSpec> specs = new ArrayList<>();
        if (inputDropout > 0) {
            specs.add(new DropoutSpec(inputDropout));
        }
        for (HiddenLayer h : hidden) {
            specs.add(new LinearSpec(h.size(), !h.batchNorm()));
            if (h.batchNorm()) {
                specs.add(new BatchNormSpec());
            }
            specs.add(new ActivationSpec(h.activation()));
            if (h.dropout() > 0) {
                specs.add(new DropoutSpec(h.dropout()));
            }
        }
        specs.add(new LinearSpec(outputSize));
        return specs;
    }

    /** Plain hidden layers, all with the same activation. */
    public static Architecture of(int inputSize, List<Integer> hiddenSizes, Activation activation, int outputSize) {
        List<Activation> activations = new ArrayList<>();
        for (int k = 0; k < hiddenSizes.size(); k++) {
            activations.add(activation);
        }
        return of(inputSize, hiddenSizes, activations, outputSize);
    }

    /** Plain hidden layers with one activation each. */
    public static Architecture of(int inputSize, List<Integer> hiddenSizes, List<Activation> activations,
                                  int outputSize) {
        if (hiddenSizes.size() != activations.size()) {
            throw new IllegalArgumentException("one activation per hidden layer: " + hiddenSizes.size() + " layers, "
                    + activations.size() + " activations");
        }
        List<HiddenLayer> layers = new ArrayList<>();
        for (int k = 0; k < hiddenSizes.size(); k++) {
            layers.add(HiddenLayer.of(hiddenSizes.get(k), activations.get(k)));
        }
        return new Architecture(inputSize, 0.0, layers, outputSize);
    }

    /** The number of logits: the last layer's outputs (one per class). */
    public int outputSize() {
        int size = inputSize;
        for (int i = 0; i < layers.size(); i++) { // indexed: the trainer asks every step, no iterator
            size = layers.get(i).outputSize(size);
        }
        return size;
    }

    /** Number of linear layers (L + 1 in the standard stack): what tensor names count. */
    public int linearLayerCount() {
        int n = 0;
        for (LayerSpec spec : layers) {
            n += spec instanceof LinearSpec ? 1 : 0;
        }
        return n;
    }

    /** Whether the layers are the standard stack (see the class comment). */
    public boolean isStandardStack() {
        return standardStack() != null;
    }

    /**
     * The hidden layers H_1 … H_L of the standard stack.
     *
     * @throws IllegalStateException when the layers are not the standard stack ({@link #isStandardStack()})
     */
    public List<HiddenLayer> hidden() {
        return requireStandardStack().hidden();
    }

    /**
     * The drop probability of the inputs in the standard stack, 0 for none.
     *
     * @throws IllegalStateException when the layers are not the standard stack
     */
    public double inputDropout() {
        return requireStandardStack().inputDropout();
    }

    /** H_1 … H_L: the output sizes of every linear layer but the last. */
    public List<Integer> hiddenSizes() {
        List<Integer> sizes = new ArrayList<>();
        for (LayerSpec spec : layers) {
            if (spec instanceof LinearSpec l) {
                sizes.add(l.size());
            }
        }
        return List.copyOf(sizes.subList(0, sizes.size() - 1));
    }

    /** The sizes of the input and of every linear layer's output joined by dashes, e.g. {@code 784-256-10}. */
    public String describe() {
        StringBuilder sb = new StringBuilder().append(inputSize);
        for (LayerSpec spec : layers) {
            if (spec instanceof LinearSpec l) {
                sb.append('-').append(l.size());
            }
        }
        return sb.toString();
    }

    private record Stack(double inputDropout, List<HiddenLayer> hidden) {
    }

    private Stack requireStandardStack() {
        Stack s = standardStack();
        if (s == null) {
            throw new IllegalStateException("the layers " + layers + " are not the standard stack [Dropout] {Linear"
                    + " [BatchNorm] g [Dropout]} Linear; read layers() instead");
        }
        return s;
    }

    /** The standard stack these layers spell, or null. */
    private Stack standardStack() {
        int i = 0;
        int n = layers.size();
        double inputDropout = 0;
        if (i < n && layers.get(i) instanceof DropoutSpec d) {
            inputDropout = d.probability();
            i++;
        }
        List<HiddenLayer> hidden = new ArrayList<>();
        while (i < n - 1) {
            if (!(layers.get(i) instanceof LinearSpec linear)) {
                return null;
            }
            i++;
            boolean batchNorm = i < n && layers.get(i) instanceof BatchNormSpec;
            if (batchNorm) {
                i++;
            }
            if (linear.bias() == batchNorm || !(i < n && layers.get(i) instanceof ActivationSpec g)) {
                return null;
            }
            i++;
            double dropout = 0;
            if (i < n && layers.get(i) instanceof DropoutSpec d) {
                dropout = d.probability();
                i++;
            }
            hidden.add(new HiddenLayer(linear.size(), g.activation(), batchNorm, dropout));
        }
        if (i != n - 1 || !(layers.get(i) instanceof LinearSpec output) || !output.bias()) {
            return null;
        }
        return new Stack(inputDropout, List.copyOf(hidden));
    }
}
