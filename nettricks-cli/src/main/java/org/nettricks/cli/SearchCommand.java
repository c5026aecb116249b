package org.nettricks.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.EnumSet;

import org.nettricks.InvalidInputException;
import org.nettricks.io.AtomicFiles;
import org.nettricks.io.internal.Json;
import org.nettricks.selection.Dimension;
import org.nettricks.selection.FunctionObjective;
import org.nettricks.selection.Objective;
import org.nettricks.selection.ResultsFile;
import org.nettricks.selection.Search;
import org.nettricks.selection.SearchReport;
import org.nettricks.selection.SearchSpace;
import org.nettricks.selection.Strategy;
import org.nettricks.selection.TestFunctions;
import org.nettricks.experiment.TrainingObjective;
import org.nettricks.selection.TreeParzenEstimator;
import org.nettricks.selection.TrialResult;
import org.nettricks.evaluation.Evaluation;
import org.nettricks.evaluation.Metric;
import org.nettricks.evaluation.RegressionMetrics;
import org.nettricks.config.RecipeSettings;

/** {@code nettricks search}: model selection on the validation set, one test evaluation at the end. */
final class SearchCommand extends Command {
    private static final String SECTION = "search";
    SearchCommand() {
        super(new Definition("search",
                "model selection: grid, random or TPE search on the validation set",
                List.of("usage: nettricks search --space FILE --out DIR [--strategy grid|random|tpe] [--trials N]",
                        "       nettricks search --objective branin|hartmann6 [--strategy random|tpe]"
                        + " [--trials N]"), """
                Chooses hyperparameters on the validation set and estimates generalization once, on the
                test set, for the selected configuration. The space file is a recipe in which some keys
                hold grid(...) or [lists] of values, or distributions: choice(...), uniform(lo, hi),
                loguniform(lo, hi), int(lo, hi). Each trial trains with its own seed derived from the
                search seed. Every finished trial is appended to DIR/trials.jsonl; an interrupted search
                (even kill -9) resumes from it, repeating no finished trial. DIR/trials.csv, the same
                table for spreadsheets, is written when the search ends (all trials, those of earlier
                runs of a resumed search too). The best model so far is kept in DIR/best.safetensors. Trial i learns from (TPE) and is pruned
                against trials 0 … i − W only (W workers): the same seed gives the same trials whichever
                worker is faster, and a resumed search gives what an uninterrupted one would; so a TPE or
                pruned search resumes only with the --workers and --prune it started with.""",
                EnumSet.noneOf(Shared.class), List.of(
                Flag.value(SECTION, "--space", "FILE", "the search space (JSON or YAML)"),
                Flag.value(SECTION, "--out", "DIR", "where results and the best model go (created if needed)"),
                Flag.value(SECTION, "--strategy", "S", "grid (every combination), random (Bergstra & Bengio 2012)"
                        + " or tpe (Tree-structured Parzen Estimator) (default: tpe)"),
                Flag.value(SECTION, "--trials", "N", "trials in all (default: the grid's size, else 30)"),
                Flag.value(SECTION, "--workers", "W", "trials run at once (default: 1)"),
                Flag.value(SECTION, "--threads-per-trial", "T", "threads of each trial (default: cores / workers)"),
                Flag.value(SECTION, "--seed", "S", "seed of the search (default: 1)"),
                Flag.toggle(SECTION, "--prune", "stop a trial whose monitored figure (the validation error by default)"
                        + " is worse than the median of earlier"
                        + " trials at the same epoch (trial i is compared with trials 0 … i − W, W workers, so that"
                        + " the same seed prunes the same trials)"),
                Flag.value(SECTION, "--refine", "DIR", "narrow every range to the top trials of the search in DIR"),
                Flag.value(SECTION, "--top-k", "K", "how many top trials --refine keeps (default: 5)"),
                Flag.value(SECTION, "--checkpoint", "DIR", "checkpoint each running trial in DIR/trial-NNN (as train"
                        + " --checkpoint); running the same command again resumes an interrupted trial where it"
                        + " stopped, with the results of an uninterrupted search; a trial's directory is removed once"
                        + " it is in the results"),
                Flag.value(SECTION, "--checkpoint-every", "N", "with --checkpoint: also every N optimizer steps of a"
                        + " trial (default: 0, at each epoch's end only)"),
                Flag.value(SECTION, "--objective", "NAME", "search a test function instead of training: branin or"
                        + " hartmann6 (no --space; the \"validation error\" is f)"),
                Flag.value(SECTION, "--report", "FILE.html", "write a self-contained HTML report of the search"
                        + " (best so far, each hyperparameter against the validation error, parallel coordinates,"
                        + " importances, the ranked table; docs/reports.md), rewritten atomically after every trial"),
                Flag.toggle(SECTION, "--json", "print the summary as one JSON object"))));
    }

