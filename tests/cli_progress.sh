#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_progress.sh: progress on stderr (src/cli/progress.c): on a terminal (a
# pseudo-terminal from util-linux's `script`) one rewritten meter line with
# the percentage, rate and ETA, and one kept line per RBM epoch; otherwise
# plain lines; nothing with -q; stdout the same bytes either way.  Timing
# never decides: PMK_PROGRESS_INTERVAL=0 draws every report, a huge interval
# none (the throttle's two ends).
. "$PMK_TOP_SRCDIR/tests/lib.sh"
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"

BARS="$FIX/rbm-bars.csv"   # 40 rows of 36 pixels
cd "$T"

# tty OUTFILE CMD...: runs CMD under a pseudo-terminal, its stdout to OUTFILE;
# what the terminal received (stderr, with \r\n line ends) goes to $T/tty.
tty() {
    out=$1
    shift
    cmd=""
    for w in "$@"; do cmd="$cmd '$w'"; done
    script -qec "$cmd >'$out'" /dev/null >"$T/tty" </dev/null || fail "under script: $*"
}
# The lines a terminal would leave on screen: each line's text after its last
# carriage return, without the erase-line sequence.
screen() { awk '{ sub(/\r$/, ""); n = split($0, a, "\r"); print a[n] }' "$1" | sed 's/^\x1b\[K//'; }
ESC=$(printf '\033')
CR=$(printf '\r')

command -v script >/dev/null || { echo "SKIP: no script(1) (util-linux)"; exit 77; }

# ---- rbm train on a terminal: the meter, and one kept line per epoch
# 40 rows, no holdout, batches of 10: 4 minibatches an epoch
tty "$T/o1" env PMK_PROGRESS_INTERVAL=0 "$PMK" rbm train "$BARS" -H 8 -e 3 -b 10 --holdout 0 \
    --seed 5 -o "$T/m.rbm"
# the meter: erase, what, percentage, done/total unit, rate unit/s, ETA
grep -q "${CR}${ESC}\[Kpmk rbm train: epoch 2/3  50% 2/4 batches  [0-9.e+?]* batches/s  ETA [0-9?:]*${CR}" \
    "$T/tty" || fail "no rewritten epoch meter: $(cat -v "$T/tty" | head -c 600)"
grep -q "${CR}${ESC}\[Kpmk rbm train: reading .*rbm-bars.csv 100% [0-9.]*/[0-9.]* MB  [0-9.e+?]* MB/s  ETA " \
    "$T/tty" || fail "no reading meter in MB"
n=$(screen "$T/tty" | grep -c '^pmk rbm train: epoch [1-3]/3  recon ')
[ "$n" -eq 3 ] || fail "3 epoch lines kept on screen wanted, got $n: $(screen "$T/tty")"
# every minibatch drew (interval 0): 4 an epoch, and nothing but the meter
# is rewritten
n=$(tr '\r' '\n' <"$T/tty" | grep -c "^${ESC}\[Kpmk rbm train: epoch [1-3]/3 *[0-9]*% [1-4]/4 batches ")
[ "$n" -eq 12 ] || fail "12 minibatch meters wanted, got $n"
[ ! -s "$T/o1" ] || fail "rbm train wrote to stdout"

# the same run off a terminal: plain lines (no \r, no escape), 12 meters
env PMK_PROGRESS_INTERVAL=0 "$PMK" rbm train "$BARS" -H 8 -e 3 -b 10 --holdout 0 --seed 5 \
    -o "$T/m2.rbm" 2>"$T/err" || fail "rbm train off a terminal"
! grep -q "[$CR$ESC]" "$T/err" || fail "control bytes off a terminal"
[ "$(grep -c '^pmk rbm train: epoch [1-3]/3 *[0-9]*% [1-4]/4 batches  .* batches/s  ETA ' "$T/err")" \
    -eq 12 ] || fail "12 plain meter lines wanted: $(cat "$T/err")"
[ "$(grep -c '^pmk rbm train: epoch [1-3]/3  recon ' "$T/err")" -eq 3 ] || fail "3 epoch lines"
# no holdout: no free-energy gap on the epoch lines (it printed "nan")
grep -q '^pmk rbm train: epoch 3/3  recon [0-9.]*  pseudo-likelihood -[0-9.]*  [0-9.]* s$' "$T/err" \
    || fail "epoch line without a holdout: $(grep 'epoch 3/3  recon' "$T/err")"
same_bytes "$T/m.rbm" "$T/m2.rbm"

# the throttle's other end: an interval no run reaches draws no meter
env PMK_PROGRESS_INTERVAL=100000 "$PMK" rbm train "$BARS" -H 8 -e 3 -b 10 --holdout 0 \
    --seed 5 -o "$T/m3.rbm" 2>"$T/err" || fail "rbm train, long interval"
