package org.nettricks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.nettricks.InvalidInputException;
import org.nettricks.activations.Activation;
import org.nettricks.data.CsvReader;
import org.nettricks.data.Dataset;
import org.nettricks.data.TargetScaling;
import org.nettricks.debugging.GradientChecker;
import org.nettricks.init.GlorotUniform;
import org.nettricks.layers.Parameter;
import org.nettricks.losses.RegressionLoss;
import org.nettricks.network.Architecture;
import org.nettricks.network.HiddenLayer;
import org.nettricks.network.Network;
import org.nettricks.regularization.WeightPenalty;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * Issue 17, item 2: per-example weights ({@code weight-column}). Each example's loss is multiplied
 * by its weight (and by its class weight), the sum divided by the batch size B, for classification
 * and regression: checked against finite differences, against a hand-worked batch, and against
 * duplicating an example (weight 2 on a row of a batch of 4 is, times 4/5, the batch of 5 with the
 * row twice: same sum of losses, B = 4 against B = 5).
 */
class ExampleWeightsTest {
    private static final JavaBackend JAVA = new JavaBackend(1);

    @AfterAll
    static void close() {
        JAVA.close();
    }

    private static Network network(int inputs, int outputs, boolean batchNorm, double dropout, long seed) {
        Architecture arch = new Architecture(inputs, 0, List.of(new HiddenLayer(5, Activation.TANH, batchNorm, dropout),
                new HiddenLayer(4, Activation.SIGMOID, false, 0)), outputs);
        Network net = new Network(arch, Precision.FLOAT64, JAVA);
        net.initialize(new GlorotUniform(), new SplittableRandom(seed));
        return net;
    }

    private static Matrix inputs(int rows, int cols, SplittableRandom r) {
        Matrix x = Matrix.zeros(rows, cols, Precision.FLOAT64);
        for (int i = 0; i < x.size(); i++) {
            x.setFlat(i, r.nextDouble(-1.5, 1.5));
        }
        return x;
    }

    @Test
    void theWeightedLossesPassTheFloat64GradientCheck() {
        SplittableRandom r = new SplittableRandom(17);
        double[] w = new double[10];
        for (int i = 0; i < w.length; i++) {
            w[i] = i == 3 ? 0 : r.nextDouble(0.1, 3); // one example that does not count
        }
        for (boolean batchNorm : new boolean[] {false, true}) {
            Matrix x = inputs(10, 6, r);
            int[] y = new int[10];
            for (int i = 0; i < y.length; i++) {
                y[i] = r.nextInt(3);
            }
            Network classifier = network(6, 3, batchNorm, batchNorm ? 0.5 : 0, 3);
            GradientChecker.Report c = new GradientChecker(classifier, x, y, w, new WeightPenalty(1e-3, 1e-2),
                    GradientChecker.Options.DEFAULT).run();
            assertTrue(c.passed(), "classification: " + c.failedTensors());
            double[] z = new double[20];
            for (int i = 0; i < z.length; i++) {
                z[i] = r.nextGaussian() * 1.5; // beyond δ = 0.7 and within it
            }
            for (RegressionLoss loss : List.of(RegressionLoss.squaredError(), RegressionLoss.huber(0.7))) {
                Network regressor = network(6, 2, batchNorm, batchNorm ? 0.5 : 0, 4);
                GradientChecker.Report weighted = GradientChecker.regression(regressor, x, z, w, loss,
                        new WeightPenalty(1e-3, 1e-2), GradientChecker.Options.DEFAULT).run();
                assertTrue(weighted.passed(), loss + ": " + weighted.failedTensors());
                GradientChecker.Report plain = GradientChecker.regression(regressor, x, z, loss,
                        new WeightPenalty(1e-3, 1e-2), GradientChecker.Options.DEFAULT).run();
                assertTrue(Math.abs(weighted.objective() - plain.objective()) > 1e-3, "the weights change the loss");
            }
        }
    }

