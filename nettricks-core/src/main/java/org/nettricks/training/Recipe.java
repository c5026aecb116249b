package org.nettricks.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nettricks.activations.Activation;
import org.nettricks.data.Normalization;
import org.nettricks.tensor.Precision;

/**
 * Everything that defines a training run, with every default in this one place
 * ({@link #defaults()}). The command-line flags of {@code nettricks train} map one to one onto
 * these fields.
 *
 * @param data               {@code digits}, {@code fashion-mnist}, an IDX directory or a CSV file
 * @param testData           a separate labelled test set, or null to use the source's own test set
 *                           (IDX) or hold out {@code testFraction} of the data
 * @param labelColumn        CSV label column by name or index; null: {@code label}, else the last
 * @param validationFraction share of the training examples held out for validation, in [0, 1)
 * @param testFraction       share held out as the test set when there is no test set, in (0, 1)
 * @param normalization      {@code auto} (scale when the format guarantees a range, as IDX bytes
 *                           and the digits do; standardize otherwise), {@code scale},
 *                           {@code standardize} or {@code none}
 * @param hiddenSizes        H_1 … H_L
 * @param activation         g of every hidden layer
 * @param learningRate       α
 * @param batchSize          B
 * @param epochs             passes over the training set
 * @param seed               the one seed every random choice derives from
 * @param precision          float32 for training; float64 for exact checks
 */
public record Recipe(String data, String testData, String labelColumn, double validationFraction,
                     double testFraction, String normalization, List<Integer> hiddenSizes, Activation activation,
                     double learningRate, int batchSize, int epochs, long seed, Precision precision) {

    /** The defaults: 1 hidden layer of 128 ReLUs, SGD α = 0.1, B = 64, 10 epochs, seed 1, float32. */
    public static Recipe defaults() {
        return new Recipe(null, null, null, 0.1, 0.2, "auto", List.of(128), Activation.RELU, 0.1, 64, 10, 1L,
                Precision.FLOAT32);
    }

    public Recipe {
        hiddenSizes = List.copyOf(hiddenSizes);
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction must be in [0, 1), got " + validationFraction);
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("testFraction must be in (0, 1), got " + testFraction);
        }
        if (!normalization.equals("auto")) {
            Normalization.Kind.parse(normalization);
        }
        for (int h : hiddenSizes) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden layer sizes must be at least 1, got " + h);
            }
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be a finite number > 0, got " + learningRate);
        }
        new TrainingConfig(epochs, batchSize); // validates both
    }

    public Recipe withData(String newData) {
        return new Recipe(newData, testData, labelColumn, validationFraction, testFraction, normalization,
                hiddenSizes, activation, learningRate, batchSize, epochs, seed, precision);
    }

    /** The recipe as a JSON-ready map, saved with every model for provenance. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("data", data);
        m.put("test_data", testData);
        m.put("label_column", labelColumn);
        m.put("validation_fraction", validationFraction);
        m.put("test_fraction", testFraction);
        m.put("normalization", normalization);
        m.put("hidden", hiddenSizes);
        m.put("activation", activation.displayName());
        m.put("optimizer", "sgd");
        m.put("learning_rate", learningRate);
        m.put("batch_size", batchSize);
        m.put("epochs", epochs);
        m.put("seed", seed);
        m.put("precision", precision.displayName());
        m.put("init", "glorot");
        return m;
    }
}
