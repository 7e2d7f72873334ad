#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_gnb.sh: `pmk gnb` end to end: the reference MNIST figures, a hand-worked
# case, streaming from stdin, merge = fit on the union, predict/show/export,
# and the exact message and status of each bad input.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
set -e

TRAIN="$DATA/mnist-train.csv.gz"
TEST="$DATA/mnist-test.csv.gz"

# ---------------------------------------------------------------- reference figures
# data/README (independent of pmk): shared variance, pixels/255, eps 1e-9,
# empirical priors: train accuracy 0.812125 (6497/8000), test 0.7990 (1598/2000).
# No flags at all: the default scale is 1/255.
expect_ok "$PMK" gnb fit "$TRAIN" -o "$T/m.gnb"
grep -qx 'rows (N)          8000' "$T/out" || fail "fit: N line: $(cat "$T/out")"
grep -qx 'classes (K)       10' "$T/out" || fail "fit: K line"
grep -qx 'features (D)      784' "$T/out" || fail "fit: D line"
grep -qx 'train accuracy    0.812125 (6497/8000)' "$T/out" || fail "fit: train accuracy: $(cat "$T/out")"
expect_ok "$PMK" gnb eval "$T/m.gnb" "$TEST"
grep -qx 'accuracy            0.7990 (1598/2000)' "$T/out" || fail "eval: accuracy: $(cat "$T/out")"
expect_ok "$PMK" gnb eval --json "$T/m.gnb" "$TEST"
acc=$(sed -n 's/.*"accuracy": \([0-9.e-]*\).*/\1/p' "$T/out")
near "$acc" 0.799 1e-15
grep -q '"n": 2000, "correct": 1598,' "$T/out" || fail "eval --json: n/correct: $(cat "$T/out")"
# The confusion matrix is 10 x 10 and its entries sum to n.
conf=$(sed 's/.*"confusion": \[\(.*\)\]}/\1/' "$T/out")
[ "$(echo "$conf" | tr -cd '[' | wc -c)" -eq 10 ] || fail "confusion: not 10 rows"
sum=$(echo "$conf" | tr -c '0-9' ' ' | awk '{ for (i = 1; i <= NF; i++) s += $i } END { print s }')
[ "$sum" -eq 2000 ] || fail "confusion sums to $sum"

# The same bytes from stdin; the training accuracy comes from the byte spill.
run sh -c "gzip -dc '$TRAIN' | '$PMK' gnb fit - -o '$T/stdin.gnb'"
[ "$rc" -eq 0 ] || fail "fit from stdin: $(cat "$T/err")"
grep -qx 'train accuracy    0.812125 (6497/8000)' "$T/out" || fail "stdin: $(cat "$T/out")"
same_bytes "$T/m.gnb" "$T/stdin.gnb"
# Chunk size does not change the predictions.
expect_ok "$PMK" gnb fit --chunk-rows 77 --no-train-accuracy "$TRAIN" -o "$T/c77.gnb"
expect_ok "$PMK" gnb predict "$T/m.gnb" "$TEST" -o "$T/p.csv"
expect_ok "$PMK" gnb predict "$T/c77.gnb" "$TEST" -o "$T/p77.csv"
same_bytes "$T/p.csv" "$T/p77.csv"

# ---------------------------------------------------------------- merge
# Shards of 5,000 and 3,000 rows fitted apart and merged predict every test
# row as the fit on all 8,000 rows does.
gzip -dc "$TRAIN" | head -n 5000 >"$T/a.csv"
gzip -dc "$TRAIN" | tail -n 3000 >"$T/b.csv"
expect_ok "$PMK" gnb fit -q --no-train-accuracy "$T/a.csv" -o "$T/a.gnb"
expect_ok "$PMK" gnb fit -q --no-train-accuracy "$T/b.csv" -o "$T/b.gnb"
expect_ok "$PMK" gnb merge "$T/a.gnb" "$T/b.gnb" -o "$T/ab.gnb"
expect_ok "$PMK" gnb predict "$T/ab.gnb" "$TEST" -o "$T/pab.csv"
same_bytes "$T/p.csv" "$T/pab.csv"
head -n 4 "$T/ab.gnb" | tail -n 1 | grep -qx 'rows 8000' || fail "merged model rows"

# ---------------------------------------------------------------- predict
expect_ok "$PMK" gnb predict --proba "$T/m.gnb" "$TEST" -o "$T/pp.csv"
head -n 1 "$T/pp.csv" | grep -qx 'label,p_0,p_1,p_2,p_3,p_4,p_5,p_6,p_7,p_8,p_9' ||
    fail "predict --proba header: $(head -n 1 "$T/pp.csv")"
