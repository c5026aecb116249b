package org.nettricks.tensor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Workspaces kept per batch size (a training run sees two or three sizes: the batch, the last
 * partial batch, the evaluation batch), made on first use by {@code factory} and found again
 * without allocating: a linear search over an int array, no boxed keys.
 */
public final class PerBatchSize<T> {
    private final IntFunction<T> factory;
    private int[] sizes = new int[0];
    private final List<T> values = new ArrayList<>();

    public PerBatchSize(IntFunction<T> factory) {
        this.factory = factory;
    }

    /** The workspace for batches of {@code rows} rows, made now if there is none yet. */
    public T get(int rows) {
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] == rows) {
                return values.get(i);
            }
        }
        T made = factory.apply(rows);
        sizes = java.util.Arrays.copyOf(sizes, sizes.length + 1);
        sizes[sizes.length - 1] = rows;
        values.add(made);
        return made;
    }
}
