#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_ising.sh: `pmk ising denoise / noise / energy`: the data README's
# reference figures on the horse, round trips through the energy command, the
# noise counts, and each bad input with its exact message.
. "$PMK_TOP_SRCDIR/tests/lib.sh"

NOISY="$DATA/horse-noisy10.pbm"
CLEAN="$DATA/horse.pbm"
N=131200   # 400 x 328 pixels

# json_field NAME: the value of "NAME" in the JSON object in $T/out.
json_field() { sed -n "s/.*\"$1\": \([^,}]*\).*/\1/p" "$T/out"; }

# --- Reference figures (data/README: beta 1, eta 2.1, h 0, 4 neighbours) ----
# Raster ICM from x = y: one pixel-changing sweep, a second that changes
# nothing, energy -471,189.6, 3.6524% of pixels differing from horse.pbm.
expect_ok "$PMK" ising denoise "$NOISY" -o "$T/icm.pbm" --truth "$CLEAN" \
    --trace "$T/icm.csv" --json
[ "$(json_field method)" = '"icm"' ] || fail "method: $(cat "$T/out")"
[ "$(json_field sweeps)" = 2 ] || fail "ICM sweeps: $(json_field sweeps)"
near "$(json_field energy)" -471189.6 0.05
near "$(json_field error)" 0.036524 0.0000005
# y = the noisy image itself: E(y, y) = -beta S2 - 2.1 N, checked below by
# the energy command.
E0=$(json_field energy_initial)
[ "$(json_field changed)" -gt 0 ] || fail "ICM changed nothing"
[ "$(sed -n 1p "$T/icm.csv")" = "sweep,changed,energy,error" ] || fail "trace header: $(sed -n 1p "$T/icm.csv")"
[ "$(wc -l <"$T/icm.csv")" -eq 3 ] || fail "trace rows: $(cat "$T/icm.csv")"
CH1=$(sed -n 2p "$T/icm.csv" | cut -d, -f2)
CH2=$(sed -n 3p "$T/icm.csv" | cut -d, -f2)
[ "$CH1" = "$(json_field changed)" ] && [ "$CH2" = 0 ] || fail "trace changed: $CH1, $CH2"
PER=$(sed -n 's/.*"changed_per_sweep": \[\([^]]*\)\].*/\1/p' "$T/out")
[ "$PER" = "$CH1, 0" ] || fail "changed_per_sweep: $PER"
near "$(sed -n 3p "$T/icm.csv" | cut -d, -f3)" -471189.6 0.05
near "$(sed -n 3p "$T/icm.csv" | cut -d, -f4)" 0.036524 0.0000005
# Without --truth the trace has no error column.
expect_ok "$PMK" ising denoise "$NOISY" -o "$T/icm2.pbm" --trace "$T/icm2.csv" -q
[ "$(sed -n 1p "$T/icm2.csv")" = "sweep,changed,energy" ] || fail "trace header: $(sed -n 1p "$T/icm2.csv")"
same_bytes "$T/icm.pbm" "$T/icm2.pbm"

# The written image has the reported energy (read back through `energy`).
expect_ok "$PMK" ising energy "$T/icm.pbm" --observed "$NOISY"
near "$(cat "$T/out")" -471189.6 0.05
expect_ok "$PMK" ising energy "$NOISY" --observed "$NOISY"
near "$(cat "$T/out")" "$E0" 0.05

# Exact MAP by min-cut: energy -477,483.0 (the minimiser may not be unique, so
# the error rate, 0.4748% in the README, gets a loose bound).
expect_ok "$PMK" ising denoise "$NOISY" -o "$T/cut.png" --truth "$CLEAN" -m mincut --json
[ "$(json_field method)" = '"mincut"' ] || fail "method: $(cat "$T/out")"
near "$(json_field energy)" -477483.0 0.05
near "$(json_field error)" 0.004748 0.0005
expect_ok "$PMK" ising energy "$T/cut.png" --observed "$NOISY"
near "$(cat "$T/out")" -477483.0 0.05

