package org.nettricks.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nettricks.io.internal.Json;

/**
 * Issue 17, item 1: MSE, RMSE, MAE and R² per target and averaged over targets equal scikit-learn's
 * (sklearn.metrics 1.2.1) to 1e-12 on the same predictions, read from the fixtures that
 * scripts/fixtures/sklearn_regression_metrics.py computed once.
 */
class RegressionMetricsTest {
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cases() throws IOException {
        try (InputStream in = RegressionMetricsTest.class.getResourceAsStream("sklearn-regression-metrics.json")) {
            Map<String, Object> root = (Map<String, Object>) Json.parse(new String(in.readAllBytes(),
                    StandardCharsets.UTF_8));
            return (List<Map<String, Object>>) root.get("cases");
        }
    }

    private static double[] doubles(Object list) {
        List<?> l = (List<?>) list;
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) l.get(i)).doubleValue();
        }
        return out;
    }

    @Test
    void everyFigureEqualsScikitLearns() throws IOException {
        List<Map<String, Object>> cases = cases();
        assertEquals(4, cases.size());
        for (Map<String, Object> c : cases) {
            String name = (String) c.get("name");
            int k = ((Number) c.get("targets")).intValue();
            List<String> names = new ArrayList<>();
            for (int j = 0; j < k; j++) {
                names.add("y" + j);
            }
            RegressionMetrics m = RegressionMetrics.of(names, doubles(c.get("truth")), doubles(c.get("predicted")),
                    Double.NaN);
            double[] mse = doubles(c.get("mse"));
            double[] rmse = doubles(c.get("rmse"));
            double[] mae = doubles(c.get("mae"));
            double[] r2 = doubles(c.get("r2"));
            for (int j = 0; j < k; j++) {
                assertEquals(mse[j], m.mse()[j], 1e-12 * Math.max(1, Math.abs(mse[j])), name + " mse " + j);
                assertEquals(rmse[j], m.rmse()[j], 1e-12 * Math.max(1, rmse[j]), name + " rmse " + j);
                assertEquals(mae[j], m.mae()[j], 1e-12 * Math.max(1, mae[j]), name + " mae " + j);
                assertEquals(r2[j], m.r2()[j], 1e-12, name + " r2 " + j);
            }
            assertEquals(doubles(c.get("mse_mean"))[0], m.meanMse(), 1e-12 * Math.max(1, m.meanMse()), name);
            assertEquals(doubles(c.get("rmse_mean"))[0], m.meanRmse(), 1e-12 * Math.max(1, m.meanRmse()), name);
            assertEquals(doubles(c.get("mae_mean"))[0], m.meanMae(), 1e-12 * Math.max(1, m.meanMae()), name);
            assertEquals(doubles(c.get("r2_mean"))[0], m.meanR2(), 1e-12, name);
        }
    }

    @Test
    void aHandWorkedCase() {
        // y = (1, 2, 3), ŷ = (1, 2, 6): residuals 0, 0, −3; MSE 3, MAE 1, ȳ = 2, SS_tot = 2, R² = 1 − 9/2
        RegressionMetrics m = RegressionMetrics.of(List.of("y"), new double[] {1, 2, 3}, new double[] {1, 2, 6}, 0);
        assertEquals(3, m.mse()[0], 0);
        assertEquals(Math.sqrt(3), m.rmse()[0], 0);
        assertEquals(1, m.mae()[0], 0);
        assertEquals(-3.5, m.r2()[0], 0);
    }
}
