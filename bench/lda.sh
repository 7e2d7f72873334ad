#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# bench/lda.sh: the Gaussian classifier with one full shared covariance
# (`gnb fit --covariance full`, linear discriminant analysis) against the
# diagonal model and scikit-learn's LinearDiscriminantAnalysis (solver svd,
# its default) in the same run, on
#   mnist     data/'s MNIST sample: train on its 8,000 rows, test on its 2,000
#   fashion   Fashion-MNIST (Debian's dataset-fashion-mnist): 60,000 / 10,000
# Test accuracy, and wall seconds (medians of REPS): pmk's fit and eval
# commands (CSV parsing included), scikit-learn's fit and score (the CSV
# loaded beforehand, not timed).  scikit-learn is skipped when
# /usr/bin/python3 cannot import it.
#
# Usage: bench/lda.sh [REPS]                 (from a built tree; default 3)
#        PMK_BENCH_SMALL=1 bench/lda.sh 1    (1,000 training rows of the MNIST
#                                             sample, no Fashion-MNIST: a smoke test)
# Output: a table on stdout; the raw figures in bench/out/lda-times.txt.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/bench/stamp.sh"   # stamp VAR: the clock, without a process
reps=${1:-3}
pmk="$top/src/pmk"
out="$top/bench/out"
py=/usr/bin/python3
mkdir -p "$out"
sets="mnist"
if [ "${PMK_BENCH_SMALL:-0}" = 1 ]; then
    gzip -dc "$top/data/mnist-train.csv.gz" | head -n 1000 >"$out/lda-mnist-train.csv"
else
    gzip -dc "$top/data/mnist-train.csv.gz" >"$out/lda-mnist-train.csv"
    fm=/usr/share/datasets/fashion-mnist
    [ -r "$fm/train-images-idx3-ubyte.gz" ] || { echo "bench/lda.sh: install dataset-fashion-mnist" >&2; exit 1; }
    [ -s "$out/lda-fashion-train.csv" ] || "$pmk" convert -q "$fm/train-images-idx3-ubyte.gz" \
        "$fm/train-labels-idx1-ubyte.gz" -o "$out/lda-fashion-train.csv"
    [ -s "$out/lda-fashion-test.csv" ] || "$pmk" convert -q "$fm/t10k-images-idx3-ubyte.gz" \
        "$fm/t10k-labels-idx1-ubyte.gz" -o "$out/lda-fashion-test.csv"
    sets="mnist fashion"
fi
gzip -dc "$top/data/mnist-test.csv.gz" >"$out/lda-mnist-test.csv"
sk=0
"$py" -c 'import sklearn' 2>/dev/null && sk=1
raw="$out/lda-times.txt"
: >"$raw"
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
acc() { tr ',' '\n' <"$1" | sed -n 's/^ *"accuracy": *//p'; }
for set in $sets; do
    train="$out/lda-$set-train.csv" test="$out/lda-$set-test.csv"
    for r in $(seq "$reps"); do
        for cov in full diag; do
            stamp t0
            "$pmk" gnb fit -q --no-train-accuracy --covariance "$cov" "$train" -o "$out/lda.gnb" >/dev/null
            stamp t1
            "$pmk" gnb eval -q --json "$out/lda.gnb" "$test" >"$out/lda-eval.json"
            stamp t2
            echo "$set pmk-$cov $(acc "$out/lda-eval.json") $(echo "$t1 - $t0" | bc) $(echo "$t2 - $t1" | bc)" >>"$raw"
        done
        if [ "$sk" = 1 ]; then
            "$py" - "$train" "$test" "$set" >>"$raw" <<'PYEOF'
import sys, time
import numpy as np
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
# pmk convert's CSV starts with a header line; data/'s sample does not
load = lambda f: np.loadtxt(f, delimiter=",", dtype=np.float64,
                            skiprows=0 if open(f).read(1).isdigit() else 1)
tr, te = load(sys.argv[1]), load(sys.argv[2])
t0 = time.perf_counter()
m = LinearDiscriminantAnalysis().fit(tr[:, 1:] / 255.0, tr[:, 0].astype(int))
t1 = time.perf_counter()
a = m.score(te[:, 1:] / 255.0, te[:, 0].astype(int))
t2 = time.perf_counter()
print("%s sklearn-lda-svd %.4f %.3f %.3f" % (sys.argv[3], a, t1 - t0, t2 - t1))
PYEOF
        fi
    done
done
printf '%-8s %-16s %9s %10s %10s\n' "data" "model" "accuracy" "fit (s)" "test (s)"
for set in $sets; do
    for model in pmk-full pmk-diag sklearn-lda-svd; do
        grep -q "^$set $model " "$raw" || continue
        a=$(awk -v s="$set" -v m="$model" '$1 == s && $2 == m { print $3; exit }' "$raw")
        f=$(awk -v s="$set" -v m="$model" '$1 == s && $2 == m { print $4 }' "$raw" | median)
        e=$(awk -v s="$set" -v m="$model" '$1 == s && $2 == m { print $5 }' "$raw" | median)
        printf '%-8s %-16s %9.4f %10.3f %10.3f\n' "$set" "$model" "$a" "$f" "$e"
    done
done
