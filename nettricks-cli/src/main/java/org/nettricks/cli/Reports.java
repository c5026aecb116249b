package org.nettricks.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import org.nettricks.NetTricks;
import org.nettricks.config.Recipe;
import org.nettricks.data.Dataset;
import org.nettricks.data.InputSchema;
import org.nettricks.experiment.Experiment;
import org.nettricks.report.HtmlReport;
import org.nettricks.report.PretrainingReport;
import org.nettricks.report.PretrainingStatistics;
import org.nettricks.training.TrainingListener;
import org.nettricks.report.TrainingStatistics;
import org.nettricks.tensor.Backend;

/**
 * The training report of {@code train} and {@code bench} ({@code --report FILE.html}): a
 * {@link TrainingStatistics} callback whose figures an {@link HtmlReport} writes to the file after
 * every epoch and at the end, with the recipe and the run's provenance; with {@code --plots DIR},
 * its charts as SVG and PNG files after training ({@link PlotFiles}).
 */
final class Reports {
    private final TrainingStatistics statistics;
    private final Path file;
    private final HtmlReport html;
    private final Experiment experiment;
    private final Recipe recipe;
    private final Map<String, Object> provenance;

    private Reports(Experiment experiment, Recipe recipe, Backend backend, String command, Path file,
                    boolean testEachEpoch) {
        this.file = file;
        this.experiment = experiment;
        this.recipe = recipe;
        this.provenance = provenance(experiment, recipe, backend, command);
        Dataset train = experiment.train();
        InputSchema schema = train.schema();
        this.statistics = new TrainingStatistics(experiment.network(), train, experiment.test(), testEachEpoch,
                file == null ? null : this::write);
        if (experiment.targetScaling() != null) {
            statistics.regression(experiment.targetScaling(), recipe.optimizer().regressionLoss());
        }
        this.html = new HtmlReport(statistics, provenance, recipe.toMap(), schema == null ? null : schema.imageShape(),
                SettingNames::asFlags);
    }

    /** What made the run, for a report's provenance table. */
    static Map<String, Object> provenance(Experiment experiment, Recipe recipe, Backend backend, String command) {
        Dataset train = experiment.train();
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("command", "nettricks " + command);
        provenance.put("nettricks_version", NetTricks.VERSION);
        provenance.put("started", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        provenance.put("backend", backend.name() + " x" + backend.threads());
        provenance.putAll(backend.provenance());
        provenance.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        provenance.put("data", recipe.data().source());
        provenance.put("examples", train.size() + " train, " + (experiment.validation() == null ? 0
                : experiment.validation().size()) + " validation, " + experiment.test().size() + " test");
        provenance.put("inputs", InputSchema.describe(train.schema(), train.featureCount()));
        provenance.put("normalization", experiment.normalization().kind().displayName());
        provenance.put("network", experiment.network().architecture().describe());
        return provenance;
    }

    /** The image shape of the inputs (e.g. [28, 28]), or null when the data have none. */
    static java.util.List<Integer> imageShape(Experiment experiment) {
        InputSchema schema = experiment.train().schema();
        return schema == null ? null : schema.imageShape();
    }

    /**
     * The listener to train with: {@code console} itself, or, when the recipe pre-trains and a
     * report is written, a {@link PretrainingStatistics} around it whose figures join the report
     * (the file shows the pre-training report while it runs, then the training report).
     */
    TrainingListener listener(TrainingListener console) {
        if (!recipe.pretraining().enabled()) {
            return console;
        }
        int layers = experiment.network().denseLayers().size() - 1;
        PretrainingReport[] page = new PretrainingReport[1];
        PretrainingStatistics pretraining = new PretrainingStatistics(console, file == null ? null : () -> {
            try {
                page[0].write(file);
            } catch (IOException e) {
                throw OutputPaths.writeFailed("--report", file, e);
            }
        }).finishWhenTrainingStarts(experiment.network());
        page[0] = new PretrainingReport(pretraining, layers, provenance, recipe.toMap(), imageShape(experiment));
        html.withPretraining(pretraining);
        return pretraining;
    }

    /**
     * The report of {@code file} (null for none) and the plots of {@code plots} (null for none), or
     * null when neither is asked for.
     */
    static Reports of(Experiment experiment, Recipe recipe, Backend backend, String command, Path file, Path plots,
                      boolean testEachEpoch) {
        return file == null && plots == null ? null
                : new Reports(experiment, recipe, backend, command, file, testEachEpoch);
    }

    /** Writes every chart as SVG and PNG into {@code dir}; returns the number of files. */
    int writePlots(Path dir) {
        try {
            return PlotFiles.write(html.charts(), dir).size();
        } catch (IOException e) {
            throw OutputPaths.writeFailed("--plots", dir, e);
        }
    }

    TrainingStatistics statistics() {
        return statistics;
    }

    Path file() {
        return file;
    }

    private void write() {
        try {
            html.write(file);
        } catch (IOException e) {
            throw OutputPaths.writeFailed("--report", file, e);
        }
    }
}
