/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_gnb_full.c: the gnb suite's full shared covariance (--covariance
 * full): a hand-worked 2-D case (Sigma, the ridge, a posterior, J and the
 * training NLL), streaming, merge and weights against the one-pass fit,
 * the model file's round trip, the options and the refusals. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_linalg.h>

#include "check_gnb.h"

/* Class 0: (0,0), (2,2): mean (1,1), scatter [[2,2],[2,2]].  Class 1:
 * (3,1), (5,1): mean (4,1), scatter [[2,0],[0,0]].  S = [[4,2],[2,2]], N 4,
 * Sigma = S / 4 = [[1,.5],[.5,.5]], det 1/4, Sigma^-1 = [[2,-2],[-2,4]].
 * At x = (2,1): x - mu_0 = (1,0), quadratic form 2; x - mu_1 = (-2,0),
 * quadratic form 8; equal priors, so log p(0|x) - log p(1|x) = -(2 - 8)/2 =
 * 3 and p(0|x) = 1 / (1 + e^-3). */
static const double hx[4][2] = {{0, 0}, {3, 1}, {2, 2}, {5, 1}};
static const long hy[4] = {0, 1, 0, 1};

static pmk_gnb_options full_options(double ridge)
{
    pmk_gnb_options o;
    pmk_gnb_options_init_default(&o);
    o.transform.scale = 1;
    o.covariance = PMK_GNB_COV_FULL;
    o.ridge = ridge;
    return o;
}

static pmk_gnb *fit_hand(double ridge)
{
    pmk_gnb_options o = full_options(ridge);
    gsl_matrix_const_view X = gsl_matrix_const_view_array(&hx[0][0], 4, 2);
    pmk_gnb *m = pmk_gnb_fit(&X.matrix, hy, &o, NULL);
    ck_assert_ptr_nonnull(m);
    return m;
}

START_TEST(test_full_hand)
{
    pmk_gnb *m = fit_hand(0);
    const gsl_matrix *S = pmk_gnb_covariance(m);
    ck_assert_ptr_nonnull(S);
    ck_assert_close(gsl_matrix_get(S, 0, 0), 1.0, 1e-15);
    ck_assert_close(gsl_matrix_get(S, 0, 1), 0.5, 1e-15);
    ck_assert_close(gsl_matrix_get(S, 1, 0), 0.5, 1e-15);
    ck_assert_close(gsl_matrix_get(S, 1, 1), 0.5, 1e-15);
    ck_assert(pmk_gnb_ridge_added(m) == 0);
    double x[2] = {2, 1}, p[2], l[2], j[2];
    gsl_matrix_view X = gsl_matrix_view_array(x, 1, 2), P = gsl_matrix_view_array(p, 1, 2);
    gsl_matrix_view L = gsl_matrix_view_array(l, 1, 2), J = gsl_matrix_view_array(j, 1, 2);
    ck_assert_int_eq(pmk_gnb_predict_proba(m, &X.matrix, &P.matrix, NULL), PMK_OK);
    ck_assert_close(p[0], 1 / (1 + exp(-3.0)), 1e-14);
    ck_assert_close(p[1], 1 / (1 + exp(3.0)), 1e-14);
    ck_assert_int_eq(pmk_gnb_predict_log_proba(m, &X.matrix, &L.matrix, NULL), PMK_OK);
    ck_assert_close(l[0], -log1p(exp(-3.0)), 1e-14);
    /* J = log 1/2 - quad/2 - 1/2 log det(2 pi Sigma), log det = 2 log 2pi + log 1/4 */
    double half_logdet = 0.5 * (2 * log(2 * M_PI) + log(0.25));
    ck_assert_int_eq(pmk_gnb_joint_log_likelihood(m, &X.matrix, &J.matrix, NULL), PMK_OK);
    ck_assert_close(j[0], log(0.5) - 1 - half_logdet, 1e-14);
    ck_assert_close(j[1], log(0.5) - 4 - half_logdet, 1e-14);
    long lab;
    ck_assert_int_eq(pmk_gnb_predict(m, &X.matrix, &lab, NULL), PMK_OK);
    ck_assert_int_eq(lab, 0);
    /* NLL = log 2 + 1/2 log det(2 pi Sigma) + trace(Sigma^-1 S) / 2N, the
     * trace being D = 2 without a ridge */
    ck_assert_close(pmk_gnb_train_mean_nll(m), log(2.0) + half_logdet + 1, 1e-14);
    pmk_gnb_free(m);
    /* the ridge: 0.1 x the mean variance (1 + 0.5) / 2 on the diagonal */
    m = fit_hand(0.1);
    ck_assert_close(pmk_gnb_ridge_added(m), 0.075, 1e-15);
    S = pmk_gnb_covariance(m);
    ck_assert_close(gsl_matrix_get(S, 0, 0), 1.075, 1e-15);
    ck_assert_close(gsl_matrix_get(S, 1, 1), 0.575, 1e-15);
    ck_assert_close(gsl_matrix_get(S, 0, 1), 0.5, 1e-15);
    pmk_gnb_free(m);
}
END_TEST

