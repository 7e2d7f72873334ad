/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_train.c: the single-precision trainer of the binary (and Gaussian)
 * RBM for CD-k, PCD-k and tempering, with every buffer allocated once per
 * run: its allocation, seeding and write-back into the model.  The update
 * itself, on pmk's threads, is rbm_step.c.  With the k ramp (options k_ramp,
 * CLI --cd-ramp) epoch e of E uses k_e = 1 + round((K-1) e / (E-1)) steps:
 * CD-1 first, CD-K last, as Salakhutdinov & Murray (2008) increased k
 * gradually while training their CD3 and CD25 RBMs.  Every row's draws come
 * from its own stream, a function of the seed, the epoch, the minibatch and
 * the row (rbm_stream), so the draws do not depend on the thread count. */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>

#include "pmk/kernels.h"
#include "pmk/limits.h"
#include "pmk/rbm.h"
#include "models/rbm_train_internal.h"
#include "core/progress_internal.h"
#include "core/core_internal.h"
#include "pmk/threads.h"

/* ---------------------------------------------------------------- trainer */


static gsl_matrix_float *fmat(size_t r, size_t c, int *bad)
{
    gsl_matrix_float *m = gsl_matrix_float_calloc(r, c);
    *bad |= !m;
    return m;
}

static gsl_vector_float *fvec(size_t n, int *bad)
{
    gsl_vector_float *v = gsl_vector_float_calloc(n);
    *bad |= !v;
    return v;
}

void pmk_rbm_trainer_free(pmk_rbm_trainer *t)
{
    if (!t)
        return;
    gsl_matrix_float *ms[] = {t->W, t->dW, t->V0, t->PH0, t->Hs, t->PV, t->Vs, t->PH,
                              t->chains, t->ptv, t->bb, t->ab};
    for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++)
        if (ms[i])
            gsl_matrix_float_free(ms[i]);
    gsl_vector_float *vs[] = {t->b, t->db, t->a, t->da, t->q};
    free(t->energy);
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
        if (vs[i])
            gsl_vector_float_free(vs[i]);
    rbm_sigma_free(t->sg);
    CORE_FREE(t->sums, t->recon, t->xb, t->xs, t);
}

