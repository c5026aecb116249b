package org.nettricks.layers;

/**
 * Whether a forward pass is part of training or of inference. Passed explicitly to every
 * {@code forward} call, never held as global state: tricks such as dropout and batch normalization
 * behave differently in the two modes.
 */
public enum Mode {
    /** A training step: stochastic tricks are active and backward may follow. */
    TRAIN,
    /** Evaluation or prediction: deterministic. */
    EVAL
}
