/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_progress.c: the progress callbacks (pmk/progress.h) of the data-set
 * reader, the RBM trainer and AIS: exact counts, done rising to total, and a
 * non-zero return stopping the job with that status (ASan sees no leak). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_pmk.h"
#include "pmk/pmk.h"

/* What a callback saw. */
typedef struct seen {
    size_t calls;
    int stop_at;              /* return stop_rc on this call (1-based); 0 never */
    int stop_rc;
    unsigned long long done[64], total[64];
    char first[4200], last[4200], unit[48];   /* the first and last what */
} seen;

static int record(const pmk_progress *p, void *ctx)
{
    seen *s = ctx;
    if (s->calls < 64) {
        s->done[s->calls] = p->done;
        s->total[s->calls] = p->total;
        snprintf(s->unit, sizeof s->unit, "%s", p->unit);
    }
    snprintf(s->calls ? s->last : s->first, sizeof s->first, "%s", p->what);
    snprintf(s->last, sizeof s->last, "%s", p->what);
    s->calls++;
    return (int)s->calls == s->stop_at ? s->stop_rc : 0;
}

/* ---------------------------------------------------------------- data */

START_TEST(test_idx_rows)
{
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    seen s = {0};
    o.chunk_rows = 1;
    o.progress = record;
    o.progress_ctx = &s;
    char labels[4096], images[4096], want[4200];
    snprintf(labels, sizeof labels, "%s", test_srcpath("tests/data/idx-labels.idx1-ubyte"));
    snprintf(images, sizeof images, "%s", test_srcpath("tests/data/idx-images.idx3-ubyte"));
    o.labels = labels;
    pmk_table *t = NULL;
    pmk_error err;
    ck_assert_int_eq(pmk_data_read_all(images, &o, &t, &err), PMK_OK);
    /* 3 records, one a chunk: rows 1, 2, 3 of 3 */
    ck_assert_uint_eq(s.calls, 3);
    for (size_t i = 0; i < 3; i++) {
        ck_assert_uint_eq(s.done[i], i + 1);
        ck_assert_uint_eq(s.total[i], 3);
    }
    ck_assert_str_eq(s.unit, "rows");
    snprintf(want, sizeof want, "reading %s", images);
    ck_assert_str_eq(s.first, want);
    pmk_table_free(t);

    /* a range: records 2 and 3 are rows 1 and 2 of 2 */
    seen s2 = {0};
    o.begin = 1;
    o.progress_ctx = &s2;
    ck_assert_int_eq(pmk_data_read_all(images, &o, &t, &err), PMK_OK);
    ck_assert_uint_eq(s2.calls, 2);
    ck_assert_uint_eq(s2.done[0], 1);
    ck_assert_uint_eq(s2.done[1], 2);
    ck_assert_uint_eq(s2.total[1], 2);
    pmk_table_free(t);
}
END_TEST

START_TEST(test_csv_bytes)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/p.csv", test_tmpdir());
    const char body[] = "label,a,b\n1,2,3\n1,2,3\n2,5,6\n2,5,6\n1,0,0\n1,1,1\n2,7,7\n";
    test_write_file(path, body, sizeof body - 1);
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    seen s = {0};
    o.chunk_rows = 3;
    o.progress = record;
    o.progress_ctx = &s;
    pmk_table *t = NULL;
    pmk_error err;
    ck_assert_int_eq(pmk_data_read_all(path, &o, &t, &err), PMK_OK);
    ck_assert_uint_eq(pmk_table_nrows(t), 7);
    /* chunks of 3, 3 and 1 rows, then the end: done never falls and ends at
     * the file's size */
    ck_assert_uint_eq(s.calls, 4);
    for (size_t i = 0; i < s.calls; i++) {
        ck_assert_uint_eq(s.total[i], sizeof body - 1);
        ck_assert(s.done[i] <= s.total[i]);
        ck_assert(i == 0 || s.done[i] >= s.done[i - 1]);
    }
    ck_assert_uint_eq(s.done[3], sizeof body - 1);
    ck_assert_str_eq(s.unit, "bytes");
    char want[4200];
    snprintf(want, sizeof want, "reading %s", path);
    ck_assert_str_eq(s.first, want);
    pmk_table_free(t);

    /* stopped on the second chunk: the callback's status and message, no table */
    seen s2 = {.stop_at = 2, .stop_rc = PMK_EINVAL};
    o.progress_ctx = &s2;
    t = (pmk_table *)&s2;
    ck_assert_int_eq(pmk_data_read_all(path, &o, &t, &err), PMK_EINVAL);
    ck_assert_ptr_null(t);
    ck_assert_uint_eq(s2.calls, 2);
    snprintf(want, sizeof want, "reading %s: stopped by the progress callback", path);
    ck_assert_str_eq(err.msg, want);
    remove(path);
}
END_TEST

/* ---------------------------------------------------------------- rbm */

