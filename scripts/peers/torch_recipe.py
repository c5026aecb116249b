#!/usr/bin/python3
"""Issue 3's every-trick recipe in PyTorch, for an accuracy comparison with NetTricks.

784-1024-1024-10: Dropout(0.2) on the inputs, then per hidden layer
Linear -> BatchNorm1d -> ReLU -> Dropout(0.5); Adam 1e-3; batch 128; softmax cross-entropy;
early stopping on the validation error (or loss, --monitor val-loss) with patience 5 (at most 50 epochs); the parameters of the
best epoch restored before the test set is evaluated once.

The data split is the same kind as NetTricks': 6,000 of the 60,000 training images drawn at
random for validation (seeded by --split-seed), pixels scaled to [0, 1]. At evaluation PyTorch
uses its running averages (momentum 0.1) for batch normalization.

  /usr/bin/python3 scripts/peers/torch_recipe.py --seed 1
"""
import argparse
import copy
import time

import numpy as np
import torch
import torch.nn as nn
import threadpoolctl

import fmnist


def build(init):
    layers, d = [nn.Dropout(0.2)], 784
    for _ in range(2):
        layers += [nn.Linear(d, 1024), nn.BatchNorm1d(1024), nn.ReLU(), nn.Dropout(0.5)]
        d = 1024
    layers.append(nn.Linear(d, 10))
    model = nn.Sequential(*layers)
    if init == "glorot":  # NetTricks's default: Glorot uniform weights, zero biases
        for m in model:
            if isinstance(m, nn.Linear):
                nn.init.xavier_uniform_(m.weight)
                nn.init.zeros_(m.bias)
    return model


@torch.no_grad()
def evaluate(model, x, y, bs=1000):
    """(error, mean cross-entropy) in eval mode."""
    model.eval()
    wrong, loss = 0, 0.0
    for i in range(0, x.shape[0], bs):
        out = model(x[i:i + bs])
        wrong += (out.argmax(1) != y[i:i + bs]).sum().item()
        loss += nn.functional.cross_entropy(out, y[i:i + bs], reduction="sum").item()
    return wrong / x.shape[0], loss / x.shape[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--split-seed", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=50)
    ap.add_argument("--patience", type=int, default=5)
    ap.add_argument("--init", choices=["torch", "glorot"], default="torch",
                    help="PyTorch's default Linear init (U(±1/sqrt(fan_in))) or NetTricks's Glorot uniform")
    ap.add_argument("--monitor", choices=["val-error", "val-loss"], default="val-error")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--blas-threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    threadpoolctl.threadpool_limits(limits=a.blas_threads, user_api="blas")
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    xtr, ytr, xva, yva, xte, yte = fmnist.load()
    x = np.concatenate([xtr, xva])
    y = np.concatenate([ytr, yva])
    order = np.random.default_rng(a.split_seed).permutation(x.shape[0])
    val, tr = order[:6000], order[6000:]
    xtr, ytr, xva, yva = (torch.from_numpy(v) for v in (x[tr], y[tr], x[val], y[val]))
    xte, yte = torch.from_numpy(xte), torch.from_numpy(yte)
    model = build(a.init)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, foreach=True)
    lossf = nn.CrossEntropyLoss()
    n = xtr.shape[0]
    best_err, best_epoch, best_state, since = 2.0, 0, None, 0
    print(f"torch {torch.__version__} seed {a.seed} split-seed {a.split_seed}: "
          f"{n} train, {xva.shape[0]} validation, {xte.shape[0]} test", flush=True)
    for ep in range(1, a.epochs + 1):
        model.train()
        t = time.perf_counter()
        perm = torch.from_numpy(rng.permutation(n))
        tot = 0.0
        for i in range(0, n, 128):
            idx = perm[i:i + 128]
            opt.zero_grad(set_to_none=True)
            loss = lossf(model(xtr[idx]), ytr[idx])
            loss.backward()
            opt.step()
            tot += loss.item() * idx.shape[0]
        verr, vloss = evaluate(model, xva, yva)
        print(f"epoch {ep:2d} train_loss {tot / n:.4f} val_loss {vloss:.4f} val_err {100 * verr:.2f}% "
              f"{time.perf_counter() - t:.1f}s", flush=True)
        watched = verr if a.monitor == "val-error" else vloss
        if watched < best_err:
            best_err, best_epoch, best_state, since = watched, ep, copy.deepcopy(model.state_dict()), 0
        else:
            since += 1
            if since >= a.patience:
                break
    model.load_state_dict(best_state)
    acc = 1 - evaluate(model, xte, yte)[0]
    print(f"RESULT seed {a.seed} init {a.init} monitor {a.monitor} stopped after epoch {ep}, best epoch {best_epoch} "
          f"(best {a.monitor} {best_err:.4f}), test accuracy {100 * acc:.2f}%", flush=True)


if __name__ == "__main__":
    main()
