#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# valgrind.sh: `make check-valgrind`.  Runs the Check runner (CK_FORK=no, so
# the tests run in the process valgrind watches) and a few CLI runs under
# valgrind; any memory error or definite leak fails it.  Environment from the
# make rule: LIBTOOL, VALGRIND, abs_top_srcdir, abs_top_builddir.
set -eu
: "${VALGRIND:=valgrind}"
command -v "$VALGRIND" >/dev/null || { echo "check-valgrind: valgrind not found (Debian: apt-get install valgrind)"; exit 1; }
top=$abs_top_builddir
export PMK_TOP_SRCDIR="$abs_top_srcdir" PMK_TOP_BUILDDIR="$top" OPENBLAS_NUM_THREADS=1 LC_ALL=C
T=$(mktemp -d "${TMPDIR:-/tmp}/pmk-vg-XXXXXX")
trap 'rm -rf "$T"' EXIT
vg() {
    echo "check-valgrind: $*" >&2
    $LIBTOOL --mode=execute "$VALGRIND" --quiet --error-exitcode=1 --leak-check=full \
        --suppressions="$abs_top_srcdir/tests/valgrind.supp" \
        --errors-for-leak-kinds=definite --show-leak-kinds=definite "$@"
}
data="$abs_top_srcdir/data"
fix="$abs_top_srcdir/tests/data"
bad="$abs_top_srcdir/tests/bad"
gzip -dc "$data/mnist-test.csv.gz" | head -n 300 >"$T/m300.csv"
CK_FORK=no vg "$top/tests/check_pmk"
vg "$top/src/pmk" convert -q "$T/m300.csv" -o "$T/m.idx.gz" --labels "$T/l.idx"
vg "$top/src/pmk" convert -q "$T/m.idx.gz" "$T/l.idx" -o "$T/back.csv"
# the CSV pmk writes starts with its header line; the rows are the same bytes
[ "$(head -n 1 "$T/back.csv" | cut -d, -f1,2)" = "label,pixel0" ] || { echo "no header line in back.csv" >&2; exit 1; }
tail -n +2 "$T/back.csv" | cmp "$T/m300.csv" -
vg "$top/src/pmk" gnb fit -q "$T/m300.csv" -o "$T/m.gnb" >/dev/null
vg "$top/src/pmk" gnb eval "$T/m.gnb" "$T/m300.csv" >/dev/null
vg "$top/src/pmk" gnb predict --proba "$T/m.gnb" "$T/m300.csv" -o "$T/p.csv"
vg "$top/src/pmk" gnb show "$T/m.gnb" -o "$T/s.png"
# failing runs must free what they built too (exit 1 is expected, not an error)
for f in csv-ragged-long.csv gnb-truncated.gnb; do
    case "$f" in
    *.gnb) set -- gnb eval "$bad/$f" "$bad/ok.csv" ;;
    *) set -- convert "$bad/$f" -o "$T/x.idx" ;;
    esac
    echo "check-valgrind: pmk $* (a bad input)"
    rc=0
    $LIBTOOL --mode=execute "$VALGRIND" --quiet --error-exitcode=3 --leak-check=full \
        --suppressions="$abs_top_srcdir/tests/valgrind.supp" \
        --errors-for-leak-kinds=definite "$top/src/pmk" "$@" 2>"$T/err" || rc=$?
    [ "$rc" -eq 1 ] || { cat "$T/err"; echo "check-valgrind: exit $rc from pmk $*"; exit 1; }
done
if "$top/src/pmk" rbm --help >/dev/null 2>&1; then
    vg "$top/src/pmk" rbm train -q --hidden 16 --epochs 1 --seed 1 "$T/m300.csv" -o "$T/r.rbm"
    vg "$top/src/pmk" rbm eval "$T/r.rbm" "$T/m300.csv" >/dev/null
fi
if "$top/src/pmk" ising --help >/dev/null 2>&1; then
    vg "$top/src/pmk" ising denoise -q "$data/horse-noisy10.pbm" -o "$T/d.pbm" >/dev/null
fi
echo "check-valgrind: no memory errors, no definite leaks"
