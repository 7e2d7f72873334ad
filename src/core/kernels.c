/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* kernels.c: the numeric kernels every model shares (see pmk/kernels.h).
 *
 * Dimensions are named as in the maths: X is N x K.  Nothing here allocates;
 * nothing here touches global state. */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <gsl/gsl_blas.h>

#include "pmk/kernels.h"
#include "core/core_internal.h"

/* softplus(x) = log(1 + e^x).  For x > 0 rewrite as x + log1p(e^-x) so that
 * e^x never overflows; log1p keeps the tiny tail exact for x << 0. */
double pmk_softplus(double x)
{
    if (x > 0)
        return x + log1p(exp(-x));
    return log1p(exp(x));
}

/* sigmoid(x) = 1 / (1 + e^-x); for x < 0 use e^x / (1 + e^x) so that the
 * exponential is always of a non-positive number. */
double pmk_sigmoid(double x)
{
    if (x >= 0)
        return 1.0 / (1.0 + exp(-x));
    double e = exp(x);
    return e / (1.0 + e);
}

float pmk_sigmoidf(float x)
{
    if (x >= 0)
        return 1.0f / (1.0f + expf(-x));
    float e = expf(x);
    return e / (1.0f + e);
}

double pmk_log_sigmoid(double x) { return -pmk_softplus(-x); }

/* Log-sum-exp, the limit argument: with m = max_i x_i attained at i*,
 *   log sum_i e^{x_i} = m + log(1 + sum_{i != i*} e^{x_i - m}),
 * every exponent is <= 0 so nothing overflows, and the i* term contributes the
 * exact 1 that log1p takes apart, so one finite value among -inf returns it
 * exactly.  m = -inf (all -inf, or n = 0) gives -inf; m = +inf gives +inf. */
double pmk_logsumexp(const double *x, size_t n, size_t stride)
{
    double m = -INFINITY;
    size_t imax = 0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i * stride];
        if (isnan(v))
            return v;
        if (v > m) {
            m = v;
            imax = i;
        }
    }
    if (isinf(m))
        return m;
    double s = 0.0;
    for (size_t i = 0; i < n; i++)
        if (i != imax)
            s += exp(x[i * stride] - m);
    return m + log1p(s);
}

int pmk_logsumexp_rows(const gsl_matrix *X, gsl_vector *out)
{
    if (out->size != X->size1)
        return PMK_EINVAL;
    for (size_t i = 0; i < X->size1; i++)
        gsl_vector_set(out, i, pmk_logsumexp(gsl_matrix_const_ptr(X, i, 0), X->size2, 1));
    return PMK_OK;
}

/* Both softmax forms work from m = max_k x_k and s = sum_k e^{x_k - m} (every
 * exponent <= 0), not from x - logsumexp(x): when m is huge, m + log s rounds
 * to m and x - lse would lose the log s term entirely.
 *   softmax_k = e^{x_k - m} / s,   log softmax_k = (x_k - m) - log s. */
static double shifted_sum(const double *row, size_t K, double *m_out)
{
    double m = -INFINITY;
    for (size_t k = 0; k < K; k++)
        if (row[k] > m || isnan(row[k]))
            m = row[k];
    *m_out = m;
    if (isinf(m) || isnan(m))
        return m;
    double s = 0.0;
    for (size_t k = 0; k < K; k++)
        s += exp(row[k] - m);
    return s;
}

int pmk_log_softmax_rows(gsl_matrix *X)
{
    for (size_t i = 0; i < X->size1; i++) {
        double *row = gsl_matrix_ptr(X, i, 0), m;
        double s = shifted_sum(row, X->size2, &m);
        if (isinf(m) && m < 0)
            continue;   /* all -inf: leave the row as it is */
        double ls = log(s);
        for (size_t k = 0; k < X->size2; k++)
            row[k] = (row[k] - m) - ls;
    }
    return PMK_OK;
}

int pmk_softmax_rows(gsl_matrix *X)
{
    for (size_t i = 0; i < X->size1; i++) {
        double *row = gsl_matrix_ptr(X, i, 0), m;
        double s = shifted_sum(row, X->size2, &m);
        for (size_t k = 0; k < X->size2; k++)
            row[k] = exp(row[k] - m) / s;
    }
    return PMK_OK;
}

void pmk_sigmoid_inplace(gsl_matrix *X)
{
    for (size_t i = 0; i < X->size1; i++) {
        double *row = gsl_matrix_ptr(X, i, 0);
        for (size_t j = 0; j < X->size2; j++)
            row[j] = pmk_sigmoid(row[j]);
    }
}

void pmk_sigmoid_inplace_float(gsl_matrix_float *X)
{
    for (size_t i = 0; i < X->size1; i++) {
        float *row = gsl_matrix_float_ptr(X, i, 0);
        for (size_t j = 0; j < X->size2; j++)
            row[j] = pmk_sigmoidf(row[j]);
    }
}

void pmk_softplus_inplace(gsl_matrix *X)
{
    for (size_t i = 0; i < X->size1; i++) {
        double *row = gsl_matrix_ptr(X, i, 0);
        for (size_t j = 0; j < X->size2; j++)
            row[j] = pmk_softplus(row[j]);
    }
}

/* S ~ Bernoulli(P) elementwise, for double and float: one uniform draw a
 * unit, in row order, compared in double (the same draws for both types). */
