package org.nettricks.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The float32 batch-normalization kernels (two passes, column sums in double) against the float64
 * ones, which follow the lecture's formulas term by term and are checked by finite differences
 * (TricksGradientCheckTest): forward, inference and backward agree to float32 rounding.
 */
class BatchNormFloat32Test {
    private static final int ROWS = 300; // more than one block of JavaBackend.SUM_BLOCK rows
    private static final int COLS = 160; // with 2 threads, large enough to be split by columns

    private static Matrix random(int rows, int cols, double offset, double scale, SplittableRandom r) {
        Matrix m = Matrix.zeros(rows, cols, Precision.FLOAT64);
        for (int i = 0; i < m.size(); i++) {
            m.setFlat(i, offset + scale * r.nextGaussian());
        }
        return m;
    }

    private static Matrix toFloat(Matrix m) {
        Matrix f = Matrix.zeros(m.rows(), m.cols(), Precision.FLOAT32);
        for (int i = 0; i < m.size(); i++) {
            f.setFlat(i, m.getFlat(i));
        }
        return f;
    }

    private static Matrix zeros(Matrix like, Precision p) {
        return Matrix.zeros(like.rows(), like.cols(), p);
    }

    private static void assertClose(Matrix expected, Matrix actual, double tolerance, String what) {
        double scale = 0;
        for (int i = 0; i < expected.size(); i++) {
            scale = Math.max(scale, Math.abs(expected.getFlat(i)));
        }
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.getFlat(i), actual.getFlat(i), tolerance * Math.max(scale, 1e-30), what + " [" + i + "]");
        }
    }

    @Test
    void float32AgreesWithTheFloat64FormulasForwardInferenceAndBackward() {
        SplittableRandom r = new SplittableRandom(3);
        JavaBackend backend = new JavaBackend(2);
        Matrix x = random(ROWS, COLS, 2.5, 0.7, r); // a mean several spreads away from 0
        Matrix gamma = random(1, COLS, 1.0, 0.3, r);
        Matrix beta = random(1, COLS, 0.0, 0.3, r);
        Matrix gradY = random(ROWS, COLS, 0.0, 1e-3, r);
        double eps = 1e-5;

        Matrix xHat64 = zeros(x, Precision.FLOAT64);
        Matrix y64 = zeros(x, Precision.FLOAT64);
        Matrix mean64 = Matrix.zeros(1, COLS, Precision.FLOAT64);
        Matrix var64 = Matrix.zeros(1, COLS, Precision.FLOAT64);
        backend.batchNormTrain(x, gamma, beta, eps, xHat64, y64, mean64, var64);
        Matrix xHat32 = zeros(x, Precision.FLOAT32);
        Matrix y32 = zeros(x, Precision.FLOAT32);
        Matrix mean32 = Matrix.zeros(1, COLS, Precision.FLOAT32);
        Matrix var32 = Matrix.zeros(1, COLS, Precision.FLOAT32);
        backend.batchNormTrain(toFloat(x), toFloat(gamma), toFloat(beta), eps, xHat32, y32, mean32, var32);
        assertClose(mean64, mean32, 1e-6, "batch mean");
        assertClose(var64, var32, 1e-5, "batch variance");
        assertClose(xHat64, xHat32, 1e-5, "x hat");
        assertClose(y64, y32, 1e-5, "y");

        Matrix inf64 = zeros(x, Precision.FLOAT64);
        backend.batchNormInference(x, gamma, beta, mean64, var64, eps, inf64);
        Matrix inf32 = zeros(x, Precision.FLOAT32);
        backend.batchNormInference(toFloat(x), toFloat(gamma), toFloat(beta), mean32, var32, eps, inf32);
        assertClose(inf64, inf32, 1e-5, "inference");

        Matrix gradX64 = zeros(x, Precision.FLOAT64);
        Matrix gradGamma64 = Matrix.zeros(1, COLS, Precision.FLOAT64);
        Matrix gradBeta64 = Matrix.zeros(1, COLS, Precision.FLOAT64);
        backend.batchNormBackward(gradY, xHat64, gamma, var64, eps, gradX64, gradGamma64, gradBeta64);
        Matrix gradX32 = zeros(x, Precision.FLOAT32);
        Matrix gradGamma32 = Matrix.zeros(1, COLS, Precision.FLOAT32);
        Matrix gradBeta32 = Matrix.zeros(1, COLS, Precision.FLOAT32);
        backend.batchNormBackward(toFloat(gradY), xHat32, toFloat(gamma), var32, eps, gradX32, gradGamma32,
                gradBeta32);
        assertClose(gradGamma64, gradGamma32, 1e-4, "dγ");
        assertClose(gradBeta64, gradBeta32, 1e-5, "dβ");
        // ∂ℓ/∂x is a difference of terms of similar size: compare against the largest entry
        assertClose(gradX64, gradX32, 1e-3, "dx");
        backend.close();
    }
}
