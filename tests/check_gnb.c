/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_gnb.c: the Gaussian class-conditional classifier: a hand-worked case,
 * the GEMM path against the direct formula, streaming and merging, files. */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_gnb.h"

/* |a - b| <= tol * max(1, |a|, |b|): relative for large values, absolute near 0. */
int gnb_close_to(double a, double b, double tol)
{
    double s = fmax(1.0, fmax(fabs(a), fabs(b)));
    return fabs(a - b) <= tol * s;
}


/* ---------------------------------------------------------------- a hand-worked case
 *
 * D = 2, labels 3 and 7 (N = 5):
 *   class 3: (0,0) (2,0) (1,3)  -> N_3 = 3, mu_3 = (1,1),
 *            deviations (-1,-1) (1,-1) (0,2) -> M2_3 = (2, 6)
 *   class 7: (4,1) (6,1)        -> N_7 = 2, mu_7 = (5,1), M2_7 = (2, 0)
 *   alpha = (3/5, 2/5) = (0.6, 0.4)
 * Class-blind: mean (13/5, 5/5) = (2.6, 1);
 *   Var(x_1) = (2.6^2 + 0.6^2 + 1.6^2 + 1.4^2 + 3.4^2)/5 = 23.2/5 = 4.64
 *   Var(x_2) = (1 + 1 + 4 + 0 + 0)/5 = 1.2;  max = 4.64
 * With var_smoothing 0.25 the smoothing adds 0.25 * 4.64 = 1.16:
 *   shared: sigma2 = ((2+2)/5, (6+0)/5) + 1.16 = (0.8, 1.2) + 1.16 = (1.96, 2.36)
 *   class:  sigma2_3 = (2/3, 6/3) + 1.16 = (1.82666..., 3.16)
 *           sigma2_7 = (2/2, 0/2) + 1.16 = (2.16, 1.16)
 * Shared-variance posteriors:
 *   x = (3,1): (x - mu_3) = (2,0), (x - mu_7) = (-2,0): equal distances, so
 *              p(3|x) = alpha_3 = 0.6 exactly (up to rounding).
 *   x = (1,1): quad_3 = 0, quad_7 = 16/1.96, log-odds(3:7) = log 1.5 + 8/1.96
 *              = 0.4054651081 + 4.0816326531 = 4.4870977612.
 *   x = (5,1): by symmetry log-odds(7:3) = log(0.4/0.6) + 8/1.96 = 3.6761675450.
 * Training NLL (shared): (1/5) sum_i [-log alpha_{y_i} + 1/2 log(2 pi 1.96)
 *   + 1/2 log(2 pi 2.36) + 1/2 sum_d (x_id - mu_{y_i,d})^2 / sigma2_d]
 *   with sum over rows of the quadratic = sum_k sum_d M2_kd / sigma2_d
 *   = 4/1.96 + 6/2.36 = 4.5831892079, and -sum log alpha = -(3 log 0.6 + 2 log 0.4). */

const double gnb_tiny_x[5][2] = {{0, 0}, {2, 0}, {1, 3}, {4, 1}, {6, 1}};
const long gnb_tiny_y[5] = {3, 3, 3, 7, 7};

pmk_gnb *gnb_fit_tiny(int variance, int priors, const double *plist, size_t np)
{
    gsl_matrix_const_view X = gsl_matrix_const_view_array(&gnb_tiny_x[0][0], 5, 2);
    pmk_gnb_options o;
    pmk_gnb_options_init_default(&o);
    o.transform.scale = 1;   /* the hand-worked figures are in raw units */
    o.var_smoothing = 0.25;
    o.variance = variance;
    o.priors = priors;
    o.prior = plist;
    o.n_prior = np;
    pmk_error e;
    pmk_error_clear(&e);
    pmk_gnb *m = pmk_gnb_fit(&X.matrix, gnb_tiny_y, &o, &e);
    ck_assert_msg(m != NULL, "fit: %s", e.msg);
    return m;
}

