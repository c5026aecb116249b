package org.nettricks.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.EnumSet;

import org.nettricks.diagnosis.Diagnosis;
import org.nettricks.diagnosis.DiagnosisReport;
import org.nettricks.io.internal.Json;
import org.nettricks.config.Recipe;
import org.nettricks.experiment.Experiment;

/** {@code nettricks diagnose}: the lecture's debugging recipe on the user's data and network. */
final class DiagnoseCommand extends Command {
    DiagnoseCommand() {
        super(new Definition("diagnose",
                "the debugging recipe: input scale, saturation, overfit 50 examples, learning rate",
                List.of("usage: nettricks diagnose --data SOURCE [recipe flags]"), """
                Runs the lecture's debugging recipe on the network the recipe flags describe, on the
                training data as the network sees it: (1) are the inputs normalized? (2) are units
                saturated before the first update (sigmoid/tanh in the flat region, dead ReLUs)? (3) can
                the network overfit about 50 examples, and how fast? (4) does the training loss bounce up
                and down (over the small-data test and the first steps on the full data)? (5) saturation
                again after those steps. Each problem comes with the lecture's advice. Nothing is saved.
                Exit status 1 when a problem is found, 0 when the set-up looks healthy.""",
                EnumSet.of(Shared.RECIPE, Shared.THREADS), List.of(
                Flag.value("diagnose", "--overfit-examples", "N", "examples of the small-data test (default: 50)"),
                Flag.value("diagnose", "--overfit-epochs", "N", "passes over them at most; stops at zero error, or for"
                        + " regression at a training RMSE of 30% of the targets' standard deviation (default: 1000;"
                        + " 5000 for regression)"),
                Flag.value("diagnose", "--steps", "N", "mini-batch steps on the full data for the loss curve"
                        + " (default: 200)"),
                Flag.toggle("diagnose", "--json", "print the findings as one JSON object"))));
    }

    /**
     * The recipe's {@code report} checked as an output file, or null; {@code plots} is refused: only
     * train draws plot files.
     */
    static Path reportPath(Recipe recipe, String command) {
        if (recipe.plots() != null) {
            throw new UsageException("`plots` " + recipe.plots() + ": " + command + " writes no plots (train does);"
                    + " drop `plots`");
        }
        return recipe.report() == null ? null : OutputPaths.forRecipe(recipe, null).file("`report`", recipe.report());
    }

    /** Per hidden layer: its activation and its flat (sigmoid, tanh) and dead (ReLU) shares. */
    private static List<Object> saturation(List<org.nettricks.monitoring.Diagnostics.LayerSaturation> layers) {
        List<Object> out = new ArrayList<>();
        for (org.nettricks.monitoring.Diagnostics.LayerSaturation s : layers) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("layer", s.layer() + 1);
            m.put("activation", s.activation().displayName());
            m.put("flat_share", s.flatShare());
            m.put("dead_share", s.deadShare());
            out.add(m);
        }
        return out;
    }

    @Override
    boolean writesReport() {
        return true;
    }

    @Override
    int run(Invocation invocation) {
        Flags flags = invocation.flags();
        PrintStream out = invocation.out();
        Recipe recipe = invocation.recipe();
        Diagnosis.Options defaults = recipe.regression() ? Diagnosis.Options.DEFAULT_REGRESSION
                : Diagnosis.Options.DEFAULT;
        Diagnosis.Options options = new Diagnosis.Options(flags.integer("--overfit-examples", defaults.overfitExamples(), 2,
                String.valueOf(defaults.overfitExamples())), flags.integer("--overfit-epochs", defaults.overfitEpochs(), 1,
                String.valueOf(defaults.overfitEpochs())), flags.integer("--steps", defaults.steps(), 10,
                String.valueOf(defaults.steps())));
        Path reportPath = reportPath(recipe, "diagnose");
        try (Invocation.Prepared prepared = invocation.prepare(recipe)) {
            Experiment experiment = prepared.experiment();
            Diagnosis.Result result = Diagnosis.run(experiment, options);
            if (reportPath != null) {
                Map<String, Object> provenance = Reports.provenance(experiment, recipe, prepared.backend(), "diagnose");
                provenance.put("overfit_examples", result.overfit().examples());
                provenance.put("steps", result.stepLosses().size());
                try {
                    new DiagnosisReport(result, provenance, SettingNames::asFlags).write(reportPath);
                } catch (java.io.IOException e) {
                    throw OutputPaths.writeFailed("--report", reportPath, e);
                }
                (flags.has("--json") ? invocation.err() : out).println("report written to " + reportPath);
            }
            if (flags.has("--json")) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("healthy", result.healthy());
                List<Object> findings = new ArrayList<>();
                for (Diagnosis.Finding f : result.findings()) {
                    Map<String, Object> fm = new LinkedHashMap<>();
                    fm.put("check", f.check());
                    fm.put("problem", f.problem());
                    fm.put("detail", f.detail());
                    fm.put("advice", SettingNames.asFlags(f.advice()));
                    findings.add(fm);
                }
                m.put("findings", findings);
                m.put("overfit_epoch_to_zero", result.overfit().epochToZero());
                m.put("overfit_errors", result.overfit().errors());
                m.put("overfit_losses", result.overfit().losses());
                m.put("overfit_bar", result.overfit().bar());
                m.put("step_losses", result.stepLosses());
                m.put("saturation_before", saturation(result.saturationBefore()));
                m.put("saturation_after", saturation(result.saturationAfter()));
                out.println(Json.write(m));
            } else {
                out.println("diagnosis of " + experiment.network().architecture().describe() + " "
                        + recipe.network().activation().displayName() + " on " + recipe.data().source());
                for (Diagnosis.Finding f : result.findings()) {
                    out.println((f.problem() ? "PROBLEM " : "ok      ") + f.check() + ": " + f.detail());
                    if (f.problem()) {
                        out.println("        advice: " + SettingNames.asFlags(f.advice()));
                    }
                }
                out.println(result.healthy() ? "healthy: no problem found" : "problems found: follow the advice above");
            }
            return result.healthy() ? Main.SUCCESS : Main.FAILED;
        }
    }
}
