#!/usr/bin/python3
"""scikit-learn's MLPRegressor peer of NetTricks' regression (issue 17), and the data it runs on.

Run with /usr/bin/python3 (Debian's python3-sklearn 1.2, numpy). scripts/regression-vs-sklearn.sh
drives it; docs/runs/regression/README.md says what it does and why. Subcommands:

  export-diamonds CSV    ggplot2's diamonds (53,940 rows) as a numeric CSV, through R (Rscript)
  prepare DATASET SEED DIR   the fixed splits of one seed: DIR/train.csv (training + validation rows,
                         which NetTricks splits itself with --validation-fraction and --split-seed SEED),
                         DIR/test.csv, DIR/validation-rows.txt (0-based rows of train.csv), DIR/split.json
  fit DIR SEED HIDDEN MAX_EPOCHS PATIENCE   MLPRegressor on DIR's splits; one JSON object on stdout
  score TEST.csv PRED.csv TARGET   test RMSE and R² (original units) of a predictions CSV, as JSON
  nettricks-result TRAIN.json EVALUATE.json TEST.csv PRED.csv TARGET WALL_NS SEED   one NetTricks run's
                         JSON for the table (figures from its predictions, time and epochs from train --json)
  table OUT DATASET SEEDS...   the side-by-side table of OUT/*-seedS.json and its medians
  validation-rows N FRACTION SPLIT_SEED   the rows NetTricks holds out for validation (one per line)

The validation rows. NetTricks' train has no flag for a validation file: it holds out
round(validation-fraction × n) rows of --data, chosen by a Fisher–Yates shuffle drawn from
SplitMix64(split-seed).split() (experiment.Experiment.prepare, data.Splits.holdOut), when --test-data
is given. This file repeats that draw (SplitMix64 is java.util.SplittableRandom's algorithm;
nextInt(bound) is RandomGenerator's default, RandomSupport.boundedNextInt) so that MLPRegressor stops
on the same validation rows; test_sklearn_regression.py checks it against NetTricks itself.
"""
import json
import math
import os
import statistics
import subprocess
import sys
import time

import numpy as np

MASK64 = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15

# The data sets: how to read them, the target column, the default layer sizes and stopping.
SKLEARN_DATA = "/usr/lib/python3/dist-packages/sklearn/datasets/data"
TEST_FRACTION = 0.2        # of all rows, drawn here with numpy's default_rng(seed)
VALIDATION_FRACTION = 0.2  # of the remaining rows, drawn as NetTricks draws it


def _signed32(v):
    v &= 0xFFFFFFFF
    return v - (1 << 32) if v >= 1 << 31 else v


class SplitMix64:
    """java.util.SplittableRandom (Steele, Lea and Flood, OOPSLA 2014), as org.nettricks.random.SplitMix64."""

    def __init__(self, seed, gamma=GOLDEN_GAMMA):
        self.seed = seed & MASK64
        self.gamma = gamma & MASK64

    def _next_seed(self):
        self.seed = (self.seed + self.gamma) & MASK64
        return self.seed

    @staticmethod
    def _mix64(z):
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    @staticmethod
    def _mix32(z):
        z = ((z ^ (z >> 33)) * 0x62A9D9ED799705F5) & MASK64
        return _signed32((((z ^ (z >> 28)) * 0xCB24D0A5C88C35B3) & MASK64) >> 32)

    @staticmethod
    def _mix_gamma(z):
        z = ((z ^ (z >> 33)) * 0xFF51AFD7ED558CCD) & MASK64
        z = ((z ^ (z >> 33)) * 0xC4CEB9FE1A85EC53) & MASK64
        z = (z ^ (z >> 33)) | 1
        n = bin(z ^ (z >> 1)).count("1")
        return z ^ 0xAAAAAAAAAAAAAAAA if n < 24 else z

    def next_long(self):
        return self._mix64(self._next_seed())

    def next_int(self):
        return self._mix32(self._next_seed())

    def split(self):
        s = self.next_long()
        return SplitMix64(s, self._mix_gamma(self._next_seed()))

    def next_int_bounded(self, bound):
        """RandomGenerator.nextInt(bound) of Java 17 (RandomSupport.boundedNextInt), in 32-bit arithmetic."""
        r = self.next_int()
        m = bound - 1
        if bound & m == 0:
            return r & m
        u = (r & 0xFFFFFFFF) >> 1
        while True:
            r = u % bound
            if _signed32(u + m - r) >= 0:
                return r
            u = (self.next_int() & 0xFFFFFFFF) >> 1


def nettricks_validation_rows(n, fraction, split_seed):
    """The sorted 0-based rows of an n-row --data file that NetTricks holds out for validation."""
    rng = SplitMix64(split_seed).split()
    perm = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.next_int_bounded(i + 1)
        perm[i], perm[j] = perm[j], perm[i]
    held = math.floor(fraction * n + 0.5)  # Java's Math.round
    return sorted(perm[:held])


