package org.nettricks.selection;

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
import org.nettricks.losses.RegressionLoss;

class SearchSpaceTest {
    @TempDir
    Path dir;

    private SearchSpace space(String text) throws IOException {
        return SearchSpace.read(Files.writeString(dir.resolve("s.yaml"), text));
    }

    private String refusal(String text) {
        return assertThrows(InvalidInputException.class, () -> space(text)).getMessage();
    }

    @Test
    void readsGridsListsAndDistributions() throws IOException {
        SearchSpace s = space("""
                data: digits
                epochs: 3
                hidden: grid("32", "64,32")
                lr: loguniform(1e-4, 1e-1)
                batch-size: [32, 64]
                dropout: uniform(0, 0.5)
                optimizer: choice(sgd, adam)
                patience: int(2, 6)
                """);
        assertEquals(List.of("hidden", "lr", "batch-size", "dropout", "optimizer", "patience"),
                s.dimensions().stream().map(Dimension::key).toList());
        assertEquals(Dimension.grid("hidden", List.of("32", "64,32")), s.dimensions().get(0));
        assertEquals(Dimension.grid("batch-size", List.of("32", "64")), s.dimensions().get(2));
        Recipe r = s.recipe(Map.of("hidden", "64,32", "lr", "0.01", "batch-size", "32", "dropout", "0.2",
                "optimizer", "adam", "patience", "3"), 77);
        assertEquals(List.of(64, 32), r.network().hidden());
        assertEquals(77, r.seed());
        assertEquals(1, r.data().splitSeed(), "every trial keeps the space's split");
    }

    @Test
    void invalidSpacesFailBeforeAnyTrial() {
        assertTrue(refusal("data: digits\nlr: uniform(0.5, 0.1)\n")
                .contains("lr: uniform(0.5, 0.1) is an empty range"), "empty range");
        assertTrue(refusal("data: digits\nlr: loguniform(0, 0.1)\n")
                .contains("lr: loguniform(0, 0.1) reaches zero or below"), "log-uniform over 0");
        assertTrue(refusal("data: digits\nlearning-rate: uniform(0, 1)\n")
                .contains("unknown key 'learning-rate'"), "unknown key");
        assertTrue(refusal("data: digits\nlr: normal(0, 1)\n")
                .contains("unknown distribution 'normal'"), "unknown distribution");
        assertTrue(refusal("data: digits\nlr: grid(0.1, -1)\n")
                .contains("lr = grid(0.1, -1): the value -1 is invalid"), "a value the recipe refuses");
        assertTrue(refusal("data: digits\ndropout: uniform(0, 1.5)\n").contains("dropout = uniform(0, 1.5)"),
                "a range end the recipe refuses");
        assertTrue(refusal("lr: uniform(0.1, 0.2)\n").contains("no 'data' key"));
    }

    @Test
    void aSpaceSearchingHubersDeltaAlongsideTheLossRunsAndASquaredErrorTrialIgnoresTheDelta() throws IOException {
        SearchSpace s = space("""
                data: digits
                task: regression
                loss: choice(squared-error, huber)
                huber-delta: uniform(0.5, 2)
                lr: loguniform(1e-4, 1e-2)
                """);
        Recipe huber = s.recipe(Map.of("loss", "huber", "huber-delta", "1.5", "lr", "0.001"), 1);
        assertEquals(new RegressionLoss(RegressionLoss.Kind.HUBER, 1.5), huber.optimizer().regressionLoss());
        Recipe squared = s.recipe(Map.of("loss", "squared-error", "huber-delta", "1.5", "lr", "0.001"), 1);
        assertEquals(RegressionLoss.squaredError(), squared.optimizer().regressionLoss());
        // the delta's range is still checked, with loss huber: 0 is no valid delta
        String refused = refusal("data: digits\ntask: regression\nloss: choice(squared-error, huber)\n"
                + "huber-delta: uniform(0, 2)\n");
        assertTrue(refused.startsWith("search space huber-delta = uniform(0, 2): the value 0 is invalid: "), refused);
        // searching the delta when no trial uses huber is still refused, keys as the file writes them
        assertEquals("search space: " + dir.resolve("s.yaml") + " line 3: huber-delta applies to loss huber only, but"
                + " the loss is squared-error; set loss huber, or drop huber-delta (with every searched key at its"
                + " typical value: huber-delta = 1.25, lr = 0.001)", refusal("data: digits\ntask: regression\n"
                + "huber-delta: uniform(0.5, 2)\nlr: loguniform(1e-4, 1e-2)\n"));
    }

    @Test
    void aRefusalOfFixedSettingsAloneHasNoTailOfTypicalValues() {
        // hand-written expectation: class-weight and task are both fixed, so the searched keys take no part
        assertEquals("search space: " + dir.resolve("s.yaml") + " line 3: class-weight weighs classes, but task is"
                + " regression (numeric targets, no classes); drop class-weight, or use task classification",
                refusal("data: digits\ntask: regression\nclass-weight: balanced\nhidden: int(4, 16)\n"
                        + "lr: loguniform(1e-4, 1e-2)\n"));
    }

    @Test
    void shortNumbersKeepFourSignificantDigits() {
        assertEquals("0.001", SearchSpace.shortNumber("0.0010000000000000002"));
        assertEquals("1.25", SearchSpace.shortNumber("1.25"));
        assertEquals("1.333", SearchSpace.shortNumber(Double.toString(4.0 / 3)));
        assertEquals("16", SearchSpace.shortNumber("16"));
        assertEquals("huber", SearchSpace.shortNumber("huber"));
    }

    @Test
    void refiningNarrowsRangesToTheTopTrials() throws IOException {
        SearchSpace s = space("data: digits\nlr: loguniform(1e-4, 1)\nactivation: choice(relu, tanh, sigmoid)\n");
        List<TrialResult> top = List.of(
                new TrialResult(0, 1, Map.of("lr", "0.01", "activation", "relu"), "ok", 1, 0.1, 0.3, 1, 1),
                new TrialResult(1, 1, Map.of("lr", "0.001", "activation", "tanh"), "ok", 1, 0.12, 0.3, 1, 1));
        SearchSpace r = s.refine(top);
        Dimension.Numeric lr = (Dimension.Numeric) r.dimensions().get(0);
        // 0.001 and 0.01 sit at 0.25 and 0.5 of the log range; widened by 0.1: 0.15 … 0.6
        assertEquals(Math.pow(10, -4 + 4 * 0.15), lr.low(), 1e-12);
        assertEquals(Math.pow(10, -4 + 4 * 0.6), lr.high(), 1e-12);
        assertEquals(Dimension.choice("activation", List.of("relu", "tanh")), r.dimensions().get(1));
    }
}
