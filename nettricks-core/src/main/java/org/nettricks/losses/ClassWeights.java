package org.nettricks.losses;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How much each class's examples count in the training loss: the weighted negative
 * log-likelihood (1/B) Σ_t w_{y⁽ᵗ⁾} · (−log f(x⁽ᵗ⁾)_{y⁽ᵗ⁾}) of
 * {@link SoftmaxCrossEntropy#meanLossAndGradient(org.nettricks.tensor.Backend,
 * org.nettricks.tensor.Matrix, int[], double[], org.nettricks.tensor.Matrix, int[])}.
 *
 * <ul>
 *   <li>{@code none} (the default): every example counts 1, the lecture's loss.
 *   <li>{@code balanced}: w_c = n / (k · n_c), with n training examples, n_c of them of class c, and k
 *       the number of classes that have training examples — scikit-learn's
 *       {@code compute_class_weight("balanced")}, so that every class weighs as much in total and
 *       the weights average 1 over the training set. A class with no training example gets 0.
 *   <li>a list {@code w_0, w_1, …}: one weight per class, in the order of the class indices, each
 *       finite and ≥ 0, not all 0.
 * </ul>
 *
 * @param kind   none, balanced or given
 * @param values the given weights (empty unless {@code kind} is GIVEN)
 */
public record ClassWeights(Kind kind, List<Double> values) {
    /** Where the weights come from. */
    public enum Kind { NONE, BALANCED, GIVEN }

    public static final ClassWeights NONE = new ClassWeights(Kind.NONE, List.of());
    public static final ClassWeights BALANCED = new ClassWeights(Kind.BALANCED, List.of());

    /**
     * @throws IllegalArgumentException when given weights are empty, negative, not finite or all 0,
     *                                  or weights are given with another kind
     */
    public ClassWeights {
        values = List.copyOf(values);
        if (kind == Kind.GIVEN) {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("class-weight needs one weight per class");
            }
            boolean positive = false;
            for (double w : values) {
                if (!(w >= 0) || !Double.isFinite(w)) {
                    throw new IllegalArgumentException("class-weight must be finite weights >= 0, got " + w);
                }
                positive |= w > 0;
            }
            if (!positive) {
                throw new IllegalArgumentException("class-weight must give some class a weight above 0");
            }
        } else if (!values.isEmpty()) {
            throw new IllegalArgumentException("class-weight " + kind + " takes no values");
        }
    }

    /** Weights given one per class, in class-index order. */
    public static ClassWeights of(double... weights) {
        List<Double> list = new ArrayList<>();
        for (double w : weights) {
            list.add(w);
        }
        return new ClassWeights(Kind.GIVEN, list);
    }

    /**
     * Parses {@code none}, {@code balanced} or a comma-separated list of weights.
     *
     * @throws IllegalArgumentException naming the value when it is none of these
     */
    public static ClassWeights parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("none")) {
            return NONE;
        }
        if (t.equals("balanced")) {
            return BALANCED;
        }
        List<Double> list = new ArrayList<>();
        for (String part : t.split(",", -1)) {
            try {
                list.add(Double.parseDouble(part.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("class-weight must be none, balanced or one weight per class"
                        + " (e.g. 1,1,5), got '" + text + "'");
            }
        }
        return new ClassWeights(Kind.GIVEN, list);
    }

    /** As the recipe writes it: none, balanced, or the weights separated by commas. */
    public String describe() {
        return switch (kind) {
            case NONE -> "none";
            case BALANCED -> "balanced";
            case GIVEN -> {
                StringBuilder sb = new StringBuilder();
                for (double w : values) {
                    if (sb.length() > 0) {
                        sb.append(',');
                    }
                    sb.append(w == Math.rint(w) && Math.abs(w) < 1e15 ? Long.toString((long) w) : Double.toString(w));
                }
                yield sb.toString();
            }
        };
    }

    /**
     * The weight of each class for a training set.
     *
     * @param labels  the training examples' classes, each in [0, classes)
     * @param classes the number of classes K
     * @return K weights, or null for {@code none} (every example counts 1)
     * @throws IllegalArgumentException when given weights are not K, or a label is out of range
     */
    public double[] perClass(int[] labels, int classes) {
        switch (kind) {
            case NONE:
                return null;
            case GIVEN: {
                if (values.size() != classes) {
                    throw new IllegalArgumentException("class-weight gives " + values.size() + " weights but the"
                            + " data has " + classes + " classes: give one weight per class, in class-index order");
                }
                double[] w = new double[classes];
                for (int c = 0; c < classes; c++) {
                    w[c] = values.get(c);
                }
                return w;
            }
            default: {
                long[] counts = new long[classes];
                for (int y : labels) {
                    if (y < 0 || y >= classes) {
                        throw new IllegalArgumentException("label " + y + " is not in [0, " + classes + ")");
                    }
                    counts[y]++;
                }
                int present = 0;
                for (long n : counts) {
                    present += n > 0 ? 1 : 0;
                }
                double[] w = new double[classes];
                for (int c = 0; c < classes; c++) {
                    w[c] = counts[c] == 0 ? 0 : (double) labels.length / ((double) present * counts[c]);
                }
                return w;
            }
        }
    }
}
