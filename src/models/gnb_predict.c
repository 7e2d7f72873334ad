/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_predict.c: prediction with the Gaussian classifier (joint
 * log-likelihoods by blocked GEMMs, posteriors, labels) and the running
 * evaluation over labelled chunks. */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/kernels.h"
#include "pmk/limits.h"
#include "models/gnb_internal.h"
#include "core/core_internal.h"
#include "core/vecf_internal.h"
#include "models/gnb_jll_internal.h"

/* Rows per block in the prediction GEMMs: bounds the scratch at B x D doubles
 * whatever N is.  Diagonal models: 32 rows (201 KB for MNIST, 1.6 MB with
 * 256), a scratch malloc hands back from the heap with its pages already
 * touched (one of 1 MB was mapped fresh, 256 page faults, twice a thread);
 * a GEMM of 32 x D by D x K still runs near peak.  A row's J does not depend
 * on the block it is in (the GEMM's sums over D are blocked the same for any
 * number of rows; eval and predict output is the same bytes for 16 to 256).
 * The full covariance keeps 256: its second GEMM packs the D x D inverse
 * each call. */
#define GNB_BLOCK(m) ((m)->full ? (size_t)256 : (size_t)32)

/* The row kernel of prediction, unrolled by four so that GCC's basic-block
 * vectorizer packs it at -O2 (the loop vectorizer is off there); D is any
 * length.
 * out = s x - t; returns sum_j out_j^2 p_j when p is non-NULL (else 0). */
static double row_shift(double *restrict out, const double *restrict x, double s,
                        const double *restrict t, const double *restrict p, size_t D)
{
    size_t j = 0;
    if (!p) {
        for (; j + 4 <= D; j += 4) {
            out[j] = x[j] * s - t[j];
            out[j + 1] = x[j + 1] * s - t[j + 1];
            out[j + 2] = x[j + 2] * s - t[j + 2];
            out[j + 3] = x[j + 3] * s - t[j + 3];
        }
        for (; j < D; j++)
            out[j] = x[j] * s - t[j];
        return 0;
    }
    double q0 = 0, q1 = 0, q2 = 0, q3 = 0;
    for (; j + 4 <= D; j += 4) {
        double a0 = x[j] * s - t[j], a1 = x[j + 1] * s - t[j + 1];
        double a2 = x[j + 2] * s - t[j + 2], a3 = x[j + 3] * s - t[j + 3];
        out[j] = a0;
        out[j + 1] = a1;
        out[j + 2] = a2;
        out[j + 3] = a3;
        q0 += a0 * a0 * p[j];
        q1 += a1 * a1 * p[j + 1];
        q2 += a2 * a2 * p[j + 2];
        q3 += a3 * a3 * p[j + 3];
    }
    for (; j < D; j++) {
        out[j] = x[j] * s - t[j];
        q0 += out[j] * out[j] * p[j];
    }
    return (q0 + q1) + (q2 + q3);
}

/* ---------------------------------------------------------------- prediction
 *
 * Joint log-likelihood of a block of B rows (B <= G = GNB_BLOCK(m)), X' =
 * s X - 1 t^T (G x D, in the scratch, rows B.. zero), W and P K x D:
 *   J = X' W^T                                   (GEMM, G x K, B rows kept)
 *   shared: J[i,k] += c_k - 1/2 sum_d X'_id^2 P_0d   (one row dot per i)
 *   class:  J += -1/2 (X' o X') P^T + 1 c^T      (second GEMM)
 * Every GEMM has the same G rows, so that each row goes through the same
 * kernel: OpenBLAS computes the last rows of a block that is not a multiple
 * of its unroll (4 rows here, 16 on AVX-512) in another order, and a row's
 * J would differ in its last bits with its place in a chunk, so with the
 * thread count (the posteriors predict --proba writes).
 * The shift t (see pmk_gnb_finish) keeps the cancellation between the three
 * terms of sum (x - mu)^2 / v small.  Scratch: G (D + 1 + K) doubles. */

/* The transposed, lane-padded W and P of the small-K kernel (gnb_jll.c);
 * scratch: G (D + 1 + 2 Kp) + 2 D Kp doubles, in jll_blocks. */
struct jll_ws {
    double *scratch;
    const double *Wt, *Pt;   /* D x Kp; Pt NULL in shared mode */
    size_t Kp;               /* 0: the GEMMs */
    int lvl;                 /* vecf_level() */
};

