/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_gnb_feed.c: the fit's feeder (gnb_feed.c), which reads a file in
 * small chunks, holds the rows as bytes while they are, and hands the fit
 * the chunks a reader of the fit's chunk size would: the model's every bit
 * equals the in-memory fit of those chunks (pmk_gnb_partial_fit) for pixel
 * data, for data that stops being bytes inside a chunk or on its first row,
 * on 1 to 3 threads against the one-thread model to 1e-12, for IDX bytes
 * handed over as bytes; token labels
 * met late start the fit again without the feeder (the reader's chunks,
 * fitted as they come); and a model error names its line in the file. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_gnb.h"

enum { ROWS = 700, D = 5, CHUNK = 64 };

/* Pixel rows around three class means; with @p frac_row >= 0, the value
 * 12.5 at that row (the data stop being bytes there). */
static void make_data(double *X, long *y, long frac_row)
{
    pmk_rng *r = pmk_rng_alloc(NULL, 77);
    for (size_t i = 0; i < ROWS; i++) {
        long k = (long)pmk_rng_uniform_int(r, 3);
        y[i] = 2 * k + 1;
        for (size_t j = 0; j < D; j++) {
            double v = 40.0 * (double)k + 15.0 * (double)j + 30 * pmk_rng_gaussian(r);
            X[i * D + j] = v < 0 ? 0 : v > 255 ? 255 : (double)(long)v;
        }
    }
    if (frac_row >= 0)
        X[frac_row * D + 2] = 12.5;
    pmk_rng_free(r);
}

/* The in-memory fit of the rows in chunks of CHUNK rows: what the feeder
 * must give to the bit. */
static pmk_gnb *chunks_fit(const double *X, const long *y)
{
    pmk_gnb *ref = pmk_gnb_alloc(D, NULL, NULL);
    for (size_t a = 0; a < ROWS; a += CHUNK) {
        size_t n = ROWS - a < CHUNK ? ROWS - a : CHUNK;
        gsl_matrix_const_view V = gsl_matrix_const_view_array(X + a * D, n, D);
        ck_assert_int_eq(pmk_gnb_partial_fit(ref, &V.matrix, y + a, NULL), PMK_OK);
    }
    ck_assert_int_eq(pmk_gnb_finish(ref, NULL), PMK_OK);
    return ref;
}

/* The rows as CSV with a header; labels as numbers, or, from row
 * @p token_from on (>= 0), "c" and the number. */