# Anneal and mean field never beat the exact MAP; anneal is reproducible.
for m in anneal meanfield; do
    expect_ok "$PMK" ising denoise "$NOISY" -o "$T/$m.pbm" -m $m --seed 5 --anneal-sweeps 40 --json
    E=$(json_field energy)
    awk -v e="$E" 'BEGIN { exit !(e >= -477483.05 && e < -471189.6) }' \
        || fail "$m energy $E outside [MAP, ICM)"
done
expect_ok "$PMK" ising denoise "$NOISY" -o "$T/anneal2.pbm" -m anneal --seed 5 --anneal-sweeps 40
same_bytes "$T/anneal.pbm" "$T/anneal2.pbm"

# beta = h = 0: every method returns y.
for m in icm anneal meanfield mincut; do
    expect_ok "$PMK" ising denoise "$NOISY" -o "$T/b0.pbm" -m $m --beta 0 --seed 1 \
        --anneal-sweeps 5 --json
    [ "$(json_field changed)" = 0 ] || fail "$m with beta 0 changed $(json_field changed) pixels"
done

# --- energy: the hand-computed case of tests/check_ising.c --------------------
expect_ok "$PMK" ising energy "$FIX/ising-x.pbm" --observed "$FIX/ising-y.pbm" --h 0.5
near "$(cat "$T/out")" -4.2 1e-9
expect_ok "$PMK" ising energy "$FIX/ising-x.pbm" --observed "$FIX/ising-y.pbm" --h 0.5 \
    --neighbours 8
near "$(cat "$T/out")" -2.2 1e-9

# --- a grey input with --threshold: black where level < 0.5 * 255; with
# beta = 0 the output is the thresholded image itself:
#   0 10 200 255 -> 1100,  127 128 0 255 -> 1010,  250 5 130 100 -> 0101.
expect_ok "$PMK" ising denoise "$FIX/ising-grey.pgm" --threshold 0.5 --beta 0 -o "$T/g.pbm"
printf 'P4\n4 3\n\300\240\120' >"$T/g-want.pbm"
same_bytes "$T/g.pbm" "$T/g-want.pbm"

# --- noise: exactly round(0.1 N) = 13120 distinct pixels flipped.  With
# beta = h = 0, eta = 1: E = -sum x y = -(N - 2 d), so d = 13120 gives -104960.
expect_ok "$PMK" ising noise "$CLEAN" --flip 0.1 --seed 3 -o "$T/n1.pbm"
expect_ok "$PMK" ising energy "$T/n1.pbm" --observed "$CLEAN" --beta 0 --eta 1
[ "$(cat "$T/out")" = -104960 ] || fail "noise flipped: energy $(cat "$T/out")"
expect_ok "$PMK" ising noise "$CLEAN" --flip 0.1 --seed 3 -o "$T/n2.pbm"
same_bytes "$T/n1.pbm" "$T/n2.pbm"
expect_ok "$PMK" ising noise "$CLEAN" --flip 0.1 --seed 4 -o "$T/n3.pbm"
cmp -s "$T/n1.pbm" "$T/n3.pbm" && fail "seeds 3 and 4 gave the same noise"
# Gaussian mode on a grey image; sigma 0 leaves every level where it was.
expect_ok "$PMK" ising noise "$FIX/ising-grey.pgm" --gauss 0 --seed 1 -o "$T/gn.pgm"
expect_ok "$PMK" ising denoise "$T/gn.pgm" --threshold 0.5 --beta 0 -o "$T/gn.pbm"
same_bytes "$T/gn.pbm" "$T/g-want.pbm"
expect_ok "$PMK" ising noise "$FIX/ising-grey.pgm" --gauss 0.2 --seed 1 -o "$T/gn2.pgm"

# --- bad inputs, each with its message; no good output overwritten ----------
echo keep >"$T/keep.pbm"
expect_fail 1 "pmk ising denoise: $FIX/ising-grey.pgm: grey image (maxval 255): a threshold is needed to binarise it" \
    "$PMK" ising denoise "$FIX/ising-grey.pgm" -o "$T/keep.pbm"
expect_fail 1 "pmk ising denoise: $FIX/ising-x.pbm is 3x2 but $NOISY is 400x328" \
    "$PMK" ising denoise "$NOISY" --truth "$FIX/ising-x.pbm" -o "$T/keep.pbm"
