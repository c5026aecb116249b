/**
 * Plumbing of the {@code io} layer, not part of the API: the strict JSON binding over Jackson that
 * the file formats (safetensors headers, model metadata, results files) and the command line use, and
 * the memory check readers make before allocating what a file announces.
 * The module descriptor does not export this package; its classes may change in any release.
 */
package org.nettricks.io.internal;
