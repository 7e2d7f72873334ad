/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_internal.h: what the RBM's source files share and the tests reach, not
 * exported (no PMK_API): small helpers, and the single-precision trainer
 * behind pmk_rbm_fit (a CD step from fixed samples is checked by hand). */
#ifndef PMK_RBM_INTERNAL_H
#define PMK_RBM_INTERNAL_H

#include <limits.h>
#include <stdint.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include "pmk/rbm.h"
#include "pmk/rng.h"

/* a * b and a + b, or ULLONG_MAX when that overflows (a byte count "too
 * large" for pmk_mem_check). */
static inline unsigned long long rbm_sat_mul(unsigned long long a, unsigned long long b)
{
    return b && a > ULLONG_MAX / b ? ULLONG_MAX : a * b;
}

static inline unsigned long long rbm_sat_add(unsigned long long a, unsigned long long b)
{
    return a > ULLONG_MAX - b ? ULLONG_MAX : a + b;
}

/* gsl_*_free that accept NULL whatever the GSL version. */
static inline void rbm_matrix_free(gsl_matrix *A)
{
    if (A)
        gsl_matrix_free(A);
}

static inline void rbm_vector_free(gsl_vector *v)
{
    if (v)
        gsl_vector_free(v);
}

/* Allocates what is missing of the training state: the momentum dW, db, da
 * when @p momentum, @p chains persistent chains (P x H) when non-zero.
 * PMK_ENOMEM (what was allocated stays in the model for pmk_rbm_free). */
int pmk_rbm_state_alloc(pmk_rbm *m, int momentum, size_t chains, pmk_error *err);

/* m's RNG record <- a copy of @p size bytes of @p state, the generator's
 * @p type name and @p seed.  PMK_ENOMEM. */
int pmk_rbm_rng_set(pmk_rbm *m, const char *type, unsigned long seed, const void *state,
                    size_t size, pmk_error *err);

/* m's RNG record <- @p r's state now (after an epoch), with @p seed (the
 * holdout split's).  A state over PMK_RBM_RNG_STATE_MAX bytes is not
 * recorded.  PMK_ENOMEM. */
int pmk_rbm_rng_capture(pmk_rbm *m, pmk_rng *r, unsigned long seed, pmk_error *err);

/* @p r's state <- m's record: PMK_EINVAL when @p r is another type or size. */
int pmk_rbm_rng_restore(const pmk_rbm *m, pmk_rng *r, pmk_error *err);

/* b_i = logit(p_i), p_i the mean of column i of X (N x D) clipped to
 * [0.001, 0.999] (Hinton 2010, sec. 8.1); b = 0 when X is NULL or empty. */
void pmk_rbm_base_rates(const gsl_matrix *X, gsl_vector *b);

/* Float copies of the parameters, the momentum and the chains, plus every
 * per-batch buffer, allocated once per training run. */
typedef struct pmk_rbm_trainer pmk_rbm_trainer;

/* Copies @p m's parameters and training state into single precision; buffers
 * for minibatches of up to @p batch rows.  @p o must have passed _check. */
pmk_rbm_trainer *pmk_rbm_trainer_alloc(const pmk_rbm *m, const pmk_rbm_options *o,
                                       pmk_error *err);
void pmk_rbm_trainer_free(pmk_rbm_trainer *t);

/* The minibatch buffer (batch x D) that pmk_rbm_trainer_step reads its first
 * @p n rows from. */
gsl_matrix_float *pmk_rbm_trainer_batch(pmk_rbm_trainer *t);

/* Sets the key of the trainer's per-row streams (rbm_stream) from four
 * draws of @p r, and counts minibatches from 0; pmk_rbm_fit does it at the
 * start of every epoch. */
void pmk_rbm_trainer_seed(pmk_rbm_trainer *t, pmk_rng *r);

/* The inverse temperatures of @p o's o->temperatures replicas, as floats. */
void pmk_rbm_pt_betas(const pmk_rbm_options *o, float *betas);

/* rates[0..M-2] <- each neighbour pair's swap acceptance since the last call
 * (NaN before any), and the counts start again. */
void pmk_rbm_trainer_swap_rates(pmk_rbm_trainer *t, double *rates);

/* The Gibbs steps of the next updates (the k ramp changes it per epoch). */
void pmk_rbm_trainer_set_k(pmk_rbm_trainer *t, size_t k);
/* Data-parallel training: o->reduce over the trainer's parameters and
 * momentum buffers, @p weight this worker's share of the minibatch's rows. */
int rbm_trainer_reduce(pmk_rbm_trainer *t, const pmk_rbm_options *o, double weight,
                       double *recon, pmk_error *err);

