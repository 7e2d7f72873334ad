/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_record.c: the text-record reader's field readers (each rule's
 * accepted and refused spellings, with the exact message), its line handling,
 * and the model files through streams: write to a memory FILE, read back,
 * the same bytes as the path helpers. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_pmk.h"
#include "pmk/pmk.h"
#include "io/record_internal.h"

/* A reader on a file holding @p text, positioned on its first line. */
typedef struct fixture {
    char path[512];
    pmk_instream *in;
    pmk_rec_reader r;
    pmk_error e;
} fixture;

static void fx_open(fixture *f, const char *text, int need_eol)
{
    snprintf(f->path, sizeof f->path, "%s/rec.txt", test_tmpdir());
    test_write_file(f->path, text, strlen(text));
    pmk_error_clear(&f->e);
    f->in = pmk_instream_open(f->path, &f->e);
    ck_assert_ptr_nonnull(f->in);
    ck_assert_int_eq(pmk_rec_open(&f->r, f->in, 64, "truncated", need_eol, &f->e), PMK_OK);
}

static void fx_close(fixture *f)
{
    pmk_rec_close(&f->r);
    pmk_instream_close(f->in);
}

/* The message with the fixture's path in front of @p tail. */
static void assert_msg(const fixture *f, const char *tail)
{
    char want[1024];
    snprintf(want, sizeof want, "%s:%s", f->path, tail);
    ck_assert_str_eq(f->e.msg, want);
}

/* Reads word @p w of line 1 of "x W" by @p rule: the status, the value, the
 * message. */
static int number(const char *w, const pmk_rec_rule *rule, const char *prefix, double *v,
                  char *msg, size_t len)
{
    char text[256];
    snprintf(text, sizeof text, "x %s\n", w);
    fixture f;
    fx_open(&f, text, 1);
    ck_assert_int_eq(pmk_rec_next(&f.r), 1);
    pmk_rec_word(&f.r);
    char *t = pmk_rec_word(&f.r);
    ck_assert_ptr_nonnull(t);
    int rc = pmk_rec_number(&f.r, t, rule, prefix, v);
    /* the message without the path */
    snprintf(msg, len, "%s", rc ? f.e.msg + strlen(f.path) + 1 : "");
    fx_close(&f);
    return rc;
}

static const pmk_rec_rule any = {"x", -INFINITY, INFINITY, 0};
static const pmk_rec_rule unit = {"the value", 0, 1, 0};
static const pmk_rec_rule positive = {"the scale", 0, 1e150, PMK_REC_LO_OPEN};
static const pmk_rec_rule integer = {"a count", 1, 100, PMK_REC_INTEGER};
static const pmk_rec_rule bit = {"a state", 0, 1, PMK_REC_INTEGER};
static const pmk_rec_rule at_most = {"m2", -INFINITY, 1e300, 0};

START_TEST(test_number_syntax)
{
    /* what %.17g writes, and the usual decimal spellings, are accepted */
    static const struct {
        const char *w;
        double v;
    } ok[] = {{"1.5", 1.5},   {"-0", -0.0},   {"+2", 2},     {".5", 0.5},  {"5.", 5},
              {"1e-310", 1e-310}, {"1E+3", 1000}, {"-2.5e-3", -0.0025},
              {"0.10000000000000001", 0.1}};
    char msg[1024];
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double v = 99;
        ck_assert_msg(number(ok[i].w, &any, NULL, &v, msg, sizeof msg) == PMK_OK, "%s: %s",
                      ok[i].w, msg);
        ck_assert_msg(v == ok[i].v, "%s read as %g", ok[i].w, v);
    }
    double v = 0;
    ck_assert_int_eq(number("-0", &any, NULL, &v, msg, sizeof msg), PMK_OK);
    ck_assert(signbit(v));
    /* hex floats, nan, inf, overflow, separators, junk: one message */
    static const char *bad[] = {"0x1p3", "0X10", "nan", "NaN", "inf", "-Infinity", "1e999",
                                "-1e400", "1_000", "5junk", "1,5", "e5", "1e", "1e+", "--1",
                                ".", "+", "1.2.3", "\xd9\xa3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(number(bad[i], &any, NULL, &v, msg, sizeof msg), PMK_EFORMAT);
        char want[256], ex[176];
        snprintf(want, sizeof want, "1:2: '%s' is not a finite number",
                 pmk_rec_excerpt(bad[i], ex, sizeof ex));
        ck_assert_str_eq(msg, want);
    }
    ck_assert_int_eq(number("nan", &any, "row 2 of W", &v, msg, sizeof msg), PMK_EFORMAT);
    ck_assert_str_eq(msg, "1:2: row 2 of W: 'nan' is not a finite number");
}
END_TEST