static const char *write_csv(const char *name, const double *X, const long *y, long token_from)
{
    static char path[700];
    snprintf(path, sizeof path, "%s/%s", test_tmpdir(), name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("label,a,b,c,d,e\n", f);
    for (size_t i = 0; i < ROWS; i++) {
        if (token_from >= 0 && (long)i >= token_from)
            fprintf(f, "c%ld", y[i]);
        else
            fprintf(f, "%ld", y[i]);
        for (size_t j = 0; j < D; j++)
            fprintf(f, ",%.17g", X[i * D + j]);
        fputc('\n', f);
    }
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

/* The file fitted by pmk_gnb_fitter on @p threads, fit chunks of CHUNK
 * rows, with its training pass (*@p train, NULL: none). */
static pmk_gnb *fitter_model(const char *path, int threads, int tokens, pmk_gnb_eval **train)
{
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.chunk_rows = CHUNK;
    o.threads = threads;
    o.label_tokens = tokens;
    pmk_gnb_options g;
    pmk_gnb_options_init_default(&g);
    pmk_error e;
    pmk_gnb_fitter *f = pmk_gnb_fitter_open(path, &o, &g, train != NULL, &e);
    ck_assert_msg(f != NULL, "%s", e.msg);
    pmk_gnb *m = NULL;
    ck_assert_msg(pmk_gnb_fitter_run(f, &m, train, &e) == PMK_OK, "%s", e.msg);
    pmk_gnb_fitter_free(f);
    return m;
}

static void assert_same_text(const pmk_gnb *a, const pmk_gnb *b)
{
    char *ta = gnb_model_text(a), *tb = gnb_model_text(b);
    ck_assert_str_eq(ta, tb);
    free(ta);
    free(tb);
}

/* _i: 0 pixels throughout; 1 a fraction at row 150 (the third chunk, after
 * two spilled as bytes); 2 a fraction on the first row. */
START_TEST(test_feed_same_bits_as_chunks)
{
    static const long frac[] = {-1, 150, 0};
    double *X = malloc(ROWS * D * sizeof *X);
    long *y = malloc(ROWS * sizeof *y);
    make_data(X, y, frac[_i]);
    const char *path = write_csv("feed.csv", X, y, -1);

    pmk_gnb *ref = chunks_fit(X, y);

    pmk_gnb_eval *tr = NULL;
    pmk_gnb *m1 = fitter_model(path, 1, 0, &tr);
    assert_same_text(m1, ref);
    ck_assert_uint_eq(tr->n, ROWS);   /* the training pass saw every row */
    pmk_gnb_eval *ev = pmk_gnb_eval_alloc(m1, NULL);
    gsl_matrix_view all = gsl_matrix_view_array(X, ROWS, D);
    ck_assert_int_eq(pmk_gnb_eval_add(ev, m1, &all.matrix, y, NULL), PMK_OK);
    ck_assert_uint_eq(tr->correct, ev->correct);   /* in memory: the same figures */
    ck_assert(memcmp(&tr->sum_nll, &ev->sum_nll, sizeof(double)) == 0);
    pmk_gnb_eval_free(ev);
    pmk_gnb_eval_free(tr);
    for (int t = 2; t <= 3; t++) {
        pmk_gnb *mt = fitter_model(path, t, 0, NULL), *again = fitter_model(path, t, 0, NULL);
        assert_same_text(mt, again);   /* a fixed thread count: the same bits */
        gnb_assert_same_model(mt, m1, 1e-12);
        pmk_gnb_free(mt);
        pmk_gnb_free(again);
    }
    /* token labels allowed but none met: the same model */
    pmk_gnb *mk = fitter_model(path, 1, 1, NULL);
    assert_same_text(mk, m1);
    pmk_gnb_free(mk);
    pmk_gnb_free(m1);
    pmk_gnb_free(ref);
    free(X);
    free(y);
}
END_TEST

/* An IDX file of bytes, plain (read over ranges) and gzipped: its bytes go
 * to the feeder as they are (no doubles made), the same model. */
START_TEST(test_feed_idx_bytes)
{
    double *X = malloc(ROWS * D * sizeof *X);
    long *y = malloc(ROWS * sizeof *y);
    make_data(X, y, -1);
    pmk_gnb *ref = chunks_fit(X, y);
    gsl_matrix_view all = gsl_matrix_view_array(X, ROWS, D);
    static const char *const names[] = {"feed-images.idx", "feed-images.idx.gz"};
    for (int z = 0; z < 2; z++) {
        char img[700], lab[700];
        snprintf(img, sizeof img, "%s/%s", test_tmpdir(), names[z]);
        snprintf(lab, sizeof lab, "%s/feed-labels.idx", test_tmpdir());
        pmk_error e;
        ck_assert_int_eq(pmk_idx_write(img, &all.matrix, PMK_IDX_U8, NULL, 0, &e), PMK_OK);
        ck_assert_int_eq(pmk_idx_write_labels(lab, y, ROWS, &e), PMK_OK);
        for (int t = 1; t <= 2; t++) {
            pmk_data_options o;
            pmk_data_options_init_default(&o);
            o.chunk_rows = CHUNK;
            o.threads = t;
            o.labels = lab;
            pmk_gnb_fitter *f = pmk_gnb_fitter_open(img, &o, NULL, 1, &e);
            ck_assert_msg(f != NULL, "%s", e.msg);
            pmk_gnb *m = NULL;
            pmk_gnb_eval *tr = NULL;
            ck_assert_msg(pmk_gnb_fitter_run(f, &m, &tr, &e) == PMK_OK, "%s", e.msg);
            pmk_gnb_fitter_free(f);
            if (t == 1)
                assert_same_text(m, ref);
            else
                gnb_assert_same_model(m, ref, 1e-12);
            ck_assert_uint_eq(tr->n, ROWS);
            pmk_gnb_eval_free(tr);
            pmk_gnb_free(m);
        }
    }
    pmk_gnb_free(ref);
    free(X);
    free(y);
}
END_TEST

/* Token labels from row 300 on: the fit starts again without the feeder and
 * is the reader's chunks fitted as they come, on any thread count. */
START_TEST(test_feed_tokens_start_again)
{
    double *X = malloc(ROWS * D * sizeof *X);
    long *y = malloc(ROWS * sizeof *y);
    make_data(X, y, -1);
    const char *path = write_csv("feed-tok.csv", X, y, 300);

    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.chunk_rows = CHUNK;
    o.label_tokens = 1;
    pmk_error e;
    pmk_data_reader *r = pmk_data_open(path, &o, &e);
    ck_assert_ptr_nonnull(r);
    pmk_gnb *ref = pmk_gnb_alloc(D, NULL, NULL);
    pmk_data_chunk ch;
    while (pmk_data_read_chunk(r, &ch, &e) == PMK_OK && ch.n > 0)
        ck_assert_msg(pmk_gnb_partial_fit_tokens(ref, &ch.X.matrix, ch.y, NULL, ch.tok, ch.ntok,
                                                 &e) == PMK_OK,
                      "%s", e.msg);
    pmk_data_close(r);
    ck_assert_int_eq(pmk_gnb_finish(ref, NULL), PMK_OK);
    ck_assert_uint_eq(pmk_gnb_nclasses(ref), 6);   /* 1, 3, 5 and c1, c3, c5 */

    pmk_gnb_eval *tr = NULL;
    pmk_gnb *m1 = fitter_model(path, 1, 1, &tr);
    assert_same_text(m1, ref);
    ck_assert_uint_eq(tr->n, ROWS);
    pmk_gnb_eval_free(tr);
    for (int t = 2; t <= 3; t++) {
        pmk_gnb *mt = fitter_model(path, t, 1, NULL);
        gnb_assert_same_model(mt, m1, 1e-12);
        pmk_gnb_free(mt);
    }
    pmk_gnb_free(m1);
    pmk_gnb_free(ref);
    free(X);
    free(y);
}
END_TEST

/* A model error inside a gathered chunk names the row's line: the fourth
 * class first appears on row 137, 0-based (line 139, after the header), in the
 * second reader chunk of the third fit chunk. */
START_TEST(test_feed_error_names_line)
{
    double *X = malloc(ROWS * D * sizeof *X);
    long *y = malloc(ROWS * sizeof *y);
    make_data(X, y, -1);
    y[137] = 40;
    y[400] = 41;
    const char *path = write_csv("feed-bad.csv", X, y, -1);
    for (int t = 1; t <= 2; t++) {
        pmk_data_options o;
        pmk_data_options_init_default(&o);
        o.chunk_rows = CHUNK;
        o.threads = t;
        pmk_gnb_options g;
        pmk_gnb_options_init_default(&g);
        g.max_classes = 3;
        pmk_error e;
        pmk_gnb_fitter *f = pmk_gnb_fitter_open(path, &o, &g, 1, &e);
        ck_assert_ptr_nonnull(f);
        pmk_gnb *m = NULL;
        ck_assert_int_eq(pmk_gnb_fitter_run(f, &m, NULL, &e), PMK_EDATA);
        ck_assert_ptr_null(m);
        char want[800];
        snprintf(want, sizeof want,
                 "%s:139: label 40 makes more than 3 classes (is the label column right?)", path);
        ck_assert_str_eq(e.msg, want);
        ck_assert_int_eq(e.line, 139);
        pmk_gnb_fitter_free(f);
    }
    free(X);
    free(y);
}
END_TEST

void suite_gnb_feed(Suite *s)
{
    TCase *t = tcase_create("gnb_feed");
    tcase_add_loop_test(t, test_feed_same_bits_as_chunks, 0, 3);
    tcase_add_test(t, test_feed_idx_bytes);
    tcase_add_test(t, test_feed_tokens_start_again);
    tcase_add_test(t, test_feed_error_names_line);
    suite_add_tcase(s, t);
}
