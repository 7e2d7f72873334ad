/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_full.c: the Gaussian classifier with one full covariance shared by the
 * classes (--covariance full): the streaming, mergeable pooled scatter, the
 * ridge and Cholesky factorisation, and prediction by GEMM.
 *
 * Model (Bishop, "Pattern Recognition and Machine Learning", 2006, sec.
 * 4.2.2, linear discriminant analysis as a generative classifier): x in R^D,
 * K classes, p(y = k) = alpha_k, p(x | k) = N(x; mu_k, Sigma).
 *
 * Fit (maximum likelihood, as the diagonal model's variances): with S the
 * pooled within-class scatter, S = sum_k sum_{i in k} w_i (x_i - mu_k)(x_i -
 * mu_k)^T (D x D), N = sum of the weights,
 *   Sigma = S / N + r I,   r = ridge * trace(S / N) / D.
 * The /N estimate is the MLE (the diagonal model's pooled variance is S's
 * diagonal over N); sklearn's LinearDiscriminantAnalysis divides by N too.
 * S is streamed: a chunk B with class means m_bk and counts n_bk adds its own
 * scatter S_B (one SYRK over its centred rows, sqrt(w_i)(x_i - m_bk)), and
 * the model's classes A (n_ak, mu_ak) merge with it as in Chan, Golub &
 * LeVeque (1983) for the variance, one rank-one term per class:
 *   S = S_A + S_B + sum_k n_ak n_bk / (n_ak + n_bk) d_k d_k^T,
 *   d_k = m_bk - mu_ak,
 * the cross terms being extra rows of the same SYRK.  `gnb merge`, the
 * threaded fit (gnb_par.c) and MPI (models merged as text) use the same
 * update, so every way of splitting the rows gives S to rounding.
 *
 * Prediction: on shifted rows x' = s x - t (t the data's centre, as in the
 * diagonal model: keeps the terms small), mu'_k = mu_k - t, P = Sigma^-1,
 *   log alpha_k + log p(x | k) = x'^T W_k + b_k - 1/2 x'^T P x'
 *   W = P M'^T (D x K, K Cholesky solves, once per model)
 *   b_k = log alpha_k - 1/2 mu'_k^T W_k - 1/2 (D log 2 pi + log det Sigma)
 * so that the scores of a block of B rows are one GEMM (B x D times D x K);
 * the quadratic term, the same for every class, costs a second GEMM (B x D
 * times D x D) and is computed only when J itself is asked for (eval's NLL,
 * pmk_gnb_joint_log_likelihood), not for labels and posteriors.
 * Training NLL from the statistics:
 *   NLL = -(1/N) sum_k N_k log alpha_k + 1/2 (D log 2 pi + log det Sigma)
 *         + (1/2N) trace(P S). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>

#include "pmk/kernels.h"
#include "pmk/limits.h"
#include "models/gnb_internal.h"
#include "core/core_internal.h"

/* What finish derives, one block of doubles. */
struct gnb_full {
    double *sigma;        /* D x D: Sigma (ridge included), symmetric */
    double *prec;         /* D x D: Sigma^-1, symmetric */
    double *W;            /* K x D: row k is (P mu'_k)^T */
    double *b;            /* K */
    double ridge_add;     /* r */
    gsl_matrix_view sigma_v;
};

int pmk_gnb_full_alloc(pmk_gnb *m, pmk_error *err)
{
    size_t D = m->d, DD;
    if (pmk_size_mul(D, D, &DD) || DD > PMK_GNB_MAX_PARAMS)
        return pmk_error_set(err, PMK_ELIMIT,
                             "a full covariance of %zu features is too large (%zu x %zu is "
                             "more than %zu numbers)", D, D, D, (size_t)PMK_GNB_MAX_PARAMS);
    /* the scatter, and at finish Sigma, its inverse and the Cholesky copy */
    int rc = pmk_mem_check(NULL, 0, 0, 8ULL * 4ULL * DD, "a full covariance", err);
    if (rc)
        return rc;
    if (!(m->scatter = calloc(DD, sizeof *m->scatter)))
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    return PMK_OK;
}

void pmk_gnb_full_free_derived(pmk_gnb *m)
{
    if (m->full)
        free(m->full->sigma);
    free(m->full);
    m->full = NULL;
}

/* S += Z^T Z over the n rows of Z (n x D), upper triangle: GSL's CBLAS
 * interface, on OpenBLAS when pmk found it (core/blas.c). */
static void syrk_add(double *S, const double *Z, size_t n, size_t D)
{
    if (n)
        core_blas_get()->dsyrk(CblasRowMajor, CblasUpper, CblasTrans, (int)D, (int)n, 1.0, Z,
                               (int)D, 1.0, S, (int)D);
}

