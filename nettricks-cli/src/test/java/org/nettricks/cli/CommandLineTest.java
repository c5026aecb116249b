package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.InvalidInputException;
import org.nettricks.NetTricks;
import org.nettricks.config.RecipeSettings;

/** The command line itself: help, version, parse errors, exit statuses and the completion script. */
class CommandLineTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(List<Command> commands, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, commands);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run run(String... args) {
        return run(Main.COMMANDS, args);
    }

    /** A command that takes {@code --value V} and {@code --switch}, records what it got and does {@code work}. */
    private static final class Probe extends Command {
        final List<String> seen = new ArrayList<>();
        private final Function<Flags, Integer> work;

        Probe(Function<Flags, Integer> work) {
            super(new Definition("probe", "a command of the tests", List.of("nettricks probe [flags]"),
                    "Records its flags.", EnumSet.noneOf(Shared.class), List.of(
                    Flag.value("probe", "--value", "V", "any text"),
                    Flag.toggle("probe", "--switch", "a switch"))));
            this.work = work;
        }

        @Override
        int run(Invocation invocation) {
            seen.add(invocation.flags().string("--value", "(none)") + " " + invocation.flags().has("--switch"));
            return work.apply(invocation.flags());
        }
    }

    private static Run probe(Probe probe, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "probe";
        System.arraycopy(args, 0, all, 1, args.length);
        return run(List.of(probe), all);
    }

    @Test
    void everyCommandPrintsItsHelpOnStandardOutputWithStatus0() {
        for (Command c : Main.COMMANDS) {
            String name = c.definition().name();
            for (String flag : List.of("--help", "-h")) {
                Run r = run(name, flag);
                assertEquals(0, r.status(), name + " " + flag);
                assertEquals("", r.err(), name + " " + flag);
                assertTrue(r.out().contains("usage: nettricks " + name + " "), r.out());
                assertTrue(r.out().contains("  -h, --help "), r.out());
                assertTrue(r.out().contains("--verbose"), r.out());
                assertTrue(r.out().contains("--backend B"), r.out());
            }
        }
        String train = run("train", "--help").out();
        for (RecipeSettings.Key k : RecipeSettings.KEYS) {
            assertTrue(train.contains("--" + k.name() + " "), "a flag for every recipe key: " + k.name());
        }
        assertTrue(train.contains("--batch-norm "), train);
        assertFalse(train.contains("--batch-norm BATCH_NORM"), "a switch shows no value");
        assertEquals(train, run("help", "train").out(), "nettricks help train is nettricks train --help");
    }

    @Test
    void usageGoesToStandardOutputOnlyWhenAskedFor() {
        Run asked = run("--help");
        assertEquals(0, asked.status());
        assertEquals("", asked.err());
        assertTrue(asked.out().startsWith("nettricks " + NetTricks.VERSION + ": train feed-forward neural networks"),
                asked.out());
        assertTrue(asked.out().contains("\n  pretrain   greedy layer-wise unsupervised pre-training"), asked.out());
        assertFalse(asked.out().contains("\n  completion "), "the completion command is hidden: " + asked.out());
        assertTrue(asked.out().contains("source <(./nettricks completion)"), "but the usage says how to use it");

        Run none = run();
        assertEquals(2, none.status());
        assertEquals("", none.out());
        assertEquals(asked.out(), none.err(), "no command: the same usage, on standard error");

        Run version = run("--version");
        assertEquals(0, version.status());
        assertEquals("nettricks " + NetTricks.VERSION + "\n", version.out());
        assertEquals("", version.err());
    }

    private static void assertOneLine(Run r, String expected) {
        assertEquals(2, r.status(), r.err());
        assertEquals("", r.out());
        assertEquals(expected + "\n", r.err());
    }

    @Test
    void badCommandLinesGetOneLineWithTheFixAndStatus2() {
        assertOneLine(run("train", "--lrr", "0.1"),
                "nettricks train: error: unknown flag --lrr for 'train'; see nettricks train --help; did you mean --lr?");
        assertOneLine(run("train", "--lrr=0.1"),
                "nettricks train: error: unknown flag --lrr for 'train'; see nettricks train --help; did you mean --lr?");
        assertOneLine(run("trian", "--data", "digits"), "nettricks error: unknown command 'trian'; the commands are"
                + " train, evaluate, predict, gradcheck, diagnose, bench, search, pretrain (see nettricks"
                + " --help); did you mean train?");
        assertOneLine(run("--lrr"), "nettricks error: unknown flag --lrr; see nettricks --help");
        assertOneLine(run("evaluate", "--model"),
                "nettricks evaluate: error: --model needs a value (see nettricks evaluate --help)");
        assertOneLine(run("train", "--hidden", "--data", "digits"),
                "nettricks train: error: --hidden needs a value (see nettricks train --help)");
        assertOneLine(run("train", "--json=true"), "nettricks train: error: --json takes no value; write just --json");
        assertOneLine(run("train", "--lr", "1", "--lr", "2"), "nettricks train: error: --lr is given twice; give it"
                + " once");
        assertOneLine(run("train", "digits"), "nettricks train: error: unexpected argument 'digits'; every setting is"
                + " a --flag (see nettricks train --help)");
        assertOneLine(run("train", "--data", "digits", "--", "--lr", "0.1"), "nettricks train: error: unexpected"
                + " argument '--lr' after '--', which ends the flags; every setting is a --flag written before it (see"
                + " nettricks train --help)");
        assertOneLine(run("train", "--data", "digits", "--threads", "0"),
                "nettricks train: error: --threads must be at least 1, got 0; e.g. --threads 2");
        assertOneLine(run("train", "--data", "digits", "--lr", "-0.5"),
                "nettricks train: error: --lr must be in (0, ∞), got -0.5; e.g. --lr 0.1");
    }

    @Test
    void valuesSwitchesAndTheEndOfFlags() {
        Probe probe = new Probe(flags -> 0);
        assertEquals(0, probe(probe, "--value", "-3").status(), "a negative number is a value");
        assertEquals(0, probe(probe, "--value=--x", "--switch").status(), "--name=value takes any value");
        assertEquals(0, probe(probe, "--value", "-").status(), "- (standard input, say) is a value");
        assertEquals(0, probe(probe, "--switch", "--").status(), "-- ends the flags");
        assertEquals(0, probe(probe).status());
        assertEquals(List.of("-3 false", "--x true", "- false", "(none) true", "(none) false"), probe.seen);
    }

    @Test
    void exitStatusesSeparateFailedJobsBadInputAndInternalErrors() {
        assertEquals(1, probe(new Probe(flags -> 1)).status(), "the job ran and failed");

        Run bad = probe(new Probe(flags -> {
            throw new InvalidInputException("--value must be a colour, got 'x'; e.g. --value red");
        }), "--value", "x");
        assertOneLine(bad, "nettricks probe: error: --value must be a colour, got 'x'; e.g. --value red");

        Probe bug = new Probe(flags -> {
            throw new IllegalStateException("a bug");
        });
        Run internal = probe(bug);
        assertEquals(70, internal.status());
        assertEquals("", internal.out());
        assertEquals("nettricks probe: internal error: java.lang.IllegalStateException: a bug (rerun with --verbose"
                + " for the stack trace)\n", internal.err());

        for (String[] verbose : List.of(new String[] {"probe", "--verbose"}, new String[] {"--verbose", "probe"})) {
            Run traced = run(List.of(bug), verbose);
            assertEquals(70, traced.status());
            assertTrue(traced.err().startsWith("nettricks probe: internal error: java.lang.IllegalStateException:"
                    + " a bug\njava.lang.IllegalStateException: a bug\n\tat "), traced.err());
        }

        Run error = probe(new Probe(flags -> {
            throw new StackOverflowError();
        }));
        assertEquals(70, error.status());
        assertEquals("nettricks probe: internal error: java.lang.StackOverflowError (rerun with --verbose for the stack"
                + " trace)\n", error.err());
    }

    @Test
    void theCompletionScriptCompletesCommandsAndFlagsAndIsValidBash() throws IOException, InterruptedException {
        Run r = run("completion");
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("train evaluate predict gradcheck diagnose bench search pretrain"), r.out());
        for (String flag : List.of("--batch-norm", "--lr", "--measure-epochs", "--threads-per-trial", "--model",
                "--verbose")) {
            assertTrue(r.out().contains(flag), flag);
        }
        assertTrue(r.out().contains("complete -F _complete_nettricks"), "registered for the nettricks command");
        Path script = Files.writeString(dir.resolve("nettricks-completion.bash"), r.out());
        Process bash = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, bash.waitFor(), output);
        assertEquals("", output);
        // bash itself completes "./nettricks tr" (as the README runs the launcher) to train
        Process complete = new ProcessBuilder("bash", "-c", "source " + script + "; complete -p ./nettricks >/dev/null"
                + " && COMP_WORDS=(./nettricks tr) && COMP_CWORD=1 && _complete_nettricks && echo \"${COMPREPLY[*]}\"")
                .redirectErrorStream(true).start();
        String completed = new String(complete.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, complete.waitFor(), completed);
        assertEquals("train", completed);
    }

    @Test
    void helpForACommandThatDoesNotExistIsOneLineAndExitTwo() {
        Run r = run("help", "nosuch");
        assertEquals(2, r.status(), r.out() + r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("nettricks "), r.err());
        assertTrue(r.err().startsWith("nettricks error: unknown command 'nosuch'; the commands are train,"
                + " evaluate,"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    /**
     * "Did you mean": a flag the typed name begins, names compared without dashes, underscores and
     * case, other tools' names (learning-rate → lr), then Damerau–Levenshtein distance. Before:
     * picocli's suggestion, --epoch → --epsilon and --batchsize → --batch-norm.
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0} {1} → {2}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = ';', value = {
            "train;    --epoch;         --epochs",
            "train;    --epoc;          --epochs",
            "train;    --batchsize;     --batch-size",
            "train;    --batch_size;    --batch-size",
            "train;    --batchSize;     --batch-size",
            "train;    --learning-rate; --lr",
            "train;    --learning_rate; --lr",
            "train;    --learningRate;  --lr",
            "train;    --weight-decay;  --l2",
            "train;    --max-epochs;    --epochs",
            "train;    --n_epochs;      --epochs",
            "train;    --lrr;           --lr",
            "train;    --epohcs;        --epochs",
            "train;    --pateince;      --patience",
            "train;    --optimiser;     --optimizer",
            "train;    --normalise;     --normalize",
            "train;    --hiden;         --hidden",
            "train;    --activaton;     --activation",
            "train;    --sed;           --seed",
            "train;    --clipnorm;      --clip-norm",
            "train;    --batch-nrom;    --batch-norm",
            "search;   --worker;        --workers",
            "search;   --trial;         --trials",
            "search;   --stratgy;       --strategy",
            "evaluate; --modle;         --model",
            "predict;  --dat;           --data",
            "trian;    ;                train",
            "evalute;  ;                evaluate",
    })
    void didYouMeanSuggestsTheIntendedName(String command, String typo, String expected) {
        Run r = typo == null ? run(command, "--data", "digits") : run(command, typo, "3");
        assertEquals(2, r.status(), r.err());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        assertTrue(r.err().strip().endsWith("; did you mean " + expected + "?"), r.err());
    }

    /** Nothing close: no suggestion. */
    @Test
    void noSuggestionForANameFarFromEveryFlag() {
        assertOneLine(run("train", "--xyz", "3"), "nettricks train: error: unknown flag --xyz for 'train'; see nettricks"
                + " train --help");
    }
}
