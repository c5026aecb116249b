#!/usr/bin/env bash
# Issue 3's every-trick recipe (docs/recipes/fashion-mnist-all-tricks.yaml) in NetTricks and in
# PyTorch (scripts/peers/torch_recipe.py, the same network, tricks, optimizer, batch, split sizes
# and early stopping), for several seeds: test accuracy, the epoch each run stopped after and the
# epoch whose parameters it kept. Each run uses one core (--threads 1 / one PyTorch thread).
# Needs: apt-get install dataset-fashion-mnist python3-torch python3-sklearn
# PyTorch initializes its Linear layers with Glorot uniform weights and zero biases, as NetTricks
# does (TORCH_INIT=torch keeps PyTorch's own default, U(±1/√fan_in), which trains faster here).
# Usage: scripts/accuracy-vs-pytorch.sh [MONITOR] [SEEDS...]   (default: val-error 1 2 3)
set -euo pipefail
cd "$(dirname "$0")/.."
monitor=${1:-val-error}
shift || true
if [ $# -gt 0 ]; then seeds=("$@"); else seeds=(1 2 3); fi
init=${TORCH_INIT:-glorot}
out=docs/runs/accuracy-vs-pytorch/$monitor
mkdir -p "$out"
for s in "${seeds[@]}"; do
    ./nettricks train --recipe docs/recipes/fashion-mnist-all-tricks.yaml --monitor "$monitor" --seed "$s" \
        --threads 1 --out "/tmp/nettricks-recipe-seed$s.safetensors" --json >"$out/nettricks-seed$s.json" \
        2>"$out/nettricks-seed$s.log"
    (cd scripts/peers && /usr/bin/python3 torch_recipe.py --seed "$s" --init "$init" --monitor "$monitor" \
        --threads 1 --blas-threads 1) >"$out/pytorch-$init-seed$s.log" 2>&1
done
/usr/bin/python3 - "$out" "$init" "${seeds[@]}" <<'PY'
import json, re, sys
out, init, seeds = sys.argv[1], sys.argv[2], sys.argv[3:]
print(f"seed | NetTricks accuracy (stopped after, kept) | PyTorch ({init} init) accuracy (stopped after, kept)")
for s in seeds:
    nt = json.load(open(f"{out}/nettricks-seed{s}.json"))
    pt = re.search(r"stopped after epoch (\d+), best epoch (\d+).*test accuracy ([\d.]+)%",
                   open(f"{out}/pytorch-{init}-seed{s}.log").read())
    print(f"{s} | {100 * nt['accuracy']:.2f}% ({nt['epochs']}, {nt['best_epoch']}) | "
          f"{pt.group(3)}% ({pt.group(1)}, {pt.group(2)})")
PY
