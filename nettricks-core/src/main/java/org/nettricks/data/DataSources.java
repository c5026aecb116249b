package org.nettricks.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.nettricks.InvalidInputException;

/**
 * Turns what a user names with {@code --data} into data sets.
 *
 * <ul>
 *   <li>{@code digits}: the quick-start set shipped in the jar (UCI handwritten digits, 8×8).</li>
 *   <li>{@code fashion-mnist}: the IDX files in {@value #FASHION_MNIST_DIR} (Debian package
 *       {@code dataset-fashion-mnist}).</li>
 *   <li>a directory holding {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 *       {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each optionally
 *       {@code .gz}.</li>
 *   <li>a CSV file (header row, one label column).</li>
 *   <li>for prediction only: a single IDX image file.</li>
 * </ul>
 */
public final class DataSources {
    public static final String FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";
    public static final String DIGITS = "digits";
    public static final String FASHION_MNIST = "fashion-mnist";
    /** The class names of Fashion-MNIST, in label order. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    private static final String DIGITS_RESOURCE = "/org/nettricks/data/digits.csv.gz";

    /**
     * The last IDX data set read, by paths, sizes and modification times: a search reads the same
     * files for every trial. Data sets are immutable, so sharing one is invisible to callers.
     */
    private static final java.util.Map<String, Loaded> RECENT = new java.util.HashMap<>();
    private static volatile boolean keepRecent;

    private DataSources() {
    }

    /**
     * Whether the last IDX data set read stays in memory for the next load of the same files: on
     * for a search (every trial reads them), off by default, since a single run would otherwise
     * hold a second copy of its data (220 MB for Fashion-MNIST) to the end.
     */
    public static void keepLastLoaded(boolean on) {
        keepRecent = on;
        if (!on) {
            synchronized (RECENT) {
                RECENT.clear();
            }
        }
    }

    private static String fingerprint(Path... files) {
        StringBuilder sb = new StringBuilder();
        for (Path f : files) {
            try {
                sb.append(f.toAbsolutePath()).append(':').append(Files.size(f)).append(':')
                        .append(Files.getLastModifiedTime(f).toMillis()).append(';');
            } catch (IOException e) {
                sb.append(f).append(":?;");
            }
        }
        return sb.toString();
    }

    /** Training data and, when the source has one, its own test set (else null). */
    public record Loaded(Dataset train, Dataset test) {
    }

    /** Loads training data (and the source's test set, if it has one); a CSV's delimiter is detected. */
    public static Loaded loadForTraining(String spec, String labelColumn) {
        return loadForTraining(spec, labelColumn, null);
    }

    /**
     * Loads training data (and the source's test set, if it has one).
     *
     * @param delimiter a CSV's field delimiter, or null to detect it from its header line
     */
    public static Loaded loadForTraining(String spec, String labelColumn, Character delimiter) {
        return loadForTraining(spec, labelColumn, delimiter, null);
    }

    /**
     * Loads training data, with per-example weights from a CSV column.
     *
     * @param weightColumn the CSV column of example weights, by name or 0-based index, or null for none
     * @throws InvalidInputException naming {@code weight-column} when the source is not a CSV file,
     *                               and naming the file, line and column for a weight that is not a
     *                               finite number ≥ 0 (or when all are 0)
     */
    public static Loaded loadForTraining(String spec, String labelColumn, Character delimiter, String weightColumn) {
        if (weightColumn != null) {
            requireCsvForWeights(spec);
        }
        if (spec.equals(DIGITS)) {
            return new Loaded(readDigits(), null);
        }
        Path dir = idxDirectory(spec);
        if (dir != null) {
            List<String> names = spec.equals(FASHION_MNIST) ? FASHION_MNIST_CLASSES : null;
            Path trainImages = find(dir, "train-images-idx3-ubyte");
            Path trainLabels = find(dir, "train-labels-idx1-ubyte");
            Path testImages = find(dir, "t10k-images-idx3-ubyte");
            Path testLabels = find(dir, "t10k-labels-idx1-ubyte");
            String key = spec + "|" + fingerprint(trainImages, trainLabels, testImages, testLabels);
            synchronized (RECENT) {
                if (RECENT.containsKey(key)) {
                    return RECENT.get(key);
                }
            }
            Dataset train = IdxReader.readPair(trainImages, trainLabels, names);
            Dataset test = IdxReader.readPair(testImages, testLabels, train.classNames());
            Loaded loaded = new Loaded(train, test);
            if (keepRecent) {
                synchronized (RECENT) {
                    RECENT.clear(); // keep one data set: a search reads the same files for every trial
                    RECENT.put(key, loaded);
                }
            }
            return loaded;
        }
        return new Loaded(readCsv(Path.of(spec), CsvReader.Options.forTraining(labelColumn).withDelimiter(delimiter)
                .withWeightColumn(weightColumn)), null);
    }

