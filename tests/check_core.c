/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_core.c: status messages, the RNG wrapper and the numeric kernels. */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_pmk.h"
#include "pmk/pmk.h"

/* ---------------------------------------------------------------- status */

START_TEST(test_error_at_formats_position)
{
    pmk_error e;
    pmk_error_clear(&e);
    ck_assert_int_eq(pmk_error_at(&e, PMK_EFORMAT, "a.csv", 3, 7, "ragged row: %d fields", 4),
                     PMK_EFORMAT);
    ck_assert_str_eq(e.msg, "a.csv:3:7: ragged row: 4 fields");
    ck_assert_int_eq(e.line, 3);
    ck_assert_int_eq(e.column, 7);
    pmk_error_at(&e, PMK_EIO, "b.pbm", 2, 0, "short raster");
    ck_assert_str_eq(e.msg, "b.pbm:2: short raster");
    pmk_error_at(&e, PMK_EIO, "c", 0, 0, "gone");
    ck_assert_str_eq(e.msg, "c: gone");
    pmk_error_prefix(&e, "model");
    ck_assert_str_eq(e.msg, "model: c: gone");
    /* NULL error records are accepted and the code still comes back. */
    ck_assert_int_eq(pmk_error_set(NULL, PMK_ENOMEM, "x"), PMK_ENOMEM);
}
END_TEST

START_TEST(test_size_overflow)
{
    size_t out = 7;
    ck_assert_int_eq(pmk_size_mul(SIZE_MAX / 2 + 1, 2, &out), PMK_ELIMIT);
    ck_assert_uint_eq(out, 7);
    ck_assert_int_eq(pmk_size_mul(100000, 100000, &out), PMK_OK);
    ck_assert_uint_eq(out, 10000000000u);
    ck_assert_int_eq(pmk_size_add(SIZE_MAX, 1, &out), PMK_ELIMIT);
    ck_assert_int_eq(pmk_size_mul(0, SIZE_MAX, &out), PMK_OK);
    ck_assert_uint_eq(out, 0);
}
END_TEST

/* ---------------------------------------------------------------- rng */

START_TEST(test_rng_same_seed_same_stream)
{
    pmk_rng *a = pmk_rng_alloc(NULL, 42), *b = pmk_rng_alloc(NULL, 42);
    pmk_rng *c = pmk_rng_alloc(NULL, 43);
    int differ = 0;
    for (int i = 0; i < 1000; i++) {
        double x = pmk_rng_uniform(a), y = pmk_rng_uniform(b), z = pmk_rng_uniform(c);
        ck_assert(x == y);
        differ += x != z;
    }
    ck_assert_int_gt(differ, 990);
    ck_assert_str_eq(pmk_rng_name(a), "mt19937");
    ck_assert_uint_eq(pmk_rng_get_seed(a), 42);
    /* MT19937 seeded with 5489 (its reference seed) gives 3499211612 first. */
    pmk_rng_seed(a, 5489);
    ck_assert_uint_eq(gsl_rng_get(pmk_rng_gsl(a)), 3499211612UL);
    pmk_rng_free(a);
    pmk_rng_free(b);
    pmk_rng_free(c);
    pmk_rng_free(NULL);
}
END_TEST

START_TEST(test_rng_env_convention)
{
    pmk_error e;
    setenv("GSL_RNG_TYPE", "taus2", 1);
    setenv("GSL_RNG_SEED", "123", 1);
    pmk_rng *r = pmk_rng_alloc_env(&e);
    ck_assert_ptr_nonnull(r);
    ck_assert_str_eq(pmk_rng_name(r), "taus2");
    ck_assert_uint_eq(pmk_rng_get_seed(r), 123);
    pmk_rng_free(r);

    setenv("GSL_RNG_TYPE", "nosuch", 1);
    ck_assert_ptr_null(pmk_rng_alloc_env(&e));
    ck_assert_int_eq(e.code, PMK_EINVAL);
    ck_assert_str_eq(e.msg, "GSL_RNG_TYPE=nosuch is not a GSL generator type");

    unsetenv("GSL_RNG_TYPE");
    setenv("GSL_RNG_SEED", "12x", 1);
    ck_assert_ptr_null(pmk_rng_alloc_env(&e));
    ck_assert_str_eq(e.msg, "GSL_RNG_SEED=12x is not a non-negative integer");

    unsetenv("GSL_RNG_SEED");
    r = pmk_rng_alloc_env(&e);
    ck_assert_str_eq(pmk_rng_name(r), "mt19937");
    ck_assert_uint_eq(pmk_rng_get_seed(r), 0);
    pmk_rng_free(r);
}
END_TEST

