/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* vecf_internal.h: single-precision row kernels of the RBM trainer on 16-float
 * vectors (vecf.c): the logistic sigmoid with a bias, fused with a Bernoulli
 * draw or a squared error, and Bernoulli draws from 16 xoshiro128** lanes.
 * Each kernel takes the vector level to run at (vecf_level: AVX-512F, AVX2 or
 * plain C vectors); every level computes the same bits, operation for
 * operation (no fused multiply-add), so a model does not depend on the CPU's
 * vector width.  Not exported. */
#ifndef PMK_VECF_INTERNAL_H
#define PMK_VECF_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* Vector levels: generic C vectors (SSE2 on x86-64), AVX2, AVX-512F. */
enum { VECF_GENERIC = 0, VECF_AVX2 = 1, VECF_AVX512 = 2 };

/* The widest level this CPU (and its OS) runs: VECF_GENERIC off x86-64. */
int vecf_level(void);

/* Sixteen xoshiro128** generators (Blackman & Vigna 2018), one per lane:
 * s[w][l] is state word w of lane l.  Draw q of a row gives the row's
 * entries 16 q .. 16 q + 15, entry j from lane j mod 16. */
typedef struct vecf_xo16 {
    uint32_t s[4][16];
} vecf_xo16;

/* *x <- the 16 lanes from the 64 words @p w (lane l: w[4l .. 4l+3]); a lane
 * whose four words are all zero (xoshiro's fixed point) gets s0 = 1. */
void vecf_xo16_seed(vecf_xo16 *x, const uint32_t w[64]);

/* y[0..k) <- e^x[0..k): x = n ln2 + r, |r| <= ln2 / 2, e^r by Cephes' expf
 * polynomial, 2^n through the exponent bits; x clamped to [-87, 88].
 * Relative error below 2^-22 over [-87, 88] (Check `vecf`). */
void vecf_exp(int lvl, const float *x, float *y, size_t k);

/* y[0..k) <- sigmoid(y + c) = 1 / (1 + e^-(y + c)). */
void vecf_sigmoid(int lvl, float *y, const float *c, size_t k);

/* y[0..k) <- sigmoid(y + c), and returns sum_j (v_j - y_j)^2 (16 running
 * lane sums, added in a fixed order). */
float vecf_sigmoid_sqerr(int lvl, float *y, const float *c, const float *v, size_t k);

/* s[0..k) <- 1 where u_j < p_j, else 0: u_j = (top 24 bits of lane j mod 16
 * of draw j / 16) / 2^24, uniform on [0, 1), so P(s_j = 1) = ceil(2^24 p_j) /
 * 2^24 for p_j in [0, 1]. */
void vecf_bernoulli(int lvl, const float *p, float *s, size_t k, vecf_xo16 *x);

/* y <- sigmoid(y + c), then s ~ Bernoulli(y) as vecf_bernoulli, in one pass. */
void vecf_sigmoid_draw(int lvl, float *y, const float *c, float *s, size_t k, vecf_xo16 *x);

/* a[0..k) <- ca a + cb b (two products and a sum, rounded each): the
 * update's momentum and decay, dW <- mu dW + (-eps lambda) W, and its step,
 * W <- 1 W + 1 dW (exactly W + dW). */
void vecf_axpby(int lvl, float *a, const float *b, float ca, float cb, size_t k);

/* out[j] <- sum over rows r = 0..n-1 in order of Y[r ld + j], j in [0, k):
 * column sums of n rows ld apart. */
void vecf_col_sums(int lvl, const float *Y, size_t ld, size_t n, size_t k, float *out);

#endif
