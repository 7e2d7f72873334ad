#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# bench/rbm.sh: one CD-1 epoch on Fashion-MNIST (60,000 x 784, 500 hidden,
# batch 100): pmk vs scikit-learn's BernoulliRBM, and the GEMM-only floor
# (bench/rbm_gemm.c: the trainer's five GEMMs with its shapes and its split
# among the same number of threads), all in the same run, medians of REPS
# runs, for each thread count (pmk's --threads; OpenBLAS's for sklearn).
# First it checks that 48-row GEMM blocks give one call's bits (the model's
# identity across thread counts rests on it).
#
# Usage: bench/rbm.sh [REPS [THREADS...]]   (from a built tree; default 3 runs, 1 and 2 threads)
# PMK_BENCH_SMALL=1: 1,000 rows of data/'s MNIST sample, no sklearn (a smoke test).
# Output: a table on stdout; the raw times in bench/out/rbm-times.txt.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
reps=${1:-3}
shift 2>/dev/null || true
threads=${*:-"1 2"}
py=/usr/bin/python3
out="$top/bench/out"
mkdir -p "$out"
fm=/usr/share/datasets/fashion-mnist
csv="$out/fashion-train.csv"
npy="$out/fashion-train.npy"
rows=60000
if [ -n "${PMK_BENCH_SMALL:-}" ]; then
    csv="$out/rbm-small.csv" rows=1000
    gzip -dc "$top/data/mnist-train.csv.gz" | cut -d, -f2- >"$csv"
elif [ ! -s "$csv" ] || [ ! -s "$npy" ]; then
    $py "$top/bench/rbm_data.py" "$fm/train-images-idx3-ubyte.gz" "$fm/train-labels-idx1-ubyte.gz" \
        "$csv" "$npy"
fi
cc=${CC:-cc}
$cc -O2 -fopenmp -I"$top" -I"$top/include" -I"$top/src" "$top/bench/rbm_gemm.c" -o "$out/rbm_gemm" \
    -L"$top/src/.libs" -lpmk -Wl,-rpath,"$top/src/.libs" $(pkg-config --libs gsl) -lm
"$out/rbm_gemm" blocks 784 500 100 || echo "warning: 48-row blocks differ from one call: models depend on --threads" >&2
raw="$out/rbm-times.txt"
: >"$raw"
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
for t in $threads; do
    export OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t
    for r in $(seq "$reps"); do
        # pmk: the epoch's seconds from --log (data loading excluded, as for sklearn)
        "$top/src/pmk" rbm train "$csv" -o "$out/rbm-bench.rbm" -H 500 -e 1 -b 100 --holdout 0 \
            --threads "$t" --seed "$r" -q --log "$out/rbm-bench-log.csv"
        echo "$t pmk_cd1 $(awk -F, 'NR == 2 { print $5 }' "$out/rbm-bench-log.csv")" >>"$raw"
        "$top/src/pmk" rbm train "$csv" -o "$out/rbm-bench.rbm" -H 500 -e 1 -b 100 --holdout 0 \
            --threads "$t" --persistent --momentum 0 --seed "$r" -q --log "$out/rbm-bench-log.csv"
        echo "$t pmk_pcd1 $(awk -F, 'NR == 2 { print $5 }' "$out/rbm-bench-log.csv")" >>"$raw"
        "$out/rbm_gemm" "$rows" 784 500 100 "$t" | sed "s/^/$t gemm_/" >>"$raw"
    done
    [ -n "${PMK_BENCH_SMALL:-}" ] && echo "$t sklearn 1" >>"$raw" && continue
    $py "$top/bench/rbm_sklearn.py" "$npy" 500 100 "$reps" | sed "s/^sklearn/$t sklearn/" >>"$raw"
done
echo "One epoch, $rows rows x 784, H = 500, batch 100 (medians of $reps; seconds)"
printf '%-8s %10s %10s %10s %10s %10s %12s %12s\n' threads pmk_cd1 pmk_pcd1 sklearn gemm_f32 gemm_f64 \
    sklearn/pmk pmk/gemm_f32
for t in $threads; do
    m() { awk -v t="$t" -v k="$1" '$1 == t && $2 == k { print $3 }' "$raw" | median; }
    a=$(m pmk_cd1); p=$(m pmk_pcd1); s=$(m sklearn); f=$(m gemm_float); d=$(m gemm_double)
    printf '%-8s %10.3f %10.3f %10.3f %10.3f %10.3f %12.2f %12.2f\n' "$t" "$a" "$p" "$s" "$f" "$d" \
        "$(echo "$s / $a" | bc -l)" "$(echo "$a / $f" | bc -l)"
done
