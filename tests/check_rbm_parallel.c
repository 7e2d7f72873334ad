/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_rbm_parallel.c: data-parallel RBM training through the options'
 * part / parts / reduce (what `mpirun pmk rbm train` uses, src/mpi/): two
 * workers in two threads, combined by a reduce that sums their weighted
 * buffers, end with bit-identical models that learned; the hook sees the
 * right buffers and weights; a no-op reduce changes nothing; bad parts are
 * refused with their message.  AIS split into parts (what `mpirun pmk rbm
 * eval --ais` uses): the parts' log weights summed give the one-part
 * estimate bit for bit. */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check_pmk.h"
#include "check_rbm.h"
#include "pmk/pmk.h"
#include "models/rbm_internal.h"

/* 60 rows of 8 bits: two prototypes with 5% of the bits flipped. */
static gsl_matrix *toy_rows(void)
{
    const double proto[2][8] = {{1, 1, 1, 1, 0, 0, 0, 0}, {0, 0, 0, 0, 1, 1, 1, 1}};
    gsl_matrix *X = gsl_matrix_alloc(60, 8);
    pmk_rng *r = pmk_rng_alloc(NULL, 7);
    for (size_t n = 0; n < 60; n++)
        for (size_t i = 0; i < 8; i++) {
            double x = proto[n % 2][i];
            gsl_matrix_set(X, n, i, pmk_rng_uniform(r) < 0.05 ? 1 - x : x);
        }
    pmk_rng_free(r);
    return X;
}

/* Two workers' rendezvous: each writes weight * buffer into its slot, and
 * after the barrier both sum the slots in worker order (so both get the same
 * floats), then wait again before the slots are reused. */
typedef struct pair {
    pthread_barrier_t bar;
    float *slot[2][6];
    double recon[2], weights;
    size_t calls;
} pair;

typedef struct worker {
    pair *p;
    int w;
    const gsl_matrix *X;
    pmk_rbm *m;
    int rc;
} worker;

static int pair_reduce(float *const *buf, const size_t *len, size_t nbuf, double weight,
                       double *recon, void *ctx, pmk_error *err)
{
    worker *k = ctx;
    pair *p = k->p;
    ck_assert_uint_eq(nbuf, 6);
    ck_assert_uint_eq(len[0], 8 * 3);   /* W: D x H */
    ck_assert_uint_eq(len[2], 8);       /* b: D */
    ck_assert_uint_eq(len[4], 3);       /* a: H */
    for (size_t i = 0; i < nbuf; i++) {
        if (!p->slot[k->w][i])
            p->slot[k->w][i] = malloc(len[i] * sizeof(float));
        for (size_t j = 0; j < len[i]; j++)
            p->slot[k->w][i][j] = (float)weight * buf[i][j];
    }
    p->recon[k->w] = *recon;
    if (k->w == 0) {
        p->weights += weight;
        p->calls++;
    }
    pthread_barrier_wait(&p->bar);
    for (size_t i = 0; i < nbuf; i++)
        for (size_t j = 0; j < len[i]; j++)
            buf[i][j] = p->slot[0][i][j] + p->slot[1][i][j];
    *recon = p->recon[0] + p->recon[1];
    pthread_barrier_wait(&p->bar);
    (void)err;
    return 0;
}

static void options(pmk_rbm_options *o)
{
    pmk_rbm_options_init_default(o);
    o->epochs = 20;
    o->batch = 10;
}

static void *train_worker(void *arg)
{
    worker *k = arg;
    pmk_rbm_options o;
    options(&o);
    o.part = (size_t)k->w;
    o.parts = 2;
    o.reduce = pair_reduce;
    o.reduce_ctx = k;
    pmk_rng *r = pmk_rng_alloc(NULL, 3);
    k->rc = pmk_rbm_fit(k->m, k->X, &o, r, NULL, NULL, NULL);
    pmk_rng_free(r);
    return NULL;
}

