#!/usr/bin/env bash
# Does the model-based strategy (TPE) beat random search? Best validation error (or function value)
# after N trials, averaged over search seeds 1..SEEDS, on Branin, Hartmann-6 and a small
# Fashion-MNIST search (docs/recipes/search-fashion-mnist.yaml, 30 trials per search).
# Usage: scripts/search-benchmark.sh [SEEDS] [TRIALS]      (defaults 5 and 30)
# Writes docs/runs/search-benchmark/*.json and prints the mean curves at N = 10, 20, 30.
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-5}
trials=${2:-30}
out=docs/runs/search-benchmark
mkdir -p "$out"
for fn in branin hartmann6; do
    for strategy in random tpe; do
        for seed in $(seq 1 "$seeds"); do
            ./nettricks search --objective "$fn" --strategy "$strategy" --trials "$trials" --seed "$seed" --json \
                > "$out/$fn-$strategy-$seed.json"
        done
    done
done
for strategy in random tpe; do
    for seed in $(seq 1 "$seeds"); do
        dir=$out/fashion-mnist-$strategy-$seed
        ./nettricks search --space docs/recipes/search-fashion-mnist.yaml --out "$dir" --strategy "$strategy" \
            --trials "$trials" --seed "$seed" --json > "$dir.log"
        grep '^{' "$dir.log" > "$dir.json"
    done
done
python3 - "$out" "$seeds" "$trials" <<'PY'
import json, sys
out, seeds, trials = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for name in ["branin", "hartmann6", "fashion-mnist"]:
    for strategy in ["random", "tpe"]:
        curves = [json.load(open(f"{out}/{name}-{strategy}-{s}.json"))["best_so_far"] for s in range(1, seeds + 1)]
        mean = [sum(c[i] for c in curves) / seeds for i in range(trials)]
        marks = "  ".join(f"N={n}: {mean[n - 1]:.4f}" for n in (10, 20, 30) if n <= trials)
        print(f"{name:14s} {strategy:6s} mean best over {seeds} seeds  {marks}")
PY
