package org.nettricks.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses {@code --name value}, {@code --name=value} and boolean {@code --name} flags, and turns
 * values into typed settings with one-line errors that name the flag and the fix.
 */
final class Flags {
    private final String command;
    private final Map<String, String> values;

    private Flags(String command, Map<String, String> values) {
        this.command = command;
        this.values = values;
    }

    /**
     * @param valued   flags that take a value
     * @param booleans flags that take none
     */
    static Flags parse(String command, String[] args, Set<String> valued, Set<String> booleans) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'; every setting is a --flag (see nettricks "
                        + command + " --help)");
            }
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (booleans.contains(name)) {
                if (value != null) {
                    throw new UsageException(name + " takes no value; write just " + name);
                }
                value = "true";
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length || (args[i + 1].startsWith("--") && !isNumber(args[i + 1]))) {
                        throw new UsageException(name + " needs a value (see nettricks " + command + " --help)");
                    }
                    value = args[++i];
                }
            } else {
                throw new UsageException("unknown flag " + name + " for '" + command + "'; see nettricks " + command
                        + " --help");
            }
            if (values.put(name, value) != null) {
                throw new UsageException(name + " is given twice; give it once");
            }
        }
        return new Flags(command, values);
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String required(String name, String example) {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException(name + " is required, e.g. " + name + " " + example);
        }
        return v;
    }

    /** An integer ≥ {@code min}. */
    int integer(String name, int fallback, int min, String example) {
        String v = values.get(name);
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
        String v = values.get(name);
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
        String v = values.get(name);
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
        String v = values.get(name);
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
