#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_bad.sh: the bad-input suite.  Runs every case of tests/bad/MANIFEST (and
# of each tests/bad/MANIFEST.<area>, one file an area, same format) from
# inside tests/bad (so messages name the bare file name) and asserts the exit
# status and the whole stderr; a failing case must not leave its output file.
# Cases whose command is not built yet (pmk ising / pmk rbm before they land)
# are counted and reported as skipped.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
set -e
cd "$PMK_TOP_SRCDIR/tests/bad"
tab=$(printf '\t')
cat MANIFEST MANIFEST.* >"$T/manifest" 2>/dev/null || cat MANIFEST >"$T/manifest"
n=0 skipped=0 files="" have=""
while IFS="$tab" read -r file want_rc args want_err; do
    case "$file" in '#'*|'') continue ;; esac
    [ -f "$file" ] || fail "MANIFEST names $file, which is not in tests/bad"
    case " $args " in *" $file "*) ;; *) fail "MANIFEST: the arguments of $file do not name it: $args" ;; esac
    cmd=${args%% *}
    case " $have " in
    *" $cmd "*) ;;
    *" no-$cmd "*) skipped=$((skipped + 1)); continue ;;
    *)
        if "$PMK" "$cmd" --help >/dev/null 2>&1; then
            have="$have $cmd"
        else
            have="$have no-$cmd"
            skipped=$((skipped + 1))
            continue
        fi ;;
    esac
    o="$T/o$n"               # a fresh folder for the case's outputs
    mkdir "$o"
    # shellcheck disable=SC2086
    set -- $args
    i=0 nargs=$#
    while [ "$i" -lt "$nargs" ]; do
        a=$1
        shift
        case "$a" in OUT*) a="$o/$a" ;; esac
        set -- "$@" "$a"
        i=$((i + 1))
    done
    if [ "$want_rc" -eq 0 ]; then
        expect_ok "$PMK" "$@"
        [ ! -s "$T/err" ] || fail "$file: stderr from pmk $args: $(cat "$T/err")"
    else
        expect_fail "$want_rc" "$want_err" "$PMK" "$@"
        set -- "$o"/*
        [ ! -e "$1" ] || fail "$file: pmk $args left $*"
    fi
    n=$((n + 1))
    files="$files $file"
done <"$T/manifest"
nfiles=$(printf '%s\n' $files | sort -u | wc -l)
[ "$nfiles" -ge 60 ] || fail "only $nfiles distinct bad files were run"

# What the accepted dialect reads: a BOM, CRLF, quotes and blanks change nothing.
printf '1,2,3\n4,5,6\n' >"$T/plain.csv"
expect_ok "$PMK" convert -q "$T/plain.csv" -o "$T/plain.idx" --labels "$T/plain-l.idx"
# 2 rows x 2 values, u8: 00 00 08 02, dims 2 and 2, then 2 3 5 6; labels 1 and 4
[ "$(od -An -tx1 "$T/plain.idx" | tr -d ' \n')" = "00000802000000020000000202030506" ] || fail "plain.csv values"
for f in csv-bom.csv csv-crlf.csv; do
    expect_ok "$PMK" convert -q "$f" -o "$T/d.idx" --labels "$T/d-l.idx"
    same_bytes "$T/plain.idx" "$T/d.idx"
    same_bytes "$T/plain-l.idx" "$T/d-l.idx"
done
# csv-quoted.csv: a quoted header (a quoted comma, a doubled quote), then "1",2,"3" and 4, 5 ,6
expect_ok "$PMK" convert -q csv-quoted.csv -o "$T/d.idx" --labels "$T/d-l.idx"
same_bytes "$T/plain.idx" "$T/d.idx"
same_bytes "$T/plain-l.idx" "$T/d-l.idx"
echo "bad inputs: $n cases on $nfiles files passed, $skipped skipped (command not built)"
