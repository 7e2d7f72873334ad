#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# bench/rbm_figures.sh: the RBM's likelihood figures on the 8,000/2,000 MNIST
# split (pixels scaled by 1/255, binarized at 0.5):
#  1. AIS against the exact log Z for a 20-hidden model (must agree within 0.5 nats);
#  2. 500-hidden RBMs trained by CD-1, CD-3 and CD-25, their AIS test
#     log-probabilities (published order: CD1 < CD3 < CD25).
# Usage: bench/rbm_figures.sh [EPOCHS [LR [WEIGHT_DECAY]]]
#        (defaults 20, 0.01, 0.001; long: minutes per model)
# Output: bench/out/rbm-figures.txt and the models in bench/out/.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
epochs=${1:-20}
lr=${2:-0.01}
wd=${3:-0.001}
out="$top/bench/out"
mkdir -p "$out"
pmk="$top/src/pmk"
train="$top/data/mnist-train.csv.gz"
test="$top/data/mnist-test.csv.gz"
log="$out/rbm-figures.txt"
: >"$log"
say() { echo "$*" | tee -a "$log"; }
field() { sed -n "s/.*\"$1\": \\([^,}]*\\).*/\\1/p" "$2"; }

say "# 1. AIS vs exact log Z, H = 20, CD-1, $epochs epochs, lr $lr, weight decay $wd"
$pmk -q rbm train "$train" --binarize 0.5 -H 20 -e "$epochs" --lr "$lr" --weight-decay "$wd" \
    --seed 1 -o "$out/rbm-h20.rbm"
$pmk rbm eval "$out/rbm-h20.rbm" "$test" --binarize 0.5 --exact --json --seed 1 >"$out/rbm-h20-exact.json"
$pmk rbm eval "$out/rbm-h20.rbm" "$test" --binarize 0.5 --ais --json --seed 1 >"$out/rbm-h20-ais.json"
ex=$(field log_z "$out/rbm-h20-exact.json")
ai=$(field log_z "$out/rbm-h20-ais.json")
say "exact log Z $ex; AIS $ai [$(field log_z_lo "$out/rbm-h20-ais.json"), $(field log_z_hi "$out/rbm-h20-ais.json")]; difference $(echo "$ai - $ex" | bc -l)"
say "test mean log p(v): exact $(field mean_log_prob "$out/rbm-h20-exact.json"), AIS $(field mean_log_prob "$out/rbm-h20-ais.json")"

for k in 1 3 25; do
    say "# 2. H = 500, CD-$k, $epochs epochs, lr $lr, weight decay $wd"
    t0=$(date +%s)
    $pmk -q rbm train "$train" --binarize 0.5 -H 500 -k "$k" -e "$epochs" --lr "$lr" \
        --weight-decay "$wd" --seed 1 \
        -o "$out/rbm-cd$k.rbm" --log "$out/rbm-cd$k-log.csv"
    t1=$(date +%s)
    $pmk rbm eval "$out/rbm-cd$k.rbm" "$test" --binarize 0.5 --ais --json --seed 1 >"$out/rbm-cd$k-ais.json"
    t2=$(date +%s)
    j="$out/rbm-cd$k-ais.json"
    say "CD-$k: test mean log p(v) $(field mean_log_prob "$j") (log Z $(field log_z "$j") in [$(field log_z_lo "$j"), $(field log_z_hi "$j")]); train $((t1 - t0)) s, AIS $((t2 - t1)) s"
done
