package org.nettricks.data;

import java.io.BufferedReader;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvRecord;

import org.nettricks.InvalidInputException;

/**
 * Reads a CSV file with a header row: numeric feature columns and one label column.
 *
 * <p>The text is RFC 4180 CSV, read by FastCSV: fields may be quoted with double quotes, and a quoted
 * field may hold the delimiter, doubled quotes ({@code ""}) and line breaks. A UTF-8 byte-order mark
 * is dropped, blank lines (empty or only spaces) are skipped, and fields are trimmed. The delimiter
 * is the {@code delimiter} setting, or, by default, detected from the header line: the most frequent
 * of {@code ,} {@code ;} tab {@code |} outside quotes, a comma when none appears (so a one-column
 * header reads as one column, and is refused for having no feature columns, naming the delimiter).
 *
 * <p>The label column is chosen by name or 0-based index; by default it is the column named
 * {@code label}, else the last column. Labels may be any strings: the distinct labels, sorted
 * (numerically when they are all integers), become the class names, and the class names are kept
 * with the model so that later files map to the same indices. Every problem is an
 * {@link InvalidInputException} that names the file and line.
 */
public final class CsvReader {
    /** The default label column name. */
    public static final String DEFAULT_LABEL_COLUMN = "label";

    private CsvReader() {
    }

    /** The delimiters detected from the header line, in the order that breaks ties. */
    public static final List<Character> DETECTED_DELIMITERS = List.of(',', ';', '\t', '|');

    /** Characters of the header line looked at to detect the delimiter. */
    private static final int DETECTION_LIMIT = 1 << 16;

