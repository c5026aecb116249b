package org.nettricks.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nettricks.data.Dataset;

/** Issue 14, class 2: a class with examples to test on but none to train on is warned about, in one line. */
class ClassesWithoutTrainingExamplesTest {
    private static final List<String> CLASSES = List.of("a", "b", "c", "d");

    private static Dataset labelled(String source, int... labels) {
        return new Dataset(source, new float[labels.length], labels.length, 1, labels, CLASSES, null);
    }

    @Test
    void everyHeldOutClassTrainedOnGivesNoWarning() {
        assertNull(Experiment.classesWithoutTrainingExamples(labelled("t.csv", 0, 1, 2), labelled("v", 1),
                labelled("test", 0, 2)));
        assertNull(Experiment.classesWithoutTrainingExamples(labelled("t.csv", 0, 1), null, labelled("test", 0, 1)),
                "a class with no example anywhere (d) is not a held-out class");
    }

    @Test
    void classesOnlyInTheTestOrValidationSetAreNamedWithTheirCounts() {
        assertEquals("class 'c' (2 test) of t.csv has examples to test on but none in the training split, so the"
                + " network cannot learn it; use more data, a smaller `test-fraction` or `validation-fraction`,"
                + " another `split-seed`, or no `train-limit`", Experiment.classesWithoutTrainingExamples(
                labelled("t.csv", 0, 1, 0), null, labelled("test", 2, 0, 2)));
        String both = Experiment.classesWithoutTrainingExamples(labelled("t.csv", 0, 1), labelled("v", 3, 2),
                labelled("test", 2, 2, 2));
        assertEquals("classes 'c' (3 test, 1 validation), 'd' (1 validation) of t.csv have examples to test on but"
                + " none in the training split, so the network cannot learn them; use more data, a smaller"
                + " `test-fraction` or `validation-fraction`, another `split-seed`, or no `train-limit`", both);
    }

    private static Dataset withClasses(List<String> names, int rows) {
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = i % names.size();
        }
        return new Dataset("d.csv", new float[rows], rows, 1, labels, names, null);
    }

    private static List<String> names(int n, String format, double step) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(String.format(java.util.Locale.ROOT, format, i * step));
        }
        return out;
    }

    @Test
    void aLongListOfHeldOutClassesNamesFiveAndCountsTheRest() {
        List<String> names = names(8, "c%.0f", 1);
        Dataset train = new Dataset("t.csv", new float[1], 1, 1, new int[] {0}, names, null);
        Dataset test = new Dataset("test", new float[7], 7, 1, new int[] {1, 2, 3, 4, 5, 6, 7}, names, null);
        assertEquals("classes 'c1' (1 test), 'c2' (1 test), 'c3' (1 test), 'c4' (1 test), 'c5' (1 test) and 2 more"
                + " of t.csv have examples to test on but none in the training split, so the network cannot learn them;"
                + " use more data, a smaller `test-fraction` or `validation-fraction`, another `split-seed`, or no"
                + " `train-limit`", Experiment.classesWithoutTrainingExamples(train, null, test));
    }

    @Test
    void manyNumericClassesSuggestRegression() {
        // 30 fractional values: a quantity
        assertEquals("the label of d.csv has 30 distinct values, all numbers (e.g. '0.00', '0.25', '0.50'), each"
                + " trained as a class of its own; to predict a quantity, train with `task` regression",
                Experiment.numericLabelWarning(withClasses(names(30, "%.2f", 0.25), 300)));
        // 30 whole numbers among 40 rows: more classes than half the examples
        assertEquals(true, Experiment.numericLabelWarning(withClasses(names(30, "%.0f", 1), 40)) != null);
        // 30 whole numbers among 300 rows: could be 30 real classes (e.g. ages in years as categories)
        assertNull(Experiment.numericLabelWarning(withClasses(names(30, "%.0f", 1), 300)));
        // 20 fractional values, or one word among them: not flagged
        assertNull(Experiment.numericLabelWarning(withClasses(names(20, "%.2f", 0.25), 300)));
        List<String> mixed = new java.util.ArrayList<>(names(29, "%.2f", 0.25));
        mixed.add("cat");
        assertNull(Experiment.numericLabelWarning(withClasses(mixed, 300)));
    }
}