    @Override
    int run(Invocation invocation) throws IOException {
        Flags flags = invocation.flags();
        PrintStream out = invocation.out();
        long seed = flags.longValue("--seed", 1);
        int cores = Runtime.getRuntime().availableProcessors();
        int workers = flags.integer("--workers", 1, 1, "1");
        int threads = flags.integer("--threads-per-trial", Math.max(1, cores / workers), 1, "1");
        if (workers * threads > cores) {
            throw new UsageException("--workers " + workers + " × --threads-per-trial " + threads + " = "
                    + workers * threads + " exceeds the " + cores + " cores; lower one of them");
        }
        if (flags.has("--objective")) {
            if (flags.has("--checkpoint") || flags.has("--checkpoint-every")) {
                throw new UsageException("--checkpoint: a test function's trials do not train; drop --checkpoint");
            }
            if (flags.has("--space")) {
                throw new UsageException("--objective and --space exclude each other: a test function has its own"
                        + " space");
            }
            return runFunction(out, flags, seed, workers);
        }
        SearchSpace space = SearchSpace.read(Path.of(flags.required("--space", "space.yaml")));
        space = TrainingObjective.withDefaultMonitor(space);
        Path dir = new OutputPaths().directory("--out", flags.required("--out", "search-out"));
        if (flags.has("--refine")) {
            Path previous = Path.of(flags.string("--refine", null)).resolve("trials.jsonl");
            if (!Files.exists(previous)) {
                throw new UsageException("--refine " + flags.string("--refine", null) + ": no trials.jsonl there; give"
                        + " the --out directory of a finished search");
            }
            List<TrialResult> top = Search.ranked(ResultsFile.read(previous));
            if (top.isEmpty()) {
                throw new UsageException("--refine " + flags.string("--refine", null) + ": no finished trial in "
                        + previous + "; give the --out directory of a finished search");
            }
            int k = flags.integer("--top-k", 5, 1, "5");
            space = space.refine(top.subList(0, Math.min(k, top.size())));
        }
        RecipeSettings.Setting fraction = space.fixed().get("validation-fraction");
        if (fraction != null && fraction.value().strip().matches("0+(\\.0*)?")) {
            throw new UsageException(fraction.label() + ": 0 leaves no validation set; selection needs one (e.g. 0.1)");
        }
        Strategy strategy = strategy(flags, space.dimensions(), seed);
        int trials = flags.integer("--trials", strategy instanceof Strategy.GridSearch g ? g.size() : 30, 1, "30");
        boolean prune = flags.has("--prune");
        // everything is checked before anything is written: the output paths, the directory's own
        // description and results, and the data (one trial prepared without training)
        checkOutputPaths(dir);
        Path reportPath = reportPath(flags, dir);
        TrainingObjective.requireMemory(space); // the largest trial, before anything is created
        Path results = dir.resolve("trials.jsonl");
        Search.Options options = new Search.Options(trials, workers, seed, results, prune);
        Map<String, Object> description = description(space, strategy, seed, workers, prune);
        boolean describe = checkSameSearch(dir, description, strategy);
        List<TrialResult> earlier = Search.finishedTrials(strategy, options);
        TrainingObjective objective = new TrainingObjective(space, Backends.factory(Backends.choice(flags)), threads,
                dir.resolve("best.safetensors"), earlier.isEmpty() ? null : Search.ranked(earlier).get(0));
        objective.check(Strategy.trialSeed(seed, 0));
        Path checkpoints = null;
        if (flags.has("--checkpoint")) {
            checkpoints = new OutputPaths().directory("--checkpoint", flags.string("--checkpoint", null));
            PrintStream err = invocation.err();
            objective.checkpointing(checkpoints, flags.integer("--checkpoint-every", 0, 0, "500"),
                    line -> err.println(line));
        } else if (flags.has("--checkpoint-every")) {
            throw new UsageException("--checkpoint-every needs --checkpoint DIR");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("--out " + dir + ": cannot create the directory (" + reason(e) + ")", e);
        }
        if (describe) {
            write(dir.resolve("search.json"), Json.write(description) + "\n");
        }
        if (checkpoints != null) {
            for (TrialResult t : earlier) { // finished before a kill that came before their checkpoints went
                TrainingObjective.removeCheckpoints(checkpoints, t.index());
            }
        }
        out.println("search " + strategy.name() + " · " + trials + " trials · " + workers + " worker(s) × " + threads
                + " thread(s) · seed " + seed + (earlier.isEmpty() ? "" : " · resuming: " + earlier.size()
                + " trials already finished"));
        out.println("space: " + space.describe());
        SearchReport report = reportPath == null ? null
                : new SearchReport(space.dimensions(), description, trials, earlier);
        writeReport(report, reportPath);
        List<TrialResult> all = Search.run(strategy, objective, options, t -> {
            out.println(describe(t));
            if (report != null) {
                report.add(t);
                writeReport(report, reportPath);
            }
        });
        writeCsv(dir.resolve("trials.csv"), all, space.dimensions());
        List<TrialResult> ranked = Search.ranked(all);
        printRanking(out, ranked);
        TrialResult selected = ranked.get(0);
        Metric metric = selected.metric();
        if (!selected.hasFigure()) {
            String none = metric.isError() ? "no trial finished with a validation error; nothing selected"
                    : "no trial finished with a validation " + metric.name() + "; nothing selected";
            out.println(none);
            if (report != null) {
                report.finish(none);
                writeReport(report, reportPath);
                out.println("report written to " + reportPath);
            }
            return Main.FAILED;
        }
        boolean regression = isRegression(space);
        Evaluation test = regression ? null : objective.testSelected(selected);
        RegressionMetrics regressionTest = regression ? objective.testSelectedRegression(selected) : null;
        String selectedLine;
        if (regression) {
            selectedLine = String.format(Locale.ROOT, "selected trial %d: %s %s (best epoch %d); test rmse %s"
                            + "  r2 %.4f (mean over targets; evaluated once, on %d examples)",
                    selected.index(), metric.name(), ConsoleReporter.figure(metric, selected.monitored()),
                    selected.bestEpoch(), RegressionOutput.number(regressionTest.meanRmse()), regressionTest.meanR2(),
                    regressionTest.size());
        } else if (metric.isError()) {
            selectedLine = String.format(Locale.ROOT, "selected trial %d: validation accuracy %s (error %s, best epoch"
                            + " %d); test accuracy %s (evaluated once, on %d examples)", selected.index(),
                    Format.percent(1 - selected.validationError()), Format.percent(selected.validationError()),
                    selected.bestEpoch(), Format.percent(test.accuracy()), test.size());
        } else {
            selectedLine = String.format(Locale.ROOT, "selected trial %d: %s %s (validation error %s, best epoch %d);"
                            + " test accuracy %s (evaluated once, on %d examples)", selected.index(),
                    metric.name(), ConsoleReporter.figure(metric, selected.monitored()),
                    Format.percent(selected.validationError()), selected.bestEpoch(), Format.percent(test.accuracy()),
                    test.size());
        }
        if (report != null) {
            report.finish(selectedLine);
            writeReport(report, reportPath);
        }
        out.println(selectedLine + "; model in " + dir.resolve("best.safetensors"));
        if (report != null) {
            out.println("report written to " + reportPath);
        }
        if (flags.has("--json")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("strategy", strategy.name());
            m.put("trials", all.size());
            m.put("selected_trial", selected.index());
            m.put("selected_values", selected.values());
            m.put("validation_error", selected.validationError());
            m.put("monitor", metric.name());
            m.put("monitor_direction", metric.direction().displayName());
            m.put("monitored", selected.monitored());
            if (regression) {
                m.put("test", RegressionOutput.json(regressionTest));
            } else {
                m.put("test_accuracy", test.accuracy());
                m.put("test_error", test.error());
            }
            m.put("best_so_far", Search.bestSoFar(all, all.size()));
            out.println(Json.write(m));
        }
        return 0;
    }

