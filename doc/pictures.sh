#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# pictures.sh: regenerates the pictures README shows (doc/img/*.png) from the
# embedded data: those `pmk demo` draws, and the plots of `gnb eval
# --confusion-png/--worst-png`, `rbm train --plot` and `ising denoise
# --trace-png` on README's own examples.  Run it after a change to a model or
# a figure, look at every picture, and commit them.
#
#   doc/pictures.sh [OUTDIR]        (default: doc/img beside this script)
#
# Environment: PMK, the pmk program [pmk on PATH]; PMK_DATA, the data folder
# [the source tree's data/].  About half a minute on one core.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/doc/img}
data=${PMK_DATA:-$here/data}
PMK=${PMK:-pmk}
OPENBLAS_NUM_THREADS=1
export OPENBLAS_NUM_THREADS
W=$(mktemp -d "${TMPDIR:-/tmp}/pmk-pictures-XXXXXX")
trap 'rm -rf "$W"' EXIT
mkdir -p "$out"
"$PMK" demo --data "$data" -o "$W/demo" >/dev/null
for f in gnb-means rbm-filters rbm-gibbs rbm-samples ising-horse; do
    cp "$W/demo/$f.png" "$out/$f.png"
done
"$PMK" gnb fit "$data/mnist-train.csv.gz" -o "$W/digits.gnb" >/dev/null
"$PMK" gnb eval "$W/digits.gnb" "$data/mnist-test.csv.gz" --confusion-png "$out/gnb-confusion.png" \
    --worst-png "$out/gnb-worst.png" >/dev/null 2>&1
"$PMK" rbm train -q "$data/mnist-train.csv.gz" -o "$W/digits.rbm" -H 100 -e 5 --seed 1 \
    --plot "$out/rbm-curves.png"
"$PMK" ising denoise -m anneal --seed 1 "$data/horse-noisy10.pbm" --truth "$data/horse.pbm" \
    -o "$W/anneal.pbm" --trace-png "$out/ising-trace.png" --compare icm,meanfield,mincut \
    --max-sweeps 100 >/dev/null
ls "$out"
