/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_readers.c: the reader rules of issue 10 at the library level: which
 * first rows are headers (a table, with the exact message for each refused
 * one), concatenated and trailing gzip data, the line buffer under the memory
 * ceiling, and gnb with many classes and with overflowing values. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "check_pmk.h"
#include "pmk/pmk.h"

static char dir[512], path[600];

static const char *put(const char *name, const void *data, size_t len)
{
    if (!dir[0])
        snprintf(dir, sizeof dir, "%s", test_tmpdir());
    snprintf(path, sizeof path, "%s/%s", dir, name);
    test_write_file(path, data, len);
    return path;
}

/* gzip of @p text as one member, appended to @p out at *n. */
static void gz_member(const char *text, unsigned char *out, size_t *n, size_t cap)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    ck_assert_int_eq(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (unsigned char *)text;
    z.avail_in = (unsigned)strlen(text);
    z.next_out = out + *n;
    z.avail_out = (unsigned)(cap - *n);
    ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    *n = cap - z.avail_out;
    deflateEnd(&z);
}

/* Opens @p text as a CSV; returns the status and the message with the path
 * replaced by "F", or "header" / "data" for a good open. */
static int open_text(const char *text, char *msg, size_t len)
{
    const char *p = put("t.csv", text, strlen(text));
    pmk_error e;
    pmk_csv_reader *r = pmk_csv_open(p, NULL, &e);
    if (r) {
        snprintf(msg, len, "%s", pmk_csv_has_header(r) ? "header" : "data");
        pmk_csv_close(r);
        return PMK_OK;
    }
    size_t pl = strlen(p);
    const char *src = strncmp(e.msg, p, pl) == 0 ? e.msg + pl : e.msg;
    size_t k = strlen(src) < len - 2 ? strlen(src) : len - 2;
    msg[0] = 'F';
    memcpy(msg + 1, src, k);
    msg[k + 1] = '\0';
    return e.code;
}