START_TEST(test_tiny_shared_by_hand)
{
    pmk_gnb *m = gnb_fit_tiny(PMK_GNB_VAR_SHARED, PMK_GNB_PRIOR_EMPIRICAL, NULL, 0);
    ck_assert_uint_eq(pmk_gnb_nclasses(m), 2);
    ck_assert_int_eq(pmk_gnb_labels(m)[0], 3);
    ck_assert_int_eq(pmk_gnb_labels(m)[1], 7);
    const gsl_matrix *mu = pmk_gnb_means(m), *m2 = pmk_gnb_m2(m), *v = pmk_gnb_variances(m);
    const double want_mu[2][2] = {{1, 1}, {5, 1}}, want_m2[2][2] = {{2, 6}, {2, 0}};
    for (int k = 0; k < 2; k++)
        for (int d = 0; d < 2; d++) {
            ck_assert_close(gsl_matrix_get(mu, k, d), want_mu[k][d], 1e-15);
            ck_assert_close(gsl_matrix_get(m2, k, d), want_m2[k][d], 1e-15);
        }
    ck_assert_close(gsl_vector_get(pmk_gnb_pop_variances(m), 0), 4.64, 1e-15);
    ck_assert_close(gsl_vector_get(pmk_gnb_pop_variances(m), 1), 1.2, 1e-15);
    ck_assert_close(pmk_gnb_smoothing_added(m), 1.16, 1e-15);
    for (int k = 0; k < 2; k++) {
        ck_assert_close(gsl_matrix_get(v, k, 0), 1.96, 1e-15);
        ck_assert_close(gsl_matrix_get(v, k, 1), 2.36, 1e-15);
    }
    ck_assert_close(gsl_vector_get(pmk_gnb_priors(m), 0), 0.6, 1e-15);
    ck_assert_close(gsl_vector_get(pmk_gnb_priors(m), 1), 0.4, 1e-15);

    const double q[3][2] = {{3, 1}, {1, 1}, {5, 1}};
    gsl_matrix_const_view Q = gsl_matrix_const_view_array(&q[0][0], 3, 2);
    gsl_matrix *P = gsl_matrix_alloc(3, 2), *J = gsl_matrix_alloc(3, 2);
    ck_assert_int_eq(pmk_gnb_predict_proba(m, &Q.matrix, P, NULL), PMK_OK);
    ck_assert_int_eq(pmk_gnb_joint_log_likelihood(m, &Q.matrix, J, NULL), PMK_OK);
    ck_assert_close(gsl_matrix_get(P, 0, 0), 0.6, 1e-14);
    ck_assert_close(gsl_matrix_get(P, 0, 1), 0.4, 1e-14);
    double lo1 = 4.4870977612, lo2 = 3.6761675450;   /* from the comment above */
    ck_assert_close(gsl_matrix_get(P, 1, 0), 1 / (1 + exp(-lo1)), 1e-10);
    ck_assert_close(gsl_matrix_get(P, 2, 1), 1 / (1 + exp(-lo2)), 1e-10);
    /* J(3,1) for class 3: log 0.6 - 1/2 log(2 pi 1.96) - 1/2 log(2 pi 2.36) - 1/2 * 4/1.96 */
    double half_logdet = 0.5 * (log(2 * M_PI * 1.96) + log(2 * M_PI * 2.36));
    ck_assert_close(gsl_matrix_get(J, 0, 0), log(0.6) - half_logdet - 0.5 * 4 / 1.96, 1e-14);
    ck_assert_close(gsl_matrix_get(J, 0, 1), log(0.4) - half_logdet - 0.5 * 4 / 1.96, 1e-14);

    long lab[3];
    ck_assert_int_eq(pmk_gnb_predict(m, &Q.matrix, lab, NULL), PMK_OK);
    ck_assert_int_eq(lab[0], 3);
    ck_assert_int_eq(lab[1], 3);
    ck_assert_int_eq(lab[2], 7);

    double want_nll = (-(3 * log(0.6) + 2 * log(0.4)) + 5 * half_logdet + 0.5 * 4.5831892079) / 5;
    ck_assert_close(pmk_gnb_train_mean_nll(m), want_nll, 1e-10);
    gsl_matrix_free(P);
    gsl_matrix_free(J);
    pmk_gnb_free(m);
}
END_TEST

START_TEST(test_tiny_class_variance_and_priors)
{
    pmk_gnb *m = gnb_fit_tiny(PMK_GNB_VAR_CLASS, PMK_GNB_PRIOR_UNIFORM, NULL, 0);
    const gsl_matrix *v = pmk_gnb_variances(m);
    ck_assert_close(gsl_matrix_get(v, 0, 0), 2.0 / 3 + 1.16, 1e-15);
    ck_assert_close(gsl_matrix_get(v, 0, 1), 3.16, 1e-15);
    ck_assert_close(gsl_matrix_get(v, 1, 0), 2.16, 1e-15);
    ck_assert_close(gsl_matrix_get(v, 1, 1), 1.16, 1e-15);
    ck_assert_close(gsl_vector_get(pmk_gnb_priors(m), 0), 0.5, 0);
    pmk_gnb_free(m);

    const double pl[2] = {0.3, 0.7};
    m = gnb_fit_tiny(PMK_GNB_VAR_SHARED, PMK_GNB_PRIOR_EXPLICIT, pl, 2);
    ck_assert_close(gsl_vector_get(pmk_gnb_priors(m), 0), 0.3, 0);
    ck_assert_close(gsl_vector_get(pmk_gnb_priors(m), 1), 0.7, 0);
    /* x = (3,1) is equidistant (see above): the posterior is the prior. */
    const double q[2] = {3, 1};
    gsl_matrix_const_view Q = gsl_matrix_const_view_array(q, 1, 2);
    gsl_matrix *L = gsl_matrix_alloc(1, 2);
    ck_assert_int_eq(pmk_gnb_predict_log_proba(m, &Q.matrix, L, NULL), PMK_OK);
    ck_assert_close(gsl_matrix_get(L, 0, 0), log(0.3), 1e-14);
    ck_assert_close(gsl_matrix_get(L, 0, 1), log(0.7), 1e-14);
    gsl_matrix_free(L);
    pmk_gnb_free(m);
}
END_TEST