[ "$(wc -l <"$T/pp.csv")" -eq 2001 ] || fail "predict: not 2000 rows"
# Every row's posteriors sum to 1 and the argmax is the label written.
awk -F, 'NR > 1 { s = 0; b = 2; for (i = 2; i <= NF; i++) { s += $i; if ($i > $b) b = i }
          if (s < 1 - 1e-12 || s > 1 + 1e-12 || b - 2 != $1) bad++ }
         END { exit bad > 0 }' "$T/pp.csv" || fail "predict --proba: rows do not sum to 1"
# 1598 predicted labels agree with the true ones (as eval says).
gzip -dc "$TEST" | cut -d, -f1 >"$T/truth"
agree=$(tail -n +2 "$T/p.csv" | paste -d' ' - "$T/truth" | awk '$1 == $2 { n++ } END { print n }')
[ "$agree" -eq 1598 ] || fail "predict: $agree labels right, eval says 1598"
# log-proba is the log of proba.
expect_ok "$PMK" gnb predict --log-proba "$T/m.gnb" "$TEST" -o "$T/pl.csv"
paste -d, "$T/pp.csv" "$T/pl.csv" | awk -F, 'NR > 1 { for (i = 2; i <= 11; i++) {
    p = $i; l = $(i + 11); if (p > 1e-300 && (log(p) - l > 1e-9 || l - log(p) > 1e-9)) bad++ } }
    END { exit bad > 0 }' || fail "predict --log-proba is not log(--proba)"

# ---------------------------------------------------------------- show, export
expect_ok "$PMK" gnb show "$T/m.gnb" -o "$T/means.png"
# PNG signature, then IHDR: width 10*28+9 = 289 (0x121), height 2*28+1 = 57 (0x39):
# the ten means on one row, the sigma image on the next.
[ "$(od -An -tx1 -j0 -N8 "$T/means.png" | tr -d ' ')" = 89504e470d0a1a0a ] || fail "show: not a PNG"
[ "$(od -An -tx1 -j16 -N8 "$T/means.png" | tr -d ' ')" = 0000012100000039 ] || fail "show: size"
expect_ok "$PMK" gnb export "$T/m.gnb" "$T/exp"
[ "$(wc -l <"$T/exp/mu.csv")" -eq 11 ] || fail "export: mu.csv rows"
[ "$(head -n 2 "$T/exp/mu.csv" | tail -n 1 | awk -F, '{ print NF }')" -eq 785 ] || fail "export: mu.csv columns"
head -n 1 "$T/exp/priors.csv" | grep -qx 'label,prior,count' || fail "export: priors.csv header"
tail -n +2 "$T/exp/priors.csv" | awk -F, '{ p += $2; c += $3 } END { exit !(c == 8000 && p > 1 - 1e-12 && p < 1 + 1e-12) }' ||
    fail "export: priors do not sum to 1 or counts to 8000"
# The transform beside the parameters (issue 13): pixels/255 by default.
[ "$(sed -n 1p "$T/exp/transform.csv")" = scale ] || fail "export: transform.csv header"
[ "$(wc -l <"$T/exp/transform.csv")" -eq 2 ] || fail "export: transform.csv rows"
awk -F, 'NR == 2 { d = $1 * 255 - 1; exit !(NF == 1 && d < 1e-15 && d > -1e-15) }' "$T/exp/transform.csv" ||
    fail "export: transform.csv scale is not 1/255: $(cat "$T/exp/transform.csv")"

# ---------------------------------------------------------------- -o - pipeline
# The model on stdout keeps stdout to itself: the report goes to stderr, the
# model is the same bytes as written to a file, and `fit -o - | eval -` works.
run sh -c "'$PMK' gnb fit '$FIX/gnb-tiny-train.csv' -o - 2>'$T/fit.err'"
[ "$rc" -eq 0 ] || fail "gnb fit -o - exited $rc"
cp "$T/out" "$T/piped.gnb"
expect_ok "$PMK" gnb fit -q "$FIX/gnb-tiny-train.csv" -o "$T/tiny.gnb"
same_bytes "$T/piped.gnb" "$T/tiny.gnb"
grep -qx 'model             <stdout>' "$T/fit.err" || fail "gnb fit -o -: report not on stderr: $(cat "$T/fit.err")"
run sh -c "'$PMK' gnb fit -q '$FIX/gnb-tiny-train.csv' -o - 2>/dev/null | '$PMK' gnb eval --json - '$FIX/gnb-tiny-test.csv'"
[ "$rc" -eq 0 ] || fail "gnb fit -o - | gnb eval - exited $rc"
expect_ok "$PMK" gnb eval --json "$T/tiny.gnb" "$FIX/gnb-tiny-test.csv"
cp "$T/out" "$T/file.json"
run sh -c "'$PMK' gnb fit -q '$FIX/gnb-tiny-train.csv' -o - 2>/dev/null | '$PMK' gnb eval --json - '$FIX/gnb-tiny-test.csv'"
same_bytes "$T/out" "$T/file.json"

