package org.nettricks.regularization;

import java.util.List;

import org.nettricks.layers.Parameter;

/** A regularizer λΩ(θ) added to the training objective: its value and its gradient. */
public interface Penalty {
    /** λΩ(θ). */
    double value(List<Parameter> parameters);

    /** Adds λ∇Ω(θ) to the parameters' gradients. */
    void addGradient(List<Parameter> parameters);
}
