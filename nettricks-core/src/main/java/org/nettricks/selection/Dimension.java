package org.nettricks.selection;

import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * One searched hyperparameter: a list of values (grid) or a distribution.
 * <pre>
 * grid(a, b, …)  or  [a, b, …]   every value, in grid search; one at random otherwise
 * choice(a, b, …)               a categorical distribution, uniform over the values
 * uniform(lo, hi)               x ~ U[lo, hi]
 * loguniform(lo, hi)            log x ~ U[log lo, log hi], lo &gt; 0
 * int(lo, hi)                   an integer uniform in {lo, …, hi}
 * </pre>
 * Numeric dimensions map to the unit interval ({@link #toUnit}, {@link #fromUnit}) so that
 * model-based strategies work on one scale (the log scale for {@code loguniform}).
 */
public sealed interface Dimension {
    /** The hyperparameter's key (a flag name without dashes). */
    String key();

    /** A value drawn from the distribution (uniformly from the values of a grid). */
    String sample(RandomGenerator random);

    /** The written form, as in a search-space file. */
    String describe();

    /** The values validation tries: every listed value, or the two ends of a range. */
    List<String> probeValues();

    /** A representative value (the first listed, or the middle of a range). */
    String typicalValue();

    /** A grid's values, for grid search; a choice among them, uniformly, for the other strategies. */
    static Values grid(String key, List<String> values) {
        return new Values(key, values, true);
    }

    /** A categorical distribution, uniform over its values. */
    static Values choice(String key, List<String> values) {
        return new Values(key, values, false);
    }

    /**
     * A list of values: {@code grid(…)} (enumerated by grid search; drawn uniformly otherwise) or
     * {@code choice(…)} (always drawn uniformly).
     */
    record Values(String key, List<String> values, boolean grid) implements Dimension {
        public Values {
            values = List.copyOf(values);
        }

        @Override
        public List<String> probeValues() {
            return values;
        }

        @Override
        public String typicalValue() {
            return values.get(0);
        }

        @Override
        public String sample(RandomGenerator random) {
            return values.get(random.nextInt(values.size()));
        }

        @Override
        public String describe() {
            return (grid ? "grid(" : "choice(") + String.join(", ", values.stream().map(Dimension::quoteIfNeeded)
                    .toList()) + ")";
        }
    }

    /** A numeric distribution: uniform, log-uniform or integer. */
    record Numeric(String key, Kind kind, double low, double high) implements Dimension {
        /** The shape of a numeric dimension. */
        public enum Kind {
            UNIFORM, LOG_UNIFORM, INTEGER
        }

        @Override
        public String sample(RandomGenerator random) {
            return fromUnit(random.nextDouble());
        }

        @Override
        public List<String> probeValues() {
            return List.of(fromUnit(0), fromUnit(Math.nextDown(1.0)));
        }

        @Override
        public String typicalValue() {
            return fromUnit(0.5);
        }

        /** The position of a value in [0, 1] (on the log scale for log-uniform). */
        public double toUnit(String value) {
            double v = Double.parseDouble(value);
            return switch (kind) {
                case UNIFORM -> (v - low) / (high - low);
                case LOG_UNIFORM -> (Math.log(v) - Math.log(low)) / (Math.log(high) - Math.log(low));
                case INTEGER -> (v - low + 0.5) / (high - low + 1);
            };
        }

        /** The value at position u in [0, 1). */
        public String fromUnit(double u) {
            double c = Math.min(Math.max(u, 0.0), Math.nextDown(1.0));
            return switch (kind) {
                case UNIFORM -> format(low + c * (high - low));
                case LOG_UNIFORM -> format(Math.exp(Math.log(low) + c * (Math.log(high) - Math.log(low))));
                case INTEGER -> Long.toString((long) Math.floor(low + c * (high - low + 1)));
            };
        }

        @Override
        public String describe() {
            String name = switch (kind) {
                case UNIFORM -> "uniform";
                case LOG_UNIFORM -> "loguniform";
                case INTEGER -> "int";
            };
            return name + "(" + format(low) + ", " + format(high) + ")";
        }
    }

    /** Shortest text that parses back to the same double. */
    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v).toLowerCase(Locale.ROOT);
    }

    private static String quoteIfNeeded(String v) {
        return v.contains(",") || v.contains(" ") ? "\"" + v + "\"" : v;
    }
}
