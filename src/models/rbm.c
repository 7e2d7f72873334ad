/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm.c: the binary RBM in double precision: allocation, initialisation, the
 * two conditionals, sampling, free energy, pseudo-likelihood, and log Z by
 * enumeration or by annealed importance sampling.
 *
 * Model (Hinton 2010, "A practical guide to training RBMs"; notation of
 * pmk/rbm.h): v in {0,1}^D, h in {0,1}^H, E(v,h) = -v'Wh - b'v - a'h.
 * Summing out h, which factorizes because E is linear in each h_j,
 *   sum_h exp(-E(v,h)) = exp(b'v) prod_j (1 + exp(x_j)),  x = W'v + a,
 * so F(v) = -b'v - sum_j softplus(x_j) and p(h_j = 1 | v) = sigmoid(x_j);
 * symmetrically p(v_i = 1 | h) = sigmoid((Wh + b)_i). */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>

#include "pmk/kernels.h"
#include "pmk/limits.h"
#include "pmk/rbm.h"

/* Clip for the logit of pixel means: keeps biases within +-6.9. */
#define RBM_P_CLIP 0.001

/* a * b, or ULLONG_MAX when that overflows (a byte count "too large"). */
static unsigned long long sat_mul(unsigned long long a, unsigned long long b)
{
    return b && a > ULLONG_MAX / b ? ULLONG_MAX : a * b;
}

static unsigned long long sat_add(unsigned long long a, unsigned long long b)
{
    return a > ULLONG_MAX - b ? ULLONG_MAX : a + b;
}

/* ---------------------------------------------------------------- life cycle */

pmk_rbm *pmk_rbm_alloc(size_t d, size_t h, pmk_error *err)
{
    size_t dh;
    if (d == 0)
        return pmk_error_set(err, PMK_EINVAL, "an RBM needs at least 1 visible unit"), NULL;
    if (h == 0)
        return pmk_error_set(err, PMK_EINVAL, "an RBM needs at least 1 hidden unit"), NULL;
    if (pmk_size_mul(d, h, &dh) || dh > PMK_RBM_MAX_WEIGHTS) {
        pmk_error_set(err, PMK_ELIMIT, "%zu x %zu weights exceed the limit of %zu", d, h,
                      PMK_RBM_MAX_WEIGHTS);
        return NULL;
    }
    /* W, b and a: 8 (D H + D + H) bytes, under the memory ceiling. */
    char what[96];
    snprintf(what, sizeof what, "an RBM of %zu visible x %zu hidden units", d, h);
    if (pmk_mem_check(NULL, 0, 0, sat_mul(8, sat_add(dh, sat_add(d, h))), what, err))
        return NULL;
    pmk_rbm *m = calloc(1, sizeof *m);
    if (!m)
        goto nomem;
    m->d = d;
    m->h = h;
    m->W = gsl_matrix_calloc(d, h);
    m->b = gsl_vector_calloc(d);
    m->a = gsl_vector_calloc(h);
    if (!m->W || !m->b || !m->a)
        goto nomem;
    return m;
nomem:
    pmk_rbm_free(m);
    pmk_error_set(err, PMK_ENOMEM, "out of memory allocating a %zu x %zu RBM", d, h);
    return NULL;
}

static void drop_state(pmk_rbm *m)
{
    if (m->dW)
        gsl_matrix_free(m->dW);
    if (m->db)
        gsl_vector_free(m->db);
    if (m->da)
        gsl_vector_free(m->da);
    if (m->chains)
        gsl_matrix_free(m->chains);
    m->dW = NULL;
    m->db = m->da = NULL;
    m->chains = NULL;
    m->epochs = 0;
}

void pmk_rbm_free(pmk_rbm *m)
{
    if (!m)
        return;
    drop_state(m);
    if (m->W)
        gsl_matrix_free(m->W);
    if (m->b)
        gsl_vector_free(m->b);
    if (m->a)
        gsl_vector_free(m->a);
    free(m);
}

pmk_rbm *pmk_rbm_copy(const pmk_rbm *m, pmk_error *err)
{
    pmk_rbm *c = pmk_rbm_alloc(m->d, m->h, err);
    if (!c)
        return NULL;
    gsl_matrix_memcpy(c->W, m->W);
    gsl_vector_memcpy(c->b, m->b);
    gsl_vector_memcpy(c->a, m->a);
    c->epochs = m->epochs;
    if (m->dW) {
        c->dW = gsl_matrix_alloc(m->d, m->h);
        c->db = gsl_vector_alloc(m->d);
        c->da = gsl_vector_alloc(m->h);
        if (!c->dW || !c->db || !c->da)
            goto nomem;
        gsl_matrix_memcpy(c->dW, m->dW);
        gsl_vector_memcpy(c->db, m->db);
        gsl_vector_memcpy(c->da, m->da);
    }
    if (m->chains) {
        c->chains = gsl_matrix_alloc(m->chains->size1, m->h);
        if (!c->chains)
            goto nomem;
        gsl_matrix_memcpy(c->chains, m->chains);
    }
    return c;
nomem:
    pmk_rbm_free(c);
    pmk_error_set(err, PMK_ENOMEM, "out of memory copying an RBM");
    return NULL;
}

int pmk_rbm_check_data(const pmk_rbm *m, const gsl_matrix *X, pmk_error *err)
{
    if (X->size2 != m->d)
        return pmk_error_set(err, PMK_EDATA,
                             "the data have %zu columns but the model has %zu visible units",
                             X->size2, m->d);
    for (size_t n = 0; n < X->size1; n++) {
        const double *row = gsl_matrix_const_ptr(X, n, 0);
        for (size_t i = 0; i < X->size2; i++)
            if (!(row[i] >= 0.0 && row[i] <= 1.0))
                return pmk_error_set(err, PMK_EDATA,
                                     "row %zu, column %zu: value %.17g is outside [0,1]",
                                     n + 1, i + 1, row[i]);
    }
    return PMK_OK;
}

/* b_i = logit(p_i), p_i = clip(mean_n X[n,i]), the base rates (Hinton 2010, sec. 8.1). */
static void base_rate_biases(const gsl_matrix *X, gsl_vector *b)
{
    gsl_vector_set_zero(b);
    if (!X || X->size1 == 0)
        return;
    for (size_t n = 0; n < X->size1; n++) {
        const double *row = gsl_matrix_const_ptr(X, n, 0);
        for (size_t i = 0; i < b->size; i++)
            b->data[i * b->stride] += row[i];
    }
    for (size_t i = 0; i < b->size; i++) {
        double p = gsl_vector_get(b, i) / (double)X->size1;
        if (p < RBM_P_CLIP)
            p = RBM_P_CLIP;
        if (p > 1.0 - RBM_P_CLIP)
            p = 1.0 - RBM_P_CLIP;
        gsl_vector_set(b, i, log(p / (1.0 - p)));
    }
}

int pmk_rbm_init(pmk_rbm *m, const gsl_matrix *X, pmk_rng *r, pmk_error *err)
{
    if (X) {
        int rc = pmk_rbm_check_data(m, X, err);
        if (rc)
            return rc;
    }
    drop_state(m);
    for (size_t i = 0; i < m->d; i++) {
        double *row = gsl_matrix_ptr(m->W, i, 0);
        for (size_t j = 0; j < m->h; j++)
            row[j] = 0.01 * pmk_rng_gaussian(r);
    }
    gsl_vector_set_zero(m->a);
    base_rate_biases(X, m->b);
    return PMK_OK;
}

/* ---------------------------------------------------------------- conditionals */

/* Y (N x K) <- sigmoid(Y + c) row by row, c of K entries. */
static void add_sigmoid(gsl_matrix *Y, const gsl_vector *c)
{
    for (size_t n = 0; n < Y->size1; n++) {
        double *row = gsl_matrix_ptr(Y, n, 0);
        for (size_t k = 0; k < Y->size2; k++)
            row[k] = pmk_sigmoid(row[k] + c->data[k * c->stride]);
    }
}

/* P (N x H) <- sigmoid(V (N x D) W (D x H) + a). */
int pmk_rbm_hidden_prob(const pmk_rbm *m, const gsl_matrix *V, gsl_matrix *P)
{
    if (V->size2 != m->d || P->size1 != V->size1 || P->size2 != m->h)
        return PMK_EINVAL;
    int rc = pmk_gemm(CblasNoTrans, CblasNoTrans, 1.0, V, m->W, 0.0, P);
    if (rc)
        return rc;
    add_sigmoid(P, m->a);
    return PMK_OK;
}

/* P (N x D) <- sigmoid(Hs (N x H) W' (H x D) + b). */
int pmk_rbm_visible_prob(const pmk_rbm *m, const gsl_matrix *Hs, gsl_matrix *P)
{
    if (Hs->size2 != m->h || P->size1 != Hs->size1 || P->size2 != m->d)
        return PMK_EINVAL;
    int rc = pmk_gemm(CblasNoTrans, CblasTrans, 1.0, Hs, m->W, 0.0, P);
    if (rc)
        return rc;
    add_sigmoid(P, m->b);
    return PMK_OK;
}

int pmk_rbm_sample_hidden(const pmk_rbm *m, const gsl_matrix *V, gsl_matrix *S,
                          pmk_rng *r)
{
    int rc = pmk_rbm_hidden_prob(m, V, S);
    return rc ? rc : pmk_bernoulli_sample(S, S, r);
}

int pmk_rbm_sample_visible(const pmk_rbm *m, const gsl_matrix *Hs, gsl_matrix *S,
                           pmk_rng *r)
{
    int rc = pmk_rbm_visible_prob(m, Hs, S);
    return rc ? rc : pmk_bernoulli_sample(S, S, r);
}

int pmk_rbm_gibbs(const pmk_rbm *m, gsl_matrix *V, size_t steps, gsl_matrix *mean,
                  pmk_rng *r)
{
    if (V->size2 != m->d || (mean && (mean->size1 != V->size1 || mean->size2 != m->d)))
        return PMK_EINVAL;
    gsl_matrix *Hs = gsl_matrix_alloc(V->size1, m->h);
    if (!Hs)
        return PMK_ENOMEM;
    int rc = PMK_OK;
    for (size_t s = 0; s < steps && !rc; s++) {
        rc = pmk_rbm_sample_hidden(m, V, Hs, r);
        if (!rc)
            rc = pmk_rbm_visible_prob(m, Hs, V);
        if (!rc && mean && s + 1 == steps)
            gsl_matrix_memcpy(mean, V);
        if (!rc)
            rc = pmk_bernoulli_sample(V, V, r);
    }
    gsl_matrix_free(Hs);
    return rc;
}

/* ---------------------------------------------------------------- free energy */

/* F(v) = -b'v - sum_j softplus((W'v + a)_j) for each row, through X = V W. */
int pmk_rbm_free_energy(const pmk_rbm *m, const gsl_matrix *V, gsl_vector *F)
{
    if (V->size2 != m->d || F->size != V->size1)
        return PMK_EINVAL;
    const size_t block = 256;
    gsl_matrix *X = gsl_matrix_alloc(V->size1 < block ? V->size1 : block, m->h);
    if (!X)
        return PMK_ENOMEM;
    int rc = PMK_OK;
    for (size_t n0 = 0; n0 < V->size1 && !rc; n0 += block) {
        size_t nb = V->size1 - n0 < block ? V->size1 - n0 : block;
        gsl_matrix_const_view Vb = gsl_matrix_const_submatrix(V, n0, 0, nb, m->d);
        gsl_matrix_view Xb = gsl_matrix_submatrix(X, 0, 0, nb, m->h);
        rc = pmk_gemm(CblasNoTrans, CblasNoTrans, 1.0, &Vb.matrix, m->W, 0.0, &Xb.matrix);
        for (size_t n = 0; n < nb && !rc; n++) {
            const double *v = gsl_matrix_const_ptr(V, n0 + n, 0);
            const double *x = gsl_matrix_const_ptr(&Xb.matrix, n, 0);
            double f = 0.0;
            for (size_t i = 0; i < m->d; i++)
                f -= m->b->data[i * m->b->stride] * v[i];
            for (size_t j = 0; j < m->h; j++)
                f -= pmk_softplus(x[j] + m->a->data[j * m->a->stride]);
            gsl_vector_set(F, n0 + n, f);
        }
    }
    gsl_matrix_free(X);
    return rc;
}

/* ---------------------------------------------------------------- monitoring */

int pmk_rbm_recon_error(const pmk_rbm *m, const gsl_matrix *V, pmk_rng *r,
                        double *out, pmk_error *err)
{
    if (V->size2 != m->d)
        return pmk_error_set(err, PMK_EINVAL, "the data have %zu columns, the model %zu",
                             V->size2, m->d);
    const size_t block = 256;
    size_t nb0 = V->size1 < block ? V->size1 : block;
    if (nb0 == 0) {
        *out = NAN;
        return PMK_OK;
    }
    gsl_matrix *Hs = gsl_matrix_alloc(nb0, m->h), *P = gsl_matrix_alloc(nb0, m->d);
    int rc = (!Hs || !P) ? PMK_ENOMEM : PMK_OK;
    double sum = 0.0;
    for (size_t n0 = 0; n0 < V->size1 && !rc; n0 += block) {
        size_t nb = V->size1 - n0 < block ? V->size1 - n0 : block;
        gsl_matrix_const_view Vb = gsl_matrix_const_submatrix(V, n0, 0, nb, m->d);
        gsl_matrix_view Hb = gsl_matrix_submatrix(Hs, 0, 0, nb, m->h);
        gsl_matrix_view Pb = gsl_matrix_submatrix(P, 0, 0, nb, m->d);
        rc = pmk_rbm_sample_hidden(m, &Vb.matrix, &Hb.matrix, r);
        if (!rc)
            rc = pmk_rbm_visible_prob(m, &Hb.matrix, &Pb.matrix);
        for (size_t n = 0; n < nb && !rc; n++) {
            const double *v = gsl_matrix_const_ptr(V, n0 + n, 0);
            const double *p = gsl_matrix_const_ptr(&Pb.matrix, n, 0);
            for (size_t i = 0; i < m->d; i++)
                sum += (v[i] - p[i]) * (v[i] - p[i]);
        }
    }
    if (Hs)
        gsl_matrix_free(Hs);
    if (P)
        gsl_matrix_free(P);
    if (rc)
        return pmk_error_set(err, rc, "reconstruction error: %s", pmk_strerror(rc));
    *out = sum / (double)V->size1;
    return PMK_OK;
}

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
 * wider weights fall back to one log1p per term.  N*D*H multiply-adds. */
typedef struct pl_work {
    gsl_matrix *X;        /* N x H: W'v + a, then sigmoid of it */
    double *ep, *em;      /* D x H: expm1(W), expm1(-W) */
    int products;         /* max |W| <= 40 */
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

static int pl_common(const pmk_rbm *m, const gsl_matrix *V, pmk_rng *r, double *out,
                     pmk_error *err)
{
    if (V->size2 != m->d)
        return pmk_error_set(err, PMK_EINVAL, "the data have %zu columns, the model %zu",
                             V->size2, m->d);
    if (V->size1 == 0) {
        *out = NAN;
        return PMK_OK;
    }
    const size_t D = m->d, H = m->h;
    pl_work w = {0};
    double *tmp = malloc(H * sizeof *tmp);
    w.ep = malloc(D * H * sizeof(double));
    w.em = malloc(D * H * sizeof(double));
    w.X = gsl_matrix_alloc(V->size1, H);
    int rc = (!tmp || !w.ep || !w.em || !w.X) ? PMK_ENOMEM : PMK_OK;
    if (!rc)
        rc = pmk_rbm_hidden_prob(m, V, w.X);
    double sum = 0.0;
    if (!rc) {
        double wmax = 0.0;
        for (size_t i = 0; i < D; i++) {
            const double *wr = gsl_matrix_const_ptr(m->W, i, 0);
            for (size_t j = 0; j < H; j++) {
                w.ep[i * H + j] = expm1(wr[j]);
                w.em[i * H + j] = expm1(-wr[j]);
                if (fabs(wr[j]) > wmax)
                    wmax = fabs(wr[j]);
            }
        }
        w.products = wmax <= 40.0;
        for (size_t n = 0; n < V->size1; n++) {
            const double *v = gsl_matrix_const_ptr(V, n, 0);
            const double *s = gsl_matrix_const_ptr(w.X, n, 0);
            if (r) {
                size_t i = (size_t)pmk_rng_uniform_int(r, (unsigned long)D);
                sum += (double)D * pmk_log_sigmoid(flip_gap(m, &w, v, s, i, tmp));
            } else {
                for (size_t i = 0; i < D; i++)
                    sum += pmk_log_sigmoid(flip_gap(m, &w, v, s, i, tmp));
            }
        }
    }
    free(tmp);
    free(w.ep);
    free(w.em);
    if (w.X)
        gsl_matrix_free(w.X);
    if (rc)
        return pmk_error_set(err, rc, "pseudo-likelihood: %s", pmk_strerror(rc));
    *out = sum / (double)V->size1;
    return PMK_OK;
}

int pmk_rbm_pseudo_likelihood(const pmk_rbm *m, const gsl_matrix *V, double *out,
                              pmk_error *err)
{
    return pl_common(m, V, NULL, out, err);
}

int pmk_rbm_pseudo_likelihood_1bit(const pmk_rbm *m, const gsl_matrix *V,
                                   pmk_rng *r, double *out, pmk_error *err)
{
    return pl_common(m, V, r, out, err);
}

/* ---------------------------------------------------------------- exact log Z */

/* Enumerating the hidden layer (K = H states bits, the other layer L = D):
 *   log Z = logsumexp_{h in {0,1}^H} [a'h + sum_i softplus(b_i + (W h)_i)],
 * and with the roles swapped for the visible layer.  States go in blocks of up
 * to 4096 rows S (nb x K), G = S A' (nb x L) by one GEMM, then one term per
 * row; block sums are merged with a running log-sum-exp in double. */
int pmk_rbm_log_z_exact(const pmk_rbm *m, double *log_z, pmk_error *err)
{
    int hidden = m->h <= m->d;
    size_t K = hidden ? m->h : m->d, L = hidden ? m->d : m->h;
    if (K > PMK_RBM_EXACT_MAX)
        return pmk_error_set(err, PMK_ELIMIT,
                             "exact log Z needs a layer of at most %d units, but the "
                             "smaller layer has %zu; use AIS",
                             PMK_RBM_EXACT_MAX, K);
    const gsl_vector *ck = hidden ? m->a : m->b;   /* biases of the enumerated layer */
    const gsl_vector *cl = hidden ? m->b : m->a;   /* biases of the summed-out layer */
    size_t nstates = (size_t)1 << K;
    size_t block = nstates < 4096 ? nstates : 4096;
    gsl_matrix *S = gsl_matrix_alloc(block, K), *G = gsl_matrix_alloc(block, L);
    double *val = malloc(block * sizeof *val);
    if (!S || !G || !val) {
        if (S)
            gsl_matrix_free(S);
        if (G)
            gsl_matrix_free(G);
        free(val);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory computing log Z");
    }
    double total = -INFINITY;
    int rc = PMK_OK;
    for (size_t s0 = 0; s0 < nstates && !rc; s0 += block) {
        for (size_t r = 0; r < block; r++) {
            size_t s = s0 + r;
            double *row = gsl_matrix_ptr(S, r, 0);
            for (size_t k = 0; k < K; k++)
                row[k] = (double)((s >> k) & 1u);
        }
        /* hidden: G = S W' (block x D); visible: G = S W (block x H) */
        rc = pmk_gemm(CblasNoTrans, hidden ? CblasTrans : CblasNoTrans, 1.0, S, m->W, 0.0, G);
        for (size_t r = 0; r < block && !rc; r++) {
            const double *srow = gsl_matrix_const_ptr(S, r, 0);
            const double *grow = gsl_matrix_const_ptr(G, r, 0);
            double t = 0.0;
            for (size_t k = 0; k < K; k++)
                t += gsl_vector_get(ck, k) * srow[k];
            for (size_t l = 0; l < L; l++)
                t += pmk_softplus(gsl_vector_get(cl, l) + grow[l]);
            val[r] = t;
        }
        double part = pmk_logsumexp(val, block, 1);
        double pair[2] = {total, part};
        total = pmk_logsumexp(pair, 2, 1);
    }
    gsl_matrix_free(S);
    gsl_matrix_free(G);
    free(val);
    if (rc)
        return pmk_error_set(err, rc, "log Z: %s", pmk_strerror(rc));
    if (!isfinite(total))
        return pmk_error_set(err, PMK_ENUMERIC, "log Z is not finite");
    *log_z = total;
    return PMK_OK;
}

/* ---------------------------------------------------------------- AIS */

void pmk_rbm_ais_options_init_default(pmk_rbm_ais_options *o)
{
    o->runs = 100;
    o->n_betas[0] = 500;
    o->n_betas[1] = 4000;
    o->n_betas[2] = 10000;
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
 * M x D matrix, so each sweep is two GEMMs (M x D by D x H, M x H by H x D). */
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
    if (o->runs < 2)
        return pmk_error_set(err, PMK_EINVAL, "AIS needs at least 2 runs");
    if (K == 0)
        return pmk_error_set(err, PMK_EINVAL, "AIS needs at least 1 intermediate distribution");
    if (X && X->size2 != m->d)
        return pmk_error_set(err, PMK_EDATA,
                             "the data have %zu columns but the model has %zu visible units",
                             X->size2, m->d);
    size_t M = o->runs, D = m->d, H = m->h;
    /* The runs' states V (M x D), Xh and Hs (M x H each) and weights, and
     * the schedule: all sized by the options, so checked first. */
    unsigned long long per_run = sat_add(D, sat_add(sat_mul(2, H), 1));
    unsigned long long need = sat_mul(8, sat_add(sat_mul(M, per_run),
                                                 sat_add(K + 1, sat_mul(4, D) + H)));
    char what[64];
    snprintf(what, sizeof what, "AIS with %zu runs", M);
    int rc0 = pmk_mem_check(NULL, 0, 0, need, what, err);
    if (rc0)
        return rc0;
    double *beta = malloc((K + 1) * sizeof *beta);
    double *logw = calloc(M, sizeof *logw);
    gsl_vector *bA = gsl_vector_alloc(D);
    gsl_matrix *V = gsl_matrix_alloc(M, D), *Xh = gsl_matrix_alloc(M, H);
    gsl_matrix *Hs = gsl_matrix_alloc(M, H);
    int rc = PMK_OK;
    if (!beta || !logw || !bA || !V || !Xh || !Hs) {
        rc = pmk_error_set(err, PMK_ENOMEM, "out of memory for AIS");
        goto done;
    }
    /* The schedule: n_betas[s] equal steps across each of the three segments. */
    {
        const double edge[4] = {0.0, 0.5, 0.9, 1.0};
        size_t k = 0;
        beta[k++] = 0.0;
        for (int s = 0; s < 3; s++)
            for (size_t t = 1; t <= o->n_betas[s]; t++)
                beta[k++] = edge[s] + (edge[s + 1] - edge[s]) * (double)t / (double)o->n_betas[s];
        beta[K] = 1.0;
    }
    base_rate_biases(X, bA);
    double log_za = (double)H * M_LN2;
    for (size_t i = 0; i < D; i++)
        log_za += pmk_softplus(gsl_vector_get(bA, i));
    /* v_1 ~ p_0 = p_A */
    for (size_t n = 0; n < M; n++) {
        double *v = gsl_matrix_ptr(V, n, 0);
        for (size_t i = 0; i < D; i++)
            v[i] = pmk_rng_uniform(r) < pmk_sigmoid(gsl_vector_get(bA, i)) ? 1.0 : 0.0;
    }
    /* contiguous copies: bd = b - bA, and the biases */
    double *bd = malloc(D * sizeof *bd), *bb = malloc(D * sizeof *bb);
    double *ba = malloc(D * sizeof *ba), *aa = malloc(H * sizeof *aa);
    if (!bd || !bb || !ba || !aa) {
        free(bd);
        free(bb);
        free(ba);
        free(aa);
        rc = pmk_error_set(err, PMK_ENOMEM, "out of memory for AIS");
        goto done;
    }
    for (size_t i = 0; i < D; i++) {
        bb[i] = gsl_vector_get(m->b, i);
        ba[i] = gsl_vector_get(bA, i);
        bd[i] = bb[i] - ba[i];
    }
    for (size_t j = 0; j < H; j++)
        aa[j] = gsl_vector_get(m->a, j);
    for (size_t k = 1; k <= K && !rc; k++) {
        double bk = beta[k], bp = beta[k - 1];
        /* Xh = V W + a (M x H) */
        rc = pmk_gemm(CblasNoTrans, CblasNoTrans, 1.0, V, m->W, 0.0, Xh);
        if (rc)
            break;
        for (size_t n = 0; n < M; n++) {
            const double *v = gsl_matrix_const_ptr(V, n, 0);
            double *x = gsl_matrix_ptr(Xh, n, 0);
            double t = 0.0;
            for (size_t i = 0; i < D; i++)
                t += bd[i] * v[i];
            t *= bk - bp;
            for (size_t j = 0; j < H; j++) {
                x[j] += aa[j];
                t += pmk_softplus(bk * x[j]) - pmk_softplus(bp * x[j]);
            }
            logw[n] += t;
        }
        if (k == K)
            break;
        /* T_k: h ~ sigmoid(beta_k x), then v ~ sigmoid((1-beta_k) bA + beta_k (W h + b)) */
        for (size_t n = 0; n < M; n++) {
            const double *x = gsl_matrix_const_ptr(Xh, n, 0);
            double *hrow = gsl_matrix_ptr(Hs, n, 0);
            for (size_t j = 0; j < H; j++)
                hrow[j] = pmk_rng_uniform(r) < pmk_sigmoid(bk * x[j]) ? 1.0 : 0.0;
        }
        rc = pmk_gemm(CblasNoTrans, CblasTrans, 1.0, Hs, m->W, 0.0, V);
        if (rc)
            break;
        for (size_t n = 0; n < M; n++) {
            double *v = gsl_matrix_ptr(V, n, 0);
            for (size_t i = 0; i < D; i++) {
                double in = (1.0 - bk) * ba[i] + bk * (v[i] + bb[i]);
                v[i] = pmk_rng_uniform(r) < pmk_sigmoid(in) ? 1.0 : 0.0;
            }
        }
    }
    free(bd);
    free(bb);
    free(ba);
    free(aa);
    if (rc) {
        rc = pmk_error_set(err, rc, "AIS: %s", pmk_strerror(rc));
        goto done;
    }
    {
        double L = -INFINITY;
        for (size_t n = 0; n < M; n++)
            if (logw[n] > L)
                L = logw[n];
        if (!isfinite(L)) {
            rc = pmk_error_set(err, PMK_ENUMERIC, "AIS: the importance weights are not finite");
            goto done;
        }
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
        out->log_z_lo = mean - 3.0 * sigma > 0.0 ? log_za + L + log(mean - 3.0 * sigma)
                                                   : -INFINITY;
        out->runs = M;
        out->steps = K;
    }
done:
    free(beta);
    free(logw);
    if (bA)
        gsl_vector_free(bA);
    if (V)
        gsl_matrix_free(V);
    if (Xh)
        gsl_matrix_free(Xh);
    if (Hs)
        gsl_matrix_free(Hs);
    return rc;
}
