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
     * 20 µs here) before they sleep, instead of OpenBLAS's default 2^28 (about 0.1 s): a spinning
     * worker holds the core that NetTricks's own elementwise passes and optimizer step need between
     * the products (measured: 8,672 → 10,191 training examples/s with batch normalization and
     * dropout). Set only when the environment does not set OPENBLAS_THREAD_TIMEOUT already.
     */
    static final String THREAD_TIMEOUT = "16";

    private static final String PROBLEM = load();

    private CriticalGemm() {
    }

    /** True when the helper is loaded and bound to OpenBLAS. */
    static boolean available() {
        return PROBLEM == null;
    }

    /** Why the helper is not in use, or null when it is. */
    static String problem() {
        return PROBLEM;
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

    private static String load() {
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
            setDefaultEnvironment("OPENBLAS_THREAD_TIMEOUT", THREAD_TIMEOUT);
            String jni = Loader.load(openblas.class); // loads OpenBLAS; returns the JNI library's path
            return bind(jni);
        } catch (IOException | LinkageError | RuntimeException e) {
            return "the zero-copy helper did not load: " + e;
        }
    }
}
