package org.nettricks.openblas;

import org.bytedeco.openblas.global.openblas;
import org.nettricks.tensor.DelegatingBackend;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * The native backend: matrix products by OpenBLAS ({@code cblas_sgemm} / {@code cblas_dgemm},
 * row-major, on the matrices' own arrays), every other operation delegated to the
 * {@link JavaBackend}.
 *
 * <p>OpenBLAS's thread count is process-wide: creating this backend sets it to {@code threads}.
 */
public final class OpenBlasBackend extends DelegatingBackend {
    private final JavaBackend java;
    private final int threads;

    /** A backend computing with {@code threads} threads; throws if the native library cannot load. */
    public OpenBlasBackend(int threads) {
        this(threads, new JavaBackend(threads)); // JavaBackend refuses threads < 1
    }

    private OpenBlasBackend(int threads, JavaBackend java) {
        super(java);
        this.threads = threads;
        this.java = java;
        openblas.blas_set_num_threads(threads);
    }

    /** The OpenBLAS build, e.g. {@code OpenBLAS 0.3.31 ... }, as the library reports it. */
    public static String version() {
        return "OpenBLAS (org.bytedeco:openblas 0.3.31-1.5.13)";
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
