package org.nettricks.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nettricks.layers.Parameter;
import org.nettricks.layers.internal.ParameterAccess;
import org.nettricks.tensor.JavaBackend;
import org.nettricks.tensor.Matrix;
import org.nettricks.tensor.Precision;

/**
 * Optimizer steps split over threads: the same values as one thread, bit for bit, for every rule
 * and both precisions (each element's update depends on that element alone); the finiteness check
 * folded into the update pass sees NaN and infinity anywhere, including a float32 overflow of a
 * finite double result, and the range split covers every element exactly once.
 */
class ParallelUpdateTest {
    private static final List<Optimizer> RULES = List.of(new Sgd(), new Momentum(0.9), new Nesterov(0.9),
            new Adagrad(1e-8), new RmsProp(0.9, 1e-8), new Adam(0.9, 0.999, 1e-8));

    /**
     * Sizes that exercise the split: tiny (one thread), just above the split limit, odd lengths, and
     * in all more than {@link OptimizerState#PARALLEL_MIN_ELEMENTS}, so that the step is split at all.
     */
    private static List<Parameter> parameters(Precision precision, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Parameter> ps = new ArrayList<>();
        int[][] shapes = {{1, 10}, {300, 97}, {1, OptimizerState.MIN_SPLIT + 1}, {129, 257},
            {(int) (OptimizerState.PARALLEL_MIN_ELEMENTS / 1021) + 1, 1021}};
        for (int[] s : shapes) {
            Matrix v = Matrix.zeros(s[0], s[1], precision);
            Parameter p = new Parameter("p" + ps.size(), Parameter.Role.WEIGHT, v);
            for (int i = 0; i < v.size(); i++) {
                v.setFlat(i, r.nextDouble(-1, 1));
            }
            ps.add(p);
        }
        return ps;
    }

    private static void gradients(List<Parameter> ps, SplittableRandom r) {
        for (Parameter p : ps) {
            for (int i = 0; i < p.gradient().size(); i++) {
                // of one sign and away from 0: every element moves at every step, so that an element
                // left unchanged can only be one that no range covered
                p.gradient().setFlat(i, r.nextDouble(0.5, 1.5));
            }
        }
    }

    private static List<double[]> run(Optimizer rule, Precision precision, int threads) {
        List<Parameter> ps = parameters(precision, 7);
        try (JavaBackend backend = new JavaBackend(threads)) {
            OptimizerState state = rule.createState(ps).runOn(backend);
            SplittableRandom r = new SplittableRandom(11);
            for (int t = 0; t < 4; t++) {
                gradients(ps, r);
                assertTrue(rule.step(ps, state, 0.01), rule.name());
            }
        }
        List<double[]> out = new ArrayList<>();
        for (Parameter p : ps) {
            double[] v = new double[p.value().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = p.value().getFlat(i);
            }
            out.add(v);
        }
        return out;
    }

    @Test
    void threeThreadsGiveTheValuesOfOneForEveryRuleAndPrecision() {
        for (Precision precision : Precision.values()) {
            for (Optimizer rule : RULES) {
                List<double[]> one = run(rule, precision, 1);
                List<double[]> three = run(rule, precision, 3);
                List<double[]> untouched = new ArrayList<>();
                for (Parameter p : parameters(precision, 7)) {
                    double[] v = new double[p.value().size()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = p.value().getFlat(i);
                    }
                    untouched.add(v);
                }
                for (int k = 0; k < one.size(); k++) {
                    assertArrayEquals(one.get(k), three.get(k), 0.0, rule.name() + " " + precision + " p" + k);
                    // every element was updated (the ranges cover each tensor)
                    for (int i = 0; i < one.get(k).length; i++) {
                        if (one.get(k)[i] == untouched.get(k)[i]) {
                            throw new AssertionError(rule.name() + " left p" + k + "[" + i + "] unchanged");
                        }
                    }
                }
            }
        }
    }

    @Test
    void aNonFiniteUpdateAnywhereIsReportedAndCanBeReverted() {
        for (Precision precision : Precision.values()) {
            for (Optimizer rule : RULES) {
                for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
                    List<Parameter> ps = parameters(precision, 3);
                    try (JavaBackend backend = new JavaBackend(2)) {
                        OptimizerState state = rule.createState(ps).runOn(backend);
                        gradients(ps, new SplittableRandom(5));
                        Parameter last = ps.get(ps.size() - 1);
                        int where = last.gradient().size() - 3; // in the second thread's range
                        last.gradient().setFlat(where, bad);
                        double before = last.value().getFlat(0);
                        boolean reported = rule.step(ps, state, 0.01);
                        // plain SGD on float32 leaves the check to the training loop's guard
                        // (DeferredFinitenessCheckTest); every other rule reports it
                        boolean unchecked = rule instanceof Sgd && precision == Precision.FLOAT32;
                        assertEquals(unchecked, reported, rule.name() + " " + precision + " " + bad);
                        if (unchecked) {
                            assertTrue(Double.isNaN(last.value().getFlat(where)) || Double.isInfinite(
                                    last.value().getFlat(where)), "the non-finite value is written");
                        }
                        assertTrue(ParameterAccess.get().revert(last));
                        assertEquals(before, last.value().getFlat(0), 0.0);
                    }
                }
            }
        }
    }

    @Test
    void aFloat32OverflowOfAFiniteResultIsNotFinite() {
        Parameter p = new Parameter("w", Parameter.Role.WEIGHT, Matrix.of(Precision.FLOAT32, 1, 2, 3e38, 0.0));
        p.gradient().setFlat(0, -3e38); // θ − α∇ = 3e38 + 3e38 > Float.MAX_VALUE
        Optimizer rule = new Momentum(0); // SGD's arithmetic through the checked per-element pass
        OptimizerState state = rule.createState(List.of(p));
        assertFalse(rule.step(List.of(p), state, 1.0));
    }

    /** A step over fewer than PARALLEL_MIN_ELEMENTS elements runs on the calling thread alone. */
    @Test
    void aSmallStepRunsOnTheCallingThread() {
        Parameter p = new Parameter("w", Parameter.Role.WEIGHT, Matrix.zeros(256, 784, Precision.FLOAT32));
        java.util.Set<Thread> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Optimizer recording = new Optimizer() {
            @Override
            public OptimizerState createState(List<Parameter> parameters) {
                return new OptimizerState(this, parameters) {
                    @Override
                    public java.util.Map<String, Matrix[]> tensors() {
                        return java.util.Map.of();
                    }

                    @Override
                    protected boolean update(int k, int from, int to) {
                        threads.add(Thread.currentThread());
                        return true;
                    }
                };
            }

            @Override
            public String name() {
                return "recording";
            }
        };
        try (JavaBackend backend = new JavaBackend(2)) {
            OptimizerState state = recording.createState(List.of(p)).runOn(backend);
            recording.step(List.of(p), state, 0.1);
        }
        assertEquals(java.util.Set.of(Thread.currentThread()), threads);
    }
}
