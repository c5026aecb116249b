package org.nettricks.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.EnumSet;

import org.nettricks.InvalidInputException;
import org.nettricks.data.DataSources;
import org.nettricks.data.Dataset;
import org.nettricks.io.AtomicFiles;
import org.nettricks.model.Classifier;
import org.nettricks.tensor.Matrix;

/** {@code nettricks predict}: classes and probabilities as CSV. */
final class PredictCommand extends Command {
    PredictCommand() {
        super(new Definition("predict",
                "a saved model's predictions as CSV: class and class probabilities, or predicted values",
                List.of("usage: nettricks predict --model FILE --data SOURCE [--out FILE.csv]"), """
                Writes one CSV row per example: its index, the predicted class name, and the
                probability f(x)_c of every class c (columns p_<class>). CSV columns are matched by the
                names of the training data's columns, in any order; the label column, if the CSV has one,
                is not read, and other columns are ignored (with a note).

                An example whose output is not finite (its values overflow the model's precision, e.g.
                a feature of 3e38 that standardization makes infinite in float32) has no predicted
                class: its predicted field is empty and its probabilities are written as computed
                (NaN or Infinity). The other rows are written as usual, the first such examples are
                listed on standard error, and the exit status is 1.""",
                EnumSet.of(Shared.THREADS), List.of(
                Flag.value("predict", "--model", "FILE", "a model written by nettricks train --out (required)"),
                Flag.value("predict", "--data", "SOURCE", "a CSV file (with or without its label column), an IDX image"
                        + " file, an IDX directory or fashion-mnist (t10k images), or digits (required)"),
                Flag.value("predict", "--label", "COLUMN", "CSV label column to skip, by name or 0-based index; needed"
                        + " only for a model file that keeps no column names"),
                delimiterFlag("predict"),
                Flag.value("predict", "--out", "FILE", "write the CSV to FILE atomically instead of standard"
                        + " output"))));
    }

    @Override
    int run(Invocation invocation) {
        Flags flags = invocation.flags();
        Path target = flags.has("--out") ? new OutputPaths().input("--model", flags.string("--model", null))
                .input("--data", flags.string("--data", null))
                .file("--out", flags.string("--out", null), "predictions.csv") : null;
        try (Backends.Opened opened = invocation.openBackend()) {
            ModelAndData loaded = ModelAndData.load(invocation, opened, false);
            Classifier model = loaded.model();
            Dataset dataset = loaded.dataset();
            opened.announce();
            if (model.isRegression()) {
                return predictValues(invocation, model, dataset, target);
            }
            Matrix probabilities = model.probabilities(dataset);
            String csv = toCsv(model.classNames(), probabilities);
            if (target != null) {
                try {
                    AtomicFiles.write(target, o -> o.write(csv.getBytes(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw OutputPaths.writeFailed("--out", target, e);
                }
            } else {
                invocation.out().print(csv);
            }
            int[] nonFinite = Classifier.nonFiniteRows(probabilities);
            if (nonFinite.length > 0) {
                NonFiniteOutputs.list(invocation.err(), "predict", model, dataset, nonFinite);
                return Main.FAILED;
            }
        }
        return 0;
    }

    /**
     * A regressor's predictions in original units: a CSV with the header {@code index} and the
     * target names, one row per example; a non-finite output is written as an empty field and makes
     * the exit status 1.
     */
    private static int predictValues(Invocation invocation, Classifier model, Dataset dataset, Path target) {
        double[] y = model.predictValues(dataset);
        List<String> names = model.targetScaling().names();
        int k = names.size();
        StringBuilder sb = new StringBuilder("index");
        for (String n : names) {
            sb.append(',').append(csvField(n));
        }
        sb.append('\n');
        int nonFinite = 0;
        int first = -1;
        for (int i = 0; i < dataset.size(); i++) {
            sb.append(i);
            boolean finite = true;
            for (int j = 0; j < k; j++) {
                double v = y[i * k + j];
                finite &= Double.isFinite(v);
                sb.append(',').append(Double.isFinite(v) ? Double.toString(v) : "");
            }
            if (!finite) {
                nonFinite++;
                first = first < 0 ? i : first;
            }
            sb.append('\n');
        }
        String csv = sb.toString();
        if (target != null) {
            try {
                AtomicFiles.write(target, o -> o.write(csv.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw OutputPaths.writeFailed("--out", target, e);
            }
        } else {
            invocation.out().print(csv);
        }
        if (nonFinite > 0) {
            invocation.err().println("nettricks predict: " + nonFinite + " of " + dataset.size() + " examples (the first"
                    + " is index " + first + ") have a non-finite output (the network's values overflow), written as"
                    + " empty fields; exit status 1");
            return Main.FAILED;
        }
        return 0;
    }

    static String toCsv(List<String> classNames, Matrix p) {
        StringBuilder sb = new StringBuilder("index,predicted");
        for (String c : classNames) {
            sb.append(',').append(csvField("p_" + c));
        }
        sb.append('\n');
        for (int i = 0; i < p.rows(); i++) {
            int best = 0;
            boolean finite = Double.isFinite(p.get(i, 0));
            for (int c = 1; c < p.cols(); c++) {
                finite &= Double.isFinite(p.get(i, c));
                if (p.get(i, c) > p.get(i, best)) {
                    best = c;
                }
            }
            // no class for a non-finite output: the argmax of a row with NaN means nothing
            sb.append(i).append(',').append(finite ? csvField(classNames.get(best)) : "");
            for (int c = 0; c < p.cols(); c++) {
                sb.append(',').append((float) p.get(i, c));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String csvField(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }
}