    @Test
    void theWeightedRegressionLossOfAHandWorkedBatch() {
        // outputs (1, 0.5) against targets (0, 2.5), weights 2 and 0.5, K = 1, B = 2:
        // d = 1 and −2; squared error L = (2·1 + 0.5·4) / 2 = 2; ∂L/∂o = (2·2·1/2, 0.5·2·(−2)/2) = (2, −1).
        // Huber δ = 1: l(1) = 1·(1 − ½) = ½, l(−2) = 2 − ½ = 1.5; L = (2·½ + 0.5·1.5) / 2 = 0.875;
        // l′ = (1, −1): ∂L/∂o = (2·1/2, 0.5·(−1)/2) = (1, −0.25).
        Matrix o = Matrix.of(Precision.FLOAT64, 2, 1, 1, 0.5);
        Matrix g = Matrix.zeros(2, 1, Precision.FLOAT64);
        double[] t = {0, 2.5};
        double[] w = {2, 0.5};
        assertEquals(2.0, RegressionLoss.squaredError().meanLossAndGradient(o, t, w, g), 1e-15);
        assertEquals(2.0, g.getFlat(0), 1e-15);
        assertEquals(-1.0, g.getFlat(1), 1e-15);
        assertEquals(0.875, RegressionLoss.huber(1).meanLossAndGradient(o, t, w, g), 1e-15);
        assertEquals(1.0, g.getFlat(0), 1e-15);
        assertEquals(-0.25, g.getFlat(1), 1e-15);
    }