static int jll_block(const pmk_gnb *m, const gsl_matrix *X, double s, gsl_matrix *J,
                     const struct jll_ws *ws, int exact)
{
    double *scratch = ws->scratch;
    if (m->full)   /* the shared full covariance: gnb_full.c */
        return pmk_gnb_full_block(m, X, s, J, scratch, exact);
    size_t B = X->size1, G = GNB_BLOCK(m), D = m->d, K = m->k, Kp = ws->Kp;
    int shared = m->opt.variance == PMK_GNB_VAR_SHARED;
    double *q = scratch + G * D;   /* G: -1/2 sum_d x'^2 P_0d, shared mode */
    double *jg = q + G;            /* G x K, or G x Kp twice (small K) */
    for (size_t i = 0; i < B; i++)
        q[i] = -0.5 * row_shift(scratch + i * D, gsl_matrix_const_ptr(X, i, 0), s, m->shift,
                                shared ? m->P : NULL, D);
    if (Kp) {   /* small K: rows independent, no padding rows needed */
        double *A = jg, *Q = jg + G * Kp;
        gnb_jll_small(ws->lvl, scratch, B, D, ws->Wt, ws->Pt, Kp, A, Q);
        for (size_t i = 0; i < B; i++) {
            double *out = gsl_matrix_ptr(J, i, 0), qi = shared ? q[i] : 0;
            for (size_t k = 0; k < K; k++)
                out[k] = (shared ? A[i * Kp + k] : A[i * Kp + k] + -0.5 * Q[i * Kp + k])
                         + (m->c[k] + qi);
        }
        return PMK_OK;
    }
    if (B < G)
        memset(scratch + B * D, 0, (G - B) * D * sizeof *scratch);
    gsl_matrix_view Xb = gsl_matrix_view_array(scratch, G, D);
    gsl_matrix_view Jg = gsl_matrix_view_array(jg, G, K);
    gsl_matrix_const_view W = gsl_matrix_const_view_array(m->W, K, D);
    int rc = pmk_gemm(CblasNoTrans, CblasTrans, 1.0, &Xb.matrix, &W.matrix, 0.0, &Jg.matrix);
    if (rc)
        return rc;
    if (!shared) {
        for (size_t t = 0; t < B * D; t++)
            scratch[t] *= scratch[t];
        gsl_matrix_const_view P = gsl_matrix_const_view_array(m->P, K, D);
        rc = pmk_gemm(CblasNoTrans, CblasTrans, -0.5, &Xb.matrix, &P.matrix, 1.0, &Jg.matrix);
        if (rc)
            return rc;
    }
    for (size_t i = 0; i < B; i++) {
        double *out = gsl_matrix_ptr(J, i, 0), qi = shared ? q[i] : 0;
        for (size_t k = 0; k < K; k++)
            out[k] = jg[i * K + k] + (m->c[k] + qi);
    }
    return PMK_OK;
}

/* Wt = W^T and Pt = P^T (D x Kp, lanes K.. zero) into @p t for the small-K
 * kernel; returns Pt, NULL in shared mode. */
static double *jll_transpose(const pmk_gnb *m, size_t Kp, double *t);

int pmk_gnb_lanes_make(pmk_gnb *m, pmk_error *err)
{
    free(m->lanes);
    m->lanes = NULL;
    if (m->full || m->scatter || m->k > GNB_JLL_KMAX)
        return PMK_OK;
    size_t Kp = gnb_jll_kp(m->k), n = (m->opt.variance == PMK_GNB_VAR_SHARED ? 1 : 2) * m->d * Kp;
    if (!(m->lanes = malloc(n * sizeof *m->lanes)))
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    (void)jll_transpose(m, Kp, m->lanes);
    return PMK_OK;
}

static double *jll_transpose(const pmk_gnb *m, size_t Kp, double *t)
{
    size_t D = m->d, K = m->k;
    int shared = m->opt.variance == PMK_GNB_VAR_SHARED;
    memset(t, 0, (shared ? 1 : 2) * D * Kp * sizeof *t);
    for (size_t k = 0; k < K; k++)
        for (size_t d = 0; d < D; d++) {
            t[d * Kp + k] = m->W[k * D + d];
            if (!shared)
                t[(D + d) * Kp + k] = m->P[k * D + d];
        }
    return shared ? NULL : t + D * Kp;
}