START_TEST(test_rng_permutation_is_permutation)
{
    enum { n = 257 };
    size_t perm[n];
    int seen[n];
    pmk_rng *r = pmk_rng_alloc(NULL, 7);
    pmk_rng_permutation(r, perm, n);
    memset(seen, 0, sizeof seen);
    size_t fixed = 0;
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_lt(perm[i], n);
        seen[perm[i]]++;
        fixed += perm[i] == i;
    }
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(seen[i], 1);
    /* Fixed points of a uniform permutation are ~Poisson(1): P(>= 12) < 1e-9. */
    ck_assert_uint_lt(fixed, 12);
    pmk_rng_free(r);
}
END_TEST

/* ---------------------------------------------------------------- log-sum-exp */

START_TEST(test_logsumexp_limits)
{
    const double inf = INFINITY;
    /* all -inf, and the empty sum */
    double a[3] = {-inf, -inf, -inf};
    ck_assert(isinf(pmk_logsumexp(a, 3, 1)) && pmk_logsumexp(a, 3, 1) < 0);
    ck_assert(isinf(pmk_logsumexp(a, 0, 1)) && pmk_logsumexp(a, 0, 1) < 0);
    /* one finite among -inf: returned exactly */
    double b[4] = {-inf, -3.25, -inf, -inf};
    ck_assert(pmk_logsumexp(b, 4, 1) == -3.25);
    double b2[3] = {-inf, 1e308, -inf};
    ck_assert(pmk_logsumexp(b2, 3, 1) == 1e308);
    /* huge: log(2 e^1e308) = 1e308 + log 2 = 1e308 in double, no overflow */
    double c[2] = {1e308, 1e308};
    ck_assert(pmk_logsumexp(c, 2, 1) == 1e308);
    double c2[2] = {1e308, -1e308};
    ck_assert(pmk_logsumexp(c2, 2, 1) == 1e308);
    /* tiny: log(2 e^-1e308) = -1e308 + log 2 = -1e308 in double, no -inf */
    double d[2] = {-1e308, -1e308};
    ck_assert(pmk_logsumexp(d, 2, 1) == -1e308);
    /* moderate values against the closed form: log(e^1 + e^2 + e^3) */
    double e[3] = {1, 2, 3};
    double want = 3 + log1p(exp(-1) + exp(-2));
    ck_assert_double_eq_tol(pmk_logsumexp(e, 3, 1), want, 4 * DBL_EPSILON * want);
    ck_assert_double_eq_tol(want, log(exp(1) + exp(2) + exp(3)), 1e-14);
    /* equal arguments: log(n e^x) = x + log n exactly to rounding */
    double f[4] = {-800, -800, -800, -800};
    ck_assert_double_eq_tol(pmk_logsumexp(f, 4, 1), -800 + log(4.0), 1e-12);
    /* +inf wins, NaN propagates */
    double g[3] = {1, inf, -inf};
    ck_assert(pmk_logsumexp(g, 3, 1) == inf);
    double h[3] = {1, NAN, 2};
    ck_assert(isnan(pmk_logsumexp(h, 3, 1)));
    /* stride: every other entry */
    double s[6] = {0, 99, 0, 99, 0, 99};
    ck_assert_double_eq_tol(pmk_logsumexp(s, 3, 2), log(3.0), 1e-15);
}
END_TEST

