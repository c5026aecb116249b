package org.nettricks.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.nettricks.activations.Activation;
import org.nettricks.data.Dataset;
import org.nettricks.data.TargetScaling;
import org.nettricks.evaluation.Evaluation;
import org.nettricks.evaluation.Evaluator;
import org.nettricks.evaluation.RegressionEvaluator;
import org.nettricks.evaluation.RegressionMetrics;
import org.nettricks.layers.DenseLayer;
import org.nettricks.layers.Layer;
import org.nettricks.losses.RegressionLoss;
import org.nettricks.monitoring.Diagnostics;
import org.nettricks.network.Network;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;
import org.nettricks.training.Callback;
import org.nettricks.training.EpochReport;
import org.nettricks.training.TrainingRun;

/**
 * Gathers what a training report shows, as a {@link Callback} of the training loop (TensorBoard's
 * scalars and histograms, Keras's {@code History}), off the per-step hot path:
 * <ul>
 *   <li>per epoch, from the loop's {@link EpochReport}: training and validation loss (mean −log
 *       f(x)_y, nats) and error (fraction misclassified), the learning rate α; with a test set given
 *       for every epoch, the test loss and error after each epoch;</li>
 *   <li>per hidden layer and epoch, on the first batch of the epoch (the batch
 *       {@link org.nettricks.training.SaturationMonitor} judges): the share of saturated units,
 *       {@link Diagnostics#saturation}'s flat share for sigmoid and tanh (|a| beyond
 *       {@value Diagnostics#SIGMOID_FLAT} resp. {@value Diagnostics#TANH_FLAT}) and dead share for
 *       ReLU (units zero on the whole batch);</li>
 *   <li>per dense layer and epoch: the Frobenius norm ‖W‖ of the weight matrix after the epoch, and
 *       the mean over {@value #GRADIENT_SAMPLES} evenly spaced steps of the epoch (every step when it
 *       has fewer) of the Frobenius norm ‖∂L/∂W‖ of the weight gradient of the batch's mean loss,
 *       before the penalty and clipping;</li>
 *   <li>at the start and at the end of training: every dense layer's weights, and the
 *       pre-activations W h + b (for a batch-normalized layer W h, what it normalizes) of every
 *       hidden layer on the first {@value #SAMPLE_EXAMPLES} training examples, propagated in
 *       inference mode;</li>
 *   <li>the warnings of the training guards, each with the epoch in which it was raised;</li>
 *   <li>at the end, on the test set: the confusion matrix (rows: true class, columns: predicted)
 *       and the indices of misclassified examples with their predicted classes.</li>
 * </ul>
 * For a regression network ({@link #regression}) the figures are those of regression instead:
 * the losses are the regression loss (squared error or Huber, the mean over examples and targets,
 * in standardized units), the loop's validation "error" is the validation RMSE in the targets'
 * original units (the mean of the per-target RMSEs), and so is the test "error" of each epoch; at
 * the end, on the test set, the {@link RegressionMetrics} and every example's true and predicted
 * values in the original units (no confusion matrix, no misclassified examples).
 * A step allocates nothing: {@link #afterBackward} adds norms into arrays sized in
 * {@link #onTrainBegin}; the per-epoch measurements allocate their lists. After each epoch the
 * {@code onEpoch} action runs (e.g. rewriting the report file), and again after the end of training.
 */
public final class TrainingStatistics implements Callback {
    /** Gradient norms are measured on this many evenly spaced steps per epoch (all steps when fewer). */
    public static final int GRADIENT_SAMPLES = 8;
    /** Pre-activation histograms use this many training examples (all when fewer). */
    public static final int SAMPLE_EXAMPLES = 256;
    /** At most this many misclassified test examples are kept for the report. */
    public static final int MISCLASSIFIED_KEPT = 64;

    /**
     * The figures of one epoch; test figures NaN without a per-epoch test set. For regression the
     * training error is NaN and the validation and test errors are RMSEs in the targets' original
     * units (the mean over targets), the losses the regression loss in standardized units.
     */
    public record Epoch(int epoch, double trainLoss, double trainError, double validationLoss,
                        double validationError, double testLoss, double testError, double learningRate,
                        double seconds, double[] saturation, double[] weightNorm, double[] gradientNorm) {
    }

