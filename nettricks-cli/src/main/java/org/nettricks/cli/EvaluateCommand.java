package org.nettricks.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.nettricks.data.DataSources;
import org.nettricks.data.Dataset;
import org.nettricks.io.Json;
import org.nettricks.model.ModelFile;
import org.nettricks.model.Classifier;
import org.nettricks.tensor.Backend;
import org.nettricks.evaluation.Evaluation;

/** {@code nettricks evaluate}: a saved model on labelled data. */
final class EvaluateCommand {
    static final String HELP = """
            usage: nettricks evaluate --model FILE --data SOURCE [flags]

            Loss (nats), classification error, accuracy and the per-class confusion matrix of a
            saved model on labelled data. The model normalizes the inputs with the statistics of its
            own training set.

              --model FILE      a model written by nettricks train --out                   (required)
              --data SOURCE     a labelled CSV file, an IDX directory or fashion-mnist (their
                                t10k test files), or digits                                (required)
              --label COLUMN    CSV label column, by name or 0-based index
              --threads N       threads for the matrix products                (default: all cores)
              --backend B       auto (OpenBLAS when it loads, else Java), java or openblas
              --json            print the figures as one JSON object
            """;
    private static final Set<String> VALUED = Set.of("--model", "--data", "--label", "--threads", "--backend");
    private static final Set<String> BOOLEAN = Set.of("--json", "--help");

    private final PrintStream out;
    private final PrintStream err;

    EvaluateCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        Flags flags = Flags.parse("evaluate", args, VALUED, BOOLEAN);
        if (flags.has("--help")) {
            out.print(HELP);
            return 0;
        }
        Path modelPath = Path.of(flags.required("--model", "model.safetensors"));
        String data = flags.required("--data", "test.csv");
        int threads = flags.integer("--threads", Runtime.getRuntime().availableProcessors(), 1, "2");
        Backends.Opened opened = Backends.open(Backends.choice(flags), threads);
        try (Backend backend = opened.backend()) {
            Classifier model = ModelFile.load(modelPath, backend);
            int inputs = model.network().architecture().inputSize();
            Dataset dataset = DataSources.loadTestData(data, flags.string("--label", null), model.classNames(), inputs);
            if (dataset.featureCount() != inputs) {
                throw new UsageException("--data " + data + " has " + dataset.featureCount() + " features but the"
                        + " model takes " + inputs + "; evaluate on data shaped like the training data");
            }
            opened.announce(err);
            Evaluation e = model.evaluate(dataset);
            if (flags.has("--json")) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("accuracy", e.accuracy());
                m.put("error", e.error());
                m.put("loss", e.loss());
                m.put("examples", e.size());
                m.put("class_names", model.classNames());
                m.put("confusion", java.util.Arrays.asList((Object[]) e.confusion()));
                out.println(Json.write(m));
            } else {
                out.println("model " + modelPath + " (" + model.network().architecture().describe() + ") on "
                        + dataset.source() + ": " + e.size() + " examples");
                out.println(String.format(Locale.ROOT, "loss %s nats  error %s  accuracy %s", Format.loss(e.loss()),
                        Format.percent(e.error()), Format.percent(e.accuracy())));
                out.print(Format.confusion(e, model.classNames()));
            }
        }
        return 0;
    }
}
