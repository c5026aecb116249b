package org.nettricks.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.nettricks.InvalidInputException;
import org.nettricks.NetTricks;
import org.nettricks.activations.Activation;
import org.nettricks.data.Dataset;
import org.nettricks.data.Normalization;
import org.nettricks.io.Json;
import org.nettricks.io.ModelFile;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Precision;
import org.nettricks.training.EpochReport;
import org.nettricks.training.Experiment;
import org.nettricks.training.Recipe;

/** {@code nettricks train}: flags → {@link Recipe} → {@link Experiment}. */
final class TrainCommand {
    static final String HELP = """
            usage: nettricks train --data SOURCE [flags]

            Trains a multilayer network with softmax outputs and the negative log-likelihood by
            mini-batch SGD, prints one line per epoch, evaluates once on the test set, and saves the
            model (safetensors) when --out is given.

            data:
              --data SOURCE              digits (built in), fashion-mnist, a directory of IDX files,
                                         or a CSV file with a header row                   (required)
              --test-data FILE           separate labelled test set; default: the source's own test
                                         set (IDX t10k files), else a held-out --test-fraction
              --label COLUMN             CSV label column, by name or 0-based index
                                                                       (default: 'label', else last)
              --validation-fraction F    share of training data held out for validation, 0 for
                                         none                                       (default: %s)
              --test-fraction F          share held out as test set when there is none  (default: %s)
              --normalize KIND           auto, scale ([0,1]), standardize or none   (default: %s;
                                         auto scales data of known range such as pixels, else
                                         standardizes; statistics come from the training set only)
            network:
              --hidden SIZES             hidden layer sizes, e.g. 1024,1024; 'none' for softmax
                                         regression                                   (default: %s)
              --activation NAME          linear, sigmoid, tanh or relu                (default: %s)
            optimization:
              --optimizer NAME           sgd                                          (default: sgd)
              --lr ALPHA                 learning rate, > 0                           (default: %s)
              --batch-size B             examples per mini-batch; 1 = per-example SGD (default: %d)
              --epochs N                 passes over the training set                 (default: %d)
              --seed S                   seed of every random choice                  (default: %d)
              --precision P              float32 or float64                           (default: %s)
              --threads N                threads for the matrix products     (default: all cores)
            output:
              --out FILE                 save the trained model (safetensors) to FILE, atomically
              --json                     print the final figures as one JSON object on standard
                                         output (the progress goes to standard error)
              --verbose                  stack traces on errors
            """;

    private static final Set<String> VALUED = Set.of("--data", "--test-data", "--label", "--validation-fraction",
            "--test-fraction", "--normalize", "--hidden", "--activation", "--optimizer", "--lr", "--batch-size",
            "--epochs", "--seed", "--precision", "--threads", "--out");
    private static final Set<String> BOOLEAN = Set.of("--json", "--help");

    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;

    TrainCommand(PrintStream out, PrintStream err, boolean interactive) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    static String help() {
        Recipe d = Recipe.defaults();
        return String.format(Locale.ROOT, HELP, d.validationFraction(), d.testFraction(), d.normalization(),
                d.hiddenSizes().toString().replaceAll("[\\[\\] ]", ""), d.activation().displayName(), d.learningRate(),
                d.batchSize(), d.epochs(), d.seed(), d.precision().displayName());
    }

    int run(String[] args) {
        Flags flags = Flags.parse("train", args, VALUED, BOOLEAN);
        if (flags.has("--help")) {
            out.print(help());
            return 0;
        }
        Recipe recipe = recipeFrom(flags);
        int threads = flags.integer("--threads", Runtime.getRuntime().availableProcessors(), 1, "2");
        Path outPath = flags.has("--out") ? Path.of(flags.string("--out", null)) : null;
        if (outPath != null) {
            Path dir = outPath.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                throw new UsageException("--out " + outPath + ": directory " + dir + " does not exist; create it or"
                        + " choose another path");
            }
            if (Files.isDirectory(outPath)) {
                throw new UsageException("--out " + outPath + " is a directory; give a file name such as "
                        + outPath.resolve("model.safetensors"));
            }
        }
        boolean json = flags.has("--json");
        PrintStream lines = json ? err : out;

