#!/usr/bin/python3
"""Loads a NetTricks model file into PyTorch without NetTricks, as an independent check of the
format: parses the safetensors header with json, reads the raw little-endian tensors with numpy,
builds the same nn.Sequential (nn.Linear naming and [out, in] layout; BatchNorm1d for
batch-normalized layers; dropout is the identity at test time), applies the normalization stored in
__metadata__, and prints the test accuracy on an IDX test set.

Usage: /usr/bin/python3 scripts/torch_load_model.py MODEL.safetensors [IDX_DIR]
       (IDX_DIR defaults to /usr/share/datasets/fashion-mnist)
"""
import gzip
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    data = raw[8 + n:]
    dtypes = {"F32": "<f4", "F64": "<f8"}
    tensors = {}
    for name, info in header.items():
        b, e = info["data_offsets"]
        tensors[name] = np.frombuffer(data[b:e], dtype=dtypes[info["dtype"]]).reshape(info["shape"])
    return meta, tensors


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        d = f.read()
    ndim = d[3]
    dims = struct.unpack(">" + "I" * ndim, d[4:4 + 4 * ndim])
    return np.frombuffer(d, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def find(directory, base):
    for name in (base, base + ".gz"):
        if os.path.exists(os.path.join(directory, name)):
            return os.path.join(directory, name)
    raise SystemExit(f"{directory}: missing {base}")


def main():
    model_path = sys.argv[1]
    idx_dir = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/datasets/fashion-mnist"
    meta, tensors = read_safetensors(model_path)
    arch = json.loads(meta["architecture"])
    norm = json.loads(meta["normalization"])
    acts = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "linear": nn.Identity}
    hidden = arch["hidden"]
    sizes = [arch["input_size"]] + [h["size"] for h in hidden] + [arch["output_size"]]
    layers = []
    for k in range(len(sizes) - 1):
        lin = nn.Linear(sizes[k], sizes[k + 1]).double()
        lin.weight.data = torch.from_numpy(tensors[f"layers.{k}.weight"].astype(np.float64))
        if f"layers.{k}.bias" in tensors:
            lin.bias.data = torch.from_numpy(tensors[f"layers.{k}.bias"].astype(np.float64))
        else:  # batch-normalized layer: no bias, BatchNorm1d follows (eps 1e-5, as NetTricks)
            lin.bias.data.zero_()
        layers.append(lin)
        if k < len(hidden):
            if hidden[k]["batch_norm"]:
                bn = nn.BatchNorm1d(sizes[k + 1], eps=1e-5).double()
                bn.weight.data = torch.from_numpy(tensors[f"layers.{k}.bn.weight"].astype(np.float64))
                bn.bias.data = torch.from_numpy(tensors[f"layers.{k}.bn.bias"].astype(np.float64))
                bn.running_mean = torch.from_numpy(tensors[f"layers.{k}.bn.running_mean"].astype(np.float64))
                bn.running_var = torch.from_numpy(tensors[f"layers.{k}.bn.running_var"].astype(np.float64))
                layers.append(bn)
            layers.append(acts[hidden[k]["activation"]]())
    model = nn.Sequential(*layers).eval()
    x = read_idx(find(idx_dir, "t10k-images-idx3-ubyte")).reshape(-1, arch["input_size"]).astype(np.float64)
    y = read_idx(find(idx_dir, "t10k-labels-idx1-ubyte")).astype(np.int64)
    x = (x - np.array(norm["offset"])) / np.array(norm["scale"])
    with torch.no_grad():
        pred = model(torch.from_numpy(x)).argmax(1).numpy()
    print(f"torch {torch.__version__}: {model_path} ({'-'.join(map(str, sizes))}) "
          f"test accuracy {np.mean(pred == y):.4f} on {len(y)} examples")


if __name__ == "__main__":
    main()
