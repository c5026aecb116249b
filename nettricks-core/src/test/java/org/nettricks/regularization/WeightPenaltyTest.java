package org.nettricks.regularization;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

class WeightPenaltyTest {
    private final Parameter weight = new Parameter("w", Parameter.Role.WEIGHT,
            Matrix.of(Precision.FLOAT64, 2, 2, 1.5, -2.0, 0.0, 0.5));
    private final Parameter bias = new Parameter("b", Parameter.Role.BIAS, Matrix.of(Precision.FLOAT64, 1, 2, 3, -4));
    private final Parameter gamma = new Parameter("g", Parameter.Role.BATCH_NORM_SCALE,
            Matrix.of(Precision.FLOAT64, 1, 1, 2));

    @Test
    void valueIsLambdaTimesOmegaOverWeightsOnly() {
        // L1: Σ|W| = 1.5 + 2 + 0 + 0.5 = 4;  L2: ΣW² = 2.25 + 4 + 0 + 0.25 = 6.5
        assertEquals(0.1 * 4 + 0.01 * 6.5, new WeightPenalty(0.1, 0.01).value(List.of(weight, bias, gamma)), 1e-15);
    }

    @Test
    void gradientIsSignAndTwiceTheWeightWithSignOfZeroZero() {
        new WeightPenalty(0.1, 0.01).addGradient(List.of(weight, bias, gamma));
        Matrix g = weight.gradient();
        assertEquals(0.1 + 0.01 * 2 * 1.5, g.getFlat(0), 1e-15);
        assertEquals(-0.1 + 0.01 * 2 * -2.0, g.getFlat(1), 1e-15);
        assertEquals(0.0, g.getFlat(2), 0);
        assertEquals(0.1 + 0.01 * 2 * 0.5, g.getFlat(3), 1e-15);
        assertEquals(0.0, bias.gradient().getFlat(0), 0);
        assertEquals(0.0, gamma.gradient().getFlat(0), 0);
    }

    @Test
    void clippingScalesByTheGlobalNorm() {
        weight.gradient().setFlat(0, 3);
        bias.gradient().setFlat(1, 4); // global norm 5
        double before = new GradientClipping(2.5).clip(List.of(weight, bias));
        assertEquals(5, before, 1e-15);
        assertEquals(1.5, weight.gradient().getFlat(0), 1e-15);
        assertEquals(2.0, bias.gradient().getFlat(1), 1e-15);
        new GradientClipping(10).clip(List.of(weight, bias)); // under the limit: unchanged
        assertEquals(1.5, weight.gradient().getFlat(0), 1e-15);
    }
}
