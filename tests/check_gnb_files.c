/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_gnb_files.c: the classifier over several data files (gnb_files.c,
 * what `pmk gnb fit|eval|predict DATA...` and the MPI ranks' file lists
 * use): the hand-worked case split over two files fits the in-memory model
 * to rounding and evaluates and predicts as the one file does; the merge of
 * evaluations; the messages for no files and a file that does not fit. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_gnb.h"

/* The hand-worked case (check_gnb.c) as CSV, whole and in two files. */
static const char *file(const char *name, const char *text)
{
    static char path[4][700];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", test_tmpdir(), name);
    test_write_file(path[k], text, strlen(text));
    return path[k];
}

static void options(pmk_gnb_options *o)
{
    pmk_gnb_options_init_default(o);
    o->transform.scale = 1;
    o->var_smoothing = 0.25;
}

START_TEST(test_two_files_are_one)
{
    const char *whole = file("whole.csv", "3,0,0\n3,2,0\n3,1,3\n7,4,1\n7,6,1\n");
    const char *parts[2] = {file("a.csv", "3,0,0\n3,2,0\n7,4,1\n"),
                            file("b.csv", "3,1,3\n7,6,1\n")};
    pmk_gnb_options o;
    options(&o);
    pmk_error err;
    pmk_gnb *m = NULL;
    pmk_gnb_eval *train = NULL, *e1 = NULL, *e2 = NULL;
    ck_assert_int_eq(pmk_gnb_fit_files(parts, 2, NULL, &o, &m, &train, &err), PMK_OK);
    pmk_gnb *ref = gnb_fit_tiny(PMK_GNB_VAR_SHARED, PMK_GNB_PRIOR_EMPIRICAL, NULL, 0);
    gnb_assert_same_model(m, ref, 1e-12);
    ck_assert_uint_eq(train->n, 5);
    ck_assert_uint_eq(train->correct, 5);   /* every training row right (check_gnb.c) */
    ck_assert(train->accuracy == 1.0);
    /* the evaluation: the one file's counts, its sums to rounding */
    ck_assert_int_eq(pmk_gnb_eval_files(m, NULL, &whole, 1, NULL, &e1, &err), PMK_OK);
    ck_assert_int_eq(pmk_gnb_eval_files(m, "M", parts, 2, NULL, &e2, &err), PMK_OK);
    ck_assert_uint_eq(e2->n, 5);
    ck_assert_uint_eq(e2->correct, e1->correct);
    for (size_t i = 0; i < 4; i++)
        ck_assert_uint_eq(e2->confusion[i], e1->confusion[i]);
    ck_assert_uint_eq(e2->support[1], 2);
    ck_assert_close(e2->sum_nll, e1->sum_nll, 1e-12);
    ck_assert_close(e2->log_loss, e1->log_loss, 1e-12);
    /* a merge of the same evaluation twice: every count doubled, rates kept */
    ck_assert_int_eq(pmk_gnb_eval_merge(e1, e2, &err), PMK_OK);
    ck_assert_uint_eq(e1->n, 10);
    ck_assert_uint_eq(e1->hits[0], 6);
    ck_assert(e1->accuracy == 1.0);
    /* predictions: one header, the rows in file order (b's after a's) */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(pmk_gnb_predict_files(m, "M", parts, 2, NULL, PMK_GNB_LABELS, f, &err),
                     PMK_OK);
    fclose(f);
    ck_assert_str_eq(buf, "label\n3\n3\n7\n3\n7\n");
    free(buf);
    pmk_gnb_eval_free(train);
    pmk_gnb_eval_free(e1);
    pmk_gnb_eval_free(e2);
    pmk_gnb_free(ref);
    pmk_gnb_free(m);
}
END_TEST

START_TEST(test_messages)
{
    pmk_gnb_options o;
    options(&o);
    pmk_error err;
    pmk_gnb *m = NULL;
    pmk_gnb_eval *e = NULL;
    ck_assert_int_eq(pmk_gnb_fit_files(NULL, 0, NULL, &o, &m, NULL, &err), PMK_EINVAL);
    ck_assert_str_eq(err.msg, "no data files to fit on");
    const char *two[2] = {file("a.csv", "3,0,0\n7,4,1\n"), file("c.csv", "3,0\n7,4\n")};
    ck_assert_int_eq(pmk_gnb_fit_files(two, 2, NULL, &o, &m, NULL, &err), PMK_EINVAL);
    ck_assert_ptr_null(m);
    ck_assert_int_eq(strncmp(err.msg, two[1], strlen(two[1])), 0);   /* "PATH: ..." */
    ck_assert_int_eq(pmk_gnb_fit_files(two, 1, NULL, &o, &m, NULL, &err), PMK_OK);
    ck_assert_int_eq(pmk_gnb_eval_files(m, "M", two, 0, NULL, &e, &err), PMK_EINVAL);
    ck_assert_str_eq(err.msg, "no data files to evaluate");
    ck_assert_int_eq(pmk_gnb_predict_files(m, "M", two, 0, NULL, 0, stdout, &err), PMK_EINVAL);
    ck_assert_str_eq(err.msg, "no data files to predict");
    pmk_gnb_eval *a = pmk_gnb_eval_alloc(m, &err), *b = pmk_gnb_eval_alloc(m, &err);
    b->k = 3;
    ck_assert_int_eq(pmk_gnb_eval_merge(a, b, &err), PMK_EINVAL);
    ck_assert_str_eq(err.msg, "evaluations of 2 and 3 classes cannot be merged");
    b->k = 2;
    pmk_gnb_eval_free(a);
    pmk_gnb_eval_free(b);
    pmk_gnb_free(m);
}
END_TEST

void suite_gnb_files(Suite *s)
{
    TCase *tc = tcase_create("several_files");
    tcase_add_test(tc, test_two_files_are_one);
    tcase_add_test(tc, test_messages);
    suite_add_tcase(s, tc);
}