expect_fail 1 "pmk ising denoise: $FIX/ising-bad.pbm:4:3: bad character '2' in the PBM raster (expected 0 or 1)" \
    "$PMK" ising denoise "$FIX/ising-bad.pbm" -o "$T/keep.pbm"
expect_err_line 2 "pmk ising denoise: mincut needs beta >= 0 (beta = -1 makes the energy non-submodular); use icm, anneal or meanfield" \
    "$PMK" ising denoise "$NOISY" -m mincut --beta -1 -o "$T/keep.pbm"
expect_err_line 2 "pmk ising denoise: --method: 'gibbs' is not one of icm, anneal, meanfield, mincut" \
    "$PMK" ising denoise "$NOISY" -m gibbs -o "$T/keep.pbm"
expect_err_line 2 "pmk ising denoise: neighbours must be 4 or 8, not 6" \
    "$PMK" ising denoise "$NOISY" --neighbours 6 -o "$T/keep.pbm"
expect_err_line 2 "pmk ising denoise: missing -o OUT" "$PMK" ising denoise "$NOISY"
[ "$(cat "$T/keep.pbm")" = keep ] || fail "a failed run overwrote its output"
expect_fail 1 "pmk ising energy: $FIX/ising-y.pbm is 3x2 but $CLEAN is 400x328" \
    "$PMK" ising energy "$CLEAN" --observed "$FIX/ising-y.pbm"
expect_fail 1 "pmk ising noise: $CLEAN: Gaussian noise needs a grey image; this one is binary (flip its pixels instead)" \
    "$PMK" ising noise "$CLEAN" --gauss 0.1 -o "$T/keep.pbm"
expect_err_line 2 "pmk ising noise: the flip probability must be in [0, 1], not 1.5" \
    "$PMK" ising noise "$CLEAN" --flip 1.5 -o "$T/keep.pbm"
expect_err_line 2 "pmk ising: unknown verb 'smooth' (verbs: denoise, noise, energy)" \
    "$PMK" ising smooth "$NOISY"
# Parameters for which the energy overflows on the given image are usage
# errors naming the largest term: with n = 6 pixels the bound on
# |h| + K |beta| + |eta| is DBL_MAX / 4 / 6 = 7.49e+306.  Just under it runs.
Y="$FIX/ising-y.pbm"
expect_err_line 2 "pmk ising denoise: beta 1e+308 is too large for a 3 x 2 image: the energy would overflow (|h| + 4 |beta| + |eta| must be at most 7.49e+306)" \
    "$PMK" ising denoise --beta 1e308 "$Y" -o "$T/keep.pbm"
expect_err_line 2 "pmk ising denoise: eta -7.5e+306 is too large for a 3 x 2 image: the energy would overflow (|h| + 4 |beta| + |eta| must be at most 7.49e+306)" \
    "$PMK" ising denoise --eta -7.5e306 --beta 0 "$Y" -o "$T/keep.pbm"
expect_err_line 2 "pmk ising denoise: beta 1e+306 is too large for a 3 x 2 image: the energy would overflow (|h| + 8 |beta| + |eta| must be at most 7.49e+306)" \
    "$PMK" ising denoise -m anneal --beta 1e306 --neighbours 8 "$Y" -o "$T/keep.pbm"
expect_err_line 2 "pmk ising energy: h 1e+307 is too large for a 3 x 2 image: the energy would overflow (|h| + 4 |beta| + |eta| must be at most 7.49e+306)" \
    "$PMK" ising energy --h 1e307 "$Y" --observed "$Y"
expect_err_line 2 "pmk ising denoise: --beta: 'nan' is not a finite number" \
    "$PMK" ising denoise --beta nan "$Y" -o "$T/keep.pbm"
expect_err_line 2 "pmk ising denoise: --t0: 'inf' is not a finite number" \
    "$PMK" ising denoise -m anneal --t0 inf "$Y" -o "$T/keep.pbm"
expect_err_line 2 "pmk ising noise: --flip: 'nan' is not a finite number" \
    "$PMK" ising noise "$Y" --flip nan -o "$T/keep.pbm"
