#!/usr/bin/env bash
# Training and inference throughput of NetTricks and PyTorch on the reference network, side by side
# in one run on this machine: Fashion-MNIST, 784-1024-1024-10 ReLU, Adam 1e-3, batch 128, float32,
# 2 threads; 'plain' and 'bn' (batch normalization + dropout 0.5). PyTorch runs at its best setting
# here (scripts/peers/torch_mlp.py's docstring: one intra-op thread, OpenBLAS with two, foreach Adam).
# Each repeat runs both for each variant, NetTricks first in odd repeats and PyTorch first in even
# ones (so that a drift of the machine favours neither); inference is the median of INFER_REPS passes
# (default 9) on both sides. The last lines give the median of the ratios over the repeats (this
# machine is shared: single runs move by ±15%).
# Needs: apt-get install dataset-fashion-mnist python3-torch python3-sklearn
# Usage: [NETTRICKS_BLAS=auto|bundled|system] [INFER_REPS=N] scripts/bench-vs-pytorch.sh [EPOCHS_MEASURED] [REPEATS]
# (default 2 and 1; after one warm-up epoch). NetTricks runs the OpenBLAS its default chooses (the system's
# POSIX-threads OpenBLAS where there is one: the library PyTorch calls here, so both run the same GEMM
# code; else the bundled 0.3.31) unless NETTRICKS_BLAS says otherwise; each run's backend line names it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${BLAS:-}" ]; then
    echo "bench-vs-pytorch.sh: BLAS is now NETTRICKS_BLAS (auto, bundled or system), got BLAS='$BLAS'" >&2
    exit 2
fi
measure=${1:-2}
repeats=${2:-1}
infer_reps=${INFER_REPS:-9}
py=/usr/bin/python3
common=(--data fashion-mnist --hidden 1024,1024 --activation relu --optimizer adam --lr 0.001 --batch-size 128
        --threads 2 --measure-epochs "$measure" --infer-reps "$infer_reps" --json)
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for ((r = 1; r <= repeats; r++)); do
    for variant in plain bn; do
        extra=()
        [ "$variant" = bn ] && extra=(--batch-norm --dropout 0.5)
        run_pytorch() {
            (cd scripts/peers && $py torch_mlp.py --variant "$variant" --threads 1 --blas-threads 2 --foreach \
                --epochs $((measure + 1)) --no-eval --infer-reps "$infer_reps")
        }
        if ((r % 2)); then
            nt=$(./nettricks bench "${common[@]}" "${extra[@]}")
            pt=$(run_pytorch)
        else
            pt=$(run_pytorch)
            nt=$(./nettricks bench "${common[@]}" "${extra[@]}")
        fi
        $py - "$variant" "$nt" "$pt" "$r" "$results" <<'PY'
import json, re, sys
variant, nt, pt, run, results = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
train = float(re.search(r"train_ex_per_s .*\| median (\d+)", pt).group(1))
infer = sorted(float(v) for v in re.search(r"infer_ex_per_s[^:]*: (.*)", pt).group(1).split())
infer = infer[len(infer) // 2]
rss = float(re.search(r"peak_rss_MiB (\d+)", pt).group(1))
row = {"variant": variant, "train": [nt["train_examples_per_second"], train],
       "infer": [nt["infer_examples_per_second"], infer]}
with open(results, "a") as f:
    f.write(json.dumps(row) + "\n")
print(f"run {run} {variant:5s} train: nettricks {row['train'][0]:8.0f}  pytorch {train:8.0f}  "
      f"ratio {row['train'][0] / train:5.2f}")
print(f"run {run} {variant:5s} infer: nettricks {row['infer'][0]:8.0f}  pytorch {infer:8.0f}  "
      f"ratio {row['infer'][0] / infer:5.2f}")
print(f"run {run} {variant:5s} peak RSS MiB: nettricks {nt['peak_rss_mib']:.0f}  pytorch {rss:.0f}")
PY
    done
done
$py - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
for variant in ("plain", "bn"):
    for what in ("train", "infer"):
        ratios = [r[what][0] / r[what][1] for r in rows if r["variant"] == variant]
        print(f"median {variant:5s} {what}: ratio {statistics.median(ratios):.2f} over {len(ratios)} run(s)")
PY