# ---------------------------------------------------------------- input layouts
# A Kaggle-style header (tests/data/gnb-header.csv: the first 5 test rows under
# "label,pixel0,...") is detected, and predictions match the plain rows.
gzip -dc "$TEST" | head -n 5 >"$T/first5.csv"
expect_ok "$PMK" gnb predict "$T/m.gnb" "$T/first5.csv" -o "$T/p5.csv"
expect_ok "$PMK" gnb predict "$T/m.gnb" "$FIX/gnb-header.csv" -o "$T/p5h.csv"
same_bytes "$T/p5.csv" "$T/p5h.csv"
head -n 6 "$T/p.csv" | cmp -s - "$T/p5.csv" || fail "first 5 predictions differ from the full run"
# Forcing --no-header on it makes the header a bad data row (its label
# 'label' is a token; its first value is not a number).
expect_fail 1 "pmk gnb eval: $FIX/gnb-header.csv:1:7: field 2: 'pixel0' is not a number" \
    "$PMK" gnb eval --no-header "$T/m.gnb" "$FIX/gnb-header.csv"
# Without labels, predict still works (D columns, --no-labels).
cut -d, -f2- "$T/first5.csv" >"$T/nolab.csv"
expect_ok "$PMK" gnb predict --no-labels "$T/m.gnb" "$T/nolab.csv" -o "$T/p5n.csv"
same_bytes "$T/p5.csv" "$T/p5n.csv"
expect_fail 1 "pmk gnb predict: $T/nolab.csv: 783 features per row, but the model $T/m.gnb has 784 (no label column? use --no-labels)" \
    "$PMK" gnb predict "$T/m.gnb" "$T/nolab.csv"
# The label in the last column (--label-col 2 of 'x1,x2,label') gives the same model.
awk -F, -v OFS=, '{ print $2, $3, $1 }' "$FIX/gnb-tiny-train.csv" >"$T/last.csv"
expect_ok "$PMK" gnb fit --scale 1 --var-smoothing 0.25 --label-col 2 "$T/last.csv" -o "$T/last.gnb"

# ---------------------------------------------------------------- hand-worked case
# tests/data/gnb-tiny-*.csv, worked out in tests/check_gnb.c (test_tiny_eval_by_hand):
# with scale 1 and var_smoothing 0.25 the four test rows are predicted 3, 7, 3, 7
# against true 3, 7, 7, 7: confusion [[1,0],[1,2]], precision (0.5, 1), recall (1, 2/3).
expect_ok "$PMK" gnb fit --scale 1 --var-smoothing 0.25 "$FIX/gnb-tiny-train.csv" -o "$T/t.gnb"
grep -qx 'train accuracy    1.000000 (5/5)' "$T/out" || fail "tiny: train accuracy"
same_bytes "$T/t.gnb" "$T/last.gnb"
expect_ok "$PMK" gnb eval --json "$T/t.gnb" "$FIX/gnb-tiny-test.csv"
grep -q '"n": 4, "correct": 3, "accuracy": 0.75,' "$T/out" || fail "tiny eval: $(cat "$T/out")"
grep -q '"precision": \[0.5, 1\], "recall": \[1, 0.66666666666666663\], "f1": \[0.66666666666666663, 0.80000000000000004\], "support": \[1, 3\], "macro_precision": 0.75, "macro_recall": 0.83333333333333326, "macro_f1": 0.73333333333333339, "weighted_precision": 0.875, "weighted_recall": 0.75, "weighted_f1": 0.76666666666666672, "confusion": \[\[1, 0\], \[1, 2\]\]' "$T/out" ||
    fail "tiny eval: $(cat "$T/out")"
# F1 2/3 and 4/5; macro and weighted (support 1, 3) averages; log-loss is
# minus the mean log-posterior.  The text table is classification_report's.
grep -q '"mean_log_posterior": -0.24437258003583628, "log_loss": 0.24437258003583628,' "$T/out" ||
    fail "tiny eval: log-loss: $(cat "$T/out")"
expect_ok "$PMK" gnb eval "$T/t.gnb" "$FIX/gnb-tiny-test.csv"
grep -qx 'log-loss            0.244373 nats (mean -log p(true class | x))' "$T/out" &&
    grep -qx 'weighted avg     0.8750    0.7500    0.7667         4' "$T/out" ||
    fail "tiny eval text: $(cat "$T/out")"
# class variances: class 7 has zero variance in feature 2, and row (5,2) of
# label 7 is off its mean there: one warned row.
expect_ok "$PMK" gnb fit --scale 1 --var-smoothing 0.25 --variance class "$FIX/gnb-tiny-train.csv" -o "$T/tc.gnb"
expect_ok "$PMK" gnb eval "$T/tc.gnb" "$FIX/gnb-tiny-test.csv"
grep -qx 'pmk gnb eval: warning: 1 of 4 rows differ from their class mean in a feature of zero training variance; their NLL terms are huge and dominate the mean NLL' "$T/err" ||
    fail "zero-variance warning: $(cat "$T/err")"
