/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_vecf.c: the RBM trainer's vector row kernels (src/core/vecf.c): exp
 * and sigmoid against double precision over a grid, the same bits at every
 * vector level this CPU runs, the Bernoulli draws' frequencies against a
 * binomial bound, and the kernels' tails. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_pmk.h"
#include "core/vecf_internal.h"

/* Row lengths: every tail 0..15 and the trainer's H and D. */
static const size_t lens[] = {1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 23, 31, 32, 33, 47, 500, 784};

static void fill_uniform(float *x, size_t n, float lo, float hi, unsigned *s)
{
    for (size_t i = 0; i < n; i++) {
        *s = *s * 1664525u + 1013904223u;
        x[i] = lo + (hi - lo) * (float)(*s >> 8) * 0x1p-24f;
    }
}

static void seed16(vecf_xo16 *x, uint32_t salt)
{
    uint32_t w[64];
    for (int i = 0; i < 64; i++)
        w[i] = (uint32_t)(i + 1) * 2654435761u ^ salt;
    vecf_xo16_seed(x, w);
}

/* e^x within 1e-7 relative (0.84 ulp of float; Cephes' expf measures 8e-8
 * here) of exp() in double, at 175,001 points of [-87, 88], every level. */
START_TEST(test_exp_error)
{
    enum { K = 1001 };
    float x[K], y[K];
    for (int lvl = 0; lvl <= vecf_level(); lvl++) {
        double worst = 0.0;
        for (int b = 0; b < 175; b++) {
            for (int i = 0; i < K; i++)
                x[i] = (float)(-87.0 + b + i * 1e-3);
            vecf_exp(lvl, x, y, K);
            for (int i = 0; i < K; i++) {
                double e = exp((double)x[i]), r = fabs((double)y[i] - e) / e;
                worst = r > worst ? r : worst;
            }
        }
        ck_assert_msg(worst < 1e-7, "level %d: exp's relative error %g", lvl, worst);
    }
}
END_TEST

/* sigmoid(x + c) within 2.5e-7 relative of 1 / (1 + e^-(x + c)) in double
 * over [-80, 80] (exp's 1e-7, then the sum's and the quotient's roundings,
 * 6e-8 each), exactly 1/2 at 0 and 1 above 17 (e^-x below half an ulp of
 * 1); a NaN stays NaN, so a diverged model shows. */
START_TEST(test_sigmoid_error)
{
    enum { K = 1601 };
    float y[K], c[K];
    for (int lvl = 0; lvl <= vecf_level(); lvl++) {
        double worst = 0.0;
        for (int i = 0; i < K; i++) {
            y[i] = (float)(-80.0 + i * 0.1) - 0.25f;
            c[i] = 0.25f;
        }
        vecf_sigmoid(lvl, y, c, K);
        for (int i = 0; i < K; i++) {
            double x = (double)((float)(-80.0 + i * 0.1) - 0.25f) + 0.25;
            double s = 1.0 / (1.0 + exp(-x)), r = fabs((double)y[i] - s) / s;
            worst = r > worst ? r : worst;
        }
        ck_assert_msg(worst < 2.5e-7, "level %d: sigmoid's relative error %g", lvl, worst);
        float z[3] = {0.0f, 17.5f, NAN}, zc[3] = {0.0f, 0.0f, 0.0f};
        vecf_sigmoid(lvl, z, zc, 3);
        ck_assert(z[0] == 0.5f);
        ck_assert(z[1] == 1.0f);
        ck_assert(isnan(z[2]));
    }
}
END_TEST

/* Every kernel at every level this CPU runs gives the bits of the plain C
 * vectors' (level 0), for every tail length. */
