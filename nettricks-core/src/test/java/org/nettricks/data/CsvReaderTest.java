package org.nettricks.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nettricks.InvalidInputException;

class CsvReaderTest {
    private static Dataset read(String text, CsvReader.Options options) {
        return CsvReader.read("f.csv", new BufferedReader(new StringReader(text)), options);
    }

    private static String error(String text) {
        return assertThrows(InvalidInputException.class,
                () -> read(text, CsvReader.Options.forTraining(null))).getMessage();
    }

    @Test
    void stringLabelsBecomeSortedClassesKeptByName() {
        Dataset d = read("x1,species,x2\n1,versicolor,2\n3,setosa,4\n5,versicolor,6\n",
                CsvReader.Options.forTraining("species"));
        assertEquals(List.of("setosa", "versicolor"), d.classNames());
        assertArrayEquals(new int[] {1, 0, 1}, d.labels());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, d.features());
    }

    @Test
    void integerLabelsSortNumericallyAndLabelColumnDefaultsToLabelThenLast() {
        Dataset d = read("a,b,label\n1,2,10\n3,4,9\n5,6,2\n", CsvReader.Options.forTraining(null));
        assertEquals(List.of("2", "9", "10"), d.classNames());
        assertArrayEquals(new int[] {2, 1, 0}, d.labels());
        Dataset last = read("a,b,y\n1,2,0\n3,4,1\n", CsvReader.Options.forTraining(null));
        assertArrayEquals(new float[] {1, 2, 3, 4}, last.features());
        Dataset byIndex = read("y,a\n0,1.5\n1,2.5\n", CsvReader.Options.forTraining("0"));
        assertArrayEquals(new float[] {1.5f, 2.5f}, byIndex.features());
    }

    @Test
    void quotedFieldsMayHoldCommas() {
        Dataset d = read("x,label\n1,\"a, b\"\n2,c\n", CsvReader.Options.forTraining(null));
        assertEquals(List.of("a, b", "c"), d.classNames());
    }

    @Test
    void modelOptionsMapLabelsToKnownClassesAndAcceptUnlabelledRows() {
        Dataset d = read("a,b,label\n1,2,dog\n", CsvReader.Options.forModel(null, List.of("cat", "dog"), 2));
        assertArrayEquals(new int[] {1}, d.labels());
        Dataset unlabelled = read("a,b\n1,2\n", CsvReader.Options.forModel(null, List.of("cat", "dog"), 2));
        assertFalse(unlabelled.hasLabels());
        String e = assertThrows(InvalidInputException.class, () -> read("a,b,label\n1,2,cow\n",
                CsvReader.Options.forModel(null, List.of("cat", "dog"), 2))).getMessage();
        assertEquals("f.csv: line 2: label 'cow' is out of range: the model's classes are [cat, dog]", e);
    }

    @Test
    void raggedRowsAreReportedWithTheirLine() {
        assertEquals("f.csv: line 3: 2 fields but the header has 3; every row must have one field per column",
                error("a,b,label\n1,2,0\n1,2\n"));
    }

    @Test
    void emptyRowsAreReportedWithTheirLine() {
        assertEquals("f.csv: line 3: empty row; remove it (every row must hold 3 fields)",
                error("a,b,label\n1,2,0\n\n3,4,1\n"));
    }

    @Test
    void nonNumericFeaturesAreReportedWithLineAndColumn() {
        assertEquals("f.csv: line 2: column 'b' holds 'abc', which is not a number; feature columns must be numeric",
                error("a,b,label\n1,abc,0\n"));
        assertEquals("f.csv: line 2: column 'a' holds 'NaN', which is not a finite float32 number; replace missing"
                + " or infinite values", error("a,b,label\nNaN,1,0\n"));
    }

    @Test
    void emptyFileAndEmptyDataSetAreRefused() {
        assertEquals("f.csv: line 1: empty file or empty header row; a CSV needs a header row naming its columns, then"
                + " one row per example", error(""));
        assertEquals("f.csv: no data rows after the header; the data set is empty", error("a,b,label\n"));
    }

    @Test
    void unknownLabelColumnIsRefused() {
        String e = assertThrows(InvalidInputException.class,
                () -> read("a,b\n1,2\n", CsvReader.Options.forTraining("target"))).getMessage();
        assertEquals("f.csv: line 1: no column named 'target' (and it is not an index from 0 to 1); the header is"
                + " [a, b]; fix `label`", e);
    }
}
