package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.io.Safetensors;

/**
 * Issue 14, class 2: the schema travels with the model. Every example of the issue and of
 * shared/cases as a command-line run: exit status, the message's subject, and the accuracy or
 * prediction, which for these files is known by hand (the three classes lie at x1 ≈ 0, 5 and 10,
 * far apart, with x2 uniform noise in [0, 1]: a trained network classifies all of them; the row
 * (x1, x2) = (0.5, 0.9) of predict-unseen-label.csv lies among the class-a rows).
 */
class ModelSchemaTest {
    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    /** A model trained on three-classes.csv (label, x1, x2), as the examples have it. */
    private static Path threeClasses;


    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    /** The bad-input contract: status 2, one line naming the problem, no stack trace, no model written. */
    private void assertRefused(CliRun r, String command, String expectedFragment) throws IOException {
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.errLines().size(), "exactly one line on stderr: " + r.err());
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("nettricks " + command + ": error: "), line);
        assertTrue(line.contains(expectedFragment), "expected '" + expectedFragment + "' in: " + line);
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertFalse(r.out().contains("epoch  train loss"), "refused before any training: " + r.out());
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("model")), "no model file left");
        }
    }

    private static String inputCase(String name) {
        try {
            return Path.of(ModelSchemaTest.class.getResource("cases/" + name).toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private static String[] trainArgs(String data, String out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--data", data, "--hidden", "16", "--epochs", "60",
                "--batch-size", "8", "--seed", "1", "--out", out));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @BeforeAll
    static void trainOnThreeClasses() {
        threeClasses = shared.resolve("three.safetensors");
        CliRun t = run(trainArgs(inputCase("three-classes.csv"), threeClasses.toString()));
        assertEquals(0, t.status(), t.err());
        assertTrue(t.out().contains("accuracy 100.00%  (12 examples)"), t.out());
    }

    private CliRun evaluate(Path model, String data, String... extra) {
        List<String> args = new ArrayList<>(List.of("evaluate", "--model", model.toString(), "--data", data, "--json"));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private CliRun predict(Path model, String data, String... extra) {
        List<String> args = new ArrayList<>(List.of("predict", "--model", model.toString(), "--data", data));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    private static List<String> notes(CliRun r) {
        return r.errLines().stream().filter(l -> l.startsWith("note: ")).toList();
    }

    /** The predicted class of every row of predict's CSV. */
    private static List<String> predicted(CliRun r) {
        return r.out().lines().skip(1).map(l -> l.split(",")[1]).toList();
    }

    private Path csv(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** three-classes.csv with its columns rearranged: {@code columns} names them in the new order. */
    private Path rearranged(String name, String... columns) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(inputCase("three-classes.csv")));
        List<String> header = List.of(lines.get(0).split(","));
        StringBuilder sb = new StringBuilder(String.join(",", columns)).append('\n');
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",");
            List<String> out = new ArrayList<>();
            for (String c : columns) {
                int at = header.indexOf(c);
                out.add(at >= 0 ? fields[at] : c.equals("note") ? "\"free text, with a comma\"" : "7");
            }
            sb.append(String.join(",", out)).append('\n');
        }
        return csv(name, sb.toString());
    }

    // ------------------------------------------------------------------ the examples

    @Test
    void evaluateMatchesTheReorderedColumnsByName() {
        CliRun original = evaluate(threeClasses, inputCase("three-classes.csv"));
        CliRun reordered = evaluate(threeClasses, inputCase("three-classes-reordered.csv"));
        assertEquals(0, original.status(), original.err());
        assertEquals(0, reordered.status(), reordered.err());
        assertEquals(1.0, original.json().get("accuracy"));
        assertEquals(1.0, reordered.json().get("accuracy"), "label,x2,x1 read by name: 100%, not 41.67%");
        assertEquals(60L, reordered.json().get("examples"));
        assertEquals(original.json().get("loss"), reordered.json().get("loss"), "the same rows, the same loss");
        assertEquals(List.of(), notes(reordered), "nothing ignored, nothing to note");
        CliRun p = predict(threeClasses, inputCase("three-classes-reordered.csv"));
        assertEquals(predict(threeClasses, inputCase("three-classes.csv")).out(), p.out());
    }

    @Test
    void predictIgnoresTheLabelColumnEntirely() throws IOException {
        CliRun p = predict(threeClasses, inputCase("predict-unseen-label.csv"));
        assertEquals(0, p.status(), p.err());
        assertEquals(List.of("a"), predicted(p), "label d is not read; (0.5, 0.9) is among the a rows");
        assertTrue(p.out().startsWith("index,predicted,p_a,p_b,p_c\n0,a,"), p.out());
        Path unlabelled = csv("unlabelled.csv", "x2,x1\n0.9,0.5\n0.2,10.1\n");
        CliRun q = predict(threeClasses, unlabelled.toString());
        assertEquals(0, q.status(), q.err());
        assertEquals(List.of("a", "c"), predicted(q));
        // the same probabilities for the same row, to float32's last bits: one row is a matrix-vector
        // product (OpenBLAS gemv), two rows a matrix product, which add in different orders
        String[] one = p.out().split("\n")[1].split(",");
        String[] first = q.out().split("\n")[1].split(",");
        assertEquals(one[1], first[1]);
        for (int c = 2; c < one.length; c++) {
            assertEquals(Double.parseDouble(one[c]), Double.parseDouble(first[c]), 1e-6, "p column " + c);
        }
    }

    @Test
    void aMissingFeatureColumnIsRefusedByName() throws IOException {
        Path noX1 = csv("no-x1.csv", "label,x2\na,0.9\n");
        assertRefused(evaluate(threeClasses, noX1.toString()), "evaluate", "--data " + noX1 + ": line 1: no column"
                + " 'x1': the model reads the training data's 2 feature columns [x1, x2] by name");
        assertRefused(predict(threeClasses, noX1.toString()), "predict", noX1 + ": line 1: no column 'x1'");
        Path renamed = csv("renamed.csv", "label,a,x2\na,0.5,0.9\n");
        assertRefused(predict(threeClasses, renamed.toString()), "predict", renamed + ": line 1: no column 'x1'");
    }

    @Test
    void extraColumnsAreIgnoredWithANote() throws IOException {
        Path extra = rearranged("extra.csv", "id", "x2", "note", "label", "x1");
        CliRun e = evaluate(threeClasses, extra.toString());
        assertEquals(0, e.status(), e.err());
        assertEquals(1.0, e.json().get("accuracy"));
        assertEquals(List.of("note: " + extra + ": columns 'id', 'note' ignored: not among the model's feature"
                + " columns"), notes(e));
        CliRun p = predict(threeClasses, extra.toString());
        assertEquals(0, p.status(), p.err());
        assertEquals(predict(threeClasses, inputCase("three-classes.csv")).out(), p.out());
        assertEquals(1, notes(p).size(), p.err());
    }

    @Test
    void theLabelColumnComesFromTheModel() throws IOException {
        // the label is neither named 'label' nor last: training needs --label, evaluate and predict do not
        List<String> rows = Files.readAllLines(Path.of(inputCase("three-classes.csv")));
        StringBuilder sb = new StringBuilder("x2,species,x1\n");
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            sb.append(f[2]).append(',').append(f[0]).append(',').append(f[1]).append('\n');
        }
        Path file = csv("species-middle.csv", sb.toString());
        Path model = dir.resolve("species.safetensors");
        CliRun t = run(trainArgs(file.toString(), model.toString(), "--label", "species"));
        assertEquals(0, t.status(), t.err());
        CliRun e = evaluate(model, file.toString());
        assertEquals(0, e.status(), e.err());
        assertEquals(1.0, e.json().get("accuracy"), "labels from 'species', kept in the model");
        assertEquals(List.of(), notes(e));
        CliRun p = predict(model, file.toString());
        assertEquals(0, p.status(), p.err());
        assertEquals(61, p.out().lines().count());
        assertEquals(List.of(), notes(p), "the label column is skipped without a note");
    }

    @Test
    void aLabelColumnOtherThanTheModelsIsUsedForEvaluateAndNoted() throws IOException {
        Path truth = rearranged("truth.csv", "x1", "x2", "label");
        Files.writeString(truth, Files.readString(truth).replaceFirst("label", "truth"));
        assertRefused(evaluate(threeClasses, truth.toString()), "evaluate", truth + ": line 1: no label column"
                + " 'label' (the training data's label column); the header is [x1, x2, truth]; labelled data needs"
                + " its label column: name it with --label");
        CliRun e = evaluate(threeClasses, truth.toString(), "--label", "truth");
        assertEquals(0, e.status(), e.err());
        assertEquals(1.0, e.json().get("accuracy"));
        assertEquals(List.of("note: labels read from column 'truth' (--label); the model was trained with labels from"
                + " column 'label'"), notes(e));
        assertRefused(evaluate(threeClasses, truth.toString(), "--label", "x1"), "evaluate",
                "the label column 'x1' is one of the training data's feature columns [x1, x2]; set --label to the"
                        + " label column ('label' in the training data)");
    }

    @Test
    void testDataOfAnotherImageSizeIsRefusedBeforeTraining() throws IOException {
        Path small = idxDir("small", 2, 2, 2, 2);
        Path large = idxDir("large", 3, 3, 3, 3);
        Path out = dir.resolve("model.safetensors");
        assertRefused(run("train", "--data", small.toString(), "--test-data", large.toString(), "--out",
                out.toString()), "train", "--test-data " + large + " holds 3×3 images (9 features) but the training"
                + " data has 2×2 images (4 features); give data shaped like the training data");
        Path mixed = idxDir("mixed", 2, 2, 3, 3);
        assertRefused(run("train", "--data", mixed.toString(), "--out", out.toString()), "train", "--data "
                + mixed.resolve("t10k-images-idx3-ubyte") + " holds 3×3 images (9 features) but the training images "
                + mixed.resolve("train-images-idx3-ubyte") + " have 2×2 images (4 features)");
        // the same number of values in another shape is another image
        Path tall = idxDir("tall", 2, 2, 4, 1);
        assertRefused(run("train", "--data", small.toString(), "--test-data", tall.toString(), "--out",
                out.toString()), "train", "holds 4×1 images (4 features) but the training data has 2×2 images");
        assertRefused(run("train", "--data", inputCase("three-classes.csv"), "--test-data", small.toString(),
                "--out", out.toString()), "train", "--test-data " + small + " holds 2×2 images (4 features) but the"
                + " training data has 2 feature columns [x1, x2]");
    }

    @Test
    void csvTestDataIsMatchedByNameAndAMissingColumnNamesTheFlag() throws IOException {
        Path out = dir.resolve("model.safetensors");
        Path noX2 = csv("no-x2.csv", "label,x1,x3\na,0.5,1\n");
        assertRefused(run("train", "--data", inputCase("three-classes.csv"), "--test-data", noX2.toString(), "--out",
                out.toString()), "train", "--test-data " + noX2 + ": line 1: no column 'x2'");
        CliRun reordered = run(trainArgs(inputCase("three-classes.csv"), dir.resolve("m.safetensors").toString(),
                "--test-data", inputCase("three-classes-reordered.csv"), "--json"));
        assertEquals(0, reordered.status(), reordered.err());
        assertEquals(1.0, reordered.json().get("accuracy"), "the test set read by name: 100%");
        assertEquals(60L, reordered.json().get("test_examples"));
    }

    @Test
    void dataOfAnotherShapeIsRefusedByEvaluateAndPredict() throws IOException {
        Path small = idxDir("small", 2, 2, 2, 2);
        Path large = idxDir("large", 3, 3, 3, 3);
        Path model = shared.resolve("images.safetensors");
        CliRun t = run("train", "--data", small.toString(), "--hidden", "4", "--epochs", "1", "--out", model.toString());
        assertEquals(0, t.status(), t.err());
        assertRefused(evaluate(model, large.toString()), "evaluate", "--data " + large + " holds 3×3 images (9"
                + " features) but the training data has 2×2 images (4 features)");
        Path images = large.resolve("t10k-images-idx3-ubyte");
        assertRefused(predict(model, images.toString()), "predict", "--data " + images + " holds 3×3 images (9"
                + " features) but the training data has 2×2 images (4 features)");
        assertRefused(predict(threeClasses, images.toString()), "predict", "--data " + images + " holds 3×3 images"
                + " (9 features) but the training data has 2 feature columns [x1, x2]");
        CliRun ok = predict(model, small.resolve("t10k-images-idx3-ubyte").toString());
        assertEquals(0, ok.status(), ok.err());
        assertEquals(13, ok.out().lines().count());
    }

    @Test
    void aStrayIdxLabelIsRefusedNamingTheLabelsFileAndByteOffset() throws IOException {
        String fixture = inputCase("idx-stray-label-200");
        assertRefused(run("train", "--data", fixture, "--out", dir.resolve("model.safetensors").toString()), "train",
                Path.of(fixture, "train-labels-idx1-ubyte.gz") + ": label 200 at byte offset 27 leaves classes"
                        + " without examples");
    }

    @Test
    void aClassWithTestExamplesButNoTrainingExampleIsWarnedOnce() throws IOException {
        // classes a and b alternate; the two c rows come last, and --train-limit 40 leaves them out
        StringBuilder train = new StringBuilder("label,x1,x2\n");
        for (int i = 0; i < 40; i++) {
            train.append(i % 2 == 0 ? "a,0." : "b,5.").append(i % 10).append(",0.5\n");
        }
        train.append("c,10.1,0.5\nc,10.2,0.4\n");
        Path data = csv("train.csv", train.toString());
        Path test = csv("test.csv", "label,x1,x2\na,0.3,0.5\nb,5.2,0.5\na,0.1,0.1\nb,5.9,0.9\nc,10,0.5\nc,9.8,0.6\n");
        CliRun r = run("train", "--data", data.toString(), "--test-data", test.toString(), "--validation-fraction", "0",
                "--train-limit", "40", "--hidden", "16", "--epochs", "60", "--batch-size", "8", "--seed", "1",
                "--json");
        assertEquals(0, r.status(), r.err());
        List<String> warnings = r.errLines().stream().filter(l -> l.startsWith("warning: ")).toList();
        assertEquals(List.of("warning: class 'c' (2 test) of " + data + " has examples to test on but none in the"
                + " training split, so the network cannot learn it; use more data, a smaller --test-fraction or"
                + " --validation-fraction, another --split-seed, or no --train-limit"), warnings);
        assertEquals(4.0 / 6, (Double) r.json().get("accuracy"), 1e-12, "a and b right, both c rows wrong");
    }

    @Test
    void aModelFileWithoutColumnNamesReadsByPositionAsBeforeWithANote() throws IOException {
        Path old = dir.resolve("old.safetensors");
        Safetensors.Contents contents = Safetensors.read(threeClasses);
        Map<String, String> meta = new LinkedHashMap<>(contents.metadata());
        assertEquals("[\"x1\",\"x2\"]", meta.remove("feature_names"));
        assertEquals("label", meta.remove("label_column"));
        Safetensors.write(old, meta, contents.tensors());
        CliRun e = evaluate(old, inputCase("three-classes.csv"));
        assertEquals(0, e.status(), e.err());
        assertEquals(1.0, e.json().get("accuracy"));
        assertEquals(List.of("note: " + old + " keeps no column names (a model file written before NetTricks kept"
                + " them): the columns of " + inputCase("three-classes.csv") + " are read by position; retrain on a"
                + " CSV file to have them matched by name"), notes(e));
        CliRun p = predict(old, inputCase("predict-unseen-label.csv"));
        assertEquals(0, p.status(), p.err());
        assertEquals(List.of("a"), predicted(p), "the label column is skipped by position too");
    }

    /** An IDX directory: 12 train images of h×w, 12 test images of th×tw, labels cycling over 3 classes. */
    private Path idxDir(String name, int h, int w, int th, int tw) throws IOException {
        Path d = dir.resolve(name);
        if (Files.isDirectory(d)) {
            return d;
        }
        Files.createDirectory(d);
        for (String set : new String[] {"train", "t10k"}) {
            int rows = set.equals("train") ? h : th;
            int cols = set.equals("train") ? w : tw;
            int n = 12;
            byte[] x = new byte[n * rows * cols];
            byte[] y = new byte[n];
            for (int i = 0; i < n; i++) {
                y[i] = (byte) (i % 3);
                x[i * rows * cols + y[i]] = (byte) 200;
            }
            Files.write(d.resolve(set + "-images-idx3-ubyte"), IdxBytes.of(new int[] {n, rows, cols}, x));
            Files.write(d.resolve(set + "-labels-idx1-ubyte"), IdxBytes.of(new int[] {n}, y));
        }
        return d;
    }


    // ------------------------------------------------------------- a fresh user's smaller findings

    /** Two separable classes, one named with a comma and a space, in a middle column named species. */
    private Path speciesInTheMiddle() throws IOException {
        StringBuilder csv = new StringBuilder("x1,species,x2\n");
        for (int i = 0; i < 40; i++) {
            boolean a = i % 2 == 0;
            csv.append(a ? 0.1 + i * 0.01 : 5.1 + i * 0.01).append(',').append(a ? "\"Iris setosa, wild\"" : "versicolor")
                    .append(',').append(0.5 + i % 3 * 0.1).append('\n');
        }
        return Files.writeString(dir.resolve("species.csv"), csv);
    }

    /** (a) The label column was guessed (the last one): a word in another column says so and how to name it. */
    @Test
    void aWordInAFeatureColumnSaysWhichColumnWasTakenAsTheLabel() throws IOException {
        Path data = speciesInTheMiddle();
        CliRun r = run("train", "--data", data.toString(), "--epochs", "1", "--out", dir.resolve("m.safetensors")
                .toString());
        assertRefused(r, "train", data + ": line 2: column 'species' holds 'Iris setosa, wild', which is not a number;"
                + " feature columns must be numeric; the label column is taken to be the last column, 'x2' (no column"
                + " is named 'label'); if 'species' is the label, give --label species");
        CliRun fixed = run(trainArgs(data.toString(), dir.resolve("fixed.safetensors").toString(), "--label", "species"));
        assertEquals(0, fixed.status(), fixed.err());
        assertTrue(fixed.out().contains("accuracy 100.00%"), "x1 separates the classes by 5: " + fixed.out());
        // a label column that was named: no guess to explain
        Path named = Files.writeString(dir.resolve("named.csv"), "label,x1,note\na,0.1,fine\nb,5.1,ok\n");
        CliRun n = run("train", "--data", named.toString(), "--epochs", "1");
        assertEquals(2, n.status(), n.err());
        assertTrue(n.err().contains("column 'note' holds 'fine', which is not a number; feature columns must be"
                + " numeric\n"), n.err());
    }

    /** (e) pandas's index column: a header whose first name is empty is refused with the fix. */
    @Test
    void anUnnamedFirstColumnIsRefusedAsAnIndex() throws IOException {
        Path data = Files.writeString(dir.resolve("pandas.csv"), ",x1,x2,label\n0,0.1,0.5,a\n1,5.1,0.5,b\n"
                + "2,10.1,0.5,c\n");
        CliRun r = run("train", "--data", data.toString(), "--epochs", "1", "--out", dir.resolve("m.safetensors")
                .toString());
        assertRefused(r, "train", data + ": line 1: the first column has no name (the header is [, x1, x2, label]);"
                + " an unnamed first column is almost always a row index, as pandas writes one unless told"
                + " to_csv(index=False): remove that column (or name it, if it is a feature)");
    }

    /** (d) predict --label on a model that keeps column names: a note that it is ignored; the same predictions. */
    @Test
    void predictWithALabelFlagItDoesNotNeedSaysItIsIgnored() {
        String data = inputCase("three-classes.csv");
        CliRun plain = run("predict", "--model", threeClasses.toString(), "--data", data);
        CliRun r = run("predict", "--model", threeClasses.toString(), "--data", data, "--label", "nosuch");
        assertEquals(0, r.status(), r.err());
        assertEquals(plain.out(), r.out());
        assertTrue(r.err().contains("note: --label nosuch is ignored: predict reads no labels, and " + threeClasses
                + " keeps its column names, so the columns of " + data + " are matched by name; --label is needed"
                + " only for a model file without column names"), r.err());
        assertFalse(plain.err().contains("--label"), plain.err());
    }

    /** (f) A model file cut inside its header: the message says it looks truncated. */
    @Test
    void aModelFileCutInsideItsHeaderIsCalledTruncated() throws IOException {
        byte[] whole = Files.readAllBytes(threeClasses);
        long headerLength = java.nio.ByteBuffer.wrap(whole, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertTrue(headerLength > 992, "the header runs past byte 1000: " + headerLength);
        Path cut = Files.write(dir.resolve("cut.safetensors"), java.util.Arrays.copyOf(whole, 1000));
        CliRun r = run("evaluate", "--model", cut.toString(), "--data", inputCase("three-classes.csv"));
        assertRefused(r, "evaluate", cut + ": not a valid safetensors file: header length " + headerLength + " at byte"
                + " offset 0 is impossible for a file of 1000 bytes: the file is truncated (it ends inside its header,"
                + " which needs " + (headerLength + 8) + " bytes) or not a safetensors file; copy or download it again");
        Path text = Files.writeString(dir.resolve("text.safetensors"), "label,x1,x2\na,1,2\n");
        CliRun t = run("evaluate", "--model", text.toString(), "--data", inputCase("three-classes.csv"));
        assertRefused(t, "evaluate", "impossible for a file of 18 bytes: it is not a safetensors file");
    }
}
