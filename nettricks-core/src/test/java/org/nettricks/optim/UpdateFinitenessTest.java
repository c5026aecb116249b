package org.nettricks.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * The finiteness check fused into the update passes: a step θ − α g (momentum with β = 0, whose
 * arithmetic is SGD's through the shared per-element pass; plain SGD on float32 leaves the check to
 * the training loop's guard, TrainingLoopTest) reports a non-finite value exactly when the value
 * stored (after rounding to the precision) is infinite or NaN, wherever it lands in the tensor. Expected values worked by hand: 3e38 + 1e38 = 4e38 exceeds float32's
 * largest number 3.4028235e38 (so it rounds to infinity) but not float64's.
 */
class UpdateFinitenessTest {
    @ParameterizedTest(name = "{0}: θ = {1}, g = {2}, α = {3} → finite {4}")
    @CsvSource({
            "FLOAT32, 1, 1, 0.1, true",
            "FLOAT32, 3e38, -1e38, 1, false",      // 4e38 > Float.MAX_VALUE: infinity once stored
            "FLOAT64, 3e38, -1e38, 1, true",
            "FLOAT32, 3.4028235e38, 0, 1, true",   // the largest float itself is finite
            "FLOAT32, -3.4028235e38, 1e32, 1, false", // −3.4028235e38 − 1e32 rounds past the largest: −infinity
            "FLOAT32, 1e-45, 0, 1, true",          // the smallest subnormal
            "FLOAT32, -0.0, 0, 1, true",
            "FLOAT32, 0, NaN, 1, false",
            "FLOAT64, 0, NaN, 1, false",
            "FLOAT32, 0, Infinity, 1, false",
            "FLOAT64, 1.7976931348623157e308, -1e300, 1e10, false", // 1.8e308 + 1e310 overflows float64
            "FLOAT64, 1.7976931348623157e308, 0, 1, true",
    })
    void aStepIsFiniteExactlyWhenEveryStoredValueIs(Precision precision, double theta, double gradient, double lr,
                                                  boolean finite) {
        for (int at : new int[] {0, 17, 1000, 4095}) { // anywhere in the tensor, also past a vector's width
            Parameter p = new Parameter("layers.0.weight", Parameter.Role.WEIGHT, Matrix.zeros(64, 64, precision));
            p.value().setFlat(at, theta);
            p.gradient().setFlat(at, gradient);
            Momentum rule = new Momentum(0);
            assertEquals(finite, rule.step(List.of(p), rule.createState(List.of(p)), lr), "element " + at);
            if (precision == Precision.FLOAT64) { // SGD checks in float64 too
                Parameter q = new Parameter("layers.0.weight", Parameter.Role.WEIGHT, Matrix.zeros(64, 64, precision));
                q.value().setFlat(at, theta);
                q.gradient().setFlat(at, gradient);
                Sgd sgd = new Sgd();
                assertEquals(finite, sgd.step(List.of(q), sgd.createState(List.of(q)), lr), "SGD, element " + at);
            }
        }
    }
}
