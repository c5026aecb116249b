package org.nettricks.selection;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs the trials of a search on a pool of workers and keeps its results file.
 *
 * <p>Reproducibility: trial i's hyperparameters come from {@link Strategy#propose} with the results
 * of trials 0 … i − W (W workers), and its training seed from the search seed and i. A worker about
 * to propose trial i waits until those trials have finished, so the proposals are the same whatever
 * the timing, and a resumed search proposes exactly what an uninterrupted one would.
 */
public final class Search {
    /**
     * @param trials  how many trials in all (finished ones from the results file count)
     * @param workers trials run at once
     * @param results the results file ({@code trials.jsonl}), or null to keep nothing on disk
     */
    public record Options(int trials, int workers, long seed, Path results, boolean prune) {
        public Options {
            if (trials < 1) {
                throw new IllegalArgumentException("trials must be at least 1, got " + trials);
            }
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, got " + workers);
            }
        }
    }

    private Search() {
    }

    /**
     * Runs every trial not yet in the results file; returns all finished trials, by index.
     *
     * @param onFinished called (from a worker thread, one at a time) after each new trial
     */
    public static List<TrialResult> run(Strategy strategy, Objective objective, Options options,
                                        Consumer<TrialResult> onFinished) throws IOException {
        TreeMap<Integer, TrialResult> finished = new TreeMap<>();
        if (options.results() != null) {
            for (TrialResult t : ResultsFile.readAndRepair(options.results())) {
                finished.put(t.index(), t);
            }
        }
        Object lock = new Object();
        int[] next = {0};
        MedianPruner pruner = new MedianPruner(options.prune());
        ExecutorService pool = Executors.newFixedThreadPool(options.workers(), r -> {
            Thread t = new Thread(r, "nettricks-trial");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < options.workers(); w++) {
                futures.add(pool.submit(() -> {
                    while (true) {
                        int index;
                        Map<String, String> values;
                        synchronized (lock) {
                            while (next[0] < options.trials() && finished.containsKey(next[0])) {
                                next[0]++;
                            }
                            if (next[0] >= options.trials()) {
                                return null;
                            }
                            index = next[0]++;
                            int needed = index - options.workers() + 1;
                            while (!allFinishedBelow(finished, needed)) {
                                lock.wait();
                            }
                            List<TrialResult> history = new ArrayList<>(finished.headMap(Math.max(needed, 0)).values());
                            values = strategy.propose(index, history);
                        }
                        TrialResult result = objective.evaluate(index, Strategy.trialSeed(options.seed(), index), values,
                                pruner);
                        synchronized (lock) {
                            finished.put(index, result);
                            if (options.results() != null) {
                                ResultsFile.append(options.results(), result);
                            }
                            onFinished.accept(result);
                            lock.notifyAll();
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new ArrayList<>(finished.values());
    }

    private static boolean allFinishedBelow(TreeMap<Integer, TrialResult> finished, int limit) {
        for (int i = 0; i < limit; i++) {
            if (!finished.containsKey(i)) {
                return false;
            }
        }
        return true;
    }

    /** The trials ranked by validation error (ties by index). */
    public static List<TrialResult> ranked(List<TrialResult> trials) {
        List<TrialResult> out = new ArrayList<>(trials);
        out.sort(Comparator.comparingDouble(TrialResult::objective).thenComparingInt(TrialResult::index));
        return out;
    }

    /** The best {@link TrialResult#objective()} among trials 0 … n−1, for each n: the best-so-far curve. */
    public static double[] bestSoFar(List<TrialResult> trials, int n) {
        TreeMap<Integer, TrialResult> byIndex = new TreeMap<>();
        for (TrialResult t : trials) {
            byIndex.put(t.index(), t);
        }
        double[] curve = new double[n];
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            TrialResult t = byIndex.get(i);
            if (t != null) {
                best = Math.min(best, t.objective());
            }
            curve[i] = best;
        }
        return curve;
    }
}
