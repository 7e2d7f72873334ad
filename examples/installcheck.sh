#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# installcheck.sh: builds the examples against the INSTALLED libpmk with the flags
# from its pkg-config file, runs them on the installed data, and checks their
# output (run by `make installcheck`, hence by `make distcheck`).
#
# Environment (from examples/local.mk): CC, PKG_CONFIG, DESTDIR, prefix, libdir,
# bindir, pkgdatadir, PACKAGE_VERSION.  Arguments: the example sources.
set -eu
: "${CC:?}" "${PKG_CONFIG:?}" "${libdir:?}" "${bindir:?}" "${pkgdatadir:?}"
DESTDIR=${DESTDIR:-}
LC_ALL=C
export LC_ALL

fail() { echo "installcheck: FAIL: $*" >&2; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/pmk-installcheck-XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT

# pkg-config must find the installed pmk.pc, and no other; under DESTDIR the
# paths it names are relative to the staging root.
PKG_CONFIG_PATH="$DESTDIR$libdir/pkgconfig"
PKG_CONFIG_LIBDIR="$DESTDIR$libdir/pkgconfig:$($PKG_CONFIG --variable pc_path pkg-config)"
export PKG_CONFIG_PATH PKG_CONFIG_LIBDIR
if [ -n "$DESTDIR" ]; then
    PKG_CONFIG_SYSROOT_DIR=$DESTDIR
    export PKG_CONFIG_SYSROOT_DIR
fi
[ -f "$DESTDIR$libdir/pkgconfig/pmk.pc" ] || fail "no pmk.pc in $DESTDIR$libdir/pkgconfig"
v=$($PKG_CONFIG --modversion pmk) || fail "pkg-config cannot read the installed pmk.pc"
[ "$v" = "${PACKAGE_VERSION:-$v}" ] || fail "pmk.pc says version $v, the package is $PACKAGE_VERSION"
# (pkgconf may or may not prefix the sysroot to --variable: strip it, add it.)
inc=$($PKG_CONFIG --variable includedir pmk | sed "s|^$DESTDIR||")
[ -f "$DESTDIR$inc/pmk/pmk.h" ] \
    || fail "pmk/pmk.h is not installed under the includedir pmk.pc names"

# pmk.pc alone is enough: its Libs name -lgsl (the API takes GSL matrices)
# without gsl.pc's -lgslcblas, so GSL's BLAS calls reach libpmk's CBLAS.
CFLAGS_PC=$($PKG_CONFIG --cflags pmk)
LIBS_PC=$($PKG_CONFIG --libs pmk)
LD_LIBRARY_PATH="$DESTDIR$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export LD_LIBRARY_PATH
DATA="$DESTDIR$pkgdatadir"
PMK="$DESTDIR$bindir/pmk"
[ -x "$PMK" ] || fail "no installed pmk in $DESTDIR$bindir"

# Every command the installed pmk has comes with an installed man page.
if [ -n "${mandir:-}" ]; then
    [ -f "$DESTDIR$mandir/man1/pmk.1" ] || fail "pmk.1 is not installed in $DESTDIR$mandir/man1"
    for c in $("$PMK" --help | awk '/^Commands:/ { on = 1; next } on && /^$/ { on = 0 } on { print $1 }'); do
        if "$PMK" "$c" --help >/dev/null 2>&1; then
            [ -f "$DESTDIR$mandir/man1/pmk-$c.1" ] || fail "pmk-$c.1 is not installed in $DESTDIR$mandir/man1"
        fi
    done
    echo "installcheck: man pages installed"
fi

# No build path in the installed program or library (debug info included),
# and the installed pmk reads its data from PREFIX/share/pmk, not the build tree.
if [ -n "${abs_top_builddir:-}" ] && command -v strings >/dev/null; then
    for f in "$PMK" "$DESTDIR$libdir"/libpmk.so.*.*; do
        [ -f "$f" ] || continue
        strings -a "$f" | grep -F -e "$abs_top_builddir" -e "$abs_top_srcdir" \
            | grep -vF "$prefix" >"$T/paths" || true
        [ ! -s "$T/paths" ] || fail "$f names the build tree: $(head -n 3 "$T/paths")"
    done
    echo "installcheck: no build path in the installed pmk and libpmk"
fi
if [ -z "$DESTDIR" ]; then
    mkdir "$T/demo"
    (cd "$T/demo" && env -u PMK_DATADIR "$PMK" demo -o out >out.txt 2>err.txt) \
        || fail "the installed pmk demo failed: $(cat "$T/demo/err.txt")"
    grep -Fq "data from $pkgdatadir," "$T/demo/err.txt" "$T/demo/out.txt" \
        || fail "the installed pmk demo does not read $pkgdatadir: $(head -n 1 "$T/demo/err.txt")"
    echo "installcheck: the installed pmk demo reads $pkgdatadir"
fi

# Build every example against the installed headers and library only.
for src in "$@"; do
    name=$(basename "$src" .c)
    echo "installcheck: $CC $name.c \$(pkg-config --cflags --libs pmk)"
    $CC -std=c11 -Wall -Wextra -Werror $CFLAGS_PC "$src" -o "$T/$name" $LIBS_PC \
        || fail "$name.c does not build against the installed library"
done

# ---------------------------------------------------------------- gnb_posteriors
# The true label of row 0 is the first field of mnist-test's first line (a 3,
# which the classifier takes for a 9 with p = 0.9995).  The posteriors
# must sum to 1 (each is a float rounded to 17 digits, K = 10: |sum - 1| < 1e-12),
# the predicted label must be the one of largest posterior, and the posteriors
# must match those the installed pmk program computes (`pmk gnb fit` streams the
# rows in chunks, the example fits them in one: the same statistics up to
# rounding, so the posteriors agree to 1e-9).
if [ -x "$T/gnb_posteriors" ]; then
    "$T/gnb_posteriors" "$DATA/mnist-train.csv.gz" "$DATA/mnist-test.csv.gz" 0 >"$T/gnb.out" \
        || fail "gnb_posteriors exited $?"
    cat "$T/gnb.out"
    ldd "$T/gnb_posteriors" | grep -q "=> $DESTDIR$libdir/libpmk\.so" \
        || fail "gnb_posteriors does not load $DESTDIR$libdir/libpmk.so"
    want=$(gzip -dc "$DATA/mnist-test.csv.gz" | head -n 1 | cut -d, -f1)
    grep -Fqx "row 0 of $DATA/mnist-test.csv.gz, true label $want" "$T/gnb.out" \
        || fail "gnb_posteriors: wrong true label"
    grep -Fqx "fitted 8000 rows, 10 classes, 784 features" "$T/gnb.out" \
        || fail "gnb_posteriors: wrong fit summary"
    "$PMK" gnb fit -q --no-train-accuracy "$DATA/mnist-train.csv.gz" -o "$T/d.gnb" >/dev/null
    gzip -dc "$DATA/mnist-test.csv.gz" | head -n 1 | "$PMK" gnb predict -q --proba "$T/d.gnb" - \
        | tail -n 1 | tr ',' '\n' >"$T/cli.p"
    awk -v cli="$T/cli.p" '
        BEGIN { getline cl < cli }             # the CLI predicted label
        /^p\(y=/ { split($0, a, " = "); n++; p[n] = a[2] + 0; s += p[n]
                   lab = substr(a[1], 5); sub(/\|x\)$/, "", lab); L[n] = lab
                   if (n == 1 || p[n] > p[best]) best = n
                   if ((getline c < cli) <= 0) { print "the CLI printed fewer columns"; exit 1 }
                   d = p[n] - c; if (d < 0) d = -d
                   if (d > 1e-9) { printf "p(y=%s|x): example %.17g, pmk %s\n", lab, p[n], c; exit 1 } }
        /^predicted / { pred = $2 }
        END {
            if (n != 10) { print n " posteriors, not 10"; exit 1 }
            if (s - 1 > 1e-12 || 1 - s > 1e-12) { printf "the posteriors sum to %.17g\n", s; exit 1 }
            if (pred != L[best]) { print "predicted " pred ", largest posterior " L[best]; exit 1 }
            if (pred != cl) { print "predicted " pred ", pmk gnb predict says " cl; exit 1 }
        }' "$T/gnb.out" || fail "gnb_posteriors: output above is wrong"
    echo "installcheck: gnb_posteriors ok (posteriors sum to 1, argmax predicted, as pmk gnb predict)"
fi

# ---------------------------------------------------------------- ising_icm
# ICM on the shipped noisy horse.  Checked against the installed pmk program:
# the initial energy E(y, y) is what `pmk ising energy` prints for y against
# itself; ICM only ever lowers the energy, so the trace must not rise; the last
# sweep changes nothing; the energy recomputed from the image returned equals
# the last one of the trace; and the image, its energy and its error count
# equal those of `pmk ising denoise` (same method, same parameters).
if [ -x "$T/ising_icm" ]; then
    "$T/ising_icm" "$DATA/horse-noisy10.pbm" "$DATA/horse.pbm" "$T/icm.pbm" >"$T/icm.out" \
        || fail "ising_icm exited $?"
    cat "$T/icm.out"
    e0=$("$PMK" ising energy "$DATA/horse-noisy10.pbm" --observed "$DATA/horse-noisy10.pbm")
    "$PMK" ising denoise -q --json "$DATA/horse-noisy10.pbm" -o "$T/cli.pbm" \
        --truth "$DATA/horse.pbm" >"$T/cli.json"
    cmp -s "$T/icm.pbm" "$T/cli.pbm" || fail "ising_icm and pmk ising denoise restore different images"
    e1=$(sed 's/.*"energy": \([^,]*\),.*/\1/' "$T/cli.json")
    n1=$(sed 's/.*"errors": \([0-9]*\),.*/\1/' "$T/cli.json")
    awk -v e0="$e0" -v e1="$e1" -v n1="$n1" '
        # energies are sums of multiples of beta, eta, h: exact to 1e-6 here
        function near(a, b) { d = a - b; if (d < 0) d = -d; return d <= 1e-6 }
        /^image / { init = $NF + 0 }
        /^sweep / { n++; split($0, f, /[:,] */)
                    ch = f[2]; sub(/changed /, "", ch); en = f[3]; sub(/energy /, "", en)
                    er = f[4]; sub(/errors /, "", er)
                    if (n > 1 && en + 0 > last + 1e-6) { print "the energy rose at sweep " n; exit 1 }
                    last = en + 0; lastch = ch + 0; lasterr = er + 0 }
        /^converged after / { conv = 1 }
        /^E\(x, y\) recomputed: / { rec = $NF + 0 }
        END {
            if (!near(init, e0)) { print "initial energy " init ", pmk ising energy says " e0; exit 1 }
            if (n < 2 || lastch != 0 || !conv) { print "ICM did not converge with a sweep changing nothing"; exit 1 }
            if (!near(rec, last)) { print "recomputed energy " rec " is not the trace'"'"'s " last; exit 1 }
            if (!near(last, e1)) { print "final energy " last ", pmk ising denoise says " e1; exit 1 }
            if (lasterr != n1) { print lasterr " errors, pmk ising denoise says " n1; exit 1 }
        }' "$T/icm.out" || fail "ising_icm: output above is wrong"
    echo "installcheck: ising_icm ok (E(y,y) = $e0, the energy never rises, ends at $e1 as pmk ising denoise)"
fi

# ---------------------------------------------------------------- rbm_hidden
# A 784 x 16 RBM, two epochs of CD-1, seed 1.  Checked against the installed pmk
# program on the model the example saved: `pmk rbm hidden` must print the same
# p(h=1|v) (to the 4 decimals the example prints), `pmk rbm eval --exact` the
# same log Z (1e-5) and the mean of the three log p(v) (1e-5: three values
# rounded to 6 decimals).  Every p is in [0,1] and every sample is 0 or 1,
# 0 where p(h=1|v) < 5e-5 and 1 where p > 1 - 5e-5 (shown 0.0000 / 1.0000;
# the chance of another outcome is below 5e-5 per bit).
if [ -x "$T/rbm_hidden" ]; then
    "$T/rbm_hidden" "$DATA/mnist-train.csv.gz" "$T/small.rbm" >"$T/rbm.out" \
        || fail "rbm_hidden exited $?"
    cat "$T/rbm.out"
    gzip -dc "$DATA/mnist-train.csv.gz" | head -n 3 >"$T/rows3.csv"
    "$PMK" rbm hidden -q "$T/small.rbm" "$T/rows3.csv" >"$T/rbm_cli.csv" \
        || fail "pmk rbm hidden failed on the example's model"
    "$PMK" rbm eval -q --exact --json "$T/small.rbm" "$T/rows3.csv" >"$T/rbm_cli.json" \
        || fail "pmk rbm eval failed on the example's model"
    lz=$(sed 's/.*"log_z": \([^,}]*\).*/\1/' "$T/rbm_cli.json")
    lp=$(sed 's/.*"mean_log_prob": \([^,}]*\).*/\1/' "$T/rbm_cli.json")
    awk -v cli="$T/rbm_cli.csv" -v lz="$lz" -v lp="$lp" '
        function abs(x) { return x < 0 ? -x : x }
        # the CSV starts with its header line (label,h0,h1,...), as every CSV pmk writes
        BEGIN { if ((getline hdr < cli) <= 0 || hdr !~ /(^|,)h0(,|$)/) { print "no header line in pmk rbm hidden output"; bad = 1; exit 1 } }
        /^trained / { z = $NF + 0 }
        /^row / { r++; slp += $NF; if ((getline c < cli) <= 0) { print "pmk printed fewer rows"; exit 1 }
                  nc = split(c, cf, ",") }
        /^  p\(h=1\|v\):/ { for (j = 2; j <= NF; j++) { p[r, j - 1] = $j + 0
                      if ($j < 0 || $j > 1) { print "p " $j " outside [0,1]"; exit 1 }
                      if (abs($j - cf[j]) > 6e-5) { print "row " r " unit " j - 1 ": " $j ", pmk " cf[j]; exit 1 } }
                  h = NF - 1; if (nc != h + 1) { print "pmk printed " nc - 1 " units, not " h; exit 1 } }
        /^  sample:/ { for (j = 2; j <= NF; j++) {
                      if ($j != 0 && $j != 1) { print "sample " $j " is not 0 or 1"; exit 1 }
                      q = p[r, j - 1]
                      if ((q < 5e-5 && $j == 1) || (q > 1 - 5e-5 && $j == 0)) { print "row " r " unit " j - 1 ": p " q ", sample " $j; exit 1 } } }
        END {
            if (bad) exit 1
            if (r != 3 || h != 16) { print r " rows of " h " units, not 3 of 16"; exit 1 }
            if (abs(z - lz) > 1e-5) { print "log Z " z ", pmk rbm eval --exact says " lz; exit 1 }
            if (abs(slp / r - lp) > 1e-5) { print "mean log p(v) " slp / r ", pmk says " lp; exit 1 }
        }' "$T/rbm.out" || fail "rbm_hidden: output above is wrong"
    echo "installcheck: rbm_hidden ok (p(h|v) and log Z = $lz as pmk rbm hidden / eval --exact)"
fi

# ---------------------------------------------------------------- static linking
# `pkg-config --static` must name everything libpmk.a needs (Requires.private,
# Libs.private): link one example with the static libpmk, the rest shared, and
# run it without the installed shared libpmk.
if [ -f "$DESTDIR$libdir/libpmk.a" ] && [ -x "$T/gnb_posteriors" ]; then
    src=
    for s in "$@"; do case $s in *gnb_posteriors.c) src=$s ;; esac; done
    static_rest=$($PKG_CONFIG --static --libs pmk | sed 's/\(^\| \)-lpmk\( \|$\)/ /')
    $CC -std=c11 $CFLAGS_PC "$src" -o "$T/gnb_static" \
        "$DESTDIR$libdir/libpmk.a" $static_rest \
        || fail "gnb_posteriors does not link with libpmk.a and pkg-config --static --libs pmk"
    LD_LIBRARY_PATH= "$T/gnb_static" "$DATA/mnist-train.csv.gz" "$DATA/mnist-test.csv.gz" 0 \
        >"$T/gnb_static.out" || fail "the static gnb_posteriors exited $?"
    ! ldd "$T/gnb_static" | grep -q libpmk || fail "the static build still loads libpmk.so"
    # Not byte for byte: linked this way GSL's BLAS calls may bind to gslcblas
    # rather than OpenBLAS, which rounds differently (|dp| < 1e-9 still).
    paste -d' ' "$T/gnb.out" "$T/gnb_static.out" | awk '
        /^p\(y=/ { d = $3 - $6; if (d < 0) d = -d; if (d > 1e-9) bad = 1; next }
        { h = NF / 2; for (i = 1; i <= h; i++) if ($i != $(i + h)) bad = 1 }
        END { exit bad }' || fail "static and shared builds print different output"
    echo "installcheck: pkg-config --static --libs pmk links libpmk.a: ok"
fi
echo "installcheck: all examples ok"
