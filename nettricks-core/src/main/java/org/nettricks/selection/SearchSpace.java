package org.nettricks.selection;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.nettricks.InvalidInputException;
import org.nettricks.config.RecipeFile;
import org.nettricks.config.Recipe;
import org.nettricks.config.RecipeSettings;
import org.nettricks.config.RecipeSettings.Setting;
import org.nettricks.evaluation.Metric;

/**
 * A search space: a recipe file in which some keys hold a {@link Dimension} instead of a value.
 * <pre>
 * data: fashion-mnist
 * train-limit: 10000
 * hidden: grid("256", "512,512", "1024,1024")
 * lr: loguniform(1e-4, 1e-1)
 * optimizer: choice(sgd, momentum, adam)
 * batch-size: [64, 128]              # a list is a grid for keys that take one value
 * dropout: uniform(0, 0.6)
 * batch-norm: choice(true, false)
 * epochs: 20
 * </pre>
 * Everything is validated before any trial runs: unknown keys and distributions, empty ranges,
 * log-uniform ranges that reach 0, and every value a dimension can take (its grid values, or the
 * ends of its range) must make a valid recipe with the fixed settings.
 */
public final class SearchSpace {
    /** Keys whose recipe value is itself a list: a [list] there is a value, not a grid. */
    private static final Set<String> LIST_VALUED = Set.of("hidden", "dropout");
    private static final Pattern FUNCTION = Pattern.compile("^([a-z]+)\\((.*)\\)$", Pattern.DOTALL);

    private final Map<String, Setting> fixed;
    private final List<Dimension> dimensions;

    public SearchSpace(Map<String, Setting> fixed, List<Dimension> dimensions) {
        this.fixed = new LinkedHashMap<>(fixed);
        this.dimensions = List.copyOf(dimensions);
    }

    /** The settings every trial shares. */
    public Map<String, Setting> fixed() {
        return fixed;
    }

    /** The searched hyperparameters, in file order. */
    public List<Dimension> dimensions() {
        return dimensions;
    }

    /**
     * Reads and validates a search-space file.
     *
     * @throws InvalidInputException naming the file, line and key of the first problem: a value that
     *                               makes no valid recipe, a malformed distribution, or a searched
     *                               {@code monitor}
     */
    public static SearchSpace read(Path path) {
        Map<String, Setting> fixed = new LinkedHashMap<>();
        Map<String, String> where = new LinkedHashMap<>();
        List<Dimension> dims = new ArrayList<>();
        for (RecipeFile.Entry e : RecipeFile.readEntries(path)) {
            if (RecipeSettings.key(e.key()) == null) {
                throw RecipeFile.unknownKey(e);
            }
            where.put(e.key(), e.where());
            Dimension d = parseDimension(e);
            if (d == null) {
                fixed.put(e.key(), new Setting(e.key(), e.text(), RecipeSettings.Origin.FILE, e.where()));
            } else {
                dims.add(d);
            }
        }
        for (Dimension d : dims) {
            if (d.key().equals("monitor")) {
                throw searchedMonitor(d, fixed.get("task"), where.get("monitor"));
            }
        }
        SearchSpace space = new SearchSpace(fixed, dims);
        space.validate(where);
        return space;
    }

    /**
     * The refusal of a searched {@code monitor}: trials ranked by different metrics do not compare.
     * Suggests the first searched value that is a metric of the space's task (its fixed
     * {@code task}, classification when absent), else that task's search default ({@code val-rmse}
     * for regression, {@code val-error} for classification).
     */
    private static InvalidInputException searchedMonitor(Dimension d, Setting task, String where) {
        boolean regression = task != null && task.value().strip().equalsIgnoreCase("regression");
        String example = regression ? Metric.VAL_RMSE.name() : Metric.VAL_ERROR.name();
        if (d instanceof Dimension.Values v) {
            for (String value : v.values()) {
                try {
                    Metric m = Metric.parse(value);
                    if (regression ? m.forRegression() : m.forClassification()) {
                        example = m.name();
                        break;
                    }
                } catch (IllegalArgumentException notAMetric) {
                    // not a metric at all: suggest another value
                }
            }
        }
        return new InvalidInputException(where + ": monitor: " + d.describe() + " is searched, but trials ranked by"
                + " different metrics do not compare; fix monitor to one metric of task "
                + (regression ? "regression" : "classification") + " (e.g. monitor: " + example + ")");
    }

