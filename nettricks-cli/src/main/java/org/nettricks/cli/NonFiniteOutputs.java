package org.nettricks.cli;

import java.io.PrintStream;

import org.nettricks.data.Dataset;
import org.nettricks.model.Classifier;

/**
 * The one rule of {@code evaluate} and {@code predict} for examples whose output f(x) is not finite
 * (NaN or infinite, e.g. a feature of 3e38 that standardization makes infinite in float32): such an
 * example has no predicted class, is never counted correct, and the command exits 1 after listing
 * the first {@value #LISTED} of them on standard error.
 */
final class NonFiniteOutputs {
    /** Examples listed on standard error; the rest are counted. */
    static final int LISTED = 5;

    private NonFiniteOutputs() {
    }

    /**
     * Lists the first examples of {@code rows} (0-based indices into {@code data}) with the reason
     * each output is not finite.
     */
    static void list(PrintStream err, String command, Classifier model, Dataset data, int[] rows) {
        err.println("nettricks " + command + ": " + rows.length + " of " + data.size() + " examples of "
                + data.source() + (rows.length == 1 ? " has" : " have") + " no finite output (NaN or infinite) and"
                + " so no predicted class:");
        for (int k = 0; k < Math.min(rows.length, LISTED); k++) {
            int i = rows[k];
            err.println("  example " + i + " (data row " + (i + 1) + "): " + model.explainNonFinite(data, i));
        }
        if (rows.length > LISTED) {
            err.println("  … and " + (rows.length - LISTED) + " more");
        }
        err.println("  bring such values into the range of the training data (or remove them), or use a float64"
                + " model if they are finite after normalization");
    }

    /**
     * Lists the first examples of {@code rows} (0-based indices into labelled {@code data}) whose
     * output is finite (they have a class) but whose loss is infinite: the model gives their true
     * class probability 0 in its precision.
     */
    static void listInfiniteLosses(PrintStream err, Classifier model, Dataset data, int[] rows) {
        err.println("nettricks evaluate: " + rows.length + " of " + data.size() + " examples of " + data.source()
                + (rows.length == 1 ? " has" : " have") + " a finite output (so a predicted class, in the matrix) but"
                + " an infinite loss, which makes the mean loss infinite:");
        String precision = model.network().precision().displayName();
        for (int k = 0; k < Math.min(rows.length, LISTED); k++) {
            int i = rows[k];
            err.println("  example " + i + " (data row " + (i + 1) + "): the model gives its true class '"
                    + model.classNames().get(data.labels()[i]) + "' probability 0 in " + precision + ", so its loss"
                    + " −log p is infinite");
        }
        if (rows.length > LISTED) {
            err.println("  … and " + (rows.length - LISTED) + " more");
        }
    }
}
