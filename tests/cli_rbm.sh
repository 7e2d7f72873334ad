#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_rbm.sh: `pmk rbm` end to end on a 40-row, 6x6-pixel fixture: training
# (reproducible, resumable, logged), every verb's output shape and values,
# exact vs AIS log Z, and the exact message and status for each bad input.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
BARS="$FIX/rbm-bars.csv"
R="$PMK rbm"
# tiny GEMMs: OpenBLAS threads only add contention on a loaded machine
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"

# ---- train: progress per epoch on stderr, a model, a log; same seed, same bytes
expect_ok $R train "$BARS" -o "$T/m.rbm" -H 8 -e 3 -b 10 --seed 5 --log "$T/log.csv"
[ "$(grep -c '^pmk rbm train: epoch [1-3]/3  recon ' "$T/err")" -eq 3 ] || fail "3 progress lines wanted"
head -n 1 "$T/m.rbm" | grep -qx 'pmk-rbm 3' || fail "model magic"
grep -qx 'rng mt19937 5 [0-9]*' "$T/m.rbm" || fail "the RNG state and the split's seed recorded"
# the transform it was trained with: the auto rule, 1/255 for 0..255 pixels
sed -n 5,7p "$T/m.rbm" | tr '\n' ' ' | grep -qx 'scale 0.0039215686274509803 threshold 0 check01 1 ' \
    || fail "model transform lines"
grep -qx 'visible 36' "$T/m.rbm" && grep -qx 'hidden 8' "$T/m.rbm" && grep -qx 'epochs 3' "$T/m.rbm" \
    || fail "model header"
[ "$(wc -l <"$T/log.csv")" -eq 4 ] || fail "log: header + 3 rows wanted"
head -n 1 "$T/log.csv" | grep -qx 'epoch,recon_error,pseudo_likelihood,free_energy_gap,seconds,elapsed' \
    || fail "log header"
expect_ok $R train "$BARS" -o "$T/m2.rbm" -H 8 -e 3 -b 10 --seed 5 -q
[ ! -s "$T/err" ] || fail "-q must silence progress"
same_bytes "$T/m.rbm" "$T/m2.rbm"
expect_ok $R train "$BARS" -o "$T/m3.rbm" -H 8 -e 3 -b 10 --seed 6 -q
cmp -s "$T/m.rbm" "$T/m3.rbm" && fail "another seed gave the same model"

# ---- resume: 3 more epochs continue the count; PCD chains are saved
expect_ok $R train "$BARS" -o "$T/r.rbm" --resume "$T/m.rbm" -e 2 --seed 1 -q
grep -qx 'epochs 5' "$T/r.rbm" || fail "resume must continue the epoch count"
grep -qx 'momentum 1' "$T/r.rbm" || fail "momentum state saved"
expect_ok $R train "$BARS" -o "$T/p.rbm" -H 4 -e 2 -b 10 -k 2 --persistent --seed 1 -q
grep -qx 'chains 10' "$T/p.rbm" || fail "PCD chains saved"
# --cd-ramp: k climbs 1 -> K over the epochs (1, 2 for -e 2 -k 2), so it differs
# from plain CD-2; with one epoch the ramp is K at once: the same bytes as CD-3
expect_ok $R train "$BARS" -o "$T/k2.rbm" -H 4 -e 2 -b 10 -k 2 --seed 1 -q
expect_ok $R train "$BARS" -o "$T/k2r.rbm" -H 4 -e 2 -b 10 -k 2 --cd-ramp --seed 1
grep -q ', CD-2 (ramped from 1), batch 10$' "$T/err" || fail "ramp notice"
cmp -s "$T/k2.rbm" "$T/k2r.rbm" && fail "--cd-ramp changed nothing"
expect_ok $R train "$BARS" -o "$T/k3.rbm" -H 4 -e 1 -b 10 -k 3 --seed 1 -q
expect_ok $R train "$BARS" -o "$T/k3r.rbm" -H 4 -e 1 -b 10 -k 3 --cd-ramp --seed 1 -q
same_bytes "$T/k3.rbm" "$T/k3r.rbm"
# checkpoints: the model exists after every 1 epoch, and at the end
expect_ok $R train "$BARS" -o "$T/c.rbm" -H 4 -e 2 --checkpoint-every 1 --seed 1 -q
grep -qx 'epochs 2' "$T/c.rbm" || fail "checkpointed model"

