/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_rbm_run.c: the rbm suite's fourth part: the training options' check
 * (hidden units, holdout) and pmk_rbm_train_table, the whole run of `pmk rbm
 * train`, against the calls it makes done by hand. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "check_pmk.h"
#include "check_rbm.h"
#include "pmk/pmk.h"

/* The rows of X (values 0 or 255) as a table with the transform an RBM takes
 * (scale 1/255, checked to lie in [0,1]); X is freed (also
 * check_rbm_resume.c's, through check_pmk.h). */
char *rbm_model_text(const pmk_rbm *m)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(pmk_rbm_write(m, f, NULL), PMK_OK);
    fclose(f);
    return buf;
}

pmk_table *rbm_table_of(gsl_matrix *X)
{
    pmk_table *t = NULL;
    pmk_transform tf;
    ck_assert_int_eq(pmk_table_from_matrix(X, NULL, &t, NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_transform_for(NULL, pmk_table_stats(t), NULL, &tf, NULL), PMK_OK);
    ck_assert_int_eq(pmk_table_set_transform(t, &tf, NULL), PMK_OK);
    gsl_matrix_free(X);
    return t;
}

/* 200 rows of 8 bits, every value 0 or 255, as an RBM's table. */
static pmk_table *bits_table(void)
{
    gsl_matrix *X = gsl_matrix_alloc(200, 8);
    pmk_rng *r = pmk_rng_alloc(NULL, 11);
    for (size_t n = 0; n < 200; n++)
        for (size_t i = 0; i < 8; i++)
            gsl_matrix_set(X, n, i, pmk_rng_uniform(r) < (n % 2 ? 0.8 : 0.2) ? 255 : 0);
    pmk_rng_free(r);
    return rbm_table_of(X);
}

static int same_params(const pmk_rbm *x, const pmk_rbm *y)
{
    return x->d == y->d && x->h == y->h && x->epochs == y->epochs
           && !memcmp(x->W->data, y->W->data, x->d * x->h * sizeof(double))
           && !memcmp(x->b->data, y->b->data, x->d * sizeof(double))
           && !memcmp(x->a->data, y->a->data, x->h * sizeof(double))
           && x->chains && y->chains
           && !memcmp(x->chains->data, y->chains->data, x->chains->size1 * x->h * sizeof(double));
}

/* What the callback saw: the notice, its epoch, the epochs and the last info;
 * it stops the run (PMK_EIO) after epoch stop_at when that is not 0. */
typedef struct seen {
    char notice[256];
    size_t notice_epoch, calls, stop_at;
    pmk_rbm_epoch_info last;
} seen;

static int watch(const pmk_rbm *m, const pmk_rbm_epoch_info *info, void *ctx)
{
    seen *s = ctx;
    (void)m;
    s->calls++;
    if (info->notice) {
        ck_assert_uint_eq(s->calls, 1);
        ck_assert(isnan(info->recon_error) && isnan(info->pseudo_likelihood));
        snprintf(s->notice, sizeof s->notice, "%s", info->notice);
        s->notice_epoch = info->epoch;
        return 0;
    }
    s->last = *info;
    return s->stop_at && info->epoch == s->stop_at ? PMK_EIO : 0;
}

START_TEST(test_options_check_run)
{
    pmk_rbm_options o;
    pmk_error e;
    pmk_rbm_options_init_default(&o);
    ck_assert_uint_eq(o.hidden, 500);
    ck_assert(o.holdout == 0.05);
    ck_assert_int_eq(pmk_rbm_options_check(&o, &e), PMK_OK);
    o.hidden = 0;
    ck_assert_int_eq(pmk_rbm_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "an RBM needs at least 1 hidden unit");
    o.hidden = PMK_RBM_MAX_WEIGHTS + 1;
    ck_assert_int_eq(pmk_rbm_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "1073741825 hidden units are more than the 1073741824 weights an "
                            "RBM may have");
    o.hidden = PMK_RBM_MAX_WEIGHTS;
    o.holdout = 0.0;
    ck_assert_int_eq(pmk_rbm_options_check(&o, &e), PMK_OK);
    const double bad[] = {1.0, -0.01, NAN};
    const char *msg[] = {"the holdout fraction must be in [0,1), not 1",
                         "the holdout fraction must be in [0,1), not -0.01",
                         "the holdout fraction must be in [0,1), not nan"};
    for (size_t k = 0; k < 3; k++) {
        o.holdout = bad[k];
        ck_assert_int_eq(pmk_rbm_options_check(&o, &e), PMK_EINVAL);
        ck_assert_str_eq(e.msg, msg[k]);
    }
}
END_TEST

/* The run is the split, the allocation, the initialisation and the fit made
 * by hand with the same seed: the same model bit for bit, the same last
 * figures, and the notice before the first epoch says what it trains on. */
START_TEST(test_train_table_is_the_steps)
{
    pmk_table *t = bits_table(), *tr = NULL, *ho = NULL;
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    o.epochs = 3;
    o.batch = 16;
    o.k = 2;
    o.k_ramp = 1;
    o.persistent = 1;
    o.hidden = 5;
    o.holdout = 0.1;
    pmk_error e;
    pmk_rng *ra = pmk_rng_alloc(NULL, 4), *rb = pmk_rng_alloc(NULL, 4);
    pmk_rbm *a = NULL, *b = pmk_rbm_alloc(8, 5, NULL);
    pmk_rbm_train_result res;
    seen sa = {.calls = 0}, sb = {.calls = 0};
    ck_assert_int_eq(pmk_rbm_train_table(&a, t, &o, ra, watch, &sa, &res, &e), PMK_OK);
    ck_assert_int_eq(pmk_table_split(t, 0.1, rb, &tr, &ho, &e), PMK_OK);
    ck_assert_int_eq(pmk_rbm_init_table(b, tr, rb, &e), PMK_OK);
    ck_assert_int_eq(pmk_rbm_fit_table(b, tr, ho, &o, rb, watch, &sb, &e), PMK_OK);
    ck_assert(a && same_params(a, b));
    ck_assert(a->transform_known && a->transform.scale == 1.0 / 255.0);
    ck_assert_str_eq(sa.notice, "200 rows (180 for training, 20 held out), D = 8, H = 5, "
                                "PCD-2 (ramped from 1), batch 16");
    ck_assert_uint_eq(sa.notice_epoch, 0);
    ck_assert_uint_eq(sa.calls, 4);   /* the notice and 3 epochs */
    ck_assert_uint_eq(res.train_rows, 180);
    ck_assert_uint_eq(res.held_out, 20);
    ck_assert_uint_eq(res.last.epoch, 3);
    ck_assert(res.last.notice == NULL);
    ck_assert(res.last.recon_error == sb.last.recon_error
              && res.last.pseudo_likelihood == sb.last.pseudo_likelihood
              && res.last.free_energy_gap == sb.last.free_energy_gap);
    ck_assert(isfinite(res.last.free_energy_gap));

    /* a model given is continued: epochs 4-5, CD-1, no rows held out */
    o.epochs = 2;
    o.k = 1;
    o.persistent = 0;
    o.holdout = 0.0;
    o.hidden = 77;   /* ignored: the model is given */
    memset(&sa, 0, sizeof sa);
    pmk_rbm *given = a;
    ck_assert_int_eq(pmk_rbm_train_table(&a, t, &o, ra, watch, &sa, &res, &e), PMK_OK);
    ck_assert(a == given && a->epochs == 5 && a->h == 5);
    ck_assert_str_eq(sa.notice, "200 rows (200 for training, 0 held out), D = 8, H = 5, CD-1, "
                                "batch 16");
    ck_assert_uint_eq(sa.notice_epoch, 3);
    ck_assert(res.train_rows == 200 && res.held_out == 0 && res.last.epoch == 5);
    ck_assert(isnan(res.last.free_energy_gap));

    pmk_table_free(tr);
    pmk_table_free(ho);
    pmk_rbm_free(a);
    pmk_rbm_free(b);
    pmk_rng_free(ra);
    pmk_rng_free(rb);
    pmk_table_free(t);
}
END_TEST

/* Failures: bad options allocate nothing; a callback's stop is the status,
 * the model made here is freed and the result holds the last epoch run; a
 * model given is the caller's still. */
START_TEST(test_train_table_failures)
{
    pmk_table *t = bits_table();
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    o.epochs = 4;
    o.hidden = 0;
    pmk_error e;
    pmk_rng *r = pmk_rng_alloc(NULL, 2);
    pmk_rbm *m = NULL;
    pmk_rbm_train_result res = {0};
    seen s = {.calls = 0};
    ck_assert_int_eq(pmk_rbm_train_table(&m, t, &o, r, watch, &s, &res, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "an RBM needs at least 1 hidden unit");
    ck_assert(m == NULL && s.calls == 0);
    o.hidden = 3;
    s.stop_at = 2;
    pmk_error_clear(&e);
    ck_assert_int_eq(pmk_rbm_train_table(&m, t, &o, r, watch, &s, &res, &e), PMK_EIO);
    ck_assert(m == NULL && s.calls == 3 && res.last.epoch == 2);
    ck_assert_str_eq(e.msg, "");   /* the callback's status, no message */
    pmk_rbm *given = pmk_rbm_alloc(8, 3, NULL);
    memset(&s, 0, sizeof s);
    s.stop_at = 1;
    ck_assert_int_eq(pmk_rbm_train_table(&given, t, &o, r, watch, &s, NULL, &e), PMK_EIO);
    ck_assert(given != NULL && given->epochs == 1);
    /* a table of another width than the model given */
    pmk_rbm *wide = pmk_rbm_alloc(9, 3, NULL);
    s.stop_at = 0;
    ck_assert_int_eq(pmk_rbm_train_table(&wide, t, &o, r, NULL, NULL, NULL, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "the data have 8 columns but the model has 9 visible units");
    pmk_rbm_free(wide);
    pmk_rbm_free(given);
    pmk_rng_free(r);
    pmk_table_free(t);
}
END_TEST

void suite_rbm_run(Suite *s)
{
    TCase *tc = tcase_create("run");
    tcase_add_test(tc, test_options_check_run);
    tcase_add_test(tc, test_train_table_is_the_steps);
    tcase_add_test(tc, test_train_table_failures);
    suite_add_tcase(s, tc);
}
