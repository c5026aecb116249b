#!/usr/bin/python3
"""Writes scikit-learn's bundled diabetes data (442 rows, BSD licence) as one CSV with a header row.

Usage: /usr/bin/python3 scripts/diabetes-csv.py OUT.csv

Columns: age, sex, bmi, bp, s1..s6 (the raw, unscaled values of diabetes_data_raw.csv.gz, the
names of sklearn.datasets.load_diabetes) and y, the disease progression one year after baseline
(diabetes_target.csv.gz). Read from python3-sklearn's files directly, so no scaling is applied.
"""
import gzip
import os
import sys

import sklearn.datasets

DATA = os.path.join(os.path.dirname(sklearn.datasets.__file__), "data")
NAMES = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: scripts/diabetes-csv.py OUT.csv")
    with gzip.open(os.path.join(DATA, "diabetes_data_raw.csv.gz"), "rt") as f:
        rows = [line.split() for line in f if line.strip()]
    with gzip.open(os.path.join(DATA, "diabetes_target.csv.gz"), "rt") as f:
        targets = [float(line) for line in f if line.strip()]
    assert len(rows) == len(targets) == 442, (len(rows), len(targets))
    with open(sys.argv[1], "w") as out:
        out.write(",".join(NAMES + ["y"]) + "\n")
        for r, y in zip(rows, targets):
            out.write(",".join(r) + "," + repr(y) + "\n")


if __name__ == "__main__":
    main()