[ "$(cat "$T/keep.pbm")" = keep ] || fail "a refused run overwrote its output"
for m in icm anneal meanfield mincut; do
    expect_ok "$PMK" ising denoise -q --json -m $m --beta 1e306 --eta 0 "$Y" -o "$T/big.pbm"
    grep -q '"energy": -[0-9.e+]*,' "$T/out" || fail "$m: the energy is not finite: $(cat "$T/out")"
done
# A schedule long enough for T to underflow to 0 still runs (ties at T = 0
# are a fair coin, not NaN) and gives a finite energy.
expect_ok "$PMK" ising denoise -q --json -m anneal --t0 1e-300 --t-factor 0.5 --anneal-sweeps 200 \
    "$Y" -o "$T/cold.pbm"
grep -q '"energy": -[0-9.e+]*,' "$T/out" || fail "anneal to T = 0: $(cat "$T/out")"
# Gaussian noise whose standard deviation, in levels, is not finite.
expect_ok "$PMK" ising noise "$Y" --flip 0 -o "$T/g.pgm"
expect_err_line 2 "pmk ising noise: the noise level 1e+300 is too large (sigma * maxval must be at most 1e15)" \
    "$PMK" ising noise "$T/g.pgm" --gauss 1e300 -o "$T/keep.pbm"
# The work space of a method is checked against the ceiling before it is
# allocated: anneal on the 400 x 328 horse needs 131200 x 9 bytes.
expect_fail 1 "pmk ising denoise: the work space of this method needs 1180800 bytes, more than the PMK_MAX_MEMORY limit of 1153433 bytes" \
    env PMK_MAX_MEMORY=1153433 "$PMK" ising denoise -q -m anneal "$NOISY" -o "$T/keep.pbm"
# So is the trace, one 48-byte record a sweep, up to the sweeps asked for.
expect_fail 1 "pmk ising denoise: a trace of 100000 sweeps needs 4800000 bytes, more than the PMK_MAX_MEMORY limit of 1048576 bytes" \
    env PMK_MAX_MEMORY=1M "$PMK" ising denoise -q -m meanfield --max-sweeps 100000 "$Y" -o "$T/keep.pbm"
expect_fail 1 "pmk ising denoise: a trace of 1000000000000 sweeps needs 48000000000000 bytes, more than the PMK_MAX_MEMORY limit of 1073741824 bytes" \
    env PMK_MAX_MEMORY=1G "$PMK" ising denoise -q -m anneal --anneal-sweeps 1000000000000 "$Y" -o "$T/keep.pbm"
[ "$(cat "$T/keep.pbm")" = keep ] || fail "a refused run overwrote its output"

expect_ok "$PMK" ising denoise --help
grep -q -- '--method M' "$T/out" || fail "denoise --help lacks --method"

# `energy --json` prints the three sums (issue 13).  By hand, x = 1 1 1 0 and
# y = 1 0 1 0 (PBM 1 = black = +1): sum_x = 3 - 1 = 2; the pairs along the row
# give +1 +1 -1 = 1; sum_xy = +1 -1 +1 +1 = 2; E = 0.5*2 - 1*1 - 2.1*2 = -4.2.
printf 'P1\n4 1\n1 1 1 0\n' >"$T/x4.pbm"
printf 'P1\n4 1\n1 0 1 0\n' >"$T/y4.pbm"
expect_ok "$PMK" ising energy "$T/x4.pbm" --observed "$T/y4.pbm" --h 0.5 --json
[ "$(json_field sum_x)" = 2 ] || fail "energy --json sum_x: $(cat "$T/out")"
[ "$(json_field sum_pairs)" = 1 ] || fail "energy --json sum_pairs: $(cat "$T/out")"
[ "$(json_field sum_xy)" = 2 ] || fail "energy --json sum_xy: $(cat "$T/out")"
near "$(json_field energy)" -4.2 1e-12
# The horse against its noisy copy: 13,120 of 131,200 pixels differ, so
# sum_xy = 131200 - 2 * 13120; E = -sum_pairs - 2.1 sum_xy.
expect_ok "$PMK" ising energy "$DATA/horse.pbm" --observed "$NOISY" --json
[ "$(json_field sum_xy)" = 104960 ] || fail "horse sum_xy: $(cat "$T/out")"
near "$(json_field energy)" "$(awk -v p="$(json_field sum_pairs)" 'BEGIN { printf "%.6f", -p - 2.1 * 104960 }')" 1e-6
# --- images to stdout (issue 11): -o FMT:- or --format FMT -o -, byte for
# byte the file the same run writes; the report then goes to stderr.
expect_ok "$PMK" ising denoise -q "$NOISY" -o "$T/f.png"
for spec in "-o png:-" "--format png -o -" "-o png:-  --format png"; do
    expect_ok "$PMK" ising denoise -q "$NOISY" $spec
    same_bytes "$T/out" "$T/f.png"