START_TEST(test_logsumexp_rows_and_softmax)
{
    gsl_matrix *X = gsl_matrix_alloc(3, 3);
    double v[9] = {0, log(3.0), -INFINITY, 1e308, 1e308, -INFINITY, -1000, -1001, -1002};
    memcpy(X->data, v, sizeof v);
    gsl_vector *l = gsl_vector_alloc(3);
    ck_assert_int_eq(pmk_logsumexp_rows(X, l), PMK_OK);
    ck_assert_double_eq_tol(gsl_vector_get(l, 0), log(4.0), 1e-15);
    ck_assert(gsl_vector_get(l, 1) == 1e308);
    ck_assert_double_eq_tol(gsl_vector_get(l, 2), -1000 + log1p(exp(-1) + exp(-2)), 1e-12);
    gsl_vector *bad = gsl_vector_alloc(2);
    ck_assert_int_eq(pmk_logsumexp_rows(X, bad), PMK_EINVAL);

    gsl_matrix *P = gsl_matrix_alloc(3, 3);
    gsl_matrix_memcpy(P, X);
    pmk_softmax_rows(P);
    ck_assert_double_eq_tol(gsl_matrix_get(P, 0, 0), 0.25, 1e-15);
    ck_assert_double_eq_tol(gsl_matrix_get(P, 0, 1), 0.75, 1e-15);
    ck_assert(gsl_matrix_get(P, 0, 2) == 0.0);
    ck_assert_double_eq_tol(gsl_matrix_get(P, 1, 0), 0.5, 1e-15);
    for (size_t i = 0; i < 3; i++) {
        double s = 0;
        for (size_t k = 0; k < 3; k++)
            s += gsl_matrix_get(P, i, k);
        ck_assert_double_eq_tol(s, 1.0, 1e-15);
    }
    gsl_matrix_memcpy(P, X);
    pmk_log_softmax_rows(P);
    ck_assert_double_eq_tol(gsl_matrix_get(P, 0, 1), log(0.75), 1e-15);
    ck_assert_double_eq_tol(gsl_matrix_get(P, 1, 1), -log(2.0), 1e-15);
    ck_assert(isinf(gsl_matrix_get(P, 1, 2)));
    ck_assert_double_eq_tol(gsl_matrix_get(P, 2, 0), -log1p(exp(-1) + exp(-2)), 1e-14);
    gsl_matrix_free(X);
    gsl_matrix_free(P);
    gsl_vector_free(l);
    gsl_vector_free(bad);
}
END_TEST

/* ---------------------------------------------------------------- sigmoid, softplus */

START_TEST(test_sigmoid_softplus)
{
    ck_assert(pmk_sigmoid(0) == 0.5);
    ck_assert_double_eq_tol(pmk_sigmoid(2), 1 / (1 + exp(-2.0)), 1e-16);
    ck_assert_double_eq_tol(pmk_sigmoid(-2), exp(-2.0) / (1 + exp(-2.0)), 1e-16);
    /* no overflow: exp(800) would be inf */
    ck_assert(pmk_sigmoid(800) == 1.0);
    ck_assert(pmk_sigmoid(-800) == 0.0);
    /* the tail keeps its relative accuracy: sigmoid(-700) = e^-700 / (1 + e^-700) */
    ck_assert_double_eq_tol(pmk_sigmoid(-700) / exp(-700.0), 1.0, 1e-15);
    ck_assert(pmk_sigmoidf(100.0f) == 1.0f);
    ck_assert(pmk_sigmoidf(-100.0f) >= 0.0f);

    ck_assert_double_eq_tol(pmk_softplus(0), log(2.0), 1e-16);
    ck_assert(pmk_softplus(1000) == 1000.0);
    ck_assert(pmk_softplus(-1000) == 0.0);   /* e^-1000 underflows: 0 is the right double */
    ck_assert_double_eq_tol(pmk_softplus(-700) / exp(-700.0), 1.0, 1e-15);
    ck_assert_double_eq_tol(pmk_softplus(-50), exp(-50.0), 1e-30);
    ck_assert_double_eq_tol(pmk_softplus(3), log1p(exp(3.0)), 1e-15);
    /* softplus(x) - softplus(-x) = x */
    for (double x = -40; x <= 40; x += 0.37)
        ck_assert_double_eq_tol(pmk_softplus(x) - pmk_softplus(-x), x, 1e-13);

    ck_assert_double_eq_tol(pmk_log_sigmoid(0), -log(2.0), 1e-16);
    ck_assert(pmk_log_sigmoid(-1000) == -1000.0);
    ck_assert(pmk_log_sigmoid(1000) == 0.0);
    ck_assert_double_eq_tol(pmk_log_sigmoid(40), -exp(-40.0), 1e-30);
    ck_assert(isfinite(pmk_log_sigmoid(-1e308)));

    gsl_matrix *X = gsl_matrix_alloc(1, 3);
    gsl_matrix_set(X, 0, 0, -1);
    gsl_matrix_set(X, 0, 1, 0);
    gsl_matrix_set(X, 0, 2, 1000);
    gsl_matrix *Y = gsl_matrix_alloc(1, 3);
    gsl_matrix_memcpy(Y, X);
    pmk_sigmoid_inplace(X);
    ck_assert_double_eq_tol(gsl_matrix_get(X, 0, 0), 1 / (1 + exp(1.0)), 1e-16);
    ck_assert(gsl_matrix_get(X, 0, 1) == 0.5);
    ck_assert(gsl_matrix_get(X, 0, 2) == 1.0);
    pmk_softplus_inplace(Y);
    ck_assert_double_eq_tol(gsl_matrix_get(Y, 0, 0), log1p(exp(-1.0)), 1e-16);
    ck_assert(gsl_matrix_get(Y, 0, 2) == 1000.0);
    gsl_matrix_free(X);
    gsl_matrix_free(Y);
}
END_TEST

