/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_gnb_data.c: the classifier over files, as `pmk gnb` uses it: the
 * fit run to its end (pmk_gnb_fitter_run) against the in-memory fit of the
 * hand-worked case, the width check of pmk_gnb_open_data and its message,
 * the exported CSV files byte for byte, options set by name, the text
 * report, merging model files, square montage tiles and the atomic
 * prediction file. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_gnb.h"

/* The hand-worked case (check_gnb.c) as CSV, label first, no header. */
static const char tiny_csv[] = "3,0,0\n3,2,0\n3,1,3\n7,4,1\n7,6,1\n";

static const char *tmp_path(const char *name)
{
    static char path[4][700];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", test_tmpdir(), name);
    return path[k];
}

static const char *tiny_file(void)
{
    const char *p = tmp_path("tiny.csv");
    test_write_file(p, tiny_csv, strlen(tiny_csv));
    return p;
}

static void tiny_options(pmk_gnb_options *o)
{
    pmk_gnb_options_init_default(o);
    o->transform.scale = 1;
    o->var_smoothing = 0.25;
}

static void assert_file(const char *path, const char *want)
{
    size_t len;
    char *got = test_read_file(path, &len);
    ck_assert_ptr_nonnull(got);
    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(test_fitter_run_equals_fit)
{
    pmk_gnb_options o;
    tiny_options(&o);
    pmk_data_options d;
    pmk_data_options_init_default(&d);
    d.chunk_rows = 2;   /* three chunks */
    pmk_error err;
    pmk_gnb_fitter *f = pmk_gnb_fitter_open(tiny_file(), &d, &o, 1, &err);
    ck_assert_ptr_nonnull(f);
    pmk_gnb *m = NULL;
    pmk_gnb_eval *e = NULL;
    ck_assert_int_eq(pmk_gnb_fitter_run(f, &m, &e, &err), PMK_OK);
    pmk_gnb_fitter_free(f);
    pmk_gnb *ref = gnb_fit_tiny(PMK_GNB_VAR_SHARED, PMK_GNB_PRIOR_EMPIRICAL, NULL, 0);
    gnb_assert_same_model(m, ref, 1e-15);
    /* every training row is classified right (see check_gnb.c) */
    ck_assert_uint_eq(e->n, 5);
    ck_assert_uint_eq(e->correct, 5);
    pmk_gnb_eval_free(e);
    pmk_gnb_free(m);
    pmk_gnb_free(ref);

    /* without a train pass; an explicit prior list of 3 for 2 classes is an
     * option found bad only at the end */
    const double three[] = {0.2, 0.3, 0.5};
    o.priors = PMK_GNB_PRIOR_EXPLICIT;
    o.prior = three;
    o.n_prior = 3;
    f = pmk_gnb_fitter_open(tiny_file(), &d, &o, 0, &err);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(pmk_gnb_fitter_run(f, &m, NULL, &err), PMK_EINVAL);
    ck_assert_ptr_null(m);
    ck_assert_ptr_nonnull(strstr(err.msg, "3 explicit priors given for 2 classes"));
    pmk_gnb_fitter_free(f);
}
END_TEST

START_TEST(test_open_data_width)
{
    pmk_gnb *m = gnb_fit_tiny(PMK_GNB_VAR_SHARED, PMK_GNB_PRIOR_EMPIRICAL, NULL, 0);
    const char *path = tiny_file();
    pmk_data_options d;
    pmk_data_options_init_default(&d);
    pmk_data_reader *r = NULL;
    pmk_error err;
    ck_assert_int_eq(pmk_gnb_open_data(m, "m.gnb", path, &d, &r, &err), PMK_OK);
    ck_assert_uint_eq(pmk_data_nfeatures(r), 2);
    pmk_data_close(r);
    /* the label read as a feature: one column too many */
    d.label_col = -1;
    ck_assert_int_eq(pmk_gnb_open_data(m, "m.gnb", path, &d, &r, &err), PMK_EDATA);
    ck_assert_ptr_null(r);
    char want[1024];
    snprintf(want, sizeof want,
             "%s: 3 features per row, but the model m.gnb has 2 (is there a label column?)",
             path);
    ck_assert_str_eq(err.msg, want);
    /* one feature short */
    const char *narrow = tmp_path("narrow.csv");
    test_write_file(narrow, "3,0\n7,1\n", 8);
    d.label_col = 0;
    ck_assert_int_eq(pmk_gnb_open_data(m, "m.gnb", narrow, &d, &r, &err), PMK_EDATA);
    snprintf(want, sizeof want,
             "%s: 1 features per row, but the model m.gnb has 2 (no label column? use "
             "--no-labels)", narrow);
    ck_assert_str_eq(err.msg, want);
    pmk_gnb_free(m);
}
END_TEST

START_TEST(test_export_files)
{
    pmk_gnb *m = gnb_fit_tiny(PMK_GNB_VAR_SHARED, PMK_GNB_PRIOR_EMPIRICAL, NULL, 0);
    char dir[700];
    snprintf(dir, sizeof dir, "%s/exp", test_tmpdir());
    pmk_error err;
    ck_assert_int_eq(pmk_gnb_export(m, dir, &err), PMK_OK);
    ck_assert_str_eq(pmk_gnb_export_file(0), "mu.csv");
    ck_assert_str_eq(pmk_gnb_export_file(3), "transform.csv");
    ck_assert_ptr_null(pmk_gnb_export_file(PMK_GNB_EXPORT_FILES));
    char p[800];
    snprintf(p, sizeof p, "%s/mu.csv", dir);
    assert_file(p, "label,mu0,mu1\n3,1,1\n7,5,1\n");
    snprintf(p, sizeof p, "%s/priors.csv", dir);
    assert_file(p, "label,prior,count\n3,0.6,3\n7,0.4,2\n");
    snprintf(p, sizeof p, "%s/transform.csv", dir);
    assert_file(p, "scale\n1\n");
    /* var.csv: 1.96 and 2.36 (check_gnb.c) each in the writer's round-trip format */
    snprintf(p, sizeof p, "%s/var.csv", dir);
    size_t len;
    char *v = test_read_file(p, &len);
    ck_assert_ptr_nonnull(v);
    ck_assert(strncmp(v, "label,var0,var1\n3,", 18) == 0);
    char *end;
    ck_assert_close(strtod(v + 18, &end), 1.96, 1e-15);
    ck_assert_close(strtod(end + 1, &end), 2.36, 1e-15);
    ck_assert(strncmp(end, "\n7,", 3) == 0);
    free(v);
    /* a folder that cannot be made */
    ck_assert_int_eq(pmk_gnb_export(m, "/nonexistent/a/b", &err), PMK_EIO);
    ck_assert_str_eq(err.msg, "/nonexistent/a/b: cannot create folder: No such file or directory");
    pmk_gnb_free(m);
}
END_TEST

START_TEST(test_options_set)
{
    pmk_gnb_options o;
    pmk_gnb_options_init_default(&o);
    double *list = NULL;
    pmk_error err;
    ck_assert_int_eq(pmk_gnb_options_set(&o, "var-smoothing", "0.25", &list, &err), PMK_OK);
    ck_assert(o.var_smoothing == 0.25);
    ck_assert_int_eq(pmk_gnb_options_set(&o, "var-floor", "1e-3", &list, &err), PMK_OK);
    ck_assert(o.var_floor == 1e-3);
    ck_assert_int_eq(pmk_gnb_options_set(&o, "variance", "class", &list, &err), PMK_OK);
    ck_assert_int_eq(o.variance, PMK_GNB_VAR_CLASS);
    ck_assert_int_eq(pmk_gnb_options_set(&o, "max-classes", "12", &list, &err), PMK_OK);
    ck_assert_uint_eq(o.max_classes, 12);
    ck_assert_int_eq(pmk_gnb_options_set(&o, "priors", "0.25,0.75", &list, &err), PMK_OK);
    ck_assert_int_eq(o.priors, PMK_GNB_PRIOR_EXPLICIT);
    ck_assert_uint_eq(o.n_prior, 2);
    ck_assert(o.prior == list && list[0] == 0.25 && list[1] == 0.75);
    ck_assert_int_eq(pmk_gnb_options_set(&o, "priors", "uniform", &list, &err), PMK_OK);
    ck_assert_int_eq(o.priors, PMK_GNB_PRIOR_UNIFORM);
    ck_assert_ptr_null(list);
    ck_assert_ptr_null(o.prior);
    /* the messages, without the option's name */
    ck_assert_int_eq(pmk_gnb_options_set(&o, "var-floor", "1e999", &list, &err), PMK_EINVAL);
    ck_assert_str_eq(err.msg, "'1e999' is not a finite number");
    ck_assert_int_eq(pmk_gnb_options_set(&o, "variance", "both", &list, &err), PMK_EINVAL);
    ck_assert_str_eq(err.msg, "'shared' or 'class', not 'both'");
    ck_assert_int_eq(pmk_gnb_options_set(&o, "max-classes", "-3", &list, &err), PMK_EINVAL);
    ck_assert_str_eq(err.msg, "'-3' is not a non-negative integer");
    ck_assert_int_eq(pmk_gnb_options_set(&o, "priors", "0.5,x", &list, &err), PMK_EINVAL);
    ck_assert_str_eq(err.msg, "'0.5,x' is not a comma-separated list of numbers");
    ck_assert_int_eq(pmk_gnb_options_set(&o, "priors", "0.5,0.6", &list, &err), PMK_EINVAL);
    ck_assert_str_eq(err.msg,
                     "explicit priors: they sum to 1.1000000000000001, not 1 (within 1e-9)");
    ck_assert_int_eq(pmk_gnb_options_set(&o, "chunk-rows", "3", &list, &err), PMK_EINVAL);
    ck_assert_str_eq(err.msg, "no option 'chunk-rows'");
    free(list);
}
END_TEST

START_TEST(test_eval_report_text)
{
    pmk_gnb *m = gnb_fit_tiny(PMK_GNB_VAR_SHARED, PMK_GNB_PRIOR_EMPIRICAL, NULL, 0);
    gsl_matrix_const_view X = gsl_matrix_const_view_array(&gnb_tiny_x[0][0], 5, 2);
    pmk_error err;
    pmk_gnb_eval *e = pmk_gnb_eval_alloc(m, &err);
    ck_assert_int_eq(pmk_gnb_eval_add(e, m, &X.matrix, gnb_tiny_y, &err), PMK_OK);
    char *text = pmk_gnb_eval_report(e, m);
    /* byte for byte scikit-learn's classification_report(digits=4) */
    ck_assert_str_eq(text, "\n              precision    recall  f1-score   support\n\n"
                           "           3     1.0000    1.0000    1.0000         3\n"
                           "           7     1.0000    1.0000    1.0000         2\n"
                           "\n    accuracy                         1.0000         5\n"
                           "   macro avg     1.0000    1.0000    1.0000         5\n"
                           "weighted avg     1.0000    1.0000    1.0000         5\n"
                           "\nconfusion matrix (rows: true label, columns: predicted label)\n"
                           "         3    7\n"
                           "    3    3    0\n"
                           "    7    0    2\n");
    free(text);
    /* a class never predicted nor seen: "-" */
    const long only3[1] = {3};
    pmk_gnb_eval *e1 = pmk_gnb_eval_alloc(m, &err);
    gsl_matrix_const_view X1 = gsl_matrix_const_view_array(&gnb_tiny_x[0][0], 1, 2);
    ck_assert_int_eq(pmk_gnb_eval_add(e1, m, &X1.matrix, only3, &err), PMK_OK);
    text = pmk_gnb_eval_report(e1, m);
    ck_assert_ptr_nonnull(strstr(text, "           7          -         -         -         0\n"));
    free(text);
    pmk_gnb_eval_free(e1);
    /* (1,1) and (5,1), both labelled 3, predicted 3 and 7: class 7 is predicted
     * but never true, and counts in the averages with recall 0 (sklearn's
     * zero_division default): macro P (1+0)/2, R (1/2+0)/2, F1 (2/3+0)/2;
     * weighted by support (2, 0): P 1, R 1/2, F1 2/3.  The JSON has them all. */
    const double x2[2][2] = {{1, 1}, {5, 1}};
    const long both3[2] = {3, 3};
    gsl_matrix_const_view X2 = gsl_matrix_const_view_array(&x2[0][0], 2, 2);
    e1 = pmk_gnb_eval_alloc(m, &err);
    ck_assert_int_eq(pmk_gnb_eval_add(e1, m, &X2.matrix, both3, &err), PMK_OK);
    ck_assert(isnan(e1->recall[1]) && e1->f1[1] == 0 && e1->precision[1] == 0);
    pmk_report *r = pmk_report_new();
    pmk_gnb_eval_to_report(e1, m, r);
    char *json = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&json, &len);
    ck_assert_int_eq(pmk_report_write(r, f, 1, &err), PMK_OK);
    fclose(f);
    ck_assert_ptr_nonnull(strstr(json, "\"labels\": [3, 7], \"precision\": [1, 0], \"recall\": [0.5, "
                                       "null], \"f1\": [0.66666666666666663, 0], \"support\": [2, 0], "
                                       "\"macro_precision\": 0.5, \"macro_recall\": 0.25, \"macro_f1\": "
                                       "0.33333333333333331, \"weighted_precision\": 1, "
                                       "\"weighted_recall\": 0.5, \"weighted_f1\": 0.66666666666666663, "
                                       "\"confusion\": [[1, 1], [0, 0]]}\n"));
    free(json);
    pmk_report_free(r);
    pmk_gnb_eval_free(e1);
    pmk_gnb_eval_free(e);
    pmk_gnb_free(m);
}
END_TEST