/* N x D rows of 0/1 */
static gsl_matrix *bits(size_t n, size_t d)
{
    gsl_matrix *X = gsl_matrix_alloc(n, d);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++)
            gsl_matrix_set(X, i, j, (double)((i * 7 + j * 3) % 5 < 2));
    return X;
}

START_TEST(test_rbm_batches)
{
    pmk_error err;
    gsl_matrix *X = bits(25, 6);
    pmk_rng *r = pmk_rng_alloc(NULL, 3);
    pmk_rbm *m = pmk_rbm_alloc(6, 4, &err);
    ck_assert_int_eq(pmk_rbm_init(m, X, r, &err), PMK_OK);
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    ck_assert_ptr_null(o.progress);
    seen s = {0};
    o.epochs = 3;
    o.batch = 10;
    o.progress = record;
    o.progress_ctx = &s;
    ck_assert_int_eq(pmk_rbm_fit(m, X, &o, r, NULL, NULL, &err), PMK_OK);
    /* ceil(25 / 10) = 3 minibatches an epoch: 1, 2, 3 of 3, three times */
    ck_assert_uint_eq(s.calls, 9);
    for (size_t i = 0; i < 9; i++) {
        ck_assert_uint_eq(s.done[i], i % 3 + 1);
        ck_assert_uint_eq(s.total[i], 3);
    }
    ck_assert_str_eq(s.first, "epoch 1/3");
    ck_assert_str_eq(s.last, "epoch 3/3");
    ck_assert_str_eq(s.unit, "batches");

    /* two epochs more count on from the model's 3 */
    seen s2 = {0};
    o.epochs = 2;
    o.batch = 25;
    o.progress_ctx = &s2;
    ck_assert_int_eq(pmk_rbm_fit(m, X, &o, r, NULL, NULL, &err), PMK_OK);
    ck_assert_uint_eq(s2.calls, 2);
    ck_assert_str_eq(s2.last, "epoch 5/5");
    ck_assert_uint_eq(s2.total[1], 1);

    /* stopped in the second epoch's first batch: its status, the model as
     * the last whole epoch left it */
    pmk_rbm *before = pmk_rbm_copy(m, &err);
    seen s3 = {.stop_at = 4, .stop_rc = PMK_ELIMIT};
    o.epochs = 3;
    o.batch = 10;
    o.progress_ctx = &s3;
    ck_assert_int_eq(pmk_rbm_fit(m, X, &o, r, NULL, NULL, &err), PMK_ELIMIT);
    ck_assert_str_eq(err.msg, "epoch 7/8: stopped by the progress callback");
    ck_assert_uint_eq(m->epochs, 6);
    ck_assert_uint_eq(s3.calls, 4);
    pmk_rbm_free(before);
    pmk_rbm_free(m);
    pmk_rng_free(r);
    gsl_matrix_free(X);
}
END_TEST

START_TEST(test_ais_steps)
{
    pmk_error err;
    gsl_matrix *X = bits(20, 5);
    pmk_rng *r = pmk_rng_alloc(NULL, 4);
    pmk_rbm *m = pmk_rbm_alloc(5, 3, &err);
    ck_assert_int_eq(pmk_rbm_init(m, X, r, &err), PMK_OK);
    pmk_rbm_ais_options o;
    pmk_rbm_ais_options_init_default(&o);
    ck_assert_ptr_null(o.progress);
    seen s = {0};
    o.runs = 4;
    o.n_betas[0] = 2;
    o.n_betas[1] = 3;
    o.n_betas[2] = 4;
    o.progress = record;
    o.progress_ctx = &s;
    pmk_rbm_ais_result res;
    ck_assert_int_eq(pmk_rbm_log_z_ais(m, X, &o, r, &res, &err), PMK_OK);
    /* one call a step: 2 + 3 + 4 = 9 intermediate distributions */
    ck_assert_uint_eq(res.steps, 9);
    ck_assert_uint_eq(s.calls, 9);
    for (size_t i = 0; i < 9; i++) {
        ck_assert_uint_eq(s.done[i], i + 1);
        ck_assert_uint_eq(s.total[i], 9);
    }
    ck_assert_str_eq(s.first, "AIS");
    ck_assert_str_eq(s.unit, "beta steps");

    seen s2 = {.stop_at = 5, .stop_rc = PMK_EINVAL};
    o.progress_ctx = &s2;
    ck_assert_int_eq(pmk_rbm_log_z_ais(m, X, &o, r, &res, &err), PMK_EINVAL);
    ck_assert_str_eq(err.msg, "AIS: stopped by the progress callback");
    ck_assert_uint_eq(s2.calls, 5);
    pmk_rbm_free(m);
    pmk_rng_free(r);
    gsl_matrix_free(X);
}
END_TEST

Suite *suite_progress(void)
{
    Suite *s = suite_create("progress");
    TCase *tc = tcase_create("callbacks");
    tcase_add_test(tc, test_idx_rows);
    tcase_add_test(tc, test_csv_bytes);
    tcase_add_test(tc, test_rbm_batches);
    tcase_add_test(tc, test_ais_steps);
    suite_add_tcase(s, tc);
    return s;
}
