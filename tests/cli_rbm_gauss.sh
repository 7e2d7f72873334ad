#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_rbm_gauss.sh: `pmk rbm` with Gaussian visible units end to end on 60
# rows of 4 real columns (one constant): training (the version 4 file,
# reproducible, 1 + 1 = 2 epochs), hidden, sample in the data's units, eval
# (exact and AIS log Z, the log-density in data units) and the refusals.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
R="$PMK rbm"
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"
D="$T/g.csv"
awk 'BEGIN { print "x1,x2,x3,x4"
             for (n = 0; n < 60; n++) print n % 7 "," (n * 3) % 5 + 0.5 * (n % 7) "," 100 + n % 11 ",3" }' >"$D"

# ---- train: a version 4 model recording the standardisation, same seed same bytes
G="--visible gaussian -H 3 -b 10 --lr 0.01 --no-labels"
expect_ok $R train "$D" -o "$T/m.rbm" $G -e 2 --seed 5
grep -q '^pmk rbm train: 60 rows (57 for training, 3 held out), D = 4 (Gaussian), H = 3, CD-1, batch 10$' \
    "$T/err" || fail "notice names the Gaussian units"
# the epoch lines: no pseudo-likelihood (it is for binary units)
grep -q '^pmk rbm train: epoch 2/2  recon [0-9.]*  free-energy gap ' "$T/err" \
    || fail "epoch line: $(grep epoch "$T/err")"
head -n 1 "$T/m.rbm" | grep -qx 'pmk-rbm 4' || fail "model magic"
grep -qx 'units gaussian' "$T/m.rbm" && grep -qx 'check01 0' "$T/m.rbm" && grep -qx 'scale 1' "$T/m.rbm" \
    || fail "units and transform lines"
[ "$(sed -n '/^sigma$/{n;p;}' "$T/m.rbm")" = "1 1 1 1" ] || fail "s = 1"
# the constant column: mean 3, sd the floor sqrt(1e-9 max var)
sed -n '/^mean$/{n;p;}' "$T/m.rbm" | awk '{ exit !($4 == 3) }' || fail "standardisation means"
expect_ok $R train "$D" -o "$T/m2.rbm" $G -e 2 --seed 5 -q
same_bytes "$T/m.rbm" "$T/m2.rbm"
# 1 epoch, then --resume for 1 more (the saved stream): the 2-epoch model
expect_ok $R train "$D" -o "$T/one.rbm" $G -e 1 --seed 5 -q
expect_ok $R train "$D" -o "$T/two.rbm" $G -e 1 --resume "$T/one.rbm" -q
same_bytes "$T/m.rbm" "$T/two.rbm"
expect_ok $R train "$D" -o "$T/p.rbm" $G -e 1 --trainer pcd -k 2 --seed 5 -q
expect_ok $R train "$D" -o "$T/s.rbm" $G -e 2 --learn-sigma --seed 5 -q
[ "$(sed -n '/^sigma$/{n;p;}' "$T/s.rbm")" != "1 1 1 1" ] || fail "--learn-sigma learned nothing"
expect_ok $R eval "$T/s.rbm" "$D" --no-labels --exact

# ---- hidden: N rows of H probabilities
expect_ok $R hidden "$T/m.rbm" "$D" --no-labels
[ "$(wc -l <"$T/out")" -eq 61 ] && head -n 1 "$T/out" | grep -qx 'h0,h1,h2' || fail "hidden shape"

# ---- sample: means and draws of p(v|h) in the data's units
expect_ok $R sample "$T/m.rbm" -n 4 -s 20 --every 10 -o "$T/s.csv" --seed 1
[ "$(wc -l <"$T/s.csv")" -eq 9 ] || fail "sample: header + 2 x 4 rows"
# column x4 is 3 in every row: its sd is ~1e-4, so every sample is 3 to 1e-3
awk -F, 'NR > 1 && ($5 < 2.999 || $5 > 3.001) { bad = 1 } END { exit bad }' "$T/s.csv" \
    || fail "samples are not in the data's units"
expect_ok $R sample "$T/m.rbm" -n 4 -s 20 --binary -o "$T/sb.csv" --seed 1 --init "data:$D" --no-labels

# ---- eval: exact and AIS log Z agree; the log-density in data units
expect_ok $R eval "$T/m.rbm" "$D" --no-labels --exact --seed 1
# the pseudo-likelihood is for binary units: no line (and null in JSON)
! grep -q '^pseudo-likelihood' "$T/out" || fail "a pseudo-likelihood line for Gaussian units"
lz=$(awk '/^log Z \(exact\)/ { print $4 }' "$T/out")
ld=$(awk '/^log-density \(data units\)/ { print $4 }' "$T/out")
[ -n "$lz" ] && [ -n "$ld" ] || fail "eval lines"
expect_ok $R eval "$T/m.rbm" "$D" --no-labels --ais --ais-runs 50 --seed 1
la=$(awk '/^log Z \(AIS/ { print $6 }' "$T/out")
near "$la" "$lz" 0.1
expect_ok $R eval "$T/m.rbm" "$D" --no-labels --exact --json
grep -q '"mean_log_density":' "$T/out" || fail "JSON log-density"
grep -q '"pseudo_likelihood": null, "pseudo_likelihood_1bit": null' "$T/out" || fail "JSON pseudo-likelihood"

# ---- refusals
expect_err_line 2 "pmk rbm train: parallel tempering is not available for Gaussian visible units (use --trainer cd or pcd)" \
    $R train "$D" -o "$T/x.rbm" $G --trainer pt
expect_err_line 2 "pmk rbm train: unknown visible units 'real' (binary or gaussian)" \
    $R train "$D" -o "$T/x.rbm" --visible real
expect_err_line 2 "pmk rbm train: Gaussian visible units take real values: binarizing does not apply" \
    $R train "$D" -o "$T/x.rbm" $G --binarize 0.5
[ ! -e "$T/x.rbm" ] || fail "a refused run wrote a model"
echo "rbm Gaussian CLI: all checks passed"
