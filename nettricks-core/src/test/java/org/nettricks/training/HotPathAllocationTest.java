package org.nettricks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import java.util.SplittableRandom;

import org.nettricks.activations.Activation;
import org.nettricks.data.DataSources;
import org.nettricks.data.Dataset;
import org.nettricks.data.Normalization;
import org.nettricks.init.GlorotUniform;
import org.nettricks.network.Architecture;
import org.nettricks.network.HiddenLayer;
import org.nettricks.network.Network;
import org.nettricks.optim.Adam;
import org.nettricks.tensor.Precision;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.config.RecipeSettings;
import org.nettricks.experiment.Experiment;

/**
 * The training step allocates nothing once its workspaces exist: the heap bytes allocated by every
 * thread that computes (the caller's and the backend's workers), counted by the JVM's per-thread
 * allocation counters ({@link AllocationMeter}) over the steps of an epoch.
 */
class HotPathAllocationTest {

    /** Bytes allocated per step in epochs 26–30 of a digits run (the fewest) on {@code backend}, with extra settings. */
    static double bytesPerStep(Backend backend, String... extra) {
        List<String> settings = new ArrayList<>(List.of("data", "digits", "hidden", "64,64", "batch-size", "128",
                "epochs", "30", "seed", "5", "precision", "float32", "optimizer", "adam", "validation-fraction", "0"));
        settings.addAll(List.of(extra));
        AllocationMeter meter = new AllocationMeter(26, 30);
        Experiment.prepare(RecipeSettings.of(settings.toArray(String[]::new)), backend).run(meter);
        return meter.bytesPerStep();
    }

    @Test
    void aPlainStepAllocatesNothing() {
        try (JavaBackend backend = new JavaBackend(2)) {
            assertEquals(0.0, bytesPerStep(backend), "bytes allocated per step");
        }
    }

    /**
     * Below 32 examples per batch the saturation check judges each epoch's first batches together,
     * inside the measured steps (here batches 1–4 of 8 examples): it allocates nothing unless it
     * has something to say.
     */
    @Test
    void smallBatchesJudgedTogetherForSaturationAllocateNothing() {
        try (JavaBackend backend = new JavaBackend(2)) {
            AllocationMeter meter = new AllocationMeter(2, 4);
            Experiment e = Experiment.prepare(RecipeSettings.of("data", "digits", "hidden", "64", "batch-size", "8",
                    "epochs", "4", "seed", "5", "precision", "float32", "optimizer", "sgd", "validation-fraction",
                    "0"), backend);
            List<String> warnings = e.run(meter).history().warnings();
            assertTrue(warnings.stream().noneMatch(w -> w.startsWith("saturated")), String.valueOf(warnings));
            assertEquals(0.0, meter.bytesPerStep(), "bytes allocated per step");
        }
    }

    @Test
    void aStepOfTheUnfusedSmallLayersAllocatesNothing() {
        try (JavaBackend backend = new JavaBackend(2)) {
            Dataset raw = DataSources.readDigits();
            Dataset train = Normalization.fit(Normalization.Kind.SCALE, raw).apply(raw);
            Network network = Network.unfused(new Architecture(64, 0.2, List.of(new HiddenLayer(64, Activation.RELU,
                    true, 0.5), new HiddenLayer(64, Activation.TANH, false, 0.5)), 10), Precision.FLOAT32, backend);
            SplittableRandom random = new SplittableRandom(5);
            network.initialize(new GlorotUniform(), random);
            AllocationMeter meter = new AllocationMeter(26, 30);
            new Trainer(new Adam(0.9, 0.999, 1e-8), TrainingConfig.plain(30, 128, 0.001)).fit(network, train, null,
                    random, meter);
            assertEquals(0.0, meter.bytesPerStep(), "bytes allocated per step");
        }
    }

    @Test
    void aStepWithBatchNormDropoutAndPenaltiesAllocatesNothing() {
        try (JavaBackend backend = new JavaBackend(2)) {
            assertEquals(0.0, bytesPerStep(backend, "batch-norm", "true", "dropout", "0.5", "input-dropout", "0.2",
                    "l2", "1e-4", "clip-norm", "5"), "bytes allocated per step");
        }
    }

    @Test
    void aStepWithExampleWeightsAllocatesNothing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        SplittableRandom r = new SplittableRandom(3);
        StringBuilder sb = new StringBuilder("a,b,c,d,w,label,y\n");
        for (int i = 0; i < 700; i++) {
            double a = r.nextDouble(-1, 1);
            double b = r.nextDouble(-1, 1);
            sb.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%.4f,%.4f,%.3f,%d,%.4f%n", a, b,
                    r.nextDouble(), r.nextDouble(), r.nextDouble(0, 3), a + b > 0 ? 1 : a > 0 ? 2 : 0, a * b));
        }
        String csv = java.nio.file.Files.writeString(dir.resolve("w.csv"), sb.toString()).toString();
        try (JavaBackend backend = new JavaBackend(2)) {
            assertEquals(0.0, bytesPerStep(backend, "data", csv, "label", "label", "weight-column", "w",
                    "class-weight", "balanced"), "classification: bytes allocated per step");
            assertEquals(0.0, bytesPerStep(backend, "data", csv, "task", "regression", "label", "y", "weight-column",
                    "w", "normalize", "standardize"), "regression: bytes allocated per step");
        }
    }
}
