package org.nettricks.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nettricks.InvalidInputException;
import org.nettricks.config.Recipe;
import org.nettricks.config.RecipeSettings;
import org.nettricks.network.Architecture;
import org.nettricks.tensor.Precision;

/** Issue 14, class 3: the memory a recipe's training needs, checked against the heap before allocation. */
class TrainingMemoryTest {
    /**
     * 64-128-10 ReLU, worked by hand: parameters 64·128 + 128 + 128·10 + 10 = 9,610; per example in
     * training a and ∇a of both linear layers (2·128 + 2·10) and h of the ReLU (128) = 404 values;
     * evaluation keeps 128 + 10 = 138 values per example.
     */
    @Test
    void theEstimateOfASmallNetworkWorkedByHand() {
        Architecture arch = Architecture.of(64, List.of(128), org.nettricks.activations.Activation.RELU, 10);
        assertEquals(9_610, TrainingMemory.parameterCount(arch));
        TrainingMemory.Estimate sgd = TrainingMemory.estimate(arch, 16, Precision.FLOAT32, 0, 359);
        assertEquals(3 * 4 * 9_610, sgd.parameters());
        assertEquals(16 * 4 * 404, sgd.training());
        assertEquals(359 * 4 * 138, sgd.evaluation());
        assertEquals(115_320 + 25_856 + 198_168, sgd.total());
        // Adam's two state tensors, float64, an evaluation set larger than its batches of 1,000
        TrainingMemory.Estimate adam = TrainingMemory.estimate(arch, 16, Precision.FLOAT64, 2, 10_000);
        assertEquals(5 * 8 * 9_610, adam.parameters());
        assertEquals(1_000 * 8 * 138, adam.evaluation());
    }

    @Test
    void theOptimizersStateTensorsAreCounted() {
        assertEquals(0, TrainingMemory.stateTensors(RecipeSettings.of("data", "digits", "optimizer", "sgd")));
        assertEquals(1, TrainingMemory.stateTensors(RecipeSettings.of("data", "digits", "optimizer", "momentum")));
        assertEquals(2, TrainingMemory.stateTensors(RecipeSettings.of("data", "digits", "optimizer", "adam")));
    }

    @Test
    void aHeapOneByteShortIsRefusedAndAnExactFitAccepted() {
        Recipe r = RecipeSettings.of("data", "digits", "hidden", "128", "batch-size", "16");
        long need = 115_320 + 25_856 + 198_168;
        TrainingMemory.require(r, 64, 10, 359, need, null);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TrainingMemory.require(r, 64, 10, 359, need - 1, null));
        assertTrue(e.getMessage().startsWith("`hidden` 128: training a 64-128-10 network in float32 with sgd and"
                + " batches of 16 needs at least 0.3 MiB (9,610 parameters"), e.getMessage());
    }

    /** Sizes × sources: which key the message names, for a heap of 1 GiB. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // hidden     | batch      | inputs     | expected subject
            "40000000     | 64         | 64         | `hidden` 40000000: ",
            "100,40000000 | 64         | 64         | `hidden` 100,40000000: ",
            "1000         | 100000000  | 64         | `batch-size` 100000000: ",
            "none         | 64         | 300000000  | `data` digits: ",
            "2147483647   | 1          | 1          | `hidden` 2147483647: ",
            "2000000000,2000000000 | 64 | 64       | `hidden` 2000000000,2000000000: "})
    void sizesAreRefusedNamingTheirSource(String hidden, int batch, int inputs, String subject) {
        Recipe r = RecipeSettings.of("data", "digits", "hidden", hidden, "batch-size", Integer.toString(batch));
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TrainingMemory.require(r, inputs, 10, 1000, 1L << 30, null));
        assertTrue(e.getMessage().startsWith(subject), e.getMessage());
        assertTrue(e.getMessage().contains("but the JVM's maximum heap is 1.0 GiB"), e.getMessage());
    }

    @Test
    void aMatrixLargerThanAJavaArrayIsRefusedWhateverTheHeap() {
        // 64 × 40,000,000 weights: 2.56·10⁹ values, more than an array holds, even with an unbounded heap
        Recipe r = RecipeSettings.of("data", "digits", "hidden", "40000000");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> TrainingMemory.require(r, 64, 10, 1000, Long.MAX_VALUE, null));
        assertEquals("`hidden` 40000000: the weight matrix layers.0.weight would hold 40000000 × 64 = 2,560,000,000"
                + " values, more than one Java array holds (2,147,483,639); choose smaller layers (`hidden`)",
                e.getMessage());
    }
}
