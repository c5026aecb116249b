package org.nettricks.pretraining;

import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.activations.Activation;
import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.Matrix;
import org.nettricks.training.TrainingState;
import org.nettricks.tensor.Precision;

/**
 * A restricted Boltzmann machine with binary visible and hidden units, trained by contrastive
 * divergence CD-k (Hinton 2002), persistent CD optional (Tieleman 2008):
 * <pre>
 * E(v, h) = −bᵀh − cᵀv − hᵀ W v            p(h = 1 | v) = σ(W v + b),   p(v = 1 | h) = σ(Wᵀ h + c)
 * positive phase:  v⁰ = x (inputs in [0, 1], read as probabilities),  ĥ⁰ = σ(W v⁰ + b)
 * chain:           h ~ Bernoulli(ĥ)  (from ĥ⁰, or from the persistent chain's ĥ with PCD)
 *                  for t = 1 … k:  vᵗ = σ(Wᵀ h + c)      (mean-field visibles, Hinton's guide §3.2)
 *                                  ĥᵗ = σ(W vᵗ + b);  h ~ Bernoulli(ĥᵗ) before the next step
 * gradient estimate of the mean negative log-likelihood over a batch of B:
 *   ∇W = −(ĥ⁰ᵀ v⁰ − ĥᵏᵀ vᵏ) / B      ∇b = −mean(ĥ⁰ − ĥᵏ)      ∇c = −mean(v⁰ − vᵏ)
 * </pre>
 * so that an optimizer step θ ← θ − α∇ is the classic W ← W + α(⟨v h⟩_data − ⟨v h⟩_model).
 * Bernoulli draws compare a uniform draw u from the generator with the probability: h = 1 when
 * u &lt; ĥ, one draw per unit in row-major order. The reconstruction error is the mean over the
 * batch of Σⱼ (xⱼ − v¹ⱼ)², with v¹ from the mean-field up-down pass.
 */
public final class RestrictedBoltzmannMachine implements LayerModel {
    private final Backend backend;
    private final int k;
    private final boolean persistent;
    private final Parameter weight;
    private final Parameter hiddenBias;
    private final Parameter visibleBias;
    private Matrix chain;

    /**
     * @param k          Gibbs steps per update (CD-k), ≥ 1
     * @param persistent keep the negative chain across updates (PCD)
     */
    public RestrictedBoltzmannMachine(int visible, int hidden, int k, boolean persistent, Precision precision,
                                      Backend backend, int layerIndex) {
        if (k < 1) {
            throw new IllegalArgumentException("CD-k needs k >= 1, got " + k);
        }
        this.backend = backend;
        this.k = k;
        this.persistent = persistent;
        String prefix = "layers." + layerIndex;
        this.weight = new Parameter(prefix + ".weight", Parameter.Role.WEIGHT, Matrix.zeros(hidden, visible, precision));
        this.hiddenBias = new Parameter(prefix + ".bias", Parameter.Role.BIAS, Matrix.zeros(1, hidden, precision));
        this.visibleBias = new Parameter(prefix + ".visible.bias", Parameter.Role.BIAS,
                Matrix.zeros(1, visible, precision));
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, hiddenBias, visibleBias);
    }

    @Override
    public Parameter weight() {
        return weight;
    }

    @Override
    public Parameter hiddenBias() {
        return hiddenBias;
    }

    /** c, the visible biases. */
    public Parameter visibleBias() {
        return visibleBias;
    }

    private Matrix hiddenProbabilities(Matrix v) {
        Matrix a = Matrix.zeros(v.rows(), weight.value().rows(), v.precision());
        Matrix p = Matrix.zeros(v.rows(), weight.value().rows(), v.precision());
        backend.gemm(false, true, 1.0, v, weight.value(), 0.0, a);
        backend.addBiasAndActivate(a, hiddenBias.value(), Activation.SIGMOID, p);
        return p;
    }

    private Matrix visibleProbabilities(Matrix h) {
        Matrix a = Matrix.zeros(h.rows(), weight.value().cols(), h.precision());
        Matrix p = Matrix.zeros(h.rows(), weight.value().cols(), h.precision());
        backend.gemm(false, false, 1.0, h, weight.value(), 0.0, a);
        backend.addBiasAndActivate(a, visibleBias.value(), Activation.SIGMOID, p);
        return p;
    }

    private static Matrix sample(Matrix probabilities, RandomGenerator random) {
        Matrix s = Matrix.zeros(probabilities.rows(), probabilities.cols(), probabilities.precision());
        for (int i = 0; i < s.size(); i++) {
            s.setFlat(i, random.nextDouble() < probabilities.getFlat(i) ? 1.0 : 0.0);
        }
        return s;
    }

    @Override
    public double gradients(Matrix v0, RandomGenerator random) {
        int n = v0.rows();
        Matrix h0 = hiddenProbabilities(v0);
        Matrix start = h0;
        if (persistent) {
            if (chain == null || chain.rows() != n) {
                chain = h0.copy();
            }
            start = chain;
        }
        Matrix h = sample(start, random);
        Matrix vk = null;
        Matrix hk = null;
        for (int t = 1; t <= k; t++) {
            vk = visibleProbabilities(h);
            hk = hiddenProbabilities(vk);
            if (t < k) {
                h = sample(hk, random);
            }
        }
        if (persistent) {
            chain = hk;
        }
        // ∇W = −(ĥ⁰ᵀ v⁰ − ĥᵏᵀ vᵏ) / B
        backend.gemm(true, false, -1.0 / n, h0, v0, 0.0, weight.gradient());
        backend.gemm(true, false, 1.0 / n, hk, vk, 1.0, weight.gradient());
        backend.columnSums(-1.0 / n, h0, 0.0, hiddenBias.gradient());
        backend.columnSums(1.0 / n, hk, 1.0, hiddenBias.gradient());
        backend.columnSums(-1.0 / n, v0, 0.0, visibleBias.gradient());
        backend.columnSums(1.0 / n, vk, 1.0, visibleBias.gradient());
        return reconstructionError(v0);
    }

    @Override
    public double reconstructionError(Matrix inputs) {
        Matrix v1 = visibleProbabilities(hiddenProbabilities(inputs));
        double sum = 0;
        for (int i = 0; i < inputs.size(); i++) {
            double d = inputs.getFlat(i) - v1.getFlat(i);
            sum += d * d;
        }
        return sum / inputs.rows();
    }

    @Override
    public Matrix encode(Matrix inputs) {
        return hiddenProbabilities(inputs);
    }

    /** The persistent chain (PCD), when it has started: {@code chain_started}, and {@code chain} [batch, hidden]. */
    @Override
    public void saveState(TrainingState state) {
        state.putBoolean("chain_started", chain != null);
        if (chain != null) {
            state.putTensor("chain", chain);
        }
    }

    @Override
    public void restoreState(TrainingState state) {
        if (!state.getBoolean("chain_started")) {
            chain = null;
            return;
        }
        Matrix stored = state.tensor("chain");
        Matrix target = Matrix.zeros(stored.rows(), weight.value().rows(), weight.value().precision());
        state.copyTensor("chain", target);
        chain = target;
    }
}