pmk_rbm_trainer *pmk_rbm_trainer_alloc(const pmk_rbm *m, const pmk_rbm_options *o,
                                       pmk_error *err)
{
    /* Floats: W and dW (2 D H), four vectors (2 D + 2 H), the batch V0 and
     * PH0 (B (D + H)), four work matrices of max(B, P) rows (2 D + 2 H each),
     * the P persistent chains (P H), each data row's and chain's streams
     * (64, Gaussian 80) and error (1), and column sums (2 D + 2 H); B and P come from
     * the options, so the total is checked against the ceiling first. */
    if (rbm_gauss_train_check(m, o, err))
        return NULL;
    {
        unsigned long long D = m->d, H = m->h, B = o->batch;
        unsigned long long P = o->persistent ? (m->chains ? m->chains->size1 : B) : 0;
        unsigned long long R = P > B ? P : B, DH = rbm_sat_add(D, H);
        unsigned long long f = rbm_sat_add(rbm_sat_mul(2, rbm_sat_mul(D, H)), rbm_sat_mul(2, DH));
        f = rbm_sat_add(f, rbm_sat_mul(B, DH));
        f = rbm_sat_add(f, rbm_sat_mul(R, rbm_sat_mul(2, DH)));
        f = rbm_sat_add(f, rbm_sat_mul(P, H));
        /* each row's and chain's streams (64 floats, and 16 more for
         * Gaussian draws), the rows' errors, the column sums (2 (D + H)) */
        unsigned long long rows = rbm_sat_add(B, rbm_sat_add(P, rbm_sat_mul(o->temperatures, B)));
        unsigned long long xf = m->visible == PMK_RBM_GAUSSIAN ? 80 : 64;
        f = rbm_sat_add(f, rbm_sat_add(rbm_sat_add(rbm_sat_mul(rows, xf), B), 2 * DH));
        if (o->temperatures)   /* M B chains: h, v and an energy (2 floats) each */
            f = rbm_sat_add(f, rbm_sat_mul(rbm_sat_mul(o->temperatures, B),
                                           rbm_sat_add(DH, 2 + D + H)));
        char what[128];
        snprintf(what, sizeof what, "training %llu x %llu units with batches of %llu rows", D,
                 H, B);
        if (pmk_mem_check(NULL, 0, 0, rbm_sat_mul(4, f), what, err))
            return NULL;
        if (D > INT_MAX || H > INT_MAX || R > INT_MAX) {   /* the GEMMs take ints */
            pmk_error_set(err, PMK_ELIMIT, "%s: over %d rows or units", what, INT_MAX);
            return NULL;
        }
    }
    pmk_rbm_trainer *t = calloc(1, sizeof *t);
    if (!t)
        goto nomem;
    int bad = 0;
    size_t D = m->d, H = m->h;
    t->d = D;
    t->h = H;
    t->gauss = m->visible == PMK_RBM_GAUSSIAN;
    t->batch = o->batch;
    t->k = o->k;
    t->lr = (float)o->lr;
    t->wd = (float)o->weight_decay;
    /* pmk's threads for the steps; minibatches below PMK_RBM_BLAS_SHARE_MIN
     * multiply-adds a GEMM (B D H) run on one: the threads' start and join
     * cost more than they save there, and on a busy machine far more */
    t->threads = (double)o->batch * (double)D * (double)H < PMK_RBM_BLAS_SHARE_MIN
                     ? 1 : pmk_threads_resolve(o->threads);
    if (o->persistent)
        t->p = m->chains ? m->chains->size1 : o->batch;
    t->nch = t->p;
    if ((t->M = o->temperatures)) {   /* P = the batch; the chains of a resumed run kept */
        t->p = o->batch;
        t->nch = t->p * t->M;
        pmk_rbm_pt_betas(o, t->betas);
        t->ptv = fmat(t->nch, D, &bad);
        t->bb = fmat(t->M, D, &bad);
        t->ab = fmat(t->M, H, &bad);
        bad |= !(t->energy = malloc(t->nch * sizeof *t->energy));
    }
    size_t rows = t->p > t->batch ? t->p : t->batch;
    t->W = fmat(D, H, &bad);
    t->dW = fmat(D, H, &bad);
    t->b = fvec(D, &bad);
    t->db = fvec(D, &bad);
    t->a = fvec(H, &bad);
    t->da = fvec(H, &bad);
    t->V0 = fmat(t->batch, D, &bad);
    t->PH0 = fmat(t->batch, H, &bad);
    t->Hs = fmat(rows, H, &bad);
    t->PV = fmat(rows, D, &bad);
    t->Vs = fmat(rows, D, &bad);
    t->PH = fmat(rows, H, &bad);
    if (t->p)
        t->chains = fmat(t->nch, H, &bad);
    if (o->sparsity_cost > 0) {
        t->sp_p = (float)o->sparsity_target;
        t->sp_cost = (float)o->sparsity_cost;
        t->sp_decay = (float)o->sparsity_decay;
        t->q = fvec(H, &bad);
    }
    t->sg = rbm_sigma_alloc(m, o, rows, &bad);
    t->sums = malloc(2 * (D + H) * sizeof(float));
    t->recon = malloc(t->batch * sizeof(float));
    t->xb = malloc((t->batch + t->nch) * sizeof *t->xb);
    if (t->gauss)
        bad |= !(t->xs = malloc((t->batch + t->nch) * sizeof *t->xs));
    t->simd = vecf_level();
    if (bad || !t->sums || !t->recon || !t->xb)
        goto nomem;
    for (size_t i = 0; i < D; i++) {
        const double *w = gsl_matrix_const_ptr(m->W, i, 0);
        float *wf = gsl_matrix_float_ptr(t->W, i, 0);
        for (size_t j = 0; j < H; j++)
            wf[j] = (float)w[j];
        if (m->dW) {
            const double *dw = gsl_matrix_const_ptr(m->dW, i, 0);
            float *dwf = gsl_matrix_float_ptr(t->dW, i, 0);
            for (size_t j = 0; j < H; j++)
                dwf[j] = (float)dw[j];
        }
        t->b->data[i] = (float)gsl_vector_get(m->b, i);
        if (m->db)
            t->db->data[i] = (float)gsl_vector_get(m->db, i);
    }
    for (size_t j = 0; j < H; j++) {
        t->a->data[j] = (float)gsl_vector_get(m->a, j);
        if (m->da)
            t->da->data[j] = (float)gsl_vector_get(m->da, j);
    }
    if (t->q && m->q) {
        for (size_t j = 0; j < H; j++)
            t->q->data[j] = (float)gsl_vector_get(m->q, j);
        t->q_ready = 1;
    }
    if (t->p && m->chains && m->chains->size1 == t->nch) {
        for (size_t c = 0; c < t->nch; c++)
            for (size_t j = 0; j < H; j++)
                gsl_matrix_float_set(t->chains, c, j, (float)gsl_matrix_get(m->chains, c, j));
        t->chains_ready = 1;
    }
    return t;
nomem:
    pmk_rbm_trainer_free(t);
    pmk_error_set(err, PMK_ENOMEM, "out of memory allocating the RBM trainer");
    return NULL;
}