START_TEST(test_number_rules)
{
    char msg[1024];
    double v;
    ck_assert_int_eq(number("1", &unit, NULL, &v, msg, sizeof msg), PMK_OK);
    ck_assert_int_eq(number("0", &unit, NULL, &v, msg, sizeof msg), PMK_OK);
    ck_assert_int_eq(number("1.0000000000000002", &unit, NULL, &v, msg, sizeof msg),
                     PMK_EFORMAT);
    ck_assert_str_eq(msg, "1:2: the value must be in [0, 1], not 1.0000000000000002");
    ck_assert_int_eq(number("-1e-300", &unit, NULL, &v, msg, sizeof msg), PMK_EFORMAT);
    ck_assert_str_eq(msg, "1:2: the value must be in [0, 1], not -1e-300");
    /* an open lower end */
    ck_assert_int_eq(number("1e-300", &positive, NULL, &v, msg, sizeof msg), PMK_OK);
    ck_assert_int_eq(number("1e150", &positive, NULL, &v, msg, sizeof msg), PMK_OK);
    ck_assert_int_eq(number("0", &positive, NULL, &v, msg, sizeof msg), PMK_EFORMAT);
    ck_assert_str_eq(msg, "1:2: the scale must be in (0, 1e+150], not 0");
    ck_assert_int_eq(number("1e308", &positive, NULL, &v, msg, sizeof msg), PMK_EFORMAT);
    ck_assert_str_eq(msg, "1:2: the scale must be in (0, 1e+150], not 1e308");
    /* integers, any spelling of one */
    ck_assert_int_eq(number("3e1", &integer, NULL, &v, msg, sizeof msg), PMK_OK);
    ck_assert(v == 30);
    ck_assert_int_eq(number("2.5", &integer, NULL, &v, msg, sizeof msg), PMK_EFORMAT);
    ck_assert_str_eq(msg, "1:2: a count must be an integer, not 2.5");
    ck_assert_int_eq(number("101", &integer, NULL, &v, msg, sizeof msg), PMK_EFORMAT);
    ck_assert_str_eq(msg, "1:2: a count must be in [1, 100], not 101");
    /* 0/1 */
    ck_assert_int_eq(number("1", &bit, NULL, &v, msg, sizeof msg), PMK_OK);
    ck_assert_int_eq(number("0.5", &bit, "row 1 of chains", &v, msg, sizeof msg), PMK_EFORMAT);
    ck_assert_str_eq(msg, "1:2: row 1 of chains: a state must be 0 or 1, not 0.5");
    ck_assert_int_eq(number("2", &bit, NULL, &v, msg, sizeof msg), PMK_EFORMAT);
    ck_assert_str_eq(msg, "1:2: a state must be 0 or 1, not 2");
    ck_assert_int_eq(number("-1", &bit, NULL, &v, msg, sizeof msg), PMK_EFORMAT);
    ck_assert_str_eq(msg, "1:2: a state must be 0 or 1, not -1");
    /* only an upper end */
    ck_assert_int_eq(number("-5", &at_most, NULL, &v, msg, sizeof msg), PMK_OK);
    ck_assert_int_eq(number("1e301", &at_most, NULL, &v, msg, sizeof msg), PMK_EFORMAT);
    ck_assert_str_eq(msg, "1:2: m2 must be at most 1e+300, not 1e301");
}
END_TEST

/* pmk_rec_count and pmk_rec_long on word 2 of "x W". */
static int count(const char *w, size_t lo, size_t hi, size_t *v, char *msg, size_t len,
                 int as_long, long *lv)
{
    char text[256];
    snprintf(text, sizeof text, "x %s\n", w);
    fixture f;
    fx_open(&f, text, 1);
    ck_assert_int_eq(pmk_rec_next(&f.r), 1);
    pmk_rec_word(&f.r);
    char *t = pmk_rec_word(&f.r);
    int rc = as_long ? pmk_rec_long(&f.r, t, lv) : pmk_rec_count(&f.r, t, "features", lo, hi, v);
    snprintf(msg, len, "%s", rc ? f.e.msg + strlen(f.path) + 1 : "");
    fx_close(&f);
    return rc;
}

