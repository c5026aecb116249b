package org.nettricks.layers;

import java.util.List;
import java.util.random.RandomGenerator;

import org.nettricks.tensor.Backend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.internal.PerBatchSize;

/**
 * Dropout (Hinton et al. 2012), as on the lecture's slides: in training every unit is kept with
 * probability 1 − p and set to 0 with probability p, by a fresh binary mask m per example and step,
 * <pre>h ← g(a) ⊙ m</pre>
 * and backpropagation multiplies the incoming gradient by the same mask.
 *
 * <p>Scaling ("inverted dropout"): the mask stored here is m / (1 − p), so the expected value of
 * each unit during training equals its value at test time, and at test time the layer is the
 * identity. This is the same model as the lecture's (keep the 0/1 mask in training and replace it by
 * its expectation 1 − p at test time) with the weights that follow scaled by 1 − p; evaluation and
 * prediction never drop.
 *
 * <p>No parameters. On the inputs of a network it is the lecture's input dropout; after g it drops
 * hidden units (the fused {@link DenseLayer} uses one for its outputs).
 */
public final class Dropout implements Layer {
    private final int size;
    private final double probability;
    private final Backend backend;
    /** Per batch size: the mask and the output, allocated once. */
    private final PerBatchSize<Matrix[]> workspaces;
    private Matrix mask;
    private boolean maskActive;

    /**
     * @param size        the number of units, at least 1
     * @param probability p, the probability of dropping a unit, in (0, 1)
     */
    public Dropout(int size, double probability, Backend backend) {
        if (!(probability > 0 && probability < 1)) {
            throw new IllegalArgumentException("dropout probability must be in (0, 1), got " + probability);
        }
        if (size < 1) {
            throw new IllegalArgumentException("dropout needs at least 1 unit, got " + size);
        }
        this.size = size;
        this.probability = probability;
        this.backend = backend;
        this.workspaces = new PerBatchSize<>(rows -> new Matrix[] {null, null});
    }

    public double probability() {
        return probability;
    }

    @Override
    public int inputSize() {
        return size;
    }

    @Override
    public int outputSize() {
        return size;
    }

    /**
     * In {@link Mode#TRAIN}: draws a mask from {@code random} (row-major, two units per
     * {@code nextLong}) and returns h ⊙ m / (1 − p) in a workspace, in the same pass. In {@link Mode#EVAL}: returns {@code h} itself.
     */
    @Override
    public Matrix forward(Matrix h, Mode mode, RandomGenerator random) {
        if (h.cols() != size) {
            throw new IllegalArgumentException("dropout expects " + size + " inputs, got " + h.cols());
        }
        if (mode == Mode.EVAL) {
            maskActive = false;
            return h;
        }
        if (random == null) {
            throw new IllegalArgumentException("dropout in training mode needs a random generator");
        }
        Matrix[] ws = workspaces.get(h.rows());
        if (ws[0] == null || ws[0].cols() != h.cols() || ws[0].precision() != h.precision()) {
            ws[0] = Matrix.zeros(h.rows(), h.cols(), h.precision());
            ws[1] = Matrix.zeros(h.rows(), h.cols(), h.precision());
        }
        mask = ws[0];
        drawAndApply(h, ws[1], random);
        maskActive = true;
        return ws[1];
    }

    /**
     * Draws the mask and writes h ⊙ m / (1 − p) into {@code output} in one pass: each unit takes
     * 24 random bits (two units per {@code nextLong}) and is dropped when they fall below p·2²⁴,
     * i.e. with probability p to within 2⁻²⁴.
     */
    private void drawAndApply(Matrix h, Matrix output, RandomGenerator random) {
        int threshold = (int) Math.round(probability * (1 << 24));
        int n = h.size();
        if (h.precision() == org.nettricks.tensor.Precision.FLOAT32) {
            float kept = (float) (1.0 / (1.0 - probability));
            float[] in = h.floats();
            float[] m = mask.floats();
            float[] out = output.floats();
            for (int i = 0; i < n; i += 2) {
                long bits = random.nextLong();
                float m0 = kept * kept((int) (bits >>> 40), threshold);
                m[i] = m0;
                out[i] = in[i] * m0;
                if (i + 1 < n) {
                    float m1 = kept * kept((int) ((bits >>> 8) & 0xFFFFFF), threshold);
                    m[i + 1] = m1;
                    out[i + 1] = in[i + 1] * m1;
                }
            }
        } else {
            double kept = 1.0 / (1.0 - probability);
            double[] in = h.doubles();
            double[] m = mask.doubles();
            double[] out = output.doubles();
            for (int i = 0; i < n; i += 2) {
                long bits = random.nextLong();
                double m0 = kept * kept((int) (bits >>> 40), threshold);
                m[i] = m0;
                out[i] = in[i] * m0;
                if (i + 1 < n) {
                    double m1 = kept * kept((int) ((bits >>> 8) & 0xFFFFFF), threshold);
                    m[i + 1] = m1;
                    out[i + 1] = in[i + 1] * m1;
                }
            }
        }
    }

    /** 1 when the 24-bit draw u keeps the unit (u ≥ threshold), else 0; without a branch to mispredict. */
    private static int kept(int u, int threshold) {
        return ((threshold - 1 - u) >>> 31);
    }

    /**
     * ∂L/∂h = ∂L/∂output ⊙ m / (1 − p), in place in {@code gradOutput} (which it returns); null
     * without computing anything when the input gradient is not needed.
     */
    @Override
    public Matrix backward(Matrix gradOutput, boolean needInputGradient) {
        if (!maskActive || mask.rows() != gradOutput.rows()) {
            throw new IllegalStateException("dropout: backward must follow a TRAIN forward on the same batch");
        }
        if (!needInputGradient) {
            return null;
        }
        backend.multiply(gradOutput, mask, gradOutput);
        return gradOutput;
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    /** The mask of the last training pass (values 0 or 1 / (1 − p)), for tests and diagnostics. */
    public Matrix mask() {
        return mask;
    }
}
