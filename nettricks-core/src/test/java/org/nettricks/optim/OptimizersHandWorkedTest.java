package org.nettricks.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * Three steps of every optimizer on f(θ) = ½(θ₁² + 3θ₂²), ∇f = (θ₁, 3θ₂), from θ = (1, −2) with
 * α = 0.1, against values worked by hand from each rule's formula (a calculator for the digits).
 * For example, momentum: step 1 ∇ = (1, −6), ∇̄ = ∇, θ = (0.9, −1.4); step 2 ∇ = (0.9, −4.2),
 * ∇̄ = (0.9 + 0.9·1, −4.2 + 0.9·(−6)) = (1.8, −9.6), θ = (0.72, −0.44). Adam's first step is
 * θ − α ∇/(|∇| + ε) because the bias corrections make m̂ = ∇ and v̂ = ∇².
 */
class OptimizersHandWorkedTest {
    private static double[][] threeSteps(Optimizer optimizer) {
        Parameter p = new Parameter("theta", Parameter.Role.WEIGHT, Matrix.of(Precision.FLOAT64, 1, 2, 1.0, -2.0));
        OptimizerState state = optimizer.createState(List.of(p));
        double[][] out = new double[3][];
        for (int t = 0; t < 3; t++) {
            p.gradient().setFlat(0, p.value().getFlat(0));
            p.gradient().setFlat(1, 3 * p.value().getFlat(1));
            optimizer.step(List.of(p), state, 0.1);
            out[t] = new double[] {p.value().getFlat(0), p.value().getFlat(1)};
        }
        return out;
    }

    private static void assertSteps(double[][] expected, Optimizer optimizer) {
        double[][] actual = threeSteps(optimizer);
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < 2; i++) {
                assertEquals(expected[t][i], actual[t][i], 1e-12, optimizer.name() + " step " + (t + 1) + " θ" + (i + 1));
            }
        }
    }

    @Test
    void sgd() {
        assertSteps(new double[][] {{0.9, -1.4}, {0.81, -0.98}, {0.729, -0.686}}, new Sgd());
    }

    @Test
    void momentumAsTheLectureWritesIt() {
        assertSteps(new double[][] {{0.9, -1.4}, {0.72, -0.44}, {0.486, 0.556}}, new Momentum(0.9));
    }

    @Test
    void nesterov() {
        assertSteps(new double[][] {{0.81, -0.86}, {0.5751, 0.1162}, {0.327321, 0.696346}}, new Nesterov(0.9));
    }

    @Test
    void adagrad() {
        assertSteps(new double[][] {{0.9000000005, -1.9000000000138888}, {0.8331035275020189, -1.831125053827183},
                {0.7804561820966098, -1.7758215150297778}}, new Adagrad(1e-8));
    }

    @Test
    void rmsprop() {
        assertSteps(new double[][] {{0.6837722497945492, -1.6837722344223671}, {0.49887062665476284, -1.4738753140883694},
                {0.36918057387599257, -1.308717867620663}}, new RmsProp(0.9, 1e-8));
    }

    @Test
    void adam() {
        assertSteps(new double[][] {{0.9000000009999999, -1.9000000001666666}, {0.8004122297123379, -1.800166485947237},
                {0.7015862745044147, -1.7006233917912488}}, new Adam(0.9, 0.999, 1e-8));
    }

    @Test
    void momentumZeroIsExactlyPlainSgd() {
        double[][] sgd = threeSteps(new Sgd());
        double[][] momentum = threeSteps(new Momentum(0.0));
        double[][] nesterov = threeSteps(new Nesterov(0.0));
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < 2; i++) {
                assertEquals(Double.doubleToRawLongBits(sgd[t][i]), Double.doubleToRawLongBits(momentum[t][i]));
                assertEquals(Double.doubleToRawLongBits(sgd[t][i]), Double.doubleToRawLongBits(nesterov[t][i]));
            }
        }
    }

    @Test
    void constantsAreValidatedWithTheirNames() {
        assertEquals("beta1 must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> new Adam(1.0, 0.999, 1e-8)).getMessage());
        assertEquals("momentum must be in [0, 1), got -0.1",
                assertThrows(IllegalArgumentException.class, () -> new Momentum(-0.1)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Adagrad(0));
        // an unknown optimizer name is refused by the recipe's registry: RecipeTest.anUnknownUpdateRuleIsRefused
    }
}
