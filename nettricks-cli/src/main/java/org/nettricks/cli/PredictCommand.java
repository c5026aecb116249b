package org.nettricks.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.nettricks.InvalidInputException;
import org.nettricks.data.DataSources;
import org.nettricks.data.Dataset;
import org.nettricks.io.AtomicFiles;
import org.nettricks.model.ModelFile;
import org.nettricks.model.Classifier;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.Matrix;

/** {@code nettricks predict}: classes and probabilities as CSV. */
final class PredictCommand {
    static final String HELP = """
            usage: nettricks predict --model FILE --data SOURCE [--out FILE.csv]

            Writes one CSV row per example: its index, the predicted class name, and the
            probability f(x)_c of every class c (columns p_<class>). A label column, if the CSV has
            one, is ignored for prediction.

              --model FILE      a model written by nettricks train --out                   (required)
              --data SOURCE     a CSV file (with or without its label column), an IDX image file,
                                an IDX directory or fashion-mnist (t10k images), or digits (required)
              --label COLUMN    CSV label column, by name or 0-based index
              --out FILE        write the CSV to FILE atomically instead of standard output
              --threads N       threads for the matrix products                (default: all cores)
              --backend B       auto (OpenBLAS when it loads, else Java), java or openblas
            """;
    private static final Set<String> VALUED = Set.of("--model", "--data", "--label", "--out", "--threads", "--backend");
    private static final Set<String> BOOLEAN = Set.of("--help");

    private final PrintStream out;
    private final PrintStream err;

    PredictCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        Flags flags = Flags.parse("predict", args, VALUED, BOOLEAN);
        if (flags.has("--help")) {
            out.print(HELP);
            return 0;
        }
        Path modelPath = Path.of(flags.required("--model", "model.safetensors"));
        String data = flags.required("--data", "inputs.csv");
        int threads = flags.integer("--threads", Runtime.getRuntime().availableProcessors(), 1, "2");
        Backends.Opened opened = Backends.open(Backends.choice(flags), threads);
        try (Backend backend = opened.backend()) {
            Classifier model = ModelFile.load(modelPath, backend);
            int inputs = model.network().architecture().inputSize();
            Dataset dataset = DataSources.loadForPrediction(data, flags.string("--label", null), model.classNames(),
                    inputs);
            if (dataset.featureCount() != inputs) {
                throw new UsageException("--data " + data + " has " + dataset.featureCount() + " features but the"
                        + " model takes " + inputs + "; predict on data shaped like the training data");
            }
            opened.announce(err);
            String csv = toCsv(model.classNames(), model.probabilities(dataset));
            if (flags.has("--out")) {
                Path target = Path.of(flags.string("--out", null));
                try {
                    AtomicFiles.write(target, o -> o.write(csv.getBytes(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    throw new InvalidInputException("--out " + target + ": cannot write: " + e.getMessage());
                }
            } else {
                out.print(csv);
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
