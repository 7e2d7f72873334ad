/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_gnb_more.c: the gnb suite's second half: two threads fitting at once,
 * the exact message for each bad input, model files (round trips, locale,
 * good and bad fixtures). */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_gnb.h"

/* ---------------------------------------------------------------- reentrancy */

struct thread_job {
    unsigned long seed;
    int variance;
    gsl_matrix *L;   /* out: log-posteriors of the training rows */
    double nll;
};

static void *fit_job(void *arg)
{
    struct thread_job *j = arg;
    long *y;
    gsl_matrix *X = gnb_random_data(400, 20, gnb_five_labels, 5, 1.0, &y, j->seed);
    pmk_gnb_options o;
    pmk_gnb_options_init_default(&o);
    o.variance = j->variance;
    /* Streamed in chunks of 37 rows, to run the whole partial_fit path. */
    pmk_gnb *m = pmk_gnb_alloc(20, &o, NULL);
    for (size_t s = 0; s < 400; s += 37) {
        size_t n = 400 - s < 37 ? 400 - s : 37;
        gsl_matrix_view V = gsl_matrix_submatrix(X, s, 0, n, 20);
        pmk_gnb_partial_fit(m, &V.matrix, y + s, NULL);
    }
    pmk_gnb_finish(m, NULL);
    j->L = gsl_matrix_alloc(400, 5);
    pmk_gnb_predict_log_proba(m, X, j->L, NULL);
    j->nll = pmk_gnb_train_mean_nll(m);
    pmk_gnb_free(m);
    gsl_matrix_free(X);
    free(y);
    return NULL;
}

START_TEST(test_two_threads_same_as_alone)
{
    /* No global state: two different fits run at once in two threads give
     * bit for bit what each gives alone. */
    struct thread_job alone[2] = {{31, PMK_GNB_VAR_SHARED, NULL, 0}, {32, PMK_GNB_VAR_CLASS, NULL, 0}};
    struct thread_job both[2] = {alone[0], alone[1]};
    fit_job(&alone[0]);
    fit_job(&alone[1]);
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, fit_job, &both[i]), 0);
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_join(t[i], NULL), 0);
    for (int i = 0; i < 2; i++) {
        ck_assert(both[i].nll == alone[i].nll);
        ck_assert(gsl_matrix_equal(both[i].L, alone[i].L));
        gsl_matrix_free(both[i].L);
        gsl_matrix_free(alone[i].L);
    }
}
END_TEST

/* ---------------------------------------------------------------- bad inputs */

