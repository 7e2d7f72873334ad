/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_score.c: how well a binary RBM models data, in double precision: the
 * pseudo-likelihood (exact over every bit, and scikit-learn's one-bit
 * estimate), log Z by enumerating the smaller layer, and log Z by annealed
 * importance sampling.  Notation of pmk/rbm.h; the conditionals and the free
 * energy are in rbm.c. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>

#include "pmk/threads.h"
#include "pmk/kernels.h"
#include "pmk/limits.h"
#include "pmk/rbm.h"
#include "models/rbm_internal.h"
#include "models/rbm_rows_internal.h"
#include "core/progress_internal.h"
#include "core/core_internal.h"

/* ---------------------------------------------------------------- pseudo-likelihood */

/* Pseudo-likelihood (Besag 1975).  With x = W'v + a and delta = 1 - 2 v_i, the
 * flip v~i = v + delta e_i changes x by delta W[i,:], so
 *   F(v~i) - F(v) = -b_i delta - sum_j [softplus(x_j + delta W_ij) - softplus(x_j)]
 * and log p(v_i | v_-i) = log sigmoid(F(v~i) - F(v)) (the two-state softmax).
 * Since (1 + e^{x+d}) / (1 + e^x) = 1 + sigmoid(x) (e^d - 1), each difference
 * of softplus is log(1 + s_j E_ij) with s = sigmoid(x) per row and
 * E_ij = expm1(delta W_ij), which for binary v takes only two values per
 * weight (delta = +-1) and is tabulated once.  The sum of logs is taken as
 * the log of products of 16 factors at a time: each factor lies in
 * [e^-|w|, e^|w|], so with max |W| <= 40 no product leaves double range;
 * wider weights fall back to one log1p per term.  N*D*H multiply-adds, the
 * rows in blocks on threads (rbm_rows_run), and the tables' rows too. */
typedef struct pl_work {
    const pmk_rbm *m;
    const gsl_matrix *V;
    double *ep, *em;      /* D x H: expm1(W), expm1(-W) */
    int products;         /* max |W| <= 40 */
    const size_t *bit;    /* the one-bit estimate: row n's bit (NULL: every bit) */
} pl_work;

static double sum_log1p(const double *s, const double *e, size_t H, int products)
{
    double acc = 0.0;
    if (!products) {
        for (size_t j = 0; j < H; j++)
            acc += log1p(s[j] * e[j]);
        return acc;
    }
    size_t j = 0;
    for (; j + 16 <= H; j += 16) {
        double p = 1.0;
        for (size_t t = 0; t < 16; t++)
            p *= 1.0 + s[j + t] * e[j + t];
        acc += log(p);
    }
    double p = 1.0;
    for (; j < H; j++)
        p *= 1.0 + s[j] * e[j];
    return acc + log(p);
}

/* F(v~i) - F(v) for row v, s = sigmoid(x) of that row; tmp holds H doubles. */
static double flip_gap(const pmk_rbm *m, const pl_work *w, const double *v, const double *s,
                       size_t i, double *tmp)
{
    double delta = 1.0 - 2.0 * v[i];
    const double *e;
    if (v[i] == 0.0) {
        e = w->ep + i * m->h;
    } else if (v[i] == 1.0) {
        e = w->em + i * m->h;
    } else {   /* a probability, not a bit: E_ij = expm1(delta W_ij) afresh */
        const double *wr = gsl_matrix_const_ptr(m->W, i, 0);
        for (size_t j = 0; j < m->h; j++)
            tmp[j] = expm1(delta * wr[j]);
        e = tmp;
    }
    return -gsl_vector_get(m->b, i) * delta - sum_log1p(s, e, m->h, w->products);
}

/* The tables' rows [i0, i0 + ni); part[0] counts the weights beyond 40. */
static int table_block(void *ctx, size_t i0, size_t ni, double *ws, double *part)
{
    pl_work *w = ctx;
    const size_t H = w->m->h;
    for (size_t i = i0; i < i0 + ni; i++) {
        const double *wr = gsl_matrix_const_ptr(w->m->W, i, 0);
        for (size_t j = 0; j < H; j++) {
            w->ep[i * H + j] = expm1(wr[j]);
            w->em[i * H + j] = expm1(-wr[j]);
            part[0] += !(fabs(wr[j]) <= 40.0);
        }
    }
    return PMK_OK;
}