# Values that are not bytes: no spill; a file is read again for the training
# accuracy (same figures, shifted by 0.5 everywhere), stdin cannot be.
awk -F, -v OFS=, '{ for (i = 2; i <= NF; i++) $i += 0.5; print }' "$FIX/gnb-tiny-train.csv" >"$T/half.csv"
expect_ok "$PMK" gnb fit --scale 1 --var-smoothing 0.25 "$T/half.csv" -o "$T/half.gnb"
grep -qx 'train accuracy    1.000000 (5/5)' "$T/out" || fail "re-read pass: $(cat "$T/out")"
run sh -c "'$PMK' gnb fit --scale 1 --var-smoothing 0.25 - -o '$T/half2.gnb' <'$T/half.csv'"
grep -qx 'train accuracy    not measured (from stdin or weighted, not all bytes 0..255)' "$T/out" ||
    fail "stdin without spill: $(cat "$T/out")"
same_bytes "$T/half.gnb" "$T/half2.gnb"
# ---------------------------------------------------------------- weights
# --weights: weight 2 gives the model of the row given twice, byte for byte
# (sums exact: check_gnb_weights.c); weight 0 drops a row (label 9 makes no
# class); the training accuracy counts the rows of positive weight once.
printf '3,0,0\n3,4,2\n9,100,100\n7,5,1\n3,2,2\n7,7,3\n' >"$T/w.csv"
printf '2\n1\n0\n1\n1\n3\n' >"$T/w.txt"
printf '3,0,0\n3,4,2\n3,0,0\n7,5,1\n7,7,3\n3,2,2\n7,7,3\n7,7,3\n' >"$T/dup.csv"
expect_ok "$PMK" gnb fit --scale 1 --weights "$T/w.txt" "$T/w.csv" -o "$T/w.gnb"
grep -qx 'train accuracy    0.800000 (4/5)' "$T/out" && grep -qx 'rows (N)          8' "$T/out" ||
    fail "weights: $(cat "$T/out")"
expect_ok "$PMK" gnb fit --scale 1 "$T/dup.csv" -o "$T/dup.gnb"
same_bytes "$T/w.gnb" "$T/dup.gnb"
run sh -c "'$PMK' gnb fit --scale 1 --weights - '$T/w.csv' -o '$T/w2.gnb' <'$T/w.txt'"
same_bytes "$T/w.gnb" "$T/w2.gnb"
printf '2\n1\n0\n-1\n1\n3\n' >"$T/neg.txt"
expect_fail 1 "pmk gnb fit: $T/neg.txt:4:1: weight -1 is negative (0 drops a row)" \
    "$PMK" gnb fit --weights "$T/neg.txt" "$T/w.csv" -o "$T/x.gnb"
printf '2\n1\n0\n1\n1\n' >"$T/short.txt"
expect_fail 1 "pmk gnb fit: $T/short.txt: no weight for $T/w.csv line 6" \
    "$PMK" gnb fit --weights "$T/short.txt" "$T/w.csv" -o "$T/x.gnb"
printf '2\n1\n0\n1\n1\n3\n4\n' >"$T/long.txt"
expect_fail 1 "pmk gnb fit: $T/long.txt:7: more weights than the 6 rows of $T/w.csv" \
    "$PMK" gnb fit --weights "$T/long.txt" "$T/w.csv" -o "$T/x.gnb"
printf '2\n1\n0\n1 2\n' >"$T/two.txt"
expect_fail 1 "pmk gnb fit: $T/two.txt:4:2: one weight per line" \
    "$PMK" gnb fit --weights "$T/two.txt" "$T/w.csv" -o "$T/x.gnb"
printf '2\n1,5\n' >"$T/comma.txt"
expect_fail 1 "pmk gnb fit: $T/comma.txt:2:1: '1,5' is not a finite number" \
    "$PMK" gnb fit --weights "$T/comma.txt" "$T/w.csv" -o "$T/x.gnb"
[ ! -e "$T/x.gnb" ] || fail "a failed weighted fit left a model"

# explicit priors are stored and used: the equidistant row (3,1) follows them.
expect_ok "$PMK" gnb fit --scale 1 --var-smoothing 0.25 --priors 0.3,0.7 "$FIX/gnb-tiny-train.csv" -o "$T/tp.gnb"
grep -qx 'prior_list 0.29999999999999999 0.69999999999999996' "$T/tp.gnb" || fail "prior_list line"
printf '7,3,1\n' >"$T/mid.csv"
expect_ok "$PMK" gnb predict --proba "$T/tp.gnb" "$T/mid.csv"
tail -n 1 "$T/out" | awk -F, '{ exit !($1 == 7 && $2 > 0.3 - 1e-12 && $2 < 0.3 + 1e-12) }' ||
    fail "explicit priors: $(cat "$T/out")"

