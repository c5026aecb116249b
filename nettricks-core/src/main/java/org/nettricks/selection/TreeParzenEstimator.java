package org.nettricks.selection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Sequential model-based optimization with the Tree-structured Parzen Estimator (Bergstra et al.
 * 2011; as in Hyperopt and Optuna's independent sampler).
 * <pre>
 * split the finished trials at the γ-quantile of the validation error: the best ⌈γ n⌉ are "good"
 * per hyperparameter, l(x) = Parzen density of the good values, g(x) = of the others
 *   (Gaussian kernels in [0, 1] — the log scale for log-uniform — plus a flat prior component;
 *    for categorical values, smoothed counts)
 * draw {@value #CANDIDATES} candidates from l and propose the one maximizing l(x) / g(x)
 * </pre>
 * The first {@value #STARTUP} trials are random. γ = {@value #GAMMA}. Each hyperparameter is
 * chosen independently.
 */
public record TreeParzenEstimator(List<Dimension> dimensions, long seed) implements Strategy {
    public static final int STARTUP = 10;
    public static final int CANDIDATES = 24;
    public static final double GAMMA = 0.25;

    @Override
    public String name() {
        return "tpe";
    }

    @Override
    public Map<String, String> propose(int index, List<TrialResult> history) {
        SplittableRandom random = Strategy.trialRandom(seed, index);
        if (history.size() < STARTUP) {
            return new RandomSearch(dimensions, seed).propose(index, history);
        }
        List<TrialResult> sorted = new ArrayList<>(history);
        sorted.sort(Comparator.comparingDouble(TrialResult::objective).thenComparingInt(TrialResult::index));
        int nGood = Math.max(1, (int) Math.ceil(GAMMA * sorted.size()));
        List<TrialResult> good = sorted.subList(0, nGood);
        List<TrialResult> bad = sorted.subList(nGood, sorted.size());
        Map<String, String> values = new LinkedHashMap<>();
        for (Dimension d : dimensions) {
            if (d instanceof Dimension.Numeric n) {
                values.put(d.key(), n.fromUnit(numeric(n, good, bad, random)));
            } else {
                List<String> options = ((Dimension.Values) d).values();
                values.put(d.key(), categorical(d.key(), options, good, bad, random));
            }
        }
        return values;
    }

    /** A Parzen estimator on [0, 1]: kernels at the points plus a flat prior of weight 1/(n + 1). */
    private record Parzen(double[] centers, double[] widths) {
        static Parzen of(List<Double> points) {
            double[] c = points.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double[] w = new double[c.length];
            double minWidth = 1.0 / Math.min(100, c.length + 1);
            for (int i = 0; i < c.length; i++) {
                double left = i > 0 ? c[i] - c[i - 1] : c[i];
                double right = i < c.length - 1 ? c[i + 1] - c[i] : 1 - c[i];
                w[i] = Math.min(1.0, Math.max(minWidth, Math.max(left, right)));
            }
            return new Parzen(c, w);
        }

        double density(double x) {
            double prior = 1.0 / (centers.length + 1);
            double sum = prior; // the flat component over [0, 1]
            for (int i = 0; i < centers.length; i++) {
                sum += (1 - prior) / centers.length * truncatedGaussian(x, centers[i], widths[i]);
            }
            return sum;
        }

        double sample(SplittableRandom random) {
            double prior = 1.0 / (centers.length + 1);
            if (centers.length == 0 || random.nextDouble() < prior) {
                return random.nextDouble();
            }
            int i = random.nextInt(centers.length);
            for (int attempt = 0; attempt < 100; attempt++) {
                double x = centers[i] + widths[i] * random.nextGaussian();
                if (x >= 0 && x < 1) {
                    return x;
                }
            }
            return Math.min(Math.max(centers[i], 0), Math.nextDown(1.0));
        }

        private static double truncatedGaussian(double x, double mu, double sigma) {
            double z = (x - mu) / sigma;
            double mass = phi((1 - mu) / sigma) - phi(-mu / sigma);
            return Math.exp(-0.5 * z * z) / (sigma * Math.sqrt(2 * Math.PI)) / Math.max(mass, 1e-12);
        }

        /** Standard normal CDF (Abramowitz–Stegun 7.1.26 through erf). */
        private static double phi(double z) {
            double t = 1 / (1 + 0.3275911 * Math.abs(z) / Math.sqrt(2));
            double erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                    + t * 1.061405429)))) * Math.exp(-z * z / 2);
            return 0.5 * (1 + Math.signum(z) * erf);
        }
    }

    private static double numeric(Dimension.Numeric d, List<TrialResult> good, List<TrialResult> bad,
                                  SplittableRandom random) {
        Parzen l = Parzen.of(good.stream().map(t -> d.toUnit(t.values().get(d.key()))).toList());
        Parzen g = Parzen.of(bad.stream().map(t -> d.toUnit(t.values().get(d.key()))).toList());
        double best = Double.NaN;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CANDIDATES; c++) {
            double x = l.sample(random);
            double score = Math.log(l.density(x)) - Math.log(g.density(x));
            if (score > bestScore) {
                bestScore = score;
                best = x;
            }
        }
        return best;
    }

    private static String categorical(String key, List<String> options, List<TrialResult> good, List<TrialResult> bad,
                                      SplittableRandom random) {
        double[] l = counts(key, options, good);
        double[] g = counts(key, options, bad);
        String best = options.get(0);
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < CANDIDATES; c++) {
            int i = draw(l, random);
            double score = Math.log(l[i]) - Math.log(g[i]);
            if (score > bestScore) {
                bestScore = score;
                best = options.get(i);
            }
        }
        return best;
    }

    /** Smoothed frequencies: each option starts with weight 1 (a uniform prior). */
    private static double[] counts(String key, List<String> options, List<TrialResult> trials) {
        double[] w = new double[options.size()];
        java.util.Arrays.fill(w, 1.0);
        for (TrialResult t : trials) {
            int i = options.indexOf(t.values().get(key));
            if (i >= 0) {
                w[i] += 1;
            }
        }
        double sum = java.util.Arrays.stream(w).sum();
        for (int i = 0; i < w.length; i++) {
            w[i] /= sum;
        }
        return w;
    }

    private static int draw(double[] p, SplittableRandom random) {
        double u = random.nextDouble();
        for (int i = 0; i < p.length; i++) {
            u -= p[i];
            if (u < 0) {
                return i;
            }
        }
        return p.length - 1;
    }
}
