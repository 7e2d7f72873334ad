# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# bench/stamp.sh, sourced by the timing scripts (threads.sh, mpi.sh, lda.sh):
# stamp VAR puts the wall clock (seconds) into VAR.  bash's EPOCHREALTIME
# costs no process; `$(date +%s.%N)` cost about 5 ms on the 2-vCPU VM, and
# every interval between two such stamps included it (the same for each
# thread count, so it lowered every speed-up).  date is the fallback for a
# shell without EPOCHREALTIME; the scripts run themselves with bash.
export LC_ALL=C   # EPOCHREALTIME's decimal point
stamp() {
    if [ -n "${EPOCHREALTIME:-}" ]; then eval "$1=\$EPOCHREALTIME"; else eval "$1=\$(date +%s.%N)"; fi
}