/* log alpha_k + log N(s x; mu_k, Sigma), straight from the definition. */
static double direct_jll(const pmk_gnb *m, const double *x, size_t k)
{
    size_t D = pmk_gnb_nfeatures(m);
    const gsl_matrix *Sg = pmk_gnb_covariance(m), *mu = pmk_gnb_means(m);
    double s = pmk_gnb_get_options(m)->transform.scale;
    gsl_matrix *L = gsl_matrix_alloc(D, D);
    gsl_vector *d = gsl_vector_alloc(D);
    gsl_matrix_memcpy(L, Sg);
    ck_assert_int_eq(gsl_linalg_cholesky_decomp1(L), 0);
    for (size_t j = 0; j < D; j++)
        gsl_vector_set(d, j, s * x[j] - gsl_matrix_get(mu, k, j));
    gsl_blas_dtrsv(CblasLower, CblasNoTrans, CblasNonUnit, L, d);   /* L^-1 (x - mu) */
    double q = 0, logdet = 0;
    for (size_t j = 0; j < D; j++) {
        q += gsl_vector_get(d, j) * gsl_vector_get(d, j);
        logdet += 2 * log(gsl_matrix_get(L, j, j));
    }
    gsl_matrix_free(L);
    gsl_vector_free(d);
    return log(gsl_vector_get(pmk_gnb_priors(m), k)) - 0.5 * (q + logdet + D * log(2 * M_PI));
}

/* Fits rows [from, to) of X in chunks of @p chunk, not finished. */
static pmk_gnb *stream(const gsl_matrix *X, const long *y, const double *w, size_t from,
                       size_t to, size_t chunk, const pmk_gnb_options *o)
{
    pmk_gnb *m = pmk_gnb_alloc(X->size2, o, NULL);
    ck_assert_ptr_nonnull(m);
    for (size_t s = from; s < to; s += chunk) {
        size_t n = to - s < chunk ? to - s : chunk;
        gsl_matrix_const_view V = gsl_matrix_const_submatrix(X, s, 0, n, X->size2);
        ck_assert_int_eq(pmk_gnb_partial_fit_weighted(m, &V.matrix, y + s, w ? w + s : NULL,
                                                      NULL), PMK_OK);
    }
    ck_assert_int_eq(pmk_gnb_finish(m, NULL), PMK_OK);
    return m;
}

static void assert_same_full(const pmk_gnb *a, const pmk_gnb *b, const gsl_matrix *X,
                             double tol)
{
    gnb_assert_same_model(a, b, tol);
    const gsl_matrix *Sa = pmk_gnb_covariance(a), *Sb = pmk_gnb_covariance(b);
    size_t D = Sa->size1, N = X->size1, K = pmk_gnb_nclasses(a);
    for (size_t i = 0; i < D; i++)
        for (size_t j = 0; j < D; j++)
            ck_assert_close(gsl_matrix_get(Sa, i, j), gsl_matrix_get(Sb, i, j), tol);
    gsl_matrix *Ja = gsl_matrix_alloc(N, K), *Jb = gsl_matrix_alloc(N, K);
    ck_assert_int_eq(pmk_gnb_joint_log_likelihood(a, X, Ja, NULL), PMK_OK);
    ck_assert_int_eq(pmk_gnb_joint_log_likelihood(b, X, Jb, NULL), PMK_OK);
    for (size_t i = 0; i < N; i++)
        for (size_t k = 0; k < K; k++)
            ck_assert_close(gsl_matrix_get(Ja, i, k), gsl_matrix_get(Jb, i, k), tol);
    ck_assert_close(pmk_gnb_train_mean_nll(a), pmk_gnb_train_mean_nll(b), tol);
    gsl_matrix_free(Ja);
    gsl_matrix_free(Jb);
}