    private static int runFunction(PrintStream out, Flags flags, long seed, int workers) throws IOException {
        TestFunctions.Function f;
        try {
            f = TestFunctions.named(flags.string("--objective", null));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--objective: " + e.getMessage());
        }
        Strategy strategy = strategy(flags, f.dimensions(), seed);
        int trials = flags.integer("--trials", 30, 1, "30");
        Objective objective = new FunctionObjective(f);
        Path results = flags.has("--out") ? new OutputPaths().directory("--out", flags.string("--out", null))
                .resolve("trials.jsonl") : null;
        Path reportPath = reportPath(flags, results == null ? null : results.getParent());
        if (results != null) {
            checkOutputPaths(results.getParent());
            Search.finishedTrials(strategy, new Search.Options(trials, workers, seed, results, false));
            try {
                Files.createDirectories(results.getParent());
            } catch (IOException e) {
                throw new IOException("--out " + results.getParent() + ": cannot create the directory (" + reason(e)
                        + ")", e);
            }
        }
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("objective", f.name());
        description.put("strategy", strategy.name());
        description.put("seed", seed);
        description.put("trials", trials);
        SearchReport report = reportPath == null ? null : new SearchReport(f.dimensions(), description, trials,
                results == null ? List.of() : Search.finishedTrials(strategy, new Search.Options(trials, workers, seed,
                        results, false)));
        writeReport(report, reportPath);
        List<TrialResult> all = Search.run(strategy, objective, new Search.Options(trials, workers, seed, results,
                false), t -> {
                    if (report != null) {
                        report.add(t);
                        writeReport(report, reportPath);
                    }
                });
        double[] curve = Search.bestSoFar(all, trials);
        if (report != null) {
            report.finish(String.format(Locale.ROOT, "best f %.6f after %d trials (global minimum %.6f)",
                    curve[trials - 1], trials, f.minimum()));
            writeReport(report, reportPath);
        }
        if (flags.has("--json")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("objective", f.name());
            m.put("strategy", strategy.name());
            m.put("seed", seed);
            m.put("minimum", f.minimum());
            m.put("best_so_far", curve);
            out.println(Json.write(m));
        } else {
            out.println(String.format(Locale.ROOT, "%s · %s · seed %d: best after %d trials %.6f (global minimum %.6f)",
                    f.name(), strategy.name(), seed, trials, curve[trials - 1], f.minimum()));
        }
        return 0;
    }

