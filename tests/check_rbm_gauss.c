/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_rbm_gauss.c: the rbm suite's Gaussian-Bernoulli part (issue 15,
 * section 1): p(h|v) and F(v) against brute force over h, exact log Z against
 * numerical integration over v, AIS against exact, the moments of sampled
 * p(v|h), the standardisation, the file round trip and the exact resume. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_pmk.h"
#include "check_rbm.h"
#include "pmk/pmk.h"
#include "models/rbm_internal.h"

/* A D x H Gaussian model with W, b, a uniform in [-1, 1] (W scaled by
 * @p w) and s_i = 0.6 + 0.5 i (s != 1: the v / s paths are exercised). */
static pmk_rbm *gauss_model(size_t d, size_t h, double w, unsigned long seed)
{
    pmk_rbm *m = pmk_rbm_alloc_gauss(d, h, NULL);
    pmk_rng *r = pmk_rng_alloc(NULL, seed);
    ck_assert_ptr_nonnull(m);
    for (size_t i = 0; i < d; i++) {
        for (size_t j = 0; j < h; j++)
            gsl_matrix_set(m->W, i, j, w * (2.0 * pmk_rng_uniform(r) - 1.0));
        gsl_vector_set(m->b, i, 2.0 * pmk_rng_uniform(r) - 1.0);
        gsl_vector_set(m->sigma, i, 0.6 + 0.5 * (double)i);
    }
    for (size_t j = 0; j < h; j++)
        gsl_vector_set(m->a, j, 2.0 * pmk_rng_uniform(r) - 1.0);
    pmk_rng_free(r);
    return m;
}

/* E(v, h) straight from the definition (h the bits of @p hb). */
static double energy(const pmk_rbm *m, const double *v, unsigned hb)
{
    double e = 0.0;
    for (size_t i = 0; i < m->d; i++) {
        double s = gsl_vector_get(m->sigma, i), z = (v[i] - gsl_vector_get(m->b, i)) / s;
        e += 0.5 * z * z;
        for (size_t j = 0; j < m->h; j++)
            e -= (hb >> j & 1u) ? v[i] / s * gsl_matrix_get(m->W, i, j) : 0.0;
    }
    for (size_t j = 0; j < m->h; j++)
        e -= (hb >> j & 1u) ? gsl_vector_get(m->a, j) : 0.0;
    return e;
}

/* -log sum_h exp(-E(v, h)), by brute force. */
static double free_energy_bf(const pmk_rbm *m, const double *v)
{
    double s = 0.0;
    for (unsigned hb = 0; hb < 1u << m->h; hb++)
        s += exp(-energy(m, v, hb));
    return -log(s);
}

/* p(h | v) = exp(-E(v,h)) / sum_h' exp(-E(v,h')) over all 2^H states equals
 * prod_j p(h_j | v) with pmk_rbm_hidden_prob's factors (1e-12: rounding of
 * sums of 2^4 terms), and pmk_rbm_free_energy is the brute force F. */