done
for f in pbm pgm; do
    expect_ok "$PMK" ising denoise -q "$NOISY" -o "$T/f.$f"
    expect_ok "$PMK" ising denoise -q "$NOISY" -o "$f:-"
    same_bytes "$T/out" "$T/f.$f"
done
expect_ok "$PMK" ising denoise "$NOISY" -o pbm:- --json
same_bytes "$T/out" "$T/f.pbm"
grep -q '^{"method": "icm", "order": "raster", ' "$T/err" || fail "no JSON report on stderr: $(cat "$T/err")"
expect_ok "$PMK" ising denoise -q "$NOISY" -o "pgm:$T/named.img"
same_bytes "$T/named.img" "$T/f.pgm"
expect_ok "$PMK" ising noise "$CLEAN" --flip 0.1 --seed 3 -o pbm:-
same_bytes "$T/out" "$T/n1.pbm"
expect_err_line 2 "pmk ising denoise: an image on standard output needs its format: --format png|pgm|pbm, or -o png:-" \
    "$PMK" ising denoise "$NOISY" -o -
expect_err_line 2 "pmk ising denoise: --format: 'jpg' is not png, pgm or pbm" \
    "$PMK" ising denoise "$NOISY" --format jpg -o -
expect_err_line 2 "pmk ising noise: --format png contradicts -o pbm:-" \
    "$PMK" ising noise "$CLEAN" --flip 0.1 --format png -o pbm:-

# --- a binary image written as PGM (0 and 255 only) reads back as binary,
# without --threshold, and restores to the same pixels as its PBM.
expect_ok "$PMK" ising noise "$CLEAN" --flip 0.1 --seed 3 -o "$T/n1.pgm"
expect_ok "$PMK" ising denoise -q "$T/n1.pgm" -o "$T/n1-pgm.pbm" --json
E_PGM=$(json_field energy)
expect_ok "$PMK" ising denoise -q "$T/n1.pbm" -o "$T/n1-pbm.pbm" --json
[ "$E_PGM" = "$(json_field energy)" ] || fail "PGM and PBM inputs differ: $E_PGM"
same_bytes "$T/n1-pgm.pbm" "$T/n1-pbm.pbm"
expect_ok "$PMK" ising energy "$T/n1.pgm" --observed "$CLEAN" --beta 0 --eta 1
[ "$(cat "$T/out")" = -104960 ] || fail "PGM as binary: energy $(cat "$T/out")"
# One level other than 0 and maxval makes it grey again.
printf 'P2\n3 1\n255\n0 255 0\n' >"$T/b.pgm"
printf 'P2\n3 1\n255\n0 254 0\n' >"$T/g3.pgm"
expect_ok "$PMK" ising energy "$T/b.pgm" --observed "$T/b.pgm" --beta 0 --eta 1
[ "$(cat "$T/out")" = -3 ] || fail "0/255 PGM: $(cat "$T/out")"
expect_fail 1 "pmk ising energy: $T/g3.pgm: grey image (maxval 255): a threshold is needed to binarise it" \
    "$PMK" ising energy "$T/g3.pgm" --observed "$T/b.pgm"
# --gauss still takes such a PGM as the grey image it is.
expect_ok "$PMK" ising noise "$T/b.pgm" --gauss 0 -o "$T/b2.pgm"
expect_ok "$PMK" ising energy "$T/b2.pgm" --observed "$T/b.pgm" --beta 0 --eta 1
[ "$(cat "$T/out")" = -3 ] || fail "--gauss 0 on a 0/255 PGM: $(cat "$T/out")"

# Progress (one line a sweep with PMK_PROGRESS_INTERVAL=0, none with -q) is
# checked in cli_progress.sh with the other commands'.
exit 0
