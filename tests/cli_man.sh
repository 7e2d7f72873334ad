#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_man.sh: every long option a command's --help lists is documented in its man
# page, and every option the man page documents is in --help, verb by verb.
#
# --help side: an option line is one that starts with spaces and '-'; its option
# names are the leading run of tokens "-x," "--name" "--name," "ARG" (a token
# ending in ',' continues the run).  Verbs are the first words of the lines
# under "Verbs:" in `pmk CMD --help`.
# Man side: the tag line after each .TP, in the OPTIONS section (key: the
# command itself) or in a subsection titled "pmk CMD VERB ..." (key: VERB).
# Each page must also render with groff -ww (all warnings) silently.
# Usage: cli_man.sh [PAGE...] (default: doc/man/pmk.1 and every pmk-*.1).
. "$PMK_TOP_SRCDIR/tests/lib.sh"
MAN="$PMK_TOP_SRCDIR/doc/man"

# help_opts: --help text on stdin -> sorted long option names, one a line.
help_opts() {
    awk '/^ +-/ {
        i = 1
        while (i <= NF) {
            t = $i; more = (t ~ /,$/); sub(/,$/, "", t)
            if (t ~ /^--[a-z0-9]/) { sub(/[=[].*/, "", t); print t }
            if (more) { i++; continue }
            # no comma: the next token may be this option'"'"'s argument, and a
            # comma after the argument continues the run
            if (t ~ /^-/ && i < NF && $(i + 1) !~ /^-/) {
                i++
                if ($i ~ /,$/) { i++; continue }
            }
            break
        }
    }' | sort -u
}

# help_verbs: `pmk CMD --help` on stdin -> its verbs.
help_verbs() {
    awk '/^Verbs:/ { on = 1; next } on && /^$/ { on = 0 } on && /^  [a-z]/ { print $1 }'
}

# man_opts PAGE CMD: "KEY --option" lines, KEY "-" for the command itself.
man_opts() {
    awk -v cmd="$2" '
    function strip(s) {
        gsl = s
        gsub(/\\f[BIRP]/, "", gsl); gsub(/\\f\(..|\\f\[[^]]*\]/, "", gsl)
        gsub(/\\-/, "-", gsl); gsub(/"/, "", gsl); gsub(/\\&/, "", gsl)
        return gsl
    }
    /^\.SH/ { sec = strip(substr($0, 5)); key = (sec == "OPTIONS") ? "-" : ""; next }
    /^\.SS/ {
        t = strip(substr($0, 5)); n = split(t, w, " ")
        if (cmd != "" && n >= 3 && w[1] == "pmk" && w[2] == cmd) key = w[3]
        else if (sec != "OPTIONS") key = ""
        next
    }
    /^\.TP/ { tag = 1; next }
    tag {
        tag = 0
        if (key == "") next
        s = strip($0)
        while (match(s, /--[a-z0-9][a-z0-9-]*/)) {
            print key, substr(s, RSTART, RLENGTH)
            s = substr(s, RSTART + RLENGTH)
        }
    }' "$1" | sort -u
}

# man_verbs PAGE CMD: the verbs with a "pmk CMD VERB" subsection.
man_verbs() {
    awk -v cmd="$2" '/^\.SS/ { t = $0; gsub(/"/, "", t); n = split(t, w, " ");
        if (n >= 4 && w[2] == "pmk" && w[3] == cmd) print w[4] }' "$1" | sort -u
}

# compare WHAT HELPFILE MANFILE: the two sorted lists must be equal.
compare() {
    if ! cmp -s "$2" "$3"; then
        echo "$1: --help and the man page differ (< only in --help, > only in the man page):" >&2
        diff "$2" "$3" | grep '^[<>]' >&2
        return 1
    fi
}

check_page() {
    page=$1
    base=$(basename "$page" .1)
    case $base in
        pmk) cmd= ;;
        pmk-*) cmd=${base#pmk-} ;;
        *) fail "$page: not a pmk page" ;;
    esac
    bad=0
    man_opts "$page" "$cmd" >"$T/man"
    # the command itself
    expect_ok $PMK $cmd --help
    help_opts <"$T/out" >"$T/h"
    help_verbs <"$T/out" | sort -u >"$T/verbs"
    awk '$1 == "-" { print $2 }' "$T/man" >"$T/m"
    compare "pmk${cmd:+ $cmd}" "$T/h" "$T/m" || bad=1
    # verb by verb
    man_verbs "$page" "$cmd" >"$T/mverbs"
    compare "pmk $cmd (verbs)" "$T/verbs" "$T/mverbs" || bad=1
    for v in $(cat "$T/verbs"); do
        expect_ok $PMK $cmd "$v" --help
        help_opts <"$T/out" >"$T/h"
        awk -v v="$v" '$1 == v { print $2 }' "$T/man" >"$T/m"
        compare "pmk $cmd $v" "$T/h" "$T/m" || bad=1
    done
    # and it renders without a warning
    if command -v groff >/dev/null; then
        groff -man -Tutf8 -ww -z "$page" >"$T/groff" 2>&1 || bad=1
        [ ! -s "$T/groff" ] || { cat "$T/groff" >&2; bad=1; }
    fi
    return $bad
}

if [ $# -gt 0 ]; then
    pages="$*"
else
    pages="$MAN/pmk.1"
    for p in "$MAN"/pmk-*.1; do
        [ -f "$p" ] && pages="$pages $p"
    done
fi
status=0
n=0
for p in $pages; do
    if check_page "$p"; then n=$((n + 1)); else echo "FAIL: $p" >&2; status=1; fi
done
[ $status -eq 0 ] || exit 1
echo "$n man pages agree with --help"

# Every command `pmk --help` lists has a page (pmk.1 names them all).
if [ $# -eq 0 ]; then
    expect_ok $PMK --help
    for c in $(awk '/^Commands:/ { on = 1; next } on && /^$/ { on = 0 } on { print $1 }' "$T/out"); do
        if $PMK "$c" --help >/dev/null 2>&1; then
            [ -f "$MAN/pmk-$c.1" ] || fail "pmk $c has no man page doc/man/pmk-$c.1"
        fi
    done
fi
