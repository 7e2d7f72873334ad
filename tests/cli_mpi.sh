#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_mpi.sh: `mpirun -np P pmk ...` (an MPI build, ./configure --with-mpi)
# against one process: gnb fit (the model to rounding, and byte for byte the
# `gnb merge` of fits of the same byte ranges), eval (counts and confusion
# identical), predict (labels identical, rows in input order), a failing
# rank (every rank exits non-zero, its message printed once, no model),
# rbm eval --ais (bit-identical to one process for -np 1, 2, 3), gnb over
# several files (each rank its own whole files), a full covariance.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
set -e

MPIRUN=${MPIRUN:-mpirun}
# --oversubscribe: more ranks than cores; -q: no Open MPI banners on failure.
mpi() { np=$1; shift; "$MPIRUN" -q --oversubscribe -np "$np" "$@"; }

# libpmk itself never links MPI: only the program does (doc/design.md, "MPI").
so=$(ls "$PMK_TOP_BUILDDIR"/src/.libs/libpmk.so.* 2>/dev/null | head -n 1)
if [ -n "$so" ] && command -v objdump >/dev/null; then
    ! objdump -p "$so" | grep NEEDED | grep -q mpi || fail "libpmk links MPI"
    objdump -p "$PMK_TOP_BUILDDIR/src/.libs/pmk" | grep NEEDED | grep -q mpi \
        || fail "pmk does not link MPI"
fi

gzip -dc "$DATA/mnist-train.csv.gz" >"$T/train.csv"
gzip -dc "$DATA/mnist-test.csv.gz" >"$T/test.csv"

# same_numbers A B [TOL]: two model files with the same lines, numbers within
# TOL relative [1e-12] (a merge's rounding differs from one pass's in the
# last bits).
same_numbers() {
    awk -v tol="${3:-1e-12}" 'NR == FNR { a[FNR] = $0; n = FNR; next }
         { m = split(a[FNR], x, /[ ,]/); k = split($0, y, /[ ,]/)
           if (m != k) { print "line " FNR ": fields differ"; bad = 1; exit }
           for (i = 1; i <= m; i++) {
               if (x[i] == y[i]) continue
               d = x[i] - y[i]; s = x[i] < 0 ? -x[i] : x[i]; d = d < 0 ? -d : d
               if (!(x[i] + 0 == x[i] && d <= tol * s + 1e-300)) {
                   print "line " FNR ": " x[i] " vs " y[i]; bad = 1; exit
               }
           } }
         END { if (FNR != n) { print "line counts differ"; bad = 1 } exit bad }' "$1" "$2" \
        || fail "$1 and $2 differ beyond rounding"
}

# ---------------------------------------------------------------- gnb fit
expect_ok "$PMK" gnb fit "$T/train.csv" -o "$T/m1.gnb"
sed 's/m1.gnb/mP.gnb/' "$T/out" >"$T/fit1.out"
"$PMK" gnb predict "$T/m1.gnb" "$T/test.csv" -o "$T/p1.csv"
for np in 2 3; do
    expect_ok mpi $np "$PMK" gnb fit "$T/train.csv" -o "$T/mP.gnb"
    # only rank 0 reports, and reports what one process does
    same_bytes "$T/out" "$T/fit1.out"
    [ ! -s "$T/err" ] || fail "np $np fit: stderr: $(cat "$T/err")"
    same_numbers "$T/m1.gnb" "$T/mP.gnb"
    "$PMK" gnb predict "$T/mP.gnb" "$T/test.csv" -o "$T/pP.csv"
    same_bytes "$T/p1.csv" "$T/pP.csv"
done

# --covariance full: the ranks' pooled scatters are merged with the rest of
# the statistics; the predictions identical, the model to rounding (1e-9: a
# small scatter entry is a difference of large sums, so its last bits are
# relative to the whole matrix, not to itself)
expect_ok "$PMK" gnb fit --covariance full "$T/train.csv" -o "$T/f1.gnb"
"$PMK" gnb predict "$T/f1.gnb" "$T/test.csv" -o "$T/pf1.csv"
expect_ok mpi 2 "$PMK" gnb fit --covariance full "$T/train.csv" -o "$T/fP.gnb"
same_numbers "$T/f1.gnb" "$T/fP.gnb" 1e-9
"$PMK" gnb predict "$T/fP.gnb" "$T/test.csv" -o "$T/pfP.csv"
same_bytes "$T/pf1.csv" "$T/pfP.csv"

