package org.nettricks.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class StrategyTest {
    private static final List<Dimension> GRID = List.of(Dimension.grid("a", List.of("1", "2", "3")),
            Dimension.grid("b", List.of("x", "y")), Dimension.grid("c", List.of("p", "q", "r", "s")));

    @Test
    void gridEnumeratesExactlyTheProduct() {
        Strategy.GridSearch grid = new Strategy.GridSearch(GRID);
        assertEquals(24, grid.size());
        Set<Map<String, String>> seen = new HashSet<>();
        for (int i = 0; i < grid.size(); i++) {
            seen.add(grid.propose(i, List.of()));
        }
        Set<Map<String, String>> product = new HashSet<>();
        for (String a : List.of("1", "2", "3")) {
            for (String b : List.of("x", "y")) {
                for (String c : List.of("p", "q", "r", "s")) {
                    product.add(Map.of("a", a, "b", b, "c", c));
                }
            }
        }
        assertEquals(product, seen);
        assertThrows(IllegalArgumentException.class, () -> new Strategy.GridSearch(List.of(
                new Dimension.Numeric("lr", Dimension.Numeric.Kind.UNIFORM, 0, 1))));
    }

    /** Kolmogorov–Smirnov statistic of samples against the uniform distribution on [0, 1]. */
    private static double ks(double[] u) {
        double[] s = u.clone();
        Arrays.sort(s);
        double d = 0;
        for (int i = 0; i < s.length; i++) {
            d = Math.max(d, Math.max((i + 1.0) / s.length - s[i], s[i] - (double) i / s.length));
        }
        return d;
    }

    @Test
    void randomSamplesMatchTheirDistributions() {
        Dimension.Numeric uniform = new Dimension.Numeric("u", Dimension.Numeric.Kind.UNIFORM, -2, 3);
        Dimension.Numeric log = new Dimension.Numeric("l", Dimension.Numeric.Kind.LOG_UNIFORM, 1e-4, 1e-1);
        Dimension.Numeric integer = new Dimension.Numeric("i", Dimension.Numeric.Kind.INTEGER, 2, 6);
        Dimension choice = Dimension.choice("c", List.of("a", "b", "c"));
        Strategy.RandomSearch random = new Strategy.RandomSearch(List.of(uniform, log, integer, choice), 11);
        int n = 3000;
        double[] us = new double[n];
        double[] logs = new double[n];
        int[] ints = new int[5];
        int[] choices = new int[3];
        for (int t = 0; t < n; t++) {
            Map<String, String> v = random.propose(t, List.of());
            us[t] = (Double.parseDouble(v.get("u")) + 2) / 5;
            logs[t] = (Math.log10(Double.parseDouble(v.get("l"))) + 4) / 3; // uniform on the log scale
            ints[Integer.parseInt(v.get("i")) - 2]++;
            choices["abc".indexOf(v.get("c"))]++;
        }
        // KS critical value at α = 0.01: 1.63 / √n ≈ 0.0298
        assertTrue(ks(us) < 1.63 / Math.sqrt(n), "uniform KS " + ks(us));
        assertTrue(ks(logs) < 1.63 / Math.sqrt(n), "log-uniform KS " + ks(logs));
        // χ² critical values at α = 0.01: 13.28 (4 degrees of freedom), 9.21 (2)
        assertTrue(chiSquare(ints, n) < 13.28, "int χ² " + chiSquare(ints, n));
        assertTrue(chiSquare(choices, n) < 9.21, "choice χ² " + chiSquare(choices, n));
    }

    private static double chiSquare(int[] counts, int n) {
        double expected = (double) n / counts.length;
        double chi = 0;
        for (int c : counts) {
            chi += (c - expected) * (c - expected) / expected;
        }
        return chi;
    }

    @Test
    void theSameSeedGivesTheSameTrials() throws IOException {
        TestFunctions.Function f = TestFunctions.hartmann6();
        for (int workers : new int[] {1, 2}) {
            List<List<Map<String, String>>> runs = new ArrayList<>();
            for (int run = 0; run < 2; run++) {
                List<TrialResult> r = Search.run(new TreeParzenEstimator(f.dimensions(), 5), new FunctionObjective(f),
                        new Search.Options(25, workers, 5, null, false), t -> { });
                runs.add(r.stream().map(TrialResult::values).toList());
            }
            assertEquals(runs.get(0), runs.get(1), workers + " workers");
        }
        List<TrialResult> other = Search.run(new Strategy.RandomSearch(f.dimensions(), 6), new FunctionObjective(f),
                new Search.Options(3, 1, 6, null, false), t -> { });
        List<TrialResult> same = Search.run(new Strategy.RandomSearch(f.dimensions(), 5), new FunctionObjective(f),
                new Search.Options(3, 1, 5, null, false), t -> { });
        assertNotEquals(other.get(0).values(), same.get(0).values());
    }

    @Test
    void treeParzenBeatsRandomSearchOnBraninAndHartmann6() throws IOException {
        for (TestFunctions.Function f : List.of(TestFunctions.branin(), TestFunctions.hartmann6())) {
            double[] randomMean = new double[30];
            double[] tpeMean = new double[30];
            for (long seed = 1; seed <= 5; seed++) {
                double[] r = Search.bestSoFar(Search.run(new Strategy.RandomSearch(f.dimensions(), seed),
                        new FunctionObjective(f), new Search.Options(30, 1, seed, null, false), t -> { }), 30);
                double[] t = Search.bestSoFar(Search.run(new TreeParzenEstimator(f.dimensions(), seed),
                        new FunctionObjective(f), new Search.Options(30, 1, seed, null, false), x -> { }), 30);
                for (int i = 0; i < 30; i++) {
                    randomMean[i] += r[i] / 5;
                    tpeMean[i] += t[i] / 5;
                }
            }
            assertTrue(tpeMean[19] < randomMean[19], f.name() + " N=20: tpe " + tpeMean[19] + " random " + randomMean[19]);
            assertTrue(tpeMean[29] < randomMean[29], f.name() + " N=30: tpe " + tpeMean[29] + " random " + randomMean[29]);
        }
    }

    @Test
    void testFunctionsHaveTheirKnownMinima() {
        assertEquals(0.397887, TestFunctions.branin().evaluate(Map.of("x1", String.valueOf(Math.PI), "x2", "2.275")),
                1e-6);
        assertEquals(-3.32237, TestFunctions.hartmann6().evaluate(Map.of("x1", "0.20169", "x2", "0.150011", "x3",
                "0.476874", "x4", "0.275332", "x5", "0.311652", "x6", "0.6573")), 1e-5);
    }
}
