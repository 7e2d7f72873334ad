#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_globals.sh: libpmk keeps no mutable global state (thread safety, see
# doc/reliability.md): the shared library has no object of its own in .data,
# .bss or thread-local sections.  Allowed: the C runtime's (completed.0,
# __dso_handle, __TMC_END__) and libgcc's CPU-feature cache (__cpu_model,
# __cpu_features2), which __builtin_cpu_supports fills once at load time,
# and the CBLAS choice (blas_choice, blas_once in src/core/blas.c), written
# once under pthread_once at the first matrix product and read-only after,
# and the same for cairo (cairo_state, cairo_once in src/plot/plot_cairo.c)
# at the first figure.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
set -e
so="$PMK_TOP_BUILDDIR/src/.libs/libpmk.so"
command -v objdump >/dev/null || { echo "objdump not found: skipped"; exit 77; }
[ -f "$so" ] || { echo "no shared library (--disable-shared?): skipped"; exit 77; }
objdump -t "$so" | awk '($4 == ".data" || $4 == ".bss" || $4 == ".tdata" || $4 == ".tbss") && $3 == "O" { print $NF }' \
    | grep -v -x -e completed.0 -e __dso_handle -e __TMC_END__ -e __cpu_model -e __cpu_features2 \
    -e blas_choice -e blas_once -e cairo_state -e cairo_once \
    >"$T/globals" || true
[ ! -s "$T/globals" ] || fail "writable global objects in libpmk: $(tr '\n' ' ' <"$T/globals")"
# the check can fail: a library with a writable static has one
printf 'int pmk_counter_demo;\nint pmk_bump(void) { return ++pmk_counter_demo; }\n' >"$T/g.c"
if cc -shared -fPIC -o "$T/g.so" "$T/g.c" 2>/dev/null; then
    objdump -t "$T/g.so" | awk '$4 == ".bss" && $3 == "O" { print $NF }' | grep -q -x pmk_counter_demo \
        || fail "the objdump filter does not see a writable global"
fi
echo "globals: none"
