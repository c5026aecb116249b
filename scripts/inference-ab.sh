#!/usr/bin/env bash
# Inference of two builds of NetTricks compared inside ONE JVM: each jar is loaded by its own class
# loader, both load the same model file, and timed passes (10 batches of 1,000 random inputs each)
# alternate between them, so both see the same machine state; separate processes differ by ±5% here
# from heap layout and noise alone. Prints the median and quartiles of the per-round speed ratios
# (B over A) and the ratio of total times. Works with jars from before and after the package moves of
# issue 13 (ModelFile in org.nettricks.io or org.nettricks.model).
# Usage: scripts/inference-ab.sh JAR_A JAR_B MODEL.safetensors [ROUNDS]   (default 60 rounds)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ $# -lt 3 ] || [ ! -f "$1" ] || [ ! -f "$2" ] || [ ! -f "$3" ]; then
    echo "usage: scripts/inference-ab.sh JAR_A JAR_B MODEL.safetensors [ROUNDS] (existing files)" >&2
    exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
compile() { # jar dir
    mkdir -p "$2"
    if ! javac -cp "$1" -d "$2" "$here/ab/Pass.java" 2>/dev/null; then
        sed 's/import org.nettricks.model.ModelFile;/import org.nettricks.io.ModelFile;/' "$here/ab/Pass.java" > "$work/Pass.java"
        javac -cp "$1" -d "$2" "$work/Pass.java"
    fi
}
compile "$1" "$work/a"
compile "$2" "$work/b"
javac -d "$work/main" "$here/ab/AB.java"
jvm=()
if grep -qE '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
    jvm+=(-XX:+UseTransparentHugePages)
fi
java ${jvm[@]+"${jvm[@]}"} -cp "$work/main" AB "$1" "$work/a" "$2" "$work/b" "$3" "${4:-60}"
