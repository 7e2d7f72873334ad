/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_gnb_tokens.c: the classifier's token labels (gnb_tokens.c): classes
 * in byte order, a streamed fit meeting tokens late (integer classes turned
 * into tokens) equal to the one-pass fit, merge of an integer and a token
 * model, the version-4 file read back byte for byte; the evaluation of
 * token chunks. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_gnb.h"

/* 8 rows, 2 features, two rows per class: every mean and M2 is exact in
 * any order (a mean of two small integers, one squared half-difference). */
static const double tx[8][2] = {{1, 2}, {3, 8}, {4, 4}, {0, 6}, {5, 1}, {9, 3}, {2, 2}, {6, 0}};
/* Labels as met: 7, 7, dog, cat, emu, dog, cat, emu; byte order: 7 cat dog emu. */
static const char *const ttok[8] = {"7", "7", "dog", "cat", "emu", "dog", "cat", "emu"};
static const char *const sorted[4] = {"7", "cat", "dog", "emu"};

static long rank_of(const char *s)
{
    for (long r = 0; r < 4; r++)
        if (!strcmp(sorted[r], s))
            return r;
    return -1;
}

/* Fits rows [a, b) in chunks of @p c rows, the first @p nint rows' labels
 * given as integers (7): the reader's order, integers until a token. */
static void fit_range(pmk_gnb *m, size_t a, size_t b, size_t c, size_t nint)
{
    for (size_t s = a; s < b; s += c) {
        size_t n = b - s < c ? b - s : c;
        gsl_matrix_const_view V = gsl_matrix_const_view_array(&tx[s][0], n, 2);
        long y[8];
        pmk_error e;
        int rc;
        if (s + n <= nint) {
            for (size_t i = 0; i < n; i++)
                y[i] = 7;
            rc = pmk_gnb_partial_fit_tokens(m, &V.matrix, y, NULL, NULL, 0, &e);
        } else {   /* the chunk's table: the sorted tokens, all of them */
            for (size_t i = 0; i < n; i++)
                y[i] = rank_of(ttok[s + i]);
            rc = pmk_gnb_partial_fit_tokens(m, &V.matrix, y, NULL, sorted, 4, &e);
        }
        ck_assert_msg(rc == PMK_OK, "%s", e.msg);
    }
}

/* A model of scale 1, so that the statistics are the numbers above. */
static pmk_gnb *model(void)
{
    pmk_gnb_options o;
    pmk_gnb_options_init_default(&o);
    o.transform.scale = 1;
    return pmk_gnb_alloc(2, &o, NULL);
}

