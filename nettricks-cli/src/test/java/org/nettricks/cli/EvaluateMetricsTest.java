package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.io.internal.Json;

/**
 * Issue 17, item 3: {@code evaluate} reports per-class precision, recall and F1, their macro and
 * weighted averages, balanced accuracy, top-k accuracy, log loss and one-vs-rest ROC-AUC. The
 * definitions are checked against scikit-learn in ClassificationMetricsTest; here the command's
 * figures are checked against its own confusion matrix (counted by the Evaluator, an independent
 * pass) and its loss (computed from the logits).
 */
class EvaluateMetricsTest {
    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void train() {
        model = dir.resolve("digits.safetensors");
        CliRun t = CliRun.of("train", "--data", "digits", "--hidden", "32", "--epochs", "15", "--out", model.toString());
        assertEquals(0, t.status(), t.err());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theJsonFiguresAgreeWithTheConfusionMatrixAndTheLoss() {
        CliRun e = CliRun.of("evaluate", "--model", model.toString(), "--data", "digits", "--json");
        assertEquals(0, e.status(), e.err());
        Map<String, Object> json = (Map<String, Object>) Json.parse(e.out().trim());
        List<List<Number>> confusion = (List<List<Number>>) json.get("confusion");
        List<Map<String, Object>> perClass = (List<Map<String, Object>>) json.get("per_class");
        int k = confusion.size();
        assertEquals(10, perClass.size());
        double sumF1 = 0;
        double weightedRecall = 0;
        double n = 0;
        double sumRecall = 0;
        for (int c = 0; c < k; c++) {
            double row = 0;
            double column = 0;
            for (int j = 0; j < k; j++) {
                row += confusion.get(c).get(j).doubleValue();
                column += confusion.get(j).get(c).doubleValue();
            }
            double tp = confusion.get(c).get(c).doubleValue();
            double precision = column == 0 ? 0 : tp / column; // scikit-learn's zero_division=0
            double recall = tp / row;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            Map<String, Object> figures = perClass.get(c);
            assertEquals(Integer.toString(c), figures.get("class"));
            assertEquals(precision, ((Number) figures.get("precision")).doubleValue(), 1e-12, "precision " + c);
            assertEquals(recall, ((Number) figures.get("recall")).doubleValue(), 1e-12, "recall " + c);
            assertEquals(f1, ((Number) figures.get("f1")).doubleValue(), 1e-12, "f1 " + c);
            assertEquals((long) row, ((Number) figures.get("support")).longValue());
            double auc = ((Number) figures.get("roc_auc")).doubleValue();
            assertTrue(auc > 0.5 && auc <= 1, "ROC-AUC " + c + " = " + auc);
            sumF1 += f1;
            sumRecall += recall;
            weightedRecall += recall * row;
            n += row;
        }
        Map<String, Object> macro = (Map<String, Object>) json.get("macro");
        Map<String, Object> weighted = (Map<String, Object>) json.get("weighted");
        assertEquals(sumF1 / k, ((Number) macro.get("f1")).doubleValue(), 1e-12);
        // every class has examples: balanced accuracy is the macro recall, weighted recall the accuracy
        assertEquals(sumRecall / k, ((Number) json.get("balanced_accuracy")).doubleValue(), 1e-12);
        assertEquals(weightedRecall / n, ((Number) weighted.get("recall")).doubleValue(), 1e-12);
        double accuracy = ((Number) json.get("accuracy")).doubleValue();
        assertEquals(accuracy, ((Number) weighted.get("recall")).doubleValue(), 1e-12);
        Map<String, Object> topK = (Map<String, Object>) json.get("top_k_accuracy");
        assertEquals(accuracy, ((Number) topK.get("1")).doubleValue(), 1e-12);
        assertEquals(1.0, ((Number) topK.get("10")).doubleValue(), 0);
        assertTrue(((Number) topK.get("2")).doubleValue() >= accuracy);
        // the log loss of the float32 probabilities against the loss from the logits
        assertEquals(((Number) json.get("loss")).doubleValue(), ((Number) json.get("log_loss")).doubleValue(), 1e-5);
    }

    @Test
    void theTextReportHasTheTableAndTheSummaryLine() {
        CliRun e = CliRun.of("evaluate", "--model", model.toString(), "--data", "digits");
        assertEquals(0, e.status(), e.err());
        assertTrue(e.out().contains("precision    recall        f1   support   roc-auc"), e.out());
        assertTrue(e.out().lines().anyMatch(l -> l.startsWith("macro avg ")), e.out());
        assertTrue(e.out().lines().anyMatch(l -> l.startsWith("weighted avg ")), e.out());
        assertTrue(e.out().lines().anyMatch(l -> l.startsWith("balanced accuracy ") && l.contains("top-2 accuracy ")
                && l.contains("top-5 accuracy ") && l.contains("log loss ")), e.out());
    }
}
