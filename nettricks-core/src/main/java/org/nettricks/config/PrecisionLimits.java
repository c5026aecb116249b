package org.nettricks.config;

import java.util.List;
import java.util.Locale;

import org.nettricks.init.GlorotUniform;
import org.nettricks.init.HeUniform;
import org.nettricks.tensor.Precision;

/**
 * Settings that overflow or underflow at the training precision, refused before training with a
 * {@link RecipeException} naming the key. A float32 run computes its updates in float32 (the
 * optimizers cast α, β and ε to float), so:
 * <ul>
 *   <li>{@code lr}, {@code pretrain-lr}: above the largest finite number (float32 3.40e38) they are
 *       infinite; below the smallest normal number (float32 1.18e-38, float64 2.23e-308) every
 *       update underflows;</li>
 *   <li>{@code epsilon} (of the rules that read it: Adagrad, RMSProp, Adam): below the smallest
 *       normal number it is 0 or subnormal, and 1/ε overflows: the denominator it guards is 0;</li>
 *   <li>{@code momentum}, {@code beta1}, {@code beta2} (of the rules that read them): a value in
 *       [0, 1) that rounds to 1 (in float32, anything above 1 − 2⁻²⁵ ≈ 0.99999997) stops the
 *       average from forgetting, e.g. Adam's second moment stays 0;</li>
 *   <li>{@code l1}, {@code l2}: above the largest finite number;</li>
 *   <li>{@code init-gain}: initial weights U[−b, b] with b = gain · bound(fan-in, fan-out) that
 *       overflow (b above float32's largest number, or above half float64's, as the draw −b + 2b·u
 *       computes 2b) or underflow (b below the smallest normal
 *       number, which makes every weight 0 or subnormal): checked for the layers whose sizes the
 *       recipe gives (hidden to hidden) by the recipe, and for every layer by
 *       {@link #checkInitialization} once the data's sizes are known.</li>
 * </ul>
 */
public final class PrecisionLimits {
    private PrecisionLimits() {
    }

    /** The largest finite number of {@code p}. */
    public static double largest(Precision p) {
        return p == Precision.FLOAT32 ? Float.MAX_VALUE : Double.MAX_VALUE;
    }

    /** The smallest positive normal number of {@code p}. */
    public static double smallestNormal(Precision p) {
        return p == Precision.FLOAT32 ? Float.MIN_NORMAL : Double.MIN_NORMAL;
    }

    /** Checks a recipe's settings against its precision {@code p} (from the recipe's constructor). */
    static void check(Recipe.NetworkPart network, Recipe.OptimizerPart optimizer,
                      Recipe.RegularizationPart regularization, Recipe.PretrainingPart pretraining, Precision p) {
        positiveNumber("lr", optimizer.learningRate(), p);
        if (pretraining.enabled()) {
            for (double rate : pretraining.learningRates()) {
                positiveNumber("pretrain-lr", rate, p);
            }
        }
        for (UpdateRule.Hyperparameter h : optimizer.rule().hyperparameters()) {
            double v = optimizer.hyperparameter(h.key());
            if (h == UpdateRule.Hyperparameter.EPSILON) {
                positiveNumber(h.key(), v, p);
            } else if (p == Precision.FLOAT32 && (float) v >= 1.0f) {
                throw new RecipeException(h.key(), "is " + Recipe.format(v) + ", which rounds to 1 in float32, the"
                        + " training precision (every value above 1 − 2^-25 ≈ 0.99999997 does), so the average"
                        + " never forgets; give at most 0.9999999, or set `precision` to float64");
            }
        }
        for (String key : List.of("l1", "l2")) {
            double v = key.equals("l1") ? regularization.l1() : regularization.l2();
            if (v > largest(p)) {
                throw new RecipeException(key, "is " + Recipe.format(v) + ", above " + p.displayName() + "'s largest"
                        + " number " + g(largest(p)) + " (the training precision): the penalty is infinite");
            }
        }
        List<Integer> hidden = network.hidden();
        for (int k = 1; k < hidden.size(); k++) {
            initialWeights(network, k + 1, hidden.get(k - 1), hidden.get(k), p);
        }
    }

    /**
     * Checks the initial weights of every layer of a network with these data sizes.
     *
     * @param inputSize features per example
     * @param classes   output units
     * @throws RecipeException naming {@code init-gain} when some layer's bound overflows or underflows
     *                         {@code precision}
     */
    public static void checkInitialization(Recipe.NetworkPart network, int inputSize, int classes,
                                           Precision precision) {
        int in = inputSize;
        int layer = 1;
        for (int size : network.hidden()) {
            initialWeights(network, layer++, in, size, precision);
            in = size;
        }
        initialWeights(network, layer, in, classes, precision);
    }

    private static void initialWeights(Recipe.NetworkPart network, int layer, int fanIn, int fanOut, Precision p) {
        double unit = network.init() == InitScheme.GLOROT ? GlorotUniform.bound(fanIn, fanOut) : HeUniform.bound(fanIn);
        double b = network.initGain() * unit;
        String where = "layer " + layer + " (fan-in " + fanIn + ", fan-out " + fanOut + ")";
        // the initializers draw −b + 2b·u in double: in float64, 2b must be finite too
        double limit = p == Precision.FLOAT64 ? Double.MAX_VALUE / 2 : Float.MAX_VALUE;
        if (!(b <= limit)) {
            throw new RecipeException("init-gain", "is " + Recipe.format(network.initGain()) + ": the initial weights"
                    + " of " + where + " reach " + g(b) + ", beyond " + (p == Precision.FLOAT64
                    ? "half float64's largest number, " + g(limit) + " (the draw −b + 2b·u computes 2b)"
                    : "float32's largest number " + g(limit)) + " (they would be infinite); give a gain of at most "
                    + g(limit / unit / 10) + " (weights that large overflow in the first step anyway; 1 is the"
                    + " scheme's own)");
        }
        if (b < smallestNormal(p)) {
            throw new RecipeException("init-gain", "is " + Recipe.format(network.initGain()) + ": the initial weights"
                    + " of " + where + " are at most " + g(b) + ", below " + p.displayName() + "'s smallest normal"
                    + " number " + g(smallestNormal(p)) + " (they would be 0 or subnormal); give a gain of at least "
                    + String.format(Locale.ROOT, "%.3g", smallestNormal(p) / unit * 10) + " (1 is the scheme's own)");
        }
    }

    /** Three significant digits: {@code 3.40e+38}. */
    private static String g(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    /** A positive rate or constant: neither above the largest number nor below the smallest normal one. */
    private static void positiveNumber(String key, double v, Precision p) {
        if (v > largest(p)) {
            throw new RecipeException(key, "is " + Recipe.format(v) + ", above " + p.displayName() + "'s largest number "
                    + g(largest(p)) + " (the training precision), where it is infinite");
        }
        if (v < smallestNormal(p)) {
            String zero = p == Precision.FLOAT32 && (float) v == 0f ? "it rounds to 0" : "it is subnormal";
            throw new RecipeException(key, "is " + Recipe.format(v) + ", which underflows " + p.displayName() + ", the"
                    + " training precision (" + zero + "; the smallest normal number is " + g(smallestNormal(p)) + ");"
                    + " give at least " + String.format(Locale.ROOT, "%.2g", smallestNormal(p) * 10)
                    + (p == Precision.FLOAT32 ? ", or set `precision` to float64" : ""));
        }
    }
}
