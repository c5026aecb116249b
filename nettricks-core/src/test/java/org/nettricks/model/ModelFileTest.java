package org.nettricks.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.InvalidInputException;
import org.nettricks.data.DataSources;
import org.nettricks.data.Dataset;
import org.nettricks.model.Classifier;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;
import org.nettricks.experiment.Experiment;
import org.nettricks.config.Recipe;
import org.nettricks.config.RecipeSettings;
import org.nettricks.training.TrainingListener;
import org.nettricks.io.Safetensors;
import org.nettricks.activations.Activation;
import org.nettricks.data.Normalization;
import org.nettricks.init.GlorotUniform;
import org.nettricks.layers.LayerSpec.ActivationSpec;
import org.nettricks.layers.LayerSpec.BatchNormSpec;
import org.nettricks.layers.LayerSpec.DropoutSpec;
import org.nettricks.layers.LayerSpec.LinearSpec;
import org.nettricks.network.Architecture;
import org.nettricks.network.HiddenLayer;
import org.nettricks.network.Network;

class ModelFileTest {
    @TempDir
    Path dir;

    @Test
    void aLoadedModelGivesBitIdenticalProbabilities() throws IOException {
        for (Precision precision : Precision.values()) {
            try (JavaBackend backend = new JavaBackend(2)) {
                Recipe recipe = RecipeSettings.of("data", "digits", "normalize", "standardize", "hidden", "20,10",
                        "activation", "sigmoid", "batch-size", "32", "epochs", "2", "seed", "3", "precision",
                        precision.displayName());
                Classifier trained = Experiment.prepare(recipe, backend).run(TrainingListener.NONE).model();
                Path file = dir.resolve("m-" + precision + ".safetensors");
                ModelFile.save(trained, file);
                Classifier loaded = ModelFile.load(file, backend);
                Dataset raw = DataSources.readDigits();
                Matrix a = trained.probabilities(raw);
                Matrix b = loaded.probabilities(raw);
                for (int i = 0; i < a.size(); i++) {
                    assertEquals(Double.doubleToRawLongBits(a.getFlat(i)), Double.doubleToRawLongBits(b.getFlat(i)));
                }
                assertEquals(trained.classNames(), loaded.classNames());
                assertEquals(trained.normalization(), loaded.normalization());
                assertEquals("3", loaded.provenance().get("seed"));
                assertTrue(loaded.provenance().get("recipe").contains("\"activation\":\"sigmoid\""));
            }
        }
    }

    @Test
    void batchNormalizationParametersAndBuffersRoundTrip() throws IOException {
        try (JavaBackend backend = new JavaBackend(2)) {
            Recipe recipe = RecipeSettings.of("data", "digits", "hidden", "16,8", "batch-norm", "true", "dropout", "0.3",
                    "input-dropout", "0.1", "optimizer", "adam", "epochs", "2", "seed", "4");
            Classifier trained = Experiment.prepare(recipe, backend).run(TrainingListener.NONE).model();
            Path file = dir.resolve("bn.safetensors");
            ModelFile.save(trained, file);
            Safetensors.Contents raw = Safetensors.read(file);
            assertEquals(List.of(16), java.util.Arrays.stream(raw.tensor("layers.0.bn.running_var").shape()).boxed()
                    .toList());
            assertEquals(null, raw.tensor("layers.0.bias"), "no bias under batch normalization");
            Classifier loaded = ModelFile.load(file, backend);
            assertEquals(trained.network().architecture(), loaded.network().architecture());
            Matrix a = trained.probabilities(DataSources.readDigits());
            Matrix b = loaded.probabilities(DataSources.readDigits());
            for (int i = 0; i < a.size(); i++) {
                assertEquals(Double.doubleToRawLongBits(a.getFlat(i)), Double.doubleToRawLongBits(b.getFlat(i)));
            }
        }
    }