START_TEST(test_bad_inputs)
{
    pmk_error e;
    pmk_gnb *m = gnb_fit_tiny(PMK_GNB_VAR_SHARED, PMK_GNB_PRIOR_EMPIRICAL, NULL, 0);
    /* The data's D does not match the model's. */
    gsl_matrix *X3 = gsl_matrix_calloc(2, 3), *J = gsl_matrix_alloc(2, 2);
    long lab[2];
    ck_assert_int_eq(pmk_gnb_predict(m, X3, lab, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the data have 3 features, the model 2");
    ck_assert_int_eq(pmk_gnb_joint_log_likelihood(m, X3, J, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the data have 3 features, the model 2");
    /* A label never seen in training, on the second row. */
    gsl_matrix *X2 = gsl_matrix_calloc(2, 2);
    const long y2[2] = {3, 5};
    pmk_gnb_eval *ev = pmk_gnb_eval_alloc(m, NULL);
    ck_assert_int_eq(pmk_gnb_eval_add(ev, m, X2, y2, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "label 5 was not seen in training (the model has 2 classes, labels 3 to 7)");
    ck_assert_int_eq(e.line, 2);
    ck_assert_uint_eq(ev->n, 0);
    pmk_gnb_eval_free(ev);
    /* Empty training data. */
    pmk_gnb *empty = pmk_gnb_alloc(2, NULL, NULL);
    gsl_matrix_view none = gsl_matrix_submatrix(X2, 0, 0, 0 + 1, 2);
    (void)none;
    ck_assert_int_eq(pmk_gnb_finish(empty, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "no training rows");
    ck_assert_int_eq(pmk_gnb_predict(empty, X2, lab, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the model is not fitted");
    pmk_gnb_free(empty);
    /* Prior lists: wrong sum, wrong length, a zero entry. */
    pmk_gnb_options o;
    pmk_gnb_options_init_default(&o);
    o.priors = PMK_GNB_PRIOR_EXPLICIT;
    const double bad_sum[2] = {0.5, 0.6}, three[3] = {0.2, 0.3, 0.5}, zero[2] = {0, 1};
    o.prior = bad_sum;
    o.n_prior = 2;
    ck_assert_int_eq(pmk_gnb_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "explicit priors: they sum to 1.1000000000000001, not 1 (within 1e-9)");
    ck_assert_ptr_null(pmk_gnb_alloc(2, &o, &e));
    o.prior = zero;
    ck_assert_int_eq(pmk_gnb_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "explicit priors: entry 1 is 0, not in (0, 1]");
    o.prior = three;
    o.n_prior = 3;
    gsl_matrix_const_view T = gsl_matrix_const_view_array(&gnb_tiny_x[0][0], 5, 2);
    ck_assert_ptr_null(pmk_gnb_fit(&T.matrix, gnb_tiny_y, &o, &e));
    ck_assert_int_eq(e.code, PMK_EINVAL);
    ck_assert_str_eq(e.msg, "3 explicit priors given for 2 classes (one per label, in increasing label order)");
    /* Within 1e-9 of 1 is accepted. */
    const double near1[2] = {0.5, 0.5 + 5e-10};
    o.prior = near1;
    o.n_prior = 2;
    ck_assert_int_eq(pmk_gnb_options_check(&o, NULL), PMK_OK);
    /* A non-finite value in a training chunk names its row and column. */
    pmk_gnb *g = pmk_gnb_alloc(2, NULL, NULL);
    gsl_matrix_set(X2, 1, 1, INFINITY);
    ck_assert_int_eq(pmk_gnb_partial_fit(g, X2, y2, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "value inf is not finite after scaling");
    ck_assert_int_eq(e.line, 2);
    ck_assert_int_eq(e.column, 2);
    ck_assert_uint_eq(pmk_gnb_nclasses(g), 0);
    /* Too many classes names the row of the first label too many. */
    pmk_gnb_options_init_default(&o);
    o.max_classes = 1;
    pmk_gnb *g1 = pmk_gnb_alloc(2, &o, NULL);
    gsl_matrix_set(X2, 1, 1, 0);
    ck_assert_int_eq(pmk_gnb_partial_fit(g1, X2, y2, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "label 5 makes more than 1 classes (is the label column right?)");
    ck_assert_int_eq(e.line, 2);
    /* Every feature constant and no smoothing floor to rescue it. */
    ck_assert_int_eq(pmk_gnb_partial_fit(g, X2, y2, &e), PMK_OK);
    ck_assert_int_eq(pmk_gnb_finish(g, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "feature 1 has zero variance and there is no smoothing or floor to "
                            "raise it (every feature is constant?)");
    pmk_gnb_free(g);
    pmk_gnb_free(g1);
    gsl_matrix_free(X2);
    gsl_matrix_free(X3);
    gsl_matrix_free(J);
    pmk_gnb_free(m);
}
END_TEST

/* ---------------------------------------------------------------- files */

START_TEST(test_save_load_round_trip)
{
    const char *dir = test_tmpdir();
    char p1[512], p2[512];
    snprintf(p1, sizeof p1, "%s/a.gnb", dir);
    snprintf(p2, sizeof p2, "%s/b.gnb", dir);
    long *y;
    gsl_matrix *X = gnb_random_data(120, 5, gnb_five_labels, 5, 0.1, &y, 21);
    const double pl[5] = {0.1, 0.2, 0.3, 0.15, 0.25};
    for (int mode = 0; mode < 3; mode++) {
        pmk_gnb_options o;
        pmk_gnb_options_init_default(&o);
        o.transform.scale = 1.0 / 255;
        o.var_floor = mode == 1 ? 0.5 : 0;
        o.variance = mode == 1 ? PMK_GNB_VAR_CLASS : PMK_GNB_VAR_SHARED;
        if (mode == 2) {
            o.priors = PMK_GNB_PRIOR_EXPLICIT;
            o.prior = pl;
            o.n_prior = 5;
        }
        pmk_gnb *m = pmk_gnb_fit(X, y, &o, NULL), *l = NULL;
        pmk_error e;
        ck_assert_int_eq(pmk_gnb_save(m, p1, &e), PMK_OK);
        ck_assert_msg(pmk_gnb_load(p1, &l, &e) == PMK_OK, "%s", e.msg);
        ck_assert_int_eq(pmk_gnb_save(l, p2, &e), PMK_OK);
        size_t n1, n2;
        char *b1 = test_read_file(p1, &n1), *b2 = test_read_file(p2, &n2);
        ck_assert_uint_eq(n1, n2);
        ck_assert(memcmp(b1, b2, n1) == 0);
        /* Loading restores every double exactly. */
        gnb_assert_same_model(l, m, 0);
        ck_assert(pmk_gnb_get_options(l)->transform.scale == 1.0 / 255);
        ck_assert_int_eq(pmk_gnb_get_options(l)->variance, o.variance);
        ck_assert_int_eq(pmk_gnb_get_options(l)->priors, o.priors);
        free(b1);
        free(b2);
        pmk_gnb_free(m);
        pmk_gnb_free(l);
    }
    unlink(p1);
    unlink(p2);
    rmdir(dir);
    gsl_matrix_free(X);
    free(y);
}
END_TEST

START_TEST(test_save_ignores_locale)
{
    /* Under a locale whose decimal point is ',' (de_DE, built once per runner by
     * test_de_locale, as check_csv does), printf would write
     * "0,25" and strtod stop at the '.'; the file must be the C-locale one,
     * byte for byte, read back exactly, and the caller's locale kept.
     * Without localedef or the de_DE source there is nothing to check. */
    const char *dir = test_tmpdir();
    char p[512];
    if (!test_de_locale()) {
        fprintf(stderr, "check_gnb: no de_DE locale could be built: locale test skipped\n");
        return;
    }
    ck_assert_str_eq(localeconv()->decimal_point, ",");
    pmk_gnb *m = gnb_fit_tiny(PMK_GNB_VAR_SHARED, PMK_GNB_PRIOR_EMPIRICAL, NULL, 0), *l = NULL;
    snprintf(p, sizeof p, "%s/m.gnb", dir);
    ck_assert_int_eq(pmk_gnb_save(m, p, NULL), PMK_OK);
    char *b = test_read_file(p, NULL);
    ck_assert_ptr_nonnull(strstr(b, "\nvar_smoothing 0.25\n"));
    pmk_error e;
    ck_assert_msg(pmk_gnb_load(p, &l, &e) == PMK_OK, "%s", e.msg);
    ck_assert_str_eq(localeconv()->decimal_point, ",");
    setlocale(LC_ALL, "C");
    gnb_assert_same_model(l, m, 0);
    free(b);
    pmk_gnb_free(m);
    pmk_gnb_free(l);
}
END_TEST

/* Writes @p text to DIR/bad.gnb, loads it, and checks the status and message
 * (the path prefix "DIR/bad.gnb:" is added here). */
static void expect_load_error(const char *text, int code, const char *msg)
{
    const char *dir = test_tmpdir();
    char p[512], want[1024];
    snprintf(p, sizeof p, "%s/bad.gnb", dir);
    test_write_file(p, text, strlen(text));
    pmk_gnb *m = (pmk_gnb *)1;
    pmk_error e;
    pmk_error_clear(&e);
    ck_assert_int_eq(pmk_gnb_load(p, &m, &e), code);
    ck_assert_ptr_null(m);
    snprintf(want, sizeof want, "%s:%s", p, msg);
    ck_assert_str_eq(e.msg, want);
    unlink(p);
    rmdir(dir);
}

#define HDR "pmk-gnb 1\nfeatures 2\nclasses 2\nrows 3\nvariance shared\npriors empirical\n" \
            "scale 1\nvar_smoothing 1.0000000000000001e-09\nvar_floor 0\nlabels 0 1\ndata\n"
#define GOOD HDR "class 0 2\nmean 1 2\nm2 0.5 2\nclass 1 1\nmean 3 4\nm2 0 0\nend\n"

START_TEST(test_load_good_fixture)
{
    /* The fixture by hand: class 0 two rows, class 1 one row. */
    const char *dir = test_tmpdir();
    char p[512];
    snprintf(p, sizeof p, "%s/good.gnb", dir);
    test_write_file(p, GOOD, strlen(GOOD));
    pmk_gnb *m = NULL;
    pmk_error e;
    ck_assert_msg(pmk_gnb_load(p, &m, &e) == PMK_OK, "%s", e.msg);
    ck_assert_close(gsl_matrix_get(pmk_gnb_means(m), 1, 1), 4, 0);
    /* pooled variance of dim 1 = (0.5 + 0)/3; priors 2/3, 1/3 */
    ck_assert_close(gsl_vector_get(pmk_gnb_priors(m), 0), 2.0 / 3, 1e-16);
    ck_assert_close(gsl_matrix_get(pmk_gnb_variances(m), 0, 0) - pmk_gnb_smoothing_added(m),
                    0.5 / 3, 1e-15);
    /* Saving it gives back the same bytes. */
    ck_assert_int_eq(pmk_gnb_save(m, p, NULL), PMK_OK);
    char *b = test_read_file(p, NULL);
    ck_assert_str_eq(b, GOOD);
    free(b);
    unlink(p);
    rmdir(dir);
    pmk_gnb_free(m);
}
END_TEST

START_TEST(test_load_bad_files)
{
    expect_load_error("", PMK_EFORMAT, "1: empty file, not a pmk gnb model");
    expect_load_error("label,p0\n1,2\n", PMK_EFORMAT,
                      "1: not a pmk gnb model (the first line is not 'pmk-gnb VERSION')");
    expect_load_error("pmk-rbm 1\nvisible 784\n", PMK_EFORMAT,
                      "1: a 'pmk-rbm' file, not a gnb model (wrong kind of model)");
    expect_load_error("pmk-gnb 9\nfeatures 2\n", PMK_EUNSUP,
                      "1: model format version 9 is newer than this pmk reads (4): upgrade pmk");
    expect_load_error("pmk-gnb x\n", PMK_EFORMAT, "1: bad format version line");
    /* Truncated: mid-header, mid-class, before 'end', and mid-line. */
    expect_load_error("pmk-gnb 1\nfeatures 2\n", PMK_EFORMAT,
                      "3: truncated model file: expected a header line or 'data'");
    expect_load_error(HDR "class 0 2\nmean 1 2\n", PMK_EFORMAT,
                      "14: truncated model file: expected 'm2' of class 0");
    expect_load_error(HDR "class 0 2\nmean 1 2\nm2 0.5 2\nclass 1 1\nmean 3 4\nm2 0 0\n",
                      PMK_EFORMAT, "18: truncated model file: expected 'end'");
    expect_load_error(HDR "class 0 2\nmean 1 2\nm2 0.5", PMK_EFORMAT,
                      "14: truncated model file: the last line has no end");
    /* Edited into an invalid state. */
    expect_load_error(HDR "class 0 2\nmean 1 2\nm2 -0.5 2\n", PMK_EFORMAT,
                      "14:2: a sum of squared deviations cannot be negative (-0.5)");
    expect_load_error(HDR "class 0 2\nmean 1 2 3\n", PMK_EFORMAT,
                      "13: expected 2 numbers after 'mean', found more");
    expect_load_error(HDR "class 0 2\nmean 1 zz\n", PMK_EFORMAT, "13:3: 'zz' is not a finite number");
    expect_load_error(HDR "class 1 2\n", PMK_EFORMAT, "12:2: class 1 where the labels line has 0");
    expect_load_error(HDR "class 0 2.5\n", PMK_EFORMAT,
                      "12:3: the count of class 0 must be a positive integer, not 2.5");
    expect_load_error(HDR "class 0 2\nmean 1 2\nm2 0.5 2\nclass 1 1\nmean 3 4\nm2 0 1\nend\n",
                      PMK_EFORMAT, "17:3: class 1 has one row, so its m2 must be 0");
    expect_load_error(HDR "class 0 2\nmean 1 2\nm2 0.5 2\nclass 1 2\nmean 3 4\nm2 0 0\nend\n",
                      PMK_EFORMAT, "4: rows 3 does not match the class counts, which sum to 4");
    expect_load_error(GOOD "x\n", PMK_EFORMAT, "19: unexpected text after 'end'");
    expect_load_error("pmk-gnb 1\nfeatures 2\nclasses 2\nlabels 1 0\n", PMK_EFORMAT,
                      "4:3: labels must increase strictly (0 after 1)");
    expect_load_error("pmk-gnb 1\nfeatures 2\nfeatures 3\n", PMK_EFORMAT,
                      "3:1: 'features' given twice (first on line 2)");
    expect_load_error("pmk-gnb 1\ncolour blue\n", PMK_EFORMAT, "2:1: unknown header key 'colour'");
    expect_load_error("pmk-gnb 1\nfeatures 100000000\n", PMK_ELIMIT,
                      "2:2: features 100000000 is more than pmk accepts (67108864)");
    expect_load_error("pmk-gnb 1\nvariance wide\n", PMK_EFORMAT,
                      "2:2: variance must be 'shared' or 'class', not 'wide'");
    expect_load_error("pmk-gnb 1\nfeatures 2\nclasses 2\nrows 3\nvariance shared\n"
                      "priors explicit\nprior_list 0.5 0.6\nscale 1\nvar_smoothing 0\n"
                      "var_floor 0\nlabels 0 1\ndata\n",
                      PMK_EFORMAT,
                      "12: bad header: explicit priors: they sum to 1.1000000000000001, not 1 "
                      "(within 1e-9)");
    expect_load_error("pmk-gnb 1\nfeatures 2\nclasses 2\ndata\n", PMK_EFORMAT,
                      "4: the header has no 'rows' line");
}
END_TEST

START_TEST(test_load_missing_file)
{
    pmk_gnb *m;
    pmk_error e;
    ck_assert_int_eq(pmk_gnb_load("/nonexistent/m.gnb", &m, &e), PMK_EIO);
    ck_assert_str_eq(e.msg, "/nonexistent/m.gnb: cannot open: No such file or directory");
}
END_TEST

void suite_gnb_more(Suite *s)
{
    TCase *t = tcase_create("threads-and-bad-input");
    tcase_add_test(t, test_two_threads_same_as_alone);
    tcase_add_test(t, test_bad_inputs);
    suite_add_tcase(s, t);
    TCase *f = tcase_create("files");
    tcase_add_test(f, test_save_load_round_trip);
    tcase_add_test(f, test_save_ignores_locale);
    tcase_add_test(f, test_load_good_fixture);
    tcase_add_test(f, test_load_bad_files);
    tcase_add_test(f, test_load_missing_file);
    suite_add_tcase(s, f);
}
