package org.nettricks.monitoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.nettricks.activations.Activation;
import org.nettricks.data.Dataset;
import org.nettricks.layers.Layer;
import org.nettricks.network.Network;
import org.nettricks.tensor.Matrix;

/**
 * The checks of the lecture's "debugging on a small dataset" slide, as measurements with
 * thresholds:
 * <ul>
 *   <li>Are some units saturated, even before the first update? A sigmoid or tanh unit is in its
 *       flat region when g'(a) is below 5% of its maximum: |a| &gt; {@value #SIGMOID_FLAT} for the
 *       sigmoid, |a| &gt; {@value #TANH_FLAT} for tanh. A ReLU is dead on a batch when it outputs 0
 *       for every example. A layer is flagged when more than {@value #FLAGGED_SHARE} of its
 *       (unit, example) values are flat, or of its ReLUs are dead. Advice: scale down the
 *       initialization, normalize the inputs.</li>
 *   <li>Are the inputs normalized? Flagged when any input's absolute value exceeds
 *       {@value #INPUT_LIMIT} or the inputs' overall standard deviation exceeds
 *       {@value #INPUT_STD_LIMIT}.</li>
 *   <li>Is the training error bouncing up and down? Read from the per-batch loss curve; advice:
 *       decrease the learning rate.</li>
 * </ul>
 */
public final class Diagnostics {
    /** |a| beyond which sigmoid'(a) &lt; 5% of sigmoid'(0) = 1/4. */
    public static final double SIGMOID_FLAT = 4.36;
    /** |a| beyond which tanh'(a) &lt; 5% of tanh'(0) = 1. */
    public static final double TANH_FLAT = 2.19;
    public static final double FLAGGED_SHARE = 0.25;
    /**
     * The share the training guard uses after the first epoch: trained ReLU features are sparse,
     * so a quarter of units silent on one batch is normal then (measured: 25–28% on Fashion-MNIST
     * with Adam); only a majority points at damage done by training.
     */
    public static final double TRAINING_FLAGGED_SHARE = 0.6;
    public static final double INPUT_LIMIT = 10;
    public static final double INPUT_STD_LIMIT = 5;

    private Diagnostics() {
    }

    /** Saturation of one hidden layer on one batch. */
    public record LayerSaturation(int layer, Activation activation, double flatShare, double deadShare) {
        public boolean flagged() {
            return flagged(FLAGGED_SHARE);
        }

        /** Flagged at a share other than the default, e.g. the laxer one used during training. */
        public boolean flagged(double share) {
            return flatShare > share || deadShare > share;
        }

        public String describe() {
            if (activation == Activation.RELU) {
                return String.format(Locale.ROOT, "hidden layer %d (relu): %.1f%% of units dead on the whole batch",
                        layer + 1, 100 * deadShare);
            }
            if (activation == Activation.LINEAR) {
                return String.format(Locale.ROOT, "hidden layer %d (linear): cannot saturate", layer + 1);
            }
            return String.format(Locale.ROOT, "hidden layer %d (%s): %.1f%% of pre-activations in the flat region",
                    layer + 1, activation.displayName(), 100 * flatShare);
        }
    }

    /**
     * Saturation of every hidden layer from the network's last {@code TRAIN} forward pass (run one on
     * a batch first): of every layer that applies an activation g ({@link Layer#activation()}),
     * except the last layer of the network (the output layer, whose g is the identity), numbered
     * from 0 in order.
     */
    public static List<LayerSaturation> saturation(Network network) {
        return saturation(network, 0);
    }

    /**
     * As {@link #saturation(Network)} for the layers from {@code firstLayer} (an index into
     * {@link Network#layers()}, a {@link Network#frozenPrefix}) on: frozen layers, which training
     * runs in {@link org.nettricks.layers.Mode#EVAL} and cannot change, are left out.
     */
    public static List<LayerSaturation> saturation(Network network, int firstLayer) {
        List<LayerSaturation> out = new ArrayList<>();
        List<Layer> layers = network.layers();
        int k = -1;
        for (int index = 0; index < layers.size() - 1; index++) {
            Layer layer = layers.get(index);
            Activation g = layer.activation();
            if (g == null) {
                continue;
            }
            k++;
            if (index < firstLayer) {
                continue;
            }
            Matrix a = layer.lastActivationInput();
            if (a == null) {
                throw new IllegalStateException("run a forward pass before measuring saturation");
            }
            double flat = 0;
            double dead = 0;
            int rows = a.rows();
            int cols = a.cols();
            if (g == Activation.SIGMOID || g == Activation.TANH) {
                double limit = g == Activation.SIGMOID ? SIGMOID_FLAT : TANH_FLAT;
                long count = 0;
                for (int i = 0; i < a.size(); i++) {
                    if (Math.abs(a.getFlat(i)) > limit) {
                        count++;
                    }
                }
                flat = (double) count / a.size();
            } else if (g == Activation.RELU) {
                int deadUnits = 0;
                for (int j = 0; j < cols; j++) {
                    boolean alive = false;
                    for (int r = 0; r < rows && !alive; r++) {
                        alive = a.getFlat(r * cols + j) > 0;
                    }
                    if (!alive) {
                        deadUnits++;
                    }
                }
                dead = (double) deadUnits / cols;
            }
            out.add(new LayerSaturation(k, g, flat, dead));
        }
        return out;
    }

