package org.nettricks.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.nettricks.config.NameSuggestions;

import org.nettricks.NetTricks;

import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The {@code nettricks} command line as picocli models it: one spec per {@link Command}, built from
 * its definition plus the shared flags, the help each command prints, and parse errors put into
 * one line that names the flag and the fix.
 */
final class CommandLines {
    /** The hidden command that prints the bash completion script. */
    static final String COMPLETION = "completion";

    private static final int WIDTH = 100;

    private CommandLines() {
    }

    /** The whole tool: {@code nettricks} with one subcommand per command, plus {@code help} and {@code completion}. */
    static CommandLine root(List<Command> commands, PrintStream out, PrintStream err) {
        CommandSpec root = CommandSpec.create().name("nettricks").version("nettricks " + NetTricks.VERSION);
        root.addOption(help());
        root.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).description("print the version and exit")
                .build());
        root.addOption(verbose());
        root.usageMessage().width(WIDTH)
                .header("nettricks " + NetTricks.VERSION + ": train feed-forward neural networks with the tricks of"
                        + " the trade")
                .synopsisHeading("%n")
                .customSynopsis("usage: nettricks <command> [flags]      (nettricks <command> --help for its flags)")
                .commandListHeading("%ncommands:%n")
                .optionListHeading("%nflags:%n")
                .footerHeading("%nquick start:%n")
                .footer("  ./nettricks train --data digits --epochs 30 --batch-size 16 --out digits.safetensors",
                        "", "environment:",
                        "  NETTRICKS_BLAS       which OpenBLAS computes: auto (the default: the system's when it runs on",
                        "                       POSIX threads, else the bundled one), bundled or system;",
                        "                       -Dnettricks.blas=... in NETTRICKS_JAVA_OPTS wins over it",
                        "  NETTRICKS_JAVA_OPTS  flags for the JVM the ./nettricks launcher starts",
                        "", "bash completion: source <(./nettricks completion)")
                .sectionKeys(List.of(UsageMessageSpec.SECTION_KEY_HEADER, UsageMessageSpec.SECTION_KEY_SYNOPSIS_HEADING,
                        UsageMessageSpec.SECTION_KEY_SYNOPSIS, UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING,
                        UsageMessageSpec.SECTION_KEY_COMMAND_LIST, UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING,
                        UsageMessageSpec.SECTION_KEY_OPTION_LIST, UsageMessageSpec.SECTION_KEY_FOOTER_HEADING,
                        UsageMessageSpec.SECTION_KEY_FOOTER));
        CommandLine line = new CommandLine(root);
        for (Command command : commands) {
            line.addSubcommand(command.definition().name(), spec(command.definition()));
        }
        CommandLine helpCommand = new CommandLine(new CommandLine.HelpCommand());
        helpCommand.getCommandSpec().usageMessage().header("print the help of nettricks or of a command");
        line.addSubcommand("help", helpCommand);
        CommandSpec completion = CommandSpec.create().name(COMPLETION);
        completion.usageMessage().hidden(true).description("print the bash completion script of nettricks");
        completion.addOption(help());
        line.addSubcommand(COMPLETION, completion);

        line.setExpandAtFiles(false); // --data @file means the file named @file, as it always did
        line.setColorScheme(Help.defaultColorScheme(Help.Ansi.OFF));
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        return line;
    }

    /** A command's spec: its own flags, then the recipe flags and the shared ones it takes. */
    private static CommandSpec spec(Command.Definition d) {
        CommandSpec spec = CommandSpec.create().name(d.name());
        List<Flag> flags = new ArrayList<>(d.flags());
        if (d.shared().contains(Command.Shared.RECIPE)) {
            flags.addAll(RecipeArguments.flags());
        }
        if (d.shared().contains(Command.Shared.THREADS)) {
            flags.add(Flag.value("run", "--threads", "N", "threads for the matrix products (default: all cores)"));
        }
        flags.add(Flag.value("run", "--backend", "B", "auto (OpenBLAS when its native library loads, else the"
                + " pure-Java backend), java or openblas; a one-line notice on standard error says which is in use"));
        Map<String, List<OptionSpec>> sections = new LinkedHashMap<>();
        for (Flag f : flags) {
            OptionSpec option = (f.isSwitch() ? OptionSpec.builder(f.name()).arity("0").type(boolean.class)
                    : OptionSpec.builder(f.name()).arity("1").type(String.class).paramLabel(f.label()))
                    .description(escape(f.help())).build();
            spec.addOption(option);
            sections.computeIfAbsent(f.section(), s -> new ArrayList<>()).add(option);
        }
        OptionSpec verbose = verbose();
        OptionSpec help = help();
        spec.addOption(verbose);
        spec.addOption(help);
        sections.computeIfAbsent("run", s -> new ArrayList<>()).addAll(List.of(verbose, help));

        UsageMessageSpec usage = spec.usageMessage().width(WIDTH).longOptionsMaxWidth(26)
                .header(escape(d.summary()))
                .synopsisHeading("%n")
                .customSynopsis(d.synopsis().stream().map(CommandLines::escape).toArray(String[]::new))
                .descriptionHeading("%n")
                .description(escape(d.description()).lines().toArray(String[]::new));
        usage.sectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING, h -> "");
        usage.sectionMap().put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, h -> sections(h, sections));
        return spec;
    }

    private static OptionSpec verbose() {
        return OptionSpec.builder("--verbose").arity("0").type(boolean.class)
                .description("print the stack trace of an error").build();
    }

    private static OptionSpec help() {
        return OptionSpec.builder("-h", "--help").usageHelp(true).description("print this help and exit").build();
    }

    /** The flags under their section headings, laid out by picocli, values shown as {@code --flag VALUE}. */
    private static String sections(Help help, Map<String, List<OptionSpec>> sections) {
        Help.IParamLabelRenderer labels = new Help.IParamLabelRenderer() {
            @Override
            public Help.Ansi.Text renderParameterLabel(ArgSpec arg, Help.Ansi ansi, List<Help.Ansi.IStyle> styles) {
                return ansi.new Text(arg.arity().max() == 0 ? "" : " " + arg.paramLabel(), help.colorScheme());
            }

            @Override
            public String separator() {
                return " ";
            }
        };
        StringBuilder sb = new StringBuilder();
        sections.forEach((section, options) -> {
            Help.Layout layout = help.createDefaultLayout();
            options.forEach(o -> layout.addOption(o, labels));
            sb.append('\n').append(section).append(":\n").append(layout);
        });
        return sb.toString();
    }

    /** Picocli formats help text with String.format: a literal % is written %%. */
    private static String escape(String text) {
        return text.replace("%", "%%");
    }

    private static final Pattern UNKNOWN_SUBCOMMAND = Pattern.compile("Unknown subcommand '(.*)'\\.?");
    private static final Pattern QUOTED_FLAG = Pattern.compile("'(--?[^'=]+)");

    /**
     * {@code "; did you mean --epochs?"} for a mistyped flag of {@code at}'s command (or a mistyped
     * command, at the top), by {@link NameSuggestions}; empty when no name is close.
     */
    private static String didYouMean(CommandLine at, String arg, boolean top) {
        String typed = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
        List<String> names;
        if (typed.startsWith("-")) {
            names = at.getCommandSpec().options().stream().filter(o -> !o.hidden()).map(OptionSpec::longestName)
                    .filter(n -> n.startsWith("--")).toList();
        } else if (top) {
            names = at.getSubcommands().values().stream()
                    .filter(c -> !c.getCommandSpec().usageMessage().hidden() && !c.getCommandName().equals("help"))
                    .map(CommandLine::getCommandName).toList();
        } else {
            return "";
        }
        return NameSuggestions.closest(typed, names).map(n -> "; did you mean " + n + "?").orElse("");
    }

    /** One line for a command line picocli refused: what is wrong and the fix, after "nettricks CMD: error: ". */
    static String describe(CommandLine.ParameterException e, String[] args) {
        CommandLine at = e.getCommandLine();
        boolean top = at.getParent() == null;
        String command = at.getCommandName();
        String see = top ? "nettricks --help" : "nettricks " + command + " --help";
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            if (u.getUnmatched().isEmpty()) {
                return e.getMessage();
            }
            String arg = u.getUnmatched().get(0);
            String didYouMean = didYouMean(at, arg, top);
            int end = Arrays.asList(args).indexOf("--");
            if (end >= 0 && Arrays.asList(args).subList(end + 1, args.length).contains(arg)) {
                return "unexpected argument '" + arg + "' after '--', which ends the flags; every setting is a --flag"
                        + " written before it (see " + see + ")";
            }
            if (arg.startsWith("-")) {
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                return "unknown flag " + name + (top ? "" : " for '" + command + "'") + "; see " + see + didYouMean;
            }
            if (top) {
                List<String> names = at.getSubcommands().values().stream()
                        .filter(c -> !c.getCommandSpec().usageMessage().hidden() && !c.getCommandName().equals("help"))
                        .map(CommandLine::getCommandName).toList();
                return "unknown command '" + arg + "'; the commands are " + String.join(", ", names) + " (see " + see
                        + ")" + didYouMean;
            }
            return "unexpected argument '" + arg + "'; every setting is a --flag (see " + see + ")";
        }
        if (e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()
                && m.getMissing().get(0) instanceof OptionSpec o) {
            return o.longestName() + " needs a value (see " + see + ")";
        }
        if (e instanceof CommandLine.OverwrittenOptionException o && o.getOverwritten() instanceof OptionSpec option) {
            return option.longestName() + " is given twice; give it once";
        }
        Matcher unknownCommand = UNKNOWN_SUBCOMMAND.matcher(String.valueOf(e.getMessage()));
        if (unknownCommand.matches()) { // "help NAME" for a command that does not exist
            CommandLine root = at;
            while (root.getParent() != null) {
                root = root.getParent();
            }
            List<String> names = root.getSubcommands().values().stream()
                    .filter(c -> !c.getCommandSpec().usageMessage().hidden() && !c.getCommandName().equals("help"))
                    .map(CommandLine::getCommandName).toList();
            return "unknown command '" + unknownCommand.group(1) + "'; the commands are " + String.join(", ", names)
                    + " (see nettricks --help)";
        }
        if (e instanceof CommandLine.MaxValuesExceededException) {
            Matcher flag = QUOTED_FLAG.matcher(e.getMessage());
            if (flag.find()) {
                return flag.group(1) + " takes no value; write just " + flag.group(1);
            }
        }
        return e.getMessage();
    }
}