    /** Refuses example weights for the built-in sets and IDX data: they come from a CSV column. */
    private static void requireCsvForWeights(String spec) {
        Path path = Path.of(spec);
        if (spec.equals(DIGITS) || spec.equals(FASHION_MNIST) || Files.isDirectory(path)
                || Files.isRegularFile(path) && !isCsv(path)) {
            throw new InvalidInputException("`weight-column` reads example weights from a column of a CSV file, but"
                    + " `data` " + spec + " is not one; give a CSV file with a weight column, or drop `weight-column`");
        }
    }

    /**
     * Loads training data to continue training a saved model on (warm start), read as the model
     * reads data ({@link #loadForModel}): a CSV file's feature columns found by the model's column
     * names in any order (others ignored, in {@link Dataset#ignoredColumns()}; by position for a
     * model that keeps no names), its labels mapped to the model's classes; the built-in digits,
     * Fashion-MNIST and IDX directories read as for training (their train files, and the test
     * files as the source's test set) and held to the model's image shape and classes.
     *
     * @param schema       the model's input schema, or null (a model file written before schemas)
     * @param featureCount the model's input size
     * @param classNames   the model's classes, in output order
     * @param reference    what the model is, for messages, e.g. {@code "`init-from` m.safetensors"}
     * @throws org.nettricks.InvalidInputException naming {@code data} and what differs (feature
     *         columns, image shape, classes) when the data is not shaped as the model's inputs
     */
    public static Loaded loadForWarmStart(String spec, String labelColumn, Character delimiter, InputSchema schema,
                                          int featureCount, List<String> classNames, String reference) {
        if (spec.equals(DIGITS) || idxDirectory(spec) != null) {
            Loaded loaded = loadForTraining(spec, labelColumn, delimiter);
            Dataset train = loaded.train();
            InputSchema have = train.schema();
            if (schema != null && schema.hasNames() && (have == null || !have.hasNames()
                    || !have.featureNames().equals(schema.featureNames()))) {
                throw new org.nettricks.InvalidInputException("`data` " + spec + " holds "
                        + InputSchema.describe(train.schema(), train.featureCount()) + " but " + reference
                        + " was trained on " + schema.describe() + " of a CSV file; continue on a CSV file with"
                        + " those columns, or drop `init-from`");
            }
            requireSameShape("data", spec, train, schema, featureCount, reference + " was trained on");
            if (!train.classNames().equals(classNames)) {
                throw new org.nettricks.InvalidInputException("`data` " + spec + " has the classes "
                        + abbreviatedClasses(train.classNames()) + " but " + reference + " has "
                        + abbreviatedClasses(classNames) + "; continue on data with the model's classes, or drop"
                        + " `init-from`");
            }
            return loaded;
        }
        try {
            return new Loaded(loadForModel(spec, "data", schema, featureCount, classNames, labelColumn, true,
                    delimiter), null);
        } catch (org.nettricks.InvalidInputException e) {
            throw new org.nettricks.InvalidInputException(e.getMessage() + " (a warm start reads `data` as "
                    + reference + " reads its inputs: its feature columns by name, its classes; or drop `init-from`)");
        }
    }

    private static String abbreviatedClasses(List<String> names) {
        return InputSchema.abbreviated(names.stream().map(n -> "'" + n + "'").toList());
    }

    /** Loads labelled test data whose classes are those of the training data; a CSV's delimiter is detected. */
    public static Dataset loadTestData(String spec, String labelColumn, List<String> classNames, int featureCount) {
        return loadTestData(spec, labelColumn, classNames, featureCount, null);
    }

    /**
     * Loads labelled test data whose classes are those of the training data, reading a CSV's columns
     * by position (see {@link #loadForModel} to match them by name).
     *
     * @param delimiter a CSV's field delimiter, or null to detect it from its header line
     */
    public static Dataset loadTestData(String spec, String labelColumn, List<String> classNames, int featureCount,
                                       Character delimiter) {
        return loadForModel(spec, "data", null, featureCount, classNames, labelColumn, true, delimiter);
    }

