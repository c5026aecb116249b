package org.nettricks.config;

import java.util.Locale;

import org.nettricks.optim.Adagrad;
import org.nettricks.optim.Adam;
import org.nettricks.optim.Momentum;
import org.nettricks.optim.Nesterov;
import org.nettricks.optim.Optimizer;
import org.nettricks.optim.RmsProp;
import org.nettricks.optim.Sgd;

/**
 * The optimizer a recipe names in its {@code optimizer} key, with the learning rate each one
 * defaults to (the one place those defaults live).
 */
public enum UpdateRule {
    SGD(0.1),
    MOMENTUM(0.1),
    NESTEROV(0.1),
    ADAGRAD(0.01),
    RMSPROP(0.001),
    ADAM(0.001);

    private final double defaultLearningRate;

    UpdateRule(double defaultLearningRate) {
        this.defaultLearningRate = defaultLearningRate;
    }

    /** The learning rate α a recipe takes when it gives none. */
    public double defaultLearningRate() {
        return defaultLearningRate;
    }

    /** The second-moment decay a recipe takes when it gives no {@code beta2}: RMSProp's or Adam's. */
    public double defaultBeta2() {
        return this == RMSPROP ? RmsProp.DEFAULT_DECAY : Adam.DEFAULT_BETA2;
    }

    /** The name in recipes and model files: {@code sgd}, {@code momentum}, … */
    public String displayName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return displayName();
    }

    /** The optimizer record with these constants (those it does not use are ignored; RMSProp's decay is beta2). */
    public Optimizer create(double momentum, double beta1, double beta2, double epsilon) {
        return switch (this) {
            case SGD -> new Sgd();
            case MOMENTUM -> new Momentum(momentum);
            case NESTEROV -> new Nesterov(momentum);
            case ADAGRAD -> new Adagrad(epsilon);
            case RMSPROP -> new RmsProp(beta2, epsilon);
            case ADAM -> new Adam(beta1, beta2, epsilon);
        };
    }

    /**
     * Parses {@code sgd}, {@code momentum}, {@code nesterov}, {@code adagrad}, {@code rmsprop} or {@code adam}.
     *
     * @throws RecipeException naming the key {@code optimizer} and the allowed names
     */
    public static UpdateRule parse(String text) {
        return Names.parse(UpdateRule.class, UpdateRule::displayName, "optimizer", text);
    }
}