/* One CD-k / PCD-k update on the first @p n rows of the batch buffer, with
 * momentum @p mu, on the options' threads.  @p h0, when non-NULL (n x H),
 * replaces the hidden sample drawn from p(h | v0) (tests).  Samples come from
 * the trainer's per-row streams (pmk_rbm_trainer_seed).  Adds the batch's summed squared reconstruction
 * error to *recon_sum.  PMK_EINVAL for n outside 1..batch or an h0 of
 * another shape, or a GEMM's status, each with a "training step: " message. */
int pmk_rbm_trainer_step(pmk_rbm_trainer *t, size_t n, double mu,
                         const gsl_matrix_float *h0, double *recon_sum, pmk_error *err);

/* Writes the float parameters and state back into @p m (double). */
int pmk_rbm_trainer_sync(const pmk_rbm_trainer *t, pmk_rbm *m, pmk_error *err);

/* xoshiro128** (Blackman & Vigna 2018), inlined: xo_seed takes four 32-bit
 * draws from the caller's pmk_rng (the training streams' key for an epoch),
 * so a seed fixes the whole run and a run split into several pmk_rbm_fit
 * calls draws the same numbers. */
typedef struct xo128 {
    uint32_t s[4];
} xo128;

static inline uint32_t rotl32(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static inline uint32_t xo_next(xo128 *x)
{
    uint32_t *s = x->s;
    const uint32_t result = rotl32(s[1] * 5u, 7) * 9u;
    const uint32_t t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl32(s[3], 11);
    return result;
}

static inline void xo_seed(xo128 *x, pmk_rng *r)
{
    gsl_rng *g = pmk_rng_gsl(r);
    uint32_t any = 0;
    for (int i = 0; i < 4; i++) {
        /* 32 bits from the uniform, whatever the generator's range */
        x->s[i] = (uint32_t)(gsl_rng_uniform(g) * 4294967296.0);
        any |= x->s[i];
    }
    if (!any)
        x->s[0] = 1u;   /* the all-zero state is xoshiro's only fixed point */
}

/* Four xoshiro128** generators in the lanes of a vector (GCC/Clang vector
 * extensions): the stream of one row of a minibatch in the trainer, four
 * draws per call, so that a row's Bernoulli draws vectorise.  Lane l of
 * draw q gives the row's number 4 q + l. */
typedef uint32_t rbm_v4su __attribute__((vector_size(16)));
typedef struct xo4 {
    rbm_v4su s0, s1, s2, s3;
} xo4;

static inline rbm_v4su xo4_next(xo4 *x)
{
    const rbm_v4su m = x->s1 * 5u, result = ((m << 7) | (m >> 25)) * 9u;
    const rbm_v4su t = x->s1 << 9;
    x->s2 ^= x->s0;
    x->s3 ^= x->s1;
    x->s1 ^= x->s2;
    x->s0 ^= x->s3;
    x->s2 ^= t;
    x->s3 = (x->s3 << 11) | (x->s3 >> 21);
    return result;
}

/* The next step's minibatch: the @p step-th of the epoch (each step counts
 * one on from the last), and its first row's index in the minibatch, this
 * worker's part of it in data-parallel training: each row draws what the
 * same row draws in one process. */
void rbm_trainer_place(pmk_rbm_trainer *t, uint64_t step, size_t row0);

/* ---------------------------------------------------------------- Gaussian units
 * (rbm_gauss.c: the hooks the binary code calls where the units differ) */

/* *U <- V / s (a new matrix) for a Gaussian model whose s is not all 1, else
 * *U = NULL (use V).  PMK_ENOMEM. */
int rbm_gauss_scaled(const pmk_rbm *m, const gsl_matrix *V, gsl_matrix **U, pmk_error *err);

/* The visible part of E(v, h) for one row v (D): -b'v (binary) or
 * sum_i (v_i - b_i)^2 / (2 s_i^2) (Gaussian). */
double rbm_visible_energy(const pmk_rbm *m, const double *v);

/* The mean of p(v_i | h) from x = (W h)_i: sigmoid(x + b_i) or b_i + s_i x. */
double rbm_visible_mean(const pmk_rbm *m, size_t i, double x);

/* S (means of p(v | h)) <- a draw: Bernoulli(S), or S + s N(0,1) row by row. */
int rbm_visible_draw(const pmk_rbm *m, gsl_matrix *S, pmk_rng *r, pmk_error *err);

/* AIS (rbm_score.c): beta[0..K] <- the schedule of @p o (K = the sum of its
 * n_betas, beta_0 = 0, beta_K = 1); the estimate from the runs' log weights
 * logw (M) and log Z_0 into *out (log Z, its 3-sigma interval, runs, steps);
 * PMK_ENUMERIC when no weight is finite. */
void rbm_ais_schedule(const pmk_rbm_ais_options *o, double *beta);
int rbm_ais_estimate(const double *logw, size_t M, size_t K, double log_za,
                     pmk_rbm_ais_result *out, pmk_error *err);

/* One model's AIS path for rbm_ais_drive: start draws run q's first state
 * v_1 ~ p_0 from the run's stream; block does step k (beta bk, the previous
 * bp) for the runs [n0, n0 + n), one block of at most RBM_AIS_BLOCK runs on
 * one thread: log w += log p*_k(v) - log p*_{k-1}(v), then unless @p last
 * the Gibbs sweep leaving p_k invariant, run q drawing from rs[q] only.  A
 * status, PMK_OK or a GEMM's. */
enum { RBM_AIS_BLOCK = 16 };
typedef struct rbm_ais_path {
    void *ctx;
    void (*start)(void *ctx, size_t q, pmk_rng *r);
    int (*block)(void *ctx, size_t n0, size_t n, double bk, double bp, int last, pmk_rng **rs,
                 double *logw);
} rbm_ais_path;

/* The runs of AIS for either model (rbm_score.c): the M run streams (taus2,
 * seeded by M draws from @p r in run order), this worker's blocks
 * (o->part of o->parts) shared among o->threads threads in fixed blocks,
 * the progress after each step, o->reduce, and the estimate from log Z_0 =
 * @p log_z0 into *out.  @p logw: M zeros.  The same bits for any thread
 * count. */
int rbm_ais_drive(const pmk_rbm_ais_options *o, pmk_rng *r, const double *beta,
                  double log_z0, const rbm_ais_path *path, double *logw,
                  pmk_rbm_ais_result *out, pmk_error *err);

/* pmk_rbm_log_z_exact (on @p threads threads: the same bits for any count)
 * and pmk_rbm_log_z_ais for a Gaussian model. */
int rbm_gauss_log_z_exact(const pmk_rbm *m, int threads, double *log_z, pmk_error *err);
int rbm_gauss_log_z_ais(const pmk_rbm *m, const gsl_matrix *X, const pmk_rbm_ais_options *o,
                        pmk_rng *r, pmk_rbm_ais_result *out, pmk_error *err);

/* Float kernels of the trainer for Gaussian units, on one row of k: y <- y +
 * c; s <- mu + N(0,1) (Box-Muller on the row's stream). */
void rbm_add_bias_row_f(float *y, const float *c, size_t k);
void rbm_gauss_draw_row_f(const float *mu, float *s, size_t k, xo4 *x);

/* The trainer's s for Gaussian units when s is not all 1 or is learned
 * (rbm_gauss.c): the trainer then works in u = v / s, where the chain is
 * that of s = 1 with the visible bias c = b / s (see rbm_gauss.c). */
typedef struct rbm_sigma_f {
    size_t d;
    int learn;               /* options learn_sigma */
    float *s, *c, *g;        /* D each: s, b / s, the gradient of log s */
    gsl_matrix_float *WP;    /* rows x D: p(h|v) W' (learning only) */
} rbm_sigma_f;

/* NULL when @p m is binary, or has s = 1 and does not learn it; else a new
 * state (*bad set when out of memory, the state then partial: free it). */
rbm_sigma_f *rbm_sigma_alloc(const pmk_rbm *m, const pmk_rbm_options *o, size_t rows, int *bad);
void rbm_sigma_free(rbm_sigma_f *g);
/* At the start of a step: V0 (n x D) <- V0 / s, c <- b / s. */
void rbm_sigma_begin(rbm_sigma_f *g, const gsl_vector_float *b, gsl_matrix_float *V0, size_t n);
/* g += sign / n sum_rows [(u - c)^2 + mean - u (P W')] over U, P (n rows),
 * @p mean 1 when U holds the means of p(u | h) (CD's last step), whose
 * (u - c)^2 lacks the unit variance: a GEMM's status. */
int rbm_sigma_grad(rbm_sigma_f *g, const gsl_matrix_float *W, const gsl_matrix_float *U,
                   const gsl_matrix_float *P, size_t n, float sign, int mean);
/* After the step: s <- s exp(eps g), within [0.01, 100]; g <- 0. */
void rbm_sigma_update(rbm_sigma_f *g, float eps);
/* m->sigma <- s. */
void rbm_sigma_sync(const rbm_sigma_f *g, pmk_rbm *m);

/* PMK_EINVAL when @p o cannot train model @p m: tempering with Gaussian
 * units, learn_sigma with binary ones or with several parts (MPI). */
int rbm_gauss_train_check(const pmk_rbm *m, const pmk_rbm_options *o, pmk_error *err);

/* rows (n x D, contiguous floats) <- (rows - mean) / sd for a Gaussian model. */
void rbm_standardise_f(const pmk_rbm *m, float *rows, size_t n);

#endif