START_TEST(test_full_stream_merge)
{
    long *y;
    gsl_matrix *X = gnb_random_data(500, 7, gnb_five_labels, 5, 3.0, &y, 29);
    pmk_gnb_options o = full_options(1e-3);
    o.transform.scale = 0.5;
    pmk_gnb *one = stream(X, y, NULL, 0, 500, 500, &o);
    pmk_gnb *chunks = stream(X, y, NULL, 0, 500, 37, &o);
    pmk_gnb *a = stream(X, y, NULL, 0, 250, 64, &o), *b = stream(X, y, NULL, 250, 500, 500, &o);
    pmk_gnb *ab = pmk_gnb_merge(a, b, NULL);
    ck_assert_ptr_nonnull(ab);
    assert_same_full(one, chunks, X, 1e-12);
    assert_same_full(one, ab, X, 1e-12);
    /* J is the definition's */
    gsl_matrix *J = gsl_matrix_alloc(500, 5);
    ck_assert_int_eq(pmk_gnb_joint_log_likelihood(one, X, J, NULL), PMK_OK);
    for (size_t i = 0; i < 500; i += 17)
        for (size_t k = 0; k < 5; k++)
            ck_assert_close(gsl_matrix_get(J, i, k),
                            direct_jll(one, gsl_matrix_const_ptr(X, i, 0), k), 1e-11);
    /* the automatic scale, chosen at finish, rescales the scatter too */
    pmk_gnb_options oa = o;
    oa.transform.scale = 0;
    pmk_gnb *au = stream(X, y, NULL, 0, 500, 100, &oa);
    pmk_gnb_options o1 = o;
    o1.transform.scale = 1;
    pmk_gnb *s1 = stream(X, y, NULL, 0, 500, 500, &o1);
    assert_same_full(s1, au, X, 1e-12);
    /* a diagonal model and a full one do not merge */
    pmk_gnb_options od = o;
    od.covariance = PMK_GNB_COV_DIAG;
    pmk_gnb *d = stream(X, y, NULL, 0, 500, 500, &od);
    ck_assert_ptr_null(pmk_gnb_covariance(d));
    pmk_error err;
    ck_assert_ptr_null(pmk_gnb_merge(a, d, &err));
    ck_assert_str_eq(err.msg, "cannot merge models with different covariance kinds or ridges");
    gsl_matrix_free(J);
    gsl_matrix_free(X);
    free(y);
    pmk_gnb_free(one), pmk_gnb_free(chunks), pmk_gnb_free(a), pmk_gnb_free(b);
    pmk_gnb_free(ab), pmk_gnb_free(au), pmk_gnb_free(s1), pmk_gnb_free(d);
}
END_TEST

START_TEST(test_full_weights)
{
    /* weight 2 is the row twice, weight 0 the row absent (to rounding:
     * the centred rows are scaled by sqrt(w)) */
    long *y;
    gsl_matrix *X = gnb_random_data(60, 4, gnb_five_labels, 5, 1.0, &y, 31);
    gsl_matrix *X2 = gsl_matrix_alloc(90, 4);
    long y2[90];
    double w[60];
    size_t n = 0;
    for (size_t i = 0; i < 60; i++) {
        w[i] = i % 3 == 0 ? 2 : i % 3 == 1 ? 1 : 0;
        for (double c = 0; c < w[i]; c++) {
            gsl_vector_const_view r = gsl_matrix_const_row(X, i);
            gsl_matrix_set_row(X2, n, &r.vector);
            y2[n++] = y[i];
        }
    }
    ck_assert_uint_eq(n, 60);
    gsl_matrix_view X2v = gsl_matrix_submatrix(X2, 0, 0, n, 4);
    pmk_gnb_options o = full_options(1e-3);
    pmk_gnb *mw = stream(X, y, w, 0, 60, 11, &o), *md = stream(&X2v.matrix, y2, NULL, 0, n, n, &o);
    assert_same_full(mw, md, X, 1e-12);
    gsl_matrix_free(X);
    gsl_matrix_free(X2);
    free(y);
    pmk_gnb_free(mw);
    pmk_gnb_free(md);
}
END_TEST

/* Loads @p text as the model file m.gnb of a fresh folder; the messages
 * name it: the part after "m.gnb:" is left in err->msg. */
static int read_text(const char *text, pmk_gnb **out, pmk_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/m.gnb", test_tmpdir());
    test_write_file(path, text, strlen(text));
    int rc = pmk_gnb_load(path, out, err);
    remove(path);
    const char *at = rc ? strstr(err->msg, "m.gnb:") : NULL;   /* msg is set on failure only */
    if (at)
        memmove(err->msg, at, strlen(at) + 1);
    return rc;
}

