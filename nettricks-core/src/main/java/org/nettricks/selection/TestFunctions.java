package org.nettricks.selection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Standard test functions of global optimization, for measuring search strategies without training
 * networks (as in the Hyperopt and Optuna benchmarks).
 */
public final class TestFunctions {
    private TestFunctions() {
    }

    /** A function to minimize over a box, with its known minimum. */
    public record Function(String name, List<Dimension> dimensions, double minimum,
                           java.util.function.ToDoubleFunction<double[]> f) {
        /** f at the values of a trial. */
        public double evaluate(Map<String, String> values) {
            double[] x = new double[dimensions.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = Double.parseDouble(values.get(dimensions.get(i).key()));
            }
            return f.applyAsDouble(x);
        }
    }

    /**
     * Branin–Hoo on x1 ∈ [−5, 10], x2 ∈ [0, 15]:
     * f = (x2 − 5.1 x1²/(4π²) + 5 x1/π − 6)² + 10 (1 − 1/(8π)) cos x1 + 10; minimum 0.397887 at three points.
     */
    public static Function branin() {
        return new Function("branin", List.of(
                new Dimension.Numeric("x1", Dimension.Numeric.Kind.UNIFORM, -5, 10),
                new Dimension.Numeric("x2", Dimension.Numeric.Kind.UNIFORM, 0, 15)), 0.397887, x -> {
                    double a = x[1] - 5.1 * x[0] * x[0] / (4 * Math.PI * Math.PI) + 5 * x[0] / Math.PI - 6;
                    return a * a + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x[0]) + 10;
                });
    }

    private static final double[] H_ALPHA = {1.0, 1.2, 3.0, 3.2};
    private static final double[][] H_A = {
        {10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
    private static final double[][] H_P = {
        {0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886}, {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
        {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650}, {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};

    /** Hartmann-6 on [0, 1]⁶: f = −Σᵢ αᵢ exp(−Σⱼ Aᵢⱼ (xⱼ − Pᵢⱼ)²); minimum −3.32237. */
    public static Function hartmann6() {
        List<Dimension> dims = new ArrayList<>();
        for (int j = 1; j <= 6; j++) {
            dims.add(new Dimension.Numeric("x" + j, Dimension.Numeric.Kind.UNIFORM, 0, 1));
        }
        return new Function("hartmann6", dims, -3.32237, x -> {
            double sum = 0;
            for (int i = 0; i < 4; i++) {
                double inner = 0;
                for (int j = 0; j < 6; j++) {
                    double d = x[j] - H_P[i][j];
                    inner += H_A[i][j] * d * d;
                }
                sum += H_ALPHA[i] * Math.exp(-inner);
            }
            return -sum;
        });
    }

    /** {@code branin} or {@code hartmann6}. */
    public static Function named(String name) {
        return switch (name) {
            case "branin" -> branin();
            case "hartmann6" -> hartmann6();
            default -> throw new IllegalArgumentException("objective must be branin or hartmann6, got '" + name + "'");
        };
    }
}
