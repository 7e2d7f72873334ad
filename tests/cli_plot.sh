#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_plot.sh: the figures the verbs draw (sizes from the documented layouts,
# read from the PNG header), the demo's class-coverage test of its RBM
# samples, and the plot options' usage errors.  Pixel checks live in
# tests/check_plot.c.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
set -e

# png_size FILE: "WIDTHxHEIGHT" from the IHDR chunk
png_size() {
    [ "$(od -An -tx1 -N8 "$1" | tr -d ' ')" = 89504e470d0a1a0a ] || fail "$1: not a PNG"
    set -- $(od -An -tu1 -j16 -N8 "$1")
    echo "$(( ($1 << 24) + ($2 << 16) + ($3 << 8) + $4 ))x$(( ($5 << 24) + ($6 << 16) + ($7 << 8) + $8 ))"
}
size_is() { [ "$(png_size "$1")" = "$2" ] || fail "$1: $(png_size "$1"), wanted $2"; }

# The demo: every picture, and the RBM's 60 chains reach at least 7 of the 10
# classes by the demo's own Gaussian classifier (fixed seed 1).
expect_ok "$PMK" demo -o "$T/demo"
for f in gnb-means rbm-filters rbm-hidden rbm-gibbs rbm-samples ising-horse; do
    png_size "$T/demo/$f.png" >/dev/null
done
n=$(sed -n 's/.*the Gaussian classifier finds \([0-9]*\) of 10 classes.*/\1/p' "$T/out")
[ -n "$n" ] && [ "$n" -ge 7 ] || fail "demo: RBM samples cover ${n:-?} of 10 classes: $(cat "$T/out")"

TRAIN="$DATA/mnist-train.csv.gz"
TEST="$DATA/mnist-test.csv.gz"
expect_ok "$PMK" gnb fit "$TRAIN" -o "$T/m.gnb"
# class means over the shared sigma, zoom 4: 10 tiles of 112 + 8 pixels, a
# bar (94): 8 + 1200 - 8 + 8 + 94 wide; two strips of 8 + 28 + 135 - 8 + 8
expect_ok "$PMK" gnb show --zoom 4 "$T/m.gnb" -o "$T/means.png"
size_is "$T/means.png" 1302x342
# a 10 x 10 confusion heat map of 40-pixel cells: 80 + 400 + 20 by 60 + 400 + 20
expect_ok "$PMK" gnb eval --confusion-png "$T/conf.png" --worst-png "$T/worst.png" "$T/m.gnb" "$TEST"
size_is "$T/conf.png" 500x480
# the 20 worst rows, 10 a row, with two caption lines: 8 + 28 + 2 (112 + 8 + 30) - 8 + 8
size_is "$T/worst.png" 1208x336
grep -qx 'accuracy            0.7990 (1598/2000)' "$T/out" || fail "eval report changed"
# RBM curves: three panels of 220 under a 34-pixel title; 760 wide
expect_ok "$PMK" rbm train -q -H 16 -e 2 --holdout 0.1 --seed 1 "$TEST" -o "$T/r.rbm" --plot "$T/curves.png"
size_is "$T/curves.png" 760x694
expect_ok "$PMK" rbm filters --zoom 2 --count 4 --cols 2 "$T/r.rbm" -o "$T/filters.png"
# Ising: energy and error panels with --truth, energy alone without
expect_ok "$PMK" ising denoise "$DATA/horse-noisy10.pbm" --truth "$DATA/horse.pbm" -o "$T/d.pbm" \
    --trace-png "$T/trace.png"
size_is "$T/trace.png" 760x474
expect_ok "$PMK" ising denoise -m mincut "$DATA/horse-noisy10.pbm" -o "$T/d.pbm" --trace-png "$T/mc.png"
size_is "$T/mc.png" 760x254
# --compare: four methods on one plot of the same layout; the image written
# is -m's (icm's, byte for byte the one above) and the figures are icm's
expect_ok "$PMK" ising denoise "$DATA/horse-noisy10.pbm" --truth "$DATA/horse.pbm" -o "$T/c.pbm" \
    --trace-png "$T/cmp.png" --compare mincut,anneal,meanfield --max-sweeps 30 --seed 1
size_is "$T/cmp.png" 760x474
expect_ok "$PMK" ising denoise "$DATA/horse-noisy10.pbm" -o "$T/i.pbm" --max-sweeps 30
cmp -s "$T/c.pbm" "$T/i.pbm" || fail "--compare changed the restored image"
grep -q '^method icm (raster order)' "$T/out" || fail "--compare: not icm's figures"

# bad values: usage errors before any work
expect_err_line 2 "pmk gnb show: --zoom: zoom 65 is not in 1..64" \
    "$PMK" gnb show --zoom 65 "$T/m.gnb" -o "$T/x.png"
expect_err_line 2 "pmk rbm filters: --zoom: must be at least 1" \
    "$PMK" rbm filters --zoom 0 "$T/r.rbm" -o "$T/x.png"
expect_err_line 2 "pmk gnb eval: output '$T/m.gnb' is the same file as input '$T/m.gnb'" \
    "$PMK" gnb eval --confusion-png "$T/m.gnb" "$T/m.gnb" "$TEST"
expect_err_line 2 "pmk ising denoise: --compare needs --trace-png, and a binary image (no --levels)" \
    "$PMK" ising denoise --compare mincut "$DATA/horse-noisy10.pbm" -o "$T/x.pbm"
expect_err_line 2 "pmk ising denoise: --compare: 'icm' is listed twice" \
    "$PMK" ising denoise --compare icm,mincut,icm --trace-png "$T/x.png" "$DATA/horse-noisy10.pbm" -o "$T/x.pbm"
[ ! -e "$T/x.png" ] && [ ! -e "$T/x.pbm" ] || fail "a refused command wrote its picture"
exit 0
