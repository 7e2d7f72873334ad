/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_fit.c: the epochs of a training run (pmk_rbm_fit, pmk_rbm_fit_table):
 * the minibatch permutation, the momentum schedule, the k ramp, the
 * monitoring figures and the callback, over the trainer of rbm_train.c. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/rbm.h"
#include "models/rbm_train_internal.h"
#include "core/core_internal.h"
#include "core/progress_internal.h"
#include "pmk/threads.h"
#include "rbm_rows_internal.h"

/* ---------------------------------------------------------------- fit */

void pmk_rbm_options_init_default(pmk_rbm_options *o)
{
    o->epochs = 10;
    o->batch = 100;
    o->k = 1;
    o->persistent = 0;
    o->lr = 0.1;
    o->momentum = -1.0;
    o->weight_decay = 0.0002;
    o->k_ramp = 0;
    o->hidden = 500;
    o->visible = PMK_RBM_BINARY, o->learn_sigma = 0;   /* Gaussian units: rbm_gauss.c */
    o->holdout = 0.05;
    o->sparsity_target = 0.1;
    o->sparsity_cost = 0.0;
    o->sparsity_decay = 0.95;
    o->continue_rng = 0;
    o->log_exact_pl = 0;
    o->temperatures = 0;
    for (size_t r = 0; r < PMK_RBM_PT_MAX; r++)
        o->betas[r] = 0.0;
    o->progress = NULL;
    o->progress_ctx = NULL;
    o->part = 0;
    o->parts = 1;
    o->reduce = NULL;
    o->reduce_ctx = NULL;
    o->threads = 0;
}

/* The k schedule: 1 + round((K - 1) e / (E - 1)) in integers, so epoch 0 runs
 * CD-1, the last epoch CD-K and the epochs between climb evenly (for K = 3,
 * E = 20: k = 1 in epochs 0-4, 2 in 5-14, 3 in 15-19). */
size_t pmk_rbm_epoch_k(const pmk_rbm_options *o, size_t e)
{
    if (!o->k_ramp || o->epochs < 2 || o->k < 2)
        return o->k;
    if (e >= o->epochs - 1)
        return o->k;
    size_t E1 = o->epochs - 1;
    return 1 + ((o->k - 1) * e * 2 + E1) / (2 * E1);
}

/* The rows a fit trains on: a matrix of values in [0,1], or a table whose
 * transform maps them there (converted to float a minibatch at a time). */
typedef struct rows_src {
    const gsl_matrix *X;
    const pmk_table *t;
    const pmk_rbm *m;   /* a Gaussian model standardises the table's rows */
} rows_src;

/* Rows [lo, hi) of the minibatch (rows D floats apart) <- rows idx[lo..hi)
 * of the source: called by the step on each thread for its own rows
 * (rbm_source). */
static int fill_rows(const void *ctx, const size_t *idx, size_t lo, size_t hi, float *rows,
                     pmk_error *err)
{
    const rows_src *s = ctx;
    if (s->t) {
        int rc = pmk_table_gather_f32(s->t, idx + lo, hi - lo, rows, err);
        if (!rc)
            rbm_standardise_f(s->m, rows, hi - lo);
        return rc;
    }
    const size_t D = s->X->size2;
    for (size_t i = lo; i < hi; i++) {
        const double *x = gsl_matrix_const_ptr(s->X, idx[i], 0);
        float *v = rows + (i - lo) * D;
        for (size_t c = 0; c < D; c++)
            v[c] = (float)x[c];
    }
    return PMK_OK;
}

/* Monitoring rows as doubles: up to 1,000 training rows, the held-out rows. */
typedef struct monitor {
    gsl_matrix *mon, *held;
} monitor;

static void monitor_free(monitor *w)
{
    rbm_matrix_free(w->mon);
    rbm_matrix_free(w->held);
}

