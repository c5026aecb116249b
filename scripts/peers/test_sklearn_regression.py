#!/usr/bin/python3
"""Checks of sklearn_regression.py against independent computations. Run from the repository root:

    /usr/bin/python3 -m unittest scripts/peers/test_sklearn_regression.py

- the validation rows it predicts against the rows NetTricks itself holds out (./nettricks train on a
  CSV whose every row is its own class: the warning about classes without training examples names
  exactly the held-out rows), and against java.util.SplittableRandom run by the JDK;
- its epoch-by-epoch partial_fit loop against MLPRegressor's own fit() for the same number of epochs;
- RMSE, R² and the standardization against hand-worked values; the splits against the original data.
About 20 s (two short NetTricks runs and one JDK run).
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import sklearn_regression as sr  # noqa: E402

JDK_REFERENCE = """
import java.util.SplittableRandom;
public class Ref {
    public static void main(String[] a) {
        int n = Integer.parseInt(a[0]); long seed = Long.parseLong(a[1]); double f = Double.parseDouble(a[2]);
        SplittableRandom r = new SplittableRandom(seed).split();
        int[] p = new int[n]; for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) { int j = r.nextInt(i + 1); int t = p[i]; p[i] = p[j]; p[j] = t; }
        int[] h = java.util.Arrays.copyOf(p, (int) Math.round(f * n)); java.util.Arrays.sort(h);
        StringBuilder sb = new StringBuilder(); for (int v : h) sb.append(v).append(' '); System.out.print(sb);
    }
}
"""


class ValidationRows(unittest.TestCase):
    def nettricks_held_out(self, n, split_seed, seed):
        with tempfile.TemporaryDirectory() as d:
            with open(os.path.join(d, "ids.csv"), "w") as f:
                f.write("x,id\n" + "".join(f"{i * 0.01},r{i}\n" for i in range(n)))
            with open(os.path.join(d, "test.csv"), "w") as f:
                f.write("x,id\n0,r0\n")
            run = subprocess.run([os.path.join(ROOT, "nettricks"), "train", "--data", os.path.join(d, "ids.csv"),
                                  "--test-data", os.path.join(d, "test.csv"), "--label", "id",
                                  "--validation-fraction", "0.2", "--split-seed", str(split_seed), "--seed", str(seed),
                                  "--epochs", "1", "--hidden", "none", "--threads", "1"],
                                 capture_output=True, text=True, check=True)
        line = next(ln for ln in run.stderr.splitlines() if ln.startswith("warning: classes "))
        return sorted(int(m) for m in re.findall(r"'r(\d+)' \((?:1 test, )?1 validation\)", line))

    def test_the_rows_nettricks_holds_out(self):
        for n, split_seed, seed in ((300, 5, 9), (1001, 1, 1)):
            held = self.nettricks_held_out(n, split_seed, seed)
            self.assertEqual(len(held), round(0.2 * n))
            self.assertEqual(held, sr.nettricks_validation_rows(n, 0.2, split_seed))

    def test_the_rows_of_the_jdks_splittable_random(self):
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "Ref.java")
            with open(src, "w") as f:
                f.write(JDK_REFERENCE)
            for n, seed, fraction in ((43152, 3, 0.2), (354, -7, 0.2), (1000, 123456789012, 0.33)):
                out = subprocess.run(["java", src, str(n), str(seed), str(fraction)], capture_output=True,
                                     text=True, check=True).stdout
                self.assertEqual([int(v) for v in out.split()], sr.nettricks_validation_rows(n, fraction, seed))


class EpochLoop(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(0)
        self.x = rng.normal(size=(230, 3))
        self.y = self.x @ np.array([1.0, -2.0, 0.5]) + np.sin(self.x[:, 0]) + 0.1 * rng.normal(size=230)

    def fitted(self, epochs):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # ConvergenceWarning: max_iter reached
            return sr.mlp(4, (8, 5), max_iter=epochs, n_iter_no_change=10 ** 6, shuffle=False).fit(self.x, self.y)

    def test_partial_fit_per_epoch_is_mlpregressors_own_fit(self):
        # Without shuffling (fit() reshuffles the previous epoch's order, partial_fit the rows' own):
        # the same initialization, Adam state and steps, epoch after epoch.
        model, _, best, run, seconds = sr.train(self.x, self.y, lambda m, e: -e, 4, (8, 5), 7, 100, shuffle=False)
        self.assertEqual((best, run), (7, 7))
        self.assertGreater(seconds, 0)
        reference = self.fitted(7)
        for a, b in zip(model.coefs_ + model.intercepts_, reference.coefs_ + reference.intercepts_):
            np.testing.assert_array_equal(a, b)

    def test_each_epoch_draws_a_new_permutation_from_the_one_stream(self):
        # The shuffled loop, emulated: Glorot's draws for (W, b) of each layer, then per epoch
        # RandomState.shuffle of 0..n-1 (sklearn.utils.shuffle), and an unshuffled epoch on those rows.
        model = sr.train(self.x, self.y, lambda m, e: -e, 4, (8, 5), 3, 100)[0]
        stream = np.random.RandomState(4)
        units = [3, 8, 5, 1]
        for fan_in, fan_out in zip(units[:-1], units[1:]):
            bound = np.sqrt(6 / (fan_in + fan_out))
            stream.uniform(-bound, bound, (fan_in, fan_out))
            stream.uniform(-bound, bound, fan_out)
        reference = sr.mlp(4, (8, 5), shuffle=False)
        for _ in range(3):
            order = np.arange(len(self.y))
            stream.shuffle(order)
            reference.partial_fit(self.x[order], self.y[order])
        for a, b in zip(model.coefs_ + model.intercepts_, reference.coefs_ + reference.intercepts_):
            np.testing.assert_array_equal(a, b)

    def test_early_stopping_keeps_the_best_epoch_and_waits_patience_epochs(self):
        losses = [5, 4, 3, 3.5, 3, 3.2, 9, 9, 9, 9]  # epoch 5 ties epoch 3: not an improvement
        model, best_loss, best, run, _ = sr.train(self.x, self.y, lambda m, e: losses[e - 1], 4, (8, 5), 10, 3,
                                                  shuffle=False)
        self.assertEqual((best_loss, best, run), (3, 3, 6))
        reference = self.fitted(3)
        for a, b in zip(model.coefs_ + model.intercepts_, reference.coefs_ + reference.intercepts_):
            np.testing.assert_array_equal(a, b)


class Figures(unittest.TestCase):
    def test_rmse_and_r2_hand_worked(self):
        # y = 1,2,3,4 (mean 2.5, total sum of squares 5), one error of 1: MSE 1/4, R² = 1 − 1/5
        rmse, r2 = sr.rmse_r2([1, 2, 3, 4], [1, 2, 3, 5])
        self.assertAlmostEqual(rmse, 0.5, places=15)
        self.assertAlmostEqual(r2, 0.8, places=15)

    def test_standardizer_uses_the_population_deviation_and_keeps_constant_columns(self):
        mean, sd = sr.standardizer(np.array([[1.0, 10.0], [3.0, 10.0], [5.0, 10.0]]))
        np.testing.assert_array_equal(mean, [3.0, 10.0])
        np.testing.assert_allclose(sd, [np.sqrt(8 / 3), 1.0], rtol=1e-15)

    def test_score_reads_the_target_column_or_the_only_predicted_one(self):
        with tempfile.TemporaryDirectory() as d:
            test, pred = os.path.join(d, "test.csv"), os.path.join(d, "pred.csv")
            with open(test, "w") as f:
                f.write("a,price\n0,1\n0,2\n0,3\n0,4\n")
            for csv in ("index,price\n0,1\n1,2\n2,3\n3,5\n", "predicted\n1\n2\n3\n5\n"):
                with open(pred, "w") as f:
                    f.write(csv)
                r = sr.score(test, pred, "price")
                self.assertAlmostEqual(r["test_rmse"], 0.5, places=15)
                self.assertEqual(r["test"], 4)

    def test_evaluate_figures_are_found_wherever_they_are(self):
        found = sr.find_numbers({"targets": [{"name": "y", "RMSE": 2.5, "r2": 0.75}], "rmse": 2.5},
                                {"rmse"})
        self.assertEqual(found, {"targets.0.RMSE": 2.5, "rmse": 2.5})


class Splits(unittest.TestCase):
    def test_diabetes_splits_partition_the_data(self):
        names, x, target, y = sr.load("diabetes", None)
        self.assertEqual((x.shape, len(y), target), ((442, 10), 442, "progression"))
        with tempfile.TemporaryDirectory() as d:
            sr.prepare("diabetes", 2, d, None)
            with open(os.path.join(d, "split.json")) as f:
                split = json.load(f)
            self.assertEqual((split["train"], split["validation"], split["test"]), (283, 71, 88))
            header, pool = sr.read_csv(os.path.join(d, "train.csv"))
            _, test = sr.read_csv(os.path.join(d, "test.csv"))
            self.assertEqual(header, names + [target])
            self.assertEqual((len(pool), len(test)), (354, 88))
            rows = lambda a: sorted(map(tuple, a))
            self.assertEqual(rows(np.vstack([pool, test])), rows(np.column_stack([x, y])))
            with open(os.path.join(d, "validation-rows.txt")) as f:
                valid = [int(v) for v in f.read().split()]
            self.assertEqual(valid, sr.nettricks_validation_rows(354, 0.2, 2))


if __name__ == "__main__":
    unittest.main()