/* ---------------------------------------------------------------- Bernoulli */

START_TEST(test_bernoulli_frequencies)
{
    /* 20000 draws per column; the count of ones is Binomial(n, p), and a
     * 5-sigma bound |k - np| <= 5 sqrt(n p (1-p)) fails with prob. < 1e-6. */
    enum { n = 20000 };
    const double p[5] = {0.0, 0.1, 0.5, 0.93, 1.0};
    gsl_matrix *P = gsl_matrix_alloc(n, 5), *S = gsl_matrix_alloc(n, 5);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < 5; j++)
            gsl_matrix_set(P, i, j, p[j]);
    pmk_rng *r = pmk_rng_alloc(NULL, 2024);
    ck_assert_int_eq(pmk_bernoulli_sample(P, S, r), PMK_OK);
    for (size_t j = 0; j < 5; j++) {
        double k = 0;
        for (size_t i = 0; i < n; i++) {
            double s = gsl_matrix_get(S, i, j);
            ck_assert(s == 0.0 || s == 1.0);
            k += s;
        }
        double sd = sqrt(n * p[j] * (1 - p[j]));
        ck_assert_msg(fabs(k - n * p[j]) <= 5 * sd, "column %zu: %g ones for p=%g", j, k, p[j]);
    }
    /* same seed, same samples; float version agrees with the double one */
    gsl_matrix_float *Pf = gsl_matrix_float_alloc(n, 5), *Sf = gsl_matrix_float_alloc(n, 5);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < 5; j++)
            gsl_matrix_float_set(Pf, i, j, (float)p[j]);
    pmk_rng_seed(r, 2024);
    ck_assert_int_eq(pmk_bernoulli_sample_float(Pf, Sf, r), PMK_OK);
    size_t same = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < 5; j++)
            same += gsl_matrix_float_get(Sf, i, j) == gsl_matrix_get(S, i, j);
    /* only draws within float rounding of 0.1 or 0.93 may differ */
    ck_assert_uint_ge(same, (size_t)n * 5 - 5);
    gsl_matrix *bad = gsl_matrix_alloc(2, 2);
    ck_assert_int_eq(pmk_bernoulli_sample(P, bad, r), PMK_EINVAL);
    gsl_matrix_free(bad);
    gsl_matrix_free(P);
    gsl_matrix_free(S);
    gsl_matrix_float_free(Pf);
    gsl_matrix_float_free(Sf);
    pmk_rng_free(r);
}
END_TEST

/* ---------------------------------------------------------------- BLAS */

