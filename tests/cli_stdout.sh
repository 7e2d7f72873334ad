#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_stdout.sh: a command whose standard output cannot be written fails.
# Every command that prints a report, help or data on stdout is run with
# stdout on /dev/full (ENOSPC when the buffer is flushed) and with stdout
# closed (`>&-`: EBADF; pmk keeps descriptor 1 occupied so that no file it
# opens becomes "standard output").  Each must exit 1 with one message:
#   reports and help:    pmk VERB: cannot write standard output: CAUSE
#   data through -o -:   pmk VERB: <stdout>: cannot write: CAUSE
. "$PMK_TOP_SRCDIR/tests/lib.sh"
set -e
cd "$T"
expect_ok "$PMK" gnb fit -q "$FIX/gnb-tiny-train.csv" -o m.gnb
expect_ok "$PMK" rbm train -q -H 4 -e 1 --seed 1 "$FIX/rbm-bars.csv" -o m.rbm
X="$FIX/ising-x.pbm" Y="$FIX/ising-y.pbm"

# fails NAME CAUSE-FORMAT CMD...: with stdout on /dev/full and closed, exit 1
# and the one message.  CAUSE-FORMAT holds %s where the cause goes.
fails() {
    name=$1 form=$2
    shift 2
    if [ -w /dev/full ]; then
        set +e
        "$@" >/dev/full 2>err
        rc=$?
        set -e
        # shellcheck disable=SC2059
        want="pmk${name:+ $name}: $(printf "$form" "No space left on device")"
        [ "$rc" -eq 1 ] && [ "$(cat err)" = "$want" ] \
            || fail "stdout on /dev/full: exit $rc, stderr '$(cat err)', wanted '$want', from: $*"
    fi
    set +e
    "$@" >&- 2>err
    rc=$?
    set -e
    # shellcheck disable=SC2059
    want="pmk${name:+ $name}: $(printf "$form" "Bad file descriptor")"
    [ "$rc" -eq 1 ] && [ "$(cat err)" = "$want" ] \
        || fail "stdout closed: exit $rc, stderr '$(cat err)', wanted '$want', from: $*"
}
R="cannot write standard output: %s"
D="<stdout>: cannot write: %s"

# reports
fails "gnb fit" "$R" "$PMK" gnb fit -q "$FIX/gnb-tiny-train.csv" -o fit.gnb
fails "gnb eval" "$R" "$PMK" gnb eval m.gnb "$FIX/gnb-tiny-test.csv"
fails "gnb eval" "$R" "$PMK" gnb eval --json m.gnb "$FIX/gnb-tiny-test.csv"
fails "rbm eval" "$R" "$PMK" rbm eval --seed 1 m.rbm "$FIX/rbm-bars.csv"
fails "rbm eval" "$R" "$PMK" rbm eval --json --exact --seed 1 m.rbm "$FIX/rbm-bars.csv"
fails "ising energy" "$R" "$PMK" ising energy "$X" --observed "$Y"
fails "ising energy" "$R" "$PMK" ising energy --json "$X" --observed "$Y"
fails "ising denoise" "$R" "$PMK" ising denoise -q "$Y" -o den.pbm
fails "ising denoise" "$R" "$PMK" ising denoise -q --json "$Y" -o den.pbm
# help and version
fails "" "$R" "$PMK" --help
fails "" "$R" "$PMK" --version
fails "gnb" "$R" "$PMK" gnb --help
fails "rbm train" "$R" "$PMK" rbm train --help
fails "ising" "$R" "$PMK" ising --help
fails "convert" "$R" "$PMK" convert --help
fails "demo" "$R" "$PMK" demo --help
# data through -o - (the default for predict and hidden)
fails "gnb predict" "$D" "$PMK" gnb predict m.gnb "$FIX/gnb-tiny-test.csv"
fails "gnb predict" "$D" "$PMK" gnb predict --proba m.gnb "$FIX/gnb-tiny-test.csv" -o -
fails "rbm hidden" "$D" "$PMK" rbm hidden m.rbm "$FIX/rbm-bars.csv"
fails "rbm sample" "$D" "$PMK" rbm sample -n 2 -s 2 --seed 1 m.rbm -o -
fails "convert" "$D" "$PMK" convert "$FIX/idx-images.idx3-ubyte" -o -
fails "convert" "$D" "$PMK" convert -q "$FIX/gnb-tiny-train.csv" -o -
# the demo's report, after all its work (pictures into a folder)
fails "demo" "$R" "$PMK" demo -q -o demo-out

# With stdout closed, no file pmk writes may take descriptor 1: the model and
# the image are whole, and the report went nowhere.
set +e
"$PMK" gnb fit "$FIX/gnb-tiny-train.csv" -o fit2.gnb >&- 2>err
set -e
cmp -s fit2.gnb m.gnb || fail "with stdout closed, the model is not the same as m.gnb"
set +e
"$PMK" ising denoise "$Y" -o den2.pbm >&- 2>err
set -e
expect_ok "$PMK" ising denoise -q "$Y" -o den3.pbm
same_bytes den2.pbm den3.pbm
# a command that prints nothing succeeds with stdout closed, as true(1) does
"$PMK" gnb show m.gnb --shape 1x2 -o show.pgm >&- 2>err || fail "gnb show with stdout closed: $(cat err)"
# and a working stdout is not reported
expect_ok "$PMK" ising energy "$X" --observed "$Y"
[ ! -s "$T/err" ] || fail "stderr on success: $(cat "$T/err")"
echo "standard output: all checks passed"
