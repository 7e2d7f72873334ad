#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_ising_potts.sh: `pmk ising denoise --marginals` (the CSV and image
# written, both sources) and `--levels` (the Potts model: L = 2 against the
# Ising results on the horse, a grey image through noise and both solvers),
# and each bad option with its exact message.
. "$PMK_TOP_SRCDIR/tests/lib.sh"

NOISY="$DATA/horse-noisy10.pbm"
json_field() { sed -n "s/.*\"$1\": \([^,}]*\).*/\1/p" "$T/out"; }

# --- marginals ------------------------------------------------------------------
# beta 0, eta 1, h 0: each pixel alone, P(black) = 1 / (1 + exp(-2 y)):
# 0.8807970779778823 where ising-x.pbm (+ + + / + - -) is black, else
# 0.1192029220221177; undamped mean field gets there in one sweep.
expect_ok "$PMK" ising denoise "$FIX/ising-x.pbm" -o "$T/x.pbm" --beta 0 --eta 1 \
    --damping 1 --marginals "$T/m.csv"
[ "$(sed -n 1p "$T/m.csv")" = "col0,col1,col2" ] || fail "marginals header: $(cat "$T/m.csv")"
[ "$(wc -l <"$T/m.csv")" -eq 3 ] || fail "marginals rows: $(cat "$T/m.csv")"
B=0.8807970779778823 W=0.1192029220221177
set -- $B $B $B $B $W $W
for v in $(sed 1d "$T/m.csv" | tr ',' ' '); do
    near "$v" "$1" 1e-15
    shift
done
# As a picture: level round(255 (1 - p)): 30 where black, 225 where white;
# through png:- on stdout, byte for byte the file.
expect_ok "$PMK" ising denoise "$FIX/ising-x.pbm" -o "$T/x.pbm" --beta 0 --eta 1 \
    --damping 1 --marginals "$T/m.pgm"
printf 'P5\n3 2\n255\n' >"$T/want.pgm"
printf '\036\036\036\036\341\341' >>"$T/want.pgm"
same_bytes "$T/m.pgm" "$T/want.pgm"
# The ICM image is the same with or without marginals; mean-field marginals
# are the same after ICM as after mean field itself.
expect_ok "$PMK" ising denoise "$NOISY" -o "$T/a.pbm" -q
expect_ok "$PMK" ising denoise "$NOISY" -o "$T/b.pbm" --marginals "$T/ma.csv" --max-sweeps 30
same_bytes "$T/a.pbm" "$T/b.pbm"
expect_ok "$PMK" ising denoise "$NOISY" -o "$T/c.pbm" -m meanfield --marginals "$T/mb.csv" \
    --max-sweeps 30
same_bytes "$T/ma.csv" "$T/mb.csv"
[ "$(wc -l <"$T/ma.csv")" -eq 329 ] || fail "marginals rows: $(wc -l <"$T/ma.csv")"
# Gibbs marginals at T = 1: reproducible by seed, every value a count / 30.
for k in 1 2; do
    expect_ok "$PMK" ising denoise "$NOISY" -o "$T/g$k.pbm" --marginals "$T/g$k.csv" \
        --marginals-from anneal --t0 1 --t-factor 1 --anneal-sweeps 40 --burn-in 0.25 --seed 7
done
same_bytes "$T/g1.csv" "$T/g2.csv"
sed 1d "$T/g1.csv" | tr ',' '\n' | awk '{ k = $1 * 30; if (k - int(k + 0.5) > 1e-9 || int(k + 0.5) - k > 1e-9) exit 1 }' \
    || fail "anneal marginals are not counts of 30 samples"

# --- Potts, L = 2 on a binary image: the Ising results ----------------------------
for o in raster checkerboard random; do
    expect_ok "$PMK" ising denoise "$NOISY" -o "$T/i-$o.pbm" --order $o --seed 3 --json
    EI=$(json_field energy)
    expect_ok "$PMK" ising denoise "$NOISY" -o "$T/p-$o.pbm" --order $o --seed 3 --levels 2 --json
    same_bytes "$T/i-$o.pbm" "$T/p-$o.pbm"
    [ "$(json_field levels)" = 2 ] || fail "levels: $(cat "$T/out")"
    # E_ising = 2 E_potts - eta n - beta P: n = 131200, P = 399*328 + 400*327
    near "$EI" "$(awk -v e="$(json_field energy)" 'BEGIN { printf "%.6f", 2 * e - 2.1 * 131200 - 261672 }')" 1e-6
