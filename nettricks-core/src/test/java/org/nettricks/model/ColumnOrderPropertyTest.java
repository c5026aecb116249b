package org.nettricks.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.nettricks.config.RecipeSettings;
import org.nettricks.data.CsvReader;
import org.nettricks.data.Dataset;
import org.nettricks.evaluation.Evaluation;
import org.nettricks.experiment.Experiment;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.training.TrainingListener;

/**
 * Issue 14, class 2, the class as a property: three-classes.csv with its columns in any order, and
 * with columns the model does not know inserted anywhere (numbers or text), gives a model trained on
 * the original file the same features, labels, probabilities (bit for bit) and accuracy as the
 * original file, for evaluate (labels read) and for predict (labels ignored).
 */
class ColumnOrderPropertyTest {
    private static Classifier model;
    private static List<String[]> table; // the original file: header, then rows
    private static Dataset original;
    private static Matrix originalProbabilities;
    private static Evaluation originalEvaluation;

    private static synchronized void setUp() throws IOException {
        if (model != null) {
            return;
        }
        String path = InputSchemaModelFileTest.threeClasses();
        try (JavaBackend backend = new JavaBackend(1)) {
            model = Experiment.prepare(RecipeSettings.of("data", path, "hidden", "8", "epochs", "20", "batch-size", "8",
                    "seed", "1"), backend).run(TrainingListener.NONE).model();
        }
        table = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(path))) {
            table.add(line.split(","));
        }
        original = read(Files.readString(Path.of(path)), false);
        originalProbabilities = model.probabilities(original);
        originalEvaluation = model.evaluate(original);
    }

    /** A rearrangement: the original columns in {@code order}, and extra columns inserted at positions. */
    record Layout(List<Integer> order, List<Integer> extraAt, List<Boolean> extraIsText) {
    }

    @Provide
    Arbitrary<Layout> layouts() {
        Arbitrary<List<Integer>> order = Arbitraries.shuffle(0, 1, 2);
        Arbitrary<List<Integer>> extraAt = Arbitraries.integers().between(0, 5).list().ofMaxSize(3);
        Arbitrary<List<Boolean>> text = Arbitraries.of(true, false).list().ofSize(3);
        return Combinators.combine(order, extraAt, text).as(Layout::new);
    }

    @Property(tries = 10_000)
    void anyColumnOrderGivesTheSameFeaturesProbabilitiesAndAccuracy(@ForAll("layouts") Layout layout,
                                                                     @ForAll boolean predict) throws IOException {
        setUp();
        List<List<String>> columns = new ArrayList<>();
        for (int c : layout.order()) {
            List<String> column = new ArrayList<>();
            for (String[] row : table) {
                column.add(row[c]);
            }
            columns.add(column);
        }
        for (int e = 0; e < layout.extraAt().size(); e++) {
            List<String> column = new ArrayList<>(List.of("extra" + e));
            for (int i = 1; i < table.size(); i++) {
                column.add(layout.extraIsText().get(e) ? "\"text, " + i + "\"" : Integer.toString(i * 7));
            }
            columns.add(Math.min(layout.extraAt().get(e), columns.size()), column);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < table.size(); i++) {
            List<String> fields = new ArrayList<>();
            for (List<String> column : columns) {
                fields.add(column.get(i));
            }
            sb.append(String.join(",", fields)).append('\n');
        }
        Dataset d = read(sb.toString(), predict);
        assertArrayEquals(original.features(), d.features());
        assertEquals(layout.extraAt().size(), d.ignoredColumns().size());
        Matrix p = model.probabilities(d);
        for (int i = 0; i < p.size(); i++) {
            assertEquals(Double.doubleToRawLongBits(originalProbabilities.getFlat(i)),
                    Double.doubleToRawLongBits(p.getFlat(i)));
        }
        if (predict) {
            assertEquals(false, d.hasLabels());
        } else {
            assertArrayEquals(original.labels(), d.labels());
            Evaluation e = model.evaluate(d);
            assertEquals(originalEvaluation.accuracy(), e.accuracy());
            assertEquals(originalEvaluation.loss(), e.loss());
        }
    }

    private static Dataset read(String text, boolean predict) {
        return CsvReader.read("t.csv", new BufferedReader(new StringReader(text)),
                CsvReader.Options.forModel(model.inputSchema(), null, model.classNames(), 2, predict));
    }
}