START_TEST(test_levels_agree)
{
    const size_t kmax = 784, n = 5;
    unsigned s = 7;
    float *y0 = malloc(n * kmax * sizeof(float)), *c = malloc(kmax * sizeof(float));
    float *v = malloc(kmax * sizeof(float)), *y[3], *b[3], *w[3], *dw[3], e[3], sums[3][784];
    fill_uniform(y0, n * kmax, -6.0f, 6.0f, &s);
    fill_uniform(c, kmax, -1.0f, 1.0f, &s);
    fill_uniform(v, kmax, 0.0f, 1.0f, &s);
    for (int l = 0; l < 3; l++) {
        y[l] = malloc(kmax * sizeof(float));
        b[l] = malloc(kmax * sizeof(float));
        w[l] = malloc(kmax * sizeof(float));
        dw[l] = malloc(kmax * sizeof(float));
    }
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        size_t k = lens[li];
        for (int lvl = 0; lvl <= vecf_level(); lvl++) {
            vecf_xo16 x;
            seed16(&x, 99);
            memcpy(y[lvl], y0, k * sizeof(float));
            vecf_sigmoid_draw(lvl, y[lvl], c, b[lvl], k, &x);
            vecf_bernoulli(lvl, y[lvl], b[lvl], k, &x);   /* the stream goes on */
            e[lvl] = vecf_sigmoid_sqerr(lvl, y[lvl], c, v, k);
            memcpy(w[lvl], y0, k * sizeof(float));
            memcpy(dw[lvl], y0 + kmax, k * sizeof(float));
            vecf_axpby(lvl, dw[lvl], w[lvl], 0.9f, -0.01f, k);
            vecf_axpby(lvl, w[lvl], dw[lvl], 1.0f, 1.0f, k);
            vecf_col_sums(lvl, y0, kmax, n, k, sums[lvl]);
            if (lvl == 0)
                continue;
            ck_assert_msg(!memcmp(y[lvl], y[0], k * sizeof(float)), "level %d, k %zu", lvl, k);
            ck_assert_msg(!memcmp(b[lvl], b[0], k * sizeof(float)), "level %d, k %zu", lvl, k);
            ck_assert_msg(!memcmp(&e[lvl], &e[0], sizeof e[0]), "level %d, k %zu", lvl, k);
            ck_assert(!memcmp(w[lvl], w[0], k * sizeof(float)));
            ck_assert(!memcmp(dw[lvl], dw[0], k * sizeof(float)));
            ck_assert(!memcmp(sums[lvl], sums[0], k * sizeof(float)));
        }
        /* the values: draws are 0 or 1, the step and the sums as written */
        for (size_t j = 0; j < k; j++) {
            ck_assert(b[0][j] == 0.0f || b[0][j] == 1.0f);
            volatile float m = 0.9f * y0[kmax + j];   /* no contraction into an FMA */
            float d = m - 0.01f * y0[j];
            ck_assert(dw[0][j] == d && w[0][j] == y0[j] + d);
            float a = 0.0f;
            for (size_t r = 0; r < n; r++)
                a += y0[r * kmax + j];
            ck_assert(sums[0][j] == a);
        }
    }
    for (int l = 0; l < 3; l++)
        free(y[l]), free(b[l]), free(w[l]), free(dw[l]);
    free(y0), free(c), free(v);
}
END_TEST

/* The squared error counts the k entries only, not the padding of the last
 * chunk: v = the sigmoid itself gives exactly 0, and one entry off by d
 * gives d^2. */
START_TEST(test_sqerr_tail)
{
    for (size_t li = 0; li < sizeof lens / sizeof lens[0]; li++) {
        size_t k = lens[li];
        float y[784], c[784], p[784];
        for (size_t j = 0; j < k; j++)
            y[j] = (float)j * 0.01f - 1.0f, c[j] = 0.5f;
        memcpy(p, y, k * sizeof(float));
        vecf_sigmoid(0, p, c, k);
        for (int lvl = 0; lvl <= vecf_level(); lvl++) {
            float q[784];
            memcpy(q, y, k * sizeof(float));
            ck_assert(vecf_sigmoid_sqerr(lvl, q, c, p, k) == 0.0f);
            ck_assert(!memcmp(q, p, k * sizeof(float)));
            float v[784];
            memcpy(v, p, k * sizeof(float));
            v[k - 1] += 0.25f;   /* 0.25 added to a value in (0, 1): exact */
            memcpy(q, y, k * sizeof(float));
            float e = vecf_sigmoid_sqerr(lvl, q, c, v, k);
            ck_assert_msg(fabsf(e - 0.0625f) < 1e-7f, "k %zu: %g", k, e);
        }
    }
}
END_TEST