    /**
     * Loads inputs to classify: a CSV (labelled or not), an IDX image file, or a directory or name
     * (whose test images are used). Labels are not read.
     */
    public static Dataset loadForPrediction(String spec, String labelColumn, List<String> classNames, int featureCount) {
        return loadForPrediction(spec, labelColumn, classNames, featureCount, null);
    }

    /**
     * Loads inputs to classify, as {@link #loadForPrediction(String, String, List, int)} does, reading
     * a CSV's columns by position (see {@link #loadForModel} to match them by name).
     *
     * @param delimiter a CSV's field delimiter, or null to detect it from its header line
     */
    public static Dataset loadForPrediction(String spec, String labelColumn, List<String> classNames, int featureCount,
                                            Character delimiter) {
        return loadForModel(spec, "data", null, featureCount, classNames, labelColumn, false, delimiter);
    }

    /**
     * Loads data for a trained model (or for the network being trained: its test data), read as
     * the training data was.
     *
     * <ul>
     *   <li>A CSV file: when {@code schema} has feature names, the feature columns are found by
     *       name in any order, other columns are ignored (listed in {@link Dataset#ignoredColumns()}),
     *       and a missing feature column is refused naming it; without names (a model file written
     *       before they were kept, or training images), the columns are read by position.</li>
     *   <li>An IDX directory or {@code fashion-mnist}: its t10k files; {@code digits}: the built-in set.</li>
     *   <li>For prediction only: a single IDX image file.</li>
     * </ul>
     *
     * <p>Labelled data ({@code labelled}) needs its label column ({@code labelColumn}, by name or
     * 0-based index, else the schema's); its labels must be among {@code classNames}. Unlabelled
     * reading (prediction) reads no label at all, so a label the model does not know is no error.
     *
     * @param key          the setting that named {@code spec} (e.g. {@code data}, {@code test-data}), for messages
     * @param schema       the training data's schema, or null (columns by position)
     * @param featureCount the number of inputs the data must have
     * @param delimiter    a CSV's field delimiter, or null to detect it from its header line
     * @throws org.nettricks.InvalidInputException when the data cannot be read, lacks a feature or label
     *         column, or its feature count or image shape differs from {@code schema}'s and {@code featureCount}
     */
    public static Dataset loadForModel(String spec, String key, InputSchema schema, int featureCount,
                                       List<String> classNames, String labelColumn, boolean labelled,
                                       Character delimiter) {
        Dataset data;
        Path path = Path.of(spec);
        if (!labelled && !spec.equals(DIGITS) && Files.isRegularFile(path) && !isCsv(path)) {
            IdxReader.IdxArray images = IdxReader.read(path);
            float[] x = new float[images.values().length];
            for (int i = 0; i < x.length; i++) {
                x[i] = images.values()[i] & 0xFF;
            }
            int d = images.dimensions().length < 2 ? 1 : images.itemSize();
            data = new Dataset(spec, x, images.count(), d, null, classNames, new ValueRange(0, 255),
                    images.itemShape(), List.of());
        } else if (spec.equals(DIGITS)) {
            data = readDigits();
        } else {
            Path dir = idxDirectory(spec);
            if (dir != null) {
                data = IdxReader.readPair(find(dir, "t10k-images-idx3-ubyte"), find(dir, "t10k-labels-idx1-ubyte"),
                        classNames);
            } else {
                data = readCsv(path, CsvReader.Options.forModel(schema, labelColumn, classNames, featureCount, !labelled)
                        .withDelimiter(delimiter).withKey(key));
            }
        }
        requireSameShape(key, spec, data, schema, featureCount, "the training data has");
        if (labelled && !data.hasLabels()) {
            throw new org.nettricks.InvalidInputException("`" + key + "` " + spec + " has no label column (its "
                    + data.featureCount() + " columns are all read as features); labelled data needs one: name it"
                    + " with `label`");
        }
        return data;
    }

    /**
     * Regression data: a CSV file whose {@code targets} columns (by name or 0-based index) hold the
     * numeric targets and whose other columns are the features, or, with {@code schema} naming
     * feature columns (a model's or the training data's), those columns by name (others ignored).
     *
     * @param key       the setting that named {@code spec} ({@code data}, {@code test-data}), for messages
     * @param targets   the target columns, at least one
     * @param schema    the feature columns to find by name, or null: every other column, in file order
     * @param labelled  false for prediction: the targets are not read (and need not be there)
     * @param delimiter a CSV's field delimiter, or null to detect it
     * @throws InvalidInputException naming {@code `key`} and {@code `task`} for the built-in sets and
     *         IDX data (they hold classes, not numbers), and naming the file, line and column for a
     *         missing target column or a target cell that is not a finite number
     */
    public static Dataset loadForRegression(String spec, String key, List<String> targets, InputSchema schema,
                                            int featureCount, boolean labelled, Character delimiter) {
        return loadForRegression(spec, key, targets, schema, featureCount, labelled, delimiter, null);
    }