# -np 2 is exactly `gnb merge` of the fits of the two byte ranges: rank r
# reads the rows whose first byte lies in [r S/2, (r+1) S/2) (no header here).
size=$(wc -c <"$T/train.csv")
awk -v half=$((size / 2)) -v a="$T/a.csv" -v b="$T/b.csv" '
    { print >(off < half ? a : b); off += length($0) + 1 }' "$T/train.csv"
"$PMK" gnb fit "$T/a.csv" -o "$T/a.gnb" >/dev/null
"$PMK" gnb fit "$T/b.csv" -o "$T/b.gnb" >/dev/null
"$PMK" gnb merge "$T/a.gnb" "$T/b.gnb" -o "$T/ab.gnb" 2>/dev/null
expect_ok mpi 2 "$PMK" gnb fit --no-train-accuracy "$T/train.csv" -o "$T/m2.gnb"
same_bytes "$T/ab.gnb" "$T/m2.gnb"

# ---------------------------------------------------------------- gnb eval, predict
# every figure, the log-loss and mean log-posterior included, is the one
# process's bytes: the sums travel as exact fixed-point integers
expect_ok "$PMK" gnb eval "$T/m1.gnb" "$T/test.csv"
cp "$T/out" "$T/eval1.out"
expect_ok "$PMK" gnb eval --json "$T/m1.gnb" "$T/test.csv"
cp "$T/out" "$T/eval1.json"
for np in 2 3; do
    expect_ok mpi $np "$PMK" gnb eval "$T/m1.gnb" "$T/test.csv"
    same_bytes "$T/eval1.out" "$T/out"
    expect_ok mpi $np "$PMK" gnb eval --json "$T/m1.gnb" "$T/test.csv"
    same_bytes "$T/eval1.json" "$T/out"
    expect_ok mpi $np "$PMK" gnb predict "$T/m1.gnb" "$T/test.csv" -o "$T/pP.csv"
    same_bytes "$T/p1.csv" "$T/pP.csv"
    expect_ok mpi $np "$PMK" gnb predict "$T/m1.gnb" "$T/test.csv"   # stdout
    same_bytes "$T/p1.csv" "$T/out"
done

# ---------------------------------------------------------------- several files
# gnb fit|eval|predict DATA...: rank r reads whole files [r F/P, (r+1) F/P);
# the model is the one-process fit over the same files to rounding, the
# predictions (file order, then row order) and the counts are identical.
split -n l/4 -d --additional-suffix=.csv "$T/train.csv" "$T/tr"
split -n l/3 -d --additional-suffix=.csv "$T/test.csv" "$T/te"
expect_ok "$PMK" gnb fit "$T"/tr0*.csv -o "$T/f1.gnb"
sed 's/f1.gnb/fP.gnb/' "$T/out" >"$T/ffit1.out"
"$PMK" gnb predict "$T/f1.gnb" "$T"/te0*.csv -o "$T/fp1.csv"
"$PMK" gnb eval "$T/f1.gnb" "$T"/te0*.csv >"$T/fe1.out"
for np in 2 3; do
    expect_ok mpi $np "$PMK" gnb fit "$T"/tr0*.csv -o "$T/fP.gnb"
    same_bytes "$T/out" "$T/ffit1.out"
    same_numbers "$T/f1.gnb" "$T/fP.gnb"
    expect_ok mpi $np "$PMK" gnb predict "$T/f1.gnb" "$T"/te0*.csv -o "$T/fpP.csv"
    same_bytes "$T/fp1.csv" "$T/fpP.csv"
    expect_ok mpi $np "$PMK" gnb eval "$T/f1.gnb" "$T"/te0*.csv
    cmp -s "$T/out" "$T/fe1.out" || fail "np $np: eval of files"
done
run mpi 3 "$PMK" gnb eval "$T/f1.gnb" "$T/te00.csv" "$T/te01.csv"
[ "$rc" -eq 2 ] || fail "2 files, 3 ranks: exit $rc"
grep -qx 'pmk gnb eval: under mpirun, 2 data files cannot be shared among 3 ranks: give one file or at least 3' \
    "$T/err" || fail "2 files, 3 ranks: $(cat "$T/err")"

