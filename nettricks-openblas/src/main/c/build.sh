#!/bin/sh
# Compiles the zero-copy GEMM helper; run by Maven (profile native-helper of nettricks-openblas).
# Usage: build.sh OUTPUT_DIR JAVA_HOME SOURCE
# Without a C compiler it says so and succeeds: the backend then copies GEMM operands (slower).
out=$1 jdk=$2 src=$3
if ! command -v cc >/dev/null 2>&1; then
    echo "no C compiler: the OpenBLAS backend will copy GEMM operands (slower)"
    exit 0
fi
mkdir -p "$out" &&
cc -O2 -shared -fPIC -Wall -Werror -I"$jdk/include" -I"$jdk/include/linux" -o "$out/libnettricks_gemm.so" "$src" -ldl
