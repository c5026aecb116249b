package org.nettricks.regularization;

import java.util.List;

import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Matrix;

/**
 * Clipping by global norm (Pascanu et al. 2013), applied after the penalty and before the
 * optimizer: when the norm of all gradients together exceeds c, every gradient is scaled down by
 * the same factor.
 * <pre>
 * n = √(Σ_θ Σ_i (∇θ_i)²);   if n &gt; c:  ∇θ ← ∇θ · c / n
 * </pre>
 *
 * @param maxNorm c &gt; 0
 */
public record GradientClipping(double maxNorm) implements GradientTransform {
    public GradientClipping {
        if (!(maxNorm > 0) || !Double.isFinite(maxNorm)) {
            throw new IllegalArgumentException("clip norm must be a finite number > 0, got " + maxNorm);
        }
    }

    /** The global norm of all gradients. */
    public static double globalNorm(List<Parameter> parameters) {
        double sum = 0;
        for (int k = 0; k < parameters.size(); k++) { // indexed: no iterator per step
            Parameter p = parameters.get(k);
            Matrix g = p.gradient();
            for (int i = 0; i < g.size(); i++) {
                double v = g.getFlat(i);
                sum += v * v;
            }
        }
        return Math.sqrt(sum);
    }

    /** As a link of the gradient chain: {@link #clip}. */
    @Override
    public void apply(List<Parameter> parameters) {
        clip(parameters);
    }

    /** Scales the gradients if their global norm exceeds the maximum; returns the norm before clipping. */
    public double clip(List<Parameter> parameters) {
        double norm = globalNorm(parameters);
        if (norm > maxNorm) {
            double scale = maxNorm / norm;
            for (int k = 0; k < parameters.size(); k++) { // indexed: no iterator per step
                Parameter p = parameters.get(k);
                Matrix g = p.gradient();
                for (int i = 0; i < g.size(); i++) {
                    g.setFlat(i, g.getFlat(i) * scale);
                }
            }
        }
        return norm;
    }
}
