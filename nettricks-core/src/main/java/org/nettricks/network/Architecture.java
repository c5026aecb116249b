package org.nettricks.network;

import java.util.ArrayList;
import java.util.List;

import org.nettricks.activations.Activation;

/**
 * The shape of a multilayer network: {@code inputSize} inputs, L hidden layers with their sizes
 * H_k and activations g, and {@code outputSize} softmax outputs (one per class).
 *
 * @param inputSize         dimension of x = h(0)
 * @param hiddenSizes       H_1 … H_L; may be empty (softmax regression)
 * @param hiddenActivations g for each hidden layer, same length as {@code hiddenSizes}
 * @param outputSize        number of classes
 */
public record Architecture(int inputSize, List<Integer> hiddenSizes, List<Activation> hiddenActivations,
                           int outputSize) {
    public Architecture {
        if (inputSize < 1) {
            throw new IllegalArgumentException("inputSize must be at least 1, got " + inputSize);
        }
        hiddenSizes = List.copyOf(hiddenSizes);
        hiddenActivations = List.copyOf(hiddenActivations);
        if (hiddenSizes.size() != hiddenActivations.size()) {
            throw new IllegalArgumentException("hiddenActivations must give one activation per hidden layer: "
                    + hiddenSizes.size() + " layers, " + hiddenActivations.size() + " activations");
        }
        for (int k = 0; k < hiddenSizes.size(); k++) {
            if (hiddenSizes.get(k) < 1) {
                throw new IllegalArgumentException("hidden layer " + (k + 1) + " size must be at least 1, got "
                        + hiddenSizes.get(k));
            }
        }
        if (outputSize < 2) {
            throw new IllegalArgumentException("outputSize (number of classes) must be at least 2, got " + outputSize);
        }
    }

    /** The same activation for every hidden layer. */
    public static Architecture of(int inputSize, List<Integer> hiddenSizes, Activation activation, int outputSize) {
        List<Activation> activations = new ArrayList<>();
        for (int k = 0; k < hiddenSizes.size(); k++) {
            activations.add(activation);
        }
        return new Architecture(inputSize, hiddenSizes, activations, outputSize);
    }

    /** Number of dense layers, L + 1. */
    public int layerCount() {
        return hiddenSizes.size() + 1;
    }

    /** Inputs of dense layer k (0-based): H_{k} with H_0 = inputSize. */
    public int layerInputSize(int k) {
        return k == 0 ? inputSize : hiddenSizes.get(k - 1);
    }

    /** Outputs of dense layer k (0-based). */
    public int layerOutputSize(int k) {
        return k < hiddenSizes.size() ? hiddenSizes.get(k) : outputSize;
    }

    /** Activation of dense layer k (0-based); the output layer is linear (softmax is in the loss). */
    public Activation layerActivation(int k) {
        return k < hiddenActivations.size() ? hiddenActivations.get(k) : Activation.LINEAR;
    }

    /** Sizes joined by dashes, e.g. {@code 784-256-10}. */
    public String describe() {
        StringBuilder sb = new StringBuilder().append(inputSize);
        for (int k = 0; k < hiddenSizes.size(); k++) {
            sb.append('-').append(hiddenSizes.get(k));
        }
        return sb.append('-').append(outputSize).toString();
    }

    /** Total number of trained values. */
    public long parameterCount() {
        long total = 0;
        for (int k = 0; k < layerCount(); k++) {
            total += (long) layerInputSize(k) * layerOutputSize(k) + layerOutputSize(k);
        }
        return total;
    }
}
