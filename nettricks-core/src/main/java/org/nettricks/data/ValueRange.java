package org.nettricks.data;

/**
 * The range a data format guarantees for its feature values, e.g. [0, 255] for IDX unsigned
 * bytes. Scaling to [0, 1] uses it when known, instead of the training set's observed range.
 */
public record ValueRange(double min, double max) {
    public ValueRange {
        if (!(max > min)) {
            throw new IllegalArgumentException("value range needs max > min, got [" + min + ", " + max + "]");
        }
    }
}