    private static Dimension parseDimension(RecipeFile.Entry e) {
        String key = e.key();
        if (e.items() != null) {
            if (LIST_VALUED.contains(key)) {
                return null;
            }
            if (e.items().isEmpty()) {
                throw new InvalidInputException(e.where() + ": " + key + ": an empty list; give at least one value");
            }
            return Dimension.grid(key, e.items());
        }
        Matcher m = FUNCTION.matcher(e.text().strip());
        if (!m.matches()) {
            return null;
        }
        String name = m.group(1).toLowerCase(Locale.ROOT);
        List<String> args = new ArrayList<>();
        for (String a : RecipeFile.splitItems(m.group(2))) {
            args.add(RecipeFile.unquote(a));
        }
        String at = e.where() + ": " + key + ": ";
        switch (name) {
            case "grid", "choice" -> {
                if (args.isEmpty()) {
                    throw new InvalidInputException(at + name + "() is empty; give at least one value");
                }
                return name.equals("grid") ? Dimension.grid(key, args) : Dimension.choice(key, args);
            }
            case "uniform", "loguniform", "int" -> {
                if (args.size() != 2) {
                    throw new InvalidInputException(at + name + " takes two bounds, (low, high); got " + args.size());
                }
                double low;
                double high;
                try {
                    low = Double.parseDouble(args.get(0));
                    high = Double.parseDouble(args.get(1));
                } catch (NumberFormatException ex) {
                    throw new InvalidInputException(at + name + "(" + String.join(", ", args)
                            + ") needs numeric bounds");
                }
                if (!(low < high) || !Double.isFinite(low) || !Double.isFinite(high)) {
                    throw new InvalidInputException(at + name + "(" + args.get(0) + ", " + args.get(1) + ") is an empty"
                            + " range; the low bound must be below the high bound");
                }
                if (name.equals("loguniform") && low <= 0) {
                    throw new InvalidInputException(at + "loguniform(" + args.get(0) + ", " + args.get(1) + ") reaches"
                            + " zero or below; log-uniform bounds must be > 0, e.g. loguniform(1e-4, 1e-1)");
                }
                if (name.equals("int") && (low != Math.rint(low) || high != Math.rint(high))) {
                    throw new InvalidInputException(at + "int(" + args.get(0) + ", " + args.get(1)
                            + ") needs integer bounds");
                }
                Dimension.Numeric.Kind kind = switch (name) {
                    case "uniform" -> Dimension.Numeric.Kind.UNIFORM;
                    case "loguniform" -> Dimension.Numeric.Kind.LOG_UNIFORM;
                    default -> Dimension.Numeric.Kind.INTEGER;
                };
                return new Dimension.Numeric(key, kind, low, high);
            }
            default -> throw new InvalidInputException(at + "unknown distribution '" + name + "'; use grid, choice,"
                    + " uniform, loguniform or int");
        }
    }

    /** Every value a dimension can take (grid values, range ends) must make a valid recipe. */
    private void validate(Map<String, String> where) {
        if (!fixed.containsKey("data")) {
            throw new InvalidInputException("the search space has no 'data' key; add e.g. data: fashion-mnist");
        }
        // the fixed settings first, with each dimension at its typical value: a mistake there is the
        // fixed setting's, not that of the dimension whose value happens to be probed
        Map<String, Setting> typical = new LinkedHashMap<>(fixed);
        for (Dimension d : dimensions) {
            typical.put(d.key(), new Setting(d.key(), d.typicalValue(), RecipeSettings.Origin.FILE, where.get(d.key())));
        }
        try {
            RecipeSettings.parse(applicable(typical));
        } catch (InvalidInputException e) {
            String message = "search space: " + plainKeys(e.getMessage());
            if (dimensions.isEmpty() || refusedWithoutDimensions(e.getMessage())) {
                throw new InvalidInputException(message);
            }
            throw new InvalidInputException(message + " (with every searched key at its typical value: "
                    + describeTypical() + ")");
        }
        for (Dimension d : dimensions) {
            for (String value : d.probeValues()) {
                Map<String, Setting> settings = new LinkedHashMap<>(fixed);
                for (Dimension other : dimensions) {
                    if (other != d) {
                        settings.put(other.key(), new Setting(other.key(), other.typicalValue(),
                                RecipeSettings.Origin.FILE, where.get(other.key())));
                    }
                }
                // a key that applies only with another searched key's value is probed with that value
                String[] condition = CONDITIONAL.get(d.key());
                if (condition != null && searchedWith(condition[0], condition[1])) {
                    settings.put(condition[0], new Setting(condition[0], condition[1], RecipeSettings.Origin.FILE,
                            where.get(condition[0])));
                }
                settings.put(d.key(), new Setting(d.key(), value, RecipeSettings.Origin.FILE, where.get(d.key())));
                try {
                    RecipeSettings.parse(applicable(settings));
                } catch (InvalidInputException e) {
                    throw new InvalidInputException("search space " + d.key() + " = " + d.describe() + ": the value "
                            + shortNumber(value) + " is invalid: " + plainKeys(e.getMessage()));
                }
            }
        }
    }

    /**
     * Keys that apply only when another key has one value: {@code huber-delta} only with {@code loss}
     * huber. When both are searched, a trial whose other value differs leaves the key out (a
     * squared-error trial ignores its sampled huber-delta), so one space can compare the losses.
     */
    private static final Map<String, String[]> CONDITIONAL = Map.of("huber-delta", new String[] {"loss", "huber"});

    /** Whether {@code key} is searched and {@code value} is one of the values it can take. */
    private boolean searchedWith(String key, String value) {
        return dimensions.stream().anyMatch(d -> d.key().equals(key) && d instanceof Dimension.Values v
                && v.probeValues().stream().anyMatch(x -> x.strip().equalsIgnoreCase(value)));
    }

