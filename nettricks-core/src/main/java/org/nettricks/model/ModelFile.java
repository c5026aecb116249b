package org.nettricks.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.nettricks.InvalidInputException;
import org.nettricks.activations.Activation;
import org.nettricks.data.InputSchema;
import org.nettricks.data.Normalization;
import org.nettricks.data.TargetScaling;
import org.nettricks.losses.RegressionLoss;
import org.nettricks.layers.BatchNorm;
import org.nettricks.layers.Buffer;
import org.nettricks.layers.LayerSpec;
import org.nettricks.layers.Parameter;
import org.nettricks.model.Classifier;
import org.nettricks.network.Architecture;
import org.nettricks.network.HiddenLayer;
import org.nettricks.network.Network;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;
import org.nettricks.io.internal.Json;
import org.nettricks.io.Safetensors;

/**
 * Saves and loads a {@link Classifier} as a safetensors file.
 *
 * <p>Tensors use PyTorch's {@code nn.Linear} naming and layout: {@code layers.k.weight} of shape
 * [out, in] and {@code layers.k.bias} of shape [out], k = 0 … L; a batch-normalized layer has no
 * bias but {@code layers.k.bn.weight} (γ), {@code layers.k.bn.bias} (β), {@code layers.k.bn.running_mean}
 * and {@code layers.k.bn.running_var} (the population statistics), as PyTorch's
 * {@code BatchNorm1d}. The {@code __metadata__} holds,
 * as JSON strings: {@code architecture}, {@code precision}, {@code class_names},
 * {@code normalization}, and the provenance entries (seed, training configuration, version). The
 * training data's inputs, when known, are {@code feature_names} (a JSON list, in input order) and
 * {@code label_column} (the label column's name, as is) for a CSV file, or {@code image_shape}
 * (a JSON list such as {@code [28,28]}) for images; files written before these entries load with
 * no {@link Classifier#inputSchema()}, and their inputs are read by position.
 *
 * <p>The {@code architecture} entry of the standard stack (format_version 2, every file written
 * before layer lists, and still every standard network's) is
 * <pre>{"input_size":64,"input_dropout":0.0,"hidden":[{"size":128,"activation":"relu","batch_norm":false,"dropout":0.0}],"output_size":10}</pre>
 * any other list of layers is written as {@code {"input_size":64,"layers":[…]}} with one
 * {@link LayerSpec#toJson} object per layer, under format_version 3. Both load, as do the first
 * files (format_version 1); any other version (a file from a newer NetTricks) is refused, naming the
 * versions this one reads. A network with batch normalization also records its ε as
 * {@code batch_norm_epsilon}; files without it were written with {@value BatchNorm#EPSILON}.
 *
 * <p>A regression model ({@code task} regression) adds {@code "task": "regression"} and a
 * {@code targets} entry (see {@link #targetsJson}): its outputs are linear (no softmax) and are the
 * standardized targets, undone as y_k = mean_k + std_k · output_k; {@code class_names} holds the
 * target names. Files without {@code task} are classifiers, as every file written before it.
 */
public final class ModelFile {
    /** Value of the {@code format} metadata entry. */
    public static final String FORMAT = "nettricks-classifier";
    /** Weights beyond twice the file's values plus this are refused before the network is built. */
    private static final long SMALL_MISMATCH = 1 << 16;
    private static final Set<String> STRUCTURAL = Set.of("format", "format_version", "architecture", "precision",
            "class_names", "normalization", "feature_names", "label_column", "image_shape",
            "batch_norm_epsilon", "task", "targets");
    /**
     * The {@code format_version}s this version reads: 1 (the first files), 2 (the standard stack
     * with batch normalization and dropout) and 3 (a list of layers).
     */
    public static final List<String> SUPPORTED_VERSIONS = List.of("1", "2", "3");

    private ModelFile() {
    }