! grep -q '%' "$T/err" || fail "a meter before its interval: $(cat "$T/err")"
[ "$(grep -c '^pmk rbm train: epoch [1-3]/3  recon ' "$T/err")" -eq 3 ] || fail "epoch lines stay"

# -q: nothing on the terminal, nothing on stderr
tty "$T/o1" env PMK_PROGRESS_INTERVAL=0 "$PMK" rbm train -q "$BARS" -H 8 -e 3 -b 10 --seed 5 \
    -o "$T/m4.rbm"
[ ! -s "$T/tty" ] || fail "-q on a terminal: $(cat -v "$T/tty")"
env PMK_PROGRESS_INTERVAL=0 "$PMK" rbm train -q "$BARS" -H 8 -e 3 -b 10 --seed 5 \
    -o "$T/m4.rbm" 2>"$T/err" || fail "rbm train -q"
[ ! -s "$T/err" ] || fail "-q: $(cat "$T/err")"

# ---- rbm eval --ais: beta steps; stdout the same bytes with and without
tty "$T/e1" env PMK_PROGRESS_INTERVAL=0 "$PMK" rbm eval --ais --ais-runs 10 --ais-betas 5,5,5 \
    --seed 1 "$T/m.rbm" "$BARS"
grep -q "${CR}${ESC}\[Kpmk rbm eval: AIS  80% 12/15 beta steps  [0-9.e+?]* beta steps/s  ETA " \
    "$T/tty" || fail "no AIS meter: $(cat -v "$T/tty" | head -c 600)"
"$PMK" rbm eval -q --ais --ais-runs 10 --ais-betas 5,5,5 --seed 1 "$T/m.rbm" "$BARS" \
    >"$T/e2" 2>"$T/err" || fail "rbm eval -q"
[ ! -s "$T/err" ] || fail "rbm eval -q: $(cat "$T/err")"
same_bytes "$T/e1" "$T/e2"
grep -q '^log Z (AIS, 10 runs) ' "$T/e1" || fail "eval report: $(cat "$T/e1")"

# ---- ising denoise: sweeps, every one drawn (interval 0) off a terminal
env PMK_PROGRESS_INTERVAL=0 "$PMK" ising denoise -m anneal --anneal-sweeps 40 --seed 1 \
    "$FIX/ising-y.pbm" -o "$T/p.pbm" 2>"$T/err" || fail "ising denoise"
n=$(grep -c '^pmk ising denoise: anneal (changed [0-9]*, energy [-0-9.e+]*) *[0-9]*% [0-9]*/40 sweeps ' \
    "$T/err")
[ "$n" -eq 40 ] || fail "40 sweep lines wanted, got $n: $(head -3 "$T/err")"
grep -q ' 100% 40/40 sweeps ' "$T/err" || fail "no last sweep"
env PMK_PROGRESS_INTERVAL=0 "$PMK" ising denoise -q -m anneal --anneal-sweeps 40 --seed 1 \
    "$FIX/ising-y.pbm" -o "$T/p2.pbm" 2>"$T/err" || fail "ising denoise -q"
[ ! -s "$T/err" ] || fail "ising -q: $(cat "$T/err")"
same_bytes "$T/p.pbm" "$T/p2.pbm"

# ---- convert: IDX rows, then CSV bytes; the CSV on stdout is the same bytes
cp "$FIX/idx-images.idx3-ubyte" "$FIX/idx-labels.idx1-ubyte" .
tty "$T/c1.csv" env PMK_PROGRESS_INTERVAL=0 "$PMK" convert idx-images.idx3-ubyte \
    --labels idx-labels.idx1-ubyte -o -
grep -q "${CR}${ESC}\[Kpmk convert: reading idx-images.idx3-ubyte 100% 3/3 rows  " "$T/tty" \
    || fail "no convert meter: $(cat -v "$T/tty")"
"$PMK" convert -q idx-images.idx3-ubyte --labels idx-labels.idx1-ubyte -o - >"$T/c2.csv" \
    2>"$T/err" || fail "convert -q"
[ ! -s "$T/err" ] || fail "convert -q: $(cat "$T/err")"
same_bytes "$T/c1.csv" "$T/c2.csv"
env PMK_PROGRESS_INTERVAL=0 "$PMK" convert "$T/c1.csv" -o "$T/back.idx" 2>"$T/err" \
    || fail "convert CSV to IDX"
grep -q '^pmk convert: reading .*c1.csv 100% 0.0/0.0 MB  ' "$T/err" || fail "CSV bytes: $(cat "$T/err")"

# ---- gnb fit: the reader's rows
env PMK_PROGRESS_INTERVAL=0 "$PMK" gnb fit idx-images.idx3-ubyte --labels idx-labels.idx1-ubyte \
    -o "$T/g.gnb" 2>"$T/err" || fail "gnb fit"
grep -q '^pmk gnb fit: reading idx-images.idx3-ubyte 100% 3/3 rows  ' "$T/err" \
    || fail "gnb fit progress: $(cat "$T/err")"
exit 0
