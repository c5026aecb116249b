package org.nettricks.cli;

import java.io.IOException;
import java.util.List;
import java.util.Set;

/**
 * A command of the {@code nettricks} tool, with only what is its own: its help, its own flags and
 * its work. What every command shares (the {@code --backend}, {@code --threads}, {@code --verbose}
 * and recipe flags, opening the backend, the output streams, turning errors into exit statuses) is
 * {@link Main}'s and {@link Invocation}'s.
 */
abstract class Command {
    /** Shared flags a command may take; {@code --backend}, {@code --verbose} and {@code -h} every command takes. */
    enum Shared {
        /** {@code --recipe FILE} and one flag per recipe key; the invocation carries the recipe they describe. */
        RECIPE,
        /** {@code --threads N}; the invocation opens a backend with that many threads. */
        THREADS
    }

    /**
     * What a command is.
     *
     * @param name        e.g. {@code train}
     * @param summary     one line, for {@code nettricks --help}
     * @param synopsis    the usage lines, e.g. {@code nettricks train --data SOURCE [flags]}
     * @param description paragraphs under the usage lines
     * @param shared      the shared flags it takes
     * @param flags       its own flags, in the order its help lists them
     */
    record Definition(String name, String summary, List<String> synopsis, String description, Set<Shared> shared,
                      List<Flag> flags) {
    }

    private final Definition definition;

    Command(Definition definition) {
        this.definition = definition;
    }

    final Definition definition() {
        return definition;
    }

    /** Whether the command writes the recipe's {@code report}; others refuse it rather than ignore it. */
    boolean writesReport() {
        return false;
    }

    /**
     * Does the work; the flags are parsed, the recipe (for {@link Shared#RECIPE}) built and checked.
     *
     * @return 0 on success, 1 when the job ran and failed (diverged, a check failed)
     * @throws org.nettricks.InvalidInputException on bad input (exit status 2)
     */
    abstract int run(Invocation invocation) throws IOException;

    /** The CSV delimiter {@code --delimiter} names, or null (absent or {@code auto}) to detect it. */
    static Character csvDelimiter(Flags flags) {
        try {
            return org.nettricks.data.CsvReader.parseDelimiter(flags.string("--delimiter", null));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + e.getMessage());
        }
    }

    /** The {@code --delimiter} flag of a command that reads CSV files. */
    static Flag delimiterFlag(String command) {
        return Flag.value(command, "--delimiter", "CHAR", "CSV field delimiter: auto (the most frequent of , ; tab |"
                + " in the header line, else a comma; the default), tab, or one character");
    }
}