    /**
     * How the rows of a CSV relate to a model or a training set.
     *
     * @param labelColumn      the label column by name or 0-based index, or null: the schema's label
     *                         column, else {@code label}, else the last column
     * @param classNames       the classes labels map to (a model's), or null to derive them (training)
     * @param expectedFeatures the number of inputs of a model without feature names, or -1
     * @param delimiter        the field delimiter, or null to detect it from the header line
     * @param schema           the feature columns to read, by name, in this order (a model's or the
     *                         training data's), or null to read every column but the label in file order
     * @param ignoreLabels     read no labels at all (prediction): the label column, if any, is skipped
     * @param key              the setting that named the file ({@code data}, {@code test-data}), named
     *                         in the messages about the file's columns; null for none
     * @param targets          regression: the numeric target columns by name or 0-based index (read
     *                         as double, into {@link Dataset#targets()}; no label column, no classes),
     *                         or null for classification
     * @param weightColumn     the column of per-example training weights, by name or 0-based index
     *                         (read as double into {@link Dataset#weights()}, not a feature; each
     *                         finite and ≥ 0, not all 0), or null for none
     * @param modelTargets     {@code targets} are a trained model's target names ({@code evaluate}),
     *                         not columns the user named: a missing one is refused as the model's
     */
    public record Options(String labelColumn, List<String> classNames, int expectedFeatures, Character delimiter,
                          InputSchema schema, boolean ignoreLabels, String key, List<String> targets,
                          String weightColumn, boolean modelTargets) {
        /** Options whose targets are not a model's (see {@link #withModelTargets()}). */
        public Options(String labelColumn, List<String> classNames, int expectedFeatures, Character delimiter,
                       InputSchema schema, boolean ignoreLabels, String key, List<String> targets,
                       String weightColumn) {
            this(labelColumn, classNames, expectedFeatures, delimiter, schema, ignoreLabels, key, targets,
                    weightColumn, false);
        }

        /** Options without a weight column. */
        public Options(String labelColumn, List<String> classNames, int expectedFeatures, Character delimiter,
                       InputSchema schema, boolean ignoreLabels, String key, List<String> targets) {
            this(labelColumn, classNames, expectedFeatures, delimiter, schema, ignoreLabels, key, targets, null);
        }

        public Options {
            if (targets != null) {
                if (targets.isEmpty()) {
                    throw new IllegalArgumentException("regression needs at least one target column");
                }
                targets = List.copyOf(targets);
            }
            if (delimiter != null) {
                checkDelimiter(delimiter);
            }
            if (schema != null && !schema.hasNames()) {
                schema = null; // images: nothing to match by name; expectedFeatures says the count
            }
        }

        /** Options for classification (no regression targets). */
        public Options(String labelColumn, List<String> classNames, int expectedFeatures, Character delimiter,
                       InputSchema schema, boolean ignoreLabels, String key) {
            this(labelColumn, classNames, expectedFeatures, delimiter, schema, ignoreLabels, key, null);
        }

        /** Options without a schema: columns by position, as before model files kept their column names. */
        public Options(String labelColumn, List<String> classNames, int expectedFeatures, Character delimiter) {
            this(labelColumn, classNames, expectedFeatures, delimiter, null, false, null);
        }

        /** Training data: find the label column, derive the classes. */
        public static Options forTraining(String labelColumn) {
            return new Options(labelColumn, null, -1, null);
        }

        /**
         * Data for a trained model whose inputs have no names: labels map to {@code classNames};
         * when the file has exactly {@code expectedFeatures} columns it has no label column and is
         * read unlabelled.
         */
        public static Options forModel(String labelColumn, List<String> classNames, int expectedFeatures) {
            return new Options(labelColumn, classNames, expectedFeatures, null);
        }

        /**
         * Data for a trained model: the feature columns are found by the names in {@code schema}
         * (any order; other columns are ignored and listed in {@link Dataset#ignoredColumns()}).
         * Labelled data needs the label column ({@code labelColumn}, else the schema's); with
         * {@code ignoreLabels} no label is read. A schema without names (images), or null, reads
         * the columns by position, as {@link #forModel(String, List, int)}.
         */
        public static Options forModel(InputSchema schema, String labelColumn, List<String> classNames,
                                       int expectedFeatures, boolean ignoreLabels) {
            return new Options(labelColumn, classNames, expectedFeatures, null, schema, ignoreLabels, null);
        }

        /** These options with the given delimiter (null: detect it). */
        public Options withDelimiter(Character delimiter) {
            return new Options(labelColumn, classNames, expectedFeatures, delimiter, schema, ignoreLabels, key,
                    targets, weightColumn, modelTargets);
        }

        /** These options reading the numeric regression targets {@code columns} instead of a label column. */
        public Options withTargets(List<String> columns) {
            return new Options(labelColumn, classNames, expectedFeatures, delimiter, schema, ignoreLabels, key,
                    columns, weightColumn, modelTargets);
        }

        /** These options naming the file by the setting {@code key} in messages about its columns. */
        public Options withKey(String key) {
            return new Options(labelColumn, classNames, expectedFeatures, delimiter, schema, ignoreLabels, key,
                    targets, weightColumn, modelTargets);
        }

        /**
         * These options reading the targets a trained model predicts, by its target names ({@code
         * evaluate}): a missing target column is then refused as the model's, not as a {@code label}
         * the user gave.
         */
        public Options withModelTargets() {
            return new Options(labelColumn, classNames, expectedFeatures, delimiter, schema, ignoreLabels, key,
                    targets, weightColumn, true);
        }

        /** These options reading per-example weights from {@code column} (null: none). */
        public Options withWeightColumn(String column) {
            return new Options(labelColumn, classNames, expectedFeatures, delimiter, schema, ignoreLabels, key,
                    targets, column, modelTargets);
        }
    }

    /**
     * The delimiter a setting names: {@code auto} (null: detect), {@code tab}, or one character.
     *
     * @throws IllegalArgumentException naming {@code delimiter} when the text is none of these
     */
    public static Character parseDelimiter(String text) {
        if (text == null || text.equalsIgnoreCase("auto")) {
            return null;
        }
        if (text.equalsIgnoreCase("tab") || text.equals("\\t")) {
            return '\t';
        }
        if (text.length() != 1) {
            throw new IllegalArgumentException("delimiter must be auto, tab or one character such as ';', got '"
                    + text + "'");
        }
        return checkDelimiter(text.charAt(0));
    }

    private static char checkDelimiter(char d) {
        if (d == '"' || d == '\n' || d == '\r' || d == '.' || d == '-' || d == '+' || Character.isLetterOrDigit(d)
                || d == '\uFEFF') {
            throw new IllegalArgumentException("delimiter must not be a quote, line break, letter, digit, '.', '+' or"
                    + " '-' (they occur in fields), got " + describe(d) + "; use auto, tab or a character such as ';'");
        }
        return d;
    }

    /** How messages name a delimiter: {@code ','} or {@code tab}. */
    public static String describe(char delimiter) {
        return delimiter == '\t' ? "tab" : "'" + delimiter + "'";
    }