done
# The exact MAP: the same least energy (the minimiser need not be unique).
expect_ok "$PMK" ising denoise "$NOISY" -o "$T/cut.pbm" -m mincut --levels 2 --json
near "$(json_field energy)" 29854.5 1e-6   # (-477483.0 + 275520 + 261672) / 2

# --- Potts on a grey image ---------------------------------------------------------
# A 4-level test card (80 x 96, levels 0, 85, 170, 255), Gaussian noise of
# sd 0.2 maxval; alpha-expansion ends below ICM, both below the noisy image.
awk 'BEGIN { print "P2"; print "96 80"; print "255";
             for (r = 0; r < 80; r++) { l = "";
                 for (c = 0; c < 96; c++) l = l " " 85 * ((int(r / 20) + int(c / 24)) % 4);
                 print l } }' >"$T/card.pgm"
expect_ok "$PMK" ising noise "$T/card.pgm" --gauss 0.2 --seed 1 -o "$T/card-n.pgm"
for c in l2 l1; do
    expect_ok "$PMK" ising denoise "$T/card-n.pgm" --levels 4 --data-cost $c --beta 0.1 \
        --eta 1 --truth "$T/card.pgm" -o "$T/icm.pgm" --json
    EI=$(json_field energy) ERRI=$(json_field errors)
    [ "$(json_field converged)" = true ] || fail "ICM did not converge: $(cat "$T/out")"
    awk -v a="$EI" -v b="$(json_field energy_initial)" 'BEGIN { exit !(a < b) }' \
        || fail "ICM did not lower the energy"
    expect_ok "$PMK" ising denoise "$T/card-n.pgm" --levels 4 --data-cost $c --beta 0.1 \
        --eta 1 --truth "$T/card.pgm" -o "$T/exp.pgm" -m mincut --json
    awk -v a="$(json_field energy)" -v b="$EI" 'BEGIN { exit !(a <= b) }' \
        || fail "expansion ($c) above ICM"
    [ "$(json_field errors)" -le "$ERRI" ] || fail "expansion ($c) has more errors than ICM"
done
# The output is grey, of the four levels only.
head -c 15 "$T/exp.pgm" | head -n 3 | tr '\n' ' ' | grep -q '^P5 96 80 255 ' \
    || fail "output header: $(head -c 15 "$T/exp.pgm" | od -c)"

# --- bad options ----------------------------------------------------------------
expect_err_line 2 "pmk ising denoise: levels must be 0 (binary) or 2..256, not 1" \
    "$PMK" ising denoise "$NOISY" -o "$T/z.pbm" --levels 1
expect_err_line 2 "pmk ising denoise: the Potts model (levels 3) is solved by icm or mincut (alpha-expansion)" \
    "$PMK" ising denoise "$NOISY" -o "$T/z.pbm" --levels 3 -m anneal
expect_err_line 2 "pmk ising denoise: h has no meaning in the Potts model (levels 3); leave it 0" \
    "$PMK" ising denoise "$NOISY" -o "$T/z.pbm" --levels 3 --h 1
expect_err_line 2 "pmk ising denoise: marginals are for the binary model, not the Potts model (levels 3)" \
    "$PMK" ising denoise "$NOISY" -o "$T/z.pbm" --levels 3 --marginals "$T/z.csv"
expect_err_line 2 "pmk ising denoise: marginals come from meanfield or anneal, not icm" \
    "$PMK" ising denoise "$NOISY" -o "$T/z.pbm" --marginals "$T/z.csv" --marginals-from icm
expect_err_line 2 "pmk ising denoise: the burn-in must be in [0, 1), not 1" \
    "$PMK" ising denoise "$NOISY" -o "$T/z.pbm" --burn-in 1
expect_err_line 2 "pmk ising denoise: --data-cost: 'l3' is not one of l2, l1" \
    "$PMK" ising denoise "$NOISY" -o "$T/z.pbm" --levels 3 --data-cost l3
expect_fail 1 "pmk ising denoise: 3 levels need a maxval of at least 2; this image has 1" \
    "$PMK" ising denoise "$NOISY" -o "$T/z.pbm" --levels 3
[ ! -e "$T/z.pbm" ] || fail "a failed run wrote its output"
exit 0
