#!/usr/bin/env bash
# Issue 17's regression acceptance: NetTricks (--task regression) side by side with scikit-learn's
# MLPRegressor (scripts/peers/sklearn_regression.py) on the same splits, layer sizes, optimizer, batch
# size, standardization and early stopping, for several seeds: test RMSE and R² in the target's own
# units (both computed by the peer from each side's predictions on the same test CSV) and training time.
# Data sets: scikit-learn's diabetes (442 rows) and ggplot2's diamonds (53,917 of its 53,940 rows), read from the
# installed packages at run time; docs/runs/regression/README.md says where they come from and how
# the splits are made. Each run uses one core (--threads 1 / one OpenBLAS thread).
# Needs: apt-get install python3-sklearn r-base-core r-cran-ggplot2   (R only to export diamonds once)
# Usage: scripts/regression-vs-sklearn.sh [SEEDS...]     (default: 1 2 3)
# Environment: DATASETS="diabetes diamonds", SIDES="nettricks sklearn", HIDDEN=64,64, EPOCHS=500,
#   PATIENCE=20, RUN_DIR=/tmp/nettricks-regression (the CSV splits, models and predictions),
#   OUT=docs/runs/regression (the per-run JSON and logs, and table.txt per data set),
#   NETTRICKS=./nettricks (the command that runs NetTricks, e.g. "java -jar /tmp/nettricks.jar" to keep
#   one build while the sources change).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -gt 0 ]; then seeds=("$@"); else seeds=(1 2 3); fi
datasets=${DATASETS:-diabetes diamonds}
sides=${SIDES:-nettricks sklearn}
hidden=${HIDDEN:-64,64}
epochs=${EPOCHS:-500}
patience=${PATIENCE:-20}
run=${RUN_DIR:-/tmp/nettricks-regression}
outroot=${OUT:-docs/runs/regression}
peer=(/usr/bin/python3 scripts/peers/sklearn_regression.py)
read -r -a nettricks <<<"${NETTRICKS:-./nettricks}"
export REGRESSION_DATA_DIR="$run"
mkdir -p "$run"
for ds in $datasets; do
    out="$outroot/$ds"
    mkdir -p "$out"
    for s in "${seeds[@]}"; do
        dir="$run/$ds-seed$s"
        "${peer[@]}" prepare "$ds" "$s" "$dir"
        target=$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["target"])' "$dir/split.json")
        for side in $sides; do
            case $side in
            sklearn)
                "${peer[@]}" fit "$dir" "$s" "$hidden" "$epochs" "$patience" >"$out/sklearn-seed$s.json"
                ;;
            nettricks)
                # The same network and training as the peer's: ReLU, Glorot uniform, Adam (1e-3, 0.9, 0.999,
                # 1e-8), batches of 200, no weight penalty; inputs standardized with the training rows'
                # statistics; early stopping on the validation loss with the same patience, keeping the
                # best epoch (for --task regression early stopping always watches the validation loss, so no
                # --monitor is given). --validation-fraction and --split-seed hold out the rows that the peer's
                # validation-rows.txt lists (test_sklearn_regression.py checks this against NetTricks).
                model="$dir/nettricks.safetensors"
                started=$(date +%s%N)
                "${nettricks[@]}" train --task regression --label "$target" --loss squared-error \
                    --data "$dir/train.csv" --test-data "$dir/test.csv" --validation-fraction 0.2 --split-seed "$s" \
                    --normalize standardize --hidden "$hidden" --activation relu --init glorot \
                    --optimizer adam --lr 0.001 --beta1 0.9 --beta2 0.999 --epsilon 1e-8 --batch-size 200 \
                    --l2 0 --epochs "$epochs" --patience "$patience" --seed "$s" --threads 1 \
                    --out "$model" --json >"$out/nettricks-train-seed$s.json" 2>"$out/nettricks-train-seed$s.log" \
                    || { echo "regression-vs-sklearn: nettricks train failed ($ds, seed $s); its last lines" \
                              "($out/nettricks-train-seed$s.log):" >&2; tail -3 "$out/nettricks-train-seed$s.log" >&2; exit 1; }
                wall_ns=$(($(date +%s%N) - started))
                "${nettricks[@]}" evaluate --model "$model" --data "$dir/test.csv" --label "$target" --threads 1 --json \
                    >"$out/nettricks-evaluate-seed$s.json"
                "${nettricks[@]}" predict --model "$model" --data "$dir/test.csv" --threads 1 \
                    --out "$dir/nettricks-predictions.csv"
                "${peer[@]}" nettricks-result "$out/nettricks-train-seed$s.json" "$out/nettricks-evaluate-seed$s.json" \
                    "$dir/test.csv" "$dir/nettricks-predictions.csv" "$target" "$wall_ns" "$s" >"$out/nettricks-seed$s.json"
                ;;
            *) echo "regression-vs-sklearn: unknown side '$side' in SIDES: use nettricks and/or sklearn" >&2; exit 2 ;;
            esac
        done
    done
    "${peer[@]}" table "$out" "$ds" "${seeds[@]}" | tee "$out/table.txt"
done
