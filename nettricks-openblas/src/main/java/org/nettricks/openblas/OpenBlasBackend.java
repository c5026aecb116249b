package org.nettricks.openblas;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.openblas.global.openblas;
import org.nettricks.tensor.DelegatingBackend;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * The native backend: matrix products by OpenBLAS ({@code cblas_sgemm} / {@code cblas_dgemm},
 * row-major, on the matrices' own arrays, pinned rather than copied when the {@link CriticalGemm}
 * helper is available), every other operation delegated to the {@link JavaBackend}.
 *
 * <p>OpenBLAS's thread count is process-wide: creating this backend sets it to {@code threads}.
 */
public final class OpenBlasBackend extends DelegatingBackend {
    private final JavaBackend java;
    private final int threads;
    private final boolean pinned;

    /**
     * A backend computing with {@code threads} threads.
     *
     * @throws IllegalStateException when the library chosen by {@link BlasLibrary} ({@code NETTRICKS_BLAS}) is
     *     misconfigured: a value other than auto, bundled or system, or {@code system} where none loads
     * @throws LinkageError when the native library cannot load
     */
    public OpenBlasBackend(int threads) {
        this(threads, new JavaBackend(threads), CriticalGemm.available()); // JavaBackend refuses threads < 1
    }

    private OpenBlasBackend(int threads, JavaBackend java, boolean pinned) {
        super(java);
        String error = CriticalGemm.configurationError();
        if (error != null) {
            java.close();
            throw new IllegalStateException(error);
        }
        this.threads = threads;
        this.java = java;
        this.pinned = pinned;
        openblas.blas_set_num_threads(threads);
    }

    /** A backend that always uses JavaCPP's copying array calls (for tests and comparisons). */
    public static OpenBlasBackend copying(int threads) {
        return new OpenBlasBackend(threads, new JavaBackend(threads), false);
    }

    /**
     * The OpenBLAS build that computes the products, as the library describes itself, then where it
     * comes from ({@link BlasLibrary}), e.g. {@code OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Zen
     * MAX_THREADS=64; bundled} or {@code OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen
     * MAX_THREADS=64; the system's}; when org.bytedeco:openblas's own property
     * {@code org.bytedeco.openblas.load} chose it, that setting.
     */
    public static String version() {
        String config = CriticalGemm.available() ? CriticalGemm.config() : null;
        String source = CriticalGemm.source();
        return (config != null ? config.strip() : "OpenBLAS through org.bytedeco:openblas 0.3.31-1.5.13")
                + (source == null ? "" : "; " + source);
    }

    /**
     * {@link #version()} and, when the library was not the default's obvious choice, why (e.g.
     * {@code NETTRICKS_BLAS=bundled}, or {@code the system's is OpenMP}): what the backend's notice shows.
     */
    public static String versionAndReason() {
        String reason = CriticalGemm.reason();
        return version() + (reason == null ? "" : ", " + reason);
    }

    /**
     * The error in the choice of library ({@link BlasLibrary}: {@code NETTRICKS_BLAS} or
     * {@code -Dnettricks.blas}) that keeps this backend from opening, in one line; null when there is none.
     * Loads the native code.
     */
    public static String configurationError() {
        return CriticalGemm.configurationError();
    }

    /**
     * The kernel set OpenBLAS runs (its {@code openblas_get_corename()}, e.g. {@code Haswell}, chosen
     * for this CPU by a DYNAMIC_ARCH build, or forced with the environment variable
     * {@code OPENBLAS_CORETYPE}), or null when unknown (the zero-copy helper that asks it is not loaded).
     */
    public static String kernel() {
        String core = CriticalGemm.available() ? CriticalGemm.corename() : null;
        return core == null ? null : core.strip();
    }

    /**
     * What the provenance of a model trained here records: {@code blas} (the library and version,
     * {@link #version()}), {@code blas_kernel} ({@link #kernel()}, or "unknown") and, when set, the
     * environment variable {@code OPENBLAS_CORETYPE} that forces a kernel. The same seed gives the same
     * bits only on the same kernel: different kernels sum the products in different orders.
     */
    @Override
    public Map<String, String> provenance() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("blas", version());
        String kernel = kernel();
        m.put("blas_kernel", kernel != null ? kernel : "unknown (" + CriticalGemm.problem() + ")");
        String forced = System.getenv("OPENBLAS_CORETYPE");
        if (forced != null && !forced.isBlank()) {
            m.put("openblas_coretype", forced);
        }
        return Collections.unmodifiableMap(m);
    }

    /** For {@code blas}: the setting that loads the recorded library again ({@link BlasLibrary}). */
    @Override
    public String provenanceAdvice(String key, String recorded) {
        return "blas".equals(key) ? BlasLibrary.advice(recorded) : null;
    }

    /** True when products run on the pinned arrays; false when JavaCPP copies them in and out. */
    public static boolean zeroCopy() {
        return CriticalGemm.available();
    }

    /** Why products copy their operands, or null when they do not. */
    public static String zeroCopyProblem() {
        return CriticalGemm.problem();
    }

    @Override
    public String name() {
        return "openblas";
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public void gemm(boolean transposeA, boolean transposeB, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        int m = c.rows();
        int n = c.cols();
        int k = JavaBackend.checkGemm(transposeA, transposeB, a, b, c);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            java.gemm(transposeA, transposeB, alpha, a, b, beta, c); // only scales C; BLAS may not accept k = 0
            return;
        }
        if (pinned) {
            if (c.precision() == Precision.FLOAT32) {
                CriticalGemm.sgemm(transposeA, transposeB, m, n, k, (float) alpha, a.floats(), a.cols(), b.floats(),
                        b.cols(), (float) beta, c.floats(), c.cols());
            } else {
                CriticalGemm.dgemm(transposeA, transposeB, m, n, k, alpha, a.doubles(), a.cols(), b.doubles(),
                        b.cols(), beta, c.doubles(), c.cols());
            }
            return;
        }
        int ta = transposeA ? openblas.CblasTrans : openblas.CblasNoTrans;
        int tb = transposeB ? openblas.CblasTrans : openblas.CblasNoTrans;
        if (c.precision() == Precision.FLOAT32) {
            openblas.cblas_sgemm(openblas.CblasRowMajor, ta, tb, m, n, k, (float) alpha, a.floats(), a.cols(),
                    b.floats(), b.cols(), (float) beta, c.floats(), c.cols());
        } else {
            openblas.cblas_dgemm(openblas.CblasRowMajor, ta, tb, m, n, k, alpha, a.doubles(), a.cols(), b.doubles(),
                    b.cols(), beta, c.doubles(), c.cols());
        }
    }
}