/* P(s = 1) = p: over 16 x 25,000 = 400,000 draws a probability, the count
 * lies within 5 binomial standard deviations of N p (a false alarm about
 * once in 1.7 million), in all and in each of the 16 lanes (25,000 each);
 * p = 0 never gives 1 and p = 1 always does. */
START_TEST(test_bernoulli_frequencies)
{
    const float ps[] = {0.0f, 0.001f, 0.1f, 0.3f, 0.5f, 0.77f, 0.999f, 1.0f};
    enum { K = 500, ROWS = 800 };   /* 800 rows of 500 = 16 lanes x 25,000 */
    float *p = malloc(K * sizeof(float)), *s = malloc(K * sizeof(float));
    for (int lvl = 0; lvl <= vecf_level(); lvl++)
        for (size_t i = 0; i < sizeof ps / sizeof ps[0]; i++) {
            double lane[16] = {0}, all = 0.0;
            vecf_xo16 x;
            seed16(&x, (uint32_t)i);
            for (size_t j = 0; j < K; j++)
                p[j] = ps[i];
            for (int r = 0; r < ROWS; r++) {
                vecf_bernoulli(lvl, p, s, K, &x);
                for (size_t j = 0; j < K; j++) {
                    lane[j % 16] += s[j];
                    all += s[j];
                }
            }
            double N = (double)K * ROWS, q = ps[i];
            if (q == 0.0 || q == 1.0) {
                ck_assert(all == N * q);
                continue;
            }
            ck_assert_msg(fabs(all - N * q) <= 5 * sqrt(N * q * (1 - q)), "p %g: %g of %g", q,
                          all, N);
            /* lane l holds the entries j = l mod 16 of every row: 32 a row for
             * l < 500 mod 16 = 4, else 31 */
            for (int l = 0; l < 16; l++) {
                double n = (double)ROWS * (l < K % 16 ? K / 16 + 1 : K / 16);
                ck_assert_msg(fabs(lane[l] - n * q) <= 5 * sqrt(n * q * (1 - q)),
                              "p %g lane %d: %g of %g", q, l, lane[l], n);
            }
        }
    free(p);
    free(s);
}
END_TEST

/* A lane seeded with four zero words (xoshiro's fixed point, which would
 * draw 0 for ever) starts from s0 = 1 instead; the others keep their words. */
START_TEST(test_seed_zero_lane)
{
    uint32_t w[64];
    for (int i = 0; i < 64; i++)
        w[i] = i < 4 ? 0u : (uint32_t)i;
    vecf_xo16 x;
    vecf_xo16_seed(&x, w);
    ck_assert_uint_eq(x.s[0][0], 1u);
    ck_assert_uint_eq(x.s[1][0] | x.s[2][0] | x.s[3][0], 0u);
    ck_assert_uint_eq(x.s[0][1], 4u);
    ck_assert_uint_eq(x.s[3][15], 63u);
    float p[16], s[16];
    for (int j = 0; j < 16; j++)
        p[j] = 0.5f;
    double ones = 0.0;
    for (int r = 0; r < 64; r++) {
        vecf_bernoulli(0, p, s, 16, &x);
        ones += s[0];
    }
    ck_assert(ones > 0.0 && ones < 64.0);   /* lane 0 draws: 2^-63 to fail */
}
END_TEST

Suite *suite_vecf(void)
{
    Suite *s = suite_create("vecf");
    TCase *tc = tcase_create("kernels");
    tcase_add_test(tc, test_exp_error);
    tcase_add_test(tc, test_sigmoid_error);
    tcase_add_test(tc, test_levels_agree);
    tcase_add_test(tc, test_sqerr_tail);
    tcase_add_test(tc, test_bernoulli_frequencies);
    tcase_add_test(tc, test_seed_zero_lane);
    suite_add_tcase(s, tc);
    return s;
}