    /** A warning of the training guards and the epoch (from 1) in which it was raised. */
    public record Warning(int epoch, String message) {
    }

    /** A misclassified test example: its index in the test set, true and predicted classes. */
    public record Misclassified(int index, int label, int predicted) {
    }

    private final Network network;
    private final Dataset train;
    private final Dataset test;
    private final boolean testEachEpoch;
    private final Runnable onEpoch;
    private TargetScaling targetScaling;
    private RegressionLoss regressionLoss;
    private RegressionMetrics regressionTest;
    private double[] testTruth;
    private double[] testPredicted;

    private final List<Epoch> epochs = new ArrayList<>();
    private final List<Warning> warnings = new ArrayList<>();
    private final List<Misclassified> misclassified = new ArrayList<>();
    private List<DenseLayer> dense;
    private List<String> layerNames;
    private List<String> hiddenNames;
    private List<Activation> hiddenActivations;
    private List<float[]> weightsAtStart;
    private List<float[]> weightsAtEnd;
    private List<float[]> preActivationsAtStart;
    private List<float[]> preActivationsAtEnd;
    private double[] saturationThisEpoch;
    private final double[] gradientSum = new double[64];
    private int gradientCount;
    private int sampleEvery = 1;
    private int[][] confusion;
    private int keptEpoch;
    private boolean stoppedEarly;
    private boolean finished;
    private double testLossAtEnd = Double.NaN;
    private double testErrorAtEnd = Double.NaN;
    private long nanosThisEpoch;
    private int maxEpochs;
    /** The last epoch before this process resumed from a checkpoint; 0 for a run that started here. */
    private int resumedAfter;
    private final List<Double> secondsPerEpoch = new ArrayList<>();

    /**
     * @param network       the network being trained
     * @param train         its training set (the first {@value #SAMPLE_EXAMPLES} examples feed the
     *                      pre-activation histograms)
     * @param test          the test set for the confusion matrix at the end, or null for none
     * @param testEachEpoch also evaluate {@code test} after every epoch (learning curves only)
     * @param onEpoch       run after each epoch's figures and after the end of training; may be null
     */
    public TrainingStatistics(Network network, Dataset train, Dataset test, boolean testEachEpoch, Runnable onEpoch) {
        if (network.denseLayers().size() > gradientSum.length) {
            throw new IllegalArgumentException("at most " + gradientSum.length + " dense layers are reported, got "
                    + network.denseLayers().size());
        }
        this.network = network;
        this.train = train;
        this.test = test;
        this.testEachEpoch = testEachEpoch && test != null;
        this.onEpoch = onEpoch;
    }

    /**
     * Makes these the statistics of a regression network: the test figures are computed with
     * {@link RegressionEvaluator} (the test set given to the constructor must then hold targets
     * standardized with {@code scaling}, as {@code Experiment.test()} does).
     *
     * @param scaling the targets' standardization (names, mean μ_k, population std σ_k)
     * @param loss    the regression loss the network is trained with
     * @return this
     */
    public TrainingStatistics regression(TargetScaling scaling, RegressionLoss loss) {
        this.targetScaling = java.util.Objects.requireNonNull(scaling, "scaling");
        this.regressionLoss = java.util.Objects.requireNonNull(loss, "loss");
        return this;
    }

    /** Whether these are the statistics of a regression network ({@link #regression}). */
    public boolean isRegression() {
        return targetScaling != null;
    }

    @Override
    public void onTrainBegin(TrainingRun run) {
        epochs.clear();
        regressionTest = null;
        testTruth = null;
        testPredicted = null;
        secondsPerEpoch.clear();
        warnings.clear();
        misclassified.clear();
        confusion = null;
        finished = false;
        keptEpoch = 0;
        stoppedEarly = false;
        testLossAtEnd = Double.NaN;
        testErrorAtEnd = Double.NaN;
        dense = network.denseLayers();
        layerNames = new ArrayList<>();
        for (int k = 0; k < dense.size(); k++) {
            DenseLayer d = dense.get(k);
            layerNames.add((k == dense.size() - 1 ? "output" : "hidden " + (k + 1)) + " (" + d.inputSize() + "×"
                    + d.outputSize() + ")");
        }
        hiddenNames = new ArrayList<>();
        hiddenActivations = new ArrayList<>();
        List<Layer> layers = network.layers();
        for (int i = 0; i < layers.size() - 1; i++) {
            if (layers.get(i).activation() != null) {
                hiddenActivations.add(layers.get(i).activation());
                hiddenNames.add("hidden " + (hiddenActivations.size()) + " (" + layers.get(i).activation().displayName()
                        + ")");
            }
        }
        weightsAtStart = weights();
        weightsAtEnd = null;
        preActivationsAtStart = preActivations();
        preActivationsAtEnd = null;
        sampleEvery = Math.max(1, run.batchCount() / GRADIENT_SAMPLES);
        maxEpochs = run.maxEpochs();
        resumedAfter = 0;
    }

