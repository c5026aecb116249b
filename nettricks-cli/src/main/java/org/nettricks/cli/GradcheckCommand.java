package org.nettricks.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.EnumSet;

import org.nettricks.data.Dataset;
import org.nettricks.debugging.GradientChecker;
import org.nettricks.report.GradientCheckReport;
import org.nettricks.io.internal.Json;
import org.nettricks.regularization.WeightPenalty;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;
import org.nettricks.experiment.Experiment;
import org.nettricks.config.Recipe;

/** {@code nettricks gradcheck}: finite differences against backpropagation for any network train accepts. */
final class GradcheckCommand extends Command {
    GradcheckCommand() {
        super(new Definition("gradcheck",
                "check backpropagation against finite differences for any network",
                List.of("usage: nettricks gradcheck --data SOURCE [recipe flags] [--examples N] [--samples N]"), """
                The lecture's gradient check: builds the network the recipe flags describe (exactly as
                'train' would, in float64), takes a mini-batch of training examples, and compares every
                parameter's backpropagated gradient of the whole regularized objective (mean loss + L1/L2
                penalty) with the central difference (f(θ+ε) − f(θ−ε)) / 2ε. Batch normalization runs in
                training mode; dropout masks are held fixed. Reports, per tensor, the largest relative
                error |a − n| / max(|a|, |n|, 1e-3) and the worst entries; entries whose ±ε step crosses a
                kink (ReLU or L1 at 0) are skipped and counted. Exit status 1 when any error exceeds the
                threshold: the failing tensor nearest the output is where the bug most likely is.""",
                EnumSet.of(Shared.RECIPE, Shared.THREADS), List.of(
                Flag.value("check", "--examples", "N", "examples in the mini-batch (default: 16)"),
                Flag.value("check", "--samples", "N", "entries checked per tensor, chosen at random; all of a smaller"
                        + " tensor (default: 200)"),
                Flag.value("check", "--threshold", "T", "largest acceptable relative error (default: 1e-6)"),
                Flag.value("check", "--step", "EPS", "ε of the central difference (default: 1e-5)"),
                Flag.toggle("check", "--json", "print the report as one JSON object"))));
    }

    @Override
    boolean writesReport() {
        return true;
    }

