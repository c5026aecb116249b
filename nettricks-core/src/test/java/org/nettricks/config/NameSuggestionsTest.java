package org.nettricks.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nettricks.InvalidInputException;

/** "Did you mean": the distance, the order of the rules, and unknown recipe keys. */
class NameSuggestionsTest {
    @TempDir
    Path dir;

    /** Hand-worked optimal-string-alignment distances. */
    @ParameterizedTest(name = "d({0}, {1}) = {2}")
    @CsvSource({
            "kitten, sitting, 3",     // k→s, e→i, +g
            "epohcs, epochs, 1",      // one transposition
            "ca, abc, 3",             // OSA edits no substring twice (true Damerau–Levenshtein: 2)
            "lr, lr, 0",
            "patience, pateince, 1",
            "epoch, epsilon, 5",      // e, p kept; +s, +i, +l, o kept, c→n, −h
            "'', abc, 3",
    })
    void distances(String a, String b, int expected) {
        assertEquals(expected, NameSuggestions.distance(a, b));
    }

    /** The recipe keys: a mistyped key and the key meant, or none (empty). */
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = ';', value = {
            "learning-rate; lr",
            "learning_rate; lr",
            "learningRate;  lr",
            "batch_size;    batch-size",
            "batchSize;     batch-size",
            "weight-decay;  l2",
            "weight_decay;  l2",
            "n_epochs;      epochs",
            "max_epochs;    epochs",
            "num_epochs;    epochs",
            "epoch;         epochs",
            "epoc;          epochs",
            "batchsize;     batch-size",
            "optimiser;     optimizer",
            "test_data;     test-data",
            "colour;        ''",
    })
    void recipeKeys(String typed, String expected) {
        List<String> keys = RecipeSettings.KEYS.stream().map(RecipeSettings.Key::name).toList();
        assertEquals(expected.isEmpty() ? Optional.empty() : Optional.of(expected), NameSuggestions.closest(typed,
                keys));
    }

    @Test
    void anUnknownRecipeKeyGetsAHint() throws IOException {
        Path r = Files.writeString(dir.resolve("r.yaml"), "data: digits\nlearning-rate: 0.1\n");
        String e = assertThrows(InvalidInputException.class, () -> RecipeFile.read(r)).getMessage();
        assertTrue(e.startsWith(r + " line 2: unknown key 'learning-rate' (did you mean 'lr'?); the keys are the flags"
                + " of nettricks train without their dashes: [data, "), e);
        Path far = Files.writeString(dir.resolve("far.yaml"), "data: digits\ncolour: red\n");
        String f = assertThrows(InvalidInputException.class, () -> RecipeFile.read(far)).getMessage();
        assertTrue(f.startsWith(far + " line 2: unknown key 'colour'; the keys are"), f);
    }
}
