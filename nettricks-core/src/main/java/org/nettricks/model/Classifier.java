package org.nettricks.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nettricks.data.Dataset;
import org.nettricks.data.InputSchema;
import org.nettricks.data.Normalization;
import org.nettricks.network.Network;
import org.nettricks.tensor.Matrix;
import org.nettricks.evaluation.Evaluation;
import org.nettricks.evaluation.Evaluator;
import org.nettricks.evaluation.RegressionEvaluator;
import org.nettricks.evaluation.RegressionMetrics;
import org.nettricks.data.TargetScaling;
import org.nettricks.losses.RegressionLoss;

/**
 * A trained classifier for inference: the network, the input normalization fitted on its training
 * set, and the names of its classes; or, for {@code task} regression ({@link #isRegression()}), a
 * regressor whose K linear outputs are standardized targets, with the names, means and standard
 * deviations of its targets ({@link #targetScaling()}): its {@link #predictValues} are
 * μ_k + σ_k · o_k, in the targets' original units, and its "class names" are the target names. It takes raw inputs (as read from files) and normalizes them
 * itself. It offers no way to change the parameters. Not thread-safe: the network reuses its
 * workspaces between calls.
 */
public final class Classifier {
    /**
     * What {@link #predict} gives an example whose output f(x) is not finite (a NaN or an infinity,
     * e.g. from an input that overflows the precision after normalization): no class.
     */
    public static final int NO_CLASS = -1;

    private final Network network;
    private final Normalization normalization;
    private final List<String> classNames;
    private final Map<String, String> provenance;
    private final InputSchema inputSchema;
    private final TargetScaling targetScaling;
    private final RegressionLoss regressionLoss;

    /**
     * A classifier that knows its inputs by position only.
     *
     * @param provenance how the model was made (seed, configuration, version), saved with it
     */
    public Classifier(Network network, Normalization normalization, List<String> classNames,
                      Map<String, String> provenance) {
        this(network, normalization, classNames, null, provenance);
    }

    /**
     * @param inputSchema the training data's feature columns and label column, or image shape, saved
     *                    with the model so that later files are read by column name; null if unknown
     * @param provenance  how the model was made (seed, configuration, version), saved with it
     * @throws IllegalArgumentException when the class names, normalization or schema do not fit the network
     */
    public Classifier(Network network, Normalization normalization, List<String> classNames,
                      InputSchema inputSchema, Map<String, String> provenance) {
        this(network, normalization, classNames, inputSchema, provenance, null, null);
    }

    /**
     * A regressor: the network's K outputs are the standardized targets of {@code targetScaling}.
     *
     * @param loss the loss it was trained with, which {@link #evaluateRegression} reports
     * @throws IllegalArgumentException when the targets, normalization or schema do not fit the network
     */
    public Classifier(Network network, Normalization normalization, TargetScaling targetScaling, RegressionLoss loss,
                      InputSchema inputSchema, Map<String, String> provenance) {
        this(network, normalization, targetScaling.names(), inputSchema, provenance, targetScaling, loss);
    }