    @Override
    int run(Invocation invocation) {
        Flags flags = invocation.flags();
        PrintStream out = invocation.out();
        Recipe given = invocation.recipe();
        if (flags.has("--precision") && given.precision() != Precision.FLOAT64) {
            throw new UsageException("--precision " + given.precision().displayName() + ": gradcheck always runs in"
                    + " float64 (float32 rounding swamps finite differences); drop --precision");
        }
        Recipe recipe = new Recipe(given.data(), given.network(), given.optimizer(), given.regularization(),
                given.pretraining(), given.batchSize(), given.epochs(), given.seed(), Precision.FLOAT64,
                given.checkpoint(), given.checkpointEvery(), given.report(), given.plots());
        int examples = flags.integer("--examples", 16, 1, "16");
        GradientChecker.Options options = new GradientChecker.Options(
                flags.number("--step", 1e-5, 0, false, 1, false, "1e-5"),
                flags.number("--threshold", 1e-6, 0, false, Double.POSITIVE_INFINITY, false, "1e-6"),
                flags.integer("--samples", 200, 1, "200"), recipe.seed());
        java.nio.file.Path reportPath = DiagnoseCommand.reportPath(recipe, "gradcheck");
        try (Invocation.Prepared prepared = invocation.prepare(recipe)) {
            Experiment experiment = prepared.experiment();
            Dataset train = experiment.train();
            int n = Math.min(examples, train.size());
            Matrix x = Matrix.zeros(n, train.featureCount(), Precision.FLOAT64);
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < train.featureCount(); j++) {
                    x.set(i, j, train.features()[i * train.featureCount() + j]);
                }
                y[i] = train.hasLabels() ? train.labels()[i] : 0;
            }
            WeightPenalty penalty = new WeightPenalty(recipe.regularization().l1(), recipe.regularization().l2());
            GradientChecker.Report report;
            if (recipe.regression()) { // the regression loss of the standardized targets, as train minimizes it
                double[] z = java.util.Arrays.copyOf(train.targets(), n * train.targetCount());
                report = GradientChecker.regression(experiment.network(), x, z, recipe.optimizer().regressionLoss(),
                        penalty, options).run();
            } else {
                double[] perClass = recipe.optimizer().classWeights().perClass(train.labels(),
                        experiment.network().architecture().outputSize());
                double[] weights = null;
                if (perClass != null) { // the weighted negative log-likelihood train minimizes
                    weights = new double[n];
                    for (int i = 0; i < n; i++) {
                        weights[i] = perClass[y[i]];
                    }
                }
                report = new GradientChecker(experiment.network(), x, y, weights, penalty, options).run();
            }
            if (reportPath != null) {
                Map<String, Object> provenance = Reports.provenance(experiment, recipe, prepared.backend(), "gradcheck");
                provenance.put("task", recipe.regression() ? "regression" : "classification");
                provenance.put("loss", recipe.regression() ? recipe.optimizer().regressionLoss().describe()
                        + " of the standardized targets" : "cross-entropy (nats)");
                provenance.put("batch_examples", n);
                provenance.put("step", options.step());
                provenance.put("samples_per_tensor", options.samples());
                try {
                    new GradientCheckReport(report, provenance).write(reportPath);
                } catch (java.io.IOException e) {
                    throw OutputPaths.writeFailed("--report", reportPath, e);
                }
            }
            if (flags.has("--json")) {
                out.println(Json.write(toJson(report)));
            } else {
                print(out, report, experiment, n);
            }
            if (reportPath != null) {
                (flags.has("--json") ? invocation.err() : out).println("report written to " + reportPath);
            }
            return report.passed() ? Main.SUCCESS : Main.FAILED;
        }
    }

    private static void print(PrintStream out, GradientChecker.Report report, Experiment experiment, int examples) {
        out.println("gradient check of " + experiment.network().architecture().describe() + " on " + examples
                + " examples, float64, objective " + String.format(Locale.ROOT, "%.6f", report.objective())
                + ", threshold " + report.threshold());
        out.println(String.format(Locale.ROOT, "%-24s %11s %8s %8s %12s  %s", "tensor", "shape", "checked", "kinks",
                "max rel err", "worst entry (analytic vs numeric)"));
        for (GradientChecker.TensorReport t : report.tensors()) {
            String worst = t.worst().isEmpty() ? "-" : String.format(Locale.ROOT, "[%d,%d] %.6e vs %.6e",
                    t.worst().get(0).row(), t.worst().get(0).col(), t.worst().get(0).analytic(),
                    t.worst().get(0).numeric());
            out.println(String.format(Locale.ROOT, "%-24s %11s %8d %8d %12.3e  %s  %s", t.name(), t.rows() + "x" + t.cols(),
                    t.checked(), t.skippedAtKinks(), t.maxError(), worst, t.passed() ? "ok" : "FAIL"));
        }
        if (report.passed()) {
            out.println("PASSED: every checked gradient agrees with its finite difference");
        } else {
            out.println("FAILED: " + String.join(", ", report.failedTensors()) + " disagree; the errors start at "
                    + report.likelyCulprit() + " (seen from the output): look for the bug in its backward pass");
        }
    }

    private static Map<String, Object> toJson(GradientChecker.Report report) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("passed", report.passed());
        m.put("threshold", report.threshold());
        m.put("objective", report.objective());
        m.put("likely_culprit", report.likelyCulprit());
        List<Object> tensors = new ArrayList<>();
        for (GradientChecker.TensorReport t : report.tensors()) {
            Map<String, Object> tm = new LinkedHashMap<>();
            tm.put("name", t.name());
            tm.put("shape", new int[] {t.rows(), t.cols()});
            tm.put("checked", t.checked());
            tm.put("skipped_at_kinks", t.skippedAtKinks());
            tm.put("max_relative_error", t.maxError());
            tm.put("passed", t.passed());
            List<Object> worst = new ArrayList<>();
            for (GradientChecker.Entry e : t.worst()) {
                Map<String, Object> em = new LinkedHashMap<>();
                em.put("index", new int[] {e.row(), e.col()});
                em.put("analytic", e.analytic());
                em.put("numeric", e.numeric());
                em.put("relative_error", e.error());
                worst.add(em);
            }
            tm.put("worst", worst);
            tensors.add(tm);
        }
        m.put("tensors", tensors);
        return m;
    }
}
