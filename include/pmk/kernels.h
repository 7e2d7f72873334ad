/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/** @file pmk/kernels.h
 * Numeric kernels shared by every model.
 *
 * Log-sum-exp, softmax, sigmoid, softplus, Bernoulli sampling and thin GEMM /
 * GEMV wrappers over gsl_blas.  Dimensions are written as in the maths: a
 * matrix X is N x K (N rows).  Every kernel is pure apart from the caller-owned
 * RNG; all are safe to call from several threads on distinct arguments. */
#ifndef PMK_KERNELS_H
#define PMK_KERNELS_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_blas.h>
#include "pmk/status.h"
#include "pmk/rng.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- scalars */

/** log(1 + exp(x)) without overflow or loss for large |x|. */
PMK_API double pmk_softplus(double x);

/** 1 / (1 + exp(-x)), never overflowing; exactly 0 or 1 only where the double
 *  result rounds there. */
PMK_API double pmk_sigmoid(double x);

/** log sigmoid(x) = -softplus(-x), accurate for x -> -inf and x -> +inf. */
PMK_API double pmk_log_sigmoid(double x);

/** Single-precision pmk_sigmoid. */
PMK_API float pmk_sigmoidf(float x);

/* ---------------------------------------------------------------- log-sum-exp */

/** log sum_i exp(x[i*stride]) over n entries, computed as
 *  m + log1p(sum_{i != argmax} exp(x_i - m)) with m = max_i x_i.
 *  Exact limits: all -inf (or n = 0) -> -inf; any +inf -> +inf; any NaN -> NaN;
 *  one finite value among -inf -> that value; +-1e308 never overflow. */
PMK_API double pmk_logsumexp(const double *x, size_t n, size_t stride);

/** Row-wise log-sum-exp: out[i] = logsumexp(X[i, :]).  X is N x K, out has N.
 *  @return PMK_EINVAL on a length mismatch. */
PMK_API int pmk_logsumexp_rows(const gsl_matrix *X, gsl_vector *out);

/** In place, row by row: X[i,:] <- log softmax(X[i,:]) = X[i,:] - logsumexp.
 *  A row of all -inf becomes NaN-free -inf (caller decides what that means).
 *  @return PMK_OK (a status for uniformity with the other row kernels). */
PMK_API int pmk_log_softmax_rows(gsl_matrix *X);

/** In place, row by row: X[i,:] <- softmax(X[i,:]); each row sums to 1.
 *  @return PMK_OK. */
PMK_API int pmk_softmax_rows(gsl_matrix *X);

/* ---------------------------------------------------------------- elementwise */

/** In place: every entry x <- sigmoid(x). */
PMK_API void pmk_sigmoid_inplace(gsl_matrix *X);
/** Single-precision pmk_sigmoid_inplace. */
PMK_API void pmk_sigmoid_inplace_float(gsl_matrix_float *X);

/** In place: every entry x <- softplus(x). */
PMK_API void pmk_softplus_inplace(gsl_matrix *X);

/** S[i,j] <- 1 if u < P[i,j] else 0, with u uniform in [0,1) drawn row-major
 *  from @p r.  P and S are N x K and may be the same matrix.  Entries of P are
 *  expected in [0,1]; values outside act as clipped.
 *  @return PMK_EINVAL on a shape mismatch. */
PMK_API int pmk_bernoulli_sample(const gsl_matrix *P, gsl_matrix *S, pmk_rng *r);
/** Single-precision pmk_bernoulli_sample (the same uniforms, in the same
 *  order, from @p r). */
PMK_API int pmk_bernoulli_sample_float(const gsl_matrix_float *P, gsl_matrix_float *S,
                                       pmk_rng *r);

/* ---------------------------------------------------------------- BLAS */

/** C <- alpha op(A) op(B) + beta C, with shapes checked: op(A) is M x K,
 *  op(B) is K x N, C is M x N.  Goes to the linked CBLAS (OpenBLAS where
 *  configured).  @return PMK_EINVAL on a shape mismatch (nothing computed). */
PMK_API int pmk_gemm(CBLAS_TRANSPOSE_t transA, CBLAS_TRANSPOSE_t transB, double alpha,
                     const gsl_matrix *A, const gsl_matrix *B, double beta, gsl_matrix *C);
/** Single-precision pmk_gemm (cblas_sgemm). */
PMK_API int pmk_gemm_float(CBLAS_TRANSPOSE_t transA, CBLAS_TRANSPOSE_t transB, float alpha,
                           const gsl_matrix_float *A, const gsl_matrix_float *B, float beta,
                           gsl_matrix_float *C);

/** y <- alpha op(A) x + beta y, shapes checked as for pmk_gemm.
 *  @return PMK_EINVAL on a shape mismatch (nothing computed). */
PMK_API int pmk_gemv(CBLAS_TRANSPOSE_t transA, double alpha, const gsl_matrix *A,
                     const gsl_vector *x, double beta, gsl_vector *y);

/** Adds v to every row of X (X is N x K, v has K).
 *  @return PMK_EINVAL on a length mismatch (X unchanged). */
PMK_API int pmk_add_row_vector(gsl_matrix *X, const gsl_vector *v);
/** Single-precision pmk_add_row_vector. */
PMK_API int pmk_add_row_vector_float(gsl_matrix_float *X, const gsl_vector_float *v);

/** The name of the CBLAS libpmk was built against: "openblas" or "gslcblas"
 *  (a static string). */
PMK_API const char *pmk_cblas_name(void);

#ifdef __cplusplus
}
#endif
#endif
