package org.nettricks.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nettricks.layers.Parameter;
import org.nettricks.layers.internal.ParameterAccess;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * The mutable part of an optimizer (optax's state, e.g. {@code ScaleByAdamState(count, mu, nu)}):
 * the number of steps taken and, in each rule's own subclass, named tensors of the parameters'
 * shapes (a velocity, first and second moments). {@link #tensors()} lists them by the names PyTorch's
 * optimizers use in their state dicts ({@code momentum_buffer}, {@code sum}, {@code square_avg},
 * {@code exp_avg}, {@code exp_avg_sq}), so that a state can be written and read back
 * ({@link OptimizerStateFile}).
 *
 * <p>It also says where updates run: {@link #apply} splits every parameter into contiguous ranges,
 * one per thread of the backend given to {@link #runOn} (one thread by default; a step over fewer
 * than {@value #PARALLEL_MIN_ELEMENTS} elements runs on the calling thread), and calls the rule's
 * {@link #update} on each. Each element's new value depends on that element alone, so the
 * result does not depend on the thread count. Nothing is allocated per step.
 */
public abstract class OptimizerState {
    /** Tensors smaller than this are updated by one thread: splitting them costs more than it saves. */
    static final int MIN_SPLIT = 1 << 14;
    /**
     * A step over fewer elements than this in all runs on the calling thread. Measured at batch 1
     * on this project's 2-core machine (docs/benchmarks.md, issue 15): SGD's update costs about
     * 0.7 ns per element on one thread, and waking a parked worker for a region 150–400 µs in this
     * virtual machine, so splitting pays only when half the work exceeds the wake-up: from about
     * 500,000 elements (the 784-256-10 network's 203,530 parameters update faster on one thread;
     * the reference network's 1.9 million on two). The float32 passes of today cost about 0.18 ns
     * per element for SGD, 0.5 for momentum and 1.1 for Adam, which puts the break-even between
     * 300,000 elements (Adam) and several million (SGD); the threshold is kept between them.
     */
    static final long PARALLEL_MIN_ELEMENTS = 1 << 19;
    /** Range boundaries fall on multiples of this many elements (cache lines, vector loops). */
    private static final int ALIGN = 64;
    /** The parameters' update double buffers (next, commit), which are not part of the API. */
    private static final ParameterAccess BUFFERS = ParameterAccess.get();

    private final Optimizer rule;
    private final List<Parameter> parameters;
    /** Elements over all parameters. */
    private final long elements;
    private long count;
    private Backend backend;
    private boolean[] finite = new boolean[1];
    private double learningRate;
    private final java.util.function.IntConsumer part = this::part;

    /** State of {@code rule} for {@code parameters}; subclasses allocate their named tensors, zero. */
    protected OptimizerState(Optimizer rule, List<Parameter> parameters) {
        this.rule = rule;
        this.parameters = List.copyOf(parameters);
        long n = 0;
        for (Parameter p : parameters) {
            n += p.value().size();
        }
        this.elements = n;
    }

    /** The rule this state belongs to. */
    public Optimizer rule() {
        return rule;
    }

    /**
     * One step of the rule: t ← t + 1, {@link #prepare} the step's factors, then {@link #apply}.
     *
     * @param caller the optimizer asked to step; it must be the one that made this state
     * @return true when every updated value is finite
     * @throws IllegalArgumentException when the state was made by another optimizer
     */
    final boolean step(Optimizer caller, List<Parameter> parameters, double learningRate) {
        if (rule != caller && !rule.equals(caller)) {
            throw new IllegalArgumentException("this state was made by " + rule + ", not by " + caller);
        }
        prepare(++count);
        return apply(parameters, learningRate);
    }

    /** Computes the factors of step t that do not depend on the element (Adam's bias corrections); none by default. */
    protected void prepare(long t) {
    }

    /** A zero tensor of the shape of each parameter: one slot of per-parameter state. */
    protected static Matrix[] zerosLike(List<Parameter> parameters) {
        Matrix[] out = new Matrix[parameters.size()];
        for (int k = 0; k < out.length; k++) {
            Matrix v = parameters.get(k).value();
            out[k] = Matrix.zeros(v.rows(), v.cols(), v.precision());
        }
        return out;
    }

    /** The parameters this state was made for, in order. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /**
     * The per-parameter tensors by name, e.g. {@code exp_avg} → one tensor per parameter, in the
     * order of {@link #parameters()}; empty for rules without state (SGD). Live views: writing into
     * them changes the state.
     */
    public abstract Map<String, Matrix[]> tensors();

    /** Builds the map {@link #tensors()} returns from names and slots, in that order. */
    protected static Map<String, Matrix[]> named(Object... namesAndSlots) {
        Map<String, Matrix[]> out = new LinkedHashMap<>();
        for (int i = 0; i < namesAndSlots.length; i += 2) {
            out.put((String) namesAndSlots[i], (Matrix[]) namesAndSlots[i + 1]);
        }
        return Collections.unmodifiableMap(out);
    }

    /** Runs the updates of {@link #apply} on {@code backend}'s threads; returns this state. */
    public OptimizerState runOn(Backend backend) {
        this.backend = backend;
        this.finite = new boolean[backend.threads()];
        return this;
    }

    /**
     * The rule's update of elements [from, to) of parameter number k: writes their new values into
     * {@link #updated updated(k)} and returns false when a value written is NaN or infinite as
     * stored (float32 may overflow where the arithmetic did not); a rule may leave that check to the
     * training loop's guard and return true ({@link Optimizer#step}). Reads the step's values from
     * the state's own fields.
     */
    protected abstract boolean update(int k, int from, int to);

    /**
     * One pass of {@link #update} over every parameter, the elements split across the threads (a
     * single parallel region), then commits every parameter. Allocates nothing.
     *
     * @return true when every updated value is finite (checked in the same pass)
     * @throws IllegalArgumentException when {@code parameters} are not those the state was made for
     */
    private boolean apply(List<Parameter> parameters, double learningRate) {
        if (parameters.size() != this.parameters.size()) {
            throw new IllegalArgumentException("the state was made for " + this.parameters.size()
                    + " parameters, got " + parameters.size());
        }
        int parts = finite.length;
        for (int k = 0; k < parameters.size(); k++) {
            BUFFERS.next(parameters.get(k)); // allocated here on the first step, not lazily by two threads at once
        }
        this.learningRate = learningRate;
        if (parts == 1 || elements < PARALLEL_MIN_ELEMENTS) {
            finite[0] = range(0, 1);
            for (int w = 1; w < parts; w++) {
                finite[w] = true;
            }
        } else {
            backend.parallel(parts, part);
        }
        for (int k = 0; k < parameters.size(); k++) {
            BUFFERS.commit(parameters.get(k));
        }
        for (boolean f : finite) {
            if (!f) {
                return false;
            }
        }
        return true;
    }

    private void part(int w) {
        finite[w] = range(w, finite.length);
    }

    /** Part w of {@code parts}: its range of every parameter (small parameters: all to part 0). */
    private boolean range(int w, int parts) {
        boolean allFinite = true;
        for (int k = 0; k < parameters.size(); k++) {
            int n = parameters.get(k).value().size();
            int from;
            int to;
            if (n < MIN_SPLIT) {
                from = 0;
                to = w == 0 ? n : 0;
            } else {
                from = (int) ((long) n * w / parts) / ALIGN * ALIGN;
                to = w == parts - 1 ? n : (int) ((long) n * (w + 1) / parts) / ALIGN * ALIGN;
            }
            if (from < to) {
                allFinite &= update(k, from, to);
            }
        }
        return allFinite;
    }

    /** Parameter number k. */
    protected final Parameter parameter(int k) {
        return parameters.get(k);
    }

    /**
     * The matrix that {@link #update} writes the new values of parameter number k into, of its
     * shape; it becomes the parameter's value when the step commits. Until written, it holds the
     * value before the last step: write every element of the range, never read it.
     */
    protected final Matrix updated(int k) {
        return BUFFERS.next(parameters.get(k));
    }

    /** The learning rate α of the step in progress. */
    public final double learningRate() {
        return learningRate;
    }

    /** Steps taken so far, including the one in progress: t during step t (counting from 1). */
    public final long count() {
        return count;
    }

    /** Sets the step count t, when a saved state is read back (a checkpoint, {@link OptimizerStateFile}). */
    public final void restoreCount(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("step count must be >= 0, got " + steps);
        }
        this.count = steps;
    }

    /**
     * A rule that updates each element from its value, its gradient and its own state alone, as
     * SGD, momentum, Nesterov, Adagrad and RMSProp do: each rule gives the formula for one element
     * in double ({@link #next}), and the loops over a range are written once here. For float32
     * tensors each of the five rules also writes its formula in float32 arithmetic, as PyTorch
     * computes float32 updates, in a loop of its own that the JIT vectorizes: on the 784-256-10 network's parameters SGD's step
     * fell from 150 to 36 µs, momentum's from 300 to 105 µs ({@code OptimizerStepBenchmark},
     * docs/benchmarks.md), against the double formula rounded to float32, which does not vectorize.
     * A new rule may rely on the generic loop.
     */
    abstract static class Elementwise<R extends Optimizer> extends OptimizerState {
        /** The rule's hyperparameters. */
        final R rule;

        Elementwise(R rule, List<Parameter> parameters) {
            super(rule, parameters);
            this.rule = rule;
        }

        /** The new value of element i of parameter k, from its value θ and gradient g; updates the element's state. */
        abstract double next(int k, int i, double theta, double g);

        @Override
        protected final boolean update(int k, int from, int to) {
            Parameter p = parameter(k);
            Matrix theta = p.value();
            if (theta.precision() == Precision.FLOAT32) {
                return update(k, theta.floats(), p.gradient().floats(), updated(k).floats(), from, to);
            }
            return update(k, theta.doubles(), p.gradient().doubles(), updated(k).doubles(), from, to);
        }

        /**
         * Elements [from, to) of a float32 tensor, by default the rule in double, each result
         * rounded to float32 as stored, with the finiteness check in the same pass: the OR of each result's exponent
         * plus one ulp of exponent, whose sign bit is set only by an exponent of all ones (infinity
         * or NaN). An OR costs one cycle, where a max over the widened values ran at one element per
         * the max's latency (the loop does not vectorize: its arithmetic is in double).
         */
        boolean update(int k, float[] theta, float[] grad, float[] updated, int from, int to) {
            int nonFinite = 0;
            for (int i = from; i < to; i++) {
                float u = (float) next(k, i, theta[i], grad[i]);
                updated[i] = u;
                nonFinite |= (Float.floatToRawIntBits(u) & 0x7f80_0000) + 0x0080_0000;
            }
            return nonFinite >= 0;
        }

        /** Elements [from, to) of a float64 tensor. */
        private boolean update(int k, double[] theta, double[] grad, double[] updated, int from, int to) {
            double largest = 0;
            for (int i = from; i < to; i++) {
                double u = next(k, i, theta[i], grad[i]);
                updated[i] = u;
                largest = Math.max(largest, Math.abs(u));
            }
            return largest <= Double.MAX_VALUE;
        }
    }
}
