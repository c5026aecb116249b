#!/usr/bin/python3
"""PyTorch's float32 matrix products at the shapes of one training step of the reference network
(784-1024-1024-10, batch 128), the shapes of NetTricks's JMH GemmBenchmark, for the GEMM target:
time per call (median of 5 runs of 200 calls) and GFLOP/s = 2 m n k / time.

PyTorch at its best setting here: one intra-op thread, OpenBLAS with two.
  /usr/bin/python3 scripts/peers/torch_gemm.py
"""
import time

import numpy as np
import torch
import threadpoolctl

# m x n x k and the transposes of op(A) op(B), as in GemmBenchmark
SHAPES = ["128x1024x784:NT", "128x1024x1024:NT", "1024x784x128:TN", "1024x1024x128:TN", "128x1024x1024:NN"]


def main():
    torch.set_num_threads(1)
    threadpoolctl.threadpool_limits(limits=2, user_api="blas")
    g = torch.Generator().manual_seed(1)
    for shape in SHAPES:
        dims, ops = shape.split(":")
        m, n, k = (int(v) for v in dims.split("x"))
        a = torch.rand(k, m, generator=g).T if ops[0] == "T" else torch.rand(m, k, generator=g)
        b = torch.rand(n, k, generator=g).T if ops[1] == "T" else torch.rand(k, n, generator=g)
        c = torch.empty(m, n)
        for _ in range(50):
            torch.mm(a, b, out=c)
        times = []
        for _ in range(5):
            t = time.perf_counter()
            for _ in range(200):
                torch.mm(a, b, out=c)
            times.append((time.perf_counter() - t) / 200)
        us = float(np.median(times)) * 1e6
        print(f"{shape:18s} {us:8.1f} us/op  {2 * m * n * k / us / 1e3:6.1f} GFLOP/s", flush=True)


if __name__ == "__main__":
    main()
