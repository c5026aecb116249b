#!/usr/bin/env bash
# sgemm of the OpenBLAS bundled with org.bytedeco:openblas against the system's OpenBLAS (the one
# PyTorch calls here), at the reference network's layer shapes, interleaved in one process.
# Needs: a C compiler; the system OpenBLAS (apt-get install libopenblas0-pthread, which python3-torch pulls in);
# the bundled library is unpacked by any earlier NetTricks run (~/.javacpp/cache).
# Usage: scripts/gemm-libraries.sh [THREADS]   (default 2)
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-2}
bundled=$(find "$HOME/.javacpp/cache" -path '*linux-x86_64/libopenblas_nolapack.so.0' -print -quit 2>/dev/null || true)
if [ -z "$bundled" ]; then
    ./nettricks train --data digits --hidden 16 --epochs 1 >/dev/null
    bundled=$(find "$HOME/.javacpp/cache" -path '*linux-x86_64/libopenblas_nolapack.so.0' -print -quit)
fi
system=/usr/lib/x86_64-linux-gnu/libopenblas.so.0
[ -e "$system" ] || { echo "gemm-libraries.sh: no system OpenBLAS at $system (apt-get install libopenblas0-pthread)" >&2; exit 2; }
bin=$(mktemp)
trap 'rm -f "$bin"' EXIT
cc -O2 -o "$bin" scripts/peers/gemm_libraries.c -ldl
OPENBLAS_THREAD_TIMEOUT=${OPENBLAS_THREAD_TIMEOUT:-16} "$bin" "$bundled" "$system" "$threads"