# ---------------------------------------------------------------- bad inputs
U="$FIX/gnb-unseen.csv"
expect_fail 1 "pmk gnb eval: $U:2: label 5 was not seen in training (the model has 2 classes, labels 3 to 7)" \
    "$PMK" gnb eval "$T/t.gnb" "$U"
expect_fail 1 "pmk gnb eval: $U: 2 features per row, but the model $T/m.gnb has 784" \
    "$PMK" gnb eval "$T/m.gnb" "$U"
expect_fail 1 "pmk gnb predict: $U: 2 features per row, but the model $T/m.gnb has 784" \
    "$PMK" gnb predict "$T/m.gnb" "$U"
: >"$T/empty.csv"
expect_fail 1 "pmk gnb fit: $T/empty.csv: empty file (no header and no rows)" \
    "$PMK" gnb fit "$T/empty.csv" -o "$T/x.gnb"
# A wrong count of --priors is a usage error, as a wrong sum is (exit 2 both).
expect_err_line 2 "pmk gnb fit: $FIX/gnb-tiny-train.csv: 3 explicit priors given for 2 classes (one per label, in increasing label order)" \
    "$PMK" gnb fit --priors 0.5,0.25,0.25 "$FIX/gnb-tiny-train.csv" -o "$T/x.gnb"
expect_err_line 2 "pmk gnb fit: --priors: explicit priors: they sum to 1.1000000000000001, not 1 (within 1e-9)" \
    "$PMK" gnb fit --priors 0.5,0.6 "$FIX/gnb-tiny-train.csv" -o "$T/x.gnb"
expect_err_line 2 "pmk gnb fit: --variance: 'shared' or 'class', not 'wide'" \
    "$PMK" gnb fit --variance wide "$FIX/gnb-tiny-train.csv" -o "$T/x.gnb"
expect_err_line 2 "pmk gnb fit: missing -o MODEL" "$PMK" gnb fit "$FIX/gnb-tiny-train.csv"
expect_err_line 2 "pmk gnb: unknown verb 'train' (verbs: fit, predict, eval, show, merge, export)" \
    "$PMK" gnb train x
# Model files: truncated, foreign, wrong kind, future version, edited.
head -n 16 "$T/t.gnb" >"$T/trunc.gnb"
expect_fail 1 "pmk gnb eval: $T/trunc.gnb:17: truncated model file: expected 'm2' of class 7" \
    "$PMK" gnb eval "$T/trunc.gnb" "$FIX/gnb-tiny-test.csv"
expect_fail 1 "pmk gnb eval: $FIX/gnb-tiny-test.csv:1: not a pmk gnb model (the first line is not 'pmk-gnb VERSION')" \
    "$PMK" gnb eval "$FIX/gnb-tiny-test.csv" "$FIX/gnb-tiny-test.csv"
expect_fail 1 "pmk gnb show: $FIX/gnb-wrong-kind.model:1: a 'pmk-rbm' file, not a gnb model (wrong kind of model)" \
    "$PMK" gnb show "$FIX/gnb-wrong-kind.model" -o "$T/x.png"
expect_fail 1 "pmk gnb predict: $FIX/gnb-future.model:1: model format version 9 is newer than this pmk reads (4): upgrade pmk" \
    "$PMK" gnb predict "$FIX/gnb-future.model" "$FIX/gnb-tiny-test.csv"
sed 's/^m2 2 6$/m2 2 -6/' "$T/t.gnb" >"$T/edited.gnb"
expect_fail 1 "pmk gnb export: $T/edited.gnb:14:3: a sum of squared deviations cannot be negative (-6)" \
    "$PMK" gnb export "$T/edited.gnb" "$T/exp2"
sed 's/^rows 5$/rows 6/' "$T/t.gnb" >"$T/edited2.gnb"
expect_fail 1 "pmk gnb merge: $T/edited2.gnb:4: rows 6 does not match the class counts, which sum to 5" \
    "$PMK" gnb merge "$T/t.gnb" "$T/edited2.gnb" -o "$T/x.gnb"
expect_fail 1 "pmk gnb merge: $T/tc.gnb: cannot merge models with different variance modes" \
    "$PMK" gnb merge "$T/t.gnb" "$T/tc.gnb" -o "$T/x.gnb"
# A failed fit leaves the existing model untouched.
cp "$T/t.gnb" "$T/keep.gnb"
expect_fail 1 "pmk gnb fit: $T/empty.csv: empty file (no header and no rows)" \
    "$PMK" gnb fit "$T/empty.csv" -o "$T/keep.gnb"
same_bytes "$T/t.gnb" "$T/keep.gnb"

expect_fail 1 "pmk gnb show: $T/t.gnb: 2 features is not a square image; give --shape RxC" \
    "$PMK" gnb show "$T/t.gnb" -o "$T/x.png"
# --shape is ROWSxCOLS, as in every command (it was W,H).
expect_fail 1 "pmk gnb show: --shape 1x3 has 3 pixels, but the model $T/t.gnb has 2 features" \
    "$PMK" gnb show --shape 1x3 "$T/t.gnb" -o "$T/x.png"
