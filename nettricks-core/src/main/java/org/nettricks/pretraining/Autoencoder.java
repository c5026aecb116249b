package org.nettricks.pretraining;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.activations.Activation;
import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * An autoencoder layer, optionally denoising (Vincent et al. 2008):
 * <pre>
 * x̃ = corrupt(x)                         (denoising only; the target stays x)
 * h = g(W x̃ + b)                         encoder, the layer kept for the network
 * x̂ = o(W' h + c)                        decoder: W' = Wᵀ (tied) or its own V (untied)
 * sigmoid output, inputs in [0, 1]:  l = −Σⱼ [xⱼ log x̂ⱼ + (1 − xⱼ) log(1 − x̂ⱼ)]   (cross-entropy)
 * linear output, other inputs:       l = ½ Σⱼ (x̂ⱼ − xⱼ)²                             (squared error)
 * </pre>
 * Both pairings give ∂l/∂(W'h + c) = x̂ − x; the objective is the mean of l over the batch.
 * Backpropagation: ∇c = Σ δ, ∇W' = δᵀ h (tied: added to ∇W transposed), ∇h = δ W',
 * ∇a = ∇h ⊙ g'(a), ∇W += ∇aᵀ x̃, ∇b = Σ ∇a.
 */
public final class Autoencoder implements LayerModel {
    /** How inputs are corrupted for a denoising autoencoder. */
    public record Corruption(Kind kind, double level) {
        /** Masking noise (each input set to 0 with probability {@code level}) or Gaussian noise (σ = level). */
        public enum Kind {
            NONE, MASKING, GAUSSIAN
        }

        public static final Corruption NONE = new Corruption(Kind.NONE, 0);

        public Corruption {
            if (kind == Kind.MASKING && !(level >= 0 && level < 1)) {
                throw new IllegalArgumentException("masking corruption level must be in [0, 1), got " + level);
            }
            if (kind == Kind.GAUSSIAN && (!(level >= 0) || !Double.isFinite(level))) {
                throw new IllegalArgumentException("Gaussian noise level must be a finite number >= 0, got " + level);
            }
        }
    }

    private final Backend backend;
    private final Activation activation;
    private final boolean tied;
    private final boolean sigmoidOutput;
    private final Corruption corruption;
    private final Parameter weight;
    private final Parameter hiddenBias;
    private final Parameter visibleBias;
    private final Parameter decoderWeight;

    /**
     * @param sigmoidOutput sigmoid reconstruction with cross-entropy (inputs in [0, 1]); else linear
     *                      with squared error
     */
    public Autoencoder(int visible, int hidden, Activation activation, boolean tied, boolean sigmoidOutput,
                       Corruption corruption, Precision precision, Backend backend, int layerIndex) {
        this.backend = backend;
        this.activation = activation;
        this.tied = tied;
        this.sigmoidOutput = sigmoidOutput;
        this.corruption = corruption;
        String prefix = "layers." + layerIndex;
        this.weight = new Parameter(prefix + ".weight", Parameter.Role.WEIGHT, Matrix.zeros(hidden, visible, precision));
        this.hiddenBias = new Parameter(prefix + ".bias", Parameter.Role.BIAS, Matrix.zeros(1, hidden, precision));
        this.visibleBias = new Parameter(prefix + ".decoder.bias", Parameter.Role.BIAS,
                Matrix.zeros(1, visible, precision));
        this.decoderWeight = tied ? null : new Parameter(prefix + ".decoder.weight", Parameter.Role.WEIGHT,
                Matrix.zeros(visible, hidden, precision));
    }

    @Override
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>(List.of(weight, hiddenBias, visibleBias));
        if (decoderWeight != null) {
            ps.add(decoderWeight);
        }
        return ps;
    }

    @Override
    public Parameter weight() {
        return weight;
    }

    @Override
    public Parameter hiddenBias() {
        return hiddenBias;
    }

    /** The decoder's W' [visible, hidden], or null when tied to Wᵀ. */
    public Parameter decoderWeight() {
        return decoderWeight;
    }

    /** x̃ for a batch: a new matrix (the input itself without corruption). */
    public Matrix corrupt(Matrix x, RandomGenerator random) {
        if (corruption.kind() == Corruption.Kind.NONE || corruption.level() == 0) {
            return x;
        }
        Matrix out = x.copy();
        for (int i = 0; i < out.size(); i++) {
            if (corruption.kind() == Corruption.Kind.MASKING) {
                if (random.nextDouble() < corruption.level()) {
                    out.setFlat(i, 0);
                }
            } else {
                out.setFlat(i, out.getFlat(i) + corruption.level() * random.nextGaussian());
            }
        }
        return out;
    }

    @Override
    public double gradients(Matrix x, RandomGenerator random) {
        return lossAndGradients(x, corrupt(x, random), true);
    }

    /**
     * The mean reconstruction loss of {@code target} from {@code input} (x̃), with gradients when
     * asked: public so that finite-difference checks can hold the corruption fixed.
     */
    public double lossAndGradients(Matrix target, Matrix input, boolean withGradients) {
        int n = input.rows();
        Precision p = input.precision();
        Matrix a = Matrix.zeros(n, weight.value().rows(), p);
        Matrix h = Matrix.zeros(n, weight.value().rows(), p);
        backend.gemm(false, true, 1.0, input, weight.value(), 0.0, a);
        backend.addBiasAndActivate(a, hiddenBias.value(), activation, h);
        Matrix z = Matrix.zeros(n, weight.value().cols(), p);
        if (tied) {
            backend.gemm(false, false, 1.0, h, weight.value(), 0.0, z);
        } else {
            backend.gemm(false, true, 1.0, h, decoderWeight.value(), 0.0, z);
        }
        double loss = 0;
        Matrix delta = withGradients ? Matrix.zeros(n, z.cols(), p) : null;
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < z.cols(); j++) {
                int i = r * z.cols() + j;
                double zi = z.getFlat(i) + visibleBias.value().getFlat(j);
                double xi = target.getFlat(i);
                double reconstruction;
                if (sigmoidOutput) {
                    // −[x log σ(z) + (1 − x) log(1 − σ(z))] = softplus(z) − x z, stable for large |z|
                    loss += Math.max(zi, 0) + Math.log1p(Math.exp(-Math.abs(zi))) - xi * zi;
                    reconstruction = 1 / (1 + Math.exp(-zi));
                } else {
                    loss += 0.5 * (zi - xi) * (zi - xi);
                    reconstruction = zi;
                }
                if (delta != null) {
                    delta.setFlat(i, (reconstruction - xi) / n);
                }
            }
        }
        if (!withGradients) {
            return loss / n;
        }
        backend.columnSums(1.0, delta, 0.0, visibleBias.gradient());
        Matrix gradH = Matrix.zeros(n, h.cols(), p);
        if (tied) {
            backend.gemm(false, true, 1.0, delta, weight.value(), 0.0, gradH);
        } else {
            backend.gemm(true, false, 1.0, delta, h, 0.0, decoderWeight.gradient());
            backend.gemm(false, false, 1.0, delta, decoderWeight.value(), 0.0, gradH);
        }
        Matrix gradA = Matrix.zeros(n, h.cols(), p);
        backend.activationBackward(activation, a, h, gradH, gradA);
        backend.gemm(true, false, 1.0, gradA, input, 0.0, weight.gradient());
        if (tied) {
            backend.gemm(true, false, 1.0, h, delta, 1.0, weight.gradient()); // the decoder's share, hᵀ δ
        }
        backend.columnSums(1.0, gradA, 0.0, hiddenBias.gradient());
        return loss / n;
    }

    @Override
    public double reconstructionError(Matrix inputs) {
        return lossAndGradients(inputs, inputs, false);
    }

    @Override
    public Matrix encode(Matrix inputs) {
        Matrix a = Matrix.zeros(inputs.rows(), weight.value().rows(), inputs.precision());
        Matrix h = Matrix.zeros(inputs.rows(), weight.value().rows(), inputs.precision());
        backend.gemm(false, true, 1.0, inputs, weight.value(), 0.0, a);
        backend.addBiasAndActivate(a, hiddenBias.value(), activation, h);
        return h;
    }
}