START_TEST(test_merge_files)
{
    /* rows 0..2 (class 3) and 3..4 (class 7) fitted apart, merged: the whole fit */
    gsl_matrix_const_view A = gsl_matrix_const_view_array(&gnb_tiny_x[0][0], 3, 2);
    gsl_matrix_const_view B = gsl_matrix_const_view_array(&gnb_tiny_x[3][0], 2, 2);
    pmk_gnb_options o;
    tiny_options(&o);
    pmk_error err;
    pmk_gnb *a = pmk_gnb_fit(&A.matrix, gnb_tiny_y, &o, &err);
    pmk_gnb *b = pmk_gnb_fit(&B.matrix, gnb_tiny_y + 3, &o, &err);
    const char *paths[2] = {tmp_path("a.gnb"), tmp_path("b.gnb")};
    ck_assert_int_eq(pmk_gnb_save(a, paths[0], &err), PMK_OK);
    ck_assert_int_eq(pmk_gnb_save(b, paths[1], &err), PMK_OK);
    pmk_gnb *m = NULL;
    ck_assert_int_eq(pmk_gnb_merge_files(paths, 2, &m, &err), PMK_OK);
    pmk_gnb *ref = gnb_fit_tiny(PMK_GNB_VAR_SHARED, PMK_GNB_PRIOR_EMPIRICAL, NULL, 0);
    gnb_assert_same_model(m, ref, 1e-14);
    pmk_gnb_free(m);
    /* a model that does not fit the first: the merge's message after its path */
    pmk_gnb_free(b);
    o.variance = PMK_GNB_VAR_CLASS;
    b = pmk_gnb_fit(&B.matrix, gnb_tiny_y + 3, &o, &err);
    ck_assert_int_eq(pmk_gnb_save(b, paths[1], &err), PMK_OK);
    ck_assert_int_eq(pmk_gnb_merge_files(paths, 2, &m, &err), PMK_EINVAL);
    ck_assert_ptr_null(m);
    ck_assert(strncmp(err.msg, paths[1], strlen(paths[1])) == 0);
    ck_assert(strncmp(err.msg + strlen(paths[1]), ": ", 2) == 0);
    pmk_gnb_free(ref);
    pmk_gnb_free(a);
    pmk_gnb_free(b);
}
END_TEST

