#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# bench/ising_potts.sh: the Potts denoiser on a grey image with Gaussian
# noise: ICM against alpha-expansion, time and error against the clean image.
# Run from a configured, built tree:
#     sh bench/ising_potts.sh [SIZE] [LEVELS] [SIGMA] [BETA]      [512 4 0.2 0.1]
# The clean image (bench/out/potts-clean.pgm, ignored by git) is a SIZE x
# SIZE test card of LEVELS evenly spaced grey levels (blocks, stripes and a
# disc), `pmk ising noise --gauss SIGMA` adds the noise (seed 1), and each
# solver runs with --levels LEVELS --beta BETA --eta 1, both data costs.
# Reported per run: the solver's own seconds (the JSON `seconds`, file I/O
# excluded; the median of 3 runs), its sweeps (ICM) or cycles (expansion),
# the final energy, the fraction of pixels whose level differs from the
# clean image's, and the RMSE in grey levels, against the noisy image's.
# Needs awk only.  Nothing here runs in `make check`.
set -eu
size=${1:-512}
levels=${2:-4}
sigma=${3:-0.2}
beta=${4:-0.1}
top=$(cd "$(dirname "$0")/.." && pwd)
pmk="$top/src/pmk"
out="$top/bench/out"
mkdir -p "$out"
clean="$out/potts-clean.pgm"
noisy="$out/potts-noisy.pgm"

awk -v n="$size" -v L="$levels" 'BEGIN {
    print "P2"; print n, n; print 255
    for (r = 0; r < n; r++) {
        line = ""
        for (c = 0; c < n; c++) {
            k = (int(4 * r / n) + int(4 * c / n)) % L              # blocks
            if (r > n / 2 && int(c / (n / 16)) % 2) k = (k + 1) % L  # stripes
            dx = r - n / 3; dy = c - 2 * n / 3
            if (dx * dx + dy * dy < (n / 6) * (n / 6)) k = L - 1     # a disc
            line = line " " int((2 * k * 255 + (L - 1)) / (2 * (L - 1)))
        }
        print line
    }
}' >"$out/potts-clean-plain.pgm"
"$pmk" ising noise "$out/potts-clean-plain.pgm" --gauss 0 -o "$clean" -q   # raw P5, same levels
"$pmk" ising noise "$clean" --gauss "$sigma" --seed 1 -o "$noisy" -q

# rmse A B: the root-mean-square difference of two raw 8-bit PGMs (P5, as
# pmk writes them) of the same size: their last size^2 bytes through od.
pgm_values() { tail -c "$((size * size))" "$1" | od -An -v -tu1; }
rmse() {
    pgm_values "$1" >"$out/potts-a.txt"
    pgm_values "$2" >"$out/potts-b.txt"
    paste -d' ' "$out/potts-a.txt" "$out/potts-b.txt" | awk -v n="$size" '{
        h = NF / 2; for (i = 1; i <= h; i++) { d = $i - $(i + h); s += d * d } }
        END { printf "%.3f", sqrt(s / (n * n)) }'
}
# json FILE KEY: a number from a one-line JSON report.
json() { sed -n "s/.*\"$2\": \([^,}]*\).*/\1/p" "$1"; }

echo "Potts denoising, ${size}x${size}, $levels levels, noise sd $sigma maxval, beta $beta, eta 1"
echo "noisy image: RMSE $(rmse "$clean" "$noisy") levels"
printf '%-10s %-4s %8s %7s %16s %9s %8s\n' method cost seconds sweeps energy error rmse
for cost in l2 l1; do
    for m in icm mincut; do
        for rep in 1 2 3; do
            "$pmk" ising denoise "$noisy" --levels "$levels" --data-cost "$cost" \
                --beta "$beta" --eta 1 -m "$m" --truth "$clean" -o "$out/potts-$m.pgm" \
                --json -q >"$out/potts-$rep.json"
        done
        secs=$(for rep in 1 2 3; do json "$out/potts-$rep.json" seconds; done | sort -g | sed -n 2p)
        j="$out/potts-1.json"
        printf '%-10s %-4s %8.4f %7s %16.6f %9.6f %8s\n' "$m" "$cost" "$secs" \
            "$(json "$j" sweeps)" "$(json "$j" energy)" "$(json "$j" error)" \
            "$(rmse "$clean" "$out/potts-$m.pgm")"
    done
done