/* part[0] <- the block's sum of log p(v_i | v_-i), over every bit or row n's
 * one bit times D; ws: s = sigmoid(W'v + a) (nb x H), then H for flip_gap. */
static int pl_block(void *ctx, size_t n0, size_t nb, double *ws, double *part)
{
    const pl_work *w = ctx;
    const size_t D = w->m->d, H = w->m->h;
    gsl_matrix_const_view Vb = gsl_matrix_const_submatrix(w->V, n0, 0, nb, D);
    gsl_matrix_view Sb = gsl_matrix_view_array(ws, nb, H);
    int rc = rbm_conditional(w->m, 1, &Vb.matrix, &Sb.matrix, NULL);
    for (size_t n = 0; n < nb && !rc; n++) {
        const double *v = gsl_matrix_const_ptr(w->V, n0 + n, 0);
        const double *s = gsl_matrix_const_ptr(&Sb.matrix, n, 0);
        if (w->bit) {
            part[0] += (double)D * pmk_log_sigmoid(flip_gap(w->m, w, v, s, w->bit[n0 + n],
                                                            ws + nb * H));
        } else {
            for (size_t i = 0; i < D; i++)
                part[0] += pmk_log_sigmoid(flip_gap(w->m, w, v, s, i, ws + nb * H));
        }
    }
    return rc;
}

int rbm_pseudo_likelihood_rows(const pmk_rbm *m, const gsl_matrix *V, pmk_rng *r, int threads,
                               double *out, pmk_error *err)
{
    if (V->size2 != m->d)
        return pmk_error_set(err, PMK_EINVAL,
                             "the input has %zu columns but the model has %zu visible units",
                             V->size2, m->d);
    if (V->size1 == 0 || m->visible) {   /* Gaussian units have no bits to flip */
        *out = NAN;
        return PMK_OK;
    }
    const size_t D = m->d, H = m->h, N = V->size1;
    pl_work w = {m, V, malloc(D * H * sizeof(double)), malloc(D * H * sizeof(double)), 0, NULL};
    size_t *bit = r ? malloc(N * sizeof *bit) : NULL;
    double wide = 0.0, sum = 0.0;
    int rc = PMK_OK;
    if (!w.ep || !w.em || (r && !bit))
        rc = PMK_ENOMEM;
    for (size_t n = 0; bit && n < N; n++)   /* in row order, on this thread */
        bit[n] = (size_t)pmk_rng_uniform_int(r, (unsigned long)D);
    w.bit = bit;
    if (!rc && !(rc = rbm_rows_run(D, threads, 0, 1, table_block, &w, &wide))) {
        w.products = wide == 0.0;
        rc = rbm_rows_run(N, threads, RBM_ROWS_BLOCK * H + H, 1, pl_block, &w, &sum);
    }
    CORE_FREE(w.ep, w.em, bit);
    if (rc)
        return pmk_error_set(err, rc, "pseudo-likelihood: %s", pmk_strerror(rc));
    *out = sum / (double)N;
    return PMK_OK;
}

int pmk_rbm_pseudo_likelihood(const pmk_rbm *m, const gsl_matrix *V, double *out,
                              pmk_error *err)
{
    return rbm_pseudo_likelihood_rows(m, V, NULL, 1, out, err);
}

int pmk_rbm_pseudo_likelihood_1bit(const pmk_rbm *m, const gsl_matrix *V,
                                   pmk_rng *r, double *out, pmk_error *err)
{
    return rbm_pseudo_likelihood_rows(m, V, r, 1, out, err);
}

int pmk_rbm_pseudo_likelihood_threads(const pmk_rbm *m, const gsl_matrix *V, int threads,
                                      double *out, pmk_error *err)
{
    if (pmk_threads_check(threads, err))
        return PMK_EINVAL;
    return rbm_pseudo_likelihood_rows(m, V, NULL, threads, out, err);
}

int pmk_rbm_pseudo_likelihood_1bit_threads(const pmk_rbm *m, const gsl_matrix *V, int threads,
                                           pmk_rng *r, double *out, pmk_error *err)
{
    if (pmk_threads_check(threads, err))
        return PMK_EINVAL;
    return rbm_pseudo_likelihood_rows(m, V, r, threads, out, err);
}

/* ---------------------------------------------------------------- exact log Z */