    /** {@code settings} without the {@link #CONDITIONAL} keys that do not apply to this trial. */
    private Map<String, Setting> applicable(Map<String, Setting> settings) {
        Map<String, Setting> out = new LinkedHashMap<>(settings);
        CONDITIONAL.forEach((key, condition) -> {
            Setting governing = out.get(condition[0]);
            if (out.containsKey(key) && isSearched(key) && searchedWith(condition[0], condition[1])
                    && (governing == null || !governing.value().strip().equalsIgnoreCase(condition[1]))) {
                out.remove(key);
            }
        });
        return out;
    }

    private boolean isSearched(String key) {
        return dimensions.stream().anyMatch(d -> d.key().equals(key));
    }

    /** Whether the fixed settings alone are refused with the same message: then no searched key takes part. */
    private boolean refusedWithoutDimensions(String message) {
        try {
            RecipeSettings.parse(fixed);
            return false;
        } catch (InvalidInputException e) {
            return message.equals(e.getMessage());
        }
    }

    private static final Pattern BACKQUOTED = Pattern.compile("`([a-z][a-z0-9-]*)`");

    /**
     * A recipe message about a space file with its keys as the file writes them ({@code loss}), not
     * in backquotes, which a command line would turn into flags the space does not take.
     */
    static String plainKeys(String message) {
        return BACKQUOTED.matcher(message).replaceAll("$1");
    }

    /** A number as a message shows it: four significant digits ({@code 0.001}, not 0.0010000000000000002). */
    static String shortNumber(String value) {
        try {
            double v = Double.parseDouble(value);
            if (!Double.isFinite(v) || v == Math.rint(v)) {
                return value;
            }
            return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros()
                    .toString().toLowerCase(Locale.ROOT);
        } catch (NumberFormatException e) {
            return value;
        }
    }

    /**
     * The recipe of one trial: the fixed settings with these values and this seed. The data splits
     * keep the space's own seed (its {@code split-seed}, else its {@code seed}, else 1), so every
     * trial is judged on the same validation set. A searched {@code huber-delta} is left out of a
     * trial whose searched {@code loss} is not huber (the trial's values still record it).
     */
    public Recipe recipe(Map<String, String> values, long seed) {
        Map<String, Setting> given = new LinkedHashMap<>(fixed);
        values.forEach((k, v) -> given.put(k, Setting.flag(k, v)));
        Map<String, Setting> settings = applicable(given);
        if (!settings.containsKey("split-seed")) {
            Setting base = fixed.get("seed");
            settings.put("split-seed", Setting.flag("split-seed", base == null ? "1" : base.value()));
        }
        settings.put("seed", Setting.flag("seed", Long.toString(seed)));
        return RecipeSettings.parse(settings);
    }

    /**
     * The lecture's "go back and refine": each numeric range narrowed to the span of the top
     * trials' values (in [0, 1] units, on the log scale for log-uniform) widened by 10% of the old
     * range on each side; each list of values narrowed to the values the top trials used.
     */
    public SearchSpace refine(List<TrialResult> top) {
        if (top.isEmpty()) {
            throw new IllegalArgumentException("refining needs at least one finished trial");
        }
        List<Dimension> refined = new ArrayList<>();
        for (Dimension d : dimensions) {
            if (d instanceof Dimension.Numeric n) {
                double lo = 1;
                double hi = 0;
                for (TrialResult t : top) {
                    double u = n.toUnit(t.values().get(d.key()));
                    lo = Math.min(lo, u);
                    hi = Math.max(hi, u);
                }
                lo = Math.max(0, lo - 0.1);
                hi = Math.min(1, hi + 0.1);
                double low = Double.parseDouble(n.fromUnit(lo));
                double high = Double.parseDouble(n.fromUnit(Math.min(hi, Math.nextDown(1.0))));
                if (n.kind() == Dimension.Numeric.Kind.INTEGER && high <= low) {
                    high = low + 1;
                }
                refined.add(new Dimension.Numeric(d.key(), n.kind(), low, high > low ? high : n.high()));
            } else {
                List<String> options = d.probeValues();
                List<String> kept = new ArrayList<>();
                for (String v : options) {
                    if (top.stream().anyMatch(t -> v.equals(t.values().get(d.key())))) {
                        kept.add(v);
                    }
                }
                refined.add(new Dimension.Values(d.key(), kept, ((Dimension.Values) d).grid()));
            }
        }
        return new SearchSpace(fixed, refined);
    }

    private String describeTypical() {
        List<String> parts = new ArrayList<>();
        for (Dimension d : dimensions) {
            parts.add(d.key() + " = " + shortNumber(d.typicalValue()));
        }
        return String.join(", ", parts);
    }

    /** A short text of the space, for provenance. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (Dimension d : dimensions) {
            parts.add(d.key() + " = " + d.describe());
        }
        return String.join("; ", parts);
    }
}