#define BERNOULLI_SAMPLE(T, P, S, r)                                                              \
    do {                                                                                          \
        if ((P)->size1 != (S)->size1 || (P)->size2 != (S)->size2)                                 \
            return PMK_EINVAL;                                                                    \
        gsl_rng *g = pmk_rng_gsl(r);                                                              \
        for (size_t i = 0; i < (P)->size1; i++) {                                                 \
            const T *p = (P)->data + i * (P)->tda;                                                \
            T *s = (S)->data + i * (S)->tda;                                                      \
            for (size_t j = 0; j < (P)->size2; j++)                                               \
                s[j] = gsl_rng_uniform(g) < (double)p[j] ? (T)1 : (T)0;                           \
        }                                                                                         \
        return PMK_OK;                                                                            \
    } while (0)

int pmk_bernoulli_sample(const gsl_matrix *P, gsl_matrix *S, pmk_rng *r)
{
    BERNOULLI_SAMPLE(double, P, S, r);
}

int pmk_bernoulli_sample_float(const gsl_matrix_float *P, gsl_matrix_float *S, pmk_rng *r)
{
    BERNOULLI_SAMPLE(float, P, S, r);
}

/* Shapes of op(A): rows and columns after the optional transpose. */
static size_t op_rows(CBLAS_TRANSPOSE_t t, size_t r, size_t c) { return t == CblasNoTrans ? r : c; }
static size_t op_cols(CBLAS_TRANSPOSE_t t, size_t r, size_t c) { return t == CblasNoTrans ? c : r; }

/* The GEMM's sizes from its operands' shapes (the same fields in the double
 * and float matrices): PMK_EINVAL when they do not conform, PMK_ELIMIT when
 * a size or stride passes CBLAS's int.  Sets d[] = M, N, K, lda, ldb, ldc. */
static int gemm_shape(CBLAS_TRANSPOSE_t tA, CBLAS_TRANSPOSE_t tB, const size_t a[3],
                      const size_t b[3], const size_t c[3], int d[6])
{
    size_t M = op_rows(tA, a[0], a[1]), K = op_cols(tA, a[0], a[1]);
    size_t K2 = op_rows(tB, b[0], b[1]), N = op_cols(tB, b[0], b[1]);
    if (K != K2 || c[0] != M || c[1] != N)
        return PMK_EINVAL;
    size_t all[6] = {M, N, K, a[2], b[2], c[2]};
    for (int i = 0; i < 6; i++) {
        if (all[i] > INT_MAX)
            return PMK_ELIMIT;
        d[i] = (int)all[i];
    }
    return PMK_OK;
}
#define SHAPE(X) ((const size_t[3]){(X)->size1, (X)->size2, (X)->tda})

/* C (M x N) <- alpha op(A) (M x K) op(B) (K x N) + beta C. */
int pmk_gemm(CBLAS_TRANSPOSE_t transA, CBLAS_TRANSPOSE_t transB, double alpha,
             const gsl_matrix *A, const gsl_matrix *B, double beta, gsl_matrix *C)
{
    int d[6], rc = gemm_shape(transA, transB, SHAPE(A), SHAPE(B), SHAPE(C), d);
    if (rc == PMK_OK)
        core_blas_get()->dgemm(CblasRowMajor, transA, transB, d[0], d[1], d[2], alpha, A->data,
                               d[3], B->data, d[4], beta, C->data, d[5]);
    return rc;
}

int pmk_gemm_float(CBLAS_TRANSPOSE_t transA, CBLAS_TRANSPOSE_t transB, float alpha,
                   const gsl_matrix_float *A, const gsl_matrix_float *B, float beta,
                   gsl_matrix_float *C)
{
    int d[6], rc = gemm_shape(transA, transB, SHAPE(A), SHAPE(B), SHAPE(C), d);
    if (rc == PMK_OK)
        core_blas_get()->sgemm(CblasRowMajor, transA, transB, d[0], d[1], d[2], alpha, A->data,
                               d[3], B->data, d[4], beta, C->data, d[5]);
    return rc;
}

/* y (M) <- alpha op(A) (M x K) x (K) + beta y. */
int pmk_gemv(CBLAS_TRANSPOSE_t transA, double alpha, const gsl_matrix *A,
             const gsl_vector *x, double beta, gsl_vector *y)
{
    size_t M = op_rows(transA, A->size1, A->size2), K = op_cols(transA, A->size1, A->size2);
    if (x->size != K || y->size != M)
        return PMK_EINVAL;
    if (A->size1 > INT_MAX || A->size2 > INT_MAX || A->tda > INT_MAX || x->stride > INT_MAX
        || y->stride > INT_MAX)
        return PMK_ELIMIT;
    core_blas_get()->dgemv(CblasRowMajor, transA, (int)A->size1,
                           (int)A->size2, alpha, A->data, (int)A->tda, x->data, (int)x->stride,
                           beta, y->data, (int)y->stride);
    return PMK_OK;
}

/* X += v on every row, for double and float (the same code, two types). */
#define ADD_ROW_VECTOR(T, X, v)                                                                   \
    do {                                                                                          \
        if ((v)->size != (X)->size2)                                                              \
            return PMK_EINVAL;                                                                    \
        for (size_t i = 0; i < (X)->size1; i++) {                                                 \
            T *row = (X)->data + i * (X)->tda;                                                    \
            for (size_t j = 0; j < (X)->size2; j++)                                               \
                row[j] += (v)->data[j * (v)->stride];                                             \
        }                                                                                         \
        return PMK_OK;                                                                            \
    } while (0)

int pmk_add_row_vector(gsl_matrix *X, const gsl_vector *v) { ADD_ROW_VECTOR(double, X, v); }

int pmk_add_row_vector_float(gsl_matrix_float *X, const gsl_vector_float *v)
{
    ADD_ROW_VECTOR(float, X, v);
}

const char *pmk_cblas_name(void) { return core_blas_get()->name; }
