# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# tests/lib.sh: helpers for the CLI tests (sourced by tests/cli_*.sh).
#
# Environment from `make check`: PMK (the built program), PMK_TOP_SRCDIR.
# Each test script: `. "$PMK_TOP_SRCDIR/tests/lib.sh"`, then checks; it exits
# non-zero on the first failure with the reason on stderr.
set -u
: "${PMK:?run through make check}"
: "${PMK_TOP_SRCDIR:?run through make check}"
DATA="$PMK_TOP_SRCDIR/data"
FIX="$PMK_TOP_SRCDIR/tests/data"
T=$(mktemp -d "${TMPDIR:-/tmp}/pmk-cli-XXXXXX")
trap 'rm -rf "$T"' EXIT
export LC_ALL=C
# Progress meters off a terminal come once a second, so whether a slow run
# prints one depends on the machine: tests see none unless they ask
# (cli_progress.sh sets PMK_PROGRESS_INTERVAL=0 and counts them).
PMK_PROGRESS_INTERVAL=1000000
export PMK_PROGRESS_INTERVAL
# gnb reads a file under 512 KiB on one thread whatever --threads says
# (ranges of at least 256 KiB); the tests' files are small, and the
# thread tests must split them all the same.
PMK_RANGE_MIN=${PMK_RANGE_MIN-1}
export PMK_RANGE_MIN

fail() { echo "FAIL: $*" >&2; exit 1; }

# run CMD...: runs it, capturing stdout in $T/out, stderr in $T/err, status in $rc.
run() {
    set +e
    "$@" >"$T/out" 2>"$T/err"
    rc=$?
    set -e
}

# expect_ok CMD...: the command must exit 0.
expect_ok() {
    run "$@"
    [ "$rc" -eq 0 ] || { cat "$T/err" >&2; fail "exit $rc from: $*"; }
}

# expect_fail STATUS 'exact stderr' CMD...: exit status and the whole stderr.
expect_fail() {
    want_rc=$1
    want_err=$2
    shift 2
    run "$@"
    [ "$rc" -eq "$want_rc" ] || { cat "$T/err" >&2; fail "exit $rc, wanted $want_rc, from: $*"; }
    got_err=$(cat "$T/err")
    [ "$got_err" = "$want_err" ] || fail "stderr from: $*
  got:    $got_err
  wanted: $want_err"
}

# expect_err_line STATUS 'exact first line of stderr' CMD... (for usage errors,
# whose second line is the "Try" hint).
expect_err_line() {
    want_rc=$1
    want_err=$2
    shift 2
    run "$@"
    [ "$rc" -eq "$want_rc" ] || { cat "$T/err" >&2; fail "exit $rc, wanted $want_rc, from: $*"; }
    got_err=$(head -n 1 "$T/err")
    [ "$got_err" = "$want_err" ] || fail "stderr from: $*
  got:    $got_err
  wanted: $want_err"
}

# same_bytes A B: the files are byte-identical.
same_bytes() { cmp -s "$1" "$2" || fail "$1 and $2 differ"; }

# near X Y TOL: |X - Y| <= TOL, for numbers printed by pmk.
near() {
    awk -v x="$1" -v y="$2" -v t="$3" 'BEGIN { d = x - y; if (d < 0) d = -d; exit !(d <= t) }' \
        || fail "$1 is not within $3 of $2"
}
