/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_rbm_resume.c: the rbm suite's fifth part (issue 15): exact resume
 * through the model file (the RNG state of version 3), the sparsity target,
 * each hidden unit's mean activation, the exact pseudo-likelihood in the
 * epoch info and binary samples. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_pmk.h"
#include "check_rbm.h"
#include "pmk/pmk.h"
#include "models/rbm_internal.h"

/* 120 rows of 8 bits (0 or 255) from two prototypes, as a table with the
 * transform an RBM takes. */
static pmk_table *proto_table(void)
{
    gsl_matrix *X = gsl_matrix_alloc(120, 8);
    pmk_rng *r = pmk_rng_alloc(NULL, 3);
    for (size_t n = 0; n < 120; n++)
        for (size_t i = 0; i < 8; i++)
            gsl_matrix_set(X, n, i, pmk_rng_uniform(r) < ((n + i) % 2 ? 0.9 : 0.1) ? 255 : 0);
    pmk_rng_free(r);
    return rbm_table_of(X);
}

/* Saved and loaded again through a file. */
static pmk_rbm *round_trip(const pmk_rbm *m)
{
    char path[600];
    pmk_rbm *back = NULL;
    snprintf(path, sizeof path, "%s/m.rbm", test_tmpdir());
    ck_assert_int_eq(pmk_rbm_save(m, path, NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_load(path, &back, NULL), PMK_OK);
    remove(path);
    return back;
}

static int nop(const pmk_rbm *m, const pmk_rbm_epoch_info *info, void *ctx)
{
    (void)m, (void)info, (void)ctx;
    return 0;
}

/* 2 epochs = 1 epoch, saved, loaded and continued for 1 with continue_rng
 * and a generator seeded otherwise: the same file, byte for byte, for CD,
 * PCD-2 and a sparsity target; without continue_rng the stream restarts. */
START_TEST(test_exact_resume)
{
    pmk_table *t = proto_table();
    for (int how = 0; how < 4; how++) {
        pmk_rbm_options o;
        pmk_rbm_options_init_default(&o);
        o.hidden = 4;
        o.batch = 16;
        o.holdout = 0.2;
        o.persistent = how == 1;
        o.k = how == 1 ? 2 : 1;
        o.sparsity_cost = how == 2 ? 0.5 : 0.0;
        o.temperatures = how == 3 ? 4 : 0;   /* parallel tempering: 4 x 16 chains */
        pmk_rbm *two = NULL, *one = NULL;
        pmk_rng *r = pmk_rng_alloc(NULL, 9);
        o.epochs = 2;
        ck_assert_int_eq(pmk_rbm_train_table(&two, t, &o, r, nop, NULL, NULL, NULL), PMK_OK);
        pmk_rng_seed(r, 9);
        o.epochs = 1;
        ck_assert_int_eq(pmk_rbm_train_table(&one, t, &o, r, nop, NULL, NULL, NULL), PMK_OK);
        ck_assert(one->rng_state && one->rng_seed == 9 && !strcmp(one->rng_type, "mt19937"));
        ck_assert(how == 2 ? one->q != NULL : one->q == NULL);
        ck_assert_uint_eq(one->chains ? one->chains->size1 : 0, how == 1 ? 16 : how == 3 ? 64 : 0);
        pmk_rbm *back = round_trip(one), *again = pmk_rbm_copy(back, NULL);
        ck_assert_uint_eq(back->rng_size, one->rng_size);
        ck_assert(!memcmp(back->rng_state, one->rng_state, one->rng_size));
        pmk_rng_seed(r, 12345);
        o.continue_rng = 1;
        ck_assert_int_eq(pmk_rbm_train_table(&back, t, &o, r, nop, NULL, NULL, NULL), PMK_OK);
        char *a = rbm_model_text(two), *b = rbm_model_text(back);
        ck_assert(!strncmp(a, "pmk-rbm 3\n", 10));
        ck_assert_str_eq(a, b);
        free(b);
        o.continue_rng = 0;   /* the stream restarts from 12345: another model */
        pmk_rng_seed(r, 12345);
        ck_assert_int_eq(pmk_rbm_train_table(&again, t, &o, r, nop, NULL, NULL, NULL), PMK_OK);
        b = rbm_model_text(again);
        ck_assert(strcmp(a, b) != 0);
        ck_assert_uint_eq(again->rng_seed, 12345);
        free(a), free(b);
        pmk_rbm_free(two), pmk_rbm_free(one), pmk_rbm_free(back), pmk_rbm_free(again);
        pmk_rng_free(r);
    }
    /* another generator cannot continue the stream */
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    o.hidden = 2;
    o.epochs = 1;
    pmk_rbm *m = NULL;
    pmk_rng *r = pmk_rng_alloc(NULL, 1), *taus = pmk_rng_alloc(gsl_rng_taus2, 1);
    pmk_error e;
    ck_assert_int_eq(pmk_rbm_train_table(&m, t, &o, r, NULL, NULL, NULL, NULL), PMK_OK);
    o.continue_rng = 1;
    ck_assert_int_eq(pmk_rbm_train_table(&m, t, &o, taus, NULL, NULL, NULL, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the model's RNG state is of a mt19937 generator (5000 bytes), the "
                            "run's generator is taus2 (24 bytes): give --seed to restart the "
                            "stream");
    ck_assert_uint_eq(m->epochs, 1);
    pmk_rbm_free(m);
    pmk_rng_free(r);
    pmk_rng_free(taus);
    pmk_table_free(t);
}
END_TEST

/* The sparsity options' checks, and lambda = 0 is the model without them. */
START_TEST(test_sparsity_options)
{
    pmk_rbm_options o;
    pmk_error e;
    pmk_rbm_options_init_default(&o);
    ck_assert(o.sparsity_cost == 0.0 && o.sparsity_target == 0.1 && o.sparsity_decay == 0.95);
    o.sparsity_target = 0.0;
    ck_assert_int_eq(pmk_rbm_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the sparsity target must be in (0,1), not 0");
    o.sparsity_target = 0.5;
    o.sparsity_cost = NAN;
    ck_assert_int_eq(pmk_rbm_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the sparsity cost must be >= 0, not nan");
    o.sparsity_cost = 0.0;
    o.sparsity_decay = 1.0;
    ck_assert_int_eq(pmk_rbm_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the sparsity decay must be in [0,1), not 1");
    o.sparsity_decay = 0.5;
    ck_assert_int_eq(pmk_rbm_options_check(&o, &e), PMK_OK);

    pmk_table *t = proto_table();
    pmk_rbm_options d;
    pmk_rbm_options_init_default(&d);
    d.hidden = o.hidden = 3;
    d.epochs = o.epochs = 3;
    pmk_rbm *x = NULL, *y = NULL;
    pmk_rng *r = pmk_rng_alloc(NULL, 5);
    ck_assert_int_eq(pmk_rbm_train_table(&x, t, &d, r, NULL, NULL, NULL, NULL), PMK_OK);
    pmk_rng_seed(r, 5);
    ck_assert_int_eq(pmk_rbm_train_table(&y, t, &o, r, NULL, NULL, NULL, NULL), PMK_OK);
    char *a = rbm_model_text(x), *b = rbm_model_text(y);
    ck_assert_str_eq(a, b);
    ck_assert_ptr_null(y->q);
    free(a), free(b);
    /* on: the running means are kept, each in [0,1] */
    o.sparsity_cost = 1.0;
    pmk_rbm_free(y);
    y = NULL;
    pmk_rng_seed(r, 5);
    ck_assert_int_eq(pmk_rbm_train_table(&y, t, &o, r, NULL, NULL, NULL, NULL), PMK_OK);
    ck_assert_ptr_nonnull(y->q);
    for (size_t j = 0; j < 3; j++)
        ck_assert(gsl_vector_get(y->q, j) >= 0 && gsl_vector_get(y->q, j) <= 1);
    ck_assert(gsl_matrix_get(x->W, 0, 0) != gsl_matrix_get(y->W, 0, 0));
    pmk_rbm_free(x), pmk_rbm_free(y);
    pmk_rng_free(r);
    pmk_table_free(t);
}
END_TEST

/* Mean activations by hand: W = (1, -1)', a = 0.5, rows (1,0) and (0,1):
 * (sigmoid(1.5) + sigmoid(-0.5)) / 2. */
START_TEST(test_hidden_means)
{
    pmk_rbm *m = pmk_rbm_alloc(2, 1, NULL);
    gsl_matrix_set(m->W, 0, 0, 1.0);
    gsl_matrix_set(m->W, 1, 0, -1.0);
    gsl_vector_set(m->a, 0, 0.5);
    gsl_matrix *V = gsl_matrix_calloc(2, 2);
    gsl_matrix_set(V, 0, 0, 1.0);
    gsl_matrix_set(V, 1, 1, 1.0);
    gsl_vector *M = gsl_vector_alloc(1), *bad = gsl_vector_alloc(2);
    pmk_error e;
    ck_assert_int_eq(pmk_rbm_hidden_means(m, V, M, &e), PMK_OK);
    double want = (1 / (1 + exp(-1.5)) + 1 / (1 + exp(0.5))) / 2;
    ck_assert_double_eq_tol(gsl_vector_get(M, 0), want, 1e-15);
    ck_assert_int_eq(pmk_rbm_hidden_means(m, V, bad, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the means have 2 entries, expected 1");
    gsl_matrix_view none = gsl_matrix_submatrix(V, 0, 0, 0 + 1, 2);
    ck_assert_int_eq(pmk_rbm_hidden_means(m, &none.matrix, M, &e), PMK_OK);
    ck_assert_double_eq_tol(gsl_vector_get(M, 0), 1 / (1 + exp(-1.5)), 1e-15);
    gsl_vector_free(M), gsl_vector_free(bad);
    gsl_matrix_free(V);
    pmk_rbm_free(m);
}
END_TEST

/* What the callback last saw. */
static int keep(const pmk_rbm *m, const pmk_rbm_epoch_info *info, void *ctx)
{
    (void)m;
    *(pmk_rbm_epoch_info *)ctx = *info;
    return 0;
}

/* log_exact_pl: the last epoch's figure is pmk_rbm_pseudo_likelihood of the
 * final model on the held-out rows, exactly; off, NaN. */
START_TEST(test_log_exact_pl)
{
    pmk_table *t = proto_table(), *tr = NULL, *ho = NULL;
    pmk_rng *r = pmk_rng_alloc(NULL, 2);
    ck_assert_int_eq(pmk_table_split(t, 0.25, r, &tr, &ho, NULL), PMK_OK);
    pmk_rbm *m = pmk_rbm_alloc(8, 3, NULL);
    ck_assert_int_eq(pmk_rbm_init_table(m, tr, r, NULL), PMK_OK);
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    o.epochs = 2;
    pmk_rbm_epoch_info info;
    ck_assert_int_eq(pmk_rbm_fit_table(m, tr, ho, &o, r, keep, &info, NULL), PMK_OK);
    ck_assert(isnan(info.pseudo_likelihood_exact));
    o.log_exact_pl = 1;
    ck_assert_int_eq(pmk_rbm_fit_table(m, tr, ho, &o, r, keep, &info, NULL), PMK_OK);
    gsl_matrix *H = gsl_matrix_alloc(pmk_table_nrows(ho), 8);
    ck_assert_int_eq(pmk_table_gather(ho, NULL, H->size1, H, NULL), PMK_OK);
    double pl;
    ck_assert_int_eq(pmk_rbm_pseudo_likelihood(m, H, &pl, NULL), PMK_OK);
    ck_assert(pl == info.pseudo_likelihood_exact && pl < 0);
    gsl_matrix_free(H);
    pmk_rbm_free(m);
    pmk_rng_free(r);
    pmk_table_free(t), pmk_table_free(tr), pmk_table_free(ho);
}
END_TEST

/* binary: the same chains and draws as the means; each snapshot is the
 * chains' state then, 0 or 1, the last one the final state. */
START_TEST(test_sample_binary)
{
    pmk_rbm *m = pmk_rbm_alloc(6, 3, NULL);
    pmk_rng *r = pmk_rng_alloc(NULL, 8);
    ck_assert_int_eq(pmk_rbm_init(m, NULL, r, NULL), PMK_OK);
    gsl_matrix_scale(m->W, 100.0);
    pmk_rbm_sample_options so;
    pmk_rbm_sample_options_init_default(&so);
    so.chains = 4;
    so.steps = 6;
    so.every = 2;
    gsl_matrix *V1, *V2, *S1, *S2;
    pmk_rng_seed(r, 8);
    ck_assert_int_eq(pmk_rbm_sample_init(m, NULL, &so, r, &V1, NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_sample(m, V1, &so, r, &S1, NULL, NULL), PMK_OK);
    so.binary = 1;
    pmk_rng_seed(r, 8);
    ck_assert_int_eq(pmk_rbm_sample_init(m, NULL, &so, r, &V2, NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_sample(m, V2, &so, r, &S2, NULL, NULL), PMK_OK);
    ck_assert(gsl_matrix_equal(V1, V2));
    ck_assert(!gsl_matrix_equal(S1, S2));
    for (size_t k = 0; k < S2->size1 * S2->size2; k++)
        ck_assert(S2->data[k] == 0.0 || S2->data[k] == 1.0);
    gsl_matrix_view last = gsl_matrix_submatrix(S2, 8, 0, 4, 6);
    ck_assert(gsl_matrix_equal(&last.matrix, V2));
    gsl_matrix_free(V1), gsl_matrix_free(V2), gsl_matrix_free(S1), gsl_matrix_free(S2);
    pmk_rng_free(r);
    pmk_rbm_free(m);
}
END_TEST

/* The trainer and temperature setters, and the check of what they set. */
START_TEST(test_tempering_options)
{
    pmk_rbm_options o;
    pmk_error e;
    pmk_rbm_options_init_default(&o);
    ck_assert_int_eq(pmk_rbm_options_set_trainer(&o, "pt", &e), PMK_OK);
    ck_assert(o.temperatures == 10 && !o.persistent);
    ck_assert_int_eq(pmk_rbm_options_check(&o, &e), PMK_OK);
    float betas[PMK_RBM_PT_MAX];
    pmk_rbm_pt_betas(&o, betas);
    ck_assert(betas[0] == 0.0f && betas[9] == 1.0f && betas[3] == (float)(3.0 / 9.0));
    ck_assert_int_eq(pmk_rbm_options_set_trainer(&o, "pcd", &e), PMK_OK);
    ck_assert(o.temperatures == 0 && o.persistent);
    ck_assert_int_eq(pmk_rbm_options_set_trainer(&o, "PT", &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "unknown trainer 'PT' (cd, pcd or pt)");
    ck_assert_int_eq(pmk_rbm_options_set_temperatures(&o, "0.25,0.5,1", &e), PMK_OK);
    ck_assert(o.temperatures == 3 && o.betas[0] == 0.25 && o.betas[2] == 1.0 && o.betas[3] == 0);
    ck_assert_int_eq(pmk_rbm_options_check(&o, &e), PMK_EINVAL);   /* still PCD */
    ck_assert_str_eq(e.msg, "parallel tempering and PCD exclude each other");
    ck_assert_int_eq(pmk_rbm_options_set_trainer(&o, "pt", &e), PMK_OK);
    ck_assert(o.temperatures == 3);   /* kept */
    ck_assert_int_eq(pmk_rbm_options_check(&o, &e), PMK_OK);
    pmk_rbm_pt_betas(&o, betas);
    ck_assert(betas[0] == 0.25f && betas[1] == 0.5f && betas[2] == 1.0f);
    ck_assert_int_eq(pmk_rbm_options_set_temperatures(&o, "0.5,0.5,1", &e), PMK_OK);
    ck_assert_int_eq(pmk_rbm_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the inverse temperatures must increase in [0,1] and end at 1 "
                            "(temperature 2 is 0.5)");
    ck_assert_int_eq(pmk_rbm_options_set_temperatures(&o, "0,0.5", &e), PMK_OK);
    ck_assert_int_eq(pmk_rbm_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the inverse temperatures must increase in [0,1] and end at 1 "
                            "(temperature 2 is 0.5)");
    ck_assert_int_eq(pmk_rbm_options_set_temperatures(&o, "65", &e), PMK_OK);
    ck_assert_int_eq(pmk_rbm_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "parallel tempering needs 2 to 64 temperatures, not 65");
    ck_assert_int_eq(pmk_rbm_options_set_temperatures(&o, "4x", &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "temperatures: '4x' is neither a count nor a list of numbers");
    ck_assert_int_eq(pmk_rbm_options_set_temperatures(&o, "2.5", &e), PMK_OK);
    ck_assert_uint_eq(o.temperatures, 1);   /* a list of one: refused by the check */
}
END_TEST

/* The swap rates reach the callback, M - 1 of them, each in [0,1]. */
static int rates_seen(const pmk_rbm *m, const pmk_rbm_epoch_info *info, void *ctx)
{
    (void)m;
    ck_assert_ptr_nonnull(info->swap_rates);
    for (size_t r = 0; r < 4; r++)
        ck_assert(info->swap_rates[r] >= 0 && info->swap_rates[r] <= 1);
    (*(int *)ctx)++;
    return 0;
}

START_TEST(test_tempering_rates)
{
    pmk_table *t = proto_table();
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    o.hidden = 3;
    o.epochs = 2;
    o.temperatures = 5;
    int calls = 0;
    pmk_rbm *m = NULL;
    pmk_rng *r = pmk_rng_alloc(NULL, 6);
    ck_assert_int_eq(pmk_rbm_train_table(&m, t, &o, r, NULL, NULL, NULL, NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_fit_table(m, t, NULL, &o, r, rates_seen, &calls, NULL), PMK_OK);
    ck_assert_int_eq(calls, 2);
    ck_assert_uint_eq(m->chains->size1, 5 * 100);
    pmk_rbm_free(m);
    pmk_rng_free(r);
    pmk_table_free(t);
}
END_TEST

void suite_rbm_resume(Suite *s)
{
    TCase *tc = tcase_create("resume");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_exact_resume);
    tcase_add_test(tc, test_sparsity_options);
    tcase_add_test(tc, test_hidden_means);
    tcase_add_test(tc, test_log_exact_pl);
    tcase_add_test(tc, test_sample_binary);
    tcase_add_test(tc, test_tempering_options);
    tcase_add_test(tc, test_tempering_rates);
    suite_add_tcase(s, tc);
}