# ---- exact resume: --resume without --seed continues the saved stream, so
# 1 + 1 epochs (and 1 + 1 + 1) are the bytes of 2 (3) epochs, for CD, PCD and
# with a sparsity target; --seed with --resume restarts the stream from it
for how in "" "--persistent -k 2" "--sparsity-target 0.2 --sparsity-cost 0.1" \
    "--trainer pt --temperatures 4"; do
    expect_ok $R train "$BARS" -o "$T/e2.rbm" -H 5 -e 2 -b 10 --seed 7 -q $how
    expect_ok $R train "$BARS" -o "$T/e1.rbm" -H 5 -e 1 -b 10 --seed 7 -q $how
    expect_ok $R train "$BARS" -o "$T/e11.rbm" --resume "$T/e1.rbm" -e 1 -b 10 -q $how
    same_bytes "$T/e2.rbm" "$T/e11.rbm"
    expect_ok $R train "$BARS" -o "$T/e3.rbm" -H 5 -e 3 -b 10 --seed 7 -q $how
    expect_ok $R train "$BARS" -o "$T/e111.rbm" --resume "$T/e11.rbm" -e 1 -b 10 -q $how
    same_bytes "$T/e3.rbm" "$T/e111.rbm"
done
# a checkpoint resumes as exactly as a finished model
expect_ok $R train "$BARS" -o "$T/c3.rbm" -H 4 -e 3 -b 10 --checkpoint-every 2 --seed 1 -q
expect_ok $R train "$BARS" -o "$T/c2.rbm" -H 4 -e 2 -b 10 --seed 1 -q
expect_ok $R train "$BARS" -o "$T/c21.rbm" --resume "$T/c2.rbm" -e 1 -b 10 -q
same_bytes "$T/c3.rbm" "$T/c21.rbm"
expect_ok $R train "$BARS" -o "$T/e11s.rbm" --resume "$T/e1.rbm" -e 1 -b 10 -q --seed 7
cmp -s "$T/e2.rbm" "$T/e11s.rbm" && fail "--seed with --resume must restart the stream"
grep -qx 'rng mt19937 7 [0-9]*' "$T/e11s.rbm" || fail "restarted stream's seed"
# another generator than the one recorded cannot continue its stream
expect_fail 1 "pmk rbm train: the model's RNG state is of a mt19937 generator (5000 bytes), the run's generator is taus2 (24 bytes): give --seed to restart the stream" \
    env GSL_RNG_TYPE=taus2 $R train "$BARS" -o "$T/x.rbm" --resume "$T/e1.rbm" -e 1 -b 10 -q
# a version 2 model (pmk before the RNG state) loads and resumes; the result is version 3
expect_ok $R hidden "$FIX/rbm-v2.rbm" "$BARS" -o "$T/hv2.csv"
[ "$(wc -l <"$T/hv2.csv")" -eq 41 ] || fail "version 2 model: hidden"
expect_ok $R train "$BARS" --resume "$FIX/rbm-v2.rbm" -e 1 -b 10 -o "$T/v2r.rbm" -q --persistent
head -n 1 "$T/v2r.rbm" | grep -qx 'pmk-rbm 3' && grep -qx 'epochs 2' "$T/v2r.rbm" \
    || fail "resumed version 2 model"

# ---- hidden: a header line, then one row per input row, label then H
# probabilities in [0,1]
expect_ok $R hidden "$T/m.rbm" "$BARS" -o "$T/h.csv"
[ "$(wc -l <"$T/h.csv")" -eq 41 ] || fail "hidden: a header and 40 rows wanted"
head -n 1 "$T/h.csv" | grep -qx 'label,h0,h1,h2,h3,h4,h5,h6,h7' || fail "hidden: header line"
awk -F, 'NR > 1 && NF != 9 { exit 1 } NR > 1 { for (i = 2; i <= NF; i++) if ($i < 0 || $i > 1) exit 1 }' \
    "$T/h.csv" || fail "hidden: label + 8 probabilities in [0,1] per row"