START_TEST(test_tiny_eval_by_hand)
{
    /* Rows (1,1) label 3, (5,1) label 7, (3,1) label 7, (5,2) label 7.
     * Shared model: predictions 3, 7, 3 (prior 0.6 wins the tie), and (5,2):
     * quad_3 = 16/1.96 + 1/2.36, quad_7 = 1/2.36 -> 7.  Confusion [[1,0],[1,2]]. */
    pmk_gnb *m = gnb_fit_tiny(PMK_GNB_VAR_SHARED, PMK_GNB_PRIOR_EMPIRICAL, NULL, 0);
    const double q[4][2] = {{1, 1}, {5, 1}, {3, 1}, {5, 2}};
    const long y[4] = {3, 7, 7, 7};
    gsl_matrix_const_view Q = gsl_matrix_const_view_array(&q[0][0], 4, 2);
    pmk_gnb_eval *e = pmk_gnb_eval_alloc(m, NULL);
    /* No rows yet: every rate undefined. */
    ck_assert(isnan(e->accuracy) && isnan(e->mean_nll) && isnan(e->precision[0])
              && isnan(e->recall[1]) && isnan(e->f1[0]) && isnan(e->macro_f1)
              && isnan(e->weighted_precision) && isnan(e->log_loss));
    /* Two calls of 2 rows: the evaluation accumulates. */
    gsl_matrix_const_view Q1 = gsl_matrix_const_submatrix(&Q.matrix, 0, 0, 2, 2);
    gsl_matrix_const_view Q2 = gsl_matrix_const_submatrix(&Q.matrix, 2, 0, 2, 2);
    ck_assert_int_eq(pmk_gnb_eval_add(e, m, &Q1.matrix, y, NULL), PMK_OK);
    ck_assert_int_eq(pmk_gnb_eval_add(e, m, &Q2.matrix, y + 2, NULL), PMK_OK);
    ck_assert_uint_eq(e->n, 4);
    ck_assert_uint_eq(e->correct, 3);
    ck_assert_uint_eq(e->confusion[0], 1);
    ck_assert_uint_eq(e->confusion[1], 0);
    ck_assert_uint_eq(e->confusion[2], 1);
    ck_assert_uint_eq(e->confusion[3], 2);
    ck_assert_close(pmk_gnb_eval_precision(e, 0), 0.5, 0);
    ck_assert_close(pmk_gnb_eval_recall(e, 0), 1.0, 0);
    ck_assert_close(pmk_gnb_eval_precision(e, 1), 1.0, 0);
    ck_assert_close(pmk_gnb_eval_recall(e, 1), 2.0 / 3, 1e-15);
    /* the rates kept beside the counts */
    ck_assert_double_eq(e->accuracy, 0.75);
    ck_assert_double_eq(e->precision[0], 0.5);
    ck_assert_double_eq(e->recall[0], 1.0);
    ck_assert_double_eq(e->precision[1], 1.0);
    ck_assert_double_eq(e->recall[1], 2.0 / 3);
    ck_assert_double_eq(e->mean_nll, e->sum_nll / 4);
    ck_assert_double_eq(e->mean_log_post, e->sum_log_post / 4);
    ck_assert_double_eq(e->log_loss, -e->mean_log_post);
    /* F1 = 2 hits / (support + predicted): 2/3 for 3 (1 hit, 1 + 2), 4/5 for 7;
     * macro: plain means; weighted by support (1, 3), as classification_report. */
    ck_assert_double_eq(e->f1[0], 2.0 / 3);
    ck_assert_double_eq(e->f1[1], 0.8);
    ck_assert_double_eq(pmk_gnb_eval_f1(e, 1), 0.8);
    ck_assert_double_eq(e->macro_precision, 0.75);
    ck_assert_close(e->macro_recall, 5.0 / 6, 1e-15);
    ck_assert_close(e->macro_f1, (2.0 / 3 + 0.8) / 2, 1e-15);
    ck_assert_double_eq(e->weighted_precision, 0.875);
    ck_assert_double_eq(e->weighted_recall, 0.75);
    ck_assert_close(e->weighted_f1, (2.0 / 3 + 3 * 0.8) / 4, 1e-15);
    /* log p(true|x): row 4 has log-odds(7:3) = log(0.4/0.6) + 8/1.96 as (5,1). */
    double lo1 = 4.4870977612, lo2 = 3.6761675450;
    double want = -log1p(exp(-lo1)) - 2 * log1p(exp(-lo2)) + log(0.4);
    ck_assert_close(e->sum_log_post, want, 1e-10);
    /* NLL: -J[true]; quads 0, 0, 4/1.96, 1/2.36 with log alpha 0.6, 0.4, 0.4, 0.4. */
    double hl = 0.5 * (log(2 * M_PI * 1.96) + log(2 * M_PI * 2.36));
    double nll = 4 * hl - log(0.6) - 3 * log(0.4) + 0.5 * (4 / 1.96 + 1 / 2.36);
    ck_assert_close(e->sum_nll, nll, 1e-13);
    /* Shared pooled variances are (0.8, 1.2): no dimension of zero variance. */
    ck_assert_uint_eq(e->zero_var_rows, 0);
    pmk_gnb_eval_free(e);
    pmk_gnb_free(m);

    /* Class variances: class 7 has M2 = 0 in dimension 2 (both rows at 1), so the
     * row (5,2) of label 7 counts; (3,1) and (5,1) match the mean there. */
    m = gnb_fit_tiny(PMK_GNB_VAR_CLASS, PMK_GNB_PRIOR_EMPIRICAL, NULL, 0);
    e = pmk_gnb_eval_alloc(m, NULL);
    ck_assert_int_eq(pmk_gnb_eval_add(e, m, &Q.matrix, y, NULL), PMK_OK);
    ck_assert_uint_eq(e->zero_var_rows, 1);
    pmk_gnb_eval_free(e);
    pmk_gnb_free(m);
}
END_TEST

