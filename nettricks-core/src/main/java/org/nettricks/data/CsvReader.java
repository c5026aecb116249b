package org.nettricks.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.nettricks.InvalidInputException;

/**
 * Reads a CSV file with a header row: numeric feature columns and one label column.
 *
 * <p>The label column is chosen by name or 0-based index; by default it is the column named
 * {@code label}, else the last column. Labels may be any strings: the distinct labels, sorted
 * (numerically when they are all integers), become the class names, and the class names are kept
 * with the model so that later files map to the same indices. Fields may be quoted with double
 * quotes. Every problem is reported with the file and line number.
 */
public final class CsvReader {
    /** The default label column name. */
    public static final String DEFAULT_LABEL_COLUMN = "label";

    private CsvReader() {
    }

    /** How the rows of a CSV relate to a model or a training set. */
    public record Options(String labelColumn, List<String> classNames, int expectedFeatures) {
        /** Training data: find the label column, derive the classes. */
        public static Options forTraining(String labelColumn) {
            return new Options(labelColumn, null, -1);
        }

        /**
         * Data for a trained model: labels map to {@code classNames}; when the file has exactly
         * {@code expectedFeatures} columns it has no label column and is read unlabelled.
         */
        public static Options forModel(String labelColumn, List<String> classNames, int expectedFeatures) {
            return new Options(labelColumn, classNames, expectedFeatures);
        }
    }

