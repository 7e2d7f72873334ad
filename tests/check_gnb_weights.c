/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_gnb_weights.c: the gnb suite's weighted fit: weight 2 is the row
 * twice (the same model file, byte for byte), weight 0 is the row absent,
 * streaming and merge agree to rounding, negative weights are refused. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_gnb.h"

/* Class 3: (0,0) w 2, (4,2), (2,2): N 4, mean (1.5, 1), M2 (2*2.25 + 6.25 +
 * 0.25, 2 + 1 + 1) = (11, 4).  Class 7: (5,1), (7,3) w 3: N 4, mean (6.5,
 * 2.5), M2 (2.25 + 3*0.25, the same) = (3, 3).  Row (100,100) of label 9,
 * weight 0: no class.  Every sum is exact in binary, so the weighted and the
 * duplicated fits must agree bit for bit. */
static const double wx[6][2] = {{0, 0}, {4, 2}, {100, 100}, {5, 1}, {2, 2}, {7, 3}};
static const long wy[6] = {3, 3, 9, 7, 3, 7};
static const double ww[6] = {2, 1, 0, 1, 1, 3};
static const double dx[8][2] = {{0, 0}, {4, 2}, {0, 0}, {5, 1}, {7, 3}, {2, 2}, {7, 3}, {7, 3}};
static const long dy[8] = {3, 3, 3, 7, 7, 3, 7, 7};

static pmk_gnb *fit_rows(const double *x, const long *y, const double *w, size_t N, size_t chunk)
{
    pmk_gnb_options o;
    pmk_gnb_options_init_default(&o);
    o.transform.scale = 1;
    o.var_smoothing = 0.25;
    pmk_gnb *m = pmk_gnb_alloc(2, &o, NULL);
    for (size_t s = 0; s < N; s += chunk) {
        size_t n = N - s < chunk ? N - s : chunk;
        gsl_matrix_const_view V = gsl_matrix_const_view_array(x + 2 * s, n, 2);
        ck_assert_int_eq(pmk_gnb_partial_fit_weighted(m, &V.matrix, y + s, w ? w + s : NULL,
                                                      NULL), PMK_OK);
    }
    ck_assert_int_eq(pmk_gnb_finish(m, NULL), PMK_OK);
    return m;
}

START_TEST(test_weight_two_is_the_row_twice)
{
    pmk_gnb *w = fit_rows(&wx[0][0], wy, ww, 6, 6);
    pmk_gnb *d = fit_rows(&dx[0][0], dy, NULL, 8, 8);
    ck_assert_uint_eq(pmk_gnb_nclasses(w), 2);   /* label 9 had weight 0 */
    ck_assert(pmk_gnb_ntrain(w) == 8);
    ck_assert(gsl_matrix_get(pmk_gnb_means(w), 0, 0) == 1.5);
    ck_assert(gsl_matrix_get(pmk_gnb_means(w), 1, 1) == 2.5);
    ck_assert(gsl_matrix_get(pmk_gnb_m2(w), 0, 0) == 11);
    ck_assert(gsl_matrix_get(pmk_gnb_m2(w), 0, 1) == 4);
    ck_assert(gsl_matrix_get(pmk_gnb_m2(w), 1, 0) == 3);
    ck_assert(gsl_vector_get(pmk_gnb_priors(w), 0) == 0.5);
    /* shared variances (11 + 3) / 8 and (4 + 3) / 8, plus the smoothing */
    ck_assert(gsl_matrix_get(pmk_gnb_variances(w), 1, 0) == 14.0 / 8 + pmk_gnb_smoothing_added(w));
    char *tw = gnb_model_text(w), *td = gnb_model_text(d);
    ck_assert_str_eq(tw, td);
    free(tw);
    free(td);
    /* Streamed in chunks of 1 and 4, and merged from two halves: the same
     * to rounding (Chan's n_A n_B / n is not exact: 11.000000000000002). */
    for (size_t chunk = 1; chunk <= 4; chunk += 3) {
        pmk_gnb *s = fit_rows(&wx[0][0], wy, ww, 6, chunk);
        gnb_assert_same_model(s, d, 1e-15);
        pmk_gnb_free(s);
    }
    pmk_gnb *a = fit_rows(&wx[0][0], wy, ww, 3, 3), *b = fit_rows(&wx[3][0], wy + 3, ww + 3, 3, 3);
    pmk_gnb *ab = pmk_gnb_merge(a, b, NULL);
    gnb_assert_same_model(ab, d, 1e-15);
    pmk_gnb_free(ab), pmk_gnb_free(a), pmk_gnb_free(b);
    pmk_gnb_free(w), pmk_gnb_free(d);
}
END_TEST

