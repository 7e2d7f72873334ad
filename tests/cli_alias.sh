#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_alias.sh: no command writes over a file it reads or another file it
# writes.  Every verb that writes a file is given an output that is one of its
# inputs (by the same name, a symbolic link, a hard link, a "d/../f" spelling)
# or another of its outputs (an existing file, or the same new name twice).
# Each must exit 2 with one message naming both files, before any work, and
# leave every file byte-identical (compared with copies) and no file created.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
set -e
mkdir "$T/w"
cd "$T/w"                   # $T/out and $T/err (run's captures) stay outside
cp "$FIX/gnb-tiny-train.csv" data.csv
cp "$FIX/rbm-bars.csv" bars.csv
cp "$FIX/ising-y.pbm" noisy.pbm
cp "$FIX/ising-x.pbm" clean.pbm
cp "$FIX/idx-images.idx3-ubyte" img.idx
cp "$FIX/idx-labels.idx1-ubyte" lab.idx
expect_ok "$PMK" gnb fit -q data.csv -o m.gnb
cp m.gnb m2.gnb
expect_ok "$PMK" rbm train -q -H 4 -e 1 --seed 1 bars.csv -o m.rbm
mkdir sub ex
ln -s data.csv link.csv
ln data.csv hard.csv
mkdir "$T/keep"
listing() { ls -a; ls -a sub ex; }
snapshot() {
    rm -f "$T"/keep/*
    for f in *; do if [ -f "$f" ]; then cp "$f" "$T/keep/$f"; fi; done
    listing >"$T/keep.ls"
}
snapshot

# refused STATUS-LINE CMD...: exit 2, exactly "pmk VERB: LINE" and the hint,
# and every file in the folder as it was (no file added, none changed).
refused() {
    line=$1
    shift
    verb=$(printf '%s\n' "$line" | sed 's/^pmk \([a-z]*\( [a-z]*\)\{0,1\}\): .*/\1/')
    expect_fail 2 "$line
Try 'pmk $verb --help'." "$PMK" "$@"
    listing >"$T/now.ls"
    cmp -s "$T/keep.ls" "$T/now.ls" \
        || fail "files added or removed by: $*: $(diff "$T/keep.ls" "$T/now.ls" | tr '\n' ' ')"
    for f in "$T"/keep/*; do
        cmp -s "$f" "$(basename "$f")" || fail "$(basename "$f") changed by: $*"
    done
}

# ---- the cases of issue 10
refused "pmk gnb fit: output 'data.csv' is the same file as input 'data.csv'" \
    gnb fit data.csv -o data.csv
refused "pmk rbm train: output 'bars.csv' is the same file as input 'bars.csv'" \
    rbm train --log bars.csv bars.csv -o new.rbm
refused "pmk rbm train: output 'm.rbm' is the same file as output 'm.rbm'" \
    rbm train --log m.rbm bars.csv -o m.rbm
refused "pmk rbm train: output 'new.rbm' is the same file as output 'new.rbm'" \
    rbm train --log new.rbm bars.csv -o new.rbm
refused "pmk convert: output 'data.csv' is the same file as input 'data.csv'" \
    convert data.csv -o data.csv
refused "pmk convert: output 'X.idx' is the same file as output 'X.idx'" \
    convert data.csv -o X.idx --labels X.idx
refused "pmk ising denoise: output 'out.pbm' is the same file as output 'out.pbm'" \
    ising denoise --trace out.pbm noisy.pbm -o out.pbm
cp clean.pbm out.pbm && snapshot
refused "pmk ising denoise: output 'out.pbm' is the same file as output 'out.pbm'" \
    ising denoise --trace out.pbm noisy.pbm -o out.pbm
rm out.pbm && snapshot

# ---- other names for the same file: links and spellings
refused "pmk gnb fit: output 'link.csv' is the same file as input 'data.csv'" \
    gnb fit data.csv -o link.csv
refused "pmk gnb fit: output 'hard.csv' is the same file as input 'data.csv'" \
    gnb fit data.csv -o hard.csv
refused "pmk gnb fit: output './sub/../data.csv' is the same file as input 'data.csv'" \
    gnb fit data.csv -o ./sub/../data.csv
refused "pmk gnb fit: output '$T/w/data.csv' is the same file as input 'link.csv'" \
    gnb fit link.csv -o "$T/w/data.csv"
refused "pmk rbm train: output 'sub/../n.csv' is the same file as output 'n.csv'" \
    rbm train bars.csv -o n.csv --log sub/../n.csv
refused "pmk rbm train: output '$T/w/n.rbm' is the same file as output 'n.rbm'" \
    rbm train bars.csv -o n.rbm --log "$T/w/n.rbm"

# ---- every verb that writes a file
refused "pmk gnb predict: output 'data.csv' is the same file as input 'data.csv'" \
    gnb predict m.gnb data.csv -o data.csv
refused "pmk gnb predict: output 'm.gnb' is the same file as input 'm.gnb'" \
    gnb predict m.gnb data.csv -o m.gnb
ln -s m.gnb model.png && snapshot
refused "pmk gnb show: output 'model.png' is the same file as input 'm.gnb'" \
    gnb show m.gnb -o model.png
refused "pmk gnb merge: output 'm2.gnb' is the same file as input 'm2.gnb'" \
    gnb merge m.gnb m2.gnb -o m2.gnb
ln -s ../m.gnb ex/mu.csv && snapshot
refused "pmk gnb export: output 'ex/mu.csv' is the same file as input 'm.gnb'" \
    gnb export m.gnb ex
rm ex/mu.csv
ln -s ../m.gnb ex/priors.csv && snapshot
refused "pmk gnb export: output 'ex/priors.csv' is the same file as input 'm.gnb'" \
    gnb export m.gnb ex
rm ex/priors.csv && snapshot
refused "pmk rbm train: output 'm.rbm' is the same file as input 'm.rbm'" \
    rbm train --resume m.rbm bars.csv -o m.rbm
refused "pmk rbm train: output 'm.rbm' is the same file as input 'm.rbm'" \
    rbm train bars.csv -o new.rbm --log m.rbm --resume m.rbm
refused "pmk rbm train: output 'bars.csv' is the same file as input 'bars.csv'" \
    rbm train --checkpoint-every 1 bars.csv -o bars.csv
refused "pmk rbm hidden: output 'bars.csv' is the same file as input 'bars.csv'" \
    rbm hidden m.rbm bars.csv -o bars.csv
refused "pmk rbm hidden: output 'm.rbm' is the same file as input 'm.rbm'" \
    rbm hidden m.rbm bars.csv -o m.rbm
refused "pmk rbm sample: output 'bars.csv' is the same file as input 'bars.csv'" \
    rbm sample --init data:bars.csv m.rbm -o bars.csv
ln -s m.rbm rbm.png && snapshot
refused "pmk rbm sample: output 'rbm.png' is the same file as input 'm.rbm'" \
    rbm sample m.rbm -o rbm.png
refused "pmk rbm filters: output 'rbm.png' is the same file as input 'm.rbm'" \
    rbm filters m.rbm -o rbm.png
ln -s ../m.rbm ex/b.csv && snapshot
refused "pmk rbm export: output 'ex/b.csv' is the same file as input 'm.rbm'" \
    rbm export m.rbm ex
rm ex/b.csv && snapshot
refused "pmk ising denoise: output 'noisy.pbm' is the same file as input 'noisy.pbm'" \
    ising denoise noisy.pbm -o noisy.pbm
refused "pmk ising denoise: output 'clean.pbm' is the same file as input 'clean.pbm'" \
    ising denoise --truth clean.pbm noisy.pbm -o clean.pbm
refused "pmk ising denoise: output 'clean.pbm' is the same file as input 'clean.pbm'" \
    ising denoise --truth clean.pbm noisy.pbm -o d.pbm --trace clean.pbm
refused "pmk ising noise: output './noisy.pbm' is the same file as input 'noisy.pbm'" \
    ising noise --flip 0.1 noisy.pbm -o ./noisy.pbm
refused "pmk convert: output 'lab.idx' is the same file as input 'lab.idx'" \
    convert img.idx lab.idx -o lab.idx
refused "pmk convert: output 'img.idx' is the same file as input 'img.idx'" \
    convert img.idx -o img.idx
refused "pmk convert: output 'data.csv' is the same file as input 'data.csv'" \
    convert data.csv -o x.idx --labels data.csv
# demo: a picture that is a link to a data file
mkdir dd od
for f in mnist-train.csv.gz mnist-test.csv.gz horse.pbm horse-noisy10.pbm; do cp "$DATA/$f" dd/; done
ln -s ../dd/horse.pbm od/ising-horse.png
cp dd/horse.pbm horse.keep
run "$PMK" demo --data dd -o od
[ "$rc" -eq 2 ] && [ "$(head -n 1 "$T/err")" = "pmk demo: output 'od/ising-horse.png' is the same file as input 'dd/horse.pbm'" ] \
    || fail "demo over its data: exit $rc: $(cat "$T/err")"
cmp -s horse.keep dd/horse.pbm && [ "$(ls od)" = ising-horse.png ] || fail "demo wrote before refusing"
rm -r dd od horse.keep

# ---- what is not a clash: "-", devices named twice, distinct files
expect_ok "$PMK" gnb predict m.gnb - -o - <data.csv
[ "$(head -n 1 "$T/out")" = label ] || fail "predict from stdin to stdout"
expect_ok "$PMK" rbm train -q -H 2 -e 1 --seed 1 bars.csv -o /dev/null --log /dev/null
expect_ok "$PMK" convert -q data.csv -o /dev/null --labels /dev/null
expect_ok "$PMK" rbm train -q -H 2 -e 1 --seed 1 bars.csv -o sub/a.rbm --log sub/a.csv
[ -s sub/a.rbm ] && [ -s sub/a.csv ] || fail "two distinct outputs"
rm sub/a.rbm sub/a.csv
echo "aliased outputs: all checks passed"
