package org.nettricks.experiment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.nettricks.InvalidInputException;
import org.nettricks.layers.Buffer;
import org.nettricks.layers.Parameter;
import org.nettricks.model.Classifier;
import org.nettricks.model.ModelFile;
import org.nettricks.network.Architecture;
import org.nettricks.network.HiddenLayer;
import org.nettricks.network.Network;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * Warm start ({@code init-from}): the saved model a run continues from, the checks that it fits the
 * recipe, and the copy of its parameters and buffers into the recipe's network. Every refusal is one
 * {@link InvalidInputException} naming {@code `init-from`}, the model file, what differs, and the fix.
 */
final class WarmStart {
    private final Path path;
    private final Classifier model;

    private WarmStart(Path path, Classifier model) {
        this.path = path;
        this.model = model;
    }

    /** Reads the model file of {@code init-from}. */
    static WarmStart load(String initFrom, Backend backend) {
        Path path = Path.of(initFrom);
        try {
            return new WarmStart(path, ModelFile.load(path, backend));
        } catch (InvalidInputException e) {
            String m = e.getMessage();
            throw new InvalidInputException("`init-from` " + (m.startsWith(initFrom) ? m : initFrom + ": " + m));
        }
    }

    /** How messages name the model: {@code `init-from` m.safetensors}. */
    String reference() {
        return "`init-from` " + path;
    }

    Classifier model() {
        return model;
    }

    /**
     * Refuses a model of the other task: a classifier when the recipe fits numeric targets
     * ({@code targets} not null), a regression model when it fits classes; and a regression model
     * whose targets are not {@code targets} (the same names in the same order), since its outputs
     * are those targets in its own standardized units.
     *
     * @param targets the recipe's target columns ({@code label} of {@code task} regression), or null
     *                for classification
     */
    void requireSameTask(List<String> targets) {
        if (targets == null && model.isRegression()) {
            throw new InvalidInputException(reference() + " is a regression model (targets "
                    + model.targetScaling().names() + ") but `task` is classification; set `task` regression and"
                    + " `label` " + String.join(",", model.targetScaling().names()) + ", or drop `init-from`");
        }
        if (targets != null && !model.isRegression()) {
            throw new InvalidInputException(reference() + " is a classifier (" + model.classNames().size()
                    + " classes) but `task` is regression; set `task` classification, or drop `init-from`");
        }
        if (targets != null && !model.targetScaling().names().equals(targets)) {
            throw new InvalidInputException(reference() + " predicts the targets " + model.targetScaling().names()
                    + " but `label` names " + targets + "; set `label` to "
                    + String.join(",", model.targetScaling().names()) + " (its outputs are those targets, in that"
                    + " order), or drop `init-from`");
        }
    }

    /**
     * Refuses a recipe network that differs from the model's in what the parameters are: the input
     * size, the hidden layers' sizes, activations and batch normalization, the number of classes.
     * Dropout and input dropout may differ: they are training settings with no parameters.
     */
    void requireSameArchitecture(Architecture wanted) {
        Architecture have = model.network().architecture();
        if (!have.isStandardStack()) {
            throw new InvalidInputException(reference() + " holds a " + have.describe() + " network that is not the"
                    + " standard stack of hidden layers the recipe builds; continue from a model written by"
                    + " `nettricks train`, or drop `init-from`");
        }
        if (have.inputSize() != wanted.inputSize()) {
            throw new InvalidInputException(reference() + " takes " + have.inputSize() + " inputs but `data` has "
                    + wanted.inputSize() + " features; continue on data shaped like the model's training data, or"
                    + " drop `init-from`");
        }
        List<HiddenLayer> h = have.hidden();
        List<HiddenLayer> w = wanted.hidden();
        List<Integer> sizes = h.stream().map(HiddenLayer::size).toList();
        if (!sizes.equals(w.stream().map(HiddenLayer::size).toList())) {
            throw new InvalidInputException(reference() + " has hidden layers " + sizesText(sizes) + " but the"
                    + " recipe asks for " + sizesText(w.stream().map(HiddenLayer::size).toList()) + "; set `hidden`"
                    + " to " + (sizes.isEmpty() ? "none" : String.join(",", sizes.stream().map(String::valueOf)
                    .toList())) + ", or drop `init-from`");
        }
        for (int k = 0; k < h.size(); k++) {
            if (h.get(k).activation() != w.get(k).activation()) {
                throw new InvalidInputException(reference() + " has " + h.get(k).activation().displayName()
                        + " hidden units but the recipe asks for " + w.get(k).activation().displayName()
                        + "; set `activation` to " + h.get(k).activation().displayName() + ", or drop `init-from`");
            }
            if (h.get(k).batchNorm() != w.get(k).batchNorm()) {
                throw new InvalidInputException(reference() + " was trained " + (h.get(k).batchNorm() ? "with"
                        : "without") + " batch normalization but the recipe asks for " + (w.get(k).batchNorm()
                        ? "it" : "none") + "; set `batch-norm` to " + h.get(k).batchNorm() + ", or drop `init-from`");
            }
        }
        if (have.outputSize() != wanted.outputSize() && model.isRegression()) { // requireSameTask makes this unreachable
            throw new InvalidInputException(reference() + " has " + have.outputSize() + " outputs but `label` names "
                    + wanted.outputSize() + " targets; name the model's targets, or drop `init-from`");
        }
        if (have.outputSize() != wanted.outputSize()) {
            throw new InvalidInputException(reference() + " has " + have.outputSize() + " classes but `data` has "
                    + wanted.outputSize() + "; continue on data with the model's classes, or drop `init-from`");
        }
    }

    private static String sizesText(List<Integer> sizes) {
        return sizes.isEmpty() ? "none (softmax regression)" : sizes.toString();
    }

    /**
     * The model's parameters and buffers, in {@code target}'s precision: float32 ↔ float64 converted
     * (float64 → float32 rounds each value to nearest; float32 → float64 is exact).
     *
     * @throws InvalidInputException when a float64 value overflows float32
     */
    void copyInto(Network target) {
        Network source = model.network();
        List<Matrix> from = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Parameter p : source.parameters()) {
            from.add(p.value());
            names.add(p.name());
        }
        for (Buffer b : source.buffers()) {
            from.add(b.value());
            names.add(b.name());
        }
        List<Matrix> to = new ArrayList<>();
        List<String> targetNames = new ArrayList<>();
        for (Parameter p : target.parameters()) {
            to.add(p.value());
            targetNames.add(p.name());
        }
        for (Buffer b : target.buffers()) {
            to.add(b.value());
            targetNames.add(b.name());
        }
        if (!names.equals(targetNames)) { // the architecture check makes this unreachable; a guard, not a message
            throw new IllegalStateException("tensors " + names + " of " + path + " for a network of " + targetNames);
        }
        for (int i = 0; i < from.size(); i++) {
            Matrix converted = from.get(i).precision() == target.precision() ? from.get(i)
                    : from.get(i).toPrecision(target.precision());
            if (!converted.allFinite()) {
                throw new InvalidInputException(reference() + ": tensor '" + names.get(i) + "' overflows "
                        + target.precision().displayName() + " when converted from "
                        + source.precision().displayName() + "; continue in `precision` "
                        + source.precision().displayName());
            }
            to.get(i).copyFrom(converted);
        }
    }

    /** Whether the model computes in another precision than {@code precision} (its values are then converted). */
    boolean converts(Precision precision) {
        return model.network().precision() != precision;
    }
}
