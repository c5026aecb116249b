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
}
