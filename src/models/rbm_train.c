/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_train.c: CD-k and PCD-k training of the binary RBM in single precision,
 * with every buffer allocated once per run.
 *
 * One update on a minibatch V0 (n x D), following Hinton's rbm.m and his
 * practical guide (2010), and Tieleman (2008) for PCD:
 *   positive:  PH0 = sigmoid(V0 W + a)            (n x H, GEMM 1)
 *              H   ~ Bernoulli(PH0)               (CD; PCD starts from its P chains)
 *   chain, s = 1..k:
 *              PV  = sigmoid(H W' + b)            (GEMM 2)
 *              V   = Bernoulli(PV) when s < k or PCD; CD's last step keeps V = PV
 *              PH  = sigmoid(V W + a)             (GEMM 3)
 *              H   ~ Bernoulli(PH) when s < k, and always for PCD (the new chains)
 *   update, mu the momentum, eps the learning rate, lambda the weight cost:
 *              dW <- mu dW + eps (V0'PH0 / n - V'PH / P - lambda W)   (GEMMs 4, 5,
 *                    mu applied through GEMM 4's beta, lambda in the final pass)
 *              db <- mu db + eps (mean_rows V0 - mean_rows V)
 *              da <- mu da + eps (mean_rows PH0 - mean_rows PH)
 *              W += dW, b += db, a += da.
 * P = n for CD, the number of chains for PCD.  With the k ramp (options
 * k_ramp, CLI --cd-ramp) epoch e of E uses k_e = 1 + round((K-1) e / (E-1))
 * steps: CD-1 first, CD-K last, as Salakhutdinov & Murray (2008) increased k
 * gradually while training their CD3 and CD25 RBMs.  The reconstruction error of
 * rbm.m, sum (V0 - sigmoid(H0 W' + b))^2, comes from GEMM 2 of CD's first step
 * (PCD spends one more GEMM on it).  Bernoulli draws come from an inlined
 * xoshiro128** seeded from the caller's pmk_rng every epoch.  The sigmoid uses a Cephes-style expf on
 * 4-float vectors (GCC/Clang vector extensions), relative error ~1e-7. */
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
#include "models/rbm_internal.h"
#include "core/progress_internal.h"
#include "core/core_internal.h"
#include "pmk/threads.h"

/* ---------------------------------------------------------------- float kernels */

typedef float v4sf __attribute__((vector_size(16)));
typedef int32_t v4si __attribute__((vector_size(16)));
#define SPLAT(c) ((v4sf){(c), (c), (c), (c)})

/* Per lane: m ? x : y, with m a comparison result (all ones or all zeros). */
static inline v4sf select4(v4si m, v4sf x, v4sf y)
{
    return (v4sf)(((v4si)x & m) | ((v4si)y & ~m));
}

/* e^x for 4 floats: x = n ln2 + r, |r| <= ln2/2, e^r by the Cephes minimax
 * polynomial, 2^n through the exponent bits.  x is clamped to [-87, 88]. */
static inline v4sf exp4(v4sf x)
{
    x = select4(x > SPLAT(88.f), SPLAT(88.f), x);
    x = select4(x < SPLAT(-87.f), SPLAT(-87.f), x);
    v4sf fx = x * 1.44269504088896341f + 0.5f;
    v4si n = __builtin_convertvector(fx, v4si);
    v4sf tf = __builtin_convertvector(n, v4sf);
    n += (v4si)(tf > fx);               /* truncation -> floor: true is -1 */
    tf = __builtin_convertvector(n, v4sf);
    x = x - tf * 0.693359375f - tf * -2.12194440e-4f;
    v4sf z = x * x;
    v4sf y = SPLAT(1.9875691500e-4f);
    y = y * x + 1.3981999507e-3f;
    y = y * x + 8.3334519073e-3f;
    y = y * x + 4.1665795894e-2f;
    y = y * x + 1.6666665459e-1f;
    y = y * x + 5.0000001201e-1f;
    y = y * z + x + 1.0f;
    v4si e = (n + 127) << 23;
    return y * (v4sf)e;
}

/* row[0..k) <- sigmoid(row + c) for one row; the tail goes through a padded
 * vector so every entry gets the same arithmetic. */
static void sigmoid_bias_row(float *row, const float *c, size_t k)
{
    size_t j = 0;
    for (; j + 4 <= k; j += 4) {
        v4sf x, cb;
        memcpy(&x, row + j, sizeof x);
        memcpy(&cb, c + j, sizeof cb);
        x = 1.0f / (1.0f + exp4(-(x + cb)));
        memcpy(row + j, &x, sizeof x);
    }
    if (j < k) {
        v4sf x = {0}, cb = {0};
        memcpy(&x, row + j, (k - j) * sizeof(float));
        memcpy(&cb, c + j, (k - j) * sizeof(float));
        x = 1.0f / (1.0f + exp4(-(x + cb)));
        memcpy(row + j, &x, (k - j) * sizeof(float));
    }
}

/* Y (n x k) <- sigmoid(Y + c), c of k entries. */
static void sigmoid_bias(gsl_matrix_float *Y, size_t n, const gsl_vector_float *c)
{
    for (size_t r = 0; r < n; r++)
        sigmoid_bias_row(gsl_matrix_float_ptr(Y, r, 0), c->data, Y->size2);
}

/* S (n x k) <- 1 where u < P, else 0, u = (top 24 bits) / 2^24 uniform on
 * [0,1) in float, drawn row-major. */
static void bernoulli(const gsl_matrix_float *P, gsl_matrix_float *S, size_t n, xo128 *x)
{
    for (size_t i = 0; i < n; i++) {
        const float *p = gsl_matrix_float_const_ptr(P, i, 0);
        float *s = gsl_matrix_float_ptr(S, i, 0);
        for (size_t j = 0; j < P->size2; j++)
            s[j] = (float)(xo_next(x) >> 8) * 0x1p-24f < p[j] ? 1.0f : 0.0f;
    }
}

/* out[j] = sum over the first n rows of Y[:, j]. */
static void col_sums(const gsl_matrix_float *Y, size_t n, float *out)
{
    memset(out, 0, Y->size2 * sizeof *out);
    for (size_t i = 0; i < n; i++) {
        const float *y = gsl_matrix_float_const_ptr(Y, i, 0);
        for (size_t j = 0; j < Y->size2; j++)
            out[j] += y[j];
    }
}

/* ---------------------------------------------------------------- trainer */

struct pmk_rbm_trainer {
    size_t d, h, batch, k, p;   /* p: persistent chains, 0 for CD */
    float lr, wd;
    gsl_matrix_float *W, *dW;   /* D x H */
    gsl_vector_float *b, *db;   /* D */
    gsl_vector_float *a, *da;   /* H */
    gsl_matrix_float *V0;       /* batch x D: the minibatch */
    gsl_matrix_float *PH0;      /* batch x H */
    gsl_matrix_float *Hs;       /* rows x H: hidden samples */
    gsl_matrix_float *PV, *Vs;  /* rows x D: visible probabilities, samples */
    gsl_matrix_float *PH;       /* rows x H */
    gsl_matrix_float *chains;   /* p x H */
    int chains_ready;
    size_t M, nch;              /* tempering replicas (0: none); chain rows p max(M, 1) */
    float betas[PMK_RBM_PT_MAX]; /* their inverse temperatures, the last 1 */
    gsl_matrix_float *ptv;      /* nch x D: each replica's visible samples */
    gsl_vector_float *bb, *ab;  /* beta b (D), beta a (H) */
    double *energy;             /* nch: E(v, h) of each replica's chains */
    unsigned long swaps[PMK_RBM_PT_MAX], tries; /* accepted per pair, attempted */
    gsl_matrix_float_view top;  /* the beta = 1 replica's v, for the update */
    float sp_p, sp_cost, sp_decay; /* the sparsity target (sp_cost > 0: on) */
    gsl_vector_float *q;        /* H running means of p(h | v0), NULL when off */
    int q_ready;
    float *s1, *s2;             /* max(D, H) column sums */
    xo128 rng;                  /* the sampler, seeded by pmk_rbm_trainer_seed */
    int gauss;                  /* Gaussian visible units: v / s | h ~ N(Wh + b / s, 1) */
    rbm_sigma_f *sg;            /* their s when not all 1 or learned, else NULL */
};

/* The visible layer's means from PV = H W' (n rows) and a draw from them. */
static void visible_means(const pmk_rbm_trainer *t, gsl_matrix_float *PV, size_t n)
{
    if (t->gauss)
        rbm_add_bias_f(PV, n, t->sg ? t->sg->c : t->b->data);
    else
        sigmoid_bias(PV, n, t->b);
}

static void visible_draw(pmk_rbm_trainer *t, const gsl_matrix_float *PV, gsl_matrix_float *V,
                         size_t n)
{
    if (t->gauss)
        rbm_gauss_draw_f(PV, V, n, &t->rng);
    else
        bernoulli(PV, V, n, &t->rng);
}

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
                              t->chains, t->ptv};
    for (size_t i = 0; i < sizeof ms / sizeof ms[0]; i++)
        if (ms[i])
            gsl_matrix_float_free(ms[i]);
    gsl_vector_float *vs[] = {t->b, t->db, t->a, t->da, t->q, t->bb, t->ab};
    free(t->energy);
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++)
        if (vs[i])
            gsl_vector_float_free(vs[i]);
    rbm_sigma_free(t->sg);
    CORE_FREE(t->s1, t->s2, t);
}

pmk_rbm_trainer *pmk_rbm_trainer_alloc(const pmk_rbm *m, const pmk_rbm_options *o,
                                       pmk_error *err)
{
    /* Floats: W and dW (2 D H), four vectors (2 D + 2 H), the batch V0 and
     * PH0 (B (D + H)), four work matrices of max(B, P) rows (2 D + 2 H each),
     * the P persistent chains (P H) and two column sums; B and P come from
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
        f = rbm_sat_add(f, rbm_sat_add(rbm_sat_mul(P, H), 2 * (D > H ? D : H)));
        if (o->temperatures)   /* M B chains: h, v and an energy (2 floats) each */
            f = rbm_sat_add(f, rbm_sat_mul(rbm_sat_mul(o->temperatures, B),
                                           rbm_sat_add(DH, 2 + D + H)));
        char what[128];
        snprintf(what, sizeof what, "training %llu x %llu units with batches of %llu rows", D,
                 H, B);
        if (pmk_mem_check(NULL, 0, 0, rbm_sat_mul(4, f), what, err))
            return NULL;
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
    if (o->persistent)
        t->p = m->chains ? m->chains->size1 : o->batch;
    t->nch = t->p;
    if ((t->M = o->temperatures)) {   /* P = the batch; the chains of a resumed run kept */
        t->p = o->batch;
        t->nch = t->p * t->M;
        pmk_rbm_pt_betas(o, t->betas);
        t->ptv = fmat(t->nch, D, &bad);
        t->bb = fvec(D, &bad);
        t->ab = fvec(H, &bad);
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
    t->s1 = malloc((D > H ? D : H) * sizeof(float));
    t->s2 = malloc((D > H ? D : H) * sizeof(float));
    if (bad || !t->s1 || !t->s2)
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

void pmk_rbm_trainer_seed(pmk_rbm_trainer *t, pmk_rng *r) { xo_seed(&t->rng, r); }

/* The first n rows of a float matrix as a view. */
static gsl_matrix_float_view rows_of(gsl_matrix_float *A, size_t n)
{
    return gsl_matrix_float_submatrix(A, 0, 0, n, A->size2);
}

/* The sparsity target (Hinton 2010, sec. 11; Lee, Ekanadham & Ng 2008), after
 * the update, with s1 holding the column sums of PH0 (n x H):
 *   q_j <- decay q_j + (1 - decay) mean_rows PH0_j   (q_j = that mean at first)
 *   g_j  = eps lambda (p - q_j),   the cross-entropy penalty's gradient on
 *          the total input of hidden unit j,
 *   da_j += g_j, a_j += g_j,   dW_ij += g_j vbar_i, W_ij += g_j vbar_i,
 * vbar the minibatch's mean visible vector (D).  Added to the increments as
 * well, so that the momentum carries it as it carries the gradient. */
static void sparsity_step(pmk_rbm_trainer *t, const gsl_matrix_float *V0, size_t n)
{
    const size_t D = t->d, H = t->h;
    float *g = t->s2, *vbar = t->s1;
    for (size_t j = 0; j < H; j++) {
        float qb = t->s1[j] / (float)n, *q = t->q->data + j;
        *q = t->q_ready ? t->sp_decay * *q + (1.0f - t->sp_decay) * qb : qb;
        g[j] = t->lr * t->sp_cost * (t->sp_p - *q);
        t->da->data[j] += g[j];
        t->a->data[j] += g[j];
    }
    t->q_ready = 1;
    col_sums(V0, n, vbar);
    for (size_t i = 0; i < D; i++) {
        float *w = gsl_matrix_float_ptr(t->W, i, 0), *dw = gsl_matrix_float_ptr(t->dW, i, 0);
        const float v = vbar[i] / (float)n;
        for (size_t j = 0; j < H; j++) {
            dw[j] += g[j] * v;
            w[j] += g[j] * v;
        }
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
 * updates (nch = M P rows, replica r in rows r P .. r P + P - 1). */

/* y[j] <- beta x[j] */
static void scale_into(gsl_vector_float *y, const gsl_vector_float *x, float beta)
{
    for (size_t j = 0; j < x->size; j++)
        y->data[j] = beta * x->data[j];
}

/* E(v, h) of the rows of V (P x D) and Hr (P x H) into e, X (P x H) a buffer. */
static int pt_energy(const pmk_rbm_trainer *t, const gsl_matrix_float *V,
                     const gsl_matrix_float *Hr, gsl_matrix_float *X, double *e)
{
    int rc = pmk_gemm_float(CblasNoTrans, CblasNoTrans, 1.0f, V, t->W, 0.0f, X);
    for (size_t c = 0; c < V->size1 && !rc; c++) {
        const float *v = gsl_matrix_float_const_ptr(V, c, 0), *x = gsl_matrix_float_const_ptr(X, c, 0);
        const float *h = gsl_matrix_float_const_ptr(Hr, c, 0);
        double s = 0.0;
        for (size_t j = 0; j < t->h; j++)
            s += (double)h[j] * ((double)x[j] + t->a->data[j]);
        for (size_t i = 0; i < t->d; i++)
            s += (double)v[i] * t->b->data[i];
        e[c] = -s;
    }
    return rc;
}

/* Swaps row @p x and row @p y of A. */
static void swap_rows(gsl_matrix_float *A, size_t x, size_t y)
{
    float *p = gsl_matrix_float_ptr(A, x, 0), *q = gsl_matrix_float_ptr(A, y, 0);
    for (size_t j = 0; j < A->size2; j++) {
        float s = p[j];
        p[j] = q[j];
        q[j] = s;
    }
}

/* The replicas' Gibbs steps and swaps; *Vk <- the beta = 1 replica's v
 * (P x D), PH (P x H) <- p(h = 1 | Vk). */
static int pt_negative(pmk_rbm_trainer *t, gsl_matrix_float **Vk, gsl_matrix_float *PH)
{
    const size_t P = t->p, M = t->M;
    gsl_matrix_float_view PV = rows_of(t->PV, P);
    int rc = PMK_OK;
    for (size_t r = 0; r < M && !rc; r++) {
        const float beta = t->betas[r];
        gsl_matrix_float_view Hr = gsl_matrix_float_submatrix(t->chains, r * P, 0, P, t->h);
        gsl_matrix_float_view Vr = gsl_matrix_float_submatrix(t->ptv, r * P, 0, P, t->d);
        scale_into(t->bb, t->b, beta);
        scale_into(t->ab, t->a, beta);
        for (size_t s = 0; s < t->k && !rc; s++) {
            if (!(rc = pmk_gemm_float(CblasNoTrans, CblasTrans, beta, &Hr.matrix, t->W, 0.0f,
                                      &PV.matrix))) {
                sigmoid_bias(&PV.matrix, P, t->bb);
                bernoulli(&PV.matrix, &Vr.matrix, P, &t->rng);
                rc = pmk_gemm_float(CblasNoTrans, CblasNoTrans, beta, &Vr.matrix, t->W, 0.0f, PH);
            }
            if (!rc) {
                sigmoid_bias(PH, P, t->ab);
                bernoulli(PH, &Hr.matrix, P, &t->rng);
            }
        }
        if (!rc)
            rc = pt_energy(t, &Vr.matrix, &Hr.matrix, PH, t->energy + r * P);
    }
    for (size_t r = 0; r + 1 < M && !rc; r++)
        for (size_t c = 0; c < P; c++) {
            size_t x = r * P + c, y = x + P;
            double d = ((double)t->betas[r + 1] - t->betas[r]) * (t->energy[y] - t->energy[x]);
            if (d < 0 && (double)(xo_next(&t->rng) >> 8) * 0x1p-24 >= exp(d))
                continue;
            swap_rows(t->chains, x, y);
            swap_rows(t->ptv, x, y);
            double e = t->energy[x];
            t->energy[x] = t->energy[y];
            t->energy[y] = e;
            t->swaps[r]++;
        }
    t->tries += P;
    if (rc)
        return rc;
    gsl_matrix_float_view top = gsl_matrix_float_submatrix(t->ptv, (M - 1) * P, 0, P, t->d);
    t->top = top;   /* the view's struct must outlive the call */
    *Vk = &t->top.matrix;
    if ((rc = pmk_gemm_float(CblasNoTrans, CblasNoTrans, 1.0f, *Vk, t->W, 0.0f, PH)))
        return rc;
    sigmoid_bias(PH, P, t->a);
    return PMK_OK;
}

void pmk_rbm_trainer_swap_rates(pmk_rbm_trainer *t, double *rates)
{
    for (size_t r = 0; r + 1 < t->M; r++) {
        rates[r] = t->tries ? (double)t->swaps[r] / (double)t->tries : NAN;
        t->swaps[r] = 0;
    }
    t->tries = 0;
}

/* pmk_rbm_trainer_step on checked shapes: PMK_OK or a GEMM's status. */
static int step_rows(pmk_rbm_trainer *t, size_t n, double mu, const gsl_matrix_float *h0,
                     double *recon_sum)
{
    const size_t D = t->d, H = t->h;
    gsl_matrix_float_view V0 = rows_of(t->V0, n), PH0 = rows_of(t->PH0, n);
    gsl_matrix_float_view Hn = rows_of(t->Hs, n), PVn = rows_of(t->PV, n);
    int rc;
    if (t->sg)   /* Gaussian units with s: the step runs in u = v / s */
        rbm_sigma_begin(t->sg, t->b, &V0.matrix, n);

    /* positive phase */
    if ((rc = pmk_gemm_float(CblasNoTrans, CblasNoTrans, 1.0f, &V0.matrix, t->W, 0.0f,
                             &PH0.matrix)))
        return rc;
    sigmoid_bias(&PH0.matrix, n, t->a);
    if (h0)
        gsl_matrix_float_memcpy(&Hn.matrix, h0);
    else
        bernoulli(&PH0.matrix, &Hn.matrix, n, &t->rng);

    /* reconstruction from the data's hidden sample: CD's first chain step */
    if ((rc = pmk_gemm_float(CblasNoTrans, CblasTrans, 1.0f, &Hn.matrix, t->W, 0.0f,
                             &PVn.matrix)))
        return rc;
    visible_means(t, &PVn.matrix, n);
    double rs = 0.0;
    for (size_t i = 0; i < n; i++) {
        const float *v = gsl_matrix_float_const_ptr(&V0.matrix, i, 0);
        const float *p = gsl_matrix_float_const_ptr(&PVn.matrix, i, 0);
        float s = 0.0f;
        for (size_t c = 0; c < D; c++)
            s += (v[c] - p[c]) * (v[c] - p[c]);
        rs += s;
    }
    *recon_sum += rs;

    /* negative phase */
    size_t P = n;
    gsl_matrix_float *Hc = &Hn.matrix;          /* current hidden state, P x H */
    gsl_matrix_float_view hview;
    if (t->p) {
        if (!t->chains_ready) {
            for (size_t c = 0; c < t->nch; c++)
                memcpy(gsl_matrix_float_ptr(t->chains, c, 0),
                       gsl_matrix_float_const_ptr(&Hn.matrix, c % n, 0), H * sizeof(float));
            t->chains_ready = 1;
        }
        P = t->p;
        Hc = t->chains;
    }
    gsl_matrix_float_view PVp = rows_of(t->PV, P), Vsp = rows_of(t->Vs, P),
                          PHp = rows_of(t->PH, P);
    hview = rows_of(t->Hs, P);
    gsl_matrix_float *Vk = NULL;
    if (t->M && (rc = pt_negative(t, &Vk, &PHp.matrix)))
        return rc;
    for (size_t s = 1; s <= t->k && !t->M; s++) {
        if (s > 1 || t->p) {
            if ((rc = pmk_gemm_float(CblasNoTrans, CblasTrans, 1.0f, Hc, t->W, 0.0f,
                                     &PVp.matrix)))
                return rc;
            visible_means(t, &PVp.matrix, P);
        }
        if (s < t->k || t->p) {
            visible_draw(t, &PVp.matrix, &Vsp.matrix, P);
            Vk = &Vsp.matrix;
        } else {
            Vk = &PVp.matrix;
        }
        if ((rc = pmk_gemm_float(CblasNoTrans, CblasNoTrans, 1.0f, Vk, t->W, 0.0f,
                                 &PHp.matrix)))
            return rc;
        sigmoid_bias(&PHp.matrix, P, t->a);
        if (t->p) {
            bernoulli(&PHp.matrix, t->chains, P, &t->rng);
        } else if (s < t->k) {
            bernoulli(&PHp.matrix, &hview.matrix, P, &t->rng);
            Hc = &hview.matrix;
        }
    }

    if (t->sg && t->sg->learn
        && ((rc = rbm_sigma_grad(t->sg, t->W, &V0.matrix, &PH0.matrix, n, 1.0f, 0))
            || (rc = rbm_sigma_grad(t->sg, t->W, Vk, &PHp.matrix, P, -1.0f, !t->p))))
        return rc;
    /* update: dW <- mu dW + eps/n V0'PH0 - eps/P Vk'PHk (the momentum scaling
     * rides on GEMM 4's beta), then one pass dW -= eps lambda W, W += dW */
    const float fmu = (float)mu, decay = t->lr * t->wd;
    if ((rc = pmk_gemm_float(CblasTrans, CblasNoTrans, t->lr / (float)n, &V0.matrix,
                             &PH0.matrix, fmu, t->dW)))
        return rc;
    if ((rc = pmk_gemm_float(CblasTrans, CblasNoTrans, -t->lr / (float)P, Vk, &PHp.matrix,
                             1.0f, t->dW)))
        return rc;
    for (size_t i = 0; i < D; i++) {
        float *w = gsl_matrix_float_ptr(t->W, i, 0);
        float *dw = gsl_matrix_float_ptr(t->dW, i, 0);
        for (size_t j = 0; j < H; j++) {
            dw[j] -= decay * w[j];
            w[j] += dw[j];
        }
    }
    col_sums(&V0.matrix, n, t->s1);
    col_sums(Vk, P, t->s2);
    for (size_t i = 0; i < D; i++) {
        float g = t->s1[i] / (float)n - t->s2[i] / (float)P;
        if (t->sg)   /* Gaussian units: d/db_i = (u0_i - uk_i) / s_i */
            g /= t->sg->s[i];
        t->db->data[i] = fmu * t->db->data[i] + t->lr * g;
        t->b->data[i] += t->db->data[i];
    }
    col_sums(&PH0.matrix, n, t->s1);
    col_sums(&PHp.matrix, P, t->s2);
    for (size_t j = 0; j < H; j++) {
        t->da->data[j] = fmu * t->da->data[j]
                         + t->lr * (t->s1[j] / (float)n - t->s2[j] / (float)P);
        t->a->data[j] += t->da->data[j];
    }
    if (t->q)
        sparsity_step(t, &V0.matrix, n);
    if (t->sg && t->sg->learn)
        rbm_sigma_update(t->sg, t->lr);
    return PMK_OK;
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
    int rc = step_rows(t, n, mu, h0, recon_sum);
    return rc ? pmk_error_set(err, rc, "training step: %s", pmk_strerror(rc)) : PMK_OK;
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
