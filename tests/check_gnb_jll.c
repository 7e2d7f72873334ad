/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_gnb_jll.c: the small-K joint log-likelihood kernel (src/models/gnb_jll.c)
 * against long double sums with the bound of recursive summation, the same
 * bits at every vector level this CPU runs and for any grouping of rows, and
 * models on either side of GNB_JLL_KMAX (the kernel, the GEMMs) against the
 * definition. */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_gnb.h"
#include "core/core_internal.h"
#include "core/vecf_internal.h"
#include "models/gnb_jll_internal.h"

static double uni(unsigned *s)
{
    *s = *s * 1664525u + 1013904223u;
    return (double)(*s >> 8) * 0x1p-24 - 0.5;
}

/* Rows B = 9 (two groups of four and one alone), D = 1..37 and 784, K =
 * 1..GNB_JLL_KMAX: each A and Q entry within gamma_{D} sum_d |term_d| of the
 * exact sum (Higham, Accuracy and Stability, 2nd ed., eq. 4.4: recursive
 * summation of D rounded products, u = 2^-53, (D + 1) u for the product's
 * and the sums' roundings, Q's square one more u), the long double sum's own
 * error far below that. */
START_TEST(test_kernel_reference)
{
    static const size_t Ds[] = {1, 2, 3, 5, 8, 13, 37, 784};
    unsigned s = 7;
    for (size_t di = 0; di < sizeof Ds / sizeof *Ds; di++)
        for (size_t K = 1; K <= GNB_JLL_KMAX; K += K < 12 ? 1 : 7) {
            size_t D = Ds[di], B = 9, Kp = gnb_jll_kp(K);
            double *X = malloc(B * D * sizeof *X), *Wt = calloc(D * Kp, sizeof *Wt);
            double *Pt = calloc(D * Kp, sizeof *Pt), *A = malloc(B * Kp * sizeof *A);
            double *Q = malloc(B * Kp * sizeof *Q);
            for (size_t t = 0; t < B * D; t++)
                X[t] = 100 * uni(&s);
            for (size_t d = 0; d < D; d++)
                for (size_t k = 0; k < K; k++) {
                    Wt[d * Kp + k] = uni(&s) * 3;
                    Pt[d * Kp + k] = uni(&s) + 0.6;
                }
            gnb_jll_small(VECF_GENERIC, X, B, D, Wt, Pt, Kp, A, Q);
            for (size_t i = 0; i < B; i++)
                for (size_t k = 0; k < Kp; k++) {
                    long double a = 0, q = 0, aa = 0, qa = 0;
                    for (size_t d = 0; d < D; d++) {
                        long double x = X[i * D + d];
                        a += x * Wt[d * Kp + k];
                        q += x * x * Pt[d * Kp + k];
                        aa += fabsl(x * Wt[d * Kp + k]);
                        qa += fabsl(x * x * Pt[d * Kp + k]);
                    }
                    double g = (double)(D + 2) * 0x1p-53;
                    ck_assert_msg(fabsl(A[i * Kp + k] - a) <= g * aa, "A D %zu K %zu", D, K);
                    ck_assert_msg(fabsl(Q[i * Kp + k] - q) <= g * qa, "Q D %zu K %zu", D, K);
                    if (k >= K)   /* the padding lanes: zero weights give +0 */
                        ck_assert(A[i * Kp + k] == 0 && Q[i * Kp + k] == 0);
                }
            CORE_FREE(X, Wt, Pt, A, Q);
        }
}
END_TEST

/* Every level up to vecf_level()'s, every row alone and in groups, shared
 * mode (Pt NULL) too: memcmp-equal A and Q. */
