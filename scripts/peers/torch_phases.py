#!/usr/bin/python3
"""Where PyTorch's training step goes on the reference network (784-1024-1024-10 ReLU, Adam 1e-3
foreach, float32, one intra-op thread and OpenBLAS with two: its best setting here), phase by
phase, to set beside `nettricks bench --profile`.

Random inputs (20,000 × 784, uniform in [0, 1)) stand for the images: the step's cost does not
depend on their values. One warm-up epoch, then the means over the second epoch's steps of:
gather (the batch's rows by a shuffled index), forward (model and loss), backward (zero_grad and
backward), update (optimizer.step), in µs.

    /usr/bin/python3 scripts/peers/torch_phases.py [BATCH]     (default 128)
"""
import sys
import time

import numpy as np
import threadpoolctl
import torch
import torch.nn as nn


def main():
    batch = int(sys.argv[1]) if len(sys.argv) > 1 else 128
    torch.set_num_threads(1)
    threadpoolctl.threadpool_limits(2, user_api="blas")
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, foreach=True)
    n = 20000
    x, y = torch.rand(n, 784), torch.randint(0, 10, (n,))
    loss_fn = nn.CrossEntropyLoss()
    phases = {"gather": [], "forward": [], "backward": [], "update": []}
    for epoch in range(2):
        perm = torch.randperm(n)
        for i in range(0, n - batch + 1, batch):
            t0 = time.perf_counter()
            idx = perm[i:i + batch]
            xb, yb = x[idx], y[idx]
            t1 = time.perf_counter()
            loss = loss_fn(model(xb), yb)
            t2 = time.perf_counter()
            opt.zero_grad(set_to_none=True)
            loss.backward()
            t3 = time.perf_counter()
            opt.step()
            t4 = time.perf_counter()
            if epoch == 1:
                for k, v in zip(phases, (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
                    phases[k].append(v)
    means = {k: np.mean(v) * 1e6 for k, v in phases.items()}
    print("  ".join(f"{k} {v:.0f}" for k, v in means.items()) + f"  step {sum(means.values()):.0f} (µs, means)")


if __name__ == "__main__":
    main()
