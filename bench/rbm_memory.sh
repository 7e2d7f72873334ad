#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# bench/rbm_memory.sh: peak memory of `pmk rbm train` on Fashion-MNIST's 60,000
# training images (784 pixels, 500 hidden units, CD-1, batches of 100) from
# the IDX file and from the equivalent CSV, against the numpy baseline a user
# would write (the images as a float64 array, then CD-1 in numpy), all in the
# same run.  Peak RSS as /usr/bin/time -v reports it (maximum resident set
# size).  Needs dataset-fashion-mnist and python3-numpy.
#
# Usage: bench/rbm_memory.sh [EPOCHS]   (from a built tree; default 1 epoch)
# PMK_BEFORE=/path/to/an/older/pmk adds that build's run on the CSV (the
# figure this replaced: the whole data set as a matrix of doubles).
# Output: one line per program: its peak RSS in MB and its seconds.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
epochs=${1:-1}
py=/usr/bin/python3
pmk="$top/src/pmk"
fm=/usr/share/datasets/fashion-mnist
img="$fm/train-images-idx3-ubyte.gz"
[ -r "$img" ] || { echo "rbm_memory.sh: $img missing (apt install dataset-fashion-mnist)" >&2; exit 1; }
out="$top/bench/out"
mkdir -p "$out"
csv="$out/fashion-train.csv"
[ -s "$csv" ] || "$pmk" convert -q "$img" "$fm/train-labels-idx1-ubyte.gz" -o "$csv"
export OPENBLAS_NUM_THREADS=1
# peak NAME CMD...: runs CMD under /usr/bin/time -v, prints NAME, MB, seconds
peak() {
    name=$1
    shift
    /usr/bin/time -v "$@" >"$out/mem-$name.out" 2>"$out/mem-$name.err"
    awk -v n="$name" -F': ' '/Maximum resident set size/ { kb = $2 }
        /Elapsed \(wall clock\)/ { t = $2 }
        END { printf "%-28s peak RSS %7.1f MB   wall %s\n", n, kb / 1024, t }' "$out/mem-$name.err"
}
echo "Fashion-MNIST train (60000 x 784), H = 500, CD-1, batch 100, $epochs epoch(s); $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
peak "pmk rbm train (IDX)" "$pmk" rbm train -q "$img" -o "$out/mem.rbm" -H 500 -e "$epochs" --seed 1
peak "pmk rbm train (CSV)" "$pmk" rbm train -q "$csv" -o "$out/mem-csv.rbm" -H 500 -e "$epochs" --seed 1
cmp -s "$out/mem.rbm" "$out/mem-csv.rbm" || echo "rbm_memory.sh: the IDX and CSV models differ" >&2
if [ -n "${PMK_BEFORE:-}" ]; then
    peak "PMK_BEFORE rbm train (CSV)" "$PMK_BEFORE" rbm train -q "$csv" -o "$out/mem-before.rbm" -H 500 \
        -e "$epochs" --seed 1
fi
peak "numpy (float64 + CD-1)" "$py" "$top/bench/rbm_memory.py" "$img" 500 "$epochs"
