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
        }
    }
}