    private Classifier(Network network, Normalization normalization, List<String> classNames,
                       InputSchema inputSchema, Map<String, String> provenance, TargetScaling targetScaling,
                       RegressionLoss regressionLoss) {
        this.targetScaling = targetScaling;
        this.regressionLoss = regressionLoss;
        if ((targetScaling == null) != (regressionLoss == null)) {
            throw new IllegalArgumentException("a regressor needs both its target scaling and its loss");
        }
        if (classNames.size() != network.architecture().outputSize()) {
            throw new IllegalArgumentException(classNames.size() + " class names for a network with "
                    + network.architecture().outputSize() + " outputs");
        }
        if (normalization.featureCount() != network.architecture().inputSize()) {
            throw new IllegalArgumentException("normalization for " + normalization.featureCount()
                    + " features, network takes " + network.architecture().inputSize());
        }
        if (inputSchema != null && inputSchema.featureCount() != network.architecture().inputSize()) {
            throw new IllegalArgumentException("an input schema of " + inputSchema.describe() + " for a network with "
                    + network.architecture().inputSize() + " inputs");
        }
        this.inputSchema = inputSchema;
        this.network = network;
        this.normalization = normalization;
        this.classNames = List.copyOf(classNames);
        this.provenance = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(provenance));
    }

    /** Whether this model predicts numeric targets ({@code task} regression) rather than classes. */
    public boolean isRegression() {
        return targetScaling != null;
    }

    /** A regressor's target names, means and (population) standard deviations; null for a classifier. */
    public TargetScaling targetScaling() {
        return targetScaling;
    }

    /** The loss a regressor was trained with; null for a classifier. */
    public RegressionLoss regressionLoss() {
        return regressionLoss;
    }

    /**
     * A regressor's predictions for every example of raw data, in the targets' original units:
     * row-major n × K, ŷ_k = μ_k + σ_k · o_k (o: the network's linear outputs, in {@link
     * org.nettricks.layers.Mode#EVAL}). A value is NaN or infinite when the network's values overflow.
     *
     * @throws IllegalStateException for a classifier
     */
    public double[] predictValues(Dataset raw) {
        requireRegression();
        requireFeatures(raw);
        Dataset x = normalization.apply(raw);
        int n = x.size();
        int k = targetScaling.count();
        double[] out = new double[n * k];
        for (int start = 0; start < n; start += Evaluator.DEFAULT_BATCH_SIZE) {
            int count = Math.min(Evaluator.DEFAULT_BATCH_SIZE, n - start);
            Matrix o = network.forward(x.rows(start, count, network.precision()), org.nettricks.layers.Mode.EVAL);
            for (int i = 0; i < count * k; i++) {
                out[start * k + i] = o.getFlat(i);
            }
        }
        targetScaling.unstandardize(out);
        return out;
    }

    /**
     * A regressor's figures on raw data with targets in original units: MSE, RMSE, MAE and R² per
     * target in original units, and the mean training loss in standardized units.
     *
     * @throws IllegalStateException for a classifier
     */
    public RegressionMetrics evaluateRegression(Dataset raw) {
        requireRegression();
        requireFeatures(raw);
        return new RegressionEvaluator(network, targetScaling.standardize(normalization.apply(raw)), targetScaling,
                regressionLoss).evaluate();
    }

    private void requireRegression() {
        if (targetScaling == null) {
            throw new IllegalStateException("a classifier has no numeric predictions; use predict or probabilities");
        }
    }

    /** The network; callers must not modify its parameters. */
    public Network network() {
        return network;
    }

    public Normalization normalization() {
        return normalization;
    }

    public List<String> classNames() {
        return classNames;
    }

    /**
     * The training data's inputs: its feature columns (in input order) and label column, or its
     * image shape; null for a model file written before models kept them (inputs by position).
     */
    public InputSchema inputSchema() {
        return inputSchema;
    }

    public Map<String, String> provenance() {
        return provenance;
    }

    /**
     * f(x) for every example of raw (unnormalized) data: a size × classes matrix. A row holds NaN or
     * infinities when the example's values overflow the precision ({@link #nonFiniteRows}).
     */
    public Matrix probabilities(Dataset raw) {
        requireFeatures(raw);
        Dataset x = normalization.apply(raw);
        int n = x.size();
        int classes = classNames.size();
        Matrix out = Matrix.zeros(n, classes, network.precision());
        for (int start = 0; start < n; start += Evaluator.DEFAULT_BATCH_SIZE) {
            int count = Math.min(Evaluator.DEFAULT_BATCH_SIZE, n - start);
            Matrix p = network.probabilities(x.rows(start, count, network.precision()));
            for (int i = 0; i < count * classes; i++) {
                out.setFlat(start * classes + i, p.getFlat(i));
            }
        }
        return out;
    }

    /**
     * The most probable class index of every example of raw data, or {@link #NO_CLASS} for an
     * example whose output is not finite.
     */
    public int[] predict(Dataset raw) {
        Matrix p = probabilities(raw);
        int[] out = new int[p.rows()];
        for (int i = 0; i < p.rows(); i++) {
            if (!finiteRow(p, i)) {
                out[i] = NO_CLASS;
                continue;
            }
            int best = 0;
            for (int c = 1; c < p.cols(); c++) {
                if (p.get(i, c) > p.get(i, best)) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /**
     * The rows of {@code m} (e.g. of {@link #probabilities}) that hold a NaN or an infinity, in order.
     */
    public static int[] nonFiniteRows(Matrix m) {
        int[] rows = new int[m.rows()];
        int k = 0;
        for (int i = 0; i < m.rows(); i++) {
            if (!finiteRow(m, i)) {
                rows[k++] = i;
            }
        }
        return java.util.Arrays.copyOf(rows, k);
    }

    /**
     * The examples of raw labelled data (0-based, in order) whose output is finite, so that they
     * have a class, but whose loss −log f(x)_y is infinite: the model gives the true class y a
     * probability of 0 in its precision. One of them makes {@link #evaluate}'s loss infinite.
     */
    public int[] infiniteLossRows(Dataset raw) {
        requireFeatures(raw);
        return new Evaluator(network, normalization.apply(raw)).infiniteLossRows();
    }

    private static boolean finiteRow(Matrix m, int r) {
        for (int c = 0; c < m.cols(); c++) {
            if (!Double.isFinite(m.get(r, c))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why example {@code example} of raw data has no finite output, for messages: the first feature
     * (0-based) that the normalization makes infinite in float32 (the precision inputs are held in),
     * or, when every input is finite after normalization, the largest of them, which the network's
     * values then overflow.
     */
    public String explainNonFinite(Dataset raw, int example) {
        requireFeatures(raw);
        int d = raw.featureCount();
        float[] x = raw.features();
        int largest = 0;
        float largestValue = 0;
        for (int j = 0; j < d; j++) {
            float v = x[example * d + j];
            float z = (float) ((v - normalization.offset()[j]) / normalization.scale()[j]);
            if (!Float.isFinite(z)) {
                return feature(j) + " is " + v + ", which the model's normalization ("
                        + normalization.kind().displayName() + ") turns into " + z + " in float32";
            }
            if (Math.abs(z) > Math.abs(largestValue)) {
                largest = j;
                largestValue = z;
            }
        }
        return "its inputs are finite after normalization (" + normalization.kind().displayName() + "; the largest is "
                + feature(largest) + ", " + x[example * d + largest] + " → " + largestValue + ") but the network's"
                + " values overflow " + network.precision().displayName();
    }

    /**
     * Feature {@code j} (0-based) for messages: {@code feature 'x2' (input 2 of 2)} when the model
     * keeps column names, else {@code feature 1} (0-based, as before).
     */
    private String feature(int j) {
        if (inputSchema != null && inputSchema.hasNames()) {
            return "feature '" + inputSchema.featureNames().get(j) + "' (input " + (j + 1) + " of "
                    + inputSchema.featureCount() + ")";
        }
        return "feature " + j;
    }

    /**
     * Loss, error and confusion matrix on raw labelled data; an example whose output is not finite
     * counts as an error ({@link Evaluation#nonFinite()}).
     */
    public Evaluation evaluate(Dataset raw) {
        requireFeatures(raw);
        return new Evaluator(network, normalization.apply(raw)).evaluate();
    }

    private void requireFeatures(Dataset raw) {
        if (raw.featureCount() != network.architecture().inputSize()) {
            throw new org.nettricks.InvalidInputException(raw.source() + " has " + raw.featureCount()
                    + " features per example but the model takes " + network.architecture().inputSize()
                    + "; use data shaped like the training data");
        }
    }
}
