#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_exits.sh: one exit status for one kind of error, in every command
# (issue 13).  An image output whose name does not say its format is a usage
# error (2) before any work, whether the command is gnb show, rbm filters or
# ising denoise; --priors with a wrong count is a usage error as a wrong sum is.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
cd "$T"
fmt="cannot tell the image format from the name (use .pbm, .pgm or .png)"

expect_ok "$PMK" gnb fit -q "$FIX/gnb-tiny-train.csv" -o m.gnb
for f in means.jpg means; do
    expect_err_line 2 "pmk gnb show: $f: $fmt" "$PMK" gnb show m.gnb -o "$f"
done
# '-' is stdout, which takes an image with its format named (issue 11)
expect_err_line 2 "pmk gnb show: an image on standard output needs its format: --format png|pgm|pbm, or -o png:-" \
    "$PMK" gnb show m.gnb -o -
[ ! -e means.jpg ] && [ ! -e means ] || fail "gnb show wrote an output it refused"

expect_ok "$PMK" rbm train -q --hidden 3 --epochs 1 --seed 1 "$FIX/rbm-bars.csv" -o m.rbm
expect_err_line 2 "pmk rbm filters: f.jpg: $fmt" "$PMK" rbm filters m.rbm -o f.jpg
[ ! -e f.jpg ] || fail "rbm filters wrote an output it refused"

f=x.jpg
expect_err_line 2 "pmk ising denoise: $f: $fmt" "$PMK" ising denoise "$FIX/ising-y.pbm" -o "$f"
expect_err_line 2 "pmk ising noise: $f: $fmt" "$PMK" ising noise "$FIX/ising-y.pbm" -o "$f" --seed 1 --flip 0.1
# An image on stdout names its format (issue 11: -o png:- or --format png -o -).
stdout_fmt="an image on standard output needs its format: --format png|pgm|pbm, or -o png:-"
expect_err_line 2 "pmk ising denoise: $stdout_fmt" "$PMK" ising denoise "$FIX/ising-y.pbm" -o -
expect_err_line 2 "pmk ising noise: $stdout_fmt" "$PMK" ising noise "$FIX/ising-y.pbm" -o - --seed 1 --flip 0.1

# --priors: a wrong count and a wrong sum, both exit 2.
expect_err_line 2 "pmk gnb fit: $FIX/gnb-tiny-train.csv: 3 explicit priors given for 2 classes (one per label, in increasing label order)" \
    "$PMK" gnb fit --priors 0.5,0.25,0.25 "$FIX/gnb-tiny-train.csv" -o x.gnb
expect_err_line 2 "pmk gnb fit: --priors: explicit priors: they sum to 0.80000000000000004, not 1 (within 1e-9)" \
    "$PMK" gnb fit --priors 0.5,0.3 "$FIX/gnb-tiny-train.csv" -o x.gnb
[ ! -e x.gnb ] || fail "gnb fit wrote a model after a usage error"
echo "image-format and --priors errors exit 2 in every command"
