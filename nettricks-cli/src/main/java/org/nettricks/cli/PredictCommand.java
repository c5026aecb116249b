package org.nettricks.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.EnumSet;

import org.nettricks.data.DataSources;
import org.nettricks.data.Dataset;
import org.nettricks.io.AtomicFiles;
import org.nettricks.model.ModelFile;
import org.nettricks.model.Classifier;
import org.nettricks.tensor.Matrix;

/** {@code nettricks predict}: classes and probabilities as CSV. */
final class PredictCommand extends Command {
    PredictCommand() {
        super(new Definition("predict",
                "predicted class and class probabilities of a saved model, as CSV",
                List.of("usage: nettricks predict --model FILE --data SOURCE [--out FILE.csv]"), """
                Writes one CSV row per example: its index, the predicted class name, and the
                probability f(x)_c of every class c (columns p_<class>). A label column, if the CSV has
                one, is ignored for prediction.""",
                EnumSet.of(Shared.THREADS), List.of(
                Flag.value("predict", "--model", "FILE", "a model written by nettricks train --out (required)"),
                Flag.value("predict", "--data", "SOURCE", "a CSV file (with or without its label column), an IDX image"
                        + " file, an IDX directory or fashion-mnist (t10k images), or digits (required)"),
                Flag.value("predict", "--label", "COLUMN", "CSV label column, by name or 0-based index"),
                delimiterFlag("predict"),
                Flag.value("predict", "--out", "FILE", "write the CSV to FILE atomically instead of standard"
                        + " output"))));
    }

    @Override
    int run(Invocation invocation) {
        Flags flags = invocation.flags();
        Path modelPath = Path.of(flags.required("--model", "model.safetensors"));
        String data = flags.required("--data", "inputs.csv");
        Path target = flags.has("--out") ? new OutputPaths().file("--out", flags.string("--out", null)) : null;
        try (Backends.Opened opened = invocation.openBackend()) {
            Classifier model = ModelFile.load(modelPath, opened.backend());
            int inputs = model.network().architecture().inputSize();
            Dataset dataset = DataSources.loadForPrediction(data, flags.string("--label", null), model.classNames(),
                    inputs, csvDelimiter(flags));
            if (dataset.featureCount() != inputs) {
                throw new UsageException("--data " + data + " has " + dataset.featureCount() + " features but the"
                        + " model takes " + inputs + "; predict on data shaped like the training data");
            }
            opened.announce();
            String csv = toCsv(model.classNames(), model.probabilities(dataset));
            if (target != null) {
                try {
                    AtomicFiles.write(target, o -> o.write(csv.getBytes(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw OutputPaths.writeFailed("--out", target, e);
                }
            } else {
                invocation.out().print(csv);
            }
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
            for (int c = 1; c < p.cols(); c++) {
                if (p.get(i, c) > p.get(i, best)) {
                    best = c;
                }
            }
            sb.append(i).append(',').append(csvField(classNames.get(best)));
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
