/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_draw.c: what a model shows of itself: Gibbs chains from chosen starting
 * states with snapshots of their visible means, and pictures of S x S
 * models (the filters, the visible units) as montages of square tiles.
 *
 * Sampling (Hinton 2010, sec. 2): block Gibbs sweeps h ~ p(h | v), v ~ p(v | h)
 * (pmk_rbm_gibbs); a snapshot keeps p(v = 1 | h) of its last sweep, the
 * "visible means", which show a chain's state with less noise than v. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "pmk/limits.h"
#include "pmk/threads.h"
#include "pmk/rbm.h"
#include "models/rbm_internal.h"
#include "models/rbm_rows_internal.h"

/* ---------------------------------------------------------------- sampling */

void pmk_rbm_sample_options_init_default(pmk_rbm_sample_options *o)
{
    /* every, binary and threads 0 */
    *o = (pmk_rbm_sample_options){.chains = 10, .steps = 1000};
}

/* The snapshot interval: o->every, or steps / 10 and at least 1. */
static size_t sample_every(const pmk_rbm_sample_options *o)
{
    return o->every ? o->every : o->steps / 10 ? o->steps / 10 : 1;
}

int pmk_rbm_sample_options_check(const pmk_rbm_sample_options *o, pmk_error *err)
{
    if (o->chains == 0)
        return pmk_error_set(err, PMK_EINVAL, "the number of chains must be at least 1");
    if (o->steps == 0)
        return pmk_error_set(err, PMK_EINVAL, "the number of steps must be at least 1");
    if (sample_every(o) > o->steps)
        return pmk_error_set(err, PMK_EINVAL, "no snapshot: every %zu exceeds steps %zu",
                             o->every, o->steps);
    return pmk_threads_check(o->threads, err);
}

/* The options checked, and the run's memory against the ceiling: the states,
 * a spare and the S snapshots, C x D doubles each, and a sweep count a
 * snapshot row, 8 (D + 1) C (S + 2) bytes. */
static int sample_check(const pmk_rbm *m, const pmk_rbm_sample_options *o, pmk_error *err)
{
    int rc = pmk_rbm_sample_options_check(o, err);
    if (rc)
        return rc;
    size_t nsnap = o->steps / sample_every(o);
    char what[96];
    snprintf(what, sizeof what, "%zu chains with %zu snapshots", o->chains, nsnap);
    unsigned long long need = rbm_sat_mul(rbm_sat_mul(o->chains, 2ull + nsnap),
                                          rbm_sat_add(rbm_sat_mul(8, m->d), 8));
    return pmk_mem_check(NULL, 0, 0, need, what, err);
}

int pmk_rbm_sample_init(const pmk_rbm *m, const pmk_table *t, const pmk_rbm_sample_options *o,
                        pmk_rng *r, gsl_matrix **V, pmk_error *err)
{
    size_t C = o->chains;
    int rc = sample_check(m, o, err);
    if (rc)
        return rc;
    if (t && pmk_table_nfeatures(t) != m->d)
        return pmk_error_set(err, PMK_EDATA,
                             "the data have %zu columns but the model has %zu visible units",
                             pmk_table_nfeatures(t), m->d);
    if (t && pmk_table_nrows(t) < C)
        return pmk_error_set(err, PMK_EDATA, "%s: %zu rows, fewer than the %zu chains",
                             pmk_table_path(t) ? pmk_table_path(t) : "the data",
                             pmk_table_nrows(t), C);
    gsl_matrix *A = gsl_matrix_alloc(C, m->d);
    if (!A)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu chains", C);
    if (t && ((rc = pmk_table_gather(t, NULL, C, A, err))
              || (rc = pmk_rbm_standardise(m, A, 0, err)))) {
        gsl_matrix_free(A);
        return rc;
    }
    for (size_t k = 0; !t && k < C * m->d; k++)   /* Gaussian: the standardised N(0,1) */
        A->data[k] = m->visible ? pmk_rng_gaussian(r) : pmk_rng_uniform(r) < 0.5 ? 1.0 : 0.0;
    *V = A;
    return PMK_OK;
}

/* The chains of pmk_rbm_sample, a block of them per call (rbm_rows_run). */
typedef struct chain_job {
    const pmk_rbm *m;
    gsl_matrix *V, *S;    /* C x D states; nsnap C x D snapshots */
    size_t every, nsnap;
    int binary;
    const rbm_key *key;
} chain_job;

/* Chains [c0, c0 + nb) through every sweep: h ~ p(h | v), the means
 * p(v | h), v drawn from them, each chain's draws from its own stream
 * (key, RBM_ROWS_DOM_CHAIN, c) in that order; ws: nb x H. */
