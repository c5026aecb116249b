package org.nettricks.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nettricks.activations.Activation;

class JavaBackendTest {
    private static final JavaBackend SERIAL = new JavaBackend(1);
    private static final JavaBackend PARALLEL = new JavaBackend(3);

    @AfterAll
    static void close() {
        SERIAL.close();
        PARALLEL.close();
    }

    private static Matrix random(int rows, int cols, Precision p, SplittableRandom r) {
        Matrix m = Matrix.zeros(rows, cols, p);
        for (int i = 0; i < m.size(); i++) {
            m.setFlat(i, r.nextDouble(-1, 1));
        }
        return m;
    }

    /** The textbook triple loop, in double, as the oracle. */
    private static double[] naive(boolean ta, boolean tb, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        int m = c.rows();
        int n = c.cols();
        int k = ta ? a.rows() : a.cols();
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    double av = ta ? a.get(p, i) : a.get(i, p);
                    double bv = tb ? b.get(j, p) : b.get(p, j);
                    s += av * bv;
                }
                out[i * n + j] = alpha * s + beta * c.get(i, j);
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void gemmMatchesTripleLoopForEveryTransposeAndShape(Precision precision) {
        SplittableRandom r = new SplittableRandom(7);
        int[][] shapes = {{1, 1, 1}, {3, 5, 2}, {17, 9, 33}, {64, 130, 257}, {200, 3, 600}, {5, 700, 9}, {3, 1100, 270}};
        for (int[] s : shapes) {
            int m = s[0];
            int n = s[1];
            int k = s[2];
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    Matrix a = ta ? random(k, m, precision, r) : random(m, k, precision, r);
                    Matrix b = tb ? random(n, k, precision, r) : random(k, n, precision, r);
                    for (JavaBackend backend : new JavaBackend[] {SERIAL, PARALLEL}) {
                        Matrix c = random(m, n, precision, r);
                        double[] expected = naive(ta, tb, 0.7, a, b, -1.5, c);
                        backend.gemm(ta, tb, 0.7, a, b, -1.5, c);
                        double tol = precision == Precision.FLOAT32 ? 2e-4 * Math.sqrt(k) : 1e-12 * k;
                        for (int i = 0; i < expected.length; i++) {
                            assertEquals(expected[i], c.getFlat(i), tol,
                                    "shape " + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb + " at " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void gemmWithBetaZeroIgnoresOldContentsEvenNaN() {
        Matrix a = Matrix.of(Precision.FLOAT64, 1, 2, 1, 2);
        Matrix b = Matrix.of(Precision.FLOAT64, 2, 1, 3, 4);
        Matrix c = Matrix.of(Precision.FLOAT64, 1, 1, Double.NaN);
        SERIAL.gemm(false, false, 1, a, b, 0, c);
        assertEquals(11.0, c.get(0, 0));
    }

    @Test
    void gemmResultDoesNotDependOnThreadCount() {
        SplittableRandom r = new SplittableRandom(3);
        Matrix a = random(128, 300, Precision.FLOAT32, r);
        Matrix b = random(256, 300, Precision.FLOAT32, r);
        Matrix c1 = Matrix.zeros(128, 256, Precision.FLOAT32);
        Matrix c2 = Matrix.zeros(128, 256, Precision.FLOAT32);
        SERIAL.gemm(false, true, 1, a, b, 0, c1);
        PARALLEL.gemm(false, true, 1, a, b, 0, c2);
        for (int i = 0; i < c1.size(); i++) {
            assertEquals(Float.floatToIntBits(c1.floats()[i]), Float.floatToIntBits(c2.floats()[i]));
        }
    }

    @Test
    void gemmRejectsMismatchedShapesAndPrecisions() {
        Matrix a = Matrix.zeros(2, 3, Precision.FLOAT32);
        Matrix b = Matrix.zeros(4, 2, Precision.FLOAT32);
        Matrix c = Matrix.zeros(2, 2, Precision.FLOAT32);
        assertThrows(IllegalArgumentException.class, () -> SERIAL.gemm(false, false, 1, a, b, 0, c));
        Matrix b64 = Matrix.zeros(3, 2, Precision.FLOAT64);
        assertThrows(IllegalArgumentException.class, () -> SERIAL.gemm(false, false, 1, a, b64, 0, c));
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void fusedBiasAndActivationAgreeWithTheScalarDefinitions(Activation g) {
        for (Precision p : Precision.values()) {
            SplittableRandom r = new SplittableRandom(11);
            Matrix z = random(5, 7, p, r);
            Matrix original = z.copy();
            Matrix bias = random(1, 7, p, r);
            Matrix h = g == Activation.LINEAR ? z : Matrix.zeros(5, 7, p);
            SERIAL.addBiasAndActivate(z, bias, g, h);
            Matrix gradH = random(5, 7, p, r);
            Matrix gradA = Matrix.zeros(5, 7, p);
            SERIAL.activationBackward(g, z, h, gradH, gradA);
            double tol = p == Precision.FLOAT32 ? 1e-6 : 1e-15;
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 7; j++) {
                    double a = (p == Precision.FLOAT32 ? (float) (original.get(i, j) + bias.get(0, j))
                            : original.get(i, j) + bias.get(0, j));
                    assertEquals(a, z.get(i, j), tol);
                    double expectedH = g.apply(a);
                    assertEquals(expectedH, h.get(i, j), tol);
                    assertEquals(gradH.get(i, j) * g.derivative(a, expectedH), gradA.get(i, j), tol);
                }
            }
        }
    }

    @Test
    void reluBackwardIsExactlyOneForEveryPositiveFloatAndZeroElsewhere() {
        float[] a = {Float.MIN_VALUE, Float.MIN_NORMAL, 1e-30f, 1f, 3e38f, Float.MAX_VALUE, 0f, -0f, -1e-30f, -5f};
        Matrix pre = Matrix.wrap(1, a.length, a.clone());
        Matrix h = Matrix.zeros(1, a.length, Precision.FLOAT32);
        SERIAL.addBiasAndActivate(pre, null, Activation.RELU, h);
        Matrix gradH = Matrix.zeros(1, a.length, Precision.FLOAT32);
        for (int i = 0; i < a.length; i++) {
            gradH.setFlat(i, 2.5);
        }
        Matrix gradA = Matrix.zeros(1, a.length, Precision.FLOAT32);
        SERIAL.activationBackward(Activation.RELU, pre, h, gradH, gradA);
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i] > 0 ? 2.5 : 0.0, gradA.getFlat(i), 0.0, "a = " + a[i]);
        }
    }

    @Test
    void columnSumsAddOverRows() {
        Matrix m = Matrix.of(Precision.FLOAT32, 3, 2, 1, 2, 3, 4, 5, 6);
        Matrix out = Matrix.of(Precision.FLOAT32, 1, 2, 10, 20);
        SERIAL.columnSums(2.0, m, 0.5, out);
        assertEquals(2 * 9 + 5, out.get(0, 0), 0);
        assertEquals(2 * 12 + 10, out.get(0, 1), 0);
    }

    @Test
    void softmaxCrossEntropyOfEqualLogitsIsLog2() {
        Matrix logits = Matrix.of(Precision.FLOAT64, 1, 2, 0, 0);
        Matrix grad = Matrix.zeros(1, 2, Precision.FLOAT64);
        int[] pred = new int[1];
        double loss = SERIAL.softmaxCrossEntropy(logits, new int[] {1}, 1.0, grad, pred);
        assertEquals(Math.log(2), loss, 1e-15);
        // f(x) − e(y) = (0.5, 0.5) − (0, 1)
        assertEquals(0.5, grad.get(0, 0), 1e-15);
        assertEquals(-0.5, grad.get(0, 1), 1e-15);
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void softmaxCrossEntropyIsFiniteForLogitsOfPlusMinus1000(Precision p) {
        Matrix logits = Matrix.of(p, 2, 3, 1000, 0, -1000, -1000, 1000, 1000);
        Matrix grad = Matrix.zeros(2, 3, p);
        int[] pred = new int[2];
        double loss = SERIAL.softmaxCrossEntropy(logits, new int[] {2, 1}, 1.0, grad, pred);
        // row 0: logsumexp = 1000 (+ log(1 + e^-1000 + e^-2000)), loss = 1000 − (−1000) = 2000
        // row 1: logsumexp = 1000 + log 2, loss = log 2
        assertEquals(2000 + Math.log(2), loss, 1e-9);
        assertTrue(grad.allFinite());
        assertEquals(1.0, grad.get(0, 0), 1e-12);
        assertEquals(-1.0, grad.get(0, 2), 1e-12);
        assertEquals(0.5 - 1.0, grad.get(1, 1), 1e-7);
        assertEquals(0, pred[0]);
    }

    @Test
    void softmaxRowsSumToOne() {
        Matrix logits = Matrix.of(Precision.FLOAT64, 2, 3, 1, 2, 3, 500, -500, 0);
        Matrix p = Matrix.zeros(2, 3, Precision.FLOAT64);
        SERIAL.softmax(logits, p);
        double e = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertEquals(Math.exp(3) / e, p.get(0, 2), 1e-15);
        assertEquals(1.0, p.get(1, 0), 1e-15);
        assertEquals(1.0, p.get(0, 0) + p.get(0, 1) + p.get(0, 2), 1e-15);
    }
}
