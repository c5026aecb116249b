package org.nettricks.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.nettricks.InvalidInputException;
import org.nettricks.activations.Activation;
import org.nettricks.data.Normalization;
import org.nettricks.layers.Parameter;
import org.nettricks.model.Classifier;
import org.nettricks.network.Architecture;
import org.nettricks.network.Network;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * Saves and loads a {@link Classifier} as a safetensors file.
 *
 * <p>Tensors use PyTorch's {@code nn.Linear} naming and layout: {@code layers.k.weight} of shape
 * [out, in] and {@code layers.k.bias} of shape [out], k = 0 … L. The {@code __metadata__} holds,
 * as JSON strings: {@code architecture}, {@code precision}, {@code class_names},
 * {@code normalization}, and the provenance entries (seed, training configuration, version).
 */
public final class ModelFile {
    /** Value of the {@code format} metadata entry. */
    public static final String FORMAT = "nettricks-classifier";
    private static final Set<String> STRUCTURAL = Set.of("format", "format_version", "architecture", "precision",
            "class_names", "normalization");

    private ModelFile() {
    }

    /** Writes the model atomically. */
    public static void save(Classifier model, Path path) throws IOException {
        Network net = model.network();
        Architecture arch = net.architecture();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", "1");
        meta.put("architecture", architectureJson(arch));
        meta.put("precision", net.precision().displayName());
        meta.put("class_names", Json.write(model.classNames()));
        Normalization norm = model.normalization();
        Map<String, Object> normJson = new LinkedHashMap<>();
        normJson.put("kind", norm.kind().displayName());
        normJson.put("offset", norm.offset());
        normJson.put("scale", norm.scale());
        meta.put("normalization", Json.write(normJson));
        meta.putAll(model.provenance());
        List<Safetensors.Tensor> tensors = new ArrayList<>();
        for (Parameter p : net.parameters()) {
            Matrix v = p.value();
            int[] shape = p.role() == Parameter.Role.BIAS ? new int[] {v.cols()} : new int[] {v.rows(), v.cols()};
            tensors.add(new Safetensors.Tensor(p.name(), shape, v));
        }
        Safetensors.write(path, meta, tensors);
    }