    /**
     * As {@link #loadForRegression(String, String, List, InputSchema, int, boolean, Character)}, with
     * per-example weights from a CSV column ({@code weightColumn}, null for none; see
     * {@link #loadForTraining(String, String, Character, String)}).
     */
    public static Dataset loadForRegression(String spec, String key, List<String> targets, InputSchema schema,
                                            int featureCount, boolean labelled, Character delimiter,
                                            String weightColumn) {
        return loadRegression(spec, key, targets, schema, featureCount, labelled, delimiter, weightColumn, false);
    }

    /**
     * As {@link #loadForRegression(String, String, List, InputSchema, int, boolean, Character)} for
     * the data of a trained model whose own target names are {@code targets} ({@code evaluate}
     * without {@code label}): a missing target column is refused as the model's ("the model's
     * target column 'y' is missing …; add it, or point `label` at the column that holds it").
     */
    public static Dataset loadForModelTargets(String spec, String key, List<String> targets, InputSchema schema,
                                              int featureCount, Character delimiter) {
        return loadRegression(spec, key, targets, schema, featureCount, true, delimiter, null, true);
    }

    private static Dataset loadRegression(String spec, String key, List<String> targets, InputSchema schema,
                                          int featureCount, boolean labelled, Character delimiter,
                                          String weightColumn, boolean modelTargets) {
        requireSource(key, spec);
        if (weightColumn != null) {
            requireCsvForWeights(spec);
        }
        Path path = Path.of(spec);
        if (spec.equals(DIGITS) || spec.equals(FASHION_MNIST) || Files.isDirectory(path)
                || Files.isRegularFile(path) && !isCsv(path)) {
            throw new InvalidInputException("`" + key + "` " + spec + " holds images with class labels, but `task` is"
                    + " regression, which reads numeric targets from a CSV file; give a CSV file with target columns"
                    + " named by `label`, or use `task` classification");
        }
        CsvReader.Options options = schema == null
                ? new CsvReader.Options(null, null, featureCount, delimiter, null, !labelled, key, targets)
                : CsvReader.Options.forModel(schema, null, List.of(), featureCount, !labelled).withDelimiter(delimiter)
                        .withKey(key).withTargets(targets);
        Dataset data = readCsv(path, modelTargets ? options.withWeightColumn(weightColumn).withModelTargets()
                : options.withWeightColumn(weightColumn));
        if (featureCount >= 0) {
            requireSameShape(key, spec, data, schema, featureCount, "the training data has");
        }
        return data;
    }

    /**
     * Refuses {@code data} unless it has {@code featureCount} features and, when both it and
     * {@code expected} are images, the same image shape.
     *
     * @param key       the setting that named the data, e.g. {@code test-data}
     * @param reference what the expected shape is, e.g. {@code "`data` train.csv has"}
     * @throws org.nettricks.InvalidInputException naming {@code key} and both shapes
     */
    public static void requireSameShape(String key, String spec, Dataset data, InputSchema expected, int featureCount,
                                        String reference) {
        InputSchema actual = data.schema();
        boolean bothImages = actual != null && expected != null && !actual.hasNames() && !expected.hasNames();
        if (data.featureCount() != featureCount || bothImages && !actual.equals(expected)) {
            String have = InputSchema.describe(actual, data.featureCount());
            String want = InputSchema.describe(expected, featureCount);
            throw new org.nettricks.InvalidInputException("`" + key + "` " + spec + " holds " + have + " but "
                    + reference + " " + want + "; give data shaped like the training data");
        }
    }