    /** The loss and every parameter gradient of one forward/backward of examples {@code 0 … count−1}. */
    private static double[] lossAndGradients(TrainingTask task, int count) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        double loss = task.forward(order, 0, count, new SplittableRandom(1));
        task.backward();
        List<Double> out = new ArrayList<>(List.of(loss));
        for (Parameter p : task.parameters()) {
            for (int i = 0; i < p.gradient().size(); i++) {
                out.add(p.gradient().getFlat(i));
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** 4·(weighted, B = 4) against 5·(duplicated, B = 5), element by element, to 1e-12 relative. */
    private static void assertScaledEqual(double[] weighted, double[] duplicated) {
        assertEquals(weighted.length, duplicated.length);
        double largest = 0;
        for (double v : duplicated) {
            largest = Math.max(largest, Math.abs(5 * v));
        }
        for (int i = 0; i < weighted.length; i++) {
            assertEquals(5 * duplicated[i], 4 * weighted[i], 1e-12 * largest, "entry " + i);
        }
    }

    private static final float[] ROWS = {0.3f, -1.2f, 0.8f, 1.5f, 0.1f, -0.4f, -0.9f, 0.7f, 1.1f, 0.2f, -1.3f, 0.6f};

    @Test
    void weightTwoIsTheExampleTwiceForAClassifierAlsoWithClassWeights() {
        int[] labels = {1, 0, 2, 1};
        Dataset weighted = new Dataset("w", ROWS, 4, 3, labels, List.of("a", "b", "c"), null)
                .withWeights(new double[] {2, 1, 1, 1});
        float[] twice = new float[15];
        System.arraycopy(ROWS, 0, twice, 0, 3);
        System.arraycopy(ROWS, 0, twice, 3, 12);
        Dataset duplicated = new Dataset("d", twice, 5, 3, new int[] {1, 1, 0, 2, 1}, List.of("a", "b", "c"), null);
        for (double[] classWeights : new double[][] {null, {0.5, 3, 1.25}}) {
            Network a = network(3, 3, false, 0, 9);
            Network b = network(3, 3, false, 0, 9);
            double[] w = lossAndGradients(new ClassificationTask(a, weighted, null, 0, classWeights), 4);
            double[] d = lossAndGradients(new ClassificationTask(b, duplicated, null, 0, classWeights), 5);
            assertScaledEqual(w, d);
        }
        // and weight 2 is not weight 1: the comparison can fail
        Network c = network(3, 3, false, 0, 9);
        Network e = network(3, 3, false, 0, 9);
        double[] one = lossAndGradients(new ClassificationTask(c, weighted.withWeights(new double[] {1, 1, 1, 1}),
                null, 0, null), 4);
        double[] dup = lossAndGradients(new ClassificationTask(e, duplicated, null, 0, null), 5);
        assertThrows(AssertionError.class, () -> assertScaledEqual(one, dup));
    }

    @Test
    void weightTwoIsTheExampleTwiceForARegressor() {
        double[] targets = {0.5, -1, 1.5, 0.25, -0.75, 2, 0, 1};
        Dataset weighted = new Dataset("w", ROWS, 4, 3, null, List.of(), null).withTargets(targets, List.of("y1", "y2"))
                .withWeights(new double[] {2, 1, 1, 1});
        float[] twice = new float[15];
        System.arraycopy(ROWS, 0, twice, 0, 3);
        System.arraycopy(ROWS, 0, twice, 3, 12);
        double[] targetsTwice = new double[10];
        System.arraycopy(targets, 0, targetsTwice, 0, 2);
        System.arraycopy(targets, 0, targetsTwice, 2, 8);
        Dataset duplicated = new Dataset("d", twice, 5, 3, null, List.of(), null)
                .withTargets(targetsTwice, List.of("y1", "y2"));
        TargetScaling identity = new TargetScaling(List.of("y1", "y2"), new double[] {0, 0}, new double[] {1, 1});
        for (RegressionLoss loss : List.of(RegressionLoss.squaredError(), RegressionLoss.huber(0.5))) {
            Network a = network(3, 2, false, 0, 11);
            Network b = network(3, 2, false, 0, 11);
            double[] w = lossAndGradients(new RegressionTask(a, weighted, null, identity, loss, 0), 4);
            double[] d = lossAndGradients(new RegressionTask(b, duplicated, null, identity, loss, 0), 5);
            assertScaledEqual(w, d);
        }
    }

    // ------------------------------------------------------------ the CSV column

    private static Dataset read(String csv, CsvReader.Options options) {
        return CsvReader.read("t.csv", new StringReader(csv), options);
    }

    @Test
    void theWeightColumnIsReadAndIsNoFeature() {
        Dataset d = read("a,w,b,label\n1,2.5,3,x\n4,0,6,y\n7,1e-1,9,x\n",
                CsvReader.Options.forTraining(null).withWeightColumn("w"));
        assertEquals(2, d.featureCount());
        assertEquals(List.of("a", "b"), d.schema().featureNames());
        assertEquals(List.of(2.5, 0.0, 0.1), java.util.Arrays.stream(d.weights()).boxed().toList());
        assertEquals(List.of(0, 1, 0), java.util.Arrays.stream(d.labels()).boxed().toList());
        assertEquals(6f, d.features()[3]);
        // by index, and for regression targets
        Dataset r = read("a,y,w\n1,2,3\n4,5,0.5\n", new CsvReader.Options(null, null, -1, null, null, false, "data",
                List.of("y"), "2"));
        assertEquals(1, r.featureCount());
        assertEquals(List.of(3.0, 0.5), java.util.Arrays.stream(r.weights()).boxed().toList());
        // a subset (the splits) keeps each example's weight
        assertEquals(List.of(0.5), java.util.Arrays.stream(r.subset(new int[] {1}, "s").weights()).boxed().toList());
        assertFalse(read("a,label\n1,x\n2,y\n", CsvReader.Options.forTraining(null)).hasWeights());
    }

    @Test
    void aBadWeightIsRefusedNamingTheFileTheLineAndTheColumn() {
        CsvReader.Options options = CsvReader.Options.forTraining("label").withWeightColumn("w");
        for (String bad : List.of("x", "-1", "", "NaN", "Infinity")) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> read("a,w,label\n1,1,x\n2," + bad + ",y\n", options));
            assertEquals("t.csv: line 3: weight column 'w' holds '" + bad + "', which is not a finite number >= 0;"
                    + " example weights must be finite and >= 0 (fill or drop the row, or fix `weight-column`)",
                    e.getMessage());
        }
        assertEquals("t.csv: line 1: every weight in column 'w' is 0, so no example would count in training; give"
                + " some example a weight > 0, or fix `weight-column`", assertThrows(InvalidInputException.class,
                () -> read("a,w,label\n1,0,x\n2,0,y\n", options)).getMessage());
        assertTrue(assertThrows(InvalidInputException.class, () -> read("a,v,label\n1,0,x\n2,1,y\n", options))
                .getMessage().startsWith("t.csv: line 1: no weight column 'w' (and it is not an index from 0 to 2)"));
        assertEquals("t.csv: line 1: weight column 'label' is also the label column; give `weight-column` a column of"
                + " its own", assertThrows(InvalidInputException.class, () -> read("a,label\n1,1\n2,2\n",
                CsvReader.Options.forTraining("label").withWeightColumn("label"))).getMessage());
    }
}
