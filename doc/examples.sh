#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# examples.sh: runs every example README shows, and prints what each printed
# (the text README's examples are made from), or with --check compares it with
# README.  Used by tests/cli_readme.sh; run it by hand after a change that
# alters an output, and paste what it prints into README.
#
#   doc/examples.sh [--check] [README]
#
# Environment: PMK, the pmk program [pmk on PATH]; PMK_DATA, the data folder
# [the source tree's data/]; PMK_EXAMPLES, a folder holding the built
# examples/ programs (gnb_posteriors, ...), which then stand in for the ones
# README compiles with cc; KEEP=1 keeps the work folder.
#
# README's examples are its indented lines that start with "$ " (a trailing
# backslash continues a command); the indented lines after one, up to a blank
# line or the next "$ ", are what it printed.  They run in README's order with
# sh, in one fresh folder holding `data` (a link to the data folder), so that
# a later example reads what an earlier one wrote; standard error is merged
# into standard output, and OPENBLAS_NUM_THREADS is what the command pins.
# Progress meters, whose lines depend on timing, are left out
# (PMK_PROGRESS_INTERVAL beyond any run): README shows the lines that stay.
# A `cc` command runs only where pkg-config finds an installed pmk, or is
# skipped when PMK_EXAMPLES provides the programs.
#
# --check compares line by line.  A line "..." stands for any number of lines.
# Words must be equal, except numbers: a number agrees when it is within half
# a unit of the last digit README shows, so README may show fewer digits.  A
# number followed by the word "s" is a time and is not compared.  Figures that
# depend on the CPU's BLAS kernel (every `pmk rbm` example, and the demo's
# "rbm:" lines) agree within 1% (README says so where it shows them).
# An example whose command names a file under /usr/share that is not there
# (Fashion-MNIST, from dataset-fashion-mnist) is skipped, and said so.
set -eu
check=0
[ "${1:-}" = --check ] && { check=1; shift; }
here=$(cd "$(dirname "$0")/.." && pwd)
readme=${1:-$here/README}
data=${PMK_DATA:-$here/data}
if [ -n "${PMK:-}" ]; then
    PATH=$(cd "$(dirname "$PMK")" && pwd):$PATH
    export PATH
