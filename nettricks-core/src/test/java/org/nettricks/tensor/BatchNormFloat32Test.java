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

    /**
     * Inference's one pass of normalization and activation against the formula element by element:
     * scale = γ/√(variance + ε) and shift = β − mean · scale per column (in double, then rounded to
     * the precision), g(x · scale + shift) with each operation rounded to the precision; bit for bit,
     * also in place, and the same values as the two calls (normalization, then g) it replaces. Rows
     * wider than the kernel's buffer (1,024) included.
     */
    @Test
    void inferenceWithTheActivationIsTheFormulaElementByElement() {
        SplittableRandom r = new SplittableRandom(11);
        try (JavaBackend backend = new JavaBackend(2)) {
            for (Precision precision : Precision.values()) {
                for (int[] shape : new int[][] {{7, 1100}, {5, 13}}) {
                    int rows = shape[0];
                    int cols = shape[1];
                    Matrix x = convert(random(rows, cols, 0.3, 1.5, r), precision);
                    Matrix gamma = convert(random(1, cols, 1.0, 0.3, r), precision);
                    Matrix beta = convert(random(1, cols, 0.0, 0.3, r), precision);
                    Matrix mean = convert(random(1, cols, 0.2, 0.5, r), precision);
                    Matrix variance = convert(random(1, cols, 0.0, 1.0, r), precision);
                    for (int j = 0; j < cols; j++) {
                        variance.setFlat(j, Math.abs(variance.getFlat(j)) + 0.01);
                    }
                    double eps = 1e-5;
                    for (org.nettricks.activations.Activation g : org.nettricks.activations.Activation.values()) {
                        String where = g + " " + precision + " " + rows + "x" + cols;
                        Matrix fused = Matrix.zeros(rows, cols, precision);
                        backend.batchNormInference(x, gamma, beta, mean, variance, eps, g, fused);
                        Matrix inPlace = x.copy();
                        backend.batchNormInference(inPlace, gamma, beta, mean, variance, eps, g, inPlace);
                        Matrix twoCalls = Matrix.zeros(rows, cols, precision);
                        backend.batchNormInference(x, gamma, beta, mean, variance, eps, twoCalls);
                        backend.addBiasAndActivate(twoCalls, null, g, twoCalls);
                        for (int i = 0; i < rows * cols; i++) {
                            int j = i % cols;
                            double sc = gamma.getFlat(j) / Math.sqrt(variance.getFlat(j) + eps);
                            double expected;
                            if (precision == Precision.FLOAT32) {
                                float scale = (float) sc;
                                float shift = (float) (beta.getFlat(j) - mean.getFlat(j) * sc);
                                float v = (float) x.getFlat(i) * scale + shift;
                                expected = (float) g.apply(v);
                            } else {
                                expected = g.apply(x.getFlat(i) * sc + (beta.getFlat(j) - mean.getFlat(j) * sc));
                            }
                            assertEquals(expected, fused.getFlat(i), where + " element " + i);
                            assertEquals(expected, inPlace.getFlat(i), where + " in place, element " + i);
                            assertEquals(expected, twoCalls.getFlat(i), where + " two calls, element " + i);
                        }
                    }
                }
            }
        }
    }

    private static Matrix convert(Matrix m, Precision precision) {
        return precision == Precision.FLOAT32 ? toFloat(m) : m;
    }
}
