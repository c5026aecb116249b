package org.nettricks.optim;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.nettricks.layers.Parameter;
import org.nettricks.tensor.Matrix;

/**
 * The mutable part of an optimizer: the number of steps taken and, per parameter, any number of
 * slot tensors of the parameter's shape (e.g. a velocity, or first and second moments).
 */
public final class OptimizerState {
    private final List<List<Matrix>> slots;
    private long steps;

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
