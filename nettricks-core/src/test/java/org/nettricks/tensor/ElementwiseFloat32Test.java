package org.nettricks.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nettricks.activations.Activation;

/**
 * The float32 elementwise kernels (rows through buffers, vectorized loops, g' from h) against the
 * formulas computed element by element here: bias + g (also in place, as inference runs it),
 * ∇h ⊙ g', and the mask product, for every activation, on a large matrix and a small one, with 1 to
 * 3 threads. Each element is computed
 * alone, so the results must agree bit for bit.
 */
class ElementwiseFloat32Test {
    private static final int[][] SHAPES = {{300, 217}, {7, 13}};

    private static float[] random(int n, SplittableRandom r) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (3 * r.nextGaussian());
            if (i % 11 == 0) {
                a[i] = 0f; // ReLU's kink
            }
        }
        return a;
    }

    /** ∇h · g'(a), with g' written through h = g(a), multiplied left to right. */
    private static float backward(Activation g, float a, float gradH, float h) {
        return switch (g) {
            case LINEAR -> gradH;
            case RELU -> h > 0 ? gradH : gradH * 0f;
            case SIGMOID -> gradH * h * (1f - h);
            case TANH -> gradH * (1f - h * h);
            default -> (float) (gradH * g.derivative(a, h)); // the backend's reference fallback
        };
    }

    @Test
    void biasActivationGradientAndMaskMatchTheFormulasElementByElement() {
        for (int threads : new int[] {1, 2, 3}) {
            try (JavaBackend backend = new JavaBackend(threads)) {
                for (int[] shape : SHAPES) {
                    int rows = shape[0];
                    int cols = shape[1];
                    SplittableRandom r = new SplittableRandom(rows * 31L + threads);
                    for (Activation g : Activation.values()) {
                        float[] z0 = random(rows * cols, r);
                        float[] b = random(cols, r);
                        Matrix z = Matrix.wrap(rows, cols, z0.clone());
                        Matrix h = Matrix.zeros(rows, cols, Precision.FLOAT32);
                        backend.addBiasAndActivate(z, Matrix.wrap(1, cols, b), g, h);
                        float[] gradH = random(rows * cols, r);
                        Matrix gradZ = Matrix.zeros(rows, cols, Precision.FLOAT32);
                        backend.activationBackward(g, z, h, Matrix.wrap(rows, cols, gradH), gradZ);
                        // in place (inference): the same h, in the pre-activations' matrix
                        Matrix inPlace = Matrix.wrap(rows, cols, z0.clone());
                        backend.addBiasAndActivate(inPlace, Matrix.wrap(1, cols, b), g, inPlace);
                        for (int i = 0; i < rows * cols; i++) {
                            assertEquals(h.floats()[i], inPlace.floats()[i], g + " in place, element " + i);
                        }
                        for (int i = 0; i < rows * cols; i++) {
                            float a = z0[i] + b[i % cols];
                            String where = g + " " + rows + "x" + cols + " threads " + threads + " element " + i;
                            assertEquals(a, z.floats()[i], where + ": a = z + b");
                            assertEquals((float) g.apply(a), h.floats()[i], where + ": h = g(a)");
                            assertEquals(backward(g, a, gradH[i], h.floats()[i]), gradZ.floats()[i], where + ": ∇a");
                        }
                    }
                    float[] x = random(rows * cols, r);
                    float[] mask = random(rows * cols, r);
                    Matrix out = Matrix.zeros(rows, cols, Precision.FLOAT32);
                    backend.multiply(Matrix.wrap(rows, cols, x), Matrix.wrap(rows, cols, mask), out);
                    for (int i = 0; i < rows * cols; i++) {
                        assertEquals(x[i] * mask[i], out.floats()[i], "mask product, element " + i);
                    }
                }
            }
        }
    }
}
