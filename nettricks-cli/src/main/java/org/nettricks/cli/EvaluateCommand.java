package org.nettricks.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.EnumSet;
import java.util.List;

import org.nettricks.data.Dataset;
import org.nettricks.io.internal.Json;
import org.nettricks.model.Classifier;
import org.nettricks.evaluation.ClassificationMetrics;
import org.nettricks.evaluation.Evaluation;
import org.nettricks.evaluation.RegressionMetrics;

/** {@code nettricks evaluate}: a saved model on labelled data. */
final class EvaluateCommand extends Command {
    EvaluateCommand() {
        super(new Definition("evaluate",
                "loss, error, accuracy, confusion matrix and per-class metrics of a saved model on labelled data",
                List.of("usage: nettricks evaluate --model FILE --data SOURCE [flags]"), """
                Loss (nats), classification error, accuracy and the per-class confusion matrix of a
                saved model on labelled data; then per-class precision, recall, F1 and one-vs-rest
                ROC-AUC with their macro and weighted averages, balanced accuracy, top-k accuracy and
                log loss, as scikit-learn's sklearn.metrics defines them (docs/tasks.md). The model normalizes the inputs with the statistics of its
                own training set. CSV columns are matched by the names of the training data's columns, in
                any order; other columns are ignored (with a note).

                An example whose output is not finite (its values overflow the model's precision, e.g.
                a feature of 3e38 that standardization makes infinite in float32) has no predicted
                class: it counts as an error and is left out of the confusion matrix. An example whose
                output is finite has its class, even if the model gives its true class probability 0
                (its loss -log p is then infinite). When the loss is not finite, the figures are
                printed, the first examples that make it so are listed on standard error with the
                reason, and the exit status is 1.""",
                EnumSet.of(Shared.THREADS), List.of(
                Flag.value("evaluate", "--model", "FILE", "a model written by nettricks train --out (required)"),
                Flag.value("evaluate", "--data", "SOURCE", "a labelled CSV file, an IDX directory or fashion-mnist"
                        + " (their t10k test files), or digits (all 1,797 examples, those train learned from too; to score"
                        + " train's held-out test split, read its own test line) (required)"),
                Flag.value("evaluate", "--label", "COLUMN", "CSV label column, by name or 0-based index (default: the"
                        + " training data's label column, kept in the model)"),
                delimiterFlag("evaluate"),
                Flag.toggle("evaluate", "--json", "print the figures as one JSON object"))));
    }

    @Override
    int run(Invocation invocation) {
        Flags flags = invocation.flags();
        PrintStream out = invocation.out();
        try (Backends.Opened opened = invocation.openBackend()) {
            ModelAndData loaded = ModelAndData.load(invocation, opened, true);
            Path modelPath = loaded.modelPath();
            Classifier model = loaded.model();
            Dataset dataset = loaded.dataset();
            opened.announce();
            if (model.isRegression()) {
                RegressionMetrics r = model.evaluateRegression(dataset);
                if (flags.has("--json")) {
                    Map<String, Object> m = RegressionOutput.json(r);
                    m.put("target_names", model.targetScaling().names());
                    out.println(Json.write(m));
                } else {
                    out.println("model " + modelPath + " (" + model.network().architecture().describe()
                            + ", regression) on " + dataset.source() + ": " + r.size() + " examples");
                    RegressionOutput.print(out, "", r);
                }
                if (!Double.isFinite(r.loss())) {
                    invocation.err().println("nettricks evaluate: the loss is " + r.loss() + ", not a finite number"
                            + " (some outputs overflow); exit status 1");
                    return Main.FAILED;
                }
                return 0;
            }
            Evaluation e = model.evaluate(dataset);
            ClassificationMetrics metrics = ClassificationMetrics.of(dataset.labels(), model.probabilities(dataset));
            if (flags.has("--json")) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("accuracy", e.accuracy());
                m.put("error", e.error());
                m.put("loss", e.loss());
                m.put("examples", e.size());
                m.put("non_finite_outputs", e.nonFinite());
                m.put("class_names", model.classNames());
                m.put("confusion", java.util.Arrays.asList((Object[]) e.confusion()));
                m.put("per_class", perClass(metrics, model.classNames()));
                for (String average : List.of("macro", "weighted")) {
                    boolean macro = average.equals("macro");
                    Map<String, Object> a = new LinkedHashMap<>();
                    a.put("precision", macro ? metrics.macroPrecision() : metrics.weightedPrecision());
                    a.put("recall", macro ? metrics.macroRecall() : metrics.weightedRecall());
                    a.put("f1", macro ? metrics.macroF1() : metrics.weightedF1());
                    a.put("roc_auc", macro ? metrics.macroRocAuc() : metrics.weightedRocAuc());
                    m.put(average, a);
                }
                m.put("balanced_accuracy", metrics.balancedAccuracy());
                Map<String, Object> topK = new LinkedHashMap<>();
                for (int k = 1; k <= metrics.classes(); k++) {
                    topK.put(Integer.toString(k), metrics.topKAccuracy(k));
                }
                m.put("top_k_accuracy", topK);
                m.put("log_loss", metrics.logLoss());
                out.println(Json.write(m));
            } else {
                out.println("model " + modelPath + " (" + model.network().architecture().describe() + ") on "
                        + dataset.source() + ": " + e.size() + " examples");
                out.println(String.format(Locale.ROOT, "loss %s nats  error %s  accuracy %s", Format.loss(e.loss()),
                        Format.percent(e.error()), Format.percent(e.accuracy())));
                out.print(Format.confusion(e, model.classNames()));
                out.print(Format.metrics(metrics, model.classNames()));
                if (e.nonFinite() > 0) {
                    out.println(e.nonFinite() == 1
                            ? "1 example with a non-finite output has no predicted class: counted as an error, not in"
                                    + " the matrix"
                            : e.nonFinite() + " examples with a non-finite output have no predicted class: counted as"
                                    + " errors, not in the matrix");
                }
            }
            if (!e.finite()) {
                int[] rows = Classifier.nonFiniteRows(model.probabilities(dataset));
                if (rows.length > 0) {
                    NonFiniteOutputs.list(invocation.err(), "evaluate", model, dataset, rows);
                }
                int[] infinite = model.infiniteLossRows(dataset);
                if (infinite.length > 0) {
                    NonFiniteOutputs.listInfiniteLosses(invocation.err(), model, dataset, infinite);
                }
                invocation.err().println("nettricks evaluate: the loss is " + e.loss() + ", not a finite number;"
                        + " exit status 1");
                return Main.FAILED;
            }
        }
        return 0;
    }

    /** Each class's figures, in class order, for the JSON output. */
    private static List<Map<String, Object>> perClass(ClassificationMetrics metrics, List<String> names) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (int c = 0; c < metrics.classes(); c++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("class", names.get(c));
            m.put("precision", metrics.precision(c));
            m.put("recall", metrics.recall(c));
            m.put("f1", metrics.f1(c));
            m.put("support", metrics.support(c));
            m.put("roc_auc", metrics.rocAuc(c));
            out.add(m);
        }
        return out;
    }
}