fi
command -v pmk >/dev/null || { echo "examples.sh: no pmk on PATH (set PMK)" >&2; exit 2; }
W=$(mktemp -d "${TMPDIR:-/tmp}/pmk-examples-XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT

# Split README into $W/cmd.N (the command) and $W/want.N (what it printed).
awk -v W="$W" '
    function flush() { if (n) close(W "/want." n) }
    /^    \$ / {
        flush(); n++; c = substr($0, 7); cmdf = W "/cmd." n
        while (c ~ /\\$/ && (getline nx) > 0) { sub(/\\$/, "", c); sub(/^ +/, "", nx); c = c " " nx }
        print c > cmdf; close(cmdf); printf "" > (W "/want." n); inblk = 1; next }
    inblk && /^    / { print substr($0, 5) > (W "/want." n); next }
    { inblk = 0 }
    END { flush(); print n + 0 > (W "/count") }' "$readme"
count=$(cat "$W/count")
[ "$count" -gt 0 ] || { echo "examples.sh: no examples found in $readme" >&2; exit 1; }

PMK_PROGRESS_INTERVAL=1000000
export PMK_PROGRESS_INTERVAL
d="$W/run"
mkdir "$d"
ln -s "$data" "$d/data"
if [ -n "${PMK_EXAMPLES:-}" ]; then
    for p in "$PMK_EXAMPLES"/*; do
        [ -f "$p" ] && [ -x "$p" ] || continue
        printf '#!/bin/sh\nexec "%s" "$@"\n' "$p" >"$d/$(basename "$p")"
        chmod +x "$d/$(basename "$p")"
    done
fi
fails=0 ran=0 skipped=0
i=1
while [ "$i" -le "$count" ]; do
    cmd=$(cat "$W/cmd.$i")
    missing=""
    for f in $cmd; do
        case $f in /usr/share/*) [ -e "$f" ] || missing="no $f" ;; esac
    done
    case $cmd in
    "cc "*)
        if [ -n "${PMK_EXAMPLES:-}" ] || ! pkg-config --exists pmk 2>/dev/null; then
            missing="compiling needs an installed pmk.pc; PMK_EXAMPLES has the programs"
        fi ;;
    esac
    if [ -n "$missing" ]; then
        echo "examples.sh: skipped ($missing): \$ $cmd"
        skipped=$((skipped + 1)); i=$((i + 1)); continue
    fi
    (cd "$d" && sh -c "$cmd") >"$W/got.$i" 2>&1 || true
    ran=$((ran + 1))
    if [ "$check" -eq 0 ]; then
        echo "\$ $cmd"
        cat "$W/got.$i"
        echo
    else
        rel=0
        case $cmd in *"pmk rbm "*) rel=0.01 ;; esac
        if ! awk -v rel="$rel" -v got="$W/got.$i" -v cmd="$cmd" '
            function isnum(t) { return t ~ /^\(?[-+]?[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?[%),:]*$/ }
            function val(t) { gsub(/^\(|[%),:]+$/, "", t); return t + 0 }
            function decs(t) { gsub(/^\(|[%),:]+$/, "", t); if (t ~ /[eE]/) return 17
                               return index(t, ".") ? length(t) - index(t, ".") : 0 }
            function same(w, g,    nw, ng, a, b, k, tol, r) {
                nw = split(w, a, /[ \t]+/); ng = split(g, b, /[ \t]+/)
                if (nw != ng) return 0
                r = (rel > 0 || (cmd ~ /pmk demo/ && w ~ /^rbm:/)) ? 0.01 : 0
                for (k = 1; k <= nw; k++) {
                    if (a[k] == b[k]) continue
                    if (!isnum(a[k]) || !isnum(b[k])) return 0
                    if (k < nw && (a[k + 1] == "s" || a[k + 1] == "s)")) continue
                    tol = 0.5 * 10 ^ (-decs(a[k])) + 1e-12
                    if (r * (val(a[k]) < 0 ? -val(a[k]) : val(a[k])) > tol)
                        tol = r * (val(a[k]) < 0 ? -val(a[k]) : val(a[k]))
                    if ((val(a[k]) - val(b[k]) > tol) || (val(b[k]) - val(a[k]) > tol)) return 0
                }
                return 1
            }
            BEGIN { ng = 0; while ((getline l < got) > 0) G[++ng] = l; gi = 1 }
            { sub(/^ +/, ""); sub(/ +$/, "") }
            $0 == "..." { skip = 1; next }
            {
                while (gi <= ng) {
                    g = G[gi]; sub(/^ +/, "", g); sub(/ +$/, "", g); gi++
                    if (same($0, g)) { skip = 0; next }
                    # a progress line that README does not show: it appears
                    # only when a step takes over a second (it ends in "N s")
                    if (g ~ /[0-9] s\)?$/) continue
                    if (!skip) break
                }
                printf "examples.sh: $ %s\n  README:  %s\n  printed: %s\n", cmd, $0, (gi - 1 <= ng && !skip) ? G[gi - 1] : "(nothing that matches)"
                bad = 1; exit 1
            }
            END { exit bad }' "$W/want.$i"; then
            fails=$((fails + 1))
            echo "examples.sh: what it printed:"; sed 's/^/    /' "$W/got.$i"
        fi
    fi
    i=$((i + 1))
done
if [ "$check" -eq 1 ]; then
    echo "examples.sh: $ran examples run, $((ran - fails)) agree with README, $fails differ, $skipped skipped"
    [ "$fails" -eq 0 ]
fi
