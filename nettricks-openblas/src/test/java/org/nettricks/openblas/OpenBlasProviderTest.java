package org.nettricks.openblas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.BackendProvider;

/** The module registers its backend with ServiceLoader, under the name users choose it by. */
class OpenBlasProviderTest {
    @Test
    void serviceLoaderFindsTheOpenBlasProvider() {
        List<BackendProvider> providers = ServiceLoader.load(BackendProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertEquals(List.of("openblas"), providers.stream().map(BackendProvider::name).toList());
        BackendProvider provider = providers.get(0);
        try (Backend backend = provider.open(2)) {
            assertEquals("openblas", backend.name());
            assertEquals(2, backend.threads());
        }
        assertEquals(OpenBlasBackend.version(), provider.version());
        String problem = provider.problem();
        assertEquals(OpenBlasBackend.zeroCopyProblem() == null, problem == null);
        assertTrue(problem == null || problem.startsWith("GEMM operands copied: "), problem);
    }
}