START_TEST(test_bad_weights)
{
    pmk_gnb *m = pmk_gnb_alloc(2, NULL, NULL);
    gsl_matrix_const_view V = gsl_matrix_const_view_array(&wx[0][0], 6, 2);
    double w[6] = {1, 1, 0, -0.5, 1, 1};
    pmk_error e;
    ck_assert_int_eq(pmk_gnb_partial_fit_weighted(m, &V.matrix, wy, w, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "weight -0.5 is negative");
    ck_assert_int_eq(e.line, 4);
    w[3] = NAN;
    ck_assert_int_eq(pmk_gnb_partial_fit_weighted(m, &V.matrix, wy, w, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "weight nan is not finite");
    ck_assert_uint_eq(pmk_gnb_nclasses(m), 0);   /* unchanged */
    /* An error in a row after a dropped one names the row in X. */
    const double bad[3][2] = {{1, 1}, {2, 2}, {INFINITY, 0}};
    const double w3[3] = {0, 1, 1};
    gsl_matrix_const_view B = gsl_matrix_const_view_array(&bad[0][0], 3, 2);
    ck_assert_int_eq(pmk_gnb_partial_fit_weighted(m, &B.matrix, wy, w3, &e), PMK_EDATA);
    ck_assert_int_eq(e.line, 3);
    ck_assert_int_eq(e.column, 1);
    /* All weights 0: nothing fitted. */
    const double z[3] = {0, 0, 0};
    ck_assert_int_eq(pmk_gnb_partial_fit_weighted(m, &B.matrix, wy, z, &e), PMK_OK);
    ck_assert(pmk_gnb_ntrain(m) == 0);
    pmk_gnb_free(m);
}
END_TEST

/* Weights that are not integers: counts written as they are, in format
 * version 3, read back bit for bit; a version 1 file keeps its integer
 * rule. */
START_TEST(test_fractional_weights_file)
{
    const double w[6] = {0.5, 1, 0, 1.25, 1, 3};
    pmk_gnb *m = fit_rows(&wx[0][0], wy, w, 6, 6);
    ck_assert(pmk_gnb_counts(m)[0] == 2.5 && pmk_gnb_counts(m)[1] == 4.25);
    char *t = gnb_model_text(m);
    ck_assert_ptr_nonnull(strstr(t, "pmk-gnb 3\n"));
    ck_assert_ptr_nonnull(strstr(t, "\nrows 6.75\n"));
    ck_assert_ptr_nonnull(strstr(t, "\nclass 3 2.5\n"));
    char p[512];
    const char *dir = test_tmpdir();
    snprintf(p, sizeof p, "%s/w.gnb", dir);
    test_write_file(p, t, strlen(t));
    pmk_gnb *l = NULL;
    pmk_error e;
    ck_assert_msg(pmk_gnb_load(p, &l, &e) == PMK_OK, "%s", e.msg);
    char *t2 = gnb_model_text(l);
    ck_assert_str_eq(t2, t);
    free(t2);
    pmk_gnb_free(l);   /* the failed loads below set l to NULL */
    /* a count of 0 is refused in version 3; 2.5 in version 1 */
    char *c = strstr(t, "class 3 2.5");
    memcpy(c, "class 3 0.0", 11);
    test_write_file(p, t, strlen(t));
    ck_assert_int_eq(pmk_gnb_load(p, &l, &e), PMK_EFORMAT);
    ck_assert_ptr_nonnull(strstr(e.msg, ":12:3: the count of class 3 must be in (0, 1e+300], not 0.0"));
    memcpy(c, "class 3 2.5", 11);
    t[8] = '1';
    test_write_file(p, t, strlen(t));
    ck_assert_int_eq(pmk_gnb_load(p, &l, &e), PMK_EFORMAT);
    ck_assert_ptr_nonnull(strstr(e.msg, ":4:2: rows must be an integer, not 6.75"));
    free(t);
    unlink(p);
    rmdir(dir);
    pmk_gnb_free(m);
}
END_TEST

void suite_gnb_weights(Suite *s)
{
    TCase *t = tcase_create("weights");
    tcase_add_test(t, test_weight_two_is_the_row_twice);
    tcase_add_test(t, test_bad_weights);
    tcase_add_test(t, test_fractional_weights_file);
    suite_add_tcase(s, t);
}