START_TEST(test_montage_square_and_predict_save)
{
    pmk_gnb *m = gnb_fit_tiny(PMK_GNB_VAR_SHARED, PMK_GNB_PRIOR_EMPIRICAL, NULL, 0);
    pmk_image *img = NULL;
    pmk_error err;
    ck_assert_int_eq(pmk_gnb_montage(m, 0, 0, 0, &img, &err), PMK_EINVAL);
    ck_assert_str_eq(err.msg, "2 features is not a square image");
    ck_assert_ptr_null(img);
    /* D = 4 (2 x 2): tiles chosen square, K columns */
    const double x4[4][4] = {{0, 1, 2, 3}, {1, 1, 2, 4}, {9, 8, 7, 6}, {8, 8, 6, 6}};
    const long y4[4] = {1, 1, 2, 2};
    gsl_matrix_const_view X = gsl_matrix_const_view_array(&x4[0][0], 4, 4);
    pmk_gnb *m4 = pmk_gnb_fit(&X.matrix, y4, NULL, &err);
    pmk_image *want = NULL;
    ck_assert_int_eq(pmk_gnb_montage(m4, 0, 0, 0, &img, &err), PMK_OK);
    ck_assert_int_eq(pmk_gnb_montage(m4, 2, 2, 2, &want, &err), PMK_OK);
    ck_assert_uint_eq(img->width, want->width);
    ck_assert_uint_eq(img->height, want->height);
    for (size_t i = 0; i < img->height; i++)
        for (size_t j = 0; j < img->width; j++)
            ck_assert(gsl_matrix_get(img->pix, i, j) == gsl_matrix_get(want->pix, i, j));
    pmk_image_free(img);
    pmk_image_free(want);
    pmk_gnb_free(m4);

    /* the prediction file: a header, then each row's label */
    pmk_data_options d;
    pmk_data_options_init_default(&d);
    pmk_data_reader *r = NULL;
    ck_assert_int_eq(pmk_gnb_open_data(m, "m", tiny_file(), &d, &r, &err), PMK_OK);
    const char *out = tmp_path("pred.csv");
    ck_assert_int_eq(pmk_gnb_predict_save(m, r, PMK_GNB_LABELS, out, &err), PMK_OK);
    assert_file(out, "label\n3\n3\n3\n7\n7\n");
    pmk_data_close(r);
    pmk_gnb_free(m);
}
END_TEST

void suite_gnb_data(Suite *s)
{
    TCase *t = tcase_create("data");
    tcase_add_test(t, test_fitter_run_equals_fit);
    tcase_add_test(t, test_open_data_width);
    tcase_add_test(t, test_export_files);
    tcase_add_test(t, test_options_set);
    tcase_add_test(t, test_eval_report_text);
    tcase_add_test(t, test_merge_files);
    tcase_add_test(t, test_montage_square_and_predict_save);
    suite_add_tcase(s, t);
}