expect_ok "$PMK" gnb show --shape 1x2 "$T/tc.gnb" -o "$T/tc.pgm"
# Class variances: two means, then two sigma tiles on the next row: 2*2+1 x 2*1+1.
head -c 20 "$T/tc.pgm" | head -n 2 | tail -n 1 | grep -qx '5 3' || fail "show --shape: $(head -c 20 "$T/tc.pgm")"

expect_fail 1 "pmk gnb fit: /nonexistent/m.gnb: cannot write: No such file or directory" \
    "$PMK" gnb fit --scale 1 "$FIX/gnb-tiny-train.csv" -o /nonexistent/m.gnb
expect_fail 1 "pmk gnb export: /nonexistent/a/b: cannot create folder: No such file or directory" \
    "$PMK" gnb export "$T/t.gnb" /nonexistent/a/b
expect_ok "$PMK" gnb fit --scale 1 --no-train-accuracy "$FIX/gnb-tiny-train.csv" -o "$T/nt.gnb"
grep -qx 'train accuracy    not measured (--no-train-accuracy)' "$T/out" || fail "--no-train-accuracy: $(cat "$T/out")"

# A real-valued column taken for labels: the 1001st distinct label is refused
# at its line; --max-classes raises the guard.
awk 'BEGIN { for (i = 0; i < 1001; i++) print i "," (i % 7) "," (i % 5) }' >"$T/many.csv"
expect_fail 1 "pmk gnb fit: $T/many.csv:1001: label 1000 makes more than 1000 classes (is the label column right?)" \
    "$PMK" gnb fit --scale 1 "$T/many.csv" -o "$T/x.gnb"
expect_ok "$PMK" gnb fit --scale 1 --max-classes 1001 --no-train-accuracy "$T/many.csv" -o "$T/many.gnb"
grep -qx 'classes (K)       1001' "$T/out" || fail "--max-classes 1001"

# ---------------------------------------------------------------- IDX input
# The same rows as IDX (pmk convert): fit reads them through the data layer,
# its labels file found by the standard pairing, and gives the same model
# byte for byte, and the same figures; eval and predict read IDX too.
gzip -dc "$TRAIN" >"$T/train.csv"
gzip -dc "$TEST" >"$T/test.csv"
expect_ok "$PMK" convert -q "$T/train.csv" -o "$T/mnist-images-idx3-ubyte" --labels "$T/mnist-labels-idx1-ubyte"
expect_ok "$PMK" convert -q "$T/test.csv" -o "$T/t10k-images-idx3-ubyte.gz" --labels "$T/t10k-labels-idx1-ubyte.gz"
expect_ok "$PMK" gnb fit "$T/mnist-images-idx3-ubyte" -o "$T/idx.gnb"
grep -qx 'train accuracy    0.812125 (6497/8000)' "$T/out" || fail "fit on IDX: $(cat "$T/out")"
same_bytes "$T/m.gnb" "$T/idx.gnb"
expect_ok "$PMK" gnb eval "$T/idx.gnb" "$T/t10k-images-idx3-ubyte.gz"
grep -qx 'accuracy            0.7990 (1598/2000)' "$T/out" || fail "eval on IDX: $(cat "$T/out")"
expect_ok "$PMK" gnb predict "$T/m.gnb" "$T/t10k-images-idx3-ubyte.gz" -o "$T/pidx.csv"
same_bytes "$T/p.csv" "$T/pidx.csv"
expect_ok "$PMK" gnb predict --no-labels "$T/m.gnb" "$T/t10k-images-idx3-ubyte.gz" -o "$T/pidx2.csv"
same_bytes "$T/p.csv" "$T/pidx2.csv"
# A labels file of another name: --labels.  The tiny case, as CSV and as IDX.
expect_ok "$PMK" convert -q "$FIX/gnb-tiny-train.csv" -o "$T/tiny.idx" --labels "$T/tiny-lab.idx"
expect_ok "$PMK" gnb fit -q --scale 1 --var-smoothing 0.25 --labels "$T/tiny-lab.idx" "$T/tiny.idx" -o "$T/tidx.gnb"
expect_ok "$PMK" gnb fit -q --scale 1 --var-smoothing 0.25 "$FIX/gnb-tiny-train.csv" -o "$T/tcsv.gnb"
same_bytes "$T/tcsv.gnb" "$T/tidx.gnb"
# Errors name the IDX record: the second image's label 5 is unseen.
expect_ok "$PMK" convert -q "$FIX/gnb-unseen.csv" -o "$T/unseen-images-idx3-ubyte" --labels "$T/unseen-labels-idx1-ubyte"
expect_fail 1 "pmk gnb eval: $T/unseen-images-idx3-ubyte: record 2: label 5 was not seen in training (the model has 2 classes, labels 3 to 7)" \
    "$PMK" gnb eval "$T/tcsv.gnb" "$T/unseen-images-idx3-ubyte"
