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
 * θ − α ∇/(|∇| + ε) because the bias corrections make m̂ = ∇ and v̂ = ∇². The float32 tensors,
 * updated in float32 arithmetic, must give the same values to float32's precision.
 */
class OptimizersHandWorkedTest {
    private static double[][] threeSteps(Optimizer optimizer) {
        return threeSteps(optimizer, Precision.FLOAT64, 1);
    }

    /**
     * The same problem in {@code copies} copies side by side (θ = (1, −2, 1, −2, …)), so that a long
     * tensor goes through the vectorized loops of the float32 rules as well as their scalar ends;
     * returns each step's θ of every copy.
     */
    private static double[][] threeSteps(Optimizer optimizer, Precision precision, int copies) {
        Matrix start = Matrix.zeros(1, 2 * copies, precision);
        for (int c = 0; c < copies; c++) {
            start.setFlat(2 * c, 1.0);
            start.setFlat(2 * c + 1, -2.0);
        }
        Parameter p = new Parameter("theta", Parameter.Role.WEIGHT, start);
        OptimizerState state = optimizer.createState(List.of(p));
        double[][] out = new double[3][];
        for (int t = 0; t < 3; t++) {
            for (int c = 0; c < copies; c++) {
                p.gradient().setFlat(2 * c, p.value().getFlat(2 * c));
                p.gradient().setFlat(2 * c + 1, 3 * p.value().getFlat(2 * c + 1));
            }
            optimizer.step(List.of(p), state, 0.1);
            out[t] = new double[2 * copies];
            for (int i = 0; i < 2 * copies; i++) {
                out[t][i] = p.value().getFlat(i);
            }
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
        // float32 tensors are updated in float32 arithmetic: the same values to float32's precision,
        // and every copy the same bits. The bound is 2e-6 of max(1, |θ|): Adam's 1 − β2 with β2 =
        // 0.999 rounded to float32 is 1.3e-5 off relative, which its step of α = 0.1 carries as
        // about 7e-7; the other rules stay within a few units of 2^-24 (6e-8)
        int copies = 1001;
        double[][] single = threeSteps(optimizer, Precision.FLOAT32, copies);
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < 2; i++) {
                assertEquals(expected[t][i], single[t][i], 2e-6 * Math.max(1, Math.abs(expected[t][i])),
                        optimizer.name() + " float32 step " + (t + 1) + " θ" + (i + 1));
                for (int c = 1; c < copies; c++) {
                    assertEquals(single[t][i], single[t][2 * c + i], 0, "copy " + c);
                }
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
        double[][] sgd32 = threeSteps(new Sgd(), Precision.FLOAT32, 40);
        double[][] momentum32 = threeSteps(new Momentum(0.0), Precision.FLOAT32, 40);
        double[][] nesterov32 = threeSteps(new Nesterov(0.0), Precision.FLOAT32, 40);
        for (int t = 0; t < 3; t++) {
            for (int i = 0; i < 80; i++) {
                assertEquals(Double.doubleToRawLongBits(sgd32[t][i]), Double.doubleToRawLongBits(momentum32[t][i]));
                assertEquals(Double.doubleToRawLongBits(sgd32[t][i]), Double.doubleToRawLongBits(nesterov32[t][i]));
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
