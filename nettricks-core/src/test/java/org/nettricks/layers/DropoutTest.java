package org.nettricks.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

class DropoutTest {
    @Test
    void masksDropTheRightShareAndKeepTheExpectation() {
        try (JavaBackend backend = new JavaBackend(1)) {
            Dropout d = new Dropout(100, 0.3, backend);
            Matrix h = Matrix.zeros(200, 100, Precision.FLOAT64);
            for (int i = 0; i < h.size(); i++) {
                h.setFlat(i, 2.0);
            }
            Matrix out = d.forward(h, Mode.TRAIN, new SplittableRandom(1));
            int dropped = 0;
            double sum = 0;
            for (int i = 0; i < out.size(); i++) {
                double v = out.getFlat(i);
                assertTrue(v == 0.0 || Math.abs(v - 2.0 / 0.7) < 1e-12);
                dropped += v == 0.0 ? 1 : 0;
                sum += v;
            }
            // 20,000 Bernoulli(0.3) draws: standard deviation of the share ≈ 0.0032
            assertEquals(0.3, dropped / 20000.0, 0.015);
            assertEquals(2.0, sum / 20000, 0.05);
            // backward: the same mask multiplies the gradient
            Matrix grad = Matrix.zeros(200, 100, Precision.FLOAT64);
            for (int i = 0; i < grad.size(); i++) {
                grad.setFlat(i, 1.0);
            }
            d.backward(grad, true);
            for (int i = 0; i < grad.size(); i++) {
                assertEquals(out.getFlat(i) / 2.0, grad.getFlat(i), 1e-12);
            }
            assertSame(h, d.forward(h, Mode.EVAL, null), "no dropping at test time");
        }
    }
}