    private static boolean isCsv(Path path) {
        String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".csv") || name.endsWith(".csv.gz") || name.endsWith(".txt");
    }

    /** The IDX directory a spec names, or null if the spec is not one. */
    private static Path idxDirectory(String spec) {
        if (spec.equals(FASHION_MNIST)) {
            return fashionMnistDirectory(Path.of(FASHION_MNIST_DIR));
        }
        Path p = Path.of(spec);
        if (Files.isDirectory(p)) {
            return p;
        }
        if (!Files.exists(p)) {
            throw new InvalidInputException("`data` " + spec + ": no such file or directory" + builtInSuggestion(spec)
                    + "; pass a CSV file, a directory of IDX files, '" + FASHION_MNIST + "' or '" + DIGITS + "'");
        }
        return null;
    }

    /**
     * Refuses, naming the recipe key, a source that names no file, directory or built-in set: checked
     * for {@code data} and {@code test-data} before anything is read, so that a missing test file is
     * reported as itself and before the training data is loaded.
     *
     * @param key  the recipe key the source came from, e.g. {@code test-data}
     * @param spec what it names
     * @throws InvalidInputException naming {@code `key`} and {@code spec}
     */
    public static void requireSource(String key, String spec) {
        if (spec.equals(DIGITS) || spec.equals(FASHION_MNIST)) {
            return;
        }
        boolean exists;
        try {
            exists = Files.exists(Path.of(spec));
        } catch (java.nio.file.InvalidPathException e) {
            exists = false;
        }
        if (!exists) {
            throw new InvalidInputException("`" + key + "` " + spec + ": no such file or directory"
                    + builtInSuggestion(spec) + "; pass a CSV file, a directory of IDX files, '" + FASHION_MNIST
                    + "' or '" + DIGITS + "'");
        }
    }

    /**
     * {@code " (did you mean digits?)"} for a bare word close to the name of a data set NetTricks
     * knows (e.g. {@code digit}, {@code Fashion_MNIST}): at most 1 + n/4 edits (insertions, deletions,
     * substitutions, adjacent transpositions) for n characters, ignoring case, as command names are
     * suggested ({@code config.NameSuggestions}, a layer above this one); empty for anything that looks
     * like a path.
     */
    static String builtInSuggestion(String spec) {
        if (spec.contains("/") || spec.contains(java.io.File.separator) || spec.contains(".")) {
            return "";
        }
        String typed = spec.toLowerCase(java.util.Locale.ROOT);
        for (String name : List.of(DIGITS, FASHION_MNIST)) {
            int d = editDistance(typed, name);
            if (!spec.equals(name) && d <= 1 + typed.length() / 4 && d < typed.length()) {
                return " (did you mean " + name + "?)";
            }
        }
        return "";
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions, adjacent transpositions. */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** {@code dir} if it exists, else an error that says how to install Fashion-MNIST. */
    static Path fashionMnistDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("`data` fashion-mnist: " + dir + " does not exist; install it with"
                    + " 'apt-get install dataset-fashion-mnist', or pass `data` DIR holding the four IDX files");
        }
        return dir;
    }

    private static Path find(Path dir, String base) {
        Path plain = dir.resolve(base);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new InvalidInputException(dir + ": missing " + base + " (or " + base + ".gz); an IDX directory holds"
                + " train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte");
    }

    /** Reads a UTF-8 CSV file, gunzipping it when its name ends in .gz. */
    public static Dataset readCsv(Path path, CsvReader.Options options) {
        try (InputStream raw = Files.newInputStream(path)) {
            InputStream in = path.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
            return CsvReader.read(path.toString(), in, options);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(path + ": no such file; check the path");
        } catch (IOException e) {
            throw readFailed(path, e);
        } catch (java.io.UncheckedIOException e) { // the CSV parser's wrapping of a failed read
            throw readFailed(path, e.getCause());
        }
    }

    private static InvalidInputException readFailed(Path path, IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io && Gzip.isGzipProblem(io)) {
                return new InvalidInputException(path + " " + Gzip.describe(io));
            }
        }
        return new InvalidInputException(path + ": cannot read: " + (e.getMessage() != null ? e.getMessage()
                : e.getClass().getSimpleName()));
    }

    /** The built-in quick-start data set: 1,797 UCI handwritten digits, 64 pixels in 0..16. */
    public static Dataset readDigits() {
        try (InputStream raw = DataSources.class.getResourceAsStream(DIGITS_RESOURCE)) {
            if (raw == null) {
                throw new IllegalStateException("the digits resource is missing from the jar: rebuild NetTricks");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw),
                    StandardCharsets.UTF_8));
            Dataset d = CsvReader.read(DIGITS, reader, CsvReader.Options.forTraining("digit"));
            return new Dataset(DIGITS, d.features(), d.size(), d.featureCount(), d.labels(), d.classNames(),
                    new ValueRange(0, 16), d.schema(), List.of());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the digits resource", e);
        }
    }
}
