/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_threads_gnb.c: gnb eval, predict and the fit's training pass over
 * 1, 2 and 3 ranges (gnb_par.c) give the one-thread figures: every count,
 * the confusion matrix, the predictions' bytes and the two sums of doubles
 * (NLL, log-posterior: held as fixed-point integers, which add in any
 * grouping to the same bits) identical.  Files: LF, CRLF, no
 * final newline, fewer rows than threads, and a first row longer than a
 * range (ranges without a row start); diagonal and full covariance.  And
 * how many ranges a file of a given size gets (ranges of at least 256 KiB,
 * or PMK_RANGE_MIN bytes). */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check_pmk.h"
#include "pmk/pmk.h"
#include "models/gnb_internal.h"

enum { SHAPE_LF, SHAPE_CRLF, SHAPE_NO_NEWLINE, SHAPE_TINY, SHAPE_LONG_FIRST, SHAPE_BYTES, NSHAPES };

/* A labelled CSV of @p shape (300 rows of 4 features and 3 classes, or 2
 * rows for SHAPE_TINY; values 0..255 for SHAPE_BYTES) in a temporary file
 * named in @p path. */
static void write_csv(char *path, int shape)
{
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "wb");
    const char *nl = shape == SHAPE_CRLF ? "\r\n" : "\n";
    pmk_rng *r = pmk_rng_alloc(NULL, 31 + (unsigned long)shape);
    int rows = shape == SHAPE_TINY ? 2 : 300;
    fprintf(f, "label,a,b,c,d%s", nl);
    for (int n = 0; n < rows; n++) {
        int k = shape == SHAPE_TINY ? n : (int)pmk_rng_uniform_int(r, 3);
        fprintf(f, "%d", k * 5 + 1);
        for (int j = 0; j < 4; j++) {
            double v = k * 60 + j * 10 + pmk_rng_gaussian(r) * (20 + 5 * j);
            if (shape == SHAPE_LONG_FIRST && n == 0 && j == 0)   /* 12,000 bytes of zeros */
                fprintf(f, ",%d.%012000d", k, 0);
            else if (shape == SHAPE_BYTES)   /* pixels: the fit spills them */
                fprintf(f, ",%d", v < 0 ? 0 : v > 255 ? 255 : (int)v);
            else
                fprintf(f, ",%.5f", k + j * 0.7 + pmk_rng_gaussian(r) * (1 + 0.2 * j));
        }
        if (n + 1 < rows || shape != SHAPE_NO_NEWLINE)
            fputs(nl, f);
    }
    fclose(f);
    pmk_rng_free(r);
}

static pmk_data_reader *open_threads(const char *path, int threads)
{
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.threads = threads;
    o.chunk_rows = 16;   /* several chunks a range */
    pmk_error e;
    pmk_data_reader *r = pmk_data_open(path, &o, &e);
    ck_assert_msg(r != NULL, "%s", e.msg);
    return r;
}

/* The model of @p path fitted on @p threads with its training pass; with
 * @p gone, the file is removed before the training pass, which must then
 * read the spills the fit wrote (one, or one a range). */
static pmk_gnb *fit_train(const char *path, int threads, int full, pmk_gnb_eval **train,
                          int gone)
{
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.threads = threads;
    o.chunk_rows = 16;
    pmk_gnb_options g;
    pmk_gnb_options_init_default(&g);
    double *plist = NULL;
    pmk_error e;
    if (full)
        ck_assert_int_eq(pmk_gnb_options_set(&g, "covariance", "full", &plist, &e), PMK_OK);
    pmk_gnb_fitter *f = pmk_gnb_fitter_open(path, &o, &g, 1, &e);
    ck_assert_ptr_nonnull(f);
    pmk_gnb *m = NULL;
    int done = 0;
    while (!done)
        ck_assert_msg(pmk_gnb_fitter_iterate(f, &done, &e) == PMK_OK, "%s", e.msg);
    char keep[64] = "";
    if (gone) {
        snprintf(keep, sizeof keep, "%s.keep", path);
        ck_assert_int_eq(rename(path, keep), 0);
    }
    ck_assert_msg(pmk_gnb_fitter_train_eval(f, train, &e) == PMK_OK, "%s", e.msg);
    ck_assert_ptr_nonnull(*train);
    ck_assert_ptr_nonnull(m = pmk_gnb_fitter_take(f));
    if (gone)
        ck_assert_int_eq(rename(keep, path), 0);
    pmk_gnb_fitter_free(f);
    free(plist);
    return m;
}

