package org.nettricks.debugging;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import org.nettricks.layers.Mode;
import org.nettricks.layers.Parameter;
import org.nettricks.losses.RegressionLoss;
import org.nettricks.losses.SoftmaxCrossEntropy;
import org.nettricks.network.Network;
import org.nettricks.regularization.Penalty;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * The lecture's gradient check: every parameter's backpropagated gradient against the central
 * finite difference
 * <pre>∂f/∂θᵢ ≈ (f(θ + ε eᵢ) − f(θ − ε eᵢ)) / 2ε</pre>
 * where f is the whole regularized objective on one mini-batch, (1/B) Σ l(f(x), y) + λΩ(θ), in
 * float64. Batch normalization runs in training mode and dropout masks are held fixed (the mask
 * generator is replayed from the same seed for every evaluation), so f is a deterministic function
 * of θ.
 *
 * <p>The known traps are handled: errors are measured with {@link RelativeError} (absolute below
 * its floor, where both gradients are near zero); entries whose ±ε perturbation crosses a kink
 * (a ReLU pre-activation or an L1-penalized weight passing through 0) are detected because the two
 * one-sided slopes (f(θ+ε) − f(θ))/ε and (f(θ) − f(θ−ε))/ε disagree, and are reported as skipped
 * rather than as errors; large tensors are sampled.
 */
public final class GradientChecker {

    /**
     * @param step      ε of the central difference; the default 1e−5 balances truncation (∝ ε²)
     *                  against rounding (∝ 1e−16/ε) in float64: measured on a batch-normalized
     *                  network, the largest errors were about 4e−7 at ε = 1e−6 and 5e−8 at 1e−5
     * @param threshold largest acceptable relative error
     * @param samples   entries checked per tensor (all of them when the tensor is smaller)
     * @param seed      chooses the sampled entries and the dropout masks
     */
    public record Options(double step, double threshold, int samples, long seed) {
        public static final Options DEFAULT = new Options(1e-5, 1e-6, 200, 1);

        public Options {
            if (!(step > 0 && step < 1)) {
                throw new IllegalArgumentException("step must be in (0, 1), got " + step);
            }
            if (!(threshold > 0)) {
                throw new IllegalArgumentException("threshold must be > 0, got " + threshold);
            }
            if (samples < 1) {
                throw new IllegalArgumentException("samples must be at least 1, got " + samples);
            }
        }
    }

    /** One checked entry. */
    public record Entry(int row, int col, double analytic, double numeric, double error) {
    }

    /** The result for one parameter tensor. */
    public record TensorReport(String name, int rows, int cols, int checked, int skippedAtKinks, double maxError,
                               List<Entry> worst, boolean passed) {
    }

    /** The result for the whole network. */
    public record Report(List<TensorReport> tensors, double threshold, double objective) {
        public boolean passed() {
            return tensors.stream().allMatch(TensorReport::passed);
        }

        /** The tensors that failed, in network order. */
        public List<String> failedTensors() {
            return tensors.stream().filter(t -> !t.passed()).map(TensorReport::name).toList();
        }

        /**
         * The layer (e.g. {@code layers.1}) of the failing tensor nearest the output, or null when all
         * passed. Backpropagation carries a wrong gradient downwards, so the layer where the errors
         * start, seen from the output, is where the bug most likely is.
         */
        public String likelyCulprit() {
            List<String> failed = failedTensors();
            if (failed.isEmpty()) {
                return null;
            }
            String last = failed.get(failed.size() - 1);
            int dot = last.indexOf('.', "layers.".length());
            return last.substring(0, dot);
        }
    }

    private final Network network;
    private final Matrix inputs;
    private final int[] labels;
    private final double[] weights;
    private final Penalty penalty;
    private final Options options;
    private double[] targets;
    private RegressionLoss regressionLoss;
    private double[] regressionWeights;

    /**
     * @param network a float64 network
     * @param penalty the regularizer of the objective (may do nothing)
     */
    public GradientChecker(Network network, Matrix inputs, int[] labels, Penalty penalty, Options options) {
        this(network, inputs, labels, null, penalty, options);
    }

    /**
     * A check of the weighted negative log-likelihood (class weights): example t's loss counts
     * {@code weights[t]} times, the sum still divided by the batch size.
     *
     * @param weights one weight per example (finite, ≥ 0), or null for the unweighted loss
     */
    public GradientChecker(Network network, Matrix inputs, int[] labels, double[] weights, Penalty penalty,
                           Options options) {
        if (network.precision() != Precision.FLOAT64) {
            throw new IllegalArgumentException("gradient checks need a float64 network: float32 rounding (1e-7)"
                    + " swamps the finite differences");
        }
        this.network = network;
        this.inputs = inputs;
        this.labels = labels;
        this.weights = weights == null ? null : weights.clone();
        this.penalty = penalty;
        this.options = options;
    }