gsl_matrix_float *pmk_rbm_trainer_batch(pmk_rbm_trainer *t) { return t->V0; }

void pmk_rbm_trainer_seed(pmk_rbm_trainer *t, pmk_rng *r)
{
    xo128 x;
    xo_seed(&x, r);   /* four draws from r, as before: a resume finds r where it was */
    memcpy(t->key, x.s, sizeof t->key);
    t->step = 0;
}

void rbm_trainer_place(pmk_rbm_trainer *t, uint64_t step, size_t row0)
{
    t->step = step;
    t->row0 = row0;
}

void pmk_rbm_trainer_swap_rates(pmk_rbm_trainer *t, double *rates)
{
    for (size_t r = 0; r + 1 < t->M; r++) {
        rates[r] = t->tries ? (double)t->swaps[r] / (double)t->tries : NAN;
        t->swaps[r] = 0;
    }
    t->tries = 0;
}

int pmk_rbm_trainer_step(pmk_rbm_trainer *t, size_t n, double mu, const gsl_matrix_float *h0,
                         double *recon_sum, pmk_error *err)
{
    if (n == 0 || n > t->batch)
        return pmk_error_set(err, PMK_EINVAL, "training step: %zu rows for a batch of 1..%zu",
                             n, t->batch);
    if (h0 && (h0->size1 != n || h0->size2 != t->h))
        return pmk_error_set(err, PMK_EINVAL, "training step: h0 is %zu x %zu, expected %zu x %zu",
                             h0->size1, h0->size2, n, t->h);
    return rbm_step_rows(t, n, mu, h0, NULL, recon_sum, err);
}

/* Data-parallel training: the options' reduce over the trainer's parameters
 * and momentum buffers (pmk_rbm_reduce_fn). */
int rbm_trainer_reduce(pmk_rbm_trainer *t, const pmk_rbm_options *o, double weight,
                       double *recon, pmk_error *err)
{
    float *const buf[6] = {t->W->data, t->dW->data, t->b->data, t->db->data, t->a->data,
                           t->da->data};
    const size_t len[6] = {t->d * t->h, t->d * t->h, t->d, t->d, t->h, t->h};
    return o->reduce(buf, len, 6, weight, recon, o->reduce_ctx, err);
}

int pmk_rbm_trainer_sync(const pmk_rbm_trainer *t, pmk_rbm *m, pmk_error *err)
{
    const size_t D = t->d, H = t->h;
    if (m->chains && t->p && t->chains_ready && m->chains->size1 != t->nch) {
        gsl_matrix_free(m->chains);   /* another trainer's chains: replaced */
        m->chains = NULL;
    }
    int rc = pmk_rbm_state_alloc(m, 1, t->p && t->chains_ready ? t->nch : 0, err);
    if (rc)
        return rc;
    for (size_t i = 0; i < D; i++) {
        double *w = gsl_matrix_ptr(m->W, i, 0), *dw = gsl_matrix_ptr(m->dW, i, 0);
        const float *wf = gsl_matrix_float_const_ptr(t->W, i, 0);
        const float *dwf = gsl_matrix_float_const_ptr(t->dW, i, 0);
        for (size_t j = 0; j < H; j++) {
            w[j] = wf[j];
            dw[j] = dwf[j];
        }
        gsl_vector_set(m->b, i, t->b->data[i]);
        gsl_vector_set(m->db, i, t->db->data[i]);
    }
    for (size_t j = 0; j < H; j++) {
        gsl_vector_set(m->a, j, t->a->data[j]);
        gsl_vector_set(m->da, j, t->da->data[j]);
    }
    if (t->q && t->q_ready) {
        if (!m->q && !(m->q = gsl_vector_alloc(H)))
            return pmk_error_set(err, PMK_ENOMEM, "out of memory for an RBM's training state");
        for (size_t j = 0; j < H; j++)
            gsl_vector_set(m->q, j, t->q->data[j]);
    }
    if (t->sg)
        rbm_sigma_sync(t->sg, m);
    if (t->p && t->chains_ready)
        for (size_t c = 0; c < t->nch; c++)
            for (size_t j = 0; j < H; j++)
                gsl_matrix_set(m->chains, c, j, gsl_matrix_float_get(t->chains, c, j));
    return PMK_OK;
}

void pmk_rbm_trainer_set_k(pmk_rbm_trainer *t, size_t k) { t->k = k; }