        try (JavaBackend backend = new JavaBackend(threads)) {
            Experiment experiment = Experiment.prepare(recipe, backend);
            Dataset train = experiment.train();
            lines.println("nettricks " + NetTricks.VERSION + " train · backend " + backend.name() + " x"
                    + backend.threads() + " · seed " + recipe.seed());
            lines.println("data " + recipe.data() + ": " + train.size() + " train, "
                    + (experiment.validation() == null ? 0 : experiment.validation().size()) + " validation, "
                    + experiment.test().size() + " test · " + train.featureCount() + " features · "
                    + train.classCount() + " classes · normalization " + experiment.normalization().kind().displayName());
            lines.println("network " + experiment.network().architecture().describe() + " "
                    + recipe.activation().displayName() + " · init glorot · sgd lr " + recipe.learningRate()
                    + " · batch " + recipe.batchSize() + " · " + recipe.epochs() + " epochs · "
                    + recipe.precision().displayName());
            ConsoleReporter reporter = new ConsoleReporter(lines, interactive ? err : null, recipe.epochs());
            reporter.printHeader();
            Experiment.Result result = experiment.run(reporter);
            lines.println(String.format(Locale.ROOT, "test: loss %s  error %s  accuracy %s  (%d examples)",
                    Format.loss(result.test().loss()), Format.percent(result.test().error()),
                    Format.percent(result.test().accuracy()), result.test().size()));
            lines.println(String.format(Locale.ROOT, "trained %d epochs in %.1f s, %s examples/s",
                    result.epochs().size(), result.trainingSeconds(), Format.rate(result.examplesPerSecond())));
            if (outPath != null) {
                try {
                    ModelFile.save(result.model(), outPath);
                } catch (IOException e) {
                    throw new InvalidInputException("--out " + outPath + ": cannot write the model: " + e.getMessage());
                }
                lines.println("model saved to " + outPath);
            }
            if (json) {
                out.println(Json.write(summary(recipe, result, outPath)));
            }
        }
        return 0;
    }

    private static Map<String, Object> summary(Recipe recipe, Experiment.Result result, Path outPath) {
        EpochReport last = result.epochs().get(result.epochs().size() - 1);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accuracy", result.test().accuracy());
        m.put("error", result.test().error());
        m.put("loss", result.test().loss());
        m.put("test_examples", result.test().size());
        m.put("epochs", result.epochs().size());
        m.put("examples_per_second", result.examplesPerSecond());
        m.put("training_seconds", result.trainingSeconds());
        m.put("final_train_loss", last.trainLoss());
        m.put("final_train_error", last.trainError());
        m.put("final_validation_loss", last.validationLoss());
        m.put("final_validation_error", last.validationError());
        m.put("model", outPath == null ? null : outPath.toString());
        m.put("recipe", recipe.toMap());
        m.put("nettricks_version", NetTricks.VERSION);
        return m;
    }

    private static Recipe recipeFrom(Flags flags) {
        Recipe d = Recipe.defaults();
        String data = flags.required("--data", "digits");
        Activation activation;
        try {
            activation = Activation.parse(flags.string("--activation", d.activation().displayName()));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--activation: " + e.getMessage());
        }
        String optimizer = flags.string("--optimizer", "sgd");
        if (!optimizer.equals("sgd")) {
            throw new UsageException("--optimizer must be sgd, got '" + optimizer + "'; the adaptive optimizers"
                    + " are not implemented yet");
        }
        String normalization = flags.string("--normalize", d.normalization());
        if (!normalization.equals("auto")) {
            try {
                Normalization.Kind.parse(normalization);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--normalize must be auto, scale, standardize or none, got '"
                        + normalization + "'");
            }
        }
        Precision precision;
        try {
            precision = Precision.parse(flags.string("--precision", d.precision().displayName()));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--precision: " + e.getMessage());
        }
        return new Recipe(data, flags.string("--test-data", null), flags.string("--label", null),
                flags.number("--validation-fraction", d.validationFraction(), 0, true, 1, false, "0.1"),
                flags.number("--test-fraction", d.testFraction(), 0, false, 1, false, "0.2"),
                normalization,
                flags.sizes("--hidden", d.hiddenSizes(), "256,128"),
                activation,
                flags.number("--lr", d.learningRate(), 0, false, Double.POSITIVE_INFINITY, false, "0.1"),
                flags.integer("--batch-size", d.batchSize(), 1, "64"),
                flags.integer("--epochs", d.epochs(), 1, "10"),
                flags.longValue("--seed", d.seed()),
                precision);
    }
}
