package org.nettricks.tensor;

/**
 * A numerical backend that lives in a module of its own (e.g. OpenBLAS), found at run time with
 * {@link java.util.ServiceLoader}: a module registers its implementation under
 * {@code META-INF/services/org.nettricks.tensor.BackendProvider}. The pure-Java backend needs no
 * provider; it is always there.
 *
 * <p>A provider class must load without its native code: {@link #open} is where a missing native
 * library shows, as an exception or a {@link LinkageError}.
 */
public interface BackendProvider {
    /** The name users choose the backend by, e.g. {@code openblas}; the same as its {@link Backend#name()}. */
    String name();

    /**
     * A mistake in how the user configured this backend (e.g. an environment variable with a value it
     * does not take), in one line naming the setting and the fix, or null when there is none. A caller
     * that falls back to another backend when {@link #open} fails must stop instead when this is
     * non-null: the user asked for something. May load native code. By default, null.
     */
    default String configurationProblem() {
        return null;
    }

    /** A backend computing with {@code threads} threads; throws if it cannot run on this machine. */
    Backend open(int threads);

    /**
     * The build that computes, as it describes itself, e.g. {@code OpenBLAS 0.3.31 DYNAMIC_ARCH
     * Cooperlake MAX_THREADS=64}; call after {@link #open} succeeded.
     */
    String version();

    /**
     * Why the backend runs slower than it could here (e.g. {@code GEMM operands copied: ...}), or null
     * when nothing is amiss; call after {@link #open} succeeded.
     */
    String problem();
}
