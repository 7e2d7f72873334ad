#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# bench/ising_start.sh: where Linux puts OpenMP's new thread in a fresh
# 2-thread `pmk ising denoise` (checkerboard ICM on bench/threads.sh's
# 2048 x 2048 disc), and what the run then costs.  Not a timing of pmk's
# work: a check of the 2-thread slow mode (doc/scaling.md).  One line a run:
#   run  seconds (--json)  parent CPU  new thread's CPU (sched_wakeup_new)
#   the other CPU at that moment (idle or the command it ran)
# Since session 9 `ising denoise --order checkerboard` starts its threads
# before reading the image (pmk_threads_start), so the seconds no longer
# hold the thread's start; to see the slow mode in them, give a pmk built
# from main before that (e.g. commit 4c7659e) as PMK.
# Needs perf with the sched tracepoints (root, or perf_event_paranoid <= 0).
# Usage: bench/ising_start.sh [RUNS [PMK]]   (default 20; the built src/.libs/pmk)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-20}
pmk=${2:-"$top/src/.libs/pmk"}
case "$pmk" in */.libs/pmk)   # a build tree's program: its own libpmk
    LD_LIBRARY_PATH="$(dirname "$pmk")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export LD_LIBRARY_PATH ;;
esac
out="$top/bench/out"
noisy="$out/threads-2048-noisy.pbm"
[ -s "$noisy" ] || { echo "bench/ising_start.sh: run bench/threads.sh first (it makes $noisy)" >&2; exit 1; }
export OMP_NUM_THREADS=2
echo "run seconds parent_cpu thread_cpu other_cpu_ran"
for r in $(seq "$runs"); do
    perf record -q -a -o "$out/start.data" -e sched:sched_wakeup_new -e sched:sched_switch -- \
        "$pmk" ising denoise -q --json --threads 2 --method icm --order checkerboard \
        --max-sweeps 20 "$noisy" -o "$out/start.pbm" >"$out/start.json" 2>/dev/null
    secs=$(tr ',' '\n' <"$out/start.json" | sed -n 's/.*"seconds": *//p')
    # the first sched_wakeup_new of a pmk thread: the CPU it ran on, its
    # target_cpu, and what the other CPU last switched to before it
    perf script -i "$out/start.data" -F cpu,event,trace 2>/dev/null | awk -v r="$r" -v s="$secs" '
        { cpu = $1; gsub(/[][]/, "", cpu); cpu += 0 }
        $2 ~ /sched_switch/ { for (i = 3; i <= NF; i++) if ($i ~ /^next_comm=/) ran[cpu] = substr($i, 11) }
        $2 ~ /sched_wakeup_new/ && $0 ~ /comm=pmk / && !done {
            for (i = 3; i <= NF; i++) if ($i ~ /^target_cpu=/) t = substr($i, 12) + 0
            o = cpu ? 0 : 1
            printf "%d %s %d %d %s\n", r, s, cpu, t, (o in ran) ? (ran[o] ~ /^swapper/ ? "idle" : ran[o]) : "?"
            done = 1 }'
done
rm -f "$out/start.data" "$out/start.data.old" "$out/start.pbm" "$out/start.json"