START_TEST(test_gauss_factorises)
{
    pmk_rbm *m = gauss_model(3, 4, 1.0, 5);
    gsl_matrix *V = gsl_matrix_alloc(4, 3), *P = gsl_matrix_alloc(4, 4);
    gsl_vector *F = gsl_vector_alloc(4);
    pmk_rng *r = pmk_rng_alloc(NULL, 6);
    for (size_t k = 0; k < 12; k++)
        V->data[k] = 3.0 * pmk_rng_gaussian(r);
    ck_assert_int_eq(pmk_rbm_hidden_prob(m, V, P, NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_free_energy(m, V, F, NULL), PMK_OK);
    for (size_t n = 0; n < 4; n++) {
        const double *v = gsl_matrix_const_ptr(V, n, 0);
        double f = free_energy_bf(m, v);
        ck_assert_double_eq_tol(gsl_vector_get(F, n), f, 1e-12);
        for (unsigned hb = 0; hb < 16; hb++) {
            double joint = exp(-energy(m, v, hb) + f), prod = 1.0;
            for (size_t j = 0; j < 4; j++) {
                double p = gsl_matrix_get(P, n, j);
                prod *= (hb >> j & 1u) ? p : 1.0 - p;
            }
            ck_assert_double_eq_tol(joint, prod, 1e-12);
        }
    }
    gsl_matrix_free(V), gsl_matrix_free(P), gsl_vector_free(F);
    pmk_rng_free(r);
    pmk_rbm_free(m);
}
END_TEST

/* Z = int exp(-F(v)) dv by the composite Simpson rule on [-L, L]^D, L = 30:
 * every mode b + s W h lies within |b| + s_max H max|W| < 1 + 1.6 * 3 = 5.8
 * of 0 and the widest s is 1.6, so the tails beyond 30 hold less than
 * exp(-(24 / 1.6)^2 / 2) ~ e^-112.  Step 0.03 (2000 intervals): Simpson's
 * error h^4 max|f''''| / 180 per unit length is ~1e-8 relative here, so
 * log Z agrees to 1e-7. */
static double log_z_simpson(const pmk_rbm *m)
{
    const double L = 30.0;
    const int n = 2000;
    const double step = 2.0 * L / n;
    double v[2], sum = 0.0;
    for (int p = 0; p <= n; p++) {
        double wp = p == 0 || p == n ? 1.0 : p % 2 ? 4.0 : 2.0;
        v[0] = -L + step * p;
        if (m->d == 1) {
            sum += wp * exp(-free_energy_bf(m, v));
            continue;
        }
        for (int q = 0; q <= n; q++) {
            double wq = q == 0 || q == n ? 1.0 : q % 2 ? 4.0 : 2.0;
            v[1] = -L + step * q;
            sum += wp * wq * exp(-free_energy_bf(m, v));
        }
    }
    return log(sum) + (double)m->d * log(step / 3.0);
}

START_TEST(test_gauss_log_z_exact)
{
    for (size_t d = 1; d <= 2; d++) {
        pmk_rbm *m = gauss_model(d, 3, 1.0, 7 + d);
        double lz, num = log_z_simpson(m);
        ck_assert_int_eq(pmk_rbm_log_z_exact(m, &lz, NULL), PMK_OK);
        ck_assert_double_eq_tol(lz, num, 1e-7);
        pmk_rbm_free(m);
    }
    /* H = 0 terms by hand: W = 0, a = 0: log Z = D/2 log 2 pi + sum log s + H log 2 */
    pmk_rbm *m = pmk_rbm_alloc_gauss(2, 3, NULL);
    gsl_vector_set(m->sigma, 1, 2.0);
    double lz;
    ck_assert_int_eq(pmk_rbm_log_z_exact(m, &lz, NULL), PMK_OK);
    ck_assert_double_eq_tol(lz, log(2.0 * M_PI) + log(2.0) + 3.0 * M_LN2, 1e-13);
    pmk_rbm_free(m);
}
END_TEST

/* AIS (100 runs, the default 14,500 steps) on a 6 x 5 model with s != 1
 * against exact log Z: within 0.05 nats, and exact inside the reported
 * +-3 sigma interval widened by 0.02.  On this small a model the runs'
 * log-weights spread by ~0.01, so the estimate's error is ~0.001: 0.05 is
 * far outside what a correct sampler misses by, and a wrong base (its Z_0)
 * or path shifts the estimate by whole nats. */
START_TEST(test_gauss_ais)
{
    pmk_rbm *m = gauss_model(6, 5, 0.7, 21);
    gsl_matrix *X = gsl_matrix_alloc(50, 6);
    pmk_rng *r = pmk_rng_alloc(NULL, 22);
    for (size_t k = 0; k < 300; k++)
        X->data[k] = 0.3 + 1.5 * pmk_rng_gaussian(r);
    double exact;
    pmk_rbm_ais_result res;
    ck_assert_int_eq(pmk_rbm_log_z_exact(m, &exact, NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_log_z_ais(m, X, NULL, r, &res, NULL), PMK_OK);
    ck_assert_double_eq_tol(res.log_z, exact, 0.05);
    ck_assert(res.log_z_lo - 0.02 <= exact && exact <= res.log_z_hi + 0.02);
    ck_assert_uint_eq(res.runs, 100);
    ck_assert_uint_eq(res.steps, 14500);
    /* the same through pmk_rbm_evaluate, with the log-density in data units */
    pmk_rbm_evaluation ev;
    ck_assert_int_eq(pmk_rbm_evaluate(m, X, PMK_RBM_LOG_Z_EXACT, NULL, r, &ev, NULL), PMK_OK);
    ck_assert(isnan(ev.pseudo_likelihood) && isnan(ev.pseudo_likelihood_1bit));
    ck_assert_double_eq_tol(ev.mean_log_prob, -ev.mean_free_energy - exact, 1e-12);
    ck_assert_double_eq_tol(ev.log_jacobian, 0.0, 1e-15);   /* identity standardisation */
    ck_assert_double_eq_tol(ev.mean_log_density, ev.mean_log_prob, 1e-15);
    gsl_matrix_free(X);
    pmk_rng_free(r);
    pmk_rbm_free(m);
}
END_TEST

/* N = 20,000 draws of v ~ p(v | h) for one h: each column's sample mean is
 * within 5 s_i / sqrt(N) of b_i + s_i (Wh)_i and its sample variance within
 * 5 s_i^2 sqrt(2 / (N - 1)) of s_i^2 (the standard errors of a normal
 * sample's mean and variance): 5 sigma, a false alarm ~1e-6 per check. */
START_TEST(test_gauss_sample_moments)
{
    enum { N = 20000 };
    pmk_rbm *m = gauss_model(3, 2, 1.0, 31);
    gsl_matrix *Hs = gsl_matrix_alloc(N, 2), *S = gsl_matrix_alloc(N, 3);
    gsl_matrix *M1 = gsl_matrix_alloc(1, 3), *H1 = gsl_matrix_alloc(1, 2);
    pmk_rng *r = pmk_rng_alloc(NULL, 32);
    for (size_t n = 0; n < N; n++)
        gsl_matrix_set(Hs, n, 0, 1.0), gsl_matrix_set(Hs, n, 1, 0.0);
    gsl_matrix_set(H1, 0, 0, 1.0), gsl_matrix_set(H1, 0, 1, 0.0);
    ck_assert_int_eq(pmk_rbm_visible_prob(m, H1, M1, NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_sample_visible(m, Hs, S, r, NULL), PMK_OK);
    for (size_t i = 0; i < 3; i++) {
        double s = gsl_vector_get(m->sigma, i);
        double want = gsl_vector_get(m->b, i) + s * gsl_matrix_get(m->W, i, 0);
        ck_assert_double_eq_tol(gsl_matrix_get(M1, 0, i), want, 1e-15);
        double mean = 0.0, var = 0.0;
        for (size_t n = 0; n < N; n++)
            mean += gsl_matrix_get(S, n, i);
        mean /= N;
        for (size_t n = 0; n < N; n++)
            var += (gsl_matrix_get(S, n, i) - mean) * (gsl_matrix_get(S, n, i) - mean);
        var /= N - 1;
        ck_assert_double_le(fabs(mean - want), 5.0 * s / sqrt((double)N));
        ck_assert_double_le(fabs(var - s * s), 5.0 * s * s * sqrt(2.0 / (N - 1)));
    }
    gsl_matrix_free(Hs), gsl_matrix_free(S), gsl_matrix_free(M1), gsl_matrix_free(H1);
    pmk_rng_free(r);
    pmk_rbm_free(m);
}
END_TEST

/* 4 rows of 3 columns, the last constant, scaled by 1/2, as a table. */
static pmk_table *small_table(void)
{
    const double x[12] = {0, 2, 7, 2, 4, 7, 4, 6, 7, 6, 0, 7};
    gsl_matrix *X = gsl_matrix_alloc(4, 3);
    memcpy(X->data, x, sizeof x);
    pmk_table *t = NULL;
    pmk_transform tf;
    pmk_transform_init(&tf);
    tf.scale = 0.5;
    ck_assert_int_eq(pmk_table_from_matrix(X, NULL, &t, NULL), PMK_OK);
    ck_assert_int_eq(pmk_table_set_transform(t, &tf, NULL), PMK_OK);
    gsl_matrix_free(X);
    return t;
}

/* Scaled columns (0,1,2,3), (1,2,3,0), (3.5 x 4): means 1.5, 1.5, 3.5,
 * variances 1.25, 1.25, 0 (+ 1e-9 * 1.25 each); the log-Jacobian is
 * sum log(0.5 / sd); standardising and back is the identity. */
START_TEST(test_gauss_standardisation)
{
    pmk_table *t = small_table();
    pmk_rbm *m = pmk_rbm_alloc_gauss(3, 2, NULL), *bin = pmk_rbm_alloc(3, 2, NULL);
    pmk_error e;
    ck_assert_int_eq(pmk_rbm_fit_standardisation(bin, t, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "a binary RBM has no standardisation");
    ck_assert_int_eq(pmk_rbm_fit_standardisation(m, t, NULL), PMK_OK);
    double sd01 = sqrt(1.25 + 1.25e-9), sd2 = sqrt(1.25e-9);
    ck_assert_double_eq_tol(gsl_vector_get(m->std_mean, 0), 1.5, 1e-15);
    ck_assert_double_eq_tol(gsl_vector_get(m->std_mean, 2), 3.5, 1e-15);
    ck_assert_double_eq_tol(gsl_vector_get(m->std_sd, 1), sd01, 1e-15);
    ck_assert_double_eq_tol(gsl_vector_get(m->std_sd, 2), sd2, 1e-20);
    m->transform = *pmk_table_transform(t);
    m->transform_known = 1;
    ck_assert_double_eq_tol(pmk_rbm_log_jacobian(m), 2 * log(0.5 / sd01) + log(0.5 / sd2), 1e-12);
    ck_assert_double_eq(pmk_rbm_log_jacobian(bin), 0.0);
    gsl_matrix *X = gsl_matrix_alloc(4, 3), *Y = gsl_matrix_alloc(4, 3);
    ck_assert_int_eq(pmk_table_gather(t, NULL, 4, X, NULL), PMK_OK);
    gsl_matrix_memcpy(Y, X);
    ck_assert_int_eq(pmk_rbm_standardise(m, Y, 0, NULL), PMK_OK);
    ck_assert_double_eq_tol(gsl_matrix_get(Y, 0, 0), -1.5 / sd01, 1e-15);
    ck_assert_double_eq(gsl_matrix_get(Y, 3, 2), 0.0);
    ck_assert_int_eq(pmk_rbm_standardise(m, Y, 1, NULL), PMK_OK);
    for (size_t k = 0; k < 12; k++)
        ck_assert_double_eq_tol(Y->data[k], X->data[k], 1e-14);
    gsl_matrix_free(X), gsl_matrix_free(Y);
    pmk_rbm_free(m), pmk_rbm_free(bin);
    pmk_table_free(t);
}
END_TEST

/* 300 rows of 5 correlated real columns (one constant) in a table. */
static pmk_table *real_table(void)
{
    gsl_matrix *X = gsl_matrix_alloc(300, 5);
    pmk_rng *r = pmk_rng_alloc(NULL, 41);
    for (size_t n = 0; n < 300; n++) {
        double z = pmk_rng_gaussian(r);
        for (size_t i = 0; i < 4; i++)
            gsl_matrix_set(X, n, i, 10.0 * i + (1.0 + i) * z + pmk_rng_gaussian(r));
        gsl_matrix_set(X, n, 4, 3.0);
    }
    pmk_rng_free(r);
    pmk_table *t = NULL;
    pmk_transform tf;
    pmk_transform_init(&tf);
    ck_assert_int_eq(pmk_table_from_matrix(X, NULL, &t, NULL), PMK_OK);
    ck_assert_int_eq(pmk_table_set_transform(t, &tf, NULL), PMK_OK);
    gsl_matrix_free(X);
    return t;
}

/* Trained by CD-1, PCD-2 and CD-1 learning s: the file (version 4) reads back to a model
 * that writes the same bytes, with the same s, means and sd bit for bit;
 * 2 epochs = 1 + 1 continued (continue_rng), byte for byte; tempering is
 * refused with a usage message. */
START_TEST(test_gauss_file_and_resume)
{
    pmk_table *t = real_table();
    char path[600];
    snprintf(path, sizeof path, "%s/g.rbm", test_tmpdir());
    for (int how = 0; how < 3; how++) {
        int pcd = how == 1;
        pmk_rbm_options o;
        pmk_rbm_options_init_default(&o);
        o.visible = PMK_RBM_GAUSSIAN;
        o.hidden = 3, o.batch = 20, o.lr = 0.01, o.holdout = 0.1;
        o.persistent = pcd, o.k = pcd ? 2 : 1;
        o.learn_sigma = how == 2;
        pmk_rbm *two = NULL, *one = NULL, *back = NULL;
        pmk_rng *r = pmk_rng_alloc(NULL, 9);
        o.epochs = 2;
        ck_assert_int_eq(pmk_rbm_train_table(&two, t, &o, r, NULL, NULL, NULL, NULL), PMK_OK);
        ck_assert_int_eq(two->visible, PMK_RBM_GAUSSIAN);
        pmk_rng_seed(r, 9);
        o.epochs = 1;
        ck_assert_int_eq(pmk_rbm_train_table(&one, t, &o, r, NULL, NULL, NULL, NULL), PMK_OK);
        ck_assert(how == 2 ? gsl_vector_get(one->sigma, 0) != 1.0
                           : gsl_vector_get(one->sigma, 0) == 1.0);
        ck_assert_int_eq(pmk_rbm_save(one, path, NULL), PMK_OK);
        ck_assert_int_eq(pmk_rbm_load(path, &back, NULL), PMK_OK);
        char *a = rbm_model_text(one), *b = rbm_model_text(back);
        ck_assert(!strncmp(a, "pmk-rbm 4\n", 10));
        ck_assert_str_eq(a, b);
        ck_assert(!memcmp(one->std_sd->data, back->std_sd->data, 5 * sizeof(double)));
        ck_assert(!memcmp(one->std_mean->data, back->std_mean->data, 5 * sizeof(double)));
        ck_assert(!memcmp(one->sigma->data, back->sigma->data, 5 * sizeof(double)));
        free(a), free(b);
        pmk_rng_seed(r, 777);
        o.continue_rng = 1;
        o.visible = PMK_RBM_BINARY;   /* ignored: a continued model keeps its units */
        ck_assert_int_eq(pmk_rbm_train_table(&back, t, &o, r, NULL, NULL, NULL, NULL), PMK_OK);
        a = rbm_model_text(two), b = rbm_model_text(back);
        ck_assert_str_eq(a, b);
        free(a), free(b);
        pmk_rbm_free(two), pmk_rbm_free(one), pmk_rbm_free(back);
        pmk_rng_free(r);
    }
    remove(path);
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    pmk_error e;
    o.visible = PMK_RBM_GAUSSIAN;
    ck_assert_int_eq(pmk_rbm_options_set_trainer(&o, "pt", NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "parallel tempering is not available for Gaussian visible units "
                            "(use --trainer cd or pcd)");
    ck_assert_int_eq(pmk_rbm_options_set_visible(&o, "gauss", &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "unknown visible units 'gauss' (binary or gaussian)");
    ck_assert_int_eq(pmk_rbm_options_set_visible(&o, "binary", NULL), PMK_OK);
    ck_assert_int_eq(o.visible, PMK_RBM_BINARY);
    pmk_table_free(t);
}
END_TEST

/* Learning s: 2,000 draws of v ~ N(0.5, 0.4^2) in one column, not
 * standardised (pmk_rbm_fit takes the matrix as it is), H = 2, 40 epochs of
 * CD-1.  A model with s = 1 is a mixture of unit-variance Gaussians, whose
 * density never exceeds 1 / sqrt(2 pi): its mean log-likelihood is below
 * -0.919 (checked on the trained model with s reset to 1).  The data's
 * own Gaussian reaches -0.5 log(2 pi e 0.16) = -0.503; the learned s
 * (0.25, with W making a mixture) reaches -0.579 (exact log Z), asserted
 * above -0.65.  A binary model, and data-parallel learning, are refused. */
START_TEST(test_gauss_learn_sigma)
{
    gsl_matrix *X = gsl_matrix_alloc(2000, 1);
    pmk_rng *r = pmk_rng_alloc(NULL, 51);
    for (size_t n = 0; n < 2000; n++)
        gsl_matrix_set(X, n, 0, 0.5 + 0.4 * pmk_rng_gaussian(r));
    pmk_rbm *m = pmk_rbm_alloc_gauss(1, 2, NULL), *bin = pmk_rbm_alloc(1, 2, NULL);
    ck_assert_int_eq(pmk_rbm_init(m, X, r, NULL), PMK_OK);
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    o.learn_sigma = 1, o.epochs = 40, o.batch = 50, o.lr = 0.01, o.weight_decay = 0.1;
    ck_assert_int_eq(pmk_rbm_fit(m, X, &o, r, NULL, NULL, NULL), PMK_OK);
    pmk_rbm *fixed = pmk_rbm_copy(m, NULL);
    gsl_vector_set_all(fixed->sigma, 1.0);
    double learned = rbm_mean_loglik(m, X), one = rbm_mean_loglik(fixed, X);
    ck_assert_double_gt(learned, -0.65);
    ck_assert_double_lt(one, -0.5 * log(2.0 * M_PI));
    pmk_rbm_free(fixed);
    pmk_error e;
    gsl_matrix_set_all(X, 1.0);
    ck_assert_int_eq(pmk_rbm_fit(bin, X, &o, r, NULL, NULL, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "learning s needs Gaussian visible units");
    o.parts = 2;
    ck_assert_int_eq(pmk_rbm_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "learning s is not data-parallel: run one process");
    gsl_matrix_free(X);
    pmk_rng_free(r);
    pmk_rbm_free(m), pmk_rbm_free(bin);
}
END_TEST

/* A wide model (D = 600) with an RNG record (mt19937: 10,000 hex digits on
 * one line) and means of 19 characters each: every line after the RNG's
 * (mean: 600 x 20 bytes) is longer than that line, and reads back. */
START_TEST(test_gauss_wide_file)
{
    pmk_rbm *m = pmk_rbm_alloc_gauss(600, 1, NULL), *back = NULL;
    pmk_rng *r = pmk_rng_alloc(NULL, 3);
    for (size_t i = 0; i < 600; i++) {
        gsl_vector_set(m->std_mean, i, 0.1234567890123456 + (double)i / 7e6);
        gsl_vector_set(m->sigma, i, 0.3333333333333333 + (double)i / 7e6);
    }
    m->transform_known = 1;
    pmk_transform_init(&m->transform);
    ck_assert_int_eq(pmk_rbm_rng_capture(m, r, 3, NULL), PMK_OK);
    char path[600];
    snprintf(path, sizeof path, "%s/w.rbm", test_tmpdir());
    ck_assert_int_eq(pmk_rbm_save(m, path, NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_load(path, &back, NULL), PMK_OK);
    char *a = rbm_model_text(m), *b = rbm_model_text(back);
    ck_assert_str_eq(a, b);
    free(a), free(b);
    remove(path);
    pmk_rng_free(r);
    pmk_rbm_free(m), pmk_rbm_free(back);
}
END_TEST

void suite_rbm_gauss(Suite *s)
{
    TCase *tc = tcase_create("gauss");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_gauss_factorises);
    tcase_add_test(tc, test_gauss_log_z_exact);
    tcase_add_test(tc, test_gauss_ais);
    tcase_add_test(tc, test_gauss_sample_moments);
    tcase_add_test(tc, test_gauss_standardisation);
    tcase_add_test(tc, test_gauss_file_and_resume);
    tcase_add_test(tc, test_gauss_learn_sigma);
    tcase_add_test(tc, test_gauss_wide_file);
    suite_add_tcase(s, tc);
}
