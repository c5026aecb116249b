package org.nettricks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nettricks.activations.Activation;
import org.nettricks.network.Architecture;
import org.nettricks.network.Network;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;
import org.nettricks.training.TrainingListener;

class PretrainingStatisticsTest {
    /**
     * A 2-3-2-2 network with W(1) = [[1, 2], [0, 1], [−1, 0]] and W(2) = [[1, 0, 1], [2, −1, 0]]: the
     * filters of layer 2 in input space are W(2) W(1), by hand [[0, 2], [2, 3]].
     */
    @Test
    void higherLayerFiltersAreTheProductOfTheWeightsBelow() {
        try (JavaBackend backend = new JavaBackend(1)) {
            Network network = new Network(Architecture.of(2, List.of(3, 2), Activation.SIGMOID, 2), Precision.FLOAT64,
                    backend);
            set(network.denseLayers().get(0).weight().value(), new double[][] {{1, 2}, {0, 1}, {-1, 0}});
            set(network.denseLayers().get(1).weight().value(), new double[][] {{1, 0, 1}, {2, -1, 0}});
            int[] passed = {0};
            PretrainingStatistics stats = new PretrainingStatistics(new TrainingListener() {
                @Override
                public void onPretrainingEpoch(int layer, int epoch, double train, double validation, double s) {
                    passed[0]++;
                }
            }, null);
            stats.onPretrainingEpoch(0, 1, 3.0, 3.5, 0.1);
            stats.onPretrainingEpoch(0, 2, 2.0, 2.5, 0.1);
            stats.onPretrainingEpoch(1, 1, 1.0, Double.NaN, 0.1);
            assertEquals(3, passed[0], "every call reaches the console");
            stats.finish(network);
            List<Matrix> f = stats.filters();
            assertEquals(2, f.size());
            assertEquals(1, f.get(0).get(0, 0));
            assertEquals(-1, f.get(0).get(2, 0));
            double[][] expected = {{0, 2}, {2, 3}};
            for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                    assertEquals(expected[i][j], f.get(1).get(i, j), 1e-12);
                }
            }
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> series = (List<Map<String, Object>>) stats.chart().get("series");
            assertEquals(List.of("layer 1 training", "layer 1 validation", "layer 2 training"),
                    series.stream().map(s -> s.get("name")).toList(), "no validation series without validation");
            assertTrue(stats.filtersHtml(List.of(1, 2)).contains("id=\"filters-2\""));
            assertEquals("", stats.filtersHtml(null), "no filters without an image shape");
        }
    }

    private static void set(Matrix m, double[][] values) {
        for (int i = 0; i < values.length; i++) {
            for (int j = 0; j < values[i].length; j++) {
                m.set(i, j, values[i][j]);
            }
        }
    }
}
