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

import org.nettricks.InvalidInputException;

/**
 * Runs the trials of a search on a pool of workers and keeps its results file.
 *
 * <p>Reproducibility: trial i's hyperparameters come from {@link Strategy#propose} with the results
 * of trials 0 … i − W (W workers), and its training seed from the search seed and i. A worker about
 * to propose trial i waits until those trials have finished, so the proposals are the same whatever
 * the timing, and a resumed search proposes exactly what an uninterrupted one would. Pruning is
 * decided the same way: trial i is compared with the per-epoch curves of trials 0 … i − W, which
 * the results file keeps, so a resumed search prunes exactly the trials an uninterrupted one would.
 * The results depend on W (for TPE and with pruning), not on the order in which workers finish.
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
     * <p>Trial i is proposed from, and pruned against, trials 0 … i − W only (W workers): the
     * trials certainly finished before it whatever the timing. Results depend on W, not on which
     * worker is faster; resuming with another W gives another search for {@link TreeParzenEstimator}
     * or with pruning (the proposals of grid and random search do not depend on W).
     *
     * <p>When a trial fails (a write error, bad data), no new trial starts; the trials running
     * finish and are written, then the first failure is thrown.
     *
     * @param onFinished called (from a worker thread, one at a time) after each new trial
     * @throws IOException           when the results file cannot be read or written (the message
     *                               names the file and the operating system's reason), or a trial
     *                               could not write its files
     * @throws InvalidInputException when the results file is damaged or belongs to another search
     *                               (see {@link #finishedTrials})
     */
    public static List<TrialResult> run(Strategy strategy, Objective objective, Options options,
                                        Consumer<TrialResult> onFinished) throws IOException {
        TreeMap<Integer, TrialResult> finished = new TreeMap<>();
        if (options.results() != null) {
            for (TrialResult t : checked(strategy, options, ResultsFile.entries(options.results(), true))) {
                finished.put(t.index(), t);
            }
        }
        Object lock = new Object();
        int[] next = {0};
        Throwable[] failure = {null};
        ExecutorService pool = Executors.newFixedThreadPool(options.workers(), r -> {
            Thread t = new Thread(r, "nettricks-trial");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < options.workers(); w++) {
                futures.add(pool.submit(() -> {
                    try {
                        while (true) {
                            int index;
                            Map<String, String> values;
                            MedianPruner pruner;
                            synchronized (lock) {
                                while (next[0] < options.trials() && finished.containsKey(next[0])) {
                                    next[0]++;
                                }
                                if (next[0] >= options.trials() || failure[0] != null) {
                                    return null;
                                }
                                index = next[0]++;
                                int needed = index - options.workers() + 1;
                                while (failure[0] == null && !allFinishedBelow(finished, needed)) {
                                    lock.wait();
                                }
                                if (failure[0] != null) {
                                    return null;
                                }
                                List<TrialResult> history = new ArrayList<>(finished.headMap(Math.max(needed, 0))
                                        .values());
                                values = strategy.propose(index, history);
                                pruner = MedianPruner.of(options.prune(), history);
                            }
                            TrialResult result = objective.evaluate(index, Strategy.trialSeed(options.seed(), index),
                                    values, pruner);
                            synchronized (lock) {
                                if (options.results() != null) {
                                    ResultsFile.append(options.results(), result);
                                }
                                finished.put(index, result);
                                objective.recorded(index);
                                onFinished.accept(result);
                                lock.notifyAll();
                            }
                        }
                    } catch (Throwable e) {
                        synchronized (lock) {
                            if (failure[0] == null) {
                                failure[0] = e;
                            }
                            lock.notifyAll();
                        }
                        throw e;
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
                    // reported below: the first failure, once every worker has stopped
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Throwable first = failure[0];
        if (first instanceof java.io.UncheckedIOException u) {
            throw u.getCause();
        }
        if (first instanceof IOException io) {
            throw io;
        }
        if (first instanceof RuntimeException re) {
            throw re;
        }
        if (first instanceof Error error) {
            throw error;
        }
        if (first != null) {
            throw new IllegalStateException(first);
        }
        return new ArrayList<>(finished.values());
    }

    /**
     * The trials of the results file, read without changing it, after checking that they belong
     * to this search: each trial's seed is the one the search seed gives it, and its values are what
     * the strategy proposes for it from trials 0 … i − W (checked where those are all in the file;
     * a line deleted by hand only makes its trial run again).
     *
     * @return the finished trials, by index (empty when the file does not exist or is null)
     * @throws InvalidInputException naming the file and line of the first trial that is damaged or
     *                               does not belong to this search
     * @throws IOException           when the file cannot be read
     */
    public static List<TrialResult> finishedTrials(Strategy strategy, Options options) throws IOException {
        if (options.results() == null) {
            return List.of();
        }
        return checked(strategy, options, ResultsFile.entries(options.results(), false));
    }

    private static List<TrialResult> checked(Strategy strategy, Options options, List<ResultsFile.Entry> entries) {
        TreeMap<Integer, ResultsFile.Entry> byIndex = new TreeMap<>();
        for (ResultsFile.Entry e : entries) {
            byIndex.put(e.trial().index(), e);
        }
        TreeMap<Integer, TrialResult> trials = new TreeMap<>();
        int complete = 0; // trials 0 … complete − 1 are all in the file
        while (byIndex.containsKey(complete)) {
            complete++;
        }
        for (ResultsFile.Entry e : byIndex.values()) {
            TrialResult t = e.trial();
            String at = options.results() + " line " + e.line() + ": trial " + t.index();
            long seed = Strategy.trialSeed(options.seed(), t.index());
            if (t.seed() != seed) {
                throw new InvalidInputException(at + " has seed " + t.seed() + ", but search seed " + options.seed()
                        + " gives it " + seed + "; the line was edited, or the file belongs to another search: restore"
                        + " it, or use another results directory");
            }
            int needed = Math.max(0, t.index() - options.workers() + 1);
            if (needed <= complete) {
                List<TrialResult> history = new ArrayList<>();
                for (int i = 0; i < needed; i++) {
                    history.add(byIndex.get(i).trial());
                }
                Map<String, String> proposed = strategy.propose(t.index(), history);
                if (!proposed.equals(t.values())) {
                    // only TPE learns its proposals from earlier trials, so only there do the workers matter
                    boolean learns = strategy instanceof TreeParzenEstimator;
                    throw new InvalidInputException(at + " has values " + t.values() + ", but this search ("
                            + strategy.name() + ", seed " + options.seed() + (learns ? ", " + options.workers()
                            + " worker(s)" : "") + ") proposes " + proposed + "; the line was edited, or the file"
                            + " belongs to another search" + (learns ? " or number of workers" : "") + ": restore it,"
                            + " or use another results directory");
                }
            }
            trials.put(t.index(), t);
        }
        return new ArrayList<>(trials.values());
    }

    private static boolean allFinishedBelow(TreeMap<Integer, TrialResult> finished, int limit) {
        for (int i = 0; i < limit; i++) {
            if (!finished.containsKey(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The ranking order: by {@link TrialResult#objective()} (the monitored figure in its direction,
     * the validation error by default; the worst when it is not a number), ties broken by the lower
     * trial number, so the order never depends on timing.
     */
    public static final Comparator<TrialResult> RANKING = Comparator.comparingDouble(TrialResult::objective)
            .thenComparingInt(TrialResult::index);

    /** The trials in {@link #RANKING} order: the first is the one selected. */
    public static List<TrialResult> ranked(List<TrialResult> trials) {
        List<TrialResult> out = new ArrayList<>(trials);
        out.sort(RANKING);
        return out;
    }

    /**
     * The best figure among trials 0 … n−1, for each n: the best-so-far curve, in the monitored
     * metric's units ({@link TrialResult#objective()} for the validation error, as always; for
     * another metric its figure, the largest for a metric to maximize; NaN before any figure).
     */
    public static double[] bestSoFar(List<TrialResult> trials, int n) {
        TreeMap<Integer, TrialResult> byIndex = new TreeMap<>();
        for (TrialResult t : trials) {
            byIndex.put(t.index(), t);
        }
        double[] curve = new double[n];
        double best = Double.POSITIVE_INFINITY;
        TrialResult bestTrial = null;
        for (int i = 0; i < n; i++) {
            TrialResult t = byIndex.get(i);
            if (t != null) {
                if (t.objective() < best) {
                    bestTrial = t;
                }
                best = Math.min(best, t.objective());
            }
            curve[i] = bestTrial == null || bestTrial.metric().isError() ? best
                    : bestTrial.hasFigure() ? bestTrial.monitored() : Double.NaN;
        }
        return curve;
    }
}