cut -d, -f1 "$BARS" >"$T/lab"
tail -n +2 "$T/h.csv" | cut -d, -f1 | cmp -s - "$T/lab" || fail "hidden: labels carried over"
expect_ok $R hidden "$T/m.rbm" "$BARS" --sample --seed 3
awk -F, 'NR > 1 { for (i = 2; i <= NF; i++) if ($i != 0 && $i != 1) exit 1 }' "$T/out" \
    || fail "samples are 0/1"

# ---- eval: exact log Z; mean log p = -mean F - log Z; AIS agrees within 0.1 nats
expect_ok $R eval "$T/m.rbm" "$BARS" --exact --json --seed 1
for k in n recon_error pseudo_likelihood pseudo_likelihood_1bit mean_free_energy log_z mean_log_prob; do
    grep -q "\"$k\": " "$T/out" || fail "eval --json lacks $k"
done
get() { sed -n "s/.*\"$1\": \\([^,}]*\\).*/\\1/p" "$2"; }
cp "$T/out" "$T/exact.json"
[ "$(get n "$T/exact.json")" = 40 ] || fail "n"
lz=$(get log_z "$T/exact.json"); mf=$(get mean_free_energy "$T/exact.json")
near "$(get mean_log_prob "$T/exact.json")" "$(awk -v a="$mf" -v b="$lz" 'BEGIN { printf "%.12f", -a - b }')" 1e-9
# AIS with a shorter schedule, 100 runs: on an 8-hidden model its error is ~0.01
expect_ok $R eval "$T/m.rbm" "$BARS" --ais --ais-betas 100,800,2000 --json --seed 2
near "$(get log_z "$T/out")" "$lz" 0.1
grep -q '"log_z_lo": ' "$T/out" && grep -q '"ais_steps": 2900' "$T/out" || fail "AIS fields"
expect_ok $R eval "$T/m.rbm" "$BARS" --exact
grep -q '^log Z (exact) ' "$T/out" || fail "plain eval output"
# hidden_mean: each unit's mean p(h|v) over the rows, what `hidden` averages to
expect_ok $R hidden "$T/m.rbm" "$BARS" -o "$T/hm.csv"
awk -F, 'NR > 1 { for (i = 2; i <= NF; i++) s[i] += $i; n++ }
    END { for (i = 2; i <= 9; i++) printf "%.12f\n", s[i] / n }' "$T/hm.csv" >"$T/hm.want"
sed -n 's/.*"hidden_mean": \[\([^]]*\)\].*/\1/p' "$T/exact.json" | tr ',' '\n' \
    | awk '{ printf "%.12f\n", $1 }' | cmp -s - "$T/hm.want" || fail "eval hidden_mean"

# ---- sparsity target: on the bars (momentum 0, lambda 10, 100 epochs) every
# unit's mean activation ends within 0.02 of p = 0.1 (measured: 0.007); without
# it some unit is far above; cost 0 gives the bytes of no option at all
expect_ok $R train "$BARS" -o "$T/sp.rbm" -H 8 -e 100 -b 10 --seed 1 -q --momentum 0 \
    --holdout 0 --sparsity-target 0.1 --sparsity-cost 10
grep -qx 'sparsity 1' "$T/sp.rbm" || fail "the running means are saved"
expect_ok $R eval "$T/sp.rbm" "$BARS" --json --seed 1
sed -n 's/.*"hidden_mean": \[\([^]]*\)\].*/\1/p' "$T/out" | tr ',' '\n' \
    | awk 'NF { n++; d = $1 - 0.1; if (d < -0.02 || d > 0.02) bad = 1 } END { exit bad || n != 8 }' \
    || fail "sparsity target not reached within 0.02"
expect_ok $R train "$BARS" -o "$T/sp0.rbm" -H 8 -e 5 -b 10 --seed 1 -q --momentum 0 --holdout 0
expect_ok $R eval "$T/sp0.rbm" "$BARS" --json --seed 1
sed -n 's/.*"hidden_mean": \[\([^]]*\)\].*/\1/p' "$T/out" | tr ',' '\n' \
    | awk '$1 > 0.3 { far = 1 } END { exit !far }' || fail "without a target some unit is above 0.3"
expect_ok $R train "$BARS" -o "$T/spz.rbm" -H 8 -e 5 -b 10 --seed 1 -q --momentum 0 --holdout 0 \
    --sparsity-target 0.3 --sparsity-cost 0
