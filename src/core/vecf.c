/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* vecf.c: the RBM trainer's row kernels on 16-float vectors (vecf_internal.h),
 * built once per vector level from vecf_body.h: AVX-512F and AVX2 through
 * GCC/Clang target attributes on x86-64, plain C vectors everywhere.  The
 * caller picks the level (vecf_level, once); no state, no globals.
 *
 * Per row of k entries (k = H = 500 or D = 784 in the trainer): sigmoid,
 * sigmoid + Bernoulli draw, sigmoid + squared error, or draw, all in one
 * pass while the row is in cache.  Fused multiply-adds are off in this file:
 * AVX-512F implies FMA, and a contracted a * b + c rounds once where the
 * other levels round twice. */
#include "config.h"

#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
/* 64-byte vectors are passed only to always-inline helpers: no ABI issue */
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

#include <string.h>

#include "core/vecf_internal.h"

#define VF(name) name##_generic
#define VF_ATTR
#define VW 4
#include "core/vecf_body.h"
#undef VF
#undef VF_ATTR
#undef VW

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define VECF_X86 1
#define VF(name) name##_avx2
#define VF_ATTR __attribute__((target("avx2")))
#define VW 8
#include "core/vecf_body.h"
#undef VF
#undef VF_ATTR
#undef VW
#define VF(name) name##_avx512
#define VF_ATTR __attribute__((target("avx512f")))
#define VW 16
#include "core/vecf_body.h"
#undef VF
#undef VF_ATTR
#undef VW
#endif

int vecf_level(void)
{
#ifdef VECF_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f"))
        return VECF_AVX512;
    if (__builtin_cpu_supports("avx2"))
        return VECF_AVX2;
#endif
    return VECF_GENERIC;
}

void vecf_xo16_seed(vecf_xo16 *x, const uint32_t w[64])
{
    for (int l = 0; l < 16; l++) {
        const uint32_t *q = w + 4 * l;
        for (int i = 0; i < 4; i++)
            x->s[i][l] = q[i];
        if (!(q[0] | q[1] | q[2] | q[3]))
            x->s[0][l] = 1u;
    }
}

/* Calls the level's kernel: @p lvl above what was built falls to the widest
 * built (a level is only ever asked for when vecf_level gave it). */
#ifdef VECF_X86
#define DISPATCH(lvl, f, ...)                                                                    \
    ((lvl) >= VECF_AVX512 ? f##_avx512(__VA_ARGS__)                                              \
     : (lvl) == VECF_AVX2 ? f##_avx2(__VA_ARGS__)                                                \
                          : f##_generic(__VA_ARGS__))
#else
#define DISPATCH(lvl, f, ...) ((void)(lvl), f##_generic(__VA_ARGS__))
#endif

void vecf_exp(int lvl, const float *x, float *y, size_t k) { DISPATCH(lvl, exp_row, x, y, k); }

void vecf_sigmoid(int lvl, float *y, const float *c, size_t k)
{
    DISPATCH(lvl, sigmoid_row, y, c, k);
}

float vecf_sigmoid_sqerr(int lvl, float *y, const float *c, const float *v, size_t k)
{
    return DISPATCH(lvl, sigmoid_sqerr_row, y, c, v, k);
}

void vecf_bernoulli(int lvl, const float *p, float *s, size_t k, vecf_xo16 *x)
{
    DISPATCH(lvl, bernoulli_row, p, s, k, x);
}

void vecf_sigmoid_draw(int lvl, float *y, const float *c, float *s, size_t k, vecf_xo16 *x)
{
    DISPATCH(lvl, sigmoid_draw_row, y, c, s, k, x);
}

void vecf_axpby(int lvl, float *a, const float *b, float ca, float cb, size_t k)
{
    DISPATCH(lvl, axpby, a, b, ca, cb, k);
}

void vecf_col_sums(int lvl, const float *Y, size_t ld, size_t n, size_t k, float *out)
{
    DISPATCH(lvl, col_sums, Y, ld, n, k, out);
}
