package org.nettricks.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
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
    void zeroPaddedCodesAreClassesByTheirText() {
        // found by CsvReaderPropertyTest (labels "00" and "1"): non-canonical integers used to be
        // mapped to classes "0" and "1" and then not found
        Dataset padded = read("a,label\n1,01\n2,02\n3,01\n", CsvReader.Options.forTraining(null));
        assertEquals(List.of("01", "02"), padded.classNames());
        assertArrayEquals(new int[] {0, 1, 0}, padded.labels());
        Dataset mixed = read("a,label\n1,00\n2,1\n", CsvReader.Options.forTraining(null));
        assertEquals(List.of("00", "1"), mixed.classNames());
        Dataset minusZero = read("a,label\n1,-0\n2,0\n", CsvReader.Options.forTraining(null));
        assertEquals(List.of("-0", "0"), minusZero.classNames());
    }

    /**
     * A label named by a header that two columns share cannot be told apart: refused, naming both
     * columns; by its index it is read; feature columns may share a name.
     */
    @Test
    void aLabelNameThatTwoColumnsShareIsRefused() {
        String text = "f1,f1,f2,label\n1,2,3,a\n4,5,6,b\n";
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> read(text, CsvReader.Options.forTraining("f1")));
        assertEquals("f.csv: line 1: columns 0 and 1 (counting from 0) are both named 'f1'; rename one in the"
                + " header, or give the column by its index", e.getMessage());
        InvalidInputException twoLabels = assertThrows(InvalidInputException.class,
                () -> read("a,label,label\n1,x,y\n", CsvReader.Options.forTraining(null)));
        assertEquals("f.csv: line 1: columns 1 and 2 (counting from 0) are both named 'label'; rename one in the"
                + " header, or give the column by its index", twoLabels.getMessage());
        Dataset byIndex = read("f1,f1,f2,label\n1,2,3,a\n4,5,6,b\n", CsvReader.Options.forTraining("3"));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, byIndex.features());
        Dataset shared = read(text, CsvReader.Options.forTraining(null));
        assertArrayEquals(new int[] {0, 1}, shared.labels());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, shared.features());
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
        assertEquals("f.csv: line 2: label 'cow' is not one of the model's classes [cat, dog]"
                + "; drop the rows of this class, or train a model on data that has it", e);
    }

    @Test
    void raggedRowsAreReportedWithTheirLine() {
        assertEquals("f.csv: line 3: 2 fields but the header has 3; every row must have one field per column",
                error("a,b,label\n1,2,0\n1,2\n"));
    }

    @Test
    void blankLinesAreSkippedAndLaterLinesKeepTheirNumbers() {
        // issue 14: a blank line (empty, or only spaces, inside or at the end) used to be refused
        Dataset d = read("a,b,label\n1,2,0\n\n3,4,1\n   \n\n", CsvReader.Options.forTraining(null));
        assertArrayEquals(new float[] {1, 2, 3, 4}, d.features());
        assertArrayEquals(new int[] {0, 1}, d.labels());
        assertEquals("f.csv: line 5: 2 fields but the header has 3; every row must have one field per column",
                error("a,b,label\n1,2,0\n\n\r\n1,2\n"));
    }

    // ---------------------------------------------------------------- issue 14, CSV as people have it

    private static Dataset readCase(String name, CsvReader.Options options) {
        try (InputStream in = CsvReaderTest.class.getResourceAsStream("cases/" + name)) {
            return CsvReader.read(name, in, options);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Dataset readBytes(byte[] bytes, CsvReader.Options options) {
        return CsvReader.read("f.csv", new ByteArrayInputStream(bytes), options);
    }

    private static void assertSameData(Dataset expected, Dataset actual) {
        assertEquals(expected.classNames(), actual.classNames());
        assertEquals(expected.featureCount(), actual.featureCount());
        assertArrayEquals(expected.features(), actual.features());
        assertArrayEquals(expected.labels(), actual.labels());
    }

    @Test
    void aByteOrderMarkIsDroppedSoTheFirstColumnKeepsItsName() {
        Dataset reference = readCase("three-classes.csv", CsvReader.Options.forTraining(null));
        assertEquals(List.of("a", "b", "c"), reference.classNames());
        assertEquals(2, reference.featureCount());
        assertSameData(reference, readCase("three-classes-bom.csv", CsvReader.Options.forTraining(null)));
        // a numeric label first: with the mark glued on, the last column (x2) was taken as the label
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] text = "label,x1,x2\n0,1,9\n1,2,8\n".getBytes(StandardCharsets.UTF_8);
        byte[] withMark = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, withMark, 0, 3);
        System.arraycopy(text, 0, withMark, 3, text.length);
        Dataset d = readBytes(withMark, CsvReader.Options.forTraining(null));
        assertEquals(List.of("0", "1"), d.classNames());
        assertArrayEquals(new float[] {1, 9, 2, 8}, d.features());
        // and through a Reader (the mark decoded as U+FEFF)
        assertArrayEquals(new float[] {1, 9, 2, 8}, read("\uFEFFlabel,x1,x2\n0,1,9\n1,2,8\n",
                CsvReader.Options.forTraining(null)).features());
    }

    @Test
    void blankLinesInTheCaseFilesAreSkipped() {
        Dataset reference = readCase("three-classes.csv", CsvReader.Options.forTraining(null));
        assertSameData(reference, readCase("three-classes-trailing-blank-line.csv",
                CsvReader.Options.forTraining(null)));
        assertSameData(reference, readCase("three-classes-blank-line-inside.csv", CsvReader.Options.forTraining(null)));
    }

    @Test
    void theDelimiterIsDetectedFromTheHeaderLineOrGiven() {
        Dataset reference = readCase("three-classes.csv", CsvReader.Options.forTraining(null));
        assertSameData(reference, readCase("semicolons.csv", CsvReader.Options.forTraining(null)));
        assertSameData(reference, readCase("semicolons.csv", CsvReader.Options.forTraining(null).withDelimiter(';')));
        assertArrayEquals(new float[] {1, 2, 3, 4}, read("a\tb\tlabel\n1\t2\tx\n3\t4\ty\n", CsvReader.Options.forTraining(null))
                .features());
        assertArrayEquals(new float[] {1, 2, 3, 4}, read("a|b|label\n1|2|x\n3|4|y\n", CsvReader.Options.forTraining(null))
                .features());
        // a delimiter inside a quoted header name does not count
        assertEquals(List.of("x;y", "z"), read("a,\"x;y\"\n1,x;y\n2,z\n", CsvReader.Options.forTraining(null)).classNames());
        assertEquals('\t', CsvReader.parseDelimiter("tab"));
        assertEquals(null, CsvReader.parseDelimiter("auto"));
        assertEquals("delimiter must be auto, tab or one character such as ';', got ';;'",
                assertThrows(IllegalArgumentException.class, () -> CsvReader.parseDelimiter(";;")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> CsvReader.parseDelimiter("\""));
        assertThrows(IllegalArgumentException.class, () -> CsvReader.parseDelimiter("."));
    }

    @Test
    void noFeatureColumnsIsRefusedNamingTheDelimiter() {
        String detected = assertThrows(InvalidInputException.class,
                () -> readCase("label-only.csv", CsvReader.Options.forTraining(null))).getMessage();
        assertEquals("label-only.csv: line 1: no feature columns: the header [label] has only the label column, read"
                + " with the delimiter ',' (detected: none of , ; tab | in the header line gives more columns); a CSV"
                + " needs numeric feature columns besides the label; if the file is separated by another character,"
                + " set `delimiter`", detected);
        String given = assertThrows(InvalidInputException.class, () -> readCase("semicolons.csv",
                CsvReader.Options.forTraining(null).withDelimiter(','))).getMessage();
        assertEquals("semicolons.csv: line 1: no feature columns: the header [label;x1;x2] has only the label column,"
                + " read with the delimiter ','; a CSV needs numeric feature columns besides the label; if the file"
                + " is separated by another character, set `delimiter`", given);
    }

    @Test
    void quotedFieldsMayHoldDelimitersQuotesAndLineBreaks() {
        Dataset d = read("x,label\n1,\"a, \"\"b\"\"\"\n2,\"two\nlines\"\n3,c\n4,c\n",
                CsvReader.Options.forTraining(null));
        assertEquals(List.of("a, \"b\"", "c", "two\nlines"), d.classNames());
        assertArrayEquals(new int[] {0, 2, 1, 1}, d.labels());
        // lines are counted in the file: a record after a quoted line break starts at line 5
        assertEquals("f.csv: line 5: column 'x' holds 'z', which is not a number; feature columns must be numeric",
                error("x,label\n1,a\n2,\"two\nlines\"\nz,b\n"));
    }

    @Test
    void malformedQuotingIsReportedWithItsLine() {
        assertEquals("f.csv: line 3: a double quote is not closed (or stands inside an unquoted field); close the"
                + " quoted field, or quote the field and double the quote inside it",
                error("x,label\n1,a\n2,\"b\n3,c\n"));
        String after = error("x,label\n1,a\n2,\"b\"c\n");
        assertTrue(after.startsWith("f.csv: line 3: malformed quoted field"), after);
    }

    @Test
    void bytesThatAreNotUtf8AreReportedWithTheirLineAndOffset() {
        byte[] latin1 = "x,label\n1,caf\u00e9\n2,b\n".getBytes(StandardCharsets.ISO_8859_1);
        String e = assertThrows(InvalidInputException.class,
                () -> readBytes(latin1, CsvReader.Options.forTraining(null))).getMessage();
        assertEquals("f.csv: line 2, byte 13: bytes that are not UTF-8 (0xE9); save the file as UTF-8", e);
        byte[] truncated = {'x', ',', 'l', '\n', '1', ',', (byte) 0xE2, (byte) 0x82};
        assertEquals("f.csv: line 2, byte 6: bytes that are not UTF-8 (0xE2); save the file as UTF-8",
                assertThrows(InvalidInputException.class, () -> readBytes(truncated,
                        CsvReader.Options.forTraining(null))).getMessage());
    }

    @Test
    void largeFilesAreReadAcrossBufferBoundaries() {
        StringBuilder sb = new StringBuilder("x,label\n");
        for (int i = 0; i < 20_000; i++) {
            sb.append(i).append(",\u00e9t\u00e9").append(i % 2).append('\n');
        }
        Dataset d = readBytes(sb.toString().getBytes(StandardCharsets.UTF_8), CsvReader.Options.forTraining(null));
        assertEquals(20_000, d.size());
        assertEquals(List.of("\u00e9t\u00e90", "\u00e9t\u00e91"), d.classNames());
        assertEquals(19_999f, d.features()[19_999]);
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
