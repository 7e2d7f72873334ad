/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_rows.c: how the RBM's calls outside training (hidden features, the
 * figures of `rbm eval`, Gibbs chains) share rows among pmk's threads so that
 * the result is the same bits for any thread count, by construction:
 *   - rows go in fixed blocks of RBM_ROWS_BLOCK, one GEMM each (OpenBLAS on
 *     one thread in each thread), whatever the count;
 *   - a block's sums are its own, added in block order afterwards;
 *   - every random draw comes from the stream of its row, xoshiro256**
 *     seeded by splitmix64 of (a key drawn once from the caller's pmk_rng,
 *     a domain, the row), never from a stream that threads share. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/threads.h"
#include "models/rbm_rows_internal.h"

/* ---------------------------------------------------------------- streams */

void rbm_key_draw(pmk_rng *r, rbm_key *key)
{
    gsl_rng *g = pmk_rng_gsl(r);
    uint64_t w[4];
    for (int i = 0; i < 4; i++)   /* 32 bits from the uniform, whatever the range */
        w[i] = (uint64_t)(gsl_rng_uniform(g) * 4294967296.0);
    key->k[0] = w[0] << 32 | w[1];
    key->k[1] = w[2] << 32 | w[3];
}

/* The finaliser of splitmix64 (Steele, Lea & Flood 2014). */
static uint64_t splitmix(uint64_t *z)
{
    uint64_t x = (*z += 0x9e3779b97f4a7c15u);
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9u;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebu;
    return x ^ (x >> 31);
}

void rbm_xs_init(rbm_xs *x, const rbm_key *key, unsigned dom, uint64_t row)
{
    uint64_t z = key->k[0];
    z = splitmix(&z) ^ key->k[1];
    z = splitmix(&z) ^ ((uint64_t)dom << 56 | row);
    z = splitmix(&z);
    for (int i = 0; i < 4; i++)   /* never all zero: splitmix64 is a bijection */
        x->s[i] = splitmix(&z);
}

double rbm_xs_gaussian(rbm_xs *x)
{
    double u1 = 1.0 - rbm_xs_uniform(x), u2 = rbm_xs_uniform(x);   /* u1 in (0, 1] */
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

void rbm_bernoulli_rows(gsl_matrix *P, const rbm_key *key, unsigned dom, size_t row0)
{
    for (size_t n = 0; n < P->size1; n++) {
        rbm_xs x;
        rbm_xs_init(&x, key, dom, row0 + n);
        double *p = gsl_matrix_ptr(P, n, 0);
        for (size_t k = 0; k < P->size2; k++)
            p[k] = rbm_xs_uniform(&x) < p[k] ? 1.0 : 0.0;
    }
}

/* ---------------------------------------------------------------- blocks */

int rbm_rows_run(size_t n, int threads, size_t ws, size_t nparts, rbm_rows_fn fn, void *ctx,
                 double *sums)
{
    size_t nblk = (n + RBM_ROWS_BLOCK - 1) / RBM_ROWS_BLOCK;
    for (size_t k = 0; k < nparts; k++)
        sums[k] = 0.0;
    if (nblk == 0)
        return PMK_OK;
    int *brc = calloc(nblk, sizeof *brc);
    double *parts = nparts ? calloc(nblk * nparts, sizeof *parts) : NULL;
    if (!brc || (nparts && !parts)) {
        free(brc);
        free(parts);
        return PMK_ENOMEM;
    }
    int T = pmk_threads_resolve(threads);
    if ((size_t)T > nblk)
        T = (int)nblk;
    (void)T;   /* without OpenMP: one thread, the same result */
#pragma omp parallel num_threads(T) if (T > 1)
    {
        double *w = ws ? malloc(ws * sizeof *w) : NULL;
#pragma omp for schedule(dynamic, 1)
        for (size_t b = 0; b < nblk; b++) {
            size_t n0 = b * RBM_ROWS_BLOCK, nb = n - n0 < RBM_ROWS_BLOCK ? n - n0 : RBM_ROWS_BLOCK;
            brc[b] = ws && !w ? PMK_ENOMEM : fn(ctx, n0, nb, w, parts ? parts + b * nparts : NULL);
        }
        free(w);
    }
    int rc = PMK_OK;
    for (size_t b = 0; b < nblk && !rc; b++)
        rc = brc[b];
    for (size_t b = 0; b < nblk && !rc; b++)   /* in block order: fixed rounding */
        for (size_t k = 0; k < nparts; k++)
            sums[k] += parts[b * nparts + k];
    free(brc);
    free(parts);
    return rc;
}
