/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_report.c: pmk/report.h.  One report written both ways gives exactly
 * the text lines and exactly the JSON object written out by hand here:
 * nesting, escaping, 17-digit numbers that read back, non-finite numbers as
 * null; out of memory (a NULL report) is returned, not printed. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_pmk.h"
#include "pmk/pmk.h"

/* @p r written as text (@p json 0) or JSON into a malloc'ed string. */
static char *written(const pmk_report *r, int json, int *status)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    pmk_error err = {0};
    *status = pmk_report_write(r, f, json, &err);
    fclose(f);
    return buf;
}

START_TEST(test_text_and_json)
{
    pmk_report *r = pmk_report_new();
    ck_assert_ptr_nonnull(r);
    pmk_report_text(r, "== %s ==\n", "eval");
    pmk_report_num(r, "accuracy", 0.1, "accuracy %.4f\n", 0.1);
    pmk_report_int(r, "rows", 1234567890123LL, "rows %d\n", 7);
    pmk_report_str(r, "name", "a\"b\\c\nd\te\x01", NULL);
    pmk_report_str(r, "none", NULL, "none\n");
    pmk_report_bool(r, "ok", 5, NULL);
    pmk_report_null(r, "nothing");
    double v[] = {1.5, NAN, -INFINITY, 1e-300};
    pmk_report_nums(r, "v", v, 4);
    long l[] = {-3, 0, 9};
    pmk_report_longs(r, "l", l, 3);
    size_t m[] = {1, 2, 3, 4, 5, 6};
    pmk_report_size_matrix(r, "m", m, 2, 3);
    pmk_report_begin_list(r, "runs");
    pmk_report_num(r, NULL, 2.0, "run %d\n", 1);
    pmk_report_begin_list(r, NULL);
    pmk_report_int(r, NULL, 4, NULL);
    pmk_report_end_list(r);
    pmk_report_end_list(r);
    pmk_report_nums(r, "empty", NULL, 0);
    int st;
    char *text = written(r, 0, &st);
    ck_assert_int_eq(st, PMK_OK);
    ck_assert_str_eq(text, "== eval ==\naccuracy 0.1000\nrows 7\nnone\nrun 1\n");
    char *json = written(r, 1, &st);
    ck_assert_int_eq(st, PMK_OK);
    ck_assert_str_eq(json, "{\"accuracy\": 0.10000000000000001, \"rows\": 1234567890123, "
                           "\"name\": \"a\\\"b\\\\c\\nd\\te\\u0001\", \"none\": null, "
                           "\"ok\": true, \"nothing\": null, "
                           "\"v\": [1.5, null, null, 1e-300], "
                           "\"l\": [-3, 0, 9], \"m\": [[1, 2, 3], [4, 5, 6]], "
                           "\"runs\": [2, [4]], \"empty\": []}\n");
    /* 17 digits read back to the same double. */
    ck_assert(strtod("0.10000000000000001", NULL) == 0.1);
    free(text);
    free(json);
    pmk_report_free(r);
}
END_TEST

START_TEST(test_empty_and_null)
{
    pmk_report *r = pmk_report_new();
    int st;
    char *s = written(r, 1, &st);
    ck_assert_int_eq(st, PMK_OK);
    ck_assert_str_eq(s, "{}\n");
    free(s);
    s = written(r, 0, &st);
    ck_assert_str_eq(s, "");
    free(s);
    pmk_report_free(r);
    /* A failed pmk_report_new: the adders accept NULL, the writer says so. */
    pmk_report_num(NULL, "x", 1, "x\n");
    pmk_report_begin_list(NULL, "l");
    pmk_error err = {0};
    FILE *f = fopen("/dev/null", "w");
    ck_assert_int_eq(pmk_report_write(NULL, f, 1, &err), PMK_ENOMEM);
    ck_assert_str_eq(err.msg, "out of memory");
    fclose(f);
    pmk_report_free(NULL);
}
END_TEST

Suite *suite_report(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("write");
    tcase_add_test(tc, test_text_and_json);
    tcase_add_test(tc, test_empty_and_null);
    suite_add_tcase(s, tc);
    return s;
}
