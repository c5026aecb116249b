package org.nettricks.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.activations.Activation;
import org.nettricks.data.Normalization;
import org.nettricks.layers.Buffer;
import org.nettricks.layers.Parameter;
import org.nettricks.network.Architecture;
import org.nettricks.network.HiddenLayer;
import org.nettricks.network.Network;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Precision;

/**
 * Issue 14, class 4: the model file's writer refuses a parameter or buffer holding a NaN or an
 * infinity; nothing is written and an existing file keeps its bytes.
 */
class NonFiniteModelFileTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{1} in {0} ({2})")
    @CsvSource({
            "layers.0.weight,       NaN,       float32",
            "layers.0.weight,       Infinity,  float64",
            "layers.1.bias,         -Infinity, float32",
            "layers.0.bn.running_var, Infinity, float32",
            "layers.0.bn.running_mean, NaN,    float64",
            "layers.0.bn.weight,    NaN,       float32",
    })
    void aNonFiniteValueIsNotWrittenAndTheOldFileStays(String tensor, double value, String precision)
            throws IOException {
        try (JavaBackend backend = new JavaBackend(1)) {
            Architecture arch = new Architecture(3, 0.0, List.of(new HiddenLayer(4, Activation.TANH, true, 0.0)), 2);
            Network net = new Network(arch, Precision.parse(precision), backend);
            boolean found = false;
            for (Parameter p : net.parameters()) {
                if (p.name().equals(tensor)) {
                    p.value().setFlat(1, value);
                    found = true;
                }
            }
            for (Buffer b : net.buffers()) {
                if (b.name().equals(tensor)) {
                    b.value().setFlat(1, value);
                    found = true;
                }
            }
            assertTrue(found, "no tensor " + tensor);
            Classifier model = new Classifier(net, new Normalization(Normalization.Kind.NONE, new double[3],
                    new double[] {1, 1, 1}), List.of("a", "b"), Map.of());
            Path file = dir.resolve("model.safetensors");
            byte[] old = "an existing model".getBytes();
            Files.write(file, old);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFile.save(model, file));
            assertEquals("model not written to " + file + ": tensor '" + tensor + "' holds " + value + " at index 1 (a"
                    + " diverged run, or statistics that overflow " + precision + "); any existing file is left as it"
                    + " was", e.getMessage());
            assertArrayEquals(old, Files.readAllBytes(file));
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(file), files.toList(), "no temporary file left");
            }
        }
    }
}
