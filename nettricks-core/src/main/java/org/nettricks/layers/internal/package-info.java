/**
 * Plumbing of the {@code layers} layer, not part of the API: access to a parameter's update double
 * buffer for the optimizers and the divergence guard. The module descriptor does not export this
 * package.
 */
package org.nettricks.layers.internal;