/* ---------------------------------------------------------------- random data */

/* N rows, D features, labels from @p labs (K of them) in turn, class k centred
 * at 2k with spread 1 + k/2, shifted by @p offset. */
gsl_matrix *gnb_random_data(size_t N, size_t D, const long *labs, size_t K, double offset,
                            long **y, unsigned long seed)
{
    pmk_rng *r = pmk_rng_alloc(NULL, seed);
    gsl_matrix *X = gsl_matrix_alloc(N, D);
    *y = malloc(N * sizeof **y);
    for (size_t i = 0; i < N; i++) {
        size_t k = pmk_rng_uniform_int(r, K);
        (*y)[i] = labs[k];
        for (size_t j = 0; j < D; j++)
            gsl_matrix_set(X, i, j,
                           offset + 2.0 * (double)k * (j % 3 == 0) +
                               (1 + 0.5 * (double)k) * pmk_rng_gaussian(r));
    }
    pmk_rng_free(r);
    return X;
}

/* log alpha_k + sum_d log N(s x_d; mu_kd, v_kd), straight from the definition. */
static double direct_jll(const pmk_gnb *m, const double *x, size_t k)
{
    const gsl_matrix *mu = pmk_gnb_means(m), *v = pmk_gnb_variances(m);
    double s = pmk_gnb_get_options(m)->transform.scale, t = log(gsl_vector_get(pmk_gnb_priors(m), k));
    for (size_t d = 0; d < pmk_gnb_nfeatures(m); d++) {
        double vv = gsl_matrix_get(v, k, d), dx = s * x[d] - gsl_matrix_get(mu, k, d);
        t += -0.5 * log(2 * M_PI * vv) - 0.5 * dx * dx / vv;
    }
    return t;
}

const long gnb_five_labels[5] = {-5, 0, 2, 9, 100};

START_TEST(test_gemm_matches_direct_formula)
{
    /* N = 600 crosses the 256-row blocks; both variance modes, scale 0.5. */
    for (int mode = 0; mode < 2; mode++) {
        long *y;
        gsl_matrix *X = gnb_random_data(600, 13, gnb_five_labels, 5, 3.0, &y, 11 + mode);
        pmk_gnb_options o;
        pmk_gnb_options_init_default(&o);
        o.variance = mode ? PMK_GNB_VAR_CLASS : PMK_GNB_VAR_SHARED;
        o.transform.scale = 0.5;
        pmk_gnb *m = pmk_gnb_fit(X, y, &o, NULL);
        ck_assert_ptr_nonnull(m);
        gsl_matrix *J = gsl_matrix_alloc(600, 5), *L = gsl_matrix_alloc(600, 5);
        ck_assert_int_eq(pmk_gnb_joint_log_likelihood(m, X, J, NULL), PMK_OK);
        ck_assert_int_eq(pmk_gnb_predict_log_proba(m, X, L, NULL), PMK_OK);
        long *pred = malloc(600 * sizeof *pred);
        ck_assert_int_eq(pmk_gnb_predict(m, X, pred, NULL), PMK_OK);
        double nll = 0;
        size_t ki[600];
        for (size_t i = 0; i < 600; i++) {
            double d[5];
            size_t best = 0;
            for (size_t k = 0; k < 5; k++) {
                d[k] = direct_jll(m, gsl_matrix_const_ptr(X, i, 0), k);
                ck_assert_msg(fabs(gsl_matrix_get(J, i, k) - d[k]) <= 1e-12 * fabs(d[k]),
                              "row %zu class %zu: %.17g vs %.17g", i, k, gsl_matrix_get(J, i, k),
                              d[k]);
                if (d[k] > d[best])
                    best = k;
            }
            double lse = pmk_logsumexp(d, 5, 1);
            for (size_t k = 0; k < 5; k++)
                ck_assert_close(gsl_matrix_get(L, i, k), d[k] - lse, 1e-12);
            ck_assert_int_eq(pred[i], gnb_five_labels[best]);
            ki[i] = (size_t)pmk_gnb_class_index(m, y[i]);
            nll -= d[ki[i]];
        }
        /* The training NLL from the statistics equals the mean over the rows. */
        ck_assert_close(pmk_gnb_train_mean_nll(m), nll / 600, 1e-12);
        free(pred);
        gsl_matrix_free(J);
        gsl_matrix_free(L);
        gsl_matrix_free(X);
        free(y);
        pmk_gnb_free(m);
    }
}
END_TEST

