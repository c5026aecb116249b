package org.nettricks.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.nettricks.optim.Adagrad;
import org.nettricks.optim.Adam;
import org.nettricks.optim.Momentum;
import org.nettricks.optim.Nesterov;
import org.nettricks.optim.Optimizer;
import org.nettricks.optim.RmsProp;
import org.nettricks.optim.Sgd;

/**
 * The optimizers a recipe can name in its {@code optimizer} key: the one registry of update rules.
 * Each entry gives its name, the learning rate it defaults to, the hyperparameters it reads (each a
 * recipe key, with this rule's default) and how to make its {@link Optimizer} record from their
 * values. The recipe's keys for hyperparameters, their help and their provenance are generated from
 * this registry ({@link RecipeSettings}), so a new optimizer is its record plus one entry here (and a
 * {@link Hyperparameter} constant when it brings a new hyperparameter).
 */
public enum UpdateRule {
    SGD(0.1, Sgd.class, h -> new Sgd()),
    MOMENTUM(0.1, Momentum.class, h -> new Momentum(h.get("momentum")), Hyperparameter.MOMENTUM.use()),
    NESTEROV(0.1, Nesterov.class, h -> new Nesterov(h.get("momentum")), Hyperparameter.MOMENTUM.use()),
    ADAGRAD(0.01, Adagrad.class, h -> new Adagrad(h.get("epsilon")), Hyperparameter.EPSILON.use()),
    RMSPROP(0.001, RmsProp.class, h -> new RmsProp(h.get("beta2"), h.get("epsilon")),
            Hyperparameter.BETA2.use(RmsProp.DEFAULT_DECAY, "decay"), Hyperparameter.EPSILON.use()),
    ADAM(0.001, Adam.class, h -> new Adam(h.get("beta1"), h.get("beta2"), h.get("epsilon")),
            Hyperparameter.BETA1.use(), Hyperparameter.BETA2.use(), Hyperparameter.EPSILON.use());

    /**
     * A hyperparameter of one or more update rules, as a recipe key: its help, the default that rules
     * not giving their own use (and that provenance records for rules without it), and its range.
     */
    public enum Hyperparameter {
        MOMENTUM("momentum", Momentum.DEFAULT_MOMENTUM, "0.9", "β, the decay of the averaged gradient", 0, true, 1,
                false),
        BETA1("beta1", Adam.DEFAULT_BETA1, "0.9", "β1, the first-moment decay", 0, true, 1, false),
        BETA2("beta2", Adam.DEFAULT_BETA2, "0.999", "β2, the second-moment decay", 0, true, 1, false),
        EPSILON("epsilon", Adagrad.DEFAULT_EPSILON, "1e-8", "ε added to the denominator", 0, false,
                Double.POSITIVE_INFINITY, false);

        private final String key;
        private final double defaultValue;
        private final String example;
        private final String help;
        private final double low;
        private final boolean lowInclusive;
        private final double high;
        private final boolean highInclusive;

        /** A hyperparameter whose values lie between {@code low} and {@code high}, each bound included or not. */
        Hyperparameter(String key, double defaultValue, String example, String help, double low, boolean lowInclusive,
                       double high, boolean highInclusive) {
            this.key = key;
            this.defaultValue = defaultValue;
            this.example = example;
            this.help = help;
            this.low = low;
            this.lowInclusive = lowInclusive;
            this.high = high;
            this.highInclusive = highInclusive;
        }

        /** The recipe key, e.g. {@code beta2}. */
        public String key() {
            return key;
        }

        /** The value of rules that give no default of their own, and of rules without this hyperparameter. */
        public double defaultValue() {
            return defaultValue;
        }

        public String example() {
            return example;
        }

        /** What it is; {@link RecipeSettings} adds which rules read it and their defaults. */
        public String help() {
            return help;
        }

        /** @throws RecipeException unless the value is finite and within this hyperparameter's range */
        void check(double value) {
            Recipe.inRange(key, value, low, lowInclusive, high, highInclusive);
        }

        /** This hyperparameter read with its default, from the record component of the same name. */
        Use use() {
            return new Use(this, defaultValue, camelCase(key));
        }

