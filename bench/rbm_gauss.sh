#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# bench/rbm_gauss.sh: the Gaussian-Bernoulli RBM (`rbm train --visible
# gaussian`) on Fashion-MNIST grey values, against the diagonal Gaussian
# baseline: pmk gnb fitted with one constant label, whose NLL is then the
# class-blind density (one Gaussian per pixel for all rows, the same variance
# floor: 1e-9 of the largest variance).  Both read the same dequantized pixels
# x + u, u ~ U(0,1) (awk, fixed seed; Theis, van den Oord & Bethge 2016), at
# --scale 1, so both report the test log-density per image in nats in the
# units of the raw 0..256 grey values (the RBM's eval adds the log-Jacobian of
# its standardisation).  Without dequantization a pixel constant in training
# (a border pixel) gets the floor's variance and any test row that differs
# there dominates both means.  The RBM's log Z is estimated by AIS.
#
# Usage: bench/rbm_gauss.sh                    (from a built tree; 60,000 train
#                                               and 10,000 test images)
#        PMK_BENCH_SMALL=1 bench/rbm_gauss.sh  (data/'s MNIST sample, H 16,
#                                               2 epochs, short AIS: a smoke test)
# Settings (environment): H [500], EPOCHS [20], LR [0.001], LEARN_SIGMA [0],
# AIS_RUNS [100], AIS_BETAS [500,4000,10000], SEED [1].
# Output: a table on stdout, kept in bench/out/rbm_gauss.txt.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
pmk="$top/src/pmk"
out="$top/bench/out"
mkdir -p "$out"
if [ "${PMK_BENCH_SMALL:-0}" = 1 ]; then
    tag=small
    : "${H:=16}" "${EPOCHS:=2}" "${AIS_RUNS:=16}" "${AIS_BETAS:=50,100,200}"
    gzip -dc "$top/data/mnist-train.csv.gz" >"$out/gauss-$tag-train.raw"
    gzip -dc "$top/data/mnist-test.csv.gz" >"$out/gauss-$tag-test.raw"
else
    tag=fashion
    fm=/usr/share/datasets/fashion-mnist
    [ -r "$fm/train-images-idx3-ubyte.gz" ] || { echo "bench/rbm_gauss.sh: install dataset-fashion-mnist" >&2; exit 1; }
    [ -s "$out/gauss-$tag-train.raw" ] || "$pmk" convert -q "$fm/train-images-idx3-ubyte.gz" \
        "$fm/train-labels-idx1-ubyte.gz" -o "$out/gauss-$tag-train.raw"
    [ -s "$out/gauss-$tag-test.raw" ] || "$pmk" convert -q "$fm/t10k-images-idx3-ubyte.gz" \
        "$fm/t10k-labels-idx1-ubyte.gz" -o "$out/gauss-$tag-test.raw"
fi
: "${H:=500}" "${EPOCHS:=20}" "${LR:=0.001}" "${LEARN_SIGMA:=0}" "${AIS_RUNS:=100}"
: "${AIS_BETAS:=500,4000,10000}" "${SEED:=1}"
# label 0 on every row (gnb's one class), pixels dequantized; a header line
# (a first field that is not a number) passes through
dequant() {
    awk -F, -v OFS=, -v seed="$2" 'BEGIN { srand(seed) }
        $1 !~ /^[0-9]+$/ { print; next }
        { $1 = 0; for (i = 2; i <= NF; i++) $i = sprintf("%.4f", $i + rand()); print }' "$1"
}
train="$out/gauss-$tag-train.csv" test="$out/gauss-$tag-test.csv"
[ -s "$train" ] || dequant "$out/gauss-$tag-train.raw" 1 >"$train"
[ -s "$test" ] || dequant "$out/gauss-$tag-test.raw" 2 >"$test"
json() { sed -n "s/.*\"$1\": \\([^,}]*\\).*/\\1/p" "$2"; }

# the baseline: one Gaussian per pixel
"$pmk" gnb fit -q --scale 1 "$train" -o "$out/gauss-$tag.gnb" >/dev/null
"$pmk" gnb eval -q --json "$out/gauss-$tag.gnb" "$test" >"$out/gauss-$tag-gnb.json"
base=$(json mean_nll "$out/gauss-$tag-gnb.json" | awk '{ printf "%.2f", -$1 }')

# the RBM
sigma=""
[ "$LEARN_SIGMA" = 1 ] && sigma=--learn-sigma
t0=$(date +%s)
"$pmk" rbm train -q --visible gaussian $sigma --scale 1 -H "$H" -e "$EPOCHS" -b 100 --lr "$LR" \
    --seed "$SEED" "$train" -o "$out/gauss-$tag.rbm"
t1=$(date +%s)
"$pmk" rbm eval -q --json --ais --ais-runs "$AIS_RUNS" --ais-betas "$AIS_BETAS" --seed "$SEED" \
    "$out/gauss-$tag.rbm" "$test" >"$out/gauss-$tag-rbm.json"
t2=$(date +%s)
rbm=$(json mean_log_density "$out/gauss-$tag-rbm.json" | awk '{ printf "%.2f", $1 }')
lo=$(json log_z_lo "$out/gauss-$tag-rbm.json") hi=$(json log_z_hi "$out/gauss-$tag-rbm.json")
{
    echo "Test log-density per image (nats, dequantized 0..256 grey values), $tag"
    printf '%-44s %12s\n' "model" "log p(x)"
    printf '%-44s %12s\n' "diagonal Gaussian (pmk gnb, one class)" "$base"
    printf '%-44s %12s\n' "GB-RBM H=$H, CD-1, $EPOCHS epochs, lr $LR${sigma:+, learned s}" "$rbm"
    echo "AIS: $AIS_RUNS runs, betas $AIS_BETAS; log Z in [$lo, $hi] (+-3 sigma)"
    echo "train $((t1 - t0)) s, eval $((t2 - t1)) s"
} | tee "$out/rbm_gauss.txt"
