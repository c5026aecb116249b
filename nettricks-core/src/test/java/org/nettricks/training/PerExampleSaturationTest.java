package org.nettricks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nettricks.config.RecipeSettings;
import org.nettricks.experiment.Experiment;
import org.nettricks.monitoring.Diagnostics;
import org.nettricks.network.Network;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * Per-example SGD gets the saturation warning too: the first ⌈32 / B⌉ batches of an epoch are judged
 * together. Checked against a hand-made network whose saturation is known, and against the same
 * recipe at batch 64, which the guard judges on one batch.
 */
class PerExampleSaturationTest {
    private static List<String> warnings(String batchSize, String activation, String initGain) {
        try (JavaBackend backend = new JavaBackend(1)) {
            Experiment e = Experiment.prepare(RecipeSettings.of("data", "digits", "hidden", "32", "batch-size",
                    batchSize, "lr", "0.001", "epochs", "1", "seed", "1", "activation", activation, "init-gain",
                    initGain), backend);
            return e.run(TrainingListener.NONE).history().warnings();
        }
    }

    @Test
    void aSigmoidLayerSaturatedByItsInitializationIsNamedAtBatchOneAsAtBatch64() {
        List<String> one = warnings("1", "sigmoid", "20");
        List<String> many = warnings("64", "sigmoid", "20");
        assertTrue(many.stream().anyMatch(w -> w.startsWith("saturated units before the first update: hidden layer 1"
                + " (sigmoid)")), String.valueOf(many));
        assertTrue(one.stream().anyMatch(w -> w.startsWith("saturated units in the first 32 batches of epoch 1 (judged"
                + " together as one batch): hidden layer 1 (sigmoid)")), String.valueOf(one));
    }

    @Test
    void aHealthyPerExampleReluRunIsNotCalledSaturated() {
        List<String> w = warnings("1", "relu", "1");
        assertTrue(w.stream().noneMatch(s -> s.startsWith("saturated")), String.valueOf(w));
    }

    /**
     * The window by hand: two one-example batches through a 1-3 ReLU layer with weights (1, −1, 0)
     * and no bias. Input +1 turns on unit 0, input −1 unit 1; unit 2 is 0 on both: 1 of 3 dead, where
     * each batch alone reads 2 of 3.
     */
    @Test
    void theWindowCountsAReluDeadOnlyWhenItIsZeroOnEveryExampleOfEveryBatch() {
        try (JavaBackend backend = new JavaBackend(1)) {
            Network net = new Network(new org.nettricks.network.Architecture(1, 0, List.of(
                    org.nettricks.network.HiddenLayer.of(3, org.nettricks.activations.Activation.RELU)), 2),
                    Precision.FLOAT64, backend);
            var dense = net.denseLayers().get(0);
            Matrix w = dense.weight().value();
            w.set(0, 0, 1);
            w.set(1, 0, -1);
            w.set(2, 0, 0);
            dense.bias().value().clear();
            Diagnostics.SaturationWindow window = new Diagnostics.SaturationWindow(net, 0);
            window.clear();
            for (double x : new double[] {1, -1}) {
                Matrix in = Matrix.zeros(1, 1, Precision.FLOAT64);
                in.set(0, 0, x);
                net.forward(in, org.nettricks.layers.Mode.TRAIN, new java.util.SplittableRandom(1));
                assertEquals(2.0 / 3, Diagnostics.saturation(net).get(0).deadShare(), 1e-15);
                window.add();
            }
            assertEquals(1.0 / 3, window.saturation().get(0).deadShare(), 1e-15);
            assertTrue(window.anyFlagged(0.3), "1 of 3 dead is more than 30%");
            assertFalse(window.anyFlagged(0.34), "and not more than 34%");
        }
    }
}
