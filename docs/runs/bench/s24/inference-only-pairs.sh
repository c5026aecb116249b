#!/usr/bin/env bash
# Usage: docs/runs/bench/s24/inference-only-pairs.sh [PAIRS] [PASSES] [plain|bn]
# inference-only pairs: NetTricks bench (infer-reps R) vs torch_mlp.py (infer-reps R), order alternating
cd "$(dirname "$0")/../../../.."  # the repository root
pairs=${1:-4}; reps=${2:-15}; variant=${3:-plain}
extra=(); [ "$variant" = bn ] && extra=(--batch-norm --dropout 0.5)
for ((p=1;p<=pairs;p++)); do
  for side in $( ((p%2)) && echo "nt pt" || echo "pt nt"); do
    if [ $side = nt ]; then
      v=$(./nettricks bench --data fashion-mnist --hidden 1024,1024 --activation relu --optimizer adam --lr 0.001 --batch-size 128 --threads 2 --measure-epochs 1 --train-limit 6000 --infer-reps $reps "${extra[@]}" --json 2>/dev/null | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["infer_examples_per_second"]))')
    else
      v=$(cd scripts/peers && /usr/bin/python3 torch_mlp.py --variant $variant --threads 1 --blas-threads 2 --foreach --epochs 1 --no-eval --infer-reps $reps | python3 -c 'import re,sys,statistics; t=sys.stdin.read(); v=sorted(float(x) for x in re.search(r"infer_ex_per_s[^:]*: (.*)", t).group(1).split()); print(round(v[len(v)//2]))')
    fi
    echo "pair $p $variant $side $v"
  done
done
