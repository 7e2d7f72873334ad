#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# bench/rbm.sh: one CD-1 epoch on Fashion-MNIST (60,000 x 784, 500 hidden,
# batch 100): pmk vs scikit-learn's BernoulliRBM, and the GEMM-only floor, all
# in the same run, medians of REPS runs, for each OpenBLAS thread count.
#
# Usage: bench/rbm.sh [REPS [THREADS...]]   (from a built tree; default 3 runs, 1 and 2 threads)
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
if [ ! -s "$csv" ] || [ ! -s "$npy" ]; then
    $py "$top/bench/rbm_data.py" "$fm/train-images-idx3-ubyte.gz" "$fm/train-labels-idx1-ubyte.gz" \
        "$csv" "$npy"
fi
cc=${CC:-cc}
$cc -O2 -I"$top" -I"$top/include" -I"$top/src" "$top/bench/rbm_gemm.c" -o "$out/rbm_gemm" \
    -L"$top/src/.libs" -lpmk -Wl,-rpath,"$top/src/.libs" $(pkg-config --libs gsl) -lm
raw="$out/rbm-times.txt"
: >"$raw"
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
for t in $threads; do
    export OPENBLAS_NUM_THREADS=$t OMP_NUM_THREADS=$t
    for r in $(seq "$reps"); do
        # pmk: the epoch's seconds from --log (data loading excluded, as for sklearn)
        "$top/src/pmk" rbm train "$csv" -o "$out/rbm-bench.rbm" -H 500 -e 1 -b 100 --holdout 0 \
            --seed "$r" -q --log "$out/rbm-bench-log.csv"
        echo "$t pmk_cd1 $(awk -F, 'NR == 2 { print $5 }' "$out/rbm-bench-log.csv")" >>"$raw"
        "$top/src/pmk" rbm train "$csv" -o "$out/rbm-bench.rbm" -H 500 -e 1 -b 100 --holdout 0 \
            --persistent --momentum 0 --seed "$r" -q --log "$out/rbm-bench-log.csv"
        echo "$t pmk_pcd1 $(awk -F, 'NR == 2 { print $5 }' "$out/rbm-bench-log.csv")" >>"$raw"
        "$out/rbm_gemm" 60000 784 500 100 | sed "s/^/$t gemm_/" >>"$raw"
    done
    $py "$top/bench/rbm_sklearn.py" "$npy" 500 100 "$reps" | sed "s/^sklearn/$t sklearn/" >>"$raw"
done
echo "One epoch, Fashion-MNIST 60,000 x 784, H = 500, batch 100 (medians of $reps; seconds)"
printf '%-8s %10s %10s %10s %10s %10s %12s %12s\n' threads pmk_cd1 pmk_pcd1 sklearn gemm_f32 gemm_f64 \
    sklearn/pmk pmk/gemm_f32
for t in $threads; do
    m() { awk -v t="$t" -v k="$1" '$1 == t && $2 == k { print $3 }' "$raw" | median; }
    a=$(m pmk_cd1); p=$(m pmk_pcd1); s=$(m sklearn); f=$(m gemm_float); d=$(m gemm_double)
    printf '%-8s %10.3f %10.3f %10.3f %10.3f %10.3f %12.2f %12.2f\n' "$t" "$a" "$p" "$s" "$f" "$d" \
        "$(echo "$s / $a" | bc -l)" "$(echo "$a / $f" | bc -l)"
done
