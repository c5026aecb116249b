package org.nettricks.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ActivationTest {
    @ParameterizedTest
    @EnumSource(Activation.class)
    void derivativeMatchesCentralDifference(Activation g) {
        double eps = 1e-6;
        for (double a : new double[] {-3.1, -0.7, 0.2, 1.9, 4.0}) {
            double numeric = (g.apply(a + eps) - g.apply(a - eps)) / (2 * eps);
            assertEquals(numeric, g.derivative(a, g.apply(a)), 1e-8, g + " at " + a);
        }
    }

    @Test
    void valuesFromTheLecture() {
        assertEquals(0.5, Activation.SIGMOID.apply(0), 0);
        assertEquals(1 / (1 + Math.exp(-2)), Activation.SIGMOID.apply(2), 1e-16);
        double a = 0.8;
        assertEquals((Math.exp(2 * a) - 1) / (Math.exp(2 * a) + 1), Activation.TANH.apply(a), 1e-15);
        assertEquals(0.0, Activation.RELU.apply(-2), 0);
        assertEquals(2.5, Activation.RELU.apply(2.5), 0);
        assertEquals(-2.5, Activation.LINEAR.apply(-2.5), 0);
        assertEquals(0.0, Activation.RELU.derivative(0, 0), 0);
    }

    @Test
    void parseNamesAndRejectsUnknown() {
        assertEquals(Activation.TANH, Activation.parse("tanh"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Activation.parse("swish"));
        assertEquals("activation must be one of " + Activation.names(", ") + "; got 'swish'", e.getMessage());
        assertTrue(Activation.names(", ").startsWith("linear, sigmoid, tanh, relu"));
    }
}
