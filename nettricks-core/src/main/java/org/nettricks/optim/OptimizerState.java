package org.nettricks.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Backend;
import org.nettricks.tensor.Matrix;

/**
 * The mutable part of an optimizer: the number of steps taken and, per parameter, any number of
 * slot tensors of the parameter's shape (e.g. a velocity, or first and second moments).
 *
 * <p>It also says where updates run: {@link #apply} splits every parameter into contiguous ranges,
 * one per thread of the backend given to {@link #runOn} (one thread by default). Each element's new
 * value depends on that element alone, so the result does not depend on the thread count.
 */
public final class OptimizerState {
    /** Tensors smaller than this are updated by one thread: splitting them costs more than it saves. */
    static final int MIN_SPLIT = 1 << 14;
    /** Range boundaries fall on multiples of this many elements (cache lines, vector loops). */
    private static final int ALIGN = 64;

    private final List<List<Matrix>> slots;
    private long steps;
    private Backend backend;
    private double[] largest = new double[1];
    private final double[] constants = new double[8];
    /** The step in progress (set by {@link #apply} for its parts). */
    private List<Parameter> parameters;
    private double learningRate;
    private RangeUpdate update;
    private final java.util.function.IntConsumer part = this::part;

    /**
     * An elementwise update of the elements [from, to) of parameter number k: writes their new
     * values into {@link Parameter#next()} and returns the largest |new value| among them (NaN if
     * one is NaN, infinity if one is infinite). It reads the step's parameters, learning rate and
     * constants from the state, so that rules are written as lambdas that capture nothing (made
     * once, not at every step).
     */
    @FunctionalInterface
    public interface RangeUpdate {
        double apply(OptimizerState state, int k, int from, int to);
    }

    /** State with {@code slotsPerParameter} zero tensors for each parameter. */
    public OptimizerState(List<Parameter> parameters, int slotsPerParameter) {
        List<List<Matrix>> all = new ArrayList<>(parameters.size());
        for (Parameter p : parameters) {
            List<Matrix> mine = new ArrayList<>(slotsPerParameter);
            for (int s = 0; s < slotsPerParameter; s++) {
                Matrix v = p.value();
                mine.add(Matrix.zeros(v.rows(), v.cols(), v.precision()));
            }
            all.add(Collections.unmodifiableList(mine));
        }
        this.slots = Collections.unmodifiableList(all);
    }

    /** Runs the updates of {@link #apply} on {@code backend}'s threads; returns this state. */
    public OptimizerState runOn(Backend backend) {
        this.backend = backend;
        this.largest = new double[backend.threads()];
        return this;
    }

    /**
     * One pass of {@code update} over every parameter, the elements split across the threads (a
     * single parallel region), then commits every parameter. Allocates nothing.
     *
     * @return true when every updated value is finite (checked in the same pass)
     */
    public boolean apply(List<Parameter> parameters, double learningRate, RangeUpdate update) {
        int parts = largest.length;
        for (int k = 0; k < parameters.size(); k++) {
            parameters.get(k).next(); // allocated here on the first step, not lazily by two threads at once
        }
        this.parameters = parameters;
        this.learningRate = learningRate;
        this.update = update;
        try {
            if (parts == 1) {
                largest[0] = range(0, 1);
            } else {
                backend.parallel(parts, part);
            }
        } finally {
            this.parameters = null;
            this.update = null;
        }
        for (int k = 0; k < parameters.size(); k++) {
            parameters.get(k).commit();
        }
        for (double v : largest) {
            if (!(v <= Double.MAX_VALUE)) {
                return false;
            }
        }
        return true;
    }

    private void part(int w) {
        largest[w] = range(w, largest.length);
    }

    /** Part w of {@code parts}: its range of every parameter (small parameters: all to part 0). */
    private double range(int w, int parts) {
        double worst = 0;
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
                double m = update.apply(this, k, from, to);
                worst = m > worst || m != m ? m : worst;
            }
        }
        return worst;
    }

    /** Parameter number k of the step in progress (for a {@link RangeUpdate}). */
    public Parameter parameter(int k) {
        return parameters.get(k);
    }

    /** The learning rate of the step in progress. */
    public double learningRate() {
        return learningRate;
    }

    /** Sets constant number i (0 … 7) of the steps to come: a rule's hyperparameters and per-step factors. */
    public OptimizerState constant(int i, double value) {
        constants[i] = value;
        return this;
    }

    /** Constant number i, as last set. */
    public double constant(int i) {
        return constants[i];
    }

    /** Steps taken so far, including the one in progress: t during step t (counting from 1). */
    public long steps() {
        return steps;
    }

    /** Records that one more step was taken. */
    public void advance() {
        steps++;
    }

    /** Slot {@code slot} of parameter number {@code parameter}. */
    public Matrix slot(int parameter, int slot) {
        return slots.get(parameter).get(slot);
    }
}