    /**
     * Reads all rows of UTF-8 bytes; bytes that are not UTF-8 are refused with their line and offset.
     *
     * @param source the file's name for messages
     * @param in the bytes, positioned at the header row (or at a byte-order mark); not closed
     */
    public static Dataset read(String source, InputStream in, Options options) {
        return read(source, new Utf8Text(source, in), options);
    }

    /**
     * Reads all rows.
     *
     * @param source the file's name for messages
     * @param text the text, positioned at the header row (or at a byte-order mark); not closed
     */
    public static Dataset read(String source, Reader text, Options options) {
        try {
            BufferedReader buffered = text instanceof BufferedReader b ? b : new BufferedReader(text, 1 << 16);
            skipByteOrderMark(buffered);
            boolean detected = options.delimiter() == null;
            char delimiter = detected ? detectDelimiter(buffered) : options.delimiter();
            QuoteCounter counted = new QuoteCounter(buffered);
            de.siegmar.fastcsv.reader.CsvReader<CsvRecord> csv = de.siegmar.fastcsv.reader.CsvReader.builder()
                    .fieldSeparator(delimiter).quoteCharacter('"').skipEmptyLines(true).allowExtraFields(true)
                    .allowMissingFields(true).allowExtraCharsAfterClosingQuote(false).trimWhitespacesAroundQuotes(true)
                    .ofCsvRecord(counted);
            Table table = new Table(source, options, delimiter, detected);
            try {
                for (CsvRecord record : csv) {
                    table.add(record);
                }
            } catch (CsvParseException e) {
                if (e.getCause() instanceof InvalidInputException notText) {
                    throw notText; // bytes that are not UTF-8, met by FastCSV's reading
                }
                throw new InvalidInputException(source + ": " + parseProblem(e)
                        + "; a quoted field ends with its closing quote, right before a delimiter or the line's end,"
                        + " and a quote inside it is doubled (\"\")");
            }
            if (counted.quotes % 2 != 0) {
                throw new InvalidInputException(source + ": line " + table.lastLine + ": a double quote is not"
                        + " closed (or stands inside an unquoted field); close the quoted field, or quote the field"
                        + " and double the quote inside it");
            }
            return table.dataset();
        } catch (IOException e) {
            throw new InvalidInputException(source + (Gzip.isGzipProblem(e) ? " " + Gzip.describe(e)
                    : ": cannot read: " + e.getMessage()));
        }
    }

    /** FastCSV's description of a parse error, starting with the line of the record. */
    private static String parseProblem(CsvParseException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        String prefix = "Exception when reading record that started in line ";
        String cause = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : "";
        if (m.startsWith(prefix)) {
            return "line " + m.substring(prefix.length()) + ": malformed quoted field"
                    + (cause.isEmpty() ? "" : " (" + cause + ")");
        }
        return "malformed CSV (" + m + (cause.isEmpty() ? "" : ": " + cause) + ")";
    }

    private static void skipByteOrderMark(BufferedReader reader) throws IOException {
        reader.mark(1);
        if (reader.read() != '\uFEFF') {
            reader.reset();
        }
    }