    /**
     * A run resumed from a checkpoint: the epochs before it come back from the checkpoint's epoch
     * history (loss, error, learning rate, seconds), so the curves cover the whole run; their
     * per-layer statistics were not checkpointed and stay empty (NaN), and the "start" histograms
     * are those of the resume point. (Nothing is written: the report changes no result.)
     */
    @Override
    public void restoreState(org.nettricks.training.TrainingState state, TrainingRun run) {
        epochs.clear();
        int hidden = hiddenActivations.size();
        for (EpochReport r : run.reports()) {
            double[] none = new double[dense.size()];
            java.util.Arrays.fill(none, Double.NaN);
            double[] noSaturation = new double[hidden];
            java.util.Arrays.fill(noSaturation, Double.NaN);
            epochs.add(new Epoch(r.epoch(), r.trainLoss(), r.trainError(), r.validationLoss(), r.validationError(),
                    Double.NaN, Double.NaN, r.learningRate(), r.seconds(), noSaturation, none, none.clone()));
            resumedAfter = r.epoch();
        }
    }

    /** The last epoch before this process resumed from a checkpoint; 0 when it did not resume. */
    public int resumedAfter() {
        return resumedAfter;
    }

    @Override
    public void onEpochBegin(TrainingRun run) {
        nanosThisEpoch = 0;
        java.util.Arrays.fill(gradientSum, 0);
        gradientCount = 0;
        saturationThisEpoch = null;
    }

    @Override
    public void afterBackward(TrainingRun run, double loss) {
        int step = run.step();
        if (step != 1 && (step - 1) % sampleEvery != 0) {
            return;
        }
        long t = System.nanoTime();
        if (step == 1) {
            List<Diagnostics.LayerSaturation> s = Diagnostics.saturation(network);
            saturationThisEpoch = new double[s.size()];
            for (int k = 0; k < s.size(); k++) {
                Diagnostics.LayerSaturation l = s.get(k);
                saturationThisEpoch[k] = l.activation() == Activation.RELU ? l.deadShare() : l.flatShare();
            }
        }
        if ((step - 1) % sampleEvery == 0) {
            for (int k = 0; k < dense.size(); k++) {
                gradientSum[k] += Math.sqrt(sumOfSquares(dense.get(k).weight().gradient()));
            }
            gradientCount++;
        }
        nanosThisEpoch += System.nanoTime() - t;
    }

    @Override
    public void onEpochEnd(TrainingRun run, EpochReport r) {
        long t = System.nanoTime();
        double[] weightNorm = new double[dense.size()];
        double[] gradientNorm = new double[dense.size()];
        for (int k = 0; k < dense.size(); k++) {
            weightNorm[k] = Math.sqrt(sumOfSquares(dense.get(k).weight().value()));
            gradientNorm[k] = gradientCount == 0 ? Double.NaN : gradientSum[k] / gradientCount;
        }
        double testLoss = Double.NaN;
        double testError = Double.NaN;
        if (testEachEpoch && isRegression()) {
            RegressionMetrics m = new RegressionEvaluator(network, test, targetScaling, regressionLoss).evaluate();
            testLoss = m.loss();
            testError = m.meanRmse();
        } else if (testEachEpoch) {
            Evaluation e = new Evaluator(network, test).evaluate();
            testLoss = e.loss();
            testError = e.error();
        }
        epochs.add(new Epoch(r.epoch(), r.trainLoss(), r.trainError(), r.validationLoss(), r.validationError(),
                testLoss, testError, r.learningRate(), r.seconds(),
                saturationThisEpoch == null ? new double[0] : saturationThisEpoch, weightNorm, gradientNorm));
        collectWarnings(run);
        if (onEpoch != null) {
            onEpoch.run();
        }
        secondsPerEpoch.add((nanosThisEpoch + System.nanoTime() - t) / 1e9);
    }