static int check_predict(const pmk_gnb *m, const gsl_matrix *X, size_t jrows, size_t jcols,
                         pmk_error *err)
{
    if (!m->finished)
        return pmk_error_set(err, PMK_EINVAL, "the model is not fitted");
    if (X->size2 != m->d)
        return pmk_error_set(err, PMK_EINVAL, "the data have %zu features, the model %zu",
                             X->size2, m->d);
    if (jrows != X->size1 || jcols != m->k)
        return pmk_error_set(err, PMK_EINVAL, "the output is %zu x %zu, expected %zu x %zu",
                             jrows, jcols, X->size1, m->k);
    return PMK_OK;
}

/* Runs jll_block over the raw rows X, transformed as the model was, in
 * blocks of GNB_BLOCK(m) rows (@p exact: J itself, else J up to a constant per
 * row, enough for posteriors and labels and cheaper with a full covariance).  @p J is N x K, or, when @p per_block is
 * non-NULL, GNB_BLOCK(m) x K scratch handed with each block (rows [start,
 * start+B)) to @p per_block, with the transformed rows @p in. */
typedef int (*block_fn)(void *ctx, size_t start, gsl_matrix *Jb, const pmk_gnb_input *in,
                        pmk_error *err);

static int jll_blocks(const pmk_gnb *m, const gsl_matrix *X, gsl_matrix *J, block_fn per_block,
                      void *ctx, int exact, pmk_error *err)
{
    size_t N = X->size1;
    if (N == 0)
        return PMK_OK;
    size_t B = N < GNB_BLOCK(m) ? N : GNB_BLOCK(m);
    pmk_gnb_input in;
    int rc = pmk_gnb_input_open(m, X, m->opt.transform.scale, &in, err);
    /* the full covariance: B (2 D + 1); else G (D + 1 + K), jll_block's;
     * small K: G (D + 1 + 2 Kp) + 2 D Kp */
    size_t G = GNB_BLOCK(m), D = m->d;
    struct jll_ws ws = {0};
    ws.Kp = !m->full && m->k <= GNB_JLL_KMAX ? gnb_jll_kp(m->k) : 0;
    int own = ws.Kp && !m->lanes;   /* the lanes made by finish, else here */
    size_t n = m->full ? B * (2 * D + 1)
               : ws.Kp ? G * (D + 1 + 2 * ws.Kp) + (own ? 2 * D * ws.Kp : 0)
                       : G * (D + 1 + m->k);
    double *scratch = ws.scratch = rc ? NULL : malloc(n * sizeof *scratch);
    if (!rc && !scratch)
        rc = pmk_error_set(err, PMK_ENOMEM, "out of memory");
    if (!rc && ws.Kp) {
        double *t = own ? scratch + G * (D + 1 + 2 * ws.Kp) : m->lanes;
        ws.Wt = t;
        ws.Pt = own ? jll_transpose(m, ws.Kp, t)
                    : m->opt.variance == PMK_GNB_VAR_SHARED ? NULL : t + D * ws.Kp;
        ws.lvl = vecf_level();
    }
    for (size_t start = 0; start < N && !rc; start += B) {
        size_t nb = N - start < B ? N - start : B;
        gsl_matrix_const_view Xb = gsl_matrix_const_submatrix(in.X, start, 0, nb, m->d);
        gsl_matrix_view Jb = gsl_matrix_submatrix(J, per_block ? 0 : start, 0, nb, m->k);
        rc = jll_block(m, &Xb.matrix, in.s, &Jb.matrix, &ws, exact);
        if (rc)
            rc = pmk_error_set(err, rc, "GEMM failed: %s", pmk_strerror(rc));
        else if (per_block)
            rc = per_block(ctx, start, &Jb.matrix, &in, err);
    }
    free(scratch);
    pmk_gnb_input_close(&in);
    return rc;
}

int pmk_gnb_joint_log_likelihood(const pmk_gnb *m, const gsl_matrix *X, gsl_matrix *J,
                                 pmk_error *err)
{
    int rc = check_predict(m, X, J->size1, J->size2, err);
    return rc ? rc : jll_blocks(m, X, J, NULL, NULL, 1, err);
}

