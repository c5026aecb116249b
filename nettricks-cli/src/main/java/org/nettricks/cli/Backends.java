package org.nettricks.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.IntFunction;

import org.nettricks.tensor.Backend;
import org.nettricks.tensor.BackendProvider;
import org.nettricks.tensor.JavaBackend;

/**
 * Chooses the numerical backend for {@code --backend java|openblas|auto}: OpenBLAS when its native
 * library loads (auto, the default), the pure-Java backend otherwise. Native backends live in
 * modules of their own and are found with {@link ServiceLoader} as {@link BackendProvider}s, so the
 * tool runs without them.
 */
final class Backends {
    /** The provider {@code auto} prefers. */
    private static final String OPENBLAS = "openblas";

    private Backends() {
    }

    /** The flag's value, checked: auto, java, openblas or the name of another provider on the class path. */
    static String choice(Flags flags) {
        String choice = flags.string("--backend", "auto");
        TreeSet<String> natives = new TreeSet<>(List.of(OPENBLAS));
        try {
            providers().forEach(p -> natives.add(p.name()));
        } catch (ServiceConfigurationError e) {
            // a broken provider shows when it is opened, in its notice or error
        }
        if (!choice.equals("auto") && !choice.equals("java") && !natives.contains(choice)) {
            throw new UsageException("--backend must be auto, java or " + String.join(" or ", natives) + ", got '"
                    + choice + "'");
        }
        return choice;
    }

    /** An open backend and the one-line notice that says which it is (and why, after a fallback). */
    record Opened(Backend backend, String notice, PrintStream stream) implements AutoCloseable {
        /** Prints the notice: once the inputs are known to be good, so errors stay one line. */
        void announce() {
            stream.println(notice);
        }

        @Override
        public void close() {
            backend.close();
        }
    }

    /** Opens a backend with {@code threads} threads; its notice goes to {@code notices}. */
    static Opened open(String choice, int threads, PrintStream notices) {
        StringBuilder notice = new StringBuilder();
        Backend backend = open(choice, threads, notice);
        return new Opened(backend, notice.toString(), notices);
    }

    /** Opens a backend with {@code threads} threads, saying which in {@code notice} (null for none). */
    private static Backend open(String choice, int threads, StringBuilder notice) {
        String count = Format.count(threads, "thread");
        if (!choice.equals("java")) {
            String wanted = choice.equals("auto") ? OPENBLAS : choice;
            try {
                BackendProvider provider = providers().stream().filter(p -> p.name().equals(wanted)).findFirst()
                        .orElseThrow(() -> new IllegalStateException("no " + BackendProvider.class.getName()
                                + " named " + wanted + " on the class path"));
                String misconfigured = configurationProblem(provider);
                if (misconfigured != null) {
                    throw new UsageException(misconfigured);
                }
                Backend b = provider.open(threads);
                if (notice != null) {
                    String problem = provider.problem();
                    notice.append("backend: ").append(provider.name()).append(" (").append(provider.version())
                            .append("), ").append(count).append(problem == null ? "" : " (" + problem + ")");
                }
                return b;
            } catch (UsageException e) {
                throw e; // the user's setting is wrong: no fallback
            } catch (LinkageError | RuntimeException | ServiceConfigurationError e) {
                if (!choice.equals("auto")) {
                    throw new UsageException("--backend " + choice + ": the native library cannot load here ("
                            + rootCause(e) + "); use --backend java");
                }
                if (notice != null) {
                    notice.append("backend: java, ").append(count).append(" (OpenBLAS unavailable: ")
                            .append(rootCause(e)).append(')');
                }
                return new JavaBackend(threads);
            }
        }
        if (notice != null) {
            notice.append("backend: java, ").append(count);
        }
        return new JavaBackend(threads);
    }

    /** The provider's configuration problem; null when none, or when asking fails (open then shows why). */
    private static String configurationProblem(BackendProvider provider) {
        try {
            return provider.configurationProblem();
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    /** The providers registered on the class path (META-INF/services). */
    private static List<BackendProvider> providers() {
        return ServiceLoader.load(BackendProvider.class).stream().map(ServiceLoader.Provider::get).toList();
    }

    /** A factory for searches: every trial opens its own backend, silently. */
    static IntFunction<Backend> factory(String choice) {
        return threads -> open(choice, threads, (StringBuilder) null);
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
