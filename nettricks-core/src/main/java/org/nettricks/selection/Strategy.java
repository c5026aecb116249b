package org.nettricks.selection;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How trials are chosen. A proposal depends only on the trial's index, the search seed and the
 * results of earlier trials it is given, so a search is reproducible and can resume.
 */
public sealed interface Strategy permits Strategy.GridSearch, Strategy.RandomSearch, TreeParzenEstimator {

    /** The values of trial {@code index}, given finished results (of trials before it). */
    Map<String, String> propose(int index, List<TrialResult> history);

    /** The name used on the command line. */
    String name();

    /** The generator of trial {@code index}: the search seed and the index, mixed. */
    static SplittableRandom trialRandom(long seed, int index) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL);
    }

    /** The seed of trial {@code index}'s training run. */
    static long trialSeed(long seed, int index) {
        return trialRandom(seed, index).split().nextLong() & Long.MAX_VALUE;
    }

    /** Grid search: every combination of the grid values, in file order (the last key varies fastest). */
    record GridSearch(List<Dimension> dimensions) implements Strategy {
        public GridSearch {
            for (Dimension d : dimensions) {
                if (!(d instanceof Dimension.Values v && v.grid())) {
                    throw new IllegalArgumentException("grid search needs a list of values for every searched key; "
                            + d.key() + " is " + d.describe() + "; use `strategy` random or tpe, or grid(...) values");
                }
            }
        }

        /** The number of combinations: the product of the grids' sizes. */
        public int size() {
            int n = 1;
            for (Dimension d : dimensions) {
                n = Math.multiplyExact(n, ((Dimension.Values) d).values().size());
            }
            return n;
        }

        @Override
        public Map<String, String> propose(int index, List<TrialResult> history) {
            Map<String, String> values = new LinkedHashMap<>();
            int rest = index;
            int[] digits = new int[dimensions.size()];
            for (int k = dimensions.size() - 1; k >= 0; k--) {
                List<String> v = ((Dimension.Values) dimensions.get(k)).values();
                digits[k] = rest % v.size();
                rest /= v.size();
            }
            for (int k = 0; k < dimensions.size(); k++) {
                values.put(dimensions.get(k).key(), ((Dimension.Values) dimensions.get(k)).values().get(digits[k]));
            }
            return values;
        }

        @Override
        public String name() {
            return "grid";
        }
    }

    /**
     * Random search (Bergstra &amp; Bengio 2012): every hyperparameter drawn independently from its
     * distribution (a grid's values uniformly), from the trial's own generator.
     */
    record RandomSearch(List<Dimension> dimensions, long seed) implements Strategy {
        @Override
        public Map<String, String> propose(int index, List<TrialResult> history) {
            SplittableRandom random = trialRandom(seed, index);
            Map<String, String> values = new LinkedHashMap<>();
            for (Dimension d : dimensions) {
                values.put(d.key(), d.sample(random));
            }
            return values;
        }

        @Override
        public String name() {
            return "random";
        }
    }
}
