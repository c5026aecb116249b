package org.nettricks.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nettricks.activations.Activation;
import org.nettricks.data.Dataset;
import org.nettricks.init.GlorotUniform;
import org.nettricks.network.Architecture;
import org.nettricks.network.HiddenLayer;
import org.nettricks.network.Network;
import org.nettricks.optim.Adam;
import org.nettricks.optim.OptimizerState;
import org.nettricks.regularization.WeightPenalty;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;
import org.nettricks.training.PopulationStatistics;

class BatchNormTest {
    private static final JavaBackend BACKEND = new JavaBackend(1);

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    @Test
    void trainingModeNormalizesEachUnitOverTheBatch() {
        // one unit, a batch of 4 pre-activations worked by hand: W = [[1]], x = 1, 2, 3, 6
        // μ = 3, σ² = (4 + 1 + 0 + 9)/4 = 3.5, x̂ = (x − 3)/√(3.5 + 1e−5); with γ = 2, β = 0.5: y = 2x̂ + 0.5
        DenseLayer layer = new DenseLayer(0, 1, 1, Activation.LINEAR, true, 0, Precision.FLOAT64, BACKEND);
        assertNull(layer.bias(), "batch normalization replaces the bias by β");
        layer.weight().value().setFlat(0, 1);
        layer.parameters().get(1).value().setFlat(0, 2.0);
        layer.parameters().get(2).value().setFlat(0, 0.5);
        Matrix y = layer.forward(Matrix.of(Precision.FLOAT64, 4, 1, 1, 2, 3, 6), Mode.TRAIN, null);
        double s = Math.sqrt(3.5 + 1e-5);
        assertEquals(2 * (1 - 3) / s + 0.5, y.getFlat(0), 1e-14);
        assertEquals(2 * (6 - 3) / s + 0.5, y.getFlat(3), 1e-14);
        // running averages after one batch: 0.9·0 + 0.1·3 and 0.9·1 + 0.1·(3.5 · 4/3)
        assertEquals(0.3, layer.buffers().get(0).value().getFlat(0), 1e-15);
        assertEquals(0.9 + 0.1 * 3.5 * 4 / 3, layer.buffers().get(1).value().getFlat(0), 1e-15);
    }

    @Test
    void evalModeUsesThePopulationStatisticsOfTheFinalPass() {
        Architecture arch = new Architecture(3, 0, List.of(new HiddenLayer(4, Activation.TANH, true, 0),
                new HiddenLayer(2, Activation.RELU, true, 0)), 2);
        Network net = new Network(arch, Precision.FLOAT64, BACKEND);
        SplittableRandom r = new SplittableRandom(3);
        net.initialize(new GlorotUniform(), r);
        int n = 2500;
        float[] x = new float[n * 3];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 2 + 1);
        }
        Dataset data = new Dataset("d", x, n, 3, new int[n], List.of("a", "b"), null);
        PopulationStatistics.compute(net, data);
        // independent computation: the layer-1 pre-activations W x of every example, averaged directly
        Matrix w = net.denseLayers().get(0).weight().value();
        for (int j = 0; j < 4; j++) {
            double sum = 0;
            double sumSq = 0;
            for (int i = 0; i < n; i++) {
                double a = 0;
                for (int c = 0; c < 3; c++) {
                    a += w.get(j, c) * x[i * 3 + c];
                }
                sum += a;
                sumSq += a * a;
            }
            double mean = sum / n;
            assertEquals(mean, net.denseLayers().get(0).buffers().get(0).value().getFlat(j), 1e-12);
            assertEquals(sumSq / n - mean * mean, net.denseLayers().get(0).buffers().get(1).value().getFlat(j), 1e-10);
        }
        // layer 2's statistics are those of its inputs as seen at test time (layer 1 in EVAL mode)
        Matrix all = Matrix.zeros(n, 3, Precision.FLOAT64);
        for (int i = 0; i < x.length; i++) {
            all.setFlat(i, x[i]);
        }
        Matrix a2 = net.denseLayers().get(1).preActivation(net.forwardTo(all, 1));
        double mean2 = 0;
        for (int i = 0; i < n; i++) {
            mean2 += a2.get(i, 0) / n;
        }
        assertEquals(mean2, net.denseLayers().get(1).buffers().get(0).value().getFlat(0), 1e-12);
    }

    @Test
    void buffersAreNeverTouchedByOptimizerOrPenalty() {
        Architecture arch = new Architecture(3, 0, List.of(new HiddenLayer(4, Activation.RELU, true, 0)), 2);
        Network net = new Network(arch, Precision.FLOAT64, BACKEND);
        net.initialize(new GlorotUniform(), new SplittableRandom(1));
        for (Buffer b : net.buffers()) {
            b.value().setFlat(0, 42.0);
        }
        for (Parameter p : net.parameters()) {
            for (int i = 0; i < p.gradient().size(); i++) {
                p.gradient().setFlat(i, 1.0);
            }
        }
        new WeightPenalty(0.1, 0.1).addGradient(net.parameters());
        Adam adam = new Adam(0.9, 0.999, 1e-8);
        OptimizerState state = adam.createState(net.parameters());
        adam.step(net.parameters(), state, 0.1);
        for (Buffer b : net.buffers()) {
            assertEquals(42.0, b.value().getFlat(0));
        }
        assertEquals(5, net.parameters().size(), "W, γ, β of the hidden layer; W, b of the output layer");
    }
}
