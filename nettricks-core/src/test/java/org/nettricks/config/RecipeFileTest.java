package org.nettricks.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
        assertEquals(0.999, a.optimizer().hyperparameter("beta2"), "Adam's default β2");
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
        assertTrue(e3.startsWith(nested + " line 3: optimizer: a nested mapping is not supported"), e3);
    }

    private List<RecipeFile.Entry> entries(String name, String text) throws IOException {
        return RecipeFile.readEntries(Files.writeString(dir.resolve(name), text));
    }

    private String refusal(String name, String text) throws IOException {
        Path file = Files.writeString(dir.resolve(name), text);
        return assertThrows(InvalidInputException.class, () -> RecipeFile.readEntries(file)).getMessage();
    }

    @Test
    void yaml12FormsTheOldSubsetRefusedNowLoad() throws IOException {
        Path file = dir.resolve("y.yaml");
        Files.write(file, ("\uFEFF---\n"
                + "# a byte-order mark, a document marker, a block list at the key's indentation\n"
                + "data: 'digits'\n"
                + "hidden:\n"
                + "- 64\n"
                + "- 32\n"
                + "dropout: [0.5,\n"
                + "          0.25]   # a flow list over two lines\n"
                + "batch-norm: on\n"
                + "tied: no\n"
                + "pretrain: \"dae\"\n"
                + "schedule: step:2:0.5\n"
                + "...\n").getBytes(StandardCharsets.UTF_8));
        List<RecipeFile.Entry> e = RecipeFile.readEntries(file);
        assertEquals(List.of(
                new RecipeFile.Entry("data", "digits", null, file + " line 3"),
                new RecipeFile.Entry("hidden", "64,32", List.of("64", "32"), file + " line 4"),
                new RecipeFile.Entry("dropout", "0.5,0.25", List.of("0.5", "0.25"), file + " line 7"),
                new RecipeFile.Entry("batch-norm", "on", null, file + " line 9"),
                new RecipeFile.Entry("tied", "no", null, file + " line 10"),
                new RecipeFile.Entry("pretrain", "dae", null, file + " line 11"),
                new RecipeFile.Entry("schedule", "step:2:0.5", null, file + " line 12")), e);
        Recipe r = RecipeSettings.parse(RecipeFile.read(file));
        assertEquals(List.of(64, 32), r.network().hidden());
        assertEquals(List.of(0.5, 0.25), r.network().dropout());
        assertTrue(r.network().batchNorm(), "on is the recipe's yes");
        assertEquals(false, r.pretraining().tied(), "no is the recipe's no");
    }

    @Test
    void theDocumentedRecipesLoadAsBefore() {
        Path docs = Path.of("..", "docs", "recipes");
        Path all = docs.resolve("fashion-mnist-all-tricks.yaml");
        // the values the hand-written parser gave, key by key, with the line of each key
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        String[][] tricks = {{"data", "fashion-mnist", "3"}, {"hidden", "1024,1024", "4"}, {"activation", "relu", "5"},
            {"batch-norm", "true", "6"}, {"dropout", "0.5", "7"}, {"input-dropout", "0.2", "8"},
            {"optimizer", "adam", "9"}, {"lr", "0.001", "10"}, {"batch-size", "128", "11"}, {"epochs", "50", "12"},
            {"patience", "5", "13"}, {"seed", "1", "14"}};
        for (String[] t : tricks) {
            expected.put(t[0], t[1] + " @ " + all + " line " + t[2]);
        }
        Map<String, String> got = new java.util.LinkedHashMap<>();
        RecipeFile.read(all).forEach((k, v) -> got.put(k, v.value() + " @ " + v.where()));
        assertEquals(expected, got);

        Path search = docs.resolve("search-fashion-mnist.yaml");
        List<String> texts = RecipeFile.readEntries(search).stream().map(e -> e.key() + "=" + e.text()).toList();
        assertEquals(List.of("data=fashion-mnist", "train-limit=10000", "epochs=8",
                "hidden=choice(\"128\", \"256\", \"512\", \"256,256\")", "activation=choice(relu, tanh)",
                "optimizer=choice(sgd, momentum, adam)", "lr=loguniform(1e-4, 0.5)",
                "batch-size=choice(32, 64, 128, 256)", "dropout=uniform(0, 0.6)", "l2=loguniform(1e-7, 1e-2)",
                "batch-norm=choice(true, false)"), texts);
    }

    @Test
    void jsonRecipesKeepTheirLines() throws IOException {
        List<RecipeFile.Entry> e = entries("r.json", "{\n  \"data\": \"digits\",\n  \"hidden\": [64, 32],\n"
                + "  \"lr\": 1e-3,\n  \"epochs\": 2.0,\n  \"batch-norm\": true\n}\n");
        Path f = dir.resolve("r.json");
        assertEquals(List.of(
                new RecipeFile.Entry("data", "digits", null, f + " line 2"),
                new RecipeFile.Entry("hidden", "64,32", List.of("64", "32"), f + " line 3"),
                new RecipeFile.Entry("lr", "0.001", null, f + " line 4"),
                new RecipeFile.Entry("epochs", "2", null, f + " line 5"),
                new RecipeFile.Entry("batch-norm", "true", null, f + " line 6")), e);
        Path json = dir.resolve("j.json");
        String nested = refusal("j.json", "{\"data\": \"digits\",\n \"optimizer\": {\"name\": \"adam\"}}");
        assertEquals(json + " line 2: optimizer: nested objects are not supported; a recipe is a flat set of"
                + " settings", nested);
        String twice = refusal("j.json", "{\"lr\": 0.1,\n\n \"lr\": 0.2}");
        assertEquals(json + " line 3: key 'lr' appears twice (first at " + json + " line 1); keep one", twice);
        String broken = refusal("j.json", "{\"data\": \"digits\",\n \"lr\": 0.1,\n}");
        assertTrue(broken.startsWith(json + " line 3: not valid JSON: "), broken);
        String notObject = refusal("j.json", "[1, 2]");
        assertEquals(json + " line 1: a JSON recipe must be one object of settings", notObject);
    }

    @Test
    void yamlMistakesNameTheFileAndLine() throws IOException {
        Path y = dir.resolve("m.yaml");
        assertEquals(y + " line 3: key 'lr' appears twice (first at " + y + " line 1); keep one",
                refusal("m.yaml", "lr: 0.1\ndata: digits\nlr: 0.2\n"));
        assertEquals(y + " line 2: a recipe must be a mapping of 'key: value' settings, one per line, e.g."
                + " 'data: digits'", refusal("m.yaml", "# a list, not a recipe\n- data\n- digits\n"));
        assertEquals(y + " line 2: hidden: lists must hold plain values",
                refusal("m.yaml", "hidden:\n- [1, 2]\n"));
        String anchor = refusal("m.yaml", "lr: &rate 0.1\npretrain-lr: *rate\n");
        assertTrue(anchor.startsWith(y + " line 1: anchors and aliases (&rate, *rate) are not supported"), anchor);
        String indentation = refusal("m.yaml", "data: digits\nlr: 0.1\n  epochs: 3\n");
        assertTrue(indentation.startsWith(y + " line 3: not valid YAML: "), indentation);
        String twoDocuments = refusal("m.yaml", "data: digits\n---\nlr: 0.1\n");
        assertTrue(twoDocuments.startsWith(y + " line 2: not valid YAML: "), twoDocuments);
        assertEquals(List.of(), entries("empty.yaml", "# nothing yet\n"));
    }

    @Test
    void conflictingSettingsAreRefused() {
        String e = assertThrows(InvalidInputException.class, () -> RecipeSettings.of("data", "digits", "patience", "3",
                "validation-fraction", "0")).getMessage();
        assertEquals("--patience needs a validation set, but validation-fraction is 0; give a validation fraction such"
                + " as 0.1, or drop patience", e, "the message says the fix: no example of --patience after it");
        String e2 = assertThrows(InvalidInputException.class, () -> RecipeSettings.of("data", "digits", "hidden",
                "8,8,8", "dropout", "0.5,0.2")).getMessage();
        assertTrue(e2.startsWith("--dropout gives 2 probabilities for 3 hidden layers"), e2);
        assertThrows(InvalidInputException.class, () -> RecipeSettings.parse(Map.of("data",
                RecipeSettings.Setting.flag("data", "digits"), "dropout", RecipeSettings.Setting.flag("dropout", "1"))));
    }
}
