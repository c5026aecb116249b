package org.nettricks.layers;

import java.util.LinkedHashMap;
import java.util.Map;

import org.nettricks.activations.Activation;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.Precision;

/**
 * One entry of an architecture's list of layers: what to build, without weights. This file is the
 * registration point of the layer types: each spec record says how its layer is built
 * ({@link #build}) and written to a model file's {@code architecture} JSON ({@link #toJson}), and
 * {@link #fromJson} reads them back. Adding a layer type is its layer class plus, here, one record
 * and one line in {@link #fromJson}.
 *
 * <p>JSON of each type (every object also has {@code "type"}):
 * <pre>
 * {"type":"linear","size":128,"bias":true}
 * {"type":"batch_norm"}
 * {"type":"activation","activation":"relu"}
 * {"type":"dropout","probability":0.5}
 * </pre>
 */
public sealed interface LayerSpec {
    /** The {@code "type"} of this spec's JSON object. */
    String type();

    /** Columns of the layer's output for {@code inputSize} columns in. */
    int outputSize(int inputSize);

    /** Builds the layer (weights zero: initialize the network before training). */
    Layer build(Context context);

    /** This spec as a JSON object: {@code "type"} first, then its fields. */
    Map<String, Object> toJson();

    /**
     * Reads a spec from its JSON object (as {@code io.Json} parses it: integers as {@link Long},
     * other numbers as {@link Double}).
     *
     * @throws IllegalArgumentException for an unknown type or a missing or invalid field, naming it
     */
    static LayerSpec fromJson(Map<?, ?> json) {
        Object type = json.get("type");
        if (!(type instanceof String name)) {
            throw new IllegalArgumentException("a layer needs a \"type\" string, got " + type);
        }
        return switch (name) {
            case "linear" -> new LinearSpec(integer(json, "size"), bool(json, "bias"));
            case "batch_norm" -> new BatchNormSpec();
            case "activation" -> new ActivationSpec(Activation.parse(string(json, "activation")));
            case "dropout" -> new DropoutSpec(number(json, "probability"));
            default -> throw new IllegalArgumentException("unknown layer type '" + name
                    + "'; known: linear, batch_norm, activation, dropout");
        };
    }

    /**
     * What a spec needs to build its layer.
     *
     * @param prefix    the tensor name prefix, {@code layers.k} with k the index of the linear layer
     *                  (this one, or the last one before it): linear layers are counted, as in model files
     * @param inputSize columns of the layer's input
     */
    record Context(String prefix, int inputSize, Precision precision, Backend backend, double batchNormEpsilon) {
        Context(String prefix, int inputSize, Precision precision, Backend backend) {
            this(prefix, inputSize, precision, backend, BatchNorm.EPSILON);
        }
    }

    /**
     * A fully connected {@link Linear} layer with {@code size} outputs.
     *
     * @param bias whether it has a bias b (not before batch normalization, whose β takes its role)
     */
    record LinearSpec(int size, boolean bias) implements LayerSpec {
        public LinearSpec {
            if (size < 1) {
                throw new IllegalArgumentException("linear layer size must be at least 1, got " + size);
            }
        }

        /** With a bias. */
        public LinearSpec(int size) {
            this(size, true);
        }

        @Override
        public String type() {
            return "linear";
        }

        @Override
        public int outputSize(int inputSize) {
            return size;
        }

        @Override
        public Layer build(Context c) {
            return new Linear(c.prefix(), c.inputSize(), size, bias, c.precision(), c.backend());
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = object(type());
            m.put("size", size);
            m.put("bias", bias);
            return m;
        }
    }

    /** {@link BatchNorm} of the units of the linear layer before it (its tensors are named after it). */
    record BatchNormSpec() implements LayerSpec {
        @Override
        public String type() {
            return "batch_norm";
        }

        @Override
        public int outputSize(int inputSize) {
            return inputSize;
        }

        @Override
        public Layer build(Context c) {
            return new BatchNorm(c.prefix(), c.inputSize(), c.precision(), c.backend(), c.batchNormEpsilon());
        }

        @Override
        public Map<String, Object> toJson() {
            return object(type());
        }
    }

    /** The activation function g, elementwise ({@link ActivationLayer}). */
    record ActivationSpec(Activation activation) implements LayerSpec {
        public ActivationSpec {
            if (activation == null) {
                throw new IllegalArgumentException("activation must be given (" + Activation.names(", ") + ")");
            }
        }

        @Override
        public String type() {
            return "activation";
        }

        @Override
        public int outputSize(int inputSize) {
            return inputSize;
        }

        @Override
        public Layer build(Context c) {
            return new ActivationLayer(activation, c.inputSize(), c.precision(), c.backend());
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = object(type());
            m.put("activation", activation.displayName());
            return m;
        }
    }

    /** Inverted {@link Dropout} with drop probability p in (0, 1). */
    record DropoutSpec(double probability) implements LayerSpec {
        public DropoutSpec {
            if (!(probability > 0 && probability < 1)) {
                throw new IllegalArgumentException("dropout probability must be in (0, 1), got " + probability);
            }
        }

        @Override
        public String type() {
            return "dropout";
        }

        @Override
        public int outputSize(int inputSize) {
            return inputSize;
        }

        @Override
        public Layer build(Context c) {
            return new Dropout(c.inputSize(), probability, c.backend());
        }

        @Override
        public Map<String, Object> toJson() {
            Map<String, Object> m = object(type());
            m.put("probability", probability);
            return m;
        }
    }

    private static Map<String, Object> object(String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        return m;
    }

    private static int integer(Map<?, ?> json, String field) {
        Object o = json.get(field);
        if (!(o instanceof Long l) || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(json.get("type") + "." + field + " must be an integer, got " + o);
        }
        return (int) (long) l;
    }

    private static double number(Map<?, ?> json, String field) {
        Object o = json.get(field);
        if (!(o instanceof Number n)) {
            throw new IllegalArgumentException(json.get("type") + "." + field + " must be a number, got " + o);
        }
        return n.doubleValue();
    }

    private static boolean bool(Map<?, ?> json, String field) {
        Object o = json.get(field);
        if (!(o instanceof Boolean b)) {
            throw new IllegalArgumentException(json.get("type") + "." + field + " must be true or false, got " + o);
        }
        return b;
    }

    private static String string(Map<?, ?> json, String field) {
        Object o = json.get(field);
        if (!(o instanceof String s)) {
            throw new IllegalArgumentException(json.get("type") + "." + field + " must be a string, got " + o);
        }
        return s;
    }
}
