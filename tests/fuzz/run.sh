#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# run.sh: builds the libFuzzer harnesses with clang (ASan + UBSan) and runs each
# for a bounded time.  Called by `make fuzz`; the environment carries:
#   srcdir builddir    source and build trees
#   FUZZ_SECONDS       seconds per harness [30]
#   FUZZ_TARGETS       harness names [csv idx image gnb rbm]
#   LIB_SOURCES        libpmk's .c files (relative to srcdir)
#   DEP_CFLAGS DEP_LIBS  GSL, zlib, libpng flags from configure
#   PMK_MAX_MEMORY     memory ceiling for the readers [200M]: below the 256 MB
#                      malloc limit, so that an allocation a file asks for is
#                      refused by pmk's checks; one that gets past them (an
#                      unchecked size from the input) trips libFuzzer's
#                      -malloc_limit_mb=256 or -rss_limit_mb=512 and counts as
#                      a crash
# Seeds come from tests/fuzz/corpus/<name>/ (committed) and data/; the working
# corpus grows under builddir/tests/fuzz/build/work/<name>/.  A crash stops the run
# with status 1 and its input saved as builddir/tests/fuzz/build/crash-<name>-*.
set -eu
: "${FUZZ_SECONDS:=30}"
: "${FUZZ_TARGETS:=csv idx image gnb rbm}"
CC_FUZZ=${CC_FUZZ:-clang}
command -v "$CC_FUZZ" >/dev/null || { echo "make fuzz: $CC_FUZZ not found (Debian: clang libclang-rt-14-dev)"; exit 1; }
out="$builddir/tests/fuzz/build"
mkdir -p "$out/obj"
flags="-g -O1 -std=c11 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
inc="-I$builddir -I$builddir/include -I$srcdir/include -I$srcdir/src"
objs=""
for s in $LIB_SOURCES; do
    o="$out/obj/$(echo "$s" | tr / _ | sed 's/\.c$/.o/')"
    if [ ! -f "$o" ] || [ "$srcdir/$s" -nt "$o" ]; then
        # shellcheck disable=SC2086
        $CC_FUZZ $flags $inc $DEP_CFLAGS -c "$srcdir/$s" -o "$o"
    fi
    objs="$objs $o"
done
status=0
for t in $FUZZ_TARGETS; do
    h="$srcdir/tests/fuzz/fuzz_$t.c"
    [ -f "$h" ] || { echo "make fuzz: no harness $h, skipped"; continue; }
    # shellcheck disable=SC2086
    $CC_FUZZ $flags -fsanitize=fuzzer $inc $DEP_CFLAGS "$h" $objs $DEP_LIBS -o "$out/fuzz_$t"
    work="$out/work/$t"
    mkdir -p "$work"
    seeds="$srcdir/tests/fuzz/corpus/$t"
    [ -d "$seeds" ] || seeds=""
    echo "make fuzz: fuzz_$t for ${FUZZ_SECONDS}s"
    if ! PMK_MAX_MEMORY=${PMK_MAX_MEMORY:-200M} ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 \
         "$out/fuzz_$t" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=512 -malloc_limit_mb=256 -timeout=10 \
            -max_len=65536 -artifact_prefix="$out/crash-$t-" -print_final_stats=1 \
            "$work" $seeds >"$out/fuzz_$t.log" 2>&1; then
        status=1
        echo "make fuzz: fuzz_$t FAILED; see $out/fuzz_$t.log"
        tail -n 40 "$out/fuzz_$t.log"
    fi
    grep -E '^stat::number_of_executed_units' "$out/fuzz_$t.log" | sed "s/^/  fuzz_$t /" || true
done
exit $status
