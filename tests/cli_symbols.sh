#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_symbols.sh: the shared libpmk exports pmk_-prefixed symbols and nothing else.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
so=$(ls "$PMK_TOP_BUILDDIR"/src/.libs/libpmk.so.* 2>/dev/null | head -n 1)
[ -n "$so" ] || { echo "no shared libpmk built: skipped"; exit 77; }
command -v nm >/dev/null || { echo "no nm: skipped"; exit 77; }
nm -D --defined-only "$so" | awk 'NF == 3 { print $3 }' | sed 's/@.*//' >"$T/syms"
[ -s "$T/syms" ] || fail "no exported symbols found in $so"
grep -q '^pmk_rng_alloc$' "$T/syms" || fail "pmk_rng_alloc is not exported"
grep -q '^pmk_logsumexp$' "$T/syms" || fail "pmk_logsumexp is not exported"
if grep -v '^pmk_' "$T/syms" >"$T/bad"; then
    fail "symbols without the pmk_ prefix are exported: $(tr '\n' ' ' <"$T/bad")"
fi
echo "$(wc -l <"$T/syms") symbols, all pmk_-prefixed"
