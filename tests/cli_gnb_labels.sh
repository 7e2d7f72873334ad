#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_gnb_labels.sh: gnb's label and weight columns (issue 16): --label-col
# last / -K, --weight-col, and integer-label models unchanged byte for byte.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
set -e

# ---------------------------------------------------------------- integer labels
# The MNIST sample's models, checksums (POSIX cksum) of the files main's pmk
# wrote before labels could be tokens: integer labels keep today's bytes.
expect_ok "$PMK" gnb fit -q --threads 1 --no-train-accuracy "$DATA/mnist-train.csv.gz" -o "$T/m.gnb"
[ "$(cksum <"$T/m.gnb")" = "1121027494 214116" ] || fail "MNIST shared model: $(cksum <"$T/m.gnb")"
expect_ok "$PMK" gnb fit -q --threads 1 --no-train-accuracy --variance class \
    "$DATA/mnist-train.csv.gz" -o "$T/mc.gnb"
[ "$(cksum <"$T/mc.gnb")" = "940474067 214115" ] || fail "MNIST class model: $(cksum <"$T/mc.gnb")"

# ---------------------------------------------------------------- --label-col
# the label last: 'last', -1 and the explicit index give the same model
printf '0,0,3\n4,2,3\n5,1,7\n7,3,7\n2,2,3\n' >"$T/l.csv"
printf '3,0,0\n3,4,2\n7,5,1\n7,7,3\n3,2,2\n' >"$T/f.csv"
expect_ok "$PMK" gnb fit -q --scale 1 "$T/f.csv" -o "$T/f.gnb"
for c in 2 last -1; do
    expect_ok "$PMK" gnb fit -q --scale 1 --label-col "$c" "$T/l.csv" -o "$T/l$c.gnb"
    same_bytes "$T/f.gnb" "$T/l$c.gnb"
done
expect_ok "$PMK" gnb fit -q --scale 1 --label-col -3 "$T/f.csv" -o "$T/l-3.gnb"
same_bytes "$T/f.gnb" "$T/l-3.gnb"
expect_ok "$PMK" gnb eval --threads 3 --label-col last "$T/f.gnb" "$T/l.csv"
grep -q '^accuracy  *1.0000 (5/5)' "$T/out" || fail "eval --label-col last: $(cat "$T/out")"
expect_fail 2 "pmk gnb fit: --label-col: 'end' is not a column (0, 1, ..., last, -1, -2, ... or none)
Try 'pmk gnb fit --help'." "$PMK" gnb fit --label-col end "$T/l.csv" -o "$T/x.gnb"
expect_fail 1 "pmk gnb fit: $T/l.csv:1: label column -4 does not exist: the file has 3 columns (-1 to -3 from the end)" \
    "$PMK" gnb fit --label-col -4 "$T/l.csv" -o "$T/x.gnb"

# ---------------------------------------------------------------- --weight-col
# the weights of cli_gnb.sh's --weights test as a column (first, last, or
# between the features): the same model file, byte for byte
printf '3,0,0\n3,4,2\n9,100,100\n7,5,1\n3,2,2\n7,7,3\n' >"$T/w.csv"
printf '2\n1\n0\n1\n1\n3\n' >"$T/w.txt"
paste -d, "$T/w.txt" "$T/w.csv" >"$T/wfirst.csv"
paste -d, "$T/w.csv" "$T/w.txt" >"$T/wlast.csv"
expect_ok "$PMK" gnb fit --scale 1 --weights "$T/w.txt" "$T/w.csv" -o "$T/w.gnb"
grep -qx 'train accuracy    0.800000 (4/5)' "$T/out" || fail "weights: $(cat "$T/out")"
expect_ok "$PMK" gnb fit --scale 1 --label-col 1 --weight-col 0 "$T/wfirst.csv" -o "$T/wc0.gnb"
grep -qx 'train accuracy    0.800000 (4/5)' "$T/out" || fail "weight column: $(cat "$T/out")"
same_bytes "$T/w.gnb" "$T/wc0.gnb"
# (with threads too: a weighted fit reads its file on one thread, for these bytes)
for c in last -1 3; do
    expect_ok "$PMK" gnb fit -q --threads 4 --scale 1 --weight-col "$c" "$T/wlast.csv" -o "$T/wc.gnb"
    same_bytes "$T/w.gnb" "$T/wc.gnb"