static int chain_block(void *ctx, size_t c0, size_t nb, double *ws, double *part)
{
    const chain_job *j = ctx;
    const pmk_rbm *m = j->m;
    const size_t C = j->V->size1, D = m->d, H = m->h;
    rbm_xs *xs = malloc(nb * sizeof *xs);
    if (!xs)
        return PMK_ENOMEM;
    for (size_t c = 0; c < nb; c++)
        rbm_xs_init(xs + c, j->key, RBM_ROWS_DOM_CHAIN, c0 + c);
    gsl_matrix_view Vb = gsl_matrix_submatrix(j->V, c0, 0, nb, D);
    gsl_matrix_view Hb = gsl_matrix_view_array(ws, nb, H);
    int rc = PMK_OK;
    for (size_t s = 0; s < j->nsnap && !rc; s++) {
        gsl_matrix_view dst = gsl_matrix_submatrix(j->S, s * C + c0, 0, nb, D);
        for (size_t t = 0; t < j->every && !rc; t++) {
            if ((rc = rbm_conditional(m, 1, &Vb.matrix, &Hb.matrix, NULL)))
                break;
            for (size_t c = 0; c < nb; c++) {   /* h ~ p(h | v) */
                double *h = gsl_matrix_ptr(&Hb.matrix, c, 0);
                for (size_t k = 0; k < H; k++)
                    h[k] = rbm_xs_uniform(xs + c) < h[k] ? 1.0 : 0.0;
            }
            if ((rc = rbm_conditional(m, 0, &Hb.matrix, &Vb.matrix, NULL)))
                break;
            if (!j->binary && t + 1 == j->every)   /* the snapshot: p(v | h) */
                gsl_matrix_memcpy(&dst.matrix, &Vb.matrix);
            for (size_t c = 0; c < nb; c++) {   /* v ~ p(v | h) */
                double *v = gsl_matrix_ptr(&Vb.matrix, c, 0);
                for (size_t i = 0; i < D; i++)
                    v[i] = m->visible ? v[i] + gsl_vector_get(m->sigma, i) * rbm_xs_gaussian(xs + c)
                                      : rbm_xs_uniform(xs + c) < v[i] ? 1.0 : 0.0;
            }
        }
        if (!rc && j->binary)
            gsl_matrix_memcpy(&dst.matrix, &Vb.matrix);
    }
    free(xs);
    return rc;
}

int pmk_rbm_sample(const pmk_rbm *m, gsl_matrix *V, const pmk_rbm_sample_options *o,
                   pmk_rng *r, gsl_matrix **snaps, long **sweeps, pmk_error *err)
{
    size_t C = o->chains, every = sample_every(o), nsnap = o->steps / every;
    int rc = sample_check(m, o, err);
    if (rc)
        return rc;
    if (V->size1 != C || V->size2 != m->d)
        return pmk_error_set(err, PMK_EINVAL, "the chains are %zu x %zu, expected %zu x %zu",
                             V->size1, V->size2, C, m->d);
    gsl_matrix *S = gsl_matrix_alloc(nsnap * C, m->d);
    long *lab = sweeps ? malloc(nsnap * C * sizeof *lab) : NULL;
    if (!S || (sweeps && !lab))
        rc = pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu chains with %zu snapshots",
                           C, nsnap);
    for (size_t s = 0; lab && s < nsnap; s++)
        for (size_t k = 0; k < C; k++)
            lab[s * C + k] = (long)((s + 1) * every);
    rbm_key key;
    rbm_key_draw(r, &key);
    chain_job j = {m, V, S, every, nsnap, o->binary, &key};
    if (!rc && (rc = rbm_rows_run(C, o->threads, RBM_ROWS_BLOCK * m->h, 0, chain_block, &j, NULL)))
        pmk_error_set(err, rc, "sampling: %s", pmk_strerror(rc));
    if (!rc)   /* Gaussian units: back to the data's (scaled) units */
        rc = pmk_rbm_standardise(m, S, 1, err);
    if (rc) {
        rbm_matrix_free(S);
        free(lab);
        return rc;
    }
    *snaps = S;
    if (sweeps)
        *sweeps = lab;
    return PMK_OK;
}

/* ---------------------------------------------------------------- pictures */

int pmk_rbm_image_side(size_t d, size_t *side, pmk_error *err)
{
    size_t s = (size_t)llround(sqrt((double)d));
    if (s * s != d)
        return pmk_error_set(err, PMK_EDATA, "%zu visible units are not a square image", d);
    *side = s;
    return PMK_OK;
}

int pmk_rbm_filters_image(const pmk_rbm *m, size_t count, size_t cols, pmk_image **out,
                          pmk_error *err)
{
    size_t side;
    int rc = pmk_rbm_image_side(m->d, &side, err);
    if (rc)
        return rc;
    if (!count || count > m->h)
        count = m->h;
    if (!cols)
        cols = (size_t)ceil(sqrt((double)count));
    /* the first count columns of W as rows (count x D): one tile each */
    gsl_matrix *T = gsl_matrix_alloc(count, m->d);
    if (!T)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu filters", count);
    gsl_matrix_const_view Wc = gsl_matrix_const_submatrix(m->W, 0, 0, m->d, count);
    gsl_matrix_transpose_memcpy(T, &Wc.matrix);
    rc = pmk_montage(T, side, side, cols, PMK_MONTAGE_TILE, 0.0, 1.0, out, err);
    gsl_matrix_free(T);
    return rc;
}

int pmk_rbm_visible_image(const pmk_rbm *m, const gsl_matrix *V, size_t cols, pmk_image **out,
                          pmk_error *err)
{
    size_t side;
    if (V->size2 != m->d)
        return pmk_error_set(err, PMK_EINVAL,
                             "the input has %zu columns but the model has %zu visible units",
                             V->size2, m->d);
    int rc = pmk_rbm_image_side(m->d, &side, err);
    return rc ? rc : pmk_montage(V, side, side, cols, PMK_MONTAGE_RANGE, 0.0, 1.0, out, err);
}