START_TEST(test_counts)
{
    char msg[1024];
    size_t v = 0;
    long l = 0;
    ck_assert_int_eq(count("12", 1, 100, &v, msg, sizeof msg, 0, NULL), PMK_OK);
    ck_assert_uint_eq(v, 12);
    ck_assert_int_eq(count("0", 0, 100, &v, msg, sizeof msg, 0, NULL), PMK_OK);
    ck_assert_uint_eq(v, 0);
    static const char *bad[] = {"-1", "+1", "1.0", "1e3", "0x10", "12a",
                                "99999999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_int_eq(count(bad[i], 1, 100, &v, msg, sizeof msg, 0, NULL), PMK_EFORMAT);
        char want[256];
        snprintf(want, sizeof want, "1:2: '%s' is not a positive integer", bad[i]);
        ck_assert_str_eq(msg, want);
    }
    ck_assert_int_eq(count("-1", 0, 100, &v, msg, sizeof msg, 0, NULL), PMK_EFORMAT);
    ck_assert_str_eq(msg, "1:2: '-1' is not a non-negative integer");
    ck_assert_int_eq(count("0", 1, 100, &v, msg, sizeof msg, 0, NULL), PMK_EFORMAT);
    ck_assert_str_eq(msg, "1:2: features must be at least 1, not 0");
    ck_assert_int_eq(count("101", 1, 100, &v, msg, sizeof msg, 0, NULL), PMK_ELIMIT);
    ck_assert_str_eq(msg, "1:2: features 101 is more than pmk accepts (100)");
    /* signed labels */
    ck_assert_int_eq(count("-7", 0, 0, NULL, msg, sizeof msg, 1, &l), PMK_OK);
    ck_assert_int_eq(l, -7);
    ck_assert_int_eq(count("7.0", 0, 0, NULL, msg, sizeof msg, 1, &l), PMK_EFORMAT);
    ck_assert_str_eq(msg, "1:2: '7.0' is not an integer");
    ck_assert_int_eq(count("99999999999999999999", 0, 0, NULL, msg, sizeof msg, 1, &l),
                     PMK_EFORMAT);
    ck_assert_str_eq(msg, "1:2: '99999999999999999999' is not an integer");
}
END_TEST

START_TEST(test_rows_and_lines)
{
    fixture f;
    double x[4] = {0, 0, 0, 0};
    size_t got;
    fx_open(&f, "1 2\t3\r\n1 2 3\n1 zz 3\n\n  \nend\n", 1);
    ck_assert_int_eq(pmk_rec_next(&f.r), 1);
    ck_assert_int_eq(pmk_rec_row(&f.r, &any, NULL, x, 4, 1, &got), PMK_OK);
    ck_assert_uint_eq(got, 3);   /* short: the caller words it */
    ck_assert(x[0] == 1 && x[1] == 2 && x[2] == 3);
    ck_assert_int_eq(pmk_rec_next(&f.r), 1);
    ck_assert_int_eq(pmk_rec_row(&f.r, &any, NULL, x, 2, 1, &got), PMK_OK);
    ck_assert_uint_eq(got, 2);
    ck_assert(!pmk_rec_at_end(&f.r));   /* long: a word is left */
    ck_assert_int_eq(pmk_rec_next(&f.r), 1);
    ck_assert_int_eq(pmk_rec_row(&f.r, &any, "b", x, 3, 1, &got), PMK_EFORMAT);
    ck_assert_uint_eq(got, 1);
    assert_msg(&f, "3:2: b: 'zz' is not a finite number");
    ck_assert_int_eq(f.e.line, 3);
    ck_assert_int_eq(f.e.column, 2);
    /* blank lines, then 'end' is not blank */
    ck_assert_int_eq(pmk_rec_expect_eof(&f.r, 0), PMK_EFORMAT);
    assert_msg(&f, "6: unexpected text after 'end'");
    ck_assert_int_eq(pmk_rec_next(&f.r), 0);
    ck_assert_int_eq(pmk_rec_need(&f.r, "'end'"), PMK_EFORMAT);
    assert_msg(&f, "7: truncated: expected 'end'");
    fx_close(&f);

    /* a last line without '\n' */
    fx_open(&f, "a\nb", 1);
    ck_assert_int_eq(pmk_rec_next(&f.r), 1);
    ck_assert_int_eq(pmk_rec_next(&f.r), -1);
    assert_msg(&f, "2: truncated: the last line has no end");
    fx_close(&f);
    fx_open(&f, "a\nb", 0);   /* tolerated when the format says so */
    ck_assert_int_eq(pmk_rec_next(&f.r), 1);
    ck_assert_int_eq(pmk_rec_next(&f.r), 1);
    ck_assert_str_eq(f.r.line, "b");
    ck_assert_int_eq(pmk_rec_next(&f.r), 0);
    fx_close(&f);

    /* the line limit (64 bytes here) */
    char longline[200];
    memset(longline, '1', 100);
    strcpy(longline + 100, "\n");
    fx_open(&f, longline, 1);
    ck_assert_int_eq(pmk_rec_next(&f.r), -1);
    ck_assert_int_eq(f.e.code, PMK_ELIMIT);
    assert_msg(&f, "1: line longer than 64 bytes");
    fx_close(&f);

    /* a row read into a buffer grown as the numbers arrive */
    fx_open(&f, "5 6 7\n", 1);
    ck_assert_int_eq(pmk_rec_next(&f.r), 1);
    double *grown = NULL;
    ck_assert_int_eq(pmk_rec_row_alloc(&f.r, &any, NULL, 1000000, &grown, &got), PMK_OK);
    ck_assert_uint_eq(got, 3);
    ck_assert(grown[0] == 5 && grown[2] == 7);
    free(grown);
    fx_close(&f);
}
END_TEST

