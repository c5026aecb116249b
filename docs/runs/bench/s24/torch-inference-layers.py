# Inference of the reference network in PyTorch, module by module (ms per batch of 1,000).
# Run from scripts/peers: cd scripts/peers && /usr/bin/python3 ../../docs/runs/bench/s24/torch-inference-layers.py
import sys, time, statistics, torch, threadpoolctl
sys.path.insert(0, ".")
from torch_mlp import build
import fmnist
torch.set_num_threads(1)
threadpoolctl.threadpool_limits(limits=2, user_api="blas")
torch.manual_seed(1)
xtr, ytr, xva, yva, xte, yte = fmnist.load()
xte = torch.from_numpy(xte)
model = build("plain").eval()
mods = list(model)
tot = {i: [] for i in range(len(mods))}
with torch.no_grad():
    for rep in range(6):
        acc = [0.0] * len(mods)
        t0 = time.perf_counter()
        for s in range(0, 10000, 1000):
            h = xte[s:s + 1000]
            for i, m in enumerate(mods):
                t = time.perf_counter(); h = m(h); acc[i] += time.perf_counter() - t
        whole = time.perf_counter() - t0
        if rep:
            print("pass %.1f ms (%.0f ex/s): " % (whole * 1e3, 10000 / whole) + "  ".join("%s %.2f" % (type(m).__name__, a * 100) for m, a in zip(mods, acc)) + "  (ms per batch)")
