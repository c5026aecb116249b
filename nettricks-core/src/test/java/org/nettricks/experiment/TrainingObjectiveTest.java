package org.nettricks.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nettricks.evaluation.Evaluation;
import org.nettricks.model.ModelFile;
import org.nettricks.selection.MedianPruner;
import org.nettricks.selection.SearchSpace;
import org.nettricks.selection.Strategy;
import org.nettricks.selection.TrialResult;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.training.TrainingListener;

/**
 * Issue 14, class 6, first example: two trials tied on validation error, the later one finishing
 * first (as with two workers): the model kept and tested is the first in ranking order (trial 0).
 */
class TrainingObjectiveTest {
    @TempDir
    Path dir;

    /** Three classes far apart on x1: any small network separates them, so trials tie at error 0. */
    private SearchSpace space() throws IOException {
        StringBuilder csv = new StringBuilder("label,x1,x2\n");
        for (int i = 0; i < 60; i++) {
            csv.append("abc".charAt(i % 3)).append(',').append(i % 3 * 5 + i % 7 * 0.1).append(',')
                    .append(i % 5 * 0.1).append('\n');
        }
        Path data = Files.writeString(dir.resolve("three.csv"), csv);
        return SearchSpace.read(Files.writeString(dir.resolve("space.yaml"), "data: " + data + "\nhidden: 8\n"
                + "batch-size: 8\nepochs: [60, 30]\n"));
    }

    private static String savedSeed(Path model) {
        try (Backend b = new JavaBackend(1)) {
            return ModelFile.load(model, b).provenance().get("seed");
        }
    }

    /** Trial {@code index}'s test figures computed apart: its recipe trained and tested by Experiment.run. */
    private static Evaluation trainedApart(SearchSpace space, TrialResult t) {
        try (Backend b = new JavaBackend(1)) {
            return Experiment.prepare(space.recipe(t.values(), t.seed()), b).run(new TrainingListener() { }).test();
        }
    }

    @Test
    void aTieKeepsAndTestsTheLowerTrialNumberWhicheverFinishesFirst() throws IOException {
        SearchSpace space = space();
        Path best = dir.resolve("best.safetensors");
        TrainingObjective objective = new TrainingObjective(space, JavaBackend::new, 1, best, null);
        // trial 1 (30 epochs) finishes before trial 0 (60 epochs), as it does with two workers
        TrialResult t1 = objective.evaluate(1, Strategy.trialSeed(1, 1), Map.of("epochs", "30"), MedianPruner.off());
        TrialResult t0 = objective.evaluate(0, Strategy.trialSeed(1, 0), Map.of("epochs", "60"), MedianPruner.off());
        assertEquals(0.0, t1.validationError(), "the tie this test is about");
        assertEquals(0.0, t0.validationError(), "the tie this test is about");
        assertEquals(Long.toString(t0.seed()), savedSeed(best), "best.safetensors is trial 0's");
        Evaluation test = objective.testSelected(t0);
        Evaluation apart = trainedApart(space, t0);
        assertEquals(apart.accuracy(), test.accuracy());
        assertEquals(apart.loss(), test.loss(), "the very same network: the same loss to the bit");
    }

    @Test
    void aSavedModelThatIsNotTheSelectedTrialsIsTrainedAgainFromItsRecipe() throws IOException {
        SearchSpace space = space();
        Path best = dir.resolve("best.safetensors");
        TrainingObjective first = new TrainingObjective(space, JavaBackend::new, 1, best, null);
        TrialResult t1 = first.evaluate(1, Strategy.trialSeed(1, 1), Map.of("epochs", "30"), MedianPruner.off());
        // a resumed search whose results rank trial 0 first, while best.safetensors holds trial 1 (e.g. a kill
        // between saving trial 1's model and writing trial 0's line, then fewer --trials)
        TrialResult t0 = new TrainingObjective(space, JavaBackend::new, 1, null, null).evaluate(0,
                Strategy.trialSeed(1, 0), Map.of("epochs", "60"), MedianPruner.off());
        assertEquals(Long.toString(t1.seed()), savedSeed(best));
        TrainingObjective resumed = new TrainingObjective(space, JavaBackend::new, 1, best, t0);
        Evaluation test = resumed.testSelected(t0);
        assertEquals(Long.toString(t0.seed()), savedSeed(best), "trial 0 trained again and saved");
        assertEquals(trainedApart(space, t0).loss(), test.loss());
    }
}
