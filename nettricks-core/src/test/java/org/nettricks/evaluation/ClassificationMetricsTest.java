package org.nettricks.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nettricks.io.internal.Json;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * ClassificationMetrics against scikit-learn 1.2's sklearn.metrics on the same predictions: five cases
 * (three classes; ten imbalanced classes; tied scores; a class never predicted and one absent; two
 * classes) computed once by scripts/fixtures/sklearn_metrics.py, each figure equal to 1e-12.
 */
class ClassificationMetricsTest {
    private static final double TOLERANCE = 1e-12;

    @SuppressWarnings("unchecked")
    static Stream<Map<String, Object>> cases() throws IOException {
        try (InputStream in = ClassificationMetricsTest.class.getResourceAsStream("sklearn-metrics.json")) {
            Map<String, Object> root = (Map<String, Object>) Json.parse(new String(in.readAllBytes(),
                    StandardCharsets.UTF_8));
            return ((List<Map<String, Object>>) root.get("cases")).stream();
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

    private static int[] ints(Object list) {
        List<?> l = (List<?>) list;
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) l.get(i)).intValue();
        }
        return out;
    }

    private static double number(Object o) {
        return ((Number) o).doubleValue();
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void equalsScikitLearn(Map<String, Object> c) {
        String name = (String) c.get("name");
        int k = ((Number) c.get("classes")).intValue();
        int[] labels = ints(c.get("labels"));
        ClassificationMetrics m = ClassificationMetrics.of(labels, doubles(c.get("probabilities")), k);
        double[] precision = doubles(c.get("precision"));
        double[] recall = doubles(c.get("recall"));
        double[] f1 = doubles(c.get("f1"));
        int[] support = ints(c.get("support"));
        for (int j = 0; j < k; j++) {
            assertEquals(precision[j], m.precision(j), TOLERANCE, name + " precision " + j);
            assertEquals(recall[j], m.recall(j), TOLERANCE, name + " recall " + j);
            assertEquals(f1[j], m.f1(j), TOLERANCE, name + " f1 " + j);
            assertEquals(support[j], m.support(j), name + " support " + j);
        }
        assertEquals(number(c.get("accuracy")), m.accuracy(), TOLERANCE, name + " accuracy");
        assertEquals(number(c.get("balanced_accuracy")), m.balancedAccuracy(), TOLERANCE, name + " balanced accuracy");
        assertEquals(number(c.get("log_loss")), m.logLoss(), TOLERANCE, name + " log loss");
        Map<String, Object> macro = (Map<String, Object>) c.get("macro");
        assertEquals(number(macro.get("precision")), m.macroPrecision(), TOLERANCE, name + " macro precision");
        assertEquals(number(macro.get("recall")), m.macroRecall(), TOLERANCE, name + " macro recall");
        assertEquals(number(macro.get("f1")), m.macroF1(), TOLERANCE, name + " macro f1");
        Map<String, Object> weighted = (Map<String, Object>) c.get("weighted");
        assertEquals(number(weighted.get("precision")), m.weightedPrecision(), TOLERANCE, name + " weighted precision");
        assertEquals(number(weighted.get("recall")), m.weightedRecall(), TOLERANCE, name + " weighted recall");
        assertEquals(number(weighted.get("f1")), m.weightedF1(), TOLERANCE, name + " weighted f1");
        if (c.containsKey("top_k")) {
            Map<String, Object> topK = (Map<String, Object>) c.get("top_k");
            assertEquals(k - 1, topK.size());
            topK.forEach((t, v) -> assertEquals(number(v), m.topKAccuracy(Integer.parseInt(t)), TOLERANCE,
                    name + " top-" + t));
        }
        if (c.containsKey("roc_auc")) {
            double[] auc = doubles(c.get("roc_auc"));
            for (int j = 0; j < k; j++) {
                assertEquals(auc[j], m.rocAuc(j), TOLERANCE, name + " ROC-AUC " + j);
            }
            assertEquals(number(c.get("roc_auc_macro")), m.macroRocAuc(), TOLERANCE, name + " macro ROC-AUC");
            assertEquals(number(c.get("roc_auc_weighted")), m.weightedRocAuc(), TOLERANCE, name + " weighted ROC-AUC");
        }
        if (c.containsKey("roc_auc_class1")) {
            assertEquals(number(c.get("roc_auc_class1")), m.rocAuc(1), TOLERANCE, name + " binary ROC-AUC");
        }
    }

    @Test
    void aClassWithNoExampleHasNoAucAndTheFiguresOfAMatrixAreTheSame() {
        // hand-worked: 4 examples, 3 classes, class 2 never true; predictions 0, 1, 1, 0
        int[] labels = {0, 1, 1, 0};
        double[] p = {0.6, 0.3, 0.1, 0.2, 0.7, 0.1, 0.3, 0.4, 0.3, 0.5, 0.45, 0.05};
        ClassificationMetrics m = ClassificationMetrics.of(labels, p, 3);
        assertTrue(Double.isNaN(m.rocAuc(2)));
        assertEquals(1.0, m.rocAuc(0), 0); // class 0 scores 0.6, 0.5 above the negatives' 0.2, 0.3
        // class 1: positives 0.7, 0.4 against negatives 0.3, 0.45: 3 of the 4 pairs ordered
        assertEquals(0.75, m.rocAuc(1), 0);
        assertEquals(0.875, m.macroRocAuc(), 0);
        assertEquals(1.0, m.accuracy(), 0);
        assertEquals(2, m.support(0));
        ClassificationMetrics fromMatrix = ClassificationMetrics.of(labels, Matrix.of(Precision.FLOAT64, 4, 3, p));
        assertEquals(m.logLoss(), fromMatrix.logLoss(), 0);
        // −(ln 0.6 + ln 0.7 + ln 0.4 + ln 0.5) / 4
        assertEquals(-(Math.log(0.6) + Math.log(0.7) + Math.log(0.4) + Math.log(0.5)) / 4, m.logLoss(), 1e-15);
    }

    @Test
    void aNonFiniteOutputHasNoClassAndNoLogLossOrAuc() {
        int[] labels = {0, 1};
        double[] p = {0.9, 0.1, Double.NaN, 0.5};
        ClassificationMetrics m = ClassificationMetrics.of(labels, p, 2);
        assertEquals(0.5, m.accuracy(), 0);
        assertEquals(0.0, m.recall(1), 0);     // its example counts against class 1's recall
        assertEquals(1.0, m.precision(0), 0);  // and for no class's precision
        assertTrue(Double.isNaN(m.logLoss()));
        assertTrue(Double.isNaN(m.rocAuc(0)));
    }

    @Test
    void shapesAndLabelsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.of(new int[] {0}, new double[3], 2));
        assertThrows(IllegalArgumentException.class, () -> ClassificationMetrics.of(new int[] {2}, new double[2], 2));
        ClassificationMetrics m = ClassificationMetrics.of(new int[] {0}, new double[] {1, 0}, 2);
        assertThrows(IllegalArgumentException.class, () -> m.topKAccuracy(3));
    }
}
