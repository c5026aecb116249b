#!/bin/bash
# class-weight experiment: Fashion-MNIST with class 6 (shirt) cut to 5% of its training examples
cd "$(dirname "$0")/../../.."
for seed in 1 2 3; do
  for cw in none balanced; do
    m=/tmp/cw-$cw-$seed.safetensors
    ./nettricks train --data /tmp/fmnist-cut --hidden 256 --optimizer adam --lr 0.001 --batch-size 64 --epochs 10 --seed $seed --class-weight $cw --out $m > /tmp/cw-$cw-$seed.train.log 2>&1
    ./nettricks evaluate --model $m --data /tmp/fmnist-cut --json > /tmp/cw-$cw-$seed.eval.json 2>/tmp/cw-$cw-$seed.eval.err
    python3 -c "
import json; d=json.load(open('/tmp/cw-$cw-$seed.eval.json')); pc=d['per_class'][6]
print('seed $seed class-weight $cw: shirt recall %.4f precision %.4f f1 %.4f | accuracy %.4f macro-f1 %.4f balanced-acc %.4f' % (pc['recall'], pc['precision'], pc['f1'], d['accuracy'], d['macro']['f1'], d['balanced_accuracy']))"
  done
done