    @Test
    void aListOfLayersOutsideTheStandardStackRoundTripsUnderFormatVersion3() throws IOException {
        Architecture arch = new Architecture(64, List.of(new LinearSpec(12), new ActivationSpec(Activation.TANH),
                new BatchNormSpec(), new DropoutSpec(0.2), new LinearSpec(10)));
        try (JavaBackend backend = new JavaBackend(2)) {
            Network net = new Network(arch, Precision.FLOAT32, backend);
            net.initialize(new GlorotUniform(), new java.util.SplittableRandom(8));
            for (int j = 0; j < 12; j++) { // population statistics other than the defaults, to see them saved
                net.buffers().get(0).value().setFlat(j, 0.1 * j);
                net.buffers().get(1).value().setFlat(j, 1 + 0.2 * j);
            }
            Dataset raw = DataSources.readDigits();
            Classifier model = new Classifier(net, Normalization.fit(Normalization.Kind.SCALE, raw), raw.classNames(),
                    java.util.Map.of("seed", "8"));
            Path file = dir.resolve("custom.safetensors");
            ModelFile.save(model, file);
            Safetensors.Contents contents = Safetensors.read(file);
            assertEquals("3", contents.metadata().get("format_version"));
            assertEquals("{\"input_size\":64,\"layers\":[{\"type\":\"linear\",\"size\":12,\"bias\":true},"
                    + "{\"type\":\"activation\",\"activation\":\"tanh\"},{\"type\":\"batch_norm\"},"
                    + "{\"type\":\"dropout\",\"probability\":0.2},{\"type\":\"linear\",\"size\":10,\"bias\":true}]}",
                    contents.metadata().get("architecture"));
            Classifier loaded = ModelFile.load(file, backend);
            assertEquals(arch, loaded.network().architecture());
            assertEquals(List.of("layers.0.bn.running_mean", "layers.0.bn.running_var"),
                    loaded.network().buffers().stream().map(org.nettricks.layers.Buffer::name).toList());
            Matrix a = model.probabilities(raw);
            Matrix b = loaded.probabilities(raw);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(Double.doubleToRawLongBits(a.getFlat(i)), Double.doubleToRawLongBits(b.getFlat(i)));
            }
        }
    }

    @Test
    void theStandardStackKeepsTheArchitectureJsonOfFormatVersion2() {
        Architecture arch = new Architecture(64, 0.1, List.of(new HiddenLayer(16, Activation.RELU, true, 0.3),
                new HiddenLayer(8, Activation.TANH, false, 0)), 10);
        assertEquals("{\"input_size\":64,\"input_dropout\":0.1,\"hidden\":[{\"size\":16,\"activation\":\"relu\","
                + "\"batch_norm\":true,\"dropout\":0.3},{\"size\":8,\"activation\":\"tanh\",\"batch_norm\":false,"
                + "\"dropout\":0.0}],\"output_size\":10}", ModelFile.architectureJson(arch));
    }

    @Test
    void aFileThatIsNotAModelOrHasWrongShapesIsRefused() throws IOException {
        Path plain = dir.resolve("plain.safetensors");
        Safetensors.write(plain, java.util.Map.of(), List.of(new Safetensors.Tensor("x", new int[] {1},
                Matrix.of(Precision.FLOAT32, 1, 1, 1))));
        try (JavaBackend backend = new JavaBackend(1)) {
            assertTrue(assertThrows(InvalidInputException.class, () -> ModelFile.load(plain, backend)).getMessage()
                    .contains("has no \"format\": \"nettricks-classifier\" entry"));
            Recipe recipe = RecipeSettings.of("data", "digits", "validation-fraction", "0", "hidden", "8",
                    "batch-size", "32", "epochs", "1");
            Path good = dir.resolve("good.safetensors");
            ModelFile.save(Experiment.prepare(recipe, backend).run(TrainingListener.NONE).model(), good);
            String text = Files.readString(good, java.nio.charset.StandardCharsets.ISO_8859_1);
            // claim a different architecture than the tensors hold
            Path lying = dir.resolve("lying.safetensors");
            Files.writeString(lying, text.replace("\"size\\\":8,", "\"size\\\":9,"),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            String msg = assertThrows(InvalidInputException.class, () -> ModelFile.load(lying, backend)).getMessage();
            assertTrue(msg.contains("tensor 'layers.0.weight' has shape [8, 64] but the architecture 64-9-10 needs"
                    + " [9, 64]"), msg);
            // a corrupt width of 2^31 − 1: refused before the network (8 GiB of weights) is built
            Path huge = dir.resolve("huge-width.safetensors");
            Files.writeString(huge, text.replace("\"size\\\":8,", "\"size\\\":2147483647,"),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
            byte[] bytes = Files.readAllBytes(huge); // the header grew by 9 characters
            java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0,
                    java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0) + 9);
            Files.write(huge, bytes);
            String hugeMsg = assertThrows(InvalidInputException.class, () -> ModelFile.load(huge, backend))
                    .getMessage();
            assertTrue(hugeMsg.contains("its architecture 64-2147483647-10 needs 158913789878 weights but its tensors"
                    + " hold "), hugeMsg);
        }
    }
}