done
# the model predicts from the features alone: eval reads a file without weights
expect_ok "$PMK" gnb eval "$T/wc.gnb" "$T/f.csv"
# the errors: both ways at once (usage), a negative weight, a word
expect_fail 2 "pmk gnb fit: --weights and --weight-col exclude each other
Try 'pmk gnb fit --help'." "$PMK" gnb fit --weights "$T/w.txt" --weight-col 3 "$T/wlast.csv" -o "$T/x.gnb"
sed '4s/,1$/,-1/' "$T/wlast.csv" >"$T/wneg.csv"
expect_fail 1 "pmk gnb fit: $T/wneg.csv:4:7: field 4: weight -1 is negative (0 drops a row)" \
    "$PMK" gnb fit --weight-col last "$T/wneg.csv" -o "$T/x.gnb"
sed '2s/,1$/,one/' "$T/wlast.csv" >"$T/wword.csv"
expect_fail 1 "pmk gnb fit: $T/wword.csv:2:7: field 4: 'one' is not a number" \
    "$PMK" gnb fit --weight-col last "$T/wword.csv" -o "$T/x.gnb"
expect_fail 2 "pmk gnb fit: --weight-col: '3x' is not a column (0, 1, ..., last, -1, -2, ... or none)
Try 'pmk gnb fit --help'." "$PMK" gnb fit --weight-col 3x "$T/wlast.csv" -o "$T/x.gnb"
[ ! -e "$T/x.gnb" ] || fail "a failed fit left a model"

# ---------------------------------------------------------------- token labels
# A version-4 model of token labels (written by the library's
# pmk_gnb_partial_fit_tokens; the CLI's fit does not make them yet): predict
# prints the tokens, and p_TOKEN columns in byte order; one thread and many
# give the same bytes.
printf 'pmk-gnb 4\nfeatures 1\nclasses 3\nrows 6\nvariance shared\npriors empirical\nscale 1\nvar_smoothing 1.0000000000000001e-09\nvar_floor 0\nlabels 0 1 2\ntokens 7 cat dog\ndata\nclass 0 2\nmean 0\nm2 1\nclass 1 2\nmean 10\nm2 1\nclass 2 2\nmean 20\nm2 1\nend\n' >"$T/tok.gnb"
printf '19\n1\n11\n-3\n' >"$T/tok.csv"
for th in 1 3; do
    expect_ok "$PMK" gnb predict --threads "$th" --no-labels "$T/tok.gnb" "$T/tok.csv" -o "$T/tok$th.out"
    [ "$(cat "$T/tok$th.out")" = "$(printf 'label\ndog\n7\ncat\n7')" ] || fail "token predict: $(cat "$T/tok$th.out")"
done
expect_ok "$PMK" gnb predict --proba --no-labels "$T/tok.gnb" "$T/tok.csv"
head -n 1 "$T/out" | grep -qx 'label,p_7,p_cat,p_dog' || fail "token proba header: $(head -n 1 "$T/out")"
sed 's/^tokens 7 cat dog/tokens 7 dog cat/' "$T/tok.gnb" >"$T/tokbad.gnb"
expect_fail 1 "pmk gnb predict: $T/tokbad.gnb:11: token 3: not after the one before (tokens are in increasing byte order)" \
    "$PMK" gnb predict --no-labels "$T/tokbad.gnb" "$T/tok.csv"
# eval: integer labels are the classes of their decimal tokens; the table
# and the JSON name the tokens; a label the model lacks is placed
printf '7,1\n7,-3\n7,12\n' >"$T/tokeval.csv"
expect_ok "$PMK" gnb eval --json "$T/tok.gnb" "$T/tokeval.csv"
grep -q '"labels": \["7", "cat", "dog"\]' "$T/out" || fail "token eval JSON: $(cat "$T/out")"
grep -q '"confusion": \[\[2, 1, 0\], \[0, 0, 0\], \[0, 0, 0\]\]' "$T/out" || fail "token confusion: $(cat "$T/out")"
expect_ok "$PMK" gnb eval "$T/tok.gnb" "$T/tokeval.csv"
grep -qx '         7  cat  dog' "$T/out" || fail "token eval table: $(cat "$T/out")"
grep -q '^ *cat  *0.0000  *-  *0.0000  *0$' "$T/out" || fail "token eval row: $(cat "$T/out")"
printf '7,1\n3,2\n' >"$T/tokeval2.csv"
expect_fail 1 "pmk gnb eval: $T/tokeval2.csv:2: label 3 was not seen in training (the model has 3 classes, labels 7 to dog)" \
    "$PMK" gnb eval "$T/tok.gnb" "$T/tokeval2.csv"
expect_fail 1 "pmk gnb export: export of a model of token labels is not supported yet" \
    "$PMK" gnb export "$T/tok.gnb" "$T/tokexp"