/* Enumerating the hidden layer (K = H states bits, the other layer L = D):
 *   log Z = logsumexp_{h in {0,1}^H} [a'h + sum_i softplus(b_i + (W h)_i)],
 * and with the roles swapped for the visible layer.  States go in blocks of
 * min(2^K, 4096) rows S (nb x K), G = S A' (nb x L) by one GEMM, then one term
 * per row and the block's log-sum-exp; the blocks are shared among the
 * threads and their sums merged with a running log-sum-exp in block order,
 * so the result is the same bits for any thread count. */
typedef struct exact_ctx {
    const pmk_rbm *m;
    int hidden;
    size_t K, L, block;
    const gsl_vector *ck, *cl;   /* biases of the enumerated, the summed-out layer */
} exact_ctx;

static int exact_block(const exact_ctx *c, size_t s0, gsl_matrix *S, gsl_matrix *G, double *val,
                       double *part)
{
    for (size_t r = 0; r < c->block; r++) {
        size_t s = s0 + r;
        double *row = gsl_matrix_ptr(S, r, 0);
        for (size_t k = 0; k < c->K; k++)
            row[k] = (double)((s >> k) & 1u);
    }
    /* hidden: G = S W' (block x D); visible: G = S W (block x H) */
    int rc = pmk_gemm(CblasNoTrans, c->hidden ? CblasTrans : CblasNoTrans, 1.0, S, c->m->W, 0.0,
                      G);
    if (rc)
        return rc;
    for (size_t r = 0; r < c->block; r++) {
        const double *srow = gsl_matrix_const_ptr(S, r, 0);
        const double *grow = gsl_matrix_const_ptr(G, r, 0);
        double t = 0.0;
        for (size_t k = 0; k < c->K; k++)
            t += gsl_vector_get(c->ck, k) * srow[k];
        for (size_t l = 0; l < c->L; l++)
            t += pmk_softplus(gsl_vector_get(c->cl, l) + grow[l]);
        val[r] = t;
    }
    *part = pmk_logsumexp(val, c->block, 1);
    return PMK_OK;
}

int rbm_log_z_exact_rows(const pmk_rbm *m, int threads, double *log_z, pmk_error *err)
{
    if (m->visible)
        return rbm_gauss_log_z_exact(m, threads, log_z, err);
    int hidden = m->h <= m->d;
    size_t K = hidden ? m->h : m->d, L = hidden ? m->d : m->h;
    if (K > PMK_RBM_EXACT_MAX)
        return pmk_error_set(err, PMK_ELIMIT,
                             "exact log Z needs a layer of at most %d units, but the "
                             "smaller layer has %zu; use AIS",
                             PMK_RBM_EXACT_MAX, K);
    size_t nstates = (size_t)1 << K;
    exact_ctx c = {m, hidden, K, L, nstates < 4096 ? nstates : 4096,
                   hidden ? m->a : m->b, hidden ? m->b : m->a};
    size_t nblk = nstates / c.block;   /* both powers of 2 */
    double *parts = malloc(nblk * sizeof *parts);
    int *brc = calloc(nblk, sizeof *brc);
    if (!parts || !brc) {
        free(parts);
        free(brc);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory computing log Z");
    }
    int T = pmk_threads_resolve(threads);
    if ((size_t)T > nblk)
        T = (int)nblk;
    (void)T;   /* without OpenMP: one thread, the same result */
#pragma omp parallel num_threads(T) if (T > 1)
    {
        gsl_matrix *S = gsl_matrix_alloc(c.block, K), *G = gsl_matrix_alloc(c.block, L);
        double *val = malloc(c.block * sizeof *val);
#pragma omp for schedule(dynamic, 1)
        for (size_t b = 0; b < nblk; b++)
            brc[b] = !S || !G || !val ? PMK_ENOMEM
                                      : exact_block(&c, b * c.block, S, G, val, parts + b);
        rbm_matrix_free(S);
        rbm_matrix_free(G);
        free(val);
    }
    double total = -INFINITY;
    int rc = PMK_OK;
    for (size_t b = 0; b < nblk && !rc; b++) {
        if ((rc = brc[b]) == PMK_ENOMEM)
            rc = pmk_error_set(err, rc, "out of memory computing log Z");
        else if (rc)
            rc = pmk_error_set(err, rc, "log Z: %s", pmk_strerror(rc));
        double pair[2] = {total, parts[b]};
        if (!rc)
            total = pmk_logsumexp(pair, 2, 1);
    }
    free(parts);
    free(brc);
    if (rc)
        return rc;
    if (!isfinite(total))
        return pmk_error_set(err, PMK_ENUMERIC, "log Z is not finite");
    *log_z = total;
    return PMK_OK;
}

