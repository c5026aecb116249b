package org.nettricks.debugging;

/**
 * The error measure of gradient checks: the relative error between a backpropagated gradient a and
 * its finite-difference estimate n,
 * <pre>
 * e = |a − n| / max(|a|, |n|, τ),   τ = {@value #FLOOR}
 * </pre>
 * The floor τ handles the trap of entries whose true gradient is (nearly) zero, where a plain
 * relative error divides rounding noise by noise: in float64 the central difference carries an
 * absolute noise of about 1e−16 · |f| / ε (1e−11 to 1e−10 at ε = 1e−5), so below τ the measure
 * becomes an absolute test, |a − n| &lt; τ · threshold (1e−9 at a threshold of 1e−6).
 */
public final class RelativeError {
    /** Magnitude below which gradients are compared in absolute terms. */
    public static final double FLOOR = 1e-3;

    private RelativeError() {
    }

    /** e(a, n) as defined above. */
    public static double of(double analytic, double numeric) {
        return Math.abs(analytic - numeric) / Math.max(Math.max(Math.abs(analytic), Math.abs(numeric)), FLOOR);
    }
}
