package org.nettricks.pretraining;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * A CD-1 update of a 3-visible × 2-hidden RBM, worked by hand with fixed random draws:
 * <pre>
 * W = [[0.5, −0.3, 0.2], [−0.4, 0.1, 0.6]], b = (0.1, −0.2), c = (0.05, −0.1, 0.2), v⁰ = (1, 0, 1)
 * ĥ⁰ = σ(W v⁰ + b) = σ(0.8, 0.0) = (0.6899744811276125, 0.5)
 * draws u = (0.3, 0.8): h = (1, 0)   (0.3 &lt; 0.68997; 0.8 ≥ 0.5)
 * v¹ = σ(Wᵀ h + c) = σ(0.55, −0.4, 0.4) = (0.6341355910108007, 0.401312339887548, 0.5986876601124521)
 * ĥ¹ = σ(W v¹ + b) = (0.6026242653276072, 0.4864257348262331)
 * ∇W = −(ĥ⁰ v⁰ᵀ − ĥ¹ v¹ᵀ), ∇b = −(ĥ⁰ − ĥ¹), ∇c = −(v⁰ − v¹)
 * </pre>
 */
class RbmHandWorkedTest {
    /** Returns the given uniform draws in order. */
    private static final class FixedDraws implements RandomGenerator {
        private final double[] draws;
        private int next;

        FixedDraws(double... draws) {
            this.draws = draws;
        }

        @Override
        public double nextDouble() {
            return draws[next++];
        }

        @Override
        public long nextLong() {
            throw new UnsupportedOperationException("only nextDouble is drawn");
        }
    }

    @Test
    void cdOneUpdateMatchesTheHandComputation() {
        try (JavaBackend backend = new JavaBackend(1)) {
            RestrictedBoltzmannMachine rbm = new RestrictedBoltzmannMachine(3, 2, 1, false, Precision.FLOAT64, backend, 0);
            set(rbm.weight().value(), 0.5, -0.3, 0.2, -0.4, 0.1, 0.6);
            set(rbm.hiddenBias().value(), 0.1, -0.2);
            set(rbm.visibleBias().value(), 0.05, -0.1, 0.2);
            double recon = rbm.gradients(Matrix.of(Precision.FLOAT64, 1, 3, 1, 0, 1), new FixedDraws(0.3, 0.8));
            double[] gW = {-0.30782898647664075, 0.2418405539916366, -0.32919076979164186, -0.19154012916310365,
                0.19520864982463554, -0.2087829149984024};
            for (int i = 0; i < 6; i++) {
                assertEquals(gW[i], rbm.weight().gradient().getFlat(i), 1e-15, "∇W[" + i + "]");
            }
            assertEquals(-0.08735021580000535, rbm.hiddenBias().gradient().getFlat(0), 1e-15);
            assertEquals(-0.01357426517376692, rbm.hiddenBias().gradient().getFlat(1), 1e-15);
            assertEquals(-0.36586440898919925, rbm.visibleBias().gradient().getFlat(0), 1e-15);
            assertEquals(0.401312339887548, rbm.visibleBias().gradient().getFlat(1), 1e-15);
            assertEquals(-0.4013123398875479, rbm.visibleBias().gradient().getFlat(2), 1e-15);
            // reconstruction error: Σ (v⁰ − σ(Wᵀ ĥ⁰ + c))², the mean-field up-down pass
            assertEquals(0.5134627726935189, recon, 1e-14);
        }
    }

    private static void set(Matrix m, double... v) {
        for (int i = 0; i < v.length; i++) {
            m.setFlat(i, v[i]);
        }
    }

    @Test
    void persistentChainsStartTheNegativePhaseFromTheLastChainState() {
        try (JavaBackend backend = new JavaBackend(1)) {
            RestrictedBoltzmannMachine pcd = new RestrictedBoltzmannMachine(3, 2, 1, true, Precision.FLOAT64, backend, 0);
            RestrictedBoltzmannMachine cd = new RestrictedBoltzmannMachine(3, 2, 1, false, Precision.FLOAT64, backend, 0);
            for (RestrictedBoltzmannMachine m : new RestrictedBoltzmannMachine[] {pcd, cd}) {
                set(m.weight().value(), 0.5, -0.3, 0.2, -0.4, 0.1, 0.6);
                set(m.hiddenBias().value(), 0.1, -0.2);
                set(m.visibleBias().value(), 0.05, -0.1, 0.2);
            }
            Matrix v = Matrix.of(Precision.FLOAT64, 1, 3, 1, 0, 1);
            // step 1: the chain starts at the data in both; identical draws give identical gradients
            pcd.gradients(v, new FixedDraws(0.3, 0.8));
            cd.gradients(v, new FixedDraws(0.3, 0.8));
            assertEquals(cd.weight().gradient().getFlat(0), pcd.weight().gradient().getFlat(0), 0);
            // step 2 on other data: CD restarts at σ(W v + b) of the new data; PCD continues from ĥ¹ of
            // step 1 = (0.6026…, 0.4864…), so with draws (0.5, 0.9) it samples h = (1, 0) where CD,
            // from σ(W (0,1,0) + b) = σ(−0.2, −0.1) = (0.450, 0.475), samples h = (0, 0)
            Matrix other = Matrix.of(Precision.FLOAT64, 1, 3, 0, 1, 0);
            pcd.gradients(other, new FixedDraws(0.5, 0.9));
            cd.gradients(other, new FixedDraws(0.5, 0.9));
            // the negative phase's visible means: PCD from h = (1, 0): σ(W[0] + c) = σ(0.55, −0.4, 0.4);
            // CD from h = (0, 0): σ(c) = σ(0.05, −0.1, 0.2); ∇c = −(v⁰ − vᵏ) exposes them directly
            assertEquals(-(0 - 1 / (1 + Math.exp(-0.55))), pcd.visibleBias().gradient().getFlat(0), 1e-15);
            assertEquals(-(0 - 1 / (1 + Math.exp(-0.05))), cd.visibleBias().gradient().getFlat(0), 1e-15);
        }
    }
}