static pmk_rbm *initial_model(const gsl_matrix *X)
{
    pmk_rbm *m = pmk_rbm_alloc(8, 3, NULL);
    pmk_rng *r = pmk_rng_alloc(NULL, 2);
    ck_assert_int_eq(pmk_rbm_init(m, X, r, NULL), PMK_OK);
    pmk_rng_free(r);
    return m;
}

/* Two workers: each step's weights are 5/10 and 5/10 (60 rows, batches of
 * 10: 6 minibatches an epoch, 120 calls), both end with the same bits, and
 * the model learned (the toy data's entropy is about 8 H(0.05) + log 2 =
 * 2.3 nats a row; the initial model is near -5.5). */
START_TEST(test_two_workers)
{
    gsl_matrix *X = toy_rows();
    pair p = {.calls = 0};
    pthread_barrier_init(&p.bar, NULL, 2);
    worker k[2] = {{&p, 0, X, initial_model(X), -1}, {&p, 1, X, initial_model(X), -1}};
    double before = rbm_mean_loglik(k[0].m, X);
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, train_worker, &k[1]), 0);
    train_worker(&k[0]);
    pthread_join(th, NULL);
    ck_assert_int_eq(k[0].rc, PMK_OK);
    ck_assert_int_eq(k[1].rc, PMK_OK);
    ck_assert_uint_eq(p.calls, 120);
    ck_assert_double_eq(p.weights, 60.0);
    ck_assert(gsl_matrix_equal(k[0].m->W, k[1].m->W));
    ck_assert(gsl_vector_equal(k[0].m->b, k[1].m->b));
    ck_assert(gsl_vector_equal(k[0].m->a, k[1].m->a));
    double after = rbm_mean_loglik(k[0].m, X);
    ck_assert_msg(after > before + 1.0 && after > -4.0, "%g -> %g", before, after);
    for (int w = 0; w < 2; w++) {
        for (int i = 0; i < 6; i++)
            free(p.slot[w][i]);
        pmk_rbm_free(k[w].m);
    }
    pthread_barrier_destroy(&p.bar);
    gsl_matrix_free(X);
}
END_TEST

static int keep(float *const *buf, const size_t *len, size_t nbuf, double weight,
                double *recon, void *ctx, pmk_error *err)
{
    (void)buf, (void)len, (void)nbuf, (void)recon, (void)err;
    ck_assert_double_eq(weight, 1.0);
    ++*(size_t *)ctx;
    return 0;
}

static int stop(float *const *buf, const size_t *len, size_t nbuf, double weight,
                double *recon, void *ctx, pmk_error *err)
{
    (void)buf, (void)len, (void)nbuf, (void)weight, (void)recon, (void)ctx;
    return pmk_error_set(err, PMK_EIO, "rank 1 failed");
}

/* One part with a reduce that keeps the buffers: the same bits as without
 * one.  A reduce's failure stops training with its message.  part < parts. */
START_TEST(test_hook_and_options)
{
    gsl_matrix *X = toy_rows();
    pmk_rbm *a = initial_model(X), *b = initial_model(X);
    pmk_rbm_options o;
    options(&o);
    pmk_rng *r = pmk_rng_alloc(NULL, 3);
    ck_assert_int_eq(pmk_rbm_fit(a, X, &o, r, NULL, NULL, NULL), PMK_OK);
    pmk_rng_free(r);
    size_t calls = 0;
    o.reduce = keep;
    o.reduce_ctx = &calls;
    r = pmk_rng_alloc(NULL, 3);
    ck_assert_int_eq(pmk_rbm_fit(b, X, &o, r, NULL, NULL, NULL), PMK_OK);
    ck_assert_uint_eq(calls, 120);
    ck_assert(gsl_matrix_equal(a->W, b->W));
    ck_assert(gsl_vector_equal(a->a, b->a));
    pmk_error e;
    o.reduce = stop;
    ck_assert_int_eq(pmk_rbm_fit(b, X, &o, r, NULL, NULL, &e), PMK_EIO);
    ck_assert_str_eq(e.msg, "rank 1 failed");
    o.reduce = NULL;
    o.part = 2;
    o.parts = 2;
    ck_assert_int_eq(pmk_rbm_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "part 2 of 2 parts: need part < parts");
    o.part = 0;
    o.parts = 0;
    ck_assert_int_eq(pmk_rbm_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "part 0 of 0 parts: need part < parts");
    pmk_rng_free(r);
    pmk_rbm_free(a);
    pmk_rbm_free(b);
    gsl_matrix_free(X);
}
END_TEST