int pmk_rbm_log_z_exact(const pmk_rbm *m, double *log_z, pmk_error *err)
{
    return rbm_log_z_exact_rows(m, 1, log_z, err);
}

/* ---------------------------------------------------------------- AIS */

void pmk_rbm_ais_options_init_default(pmk_rbm_ais_options *o)
{
    o->runs = 100;
    o->n_betas[0] = 500;
    o->n_betas[1] = 4000;
    o->n_betas[2] = 10000;
    o->progress = NULL;
    o->progress_ctx = NULL;
    o->threads = 0;
    o->part = 0;
    o->parts = 1;
    o->reduce = NULL;
    o->reduce_ctx = NULL;
}

int pmk_rbm_ais_options_check(const pmk_rbm_ais_options *o, pmk_error *err)
{
    if (o->runs < 2)
        return pmk_error_set(err, PMK_EINVAL, "AIS needs at least 2 runs");
    if (pmk_threads_check(o->threads, err))
        return PMK_EINVAL;
    if (o->parts < 1 || o->part >= o->parts)
        return pmk_error_set(err, PMK_EINVAL, "AIS: part %zu of %zu parts: need part < parts",
                             o->part, o->parts);
    /* each count at most 10^7, so that their sum cannot wrap */
    for (int s = 0; s < 3; s++)
        if (o->n_betas[s] > 10000000)
            return pmk_error_set(err, PMK_EINVAL,
                                 "AIS: %zu intermediate distributions on one interval exceed "
                                 "the limit of 10000000", o->n_betas[s]);
    if (o->n_betas[0] + o->n_betas[1] + o->n_betas[2] == 0)
        return pmk_error_set(err, PMK_EINVAL, "AIS needs at least 1 intermediate distribution");
    return PMK_OK;
}

/* The binary path's state: the runs' visible rows V (M x D), Xh and Hs
 * (M x H), bd = b - bA, the visible biases bb and bA, the hidden biases. */
typedef struct bais {
    const pmk_rbm *m;
    gsl_matrix *V, *Xh, *Hs;
    double *bd, *bb, *ba, *aa;   /* D, D, D, H */
} bais;

/* v_1 ~ p_0 = p_A for run q. */
static void bais_start(void *ctx, size_t q, pmk_rng *r)
{
    const bais *g = ctx;
    double *v = gsl_matrix_ptr(g->V, q, 0);
    for (size_t i = 0; i < g->m->d; i++)
        v[i] = pmk_rng_uniform(r) < pmk_sigmoid(g->ba[i]) ? 1.0 : 0.0;
}

/* One AIS step k for the runs [n0, n0 + n) (one block, on one thread):
 * Xh = V W + a, log w += log p*_k(v) - log p*_{k-1}(v), then unless @p last
 * the Gibbs sweep T_k, every draw from the run's own stream rs[q]. */
static int bais_block(void *ctx, size_t n0, size_t n, double bk, double bp, int last,
                      pmk_rng **rs, double *logw)
{
    const bais *g = ctx;
    const pmk_rbm *m = g->m;
    size_t D = m->d, H = m->h;
    gsl_matrix_view Vb = gsl_matrix_submatrix(g->V, n0, 0, n, D);
    gsl_matrix_view Xb = gsl_matrix_submatrix(g->Xh, n0, 0, n, H);
    gsl_matrix_view Hb = gsl_matrix_submatrix(g->Hs, n0, 0, n, H);
    int rc = pmk_gemm(CblasNoTrans, CblasNoTrans, 1.0, &Vb.matrix, m->W, 0.0, &Xb.matrix);
    if (rc)
        return rc;
    for (size_t q = n0; q < n0 + n; q++) {
        const double *v = gsl_matrix_const_ptr(g->V, q, 0);
        double *x = gsl_matrix_ptr(g->Xh, q, 0);
        double t = 0.0;
        for (size_t i = 0; i < D; i++)
            t += g->bd[i] * v[i];
        t *= bk - bp;
        for (size_t j = 0; j < H; j++) {
            x[j] += g->aa[j];
            t += pmk_softplus(bk * x[j]) - pmk_softplus(bp * x[j]);
        }
        logw[q] += t;
    }
    if (last)
        return PMK_OK;
    /* T_k: h ~ sigmoid(beta_k x), then v ~ sigmoid((1-beta_k) bA + beta_k (W h + b)) */
    for (size_t q = n0; q < n0 + n; q++) {
        const double *x = gsl_matrix_const_ptr(g->Xh, q, 0);
        double *hrow = gsl_matrix_ptr(g->Hs, q, 0);
        for (size_t j = 0; j < H; j++)
            hrow[j] = pmk_rng_uniform(rs[q]) < pmk_sigmoid(bk * x[j]) ? 1.0 : 0.0;
    }
    if ((rc = pmk_gemm(CblasNoTrans, CblasTrans, 1.0, &Hb.matrix, m->W, 0.0, &Vb.matrix)))
        return rc;
    for (size_t q = n0; q < n0 + n; q++) {
        double *v = gsl_matrix_ptr(g->V, q, 0);
        for (size_t i = 0; i < D; i++) {
            double in = (1.0 - bk) * g->ba[i] + bk * (v[i] + g->bb[i]);
            v[i] = pmk_rng_uniform(rs[q]) < pmk_sigmoid(in) ? 1.0 : 0.0;
        }
    }
    return PMK_OK;
}