same_bytes "$T/sp0.rbm" "$T/spz.rbm"
expect_err_line 2 "pmk rbm train: the sparsity target must be in (0,1), not 1" \
    $R train "$BARS" -o "$T/x.rbm" --sparsity-target 1 --sparsity-cost 1
expect_err_line 2 "pmk rbm train: the sparsity cost must be >= 0, not -1" \
    $R train "$BARS" -o "$T/x.rbm" --sparsity-cost -1

# ---- parallel tempering against CD-1 and PCD-1: the bars binarized, H = 8,
# 300 epochs, lr 0.1, batch 10, momentum 0; the training log-likelihood by
# exact log Z, summed over seeds 1-3: one seed's gap between PT and CD is
# within the seeds' spread (measured, seeds 1-3: CD-1 -11.089 -10.945 -11.119,
# PCD-1 -11.475 -12.093 -11.841, PT-10 -11.094 -11.133 -10.706; doc/benchmarks.md
# has seed 1 of the sampler before per-row streams)
for tr in cd pcd pt; do
    : >"$T/$tr.ll"
    for s in 1 2 3; do
        expect_ok $R train "$BARS" -o "$T/$tr.rbm" -H 8 -e 300 -b 10 --lr 0.1 --momentum 0 \
            --holdout 0 --binarize 0.5 --seed $s -q --trainer $tr
        expect_ok $R eval "$T/$tr.rbm" "$BARS" --exact --json --seed 1
        get mean_log_prob "$T/out" >>"$T/$tr.ll"
    done
done
sum() { awk '{ s += $1 } END { print s }' "$1"; }
awk -v cd="$(sum "$T/cd.ll")" -v pcd="$(sum "$T/pcd.ll")" -v pt="$(sum "$T/pt.ll")" \
    'BEGIN { exit !(pt >= pcd && pt > cd) }' || fail "PT-10 must beat CD-1 and match PCD-1"
# the log's swap rates: one per neighbour pair, in [0,1]
expect_ok $R train "$BARS" -o "$T/x.rbm" -H 4 -e 2 -b 10 --seed 1 -q --trainer pt \
    --temperatures 0.5,0.75,1 --log "$T/lp.csv"
head -n 1 "$T/lp.csv" | grep -q ',elapsed,swap_rates$' || fail "swap rates log header"
awk -F, 'NR > 1 { n = split($7, r, " "); if (n != 2) exit 1; for (i = 1; i <= n; i++)
    if (r[i] < 0 || r[i] > 1) exit 1 }' "$T/lp.csv" || fail "swap rates: 2 rates in [0,1]"
grep -qx 'chains 30' "$T/x.rbm" || fail "3 replicas of 10 chains saved"
expect_err_line 2 "pmk rbm train: unknown trainer 'gibbs' (cd, pcd or pt)" \
    $R train "$BARS" -o "$T/x.rbm" --trainer gibbs
expect_err_line 2 "pmk rbm train: parallel tempering and PCD exclude each other" \
    $R train "$BARS" -o "$T/x.rbm" --temperatures 4 --persistent

# ---- --log-exact-pl: a last column, finite and negative
expect_ok $R train "$BARS" -o "$T/x.rbm" -H 4 -e 2 -b 10 --seed 1 -q --holdout 0.25 \
    --log "$T/lx.csv" --log-exact-pl
head -n 1 "$T/lx.csv" | grep -q ',elapsed,pseudo_likelihood_exact$' || fail "exact PL log header"
awk -F, 'NR > 1 && !($7 < 0 && $7 > -100) { exit 1 } END { exit NR != 3 }' "$T/lx.csv" \
    || fail "exact PL log values"

# ---- sample, filters, export
expect_ok $R sample "$T/m.rbm" -o "$T/s.csv" --chains 3 --steps 20 --every 5 --seed 1
[ "$(wc -l <"$T/s.csv")" -eq 13 ] || fail "sample: a header and 4 snapshots x 3 chains"
[ "$(head -n 1 "$T/s.csv" | cut -d, -f1-3,37)" = "sweep,v0,v1,v35" ] || fail "sample: header line"
[ "$(tail -n +2 "$T/s.csv" | cut -d, -f1 | tr '\n' ' ')" = "5 5 5 10 10 10 15 15 15 20 20 20 " ] \
    || fail "sweep column"
