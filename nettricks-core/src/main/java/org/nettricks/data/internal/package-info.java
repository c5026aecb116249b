/**
 * Plumbing of the {@code data} layer, not part of the API: the buffers that evaluation and training
 * gather mini-batches into. The module descriptor does not export this package.
 */
package org.nettricks.data.internal;