/* Annealed importance sampling (Neal 2001; Salakhutdinov & Murray 2008, sec. 3).
 * Base model A: no hidden units, W = 0, visible biases bA (data base rates), so
 *   Z_A = prod_i (1 + e^{bA_i}) and v ~ p_A draws each bit from sigmoid(bA_i).
 * The path, with x = W'v + a of the target B (the B hidden units summed out):
 *   log p*_k(v) = (1 - beta_k) bA'v + beta_k b'v + sum_j softplus(beta_k x_j),
 * so p*_0 = 2^H p*_A (Z_0 = 2^H Z_A) and p*_K = p*_B (Z_K = Z_B).
 * Run: v_1 ~ p_0; for k = 1..K: log w += log p*_k(v_k) - log p*_{k-1}(v_k), then
 * (k < K) v_{k+1} ~ T_k(v_k), one Gibbs sweep leaving p_k invariant:
 *   h_j ~ sigmoid(beta_k x_j),  v_i ~ sigmoid((1 - beta_k) bA_i + beta_k (Wh + b)_i).
 * Then Z_B / Z_0 ~= mean_m w_m, log Z_B ~= log Z_A + H log 2 + log mean w, and
 * the interval uses sigma^ = std(w) / sqrt(M).  The M runs go as the rows of an
 * M x D matrix, in blocks of RBM_AIS_BLOCK rows, so each sweep of a block is
 * two GEMMs (16 x D by D x H, 16 x H by H x D): rbm_ais_drive. */
void rbm_ais_schedule(const pmk_rbm_ais_options *o, double *beta)
{
    /* n_betas[s] equal steps across each of the three segments */
    const double edge[4] = {0.0, 0.5, 0.9, 1.0};
    size_t k = 0;
    beta[k++] = 0.0;
    for (int s = 0; s < 3; s++)
        for (size_t t = 1; t <= o->n_betas[s]; t++)
            beta[k++] = edge[s] + (edge[s + 1] - edge[s]) * (double)t / (double)o->n_betas[s];
    beta[k - 1] = 1.0;
}

int rbm_ais_estimate(const double *logw, size_t M, size_t K, double log_za,
                     pmk_rbm_ais_result *out, pmk_error *err)
{
    double L = -INFINITY;
    for (size_t n = 0; n < M; n++)
        if (logw[n] > L)
            L = logw[n];
    if (!isfinite(L))
        return pmk_error_set(err, PMK_ENUMERIC, "AIS: the importance weights are not finite");
    double mean = 0.0, var = 0.0;
    for (size_t n = 0; n < M; n++)
        mean += exp(logw[n] - L);
    mean /= (double)M;
    for (size_t n = 0; n < M; n++) {
        double d = exp(logw[n] - L) - mean;
        var += d * d;
    }
    var /= (double)(M - 1);
    double sigma = sqrt(var / (double)M);
    out->log_z_base = log_za;
    out->log_z = log_za + L + log(mean);
    out->log_z_hi = log_za + L + log(mean + 3.0 * sigma);
    out->log_z_lo = mean - 3.0 * sigma > 0.0 ? log_za + L + log(mean - 3.0 * sigma) : -INFINITY;
    out->runs = M;
    out->steps = K;
    return PMK_OK;
}