# --binary: the chains' 0/1 states, the same shape
expect_ok $R sample "$T/m.rbm" -o "$T/sb.csv" --chains 3 --steps 20 --every 5 --seed 1 --binary
[ "$(wc -l <"$T/sb.csv")" -eq 13 ] || fail "sample --binary: 13 lines"
tail -n +2 "$T/sb.csv" | cut -d, -f2- | tr ',' '\n' | grep -qv '^[01]$' && fail "sample --binary: 0/1"
cmp -s "$T/s.csv" "$T/sb.csv" && fail "--binary changed nothing"
expect_ok $R sample "$T/m.rbm" -o "$T/s.png" --chains 3 --steps 20 --init "data:$BARS" --seed 1
expect_ok $R filters "$T/m.rbm" -o "$T/f.png"
for f in s.png f.png; do
    [ "$(head -c 4 "$T/$f" | od -An -c | tr -d ' ')" = "211PNG" ] || fail "$f is not a PNG"
done
expect_ok $R export "$T/m.rbm" "$T/ex"
[ "$(wc -l <"$T/ex/W.csv")" -eq 37 ] && [ "$(wc -l <"$T/ex/b.csv")" -eq 37 ] \
    && [ "$(wc -l <"$T/ex/a.csv")" -eq 9 ] || fail "export shapes: a header and D, D, H rows"
awk -F, 'NF != 8 { exit 1 }' "$T/ex/W.csv" || fail "W.csv: 8 columns"
head -n 1 "$T/ex/W.csv" | grep -qx 'h0,h1,h2,h3,h4,h5,h6,h7' || fail "W.csv header"
[ "$(head -n 1 "$T/ex/b.csv")$(head -n 1 "$T/ex/a.csv")" = ba ] || fail "b.csv, a.csv headers"
# transform.csv: the model's scale (1/255, the same double) and threshold
[ "$(head -n 1 "$T/ex/transform.csv")" = scale,threshold ] && [ "$(wc -l <"$T/ex/transform.csv")" -eq 2 ] \
    || fail "transform.csv: header and one row"
sed -n 2p "$T/ex/transform.csv" | awk -F, '$1 != 1/255 || $2 != 0 { exit 1 }' || fail "transform.csv values"
# b.csv holds the model's b line, one number per line, the same doubles
# (the CSV writer may print a shorter form of each: compare as numbers)
sed -n '/^b$/{n;p;}' "$T/m.rbm" | tr ' ' '\n' >"$T/b-model"
tail -n +2 "$T/ex/b.csv" | paste -d' ' "$T/b-model" - | awk 'NF != 2 || $1 != $2 { exit 1 } END { exit NR != 36 }' \
    || fail "b.csv differs from the model"

# ---- bad inputs
expect_err_line 2 "pmk rbm train: an RBM needs at least 1 hidden unit" \
    $R train "$BARS" -o "$T/x.rbm" -H 0
expect_err_line 2 "pmk rbm train: missing -o MODEL" $R train "$BARS"
# 300 is not a byte, so the one auto rule keeps the scale 1 (issue 11): the
# first value above 1 is refused
expect_fail 1 "pmk rbm train: $FIX/rbm-bad-range.csv:1:9: value 192 is outside [0,1]" \
    $R train "$FIX/rbm-bad-range.csv" -o "$T/m.rbm"
same_bytes "$T/m.rbm" "$T/m2.rbm"   # the failed run left the old model alone
# under a header line the row's file line moves down by one; with 1/255 asked
# for, 300 is the value out of range
{ printf 'label'; for i in $(seq 0 35); do printf ',p%d' "$i"; done; echo; cat "$FIX/rbm-bad-range.csv"; } >"$T/hdr.csv"
expect_fail 1 "pmk rbm train: $T/hdr.csv:4:6: value 300 is outside [0,1] after scaling by 0.00392157" \
    $R train "$T/hdr.csv" -o "$T/x.rbm" --scale 0.0039215686274509803
