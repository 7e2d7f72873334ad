#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_outset.sh: outputs written as a set change together or not at all:
# convert's images and labels, gnb export's four files, rbm export's three.
# When one member cannot be written, every existing target stays byte-identical
# and no staging or temporary file is left behind.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
cd "$T"
printf '1,2,3\n4,5,6\n' >a.csv
printf '7,8,9\n4,5,6\n' >b.csv
expect_ok "$PMK" convert -q a.csv -o X.idx --labels L.idx
cp X.idx X.keep
cp L.idx L.keep
# The labels cannot be written: the images are not replaced either.
if [ -w /dev/full ]; then
    expect_fail 1 "pmk convert: /dev/full: cannot write: No space left on device" \
        "$PMK" convert -q b.csv -o X.idx --labels /dev/full
    same_bytes X.idx X.keep
fi
# The labels' target is a folder: same.
mkdir Ldir
expect_fail 1 "pmk convert: Ldir: cannot write: is a directory" \
    "$PMK" convert -q b.csv -o X.idx --labels Ldir
same_bytes X.idx X.keep
same_bytes L.idx L.keep
# Both written: both replaced.
expect_ok "$PMK" convert -q b.csv -o X.idx --labels L.idx
cmp -s X.idx X.keep && fail "convert did not replace the images"
cmp -s L.idx L.keep && fail "convert did not replace the labels"

# gnb export: transform.csv cannot be written (a folder), mu/var/priors stay.
expect_ok "$PMK" gnb fit -q "$FIX/gnb-tiny-train.csv" -o m.gnb
expect_ok "$PMK" gnb fit -q --scale 1 "$FIX/gnb-tiny-train.csv" -o m1.gnb
expect_ok "$PMK" gnb export m.gnb ex
for f in mu var priors transform; do cp "ex/$f.csv" "$f.keep"; done
rm ex/transform.csv
mkdir ex/transform.csv
expect_fail 1 "pmk gnb export: ex/transform.csv: cannot write: is a directory" \
    "$PMK" gnb export m1.gnb ex
for f in mu var priors; do same_bytes "ex/$f.csv" "$f.keep"; done
rmdir ex/transform.csv
expect_ok "$PMK" gnb export m1.gnb ex
[ "$(sed -n 2p ex/transform.csv)" = 1 ] || fail "gnb export --scale 1: transform.csv $(cat ex/transform.csv)"

# rbm export: a.csv cannot be written, W.csv and b.csv stay.
expect_ok "$PMK" rbm train -q --hidden 3 --epochs 1 --seed 1 "$FIX/rbm-bars.csv" -o r.rbm
expect_ok "$PMK" rbm train -q --hidden 3 --epochs 1 --seed 2 "$FIX/rbm-bars.csv" -o r2.rbm
expect_ok "$PMK" rbm export r.rbm rx
cp rx/W.csv W.keep
cp rx/b.csv b.keep
rm rx/a.csv
mkdir rx/a.csv
expect_fail 1 "pmk rbm export: rx/a.csv: cannot write: is a directory" "$PMK" rbm export r2.rbm rx
same_bytes rx/W.csv W.keep
same_bytes rx/b.csv b.keep

# Nothing staged or temporary is left anywhere.
left=$(find . -name '.*pmk-*' | head -n 5)
[ -z "$left" ] || fail "staging or temporary files left: $left"
echo "output sets: all or nothing"
