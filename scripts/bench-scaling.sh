#!/usr/bin/env bash
# Training throughput of NetTricks and PyTorch across network widths and batch sizes (issue 15),
# side by side and in alternation on this machine: for each row, NetTricks `bench` and PyTorch
# (scripts/peers/torch_scaling.py, at its best setting: one intra-op thread, OpenBLAS with two,
# foreach optimizers), REPEATS times, NetTricks first in odd repeats and PyTorch first in even ones;
# prints each pair's ratio and the median ratio per row.
# Both sides train the same network (784-H-...-10, ReLU, float32, 2 threads) on the same
# Fashion-MNIST subset (the first N training images; N per row keeps an epoch near a second),
# one warm-up epoch, then MEASURE timed epochs (median).
# Needs: apt-get install dataset-fashion-mnist python3-torch python3-sklearn. Run on a quiet machine.
# Usage: scripts/bench-scaling.sh [table|grid|all] [REPEATS] [MEASURE]   (defaults: table 2 2)
#   table: the five rows of issue 15's table; grid: widths 64/256/1024/4096 × batches 1/8/32/128/1024
#   (one hidden layer, plain SGD).
set -euo pipefail
cd "$(dirname "$0")/.."
usage="usage: scripts/bench-scaling.sh [table|grid|all] [REPEATS] [MEASURE]   (defaults: table 2 2)"
which=${1:-table}
repeats=${2:-2}
measure=${3:-2}
py=/usr/bin/python3
for n in "$repeats" "$measure"; do
    if ! [[ "$n" =~ ^[1-9][0-9]*$ ]]; then
        echo "bench-scaling.sh: REPEATS and MEASURE must be whole numbers of at least 1, got '$n'; $usage" >&2
        exit 2
    fi
done

# hidden batch optimizer lr train-limit
table_rows() {
    cat <<'ROWS'
256 1 sgd 0.01 4000
256 32 sgd 0.01 30000
64 8 sgd 0.01 30000
1024,1024 1024 adam 0.001 30000
4096,4096 128 adam 0.001 2000
ROWS
}

grid_rows() {
    for width in 64 256 1024 4096; do
        for batch in 1 8 32 128 1024; do
            # about 1 s of PyTorch per epoch: fewer examples where a step costs more
            case "$batch:$width" in
                1:64|1:256) limit=4000 ;;
                1:1024) limit=2000 ;;
                1:4096) limit=500 ;;
                8:*) limit=$(( width >= 4096 ? 2000 : width >= 1024 ? 8000 : 20000 )) ;;
                *) limit=$(( width >= 4096 ? 4000 : width >= 1024 ? 15000 : 40000 )) ;;
            esac
            echo "$width $batch sgd 0.01 $limit"
        done
    done
}

case "$which" in
    table) rows=$(table_rows) ;;
    grid) rows=$(grid_rows) ;;
    all) rows=$(table_rows; grid_rows) ;;
    *) echo "bench-scaling.sh: the first argument must be table, grid or all, got '$which'; $usage" >&2; exit 2 ;;
esac

results=$(mktemp)
errors=$(mktemp)
trap 'rm -f "$results" "$errors"' EXIT
./nettricks --version >/dev/null # builds the jar once, outside the measurements
while read -r hidden batch opt lr limit; do
    for ((r = 1; r <= repeats; r++)); do
        run_pytorch() {
            (cd scripts/peers && $py torch_scaling.py --hidden "$hidden" --batch "$batch" --opt "$opt" --lr "$lr" \
                --train-limit "$limit" --measure-epochs "$measure")
        }
        # NetTricks first in odd repeats, PyTorch first in even ones: a drift of the machine favours neither
        ((r % 2)) || pt=$(run_pytorch)
        if ! nt=$(./nettricks bench --data fashion-mnist --hidden "$hidden" --activation relu --optimizer "$opt" \
             --lr "$lr" --batch-size "$batch" --train-limit "$limit" --validation-fraction 0 --threads 2 \
             --measure-epochs "$measure" --infer-reps 1 --json 2>"$errors"); then
            cat "$errors" >&2 # e.g. no Fashion-MNIST: apt-get install dataset-fashion-mnist
            exit 1
        fi
        ((r % 2)) && pt=$(run_pytorch)
        $py - "$hidden" "$batch" "$opt" "$limit" "$nt" "$pt" "$r" "$results" <<'PY'
import json, sys
hidden, batch, opt, limit, nt, pt, run, results = sys.argv[1:9]
nt, pt = json.loads(nt)["train_examples_per_second"], json.loads(pt)["train_examples_per_second"]
row = f"784-{hidden.replace(',', '-')}-10 batch {batch} {opt}"
with open(results, "a") as f:
    f.write(json.dumps({"row": row, "nettricks": nt, "pytorch": pt}) + "\n")
print(f"{row:36s} run {run}: nettricks {nt:9.0f}  pytorch {pt:9.0f}  ratio {nt / pt:5.2f}  ({limit} examples)",
      flush=True)
PY
    done
done <<< "$rows"

echo
$py - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
order = list(dict.fromkeys(r["row"] for r in rows))
print(f"{'network, batch, optimizer':36s} {'NetTricks':>10s} {'PyTorch':>10s}  ratio (median of pairs)")
for name in order:
    mine = [r for r in rows if r["row"] == name]
    ratio = statistics.median(r["nettricks"] / r["pytorch"] for r in mine)
    print(f"{name:36s} {statistics.median(r['nettricks'] for r in mine):10.0f} "
          f"{statistics.median(r['pytorch'] for r in mine):10.0f}  {ratio:.2f}")
PY