/* J up to a constant per row (all posteriors need), normalised by @p norm. */
static int posteriors(const pmk_gnb *m, const gsl_matrix *X, gsl_matrix *L,
                      int (*norm)(gsl_matrix *), pmk_error *err)
{
    int rc = check_predict(m, X, L->size1, L->size2, err);
    if (!rc)
        rc = jll_blocks(m, X, L, NULL, NULL, 0, err);
    return rc ? rc : norm(L);
}

int pmk_gnb_predict_log_proba(const pmk_gnb *m, const gsl_matrix *X, gsl_matrix *L,
                              pmk_error *err)
{
    return posteriors(m, X, L, pmk_log_softmax_rows, err);
}

int pmk_gnb_predict_proba(const pmk_gnb *m, const gsl_matrix *X, gsl_matrix *P,
                          pmk_error *err)
{
    return posteriors(m, X, P, pmk_softmax_rows, err);
}

static size_t argmax_row(const gsl_matrix *J, size_t i)
{
    const double *r = gsl_matrix_const_ptr(J, i, 0);
    size_t best = 0;
    for (size_t k = 1; k < J->size2; k++)
        if (r[k] > r[best])
            best = k;
    return best;
}

struct predict_ctx {
    const pmk_gnb *m;
    long *labels;
};

static int predict_block(void *ctx, size_t start, gsl_matrix *Jb, const pmk_gnb_input *in,
                         pmk_error *err)
{
    struct predict_ctx *p = ctx;
    (void)in, (void)err;
    for (size_t i = 0; i < Jb->size1; i++)
        p->labels[start + i] = p->m->labels[argmax_row(Jb, i)];
    return PMK_OK;
}

/* The GNB_BLOCK(m) x K scratch that jll_blocks fills block by block. */
static int with_block_scratch(const pmk_gnb *m, const gsl_matrix *X, block_fn fn, void *ctx,
                              int exact, pmk_error *err)
{
    size_t B = X->size1 < GNB_BLOCK(m) ? X->size1 : GNB_BLOCK(m);
    if (B == 0)
        return PMK_OK;
    gsl_matrix *J = gsl_matrix_alloc(B, m->k);
    if (!J)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    int rc = jll_blocks(m, X, J, fn, ctx, exact, err);
    gsl_matrix_free(J);
    return rc;
}

int pmk_gnb_predict(const pmk_gnb *m, const gsl_matrix *X, long *labels, pmk_error *err)
{
    int rc = check_predict(m, X, X->size1, m->k, err);
    if (rc)
        return rc;
    struct predict_ctx p = {m, labels};
    return with_block_scratch(m, X, predict_block, &p, 0, err);
}

/* ---------------------------------------------------------------- evaluation */

/* The counts of @p e: 3 K-vectors, and the K x K confusion for small K. */
static int eval_counts_alloc(pmk_gnb_eval *e, size_t K)
{
    e->support = calloc(K ? K : 1, sizeof *e->support);
    e->predicted = calloc(K ? K : 1, sizeof *e->predicted);
    e->hits = calloc(K ? K : 1, sizeof *e->hits);
    e->precision = malloc((K ? K : 1) * sizeof *e->precision);
    e->recall = malloc((K ? K : 1) * sizeof *e->recall);
    e->f1 = malloc((K ? K : 1) * sizeof *e->f1);
    e->confusion = K <= PMK_GNB_EVAL_CONFUSION_MAX
                       ? calloc(K ? K * K : 1, sizeof *e->confusion) : NULL;
    return e->support && e->predicted && e->hits && e->precision && e->recall && e->f1
           && (e->confusion || K > PMK_GNB_EVAL_CONFUSION_MAX);
}

static void eval_counts_free(pmk_gnb_eval *e)
{
    CORE_FREE(e->confusion, e->support, e->predicted, e->hits, e->precision, e->recall, e->f1);
}

