package org.nettricks.openblas;

import org.nettricks.tensor.Backend;
import org.nettricks.tensor.BackendProvider;

/**
 * Registers the {@link OpenBlasBackend} with {@link java.util.ServiceLoader} (see
 * {@code META-INF/services/org.nettricks.tensor.BackendProvider}). Loading this class loads no
 * native code; {@link #open} does, and throws when the native library cannot load.
 */
public final class OpenBlasProvider implements BackendProvider {
    @Override
    public String name() {
        return "openblas";
    }

    @Override
    public Backend open(int threads) {
        return new OpenBlasBackend(threads);
    }

    @Override
    public String configurationProblem() {
        return OpenBlasBackend.configurationError();
    }

    @Override
    public String version() {
        return OpenBlasBackend.versionAndReason();
    }

    @Override
    public String problem() {
        String problem = OpenBlasBackend.zeroCopyProblem();
        return problem == null ? null : "GEMM operands copied: " + problem;
    }
}