/* ---------------------------------------------------------------- streams */

/* The bytes written by @p put to a memory stream. */
static char *to_memory(int (*put)(const void *, FILE *, pmk_error *), const void *m, size_t *n,
                       int *rc)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, n);
    ck_assert_ptr_nonnull(f);
    pmk_error e;
    *rc = put(m, f, &e);
    fclose(f);
    return buf;
}

static int put_gnb(const void *m, FILE *f, pmk_error *e) { return pmk_gnb_write(m, f, e); }
static int put_rbm(const void *m, FILE *f, pmk_error *e) { return pmk_rbm_write(m, f, e); }

static pmk_gnb *tiny_gnb(void)
{
    gsl_matrix *X = gsl_matrix_alloc(5, 2);
    const double v[10] = {1, 1, 5, 1, 3, 1, 5, 2, 1, 3};
    memcpy(X->data, v, sizeof v);
    long y[5] = {3, 7, 7, 7, 3};
    pmk_gnb_options o;
    pmk_gnb_options_init_default(&o);
    o.transform.scale = 1.0 / 255;
    o.variance = PMK_GNB_VAR_CLASS;
    pmk_gnb *m = pmk_gnb_fit(X, y, &o, NULL);
    gsl_matrix_free(X);
    ck_assert_ptr_nonnull(m);
    return m;
}

START_TEST(test_gnb_stream_round_trip)
{
    pmk_gnb *m = tiny_gnb();
    char path[512];
    snprintf(path, sizeof path, "%s/m.gnb", test_tmpdir());
    pmk_error e;
    ck_assert_int_eq(pmk_gnb_save(m, path, &e), PMK_OK);
    size_t flen, n1, n2;
    char *file = test_read_file(path, &flen);
    int rc;
    char *mem = to_memory(put_gnb, m, &n1, &rc);
    ck_assert_int_eq(rc, PMK_OK);
    ck_assert_uint_eq(n1, flen);
    ck_assert(memcmp(mem, file, flen) == 0);   /* the path helper writes the stream's bytes */
    ck_assert(strncmp(mem, "pmk-gnb 1\nfeatures 2\nclasses 2\nrows 5\nvariance class\n", 52)
              == 0);
    /* read back from a stream, written again: the same bytes */
    pmk_instream *in = pmk_instream_open(path, &e);
    ck_assert_ptr_nonnull(in);
    pmk_gnb *back = NULL;
    ck_assert_msg(pmk_gnb_read(in, &back, &e) == PMK_OK, "%s", e.msg);
    pmk_instream_close(in);
    char *again = to_memory(put_gnb, back, &n2, &rc);
    ck_assert_int_eq(rc, PMK_OK);
    ck_assert_uint_eq(n2, n1);
    ck_assert(memcmp(again, mem, n1) == 0);
    /* a FILE that refuses writes: PMK_EIO, not a silent success */
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        ck_assert_int_eq(pmk_gnb_write(m, full, &e), PMK_EIO);
        fclose(full);
    }
    free(file), free(mem), free(again);
    pmk_gnb_free(m);
    pmk_gnb_free(back);
}
END_TEST

