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
# A hand-written version-4 model of token labels: predict prints the
# tokens, and p_TOKEN columns in byte order; one thread and many give the
# same bytes.
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

# ---------------------------------------------------------------- token labels from the CLI
# cat/dog/emu, met in the order emu, cat, dog (each new class inserted in
# place).  Two rows a class: every Chan update is exact (a mean of two small
# integers, halves), so however the rows are cut the model has the same bytes.
printf 'emu,9,1\ncat,1,5\ndog,5,9\ncat,3,7\nemu,11,3\ndog,7,11\n' >"$T/ani.csv"
expect_ok "$PMK" gnb fit --threads 1 "$T/ani.csv" -o "$T/ani.gnb"
grep -q '^train accuracy    1.000000 (6/6)$' "$T/out" || fail "token fit report: $(cat "$T/out")"
[ "$(head -n 1 "$T/ani.gnb")" = "pmk-gnb 4" ] || fail "token model version: $(head -n 1 "$T/ani.gnb")"
grep -qx 'labels 0 1 2' "$T/ani.gnb" && grep -qx 'tokens cat dog emu' "$T/ani.gnb" \
    || fail "token model labels: $(cat "$T/ani.gnb")"
# the same rows labelled 0 1 2 (cat dog emu) make the same statistics: only
# the version line and the tokens line differ
sed 's/^cat/0/; s/^dog/1/; s/^emu/2/' "$T/ani.csv" >"$T/ani012.csv"
expect_ok "$PMK" gnb fit --threads 1 --chunk-rows 1 "$T/ani012.csv" -o "$T/ani012.gnb"
grep -v '^tokens ' "$T/ani.gnb" | sed 1d >"$T/ani.body"
sed 1d "$T/ani012.gnb" >"$T/ani012.body"
same_bytes "$T/ani.body" "$T/ani012.body"
# streamed in chunks of 1 and 4, from stdin, on 2 threads, as two files,
# and two shards merged: all the one-pass bytes
for c in 1 4; do
    expect_ok "$PMK" gnb fit --threads 1 --chunk-rows "$c" "$T/ani.csv" -o "$T/ani-c$c.gnb"
    same_bytes "$T/ani.gnb" "$T/ani-c$c.gnb"
done
run sh -c "'$PMK' gnb fit -q --threads 1 - -o '$T/ani-in.gnb' <'$T/ani.csv'"
grep -q '^train accuracy    not measured' "$T/out" || fail "token fit from stdin: $(cat "$T/out")"
same_bytes "$T/ani.gnb" "$T/ani-in.gnb"
expect_ok "$PMK" gnb fit --threads 2 "$T/ani.csv" -o "$T/ani-t2.gnb"
grep -q '^train accuracy    1.000000 (6/6)$' "$T/out" || fail "threaded token fit: $(cat "$T/out")"
same_bytes "$T/ani.gnb" "$T/ani-t2.gnb"
head -n 3 "$T/ani.csv" >"$T/ani-a.csv"
tail -n 3 "$T/ani.csv" >"$T/ani-b.csv"
expect_ok "$PMK" gnb fit --threads 1 "$T/ani-a.csv" "$T/ani-b.csv" -o "$T/ani-ab.gnb"
same_bytes "$T/ani.gnb" "$T/ani-ab.gnb"
expect_ok "$PMK" gnb fit --threads 1 "$T/ani-a.csv" -o "$T/ani-a.gnb"
expect_ok "$PMK" gnb fit --threads 1 "$T/ani-b.csv" -o "$T/ani-b.gnb"
expect_ok "$PMK" gnb merge "$T/ani-a.gnb" "$T/ani-b.gnb" -o "$T/ani-m.gnb"
same_bytes "$T/ani.gnb" "$T/ani-m.gnb"
# predict prints the tokens; eval names them in the table and the confusion
for th in 1 2; do
    expect_ok "$PMK" gnb predict --threads "$th" "$T/ani.gnb" "$T/ani.csv"
    [ "$(tr '\n' ' ' <"$T/out")" = "label emu cat dog cat emu dog " ] || fail "token predict: $(cat "$T/out")"
done
expect_ok "$PMK" gnb predict --proba "$T/ani.gnb" "$T/ani.csv"
head -n 1 "$T/out" | grep -qx 'label,p_cat,p_dog,p_emu' || fail "token proba header: $(head -n 1 "$T/out")"
printf 'cat,1,5\ndog,2,6\nemu,6,10\n' >"$T/ani-test.csv"
expect_ok "$PMK" gnb eval "$T/ani.gnb" "$T/ani-test.csv"
grep -q '^accuracy            0.3333 (1/3)$' "$T/out" || fail "token eval: $(cat "$T/out")"
grep -qx '       cat  dog  emu' "$T/out" && grep -qx '  dog    1    0    0' "$T/out" \
    && grep -qx '  emu    0    1    0' "$T/out" || fail "token confusion: $(cat "$T/out")"