    /**
     * {@link #saturation(Network, int)} judged over several consecutive batches as if they were one:
     * flat (unit, example) values are counted over all of them, and a ReLU is dead when it is 0 on
     * every example of every batch. For batches too small to judge alone (per-example SGD, where
     * about half of one example's ReLUs are 0). Holds its counts in arrays sized once, at
     * construction: {@link #add} allocates nothing.
     */
    public static final class SaturationWindow {
        private final Network network;
        private final int firstLayer;
        private final long[] flat;
        private final long[] values;
        private final boolean[][] alive;

        /** A window over the hidden layers from {@code firstLayer} (a {@link Network#frozenPrefix}) on. */
        public SaturationWindow(Network network, int firstLayer) {
            this.network = network;
            this.firstLayer = firstLayer;
            int n = network.layers().size();
            flat = new long[n];
            values = new long[n];
            alive = new boolean[n][];
            for (int index = firstLayer; index < n - 1; index++) {
                Layer layer = network.layers().get(index);
                if (layer.activation() == Activation.RELU) {
                    alive[index] = new boolean[layer.outputSize()];
                }
            }
        }

        /** Empties the window. */
        public void clear() {
            java.util.Arrays.fill(flat, 0);
            java.util.Arrays.fill(values, 0);
            for (boolean[] a : alive) {
                if (a != null) {
                    java.util.Arrays.fill(a, false);
                }
            }
        }

        /**
         * Adds the network's last {@code TRAIN} forward pass.
         *
         * @throws IllegalStateException when no forward pass has run
         */
        public void add() {
            List<Layer> layers = network.layers();
            for (int index = firstLayer; index < layers.size() - 1; index++) {
                Layer layer = layers.get(index);
                Activation g = layer.activation();
                if (g == null) {
                    continue;
                }
                Matrix a = layer.lastActivationInput();
                if (a == null) {
                    throw new IllegalStateException("run a forward pass before measuring saturation");
                }
                if (g == Activation.SIGMOID || g == Activation.TANH) {
                    double limit = g == Activation.SIGMOID ? SIGMOID_FLAT : TANH_FLAT;
                    for (int i = 0; i < a.size(); i++) {
                        if (Math.abs(a.getFlat(i)) > limit) {
                            flat[index]++;
                        }
                    }
                    values[index] += a.size();
                } else if (g == Activation.RELU) {
                    boolean[] on = alive[index];
                    int cols = a.cols();
                    for (int r = 0; r < a.rows(); r++) {
                        for (int j = 0; j < cols; j++) {
                            if (a.getFlat(r * cols + j) > 0) {
                                on[j] = true;
                            }
                        }
                    }
                }
            }
        }

        /**
         * Whether any hidden layer's saturation over the batches added since the last {@link #clear}
         * is {@link LayerSaturation#flagged(double) flagged} at {@code share}: what {@link #saturation()}
         * would say, without allocating (a training step asks it once per epoch).
         */
        public boolean anyFlagged(double share) {
            List<Layer> layers = network.layers();
            for (int index = firstLayer; index < layers.size() - 1; index++) {
                if (layers.get(index).activation() == null) {
                    continue;
                }
                double flatShare = values[index] == 0 ? 0 : (double) flat[index] / values[index];
                if (flatShare > share || deadShare(index) > share) {
                    return true;
                }
            }
            return false;
        }

        private double deadShare(int index) {
            if (alive[index] == null) {
                return 0;
            }
            int dead = 0;
            for (boolean on : alive[index]) {
                if (!on) {
                    dead++;
                }
            }
            return (double) dead / alive[index].length;
        }

