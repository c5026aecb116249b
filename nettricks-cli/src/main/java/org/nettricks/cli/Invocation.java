package org.nettricks.cli;

import java.io.PrintStream;

import org.nettricks.config.Recipe;
import org.nettricks.experiment.Experiment;
import org.nettricks.tensor.Backend;

/**
 * One run of a command: its parsed flags, the recipe they describe (for commands that take the
 * recipe flags; else null), where output and progress go, and the backend the flags choose.
 *
 * @param out         results: tables, JSON, CSV
 * @param err         progress, notices and errors
 * @param interactive standard error is a terminal (progress may redraw its line)
 */
record Invocation(Flags flags, Recipe recipe, PrintStream out, PrintStream err, boolean interactive) {
    /** {@code --threads}: at least 1; all cores by default. */
    int threads() {
        return flags.integer("--threads", Runtime.getRuntime().availableProcessors(), 1, "2");
    }

    /**
     * Opens the backend {@code --backend} and {@code --threads} choose; its one-line notice goes to
     * {@link #err} when {@link Backends.Opened#announce()} is called.
     */
    Backends.Opened openBackend() {
        int threads = threads();
        return Backends.open(Backends.choice(flags), threads, err);
    }

    /** An experiment prepared on its backend; closing it closes the backend. */
    record Prepared(Experiment experiment, Backend backend) implements AutoCloseable {
        @Override
        public void close() {
            backend.close();
        }
    }

    /**
     * Opens the backend, prepares {@code recipe}'s experiment on it (reading and checking the data,
     * building the network), then prints the backend's notice: after the inputs are known to be good,
     * so that an error stays one line.
     */
    Prepared prepare(Recipe recipe) {
        return prepare(recipe, experiment -> {
        });
    }

    /** As {@link #prepare(Recipe)}, with {@code check} run on the experiment before the backend's notice. */
    Prepared prepare(Recipe recipe, java.util.function.Consumer<Experiment> check) {
        Backends.Opened opened = openBackend();
        try {
            Experiment experiment = Experiment.prepare(recipe, opened.backend());
            check.accept(experiment);
            opened.announce();
            return new Prepared(experiment, opened.backend());
        } catch (RuntimeException | Error e) {
            opened.close();
            throw e;
        }
    }
}
