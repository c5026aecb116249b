package org.nettricks.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nettricks.activations.Activation;
import org.nettricks.data.Dataset;
import org.nettricks.init.GlorotUniform;
import org.nettricks.layers.ActivationLayer;
import org.nettricks.layers.BatchNorm;
import org.nettricks.layers.Buffer;
import org.nettricks.layers.DenseLayer;
import org.nettricks.layers.Dropout;
import org.nettricks.layers.LayerSpec.ActivationSpec;
import org.nettricks.layers.LayerSpec.BatchNormSpec;
import org.nettricks.layers.LayerSpec.DropoutSpec;
import org.nettricks.layers.LayerSpec.LinearSpec;
import org.nettricks.layers.Linear;
import org.nettricks.layers.Mode;
import org.nettricks.layers.Parameter;
import org.nettricks.losses.SoftmaxCrossEntropy;
import org.nettricks.monitoring.Diagnostics;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;
import org.nettricks.training.PopulationStatistics;

/**
 * The fused dense block and the small layers compute the same function: a network built from one
 * small layer per spec ({@link Network#unfused}) and the default, fused one, given the same
 * initialization and the same dropout seed, agree on the logits, every gradient, the running
 * averages, the inference outputs, the final-pass statistics and the saturation measurements. They
 * run the same backend kernels on the same values, so the agreement is exact, in both precisions.
 * (That each of them computes the right gradient is {@link TricksGradientCheckTest}'s job.)
 */
class FusedAndUnfusedTest {
    private static final JavaBackend BACKEND = new JavaBackend(2);
    private static final long MASK_SEED = 99;

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    static Architecture everyTrick(Activation g) {
        return new Architecture(6, 0.2, List.of(new HiddenLayer(5, g, true, 0.4),
                new HiddenLayer(5, Activation.RELU, false, 0.5), new HiddenLayer(4, Activation.TANH, true, 0)), 3);
    }