START_TEST(test_gnb_tokens_fit_merge_file)
{
    pmk_gnb *one = model(), *late = model();
    fit_range(one, 0, 8, 8, 0);
    fit_range(late, 0, 8, 1, 2);   /* two integer chunks, then a new token per chunk */
    ck_assert_int_eq(pmk_gnb_finish(one, NULL), PMK_OK);
    ck_assert_int_eq(pmk_gnb_finish(late, NULL), PMK_OK);
    ck_assert_uint_eq(pmk_gnb_nclasses(one), 4);
    for (size_t k = 0; k < 4; k++) {
        ck_assert_str_eq(pmk_gnb_token(one, k), sorted[k]);
        ck_assert_int_eq(pmk_gnb_labels(one)[k], (long)k);
    }
    ck_assert_ptr_null(pmk_gnb_token(one, 4));
    /* class "cat" (rows 4 and 7): mean (1, 4), M2 (0.5, 8) */
    ck_assert(gsl_matrix_get(pmk_gnb_means(one), 1, 0) == 1);
    ck_assert(gsl_matrix_get(pmk_gnb_means(one), 1, 1) == 4);
    ck_assert(gsl_matrix_get(pmk_gnb_m2(one), 1, 1) == 8);
    gnb_assert_same_model(late, one, 0);
    char *t1 = gnb_model_text(one), *t2 = gnb_model_text(late);
    ck_assert_str_eq(t1, t2);
    ck_assert(!strncmp(t1, "pmk-gnb 4\n", 10));
    ck_assert_ptr_nonnull(strstr(t1, "\nlabels 0 1 2 3\ntokens 7 cat dog emu\ndata\n"));
    ck_assert_ptr_nonnull(strstr(t1, "\nclass 1 2\n"));

    /* merge: an integer model (rows 0-1: label 7) and a token model */
    pmk_gnb *a = model(), *b = model();
    fit_range(a, 0, 2, 2, 2);
    fit_range(b, 2, 8, 3, 0);
    ck_assert_int_eq(pmk_gnb_finish(a, NULL), PMK_OK);
    ck_assert_int_eq(pmk_gnb_finish(b, NULL), PMK_OK);
    ck_assert_ptr_null(pmk_gnb_token(a, 0));
    pmk_error e;
    pmk_gnb *ab = pmk_gnb_merge(a, b, &e), *ba = pmk_gnb_merge(b, a, &e);
    ck_assert_msg(ab && ba, "%s", e.msg);
    char *t3 = gnb_model_text(ab), *t4 = gnb_model_text(ba);
    ck_assert_str_eq(t3, t1);
    ck_assert_str_eq(t4, t1);

    /* the file read back, written again: the same bytes */
    char p[512];
    snprintf(p, sizeof p, "%s/tok.gnb", test_tmpdir());
    test_write_file(p, t1, strlen(t1));
    pmk_gnb *l = NULL;
    ck_assert_msg(pmk_gnb_load(p, &l, &e) == PMK_OK, "%s", e.msg);
    char *t5 = gnb_model_text(l);
    ck_assert_str_eq(t5, t1);
    ck_assert_str_eq(pmk_gnb_token(l, 3), "emu");
    pmk_gnb_free(l);
    /* a tokens line out of order, and one in a version-3 file */
    char *c = strstr(t1, "tokens 7 cat dog emu");
    memcpy(c, "tokens 7 dog cat emu", 20);
    test_write_file(p, t1, strlen(t1));
    ck_assert_int_eq(pmk_gnb_load(p, &l, &e), PMK_EFORMAT);
    ck_assert_msg(strstr(e.msg, ":11: token 3: not after the one before"), "%s", e.msg);
    memcpy(c, "tokens 7 cat dog emu", 20);
    t1[8] = '3';
    test_write_file(p, t1, strlen(t1));
    ck_assert_int_eq(pmk_gnb_load(p, &l, &e), PMK_EFORMAT);
    ck_assert_msg(strstr(e.msg, ":11:1: 'tokens' in a format version 3 file (from 4)"), "%s",
                  e.msg);
    /* integer labels for a token model are refused, the model unchanged */
    long y7 = 7;
    gsl_matrix_const_view V = gsl_matrix_const_view_array(&tx[0][0], 1, 2);
    ck_assert_int_eq(pmk_gnb_partial_fit(one, &V.matrix, &y7, &e), PMK_EINVAL);
    ck_assert(pmk_gnb_is_finished(one));
    free(t1), free(t2), free(t3), free(t4), free(t5);
    pmk_gnb_free(one);
    pmk_gnb_free(late);
    pmk_gnb_free(a);
    pmk_gnb_free(b);
    pmk_gnb_free(ab);
    pmk_gnb_free(ba);
}
END_TEST

/* pmk_gnb_eval_add_tokens: a chunk's tokens mapped to the model's classes
 * (its own table in another order, a token the model lacks, an integer
 * model); too many tokens name the row of the first one too many. */
