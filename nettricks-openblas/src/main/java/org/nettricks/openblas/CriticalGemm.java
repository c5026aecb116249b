package org.nettricks.openblas;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * Zero-copy GEMM on Java arrays: a small JNI helper (src/main/c/nettricks_gemm.c) that pins the
 * arrays with {@code GetPrimitiveArrayCritical} and calls the {@code cblas_sgemm}/{@code cblas_dgemm}
 * of the OpenBLAS that org.bytedeco:openblas loaded. JavaCPP's own array calls copy every operand in
 * and out, which at the reference network's shapes costs up to as much as the product itself.
 *
 * <p>The helper is compiled by Maven where a C compiler exists; {@link #available()} is false when
 * it was not built or cannot load, and the backend then uses JavaCPP's copying calls.
 */
final class CriticalGemm {
    /** Where the build puts the helper inside the jar. */
    static final String RESOURCE = "/org/nettricks/openblas/linux-x86_64/libnettricks_gemm.so";

    /**
     * OpenBLAS's worker threads wait for the next product by spinning for 2^this cycles (about
     * 200 µs here) before they sleep, instead of OpenBLAS's default 2^28 (about 0.1 s): a worker
     * that spins for long holds the core that NetTricks's own elementwise passes and optimizer step
     * need between the products, and one that sleeps at once must be woken for the next product
     * (docs/benchmarks.md, "Which OpenBLAS": 2^19 against 2^16, the median over alternating rounds
     * 1.24× at batch 32 on 784-256-10, 1.10× and 1.05× on the reference network plain and with batch
     * normalization; 2^20 and 2^22 were erratic). Set only when the environment does not set
     * OPENBLAS_THREAD_TIMEOUT already.
     */
    static final String THREAD_TIMEOUT = "19";

    /**
     * What loading found: why the helper is not in use (null when it is), where the OpenBLAS comes
     * from (see {@link BlasLibrary}), and a configuration error that must stop the backend (null when none).
     */
    private record State(String problem, String source, String reason, String error) {
    }

    private static final State STATE = load();

    private CriticalGemm() {
    }

    /** True when the helper is loaded and bound to OpenBLAS. */
    static boolean available() {
        return STATE.problem() == null;
    }

    /** Why the helper is not in use, or null when it is. */
    static String problem() {
        return STATE.problem();
    }

    /** Which OpenBLAS was loaded: {@code the system's}, {@code bundled}, or the property that chose it; null when unknown. */
    static String source() {
        return STATE.source();
    }

    /** Why that one, when not the default's obvious choice (e.g. {@code NETTRICKS_BLAS=bundled}); null otherwise. */
    static String reason() {
        return STATE.reason();
    }

    /** The error in the library's configuration ({@link BlasLibrary}) that stops the backend, or null. */
    static String configurationError() {
        return STATE.error();
    }

    /** Row-major C ← α op(A) op(B) + β C on float arrays, without copying them. */
    static native void sgemm(boolean transposeA, boolean transposeB, int m, int n, int k, float alpha, float[] a,
                             int lda, float[] b, int ldb, float beta, float[] c, int ldc);

    /** Row-major C ← α op(A) op(B) + β C on double arrays, without copying them. */
    static native void dgemm(boolean transposeA, boolean transposeB, int m, int n, int k, double alpha, double[] a,
                             int lda, double[] b, int ldb, double beta, double[] c, int ldc);

    private static native String bind(String libraryPath);

    /** The bound library's own description of its build, or null. */
    static native String config();

    /** The kernel set the bound OpenBLAS runs on this CPU (openblas_get_corename), e.g. {@code Haswell}, or null. */
    static native String corename();

    private static native void setDefaultEnvironment(String name, String value);

    /** "P<tab>CONFIG" of the library the dynamic loader finds by {@code name}, or null when it does not load. */
    private static native String probe(String name);

    private static State load() {
        String bytedeco = System.getProperty(BlasLibrary.BYTEDECO_PROPERTY);
        BlasLibrary.Choice choice = null;
        if (bytedeco == null) {
            try {
                choice = BlasLibrary.choice(System.getProperty(BlasLibrary.PROPERTY),
                        System.getenv(BlasLibrary.ENVIRONMENT));
            } catch (IllegalArgumentException e) {
                return new State("the library was not loaded: " + e.getMessage(), null, null, e.getMessage());
            }
        }
        String fixed = bytedeco != null ? BlasLibrary.BYTEDECO_PROPERTY + "=" + bytedeco : null;
        String problem = loadHelper();
        if (problem != null) { // no helper to probe with: auto means the bundled library
            if (choice == BlasLibrary.Choice.SYSTEM) {
                System.setProperty(BlasLibrary.BYTEDECO_PROPERTY, "openblas");
            }
            String source = fixed != null ? fixed : choice == BlasLibrary.Choice.SYSTEM
                    ? "the system's if one loads (unchecked)" : BlasLibrary.BUNDLED;
            return new State(problem, source, null, null);
        }
        try {
            // before OpenBLAS (or the probe) loads: it reads its settings from the environment then
            setDefaultEnvironment("OPENBLAS_THREAD_TIMEOUT", THREAD_TIMEOUT);
            String source = fixed;
            String reason = null;
            if (choice != null) {
                BlasLibrary.Decision decision = BlasLibrary.decide(choice, choice == BlasLibrary.Choice.BUNDLED
                        ? BlasLibrary.Probe.NONE : BlasLibrary.Probe.parse(probe(BlasLibrary.SYSTEM_SONAME)),
                        BlasLibrary.settingName(System.getProperty(BlasLibrary.PROPERTY)));
                if (decision.error() != null) {
                    return new State("the library was not loaded: " + decision.error(), null, null, decision.error());
                }
                if (decision.system()) {
                    System.setProperty(BlasLibrary.BYTEDECO_PROPERTY, "openblas");
                }
                source = decision.source();
                reason = decision.reason();
            }
            String jni = Loader.load(openblas.class); // loads OpenBLAS; returns the JNI library's path
            return new State(bind(jni), source, reason, null);
        } catch (LinkageError | RuntimeException e) {
            return new State("the zero-copy helper did not load: " + e, fixed, null, null);
        }
    }

    /** Loads the helper from the jar; returns why it did not load, or null. */
    private static String loadHelper() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "the zero-copy helper is built for linux-x86_64 only";
        }
        try (InputStream in = CriticalGemm.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "the zero-copy helper was not built (no C compiler when the project was built)";
            }
            Path file = Files.createTempFile("nettricks_gemm", ".so");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toAbsolutePath().toString());
            } finally {
                Files.deleteIfExists(file); // the loaded library stays mapped
            }
            return null;
        } catch (IOException | LinkageError | RuntimeException e) {
            return "the zero-copy helper did not load: " + e;
        }
    }
}
