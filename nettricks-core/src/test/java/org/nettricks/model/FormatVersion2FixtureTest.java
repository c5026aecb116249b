package org.nettricks.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.data.DataSources;
import org.nettricks.layers.Buffer;
import org.nettricks.layers.Parameter;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;

/**
 * Model files written before the network became a list of layers (format_version 2, commit ba977d9)
 * still load and predict what they predicted then. The fixtures were written by
 * <pre>
 * nettricks train --data digits --hidden 16,8 --batch-norm --dropout 0.3 --input-dropout 0.1 \
 *     --optimizer adam --lr 0.01 --epochs 1 --backend java --threads 1 --out digits-bn-format2.safetensors
 * nettricks train --data digits --hidden 12 --activation tanh --epochs 1 --backend java --threads 1 \
 *     --out digits-tanh-format2.safetensors
 * </pre>
 * and the expected probabilities (digits examples 0, 1, 2 and 1000, all ten classes) were printed by
 * that same build with {@code ModelFile.load(file, new JavaBackend(2)).probabilities(DataSources.readDigits())}.
 */
class FormatVersion2FixtureTest {
    private static final int[] ROWS = {0, 1, 2, 1000};

    @Test
    void aBatchNormalizedModelWrittenBeforeTheLayerListLoadsAndPredictsTheSame() throws Exception {
        Classifier model = load("digits-bn-format2.safetensors");
        assertEquals(List.of("layers.0.weight", "layers.0.bn.weight", "layers.0.bn.bias", "layers.1.weight",
                "layers.1.bn.weight", "layers.1.bn.bias", "layers.2.weight", "layers.2.bias"),
                model.network().parameters().stream().map(Parameter::name).toList());
        assertEquals(List.of("layers.0.bn.running_mean", "layers.0.bn.running_var", "layers.1.bn.running_mean",
                "layers.1.bn.running_var"), model.network().buffers().stream().map(Buffer::name).toList());
        assertEquals("64-16-8-10", model.network().architecture().describe());
        assertProbabilities(model, new float[][] {
            {0.15296103f, 0.1105883f, 0.10497339f, 0.090391435f, 0.11616445f, 0.11035186f, 0.09213232f, 0.06540289f,
                0.09470118f, 0.062333137f},
            {0.017087413f, 0.33002967f, 0.177147f, 0.2115797f, 0.03171411f, 0.013677018f, 0.111883335f, 0.013090893f,
                0.03107964f, 0.062711254f},
            {0.045417212f, 0.19242178f, 0.15753578f, 0.13404213f, 0.05748434f, 0.044857934f, 0.17661466f,
                0.036807958f, 0.054002307f, 0.10081592f},
            {0.0020807204f, 0.43684176f, 0.20403406f, 0.13181846f, 0.0043850606f, 0.0036795384f, 0.1732416f,
                0.0013714674f, 0.0083938f, 0.03415354f}});
    }

    @Test
    void aPlainModelWrittenBeforeTheLayerListLoadsAndPredictsTheSame() throws Exception {
        Classifier model = load("digits-tanh-format2.safetensors");
        assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"),
                model.network().parameters().stream().map(Parameter::name).toList());
        assertEquals(List.of(), model.network().buffers());
        assertProbabilities(model, new float[][] {
            {0.23817845f, 0.050623257f, 0.03267109f, 0.09613835f, 0.07511552f, 0.10645227f, 0.059277587f,
                0.056882255f, 0.10019695f, 0.18446428f},
            {0.039687574f, 0.20030499f, 0.10104862f, 0.10913269f, 0.08713854f, 0.06780739f, 0.12959686f,
                0.09928871f, 0.1157604f, 0.050234232f},
            {0.04843241f, 0.15724882f, 0.06509878f, 0.1447623f, 0.102477215f, 0.092478715f, 0.114273235f,
                0.11531024f, 0.09167465f, 0.06824365f},
            {0.055604517f, 0.18749943f, 0.18072024f, 0.091096595f, 0.089501314f, 0.05916394f, 0.11364879f,
                0.06926738f, 0.07601743f, 0.07748036f}});
    }

    @TempDir
    Path dir;

    @Test
    void savingALoadedFixtureAgainWritesTheSameBytes() throws Exception {
        Path tanh = dir.resolve("digits-tanh-format2.safetensors");
        ModelFile.save(load("digits-tanh-format2.safetensors"), tanh);
        assertArrayEquals(Files.readAllBytes(Path.of(FormatVersion2FixtureTest.class
                        .getResource("digits-tanh-format2.safetensors").toURI())), Files.readAllBytes(tanh),
                "the same tensor names, shapes, bytes and metadata");
        // a batch-normalized model now also records its ε (issue 14), the default for a file without it
        Path bn = dir.resolve("digits-bn-format2.safetensors");
        ModelFile.save(load("digits-bn-format2.safetensors"), bn);
        org.nettricks.io.Safetensors.Contents before = org.nettricks.io.Safetensors.read(Path.of(
                FormatVersion2FixtureTest.class.getResource("digits-bn-format2.safetensors").toURI()));
        org.nettricks.io.Safetensors.Contents after = org.nettricks.io.Safetensors.read(bn);
        java.util.Map<String, String> expected = new java.util.LinkedHashMap<>(before.metadata());
        expected.put("batch_norm_epsilon", "1.0E-5");
        assertEquals(expected, after.metadata());
        assertEquals(before.tensors().size(), after.tensors().size());
        for (int i = 0; i < before.tensors().size(); i++) {
            assertEquals(before.tensors().get(i).name(), after.tensors().get(i).name());
            assertArrayEquals(before.tensors().get(i).shape(), after.tensors().get(i).shape());
            assertArrayEquals(before.tensors().get(i).values().floats(), after.tensors().get(i).values().floats());
        }
    }

    private final JavaBackend backend = new JavaBackend(2);

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    private Classifier load(String name) throws URISyntaxException {
        return ModelFile.load(Path.of(FormatVersion2FixtureTest.class.getResource(name).toURI()), backend);
    }

    /** Bit for bit: the same float32 network on the same backend computes the same function. */
    private static void assertProbabilities(Classifier model, float[][] expected) {
        Matrix p = model.probabilities(DataSources.readDigits());
        for (int i = 0; i < ROWS.length; i++) {
            for (int c = 0; c < expected[i].length; c++) {
                assertEquals(expected[i][c], (float) p.get(ROWS[i], c), 0.0f, "example " + ROWS[i] + ", class " + c);
            }
        }
    }
}
