#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# bench/threads.sh: strong scaling on one machine, 1 vs 2 threads (or the
# counts given) in the same run, medians and best of REPS runs, wall seconds:
#   gnb    `gnb fit` + `gnb eval` on Fashion-MNIST (CSV, 60,000 + 10,000 rows)
#          (gnbfit, gnbeval: the two commands' own wall seconds; each
#          command's input files are read just before it, untimed, so that
#          they come from the page cache, which this VM trims within seconds)
#   rbm    one CD-1 epoch, H 500, batch 100, on Fashion-MNIST (the epoch's
#          seconds from --log: data loading excluded)
#   icm    checkerboard ICM (at most 20 sweeps; it converges in 2) on a
#          2048 x 2048 image with 10% flips: the --json seconds, which are
#          the whole pmk_ising_denoise call (the output image is allocated
#          before the clock, as a caller's buffer): checking y while packing
#          it into bits, the sweeps with their energies and counts, and
#          unpacking into the output (since session 9 `ising denoise` starts
#          OpenMP's threads before reading the image, pmk_threads_start,
#          so the fresh process's thread start is outside these seconds)
#   icm7   the same with --eta 1, which takes 7 sweeps
#   sweep  one sweep's share: (icm7 - icm1) / (S - 1) from the medians (the bests) (S:
#          icm7's sweeps, 7 on 2048 x 2048), icm1 being
#          the icm7 run stopped after its first sweep (--max-sweeps 1); what
#          the two runs share (threads, packing, unpacking) cancels
#   ipicm, ipicm7, ipsweep   the same three in one process (bench/ising_sweeps,
#          built here by `make bench-ising`): IPREPS interleaved rounds
#          (PMK_BENCH_IPREPS, default 51) after each count's threads started
#          and every task ran once, so no row depends on a process's start
# Each run gets --threads T and OMP_NUM_THREADS=T.
#
# Usage: bench/threads.sh [REPS [THREADS...]]   (from a built tree; default 3; 1 2)
#        PMK_BENCH_SMALL=1 bench/threads.sh 1     (data/'s MNIST sample, 256^2: a smoke test)
# Output: two tables on stdout (medians; bests); the raw times in bench/out/threads-times.txt,
# bench/ising_sweeps's own table in bench/out/ising-sweeps.txt.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/bench/stamp.sh"   # stamp VAR: the clock, without a process
reps=${1:-3}
shift 2>/dev/null || true
threads=${*:-"1 2"}
pmk="$top/src/pmk"
# in a build tree with shared libraries src/pmk is libtool's wrapper script,
# whose shell costs tens of ms a command (the same for every count, so it
# hides the speed-up): run the program it would run
if [ -x "$top/src/.libs/pmk" ]; then
    pmk="$top/src/.libs/pmk"
    LD_LIBRARY_PATH="$top/src/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export LD_LIBRARY_PATH
fi
out="$top/bench/out"
mkdir -p "$out"
if [ "${PMK_BENCH_SMALL:-0}" = 1 ]; then
    train="$out/small-train.csv" test="$out/small-test.csv" side=256
    gzip -dc "$top/data/mnist-train.csv.gz" >"$train"
    gzip -dc "$top/data/mnist-test.csv.gz" >"$test"
else
    fm=/usr/share/datasets/fashion-mnist
    [ -r "$fm/train-images-idx3-ubyte.gz" ] || { echo "bench/threads.sh: install dataset-fashion-mnist" >&2; exit 1; }
    train="$out/fashion-train.csv" test="$out/fashion-test.csv" side=2048
    # plain CSV: the ranges threads read in parallel need a seekable, uncompressed file
    [ -s "$train" ] || "$pmk" convert -q "$fm/train-images-idx3-ubyte.gz" \
        "$fm/train-labels-idx1-ubyte.gz" -o "$train"
    [ -s "$test" ] || "$pmk" convert -q "$fm/t10k-images-idx3-ubyte.gz" \
        "$fm/t10k-labels-idx1-ubyte.gz" -o "$test"
fi
# a side x side picture (a disc) and its noisy copy
img="$out/threads-$side.pbm" noisy="$out/threads-$side-noisy.pbm"
if [ ! -s "$noisy" ]; then
    awk -v n="$side" 'BEGIN { print "P1"; print n, n; r = n / 3
        for (y = 0; y < n; y++) { s = ""
            for (x = 0; x < n; x++) s = s (((x - n/2)^2 + (y - n/2)^2 < r * r) ? "1" : "0")
            print s } }' >"$img"
    "$pmk" ising noise -q --seed 1 --flip 0.1 "$img" -o "$noisy"