START_TEST(test_gemm_exact_on_constant_features)
{
    /* Class variances, as on MNIST: classes 0 and 1 have features 0..39
     * always 0 (their variance there is the smoothing, 1e-9 * max Var ~ 6e-11,
     * a precision ~2e10), class 2 spreads them around 0.5; on features 40..49
     * classes 0 and 1 overlap, so their posteriors are comparable.  For a row of
     * class 0 or 1 the direct formula sums exact zeros over features 0..39;
     * an expansion centred at the class-blind mean (~0.17) would cancel two
     * terms of ~0.17^2 * 2e10 ~ 5e8 per feature, an error ~40 * 5e8 * 1e-16
     * ~ 1e-6 in the log-posteriors.  Shifting by the smallest-variance class's
     * mean keeps those terms exact: the two paths agree to 1e-9. */
    size_t N = 300, D = 50;
    gsl_matrix *X = gsl_matrix_calloc(N, D);
    long y[300];
    pmk_rng *r = pmk_rng_alloc(NULL, 4);
    for (size_t i = 0; i < N; i++) {
        y[i] = (long)(i % 3);
        for (size_t j = 0; j < D; j++) {
            if (j >= 40)
                gsl_matrix_set(X, i, j, 0.05 + 0.02 * (double)y[i] + 0.1 * pmk_rng_gaussian(r));
            else if (y[i] == 2)
                gsl_matrix_set(X, i, j, 0.5 + 0.1 * pmk_rng_gaussian(r));
        }
    }
    pmk_rng_free(r);
    pmk_gnb_options o;
    pmk_gnb_options_init_default(&o);
    o.variance = PMK_GNB_VAR_CLASS;
    pmk_gnb *m = pmk_gnb_fit(X, y, &o, NULL);
    ck_assert_ptr_nonnull(m);
    gsl_matrix *L = gsl_matrix_alloc(N, 3);
    ck_assert_int_eq(pmk_gnb_predict_log_proba(m, X, L, NULL), PMK_OK);
    size_t mixed = 0;
    for (size_t i = 0; i < N; i++) {
        if (y[i] == 2)
            continue;
        const double *x = gsl_matrix_const_ptr(X, i, 0);
        double d[3] = {direct_jll(m, x, 0), direct_jll(m, x, 1), direct_jll(m, x, 2)};
        double lse = pmk_logsumexp(d, 3, 1);
        mixed += d[0] - lse > -5 && d[1] - lse > -5;
        for (size_t k = 0; k < 2; k++)
            ck_assert_msg(fabs(gsl_matrix_get(L, i, k) - (d[k] - lse)) <= 1e-9,
                          "row %zu class %zu: %.17g vs %.17g", i, k, gsl_matrix_get(L, i, k),
                          d[k] - lse);
    }
    ck_assert_uint_gt(mixed, 50);   /* the comparison is not between saturated posteriors */
    gsl_matrix_free(L);
    gsl_matrix_free(X);
    pmk_gnb_free(m);
}
END_TEST

void gnb_assert_same_model(const pmk_gnb *a, const pmk_gnb *b, double tol)
{
    ck_assert_uint_eq(pmk_gnb_nclasses(a), pmk_gnb_nclasses(b));
    size_t K = pmk_gnb_nclasses(a), D = pmk_gnb_nfeatures(a);
    for (size_t k = 0; k < K; k++) {
        ck_assert_int_eq(pmk_gnb_labels(a)[k], pmk_gnb_labels(b)[k]);
        ck_assert(pmk_gnb_counts(a)[k] == pmk_gnb_counts(b)[k]);
        ck_assert(gsl_vector_get(pmk_gnb_priors(a), k) == gsl_vector_get(pmk_gnb_priors(b), k));
        for (size_t d = 0; d < D; d++) {
            ck_assert_close(gsl_matrix_get(pmk_gnb_means(a), k, d),
                            gsl_matrix_get(pmk_gnb_means(b), k, d), tol);
            ck_assert_close(gsl_matrix_get(pmk_gnb_m2(a), k, d),
                            gsl_matrix_get(pmk_gnb_m2(b), k, d), tol);
            ck_assert_close(gsl_matrix_get(pmk_gnb_variances(a), k, d),
                            gsl_matrix_get(pmk_gnb_variances(b), k, d), tol);
        }
    }
}