/* AIS in parts: each part's log weights (0 outside its runs) summed into
 * ais_acc; a part whose reduce hands back that sum gets the one-part
 * estimate bit for bit, for 2 and 3 parts of 40 runs (3 blocks: 16, 16, 8). */
typedef struct ais_acc {
    double w[40];
    int replace;   /* 0: add this part's weights to w; 1: hand w back */
} ais_acc;

static int ais_sum(double *log_w, size_t runs, void *ctx, pmk_error *err)
{
    ais_acc *a = ctx;
    (void)err;
    ck_assert_uint_eq(runs, 40);
    for (size_t n = 0; n < runs; n++) {
        if (a->replace)
            log_w[n] = a->w[n];
        else
            a->w[n] += log_w[n];
    }
    return PMK_OK;
}

static void ais_run(const pmk_rbm *m, const gsl_matrix *X, pmk_rbm_ais_options *o,
                    pmk_rbm_ais_result *res)
{
    pmk_rng *r = pmk_rng_alloc(NULL, 11);
    ck_assert_int_eq(pmk_rbm_log_z_ais(m, X, o, r, res, NULL), PMK_OK);
    pmk_rng_free(r);
}

/* The toy rows' Gaussian model (D 8, H 3): pmk_rbm_init's weights, s 0.5 to 1.2. */
static pmk_rbm *initial_gauss(const gsl_matrix *X)
{
    pmk_rbm *m = pmk_rbm_alloc_gauss(8, 3, NULL);
    pmk_rng *r = pmk_rng_alloc(NULL, 2);
    ck_assert_int_eq(pmk_rbm_init(m, X, r, NULL), PMK_OK);
    for (size_t i = 0; i < 8; i++)
        gsl_vector_set(m->sigma, i, 0.5 + 0.1 * (double)i);
    pmk_rng_free(r);
    return m;
}

START_TEST(test_ais_parts)
{
    gsl_matrix *X = toy_rows();
    /* _i: 0 binary units, 1 Gaussian */
    pmk_rbm *m = _i ? initial_gauss(X) : initial_model(X);
    pmk_rbm_ais_options o;
    pmk_rbm_ais_options_init_default(&o);
    o.runs = 40;
    o.n_betas[0] = o.n_betas[1] = o.n_betas[2] = 10;
    o.threads = 1;
    pmk_rbm_ais_result one, got;
    ais_run(m, X, &o, &one);
    for (size_t P = 2; P <= 3; P++) {
        ais_acc acc = {{0}, 0};
        o.parts = P;
        o.reduce = ais_sum;
        o.reduce_ctx = &acc;
        for (o.part = 0; o.part < P; o.part++)
            ais_run(m, X, &o, &got);
        for (size_t n = 0; n < 40; n++)
            ck_assert(acc.w[n] != 0.0);   /* every run done by some part */
        acc.replace = 1;
        o.part = P - 1;
        ais_run(m, X, &o, &got);
        ck_assert(got.log_z == one.log_z && got.log_z_lo == one.log_z_lo
                  && got.log_z_hi == one.log_z_hi && got.log_z_base == one.log_z_base);
        ck_assert_uint_eq(got.runs, 40);
    }
    pmk_error e;
    o.part = 3;
    ck_assert_int_eq(pmk_rbm_ais_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "AIS: part 3 of 3 parts: need part < parts");
    pmk_rbm_free(m);
    gsl_matrix_free(X);
}
END_TEST

void suite_rbm_parallel(Suite *s)
{
    TCase *tc = tcase_create("parallel");
    tcase_add_test(tc, test_two_workers);
    tcase_add_test(tc, test_hook_and_options);
    tcase_add_loop_test(tc, test_ais_parts, 0, 2);
    suite_add_tcase(s, tc);
}