/* The first min(N, @p max) rows of @p t, transformed, as a new matrix. */
static int table_rows(const pmk_rbm *m, const pmk_table *t, size_t max, gsl_matrix **out,
                      pmk_error *err)
{
    size_t n = pmk_table_nrows(t) < max ? pmk_table_nrows(t) : max;
    if (!(*out = gsl_matrix_alloc(n, pmk_table_nfeatures(t))))
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu monitoring rows", n);
    int rc = pmk_table_gather(t, NULL, n, *out, err);
    return rc ? rc : pmk_rbm_standardise(m, *out, 0, err);
}

/* The epoch's pseudo-likelihood and free-energy gap (NaN where not computed),
 * on @p threads threads (rbm_rows.c: the same bits for any count, and those of
 * the public one-thread calls). */
static void monitor_epoch(const pmk_rbm *m, const monitor *w, int exact_pl, int threads,
                          pmk_rng *r, pmk_rbm_epoch_info *info)
{
    double fm, fh;
    info->pseudo_likelihood = info->free_energy_gap = info->pseudo_likelihood_exact = NAN;
    if (!w || !w->mon)
        return;
    if (exact_pl && w->held
        && rbm_pseudo_likelihood_rows(m, w->held, NULL, threads, &info->pseudo_likelihood_exact,
                                      NULL))
        info->pseudo_likelihood_exact = NAN;
    if (rbm_pseudo_likelihood_rows(m, w->mon, r, threads, &info->pseudo_likelihood, NULL))
        info->pseudo_likelihood = NAN;
    if (w->held && w->held->size1 && w->mon->size1
        && !rbm_free_energy_rows(m, w->held, threads, NULL, &fh, NULL)
        && !rbm_free_energy_rows(m, w->mon, threads, NULL, &fm, NULL))
        info->free_energy_gap = fh / (double)w->held->size1 - fm / (double)w->mon->size1;
}

/* The epochs of pmk_rbm_fit and pmk_rbm_fit_table on N rows (N >= 1). */
static int fit_rows(pmk_rbm *m, const rows_src *src, size_t N, const monitor *w,
                    const pmk_rbm_options *o, pmk_rng *r, pmk_rbm_epoch_fn cb, void *ctx,
                    pmk_error *err)
{
    pmk_rbm_trainer *t = pmk_rbm_trainer_alloc(m, o, err);
    if (!t)
        return err ? err->code : PMK_ENOMEM;
    size_t *perm = malloc(N * sizeof *perm);
    if (!perm) {
        pmk_rbm_trainer_free(t);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for training");
    }
    double rates[PMK_RBM_PT_MAX];
    int rc = PMK_OK;
    core_blas_threads(1);   /* the steps run on pmk's threads (rbm_step.c) */
    const size_t last = m->epochs + o->epochs, nbatch = (N - 1) / o->batch + 1;
    char what[64];
    for (size_t e = 0; e < o->epochs && !rc; e++) {
        size_t epoch = m->epochs + 1;
        snprintf(what, sizeof what, "epoch %zu/%zu", epoch, last);
        /* rbm.m: momentum 0.5 while epoch <= 5, then 0.9 */
        double mu = o->momentum >= 0.0 ? o->momentum : (epoch <= 5 ? 0.5 : 0.9);
        pmk_rng_permutation(r, perm, N);
        pmk_rbm_trainer_seed(t, r);
        pmk_rbm_trainer_set_k(t, pmk_rbm_epoch_k(o, e));
        double recon = 0.0;
        for (size_t s = 0; s < N && !rc; s += o->batch) {
            size_t n = N - s < o->batch ? N - s : o->batch;
            /* this worker's part of the minibatch (all of it unless data-parallel) */
            size_t lo = n * o->part / o->parts, hi = n * (o->part + 1) / o->parts;
            double rs = 0.0;
            rbm_trainer_place(t, s / o->batch, lo);
            rbm_source fill = {fill_rows, src, perm + s + lo};
            if (hi > lo && (rc = rbm_step_rows(t, hi - lo, mu, NULL, &fill, &rs, err)))
                break;
            if (o->reduce)
                rc = rbm_trainer_reduce(t, o, (double)(hi - lo) / (double)n, &rs, err);
            recon += rs;
            if (!rc)
                rc = pmk_progress_tell(o->progress, o->progress_ctx, what, s / o->batch + 1,
                                       nbatch, "batches", err);
        }
        if (rc || (rc = pmk_rbm_trainer_sync(t, m, err)))
            break;
        m->epochs = epoch;
        if (!isfinite(recon)) {
            rc = pmk_error_set(err, PMK_ENUMERIC,
                               "training diverged in epoch %zu (try a smaller --lr)", epoch);
            break;
        }
        pmk_rbm_epoch_info info = {epoch, recon / (double)N, NAN, NAN, NULL, NAN, NULL};
        if (o->temperatures) {
            pmk_rbm_trainer_swap_rates(t, rates);
            info.swap_rates = rates;
        }
        if (cb)
            monitor_epoch(m, w, o->log_exact_pl, o->threads, r, &info);
        /* the stream as the next epoch will find it: what a resume restores */
        if ((rc = pmk_rbm_rng_capture(m, r, pmk_rng_get_seed(r), err)))
            break;
        if (cb)
            rc = cb(m, &info, ctx);
    }
    core_blas_threads(1);
    free(perm);
    pmk_rbm_trainer_free(t);
    return rc;
}

