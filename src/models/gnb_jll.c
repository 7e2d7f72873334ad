/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_jll.c: the joint log-likelihood sums of a diagonal Gaussian classifier
 * with few classes (K <= GNB_JLL_KMAX), in pmk's own kernel rather than a
 * GEMM: opening OpenBLAS (about 10 ms of relocations, while the other
 * threads wait) and packing its operands cost more than the sums for the
 * usual K of 2 to 20.  Built once per vector level from gnb_jll_body.h, as
 * vecf.c is: AVX-512F and AVX2 through target attributes on x86-64, plain C
 * vectors everywhere.  Lanes are classes, so a vector holds the same sum
 * for a row at any width; the sum over d has one fixed order; contraction is
 * off (AVX-512F implies FMA): every level gives the same bits. */
#include "config.h"

#include <string.h>

/* one rounding a multiply and one an add, whatever the level */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("fp-contract=off")
#pragma GCC diagnostic ignored "-Wpsabi"   /* 64-byte vectors stay inside the kernel */
#elif defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

#include "core/vecf_internal.h"
#include "models/gnb_jll_internal.h"

#define VD(name) name##_generic
#define VD_ATTR
#define VW 4
#include "models/gnb_jll_body.h"
#undef VD
#undef VD_ATTR
#undef VW

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define GNB_JLL_X86 1
#define VD(name) name##_avx2
#define VD_ATTR __attribute__((target("avx2")))
#define VW 4
#include "models/gnb_jll_body.h"
#undef VD
#undef VD_ATTR
#undef VW
#define VD(name) name##_avx512
#define VD_ATTR __attribute__((target("avx512f")))
#define VW 8
#include "models/gnb_jll_body.h"
#undef VD
#undef VD_ATTR
#undef VW
#endif

void gnb_jll_small(int lvl, const double *X, size_t B, size_t D, const double *Wt,
                   const double *Pt, size_t Kp, double *A, double *Q)
{
#ifdef GNB_JLL_X86
    if (lvl >= VECF_AVX512)
        jll_rows_avx512(X, B, D, Wt, Pt, Kp, A, Q);
    else if (lvl == VECF_AVX2)
        jll_rows_avx2(X, B, D, Wt, Pt, Kp, A, Q);
    else
#endif
        jll_rows_generic(X, B, D, Wt, Pt, Kp, A, Q);
    (void)lvl;
}