# Without its labels file, fit refuses IDX images (the data layer's message).
rm "$T/unseen-labels-idx1-ubyte"
expect_fail 1 "pmk gnb fit: $T/unseen-images-idx3-ubyte: its labels file $T/unseen-labels-idx1-ubyte (by the standard pairing) does not exist; name the labels file, or read without labels" \
    "$PMK" gnb fit "$T/unseen-images-idx3-ubyte" -o "$T/x.gnb"

# ---------------------------------------------------------------- the transform
# The default scale is the data layer's one policy (issue 11): 1/255 when
# every value is an integer 0..255 and some exceeds 1, else 1.  The tiny
# fixture is integers 0..5: 1/255, the same model as an explicit --scale.
expect_ok "$PMK" gnb fit -q "$FIX/gnb-tiny-train.csv" -o "$T/auto.gnb"
grep -qx 'scale 0.0039215686274509803' "$T/auto.gnb" || fail "auto scale of 0..255 data: $(grep scale "$T/auto.gnb")"
expect_ok "$PMK" gnb fit --json "$FIX/gnb-tiny-train.csv" -o "$T/auto.gnb"
grep -q '"scale": 0.0039215686274509803, "scale_auto": true,' "$T/out" || fail "fit report: scale: $(cat "$T/out")"
expect_ok "$PMK" gnb fit -q --scale 0.0039215686274509803 "$FIX/gnb-tiny-train.csv" -o "$T/s255.gnb"
expect_ok "$PMK" gnb predict --log-proba "$T/auto.gnb" "$FIX/gnb-tiny-test.csv" -o "$T/pa.csv"
expect_ok "$PMK" gnb predict --log-proba "$T/s255.gnb" "$FIX/gnb-tiny-test.csv" -o "$T/ps.csv"
# the statistics are rescaled at the end instead of scaled row by row: equal to rounding
paste -d, "$T/pa.csv" "$T/ps.csv" | awk -F, 'NR > 1 { for (i = 2; i <= 3; i++) { d = $i - $(i + 3)
    if (d < 0) d = -d; if (d > 1e-9 * (1 + ($i < 0 ? -$i : $i))) bad++ } if ($1 != $4) bad++ }
    END { exit bad > 0 }' || fail "auto scale and --scale 1/255 predict differently"
# Values that are not all bytes (half.csv: x + 0.5) now get scale 1 by
# default, where gnb fit used to divide by 255 whatever the data: the same
# model, byte for byte, as --scale 1.
expect_ok "$PMK" gnb fit -q --var-smoothing 0.25 "$T/half.csv" -o "$T/half-auto.gnb"
same_bytes "$T/half.gnb" "$T/half-auto.gnb"
# 0/1 data: no value exceeds 1, scale 1.
printf '0,0,1\n0,1,1\n1,1,0\n1,0,0\n' >"$T/bits.csv"
expect_ok "$PMK" gnb fit -q "$T/bits.csv" -o "$T/bits.gnb"
grep -qx 'scale 1' "$T/bits.gnb" || fail "auto scale of 0/1 data: $(grep scale "$T/bits.gnb")"
# The model records the transform and every verb applies it; a --scale that
# contradicts it is refused naming both values, the same one is accepted.
expect_fail 2 "pmk gnb eval: $T/auto.gnb: scale 1 contradicts the model's scale 0.0039215686274509803 (it was fitted with it)
Try 'pmk gnb eval --help'." \
    "$PMK" gnb eval --scale 1 "$T/auto.gnb" "$FIX/gnb-tiny-test.csv"
expect_fail 2 "pmk gnb predict: $T/half.gnb: scale 0.5 contradicts the model's scale 1 (it was fitted with it)
Try 'pmk gnb predict --help'." \
    "$PMK" gnb predict --scale 0.5 "$T/half.gnb" "$FIX/gnb-tiny-test.csv"
expect_ok "$PMK" gnb predict --log-proba --scale 0.0039215686274509803 "$T/auto.gnb" "$FIX/gnb-tiny-test.csv" -o "$T/pa2.csv"
same_bytes "$T/pa.csv" "$T/pa2.csv"
# Binarizing needs a scale chosen before the first row (a streaming fit).
expect_fail 2 "pmk gnb fit: binarizing needs an explicit scale: a streaming fit chooses the automatic scale only after the last row
Try 'pmk gnb fit --help'." \
    "$PMK" gnb fit --binarize 0.5 "$FIX/gnb-tiny-train.csv" -o "$T/x.gnb"