        /** The saturation of each hidden layer over the batches added since the last {@link #clear}. */
        public List<LayerSaturation> saturation() {
            List<LayerSaturation> out = new ArrayList<>();
            List<Layer> layers = network.layers();
            int k = -1;
            for (int index = 0; index < layers.size() - 1; index++) {
                Activation g = layers.get(index).activation();
                if (g == null) {
                    continue;
                }
                k++;
                if (index < firstLayer) {
                    continue;
                }
                double flatShare = values[index] == 0 ? 0 : (double) flat[index] / values[index];
                out.add(new LayerSaturation(k, g, flatShare, deadShare(index)));
            }
            return out;
        }
    }

    /** Statistics of the inputs as the network sees them. */
    public record InputCheck(double mean, double standardDeviation, double maxAbs) {
        public boolean unnormalized() {
            return maxAbs > INPUT_LIMIT || standardDeviation > INPUT_STD_LIMIT;
        }

        /** The three figures, e.g. "mean 0.286, standard deviation 0.353, largest |x| 1.00" (the finding names the check). */
        public String describe() {
            return String.format(Locale.ROOT, "mean %.3g, standard deviation %.3g, largest |x| %.3g", mean,
                    standardDeviation, maxAbs);
        }
    }

    /** Mean, standard deviation and largest magnitude over all input values. */
    public static InputCheck inputs(Dataset data) {
        double sum = 0;
        double sumSq = 0;
        double max = 0;
        float[] x = data.features();
        for (float v : x) {
            sum += v;
            sumSq += (double) v * v;
            max = Math.max(max, Math.abs(v));
        }
        double mean = sum / x.length;
        return new InputCheck(mean, Math.sqrt(Math.max(0, sumSq / x.length - mean * mean)), max);
    }

    /**
     * What the per-batch loss curve says.
     *
     * @param riseShare share of steps whose loss exceeds the previous step's by more than half of
     *                  max(previous loss, 0.5 nats)
     * @param earlyMean mean loss over the first fifth of the curve
     * @param lateMean  mean loss over the last fifth
     */
    public record LossCurve(int steps, boolean nonFinite, double riseShare, double earlyMean, double lateMean) {
        /**
         * Bouncing: non-finite, or more than 10% of the steps jump up, or the loss rises by more than
         * 10% over the curve while more than 5% of the steps jump up. (Mini-batch noise of healthy
         * runs measured on Fashion-MNIST stayed below 5% jumps.)
         */
        public boolean bouncing() {
            return nonFinite || riseShare > 0.1 || (lateMean > 1.1 * earlyMean && riseShare > 0.05);
        }

        public String describe() {
            if (nonFinite) {
                return "the loss became NaN or infinite within " + steps + " steps";
            }
            return String.format(Locale.ROOT, "loss over %d steps: first fifth %.4f, last fifth %.4f; %.1f%% of"
                    + " steps jumped up by more than half", steps, earlyMean, lateMean, 100 * riseShare);
        }
    }

    /** Reads a per-batch loss curve (at least 10 steps). */
    public static LossCurve lossCurve(double[] losses, int steps) {
        if (steps < 10) {
            throw new IllegalArgumentException("a loss curve needs at least 10 steps, got " + steps);
        }
        int rises = 0;
        boolean nonFinite = false;
        for (int t = 0; t < steps; t++) {
            if (!Double.isFinite(losses[t])) {
                nonFinite = true;
            }
            // a jump up by half the previous loss, counted only on losses that matter (≥ 0.5 nats):
            // near zero, small absolute wiggles from dropout or tiny batches are not bouncing
            if (t > 0 && losses[t] - losses[t - 1] > 0.5 * Math.max(losses[t - 1], 0.5)) {
                rises++;
            }
        }
        int fifth = Math.max(1, steps / 5);
        double early = 0;
        double late = 0;
        for (int t = 0; t < fifth; t++) {
            early += losses[t] / fifth;
            late += losses[steps - 1 - t] / fifth;
        }
        return new LossCurve(steps, nonFinite, (double) rises / (steps - 1), early, late);
    }

    /** The lecture's advice for saturated units. */
    public static final String SATURATION_ADVICE = "scale down the initialization of these units (`init-gain` below"
            + " 1) and properly normalize the inputs (`normalize` scale or standardize)";
    /** The advice for unnormalized inputs. */
    public static final String INPUT_ADVICE = "properly normalize the inputs (`normalize` scale or standardize)";
    /** Advice for units that saturate during training although they did not at initialization. */
    public static final String SATURATION_DURING_TRAINING_ADVICE = "the units were not saturated at initialization:"
            + " large updates drove them there; decrease the learning rate (e.g. `lr` divided by 10)";
    /** The lecture's advice for a bouncing training error. */
    public static final String BOUNCING_ADVICE = "decrease the learning rate (e.g. `lr` divided by 10)";
}
