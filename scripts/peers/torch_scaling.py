#!/usr/bin/python3
"""PyTorch side of scripts/bench-scaling.sh: training throughput of one MLP on a Fashion-MNIST subset.

Trains 784-H1-...-10 (ReLU, softmax cross-entropy, float32) with plain SGD (no momentum) or Adam
on the first --train-limit training images, batch --batch, shuffled each epoch; epoch 1 is a
warm-up, epochs 2.. are timed. Prints one JSON line:
  {"train_examples_per_second": median over the timed epochs, "epochs": [...], ...}
Runs at PyTorch's best setting on this 2-core machine (see torch_mlp.py): one intra-op thread,
OpenBLAS with two threads, foreach optimizers.

Needs: apt-get install python3-torch python3-sklearn dataset-fashion-mnist; run with /usr/bin/python3.
Example: /usr/bin/python3 torch_scaling.py --hidden 256 --batch 1 --opt sgd --lr 0.01 --train-limit 4000
"""
import argparse
import json
import time

import numpy as np
import threadpoolctl
import torch
import torch.nn as nn

import fmnist


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hidden", default="256", help="comma-separated hidden widths")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--opt", choices=["sgd", "adam"], default="sgd")
    ap.add_argument("--lr", type=float, default=0.01)
    ap.add_argument("--train-limit", type=int, default=10000)
    ap.add_argument("--measure-epochs", type=int, default=2)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--blas-threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    threadpoolctl.threadpool_limits(limits=a.blas_threads, user_api="blas")
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    xtr, ytr, *_ = fmnist.load()
    xtr, ytr = torch.from_numpy(xtr[:a.train_limit]), torch.from_numpy(ytr[:a.train_limit])
    layers, d = [], 784
    for h in (int(w) for w in a.hidden.split(",")):
        layers += [nn.Linear(d, h), nn.ReLU()]
        d = h
    model = nn.Sequential(*layers, nn.Linear(d, 10))
    if a.opt == "adam":
        opt = torch.optim.Adam(model.parameters(), lr=a.lr, foreach=True)
    else:
        opt = torch.optim.SGD(model.parameters(), lr=a.lr, foreach=True)
    lossf = nn.CrossEntropyLoss()
    n = xtr.shape[0]
    rates = []
    for _ in range(1 + a.measure_epochs):
        model.train()
        t = time.perf_counter()
        perm = torch.from_numpy(rng.permutation(n))
        for i in range(0, n, a.batch):
            idx = perm[i:i + a.batch]
            opt.zero_grad(set_to_none=True)
            loss = lossf(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
        rates.append(n / (time.perf_counter() - t))
    timed = rates[1:]
    print(json.dumps({"train_examples_per_second": float(np.median(timed)), "epochs": timed,
                      "torch": torch.__version__, "threads": torch.get_num_threads(),
                      "final_loss": float(loss.item())}))


if __name__ == "__main__":
    main()
