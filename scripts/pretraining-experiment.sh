#!/usr/bin/env bash
# Does unsupervised pre-training help when labels are few? Fashion-MNIST, 1,000 labelled training
# images (the first 1,000), pre-training on all 60,000 training images, 784-500-500-10 sigmoid,
# fine-tuning with SGD; denoising autoencoders, RBMs (CD-1), and no pre-training (Glorot), seeds 1..3.
# Needs dataset-fashion-mnist. Writes docs/runs/pretraining/*.json|log and prints the table.
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/runs/pretraining
mkdir -p "$out"
common=(--data fashion-mnist --validation-fraction 0 --train-limit 1000 --pretrain-on all
        --hidden 500,500 --activation sigmoid --optimizer sgd --lr 0.1 --batch-size 32 --epochs 100)
for seed in 1 2 3; do
    ./nettricks train "${common[@]}" --seed "$seed" --json \
        > "$out/random-$seed.json" 2> "$out/random-$seed.log"
    ./nettricks train "${common[@]}" --seed "$seed" --pretrain dae --noise masking --corruption 0.25 \
        --pretrain-epochs 10 --pretrain-lr 0.1 --json \
        > "$out/dae-$seed.json" 2> "$out/dae-$seed.log"
    ./nettricks train "${common[@]}" --seed "$seed" --pretrain rbm --cd-k 1 \
        --pretrain-epochs 10 --pretrain-lr 0.1 --json \
        > "$out/rbm-$seed.json" 2> "$out/rbm-$seed.log"
done
# the first layer's filters as pre-trained by the denoising autoencoder (seed 1), before fine-tuning
./nettricks pretrain "${common[@]}" --seed 1 --pretrain dae --noise masking --corruption 0.25 \
    --pretrain-epochs 10 --pretrain-lr 0.1 --out "$out/dae-stack-1.safetensors" --filters "$out/dae-filters.png" \
    > "$out/dae-pretrain-1.log" 2>&1
python3 - "$out" <<'PY'
import json, statistics, sys
out = sys.argv[1]
for method in ["random", "dae", "rbm"]:
    acc = [json.load(open(f"{out}/{method}-{s}.json"))["accuracy"] for s in (1, 2, 3)]
    print(f"{method:6s} test accuracy per seed " + " ".join(f"{100 * a:.2f}%" for a in acc)
          + f"  mean {100 * statistics.mean(acc):.2f}%  sd {100 * statistics.stdev(acc):.2f}")
PY
