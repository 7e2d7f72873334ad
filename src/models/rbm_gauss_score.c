/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_gauss_score.c: log Z of the Gaussian-Bernoulli RBM (model in
 * rbm_gauss.c), exactly by enumerating the hidden layer and by annealed
 * importance sampling from a diagonal Gaussian. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>

#include "pmk/kernels.h"
#include "pmk/limits.h"
#include "pmk/rbm.h"
#include "pmk/threads.h"
#include "models/rbm_internal.h"
#include "core/progress_internal.h"
#include "core/core_internal.h"

/* Exact log Z.  For each h, with c = W h (D), the integral over v factorises:
 *   int exp(-(v - b)^2 / (2 s^2) + v c / s) dv = sqrt(2 pi) s exp(b c / s + c^2 / 2)
 * (complete the square: the exponent is -(v - b - s c)^2 / (2 s^2) + b c / s
 * + c^2 / 2), so
 *   log Z = (D/2) log(2 pi) + sum_i log s_i
 *           + logsumexp_h [a'h + sum_i (c_i b_i / s_i + c_i^2 / 2)].
 * The 2^H states go in blocks of GZ_BLOCK in Gray-code order: c is made
 * from h at a block's first state and updated by +-W[:, j] at each step
 * after (so it never drifts over more than a block); 2^H D work.  The
 * blocks are shared among the threads, each giving its log-sum-exp, and
 * those are merged in block order: the same bits for any thread count. */
enum { GZ_BLOCK = 256 };

typedef struct gz {
    const pmk_rbm *m;
    const double *bs;   /* b_i / s_i (D) */
    size_t block;
} gz;

/* The log-sum-exp of the terms of states [s0, s0 + block), with c (D), h (H). */
static double gz_block(const gz *z, unsigned long long s0, double *c, unsigned char *h)
{
    const pmk_rbm *m = z->m;
    const size_t D = m->d, H = m->h;
    double L = -INFINITY, acc = 0.0;   /* the block's sum: exp(L) acc */
    for (unsigned long long s = s0; s < s0 + z->block; s++) {
        if (s == s0) {
            unsigned long long g = s ^ (s >> 1);
            for (size_t j = 0; j < H; j++)
                h[j] = (g >> j) & 1u;
            for (size_t i = 0; i < D; i++) {
                const double *w = gsl_matrix_const_ptr(m->W, i, 0);
                c[i] = 0.0;
                for (size_t j = 0; j < H; j++)
                    c[i] += h[j] ? w[j] : 0.0;
            }
        } else {   /* one bit flips: the lowest set bit of s */
            size_t j = (size_t)__builtin_ctzll(s);
            h[j] ^= 1u;
            for (size_t i = 0; i < D; i++)
                c[i] += (h[j] ? 1.0 : -1.0) * gsl_matrix_get(m->W, i, j);
        }
        double t = 0.0;
        for (size_t j = 0; j < H; j++)
            t += h[j] ? gsl_vector_get(m->a, j) : 0.0;
        for (size_t i = 0; i < D; i++)
            t += c[i] * z->bs[i] + 0.5 * c[i] * c[i];
        if (t > L) {
            acc = acc * exp(L - t) + 1.0;
            L = t;
        } else {
            acc += exp(t - L);
        }
    }
    return L + log(acc);
}

int rbm_gauss_log_z_exact(const pmk_rbm *m, int threads, double *log_z, pmk_error *err)
{
    const size_t D = m->d, H = m->h;
    if (H > PMK_RBM_EXACT_MAX)
        return pmk_error_set(err, PMK_ELIMIT, "%zu hidden units are too wide for exact log Z "
                             "(at most %d); use AIS", H, PMK_RBM_EXACT_MAX);
    const unsigned long long S = 1ull << H;
    gz z = {m, NULL, S < GZ_BLOCK ? (size_t)S : GZ_BLOCK};
    const size_t nblk = (size_t)(S / z.block);   /* both powers of 2 */
    double *bs = malloc(D * sizeof *bs), *parts = malloc(nblk * sizeof *parts);
    int *brc = calloc(nblk, sizeof *brc);
    if (!bs || !parts || !brc) {
        CORE_FREE(bs, parts, brc);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for exact log Z");
    }
    for (size_t i = 0; i < D; i++)
        bs[i] = gsl_vector_get(m->b, i) / gsl_vector_get(m->sigma, i);
    z.bs = bs;
    int T = pmk_threads_resolve(threads);
    if ((size_t)T > nblk)
        T = (int)nblk;
    (void)T;   /* without OpenMP: one thread, the same result */
#pragma omp parallel num_threads(T) if (T > 1)
    {
        double *c = malloc(D * sizeof *c);
        unsigned char *h = malloc(H ? H : 1);
#pragma omp for schedule(dynamic, 1)
        for (size_t b = 0; b < nblk; b++) {
            if (c && h)
                parts[b] = gz_block(&z, (unsigned long long)b * z.block, c, h);
            else
                brc[b] = PMK_ENOMEM;
        }
        CORE_FREE(c, h);
    }
    double total = -INFINITY;
    int rc = PMK_OK;
    for (size_t b = 0; b < nblk && !rc; b++) {
        double pair[2] = {total, parts[b]};
        if (!(rc = brc[b]))
            total = pmk_logsumexp(pair, 2, 1);
    }
    CORE_FREE(bs, parts, brc);
    if (rc)
        return pmk_error_set(err, rc, "out of memory for exact log Z");
    double lz = total + 0.5 * (double)D * log(2.0 * M_PI);
    for (size_t i = 0; i < D; i++)
        lz += log(gsl_vector_get(m->sigma, i));
    if (!isfinite(lz))
        return pmk_error_set(err, PMK_ENUMERIC, "log Z is not finite");
    *log_z = lz;
    return PMK_OK;
}