grep -q '^ *emu  *-  *0.0000  *0.0000  *1$' "$T/out" || fail "token eval row: $(cat "$T/out")"
expect_ok "$PMK" gnb eval --json --threads 2 "$T/ani.gnb" "$T/ani-test.csv"
grep -q '"labels": \["cat", "dog", "emu"\]' "$T/out" || fail "token eval JSON: $(cat "$T/out")"
# classes far apart: every posterior is exactly 1, each log p(true | x) is 0,
# and the log-loss prints as 0, not -0 (it was -log of a mean of zeros)
printf 'cat,1,2\ndog,5,6\ncat,1.5,2.5\nemu,9,9\ndog,5.5,6.5\nemu,8,9.5\n' >"$T/far.csv"
expect_ok "$PMK" gnb fit "$T/far.csv" -o "$T/far.gnb"
expect_ok "$PMK" gnb eval "$T/far.gnb" "$T/far.csv"
grep -qx 'log-loss            0.000000 nats (mean -log p(true class | x))' "$T/out" \
    || fail "log-loss of certain posteriors: $(grep log-loss "$T/out")"
expect_ok "$PMK" gnb eval --json "$T/far.gnb" "$T/far.csv"
grep -q '"log_loss": 0[,}]' "$T/out" || fail "log-loss JSON: $(tr ',' '\n' <"$T/out" | grep log_loss)"
# a token the model lacks is the error of an unseen integer label
printf 'cat,1,5\nbird,3,3\n' >"$T/ani-bird.csv"
for th in 1 2; do
    expect_fail 1 "pmk gnb eval: $T/ani-bird.csv:2: label bird was not seen in training (the model has 3 classes, labels cat to emu)" \
        "$PMK" gnb eval --threads "$th" "$T/ani.gnb" "$T/ani-bird.csv"
done
expect_fail 1 "pmk gnb eval: $T/ani-bird.csv:1: label cat was not seen in training (the model has 3 classes, labels 0 to 2)" \
    "$PMK" gnb eval "$T/ani012.gnb" "$T/ani-bird.csv"
# too many distinct tokens: the row of the first one too many, on any thread count
for th in 1 2; do
    expect_fail 1 "pmk gnb fit: $T/ani.csv:3: label dog makes more than 2 classes (is the label column right?)" \
        "$PMK" gnb fit --threads "$th" --max-classes 2 "$T/ani.csv" -o "$T/x.gnb"
done
[ ! -e "$T/x.gnb" ] || fail "a failed fit left a model"

# Integers with gaps stay an integer model (version 1, labels 3 7 12); mixed
# with a word, every label is a token in byte order ("12" < "7" < "cat", and
# "007" is the class 7).
sed 's/^cat/3/; s/^dog/7/; s/^emu/12/' "$T/ani.csv" >"$T/gap.csv"
expect_ok "$PMK" gnb fit "$T/gap.csv" -o "$T/gap.gnb"
[ "$(head -n 1 "$T/gap.gnb")" = "pmk-gnb 1" ] && grep -qx 'labels 3 7 12' "$T/gap.gnb" \
    && ! grep -q '^tokens' "$T/gap.gnb" || fail "integer model with gaps: $(cat "$T/gap.gnb")"
expect_ok "$PMK" gnb predict "$T/gap.gnb" "$T/gap.csv"
[ "$(tr '\n' ' ' <"$T/out")" = "label 12 3 7 3 12 7 " ] || fail "gap predict: $(cat "$T/out")"
printf '12,9,1\ncat,1,5\n7,5,9\ncat,3,7\n12,11,3\n007,7,11\n' >"$T/mix.csv"
expect_ok "$PMK" gnb fit "$T/mix.csv" -o "$T/mix.gnb"
grep -qx 'tokens 12 7 cat' "$T/mix.gnb" || fail "mixed tokens: $(cat "$T/mix.gnb")"
expect_ok "$PMK" gnb predict "$T/mix.gnb" "$T/mix.csv"
[ "$(tr '\n' ' ' <"$T/out")" = "label 12 cat 7 cat 12 7 " ] || fail "mixed predict: $(cat "$T/out")"