# a model trained on scale 1 applies it to every file: eval refuses 192
sed '5s/.*/scale 1/' "$T/m.rbm" >"$T/s1.rbm"
expect_fail 1 "pmk rbm eval: $FIX/rbm-bad-range.csv:1:9: value 192 is outside [0,1]" \
    $R eval "$T/s1.rbm" "$FIX/rbm-bad-range.csv"
# --no-labels makes the label column a 37th feature
expect_fail 1 "pmk rbm eval: $BARS: the data have 37 feature columns but the model has 36 visible units" \
    $R eval "$T/m.rbm" "$BARS" --no-labels
# ---- the transform is the model's: an option that contradicts it is refused
# (exit 2, naming both); one that agrees is accepted
expect_err_line 2 "pmk rbm hidden: $T/m.rbm: binarizing at 0.5 contradicts the model, which was trained on values not binarized" \
    $R hidden "$T/m.rbm" "$BARS" --binarize 0.5
expect_err_line 2 "pmk rbm eval: $T/m.rbm: scale 1 contradicts the model's scale 0.0039215686274509803 (it was trained with it)" \
    $R eval "$T/m.rbm" "$BARS" --scale 1
expect_err_line 2 "pmk rbm sample: $T/m.rbm: scale 0.5 contradicts the model's scale 0.0039215686274509803 (it was trained with it)" \
    $R sample "$T/m.rbm" -o "$T/x.csv" --init "data:$BARS" --scale 0.5
expect_err_line 2 "pmk rbm train: $T/m.rbm: scale 1 contradicts the model's scale 0.0039215686274509803 (it was trained with it)" \
    $R train "$BARS" --resume "$T/m.rbm" -o "$T/x.rbm" --scale 1
expect_ok $R hidden "$T/m.rbm" "$BARS" --scale 0.0039215686274509803 -o "$T/h2.csv"
same_bytes "$T/h.csv" "$T/h2.csv"
# a binarized model: every verb binarizes its data without being told
expect_ok $R train "$BARS" -o "$T/mb.rbm" -H 8 -e 3 -b 10 --seed 5 -q --binarize 0.5
sed -n 6p "$T/mb.rbm" | grep -qx 'threshold 0.5' || fail "threshold recorded"
expect_ok $R hidden "$T/mb.rbm" "$BARS" -o "$T/hb.csv"
expect_ok $R hidden "$T/mb.rbm" "$BARS" --binarize 0.5 -o "$T/hb2.csv"
same_bytes "$T/hb.csv" "$T/hb2.csv"
expect_err_line 2 "pmk rbm hidden: $T/mb.rbm: binarizing at 0.25 contradicts the model's threshold 0.5" \
    $R hidden "$T/mb.rbm" "$BARS" --binarize 0.25
# binarized bars are the same 0/1 data scaled by 1/255 the other way round:
# a model trained on the 0/1 file with scale 1 gives the same hidden units
awk -F, -v OFS=, '{ for (i = 2; i <= NF; i++) $i = ($i / 255 >= 0.5); print }' "$BARS" >"$T/bits.csv"
expect_ok $R train "$T/bits.csv" -o "$T/mbits.rbm" -H 8 -e 3 -b 10 --seed 5 -q
sed -n 5,6p "$T/mbits.rbm" | tr '\n' ' ' | grep -qx 'scale 1 threshold 0 ' || fail "0/1 data: scale 1"
expect_ok $R hidden "$T/mbits.rbm" "$T/bits.csv" -o "$T/hbits.csv"
same_bytes "$T/hb.csv" "$T/hbits.csv"

# ---- a version 1 model (no transform lines) still loads: the options apply,
# with a notice; the default gives what the version 2 model gives
sed -e '1s/.*/pmk-rbm 1/' -e 5,7d -e '/^sparsity /d' -e '/^rng /,+1d' "$T/m.rbm" >"$T/v1.rbm"
expect_ok $R hidden "$T/v1.rbm" "$BARS" -o "$T/h1.csv"
same_bytes "$T/h.csv" "$T/h1.csv"
grep -qx "pmk rbm hidden: $T/v1.rbm records no transform (a version 1 model): $BARS is scaled by 0.0039215686274509803, as the options say" \
    "$T/err" || fail "version 1 notice"