    /**
     * Wall time spent in this callback in each epoch, in seconds: its sampled steps, its end-of-epoch
     * measurements and the {@code onEpoch} action (writing the report). What {@code nettricks bench
     * --report} weighs against the epochs' training time.
     */
    public List<Double> secondsPerEpoch() {
        return Collections.unmodifiableList(secondsPerEpoch);
    }

    private void collectWarnings(TrainingRun run) {
        List<String> all = run.warnings();
        for (int i = warnings.size(); i < all.size(); i++) {
            warnings.add(new Warning(run.epoch(), all.get(i)));
        }
    }

    /**
     * After the other callbacks' ends (early stopping has restored its best epoch, batch
     * normalization's final pass has run): the final weights and pre-activations, the kept epoch,
     * and the test set's confusion matrix and misclassified examples.
     */
    @Override
    public void onTrainEnd(TrainingRun run) {
        collectWarnings(run);
        keptEpoch = run.keptEpoch();
        stoppedEarly = run.stoppedEarly();
        weightsAtEnd = weights();
        preActivationsAtEnd = preActivations();
        if (test != null && isRegression() && test.hasTargets()) {
            regressTest();
        } else if (test != null && !isRegression() && test.hasLabels()) {
            classifyTest();
        }
        finished = true;
        if (onEpoch != null) {
            onEpoch.run();
        }
    }

    private void classifyTest() {
        int classes = network.architecture().outputSize();
        confusion = new int[classes][classes];
        int[] labels = test.labels();
        double lossSum = 0;
        int errors = 0;
        for (int start = 0; start < test.size(); start += Evaluator.DEFAULT_BATCH_SIZE) {
            int count = Math.min(Evaluator.DEFAULT_BATCH_SIZE, test.size() - start);
            Matrix p = network.probabilities(test.rows(start, count, network.precision()));
            for (int i = 0; i < count; i++) {
                int best = -1;
                double bestP = Double.NEGATIVE_INFINITY;
                boolean finite = true;
                for (int c = 0; c < classes; c++) {
                    double v = p.get(i, c);
                    finite &= Double.isFinite(v);
                    if (v > bestP) {
                        bestP = v;
                        best = c;
                    }
                }
                int y = labels[start + i];
                lossSum += -Math.log(p.get(i, y));
                if (!finite || best < 0) {
                    errors++;
                    continue;
                }
                confusion[y][best]++;
                if (best != y) {
                    errors++;
                    if (misclassified.size() < MISCLASSIFIED_KEPT) {
                        misclassified.add(new Misclassified(start + i, y, best));
                    }
                }
            }
        }
        testLossAtEnd = lossSum / test.size();
        testErrorAtEnd = (double) errors / test.size();
    }

    /** The test set's metrics and every example's true and predicted values, in the original units. */
    private void regressTest() {
        RegressionEvaluator evaluator = new RegressionEvaluator(network, test, targetScaling, regressionLoss);
        regressionTest = evaluator.evaluate();
        testPredicted = evaluator.predictions(); // the outputs o, standardized
        targetScaling.unstandardize(testPredicted);
        testTruth = test.targets().clone();
        targetScaling.unstandardize(testTruth);
        testLossAtEnd = regressionTest.loss();
    }

    private List<float[]> weights() {
        List<float[]> out = new ArrayList<>();
        for (DenseLayer d : dense) {
            out.add(toFloats(d.weight().value()));
        }
        return out;
    }

    /** W h + b of each hidden layer (W h where it normalizes) on the first training examples, in inference mode. */
    private List<float[]> preActivations() {
        List<float[]> out = new ArrayList<>();
        int n = Math.min(SAMPLE_EXAMPLES, train.size());
        if (n == 0) {
            return out;
        }
        Matrix x = train.rows(0, n, network.precision());
        List<Layer> layers = network.layers();
        for (int i = 0; i < layers.size() - 1; i++) {
            if (layers.get(i).activation() == null || !(layers.get(i) instanceof DenseLayer d)) {
                continue;
            }
            Matrix h = network.forwardTo(x, i);
            float[] z = toFloats(d.preActivation(h));
            if (!d.normalizes() && d.bias() != null) {
                Matrix b = d.bias().value();
                int units = d.outputSize();
                for (int j = 0; j < z.length; j++) {
                    z[j] += (float) b.getFlat(j % units);
                }
            }
            out.add(z);
        }
        return out;
    }

