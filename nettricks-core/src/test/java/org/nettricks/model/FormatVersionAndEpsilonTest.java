package org.nettricks.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.InvalidInputException;
import org.nettricks.activations.Activation;
import org.nettricks.data.Dataset;
import org.nettricks.data.Normalization;
import org.nettricks.io.Safetensors;
import org.nettricks.layers.Buffer;
import org.nettricks.layers.Parameter;
import org.nettricks.network.Architecture;
import org.nettricks.network.HiddenLayer;
import org.nettricks.network.Network;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Precision;

/**
 * Issue 14, class 5: the model file records batch normalization's ε and is refused when its format
 * version is unknown. A hand-set 1-1-2 network: x → w = 1 → batch normalization with μ = 0, σ² = 0,
 * γ = 1, β = 0 → tanh → logits (h, −h). In evaluation x/√ε is normalized, so for x = 0.5 and ε = 0.25
 * h = tanh(1) and f(x)₀ = 1 / (1 + e^(−2 tanh 1)); with the default ε = 1e-5, h = tanh(158.1) = 1 and
 * f(x)₀ = 1 / (1 + e^(−2)).
 */
class FormatVersionAndEpsilonTest {
    @TempDir
    Path dir;

    private static Classifier handSet(JavaBackend backend, double epsilon) {
        Network net = new Network(new Architecture(1, 0.0, List.of(new HiddenLayer(1, Activation.TANH, true, 0.0)), 2),
                Precision.FLOAT64, backend, epsilon);
        for (Parameter p : net.parameters()) {
            switch (p.name()) {
                case "layers.0.weight", "layers.0.bn.weight" -> p.value().setFlat(0, 1);
                case "layers.0.bn.bias", "layers.1.bias" -> zero(p.value());
                case "layers.1.weight" -> {
                    p.value().setFlat(0, 1);
                    p.value().setFlat(1, -1);
                }
                default -> throw new AssertionError(p.name());
            }
        }
        for (Buffer b : net.buffers()) {
            zero(b.value()); // μ = 0, σ² = 0
        }
        return new Classifier(net, new Normalization(Normalization.Kind.NONE, new double[1], new double[] {1}),
                List.of("a", "b"), Map.of());
    }

    private static void zero(org.nettricks.tensor.Matrix m) {
        for (int i = 0; i < m.size(); i++) {
            m.setFlat(i, 0);
        }
    }

    private static double p0(Classifier model) {
        return model.probabilities(new Dataset("x", new float[] {0.5f}, 1, 1, null, List.of("a", "b"), null)).get(0, 0);
    }

    private Path rewrite(Path file, String key, String value) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        if (value == null) {
            meta.remove(key);
        } else {
            meta.put(key, value);
        }
        Path out = dir.resolve(key + "-" + value + ".safetensors");
        Safetensors.write(out, meta, c.tensors());
        return out;
    }

    @Test
    void epsilonIsWrittenAndReadBack() throws IOException {
        try (JavaBackend backend = new JavaBackend(1)) {
            Path file = dir.resolve("eps.safetensors");
            ModelFile.save(handSet(backend, 0.25), file);
            assertEquals("0.25", Safetensors.read(file).metadata().get("batch_norm_epsilon"));
            assertEquals("2", Safetensors.read(file).metadata().get("format_version"));
            Classifier loaded = ModelFile.load(file, backend);
            assertEquals(0.25, loaded.network().batchNormEpsilon());
            assertEquals(1 / (1 + Math.exp(-2 * Math.tanh(1))), p0(loaded), 1e-15);
            assertFalse(loaded.provenance().containsKey("batch_norm_epsilon"), "structural, not provenance");
            // a file without the entry was written with the default ε
            Classifier old = ModelFile.load(rewrite(file, "batch_norm_epsilon", null), backend);
            assertEquals(1e-5, old.network().batchNormEpsilon());
            assertEquals(1 / (1 + Math.exp(-2)), p0(old), 1e-15);
        }
    }

    @Test
    void aBadEpsilonOrAnUnknownFormatVersionIsRefusedInOneLine() throws IOException {
        try (JavaBackend backend = new JavaBackend(1)) {
            Path file = dir.resolve("v.safetensors");
            ModelFile.save(handSet(backend, 1e-5), file);
            for (String v : new String[] {"1", "2", "3"}) {
                ModelFile.load(rewrite(file, "format_version", v), backend);
            }
            Path future = rewrite(file, "format_version", "4");
            String m = assertThrows(InvalidInputException.class, () -> ModelFile.load(future, backend)).getMessage();
            assertEquals(future + ": model format_version \"4\"; this NetTricks (" + org.nettricks.NetTricks.VERSION
                    + ") reads format versions 1, 2, 3; load it with the NetTricks that wrote it (\"null\") or a newer"
                    + " one", m);
            Path missing = rewrite(file, "format_version", null);
            assertEquals(missing + ": model format_version missing; this NetTricks (" + org.nettricks.NetTricks.VERSION
                    + ") reads format versions 1, 2, 3; load it with the NetTricks that wrote it (\"null\") or a newer"
                    + " one", assertThrows(InvalidInputException.class, () -> ModelFile.load(missing, backend))
                    .getMessage());
            for (String eps : new String[] {"0", "-1e-5", "NaN", "Infinity", "abc"}) {
                Path bad = rewrite(file, "batch_norm_epsilon", eps);
                String e = assertThrows(InvalidInputException.class, () -> ModelFile.load(bad, backend)).getMessage();
                assertEquals(bad + ": not a NetTricks model: batch_norm_epsilon must be a finite number > 0, got \""
                        + eps + "\"", e);
            }
        }
    }
}
