package org.nettricks.regularization;

import java.util.List;

import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Matrix;

/**
 * The regularizer λΩ(θ) of the lecture's regularized risk
 * <pre>(1/T) Σₜ l(f(x⁽ᵗ⁾; θ), y⁽ᵗ⁾) + λ Ω(θ)</pre>
 * with the L2 and L1 penalties, which may be combined:
 * <pre>
 * L2:  Ω = Σ_k ‖W(k)‖²_F = Σ_k Σ_i Σ_j (W(k)_ij)²      ∇_W(k) Ω = 2 W(k)
 * L1:  Ω = Σ_k Σ_i Σ_j |W(k)_ij|                          ∇_W(k) Ω = sign(W(k)),  sign(0) = 0
 * </pre>
 * Both apply to connection weights only, never to biases or batch normalization's γ and β
 * ({@link Parameter#isPenalized()}). The penalty is added once per mini-batch, to the gradient of the
 * batch's mean loss.
 *
 * @param l1 λ of the L1 penalty, ≥ 0
 * @param l2 λ of the L2 penalty, ≥ 0
 */
public record WeightPenalty(double l1, double l2) implements Penalty, GradientTransform {
    public static final WeightPenalty NONE = new WeightPenalty(0, 0);

    public WeightPenalty {
        if (!(l1 >= 0) || !Double.isFinite(l1)) {
            throw new IllegalArgumentException("l1 must be a finite number >= 0, got " + l1);
        }
        if (!(l2 >= 0) || !Double.isFinite(l2)) {
            throw new IllegalArgumentException("l2 must be a finite number >= 0, got " + l2);
        }
    }

    public boolean isActive() {
        return l1 > 0 || l2 > 0;
    }

    /** λ₁ Σ|W| + λ₂ Σ W², over the penalized parameters. */
    @Override
    public double value(List<Parameter> parameters) {
        if (!isActive()) {
            return 0;
        }
        double absolute = 0;
        double squares = 0;
        for (int k = 0; k < parameters.size(); k++) { // indexed: no iterator per step
            Parameter p = parameters.get(k);
            if (!p.isPenalized()) {
                continue;
            }
            Matrix w = p.value();
            for (int i = 0; i < w.size(); i++) {
                double v = w.getFlat(i);
                absolute += Math.abs(v);
                squares += v * v;
            }
        }
        return l1 * absolute + l2 * squares;
    }

    /** Adds λ₁ sign(W) + λ₂ 2W to the gradient of every penalized parameter. */
    @Override
    public void addGradient(List<Parameter> parameters) {
        if (!isActive()) {
            return;
        }
        for (int k = 0; k < parameters.size(); k++) { // indexed: no iterator per step
            Parameter p = parameters.get(k);
            if (!p.isPenalized()) {
                continue;
            }
            Matrix w = p.value();
            Matrix g = p.gradient();
            for (int i = 0; i < w.size(); i++) {
                double v = w.getFlat(i);
                double sign = v > 0 ? 1.0 : (v < 0 ? -1.0 : 0.0);
                g.setFlat(i, g.getFlat(i) + l1 * sign + l2 * 2 * v);
            }
        }
    }

    /** As a link of the gradient chain: {@link #addGradient}. */
    @Override
    public void apply(List<Parameter> parameters) {
        addGradient(parameters);
    }
}