    static double sumOfSquares(Matrix m) {
        double s = 0;
        if (m.precision() == Precision.FLOAT32) {
            float[] v = m.floats();
            for (float f : v) {
                s += (double) f * f;
            }
        } else {
            double[] v = m.doubles();
            for (double d : v) {
                s += d * d;
            }
        }
        return s;
    }

    private static float[] toFloats(Matrix m) {
        float[] out = new float[m.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) m.getFlat(i);
        }
        return out;
    }

    /** The epochs finished so far. */
    public List<Epoch> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** The guards' warnings so far, with their epochs. */
    public List<Warning> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /** Names of the dense layers, {@code hidden 1 (64×32)} … {@code output (32×10)}. */
    public List<String> layerNames() {
        return layerNames;
    }

    /** Names of the hidden layers with their activation, {@code hidden 1 (relu)}. */
    public List<String> hiddenNames() {
        return hiddenNames;
    }

    /** The activation g of each hidden layer. */
    public List<Activation> hiddenActivations() {
        return hiddenActivations;
    }

    /** Every dense layer's weights at the start of training, row-major [outputs × inputs]. */
    public List<float[]> weightsAtStart() {
        return weightsAtStart;
    }

    /** Every dense layer's weights at the end of training, or null before it ends. */
    public List<float[]> weightsAtEnd() {
        return weightsAtEnd;
    }

    /** Each hidden layer's pre-activations on the sample at the start, [examples × units]. */
    public List<float[]> preActivationsAtStart() {
        return preActivationsAtStart;
    }

    /** Each hidden layer's pre-activations on the sample at the end, or null before it ends. */
    public List<float[]> preActivationsAtEnd() {
        return preActivationsAtEnd;
    }

    /** The test set's confusion matrix [true][predicted] at the end, or null before it (or without a test set). */
    public int[][] confusion() {
        return confusion;
    }

    /** Up to {@value #MISCLASSIFIED_KEPT} misclassified test examples, in test-set order. */
    public List<Misclassified> misclassified() {
        return Collections.unmodifiableList(misclassified);
    }

    /** The test loss and error at the end, from the same pass as {@link #confusion()}; NaN before. */
    public double testLossAtEnd() {
        return testLossAtEnd;
    }

    public double testErrorAtEnd() {
        return testErrorAtEnd;
    }

    /**
     * The test set's regression metrics at the end (MSE, RMSE, MAE, R² per target in original units,
     * the loss in standardized units), or null before the end, without a test set, or for a classifier.
     */
    public RegressionMetrics regressionTest() {
        return regressionTest;
    }

    /**
     * The test set's true target values at the end, in the original units, row-major
     * [examples × targets] (test-set order); null before the end or for a classifier.
     */
    public double[] testTruth() {
        return testTruth;
    }

    /**
     * The network's predictions for the test set at the end, in the original units
     * (ŷ_k = μ_k + σ_k·o_k), row-major [examples × targets]; null before the end or for a classifier.
     */
    public double[] testPredicted() {
        return testPredicted;
    }

    /** The targets' names, in output order; empty for a classifier. */
    public List<String> targetNames() {
        return targetScaling == null ? List.of() : targetScaling.names();
    }

    /** The regression loss, or null for a classifier. */
    public RegressionLoss regressionLoss() {
        return regressionLoss;
    }

    /** The epoch whose parameters the run ended with (early stopping's best), 0 before the end. */
    public int keptEpoch() {
        return keptEpoch;
    }

    public boolean stoppedEarly() {
        return stoppedEarly;
    }

    /** The run's maximum number of epochs (0 before it starts). */
    public int maxEpochs() {
        return maxEpochs;
    }

    /** Whether training has ended (every figure of the end is there). */
    public boolean finished() {
        return finished;
    }

    /** The number of training examples the pre-activation histograms use. */
    public int sampleSize() {
        return Math.min(SAMPLE_EXAMPLES, train.size());
    }

    public Network network() {
        return network;
    }

    public Dataset test() {
        return test;
    }
}
