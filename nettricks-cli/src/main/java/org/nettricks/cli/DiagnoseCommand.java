package org.nettricks.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.nettricks.diagnosis.Diagnosis;
import org.nettricks.io.Json;
import org.nettricks.tensor.Backend;
import org.nettricks.experiment.Experiment;

/** {@code nettricks diagnose}: the lecture's debugging recipe on the user's data and network. */
final class DiagnoseCommand {
    private static final String INTRO = """
            usage: nettricks diagnose --data SOURCE [recipe flags]

            Runs the lecture's debugging recipe on the network the recipe flags describe, on the
            training data as the network sees it: (1) are the inputs normalized? (2) are units
            saturated before the first update (sigmoid/tanh in the flat region, dead ReLUs)? (3) can
            the network overfit about 50 examples, and how fast? (4) does the training loss bounce up
            and down (over the small-data test and the first steps on the full data)? (5) saturation
            again after those steps. Each problem comes with the lecture's advice. Nothing is saved.
            Exit status 1 when a problem is found, 0 when the set-up looks healthy.

            diagnose:
              --overfit-examples N       examples of the small-data test (default: 50)
              --overfit-epochs N         passes over them at most; stops at zero error (default: 1000)
              --steps N                  mini-batch steps on the full data for the loss curve
                                         (default: 200)
              --json                     print the findings as one JSON object
              --threads N                threads for the matrix products (default: all cores)
            """;

    private final PrintStream out;
    private final PrintStream err;

    DiagnoseCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(String[] args) {
        RecipeArguments.Parsed parsed = RecipeArguments.parse("diagnose", args, Set.of("--backend", "--overfit-examples", "--overfit-epochs", "--steps", "--threads"), Set.of("--json"));
        Flags flags = parsed.flags();
        if (flags.has("--help")) {
            out.print(INTRO + RecipeArguments.help());
            return 0;
        }
        Diagnosis.Options options = new Diagnosis.Options(flags.integer("--overfit-examples", Diagnosis.Options.DEFAULT.overfitExamples(), 2, "50"),
                flags.integer("--overfit-epochs", Diagnosis.Options.DEFAULT.overfitEpochs(), 1, "1000"), flags.integer("--steps", Diagnosis.Options.DEFAULT.steps(), 10, "200"));
        int threads = flags.integer("--threads", Runtime.getRuntime().availableProcessors(), 1, "2");
        Backends.Opened opened = Backends.open(Backends.choice(flags), threads);
        try (Backend backend = opened.backend()) {
            Experiment experiment = Experiment.prepare(parsed.recipe(), backend);
            opened.announce(err);
            Diagnosis.Result result = Diagnosis.run(experiment, options);
            if (flags.has("--json")) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("healthy", result.healthy());
                List<Object> findings = new ArrayList<>();
                for (Diagnosis.Finding f : result.findings()) {
                    Map<String, Object> fm = new LinkedHashMap<>();
                    fm.put("check", f.check());
                    fm.put("problem", f.problem());
                    fm.put("detail", f.detail());
                    fm.put("advice", f.advice());
                    findings.add(fm);
                }
                m.put("findings", findings);
                m.put("overfit_epoch_to_zero", result.overfit().epochToZero());
                out.println(Json.write(m));
            } else {
                out.println("diagnosis of " + experiment.network().architecture().describe() + " "
                        + parsed.recipe().network().activation().displayName() + " on " + parsed.recipe().data().source());
                for (Diagnosis.Finding f : result.findings()) {
                    out.println((f.problem() ? "PROBLEM " : "ok      ") + f.check() + ": " + f.detail());
                    if (f.problem()) {
                        out.println("        advice: " + f.advice());
                    }
                }
                out.println(result.healthy() ? "healthy: no problem found" : "problems found: follow the advice above");
            }
            return result.healthy() ? 0 : 1;
        }
    }
}
