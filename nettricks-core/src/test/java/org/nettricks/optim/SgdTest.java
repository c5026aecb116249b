package org.nettricks.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nettricks.layers.Parameter;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

class SgdTest {
    @Test
    void stepIsThetaMinusAlphaTimesGradient() {
        Parameter p = new Parameter("w", Parameter.Role.WEIGHT, Matrix.of(Precision.FLOAT64, 1, 2, 1.0, -2.0));
        Sgd sgd = new Sgd(0.1);
        OptimizerState state = sgd.createState(List.of(p));
        try (JavaBackend backend = new JavaBackend(1)) {
            p.gradient().setFlat(0, 0.5);
            p.gradient().setFlat(1, -3.0);
            sgd.step(List.of(p), state, backend);
            // θ ← θ + α Δ with Δ = −∇: (1 − 0.05, −2 + 0.3)
            assertEquals(0.95, p.value().getFlat(0), 1e-15);
            assertEquals(-1.7, p.value().getFlat(1), 1e-15);
            sgd.step(List.of(p), state, backend);
            assertEquals(0.90, p.value().getFlat(0), 1e-15);
            assertEquals(-1.4, p.value().getFlat(1), 1e-15);
            assertEquals(2, state.steps());
        }
    }

    @Test
    void rejectsImpossibleLearningRates() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sgd(0));
        assertEquals("learningRate must be a finite number > 0, got 0.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Sgd(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(-0.1));
    }
}
