package org.nettricks.cli;

import java.io.PrintStream;
import java.util.function.IntFunction;

import org.nettricks.tensor.Backend;
import org.nettricks.tensor.JavaBackend;

/**
 * Chooses the numerical backend for {@code --backend java|openblas|auto}: OpenBLAS when its native
 * library loads (auto, the default), the pure-Java backend otherwise. The native backend lives in
 * its own module and is loaded reflectively, so the tool runs without it.
 */
final class Backends {
    private static final String OPENBLAS_CLASS = "org.nettricks.openblas.OpenBlasBackend";

    private Backends() {
    }

    /** The flag's value, checked: auto, java or openblas. */
    static String choice(Flags flags) {
        String choice = flags.string("--backend", "auto");
        if (!choice.equals("auto") && !choice.equals("java") && !choice.equals("openblas")) {
            throw new UsageException("--backend must be auto, java or openblas, got '" + choice + "'");
        }
        return choice;
    }

    /** An open backend and the one-line notice that says which it is (and why, after a fallback). */
    record Opened(Backend backend, String notice) {
        /** Prints the notice on {@code stream}: once the inputs are known to be good, so errors stay one line. */
        void announce(PrintStream stream) {
            stream.println(notice);
        }
    }

    /** Opens a backend with {@code threads} threads. */
    static Opened open(String choice, int threads) {
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        PrintStream notices = new PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8);
        Backend backend = open(choice, threads, notices);
        return new Opened(backend, text.toString(java.nio.charset.StandardCharsets.UTF_8).strip());
    }

    /** Opens a backend with {@code threads} threads, saying which on {@code notices} (one line; null for none). */
    private static Backend open(String choice, int threads, PrintStream notices) {
        if (!choice.equals("java")) {
            try {
                Class<?> openblas = Class.forName(OPENBLAS_CLASS);
                Backend b = (Backend) openblas.getConstructor(int.class).newInstance(threads);
                if (notices != null) {
                    Object problem = openblas.getMethod("zeroCopyProblem").invoke(null);
                    Object version = openblas.getMethod("version").invoke(null);
                    notices.println("backend: openblas (" + version + "), " + threads + " thread"
                            + (threads == 1 ? "" : "s") + (problem == null ? "" : " (GEMM operands copied: " + problem + ")"));
                }
                return b;
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                if (choice.equals("openblas")) {
                    throw new UsageException("--backend openblas: the native library cannot load here (" + rootCause(e)
                            + "); use --backend java");
                }
                if (notices != null) {
                    notices.println("backend: java, " + threads + " thread" + (threads == 1 ? "" : "s")
                            + " (OpenBLAS unavailable: " + rootCause(e) + ")");
                }
                return new JavaBackend(threads);
            }
        }
        if (notices != null) {
            notices.println("backend: java, " + threads + " thread" + (threads == 1 ? "" : "s"));
        }
        return new JavaBackend(threads);
    }

    /** A factory for searches: every trial opens its own backend, silently. */
    static IntFunction<Backend> factory(String choice) {
        return threads -> open(choice, threads, null);
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