static pmk_rbm *tiny_rbm(void)
{
    pmk_rbm *m = pmk_rbm_alloc(3, 2, NULL);
    for (size_t i = 0; i < 3; i++) {
        gsl_vector_set(m->b, i, -0.25 * (double)i);
        for (size_t j = 0; j < 2; j++)
            gsl_matrix_set(m->W, i, j, 1.0 / (double)(3 + i + 7 * j));
    }
    gsl_vector_set(m->a, 1, 1e-300);
    gsl_matrix_set(m->W, 2, 1, -0.0);
    m->dW = gsl_matrix_calloc(3, 2);
    m->db = gsl_vector_calloc(3);
    m->da = gsl_vector_calloc(2);
    gsl_matrix_set(m->dW, 1, 1, 1e-5 / 3);
    m->chains = gsl_matrix_calloc(2, 2);
    gsl_matrix_set(m->chains, 1, 0, 1);
    m->epochs = 7;
    return m;
}

START_TEST(test_rbm_stream_round_trip)
{
    pmk_rbm *m = tiny_rbm();
    char path[512];
    snprintf(path, sizeof path, "%s/m.rbm", test_tmpdir());
    pmk_error e;
    ck_assert_int_eq(pmk_rbm_save(m, path, &e), PMK_OK);
    size_t flen, n1, n2;
    char *file = test_read_file(path, &flen);
    int rc;
    char *mem = to_memory(put_rbm, m, &n1, &rc);
    ck_assert_int_eq(rc, PMK_OK);
    ck_assert_uint_eq(n1, flen);
    ck_assert(memcmp(mem, file, flen) == 0);
    ck_assert(strstr(mem, "\nchains 2\n0 0\n1 0\nend\n") != NULL);
    ck_assert(strstr(mem, "\n0.33333333333333331 0.10000000000000001\n") != NULL);
    pmk_instream *in = pmk_instream_open(path, &e);
    pmk_rbm *back = NULL;
    ck_assert_msg(pmk_rbm_read(in, &back, &e) == PMK_OK, "%s", e.msg);
    pmk_instream_close(in);
    ck_assert_uint_eq(back->epochs, 7);
    ck_assert(signbit(gsl_matrix_get(back->W, 2, 1)));
    char *again = to_memory(put_rbm, back, &n2, &rc);
    ck_assert_uint_eq(n2, n1);
    ck_assert(memcmp(again, mem, n1) == 0);
    free(again);
    /* nothing the reader refuses is written */
    gsl_matrix_set(back->W, 1, 0, 1e30);
    again = to_memory(put_rbm, back, &n2, &rc);
    ck_assert_int_eq(rc, PMK_EDATA);
    ck_assert_uint_eq(n2, 0);
    ck_assert_int_eq(pmk_rbm_write(back, stdout, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "cannot save: value 1 of W is 1e+30, which the reader refuses "
                            "(a weight must be in [-1e+25, 1e+25])");
    gsl_matrix_set(back->W, 1, 0, 0);
    gsl_matrix_set(back->chains, 0, 1, 0.5);
    ck_assert_int_eq(pmk_rbm_save(back, path, &e), PMK_EDATA);
    char want[1024];
    snprintf(want, sizeof want, "%s: cannot save: value 2 of chains is 0.5, which the reader "
                                "refuses (a chain state must be in [0, 1], an integer)", path);
    ck_assert_str_eq(e.msg, want);
    char *still = test_read_file(path, &n2);   /* the target is left as it was */
    ck_assert_uint_eq(n2, flen);
    ck_assert(memcmp(still, file, flen) == 0);
    free(still), free(file), free(mem), free(again);
    pmk_rbm_free(m);
    pmk_rbm_free(back);
}
END_TEST

Suite *suite_record(void)
{
    Suite *s = suite_create("record");
    TCase *tc = tcase_create("fields");
    tcase_add_test(tc, test_number_syntax);
    tcase_add_test(tc, test_number_rules);
    tcase_add_test(tc, test_counts);
    tcase_add_test(tc, test_rows_and_lines);
    suite_add_tcase(s, tc);
    tc = tcase_create("streams");
    tcase_add_test(tc, test_gnb_stream_round_trip);
    tcase_add_test(tc, test_rbm_stream_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