START_TEST(test_gemm_gemv_by_hand)
{
    /* A = [1 2 3; 4 5 6] (2x3), B = [1 0; 0 1; 1 1] (3x2):
     * A B = [4 5; 10 11];  A^T A (3x3) first row = [17 22 27]. */
    double a[6] = {1, 2, 3, 4, 5, 6}, b[6] = {1, 0, 0, 1, 1, 1};
    gsl_matrix_view A = gsl_matrix_view_array(a, 2, 3), B = gsl_matrix_view_array(b, 3, 2);
    gsl_matrix *C = gsl_matrix_calloc(2, 2);
    ck_assert_int_eq(pmk_gemm(CblasNoTrans, CblasNoTrans, 1.0, &A.matrix, &B.matrix, 0.0, C),
                     PMK_OK);
    ck_assert(gsl_matrix_get(C, 0, 0) == 4 && gsl_matrix_get(C, 0, 1) == 5);
    ck_assert(gsl_matrix_get(C, 1, 0) == 10 && gsl_matrix_get(C, 1, 1) == 11);
    gsl_matrix *G = gsl_matrix_calloc(3, 3);
    ck_assert_int_eq(pmk_gemm(CblasTrans, CblasNoTrans, 1.0, &A.matrix, &A.matrix, 0.0, G),
                     PMK_OK);
    ck_assert(gsl_matrix_get(G, 0, 0) == 17 && gsl_matrix_get(G, 0, 2) == 27);
    /* shape mismatch is refused before any BLAS call */
    ck_assert_int_eq(pmk_gemm(CblasNoTrans, CblasNoTrans, 1.0, &A.matrix, &A.matrix, 0.0, C),
                     PMK_EINVAL);
    ck_assert_int_eq(pmk_gemm(CblasNoTrans, CblasNoTrans, 1.0, &A.matrix, &B.matrix, 0.0, G),
                     PMK_EINVAL);

    double x[3] = {1, -1, 2}, y[2] = {1, 1};
    gsl_vector_view xv = gsl_vector_view_array(x, 3), yv = gsl_vector_view_array(y, 2);
    /* y <- 2 A x + 1 y = 2 [5, 11] + 1 = [11, 23] */
    ck_assert_int_eq(pmk_gemv(CblasNoTrans, 2.0, &A.matrix, &xv.vector, 1.0, &yv.vector), PMK_OK);
    ck_assert(y[0] == 11 && y[1] == 23);
    ck_assert_int_eq(pmk_gemv(CblasTrans, 1.0, &A.matrix, &xv.vector, 0.0, &yv.vector),
                     PMK_EINVAL);

    float af[6] = {1, 2, 3, 4, 5, 6}, bf[6] = {1, 0, 0, 1, 1, 1}, cf[4] = {0};
    gsl_matrix_float_view Af = gsl_matrix_float_view_array(af, 2, 3);
    gsl_matrix_float_view Bf = gsl_matrix_float_view_array(bf, 3, 2);
    gsl_matrix_float_view Cf = gsl_matrix_float_view_array(cf, 2, 2);
    ck_assert_int_eq(pmk_gemm_float(CblasNoTrans, CblasNoTrans, 1.0f, &Af.matrix, &Bf.matrix,
                                    0.0f, &Cf.matrix), PMK_OK);
    ck_assert(cf[0] == 4 && cf[1] == 5 && cf[2] == 10 && cf[3] == 11);

    double bias[2] = {0.5, -1};
    gsl_vector_view bv = gsl_vector_view_array(bias, 2);
    ck_assert_int_eq(pmk_add_row_vector(C, &bv.vector), PMK_OK);
    ck_assert(gsl_matrix_get(C, 1, 0) == 10.5 && gsl_matrix_get(C, 1, 1) == 10);
    ck_assert_int_eq(pmk_add_row_vector(G, &bv.vector), PMK_EINVAL);
    const char *name = pmk_cblas_name();
    ck_assert(strcmp(name, "openblas") == 0 || strcmp(name, "gslcblas") == 0);
    gsl_matrix_free(C);
    gsl_matrix_free(G);
}
END_TEST

Suite *suite_core(void)
{
    Suite *s = suite_create("core");
    TCase *tc = tcase_create("status");
    tcase_add_test(tc, test_error_at_formats_position);
    tcase_add_test(tc, test_size_overflow);
    suite_add_tcase(s, tc);
    tc = tcase_create("rng");
    tcase_add_test(tc, test_rng_same_seed_same_stream);
    tcase_add_test(tc, test_rng_env_convention);
    tcase_add_test(tc, test_rng_permutation_is_permutation);
    suite_add_tcase(s, tc);
    tc = tcase_create("kernels");
    tcase_add_test(tc, test_logsumexp_limits);
    tcase_add_test(tc, test_logsumexp_rows_and_softmax);
    tcase_add_test(tc, test_sigmoid_softplus);
    tcase_add_test(tc, test_bernoulli_frequencies);
    tcase_add_test(tc, test_gemm_gemv_by_hand);
    suite_add_tcase(s, tc);
    return s;
}
