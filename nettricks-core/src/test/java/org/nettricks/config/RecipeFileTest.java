package org.nettricks.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.InvalidInputException;
import org.nettricks.config.Recipe;
import org.nettricks.config.RecipeSettings;

class RecipeFileTest {
    @TempDir
    Path dir;

    @Test
    void yamlAndJsonGiveTheSameRecipe() throws IOException {
        Path yaml = Files.writeString(dir.resolve("r.yaml"), """
                # every trick
                data: digits
                hidden: [64, 32]   # two layers
                dropout:
                  - 0.5
                  - 0.25
                batch-norm: true
                optimizer: "adam"
                lr: 1e-3
                patience: 4
                """);
        Path json = Files.writeString(dir.resolve("r.json"), """
                {"data": "digits", "hidden": [64, 32], "dropout": [0.5, 0.25], "batch-norm": true,
                 "optimizer": "adam", "lr": 0.001, "patience": 4}
                """);
        Recipe a = RecipeSettings.parse(RecipeFile.read(yaml));
        Recipe b = RecipeSettings.parse(RecipeFile.read(json));
        assertEquals(a, b);
        assertEquals(List.of(64, 32), a.network().hidden());
        assertEquals(List.of(0.5, 0.25), a.network().dropout());
        assertTrue(a.network().batchNorm());
        assertEquals(0.001, a.optimizer().learningRate());
        assertEquals(0.999, a.optimizer().beta2(), "Adam's default β2");
        assertEquals(4, a.regularization().patience());
    }

    @Test
    void mistakesNameTheFileAndLine() throws IOException {
        Path unknown = Files.writeString(dir.resolve("u.yaml"), "data: digits\nlearning-rate: 0.1\n");
        String e = assertThrows(InvalidInputException.class, () -> RecipeFile.read(unknown)).getMessage();
        assertTrue(e.startsWith(unknown + " line 2: unknown key 'learning-rate'"), e);

        Path bad = Files.writeString(dir.resolve("b.yaml"), "data: digits\n\nlr: -3\n");
        String e2 = assertThrows(InvalidInputException.class,
                () -> RecipeSettings.parse(RecipeFile.read(bad))).getMessage();
        assertEquals(bad + " line 3: lr must be in (0, ∞), got -3; e.g. lr: 0.1", e2);

        Path nested = Files.writeString(dir.resolve("n.yaml"), "data: digits\noptimizer:\n  name: adam\n");
        String e3 = assertThrows(InvalidInputException.class, () -> RecipeFile.read(nested)).getMessage();
        assertTrue(e3.startsWith(nested + " line 3: unexpected indentation"), e3);
    }

    @Test
    void conflictingSettingsAreRefused() {
        String e = assertThrows(InvalidInputException.class, () -> RecipeSettings.of("data", "digits", "patience", "3",
                "validation-fraction", "0")).getMessage();
        assertEquals("--patience needs a validation set, but validation-fraction is 0; give a validation fraction such"
                + " as 0.1, or drop patience; e.g. --patience 5", e);
        String e2 = assertThrows(InvalidInputException.class, () -> RecipeSettings.of("data", "digits", "hidden",
                "8,8,8", "dropout", "0.5,0.2")).getMessage();
        assertTrue(e2.startsWith("--dropout gives 2 probabilities for 3 hidden layers"), e2);
        assertThrows(InvalidInputException.class, () -> RecipeSettings.parse(Map.of("data",
                RecipeSettings.Setting.flag("data", "digits"), "dropout", RecipeSettings.Setting.flag("dropout", "1"))));
    }
}
