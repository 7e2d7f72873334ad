#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_blas.sh: the CBLAS behind pmk's GEMMs is chosen when a GEMM is first
# needed (src/core/blas.c).  A command that does no BLAS never opens OpenBLAS
# (so it neither pays for loading it nor starts its threads); the RBM, which
# has GEMMs, opens it when pmk was configured with it; PMK_CBLAS=gslcblas keeps
# GSL's reference CBLAS, whose models agree with OpenBLAS's to rounding.
# cairo is opened the same way, by the first figure drawn.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
cd "$T"

# opened LOG: did the dynamic loader open libopenblas (LD_DEBUG=files)?
opened() { grep -q 'file=libopenblas' "$1"; }

expect_ok "$PMK" --version
cblas=$(sed -n 's/.*CBLAS: \([a-z]*\),.*/\1/p' "$T/out")
[ "$cblas" = openblas ] || [ "$cblas" = gslcblas ] || fail "--version names CBLAS '$cblas'"

# No BLAS: ising, convert, and gnb with a diagonal variance and few classes
# (K <= 32: pmk's own kernel, src/models/gnb_jll.c), its fit's training pass
# included, on one thread and on two.
"$PMK" gnb fit -q "$FIX/gnb-tiny-train.csv" -o m.gnb 2>log || { cat log >&2; fail "gnb fit"; }
for cmd in "ising denoise $FIX/ising-y.pbm -o d.pbm" \
           "ising noise --seed 1 --flip 0.1 $FIX/ising-y.pbm -o n.pbm" \
           "convert $FIX/gnb-tiny-train.csv -o t.idx" \
           "gnb fit --threads 2 $FIX/gnb-tiny-train.csv -o f.gnb" \
           "gnb fit --variance class $FIX/gnb-tiny-train.csv -o c.gnb" \
           "gnb eval --threads 2 m.gnb $FIX/gnb-tiny-test.csv" \
           "gnb predict m.gnb $FIX/gnb-tiny-test.csv -o p.txt"; do
    # shellcheck disable=SC2086
    LD_DEBUG=files "$PMK" -q $cmd >out 2>log || { cat log >&2; fail "$cmd failed"; }
    ! opened log || fail "pmk $cmd opened OpenBLAS without a GEMM to do"
done

# cairo likewise (src/plot/plot_cairo.c): opened by the first figure only.
# Those commands neither map it nor its X11/fontconfig/freetype libraries.
drew() { grep -q 'file=libcairo' "$1"; }
for cmd in "gnb eval m.gnb $FIX/gnb-tiny-test.csv" "ising denoise $FIX/ising-y.pbm -o e.pbm" \
           "gnb show --shape 1x2 m.gnb -o s.png"; do
    # shellcheck disable=SC2086
    LD_DEBUG=files "$PMK" -q $cmd >out 2>log || { cat log >&2; fail "$cmd failed"; }
    ! drew log || fail "pmk $cmd opened cairo without a figure to draw"
done
LD_DEBUG=files "$PMK" -q gnb eval m.gnb "$FIX/gnb-tiny-test.csv" --confusion-png c.png \
    >out 2>log || { cat log >&2; fail "gnb eval --confusion-png failed"; }
drew log || fail "gnb eval --confusion-png drew without opening cairo"
[ "$(od -An -tx1 -N8 c.png | tr -d ' ')" = 89504e470d0a1a0a ] || fail "c.png is not a PNG"

# The RBM's GEMMs open it (when pmk has it), and PMK_CBLAS=gslcblas does not.
LD_DEBUG=files "$PMK" rbm train -q --hidden 4 --epochs 3 --seed 7 "$FIX/rbm-bars.csv" \
    -o o.rbm >out 2>log || { cat log >&2; fail "rbm train failed"; }
if [ "$cblas" = openblas ]; then
    opened log || fail "rbm train did not open OpenBLAS"
fi
PMK_CBLAS=gslcblas LD_DEBUG=files "$PMK" rbm train -q --hidden 4 --epochs 3 --seed 7 \
    "$FIX/rbm-bars.csv" -o g.rbm >out 2>log || { cat log >&2; fail "rbm train (gslcblas) failed"; }
! opened log || fail "PMK_CBLAS=gslcblas still opened OpenBLAS"
expect_ok env PMK_CBLAS=gslcblas "$PMK" --version
grep -q 'CBLAS: gslcblas,' "$T/out" || fail "PMK_CBLAS=gslcblas: --version says $(cat "$T/out")"

# Both CBLAS give one model to rounding: the trainer's GEMMs are in single
# precision and the two sum in different orders, so parameters differ by a
# few float ulps (about 1e-8 here); 1e-6 leaves a margin of 100 and would
# catch any wrong product.  (A sampled unit flips only if p(h|v) lies within
# that rounding of its uniform draw.)
expect_ok "$PMK" rbm export o.rbm o
expect_ok "$PMK" rbm export g.rbm g
for f in W b a; do
    paste -d, "o/$f.csv" "g/$f.csv" | awk -F, -v f="$f" '
        NR > 1 { n = NF / 2; for (i = 1; i <= n; i++) { d = $i - $(i + n); if (d < 0) d = -d;
                 if (d > m) m = d } }
        END { if (m > 1e-6) { printf "%s differs by %g\n", f, m; exit 1 } }' ||
        fail "the OpenBLAS and gslcblas models differ beyond rounding"
done

# OpenBLAS starts a pool of threads when it is loaded (OPENBLAS_NUM_THREADS
# of them, else one per core), and idle they spin in sched_yield; pmk runs
# OpenBLAS on one thread, so pmk sets the variable to 1 before any GEMM: a
# one-thread command that opens OpenBLAS starts no thread at all, whatever
# the caller's environment says (strace: no clone with CLONE_THREAD).
if [ "$cblas" = openblas ] && command -v strace >/dev/null 2>&1 &&
    strace -f -o /dev/null true 2>/dev/null; then
    # (LeakSanitizer stops the process with ptrace at exit, which strace holds)
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    OPENBLAS_NUM_THREADS=4 strace -f -e trace=clone,clone3 -o trace.txt \
        "$PMK" rbm train -q --threads 1 --hidden 4 --epochs 1 --seed 7 "$FIX/rbm-bars.csv" \
        -o s.rbm >out 2>log || { cat log >&2; fail "rbm train under strace failed"; }
    ! grep -q CLONE_THREAD trace.txt || fail "a one-thread rbm train started threads: $(grep CLONE_THREAD trace.txt | head -3)"
fi