# With one, the model is format version 2 and records the threshold: tiny
# rows binarized where 0.2 x >= 0.5 (x >= 2.5) are (0,0) (0,0) (0,1) for
# label 3, (1,0) (1,0) for label 7.
expect_ok "$PMK" gnb fit -q --scale 0.2 --binarize 0.5 --var-smoothing 0.25 "$FIX/gnb-tiny-train.csv" -o "$T/bin.gnb"
sed -n '1p;/^threshold/p;/^check01/p' "$T/bin.gnb" >"$T/binhead"
printf 'pmk-gnb 2\nthreshold 0.5\ncheck01 0\n' | cmp -s - "$T/binhead" || fail "binarized model header: $(cat "$T/binhead")"
grep -qx 'mean 0 0.33333333333333331' "$T/bin.gnb" || fail "binarized class 3 mean: $(cat "$T/bin.gnb")"
grep -qx 'mean 1 0' "$T/bin.gnb" || fail "binarized class 7 mean: $(cat "$T/bin.gnb")"
expect_fail 2 "pmk gnb eval: $T/bin.gnb: binarizing at 0.25 contradicts the model's threshold 0.5
Try 'pmk gnb eval --help'." \
    "$PMK" gnb eval --binarize 0.25 "$T/bin.gnb" "$FIX/gnb-tiny-test.csv"
# Test rows binarized: (0,0) (1,0) (1,0) (1,0): predicted 3, 7, 7, 7, all right.
expect_ok "$PMK" gnb eval --json "$T/bin.gnb" "$FIX/gnb-tiny-test.csv"
grep -q '"n": 4, "correct": 4,' "$T/out" || fail "binarized eval: $(cat "$T/out")"
expect_ok "$PMK" gnb merge "$T/bin.gnb" "$T/bin.gnb" -o "$T/bin2.gnb"
sed -n '1p;/^threshold/p;/^check01/p' "$T/bin2.gnb" | cmp -s - "$T/binhead" || fail "merge loses the transform"

# ---------------------------------------------------------------- fit --json
expect_ok "$PMK" gnb fit --json --scale 1 --var-smoothing 0.25 "$FIX/gnb-tiny-train.csv" -o "$T/j.gnb"
grep -q '^{"rows": 5, "classes": 2, "features": 2, "scale": 1, "scale_auto": false, "train_correct": 5, "train_accuracy": 1, "train_mean_nll": [-0-9.e]*, "model": "'"$T"'/j.gnb"}$' "$T/out" ||
    fail "fit --json: $(cat "$T/out")"
run sh -c "'$PMK' gnb fit --json --no-train-accuracy '$FIX/gnb-tiny-train.csv' -o - 2>'$T/j.err' >/dev/null"
grep -q '"train_accuracy": null, .*"model": "-"}$' "$T/j.err" || fail "fit --json -o -: $(cat "$T/j.err")"

# ---------------------------------------------------------------- several files
# DATA... is one data set in file order: the fit of the tiny case split in
# two files is the one-file fit's to rounding (its predictions the same
# bytes); predict and eval over two files are those of their concatenation.
head -n 2 "$FIX/gnb-tiny-train.csv" >"$T/tA.csv"
tail -n 3 "$FIX/gnb-tiny-train.csv" >"$T/tB.csv"
expect_ok "$PMK" gnb fit --scale 1 --var-smoothing 0.25 "$T/tA.csv" "$T/tB.csv" -o "$T/two.gnb"
grep -q 'train accuracy    1.000000 (5/5)' "$T/out" || fail "fit of two files: $(cat "$T/out")"
"$PMK" gnb fit --scale 1 --var-smoothing 0.25 "$FIX/gnb-tiny-train.csv" -o "$T/one.gnb" >/dev/null
cat "$FIX/gnb-tiny-test.csv" "$FIX/gnb-tiny-train.csv" >"$T/cat.csv"
"$PMK" gnb predict --proba "$T/one.gnb" "$T/cat.csv" -o "$T/p1.csv"
expect_ok "$PMK" gnb predict --proba "$T/two.gnb" "$FIX/gnb-tiny-test.csv" "$FIX/gnb-tiny-train.csv"
[ "$(cut -d, -f1 "$T/out")" = "$(cut -d, -f1 "$T/p1.csv")" ] || fail "predict over two files: $(cat "$T/out")"
"$PMK" gnb eval "$T/one.gnb" "$T/cat.csv" | grep -v 'mean\|log-loss' >"$T/e1"
"$PMK" gnb eval "$T/one.gnb" "$FIX/gnb-tiny-test.csv" "$FIX/gnb-tiny-train.csv" \
    | grep -v 'mean\|log-loss' | cmp -s - "$T/e1" || fail "eval over two files"
expect_fail 2 "pmk gnb fit: --weights, --weight-col: one DATA file only, not under MPI yet
Try 'pmk gnb fit --help'." "$PMK" gnb fit --weights "$T/tA.csv" "$T/tA.csv" "$T/tB.csv" -o "$T/w.gnb"

# --help: exit 0, and it says what scaling the defaults apply.
expect_ok "$PMK" gnb fit --help
grep -q '1/255' "$T/out" || fail "fit --help does not state the default scale"
echo "cli_gnb: all checks passed"