expect_ok $R hidden "$T/v1.rbm" "$BARS" -o "$T/h1b.csv" --binarize 0.5 -q
cmp -s "$T/h.csv" "$T/h1b.csv" && fail "version 1: --binarize changed nothing"
[ ! -s "$T/err" ] || fail "-q silences the notice"
# resuming it records the transform (and the RNG state): the result is version 3
expect_ok $R train "$BARS" --resume "$T/v1.rbm" -e 1 -o "$T/v1r.rbm" -q
head -n 1 "$T/v1r.rbm" | grep -qx 'pmk-rbm 3' || fail "resumed version 1 model is version 3"

# ---- IDX input: the same model and features as from the equivalent CSV
$PMK convert -q "$BARS" -o "$T/bars-images-idx3-ubyte" --labels "$T/bars-labels-idx1-ubyte" \
    || fail "convert to IDX"
expect_ok $R train "$T/bars-images-idx3-ubyte" -o "$T/mi.rbm" -H 8 -e 3 -b 10 --seed 5 -q
same_bytes "$T/m2.rbm" "$T/mi.rbm"
expect_ok $R hidden "$T/m.rbm" "$T/bars-images-idx3-ubyte" -o "$T/hi.csv"
same_bytes "$T/h.csv" "$T/hi.csv"
expect_ok $R eval "$T/m.rbm" "$T/bars-images-idx3-ubyte" --exact --json --seed 1
same_bytes "$T/exact.json" "$T/out"

# ---- train --json, and -o -: the model on stdout, the report on stderr
expect_ok $R train "$BARS" -o "$T/mj.rbm" -H 8 -e 3 -b 10 --seed 5 -q --json
same_bytes "$T/m2.rbm" "$T/mj.rbm"
for k in rows train_rows held_out visible hidden epochs method k batch scale threshold recon_error \
    pseudo_likelihood_1bit free_energy_gap seconds model; do
    grep -q "\"$k\": " "$T/out" || fail "train --json lacks $k"
done
[ "$(get rows "$T/out") $(get train_rows "$T/out") $(get held_out "$T/out") $(get epochs "$T/out")" = "40 38 2 3" ] \
    || fail "train --json: rows, split, epochs"
expect_ok $R train "$BARS" -o - -H 8 -e 3 -b 10 --seed 5 -q --json
same_bytes "$T/m2.rbm" "$T/out"
grep -q '"model": "<stdout>"' "$T/err" || fail "train -o -: the report on stderr"
cut -d, -f1-36 "$BARS" >"$T/narrow.csv"
expect_fail 1 "pmk rbm eval: $T/narrow.csv: the data have 35 feature columns but the model has 36 visible units" \
    $R eval "$T/m.rbm" "$T/narrow.csv"
head -n 13 "$T/m.rbm" >"$T/trunc.rbm"
expect_fail 1 "pmk rbm eval: $T/trunc.rbm:14: unexpected end of file: expected row 2 of W" \
    $R eval "$T/trunc.rbm" "$BARS"
sed '1s/.*/pmk-rbm 9/' "$T/m.rbm" >"$T/future.rbm"
expect_fail 1 "pmk rbm hidden: $T/future.rbm:1: format version 9 is newer than this pmk reads (4)" \
    $R hidden "$T/future.rbm" "$BARS"
sed '1s/.*/pmk-gnb 1/' "$T/m.rbm" >"$T/kind.rbm"
expect_fail 1 "pmk rbm filters: $T/kind.rbm:1: not a pmk RBM model (first line 'pmk-gnb 1', expected 'pmk-rbm 4')" \
    $R filters "$T/kind.rbm" -o "$T/f2.png"
sed '13s/^[^ ]*/0.1x/' "$T/m.rbm" >"$T/edit.rbm"
expect_fail 1 "pmk rbm eval: $T/edit.rbm:13:1: row 1 of W: '0.1x' is not a finite number" \
    $R eval "$T/edit.rbm" "$BARS"
expect_ok $R train "$BARS" -o "$T/wide.rbm" -H 30 -e 1 --seed 1 -q
expect_fail 1 "pmk rbm eval: $T/wide.rbm: exact log Z needs a layer of at most 25 units, but the smaller layer has 30; use AIS (--ais)" \
    $R eval "$T/wide.rbm" "$BARS" --exact
expect_err_line 2 "pmk rbm eval: --exact and --ais exclude each other" \
    $R eval "$T/m.rbm" "$BARS" --exact --ais
