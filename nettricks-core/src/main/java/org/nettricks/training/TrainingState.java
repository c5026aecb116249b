package org.nettricks.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nettricks.InvalidInputException;
import org.nettricks.tensor.Matrix;

/**
 * The whole state of a training run at one instant, as named values and named tensors: what a
 * checkpoint holds ({@link CheckpointFile}) and what {@link TrainingLoop} resumes from. Values
 * are JSON-ready (doubles kept as their {@link Double#toString} text, which reads back to the
 * same bits, NaN and infinities included); tensors are the parameters', buffers', optimizer's
 * and callbacks' matrices, by reference while a checkpoint is written, copies once read back.
 *
 * <p>Names are dotted paths, each part of the run under its own prefix ({@code loop.}, {@code
 * parameters.}, {@code optimizer.}, {@code callbacks.0.}); a {@link Callback} writes and reads
 * its own part through {@link #scope}. Reading checks every entry's presence, type and shape,
 * and names the source and the entry in one {@link InvalidInputException} line.
 */
public final class TrainingState {
    private final String source;
    private final String prefix;
    private final Map<String, Object> values;
    private final Map<String, Matrix> tensors;

    /** An empty state to write into; {@code source} names it in messages (e.g. the checkpoint file). */
    public TrainingState(String source) {
        this(source, "", new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    /**
     * A state read back: {@code values} as parsed from JSON, {@code tensors} by full name.
     */
    public TrainingState(String source, Map<String, Object> values, Map<String, Matrix> tensors) {
        this(source, "", new LinkedHashMap<>(values), new LinkedHashMap<>(tensors));
    }

    private TrainingState(String source, String prefix, Map<String, Object> values, Map<String, Matrix> tensors) {
        this.source = source;
        this.prefix = prefix;
        this.values = values;
        this.tensors = tensors;
    }

    /** A view writing and reading under {@code prefix + "."}; it shares this state's entries. */
    public TrainingState scope(String name) {
        return new TrainingState(source, prefix + name + ".", values, tensors);
    }

    /** Where the state came from, for messages. */
    public String source() {
        return source;
    }

    /** Every value by full name (JSON-ready), in the order written. */
    public Map<String, Object> values() {
        return Collections.unmodifiableMap(values);
    }

    /** Every tensor by full name, in the order written. */
    public Map<String, Matrix> tensors() {
        return Collections.unmodifiableMap(tensors);
    }

    // ---------------------------------------------------------------- writing

    public void putLong(String name, long value) {
        values.put(prefix + name, value);
    }

    /** Stored as text ({@link Double#toString}): exact, and NaN and infinities survive JSON. */
    public void putDouble(String name, double value) {
        values.put(prefix + name, Double.toString(value));
    }

    public void putBoolean(String name, boolean value) {
        values.put(prefix + name, value);
    }

    public void putString(String name, String value) {
        values.put(prefix + name, value);
    }

    public void putInts(String name, int[] value) {
        values.put(prefix + name, value.clone());
    }

    public void putStrings(String name, List<String> value) {
        values.put(prefix + name, List.copyOf(value));
    }

    /** A tensor, by reference: write the state before the matrix changes. */
    public void putTensor(String name, Matrix value) {
        tensors.put(prefix + name, value);
    }

    // ---------------------------------------------------------------- reading

    public boolean has(String name) {
        return values.containsKey(prefix + name) || tensors.containsKey(prefix + name);
    }

    public long getLong(String name) {
        if (!(require(name) instanceof Long l)) {
            throw bad(name, "must be a whole number, got " + values.get(prefix + name));
        }
        return l;
    }

    /** A long in [min, max]. */
    public int getInt(String name, int min, int max) {
        long v = getLong(name);
        if (v < min || v > max) {
            throw bad(name, "must be in [" + min + ", " + max + "], got " + v);
        }
        return (int) v;
    }

    public double getDouble(String name) {
        Object o = require(name);
        if (o instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                // below
            }
        }
        throw bad(name, "must be a number written as text, got " + o);
    }

    public boolean getBoolean(String name) {
        if (!(require(name) instanceof Boolean b)) {
            throw bad(name, "must be true or false, got " + values.get(prefix + name));
        }
        return b;
    }

    public String getString(String name) {
        if (!(require(name) instanceof String s)) {
            throw bad(name, "must be a string, got " + values.get(prefix + name));
        }
        return s;
    }

    /** An int array of {@code length} entries, each in [0, bound). */
    public int[] getInts(String name, int length, int bound) {
        Object o = require(name);
        int[] out = new int[length];
        if (o instanceof int[] a && a.length == length) {
            out = a.clone();
        } else if (o instanceof List<?> list && list.size() == length) {
            for (int i = 0; i < length; i++) {
                if (!(list.get(i) instanceof Long l) || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                    throw bad(name, "entry " + i + " must be a whole number, got " + list.get(i));
                }
                out[i] = (int) (long) l;
            }
        } else {
            throw bad(name, "must be a list of " + length + " whole numbers");
        }
        for (int i = 0; i < length; i++) {
            if (out[i] < 0 || out[i] >= bound) {
                throw bad(name, "entry " + i + " must be in [0, " + bound + "), got " + out[i]);
            }
        }
        return out;
    }

    public List<String> getStrings(String name) {
        Object o = require(name);
        if (!(o instanceof List<?> list)) {
            throw bad(name, "must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (Object e : list) {
            if (!(e instanceof String s)) {
                throw bad(name, "must be a list of strings, holds " + e);
            }
            out.add(s);
        }
        return out;
    }

    /**
     * Copies tensor {@code name} into {@code target}, which gives the shape and precision it must
     * have.
     */
    public void copyTensor(String name, Matrix target) {
        Matrix m = tensors.get(prefix + name);
        if (m == null) {
            throw bad(name, "is missing");
        }
        if (m.size() != target.size() || m.precision() != target.precision()) {
            throw bad(name, "holds " + m.size() + " " + m.precision().displayName() + " values, the run needs "
                    + target.size() + " " + target.precision().displayName());
        }
        if (m.rows() != target.rows() || m.cols() != target.cols()) { // e.g. a weight stored transposed
            throw bad(name, "has shape [" + m.rows() + ", " + m.cols() + "], the run needs [" + target.rows() + ", "
                    + target.cols() + "]");
        }
        target.copyFrom(Matrix.wrapLike(target, m));
    }

    /** Tensor {@code name} as stored, or an error naming it. */
    public Matrix tensor(String name) {
        Matrix m = tensors.get(prefix + name);
        if (m == null) {
            throw bad(name, "is missing");
        }
        return m;
    }

    private Object require(String name) {
        Object o = values.get(prefix + name);
        if (o == null) {
            throw bad(name, "is missing");
        }
        return o;
    }

    /** One line naming the source and the entry. */
    public InvalidInputException bad(String name, String problem) {
        return new InvalidInputException(source + ": not a usable checkpoint: entry '" + prefix + name + "' "
                + problem);
    }
}
