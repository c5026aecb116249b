package org.nettricks.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

class SgdTest {
    @Test
    void stepIsThetaMinusAlphaTimesGradient() {
        Parameter p = new Parameter("w", Parameter.Role.WEIGHT, Matrix.of(Precision.FLOAT64, 1, 2, 1.0, -2.0));
        Sgd sgd = new Sgd();
        OptimizerState state = sgd.createState(List.of(p));
        p.gradient().setFlat(0, 0.5);
        p.gradient().setFlat(1, -3.0);
        sgd.step(List.of(p), state, 0.1);
        // θ ← θ + α Δ with Δ = −∇: (1 − 0.05, −2 + 0.3)
        assertEquals(0.95, p.value().getFlat(0), 1e-15);
        assertEquals(-1.7, p.value().getFlat(1), 1e-15);
        sgd.step(List.of(p), state, 0.1);
        assertEquals(0.90, p.value().getFlat(0), 1e-15);
        assertEquals(-1.4, p.value().getFlat(1), 1e-15);
        assertEquals(2, state.count());
    }
}
