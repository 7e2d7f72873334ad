#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# bench/mpi.sh: strong scaling of `pmk gnb fit` + `gnb eval`, 1 process vs
# `mpirun -np 2`, on plain CSV (ranges cannot be read from gzip).  Needs an
# MPI build (./configure --with-mpi).  Usage: sh bench/mpi.sh [TRAIN TEST]
set -eu
cd "$(dirname "$0")/.."
PMK=${PMK:-./src/pmk}
T=$(mktemp -d "${TMPDIR:-/tmp}/pmk-mpi-bench-XXXXXX")
trap 'rm -rf "$T"' EXIT
if [ $# -ge 2 ]; then
    train=$1 test=$2
else
    gzip -dc data/mnist-train.csv.gz >"$T/train.csv"
    gzip -dc data/mnist-test.csv.gz >"$T/test.csv"
    train=$T/train.csv test=$T/test.csv
fi
export OPENBLAS_NUM_THREADS=1
secs() { s=$(date +%s.%N); "$@" >/dev/null; e=$(date +%s.%N); echo "$e - $s" | bc; }
for np in 1 2; do
    run=""
    [ "$np" -eq 1 ] || run="mpirun -q --oversubscribe -np $np"
    f=$(secs $run "$PMK" gnb fit --no-train-accuracy "$train" -o "$T/m.gnb")
    e=$(secs $run "$PMK" gnb eval "$T/m.gnb" "$test")
    echo "ranks $np: fit $f s, eval $e s"
done