void pmk_gnb_eval_rates(pmk_gnb_eval *e)
{
    double n = (double)e->n;
    e->accuracy = e->n ? (double)e->correct / n : NAN;
    e->mean_nll = e->n ? e->sum_nll / n : NAN;
    e->mean_log_post = e->n ? e->sum_log_post / n : NAN;
    e->log_loss = 0.0 - e->mean_log_post;   /* +0, not -0, when every posterior is 1 */
    /* averages over the classes true or predicted, undefined rates as 0 */
    double mp = 0, mr = 0, mf = 0, wp = 0, wr = 0, wf = 0, na = 0;
    for (size_t k = 0; k < e->k; k++) {
        double p = e->precision[k] = pmk_gnb_eval_precision(e, k);
        double r = e->recall[k] = pmk_gnb_eval_recall(e, k);
        double f = e->f1[k] = pmk_gnb_eval_f1(e, k), s = (double)e->support[k];
        if (isnan(f))
            continue;
        p = isnan(p) ? 0 : p;
        r = isnan(r) ? 0 : r;
        na++;
        mp += p, mr += r, mf += f;
        wp += s * p, wr += s * r, wf += s * f;
    }
    e->macro_precision = e->n ? mp / na : NAN;
    e->macro_recall = e->n ? mr / na : NAN;
    e->macro_f1 = e->n ? mf / na : NAN;
    e->weighted_precision = e->n ? wp / n : NAN;
    e->weighted_recall = e->n ? wr / n : NAN;
    e->weighted_f1 = e->n ? wf / n : NAN;
}

pmk_gnb_eval *pmk_gnb_eval_alloc(const pmk_gnb *m, pmk_error *err)
{
    pmk_gnb_eval *e = calloc(1, sizeof *e);
    if (!e || !eval_counts_alloc(e, m->k)) {
        if (e)
            eval_counts_free(e);
        free(e);
        pmk_error_set(err, PMK_ENOMEM, "out of memory");
        return NULL;
    }
    e->k = m->k;
    pmk_gnb_eval_rates(e);
    return e;
}

void pmk_gnb_eval_free(pmk_gnb_eval *e)
{
    if (!e)
        return;
    eval_counts_free(e);
    free(e);
}

/* ---- the exact sums (fix_* of pmk_gnb_eval): term v = w + f, w = trunc(v)
 * (|v| < 2^40, so that 2^23 rows of the largest fit in 63 bits), f in
 * 2^-52 units (exact for |v| >= 1, rounded once per row below); the
 * fraction's carry moves into the whole part at each addition, leaving it in
 * [0, 2^52) (gnb_fix_carry, gnb_internal.h).  The double is w + f 2^-52,
 * rounded once (gnb_fix_sums). */

static void fix_add(pmk_gnb_eval *e, int s, double v)
{
    if (e->fix_off_ || !(fabs(v) < 0x1p40)) {
        e->fix_off_ = 1;
        return;
    }
    double w = trunc(v);
    e->fix_frac_[s] += llrint((v - w) * 0x1p52);
    if (__builtin_add_overflow(e->fix_whole_[s], (long long)w, &e->fix_whole_[s]))
        e->fix_off_ = 1;
    gnb_fix_carry(e, s);
}

void pmk_gnb_eval_fix_merge(pmk_gnb_eval *a, const pmk_gnb_eval *b)
{
    a->fix_off_ |= b->fix_off_;
    for (int s = 0; s < 2 && !a->fix_off_; s++) {
        a->fix_frac_[s] += b->fix_frac_[s];   /* both in [0, 2^52) */
        if (__builtin_add_overflow(a->fix_whole_[s], b->fix_whole_[s], &a->fix_whole_[s]))
            a->fix_off_ = 1;
        gnb_fix_carry(a, s);
    }
    gnb_fix_sums(a);
}

struct eval_ctx {
    const pmk_gnb *m;
    pmk_gnb_eval *e;
    const size_t *truth;
};

static int eval_block(void *ctx, size_t start, gsl_matrix *Jb, const pmk_gnb_input *in,
                      pmk_error *err)
{
    struct eval_ctx *c = ctx;
    const pmk_gnb *m = c->m;
    size_t K = m->k, D = m->d;
    (void)err;
    for (size_t i = 0; i < Jb->size1; i++) {
        size_t t = c->truth[start + i], p = argmax_row(Jb, i);
        const double *r = gsl_matrix_const_ptr(Jb, i, 0);
        double lse = pmk_logsumexp(r, K, 1);
        c->e->n++;
        c->e->correct += p == t;
        c->e->support[t]++;
        c->e->predicted[p]++;
        c->e->hits[t] += p == t;
        if (c->e->confusion)
            c->e->confusion[t * K + p]++;
        c->e->sum_nll -= r[t];
        c->e->sum_log_post += r[t] - lse;
        fix_add(c->e, 0, -r[t]);
        fix_add(c->e, 1, r[t] - lse);
        const double *x = gsl_matrix_const_ptr(in->X, start + i, 0), *mu = m->mean + t * D;
        for (size_t z = m->zero_off[t]; z < m->zero_off[t + 1]; z++) {
            size_t j = m->zero_dim[z];
            if (x[j] * in->s != mu[j]) {
                c->e->zero_var_rows++;
                break;
            }
        }
    }
    return PMK_OK;
}

