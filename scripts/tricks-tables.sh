#!/usr/bin/env bash
# Reproduces the two tables of docs/tricks.md on Fashion-MNIST (needs dataset-fashion-mnist).
# Each run's final figures land in docs/runs/<name>.json (and its progress in <name>.log).
#   (a) overfitting: 784-1024-1024-10 ReLU on the first 5,000 training images, Adam 1e-3, batch 128,
#       60 epochs: no regularization, L2, dropout, early stopping
#   (b) sigmoid units with and without batch normalization: 784-512-512-10, SGD 0.1, batch 64,
#       10 epochs, test error after every epoch
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/runs
mkdir -p "$out"
run() {
    local name=$1; shift
    echo "== $name: ./nettricks train $*" >&2
    ./nettricks train "$@" --json > "$out/$name.json" 2> "$out/$name.log"
}
small=(--data fashion-mnist --train-limit 5000 --hidden 1024,1024 --activation relu --optimizer adam --lr 0.001
       --batch-size 128 --epochs 60 --seed 1)
run overfit-none      "${small[@]}"
run overfit-l2        "${small[@]}" --l2 0.0005
run overfit-dropout   "${small[@]}" --dropout 0.5 --input-dropout 0.2
run overfit-early     "${small[@]}" --patience 5
sigm=(--data fashion-mnist --hidden 512,512 --activation sigmoid --optimizer sgd --lr 0.1 --batch-size 64
      --epochs 10 --seed 1 --test-each-epoch)
run sigmoid-plain     "${sigm[@]}"
run sigmoid-bn        "${sigm[@]}" --batch-norm
