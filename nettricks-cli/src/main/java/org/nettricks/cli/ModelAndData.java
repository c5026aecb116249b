package org.nettricks.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import org.nettricks.data.DataSources;
import org.nettricks.data.Dataset;
import org.nettricks.data.InputSchema;
import org.nettricks.model.Classifier;
import org.nettricks.model.ModelFile;

/**
 * What {@code evaluate} and {@code predict} share: the model of {@code --model}, and the data of
 * {@code --data} read as the model's inputs (CSV columns matched by the training header's names,
 * the label column from the model unless {@code --label} names another), with one note line on
 * standard error for each thing the reading decided that the user may not expect.
 *
 * @param modelPath the model file
 * @param data      the data source as given
 */
record ModelAndData(Path modelPath, Classifier model, String data, Dataset dataset) {
    /**
     * Loads both.
     *
     * @param labelled labels are read (evaluate) rather than ignored (predict)
     * @throws org.nettricks.InvalidInputException when either cannot be read or they do not fit each other
     */
    static ModelAndData load(Invocation invocation, Backends.Opened opened, boolean labelled) {
        Flags flags = invocation.flags();
        Path modelPath = Path.of(flags.required("--model", "model.safetensors"));
        String data = flags.required("--data", labelled ? "test.csv" : "inputs.csv");
        Classifier model = ModelFile.load(modelPath, opened.backend());
        InputSchema schema = model.inputSchema();
        Dataset dataset;
        if (model.isRegression()) { // the targets are read by the model's target names, or --label's
            List<String> targets = model.targetScaling().names();
            if (flags.has("--label")) {
                targets = List.of(flags.string("--label", null).split(",", -1)).stream().map(String::trim).toList();
                if (targets.size() != model.targetScaling().count()) {
                    throw new UsageException("--label " + flags.string("--label", null) + " names " + targets.size()
                            + " target columns but " + modelPath + " predicts " + model.targetScaling().count() + " "
                            + model.targetScaling().names() + "; name one column per target, in this order");
                }
            }
            dataset = labelled && !flags.has("--label")
                    ? DataSources.loadForModelTargets(data, "data", targets, schema,
                            model.network().architecture().inputSize(), Command.csvDelimiter(flags))
                    : DataSources.loadForRegression(data, "data", targets, schema,
                            model.network().architecture().inputSize(), labelled, Command.csvDelimiter(flags));
        } else {
            dataset = DataSources.loadForModel(data, "data", schema, model.network().architecture().inputSize(),
                    model.classNames(), flags.string("--label", null), labelled, Command.csvDelimiter(flags));
        }
        PrintStream err = invocation.err();
        InputSchema read = dataset.schema();
        boolean csv = read != null && read.hasNames();
        if (csv && (schema == null || !schema.hasNames())) {
            err.println("note: " + modelPath + " keeps no column names (" + (schema == null ? "a model file written"
                    + " before NetTricks kept them" : "trained on images") + "): the columns of " + data
                    + " are read by position; retrain on a CSV file to have them matched by name");
        }
        if (!labelled && flags.has("--label") && schema != null && schema.hasNames()) {
            err.println("note: --label " + flags.string("--label", null) + " is ignored: predict reads no labels, and "
                    + modelPath + " keeps its column names, so the columns of " + data + " are matched by name;"
                    + " --label is needed only for a model file without column names");
        }
        if (!dataset.ignoredColumns().isEmpty()) {
            err.println("note: " + data + ": column" + (dataset.ignoredColumns().size() == 1 ? " " : "s ")
                    + quoted(dataset.ignoredColumns()) + " ignored: not among the model's feature columns");
        }
        if (labelled && csv && schema != null && schema.labelColumn() != null && read.labelColumn() != null
                && !read.labelColumn().equals(schema.labelColumn())) {
            err.println("note: labels read from column '" + read.labelColumn() + "' (--label); the model was trained"
                    + " with labels from column '" + schema.labelColumn() + "'");
        }
        return new ModelAndData(modelPath, model, data, dataset);
    }

    /** Column names as messages give them: {@code 'id', 'date'}. */
    private static String quoted(java.util.List<String> names) {
        return names.stream().map(n -> "'" + n + "'").collect(java.util.stream.Collectors.joining(", "));
    }
}