int pmk_gnb_eval_add(pmk_gnb_eval *e, const pmk_gnb *m, const gsl_matrix *X, const long *y,
                     pmk_error *err)
{
    return pmk_gnb_eval_add_tokens(e, m, X, y, NULL, 0, err);
}

int pmk_gnb_eval_add_tokens(pmk_gnb_eval *e, const pmk_gnb *m, const gsl_matrix *X,
                            const long *y, const char *const *tok, size_t ntok, pmk_error *err)
{
    int rc = check_predict(m, X, X->size1, m->k, err);
    if (rc)
        return rc;
    if (e->k != m->k)
        return pmk_error_set(err, PMK_EINVAL, "the evaluation was made for another model");
    size_t N = X->size1;
    if (N == 0)
        return PMK_OK;
    size_t *truth = malloc(N * sizeof *truth);
    long *cls = tok ? malloc((ntok ? ntok : 1) * sizeof *cls) : NULL;   /* tok[j]'s class */
    if (!truth || (tok && !cls)) {
        CORE_FREE(truth, cls);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    }
    pmk_gnb_token_classes(m, tok, ntok, cls);
    for (size_t i = 0; i < N; i++) {
        int in = y[i] >= 0 && (size_t)y[i] < ntok;   /* tok: y[i] indexes it */
        long k = !tok ? pmk_gnb_label_class(m, y[i]) : in ? cls[y[i]] : -1;
        if (k < 0) {
            char b0[32], b1[32], bl[32];
            CORE_FREE(truth, cls);
            if (tok && !in)
                return pmk_error_at(err, PMK_EINVAL, NULL, (long)(i + 1), 0,
                                    "label index %ld outside the %zu tokens", y[i], ntok);
            snprintf(bl, sizeof bl, "%ld", y[i]);
            return pmk_error_at(err, PMK_EDATA, NULL, (long)(i + 1), 0,
                                "label %s was not seen in training (the model has %zu "
                                "classes, labels %s to %s)", tok ? tok[y[i]] : bl, m->k,
                                pmk_gnb_label_text(m, 0, b0), pmk_gnb_label_text(m, m->k - 1, b1));
        }
        truth[i] = (size_t)k;
    }
    free(cls);
    /* Accumulate into a copy so that a failure leaves @p e unchanged. */
    pmk_gnb_eval tmp = *e;
    size_t K = m->k, kk = K <= PMK_GNB_EVAL_CONFUSION_MAX ? K * K : 0;
    if (!eval_counts_alloc(&tmp, K)) {
        eval_counts_free(&tmp);
        free(truth);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    }
    if (kk)
        memcpy(tmp.confusion, e->confusion, kk * sizeof *tmp.confusion);
    memcpy(tmp.support, e->support, K * sizeof *tmp.support);
    memcpy(tmp.predicted, e->predicted, K * sizeof *tmp.predicted);
    memcpy(tmp.hits, e->hits, K * sizeof *tmp.hits);
    struct eval_ctx c = {m, &tmp, truth};
    rc = with_block_scratch(m, X, eval_block, &c, 1, err);
    free(truth);
    if (rc) {
        eval_counts_free(&tmp);
        return rc;
    }
    eval_counts_free(e);
    *e = tmp;
    gnb_fix_sums(e);
    pmk_gnb_eval_rates(e);
    return PMK_OK;
}

double pmk_gnb_eval_precision(const pmk_gnb_eval *e, size_t k)
{
    return e->predicted[k] ? (double)e->hits[k] / (double)e->predicted[k] : NAN;
}

double pmk_gnb_eval_recall(const pmk_gnb_eval *e, size_t k)
{
    return e->support[k] ? (double)e->hits[k] / (double)e->support[k] : NAN;
}

double pmk_gnb_eval_f1(const pmk_gnb_eval *e, size_t k)
{
    size_t d = e->support[k] + e->predicted[k];
    return d ? 2.0 * (double)e->hits[k] / (double)d : NAN;
}