# ---------------------------------------------------------------- rbm train
# Data-parallel: deterministic for a seed and P (twice the same bytes); the
# update is the global minibatch's, so the reconstruction error follows the
# one-process run's (the Bernoulli draws differ: within 2%).  Only rank 0
# writes the model and the log.
head -n 1000 "$T/train.csv" >"$T/small.csv"
train() {   # train NP OPTION...
    np=$1
    shift
    launch=""
    [ "$np" -eq 1 ] || launch="$MPIRUN -q --oversubscribe -np $np"
    $launch "$PMK" rbm train "$T/small.csv" -H 20 -e 2 --seed 5 --holdout 0 -q "$@"
}
recon() { sed -n 's/.*"recon_error": \([0-9.e+-]*\).*/\1/p' "$1"; }
expect_ok train 1 -o "$T/r1.rbm" --json
r1=$(recon "$T/out")
for np in 2 3; do
    expect_ok train $np -o "$T/rA.rbm" --json --log "$T/log.csv"
    near "$(recon "$T/out")" "$r1" "$(awk -v r="$r1" 'BEGIN { print 0.02 * r }')"
    expect_ok train $np -o "$T/rB.rbm"
    same_bytes "$T/rA.rbm" "$T/rB.rbm"
    [ "$(wc -l <"$T/log.csv")" -eq 3 ] || fail "np $np: log: $(cat "$T/log.csv")"
done
# periodic parameter averaging every 4 minibatches: deterministic too
export PMK_MPI_AVERAGE_EVERY=4
expect_ok train 2 -o "$T/rA.rbm"
expect_ok train 2 -o "$T/rB.rbm"
same_bytes "$T/rA.rbm" "$T/rB.rbm"
unset PMK_MPI_AVERAGE_EVERY
! ls -a "$T" | grep -q '\.pmk-' || fail "temporary files left: $(ls -a "$T")"

# ---------------------------------------------------------------- rbm eval --ais
# The AIS runs split over the ranks, their log weights combined in run order:
# the whole report (log Z, its bounds, log p(v)) is one process's, bit for bit.
ais() { "$@" rbm eval --ais --ais-runs 40 --ais-betas 20,20,20 --seed 3 --json -q \
          "$T/r1.rbm" "$T/small.csv"; }
expect_ok ais "$PMK"
cp "$T/out" "$T/ais1.json"
grep -q '"log_z_method": "ais"' "$T/ais1.json" || fail "ais: $(cat "$T/ais1.json")"
for np in 1 2 3; do
    expect_ok ais mpi $np "$PMK"
    same_bytes "$T/ais1.json" "$T/out"
done
# Gaussian visible units: the same driver, the same split
gais() { "$@" rbm eval --ais --ais-runs 40 --ais-betas 20,20,20 --seed 3 --json -q \
           "$T/g1.rbm" "$T/small.csv"; }
expect_ok "$PMK" rbm train "$T/small.csv" --visible gaussian -H 8 -e 1 --seed 5 --holdout 0 -q \
    -o "$T/g1.rbm"
expect_ok gais "$PMK"
cp "$T/out" "$T/gais1.json"
grep -q '"log_z_method": "ais"' "$T/gais1.json" || fail "gais: $(cat "$T/gais1.json")"
for np in 2 3; do
    expect_ok gais mpi $np "$PMK"
    same_bytes "$T/gais1.json" "$T/out"
done

# ---------------------------------------------------------------- failures
# A bad value in the last rows, which only the last rank reads: every rank
# exits non-zero, rank 0 prints that rank's message once, no model appears.
awk -F, -v OFS=, 'NR == 7990 { $100 = "x" } { print }' "$T/train.csv" >"$T/bad.csv"
run "$PMK" gnb fit "$T/bad.csv" -o "$T/bad1.gnb"
[ "$rc" -eq 1 ] || fail "one process: exit $rc"
cp "$T/err" "$T/bad1.err"
for np in 2 3; do
    run mpi $np "$PMK" gnb fit "$T/bad.csv" -o "$T/bad.gnb"
    [ "$rc" -ne 0 ] || fail "np $np: a failing rank, yet exit 0"
    [ "$(grep -c '^pmk gnb fit: ' "$T/err")" -eq 1 ] || fail "np $np: $(cat "$T/err")"
    grep -qxF "$(cat "$T/bad1.err")" "$T/err" || fail "np $np: message: $(cat "$T/err")"
    [ ! -e "$T/bad.gnb" ] || fail "np $np: a model was written"
    [ ! -s "$T/out" ] || fail "np $np: stdout: $(cat "$T/out")"
done
# standard input cannot be split
run mpi 2 "$PMK" gnb fit - -o "$T/stdin.gnb" <"$T/train.csv"
[ "$rc" -eq 2 ] || fail "stdin: exit $rc"
grep -q '^pmk gnb fit: under mpirun, standard input cannot be split among 2 ranks' "$T/err" \
    || fail "stdin: $(cat "$T/err")"
exit 0
