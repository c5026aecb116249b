package org.nettricks.regularization;

import java.util.List;

import org.nettricks.layers.Parameter;

/**
 * A link of the chain between backpropagation and the optimizer's update (optax's
 * {@code chain}): it rewrites the parameters' gradients in place. The training loop applies its
 * transforms in the order given, after backward and before the update; the standard order is the
 * weight penalty, then clipping (so that the clipped norm includes the penalty's gradient).
 *
 * <p>A transform must not allocate: it runs at every step.
 */
@FunctionalInterface
public interface GradientTransform {
    /** Rewrites ∇θ of every parameter in place. */
    void apply(List<Parameter> parameters);
}