int rbm_ais_drive(const pmk_rbm_ais_options *o, pmk_rng *r, const double *beta,
                  double log_z0, const rbm_ais_path *path, double *logw,
                  pmk_rbm_ais_result *out, pmk_error *err)
{
    const size_t M = o->runs, K = o->n_betas[0] + o->n_betas[1] + o->n_betas[2];
    /* Each run draws from its own stream, seeded from r in run order, and
     * the runs go in fixed blocks of RBM_AIS_BLOCK rows (their GEMMs' shapes
     * fixed too): the estimate is the same for any number of threads. */
    const size_t B = RBM_AIS_BLOCK, nblk = (M + B - 1) / B;
    /* this part's blocks [b0, b1), runs [n0, n1) (o->parts workers) */
    size_t b0 = nblk * o->part / o->parts, b1 = nblk * (o->part + 1) / o->parts;
    size_t n0 = b0 * B, n1 = b1 * B < M ? b1 * B : M;
    int rc = PMK_OK;
    pmk_rng **rs = calloc(M, sizeof *rs);
    int *brc = calloc(nblk, sizeof *brc);
    for (size_t n = 0; rs && n < M; n++) {   /* every seed drawn, in run order */
        unsigned long seed = gsl_rng_get(pmk_rng_gsl(r));
        if (n >= n0 && n < n1 && !(rs[n] = pmk_rng_alloc(gsl_rng_taus2, seed)))
            rc = PMK_ENOMEM;
    }
    if (rc || !rs || !brc) {
        rc = pmk_error_set(err, PMK_ENOMEM, "out of memory for AIS");
        goto done;
    }
    for (size_t n = n0; n < n1; n++)   /* v_1 ~ p_0 */
        path->start(path->ctx, n, rs[n]);
    int T = pmk_threads_resolve(o->threads);
    (void)T;   /* without OpenMP: one thread, the same result */
    for (size_t k = 1; k <= K && !rc; k++) {
        double bk = beta[k], bp = beta[k - 1];
        int last = k == K;
        /* round robin: the last, short block is not on the thread that
         * has the most blocks (100 runs on 2 threads: 52 and 48 runs) */
#pragma omp parallel for schedule(static, 1) num_threads(T)
        for (size_t blk = b0; blk < b1; blk++)
            brc[blk] = path->block(path->ctx, blk * B, blk + 1 < nblk ? B : M - blk * B, bk, bp,
                                   last, rs, logw);
        for (size_t blk = b0; blk < b1 && !rc; blk++)
            if ((rc = brc[blk]))
                rc = pmk_error_set(err, rc, "AIS: %s", pmk_strerror(rc));
        if (!rc)   /* non-zero: the callback stopped the run, its status */
            rc = pmk_progress_tell(o->progress, o->progress_ctx, "AIS", k, K, "beta steps", err);
    }
    if (!rc && o->reduce)
        rc = o->reduce(logw, M, o->reduce_ctx, err);
    if (!rc)
        rc = rbm_ais_estimate(logw, M, K, log_z0, out, err);
done:
    for (size_t n = 0; rs && n < M; n++)
        pmk_rng_free(rs[n]);
    CORE_FREE(rs, brc);
    return rc;
}