START_TEST(test_streaming_any_chunk_size)
{
    long *y;
    gsl_matrix *X = gnb_random_data(500, 7, gnb_five_labels, 5, 1e3, &y, 5);
    pmk_gnb *whole = pmk_gnb_fit(X, y, NULL, NULL);
    const size_t chunks[] = {1, 3, 64, 499};
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        pmk_gnb *m = pmk_gnb_alloc(7, NULL, NULL);
        for (size_t s = 0; s < 500; s += chunks[c]) {
            size_t n = 500 - s < chunks[c] ? 500 - s : chunks[c];
            gsl_matrix_view V = gsl_matrix_submatrix(X, s, 0, n, 7);
            ck_assert_int_eq(pmk_gnb_partial_fit(m, &V.matrix, y + s, NULL), PMK_OK);
        }
        ck_assert_int_eq(pmk_gnb_finish(m, NULL), PMK_OK);
        /* Features sit at 1e3 with spread ~1: the means agree to ~1e-16 relative;
         * M2 accumulates ~N rounding steps of 1e-16 relative: 1e-12 is generous. */
        gnb_assert_same_model(m, whole, 1e-12);
        pmk_gnb_free(m);
    }
    gsl_matrix_free(X);
    free(y);
    pmk_gnb_free(whole);
}
END_TEST

START_TEST(test_merge_equals_fit_on_union)
{
    long *y;
    gsl_matrix *X = gnb_random_data(400, 6, gnb_five_labels, 5, -2.0, &y, 8);
    /* Shard A: rows 0..249 without label 100; shard B: the rest (all labels). */
    long ya[400], yb[400];
    gsl_matrix *A = gsl_matrix_alloc(400, 6), *B = gsl_matrix_alloc(400, 6);
    size_t na = 0, nb = 0;
    for (size_t i = 0; i < 400; i++) {
        gsl_vector_const_view row = gsl_matrix_const_row(X, i);
        if (i < 250 && y[i] != 100) {
            gsl_matrix_set_row(A, na, &row.vector);
            ya[na++] = y[i];
        } else {
            gsl_matrix_set_row(B, nb, &row.vector);
            yb[nb++] = y[i];
        }
    }
    gsl_matrix_view Av = gsl_matrix_submatrix(A, 0, 0, na, 6), Bv = gsl_matrix_submatrix(B, 0, 0, nb, 6);
    pmk_gnb *ma = pmk_gnb_fit(&Av.matrix, ya, NULL, NULL), *mb = pmk_gnb_fit(&Bv.matrix, yb, NULL, NULL);
    ck_assert_uint_eq(pmk_gnb_nclasses(ma), 4);
    pmk_gnb *all = pmk_gnb_fit(X, y, NULL, NULL);
    pmk_error e;
    pmk_gnb *ab = pmk_gnb_merge(ma, mb, &e), *ba = pmk_gnb_merge(mb, ma, &e);
    ck_assert_ptr_nonnull(ab);
    ck_assert_ptr_nonnull(ba);
    gnb_assert_same_model(ab, all, 1e-12);
    gnb_assert_same_model(ba, all, 1e-12);
    ck_assert_close(pmk_gnb_train_mean_nll(ab), pmk_gnb_train_mean_nll(all), 1e-12);

    /* Different options cannot be merged. */
    pmk_gnb_options o;
    pmk_gnb_options_init_default(&o);
    o.variance = PMK_GNB_VAR_CLASS;
    pmk_gnb *mc = pmk_gnb_fit(&Bv.matrix, yb, &o, NULL);
    ck_assert_ptr_null(pmk_gnb_merge(ma, mc, &e));
    ck_assert_str_eq(e.msg, "cannot merge models with different variance modes");
    pmk_gnb_free(mc);
    pmk_gnb_free(ma);
    pmk_gnb_free(mb);
    pmk_gnb_free(ab);
    pmk_gnb_free(ba);
    pmk_gnb_free(all);
    gsl_matrix_free(A);
    gsl_matrix_free(B);
    gsl_matrix_free(X);
    free(y);
}
END_TEST