    /** Reads and validates a model file; the network computes with {@code backend}. */
    public static Classifier load(Path path, Backend backend) {
        Safetensors.Contents contents = Safetensors.read(path);
        Map<String, String> meta = contents.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw bad(path, "its __metadata__ has no \"format\": \"" + FORMAT + "\" entry; it was not written by"
                    + " 'nettricks train'");
        }
        Architecture arch = parseArchitecture(path, require(path, meta, "architecture"));
        Precision precision;
        try {
            precision = Precision.parse(require(path, meta, "precision"));
        } catch (IllegalArgumentException e) {
            throw bad(path, e.getMessage());
        }
        List<String> classNames = new ArrayList<>();
        for (Object o : asList(path, parseJson(path, "class_names", require(path, meta, "class_names")), "class_names")) {
            if (!(o instanceof String s)) {
                throw bad(path, "class_names must be a list of strings");
            }
            classNames.add(s);
        }
        if (classNames.size() != arch.outputSize()) {
            throw bad(path, classNames.size() + " class names for " + arch.outputSize() + " outputs");
        }
        Normalization normalization = parseNormalization(path, require(path, meta, "normalization"), arch.inputSize());
        Network network = new Network(arch, precision, backend);
        if (contents.tensors().size() != network.parameters().size()) {
            throw bad(path, "it holds " + contents.tensors().size() + " tensors but a " + arch.describe()
                    + " network has " + network.parameters().size());
        }
        for (Parameter p : network.parameters()) {
            Safetensors.Tensor t = contents.tensor(p.name());
            if (t == null) {
                throw bad(path, "tensor '" + p.name() + "' is missing");
            }
            Matrix v = p.value();
            int[] want = p.role() == Parameter.Role.BIAS ? new int[] {v.cols()} : new int[] {v.rows(), v.cols()};
            if (!java.util.Arrays.equals(want, t.shape())) {
                throw bad(path, "tensor '" + p.name() + "' has shape " + java.util.Arrays.toString(t.shape())
                        + " but the architecture " + arch.describe() + " needs " + java.util.Arrays.toString(want));
            }
            if (t.values().precision() != precision) {
                throw bad(path, "tensor '" + p.name() + "' is " + t.values().precision().safetensorsDtype()
                        + " but the model's precision is " + precision.displayName());
            }
            if (!t.values().allFinite()) {
                throw bad(path, "tensor '" + p.name() + "' holds NaN or infinite values");
            }
            v.copyFrom(Matrix.wrapLike(v, t.values()));
        }
        Map<String, String> provenance = new LinkedHashMap<>();
        meta.forEach((k, val) -> {
            if (!STRUCTURAL.contains(k)) {
                provenance.put(k, val);
            }
        });
        return new Classifier(network, normalization, classNames, provenance);
    }

    /** The architecture as the JSON stored in the metadata. */
    public static String architectureJson(Architecture arch) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("input_size", arch.inputSize());
        a.put("hidden_sizes", arch.hiddenSizes());
        List<String> acts = new ArrayList<>();
        for (Activation g : arch.hiddenActivations()) {
            acts.add(g.displayName());
        }
        a.put("hidden_activations", acts);
        a.put("output_size", arch.outputSize());
        return Json.write(a);
    }

    private static Architecture parseArchitecture(Path path, String json) {
        Object parsed = parseJson(path, "architecture", json);
        if (!(parsed instanceof Map<?, ?> a)) {
            throw bad(path, "architecture must be a JSON object");
        }
        try {
            List<Integer> sizes = new ArrayList<>();
            for (Object o : asList(path, a.get("hidden_sizes"), "hidden_sizes")) {
                sizes.add(toInt(path, o, "hidden_sizes"));
            }
            List<Activation> acts = new ArrayList<>();
            for (Object o : asList(path, a.get("hidden_activations"), "hidden_activations")) {
                acts.add(Activation.parse(String.valueOf(o)));
            }
            return new Architecture(toInt(path, a.get("input_size"), "input_size"), sizes, acts,
                    toInt(path, a.get("output_size"), "output_size"));
        } catch (IllegalArgumentException e) {
            throw bad(path, "architecture: " + e.getMessage());
        }
    }

    private static Normalization parseNormalization(Path path, String json, int inputSize) {
        Object parsed = parseJson(path, "normalization", json);
        if (!(parsed instanceof Map<?, ?> n)) {
            throw bad(path, "normalization must be a JSON object");
        }
        try {
            Normalization.Kind kind = Normalization.Kind.parse(String.valueOf(n.get("kind")));
            double[] offset = toDoubles(path, n.get("offset"), "normalization.offset");
            double[] scale = toDoubles(path, n.get("scale"), "normalization.scale");
            if (offset.length != inputSize) {
                throw bad(path, "normalization has " + offset.length + " features but the network takes " + inputSize);
            }
            return new Normalization(kind, offset, scale);
        } catch (IllegalArgumentException e) {
            throw bad(path, "normalization: " + e.getMessage());
        }
    }

    private static double[] toDoubles(Path path, Object o, String what) {
        List<?> list = asList(path, o, what);
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Number num)) {
                throw bad(path, what + " must hold numbers");
            }
            out[i] = num.doubleValue();
        }
        return out;
    }

    private static int toInt(Path path, Object o, String what) {
        if (!(o instanceof Long l) || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw bad(path, what + " must be an integer, got " + o);
        }
        return (int) (long) l;
    }

    private static List<?> asList(Path path, Object o, String what) {
        if (!(o instanceof List<?> l)) {
            throw bad(path, what + " must be a JSON list");
        }
        return l;
    }

    private static Object parseJson(Path path, String key, String json) {
        try {
            return Json.parse(json);
        } catch (Json.JsonException e) {
            throw bad(path, "__metadata__ entry '" + key + "' is not valid JSON: " + e.getMessage());
        }
    }

    private static String require(Path path, Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) {
            throw bad(path, "__metadata__ has no '" + key + "' entry");
        }
        return v;
    }

    private static InvalidInputException bad(Path path, String what) {
        return new InvalidInputException(path + ": not a NetTricks model: " + what);
    }
}
