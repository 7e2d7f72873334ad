#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_lda.sh: `gnb fit --covariance full` (one full covariance shared by the
# classes) on 600 rows of the MNIST sample: the model file says so and
# `gnb show --zoom` draws it; two halves merged, a fit over two threads and
# the one-pass fit predict the same labels with the same posteriors (to
# rounding); the options' usage errors; a diagonal fit's file is unchanged.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
set -e

gzip -dc "$DATA/mnist-train.csv.gz" | head -n 600 >"$T/train.csv"
head -n 300 "$T/train.csv" >"$T/a.csv"
tail -n 300 "$T/train.csv" >"$T/b.csv"
gzip -dc "$DATA/mnist-test.csv.gz" | head -n 200 >"$T/test.csv"

expect_ok "$PMK" gnb fit --json --covariance full --ridge 0.01 "$T/train.csv" -o "$T/f.gnb"
grep -q '"covariance": *"full"' "$T/out" || fail "the report does not say covariance full"
head -n 1 "$T/f.gnb" | grep -qx 'pmk-gnb 4' || fail "a full model is not format version 4"
grep -qx 'covariance full' "$T/f.gnb" && grep -qx 'ridge 0.01' "$T/f.gnb" \
    || fail "no covariance / ridge lines"
[ "$(grep -c '^scatter ' "$T/f.gnb")" -eq 784 ] || fail "not 784 scatter rows"

# the threaded fit and the merge of two halves: the same predictions
expect_ok "$PMK" gnb fit -q --threads 2 --covariance full --ridge 0.01 "$T/train.csv" -o "$T/t.gnb"
expect_ok "$PMK" gnb fit -q --covariance full --ridge 0.01 "$T/a.csv" -o "$T/a.gnb"
expect_ok "$PMK" gnb fit -q --covariance full --ridge 0.01 "$T/b.csv" -o "$T/b.gnb"
expect_ok "$PMK" gnb merge -q "$T/a.gnb" "$T/b.gnb" -o "$T/ab.gnb"
for m in f t ab; do
    expect_ok "$PMK" gnb predict --proba "$T/$m.gnb" "$T/test.csv" -o "$T/$m.csv"
done
for m in t ab; do
    # labels identical; posteriors to 1e-9 (the scatter's sums in another order)
    awk -F, 'NR == FNR { for (i = 1; i <= NF; i++) a[FNR, i] = $i; next }
             FNR > 1 { if ($1 != a[FNR, 1]) exit 1
                       for (i = 2; i <= NF; i++) { d = $i - a[FNR, i]; if (d < 0) d = -d; if (d > 1e-9) exit 1 } }' \
        "$T/f.csv" "$T/$m.csv" || fail "$m.gnb does not predict as the one-pass fit"
done
expect_ok "$PMK" gnb eval "$T/f.gnb" "$T/test.csv"
expect_ok "$PMK" gnb show --zoom 1 "$T/f.gnb" -o "$T/f.png"
# export: cov.csv beside the four files, D rows of "feature,cov0..", symmetric
expect_ok "$PMK" gnb export "$T/f.gnb" "$T/exp"
[ "$(ls "$T/exp" | tr '\n' ' ')" = "cov.csv mu.csv priors.csv transform.csv var.csv " ] ||
    fail "export of a full model: $(ls "$T/exp")"
[ "$(wc -l <"$T/exp/cov.csv")" -eq 785 ] || fail "export: cov.csv rows"
[ "$(head -n 1 "$T/exp/cov.csv" | cut -d, -f1-3)" = feature,cov0,cov1 ] || fail "export: cov.csv header"
awk -F, 'NR > 1 { if (NF != 785 || $1 != NR - 2) exit 1; for (j = 2; j <= NF; j++) c[NR - 2, j - 2] = $j }
         END { for (i = 0; i < 784; i++) for (j = 0; j < i; j++) if (c[i, j] != c[j, i]) exit 1 }' \
    "$T/exp/cov.csv" || fail "export: cov.csv is not 784 symmetric rows"

# a diagonal model and a full one do not merge; usage errors
expect_ok "$PMK" gnb fit -q "$T/a.csv" -o "$T/d.gnb"
grep -q '^covariance' "$T/d.gnb" && fail "a diagonal model has a covariance line"
expect_ok "$PMK" gnb export "$T/d.gnb" "$T/dexp"
[ ! -e "$T/dexp/cov.csv" ] || fail "a diagonal model's export wrote cov.csv"
expect_fail 1 "pmk gnb merge: $T/d.gnb: cannot merge models with different covariance kinds or ridges" \
    "$PMK" gnb merge "$T/a.gnb" "$T/d.gnb" -o "$T/x.gnb"
expect_err_line 2 "pmk gnb fit: --covariance: 'diag' or 'full', not 'tied'" \
    "$PMK" gnb fit --covariance tied "$T/a.csv" -o "$T/x.gnb"
expect_err_line 2 "pmk gnb fit: the ridge must be >= 0, not -1" \
    "$PMK" gnb fit --covariance full --ridge -1 "$T/a.csv" -o "$T/x.gnb"
expect_err_line 2 "pmk gnb fit: a full covariance is shared by the classes: not with one variance per class" \
    "$PMK" gnb fit --covariance full --variance class "$T/a.csv" -o "$T/x.gnb"
expect_fail 1 "pmk gnb fit: $T/a.csv: the covariance matrix is not positive definite, even with the ridge (0 x the mean variance = 0 added to its diagonal): give a larger --ridge" \
    "$PMK" gnb fit --covariance full --ridge 0 "$T/a.csv" -o "$T/x.gnb"
[ ! -e "$T/x.gnb" ] || fail "a failed fit left a model"