START_TEST(test_scale_is_applied)
{
    /* Fitting X with scale 0.5 is fitting X/2 with scale 1; predicting X with
     * the first model is predicting X/2 with the second. */
    long *y;
    gsl_matrix *X = gnb_random_data(80, 4, gnb_five_labels, 3, 0, &y, 2);
    gsl_matrix *H = gsl_matrix_alloc(80, 4);
    gsl_matrix_memcpy(H, X);
    gsl_matrix_scale(H, 0.5);
    pmk_gnb_options o;
    pmk_gnb_options_init_default(&o);
    o.transform.scale = 0.5;
    pmk_gnb *a = pmk_gnb_fit(X, y, &o, NULL), *b = pmk_gnb_fit(H, y, NULL, NULL);
    gnb_assert_same_model(a, b, 1e-15);
    gsl_matrix *Ja = gsl_matrix_alloc(80, 3), *Jb = gsl_matrix_alloc(80, 3);
    pmk_gnb_joint_log_likelihood(a, X, Ja, NULL);
    pmk_gnb_joint_log_likelihood(b, H, Jb, NULL);
    for (size_t i = 0; i < 80; i++)
        for (size_t k = 0; k < 3; k++)
            ck_assert_close(gsl_matrix_get(Ja, i, k), gsl_matrix_get(Jb, i, k), 1e-13);
    gsl_matrix_free(Ja), gsl_matrix_free(Jb), gsl_matrix_free(H), gsl_matrix_free(X);
    free(y);
    pmk_gnb_free(a);
    pmk_gnb_free(b);
}
END_TEST