        /** This hyperparameter read with the rule's own default, from the record component {@code component}. */
        Use use(double ruleDefault, String component) {
            return new Use(this, ruleDefault, component);
        }

        /** The hyperparameter whose key is {@code key}, or null. */
        public static Hyperparameter of(String key) {
            for (Hyperparameter h : values()) {
                if (h.key.equals(key)) {
                    return h;
                }
            }
            return null;
        }

        private static String camelCase(String key) {
            StringBuilder sb = new StringBuilder();
            boolean upper = false;
            for (char c : key.toCharArray()) {
                if (c == '-') {
                    upper = true;
                } else {
                    sb.append(upper ? Character.toUpperCase(c) : c);
                    upper = false;
                }
            }
            return sb.toString();
        }
    }

    /**
     * How a rule reads a hyperparameter.
     *
     * @param ruleDefault its value when the recipe gives none
     * @param component   the component of the rule's record that holds it (RMSProp's {@code decay} is {@code beta2})
     */
    record Use(Hyperparameter hyperparameter, double ruleDefault, String component) {
    }

    private final double defaultLearningRate;
    private final Class<? extends Optimizer> type;
    private final Function<Map<String, Double>, Optimizer> factory;
    private final List<Use> uses;

    UpdateRule(double defaultLearningRate, Class<? extends Optimizer> type,
               Function<Map<String, Double>, Optimizer> factory, Use... uses) {
        this.defaultLearningRate = defaultLearningRate;
        this.type = type;
        this.factory = factory;
        this.uses = List.of(uses);
    }

    /** The learning rate α a recipe takes when it gives none. */
    public double defaultLearningRate() {
        return defaultLearningRate;
    }

    /** The hyperparameters this rule reads, in the order of its record. */
    public List<Hyperparameter> hyperparameters() {
        return uses.stream().map(Use::hyperparameter).toList();
    }

    /** The value of {@code h} when the recipe gives none: this rule's default, or {@code h}'s own. */
    public double defaultOf(Hyperparameter h) {
        for (Use u : uses) {
            if (u.hyperparameter() == h) {
                return u.ruleDefault();
            }
        }
        return h.defaultValue();
    }

    /** The name in recipes and model files: {@code sgd}, {@code momentum}, … */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return displayName();
    }

    /**
     * The optimizer record with these values (by recipe key; those this rule does not read are ignored).
     *
     * @throws RecipeException naming the key of a value the record refuses
     */
    public Optimizer create(Map<String, Double> hyperparameters) {
        for (Use u : uses) {
            if (!hyperparameters.containsKey(u.hyperparameter().key())) {
                throw new RecipeException(u.hyperparameter().key(), "is needed by " + displayName() + " but not given");
            }
        }
        return factory.apply(hyperparameters);
    }

    /** The rule whose record {@code optimizer} is, or null. */
    public static UpdateRule of(Optimizer optimizer) {
        for (UpdateRule r : values()) {
            if (r.type.isInstance(optimizer)) {
                return r;
            }
        }
        return null;
    }

    /**
     * The values of this rule's hyperparameters in {@code optimizer}, by recipe key: read from the
     * record's components ({@link Optimizer#hyperparameters()}).
     */
    Map<String, Double> valuesOf(Optimizer optimizer) {
        Map<String, Double> components = optimizer.hyperparameters();
        Map<String, Double> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Use u : uses) {
            Double v = components.get(u.component());
            if (v == null) {
                missing.add(u.component());
            } else {
                out.put(u.hyperparameter().key(), v);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(type.getSimpleName() + " has no numeric record component " + missing);
        }
        return out;
    }

    /** Every rule's name, joined: {@code sgd, momentum, …, adam}. */
    public static String names(String separator) {
        List<String> names = new ArrayList<>();
        for (UpdateRule r : values()) {
            names.add(r.displayName());
        }
        return String.join(separator, names);
    }

    /**
     * Parses a rule by name, e.g. {@code adam}.
     *
     * @throws RecipeException naming the key {@code optimizer} and the allowed names
     */
    public static UpdateRule parse(String text) {
        return Names.parse(UpdateRule.class, UpdateRule::displayName, "optimizer", text);
    }
}
