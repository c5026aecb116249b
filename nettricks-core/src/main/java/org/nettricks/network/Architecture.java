package org.nettricks.network;

import java.util.ArrayList;
import java.util.List;

import org.nettricks.activations.Activation;

/**
 * The shape of a multilayer network: {@code inputSize} inputs (optionally with dropout on them),
 * L hidden layers, and {@code outputSize} softmax outputs (one per class).
 *
 * @param inputSize    dimension of x = h(0)
 * @param inputDropout drop probability of each input during training, in [0, 1)
 * @param hidden       hidden layers 1 … L; may be empty (softmax regression)
 * @param outputSize   number of classes
 */
public record Architecture(int inputSize, double inputDropout, List<HiddenLayer> hidden, int outputSize) {
    public Architecture {
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be at least 1, got " + inputSize);
        }
        if (!(inputDropout >= 0 && inputDropout < 1)) {
            throw new IllegalArgumentException("input dropout probability must be in [0, 1), got " + inputDropout);
        }
        hidden = List.copyOf(hidden);
        if (outputSize < 2) {
            throw new IllegalArgumentException("outputSize (number of classes) must be at least 2, got " + outputSize);
        }
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

    /** H_1 … H_L. */
    public List<Integer> hiddenSizes() {
        return hidden.stream().map(HiddenLayer::size).toList();
    }

    /** Number of dense layers, L + 1. */
    public int layerCount() {
        return hidden.size() + 1;
    }

    /** Inputs of dense layer k (0-based): H_{k} with H_0 = inputSize. */
    public int layerInputSize(int k) {
        return k == 0 ? inputSize : hidden.get(k - 1).size();
    }

    /** Outputs of dense layer k (0-based). */
    public int layerOutputSize(int k) {
        return k < hidden.size() ? hidden.get(k).size() : outputSize;
    }

    /** Activation of dense layer k (0-based); the output layer is linear (softmax is in the loss). */
    public Activation layerActivation(int k) {
        return k < hidden.size() ? hidden.get(k).activation() : Activation.LINEAR;
    }

    /** Whether dense layer k batch-normalizes its pre-activations (never the output layer). */
    public boolean layerBatchNorm(int k) {
        return k < hidden.size() && hidden.get(k).batchNorm();
    }

    /** Dropout probability on the outputs of dense layer k (never the output layer). */
    public double layerDropout(int k) {
        return k < hidden.size() ? hidden.get(k).dropout() : 0.0;
    }

    /** Sizes joined by dashes, e.g. {@code 784-256-10}. */
    public String describe() {
        StringBuilder sb = new StringBuilder().append(inputSize);
        for (HiddenLayer h : hidden) {
            sb.append('-').append(h.size());
        }
        return sb.append('-').append(outputSize).toString();
    }
}
