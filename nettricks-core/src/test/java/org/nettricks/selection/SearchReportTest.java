package org.nettricks.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class SearchReportTest {
    private static final Dimension ACTIVATION = Dimension.choice("activation", List.of("a", "b"));
    private static final Dimension LR = new Dimension.Numeric("lr", Dimension.Numeric.Kind.LOG_UNIFORM, 1e-4, 1);

    private static TrialResult trial(int i, String activation, String lr, String status, double error) {
        return new TrialResult(i, i, Map.of("activation", activation, "lr", lr), status, 1, error, error, 1, 0);
    }

    /**
     * By hand: errors 0.1, 0.3 (activation a) and 0.5, 0.7 (b), mean 0.4. Total sum of squares
     * 0.09 + 0.01 + 0.01 + 0.09 = 0.2; between the groups 2 (0.2 − 0.4)² + 2 (0.6 − 0.4)² = 0.16, so
     * η² = 0.8, chance (2 − 1)/(4 − 1) = 1/3. lr 1e-4, 1e-4, 1e-2, 0.5 fall in the bins 0, 0, 2, 4 of
     * the log scale over [1e-4, 1] (positions 0, 0, 0.5, 0.92): between 2 (0.2 − 0.4)² + (0.5 − 0.4)²
     * + (0.7 − 0.4)² = 0.18, η² = 0.9, chance 2/3. A pruned and a diverged trial change nothing.
     */
    @Test
    void etaSquaredIsTheHandWorkedShareOfVariance() {
        List<TrialResult> trials = List.of(trial(0, "a", "0.0001", "ok", 0.1), trial(1, "a", "0.0001", "ok", 0.3),
                trial(2, "b", "0.01", "ok", 0.5), trial(3, "b", "0.5", "ok", 0.7),
                trial(4, "a", "0.01", "pruned", 0.9), trial(5, "b", "0.9", "diverged", Double.NaN));
        List<SearchReport.Importance> imp = SearchReport.importance(List.of(ACTIVATION, LR), trials);
        assertEquals(0.8, imp.get(0).etaSquared(), 1e-12);
        assertEquals(1.0 / 3, imp.get(0).chance(), 1e-12);
        assertEquals(2, imp.get(0).groups());
        assertEquals(4, imp.get(0).trials());
        assertEquals(0.9, imp.get(1).etaSquared(), 1e-12);
        assertEquals(2.0 / 3, imp.get(1).chance(), 1e-12);
        assertEquals(3, imp.get(1).groups());
    }

    /**
     * For two groups η² is the squared point-biserial correlation, Pearson's r² between the error
     * and the 0/1 indicator of the group, computed here by its own formula on random trials.
     */
    @Test
    void withTwoGroupsEtaSquaredIsThePointBiserialCorrelationSquared() {
        SplittableRandom random = new SplittableRandom(7);
        List<TrialResult> trials = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            boolean b = random.nextBoolean();
            trials.add(trial(i, b ? "b" : "a", "0.1", "ok", random.nextDouble() * 0.3 + (b ? 0.1 : 0)));
        }
        double n = trials.size();
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (TrialResult t : trials) {
            double x = t.values().get("activation").equals("b") ? 1 : 0;
            double y = t.validationError();
            sx += x;
            sy += y;
            sxx += x * x;
            syy += y * y;
            sxy += x * y;
        }
        double r = (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
        assertEquals(r * r, SearchReport.importance(List.of(ACTIVATION), trials).get(0).etaSquared(), 1e-12);
    }

    @Test
    void withoutVarianceOrWithOneTrialTheImportanceIsUndefined() {
        assertTrue(Double.isNaN(SearchReport.importance(List.of(ACTIVATION),
                List.of(trial(0, "a", "0.1", "ok", 0.2))).get(0).etaSquared()));
        assertTrue(Double.isNaN(SearchReport.importance(List.of(ACTIVATION),
                List.of(trial(0, "a", "0.1", "ok", 0.2), trial(1, "b", "0.1", "ok", 0.2))).get(0).etaSquared()));
    }

    /** The status line says how far the search is, and the page is rewritten from the trials added. */
    @Test
    void theStatusLineCountsTheTrialsAddedAndMarksPrunedAndFailedOnes() {
        SearchReport report = new SearchReport(List.of(ACTIVATION, LR), Map.of("strategy", "random"), 5,
                List.of(trial(0, "a", "0.001", "ok", 0.2)));
        report.add(trial(1, "b", "0.01", "pruned", 0.4));
        report.add(trial(2, "b", "0.5", "diverged", Double.NaN));
        String html = report.html();
        assertTrue(html.contains("in progress: 3 of 5 trials done (1 pruned, 1 failed)"), "status");
        assertTrue(html.contains("<tr class=\"pruned\">") && html.contains("<tr class=\"failed\">"), "marked rows");
        report.finish("selected trial 0");
        assertTrue(report.html().contains("finished: 3 of 5 trials done (1 pruned, 1 failed); selected trial 0"));
    }

    /**
     * By hand: errors 0.1111 … 0.7917 span 0.6806, order of magnitude 0.1, so the bounds go outwards
     * to the thousandth: [0.111, 0.792]; RMSEs 49.79 … 52.236 span 2.446 (order 1): [49.79, 52.24];
     * a single value 5 gets ±2.5: [2.5, 7.5].
     */
    @Test
    void theMetricAxisCoversEveryValueRoundedOutwards() {
        double[] r = SearchReport.axisRange(0.1111, 0.7917);
        assertEquals(0.111, r[0], 1e-12);
        assertEquals(0.792, r[1], 1e-12);
        r = SearchReport.axisRange(49.79, 52.236);
        assertEquals(49.79, r[0], 1e-12);
        assertEquals(52.24, r[1], 1e-12);
        r = SearchReport.axisRange(5, 5);
        assertEquals(2.5, r[0], 1e-12);
        assertEquals(7.5, r[1], 1e-12);
    }
}
