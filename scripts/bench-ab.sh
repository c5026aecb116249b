#!/usr/bin/env bash
# Two builds of NetTricks side by side on the reference network (Fashion-MNIST, 784-1024-1024-10
# ReLU, Adam 1e-3, batch 128, float32, 2 threads), 'plain' and 'bn' (batch normalization + dropout
# 0.5), alternating A and B (and which goes first) so that both see the same machine. Prints each
# run's training and inference examples/s, allocation per step and peak RSS, then the medians of the
# B/A ratios: how a change (B) compares with the code before it (A). Run it on a quiet machine.
# Needs: apt-get install dataset-fashion-mnist; two shaded jars (mvn -B -q -DskipTests package -pl
# nettricks-cli -am builds nettricks-cli/target/nettricks.jar; copy it aside before changing the code).
# Usage: scripts/bench-ab.sh JAR_A JAR_B [PAIRS] [EPOCHS_MEASURED] [INFERENCE_PASSES]
#        (default 5 pairs, 2 epochs after one warm-up, 3 timed inference passes)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -lt 2 ] || [ ! -f "$1" ] || [ ! -f "$2" ]; then
    echo "usage: scripts/bench-ab.sh JAR_A JAR_B [PAIRS] [EPOCHS_MEASURED] (two existing jar files)" >&2
    exit 2
fi
a=$1
b=$2
pairs=${3:-5}
measure=${4:-2}
passes=${5:-3}
jvm=()
if grep -qE '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
    jvm+=(-XX:+UseTransparentHugePages) # as the launcher does
fi
common=(bench --data fashion-mnist --hidden 1024,1024 --activation relu --optimizer adam --lr 0.001 --batch-size 128
        --threads 2 --measure-epochs "$measure" --infer-reps "$passes" --json)
results=$(mktemp)
trap 'rm -f "$results"' EXIT
for ((p = 1; p <= pairs; p++)); do
    for variant in plain bn; do
        extra=()
        [ "$variant" = bn ] && extra=(--batch-norm --dropout 0.5)
        order=(A B)
        (( p % 2 == 0 )) && order=(B A)
        for which in "${order[@]}"; do
            jar=$a
            [ "$which" = B ] && jar=$b
            line=$(java ${jvm[@]+"${jvm[@]}"} -jar "$jar" "${common[@]}" "${extra[@]}" 2>/dev/null)
            python3 - "$p" "$variant" "$which" "$line" "$results" <<'PY'
import json, sys
pair, variant, which, line, results = sys.argv[1:6]
m = json.loads(line)
row = {"pair": int(pair), "variant": variant, "which": which, "train": m["train_examples_per_second"],
       "infer": m["infer_examples_per_second"], "alloc": m.get("allocated_bytes_per_step"),
       "rss": m.get("peak_rss_mib")}
open(results, "a").write(json.dumps(row) + "\n")
print(f"pair {pair} {variant:5s} {which}: train {row['train']:8.0f} ex/s  infer {row['infer']:8.0f} ex/s  "
      f"allocated/step {row['alloc']}  peak RSS {row['rss']:.0f} MiB", flush=True)
PY
        done
    done
done
python3 - "$results" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
for variant in ("plain", "bn"):
    for what in ("train", "infer"):
        ratios = []
        for p in sorted({r["pair"] for r in rows}):
            a = [r[what] for r in rows if r["pair"] == p and r["variant"] == variant and r["which"] == "A"]
            b = [r[what] for r in rows if r["pair"] == p and r["variant"] == variant and r["which"] == "B"]
            if a and b:
                ratios.append(b[0] / a[0])
        print(f"median B/A {variant:5s} {what}: {statistics.median(ratios):.3f} over {len(ratios)} pairs "
              f"(range {min(ratios):.3f}-{max(ratios):.3f})")
PY
