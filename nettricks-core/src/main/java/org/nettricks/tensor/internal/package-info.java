/**
 * Plumbing of the {@code tensor} layer, not part of the API: the per-batch-size workspaces that keep
 * the training step free of allocation. The module descriptor does not export this package.
 */
package org.nettricks.tensor.internal;
