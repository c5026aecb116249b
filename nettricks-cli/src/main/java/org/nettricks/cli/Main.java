package org.nettricks.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.nettricks.InvalidInputException;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The {@code nettricks} command: a thin shell that parses flags into the library's records.
 *
 * <p>Exit status: 0 success (and help or version when asked for); 1 the job ran and failed (a
 * diverged run, a failed check); 2 bad input or usage (one line on standard error naming the file,
 * line, byte offset or flag, and the fix; no stack trace unless {@code --verbose}); 70 an internal
 * error, a bug of NetTricks (EX_SOFTWARE of BSD's sysexits.h); 74 standard output could not be
 * written (EX_IOERR: a full disk, {@code > /dev/full}, a closed pipe), with one line on standard
 * error naming the reason, after the command has done its work (an {@code --out} file is written);
 * 141 when the reader of standard output closed the pipe ({@code nettricks predict … | head}): the
 * status of a Unix program ended by SIGPIPE (128 + 13), with nothing on standard error, since the
 * reader chose to stop reading.
 */
public final class Main {
    static final int SUCCESS = 0;
    static final int FAILED = 1;
    static final int BAD_INPUT = 2;
    static final int INTERNAL_ERROR = 70;
    static final int OUTPUT_ERROR = 74;
    static final int BROKEN_PIPE = 141;

    /** The commands, in the order {@code nettricks --help} lists them. */
    static final List<Command> COMMANDS = List.of(new TrainCommand(), new EvaluateCommand(), new PredictCommand(),
            new GradcheckCommand(), new DiagnoseCommand(), new BenchCommand(), new SearchCommand(),
            new PretrainCommand());

    private Main() {
    }

    public static void main(String[] args) {
        process = new StandardOutput(new java.io.FileOutputStream(java.io.FileDescriptor.out));
        PrintStream out = new PrintStream(process, true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
                StandardCharsets.UTF_8);
        int status = run(args, out, err, System.console() != null);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** Runs one command; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err, boolean interactive) {
        return run(args, out, err, interactive, COMMANDS);
    }

    /**
     * Runs one of {@code commands} (tests add their own); returns the exit status: the command's, or
     * {@link #OUTPUT_ERROR} when it succeeded but what it wrote to {@code out} was lost.
     */
    static int run(String[] args, PrintStream out, PrintStream err, boolean interactive, List<Command> commands) {
        int status = dispatch(args, out, err, interactive, commands);
        if (out.checkError()) { // flushes, then tells whether any write to out failed (PrintStream keeps quiet)
            if (StandardOutput.brokenPipe()) {
                return status == SUCCESS ? BROKEN_PIPE : status; // as `yes | head`: the reader stopped on purpose
            }
            String command = args.length > 0 && !args[0].startsWith("-") ? args[0] + ": " : "";
            err.println("nettricks " + command + "error: cannot write to standard output: "
                    + StandardOutput.reason() + "; the results printed there are lost"
                    + (givesOut(args) ? " (files given with --out are written)" : ""));
            return status == SUCCESS ? OUTPUT_ERROR : status;
        }
        return status;
    }

    /** Whether the command line gives {@code --out} (before a {@code --} that ends the flags). */
    private static boolean givesOut(String[] args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--out") || a.startsWith("--out=")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The process's standard output, remembering why a write failed: {@link PrintStream} swallows the
     * {@link IOException} and keeps only a flag.
     */
    static final class StandardOutput extends java.io.FilterOutputStream {
        private volatile IOException failure;

        StandardOutput(java.io.OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                out.write(b, off, len);
            } catch (IOException e) {
                failure = failure == null ? e : failure;
                throw e;
            }
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void flush() throws IOException {
            try {
                out.flush();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
                throw e;
            }
        }

        /** Whether the first failed write found the pipe closed by its reader (EPIPE). */
        static boolean brokenPipe() {
            IOException e = process == null ? null : process.failure;
            return e != null && "Broken pipe".equals(e.getMessage());
        }

        /** Why the first failed write to the process's standard output failed, as far as it is known. */
        static String reason() {
            IOException e = process == null ? null : process.failure;
            return e != null && e.getMessage() != null ? e.getMessage() : "a write failed";
        }
    }

    /** The process's standard output, when {@link #main} runs (else null: tests pass their own streams). */
    private static volatile StandardOutput process;

    private static int dispatch(String[] args, PrintStream out, PrintStream err, boolean interactive,
                                List<Command> commands) {
        CommandLine root = CommandLines.root(commands, out, err);
        ParseResult parsed;
        try {
            parsed = root.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println(prefix(e.getCommandLine()) + "error: " + CommandLines.describe(e, args));
            return BAD_INPUT;
        }
        try {
            if (CommandLine.printHelpIfRequested(parsed)) {
                return SUCCESS;
            }
        } catch (CommandLine.ParameterException e) { // help for a command that does not exist
            err.println(prefix(e.getCommandLine()) + "error: " + CommandLines.describe(e, args));
            return BAD_INPUT;
        }
        ParseResult sub = parsed.subcommand();
        if (sub == null) {
            root.usage(err);
            return BAD_INPUT;
        }
        String name = sub.commandSpec().name();
        if (name.equals(CommandLines.COMPLETION)) {
            out.print(AutoComplete.bash("nettricks", root));
            // the README runs the launcher from the clone as ./nettricks: complete that name too
            out.println("complete -o default -F _complete_nettricks ./nettricks");
            return SUCCESS;
        }
        Command command = commands.stream().filter(c -> c.definition().name().equals(name)).findFirst().orElseThrow();
        boolean verbose = parsed.hasMatchedOption("--verbose") || sub.hasMatchedOption("--verbose");
        java.util.Map<String, org.nettricks.config.RecipeSettings.Setting> settings = java.util.Map.of();
        try {
            Flags flags = new Flags(sub);
            boolean recipe = command.definition().shared().contains(Command.Shared.RECIPE);
            if (recipe) {
                settings = RecipeArguments.settings(flags);
                if (flags.has("--resume") && (name.equals("train") || name.equals("pretrain"))) {
                    flags = flags.implying(ImpliedSettings.fromCheckpoint(settings,
                            java.nio.file.Path.of(flags.string("--resume", null))));
                }
                ImpliedSettings.fromInitFrom(settings);
            }
            org.nettricks.config.Recipe built = recipe ? org.nettricks.config.RecipeSettings.parse(settings) : null;
            if (built != null && built.checkpoint() != null && !name.equals("train") && !name.equals("bench")
                    && !name.equals("pretrain")) {
                throw new UsageException("--checkpoint: only train and pretrain write checkpoints (and search, with"
                        + " its own --checkpoint); " + name + " does not: drop --checkpoint");
            }
            if (built != null && !command.writesReport()) {
                if (built.report() != null) {
                    throw new UsageException("`report` " + built.report() + ": " + name + " writes no report (train,"
                            + " bench, pretrain, diagnose and gradcheck do); drop `report`");
                }
                if (built.plots() != null) {
                    throw new UsageException("`plots` " + built.plots() + ": " + name + " writes no plots (train"
                            + " does); drop `plots`");
                }
            }
            return command.run(new Invocation(flags, built, out, err, interactive));
        } catch (InvalidInputException e) {
            err.println("nettricks " + name + ": error: " + SettingNames.asFlags(e.getMessage(), settings));
            if (verbose) {
                e.printStackTrace(err);
            }
            return BAD_INPUT;
        } catch (IOException e) {
            err.println("nettricks " + name + ": error: " + SettingNames.asFlags(e.getMessage()));
            if (verbose) {
                e.printStackTrace(err);
            }
            return BAD_INPUT;
        } catch (RuntimeException | Error e) {
            err.println("nettricks " + name + ": internal error: " + e + (verbose ? "" : " (rerun with --verbose"
                    + " for the stack trace)"));
            if (verbose) {
                e.printStackTrace(err);
            }
            return INTERNAL_ERROR;
        }
    }

    /** {@code nettricks train: } for a command's flags, {@code nettricks } for the tool's own. */
    private static String prefix(CommandLine at) {
        return at.getParent() == null ? "nettricks " : "nettricks " + at.getCommandName() + ": ";
    }
}
