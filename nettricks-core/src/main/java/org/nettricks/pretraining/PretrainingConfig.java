package org.nettricks.pretraining;

import java.util.List;

/**
 * How to pre-train the hidden layers.
 *
 * @param method       {@code ae} (autoencoder), {@code dae} (denoising autoencoder) or {@code rbm}
 * @param epochs       epochs per layer (one value for all layers, or one per layer)
 * @param learningRates learning rate per layer (one value for all, or one per layer)
 * @param tied         autoencoders: decoder weights W' = Wᵀ
 * @param corruption   denoising autoencoders: how inputs are corrupted
 * @param cdK          RBMs: Gibbs steps of CD-k
 * @param persistent   RBMs: persistent contrastive divergence
 * @param patience     early stopping on the validation reconstruction error, 0 for none
 */
public record PretrainingConfig(String method, List<Integer> epochs, List<Double> learningRates, boolean tied,
                                Autoencoder.Corruption corruption, int cdK, boolean persistent, int patience) {
    public PretrainingConfig {
        epochs = List.copyOf(epochs);
        learningRates = List.copyOf(learningRates);
        if (!List.of("ae", "dae", "rbm").contains(method)) {
            throw new IllegalArgumentException("pre-training method must be ae, dae or rbm, got '" + method + "'");
        }
        if (epochs.isEmpty() || learningRates.isEmpty()) {
            throw new IllegalArgumentException("pre-training needs epochs and learning rates");
        }
    }

    /** Epochs of hidden layer k (0-based). */
    public int epochsOf(int k) {
        return epochs.size() == 1 ? epochs.get(0) : epochs.get(k);
    }

    /** Learning rate of hidden layer k (0-based). */
    public double learningRateOf(int k) {
        return learningRates.size() == 1 ? learningRates.get(0) : learningRates.get(k);
    }
}