START_TEST(test_auto_scale)
{
    /* The default scale is pmk_transform_auto, chosen at finish from the raw
     * values: gnb_tiny_x is integers 0..6, so 1/255, and the statistics gathered
     * raw and rescaled equal a fit with the scale given (to rounding); x + 0.5
     * is not bytes, so 1, exactly the fit with scale 1. */
    gsl_matrix_const_view X = gsl_matrix_const_view_array(&gnb_tiny_x[0][0], 5, 2);
    pmk_gnb_options o;
    pmk_gnb_options_init_default(&o);
    ck_assert(o.transform.scale == 0);
    pmk_gnb *a = pmk_gnb_fit(&X.matrix, gnb_tiny_y, &o, NULL);
    ck_assert(pmk_gnb_get_options(a)->transform.scale == 1.0 / 255);
    o.transform.scale = 1.0 / 255;
    pmk_gnb *b = pmk_gnb_fit(&X.matrix, gnb_tiny_y, &o, NULL);
    gnb_assert_same_model(a, b, 1e-15);
    /* a scale the user asks for is checked against the model's */
    pmk_error e;
    pmk_transform asked;
    pmk_transform_init(&asked);
    ck_assert_int_eq(pmk_gnb_check_transform(a, &asked, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "scale 1 contradicts the model's scale 0.0039215686274509803 (it "
                            "was fitted with it)");
    asked.scale = 0;
    ck_assert_int_eq(pmk_gnb_check_transform(a, &asked, &e), PMK_OK);
    asked.scale = 1.0 / 255;
    ck_assert_int_eq(pmk_gnb_check_transform(a, &asked, &e), PMK_OK);
    pmk_gnb_free(a);
    pmk_gnb_free(b);
    gsl_matrix *H = gsl_matrix_alloc(5, 2);
    gsl_matrix_memcpy(H, &X.matrix);
    gsl_matrix_add_constant(H, 0.5);
    o.transform.scale = 0;
    a = pmk_gnb_fit(H, gnb_tiny_y, &o, NULL);
    o.transform.scale = 1;
    b = pmk_gnb_fit(H, gnb_tiny_y, &o, NULL);
    ck_assert(pmk_gnb_get_options(a)->transform.scale == 1);
    gnb_assert_same_model(a, b, 0);
    pmk_gnb_free(a);
    pmk_gnb_free(b);
    gsl_matrix_free(H);
}
END_TEST

START_TEST(test_binarize_and_check01)
{
    pmk_gnb_options o;
    pmk_gnb_options_init_default(&o);
    pmk_error e;
    /* a threshold or the check needs the scale before the first row */
    o.transform.threshold = 0.5;
    ck_assert_int_eq(pmk_gnb_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "binarizing needs an explicit scale: a streaming fit chooses the "
                            "automatic scale only after the last row");
    /* x/5 >= 0.5 binarizes gnb_tiny_x to (0,0) (0,0) (0,1) | (1,0) (1,0) */
    o.transform.scale = 0.2;
    o.var_smoothing = 0.25;
    gsl_matrix_const_view X = gsl_matrix_const_view_array(&gnb_tiny_x[0][0], 5, 2);
    pmk_gnb *m = pmk_gnb_fit(&X.matrix, gnb_tiny_y, &o, &e);
    ck_assert_msg(m != NULL, "%s", e.msg);
    const gsl_matrix *mu = pmk_gnb_means(m);
    ck_assert(gsl_matrix_get(mu, 0, 0) == 0 && gsl_matrix_get(mu, 0, 1) == 1.0 / 3);
    ck_assert(gsl_matrix_get(mu, 1, 0) == 1 && gsl_matrix_get(mu, 1, 1) == 0);
    /* saved as format version 2 with the transform, loaded back the same */
    const char *dir = test_tmpdir();
    char p[512];
    snprintf(p, sizeof p, "%s/bin.gnb", dir);
    ck_assert_int_eq(pmk_gnb_save(m, p, &e), PMK_OK);
    pmk_gnb *l = NULL;
    ck_assert_int_eq(pmk_gnb_load(p, &l, &e), PMK_OK);
    const pmk_transform *tf = &pmk_gnb_get_options(l)->transform;
    ck_assert(tf->scale == 0.2 && tf->threshold == 0.5 && tf->check01 == 0);
    FILE *f = fopen(p, "r");
    char line[64];
    ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
    ck_assert_str_eq(line, "pmk-gnb 2\n");
    fclose(f);
    unlink(p);
    rmdir(dir);
    pmk_gnb_free(l);
    pmk_gnb_free(m);
    /* the [0,1] check names the row and column (x = 2 on row 2, scale 1/5 is
     * fine, scale 1 is not) and leaves the model unchanged */
    o.transform.threshold = 0;
    o.transform.check01 = 1;
    o.transform.scale = 1;
    m = pmk_gnb_alloc(2, &o, NULL);
    ck_assert_int_eq(pmk_gnb_partial_fit(m, &X.matrix, gnb_tiny_y, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "value 2 is outside [0,1]");
    ck_assert(e.line == 2 && e.column == 1);
    ck_assert(pmk_gnb_ntrain(m) == 0);
    pmk_gnb_free(m);
}
END_TEST

START_TEST(test_huge_features_stay_finite)
{
    /* Features of +-1e6 (spread 1e6 around 0): log-likelihood gaps between
     * classes of order 1e0..1e2, quadratic terms of order 1e0 after centring;
     * the posteriors must be finite, in [0,1], and sum to 1 within 1e-12. */
    long *y;
    gsl_matrix *X = gnb_random_data(300, 9, gnb_five_labels, 5, 0, &y, 3);
    gsl_matrix_scale(X, 1e6);
    for (int mode = 0; mode < 2; mode++) {
        pmk_gnb_options o;
        pmk_gnb_options_init_default(&o);
        o.variance = mode;
        pmk_gnb *m = pmk_gnb_fit(X, y, &o, NULL);
        ck_assert_ptr_nonnull(m);
        gsl_matrix *P = gsl_matrix_alloc(302, 5);
        gsl_matrix *Q = gsl_matrix_alloc(302, 9);
        gsl_matrix_view top = gsl_matrix_submatrix(Q, 0, 0, 300, 9);
        gsl_matrix_memcpy(&top.matrix, X);
        for (size_t j = 0; j < 9; j++) {
            gsl_matrix_set(Q, 300, j, j % 2 ? 1e6 : -1e6);   /* far from every class */
            gsl_matrix_set(Q, 301, j, 1e9);
        }
        ck_assert_int_eq(pmk_gnb_predict_proba(m, Q, P, NULL), PMK_OK);
        for (size_t i = 0; i < 302; i++) {
            double s = 0;
            for (size_t k = 0; k < 5; k++) {
                double p = gsl_matrix_get(P, i, k);
                ck_assert_msg(isfinite(p) && p >= 0 && p <= 1, "row %zu: %g", i, p);
                s += p;
            }
            ck_assert_close(s, 1.0, 1e-12);
        }
        gsl_matrix_free(P);
        gsl_matrix_free(Q);
        pmk_gnb_free(m);
    }
    gsl_matrix_free(X);
    free(y);
}
END_TEST

char *gnb_model_text(const pmk_gnb *m)
{
    char *t = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&t, &len);
    ck_assert_int_eq(pmk_gnb_write(m, f, NULL), PMK_OK);
    fclose(f);
    return t;
}

Suite *suite_gnb(void)
{
    Suite *s = suite_create("gnb");
    TCase *t = tcase_create("model");
    tcase_add_test(t, test_tiny_shared_by_hand);
    tcase_add_test(t, test_tiny_class_variance_and_priors);
    tcase_add_test(t, test_tiny_eval_by_hand);
    tcase_add_test(t, test_gemm_matches_direct_formula);
    tcase_add_test(t, test_gemm_exact_on_constant_features);
    tcase_add_test(t, test_streaming_any_chunk_size);
    tcase_add_test(t, test_merge_equals_fit_on_union);
    tcase_add_test(t, test_scale_is_applied);
    tcase_add_test(t, test_auto_scale);
    tcase_add_test(t, test_binarize_and_check01);
    tcase_add_test(t, test_huge_features_stay_finite);
    suite_add_tcase(s, t);
    suite_gnb_more(s);   /* check_gnb_more.c */
    suite_gnb_data(s);   /* check_gnb_data.c */
    suite_gnb_weights(s);   /* check_gnb_weights.c */
    suite_gnb_tokens(s);    /* check_gnb_tokens.c */
    suite_gnb_full(s);   /* check_gnb_full.c */
    suite_gnb_files(s);   /* check_gnb_files.c */
    suite_gnb_feed(s);    /* check_gnb_feed.c */
    return s;
}
