#!/usr/bin/python3
"""Fashion-MNIST with one class cut to a share of its training examples (issue 17's class-weight experiment).

Reads Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist) and writes an IDX directory
whose training set keeps every example of the other classes and the first SHARE of class C's (in file
order); the t10k test files are copied unchanged, so the test set stays balanced.

Usage: /usr/bin/python3 scripts/imbalanced-fashion-mnist.py OUT_DIR [CLASS] [SHARE]   (defaults 6 and 0.05)
Then:  ./nettricks train --data OUT_DIR ... [--class-weight balanced]; ./nettricks evaluate --model M --data OUT_DIR
"""
import gzip
import os
import shutil
import struct
import sys

SOURCE = "/usr/share/datasets/fashion-mnist"


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return data[:4], shape, data[4 + 4 * dims:]


def write_idx(path, magic, shape, payload):
    with open(path, "wb") as f:
        f.write(magic)
        f.write(struct.pack(">" + "I" * len(shape), *shape))
        f.write(payload)


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: imbalanced-fashion-mnist.py OUT_DIR [CLASS] [SHARE]")
    out = sys.argv[1]
    cut = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    share = float(sys.argv[3]) if len(sys.argv) > 3 else 0.05
    os.makedirs(out, exist_ok=True)
    im_magic, im_shape, images = read_idx(os.path.join(SOURCE, "train-images-idx3-ubyte.gz"))
    lb_magic, lb_shape, labels = read_idx(os.path.join(SOURCE, "train-labels-idx1-ubyte.gz"))
    size = im_shape[1] * im_shape[2]
    of_class = [i for i, y in enumerate(labels) if y == cut]
    keep_cut = set(of_class[:round(share * len(of_class))])
    kept = [i for i, y in enumerate(labels) if y != cut or i in keep_cut]
    write_idx(os.path.join(out, "train-images-idx3-ubyte"), im_magic, (len(kept),) + im_shape[1:],
              b"".join(images[i * size:(i + 1) * size] for i in kept))
    write_idx(os.path.join(out, "train-labels-idx1-ubyte"), lb_magic, (len(kept),), bytes(labels[i] for i in kept))
    for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        shutil.copy(os.path.join(SOURCE, name), os.path.join(out, name))
    print(f"{out}: {len(kept)} training examples, class {cut} cut from {len(of_class)} to {len(keep_cut)};"
          " test set unchanged")


if __name__ == "__main__":
    main()
