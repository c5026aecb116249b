package org.nettricks.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.InvalidInputException;
import org.nettricks.config.RecipeSettings;
import org.nettricks.data.DataSources;
import org.nettricks.data.Dataset;
import org.nettricks.data.InputSchema;
import org.nettricks.data.Normalization;
import org.nettricks.experiment.Experiment;
import org.nettricks.init.GlorotUniform;
import org.nettricks.io.Safetensors;
import org.nettricks.network.Architecture;
import org.nettricks.network.Network;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Precision;
import org.nettricks.training.TrainingListener;

/** Issue 14, class 2: a model file keeps its training data's feature names and label column, or image shape. */
class InputSchemaModelFileTest {
    @TempDir
    Path dir;

    private final JavaBackend backend = new JavaBackend(1);

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    static String threeClasses() {
        try {
            return Path.of(InputSchemaModelFileTest.class.getResource("/org/nettricks/data/cases/three-classes.csv")
                    .toURI()).toString();
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theTrainingHeaderAndLabelColumnAreSavedAndLoaded() throws IOException {
        Classifier trained = Experiment.prepare(RecipeSettings.of("data", threeClasses(), "hidden", "4", "epochs", "1"),
                backend).run(TrainingListener.NONE).model();
        assertEquals(InputSchema.columns(List.of("x1", "x2"), "label"), trained.inputSchema());
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(trained, file);
        Map<String, String> meta = Safetensors.read(file).metadata();
        assertEquals("[\"x1\",\"x2\"]", meta.get("feature_names"));
        assertEquals("label", meta.get("label_column"));
        assertNull(meta.get("image_shape"));
        Classifier loaded = ModelFile.load(file, backend);
        assertEquals(trained.inputSchema(), loaded.inputSchema());
        assertNull(loaded.provenance().get("feature_names"), "structural, not provenance");
    }

    @Test
    void imagesKeepTheirShape() throws IOException {
        Classifier model = model(InputSchema.image(8, 8));
        Path file = dir.resolve("images.safetensors");
        ModelFile.save(model, file);
        assertEquals("[8,8]", Safetensors.read(file).metadata().get("image_shape"));
        assertEquals(InputSchema.image(8, 8), ModelFile.load(file, backend).inputSchema());
    }

    @Test
    void aModelFileWithoutASchemaLoadsWithNone() throws Exception {
        for (String fixture : List.of("digits-bn-format2.safetensors", "digits-tanh-format2.safetensors")) {
            Path file = Path.of(InputSchemaModelFileTest.class.getResource(fixture).toURI());
            assertNull(ModelFile.load(file, backend).inputSchema(), fixture);
        }
        Path file = dir.resolve("none.safetensors"); // format 3 (a list of layers) without a schema
        ModelFile.save(model(null), file);
        assertEquals("3", Safetensors.read(file).metadata().get("format_version"));
        assertNull(ModelFile.load(file, backend).inputSchema());
    }

    @Test
    void aCorruptSchemaIsRefused() throws IOException {
        Path file = dir.resolve("m.safetensors");
        ModelFile.save(model(InputSchema.image(8, 8)), file);
        Safetensors.Contents contents = Safetensors.read(file);
        record Corruption(String key, String value, String remove, String message) {
        }
        for (Corruption c : List.of(
                new Corruption("image_shape", "[8,9]", null, "image_shape [8, 9] does not hold the network's 64 inputs"),
                new Corruption("image_shape", "[0,8]", null, "image_shape [0, 8] has a dimension below 1"),
                new Corruption("image_shape", "[2147483647,2147483647,2]", null, "does not hold the network's 64"),
                new Corruption("feature_names", "[\"a\",\"b\"]", "image_shape", "2 feature_names for a network of 64"),
                new Corruption("feature_names", "[1]", "image_shape", "feature_names must be a list of strings"),
                new Corruption("feature_names", "[\"a\"]", null, "both feature_names and image_shape"),
                new Corruption("label_column", "label", "image_shape", "a label_column but no feature_names"))) {
            Map<String, String> meta = new LinkedHashMap<>(contents.metadata());
            meta.put(c.key(), c.value());
            if (c.remove() != null) {
                meta.remove(c.remove());
            }
            Path bad = dir.resolve("bad.safetensors");
            Safetensors.write(bad, meta, contents.tensors());
            String message = assertThrows(InvalidInputException.class, () -> ModelFile.load(bad, backend))
                    .getMessage();
            assertTrue(message.startsWith(bad + ": not a NetTricks model: ") && message.contains(c.message()),
                    message);
        }
    }

    @Test
    void aSchemaMustFitTheNetwork() {
        assertThrows(IllegalArgumentException.class, () -> model(InputSchema.image(8, 9)));
    }

    /** A 64-8-10 network outside the standard stack (batch norm after tanh: format 3) for the digits, with the given schema. */
    private Classifier model(InputSchema schema) {
        Architecture arch = new Architecture(64, List.of(new org.nettricks.layers.LayerSpec.LinearSpec(8),
                new org.nettricks.layers.LayerSpec.ActivationSpec(org.nettricks.activations.Activation.TANH),
                new org.nettricks.layers.LayerSpec.BatchNormSpec(), new org.nettricks.layers.LayerSpec.LinearSpec(10)));
        Network net = new Network(arch, Precision.FLOAT32, backend);
        net.initialize(new GlorotUniform(), new java.util.SplittableRandom(1));
        Dataset raw = DataSources.readDigits();
        return new Classifier(net, Normalization.fit(Normalization.Kind.SCALE, raw), raw.classNames(), schema,
                Map.of());
    }
}