START_TEST(test_gnb_tokens_eval)
{
    pmk_gnb *one = model(), *a = model();
    fit_range(one, 0, 8, 8, 0);
    fit_range(a, 0, 2, 2, 2);   /* the integer model of label 7 */
    ck_assert_int_eq(pmk_gnb_finish(one, NULL), PMK_OK);
    ck_assert_int_eq(pmk_gnb_finish(a, NULL), PMK_OK);
    /* rows 3 (cat), 4 (emu), 0 (7); the chunk's table "7" "cat" "emu" */
    static const char *const tok[3] = {"7", "cat", "emu"};
    const double x3[3][2] = {{0, 6}, {5, 1}, {1, 2}};
    const long y[3] = {1, 2, 0};
    gsl_matrix_const_view V = gsl_matrix_const_view_array(&x3[0][0], 3, 2);
    long pred[3];
    pmk_error e;
    ck_assert_int_eq(pmk_gnb_predict(one, &V.matrix, pred, NULL), PMK_OK);
    pmk_gnb_eval *ev = pmk_gnb_eval_alloc(one, NULL);
    ck_assert_msg(pmk_gnb_eval_add_tokens(ev, one, &V.matrix, y, tok, 3, &e) == PMK_OK, "%s",
                  e.msg);
    ck_assert_uint_eq(ev->n, 3);
    /* classes 7 cat dog emu: one row each of 7, cat and emu */
    ck_assert_uint_eq(ev->support[0], 1);
    ck_assert_uint_eq(ev->support[1], 1);
    ck_assert_uint_eq(ev->support[2], 0);
    ck_assert_uint_eq(ev->support[3], 1);
    const long truth[3] = {1, 3, 0};
    size_t hits = 0;
    for (size_t i = 0; i < 3; i++)
        hits += pred[i] == truth[i];
    ck_assert_uint_eq(ev->correct, hits);
    /* bird: not a class; the evaluation unchanged */
    static const char *const tb[2] = {"bird", "cat"};
    const long yb[2] = {1, 0};
    gsl_matrix_const_view V2 = gsl_matrix_const_view_array(&x3[0][0], 2, 2);
    ck_assert_int_eq(pmk_gnb_eval_add_tokens(ev, one, &V2.matrix, yb, tb, 2, &e), PMK_EDATA);
    ck_assert_int_eq(e.line, 2);
    ck_assert_str_eq(e.msg, "label bird was not seen in training (the model has 4 classes, "
                            "labels 7 to emu)");
    ck_assert_uint_eq(ev->n, 3);
    const long y9[2] = {1, 9};
    ck_assert_int_eq(pmk_gnb_eval_add_tokens(ev, one, &V2.matrix, y9, tb, 2, &e), PMK_EINVAL);
    pmk_gnb_eval_free(ev);
    /* an integer model: "7" is its class 7, "cat" none */
    ev = pmk_gnb_eval_alloc(a, NULL);
    const long y0[2] = {0, 0};
    ck_assert_int_eq(pmk_gnb_eval_add_tokens(ev, a, &V2.matrix, y0, tok, 3, &e), PMK_OK);
    ck_assert_uint_eq(ev->support[0], 2);
    ck_assert_int_eq(pmk_gnb_eval_add_tokens(ev, a, &V2.matrix, yb + 1, tb, 2, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "label bird was not seen in training (the model has 1 classes, "
                            "labels 7 to 7)");
    pmk_gnb_eval_free(ev);
    /* more tokens than max_classes: the row of "cat", the third class */
    pmk_gnb_options o;
    pmk_gnb_options_init_default(&o);
    o.max_classes = 2;
    pmk_gnb *m2 = pmk_gnb_alloc(2, &o, NULL);
    long y8[8];
    for (size_t i = 0; i < 8; i++)
        y8[i] = rank_of(ttok[i]);
    gsl_matrix_const_view V8 = gsl_matrix_const_view_array(&tx[0][0], 8, 2);
    ck_assert_int_eq(pmk_gnb_partial_fit_tokens(m2, &V8.matrix, y8, NULL, sorted, 4, &e),
                     PMK_EDATA);
    ck_assert_int_eq(e.line, 4);
    ck_assert_str_eq(e.msg, "label cat makes more than 2 classes (is the label column right?)");
    ck_assert_uint_eq(pmk_gnb_nclasses(m2), 0);
    pmk_gnb_free(m2);
    pmk_gnb_free(one);
    pmk_gnb_free(a);
}
END_TEST

void suite_gnb_tokens(Suite *s)
{
    TCase *t = tcase_create("tokens");
    tcase_add_test(t, test_gnb_tokens_fit_merge_file);
    tcase_add_test(t, test_gnb_tokens_eval);
    suite_add_tcase(s, t);
}
