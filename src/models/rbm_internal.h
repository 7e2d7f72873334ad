/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_internal.h: what the RBM's source files share and the tests reach, not
 * exported (no PMK_API): small helpers, and the single-precision trainer
 * behind pmk_rbm_fit (a CD step from fixed samples is checked by hand). */
#ifndef PMK_RBM_INTERNAL_H
#define PMK_RBM_INTERNAL_H

#include <limits.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include "pmk/rbm.h"

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

/* Seeds the trainer's Bernoulli sampler (xoshiro128**) from @p r;
 * pmk_rbm_fit does it at the start of every epoch. */
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
 * momentum @p mu.  @p h0, when non-NULL (n x H), replaces the hidden sample
 * drawn from p(h | v0) (tests).  Samples come from the trainer's own sampler
 * (pmk_rbm_trainer_seed).  Adds the batch's summed squared reconstruction
 * error to *recon_sum.  PMK_EINVAL for n outside 1..batch or an h0 of
 * another shape, or a GEMM's status, each with a "training step: " message. */
int pmk_rbm_trainer_step(pmk_rbm_trainer *t, size_t n, double mu,
                         const gsl_matrix_float *h0, double *recon_sum, pmk_error *err);

/* Writes the float parameters and state back into @p m (double). */
int pmk_rbm_trainer_sync(const pmk_rbm_trainer *t, pmk_rbm *m, pmk_error *err);

#endif