    /**
     * Writes the model atomically: the file at {@code path} is replaced whole, or not at all.
     *
     * @throws IllegalArgumentException when a parameter or buffer holds a NaN or an infinity (a
     *                                  diverged run, population statistics that overflow the
     *                                  precision): nothing is written and an existing file is left
     *                                  as it was
     * @throws IOException              when the file cannot be written
     */
    public static void save(Classifier model, Path path) throws IOException {
        Network net = model.network();
        requireFinite(net, path);
        Architecture arch = net.architecture();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", arch.isStandardStack() ? "2" : "3");
        meta.put("architecture", architectureJson(arch));
        meta.put("precision", net.precision().displayName());
        meta.put("class_names", Json.write(model.classNames()));
        Normalization norm = model.normalization();
        Map<String, Object> normJson = new LinkedHashMap<>();
        normJson.put("kind", norm.kind().displayName());
        normJson.put("offset", norm.offset());
        normJson.put("scale", norm.scale());
        meta.put("normalization", Json.write(normJson));
        InputSchema schema = model.inputSchema();
        if (schema != null && schema.hasNames()) {
            meta.put("feature_names", Json.write(schema.featureNames()));
            if (schema.labelColumn() != null) {
                meta.put("label_column", schema.labelColumn());
            }
        } else if (schema != null) {
            meta.put("image_shape", Json.write(schema.imageShape()));
        }
        if (normalizes(net)) {
            meta.put("batch_norm_epsilon", Double.toString(net.batchNormEpsilon()));
        }
        if (model.isRegression()) {
            meta.put("task", "regression");
            meta.put("targets", targetsJson(model.targetScaling(), model.regressionLoss()));
        }
        meta.putAll(model.provenance());
        List<Safetensors.Tensor> tensors = new ArrayList<>();
        for (Parameter p : net.parameters()) {
            Matrix v = p.value();
            int[] shape = p.isVector() ? new int[] {v.cols()} : new int[] {v.rows(), v.cols()};
            tensors.add(new Safetensors.Tensor(p.name(), shape, v));
        }
        for (Buffer b : net.buffers()) {
            tensors.add(new Safetensors.Tensor(b.name(), new int[] {b.value().cols()}, b.value()));
        }
        Safetensors.write(path, meta, tensors);
    }

    /** Whether some layer of {@code net} batch-normalizes. */
    private static boolean normalizes(Network net) {
        for (org.nettricks.layers.Layer layer : net.layers()) {
            if (layer instanceof org.nettricks.layers.BatchNormalizing b && b.normalizes()) {
                return true;
            }
        }
        return false;
    }

    /** Refuses a model with a NaN or an infinity before anything is written. */
    private static void requireFinite(Network net, Path path) {
        List<String> names = new ArrayList<>();
        List<Matrix> values = new ArrayList<>();
        for (Parameter p : net.parameters()) {
            names.add(p.name());
            values.add(p.value());
        }
        for (Buffer b : net.buffers()) {
            names.add(b.name());
            values.add(b.value());
        }
        for (int i = 0; i < values.size(); i++) {
            Matrix v = values.get(i);
            if (!v.allFinite()) {
                for (int j = 0; j < v.size(); j++) {
                    double x = v.getFlat(j);
                    if (!Double.isFinite(x)) {
                        throw new IllegalArgumentException("model not written to " + path + ": tensor '" + names.get(i)
                                + "' holds " + x + " at index " + j + " (a diverged run, or statistics that overflow "
                                + net.precision().displayName() + "); any existing file is left as it was");
                    }
                }
            }
        }
    }