    private static Strategy strategy(Flags flags, List<Dimension> dimensions, long seed) {
        String name = flags.string("--strategy", "tpe");
        try {
            return switch (name) {
                case "grid" -> new Strategy.GridSearch(dimensions);
                case "random" -> new Strategy.RandomSearch(dimensions, seed);
                case "tpe" -> new TreeParzenEstimator(dimensions, seed);
                default -> throw new UsageException("--strategy must be grid, random or tpe, got '" + name + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new UsageException("--strategy grid: " + e.getMessage());
        }
    }

    private static final List<String> IDENTITY = List.of("space", "fixed", "strategy", "seed");

    private static Map<String, Object> description(SearchSpace space, Strategy strategy, long seed, int workers,
                                                   boolean prune) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("space", space.describe());
        m.put("fixed", space.fixed().values().stream().map(s -> s.key() + "=" + s.value()).toList());
        m.put("strategy", strategy.name());
        m.put("seed", seed);
        m.put("workers", (long) workers);
        m.put("prune", prune);
        return m;
    }

    /** {@code --out} is a directory or can be made one, and the files the search writes there are files. */
    private static void checkOutputPaths(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException("--out " + dir + " is a file, not a directory; give a directory (it is created"
                    + " if needed)");
        }
        if (!Files.exists(dir)) {
            Path parent = dir.toAbsolutePath().getParent();
            while (parent != null && !Files.exists(parent)) {
                parent = parent.getParent();
            }
            if (parent != null && !Files.isDirectory(parent)) {
                throw new UsageException("--out " + dir + ": " + parent + " is a file, not a directory");
            }
            return;
        }
        for (String name : List.of("search.json", "trials.jsonl", "trials.csv", "best.safetensors")) {
            Path p = dir.resolve(name);
            if (Files.exists(p) && !Files.isRegularFile(p)) {
                throw new UsageException("--out " + dir + ": " + p + " is not a regular file (a directory?), and the"
                        + " search writes it; remove it, or use another --out");
            }
        }
    }

