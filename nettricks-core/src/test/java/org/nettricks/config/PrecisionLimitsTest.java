package org.nettricks.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nettricks.tensor.Precision;

/**
 * Issue 14, class 4: settings that overflow or underflow the training precision are refused by the
 * recipe, naming the key. The limits are float32's largest number 3.4028235e38 and smallest normal
 * number 1.1754944e-38, float64's 1.7976931e308 and 2.2250739e-308; a float32 number above
 * 1 − 2⁻²⁵ rounds to 1.
 */
class PrecisionLimitsTest {
    private static Recipe.Builder base(String precision) {
        return Recipe.builder().data("digits").precision(Precision.parse(precision));
    }

    private static Recipe.Builder set(Recipe.Builder b, String key, double v) {
        return switch (key) {
            case "lr" -> b.learningRate(v);
            case "epsilon" -> b.epsilon(v);
            case "momentum" -> b.momentum(v);
            case "beta1" -> b.hyperparameter("beta1", v);
            case "beta2" -> b.hyperparameter("beta2", v);
            case "l1" -> b.l1(v);
            case "l2" -> b.l2(v);
            case "init-gain" -> b.initGain(v);
            default -> throw new AssertionError(key);
        };
    }

    @ParameterizedTest(name = "{0} {1} = {2} in {3}: {4}")
    @CsvSource({
            // optimizer, key, value, precision, refused: the fragment of the message, or 'accepted'
            "adam,     epsilon,   1e-46,      float32, 'rounds to 0'",
            "adam,     epsilon,   1e-40,      float32, 'it is subnormal'",
            "rmsprop,  epsilon,   1e-39,      float32, 'underflows float32'",
            "adagrad,  epsilon,   1e-45,      float32, 'underflows float32'",
            "adam,     epsilon,   1e-37,      float32, accepted",
            "adam,     epsilon,   1e-46,      float64, accepted",
            "adam,     epsilon,   1e-310,     float64, 'underflows float64'",
            "sgd,      epsilon,   1e-46,      float32, accepted",
            "sgd,      lr,        1e-39,      float32, 'underflows float32'",
            "sgd,      lr,        1e-39,      float64, accepted",
            "sgd,      lr,        1e39,       float32, 'above float32''s largest number'",
            "sgd,      lr,        1e39,       float64, accepted",
            "sgd,      lr,        1e-320,     float64, 'underflows float64'",
            "adam,     beta2,     0.99999999, float32, 'rounds to 1 in float32'",
            "adam,     beta2,     0.9999999,  float32, accepted",
            "adam,     beta2,     0.99999999, float64, accepted",
            "adam,     beta1,     0.99999999, float32, 'rounds to 1 in float32'",
            "rmsprop,  beta2,     0.99999999, float32, 'rounds to 1 in float32'",
            "momentum, momentum,  0.99999999, float32, 'rounds to 1 in float32'",
            "nesterov, momentum,  0.99999999, float32, 'rounds to 1 in float32'",
            "sgd,      momentum,  0.99999999, float32, accepted",
            "sgd,      l2,        1e39,       float32, 'the penalty is infinite'",
            "sgd,      l1,        1e39,       float32, 'the penalty is infinite'",
            "sgd,      l2,        1e39,       float64, accepted",
    })
    void overflowingAndUnderflowingSettings(String optimizer, String key, double value, String precision,
                                            String expected) {
        UnaryOperator<Recipe.Builder> change = b -> set(b.optimizer(optimizer), key, value);
        if (expected.equals("accepted")) {
            assertDoesNotThrow(() -> change.apply(base(precision)).build());
            return;
        }
        RecipeException e = assertThrows(RecipeException.class, () -> change.apply(base(precision)).build());
        assertEquals(key, e.key());
        assertTrue(e.getMessage().startsWith(key + " is "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** Glorot between two hidden layers of 10: b = gain · √(6/20) = 0.5477 gain; float32 overflows above 6.21e38. */
    @Test
    void anInitGainBetweenHiddenLayersIsCheckedByTheRecipe() {
        RecipeException e = assertThrows(RecipeException.class,
                () -> base("float32").hidden(10, 10).initGain(1e39).build());
        assertEquals("init-gain", e.key());
        assertTrue(e.getMessage().contains("layer 2 (fan-in 10, fan-out 10) reach 5.48e+38, beyond float32's largest"
                + " number 3.40e+38"), e.getMessage());
        assertDoesNotThrow(() -> base("float32").hidden(10, 10).initGain(6e38).build());
        assertDoesNotThrow(() -> base("float64").hidden(10, 10).initGain(1e39).build());
    }

    /** With the data's sizes: 2 inputs → 128 (Glorot: √(6/130) = 0.21483) overflows float32 above 1.584e39. */
    @Test
    void everyLayerIsCheckedOnceTheDataSizesAreKnown() {
        Recipe.NetworkPart over = base("float32").hidden(128).initGain(1.6e39).build().network();
        RecipeException e = assertThrows(RecipeException.class,
                () -> PrecisionLimits.checkInitialization(over, 2, 3, Precision.FLOAT32));
        assertEquals("init-gain", e.key());
        assertTrue(e.getMessage().contains("layer 1 (fan-in 2, fan-out 128)"), e.getMessage());
        Recipe.NetworkPart under = base("float32").hidden(128).initGain(1.58e39).build().network();
        assertDoesNotThrow(() -> PrecisionLimits.checkInitialization(under, 2, 3, Precision.FLOAT32));
        // He, 1 input: b = √6 · gain = 2.449 gain; the draw −b + 2b·u overflows float64 once 2b > 1.80e308,
        // above gain 3.67e307
        Recipe.NetworkPart he = base("float64").init(InitScheme.HE).initGain(1e308).build().network();
        RecipeException h = assertThrows(RecipeException.class,
                () -> PrecisionLimits.checkInitialization(he, 1, 2, Precision.FLOAT64));
        assertTrue(h.getMessage().contains("beyond half float64's largest number, 8.99e+307"), h.getMessage());
        Recipe.NetworkPart heOk = base("float64").init(InitScheme.HE).initGain(3.6e307).build().network();
        assertDoesNotThrow(() -> PrecisionLimits.checkInitialization(heOk, 1, 2, Precision.FLOAT64));
        // underflow: 784 → 10 (Glorot √(6/794) = 0.08693) gives subnormal float32 weights below gain 1.35e-37
        Recipe.NetworkPart tiny = base("float32").initGain(1e-37).build().network();
        RecipeException t = assertThrows(RecipeException.class,
                () -> PrecisionLimits.checkInitialization(tiny, 784, 10, Precision.FLOAT32));
        assertTrue(t.getMessage().contains("below float32's smallest normal number 1.18e-38"), t.getMessage());
        Recipe.NetworkPart small = base("float32").initGain(1e-36).build().network();
        assertDoesNotThrow(() -> PrecisionLimits.checkInitialization(small, 784, 10, Precision.FLOAT32));
    }
}