    /** Reads and validates a model file; the network computes with {@code backend}. */
    public static Classifier load(Path path, Backend backend) {
        Safetensors.Contents contents = Safetensors.read(path);
        Map<String, String> meta = contents.metadata();
        if ("nettricks-checkpoint".equals(meta.get("format"))) { // training.CheckpointFile.FORMAT
            throw new InvalidInputException(path + ": a training checkpoint (written by train --checkpoint), not a"
                    + " model: resume it with train --resume and its directory, or give the model file that train"
                    + " --out wrote");
        }
        if (!FORMAT.equals(meta.get("format"))) {
            throw bad(path, "its __metadata__ has no \"format\": \"" + FORMAT + "\" entry; it was not written by"
                    + " 'nettricks train'");
        }
        String version = meta.get("format_version");
        if (version == null || !SUPPORTED_VERSIONS.contains(version)) {
            throw new InvalidInputException(path + ": model format_version " + (version == null ? "missing"
                    : Json.write(version)) + "; this NetTricks (" + org.nettricks.NetTricks.VERSION
                    + ") reads format versions " + String.join(", ", SUPPORTED_VERSIONS) + "; load it with the"
                    + " NetTricks that wrote it (" + Json.write(String.valueOf(meta.get("nettricks_version")))
                    + ") or a newer one");
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
        InputSchema schema = parseSchema(path, meta, arch.inputSize());
        requireWeightsInTheFile(path, arch, contents);
        double epsilon = BatchNorm.EPSILON; // files before batch_norm_epsilon used the default
        String eps = meta.get("batch_norm_epsilon");
        if (eps != null) {
            try {
                epsilon = Double.parseDouble(eps);
            } catch (NumberFormatException e) {
                epsilon = Double.NaN;
            }
            if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
                throw bad(path, "batch_norm_epsilon must be a finite number > 0, got "
                        + Json.write(eps));
            }
        }
        Network network = new Network(arch, precision, backend, epsilon);
        int expectedTensors = network.parameters().size() + network.buffers().size();
        if (contents.tensors().size() != expectedTensors) {
            throw bad(path, "it holds " + contents.tensors().size() + " tensors but a " + arch.describe()
                    + " network has " + expectedTensors);
        }
        for (Parameter p : network.parameters()) {
            Matrix v = p.value();
            int[] want = p.isVector() ? new int[] {v.cols()} : new int[] {v.rows(), v.cols()};
            load(path, contents, p.name(), want, v, precision, arch);
        }
        for (Buffer b : network.buffers()) {
            load(path, contents, b.name(), new int[] {b.value().cols()}, b.value(), precision, arch);
        }
        Map<String, String> provenance = new LinkedHashMap<>();
        meta.forEach((k, val) -> {
            if (!STRUCTURAL.contains(k)) {
                provenance.put(k, val);
            }
        });
        String task = meta.get("task");
        if (task != null && !task.equals("regression") && !task.equals("classification")) {
            throw bad(path, "task must be classification or regression, got " + Json.write(task));
        }
        if ("regression".equals(task)) {
            Object[] targets = parseTargets(path, require(path, meta, "targets"), classNames);
            return new Classifier(network, normalization, (TargetScaling) targets[0], (RegressionLoss) targets[1],
                    schema, provenance);
        }
        return new Classifier(network, normalization, classNames, schema, provenance);
    }

