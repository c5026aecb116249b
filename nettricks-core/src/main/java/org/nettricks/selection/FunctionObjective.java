package org.nettricks.selection;

import java.util.Map;

/** A search over a test function: the "validation error" of a trial is f at its values. */
public record FunctionObjective(TestFunctions.Function function) implements Objective {
    @Override
    public TrialResult evaluate(int index, long seed, Map<String, String> values, MedianPruner pruning) {
        double f = function.evaluate(values);
        return new TrialResult(index, seed, values, "ok", 0, f, f, 0, 0);
    }
}
