package org.nettricks.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nettricks.InvalidInputException;

/**
 * Issue 14, class 2: a CSV file read for a model (or as test data) finds the training data's
 * feature columns by name. One row per kind of file; the expected features are written out by
 * hand, in the model's input order (x1, x2).
 */
class CsvSchemaMatchingTest {
    private static final InputSchema X1_X2 = InputSchema.columns(List.of("x1", "x2"), "label");
    private static final List<String> CLASSES = List.of("a", "b", "c");

    /**
     * @param label    the {@code label} setting, or null
     * @param predict  labels ignored (predict) rather than required (evaluate, test data)
     * @param features the expected features, row-major, or null when the file is refused
     * @param labels   the expected class indices, or null for none
     * @param error    a fragment of the refusal, or null when the file is read
     */
    record Case(String name, InputSchema schema, String text, String label, boolean predict, float[] features,
                int[] labels, List<String> ignored, String error) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case read(String name, String text, float[] features, int[] labels, List<String> ignored) {
        return new Case(name, X1_X2, text, null, false, features, labels, ignored, null);
    }

    private static Case refused(String name, String text, String error) {
        return new Case(name, X1_X2, text, null, false, null, null, null, error);
    }

    static Stream<Case> cases() {
        float[] row = {1, 2};
        return Stream.of(
                read("the training order", "label,x1,x2\na,1,2\n", row, new int[] {0}, List.of()),
                read("label first, features swapped", "label,x2,x1\nb,2,1\n", row, new int[] {1}, List.of()),
                read("label last, features swapped", "x2,x1,label\n2,1,c\n", row, new int[] {2}, List.of()),
                read("two rows, label in the middle", "x2,label,x1\n2,a,1\n4,c,3\n", new float[] {1, 2, 3, 4},
                        new int[] {0, 2}, List.of()),
                read("extra columns, one of text, are ignored", "id,x2,name,x1,label\n9,2,\"x, y\",1,c\n", row,
                        new int[] {2}, List.of("id", "name")),
                refused("a missing feature column", "label,x1\na,1\n",
                        "`data` f.csv: line 1: no column 'x2': the model reads the training data's 2 feature columns"
                                + " [x1, x2] by name, and the header is [label, x1]"),
                refused("a renamed feature column", "label,x1,X2\na,1,2\n", "no column 'x2'"),
                refused("a feature column twice", "label,x1,x2,x1\na,1,2,3\n",
                        "column 'x1' appears 2 times in the header [label, x1, x2, x1] but 1 time among"),
                refused("no label column for evaluation", "x2,x1\n2,1\n",
                        "no label column 'label' (the training data's label column); the header is [x2, x1]"),
                refused("a label the model does not know", "label,x2,x1\nd,2,1\n",
                        "line 2: label 'd' is not one of the model's classes [a, b, c]"),
                refused("a non-number in a feature column", "label,x2,x1\na,2,one\n",
                        "line 2: column 'x1' holds 'one', which is not a number"),
                new Case("another label column, by name", X1_X2, "x1,truth,x2\n1,b,2\n", "truth", false, row,
                        new int[] {1}, List.of(), null),
                new Case("another label column, by index", X1_X2, "x1,truth,x2\n1,b,2\n", "1", false, row,
                        new int[] {1}, List.of(), null),
                new Case("the label setting naming a feature", X1_X2, "x1,truth,x2\n1,b,2\n", "x1", false, null, null,
                        null, "the label column 'x1' is one of the training data's feature columns [x1, x2]"),
                new Case("predict: a label the model does not know", X1_X2, "label,x1,x2\nd,1,2\n", null, true, row,
                        null, List.of(), null),
                new Case("predict: no label column", X1_X2, "x2,x1\n2,1\n", null, true, row, null, List.of(), null),
                new Case("predict: an empty label and text columns", X1_X2, "note,x2,label,x1\nhello,2,,1\n", null,
                        true, row, null, List.of("note"), null),
                new Case("predict: a missing feature column", X1_X2, "label,x2\na,2\n", null, true, null, null, null,
                        "no column 'x1'"),
                new Case("a name twice in the training header, matched in order", InputSchema.columns(
                        List.of("x", "x"), "label"), "x,label,x\n1,a,2\n", null, false, row, new int[] {0},
                        List.of(), null),
                new Case("a name twice in the training header, once in the file", InputSchema.columns(
                        List.of("x", "x"), "label"), "x,label\n1,a\n", null, false, null, null, null,
                        "no column 'x' (a 2nd one)"),
                new Case("no schema (an old model): by position, as before", null, "label,x2,x1\na,2,1\n", null,
                        false, new float[] {2, 1}, new int[] {0}, List.of(), null),
                new Case("no schema, predict: the label is not read", null, "x1,x2,label\n1,2,d\n", null, true, row,
                        null, List.of(), null),
                new Case("an image model: by position", InputSchema.image(1, 2), "label,p0,p1\nb,1,2\n", null, false,
                        row, new int[] {1}, List.of(), null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void csvFilesForAModel(Case c) {
        CsvReader.Options options = CsvReader.Options.forModel(c.schema(), c.label(), CLASSES, 2, c.predict())
                .withKey("data");
        if (c.error() != null) {
            String message = assertThrows(InvalidInputException.class, () -> read(c.text(), options)).getMessage();
            assertTrue(message.contains(c.error()), message);
            assertTrue(message.contains("f.csv"), "names the file: " + message);
            assertFalse(message.contains("\n"), "one line: " + message);
            return;
        }
        Dataset d = read(c.text(), options);
        assertArrayEquals(c.features(), d.features());
        assertEquals(2, d.featureCount());
        if (c.labels() == null) {
            assertFalse(d.hasLabels());
        } else {
            assertArrayEquals(c.labels(), d.labels());
        }
        assertEquals(c.ignored(), d.ignoredColumns());
    }

    @Test
    void trainingDataKeepsItsHeaderAsTheSchema() {
        Dataset d = read("x2,species,x1\n1,cat,2\n3,dog,4\n", CsvReader.Options.forTraining("species"));
        assertEquals(InputSchema.columns(List.of("x2", "x1"), "species"), d.schema());
        Dataset byIndex = read("y,a\n0,1.5\n1,2.5\n", CsvReader.Options.forTraining("0"));
        assertEquals(InputSchema.columns(List.of("a"), "y"), byIndex.schema(), "the label's name, not its index");
        assertEquals(d.schema(), d.subset(new int[] {1}, "one").schema(), "splits keep the schema");
        assertEquals(d.schema(), d.withFeatures(new float[4]).schema(), "normalization keeps the schema");
    }

    @Test
    void idxDataKeepsItsImageShape() {
        IdxReader.IdxArray images = new IdxReader.IdxArray(null, new int[] {5, 28, 28}, new byte[0]);
        assertEquals(InputSchema.image(28, 28), images.itemShape());
        assertEquals("28×28 images (784 features)", images.itemShape().describe());
        assertEquals(InputSchema.image(1), new IdxReader.IdxArray(null, new int[] {5}, new byte[0]).itemShape());
        assertNull(new IdxReader.IdxArray(null, new int[] {5, 0, 3}, new byte[0]).itemShape(), "no shape of 0 values");
    }

    private static Dataset read(String text, CsvReader.Options options) {
        return CsvReader.read("f.csv", new BufferedReader(new StringReader(text)), options);
    }
}