START_TEST(test_kernel_same_bits)
{
    size_t D = 51, B = 11, K = 13, Kp = gnb_jll_kp(K);
    unsigned s = 99;
    double *X = malloc(B * D * sizeof *X), *Wt = calloc(D * Kp, sizeof *Wt);
    double *Pt = calloc(D * Kp, sizeof *Pt);
    double *A0 = malloc(B * Kp * sizeof *A0), *Q0 = malloc(B * Kp * sizeof *Q0);
    double *A = malloc(B * Kp * sizeof *A), *Q = malloc(B * Kp * sizeof *Q);
    for (size_t t = 0; t < B * D; t++)
        X[t] = 1e3 * uni(&s) + 1e-3 * uni(&s);
    for (size_t d = 0; d < D; d++)
        for (size_t k = 0; k < K; k++) {
            Wt[d * Kp + k] = uni(&s) * 1e2;
            Pt[d * Kp + k] = uni(&s) + 0.51;
        }
    gnb_jll_small(VECF_GENERIC, X, B, D, Wt, Pt, Kp, A0, Q0);
    for (int lvl = VECF_GENERIC; lvl <= vecf_level(); lvl++) {
        gnb_jll_small(lvl, X, B, D, Wt, Pt, Kp, A, Q);
        ck_assert_msg(!memcmp(A, A0, B * Kp * sizeof *A) && !memcmp(Q, Q0, B * Kp * sizeof *Q),
                      "level %d", lvl);
        for (size_t i = 0; i < B; i++) {   /* one row at a time */
            gnb_jll_small(lvl, X + i * D, 1, D, Wt, Pt, Kp, A + i * Kp, Q + i * Kp);
            ck_assert(!memcmp(A + i * Kp, A0 + i * Kp, Kp * sizeof *A));
            ck_assert(!memcmp(Q + i * Kp, Q0 + i * Kp, Kp * sizeof *Q));
        }
        memset(A, 0, B * Kp * sizeof *A);   /* shared mode: the same A, Q untouched */
        gnb_jll_small(lvl, X + 2 * D, 7, D, Wt, NULL, Kp, A, NULL);
        ck_assert(!memcmp(A, A0 + 2 * Kp, 7 * Kp * sizeof *A));
    }
    CORE_FREE(X, Wt, Pt, A0, Q0, A, Q);
}
END_TEST

/* log alpha_k + sum_d log N(s x_d; mu_kd, v_kd), in long double. */
static long double direct(const pmk_gnb *m, const double *x, size_t k)
{
    const gsl_matrix *mu = pmk_gnb_means(m), *v = pmk_gnb_variances(m);
    long double t = logl(gsl_vector_get(pmk_gnb_priors(m), k));
    for (size_t d = 0; d < pmk_gnb_nfeatures(m); d++) {
        long double vv = gsl_matrix_get(v, k, d), dx = x[d] - gsl_matrix_get(mu, k, d);
        t += -0.5L * logl(2 * M_PI * vv) - 0.5L * dx * dx / vv;
    }
    return t;
}

/* K = 32 (the kernel's largest) and 33 (the GEMMs), both variance modes:
 * J within 1e-12 relative of the definition (the shift keeps the three
 * terms' cancellation to a few digits: measured errors near 1e-15). */
START_TEST(test_models_either_side)
{
    for (size_t K = GNB_JLL_KMAX; K <= GNB_JLL_KMAX + 1; K++)
        for (int mode = 0; mode < 2; mode++) {
            long labs[GNB_JLL_KMAX + 1], *y;
            for (size_t k = 0; k <= GNB_JLL_KMAX; k++)
                labs[k] = (long)k;
            gsl_matrix *X = gnb_random_data(300, 9, labs, K, 2.0, &y, 5 + K + (size_t)mode);
            pmk_gnb_options o;
            pmk_gnb_options_init_default(&o);
            o.variance = mode ? PMK_GNB_VAR_CLASS : PMK_GNB_VAR_SHARED;
            pmk_gnb *m = pmk_gnb_fit(X, y, &o, NULL);
            ck_assert_ptr_nonnull(m);
            size_t Km = pmk_gnb_nclasses(m);
            gsl_matrix *J = gsl_matrix_alloc(300, Km);
            ck_assert_int_eq(pmk_gnb_joint_log_likelihood(m, X, J, NULL), PMK_OK);
            for (size_t i = 0; i < 300; i++)
                for (size_t k = 0; k < Km; k++) {
                    long double d = direct(m, gsl_matrix_const_ptr(X, i, 0), k);
                    ck_assert_msg(fabsl(gsl_matrix_get(J, i, k) - d) <= 1e-12L * fabsl(d),
                                  "K %zu mode %d row %zu class %zu", K, mode, i, k);
                }
            gsl_matrix_free(J);
            gsl_matrix_free(X);
            free(y);
            pmk_gnb_free(m);
        }
}
END_TEST

void suite_gnb_jll(Suite *s)
{
    TCase *t = tcase_create("jll_kernel");
    tcase_add_test(t, test_kernel_reference);
    tcase_add_test(t, test_kernel_same_bits);
    tcase_add_test(t, test_models_either_side);
    suite_add_tcase(s, t);
}