    /**
     * A results directory belongs to one search: the same space, strategy and seed; and, for TPE or
     * with pruning, the same workers (trial i learns from, and is pruned against, trials 0 … i − W),
     * and the same pruning. Returns true when search.json must be written: a new directory, or one
     * whose search.json describes another search that finished no trial (nothing of it is lost).
     */
    private static boolean checkSameSearch(Path dir, Map<String, Object> description, Strategy strategy)
            throws IOException {
        Path file = dir.resolve("search.json");
        if (!Files.exists(file)) {
            return true;
        }
        Map<?, ?> old = readDescription(file);
        for (String key : IDENTITY) {
            if (!old.get(key).equals(description.get(key))) {
                if (ResultsFile.read(dir.resolve("trials.jsonl")).isEmpty()) {
                    return true; // another search that finished nothing: this one takes the directory
                }
                throw new InvalidInputException("--out " + dir + " holds a different search (" + old.get("strategy")
                        + ", seed " + old.get("seed") + ", space " + old.get("space") + ", fixed " + old.get("fixed")
                        + "); use another --out, or the same space, strategy and seed to resume it");
            }
        }
        Object oldPrune = old.get("prune");
        boolean prune = (Boolean) description.get("prune");
        if (oldPrune != null && !oldPrune.equals(prune)) {
            throw new InvalidInputException("--out " + dir + " holds a search started " + (prune ? "without" : "with")
                    + " --prune; resuming it " + (prune ? "with" : "without") + " --prune would stop different trials"
                    + " than an uninterrupted search: " + (prune ? "leave out --prune" : "add --prune")
                    + ", or use another --out");
        }
        Object oldWorkers = old.get("workers");
        boolean dependsOnWorkers = strategy instanceof TreeParzenEstimator || prune;
        if (oldWorkers != null && dependsOnWorkers && !oldWorkers.equals(description.get("workers"))) {
            throw new InvalidInputException("--out " + dir + " holds a search started with --workers " + oldWorkers
                    + "; resuming it with --workers " + description.get("workers") + " would change what later trials"
                    + " learn from (trial i uses trials 0 … i − workers" + (prune ? ", for pruning too" : "")
                    + "): use --workers " + oldWorkers + ", or another --out");
        }
        return false;
    }