# ---- the data sets ----------------------------------------------------------------------------

def export_diamonds(path):
    """ggplot2's diamonds through Rscript: cut, color and clarity as their ordered factors' codes 1..k."""
    script = ('e <- new.env(); utils::data("diamonds", package = "ggplot2", envir = e); '
              'd <- as.data.frame(e$diamonds); '
              'for (c in c("cut", "color", "clarity")) d[[c]] <- as.integer(d[[c]]); '
              'd <- d[, c("carat", "cut", "color", "clarity", "depth", "table", "x", "y", "z", "price")]; '
              'd$price <- as.numeric(d$price); '
              'utils::write.csv(d, commandArgs(TRUE)[1], row.names = FALSE, quote = FALSE)')
    tmp = path + ".tmp"
    subprocess.run(["Rscript", "--vanilla", "-e", script, tmp], check=True)
    os.replace(tmp, path)


def load(dataset, cache_dir):
    """(feature names, X as float64 n×d, target name, y as float64 n) of a data set."""
    if dataset == "diabetes":
        x = np.loadtxt(f"{SKLEARN_DATA}/diabetes_data_raw.csv.gz")
        y = np.loadtxt(f"{SKLEARN_DATA}/diabetes_target.csv.gz")
        names = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
        return names, x, "progression", y
    if dataset == "diamonds":
        path = os.path.join(cache_dir, "diamonds.csv")
        if not os.path.exists(path):
            export_diamonds(path)
        with open(path) as f:
            header = f.readline().strip().split(",")
        data = np.loadtxt(path, delimiter=",", skiprows=1)
        # 23 rows with an impossible size: x, y or z of 0 mm (20 rows), or y or z of 31.8 or 58.9 mm
        # (3 rows; the next largest value is 10.74 mm). One such row in a validation split dominates
        # the validation MSE and stops training after a few epochs.
        dims = data[:, [header.index("x"), header.index("y"), header.index("z")]]
        data = data[((dims > 0) & (dims <= 20)).all(axis=1)]
        return header[:-1], data[:, :-1], header[-1], data[:, -1]
    raise SystemExit(f"sklearn_regression.py: unknown data set '{dataset}': use diabetes or diamonds")


def write_csv(path, names, target, x, y):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(",".join(names + [target]) + "\n")
        for row, t in zip(x, y):
            f.write(",".join(repr(float(v)) for v in row) + "," + repr(float(t)) + "\n")
    os.replace(tmp, path)


def prepare(dataset, seed, out, cache_dir):
    names, x, target, y = load(dataset, cache_dir)
    n = len(y)
    perm = np.random.default_rng(seed).permutation(n)
    n_test = math.floor(TEST_FRACTION * n + 0.5)
    test_rows, pool_rows = np.sort(perm[:n_test]), np.sort(perm[n_test:])
    valid = nettricks_validation_rows(len(pool_rows), VALIDATION_FRACTION, seed)
    os.makedirs(out, exist_ok=True)
    write_csv(os.path.join(out, "train.csv"), names, target, x[pool_rows], y[pool_rows])
    write_csv(os.path.join(out, "test.csv"), names, target, x[test_rows], y[test_rows])
    with open(os.path.join(out, "validation-rows.txt"), "w") as f:
        f.write("".join(f"{r}\n" for r in valid))
    with open(os.path.join(out, "split.json"), "w") as f:
        json.dump({"dataset": dataset, "seed": seed, "rows": n, "features": names, "target": target,
                   "train": len(pool_rows) - len(valid), "validation": len(valid), "test": len(test_rows),
                   "validation_fraction": VALIDATION_FRACTION, "split_seed": seed}, f)


