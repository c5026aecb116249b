#!/usr/bin/env bash
# Training of two builds of NetTricks compared inside ONE JVM, as scripts/inference-ab.sh compares
# inference: each jar is loaded by its own class loader and builds the reference network
# (784-1024-1024-10 ReLU, Adam, batch 128, float32, OpenBLAS with 2 threads; "bn" adds batch
# normalization and dropout 0.5) on the first 12,800 Fashion-MNIST images; timed epochs (100 steps)
# alternate between the two builds, so both see the same machine state. Prints the median and
# quartiles of the per-round speed ratios (B over A) and the ratio of total times.
# Needs: apt-get install dataset-fashion-mnist. Run on a quiet machine.
# Usage: scripts/training-ab.sh JAR_A JAR_B [plain|bn] [ROUNDS]   (defaults: plain, 20 rounds)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
usage="usage: scripts/training-ab.sh JAR_A JAR_B [plain|bn] [ROUNDS]"
if [ $# -lt 2 ] || [ ! -f "$1" ] || [ ! -f "$2" ]; then
    echo "training-ab.sh: JAR_A and JAR_B must be existing jars; $usage" >&2
    exit 2
fi
variant=${3:-plain}
rounds=${4:-20}
if [ "$variant" != plain ] && [ "$variant" != bn ]; then
    echo "training-ab.sh: the variant must be plain or bn, got '$variant'; $usage" >&2
    exit 2
fi
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
    echo "training-ab.sh: ROUNDS must be a whole number of at least 1, got '$rounds'; $usage" >&2
    exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for side in a b; do
    jar=$1; [ $side = b ] && jar=$2
    mkdir -p "$work/$side"
    javac -cp "$jar" -d "$work/$side" "$here/ab/Train.java"
done
javac -d "$work/main" "$here/ab/AB.java"
jvm=()
if grep -qE '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
    jvm+=(-XX:+UseTransparentHugePages)
fi
java ${jvm[@]+"${jvm[@]}"} -Xmx4g -cp "$work/main" AB "$1" "$work/a" "$2" "$work/b" "$variant" "$rounds" Train
