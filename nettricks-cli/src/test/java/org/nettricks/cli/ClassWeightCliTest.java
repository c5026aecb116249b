package org.nettricks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.io.Safetensors;
import org.nettricks.io.internal.Json;

/** Issue 17, item 2: `--class-weight` on the command line and in recipes, and its refusals. */
class ClassWeightCliTest {
    @TempDir
    Path dir;

    @Test
    void balancedWeightsTrainAndAreRecordedInTheModel() throws IOException {
        Path model = dir.resolve("m.safetensors");
        CliRun t = CliRun.of("train", "--data", "digits", "--hidden", "16", "--epochs", "2", "--class-weight",
                "balanced", "--out", model.toString());
        assertEquals(0, t.status(), t.err());
        Map<?, ?> recipe = (Map<?, ?>) Json.parse(Safetensors.read(model).metadata().get("recipe"));
        assertEquals("balanced", recipe.get("class-weight"));
        String network = t.out().lines().filter(l -> l.startsWith("network ")).findFirst().orElseThrow();
        assertTrue(network.contains(" · init glorot · class weights balanced · sgd lr "), network);
    }

    @Test
    void aRecipeGivesOneWeightPerClass() throws IOException {
        Path recipe = Files.writeString(dir.resolve("r.yaml"), "data: digits\nhidden: 16\nepochs: 1\n"
                + "class-weight: 1,1,1,1,1,1,1,1,1,5\n");
        CliRun t = CliRun.of("train", "--recipe", recipe.toString());
        assertEquals(0, t.status(), t.err());
        assertTrue(t.out().contains(" · class weights 1,1,1,1,1,1,1,1,1,5 · "), t.out());
    }

    @Test
    void theWeightedGradientPassesGradcheck() {
        CliRun g = CliRun.of("gradcheck", "--data", "digits", "--hidden", "8", "--class-weight", "0.5,1,2,1,1,1,1,1,1,3");
        assertEquals(0, g.status(), g.out() + g.err());
    }

    @Test
    void badWeightsAreRefusedBeforeTraining() {
        Path model = dir.resolve("never.safetensors");
        CliRun count = CliRun.of("train", "--data", "digits", "--class-weight", "1,2", "--out", model.toString());
        assertEquals(2, count.status());
        assertEquals("nettricks train: error: --class-weight 1,2 gives 2 weights but digits has 10 classes"
                + " [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]: give one weight per class, in this order", count.err().strip());
        CliRun negative = CliRun.of("train", "--data", "digits", "--class-weight", "1,-2", "--out", model.toString());
        assertEquals(2, negative.status());
        assertTrue(negative.err().contains("--class-weight must be finite weights >= 0, got -2.0"), negative.err());
        CliRun word = CliRun.of("train", "--data", "digits", "--class-weight", "heavy", "--out", model.toString());
        assertEquals(2, word.status());
        assertTrue(word.err().contains("--class-weight must be none, balanced or one weight per class"), word.err());
        assertFalse(Files.exists(model));
    }
}