/* The row sqrt(f) (mb - ma) of a cross term. */
static void cross_row(double *out, double f, const double *mb, const double *ma, size_t D)
{
    double r = sqrt(f);
    for (size_t j = 0; j < D; j++)
        out[j] = r * (mb[j] - ma[j]);
}

int pmk_gnb_full_chunk(pmk_gnb *m, const gsl_matrix *X, double s, const double *w,
                       const size_t *idx, const long *u, size_t nu, const double *cnt,
                       const double *mb, pmk_error *err)
{
    size_t N = X->size1, D = m->d;
    double *Z = malloc((N + nu) * D * sizeof *Z);   /* N centred rows, nu cross rows */
    if (!Z)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    for (size_t i = 0; i < N; i++) {
        const double *x = gsl_matrix_const_ptr(X, i, 0), *mu = mb + idx[i] * D;
        double r = w ? sqrt(w[i]) : 1.0, *z = Z + i * D;
        for (size_t j = 0; j < D; j++)
            z[j] = r * (x[j] * s - mu[j]);
    }
    size_t n = N;
    for (size_t i = 0; i < nu; i++) {
        long k = pmk_gnb_find_label(m->labels, m->k, u[i]);
        double na = k < 0 ? 0 : m->count[k];
        if (na > 0)
            cross_row(Z + n++ * D, na * cnt[i] / (na + cnt[i]), mb + i * D,
                      m->mean + (size_t)k * D, D);
    }
    syrk_add(m->scatter, Z, n, D);
    free(Z);
    return PMK_OK;
}

void pmk_gnb_full_rescale(pmk_gnb *m, double s)
{
    for (size_t t = 0; m->scatter && t < m->d * m->d; t++)
        m->scatter[t] *= s * s;
}

int pmk_gnb_full_merge(pmk_gnb *m, const pmk_gnb *a, const pmk_gnb *b, pmk_error *err)
{
    size_t D = m->d, n = 0, nmax = a->k < b->k ? a->k : b->k;
    double *Z = malloc((nmax ? nmax : 1) * D * sizeof *Z);
    if (!Z)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    for (size_t i = 0; i < a->k; i++) {
        long j = pmk_gnb_find_label(b->labels, b->k, a->labels[i]);
        double na = a->count[i], nb = j < 0 ? 0 : b->count[j];
        if (na > 0 && nb > 0)
            cross_row(Z + n++ * D, na * nb / (na + nb), b->mean + (size_t)j * D,
                      a->mean + i * D, D);
    }
    for (size_t t = 0; t < D * D; t++)
        m->scatter[t] = a->scatter[t] + b->scatter[t];
    syrk_add(m->scatter, Z, n, D);
    free(Z);
    return PMK_OK;
}

/* ---------------------------------------------------------------- finish */

/* Sigma = S / N + r I, symmetric, and r. */
static double make_sigma(const pmk_gnb *m, double N, double *sigma)
{
    size_t D = m->d;
    double tr = 0;
    for (size_t i = 0; i < D; i++)
        for (size_t j = i; j < D; j++)
            sigma[i * D + j] = sigma[j * D + i] = m->scatter[i * D + j] / N;
    for (size_t i = 0; i < D; i++)
        tr += sigma[i * D + i];
    double r = m->opt.ridge * tr / (double)D;
    for (size_t i = 0; i < D; i++)
        sigma[i * D + i] += r;
    return r;
}

/* W, b and the training NLL from the Cholesky factor L (D x D, lower) and
 * P = Sigma^-1. */
static int coefficients(pmk_gnb *m, struct gnb_full *f, const gsl_matrix *L, double N,
                        double logdet, pmk_error *err)
{
    size_t D = m->d, K = m->k;
    double c0 = -0.5 * ((double)D * log(2 * M_PI) + logdet), nll = 0, tr = 0;
    gsl_vector *mu = gsl_vector_alloc(D);
    if (!mu)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    for (size_t k = 0; k < K; k++) {
        gsl_vector_view wk = gsl_vector_view_array(f->W + k * D, D);
        double quad = 0;
        for (size_t j = 0; j < D; j++)
            gsl_vector_set(mu, j, m->mean[k * D + j] - m->shift[j]);
        gsl_linalg_cholesky_solve(L, mu, &wk.vector);
        for (size_t j = 0; j < D; j++)
            quad += gsl_vector_get(mu, j) * f->W[k * D + j];
        double la = log(m->alpha[k]);
        f->b[k] = la - 0.5 * quad + c0;
        nll -= m->count[k] * la;
    }
    gsl_vector_free(mu);
    for (size_t i = 0; i < D; i++)   /* trace(P S), S from its upper triangle */
        for (size_t j = i; j < D; j++)
            tr += (i == j ? 1.0 : 2.0) * f->prec[i * D + j] * m->scatter[i * D + j];
    m->train_nll = nll / N - c0 + 0.5 * tr / N;
    for (size_t k = 0; k < K; k++)
        if (!isfinite(f->b[k]) || !isfinite(m->train_nll)) {
            pmk_error_set(err, PMK_EDATA,
                          "class %ld: the log-density overflows double precision (values "
                          "far larger than their standard deviation); scale them down "
                          "(--scale)", m->labels[k]);
            if (err)
                err->line = (long)k + 1;
            return PMK_EDATA;
        }
    return PMK_OK;
}