    /**
     * A check of a regression objective: the {@link RegressionLoss} (squared error or Huber, the
     * mean over examples and targets) of the network's linear outputs against {@code targets}.
     *
     * @param network a float64 network with K outputs
     * @param targets row-major B × K (standardized, as training sees them)
     * @param penalty the regularizer of the objective (may do nothing)
     */
    public static GradientChecker regression(Network network, Matrix inputs, double[] targets, RegressionLoss loss,
                                             Penalty penalty, Options options) {
        if ((long) inputs.rows() * network.architecture().outputSize() != targets.length) {
            throw new IllegalArgumentException(targets.length + " targets for " + inputs.rows() + " examples and "
                    + network.architecture().outputSize() + " outputs");
        }
        GradientChecker c = new GradientChecker(network, inputs, null, null, penalty, options);
        c.targets = targets.clone();
        c.regressionLoss = loss;
        return c;
    }

    /**
     * A check of a regression objective with per-example weights: example t's loss counts
     * {@code weights[t]} times, the sum still divided by B·K
     * ({@link RegressionLoss#meanLossAndGradient(Matrix, double[], double[], Matrix)}).
     *
     * @param weights one weight per example (finite, ≥ 0), or null for the unweighted loss
     * @throws IllegalArgumentException when the targets are not B × K or the weights not B
     */
    public static GradientChecker regression(Network network, Matrix inputs, double[] targets, double[] weights,
                                             RegressionLoss loss, Penalty penalty, Options options) {
        if (weights != null && weights.length != inputs.rows()) {
            throw new IllegalArgumentException(weights.length + " weights for " + inputs.rows() + " examples");
        }
        GradientChecker c = regression(network, inputs, targets, loss, penalty, options);
        c.regressionWeights = weights == null ? null : weights.clone();
        return c;
    }

    /** The regularized objective on the batch; with {@code backward}, also fills the gradients. */
    public double objective(boolean backward) {
        Matrix logits = network.forward(inputs, Mode.TRAIN, new SplittableRandom(options.seed()));
        Matrix grad = backward ? Matrix.zeros(logits.rows(), logits.cols(), Precision.FLOAT64) : null;
        double loss = regressionLoss != null ? (regressionWeights != null
                ? regressionLoss.meanLossAndGradient(logits, targets, regressionWeights, grad)
                : regressionLoss.meanLossAndGradient(logits, targets, grad))
                : SoftmaxCrossEntropy.meanLossAndGradient(network.backend(), logits, labels, weights, grad, null);
        if (backward) {
            network.backward(grad);
            penalty.addGradient(network.parameters());
        }
        return loss + penalty.value(network.parameters());
    }

    /** Runs the check over every parameter tensor. */
    public Report run() {
        double f0 = objective(true);
        List<Matrix> analytic = new ArrayList<>();
        for (Parameter p : network.parameters()) {
            analytic.add(p.gradient().copy());
        }
        double eps = options.step();
        SplittableRandom sampler = new SplittableRandom(options.seed() ^ 0x5DEECE66DL);
        List<TensorReport> reports = new ArrayList<>();
        for (int k = 0; k < network.parameters().size(); k++) {
            Parameter p = network.parameters().get(k);
            Matrix theta = p.value();
            int[] indices = choose(theta.size(), options.samples(), sampler);
            List<Entry> entries = new ArrayList<>();
            int skipped = 0;
            for (int i : indices) {
                double original = theta.getFlat(i);
                theta.setFlat(i, original + eps);
                double plus = objective(false);
                theta.setFlat(i, original - eps);
                double minus = objective(false);
                theta.setFlat(i, original);
                double right = (plus - f0) / eps;
                double left = (f0 - minus) / eps;
                if (crossesKink(left, right)) {
                    skipped++;
                    continue;
                }
                double numeric = (plus - minus) / (2 * eps);
                double a = analytic.get(k).getFlat(i);
                entries.add(new Entry(i / theta.cols(), i % theta.cols(), a, numeric, RelativeError.of(a, numeric)));
            }
            entries.sort(Comparator.comparingDouble(Entry::error).reversed());
            double max = entries.isEmpty() ? 0 : entries.get(0).error();
            reports.add(new TensorReport(p.name(), theta.rows(), theta.cols(), entries.size(), skipped, max,
                    List.copyOf(entries.subList(0, Math.min(3, entries.size()))), max <= options.threshold()));
        }
        return new Report(reports, options.threshold(), f0);
    }

    /**
     * True when the one-sided slopes disagree by more than smooth curvature explains: a kink lies
     * within ±ε. For a smooth f they differ by about ε·|f''| (1e−6 for a curvature of 1); a kink makes
     * them differ by the jump in slope. The test is
     * |right − left| &gt; 1e−3 · max(|left|, |right|, {@link RelativeError#FLOOR}); a wrong call only
     * skips an entry, it never fails one, because it looks at f alone, not at backpropagation.
     */
    static boolean crossesKink(double left, double right) {
        double scale = Math.max(Math.max(Math.abs(left), Math.abs(right)), RelativeError.FLOOR);
        return Math.abs(right - left) > 1e-3 * scale;
    }

    private static int[] choose(int size, int samples, SplittableRandom random) {
        if (size <= samples) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        // a uniformly random subset (partial Fisher–Yates), in increasing order
        int[] pool = new int[size];
        for (int i = 0; i < size; i++) {
            pool[i] = i;
        }
        for (int i = 0; i < samples; i++) {
            int j = i + random.nextInt(size - i);
            int t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        int[] out = java.util.Arrays.copyOf(pool, samples);
        java.util.Arrays.sort(out);
        return out;
    }
}