START_TEST(test_first_row_table)
{
    static const struct { const char *row, *want; } t[] = {
        /* accepted headers: every field a name */
        {"label,a,b", "header"},
        {"label,pixel0,pixel1", "header"},
        {"\"label\",\"x, 1\",\"say \"\"hi\"\"\"", "header"},
        {" label , a ,b", "header"},
        {"y,nanometers,info", "header"},           /* nan/inf only as whole words */
        {"label,x(1),_p", "header"},
        {"\xc3\xa9tiquette,\xce\xb1,b", "header"},  /* letters in UTF-8 */
        /* data rows that parse */
        {"1,2,3", "data"},
        {"-1,.5,+2e3", "data"},
        /* broken numbers: line 1 is data, the bad field is reported */
        {"3,1O,1", "F:1:3: field 2: '1O' is not a number"},
        {"0x10,0x11,0x12", "F:1:1: field 1: label '0x10' is not an integer"},
        {"3,0x10,1", "F:1:3: field 2: '0x10' is not a number"},
        {"1_000,2_0,3_0", "F:1:1: field 1: label '1_000' is not an integer"},
        {"3,1_000,1", "F:1:3: field 2: '1_000' is not a number"},
        {"nan(1),nan(2),nan(3)", "F:1:1: field 1: label 'nan(1)' is not an integer"},
        {"3,nan(1),1", "F:1:3: field 2: 'nan(1)' is not a number"},
        {"3,NaN,1", "F:1:3: field 2: 'NaN' is not a finite number"},
        {"3,inf,1", "F:1:3: field 2: 'inf' is not a finite number"},
        {"\xd9\xa3,\xd9\xa4,\xd9\xa5", "F:1:1: field 1: label '\\xd9\\xa3' is not an integer"},
        {"\xef\xbc\x93,\xef\xbc\x94,\xef\xbc\x95",
         "F:1:1: field 1: label '\\xef\\xbc\\x93' is not an integer"},
        {"\xe2\x88\x92" "1,\xe2\x88\x92" "2,3", "F:1:1: field 1: label '\\xe2\\x88\\x921' is not an integer"},
        /* names, but not every field: the hint says why */
        {"label,,b", "F:1:1: field 1: label 'label' is not an integer (line 1 is read as data: "
                     "a header needs every field to be a name)"},
        {"label,a\x01,b", "F:1:1: field 1: label 'label' is not an integer (line 1 is read as "
                          "data: a header needs every field to be a name)"},
        {"label,-x,b", "F:1:1: field 1: label 'label' is not an integer (line 1 is read as "
                       "data: a header needs every field to be a name)"},
        {"a,1,2", "F:1:1: field 1: label 'a' is not an integer (line 1 is read as data: a "
                  "header needs every field to be a name)"},
        {"3,\"1O\",1", "F:1:3: field 2: '1O' is not a number"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char text[256], m[PMK_ERROR_MSG_MAX];
        snprintf(text, sizeof text, "%s\n7,5,1\n3,2,2\n", t[i].row);
        open_text(text, m, sizeof m);
        ck_assert_msg(strcmp(m, t[i].want) == 0, "row '%s': got '%s', want '%s'", t[i].row, m,
                      t[i].want);
    }
    /* a NUL inside line 1 */
    char m[PMK_ERROR_MSG_MAX];
    const char nul[] = "3,\0,1\n7,5,1\n";
    const char *p = put("n.csv", nul, sizeof nul - 1);
    pmk_error e;
    ck_assert_ptr_null(pmk_csv_open(p, NULL, &e));
    snprintf(m, sizeof m, "%s", e.msg + strlen(p));
    ck_assert_str_eq(m, ":1:3: field 2: '\\x00' is not a number");
    /* the header really is skipped: 2 rows, the first 7,5,1 */
    pmk_dataset *ds = NULL;
    p = put("h.csv", "label,a,b\n7,5,1\n3,2,2\n", 22);
    ck_assert_int_eq(pmk_csv_read_all(p, NULL, &ds, &e), PMK_OK);
    ck_assert_uint_eq(ds->n, 2);
    ck_assert_int_eq(ds->y[0], 7);
    ck_assert(gsl_matrix_get(ds->X, 0, 0) == 5 && gsl_matrix_get(ds->X, 1, 1) == 2);
    pmk_dataset_free(ds);
}
END_TEST

START_TEST(test_gzip_members_and_trailing)
{
    unsigned char buf[512];
    size_t n = 0;
    gz_member("1,2\n3,4\n", buf, &n, sizeof buf);
    gz_member("5,6\n", buf, &n, sizeof buf);
    /* two members read as one stream: three rows */
    pmk_dataset *ds = NULL;
    pmk_error e;
    const char *p = put("c.csv.gz", buf, n);
    ck_assert_msg(pmk_csv_read_all(p, NULL, &ds, &e) == PMK_OK, "%s", e.msg);
    ck_assert_uint_eq(ds->n, 3);
    ck_assert_int_eq(ds->y[2], 5);
    ck_assert(gsl_matrix_get(ds->X, 2, 0) == 6);
    pmk_dataset_free(ds);
    /* trailing text, then zero padding, after the last member */
    size_t at = n;
    memcpy(buf + n, "xy", 2);
    p = put("t.csv.gz", buf, n + 2);
    ck_assert_int_eq(pmk_csv_read_all(p, NULL, &ds, &e), PMK_EFORMAT);
    char want[256];
    snprintf(want, sizeof want, "%s: trailing bytes after the end of the gzip data (at byte %zu "
             "of the file; gzip(1) would say 'trailing garbage ignored')", p, at);
    ck_assert_str_eq(e.msg, want);
    memset(buf + n, 0, 4);
    p = put("z.csv.gz", buf, n + 4);
    ck_assert_int_eq(pmk_csv_read_all(p, NULL, &ds, &e), PMK_EFORMAT);
    snprintf(want, sizeof want, "%s: zero padding after the end of the gzip data (at byte %zu "
             "of the file; gzip(1) would say 'trailing garbage ignored')", p, at);
    ck_assert_str_eq(e.msg, want);
}
END_TEST

START_TEST(test_line_buffer_under_ceiling)
{
    /* a 3 MiB line with max_line far above it: the buffer may not pass 1 MiB */
    size_t len = (size_t)3 << 20;
    char *line = malloc(len + 1);
    memset(line, '1', len);
    line[len] = '\n';
    const char *p = put("l.csv", line, len + 1);
    free(line);
    pmk_csv_options o;
    pmk_csv_options_init_default(&o);
    o.max_line = (size_t)1 << 40;
    setenv("PMK_MAX_MEMORY", "2M", 1);
    pmk_error e;
    pmk_csv_reader *r = pmk_csv_open(p, &o, &e);
    unsetenv("PMK_MAX_MEMORY");
    ck_assert_ptr_null(r);
    char want[256];
    snprintf(want, sizeof want, "%s:1: a line of more than 1048576 bytes needs 2097153 bytes, "
             "more than the PMK_MAX_MEMORY limit of 2097152 bytes", p);
    ck_assert_str_eq(e.msg, want);
    ck_assert_int_eq(e.code, PMK_ELIMIT);
}
END_TEST

START_TEST(test_gnb_many_classes)
{
    /* 20000 classes, labels 3k (k = 0..19999) in a scrambled order, rows of
     * class k: x = (k, 2k) and (k + 2, 2k), so mean (k + 1, 2k), count 2,
     * m2 (2, 0).  Chunks of 1000 rows bring new labels in every chunk. */
    const size_t K = 20000, N = 2 * K, D = 2;
    gsl_matrix *X = gsl_matrix_alloc(N, D);
    long *y = malloc(N * sizeof *y);
    for (size_t i = 0; i < N; i++) {
        size_t k = (i * 7919) % K;   /* 7919 is prime to 20000: a permutation */
        y[i] = 3 * (long)k;
        gsl_matrix_set(X, i, 0, (double)k + (i < K ? 0 : 2));
        gsl_matrix_set(X, i, 1, 2.0 * (double)k);
    }
    pmk_gnb_options o;
    pmk_gnb_options_init_default(&o);
    o.max_classes = 100000;
    o.var_floor = 1;
    pmk_error e;
    pmk_gnb *m = pmk_gnb_alloc(D, &o, &e);
    for (size_t s = 0; s < N; s += 1000) {
        gsl_matrix_view V = gsl_matrix_submatrix(X, s, 0, 1000, D);
        ck_assert_msg(pmk_gnb_partial_fit(m, &V.matrix, y + s, &e) == PMK_OK, "%s", e.msg);
    }
    ck_assert_msg(pmk_gnb_finish(m, &e) == PMK_OK, "%s", e.msg);
    ck_assert_uint_eq(pmk_gnb_nclasses(m), K);
    const long *lab = pmk_gnb_labels(m);
    const gsl_matrix *mu = pmk_gnb_means(m), *m2 = pmk_gnb_m2(m);
    size_t check[] = {0, 1, 4567, 19999};
    for (size_t c = 0; c < 4; c++) {
        size_t k = check[c];
        ck_assert_int_eq(lab[k], 3 * (long)k);
        ck_assert(pmk_gnb_counts(m)[k] == 2);
        ck_assert(gsl_matrix_get(mu, k, 0) == (double)k + 1);
        ck_assert(gsl_matrix_get(mu, k, 1) == 2.0 * (double)k);
        ck_assert(gsl_matrix_get(m2, k, 0) == 2 && gsl_matrix_get(m2, k, 1) == 0);
    }
    ck_assert_int_eq(pmk_gnb_class_index(m, 3 * 4567), 4567);
    ck_assert_int_eq(pmk_gnb_class_index(m, 3 * 4567 + 1), -1);
    /* evaluation above PMK_GNB_EVAL_CONFUSION_MAX classes: no K x K matrix,
     * per-class counts.  Row (k + 1, 2k) is class k's mean: predicted k. */
    pmk_gnb_eval *ev = pmk_gnb_eval_alloc(m, &e);
    ck_assert_ptr_nonnull(ev);
    ck_assert_ptr_null(ev->confusion);
    gsl_matrix *Q = gsl_matrix_alloc(3, D);
    long yq[3] = {0, 3 * 4567, 3 * 4567};
    gsl_matrix_set(Q, 0, 0, 1), gsl_matrix_set(Q, 0, 1, 0);
    gsl_matrix_set(Q, 1, 0, 4568), gsl_matrix_set(Q, 1, 1, 9134);
    gsl_matrix_set(Q, 2, 0, 1), gsl_matrix_set(Q, 2, 1, 0);   /* class 0's mean */
    ck_assert_msg(pmk_gnb_eval_add(ev, m, Q, yq, &e) == PMK_OK, "%s", e.msg);
    ck_assert_uint_eq(ev->correct, 2);
    ck_assert_uint_eq(ev->support[4567], 2);
    ck_assert_uint_eq(ev->predicted[0], 2);
    ck_assert(pmk_gnb_eval_precision(ev, 0) == 0.5);
    ck_assert(pmk_gnb_eval_recall(ev, 4567) == 0.5);
    ck_assert(isnan(pmk_gnb_eval_precision(ev, 1)));
    pmk_gnb_eval_free(ev);
    gsl_matrix_free(Q);
    pmk_gnb_free(m);
    gsl_matrix_free(X);
    free(y);
}
END_TEST

START_TEST(test_gnb_overflow_message)
{
    /* feature 1 holds +-1e200 and 3e200, 2e200: the sum of squared
     * deviations is infinite, which is not a zero variance */
    double x[] = {1e200, 1, -1e200, 2, 3e200, 1, 2e200, 5};
    long y[] = {0, 0, 1, 1};
    gsl_matrix_view X = gsl_matrix_view_array(x, 4, 2);
    pmk_gnb_options o;
    pmk_gnb_options_init_default(&o);
    o.var_floor = 1;
    pmk_error e;
    ck_assert_ptr_null(pmk_gnb_fit(&X.matrix, y, &o, &e));
    ck_assert_int_eq(e.code, PMK_EDATA);
    ck_assert_str_eq(e.msg, "feature 1: the values overflow double precision (the sum of "
                            "squared deviations is infinite); scale them down (--scale)");
}
END_TEST

Suite *suite_readers(void)
{
    Suite *s = suite_create("readers");
    TCase *tc = tcase_create("readers");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_first_row_table);
    tcase_add_test(tc, test_gzip_members_and_trailing);
    tcase_add_test(tc, test_line_buffer_under_ceiling);
    tcase_add_test(tc, test_gnb_many_classes);
    tcase_add_test(tc, test_gnb_overflow_message);
    suite_add_tcase(s, tc);
    return s;
}