    /** search.json, checked: an object with the identity keys of the right types. */
    private static Map<?, ?> readDescription(Path file) throws IOException {
        String fix = "; nettricks search writes it to say which search the directory holds: restore it, or delete it"
                + " (the results are then checked against the search you run), or use another --out";
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(file + " is not a regular file" + fix);
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new InvalidInputException(file + ": not UTF-8 text" + fix);
        } catch (IOException e) {
            throw new IOException(file + ": cannot read (" + reason(e) + ")", e);
        }
        Object parsed;
        try {
            parsed = Json.parse(text);
        } catch (Json.JsonException e) {
            throw new InvalidInputException(file + ": not JSON (" + e.getMessage() + ")" + fix);
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw new InvalidInputException(file + ": not a search description (not a JSON object)" + fix);
        }
        String problem = null;
        if (!(m.get("space") instanceof String)) {
            problem = "'space' is not a string";
        } else if (!(m.get("fixed") instanceof List<?> fixed) || !fixed.stream().allMatch(String.class::isInstance)) {
            problem = "'fixed' is not a list of strings";
        } else if (!(m.get("strategy") instanceof String)) {
            problem = "'strategy' is not a string";
        } else if (!(m.get("seed") instanceof Long)) {
            problem = "'seed' is not an integer";
        } else if (m.containsKey("workers") && !(m.get("workers") instanceof Long w && w >= 1)) {
            problem = "'workers' is not an integer ≥ 1";
        } else if (m.containsKey("prune") && !(m.get("prune") instanceof Boolean)) {
            problem = "'prune' is not true or false";
        }
        if (problem != null) {
            throw new InvalidInputException(file + ": not a search description (" + problem + ")" + fix);
        }
        return m;
    }

    private static void write(Path file, String text) throws IOException {
        try {
            AtomicFiles.writeString(file, text);
        } catch (IOException e) {
            throw new IOException(file + ": cannot write (" + reason(e) + ")", e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f) {
            return f.getReason() != null ? f.getReason()
                    : f instanceof java.nio.file.AccessDeniedException ? "permission denied" : f.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** The {@code --report} file, checked before the search starts, or null. */
    private static Path reportPath(Flags flags, Path out) {
        if (!flags.has("--report")) {
            return null;
        }
        OutputPaths outputs = new OutputPaths().input("--space", flags.string("--space", null))
                .input("--data", flags.string("--data", null)).input("--test-data", flags.string("--test-data", null))
                .input("--recipe", flags.string("--recipe", null));
        if (out != null) {
            outputs.directory("--out", out.toString());
        }
        return outputs.file("--report", flags.string("--report", null));
    }

    private static void writeReport(SearchReport report, Path file) {
        if (report == null) {
            return;
        }
        try {
            report.write(file);
        } catch (IOException e) {
            throw OutputPaths.writeFailed("--report", file, e);
        }
    }

    /** Whether the space's trials are regression networks (its recipe at the typical values). */
    private static boolean isRegression(SearchSpace space) {
        Map<String, String> typical = new LinkedHashMap<>();
        for (Dimension d : space.dimensions()) {
            typical.put(d.key(), d.typicalValue());
        }
        return space.recipe(typical, 1).regression();
    }

    private static String describe(TrialResult t) {
        List<String> parts = new ArrayList<>();
        t.values().forEach((k, v) -> parts.add(k + "=" + v));
        Metric metric = t.metric();
        String figure = metric.isError()
                ? "val error " + (Double.isFinite(t.validationError()) ? Format.percent(t.validationError()) : "-")
                : metric.name() + " " + ConsoleReporter.figure(metric, t.monitored());
        return String.format(Locale.ROOT, "trial %3d  %-60s  %s  (epoch %d of %d, %.1f s)%s", t.index(),
                String.join(" ", parts), figure,
                t.bestEpoch(), t.epochs(), t.seconds(), t.status().equals("ok") ? "" : "  [" + t.status() + "]");
    }

    private static void printRanking(PrintStream out, List<TrialResult> ranked) {
        Metric metric = ranked.isEmpty() ? Metric.VAL_ERROR : ranked.get(0).metric();
        out.println("ranking by " + (metric.isError() ? "validation error" : metric.name() + " ("
                + metric.direction().displayName() + ")") + " (top " + Math.min(10, ranked.size()) + " of "
                + ranked.size() + "):");
        for (int i = 0; i < Math.min(10, ranked.size()); i++) {
            out.println(String.format(Locale.ROOT, "%3d. %s", i + 1, describe(ranked.get(i))));
        }
    }

    /**
     * A figure as a CSV field: empty when it is missing or not finite (a regression trial's
     * validation error, null in trials.jsonl), as predict writes a non-finite output.
     */
    private static String cell(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    private static void writeCsv(Path file, List<TrialResult> trials, List<Dimension> dimensions) throws IOException {
        StringBuilder sb = new StringBuilder("trial,seed");
        for (Dimension d : dimensions) {
            sb.append(',').append(d.key());
        }
        sb.append(",status,best_epoch,validation_error,validation_loss,epochs,seconds,monitor,monitored\n");
        for (TrialResult t : trials) {
            sb.append(t.index()).append(',').append(t.seed());
            for (Dimension d : dimensions) {
                String v = t.values().get(d.key());
                sb.append(',').append(v != null && v.contains(",") ? "\"" + v + "\"" : v);
            }
            sb.append(',').append(t.status()).append(',').append(t.bestEpoch()).append(',')
                    .append(cell(t.validationError())).append(',').append(cell(t.validationLoss())).append(',')
                    .append(t.epochs()).append(',').append(t.seconds()).append(',').append(t.monitor()).append(',')
                    .append(cell(t.monitored())).append('\n');
        }
        write(file, sb.toString());
    }
}