/* Annealed importance sampling (Neal 2001; Salakhutdinov & Murray 2008) for
 * Gaussian units.  Base model A: W = 0, visible means bA and standard
 * deviations sA those of the columns of X (X NULL: 0 and 1), each sA_i at
 * least s_i: the model's marginal of v_i, a mixture of N(., s_i^2), has at
 * least that variance, and a narrower base (a constant feature) would put
 * the whole change of width into the last steps of the path.  So
 *   Z_0 = 2^H prod_i sqrt(2 pi) sA_i   (the H hidden units free).
 * Path, qA(v) = sum_i (v_i - bA_i)^2 / (2 sA_i^2), qB(v) the model's visible
 * energy, x = a + W'(v / s):
 *   log p*_k(v) = -(1 - beta_k) qA(v) - beta_k qB(v) + sum_j softplus(beta_k x_j).
 * Run: v ~ N(bA, sA^2); for k = 1..K: log w += log p*_k(v) - log p*_{k-1}(v),
 * then (k < K) one Gibbs sweep leaving p_k invariant:
 *   h_j ~ sigmoid(beta_k x_j),
 *   v_i ~ N(mu_i, 1 / lam_i),  lam_i = (1 - beta_k) / sA_i^2 + beta_k / s_i^2,
 *   mu_i = [(1 - beta_k) bA_i / sA_i^2 + beta_k b_i / s_i^2 + beta_k (Wh)_i / s_i] / lam_i.
 * The runs are the rows of M x D matrices, in the blocks, streams and
 * threads of rbm_ais_drive (two GEMMs a block's sweep), as for binary units. */
typedef struct gais {
    const pmk_rbm *m;
    size_t D, H;
    double *bA, *sA, *b, *s, *a;   /* D, D, D, D, H */
    double *ia2, *is2;             /* 1 / sA_i^2, 1 / s_i^2 (D each) */
    gsl_matrix *V, *U, *X, *Hs;    /* M x D, M x D (V / s, then W h), M x H, M x H */
} gais;

/* Column means and standard deviations of X, at least s, into g->bA, g->sA. */
static void base_model(const gsl_matrix *X, gais *g)
{
    size_t N = X ? X->size1 : 0;
    for (size_t i = 0; i < g->D; i++) {
        double mu = 0.0, v = 0.0;
        for (size_t n = 0; n < N; n++)
            mu += gsl_matrix_get(X, n, i);
        mu = N ? mu / (double)N : 0.0;
        for (size_t n = 0; n < N; n++)
            v += (gsl_matrix_get(X, n, i) - mu) * (gsl_matrix_get(X, n, i) - mu);
        g->bA[i] = mu;
        g->sA[i] = fmax(N ? sqrt(v / (double)N) : 1.0, g->s[i]);
    }
}

/* v_1 ~ p_0 = N(bA, sA^2) for run q. */
static void gais_start(void *ctx, size_t q, pmk_rng *r)
{
    const gais *g = ctx;
    double *v = gsl_matrix_ptr(g->V, q, 0);
    for (size_t i = 0; i < g->D; i++)
        v[i] = g->bA[i] + g->sA[i] * pmk_rng_gaussian(r);
}

/* One AIS step for the runs [n0, n0 + n): X <- a + (V / s) W, log w +=
 * log p*_bk(v) - log p*_bp(v), then unless @p last the Gibbs sweep at bk. */
