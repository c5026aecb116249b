package org.nettricks.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nettricks.config.RecipeSettings;
import org.nettricks.data.Dataset;
import org.nettricks.experiment.Experiment;
import org.nettricks.layers.DenseLayer;
import org.nettricks.monitoring.Diagnostics;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;

class DiagnosisReportTest {
    /**
     * The measurements the report draws: the saturation before the first update against the share
     * of |W x + b| beyond the tanh flat limit, computed here by hand on the first 256 training
     * examples of the restored initial network; the overfit curve ends at zero error at the epoch the
     * test reports, with one point per epoch; one step loss per step; and the charts hold them all.
     */
    @Test
    void theMeasurementsAreThoseOfTheInitialNetworkAndTheChartsHoldThem() {
        try (JavaBackend backend = new JavaBackend(1)) {
            Experiment experiment = Experiment.prepare(RecipeSettings.of("data", "digits", "hidden", "16",
                    "activation", "tanh", "init-gain", "3", "seed", "3"), backend);
            Diagnosis.Result result = Diagnosis.run(experiment, new Diagnosis.Options(50, 300, 20));

            DenseLayer first = experiment.network().denseLayers().get(0);
            Matrix w = first.weight().value();
            Matrix b = first.bias().value();
            Dataset train = experiment.train();
            int n = Math.min(256, train.size());
            int d = train.featureCount();
            long flat = 0;
            for (int i = 0; i < n; i++) {
                for (int u = 0; u < w.rows(); u++) {
                    double a = b.get(0, u);
                    for (int j = 0; j < d; j++) {
                        a += w.get(u, j) * train.features()[i * d + j];
                    }
                    flat += Math.abs(a) > Diagnostics.TANH_FLAT ? 1 : 0;
                }
            }
            assertEquals(1, result.saturationBefore().size());
            assertEquals((double) flat / (n * w.rows()), result.saturationBefore().get(0).flatShare(), 1e-9);
            assertTrue(flat > 0, "init-gain 3 saturates some tanh units");

            Diagnosis.OverfitTest o = result.overfit();
            assertTrue(o.passed(), "50 digits are learnt within 300 epochs");
            assertEquals(o.epochToZero(), o.errors().size(), "one point per epoch, up to the first at zero error");
            assertEquals(0.0, o.errors().get(o.errors().size() - 1));
            assertTrue(o.errors().subList(0, o.errors().size() - 1).stream().allMatch(e -> e > 0));
            assertEquals(o.finalLoss(), o.losses().get(o.losses().size() - 1));
            assertEquals(20, result.stepLosses().size());
            assertEquals(1, result.saturationAfter().size());

            List<Map<String, Object>> charts = new DiagnosisReport(result, Map.of(), null).charts();
            assertEquals(List.of("overfit-error", "overfit-loss", "step-loss", "saturation"),
                    charts.stream().map(c -> c.get("id")).toList());
            assertEquals(o.errors().size(), points(charts.get(0)));
            assertEquals(20, points(charts.get(2)));
        }
    }

    @SuppressWarnings("unchecked")
    private static int points(Map<String, Object> chart) {
        List<Map<String, Object>> series = (List<Map<String, Object>>) chart.get("series");
        return ((List<?>) series.get(0).get("data")).size();
    }
}