START_TEST(test_full_file)
{
    pmk_gnb *m = fit_hand(0.1), *back = NULL;
    char *t = gnb_model_text(m);
    ck_assert_str_eq(t, "pmk-gnb 4\nfeatures 2\nclasses 2\nrows 4\nvariance shared\n"
                        "priors empirical\nscale 1\nvar_smoothing 1.0000000000000001e-09\n"
                        "var_floor 0\ncovariance full\nridge 0.10000000000000001\nlabels 0 1\n"
                        "data\nclass 0 2\nmean 1 1\nm2 2 2\nclass 1 2\nmean 4 1\nm2 2 0\n"
                        "scatter 4 2\nscatter 2\nend\n");
    pmk_error err;
    ck_assert_int_eq(read_text(t, &back, &err), PMK_OK);
    char *t2 = gnb_model_text(back);
    ck_assert_str_eq(t, t2);
    ck_assert_close(gsl_matrix_get(pmk_gnb_covariance(back), 0, 0), 1.075, 1e-15);
    pmk_gnb_free(back);
    free(t2);
    /* refusals, each naming its line */
    char *bad = malloc(strlen(t) + 64);   /* room for the longer edits below */
    strcpy(bad, t);
    strstr(bad, "scatter 2\n")[8] = '9';   /* 'scatter 9': not what the data say, but readable */
    ck_assert_int_eq(read_text(bad, &back, &err), PMK_OK);
    pmk_gnb_free(back);
    strcpy(strstr(bad, "scatter 4 2\n"), "scatter -1 2\nscatter 2\nend\n");
    ck_assert_int_eq(read_text(bad, &back, &err), PMK_EFORMAT);
    ck_assert_str_eq(err.msg, "m.gnb:20:2: a diagonal scatter value cannot be negative (-1)");
    strcpy(strstr(bad, "scatter -1 2\n"), "scatter 4 2\nend\n");
    ck_assert_int_eq(read_text(bad, &back, &err), PMK_EFORMAT);
    ck_assert_str_eq(err.msg, "m.gnb:21:1: expected 'scatter' row 2 of 2");
    strcpy(strstr(bad, "covariance full"), "covariance half\n");
    ck_assert_int_eq(read_text(bad, &back, &err), PMK_EFORMAT);
    ck_assert_str_eq(err.msg, "m.gnb:10:2: covariance must be 'diag' or 'full', not 'half'");
    free(bad);
    free(t);
    pmk_gnb_free(m);
}
END_TEST

START_TEST(test_full_options)
{
    pmk_gnb_options o;
    pmk_gnb_options_init_default(&o);
    ck_assert_int_eq(o.covariance, PMK_GNB_COV_DIAG);
    ck_assert(o.ridge == PMK_GNB_RIDGE_DEFAULT);
    pmk_error err;
    ck_assert_int_eq(pmk_gnb_options_set(&o, "covariance", "full", NULL, &err), PMK_OK);
    ck_assert_int_eq(o.covariance, PMK_GNB_COV_FULL);
    ck_assert_int_eq(pmk_gnb_options_set(&o, "ridge", "0.25", NULL, &err), PMK_OK);
    ck_assert(o.ridge == 0.25);
    ck_assert_int_eq(pmk_gnb_options_set(&o, "covariance", "tied", NULL, &err), PMK_EINVAL);
    ck_assert_str_eq(err.msg, "'diag' or 'full', not 'tied'");
    o.ridge = -1;
    ck_assert_int_eq(pmk_gnb_options_check(&o, &err), PMK_EINVAL);
    ck_assert_str_eq(err.msg, "the ridge must be >= 0, not -1");
    o.ridge = 0;
    o.variance = PMK_GNB_VAR_CLASS;
    ck_assert_int_eq(pmk_gnb_options_check(&o, &err), PMK_EINVAL);
    ck_assert_str_eq(err.msg, "a full covariance is shared by the classes: not with one "
                              "variance per class");
    /* singular without a ridge: x2 = 2 x1 in every row */
    static const double sx[4][2] = {{0, 0}, {1, 2}, {3, 6}, {5, 10}};
    pmk_gnb_options f = full_options(0);
    gsl_matrix_const_view X = gsl_matrix_const_view_array(&sx[0][0], 4, 2);
    ck_assert_ptr_null(pmk_gnb_fit(&X.matrix, hy, &f, &err));
    ck_assert_int_eq(err.code, PMK_EDATA);
    ck_assert_str_eq(err.msg, "the covariance matrix is not positive definite, even with the "
                              "ridge (0 x the mean variance = 0 added to its diagonal): give a "
                              "larger --ridge");
    f.ridge = 1e-6;
    pmk_gnb *m = pmk_gnb_fit(&X.matrix, hy, &f, &err);
    ck_assert_ptr_nonnull(m);
    pmk_gnb_free(m);
}
END_TEST

void suite_gnb_full(Suite *s)
{
    TCase *t = tcase_create("full covariance");
    tcase_add_test(t, test_full_hand);
    tcase_add_test(t, test_full_stream_merge);
    tcase_add_test(t, test_full_weights);
    tcase_add_test(t, test_full_file);
    tcase_add_test(t, test_full_options);
    suite_add_tcase(s, t);
}