int pmk_rbm_log_z_ais(const pmk_rbm *m, const gsl_matrix *X,
                      const pmk_rbm_ais_options *o, pmk_rng *r,
                      pmk_rbm_ais_result *out, pmk_error *err)
{
    pmk_rbm_ais_options def;
    if (!o) {
        pmk_rbm_ais_options_init_default(&def);
        o = &def;
    }
    size_t K = o->n_betas[0] + o->n_betas[1] + o->n_betas[2];
    int rc = pmk_rbm_ais_options_check(o, err);
    if (rc)
        return rc;
    if (X && X->size2 != m->d)
        return pmk_error_set(err, PMK_EDATA,
                             "the data have %zu columns but the model has %zu visible units",
                             X->size2, m->d);
    if (m->visible)
        return rbm_gauss_log_z_ais(m, X, o, r, out, err);
    size_t M = o->runs, D = m->d, H = m->h;
    /* The runs' states V (M x D), Xh and Hs (M x H each) and weights, and
     * the schedule: all sized by the options, so checked first. */
    unsigned long long per_run = rbm_sat_add(D, rbm_sat_add(rbm_sat_mul(2, H), 1));
    unsigned long long need = rbm_sat_mul(8, rbm_sat_add(rbm_sat_mul(M, per_run),
                                                 rbm_sat_add(K + 1, rbm_sat_mul(4, D) + H)));
    char what[64];
    snprintf(what, sizeof what, "AIS with %zu runs", M);
    if ((rc = pmk_mem_check(NULL, 0, 0, need, what, err)))
        return rc;
    double *beta = malloc((K + 1) * sizeof *beta), *logw = calloc(M, sizeof *logw);
    double *vec = malloc((3 * D + H) * sizeof *vec);
    gsl_vector *bA = gsl_vector_alloc(D);
    bais g = {m, gsl_matrix_alloc(M, D), gsl_matrix_alloc(M, H), gsl_matrix_alloc(M, H),
              NULL, NULL, NULL, NULL};
    if (!beta || !logw || !vec || !bA || !g.V || !g.Xh || !g.Hs) {
        rc = pmk_error_set(err, PMK_ENOMEM, "out of memory for AIS");
        goto done;
    }
    rbm_ais_schedule(o, beta);
    pmk_rbm_base_rates(X, bA);
    double log_za = (double)H * M_LN2;
    g.bd = vec, g.bb = vec + D, g.ba = vec + 2 * D, g.aa = vec + 3 * D;
    for (size_t i = 0; i < D; i++) {
        log_za += pmk_softplus(gsl_vector_get(bA, i));
        g.bb[i] = gsl_vector_get(m->b, i);
        g.ba[i] = gsl_vector_get(bA, i);
        g.bd[i] = g.bb[i] - g.ba[i];
    }
    for (size_t j = 0; j < H; j++)
        g.aa[j] = gsl_vector_get(m->a, j);
    rbm_ais_path path = {&g, bais_start, bais_block};
    rc = rbm_ais_drive(o, r, beta, log_za, &path, logw, out, err);
done:
    CORE_FREE(beta, logw, vec);
    rbm_vector_free(bA);
    rbm_matrix_free(g.V);
    rbm_matrix_free(g.Xh);
    rbm_matrix_free(g.Hs);
    return rc;
}

/* ---------------------------------------------------------------- all figures */

int pmk_rbm_evaluate(const pmk_rbm *m, const gsl_matrix *V, int log_z_method,
                     const pmk_rbm_ais_options *ao, pmk_rng *r, pmk_rbm_evaluation *out,
                     pmk_error *err)
{
    pmk_rbm_evaluation e = {.n = V->size1, .log_z_method = log_z_method, .log_z = NAN};
    if (log_z_method < PMK_RBM_LOG_Z_NONE || log_z_method > PMK_RBM_LOG_Z_AIS)
        return pmk_error_set(err, PMK_EINVAL, "unknown log Z method %d", log_z_method);
    /* in this order, which fixes the draws from r: exact log Z first, so that
     * a layer too wide for it is refused before any work */
    int rc, T = ao ? ao->threads : 0;   /* every figure on the AIS options' threads */
    if ((log_z_method == PMK_RBM_LOG_Z_EXACT && (rc = rbm_log_z_exact_rows(m, T, &e.log_z, err)))
        || (rc = rbm_recon_error_rows(m, V, r, T, &e.recon_error, err))
        || (rc = rbm_pseudo_likelihood_rows(m, V, NULL, T, &e.pseudo_likelihood, err))
        || (rc = rbm_pseudo_likelihood_rows(m, V, r, T, &e.pseudo_likelihood_1bit, err))
        || (rc = rbm_free_energy_rows(m, V, T, NULL, &e.mean_free_energy, err))
        || (log_z_method == PMK_RBM_LOG_Z_AIS
            && (rc = pmk_rbm_log_z_ais(m, V, ao, r, &e.ais, err))))
        return rc;
    if (V->size1)
        e.mean_free_energy /= (double)V->size1;
    else
        e.mean_free_energy = NAN;
    if (log_z_method == PMK_RBM_LOG_Z_AIS)
        e.log_z = e.ais.log_z;
    e.mean_log_prob = -e.mean_free_energy - e.log_z;
    e.log_jacobian = pmk_rbm_log_jacobian(m);
    e.mean_log_density = m->visible ? e.mean_log_prob + e.log_jacobian : NAN;
    *out = e;
    return PMK_OK;
}