    /** Not the standard stack: batch normalization after g, dropout alone, a linear layer without bias. */
    static Architecture custom() {
        return new Architecture(6, List.of(new LinearSpec(5), new ActivationSpec(Activation.RELU), new BatchNormSpec(),
                new DropoutSpec(0.3), new LinearSpec(4, false), new ActivationSpec(Activation.SIGMOID),
                new LinearSpec(3)));
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void everyTrickGivesTheSameLogitsGradientsAndStatistics(Precision precision) {
        for (Activation g : Activation.values()) {
            assertSameFunction(everyTrick(g), precision);
        }
        assertSameFunction(Architecture.of(6, List.of(5, 4), Activation.SIGMOID, 3), precision);
        assertSameFunction(Architecture.of(6, List.of(), Activation.RELU, 3), precision);
        assertSameFunction(custom(), precision);
    }

    @Test
    void theStandardStackIsBuiltOfDenseBlocksAndUnfusedOfOneLayerPerSpec() {
        Network fused = new Network(everyTrick(Activation.TANH), Precision.FLOAT32, BACKEND);
        assertEquals(List.of(Dropout.class, DenseLayer.class, DenseLayer.class, DenseLayer.class, DenseLayer.class),
                fused.layers().stream().map(Object::getClass).toList());
        assertEquals(4, fused.denseLayers().size());
        Network unfused = Network.unfused(everyTrick(Activation.TANH), Precision.FLOAT32, BACKEND);
        assertEquals(List.of(Dropout.class, Linear.class, BatchNorm.class, ActivationLayer.class, Dropout.class,
                Linear.class, ActivationLayer.class, Dropout.class, Linear.class, BatchNorm.class, ActivationLayer.class,
                Linear.class), unfused.layers().stream().map(Object::getClass).toList());
        assertEquals(List.of(), unfused.denseLayers());
        // the custom list: the runs that match a block are fused, the rest are small layers
        Network mixed = new Network(custom(), Precision.FLOAT32, BACKEND);
        assertEquals(List.of(DenseLayer.class, BatchNorm.class, Dropout.class, Linear.class, ActivationLayer.class,
                DenseLayer.class), mixed.layers().stream().map(Object::getClass).toList());
        assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.0.bn.weight", "layers.0.bn.bias",
                "layers.1.weight", "layers.2.weight", "layers.2.bias"),
                mixed.parameters().stream().map(Parameter::name).toList());
    }

    private static void assertSameFunction(Architecture arch, Precision precision) {
        Network fused = new Network(arch, precision, BACKEND);
        Network unfused = Network.unfused(arch, precision, BACKEND);
        fused.initialize(new GlorotUniform(), new SplittableRandom(17));
        unfused.initialize(new GlorotUniform(), new SplittableRandom(17));
        assertEquals(names(fused.parameters()), names(unfused.parameters()), "the same tensors in the same order");
        assertEquals(fused.buffers().stream().map(Buffer::name).toList(),
                unfused.buffers().stream().map(Buffer::name).toList());
        for (int k = 0; k < fused.parameters().size(); k++) {
            assertSame(fused.parameters().get(k).value(), unfused.parameters().get(k).value(),
                    "initialization draws the same values: " + fused.parameters().get(k).name());
        }
        // non-trivial biases, γ and β, the same in both
        SplittableRandom r = new SplittableRandom(5);
        for (int k = 0; k < fused.parameters().size(); k++) {
            Parameter p = fused.parameters().get(k);
            if (p.role() != Parameter.Role.WEIGHT) {
                for (int i = 0; i < p.value().size(); i++) {
                    double v = p.role() == Parameter.Role.BATCH_NORM_SCALE ? r.nextDouble(0.5, 1.5)
                            : r.nextDouble(-0.5, 0.5);
                    p.value().setFlat(i, v);
                    unfused.parameters().get(k).value().setFlat(i, v);
                }
            }
        }
        int n = 9;
        Matrix x = Matrix.zeros(n, arch.inputSize(), precision);
        int[] y = new int[n];
        for (int i = 0; i < x.size(); i++) {
            x.setFlat(i, r.nextDouble(-2, 2));
        }
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(arch.outputSize());
        }
        for (int step = 0; step < 2; step++) { // twice: the running averages move, workspaces are reused
            Matrix a = trainStep(fused, x, y);
            Matrix b = trainStep(unfused, x, y);
            assertSame(a, b, arch.describe() + " logits, step " + step);
            for (int k = 0; k < fused.parameters().size(); k++) {
                assertSame(fused.parameters().get(k).gradient(), unfused.parameters().get(k).gradient(),
                        "gradient of " + fused.parameters().get(k).name());
            }
            for (int k = 0; k < fused.buffers().size(); k++) {
                assertSame(fused.buffers().get(k).value(), unfused.buffers().get(k).value(),
                        fused.buffers().get(k).name());
            }
        }
        List<Diagnostics.LayerSaturation> fusedSaturation = Diagnostics.saturation(fused);
        assertEquals(fusedSaturation, Diagnostics.saturation(unfused), "saturation from the last TRAIN pass");
        assertEquals(arch.hiddenSizes().size(), fusedSaturation.size(), "one entry per hidden layer");
        assertSame(fused.forward(x, Mode.EVAL).copy(), unfused.forward(x, Mode.EVAL), "inference logits");
        // the lecture's final pass: the same population statistics through either set of layers
        float[] features = new float[40 * arch.inputSize()];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) r.nextGaussian();
        }
        Dataset data = new Dataset("d", features, 40, arch.inputSize(), new int[40], List.of("a", "b", "c"), null);
        PopulationStatistics.compute(fused, data);
        PopulationStatistics.compute(unfused, data);
        for (int k = 0; k < fused.buffers().size(); k++) {
            assertSame(fused.buffers().get(k).value(), unfused.buffers().get(k).value(),
                    "final pass: " + fused.buffers().get(k).name());
        }
        assertSame(fused.forward(x, Mode.EVAL).copy(), unfused.forward(x, Mode.EVAL),
                "logits with the population statistics");
    }

    private static Matrix trainStep(Network net, Matrix x, int[] y) {
        Matrix logits = net.forward(x, Mode.TRAIN, new SplittableRandom(MASK_SEED));
        Matrix grad = Matrix.zeros(logits.rows(), logits.cols(), logits.precision());
        SoftmaxCrossEntropy.meanLossAndGradient(BACKEND, logits, y, grad, null);
        Matrix out = logits.copy();
        net.backward(grad);
        return out;
    }

    private static List<String> names(List<Parameter> ps) {
        return ps.stream().map(Parameter::name).toList();
    }

    /** Bit for bit. */
    private static void assertSame(Matrix expected, Matrix actual, String what) {
        assertEquals(expected.rows(), actual.rows(), what);
        assertEquals(expected.cols(), actual.cols(), what);
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(Double.doubleToRawLongBits(expected.getFlat(i)), Double.doubleToRawLongBits(actual.getFlat(i)),
                    what + " [" + i + "]: " + expected.getFlat(i) + " vs " + actual.getFlat(i));
        }
    }
}
