package org.nettricks.optim;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.nettricks.InvalidInputException;
import org.nettricks.io.Safetensors;
import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Matrix;

/**
 * Writes an {@link OptimizerState} to a safetensors file and reads it back, exactly (the same
 * bits): the state's named tensors as {@code <parameter>.<name>}, e.g.
 * {@code layers.0.weight.exp_avg}, with the parameter's shape ([out, in] or [n]) and dtype; the
 * step count, the optimizer's name and its hyperparameters in {@code __metadata__}. Reading checks
 * everything against the optimizer and parameters it is read for before any value is copied:
 * nothing is deserialized as code.
 */
public final class OptimizerStateFile {
    /** Value of the {@code format} metadata entry. */
    public static final String FORMAT = "nettricks-optimizer-state";
    static final String FORMAT_VERSION = "1";

    private OptimizerStateFile() {
    }

    /** Writes {@code state} of {@code optimizer} atomically. */
    public static void save(Path path, Optimizer optimizer, OptimizerState state) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", FORMAT_VERSION);
        meta.put("optimizer", optimizer.name());
        meta.put("step", Long.toString(state.count()));
        for (Map.Entry<String, Double> h : optimizer.hyperparameters().entrySet()) {
            meta.put(h.getKey(), Double.toString(h.getValue()));
        }
        List<Safetensors.Tensor> tensors = new ArrayList<>();
        List<Parameter> parameters = state.parameters();
        for (Map.Entry<String, Matrix[]> named : state.tensors().entrySet()) {
            for (int k = 0; k < parameters.size(); k++) {
                Parameter p = parameters.get(k);
                tensors.add(new Safetensors.Tensor(p.name() + "." + named.getKey(), shape(p), named.getValue()[k]));
            }
        }
        Safetensors.write(path, meta, tensors);
    }

    /**
     * A state of {@code optimizer} for {@code parameters}, read from {@code path}.
     *
     * @throws InvalidInputException naming the file and what differs: another optimizer or other
     *                               hyperparameters, a missing, extra or misshapen tensor, a bad step count
     */
    public static OptimizerState load(Path path, Optimizer optimizer, List<Parameter> parameters) {
        Safetensors.Contents contents = Safetensors.read(path);
        Map<String, String> meta = contents.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw bad(path, "its __metadata__ has no \"format\": \"" + FORMAT + "\" entry");
        }
        if (!FORMAT_VERSION.equals(meta.get("format_version"))) {
            throw bad(path, "format_version is " + meta.get("format_version") + ", this version reads "
                    + FORMAT_VERSION);
        }
        if (!optimizer.name().equals(meta.get("optimizer"))) {
            throw bad(path, "it holds the state of " + meta.get("optimizer") + ", not of " + optimizer.name());
        }
        for (Map.Entry<String, Double> h : optimizer.hyperparameters().entrySet()) {
            String saved = meta.get(h.getKey());
            if (saved == null || !Double.toString(h.getValue()).equals(saved)) {
                throw bad(path, h.getKey() + " is " + saved + " in the file but " + h.getValue() + " here");
            }
        }
        long steps;
        try {
            steps = Long.parseLong(meta.getOrDefault("step", ""));
        } catch (NumberFormatException e) {
            throw bad(path, "\"step\" must be a whole number, got '" + meta.get("step") + "'");
        }
        if (steps < 0) {
            throw bad(path, "\"step\" must be >= 0, got " + steps);
        }
        OptimizerState state = optimizer.createState(parameters);
        Set<String> expected = new HashSet<>();
        for (Map.Entry<String, Matrix[]> named : state.tensors().entrySet()) {
            for (int k = 0; k < parameters.size(); k++) {
                Parameter p = parameters.get(k);
                String name = p.name() + "." + named.getKey();
                expected.add(name);
                Safetensors.Tensor t = contents.tensor(name);
                if (t == null) {
                    throw bad(path, "tensor " + name + " is missing");
                }
                if (!java.util.Arrays.equals(t.shape(), shape(p))) {
                    throw bad(path, "tensor " + name + " has shape " + java.util.Arrays.toString(t.shape())
                            + ", the parameter " + java.util.Arrays.toString(shape(p)));
                }
                if (t.values().precision() != p.value().precision()) {
                    throw bad(path, "tensor " + name + " is " + t.values().precision().displayName()
                            + ", the parameter " + p.value().precision().displayName());
                }
            }
        }
        for (Safetensors.Tensor t : contents.tensors()) {
            if (!expected.contains(t.name())) {
                throw bad(path, "tensor " + t.name() + " belongs to no parameter of this " + optimizer.name()
                        + " state");
            }
        }
        for (Map.Entry<String, Matrix[]> named : state.tensors().entrySet()) {
            for (int k = 0; k < parameters.size(); k++) {
                named.getValue()[k].copyFrom(contents.tensor(parameters.get(k).name() + "." + named.getKey()).values());
            }
        }
        state.restoreCount(steps);
        return state;
    }

    private static int[] shape(Parameter p) {
        Matrix v = p.value();
        return p.isVector() ? new int[] {v.cols()} : new int[] {v.rows(), v.cols()};
    }

    private static InvalidInputException bad(Path path, String what) {
        return new InvalidInputException(path + ": not an optimizer state for this run: " + what);
    }
}
