package org.nettricks.openblas;

import org.bytedeco.openblas.global.openblas;
import org.nettricks.activations.Activation;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * The native backend: matrix products by OpenBLAS ({@code cblas_sgemm} / {@code cblas_dgemm},
 * row-major, on the matrices' own arrays), every other operation by the {@link JavaBackend}.
 *
 * <p>OpenBLAS's thread count is process-wide: creating this backend sets it to {@code threads}.
 */
public final class OpenBlasBackend implements Backend, AutoCloseable {
    private final JavaBackend java;
    private final int threads;

    /** A backend computing with {@code threads} threads; throws if the native library cannot load. */
    public OpenBlasBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        openblas.blas_set_num_threads(threads);
        this.java = new JavaBackend(threads);
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
    public void close() {
        java.close();
    }

    @Override
    public void gemm(boolean transposeA, boolean transposeB, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        int m = c.rows();
        int n = c.cols();
        int k = transposeA ? a.rows() : a.cols();
        int aRows = transposeA ? a.cols() : a.rows();
        int bRows = transposeB ? b.cols() : b.rows();
        int bCols = transposeB ? b.rows() : b.cols();
        if (aRows != m || bRows != k || bCols != n) {
            throw new IllegalArgumentException("gemm: op(A) is " + aRows + "x" + k + ", op(B) is " + bRows + "x" + bCols
                    + ", C is " + m + "x" + n + "; inner dimensions and C's shape must agree");
        }
        if (a.precision() != c.precision() || b.precision() != c.precision()) {
            throw new IllegalArgumentException("gemm: operands mix precisions; convert one with Matrix.toPrecision");
        }
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

    @Override
    public void addBiasAndActivate(Matrix preActivation, Matrix bias, Activation g, Matrix activation) {
        java.addBiasAndActivate(preActivation, bias, g, activation);
    }

    @Override
    public void activationBackward(Activation g, Matrix preActivation, Matrix activation, Matrix gradActivation,
                                   Matrix gradPreActivation) {
        java.activationBackward(g, preActivation, activation, gradActivation, gradPreActivation);
    }

    @Override
    public void columnSums(double alpha, Matrix m, double beta, Matrix out) {
        java.columnSums(alpha, m, beta, out);
    }

    @Override
    public void axpy(double alpha, Matrix x, Matrix y) {
        java.axpy(alpha, x, y);
    }

    @Override
    public void multiply(Matrix x, Matrix m, Matrix out) {
        java.multiply(x, m, out);
    }

    @Override
    public void batchNormTrain(Matrix x, Matrix gamma, Matrix beta, double epsilon, Matrix xHat, Matrix y,
                               Matrix batchMean, Matrix batchVariance) {
        java.batchNormTrain(x, gamma, beta, epsilon, xHat, y, batchMean, batchVariance);
    }

    @Override
    public void batchNormInference(Matrix x, Matrix gamma, Matrix beta, Matrix mean, Matrix variance, double epsilon,
                                   Matrix y) {
        java.batchNormInference(x, gamma, beta, mean, variance, epsilon, y);
    }

    @Override
    public void batchNormBackward(Matrix gradY, Matrix xHat, Matrix gamma, Matrix batchVariance, double epsilon,
                                  Matrix gradX, Matrix gradGamma, Matrix gradBeta) {
        java.batchNormBackward(gradY, xHat, gamma, batchVariance, epsilon, gradX, gradGamma, gradBeta);
    }

    @Override
    public double softmaxCrossEntropy(Matrix logits, int[] labels, double gradScale, Matrix gradLogits,
                                      int[] predictions) {
        return java.softmaxCrossEntropy(logits, labels, gradScale, gradLogits, predictions);
    }

    @Override
    public void softmax(Matrix logits, Matrix probabilities) {
        java.softmax(logits, probabilities);
    }
}