fi
raw="$out/threads-times.txt"
: >"$raw"
median() { sort -g | awk '{ a[NR] = $1 } END { printf "%.9f\n", (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
for r in $(seq "$reps"); do
    for t in $threads; do
        export OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t
        # each command's input read just before it (untimed): this VM's
        # page cache loses a file's pages within seconds even when idle
        # (6 MB of the training CSV in 20 s, fincore), and what a command
        # then reads from the disk is I/O wait, not what threads change
        cat "$train" >/dev/null
        stamp t0
        "$pmk" gnb fit -q --threads "$t" "$train" -o "$out/threads.gnb" >/dev/null
        stamp tm
        cat "$test" "$out/threads.gnb" >/dev/null
        stamp te
        "$pmk" gnb eval -q --threads "$t" "$out/threads.gnb" "$test" >/dev/null
        stamp t1
        echo "$t gnb $(echo "$t1 - $te + $tm - $t0" | bc)" >>"$raw"
        echo "$t gnbfit $(echo "$tm - $t0" | bc)" >>"$raw"
        echo "$t gnbeval $(echo "$t1 - $te" | bc)" >>"$raw"
        cat "$train" >/dev/null
        "$pmk" rbm train -q --threads "$t" -H 500 -e 1 -b 100 --holdout 0 --seed "$r" \
            "$train" -o "$out/threads.rbm" --log "$out/threads-rbm-log.csv"
        echo "$t rbm $(awk -F, 'NR == 2 { print $5 }' "$out/threads-rbm-log.csv")" >>"$raw"
        # the sweeps' own seconds (--json), not the command's: reading and
        # writing the image are not what threads change
        secs=$("$pmk" ising denoise -q --json --threads "$t" --method icm --order checkerboard \
            --max-sweeps 20 "$noisy" -o "$out/threads-denoised.pbm" |
            tr ',' '\n' | sed -n 's/.*"seconds": *//p')
        echo "$t icm $secs" >>"$raw"
        json=$("$pmk" ising denoise -q --json --threads "$t" --method icm --order checkerboard \
            --eta 1 --max-sweeps 20 "$noisy" -o "$out/threads-denoised.pbm" | tr ',' '\n')
        secs=$(echo "$json" | sed -n 's/.*"seconds": *//p')
        echo "$t icm7sweeps $(echo "$json" | sed -n 's/.*"sweeps": *//p')" >>"$raw"
        echo "$t icm7 $secs" >>"$raw"
        secs=$("$pmk" ising denoise -q --json --threads "$t" --method icm --order checkerboard \
            --eta 1 --max-sweeps 1 "$noisy" -o "$out/threads-denoised.pbm" |
            tr ',' '\n' | sed -n 's/.*"seconds": *//p')
        echo "$t icm1 $secs" >>"$raw"
    done
done
# the ICM rows again in one process (ipicm, ipicm7, ipsweep); it prints its
# own table too (per-round sweep differences), kept in bench/out
(cd "$top" && make -s bench-ising >/dev/null)
"$top/bench/ising_sweeps" -o "$raw" "$noisy" "${PMK_BENCH_IPREPS:-51}" $threads \
    >"$out/ising-sweeps.txt"
# Two tables: medians, then the best (the minimum) of the REPS runs.  On a VM
# the 2-thread times can be bimodal (the second vCPU woken late: a run of a few
# ms then takes 5-15 ms more), which a median of few runs reports as it falls;
# the best run shows the cost of the work itself.
best() { sort -g | awk 'NR == 1 { printf "%.9f\n", $1 }'; }
table() {   # $1: median or best
    echo "$1 of $reps runs"
    printf '%-8s' "task"
    for t in $threads; do printf '%12s' "$t thr (s)"; done
    printf '%12s\n' "speed-up"
    for task in gnb gnbfit gnbeval rbm icm icm7 sweep ipicm ipicm7 ipsweep; do
        printf '%-8s' "$task"
        first= last=
        for t in $threads; do
            if [ "$task" = sweep ] || [ "$task" = ipsweep ]; then
                p=${task%sweep}
                m=$(echo "($(stat "$1" "$t" ${p}icm7) - $(stat "$1" "$t" ${p}icm1)) / ($(stat median "$t" ${p}icm7sweeps) - 1)" | bc -l)
            else
                m=$(stat "$1" "$t" "$task")
            fi
            printf '%12.5f' "$m"
            first=${first:-$m} last=$m
        done
        printf '%12.2f\n' "$(echo "$first / $last" | bc -l)"
    done
}
stat() { awk -v t="$2" -v k="$3" '$1 == t && $2 == k { print $3 }' "$raw" | "$1"; }
table median
table best