    /**
     * The most frequent of {@link #DETECTED_DELIMITERS} outside quotes in the header line (its first
     * {@value #DETECTION_LIMIT} characters), a comma when none appears; the reader is left where it was.
     */
    static char detectDelimiter(BufferedReader reader) throws IOException {
        reader.mark(DETECTION_LIMIT + 1);
        int[] counts = new int[DETECTED_DELIMITERS.size()];
        boolean quoted = false;
        for (int i = 0; i < DETECTION_LIMIT; i++) {
            int c = reader.read();
            if (c < 0 || !quoted && (c == '\n' || c == '\r')) {
                break;
            }
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted) {
                int k = DETECTED_DELIMITERS.indexOf((char) c);
                if (k >= 0) {
                    counts[k]++;
                }
            }
        }
        reader.reset();
        int best = 0;
        for (int k = 1; k < counts.length; k++) {
            if (counts[k] > counts[best]) {
                best = k;
            }
        }
        return DETECTED_DELIMITERS.get(best);
    }

    /** Counts the double quotes read: RFC 4180 text holds an even number of them. */
    private static final class QuoteCounter extends FilterReader {
        long quotes;

        QuoteCounter(Reader in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c == '"') {
                quotes++;
            }
            return c;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            for (int i = offset; i < offset + n; i++) {
                if (buffer[i] == '"') {
                    quotes++;
                }
            }
            return n;
        }
    }

    /** The rows read so far: the header, then the examples' features and raw labels. */
    private static final class Table {
        private final String source;
        private final Options options;
        private final char delimiter;
        private final boolean detected;
        private List<String> header;
        private int labelIndex;
        /** The label column is the last one because nothing named it (no `label`, no column 'label'). */
        private boolean labelGuessed;
        private int featureCount;
        /** The column of each feature, in input order. */
        private int[] featureColumns;
        private InputSchema schema;
        private final List<String> ignored = new ArrayList<>();
        private final List<float[]> rows = new ArrayList<>();
        private final List<String> rawLabels = new ArrayList<>();
        private final List<Long> labelLines = new ArrayList<>();
        /** Regression: the target columns, in target order, or null. */
        private int[] targetColumns;
        private final List<double[]> targetRows = new ArrayList<>();
        /** The weight column, or -1. */
        private int weightIndex = -1;
        private final List<Double> weightValues = new ArrayList<>();
        private long lastLine = 1;

        Table(String source, Options options, char delimiter, boolean detected) {
            this.source = source;
            this.options = options;
            this.delimiter = delimiter;
            this.detected = detected;
        }

        void add(CsvRecord record) {
            lastLine = record.getStartingLineNumber();
            List<String> fields = trimmed(record);
            if (fields.size() == 1 && fields.get(0).isEmpty()) {
                return; // a blank line: only spaces
            }
            if (header == null) {
                readHeader(fields);
                return;
            }
            long lineNo = lastLine;
            int columns = header.size();
            if (fields.size() != columns) {
                throw new InvalidInputException(source + ": line " + lineNo + ": " + fields.size()
                        + " fields but the header has " + columns + "; every row must have one field per column"
                        + (fields.size() == 1 && columns > 1 ? " (separated by " + describe(delimiter) + ")" : ""));
            }
            if (labelIndex >= 0 && !options.ignoreLabels()) {
                String field = fields.get(labelIndex);
                if (field.isEmpty()) {
                    throw new InvalidInputException(source + ": line " + lineNo + ": empty label in column '"
                            + header.get(labelIndex) + "'; every row needs a label");
                }
                rawLabels.add(field);
                labelLines.add(lineNo);
            }
            if (targetColumns != null) {
                double[] t = new double[targetColumns.length];
                for (int k = 0; k < t.length; k++) {
                    t[k] = parseTarget(fields.get(targetColumns[k]), lineNo, header.get(targetColumns[k]));
                }
                targetRows.add(t);
            }
            if (weightIndex >= 0) {
                weightValues.add(parseWeight(fields.get(weightIndex), lineNo));
            }
            float[] x = new float[featureCount];
            for (int f = 0; f < featureCount; f++) {
                int c = featureColumns[f];
                x[f] = parseNumber(fields.get(c), source, lineNo, header.get(c), labelGuess(c));
            }
            rows.add(x);
        }

        /**
         * For a word in feature column {@code c} when the label column was guessed (no `label` given,
         * no column named label, so the last one taken): which column is the label, and how to name
         * another; else empty.
         */
        private String labelGuess(int c) {
            if (!labelGuessed) {
                return "";
            }
            return "; the label column is taken to be the last column, '" + header.get(labelIndex) + "' (no column is"
                    + " named '" + DEFAULT_LABEL_COLUMN + "'); if '" + header.get(c) + "' is the label, give `label` "
                    + header.get(c);
        }

        private double parseTarget(String field, long line, String column) {
            double v;
            try {
                v = field.isEmpty() ? Double.NaN : Double.parseDouble(field);
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            if (!Double.isFinite(v)) {
                throw new InvalidInputException(where(line) + "target column '" + column + "' holds '" + field
                        + "', which is not a finite number; regression targets must be numbers (fill or drop the"
                        + " row, or use `task` classification for class labels)");
            }
            return v;
        }

        private double parseWeight(String field, long line) {
            double v;
            try {
                v = field.isEmpty() ? Double.NaN : Double.parseDouble(field);
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new InvalidInputException(where(line) + "weight column '" + header.get(weightIndex) + "' holds '"
                        + field + "', which is not a finite number >= 0; example weights must be finite and >= 0 (fill"
                        + " or drop the row, or fix `weight-column`)");
            }
            return v;
        }

        /**
         * The weight column named by {@link Options#weightColumn()}, or -1 when none is named; refused
         * when the header lacks it or it is the label or a target column.
         */
        private int findWeightColumn(boolean[] isTarget, int label) {
            String wanted = options.weightColumn();
            if (wanted == null) {
                return -1;
            }
            int c = findColumn(header, wanted, where(1));
            if (c < 0) {
                throw new InvalidInputException(where(1) + "no weight column '" + wanted + "' (and it is not an index"
                        + " from 0 to " + (header.size() - 1) + "); the header is " + InputSchema.abbreviated(header)
                        + "; fix `weight-column`");
            }
            if (c == label || isTarget != null && isTarget[c]) {
                throw new InvalidInputException(where(1) + "weight column '" + header.get(c) + "' is also the "
                        + (c == label ? "label" : "target") + " column; give `weight-column` a column of its own");
            }
            return c;
        }

        private String where(long line) {
            return (options.key() == null ? "" : "`" + options.key() + "` ") + source + ": line " + line + ": ";
        }

        /**
         * Regression: finds the target columns named by {@link Options#targets()} (unless labels are
         * ignored), and returns whether column c is one of them or is named as one.
         */
        private boolean[] findTargets() {
            boolean[] isTarget = new boolean[header.size()];
            List<String> wanted = options.targets();
            if (!options.ignoreLabels()) {
                targetColumns = new int[wanted.size()];
            }
            for (int k = 0; k < wanted.size(); k++) {
                int c = findColumn(header, wanted.get(k), where(1));
                if (c < 0) {
                    if (options.ignoreLabels()) {
                        continue;
                    }
                    if (options.modelTargets()) {
                        throw new InvalidInputException(where(1) + "the model's target column '" + wanted.get(k)
                                + "' is missing (the header is " + InputSchema.abbreviated(header) + "); add it, or"
                                + " point `label` at the column that holds it");
                    }
                    throw new InvalidInputException(where(1) + "no target column '" + wanted.get(k) + "' (and it is not"
                            + " an index from 0 to " + (header.size() - 1) + "); the header is "
                            + InputSchema.abbreviated(header) + "; add the target column to the file, or name the file's numeric"
                            + " target columns with `label`");
                }
                if (isTarget[c]) {
                    throw new InvalidInputException(where(1) + "target column '" + header.get(c) + "' is named twice"
                            + " in `label`; name each target column once");
                }
                isTarget[c] = true;
                if (targetColumns != null) {
                    targetColumns[k] = c;
                }
            }
            return isTarget;
        }

        private String where() {
            return (options.key() == null ? "" : "`" + options.key() + "` ") + source + ": line " + lastLine + ": ";
        }

        private void readHeader(List<String> fields) {
            header = fields;
            if (options.schema() != null) {
                matchByName(options.schema());
                return;
            }
            int columns = header.size();
            int expected = options.expectedFeatures();
            if (expected >= 0 && options.targets() == null && columns != expected && columns != expected + 1) {
                throw new InvalidInputException(where() + columns + " columns but the"
                        + " model takes " + expected + " inputs (plus an optional label column); give a file with the"
                        + " training data's columns (columns separated by " + describe(delimiter)
                        + (detected ? ", detected" : "; check `delimiter`") + ")");
            }
            if (columns > 1 && header.get(0).isEmpty()) {
                throw new InvalidInputException(source + ": line 1: the first column has no name (the header is "
                        + InputSchema.abbreviated(header) + "); an unnamed first column is almost always a row index,"
                        + " as pandas writes one unless told to_csv(index=False): remove that column (or name it, if"
                        + " it is a feature)");
            }
            if (options.targets() != null) {
                boolean[] isTarget = findTargets();
                labelIndex = -1;
                weightIndex = options.ignoreLabels() ? -1 : findWeightColumn(isTarget, -1);
                List<String> names = new ArrayList<>();
                List<Integer> at = new ArrayList<>();
                for (int c = 0; c < columns; c++) {
                    if (!isTarget[c] && c != weightIndex) {
                        names.add(header.get(c));
                        at.add(c);
                    }
                }
                featureCount = names.size();
                if (featureCount == 0) {
                    throw new InvalidInputException(where(1) + "no feature columns: every column of the header "
                            + InputSchema.abbreviated(header) + " is a target; a CSV needs numeric feature columns"
                            + " besides the targets named by `label`");
                }
                if (expected >= 0 && featureCount != expected) {
                    throw new InvalidInputException(where() + featureCount + " feature columns"
                            + " but the model takes " + expected + " inputs; give a file with the training data's"
                            + " columns");
                }
                featureColumns = at.stream().mapToInt(Integer::intValue).toArray();
                schema = InputSchema.columns(names, null);
                return;
            }
            labelIndex = labelIndex(header, options, source);
            labelGuessed = labelIndex == columns - 1 && options.labelColumn() == null
                    && !header.contains(DEFAULT_LABEL_COLUMN);
            weightIndex = options.ignoreLabels() ? -1 : findWeightColumn(null, labelIndex);
            featureCount = (labelIndex < 0 ? columns : columns - 1) - (weightIndex >= 0 ? 1 : 0);
            if (featureCount == 0) {
                throw new InvalidInputException(source + ": line " + lastLine + ": no feature columns: the header "
                        + header + " has only the label column, read with the delimiter " + describe(delimiter)
                        + (detected ? " (detected: none of , ; tab | in the header line gives more columns)" : "")
                        + "; a CSV needs numeric feature columns besides the label; if the file is separated by"
                        + " another character, set `delimiter`");
            }
            if (expected >= 0 && featureCount != expected) {
                throw new InvalidInputException(where() + featureCount + " feature columns"
                        + " but the model takes " + expected + " inputs; give a file with the training data's columns");
            }
            featureColumns = new int[featureCount];
            List<String> names = new ArrayList<>();
            for (int c = 0, f = 0; c < columns; c++) {
                if (c != labelIndex && c != weightIndex) {
                    featureColumns[f++] = c;
                    names.add(header.get(c));
                }
            }
            schema = InputSchema.columns(names, labelIndex < 0 ? null : header.get(labelIndex));
        }

        /**
         * Finds the schema's feature columns by name: the k-th column of a name is the k-th feature
         * of that name; columns that are neither feature nor label are ignored.
         */
        private void matchByName(InputSchema wanted) {
            List<String> features = wanted.featureNames();
            // one column, and not one the model reads: most likely another delimiter (a column the model
            // reads, alone, is a file lacking the other columns, named below)
            if (header.size() == 1 && features.size() > 1 && !features.contains(header.get(0))
                    && !header.get(0).equals(wanted.labelColumn())
                    && (options.targets() == null || !options.targets().contains(header.get(0)))) {
                throw new InvalidInputException(where() + "1 columns but the model takes " + features.size()
                        + " inputs (plus an optional label column); give a file with the training data's columns "
                        + InputSchema.abbreviated(features) + " (columns separated by " + describe(delimiter)
                        + (detected ? ", detected" : "; check `delimiter`") + ")");
            }
            String label = options.labelColumn() != null ? options.labelColumn() : wanted.labelColumn();
            labelIndex = -1;
            boolean[] isTarget = options.targets() == null ? new boolean[header.size()] : findTargets();
            if (options.targets() != null) {
                for (int c = 0; c < header.size(); c++) {
                    if (isTarget[c] && features.contains(header.get(c))) {
                        throw new InvalidInputException(where() + "the target column '" + header.get(c)
                                + "' is one of the training data's feature columns "
                                + InputSchema.abbreviated(features) + "; set `label` to the model's target columns "
                                + options.targets());
                    }
                }
            }
            if (!options.ignoreLabels() && options.targets() == null) {
                labelIndex = findColumn(header, label == null ? DEFAULT_LABEL_COLUMN : label, where(1),
                        label == null);
                if (labelIndex < 0) {
                    throw new InvalidInputException(where() + "no label column '" + (label == null
                            ? DEFAULT_LABEL_COLUMN : label) + "'" + (options.labelColumn() == null
                            ? " (the training data's label column)" : "") + "; the header is "
                            + InputSchema.abbreviated(header)
                            + "; labelled data needs its label column: name it with `label`");
                }
                if (features.contains(header.get(labelIndex))) {
                    throw new InvalidInputException(where() + "the label column '" + header.get(labelIndex)
                            + "' is one of the training data's feature columns " + InputSchema.abbreviated(features)
                            + "; set `label` to the"
                            + " label column" + (wanted.labelColumn() == null ? "" : " ('" + wanted.labelColumn()
                            + "' in the training data)"));
                }
            }
            Map<String, List<Integer>> columnsByName = new HashMap<>();
            for (int c = 0; c < header.size(); c++) {
                if (c != labelIndex && !isTarget[c]) {
                    columnsByName.computeIfAbsent(header.get(c), k -> new ArrayList<>()).add(c);
                }
            }
            Map<String, Integer> seen = new HashMap<>();
            featureColumns = new int[features.size()];
            boolean[] used = new boolean[header.size()];
            for (int f = 0; f < features.size(); f++) {
                String name = features.get(f);
                int k = seen.merge(name, 1, Integer::sum) - 1;
                List<Integer> at = columnsByName.getOrDefault(name, List.of());
                if (k >= at.size()) {
                    List<String> absent = features.stream().distinct().filter(n -> !columnsByName.containsKey(n))
                            .toList();
                    // several named when some, not all, are absent (else the file is another one altogether)
                    String missing = !at.isEmpty() || absent.size() <= 1
                            || absent.size() == features.stream().distinct().count() ? "no column '" + name + "'"
                            + (at.isEmpty() ? "" : " (a " + ordinal(k + 1) + " one)")
                            : "no columns " + InputSchema.abbreviated(absent);
                    throw new InvalidInputException(where() + missing
                            + ": the model reads the training data's " + features.size() + " feature columns "
                            + InputSchema.abbreviated(features) + " by name, and the header is "
                            + InputSchema.abbreviated(header) + "; add the column" + (missing.startsWith("no columns") ? "s" : "")
                            + " (any order)");
                }
                featureColumns[f] = at.get(k);
                used[at.get(k)] = true;
            }
            for (Map.Entry<String, Integer> e : seen.entrySet()) {
                int inFile = columnsByName.get(e.getKey()).size();
                if (inFile > e.getValue()) {
                    throw new InvalidInputException(where() + "column '" + e.getKey() + "' appears " + inFile
                            + " times in the header " + InputSchema.abbreviated(header) + " but " + e.getValue() + " time"
                            + (e.getValue() == 1 ? "" : "s") + " among the training data's feature columns; rename"
                            + " or remove the extra one, so that each feature has one column");
                }
            }
            for (int c = 0; c < header.size(); c++) {
                String name = header.get(c);
                boolean isLabel = c == labelIndex || isTarget[c] || name.equals(wanted.labelColumn())
                        || name.equals(label);
                if (!used[c] && !isLabel) {
                    ignored.add(name);
                }
            }
            featureCount = features.size();
            schema = InputSchema.columns(features, labelIndex < 0 ? null : header.get(labelIndex));
        }

        Dataset dataset() {
            Dataset d = unweighted();
            if (weightIndex < 0) {
                return d;
            }
            double[] w = new double[weightValues.size()];
            boolean any = false;
            for (int i = 0; i < w.length; i++) {
                w[i] = weightValues.get(i);
                any |= w[i] > 0;
            }
            if (!any) {
                throw new InvalidInputException(where(1) + "every weight in column '" + header.get(weightIndex)
                        + "' is 0, so no example would count in training; give some example a weight > 0, or fix"
                        + " `weight-column`");
            }
            return d.withWeights(w);
        }

        private Dataset unweighted() {
            if (header == null) {
                throw new InvalidInputException(source + ": line 1: empty file or empty header row;"
                        + " a CSV needs a header row naming its columns, then one row per example");
            }
            if (rows.isEmpty()) {
                throw new InvalidInputException(source + ": no data rows after the header; the data set is empty");
            }
            long size = (long) rows.size() * featureCount;
            if (size > Integer.MAX_VALUE - 8) {
                throw new InvalidInputException(source + ": " + rows.size() + " rows of " + featureCount
                        + " features are more values than one array holds (2^31); split the file");
            }
            float[] features = new float[(int) size];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(rows.get(i), 0, features, i * featureCount, featureCount);
            }
            if (targetColumns != null) {
                int k = targetColumns.length;
                double[] y = new double[rows.size() * k];
                for (int i = 0; i < rows.size(); i++) {
                    System.arraycopy(targetRows.get(i), 0, y, i * k, k);
                }
                List<String> names = new ArrayList<>();
                for (int c : targetColumns) {
                    names.add(header.get(c));
                }
                return new Dataset(source, features, rows.size(), featureCount, null, List.of(), null, schema, ignored)
                        .withTargets(y, names);
            }
            if (labelIndex < 0 || options.ignoreLabels()) {
                return new Dataset(source, features, rows.size(), featureCount, null,
                        options.classNames() == null ? List.of() : options.classNames(), null, schema, ignored);
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
                            + rawLabels.get(i) + "' is not one of the model's classes " + classes
                            + "; drop the rows of this class, or train a model on data that has it");
                }
                labels[i] = c;
            }
            return new Dataset(source, features, rows.size(), featureCount, labels, classes, null, schema, ignored);
        }

        private static List<String> trimmed(CsvRecord record) {
            List<String> fields = new ArrayList<>(record.getFieldCount());
            for (String field : record.getFields()) {
                fields.add(field.trim());
            }
            return fields;
        }
    }

    private static int labelIndex(List<String> header, Options options, String source) {
        String wanted = options.labelColumn();
        if (options.expectedFeatures() >= 0 && header.size() == options.expectedFeatures() && wanted == null) {
            return -1; // unlabelled data for prediction
        }
        if (wanted == null) {
            int named = findColumn(header, DEFAULT_LABEL_COLUMN, source + ": line 1: ", true);
            return named >= 0 ? named : header.size() - 1;
        }
        int found = findColumn(header, wanted, source + ": line 1: ");
        if (found >= 0) {
            return found;
        }
        throw new InvalidInputException(source + ": line 1: no column named '" + wanted + "' (and it is not an index"
                + " from 0 to " + (header.size() - 1) + "); the header is " + header + "; fix `label`");
    }

    /**
     * The column {@code wanted} names, by name or else by 0-based index; -1 if none.
     *
     * @throws InvalidInputException (prefixed by {@code where}) when two columns have that name: which
     *                               one is meant cannot be told
     */
    private static int findColumn(List<String> header, String wanted, String where) {
        return findColumn(header, wanted, where, false);
    }

    /** As above; by name only when {@code nameOnly} (the default label column's name). */
    private static int findColumn(List<String> header, String wanted, String where, boolean nameOnly) {
        int named = header.indexOf(wanted);
        if (named >= 0) {
            int last = header.lastIndexOf(wanted);
            if (last != named) {
                throw new InvalidInputException(where + "columns " + named + " and " + last + " (counting from 0)"
                        + " are both named '" + wanted + "'; rename one in the header, or give the column by its"
                        + " index");
            }
            return named;
        }
        if (nameOnly) {
            return -1;
        }
        try {
            int i = Integer.parseInt(wanted);
            if (i >= 0 && i < header.size()) {
                return i;
            }
        } catch (NumberFormatException ignored) {
            // not an index either
        }
        return -1;
    }

    private static String ordinal(int n) {
        return n + (n % 100 >= 11 && n % 100 <= 13 ? "th" : n % 10 == 1 ? "st" : n % 10 == 2 ? "nd"
                : n % 10 == 3 ? "rd" : "th");
    }

    private static float parseNumber(String field, String source, long line, String column, String hint) {
        float v;
        try {
            v = Float.parseFloat(field);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(source + ": line " + line + ": column '" + column + "' holds '" + field
                    + "', which is not a number; feature columns must be numeric" + hint);
        }
        if (!Float.isFinite(v)) {
            throw new InvalidInputException(source + ": line " + line + ": column '" + column + "' holds '" + field
                    + "', which is not a finite float32 number; replace missing or infinite values");
        }
        return v;
    }

    private static List<String> sortedClasses(List<String> labels) {
        // integers in canonical form ("2", "-1", "10"; not "01" or "-0") sort by value: 2 before 10;
        // any other label (zero-padded codes such as "01" included) makes every label sort as text
        boolean canonicalIntegers = true;
        for (String s : labels) {
            if (!s.matches("-?\\d{1,9}") || !Integer.toString(Integer.parseInt(s)).equals(s)) {
                canonicalIntegers = false;
                break;
            }
        }
        if (canonicalIntegers) {
            TreeSet<Integer> distinct = new TreeSet<>();
            for (String s : labels) {
                distinct.add(Integer.parseInt(s));
            }
            List<String> out = new ArrayList<>();
            for (int v : distinct) {
                out.add(Integer.toString(v));
            }
            return out;
        }
        return new ArrayList<>(new TreeSet<>(labels));
    }
}