static int gais_block(void *ctx, size_t n0, size_t n, double bk, double bp, int last,
                      pmk_rng **rs, double *logw)
{
    const gais *g = ctx;
    const size_t D = g->D, H = g->H;
    gsl_matrix_view Ub = gsl_matrix_submatrix(g->U, n0, 0, n, D);
    gsl_matrix_view Xb = gsl_matrix_submatrix(g->X, n0, 0, n, H);
    gsl_matrix_view Hb = gsl_matrix_submatrix(g->Hs, n0, 0, n, H);
    for (size_t q = n0; q < n0 + n; q++) {
        const double *v = gsl_matrix_const_ptr(g->V, q, 0);
        double *u = gsl_matrix_ptr(g->U, q, 0);
        for (size_t i = 0; i < D; i++)
            u[i] = v[i] / g->s[i];
    }
    int rc = pmk_gemm(CblasNoTrans, CblasNoTrans, 1.0, &Ub.matrix, g->m->W, 0.0, &Xb.matrix);
    if (rc)
        return rc;
    for (size_t q = n0; q < n0 + n; q++) {
        const double *v = gsl_matrix_const_ptr(g->V, q, 0);
        double *x = gsl_matrix_ptr(g->X, q, 0), qa = 0.0, qb = 0.0, t;
        for (size_t i = 0; i < D; i++) {
            double za = (v[i] - g->bA[i]) / g->sA[i], zb = (v[i] - g->b[i]) / g->s[i];
            qa += 0.5 * za * za;
            qb += 0.5 * zb * zb;
        }
        t = (bk - bp) * (qa - qb);
        for (size_t j = 0; j < H; j++) {
            x[j] += g->a[j];
            t += pmk_softplus(bk * x[j]) - pmk_softplus(bp * x[j]);
        }
        logw[q] += t;
    }
    if (last)
        return PMK_OK;
    for (size_t q = n0; q < n0 + n; q++) {
        const double *x = gsl_matrix_const_ptr(g->X, q, 0);
        double *hr = gsl_matrix_ptr(g->Hs, q, 0);
        for (size_t j = 0; j < H; j++)
            hr[j] = pmk_rng_uniform(rs[q]) < pmk_sigmoid(bk * x[j]) ? 1.0 : 0.0;
    }
    if ((rc = pmk_gemm(CblasNoTrans, CblasTrans, 1.0, &Hb.matrix, g->m->W, 0.0, &Ub.matrix)))
        return rc;   /* U = H W' */
    for (size_t q = n0; q < n0 + n; q++) {
        double *v = gsl_matrix_ptr(g->V, q, 0);
        const double *wh = gsl_matrix_const_ptr(g->U, q, 0);
        for (size_t i = 0; i < D; i++) {
            double pa = (1.0 - bk) * g->ia2[i], pb = bk * g->is2[i], lam = pa + pb;
            double mu = (pa * g->bA[i] + pb * g->b[i] + bk * wh[i] / g->s[i]) / lam;
            v[i] = mu + pmk_rng_gaussian(rs[q]) / sqrt(lam);
        }
    }
    return PMK_OK;
}

int rbm_gauss_log_z_ais(const pmk_rbm *m, const gsl_matrix *X, const pmk_rbm_ais_options *o,
                        pmk_rng *r, pmk_rbm_ais_result *out, pmk_error *err)
{
    const size_t D = m->d, H = m->h, M = o->runs;
    const size_t K = o->n_betas[0] + o->n_betas[1] + o->n_betas[2];
    /* V, U (M x D), X, Hs (M x H), the weights, schedule and vectors */
    unsigned long long need = rbm_sat_mul(8, rbm_sat_add(rbm_sat_mul(M, rbm_sat_add(
        rbm_sat_mul(2, D), rbm_sat_add(rbm_sat_mul(2, H), 1))), rbm_sat_add(K + 1, 6 * D + H)));
    char what[64];
    snprintf(what, sizeof what, "AIS with %zu runs", M);
    int rc = pmk_mem_check(NULL, 0, 0, need, what, err);
    if (rc)
        return rc;
    gais g = {m, D, H, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
              gsl_matrix_alloc(M, D), gsl_matrix_alloc(M, D), gsl_matrix_alloc(M, H),
              gsl_matrix_alloc(M, H)};
    double *beta = malloc((K + 1) * sizeof *beta), *logw = calloc(M, sizeof *logw);
    double *vec = malloc((6 * D + H) * sizeof *vec);
    if (!beta || !logw || !vec || !g.V || !g.U || !g.X || !g.Hs) {
        rc = pmk_error_set(err, PMK_ENOMEM, "out of memory for AIS");
        goto done;
    }
    g.bA = vec, g.sA = vec + D, g.b = vec + 2 * D, g.s = vec + 3 * D;
    g.ia2 = vec + 4 * D, g.is2 = vec + 5 * D, g.a = vec + 6 * D;
    for (size_t i = 0; i < D; i++) {
        g.b[i] = gsl_vector_get(m->b, i);
        g.s[i] = gsl_vector_get(m->sigma, i);
    }
    for (size_t j = 0; j < H; j++)
        g.a[j] = gsl_vector_get(m->a, j);
    base_model(X, &g);
    for (size_t i = 0; i < D; i++) {
        g.ia2[i] = 1.0 / (g.sA[i] * g.sA[i]);
        g.is2[i] = 1.0 / (g.s[i] * g.s[i]);
    }
    rbm_ais_schedule(o, beta);
    double log_z0 = (double)H * M_LN2;
    for (size_t i = 0; i < D; i++)
        log_z0 += 0.5 * log(2.0 * M_PI) + log(g.sA[i]);
    rbm_ais_path path = {&g, gais_start, gais_block};
    rc = rbm_ais_drive(o, r, beta, log_z0, &path, logw, out, err);
done:
    CORE_FREE(beta, logw, vec);
    rbm_matrix_free(g.V);
    rbm_matrix_free(g.U);
    rbm_matrix_free(g.X);
    rbm_matrix_free(g.Hs);
    return rc;
}