static pmk_gnb_eval *eval_threads(const pmk_gnb *m, const char *path, int threads)
{
    pmk_data_reader *r = open_threads(path, threads);
    pmk_gnb_eval *ev = NULL;
    pmk_error e;
    ck_assert_msg(pmk_gnb_eval_reader(m, r, &ev, &e) == PMK_OK, "%s", e.msg);
    pmk_data_close(r);
    return ev;
}

static char *predict_threads(const pmk_gnb *m, const char *path, int threads, size_t *len)
{
    pmk_data_reader *r = open_threads(path, threads);
    char *buf = NULL;
    FILE *out = open_memstream(&buf, len);
    pmk_error e;
    ck_assert_msg(pmk_gnb_predict_write(m, r, PMK_GNB_PROBA, out, &e) == PMK_OK, "%s", e.msg);
    fclose(out);
    pmk_data_close(r);
    return buf;
}

/* Every count and both sums of @p b equal @p a's, bit for bit. */
static void assert_same_eval(const pmk_gnb_eval *a, const pmk_gnb_eval *b)
{

    ck_assert_uint_eq(a->k, b->k);
    ck_assert_uint_eq(a->n, b->n);
    ck_assert_uint_eq(a->correct, b->correct);
    ck_assert_uint_eq(a->zero_var_rows, b->zero_var_rows);
    size_t K = a->k;
    ck_assert(memcmp(a->support, b->support, K * sizeof *a->support) == 0);
    ck_assert(memcmp(a->predicted, b->predicted, K * sizeof *a->predicted) == 0);
    ck_assert(memcmp(a->hits, b->hits, K * sizeof *a->hits) == 0);
    ck_assert_ptr_nonnull(a->confusion);
    ck_assert(memcmp(a->confusion, b->confusion, K * K * sizeof *a->confusion) == 0);
    ck_assert_int_eq(a->fix_off_, 0);
    ck_assert_msg(memcmp(&a->sum_nll, &b->sum_nll, sizeof(double)) == 0, "%.17g vs %.17g",
                  a->sum_nll, b->sum_nll);
    ck_assert_msg(memcmp(&a->sum_log_post, &b->sum_log_post, sizeof(double)) == 0,
                  "%.17g vs %.17g", a->sum_log_post, b->sum_log_post);
    ck_assert(memcmp(&a->mean_nll, &b->mean_nll, sizeof(double)) == 0);
}

START_TEST(test_gnb_eval_predict_any_threads)
{
    int shape = _i / 2, full = _i % 2;
    if (full && shape == SHAPE_TINY)
        return;   /* one row a class: no within-class scatter to invert */
    char path[] = "/tmp/pmk-check-threads-gnb-XXXXXX";
    write_csv(path, shape);
    pmk_gnb_eval *tr1 = NULL;
    pmk_gnb *m = fit_train(path, 1, full, &tr1, shape == SHAPE_BYTES);
    pmk_gnb_eval *e1 = eval_threads(m, path, 1);
    ck_assert_uint_eq(e1->n, shape == SHAPE_TINY ? 2 : 300);
    ck_assert_uint_gt(e1->correct, 0);
    assert_same_eval(e1, tr1);   /* the spilled training pass reads the same rows */
    size_t n1;
    char *p1 = predict_threads(m, path, 1, &n1);
    for (int t = 2; t <= 3; t++) {
        pmk_gnb_eval *et = eval_threads(m, path, t), *eb = eval_threads(m, path, t), *trt = NULL;
        assert_same_eval(e1, et);
        assert_same_eval(et, eb);
        pmk_gnb *mt = fit_train(path, t, full, &trt, shape == SHAPE_BYTES);   /* its own bits: evaluate it */
        pmk_gnb_eval *em = eval_threads(mt, path, t);
        assert_same_eval(em, trt);   /* the ranges' spills: the same figures */
        pmk_gnb_eval_free(em);
        size_t nt;
        char *pt = predict_threads(m, path, t, &nt);
        ck_assert_uint_eq(n1, nt);
        ck_assert_msg(memcmp(p1, pt, n1) == 0, "predictions differ with %d threads", t);
        free(pt);
        pmk_gnb_free(mt);
        pmk_gnb_eval_free(trt);
        pmk_gnb_eval_free(et);
        pmk_gnb_eval_free(eb);
    }
    free(p1);
    pmk_gnb_eval_free(e1);
    pmk_gnb_eval_free(tr1);
    pmk_gnb_free(m);
    remove(path);
}
END_TEST