expect_err_line 2 "pmk rbm: unknown verb 'fit' (verbs: train, hidden, sample, eval, filters, export)" \
    $R fit
# ---- sizes from options: checked against the ceiling before anything is
# allocated (exit 1, naming the need), or impossible whatever the data (2).
# m.rbm is D = 36, H = 8.  Training floats: 2 D H + 2 (D + H) + B (D + H)
# + 2 B (D + H) + 65 B (each row's stream and error) + 2 (D + H) (column
# sums) = 752 + 197 B, 4 bytes each; with --persistent, B chains of H and
# their streams (64) more: 752 + 269 B.
expect_fail 1 "pmk rbm train: training 36 x 8 units with batches of 1000000000000 rows needs 788000000003008 bytes, more than the PMK_MAX_MEMORY limit of 1073741824 bytes" \
    env PMK_MAX_MEMORY=1G $R train -q "$BARS" -o "$T/big.rbm" -H 8 -b 1000000000000
expect_fail 1 "pmk rbm train: training 36 x 8 units with batches of 100000000000 rows needs 107600000003008 bytes, more than the PMK_MAX_MEMORY limit of 1073741824 bytes" \
    env PMK_MAX_MEMORY=1G $R train -q "$BARS" -o "$T/big.rbm" -H 8 -b 100000000000 --persistent
expect_err_line 2 "pmk rbm train: 1000000000000 hidden units are more than the 1073741824 weights an RBM may have" \
    $R train "$BARS" -o "$T/big.rbm" -H 1000000000000
expect_fail 1 "pmk rbm train: 36 x 1000000000 weights exceed the limit of 1073741824" \
    $R train -q "$BARS" -o "$T/big.rbm" -H 1000000000
# an RBM within the weight limit but over the ceiling: 8 (D H + D + H)
# = 8 (36000000 + 36 + 1000000)
expect_fail 1 "pmk rbm train: an RBM of 36 visible x 1000000 hidden units needs 296000288 bytes, more than the PMK_MAX_MEMORY limit of 268435456 bytes" \
    env PMK_MAX_MEMORY=256M $R train -q "$BARS" -o "$T/big.rbm" -H 1000000
# sampling: (2 + snapshots) x chains rows of 8 D + 8 bytes (10 snapshots by default)
expect_fail 1 "pmk rbm sample: 1000000000000 chains with 10 snapshots needs 3552000000000000 bytes, more than the PMK_MAX_MEMORY limit of 1073741824 bytes" \
    env PMK_MAX_MEMORY=1G $R sample "$T/m.rbm" -n 1000000000000 -o "$T/big.csv"
expect_fail 1 "pmk rbm sample: 1000000 chains with 1000000 snapshots needs 296000592000000 bytes, more than the PMK_MAX_MEMORY limit of 1073741824 bytes" \
    env PMK_MAX_MEMORY=1G $R sample "$T/m.rbm" -n 1000000 -s 1000000 --every 1 -o "$T/big.png"
# the montage of 100 chains x 1000 snapshots of 6 x 6 tiles with 1-pixel gaps:
# 699 x 6999 pixels of 8 bytes (the samples themselves, 29659200 bytes, fit)
expect_fail 1 "pmk rbm sample: an image of 699 x 6999 pixels needs 39138408 bytes, more than the PMK_MAX_MEMORY limit of 36700160 bytes" \
    env PMK_MAX_MEMORY=35M $R sample "$T/m.rbm" -n 100 -s 1000 --every 1 --seed 1 -o "$T/big.png"
[ ! -e "$T/big.png" ] && [ ! -e "$T/big.csv" ] && [ ! -e "$T/big.rbm" ] || fail "a refused run left an output"
# AIS: runs x (D + 2 H + 1) doubles, plus the K + 1 = 14501 betas and 4 D + H:
# 8 (53 x 10^12 + 14501 + 152)
expect_fail 1 "pmk rbm eval: AIS with 1000000000000 runs needs 424000000117224 bytes, more than the PMK_MAX_MEMORY limit of 1073741824 bytes" \
    env PMK_MAX_MEMORY=1G $R eval "$T/m.rbm" "$BARS" --ais --ais-runs 1000000000000

echo "rbm CLI: all checks passed"
