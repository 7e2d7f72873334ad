/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_step.c: one CD-k / PCD-k / tempering update of the single-precision
 * trainer (rbm_train.c) on pmk's own threads, OpenBLAS on one.
 *
 * The update on a minibatch V0 (n x D), following Hinton's rbm.m and his
 * practical guide (2010), and Tieleman (2008) for PCD:
 *   positive:  PH0 = sigmoid(V0 W + a)            (n x H, GEMM 1)
 *              H   ~ Bernoulli(PH0)               (CD; PCD starts from its P chains)
 *   chain, s = 1..k:
 *              PV  = sigmoid(H W' + b)            (GEMM 2)
 *              V   = Bernoulli(PV) when s < k or PCD; CD's last step keeps V = PV
 *              PH  = sigmoid(V W + a)             (GEMM 3)
 *              H   ~ Bernoulli(PH) when s < k, and always for PCD (the new chains)
 *   update, mu the momentum, eps the learning rate, lambda the weight cost:
 *              dW <- mu dW - eps lambda W + eps (V0'PH0 / n - V'PH / P)   (the
 *                    first two terms beside the data rows, GEMMs 4, 5 onto them)
 *              db <- mu db + eps (mean_rows V0 - mean_rows V)
 *              da <- mu da + eps (mean_rows PH0 - mean_rows PH)
 *              W += dW, b += db, a += da.
 * P = n for CD, the number of chains for PCD.  The reconstruction error of
 * rbm.m, sum (V0 - sigmoid(H0 W' + b))^2, comes from GEMM 2 of CD's first
 * step.
 *
 * Threads.  Every row of the positive phase and of a chain depends only on
 * its own row and on W, so one parallel region per minibatch gives each
 * thread a contiguous run of RBM_GRAIN-row blocks of the data rows (and of
 * the chains): it gathers its rows of the minibatch (rbm_source), then takes
 * them through GEMMs 1-3 and the sigmoids and draws between them, on a
 * working set of a few blocks that stays in cache.  A thread with fewer
 * rows than another (48 + 52 on two) then gives the rows of dW it will
 * update their momentum and decay (momentum_rows).  After a barrier each
 * thread takes its run of rows of D for GEMMs 4 and 5 (K = the whole
 * batch; the momentum first where not done), W += dW and the visible
 * biases, and its run of columns of H for the hidden biases.  Every column
 * sum runs over the rows in order, and every row's draws come from its own
 * streams, functions of (seed, epoch, minibatch, row) (rbm_stream): nothing
 * depends on the thread count but the GEMM calls' row ranges (see
 * RBM_GRAIN).  The row kernels (core/vecf.c) work on 16-float vectors (one
 * AVX-512 register, two AVX2 ones or four SSE2 ones, the same bits at each):
 * the sigmoid (Cephes' expf, relative error below 1e-7) fused with the
 * Bernoulli draws (16 xoshiro128** lanes a row) or the reconstruction error,
 * while each row is in cache. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "pmk/rbm.h"
#include "models/rbm_train_internal.h"
#include "core/core_internal.h"

/* ---------------------------------------------------------------- float kernels */

/* ---------------------------------------------------------------- streams */

/* The finaliser of splitmix64 (Steele, Lea & Flood 2014). */
static inline uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

void rbm_stream(const pmk_rbm_trainer *t, unsigned dom, uint64_t row, vecf_xo16 *xb, xo4 *x4)
{
    uint64_t z = mix64(((uint64_t)t->key[0] << 32 | t->key[1]) + 0x9e3779b97f4a7c15u);
    z = mix64(z ^ ((uint64_t)t->key[2] << 32 | t->key[3]));
    z = mix64(z ^ t->step);
    z = mix64(z ^ ((uint64_t)dom << 56 | row));
    uint32_t w[80];   /* splitmix64's sequence from z: 64 words for xb, 16 for x4 */
    for (int i = 0; i < (x4 ? 80 : 64); i += 2) {
        uint64_t v = mix64(z += 0x9e3779b97f4a7c15u);
        w[i] = (uint32_t)v;
        w[i + 1] = (uint32_t)(v >> 32);
    }
    if (xb)
        vecf_xo16_seed(xb, w);
    if (!x4)
        return;
    const uint32_t *q = w + 64;
    for (int l = 0; l < 4; l++) {   /* lane l: words 4l..4l+3; never all zero */
        x4->s0[l] = q[4 * l] | !(q[4 * l] | q[4 * l + 1] | q[4 * l + 2] | q[4 * l + 3]);
        x4->s1[l] = q[4 * l + 1];
        x4->s2[l] = q[4 * l + 2];
        x4->s3[l] = q[4 * l + 3];
    }
}

/* ---------------------------------------------------------------- blocks */

/* Thread @p id of @p T: rows [*lo, *hi) of n, whole RBM_GRAIN blocks. */
static void share(size_t n, int T, int id, size_t *lo, size_t *hi)
{
    size_t nb = (n + RBM_GRAIN - 1) / RBM_GRAIN;
    size_t b0 = nb * (size_t)id / (size_t)T, b1 = nb * (size_t)(id + 1) / (size_t)T;
    *lo = b0 * RBM_GRAIN < n ? b0 * RBM_GRAIN : n;
    *hi = b1 * RBM_GRAIN < n ? b1 * RBM_GRAIN : n;
}

/* The most rows share gives one of @p T threads. */
static size_t most_rows(size_t n, int T)
{
    size_t lo, hi, most = 0;
    for (int i = 0; i < T; i++) {
        share(n, T, i, &lo, &hi);
        most = hi - lo > most ? hi - lo : most;
    }
    return most;
}

/* C (m x N, rows ldc apart) <- alpha A B + beta C, A m x K (or K x m when
 * @p ta), row-major; shapes checked by the caller. */
static void sgemm(int ta, int tb, size_t m, size_t N, size_t K, float alpha, const float *A,
                  size_t lda, const float *B, size_t ldb, float beta, float *C, size_t ldc)
{
    core_blas_get()->sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans,
                           tb ? CblasTrans : CblasNoTrans, (int)m, (int)N, (int)K, alpha, A,
                           (int)lda, B, (int)ldb, beta, C, (int)ldc);
}

#define ROW(M, r) ((M)->data + (r) * (M)->tda)

/* The streams of a domain's rows: row r's at xb[r] (and at xs[r] for
 * Gaussian draws). */
typedef struct streams {
    vecf_xo16 *xb;
    xo4 *xs;
} streams;

static streams streams_at(const pmk_rbm_trainer *t, size_t off)
{
    return (streams){t->xb + off, t->xs ? t->xs + off : NULL};
}

static void streams_seed(const pmk_rbm_trainer *t, unsigned dom, uint64_t row0, streams st,
                         size_t lo, size_t hi)
{
    for (size_t r = lo; r < hi; r++)
        rbm_stream(t, dom, row0 + r, st.xb + r, st.xs ? st.xs + r : NULL);
}

/* PV rows [lo, hi) <- the visible means from the hidden states Hc (rows lo..,
 * H apart), beta times W: sigmoid(beta Hc W' + c) or Hc W' + c (Gaussian);
 * with @p V0, also each row's squared error sum_i (V0_ri - PV_ri)^2 in recon
 * (in the same pass for binary units). */
static void visible_means(const pmk_rbm_trainer *t, const float *Hc, size_t lo, size_t hi,
                          float beta, const float *c, const gsl_matrix_float *V0)
{
    const size_t D = t->d, H = t->h;
    sgemm(0, 1, hi - lo, D, H, beta, Hc, H, t->W->data, H, 0.0f, ROW(t->PV, lo), D);
    for (size_t r = lo; r < hi; r++) {
        float *p = ROW(t->PV, r);
        if (!t->gauss) {
            if (V0)
                t->recon[r] = vecf_sigmoid_sqerr(t->simd, p, c, ROW(V0, r), D);
            else
                vecf_sigmoid(t->simd, p, c, D);
            continue;
        }
        rbm_add_bias_row_f(p, c, D);
        if (V0) {
            const float *v = ROW(V0, r);
            float s = 0.0f;
            for (size_t i = 0; i < D; i++)
                s += (v[i] - p[i]) * (v[i] - p[i]);
            t->recon[r] = s;
        }
    }
}

/* PH rows [lo, hi) of @p Out <- sigmoid(beta V W + c), V rows lo.. (D
 * apart); with @p S, S rows [lo, hi) ~ Bernoulli(PH) in the same pass, row r
 * from stream xb[r]. */
static void hidden_probs(const pmk_rbm_trainer *t, const float *V, gsl_matrix_float *Out,
                         size_t lo, size_t hi, float beta, const float *c, gsl_matrix_float *S,
                         vecf_xo16 *xb)
{
    sgemm(0, 0, hi - lo, t->h, t->d, beta, V, t->d, t->W->data, t->h, 0.0f, ROW(Out, lo), t->h);
    for (size_t r = lo; r < hi; r++) {
        if (S)
            vecf_sigmoid_draw(t->simd, ROW(Out, r), c, ROW(S, r), t->h, xb + r);
        else
            vecf_sigmoid(t->simd, ROW(Out, r), c, t->h);
    }
}

/* Draws V rows [lo, hi) (V's first row is row lo) from PV's, Bernoulli or
 * Gaussian. */
static void visible_draw(const pmk_rbm_trainer *t, float *V, size_t lo, size_t hi, streams st)
{
    for (size_t r = lo; r < hi; r++) {
        float *v = V + (r - lo) * t->d;
        if (t->gauss)
            rbm_gauss_draw_row_f(ROW(t->PV, r), v, t->d, st.xs + r);
        else
            vecf_bernoulli(t->simd, ROW(t->PV, r), v, t->d, st.xb + r);
    }
}

/* The data rows [lo, hi): gathered from @p src when given, then GEMMs 1-3
 * and CD's chain (PCD and tempering: the positive phase and the
 * reconstruction only). */
static int data_rows(pmk_rbm_trainer *t, size_t lo, size_t hi, const gsl_matrix_float *h0,
                     const rbm_source *src, pmk_error *err)
{
    const size_t H = t->h;
    const float *c = t->sg ? t->sg->c : t->b->data;
    const streams st = streams_at(t, 0);
    int rc;
    if (src && (rc = src->fill(src->ctx, src->idx, lo, hi, ROW(t->V0, lo), err)))
        return rc;
    streams_seed(t, RBM_DOM_DATA, t->row0, st, lo, hi);
    hidden_probs(t, ROW(t->V0, lo), t->PH0, lo, hi, 1.0f, t->a->data, h0 ? NULL : t->Hs, st.xb);
    for (size_t r = lo; r < hi && h0; r++)
        memcpy(ROW(t->Hs, r), h0->data + r * h0->tda, H * sizeof(float));
    visible_means(t, ROW(t->Hs, lo), lo, hi, 1.0f, c, t->V0);
    if (t->p || t->M)
        return PMK_OK;
    for (size_t s = 1; s <= t->k; s++) {   /* CD: the chain from the data's h */
        if (s > 1)
            visible_means(t, ROW(t->Hs, lo), lo, hi, 1.0f, c, NULL);
        const float *Vk = ROW(t->PV, lo);
        if (s < t->k) {
            visible_draw(t, ROW(t->Vs, lo), lo, hi, st);
            Vk = ROW(t->Vs, lo);
        }
        hidden_probs(t, Vk, t->PH, lo, hi, 1.0f, t->a->data, s < t->k ? t->Hs : NULL, st.xb);
    }
    return PMK_OK;
}

/* PCD: chains [lo, hi), k Gibbs steps each. */
static void chain_rows(pmk_rbm_trainer *t, size_t lo, size_t hi)
{
    const float *c = t->sg ? t->sg->c : t->b->data;
    const streams st = streams_at(t, t->batch);
    streams_seed(t, RBM_DOM_CHAIN, 0, st, lo, hi);
    for (size_t s = 1; s <= t->k; s++) {
        visible_means(t, ROW(t->chains, lo), lo, hi, 1.0f, c, NULL);
        visible_draw(t, ROW(t->Vs, lo), lo, hi, st);
        hidden_probs(t, ROW(t->Vs, lo), t->PH, lo, hi, 1.0f, t->a->data, t->chains, st.xb);
    }
}

/* ---------------------------------------------------------------- tempering
 *
 * Parallel tempering (Desjardins, Courville, Bengio, Vincent & Delalleau
 * 2010, "Tempered Markov chain Monte Carlo for training of restricted
 * Boltzmann machines"): M replicas r of P chains each sample
 *   p_r(v, h) ~ exp(-beta_r E(v, h)),  0 <= beta_0 < ... < beta_{M-1} = 1,
 * by k Gibbs steps per update (h ~ sigmoid(beta_r (W'v + a)), v ~
 * sigmoid(beta_r (Wh + b)): the model's conditionals at beta_r).  Then each
 * neighbouring pair (r, r+1), r = 0..M-2 in turn, swaps chain c's states with
 * the Metropolis probability
 *   min(1, exp((beta_{r+1} - beta_r) (E(x_{r+1}) - E(x_r)))),
 * E(v, h) = -v'Wh - b'v - a'h, which leaves the product of the p_r
 * invariant.  The beta = 1 replica's v (after the swaps) and p(h | v) make the
 * negative statistics, as PCD's chains do.  The chains keep their h across
 * updates (nch = M P rows, replica r in rows r P .. r P + P - 1).  The Gibbs
 * steps and energies run on the threads (rows [lo, hi) of every replica), the
 * swaps on one, from their own stream. */

/* Replica r's chains [lo, hi) of P: k Gibbs steps at beta_r, then E(v, h). */
static void pt_rows(pmk_rbm_trainer *t, size_t r, size_t lo, size_t hi)
{
    const size_t P = t->p, D = t->d, H = t->h, o = r * P;
    const float beta = t->betas[r];
    gsl_matrix_float_view Hr = gsl_matrix_float_submatrix(t->chains, o, 0, P, H);
    const streams st = streams_at(t, t->batch + o);
    streams_seed(t, RBM_DOM_CHAIN, o, st, lo, hi);
    for (size_t s = 0; s < t->k; s++) {
        visible_means(t, ROW(&Hr.matrix, lo), lo, hi, beta, ROW(t->bb, r), NULL);
        visible_draw(t, ROW(t->ptv, o + lo), lo, hi, st);
        hidden_probs(t, ROW(t->ptv, o + lo), t->PH, lo, hi, beta, ROW(t->ab, r), &Hr.matrix,
                     st.xb);
    }
    /* E(v, h) = -h'(W'v + a) - b'v, with W'v from one more GEMM */
    sgemm(0, 0, hi - lo, H, D, 1.0f, ROW(t->ptv, o + lo), D, t->W->data, H, 0.0f,
          ROW(t->PH, lo), H);
    for (size_t c = lo; c < hi; c++) {
        const float *v = ROW(t->ptv, o + c), *x = ROW(t->PH, c), *h = ROW(&Hr.matrix, c);
        double e = 0.0;
        for (size_t j = 0; j < H; j++)
            e += (double)h[j] * ((double)x[j] + t->a->data[j]);
        for (size_t i = 0; i < D; i++)
            e += (double)v[i] * t->b->data[i];
        t->energy[o + c] = -e;
    }
}

/* Swaps row @p x and row @p y of A. */
static void swap_rows(gsl_matrix_float *A, size_t x, size_t y)
{
    float *p = ROW(A, x), *q = ROW(A, y);
    for (size_t j = 0; j < A->size2; j++) {
        float s = p[j];
        p[j] = q[j];
        q[j] = s;
    }
}

/* The swaps between neighbouring replicas, in order, one uniform from the
 * minibatch's swap stream per proposal that may be refused. */
static void pt_swaps(pmk_rbm_trainer *t)
{
    const size_t P = t->p, M = t->M;
    xo4 x;
    rbm_stream(t, RBM_DOM_SWAP, 0, NULL, &x);
    rbm_v4su u = {0};
    unsigned used = 4;
    for (size_t r = 0; r + 1 < M; r++)
        for (size_t c = 0; c < P; c++) {
            size_t a = r * P + c, b = a + P;
            double d = ((double)t->betas[r + 1] - t->betas[r]) * (t->energy[b] - t->energy[a]);
            if (d < 0) {
                if (used == 4) {
                    u = xo4_next(&x) >> 8;
                    used = 0;
                }
                if ((double)u[used++] * 0x1p-24 >= exp(d))
                    continue;
            }
            swap_rows(t->chains, a, b);
            swap_rows(t->ptv, a, b);
            double e = t->energy[a];
            t->energy[a] = t->energy[b];
            t->energy[b] = e;
            t->swaps[r]++;
        }
    t->tries += P;
}

/* ---------------------------------------------------------------- the step */

/* The sparsity target (Hinton 2010, sec. 11; Lee, Ekanadham & Ng 2008), after
 * the update, with the column sums of PH0 (n x H) and V0 at hand:
 *   q_j <- decay q_j + (1 - decay) mean_rows PH0_j   (q_j = that mean at first)
 *   g_j  = eps lambda (p - q_j),   the cross-entropy penalty's gradient on
 *          the total input of hidden unit j,
 *   da_j += g_j, a_j += g_j,   dW_ij += g_j vbar_i, W_ij += g_j vbar_i,
 * vbar the minibatch's mean visible vector (D).  Added to the increments as
 * well, so that the momentum carries it as it carries the gradient. */
static void sparsity_step(pmk_rbm_trainer *t, size_t n, float *g)
{
    const size_t D = t->d, H = t->h;
    const float *sv0 = t->sums, *sh0 = t->sums + 2 * D;
    for (size_t j = 0; j < H; j++) {
        float qb = sh0[j] / (float)n, *q = t->q->data + j;
        *q = t->q_ready ? t->sp_decay * *q + (1.0f - t->sp_decay) * qb : qb;
        g[j] = t->lr * t->sp_cost * (t->sp_p - *q);
        t->da->data[j] += g[j];
        t->a->data[j] += g[j];
    }
    t->q_ready = 1;
    for (size_t i = 0; i < D; i++) {
        float *w = ROW(t->W, i), *dw = ROW(t->dW, i);
        const float v = sv0[i] / (float)n;
        for (size_t j = 0; j < H; j++) {
            dw[j] += g[j] * v;
            w[j] += g[j] * v;
        }
    }
}

/* dW rows [d0, d1) <- mu dW - eps lambda W: the momentum and the weight
 * cost, elementwise (the same bits whoever does it, whenever before GEMMs 4
 * and 5).  Each thread does it on the rows of D it updates (update_rows),
 * so that those rows of W and dW stay in its core's cache: done by the
 * thread with the most data rows for all of D, as before, at two threads
 * it cost four times the CPU (perf, Fashion-MNIST, H 500), and the
 * transposed packing of GEMMs 4 and 5 twice. */
static void momentum_rows(pmk_rbm_trainer *t, size_t d0, size_t d1, float fmu)
{
    for (size_t i = d0; i < d1; i++)
        vecf_axpby(t->simd, ROW(t->dW, i), ROW(t->W, i), fmu, -(t->lr * t->wd), t->h);
}

/* Rows [d0, d1) of D: the momentum unless @p done (momentum_rows), GEMMs 4
 * and 5 onto dW, W += dW, and the visible biases; V0 n rows, Vk and PHk P
 * rows. */
static void update_rows(pmk_rbm_trainer *t, size_t d0, size_t d1, size_t n, size_t P,
                        const float *Vk, float fmu, int done)
{
    const size_t D = t->d, H = t->h;
    if (d1 <= d0)
        return;
    if (!done)
        momentum_rows(t, d0, d1, fmu);
    sgemm(1, 0, d1 - d0, H, n, t->lr / (float)n, t->V0->data + d0, D, t->PH0->data, H, 1.0f,
          ROW(t->dW, d0), H);
    sgemm(1, 0, d1 - d0, H, P, -t->lr / (float)P, Vk + d0, D, t->PH->data, H, 1.0f,
          ROW(t->dW, d0), H);
    for (size_t i = d0; i < d1; i++)
        vecf_axpby(t->simd, ROW(t->W, i), ROW(t->dW, i), 1.0f, 1.0f, H);
    float *s1 = t->sums + d0, *s2 = t->sums + D + d0;
    vecf_col_sums(t->simd, t->V0->data + d0, D, n, d1 - d0, s1);
    vecf_col_sums(t->simd, Vk + d0, D, P, d1 - d0, s2);
    for (size_t i = d0; i < d1; i++) {
        float g = s1[i - d0] / (float)n - s2[i - d0] / (float)P;
        if (t->sg)   /* Gaussian units: d/db_i = (u0_i - uk_i) / s_i */
            g /= t->sg->s[i];
        t->db->data[i] = fmu * t->db->data[i] + t->lr * g;
        t->b->data[i] += t->db->data[i];
    }
}

/* Columns [j0, j1) of H: the hidden biases. */
static void update_cols(pmk_rbm_trainer *t, size_t j0, size_t j1, size_t n, size_t P, float fmu)
{
    const size_t D = t->d, H = t->h;
    if (j1 <= j0)
        return;
    float *s1 = t->sums + 2 * D + j0, *s2 = t->sums + 2 * D + H + j0;
    vecf_col_sums(t->simd, t->PH0->data + j0, H, n, j1 - j0, s1);
    vecf_col_sums(t->simd, t->PH->data + j0, H, P, j1 - j0, s2);
    for (size_t j = j0; j < j1; j++) {
        t->da->data[j] = fmu * t->da->data[j]
                         + t->lr * (s1[j - j0] / (float)n - s2[j - j0] / (float)P);
        t->a->data[j] += t->da->data[j];
    }
}

int rbm_step_rows(pmk_rbm_trainer *t, size_t n, double mu, const gsl_matrix_float *h0,
                  const rbm_source *src, double *recon_sum, pmk_error *err)
{
    const size_t D = t->d, H = t->h, P = t->p ? t->p : n;
    const int init = t->p && !t->chains_ready;
    const float fmu = (float)mu;
    /* the negative statistics' v: CD's last means, PCD's samples, or the
     * beta = 1 replica's v */
    const float *Vk = t->M ? ROW(t->ptv, (t->M - 1) * P) : t->p ? t->Vs->data : t->PV->data;
    int rc = PMK_OK, frc = PMK_OK;   /* frc: the gather's, from the lowest rows failing */
    size_t flo = n;
    if (t->sg) {   /* Gaussian units with s: the step runs in u = v / s, all rows first */
        if (src && (rc = src->fill(src->ctx, src->idx, 0, n, t->V0->data, err)))
            return rc;
        src = NULL;
        rbm_sigma_begin(t->sg, t->b, t->V0, n);
    }
    for (size_t r = 0; r < t->M; r++)   /* the replicas' biases beta_r b, beta_r a */
        for (size_t i = 0; i < D + H; i++) {
            float *y = i < D ? ROW(t->bb, r) + i : ROW(t->ab, r) + i - D;
            *y = t->betas[r] * (i < D ? t->b->data[i] : t->a->data[i - D]);
        }
    int T = t->threads;
    (void)T;   /* without OpenMP: one thread, the same result */
#pragma omp parallel num_threads(T)
    {
#ifdef _OPENMP
        const int id = omp_get_thread_num(), nt = omp_get_num_threads();
#else
        const int id = 0, nt = 1;
#endif
        size_t lo, hi;
        pmk_error e;
        int drc;
        share(n, nt, id, &lo, &hi);
        if (hi > lo && (drc = data_rows(t, lo, hi, h0, src, err ? &e : NULL))) {
#pragma omp critical
            if (lo < flo) {
                flo = lo, frc = drc;
                if (err)
                    *err = e;
            }
        }
        /* A thread with fewer data rows than another (48 + 52 on two) does
         * its rows' momentum now, while that one finishes; the others in
         * update_rows. */
        const int early = hi - lo < most_rows(n, nt);
        if (early) {
            share(D, nt, id, &lo, &hi);
            momentum_rows(t, lo, hi, fmu);
        }
        if (t->p) {
#pragma omp barrier
            if (init) {   /* the first chains: the data's h, cycled */
                share(t->nch, nt, id, &lo, &hi);
                for (size_t c = lo; c < hi; c++)
                    memcpy(ROW(t->chains, c), ROW(t->Hs, c % n), H * sizeof(float));
#pragma omp barrier
            }
            share(P, nt, id, &lo, &hi);
            if (t->M) {
                for (size_t r = 0; r < t->M && hi > lo; r++)
                    pt_rows(t, r, lo, hi);
#pragma omp barrier
#pragma omp single
                pt_swaps(t);
                if (hi > lo)   /* PH <- p(h | v) of the beta = 1 replica */
                    hidden_probs(t, Vk + lo * D, t->PH, lo, hi, 1.0f, t->a->data, NULL, NULL);
            } else if (hi > lo) {
                chain_rows(t, lo, hi);
            }
        }
#pragma omp barrier
        if (t->sg && t->sg->learn) {
#pragma omp single
            {
                gsl_matrix_float_const_view U = gsl_matrix_float_const_view_array(Vk, P, D);
                gsl_matrix_float_view PH0 = gsl_matrix_float_submatrix(t->PH0, 0, 0, n, H);
                gsl_matrix_float_view PHk = gsl_matrix_float_submatrix(t->PH, 0, 0, P, H);
                if (!(rc = rbm_sigma_grad(t->sg, t->W, t->V0, &PH0.matrix, n, 1.0f, 0)))
                    rc = rbm_sigma_grad(t->sg, t->W, &U.matrix, &PHk.matrix, P, -1.0f, !t->p);
            }
        }
        if (!rc && !frc) {
            share(D, nt, id, &lo, &hi);
            update_rows(t, lo, hi, n, P, Vk, fmu, early);
            share(H, nt, id, &lo, &hi);
            update_cols(t, lo, hi, n, P, fmu);
        }
    }
    if (rc)
        return pmk_error_set(err, rc, "training step: %s", pmk_strerror(rc));
    if (frc)
        return frc;
    t->chains_ready |= init;
    t->step++;
    double rs = 0.0;
    for (size_t r = 0; r < n; r++)
        rs += t->recon[r];
    *recon_sum += rs;
    if (t->q)
        sparsity_step(t, n, t->sums + 2 * D + H);   /* the PHk sums are spent */
    if (t->sg && t->sg->learn)
        rbm_sigma_update(t->sg, t->lr);
    return PMK_OK;
}
