#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# bench/mpi.sh: strong scaling over MPI ranks, 1 process vs `mpirun -np P`
# (P = 2, or the counts given) in the same run, medians of REPS runs, wall
# seconds, every rank on one thread (--threads 1, OPENBLAS_NUM_THREADS=1),
# so that the ranks are the only parallelism:
#   gnb        `gnb fit` + `gnb eval` on Fashion-MNIST (plain CSV, 60,000 +
#              10,000 rows): each rank reads a byte range of the one file
#   gnb_files  the same over the files split in 4 (each rank whole files)
#   rbm        one CD-1 epoch, H 500, batch 100 (the epoch's seconds from
#              --log: data loading excluded; every rank loads all rows)
# Needs an MPI build (./configure --with-mpi) and dataset-fashion-mnist.
#
# Usage: bench/mpi.sh [REPS [RANKS...]]   (from a built tree; default 3; 2)
#        PMK_BENCH_SMALL=1 bench/mpi.sh 1  (data/'s MNIST sample, H 50: a smoke test)
# Output: a table on stdout; the raw times in bench/out/mpi-times.txt.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/bench/stamp.sh"   # stamp VAR: the clock, without a process
reps=${1:-3}
shift 2>/dev/null || true
ranks=${*:-2}
pmk="$top/src/pmk"
out="$top/bench/out"
mkdir -p "$out"
H=500
if [ "${PMK_BENCH_SMALL:-0}" = 1 ]; then
    train="$out/small-train.csv" test="$out/small-test.csv" H=50
    gzip -dc "$top/data/mnist-train.csv.gz" >"$train"
    gzip -dc "$top/data/mnist-test.csv.gz" >"$test"
else
    fm=/usr/share/datasets/fashion-mnist
    [ -r "$fm/train-images-idx3-ubyte.gz" ] || { echo "bench/mpi.sh: install dataset-fashion-mnist" >&2; exit 1; }
    train="$out/fashion-train.csv" test="$out/fashion-test.csv"
    # plain CSV: byte ranges need a seekable, uncompressed file
    [ -s "$train" ] || "$pmk" convert -q "$fm/train-images-idx3-ubyte.gz" \
        "$fm/train-labels-idx1-ubyte.gz" -o "$train"
    [ -s "$test" ] || "$pmk" convert -q "$fm/t10k-images-idx3-ubyte.gz" \
        "$fm/t10k-labels-idx1-ubyte.gz" -o "$test"
fi
rm -f "$out"/mpi-tr-*.csv "$out"/mpi-te-*.csv
split -n l/4 -d --additional-suffix=.csv "$train" "$out/mpi-tr-"
split -n l/4 -d --additional-suffix=.csv "$test" "$out/mpi-te-"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
raw="$out/mpi-times.txt"
: >"$raw"
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
for r in $(seq "$reps"); do
    for np in 1 $ranks; do
        run=""
        [ "$np" -eq 1 ] || run="mpirun -q --oversubscribe -np $np"
        stamp t0
        $run "$pmk" gnb fit -q --threads 1 --no-train-accuracy "$train" -o "$out/mpi.gnb" >/dev/null
        $run "$pmk" gnb eval -q --threads 1 "$out/mpi.gnb" "$test" >/dev/null
        stamp t1
        echo "$np gnb $(echo "$t1 - $t0" | bc)" >>"$raw"
        stamp t0
        $run "$pmk" gnb fit -q --threads 1 --no-train-accuracy "$out"/mpi-tr-*.csv \
            -o "$out/mpi.gnb" >/dev/null
        $run "$pmk" gnb eval -q --threads 1 "$out/mpi.gnb" "$out"/mpi-te-*.csv >/dev/null
        stamp t1
        echo "$np gnb_files $(echo "$t1 - $t0" | bc)" >>"$raw"
        $run "$pmk" rbm train -q --threads 1 -H "$H" -e 1 -b 100 --holdout 0 --seed "$r" \
            "$train" -o "$out/mpi.rbm" --log "$out/mpi-rbm-log.csv"
        echo "$np rbm $(awk -F, 'NR == 2 { print $5 }' "$out/mpi-rbm-log.csv")" >>"$raw"
    done
done
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc --all) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "1 process vs mpirun -np P, one thread per rank (medians of $reps; seconds)"
printf '%-6s %10s %10s %10s %10s %10s %10s\n' ranks gnb speedup gnb_files speedup rbm speedup
m() { awk -v p="$1" -v k="$2" '$1 == p && $2 == k { print $3 }' "$raw" | median; }
for np in 1 $ranks; do
    g=$(m "$np" gnb) f=$(m "$np" gnb_files) b=$(m "$np" rbm)
    printf '%-6s %10.3f %10.2f %10.3f %10.2f %10.3f %10.2f\n' "$np" "$g" \
        "$(echo "$(m 1 gnb) / $g" | bc -l)" "$f" "$(echo "$(m 1 gnb_files) / $f" | bc -l)" \
        "$b" "$(echo "$(m 1 rbm) / $b" | bc -l)"
done
