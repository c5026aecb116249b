package org.nettricks.cli;

import java.util.ArrayList;
import java.util.List;

import picocli.CommandLine.ParseResult;

/**
 * The flags of one command as picocli parsed them, turned into typed values with one-line errors
 * that name the flag and the fix. Every flag's value is kept as text so that its checks (and their
 * messages) live here and, for the recipe flags, in {@link org.nettricks.config.RecipeSettings}.
 */
final class Flags {
    private final ParseResult parsed;
    private final java.util.Map<String, String> implied;

    Flags(ParseResult parsed) {
        this(parsed, java.util.Map.of());
    }

    private Flags(ParseResult parsed, java.util.Map<String, String> implied) {
        this.parsed = parsed;
        this.implied = implied;
    }

    /**
     * These flags with values for flags not given (e.g. {@code --threads} of the run a {@code --resume}
     * continues): {@link #string} and the typed getters return them in place of the fallback;
     * {@link #has} still tells only what was given.
     */
    Flags implying(java.util.Map<String, String> values) {
        java.util.Map<String, String> all = new java.util.LinkedHashMap<>(implied);
        all.putAll(values);
        return new Flags(parsed, all);
    }

    boolean has(String name) {
        return parsed.hasMatchedOption(name);
    }

    String string(String name, String fallback) {
        return parsed.matchedOptionValue(name, implied.getOrDefault(name, fallback));
    }

    String required(String name, String example) {
        String v = string(name, null);
        if (v == null) {
            throw new UsageException(name + " is required, e.g. " + name + " " + example);
        }
        return v;
    }

    /** An integer ≥ {@code min}. */
    int integer(String name, int fallback, int min, String example) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be an integer, got '" + v + "'; e.g. " + name + " " + example);
        }
        if (parsed < min) {
            throw new UsageException(name + " must be at least " + min + ", got " + parsed + "; e.g. " + name + " "
                    + example);
        }
        return parsed;
    }

    long longValue(String name, long fallback) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be an integer, got '" + v + "'; e.g. " + name + " 1");
        }
    }

    /** A finite number in the interval described by the bounds. */
    double number(String name, double fallback, double low, boolean lowInclusive, double high, boolean highInclusive,
                  String example) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a number, got '" + v + "'; e.g. " + name + " " + example);
        }
        boolean ok = Double.isFinite(parsed) && (lowInclusive ? parsed >= low : parsed > low)
                && (highInclusive ? parsed <= high : parsed < high);
        if (!ok) {
            String range = (lowInclusive ? "[" : "(") + fmt(low) + ", " + fmt(high) + (highInclusive ? "]" : ")");
            throw new UsageException(name + " must be in " + range + ", got " + v + "; e.g. " + name + " " + example);
        }
        return parsed;
    }

    private static String fmt(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "∞" : "-∞";
        }
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** A comma-separated list of integers ≥ 1, or {@code none} for the empty list. */
    List<Integer> sizes(String name, List<Integer> fallback, String example) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        List<Integer> out = new ArrayList<>();
        if (v.trim().equals("none")) {
            return out;
        }
        for (String part : v.split(",", -1)) {
            int size;
            try {
                size = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw new UsageException(name + " must be comma-separated layer sizes, got '" + v + "'; e.g. " + name
                        + " " + example);
            }
            if (size < 1) {
                throw new UsageException(name + ": layer size must be at least 1, got " + size + " in '" + v
                        + "'; e.g. " + name + " " + example);
            }
            out.add(size);
        }
        return out;
    }
}
