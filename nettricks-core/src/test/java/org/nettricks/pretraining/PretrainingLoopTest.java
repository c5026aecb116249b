package org.nettricks.pretraining;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nettricks.activations.Activation;
import org.nettricks.data.Dataset;
import org.nettricks.init.Initializer;
import org.nettricks.network.Architecture;
import org.nettricks.network.Network;
import org.nettricks.optim.Sgd;
import org.nettricks.regularization.GradientTransform;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Precision;
import org.nettricks.training.TrainingDivergedException;
import org.nettricks.training.TrainingListener;

/** Layer-wise pre-training runs on the training loop: its gradient chain and its divergence guard apply. */
class PretrainingLoopTest {
    private static final JavaBackend BACKEND = new JavaBackend(1);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    private static Dataset inputs() {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = new float[40 * 6];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble();
        }
        return new Dataset("unit", x, 40, 6, new int[40], List.of("a", "b"), null);
    }

    private static Network network() {
        Network n = new Network(Architecture.of(6, List.of(4), Activation.SIGMOID, 2), Precision.FLOAT64, BACKEND);
        n.initialize(Initializer.parse("glorot", 1), new SplittableRandom(1));
        return n;
    }

    private static PretrainingConfig ae() {
        return new PretrainingConfig("ae", List.of(2), List.of(0.1), false, Autoencoder.Corruption.NONE, 1, false, 0);
    }

    @Test
    void theGradientChainRunsBeforeEachUpdate() {
        int[] calls = {0};
        GradientTransform counting = parameters -> calls[0]++;
        new GreedyPretrainer(ae(), new Sgd(), List.of(counting), 8, Initializer.parse("glorot", 1))
                .pretrain(network(), inputs(), null, new SplittableRandom(2), TrainingListener.NONE);
        assertEquals(2 * 40 / 8, calls[0], "once per step: 2 epochs of 5 batches");
    }

    @Test
    void aNonFiniteGradientStopsPretrainingAtThatStep() {
        GradientTransform poison = parameters -> {
            if (parameters.get(0).value().getFlat(0) != 0) {
                parameters.get(0).gradient().setFlat(0, Double.NaN);
            }
        };
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> new GreedyPretrainer(ae(),
                new Sgd(), List.of(poison), 8, Initializer.parse("glorot", 1))
                .pretrain(network(), inputs(), null, new SplittableRandom(2), TrainingListener.NONE));
        assertEquals(1, e.epoch());
        assertEquals(1, e.step());
        assertTrue(e.getMessage().contains("holds NaN or infinity"), e.getMessage());
    }
}
