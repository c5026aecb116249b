package org.nettricks.openblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/** OpenBLAS's products agree with the pure-Java backend's for every transpose, shape and precision. */
class OpenBlasBackendTest {
    @Test
    void gemmAgreesWithThePureJavaBackend() {
        SplittableRandom r = new SplittableRandom(5);
        // with one row, one column or k = 1 (β = 0): the matrix-vector and rank-one routines
        int[][] shapes = {{1, 1, 1}, {3, 5, 2}, {17, 9, 33}, {128, 130, 257}, {5, 1100, 270}, {1, 300, 257},
            {300, 1, 257}, {257, 300, 1}, {1, 1, 500}, {1, 40, 1}, {40, 1, 1}};
        try (OpenBlasBackend blas = new OpenBlasBackend(2); JavaBackend java = new JavaBackend(1)) {
            for (Precision p : Precision.values()) {
                for (int[] s : shapes) {
                    for (boolean ta : new boolean[] {false, true}) {
                        for (boolean tb : new boolean[] {false, true}) {
                            for (double beta : new double[] {0.0, 2.0}) {
                                Matrix a = random(ta ? s[2] : s[0], ta ? s[0] : s[2], p, r);
                                Matrix b = random(tb ? s[1] : s[2], tb ? s[2] : s[1], p, r);
                                Matrix c1 = random(s[0], s[1], p, r);
                                Matrix c2 = c1.copy();
                                blas.gemm(ta, tb, 0.5, a, b, beta, c1);
                                java.gemm(ta, tb, 0.5, a, b, beta, c2);
                                double tol = p == Precision.FLOAT32 ? 1e-4 * Math.sqrt(s[2]) : 1e-12 * s[2];
                                for (int i = 0; i < c1.size(); i++) {
                                    assertEquals(c2.getFlat(i), c1.getFlat(i), tol, p + " " + s[0] + "x" + s[1] + "x"
                                            + s[2] + " ta=" + ta + " tb=" + tb + " beta=" + beta);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Where the build compiled the zero-copy helper, it must load: a broken one may not fall back silently. */
    @Test
    void theZeroCopyHelperLoadsWhereItWasBuilt() {
        boolean built = CriticalGemm.class.getResource(CriticalGemm.RESOURCE) != null;
        assertEquals(built, OpenBlasBackend.zeroCopy(), String.valueOf(OpenBlasBackend.zeroCopyProblem()));
        if (built && OpenBlasBackend.version().contains("; bundled")) {
            // the helper asks the library it calls for its build: the one bundled with org.bytedeco:openblas
            assertTrue(OpenBlasBackend.version().startsWith("OpenBLAS 0.3.31 "), OpenBlasBackend.version());
        }
    }

    /** Pinned and copied operands go to the same cblas function: the results are bit-identical. */
    @Test
    void pinnedAndCopiedOperandsGiveTheSameBits() {
        SplittableRandom r = new SplittableRandom(9);
        try (OpenBlasBackend pinned = new OpenBlasBackend(2); OpenBlasBackend copying = OpenBlasBackend.copying(2)) {
            for (Precision p : Precision.values()) {
                Matrix a = random(130, 257, p, r);
                Matrix b = random(90, 257, p, r);
                Matrix c1 = random(130, 90, p, r);
                Matrix c2 = c1.copy();
                pinned.gemm(false, true, 0.5, a, b, 2.0, c1);
                copying.gemm(false, true, 0.5, a, b, 2.0, c2);
                for (int i = 0; i < c1.size(); i++) {
                    assertEquals(c2.getFlat(i), c1.getFlat(i), 0.0, p + " entry " + i);
                }
            }
        }
    }

    /**
     * The same seed gives the same run bit for bit on this backend and thread count: every
     * trick of the hot path (batch norm split across threads, dropout, parallel Adam) on top of
     * multi-threaded OpenBLAS products (batches of 128 × 512 units: large enough to be split).
     */
    @Test
    void sameSeedGivesTheSameRunBitForBit() {
        trainTwiceAndCompare("data", "digits", "hidden", "512,512", "batch-norm", "true", "dropout", "0.5",
                "input-dropout", "0.2", "optimizer", "adam", "lr", "0.001", "batch-size", "128", "epochs", "2", "seed",
                "5");
    }

    /**
     * Per-example SGD (batch 1) runs its products as matrix-vector and rank-one products on one
     * OpenBLAS thread, and plain SGD's unchecked float32 update on the calling thread: the same seed
     * still gives the same run bit for bit, and the run trains (digits, 2 epochs: below 20% error on
     * the validation set, against 90% for chance).
     */
    @Test
    void perExampleSgdGivesTheSameRunBitForBit() {
        org.nettricks.training.TrainingHistory h = trainTwiceAndCompare("data", "digits", "hidden", "64", "optimizer",
                "sgd", "lr", "0.01", "batch-size", "1", "epochs", "2", "seed", "5");
        assertTrue(h.epochs().get(1).validationError() < 0.20, String.valueOf(h.epochs().get(1)));
    }

    /** Trains the recipe twice on OpenBLAS with 2 threads, asserts the same parameters bit for bit; the history. */
    private static org.nettricks.training.TrainingHistory trainTwiceAndCompare(String... recipe) {
        float[][] first = null;
        org.nettricks.training.TrainingHistory history = null;
        for (int run = 0; run < 2; run++) {
            try (OpenBlasBackend backend = new OpenBlasBackend(2)) {
                org.nettricks.experiment.Experiment e = org.nettricks.experiment.Experiment.prepare(
                        org.nettricks.config.RecipeSettings.of(recipe), backend);
                history = e.run(org.nettricks.training.TrainingListener.NONE).history();
                java.util.List<org.nettricks.layers.Parameter> ps = e.network().parameters();
                float[][] values = new float[ps.size()][];
                for (int i = 0; i < ps.size(); i++) {
                    values[i] = ps.get(i).value().floats().clone();
                }
                if (first == null) {
                    first = values;
                } else {
                    for (int i = 0; i < values.length; i++) {
                        org.junit.jupiter.api.Assertions.assertArrayEquals(first[i], values[i], ps.get(i).name());
                    }
                }
            }
        }
        return history;
    }

    private static Matrix random(int rows, int cols, Precision p, SplittableRandom r) {
        Matrix m = Matrix.zeros(rows, cols, p);
        for (int i = 0; i < m.size(); i++) {
            m.setFlat(i, r.nextDouble(-1, 1));
        }
        return m;
    }
}