def read_csv(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
    data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    return header, data


def standardizer(a):
    """Mean and population standard deviation (ddof 0) per column; a zero deviation becomes 1."""
    mean = a.mean(axis=0)
    sd = a.std(axis=0)
    return mean, np.where(sd > 0, sd, 1.0)


def rmse_r2(y, p):
    y, p = np.asarray(y, float), np.asarray(p, float)
    sse = float(np.sum((y - p) ** 2))
    return math.sqrt(sse / len(y)), 1.0 - sse / float(np.sum((y - y.mean()) ** 2))


# ---- the MLPRegressor run ---------------------------------------------------------------------

def mlp(seed, hidden, max_iter=1, n_iter_no_change=10, shuffle=True):
    """MLPRegressor as both sides train: ReLU, Adam (1e-3, 0.9, 0.999, 1e-8), batches of 200, no L2."""
    from sklearn.neural_network import MLPRegressor
    return MLPRegressor(hidden_layer_sizes=hidden, activation="relu", solver="adam", alpha=0.0, batch_size=200,
                        learning_rate_init=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-8, shuffle=shuffle,
                        random_state=np.random.RandomState(seed), max_iter=max_iter,
                        n_iter_no_change=n_iter_no_change)


def train(x, y, validation_loss, seed, hidden, max_epochs, patience, shuffle=True):
    """Trains epoch by epoch and keeps the epoch of lowest validation_loss(model, epoch).

    Stops after max_epochs, or after patience epochs without a strictly lower loss (NetTricks'
    early stopping with `min-delta` 0), and restores the best epoch's parameters. Returns (model,
    best loss, best epoch, epochs run, seconds spent in partial_fit: the training steps alone).
    """
    model = mlp(seed, hidden, shuffle=shuffle)
    best_loss, best_epoch, best_params = math.inf, 0, None
    seconds = 0.0
    epoch = 0
    while epoch < max_epochs and epoch - best_epoch < patience:
        epoch += 1
        t = time.perf_counter()
        model.partial_fit(x, y)
        seconds += time.perf_counter() - t
        loss = validation_loss(model, epoch)
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
            best_params = ([c.copy() for c in model.coefs_], [b.copy() for b in model.intercepts_])
    model.coefs_, model.intercepts_ = best_params
    return model, best_loss, best_epoch, epoch, seconds


def fit(directory, seed, hidden, max_epochs, patience, threads=1):
    """MLPRegressor, one partial_fit per epoch, early stopping on NetTricks' validation rows.

    partial_fit runs exactly one epoch of MLPRegressor's own loop (shuffle, mini-batches of 200,
    Adam) and keeps the Adam state; a RandomState instance (not an int, which would repeat one
    order every epoch) makes each epoch draw a new uniform permutation of the rows. (fit() instead
    permutes the previous epoch's order, also uniform: without shuffling the two are equal bit for
    bit, test_sklearn_regression.py.) The epoch with the lowest validation MSE is kept (patience epochs
    without a decrease stop the run), as NetTricks' `patience` with `monitor` val-loss.
    """
    import threadpoolctl

    header, data = read_csv(os.path.join(directory, "train.csv"))
    _, test = read_csv(os.path.join(directory, "test.csv"))
    with open(os.path.join(directory, "validation-rows.txt")) as f:
        valid_rows = np.array([int(v) for v in f.read().split()], dtype=int)
    is_valid = np.zeros(len(data), bool)
    is_valid[valid_rows] = True
    xtr, ytr = data[~is_valid, :-1], data[~is_valid, -1]
    xva, yva = data[is_valid, :-1], data[is_valid, -1]
    xte, yte = test[:, :-1], test[:, -1]
    xm, xs = standardizer(xtr)
    ym, ys = standardizer(ytr[:, None])
    ym, ys = float(ym[0]), float(ys[0])
    ztr, zva, zte = (xtr - xm) / xs, (xva - xm) / xs, (xte - xm) / xs
    ttr = (ytr - ym) / ys

    with threadpoolctl.threadpool_limits(limits=threads, user_api="blas"):
        validation_mse = lambda m, epoch: float(np.mean((m.predict(zva) * ys + ym - yva) ** 2))
        started = time.perf_counter()
        model, best_mse, best_epoch, epochs, seconds = train(ztr, ttr, validation_mse, seed, hidden, max_epochs,
                                                             patience)
        loop_seconds = time.perf_counter() - started
        pred = model.predict(zte) * ys + ym
        blas = [(d["internal_api"], d.get("version"), d["num_threads"]) for d in threadpoolctl.threadpool_info()]
    rmse, r2 = rmse_r2(yte, pred)
    import sklearn
    return {"side": "sklearn", "seed": seed, "test_rmse": rmse, "test_r2": r2, "training_seconds": seconds,
            "loop_seconds": loop_seconds, "epochs": epochs, "best_epoch": best_epoch,
            "validation_rmse": math.sqrt(best_mse),
            "train": len(ytr), "validation": len(yva), "test": len(yte), "hidden": list(hidden),
            "sklearn_version": sklearn.__version__, "blas": blas, "threads": threads}


def score(test_csv, pred_csv, target):
    header, test = read_csv(test_csv)
    pheader, pred = read_csv(pred_csv)
    others = [h for h in pheader if h != "index"]
    name = target if target in pheader else "predicted" if "predicted" in pheader else (
        others[0] if len(others) == 1 else None)
    col = pheader.index(name) if name else None
    if col is None:
        raise SystemExit(f"{pred_csv}: no column '{target}' among {pheader}")
    rmse, r2 = rmse_r2(test[:, header.index(target)], pred[:, col])
    return {"test_rmse": rmse, "test_r2": r2, "test": len(test)}


def find_numbers(obj, names, path=""):
    """Every number under a key named one of names (case-insensitive), anywhere in a JSON value: {path: value}."""
    found = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k.lower() in names and isinstance(v, (int, float)) and not isinstance(v, bool):
                found[path + k] = float(v)
            found.update(find_numbers(v, names, path + k + "."))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            found.update(find_numbers(v, names, f"{path}{i}."))
    return found


def nettricks_result(train_json, evaluate_json, test_csv, pred_csv, target, wall_ns, seed):
    """One NetTricks run as the table reads it: the test figures computed here from its predictions (as
    for MLPRegressor), its own training time and epochs, and its evaluate --json figures beside them."""
    with open(train_json) as f:
        trained = json.load(f)
    with open(evaluate_json) as f:
        evaluated = json.load(f)
    r = {"side": "nettricks", "seed": seed}
    r.update(score(test_csv, pred_csv, target))
    r.update({"training_seconds": trained["training_seconds"], "wall_seconds": wall_ns / 1e9,
              "epochs": trained["epochs"], "best_epoch": trained["best_epoch"],
              "evaluate_rmse": find_numbers(evaluated, {"rmse", "test_rmse"}),
              "evaluate_r2": find_numbers(evaluated, {"r2", "r²", "test_r2"}),
              "nettricks_version": trained.get("nettricks_version")})
    for key, mine in (("evaluate_rmse", r["test_rmse"]), ("evaluate_r2", r["test_r2"])):
        if not r[key]:
            print(f"sklearn_regression.py: {evaluate_json} has no {key[9:]} figure", file=sys.stderr)
        for where, v in r[key].items():
            if abs(v - mine) > 1e-5 * max(1.0, abs(mine)):
                print(f"sklearn_regression.py: {evaluate_json}: {where} = {v}, but the predictions give {mine}",
                      file=sys.stderr)
    return r


def table(out, dataset, seeds):
    rows, cols = [], {"sklearn": [], "nettricks": []}
    print(f"{dataset}: test RMSE (original units), R², training seconds (epochs run / best epoch)")
    print("seed | NetTricks RMSE | R² | s | epochs | sklearn RMSE | R² | s | epochs")
    for s in seeds:
        cells = []
        for side in ("nettricks", "sklearn"):
            path = os.path.join(out, f"{side}-seed{s}.json")
            if os.path.exists(path):
                with open(path) as f:
                    r = json.load(f)
                cols[side].append(r)
                cells.append(f"{r['test_rmse']:.4g} | {r['test_r2']:.4f} | {r['training_seconds']:.2f} | "
                             f"{r['epochs']}/{r['best_epoch']}")
            else:
                cells.append("- | - | - | -")
        rows.append(f"{s} | " + " | ".join(cells))
    print("\n".join(rows))
    med = []
    for side in ("nettricks", "sklearn"):
        rs = cols[side]
        med.append(f"{statistics.median(r['test_rmse'] for r in rs):.4g} | "
                   f"{statistics.median(r['test_r2'] for r in rs):.4f} | "
                   f"{statistics.median(r['training_seconds'] for r in rs):.2f} | -" if rs else "- | - | - | -")
    print(f"median | {med[0]} | {med[1]}")
    if cols["nettricks"] and cols["sklearn"]:
        nt, sk = (statistics.median(r["test_rmse"] for r in cols[side]) for side in ("nettricks", "sklearn"))
        print(f"median test RMSE, NetTricks / scikit-learn: {nt / sk:.3f} "
              f"({'NetTricks at least as accurate' if nt <= sk else 'scikit-learn more accurate'})")


def main(argv):
    cmd, args = argv[1] if len(argv) > 1 else "", argv[2:]
    cache = os.environ.get("REGRESSION_DATA_DIR", "/tmp/nettricks-regression")
    if cmd == "export-diamonds" and len(args) == 1:
        export_diamonds(args[0])
    elif cmd == "prepare" and len(args) == 3:
        prepare(args[0], int(args[1]), args[2], cache)
    elif cmd == "fit" and len(args) == 5:
        hidden = tuple(int(h) for h in args[2].split(","))
        print(json.dumps(fit(args[0], int(args[1]), hidden, int(args[3]), int(args[4]))))
    elif cmd == "score" and len(args) == 3:
        print(json.dumps(score(*args)))
    elif cmd == "nettricks-result" and len(args) == 7:
        print(json.dumps(nettricks_result(*args[:5], int(args[5]), int(args[6]))))
    elif cmd == "table" and len(args) >= 3:
        table(args[0], args[1], args[2:])
    elif cmd == "validation-rows" and len(args) == 3:
        print("\n".join(str(r) for r in nettricks_validation_rows(int(args[0]), float(args[1]), int(args[2]))))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