    /**
     * Reads all rows.
     *
     * @param source the file's name for messages
     * @param reader the text, positioned at the header row; not closed
     */
    public static Dataset read(String source, BufferedReader reader, Options options) {
        try {
            String headerLine = reader.readLine();
            if (headerLine == null || headerLine.isBlank()) {
                throw new InvalidInputException(source + ": line 1: empty file or empty header row;"
                        + " a CSV needs a header row naming its columns, then one row per example");
            }
            List<String> header = split(headerLine, source, 1);
            int columns = header.size();
            int expected = options.expectedFeatures();
            if (expected >= 0 && columns != expected && columns != expected + 1) {
                throw new InvalidInputException(source + ": line 1: " + columns + " columns but the model takes "
                        + expected + " inputs (plus an optional label column); give a file with the training data's"
                        + " columns");
            }
            int labelIndex = labelIndex(header, options, source);
            int featureCount = labelIndex < 0 ? columns : columns - 1;
            if (options.expectedFeatures() >= 0 && featureCount != options.expectedFeatures()) {
                throw new InvalidInputException(source + ": line 1: " + featureCount + " feature columns but the model"
                        + " takes " + options.expectedFeatures() + " inputs; give a file with the training data's columns");
            }
            List<float[]> rows = new ArrayList<>();
            List<String> rawLabels = new ArrayList<>();
            List<Integer> labelLines = new ArrayList<>();
            String line;
            int lineNo = 1;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    throw new InvalidInputException(source + ": line " + lineNo + ": empty row;"
                            + " remove it (every row must hold " + columns + " fields)");
                }
                List<String> fields = split(line, source, lineNo);
                if (fields.size() != columns) {
                    throw new InvalidInputException(source + ": line " + lineNo + ": " + fields.size()
                            + " fields but the header has " + columns + "; every row must have one field per column");
                }
                float[] x = new float[featureCount];
                int f = 0;
                for (int c = 0; c < columns; c++) {
                    String field = fields.get(c);
                    if (c == labelIndex) {
                        if (field.isEmpty()) {
                            throw new InvalidInputException(source + ": line " + lineNo + ": empty label in column '"
                                    + header.get(c) + "'; every row needs a label");
                        }
                        rawLabels.add(field);
                        labelLines.add(lineNo);
                        continue;
                    }
                    x[f++] = parseNumber(field, source, lineNo, header.get(c));
                }
                rows.add(x);
            }
            if (rows.isEmpty()) {
                throw new InvalidInputException(source + ": no data rows after the header; the data set is empty");
            }
            float[] features = new float[rows.size() * featureCount];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(rows.get(i), 0, features, i * featureCount, featureCount);
            }
            if (labelIndex < 0) {
                return new Dataset(source, features, rows.size(), featureCount, null,
                        options.classNames() == null ? List.of() : options.classNames(), null);
            }
            List<String> classes = options.classNames() != null ? options.classNames() : sortedClasses(rawLabels);
            if (classes.size() < 2) {
                throw new InvalidInputException(source + ": the label column '" + header.get(labelIndex)
                        + "' holds a single class ('" + classes.get(0) + "'); classification needs at least 2");
            }
            Map<String, Integer> index = new HashMap<>();
            for (int c = 0; c < classes.size(); c++) {
                index.put(classes.get(c), c);
            }
            int[] labels = new int[rawLabels.size()];
            for (int i = 0; i < labels.length; i++) {
                Integer c = index.get(rawLabels.get(i));
                if (c == null) {
                    throw new InvalidInputException(source + ": line " + labelLines.get(i) + ": label '"
                            + rawLabels.get(i) + "' is out of range: the model's classes are " + classes);
                }
                labels[i] = c;
            }
            return new Dataset(source, features, rows.size(), featureCount, labels, classes, null);
        } catch (IOException e) {
            throw new InvalidInputException(source + ": cannot read: " + e.getMessage());
        }
    }

    private static int labelIndex(List<String> header, Options options, String source) {
        String wanted = options.labelColumn();
        if (options.expectedFeatures() >= 0 && header.size() == options.expectedFeatures() && wanted == null) {
            return -1; // unlabelled data for prediction
        }
        if (wanted == null) {
            int named = header.indexOf(DEFAULT_LABEL_COLUMN);
            return named >= 0 ? named : header.size() - 1;
        }
        int named = header.indexOf(wanted);
        if (named >= 0) {
            return named;
        }
        try {
            int i = Integer.parseInt(wanted);
            if (i >= 0 && i < header.size()) {
                return i;
            }
        } catch (NumberFormatException ignored) {
            // not an index either: fall through to the error
        }
        throw new InvalidInputException(source + ": line 1: no column named '" + wanted + "' (and it is not an index"
                + " from 0 to " + (header.size() - 1) + "); the header is " + header + "; fix `label`");
    }

    private static float parseNumber(String field, String source, int line, String column) {
        float v;
        try {
            v = Float.parseFloat(field);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(source + ": line " + line + ": column '" + column + "' holds '" + field
                    + "', which is not a number; feature columns must be numeric");
        }
        if (!Float.isFinite(v)) {
            throw new InvalidInputException(source + ": line " + line + ": column '" + column + "' holds '" + field
                    + "', which is not a finite float32 number; replace missing or infinite values");
        }
        return v;
    }

    private static List<String> sortedClasses(List<String> labels) {
        boolean allIntegers = true;
        for (String s : labels) {
            if (!s.matches("-?\\d{1,9}")) {
                allIntegers = false;
                break;
            }
        }
        if (allIntegers) {
            TreeSet<Integer> distinct = new TreeSet<>();
            for (String s : labels) {
                distinct.add(Integer.parseInt(s));
            }
            List<String> out = new ArrayList<>();
            for (int v : distinct) {
                out.add(Integer.toString(v));
            }
            // "01" and "1" would collide as integers: fall back to strings if any label is not canonical
            if (new TreeSet<>(labels).size() == out.size()) {
                return out;
            }
        }
        return new ArrayList<>(new TreeSet<>(labels));
    }

    /** Splits one line on commas, honouring double-quoted fields; fields are trimmed. */
    static List<String> split(String line, String source, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(field.toString().trim());
                field.setLength(0);
            } else {
                field.append(ch);
            }
        }
        if (quoted) {
            throw new InvalidInputException(source + ": line " + lineNo + ": unterminated quoted field;"
                    + " close the double quote");
        }
        out.add(field.toString().trim());
        return out;
    }
}
