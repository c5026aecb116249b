package org.nettricks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nettricks.config.Recipe;
import org.nettricks.config.RecipeSettings;
import org.nettricks.experiment.Experiment;
import org.nettricks.layers.Parameter;
import org.nettricks.regularization.GradientTransform;
import org.nettricks.tensor.JavaBackend;

/**
 * A trainer's extra gradient transforms run after the config's chain and before every update: a
 * link that records the gradient's global norm and then zeroes every gradient leaves the network
 * unchanged, and sees the norm the config's clipping (clip-norm 0.01) left.
 */
class TrainerTransformsTest {
    @Test
    void extraTransformsFollowTheConfigsChainBeforeEachUpdate() {
        Recipe recipe = RecipeSettings.of("data", "digits", "hidden", "8", "epochs", "1", "train-limit", "200",
                "clip-norm", "0.01", "precision", "float64");
        try (JavaBackend backend = new JavaBackend(1)) {
            Experiment e = Experiment.prepare(recipe, backend);
            List<double[]> before = new ArrayList<>();
            for (Parameter p : e.network().parameters()) {
                before.add(p.value().doubles().clone());
            }
            int[] steps = {0};
            double[] largestNorm = {0};
            GradientTransform freeze = parameters -> {
                steps[0]++;
                double sum = 0;
                for (Parameter p : parameters) {
                    for (int i = 0; i < p.gradient().size(); i++) {
                        sum += p.gradient().getFlat(i) * p.gradient().getFlat(i);
                        p.gradient().setFlat(i, 0);
                    }
                }
                largestNorm[0] = Math.max(largestNorm[0], Math.sqrt(sum));
            };
            new Trainer(Experiment.optimizer(recipe), Experiment.trainingConfig(recipe), List.of(freeze))
                    .fit(e.network(), e.train(), e.validation(), new SplittableRandom(1), TrainingListener.NONE);
            assertEquals((200 + 63) / 64, steps[0], "once per step");
            assertEquals(0.01, largestNorm[0], 1e-12, "after the config's clipping by norm");
            for (int k = 0; k < before.size(); k++) {
                double[] now = e.network().parameters().get(k).value().doubles();
                for (int i = 0; i < now.length; i++) {
                    assertEquals(before.get(k)[i], now[i], 0, "zero gradients: SGD leaves θ unchanged");
                }
            }
        }
    }
}