int pmk_gnb_full_finish(pmk_gnb *m, double N, pmk_error *err)
{
    size_t D = m->d, K = m->k, DD = D * D;
    struct gnb_full *f = calloc(1, sizeof *f);
    double *chol = malloc(DD * sizeof *chol);
    if (f)
        f->sigma = malloc((2 * DD + K * D + K) * sizeof *f->sigma);
    if (!f || !chol || !f->sigma) {
        if (f)
            free(f->sigma);
        free(f);
        free(chol);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    }
    f->prec = f->sigma + DD;
    f->W = f->prec + DD;
    f->b = f->W + K * D;
    f->ridge_add = make_sigma(m, N, f->sigma);
    memcpy(chol, f->sigma, DD * sizeof *chol);
    gsl_matrix_view L = gsl_matrix_view_array(chol, D, D);
    int rc = PMK_OK;
    if (gsl_linalg_cholesky_decomp1(&L.matrix)) {
        rc = pmk_error_set(err, PMK_EDATA,
                           "the covariance matrix is not positive definite, even with the "
                           "ridge (%g x the mean variance = %g added to its diagonal): give "
                           "a larger --ridge", m->opt.ridge, f->ridge_add);
    } else {
        double logdet = 0;
        for (size_t i = 0; i < D; i++)
            logdet += 2 * log(chol[i * D + i]);
        memcpy(f->prec, chol, DD * sizeof *chol);
        gsl_matrix_view P = gsl_matrix_view_array(f->prec, D, D);
        if (gsl_linalg_cholesky_invert(&P.matrix))
            rc = pmk_error_set(err, PMK_EDATA, "the covariance matrix cannot be inverted");
        else
            rc = coefficients(m, f, &L.matrix, N, logdet, err);
    }
    free(chol);
    if (rc) {
        free(f->sigma);
        free(f);
        return rc;
    }
    f->sigma_v = gsl_matrix_view_array(f->sigma, D, D);
    m->full = f;
    return PMK_OK;
}

/* ---------------------------------------------------------------- predict */

int pmk_gnb_full_block(const pmk_gnb *m, const gsl_matrix *X, double s, gsl_matrix *J,
                       double *scratch, int exact)
{
    size_t B = X->size1, D = m->d, K = m->k;
    const struct gnb_full *f = m->full;
    for (size_t i = 0; i < B; i++) {   /* X' = s X - 1 t^T  (B x D) */
        const double *x = gsl_matrix_const_ptr(X, i, 0);
        double *z = scratch + i * D;
        for (size_t j = 0; j < D; j++)
            z[j] = x[j] * s - m->shift[j];
    }
    gsl_matrix_view Xb = gsl_matrix_view_array(scratch, B, D);
    gsl_matrix_const_view W = gsl_matrix_const_view_array(f->W, K, D);
    int rc = pmk_gemm(CblasNoTrans, CblasTrans, 1.0, &Xb.matrix, &W.matrix, 0.0, J);   /* B x K */
    if (rc)
        return rc;
    gsl_matrix_view Q = gsl_matrix_view_array(scratch + B * D, B, D);
    if (exact) {   /* Q = X' P  (B x D), q_i = sum_j Q_ij X'_ij */
        gsl_matrix_const_view P = gsl_matrix_const_view_array(f->prec, D, D);
        if ((rc = pmk_gemm(CblasNoTrans, CblasNoTrans, 1.0, &Xb.matrix, &P.matrix, 0.0,
                           &Q.matrix)))
            return rc;
    }
    for (size_t i = 0; i < B; i++) {
        double q = 0, *out = gsl_matrix_ptr(J, i, 0);
        const double *z = scratch + i * D, *qi = scratch + (B + i) * D;
        for (size_t j = 0; exact && j < D; j++)
            q += qi[j] * z[j];
        for (size_t k = 0; k < K; k++)
            out[k] += f->b[k] - 0.5 * q;
    }
    return PMK_OK;
}

/* ---------------------------------------------------------------- accessors */

const gsl_matrix *pmk_gnb_covariance(const pmk_gnb *m)
{
    return m->finished && m->full ? &m->full->sigma_v.matrix : NULL;
}

double pmk_gnb_ridge_added(const pmk_gnb *m)
{
    return m->full ? m->full->ridge_add : 0.0;
}
