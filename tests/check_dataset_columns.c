/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_dataset_columns.c: the column syntax (pmk_data_parse_column), a
 * label column counted from the end, and the weight column (issue 16). */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_dataset.h"

START_TEST(test_parse_column)
{
    pmk_error e;
    long c = 99;
    ck_assert_int_eq(pmk_data_parse_column("0", &c, &e), PMK_OK);
    ck_assert_int_eq(c, 0);
    ck_assert_int_eq(pmk_data_parse_column("17", &c, &e), PMK_OK);
    ck_assert_int_eq(c, 17);
    ck_assert_int_eq(pmk_data_parse_column("none", &c, &e), PMK_OK);
    ck_assert_int_eq(c, -1);
    ck_assert_int_eq(pmk_data_parse_column("last", &c, &e), PMK_OK);
    ck_assert_int_eq(c, -2);
    ck_assert_int_eq(c, PMK_COL_FROM_END(1));
    ck_assert_int_eq(pmk_data_parse_column("-1", &c, &e), PMK_OK);
    ck_assert_int_eq(c, PMK_COL_FROM_END(1));
    ck_assert_int_eq(pmk_data_parse_column("-3", &c, &e), PMK_OK);
    ck_assert_int_eq(c, -4);
    static const char *const bad[] = {"", "x", "1x", " 1", "+1", "-0", "-", "1.5", "Last",
                                      "99999999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        c = 42;
        ck_assert_int_eq(pmk_data_parse_column(bad[i], &c, &e), PMK_EINVAL);
        ck_assert_int_eq(c, 42);   /* unchanged */
    }
    ck_assert_str_eq(e.msg, "'99999999999999999999999' is not a column (0, 1, ..., last, "
                            "-1, -2, ... or none)");
}
END_TEST

/* Reads every row of @p path with @p o into X (n x d, row-major), y and w. */
static size_t read_cols(const char *path, const pmk_data_options *o, double *X, long *y,
                        double *w, size_t *d, pmk_error *e)
{
    pmk_data_reader *r = pmk_data_open(path, o, e);
    if (!r)
        return 0;
    *d = pmk_data_nfeatures(r);
    size_t n = 0;
    pmk_data_chunk ch;
    while (pmk_data_read_chunk(r, &ch, e) == PMK_OK && ch.n) {
        for (size_t i = 0; i < ch.n; i++, n++) {
            for (size_t j = 0; j < *d; j++)
                X[n * *d + j] = gsl_matrix_get(&ch.X.matrix, i, j);
            y[n] = ch.y ? ch.y[i] : -99;
            w[n] = ch.w ? ch.w[i] : -99;
        }
    }
    pmk_data_close(r);
    return n;
}

/* The message after its "PATH:LINE[:COL]: " place, which must be @p place. */
static void msg_is(const pmk_error *e, const char *path, const char *place, const char *want)
{
    char full[PMK_ERROR_MSG_MAX];
    snprintf(full, sizeof full, "%s%s: %s", path, place, want);
    ck_assert_str_eq(e->msg, full);
}

START_TEST(test_label_from_end_and_weights)
{
    /* columns: f0, weight, f1, label; the weight as integer, decimal and
     * quoted text; a header; rows read one at a time (the open's first row,
     * then chunks) */
    const char *path = TEXT("w.csv", "a,w,b,y\n1,2,3,7\n4,0.5,6,8\n7,\"0\",9,7\n");
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.chunk_rows = 1;
    o.label_col = PMK_COL_FROM_END(1);
    o.weight_col = 1;
    pmk_error e;
    double X[16], w[4];
    long y[4];
    size_t d = 0;
    ck_assert_uint_eq(read_cols(path, &o, X, y, w, &d, &e), 3);
    ck_assert_uint_eq(d, 2);
    const double wx[] = {1, 3, 4, 6, 7, 9}, ww[] = {2, 0.5, 0};
    const long wy[] = {7, 8, 7};
    for (size_t i = 0; i < 6; i++)
        ck_assert(X[i] == wx[i]);
    for (size_t i = 0; i < 3; i++)
        ck_assert(y[i] == wy[i] && w[i] == ww[i]);

    /* the same from the end: weight -3, label 3 */
    o.label_col = 3;
    o.weight_col = PMK_COL_FROM_END(3);
    o.chunk_rows = 4096;
    ck_assert_uint_eq(read_cols(path, &o, X, y, w, &d, &e), 3);
    ck_assert(X[2] == 4 && y[1] == 8 && w[1] == 0.5);

    /* no weight column: w is NULL */
    o.weight_col = -1;
    ck_assert_uint_eq(read_cols(path, &o, X, y, w, &d, &e), 3);
    ck_assert_uint_eq(d, 3);
    ck_assert(w[0] == -99 && X[1] == 2);

    /* the messages: a column that does not exist, either way; the same
     * column twice; a negative weight; a weight that is not a number; IDX */
    o.weight_col = PMK_COL_FROM_END(5);
    ck_assert_uint_eq(read_cols(path, &o, X, y, w, &d, &e), 0);
    msg_is(&e, path, ":1", "weight column -5 does not exist: the file has 4 columns "
                            "(-1 to -4 from the end)");
    o.weight_col = 4;
    ck_assert_uint_eq(read_cols(path, &o, X, y, w, &d, &e), 0);
    msg_is(&e, path, ":1", "weight column 4 does not exist: the file has 4 columns (0 to 3)");
    o.weight_col = PMK_COL_FROM_END(1);   /* = label column 3 */
    ck_assert_uint_eq(read_cols(path, &o, X, y, w, &d, &e), 0);
    msg_is(&e, path, ":1", "column 3 cannot be both the label and the weight");
    o.weight_col = 3;
    ck_assert_uint_eq(read_cols(path, &o, X, y, w, &d, &e), 0);
    msg_is(&e, path, "", "the label column cannot also be the weight column");
    o.weight_col = 1;
    path = TEXT("n.csv", "1,2,3,7\n4,-0.5,6,8\n");
    ck_assert_uint_eq(read_cols(path, &o, X, y, w, &d, &e), 0);
    ck_assert_int_eq(e.code, PMK_EDATA);
    ck_assert_int_eq(e.line, 2);
    ck_assert_int_eq(e.column, 3);
    msg_is(&e, path, ":2:3", "field 2: weight -0.5 is negative (0 drops a row)");
    path = TEXT("x.csv", "1,2,3,7\n4,x,6,8\n");
    ck_assert_uint_eq(read_cols(path, &o, X, y, w, &d, &e), 0);
    msg_is(&e, path, ":2:3", "field 2: 'x' is not a number");
    path = FILE_WITH("i-images-idx3-ubyte", ds_images5);
    ck_assert_uint_eq(read_cols(path, &o, X, y, w, &d, &e), 0);
    ck_assert_int_eq(e.code, PMK_EINVAL);
    msg_is(&e, path, "", "a weight column is for CSV input, and this is IDX");
}
END_TEST

void suite_dataset_columns(Suite *s)
{
    TCase *tc = tcase_create("columns");
    tcase_add_test(tc, test_parse_column);
    tcase_add_test(tc, test_label_from_end_and_weights);
    suite_add_tcase(s, tc);
}