/* A labelled CSV of @p kib KiB: a header, then rows "1,2" and "2,5" (4
 * bytes each) in turn; *@p rows their number. */
static void write_sized(char *path, size_t kib, size_t *rows)
{
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "wb");
    fputs("label,x\n", f);   /* 8 bytes */
    *rows = (kib * 1024 - 8) / 4;
    for (size_t n = 0; n < *rows; n++)
        fputs(n % 2 ? "2,5\n" : "1,2\n", f);
    fclose(f);
}

/* The number of ranges pmk_gnb_par_fit cuts @p path into on @p threads (1:
 * it declined, and the caller reads the file on one thread), each range's
 * rows spilled; the rows read must be all @p rows. */
static size_t ranges_of(const char *path, int threads, size_t rows)
{
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.threads = threads;
    pmk_gnb_options g;
    pmk_gnb_options_init_default(&g);
    pmk_gnb *m = NULL;
    pmk_gnb_spill **sp = NULL;
    size_t nsp = 0;
    double got = 0;
    pmk_error e;
    ck_assert_msg(pmk_gnb_par_fit(path, NULL, &o, &g, 0, &m, &got, &sp, &nsp, &e) == PMK_OK,
                  "%s", e.msg);
    if (!m) {
        ck_assert_ptr_null(sp);
        return 1;
    }
    ck_assert_double_eq(got, (double)rows);
    ck_assert_uint_eq(m->k, 2);
    pmk_gnb_par_spills_free(sp, nsp);
    pmk_gnb_free(m);
    return nsp;
}

START_TEST(test_range_min)
{
    char small[] = "/tmp/pmk-check-range-XXXXXX", mid[] = "/tmp/pmk-check-range-XXXXXX";
    char big[] = "/tmp/pmk-check-range-XXXXXX";
    size_t rs, rm, rb;
    write_sized(small, 300, &rs);   /* one 256 KiB range: no split */
    write_sized(mid, 600, &rm);     /* two */
    write_sized(big, 800, &rb);     /* three */
    unsetenv("PMK_RANGE_MIN");
    ck_assert_uint_eq(pmk_gnb_par_range_min(), 256 * 1024);
    ck_assert_uint_eq(ranges_of(small, 3, rs), 1);
    ck_assert_uint_eq(ranges_of(mid, 3, rm), 2);
    ck_assert_uint_eq(ranges_of(mid, 2, rm), 2);
    ck_assert_uint_eq(ranges_of(big, 3, rb), 3);
    ck_assert_uint_eq(ranges_of(big, 8, rb), 3);
    ck_assert_uint_eq(ranges_of(big, 1, rb), 1);
    setenv("PMK_RANGE_MIN", "1", 1);
    ck_assert_uint_eq(pmk_gnb_par_range_min(), 1);
    ck_assert_uint_eq(ranges_of(small, 3, rs), 3);
    setenv("PMK_RANGE_MIN", "400k", 1);
    ck_assert_uint_eq(pmk_gnb_par_range_min(), 400 * 1024);
    ck_assert_uint_eq(ranges_of(mid, 3, rm), 1);
    ck_assert_uint_eq(ranges_of(big, 3, rb), 2);
    const char *bad[] = {"0", "junk", "-5", ""};   /* the default instead */
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        setenv("PMK_RANGE_MIN", bad[i], 1);
        ck_assert_uint_eq(pmk_gnb_par_range_min(), 256 * 1024);
        ck_assert_uint_eq(ranges_of(mid, 3, rm), 2);
    }
    setenv("PMK_RANGE_MIN", "1", 1);   /* as check_pmk's main left it */
    remove(small), remove(mid), remove(big);
}
END_TEST

TCase *tcase_threads_gnb(void)
{
    TCase *tc = tcase_create("threads_gnb");
    tcase_add_loop_test(tc, test_gnb_eval_predict_any_threads, 0, 2 * NSHAPES);
    tcase_add_test(tc, test_range_min);
    return tc;
}