int pmk_rbm_fit(pmk_rbm *m, const gsl_matrix *X, const pmk_rbm_options *o, pmk_rng *r,
                pmk_rbm_epoch_fn cb, void *ctx, pmk_error *err)
{
    int rc;
    if ((rc = pmk_rbm_options_check(o, err)) || (rc = pmk_rbm_check_data(m, X, err)))
        return rc;
    if (X->size1 == 0)
        return pmk_error_set(err, PMK_EDATA, "no training rows");
    rows_src src = {X, NULL, m};
    return fit_rows(m, &src, X->size1, NULL, o, r, cb, ctx, err);
}

int pmk_rbm_fit_table(pmk_rbm *m, const pmk_table *t, const pmk_table *hold,
                      const pmk_rbm_options *o, pmk_rng *r, pmk_rbm_epoch_fn cb, void *ctx,
                      pmk_error *err)
{
    const pmk_transform *tf = pmk_table_transform(t);
    int rc;
    if ((rc = pmk_rbm_options_check(o, err)))
        return rc;
    if (pmk_table_nfeatures(t) != m->d)
        return pmk_error_set(err, PMK_EDATA,
                             "the data have %zu columns but the model has %zu visible units",
                             pmk_table_nfeatures(t), m->d);
    if (!m->visible && !tf->check01 && !(tf->threshold > 0))
        return pmk_error_set(err, PMK_EINVAL,
                             "the table's transform must check [0,1] or binarize: an RBM's "
                             "visible units lie in [0,1]");
    const pmk_transform *mt = &m->transform;
    if (m->transform_known
        && (fabs(tf->scale - mt->scale) > 1e-12 * mt->scale || tf->threshold != mt->threshold))
        return pmk_error_set(err, PMK_EINVAL,
                             "the data's transform (scale %.17g, threshold %.17g) differs from "
                             "the model's (scale %.17g, threshold %.17g)",
                             tf->scale, tf->threshold, mt->scale, mt->threshold);
    if (pmk_table_nrows(t) == 0)
        return pmk_error_set(err, PMK_EDATA, "no training rows");
    if (hold && pmk_table_nfeatures(hold) != m->d)
        return pmk_error_set(err, PMK_EDATA,
                             "the held-out rows have %zu columns but the model has %zu visible "
                             "units", pmk_table_nfeatures(hold), m->d);
    monitor w = {NULL, NULL};
    if (cb && ((rc = table_rows(m, t, 1000, &w.mon, err))
               || (hold && pmk_table_nrows(hold)
                   && (rc = table_rows(m, hold, SIZE_MAX, &w.held, err))))) {
        monitor_free(&w);
        return rc;
    }
    m->transform = *tf;
    m->transform_known = 1;
    rows_src src = {NULL, t, m};
    rc = fit_rows(m, &src, pmk_table_nrows(t), &w, o, r, cb, ctx, err);
    monitor_free(&w);
    return rc;
}
