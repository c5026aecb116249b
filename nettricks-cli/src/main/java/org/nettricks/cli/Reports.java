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
import org.nettricks.report.TrainingStatistics;
import org.nettricks.tensor.Backend;

/**
 * The training report of {@code train} and {@code bench} ({@code --report FILE.html}): a
 * {@link TrainingStatistics} callback whose figures an {@link HtmlReport} writes to the file after
 * every epoch and at the end, with the recipe and the run's provenance.
 */
final class Reports {
    private final TrainingStatistics statistics;
    private final Path file;

    private Reports(Experiment experiment, Recipe recipe, Backend backend, String command, Path file,
                    boolean testEachEpoch) {
        this.file = file;
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
        InputSchema schema = train.schema();
        HtmlReport[] html = new HtmlReport[1];
        this.statistics = new TrainingStatistics(experiment.network(), train, experiment.test(), testEachEpoch,
                () -> write(html[0]));
        html[0] = new HtmlReport(statistics, provenance, recipe.toMap(), schema == null ? null : schema.imageShape(),
                SettingNames::asFlags);
    }

    /** The report of {@code recipe.report()}, or null when the recipe asks for none. */
    static Reports of(Experiment experiment, Recipe recipe, Backend backend, String command, Path file,
                      boolean testEachEpoch) {
        return file == null ? null : new Reports(experiment, recipe, backend, command, file, testEachEpoch);
    }

    TrainingStatistics statistics() {
        return statistics;
    }

    Path file() {
        return file;
    }

    private void write(HtmlReport html) {
        try {
            html.write(file);
        } catch (IOException e) {
            throw OutputPaths.writeFailed("--report", file, e);
        }
    }
}