    /**
     * The {@code targets} entry of a regression model: what an exporter needs to undo the
     * standardization of the linear outputs, e.g.
     * <pre>{"names":["y"],"mean":[152.1],"std":[77.0],"std_kind":"population (ddof=0) over the training split",
     * "outputs":"linear: y_k = mean_k + std_k * output_k","loss":"squared-error","huber_delta":1.0}</pre>
     */
    static String targetsJson(TargetScaling scaling, RegressionLoss loss) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("names", scaling.names());
        t.put("mean", scaling.mean());
        t.put("std", scaling.std());
        t.put("std_kind", "population (ddof=0) over the training split");
        t.put("outputs", "linear: y_k = mean_k + std_k * output_k");
        t.put("loss", loss.describe());
        t.put("huber_delta", loss.delta());
        return Json.write(t);
    }

    /** The target scaling and the loss of a {@code targets} entry. */
    private static Object[] parseTargets(Path path, String json, List<String> classNames) {
        if (!(parseJson(path, "targets", json) instanceof Map<?, ?> t)) {
            throw bad(path, "targets must be a JSON object");
        }
        List<String> names = new ArrayList<>();
        for (Object o : asList(path, t.get("names"), "targets.names")) {
            if (!(o instanceof String s)) {
                throw bad(path, "targets.names must be a list of strings");
            }
            names.add(s);
        }
        if (!names.equals(classNames)) {
            throw bad(path, "targets.names " + names + " differ from class_names " + classNames);
        }
        double[] mean = toDoubles(path, t.get("mean"), "targets.mean");
        double[] std = toDoubles(path, t.get("std"), "targets.std");
        RegressionLoss loss;
        try {
            Object kind = t.get("loss");
            double delta = t.get("huber_delta") == null ? RegressionLoss.DEFAULT_DELTA
                    : toDouble(path, t.get("huber_delta"), "targets.huber_delta");
            if ("huber".equals(kind)) {
                loss = RegressionLoss.huber(delta);
            } else if ("squared-error".equals(kind)) {
                loss = RegressionLoss.squaredError();
            } else {
                throw bad(path, "targets.loss must be squared-error or huber, got " + Json.write(String.valueOf(kind)));
            }
            return new Object[] {new TargetScaling(names, mean, std), loss};
        } catch (IllegalArgumentException e) {
            throw bad(path, "targets: " + e.getMessage());
        }
    }

    /**
     * Before the network is built (which allocates every parameter), its weights, a lower bound on
     * its values, must be in the file's tensors: the architecture in the metadata is untrusted, and
     * one corrupt width would otherwise allocate gigabytes before any tensor is compared with it.
     * Biases and batch-normalization vectors are at most a few times the weights, so once this holds
     * the network needs memory of the order of the file's size.
     */
    private static void requireWeightsInTheFile(Path path, Architecture arch, Safetensors.Contents contents) {
        long weights = 0;
        int size = arch.inputSize();
        for (LayerSpec spec : arch.layers()) {
            int next = spec.outputSize(size);
            if (spec instanceof LayerSpec.LinearSpec) {
                weights += (long) size * next;
            }
            size = next;
        }
        long inFile = 0;
        for (Safetensors.Tensor t : contents.tensors()) {
            inFile += t.values().size();
        }
        // a small mismatch is left to the per-tensor comparison, whose message names the tensor
        if (weights > 2 * inFile + SMALL_MISMATCH) {
            throw bad(path, "its architecture " + arch.describe() + " needs " + weights + " weights but its tensors"
                    + " hold " + inFile + " values; the architecture in the metadata does not match the tensors");
        }
    }

    private static void load(Path path, Safetensors.Contents contents, String name, int[] want, Matrix target,
                             Precision precision, Architecture arch) {
        Safetensors.Tensor t = contents.tensor(name);
        if (t == null) {
            throw bad(path, "tensor '" + name + "' is missing");
        }
        if (!java.util.Arrays.equals(want, t.shape())) {
            throw bad(path, "tensor '" + name + "' has shape " + java.util.Arrays.toString(t.shape())
                    + " but the architecture " + arch.describe() + " needs " + java.util.Arrays.toString(want));
        }
        if (t.values().precision() != precision) {
            throw bad(path, "tensor '" + name + "' is " + t.values().precision().safetensorsDtype()
                    + " but the model's precision is " + precision.displayName());
        }
        if (!t.values().allFinite()) {
            throw bad(path, "tensor '" + name + "' holds NaN or infinite values");
        }
        target.copyFrom(Matrix.wrapLike(target, t.values()));
    }

    /** The architecture as the JSON stored in the metadata (see the class comment). */
    public static String architectureJson(Architecture arch) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("input_size", arch.inputSize());
        if (!arch.isStandardStack()) {
            List<Object> layers = new ArrayList<>();
            for (LayerSpec spec : arch.layers()) {
                layers.add(spec.toJson());
            }
            a.put("layers", layers);
            return Json.write(a);
        }
        a.put("input_dropout", arch.inputDropout());
        List<Object> hidden = new ArrayList<>();
        for (HiddenLayer h : arch.hidden()) {
            Map<String, Object> layer = new LinkedHashMap<>();
            layer.put("size", h.size());
            layer.put("activation", h.activation().displayName());
            layer.put("batch_norm", h.batchNorm());
            layer.put("dropout", h.dropout());
            hidden.add(layer);
        }
        a.put("hidden", hidden);
        a.put("output_size", arch.outputSize());
        return Json.write(a);
    }

    private static Architecture parseArchitecture(Path path, String json) {
        Object parsed = parseJson(path, "architecture", json);
        if (!(parsed instanceof Map<?, ?> a)) {
            throw bad(path, "architecture must be a JSON object");
        }
        try {
            if (a.containsKey("layers")) {
                List<LayerSpec> layers = new ArrayList<>();
                for (Object o : asList(path, a.get("layers"), "layers")) {
                    if (!(o instanceof Map<?, ?> layer)) {
                        throw bad(path, "architecture.layers must hold objects");
                    }
                    layers.add(LayerSpec.fromJson(layer));
                }
                return new Architecture(toInt(path, a.get("input_size"), "input_size"), layers);
            }
            List<HiddenLayer> hidden = new ArrayList<>();
            for (Object o : asList(path, a.get("hidden"), "hidden")) {
                if (!(o instanceof Map<?, ?> layer)) {
                    throw bad(path, "architecture.hidden must hold objects");
                }
                hidden.add(new HiddenLayer(toInt(path, layer.get("size"), "size"),
                        Activation.parse(String.valueOf(layer.get("activation"))),
                        Boolean.TRUE.equals(layer.get("batch_norm")), toDouble(path, layer.get("dropout"), "dropout")));
            }
            return new Architecture(toInt(path, a.get("input_size"), "input_size"),
                    toDouble(path, a.get("input_dropout"), "input_dropout"), hidden,
                    toInt(path, a.get("output_size"), "output_size"));
        } catch (IllegalArgumentException e) {
            throw bad(path, "architecture: " + e.getMessage());
        }
    }

    /** The optional input schema; null for a file written before models kept it (inputs by position). */
    private static InputSchema parseSchema(Path path, Map<String, String> meta, int inputSize) {
        String names = meta.get("feature_names");
        String shape = meta.get("image_shape");
        String label = meta.get("label_column");
        if (names != null && shape != null) {
            throw bad(path, "it has both feature_names and image_shape; a model's inputs are columns or images");
        }
        if (names != null) {
            List<String> featureNames = new ArrayList<>();
            for (Object o : asList(path, parseJson(path, "feature_names", names), "feature_names")) {
                if (!(o instanceof String name)) {
                    throw bad(path, "feature_names must be a list of strings");
                }
                featureNames.add(name);
            }
            if (featureNames.size() != inputSize) {
                throw bad(path, featureNames.size() + " feature_names for a network of " + inputSize + " inputs");
            }
            return InputSchema.columns(featureNames, label);
        }
        if (label != null) {
            throw bad(path, "it has a label_column but no feature_names");
        }
        if (shape == null) {
            return null;
        }
        List<?> dims = asList(path, parseJson(path, "image_shape", shape), "image_shape");
        int[] d = new int[dims.size()];
        long product = 1;
        for (int i = 0; i < d.length; i++) {
            d[i] = toInt(path, dims.get(i), "image_shape");
            if (d[i] < 1) {
                throw bad(path, "image_shape " + dims + " has a dimension below 1");
            }
            product *= d[i];
            if (product > inputSize) {
                break;
            }
        }
        if (d.length == 0 || product != inputSize) {
            throw bad(path, "image_shape " + dims + " does not hold the network's " + inputSize + " inputs");
        }
        return InputSchema.image(d);
    }

    private static double toDouble(Path path, Object o, String what) {
        if (!(o instanceof Number n)) {
            throw bad(path, what + " must be a number, got " + o);
        }
        return n.doubleValue();
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
