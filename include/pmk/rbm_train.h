/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/** @file pmk/rbm_train.h
 * Training a pmk_rbm (pmk/rbm.h, which includes this header): CD-k, PCD-k
 * and parallel tempering, with momentum, weight decay, a sparsity target,
 * Gaussian visible units and an exact resume; the options, the per-epoch
 * callback and the results.  A separate header only to keep pmk/rbm.h
 * readable: include either. */
#ifndef PMK_RBM_TRAIN_H
#define PMK_RBM_TRAIN_H

#include "pmk/rbm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- training */

/** Training options.  pmk_rbm_options_init_default fills Hinton's rbm.m
 *  values where it has them. */
/** The combining step of data-parallel training, called after each
 *  minibatch with this worker's @p nbuf float buffers (W, dW: D x H
 *  row-major; b, db: D; a, da: H; @p len[i] floats each), its share
 *  @p weight = (rows of its part) / (rows of the minibatch), and @p recon,
 *  the minibatch's summed reconstruction error over its part.  To train on
 *  the global minibatch it replaces each buffer by the weighted sum over the
 *  workers (sum_w weight_w buf_w, the same on every worker) and @p recon by
 *  the sum over workers.  A nonzero status (with @p err) stops training. */
typedef int (*pmk_rbm_reduce_fn)(float *const *buf, const size_t *len, size_t nbuf,
                                 double weight, double *recon, void *ctx, pmk_error *err);

typedef struct pmk_rbm_options {
    size_t epochs;        /**< passes over the data [10] */
    size_t batch;         /**< minibatch size B [100] */
    size_t k;             /**< Gibbs steps of CD-k / PCD-k [1] */
    int persistent;       /**< 1: PCD (persistent chains, Tieleman 2008) [0] */
    double lr;            /**< learning rate epsilon [0.1] */
    double momentum;      /**< fixed momentum in [0,1), or < 0 for 0.5 during
                               epochs 1-5 then 0.9 (rbm.m) [-1] */
    double weight_decay;  /**< L2 weight cost on W [0.0002] */
    int k_ramp;           /**< 1: k grows linearly from 1 in this call's first
                               epoch to k in its last (pmk_rbm_epoch_k), as
                               Salakhutdinov & Murray (2008) grew k during
                               training [0] */
    double sparsity_target; /**< p, the mean activation each hidden unit is
                               pushed toward (Hinton 2010, sec. 11), in (0,1)
                               [0.1]; used only with sparsity_cost > 0 */
    double sparsity_cost; /**< lambda >= 0, the weight of the sparsity penalty;
                               0 switches it off, the model then as without
                               it, bit for bit [0] */
    double sparsity_decay; /**< the running mean's decay in [0,1),
                               q <- decay q + (1 - decay) mean_batch p(h|v)
                               [0.95] */
    size_t temperatures;  /**< M in 2..PMK_RBM_PT_MAX: parallel tempering
                               with M replicas of `batch` chains (Desjardins
                               et al. 2010; see rbm_train.c), persistent must
                               be 0; 0: off [0] */
    double betas[PMK_RBM_PT_MAX]; /**< the replicas' inverse temperatures,
                               increasing in [0,1], betas[M-1] = 1; all 0
                               (the default): r / (M - 1), evenly spaced */
    int log_exact_pl;     /**< 1: pmk_rbm_fit_table's epoch info carries the
                               exact pseudo-likelihood of the held-out rows
                               (D*H work per row) [0] */
    int continue_rng;     /**< 1: pmk_rbm_train_table continuing a model that
                               records its RNG state reseeds the run's rng
                               with the model's seed for the holdout split,
                               then sets it to the saved state, so that
                               1 + 1 epochs give the model 2 epochs give
                               (same data and options) [0] */
    size_t hidden;        /**< H of the model pmk_rbm_train_table makes when
                               given none [500]; other calls ignore it */
    int visible;          /**< PMK_RBM_BINARY or PMK_RBM_GAUSSIAN: the units of
                               the model pmk_rbm_train_table makes when given
                               none [PMK_RBM_BINARY]; a continued model keeps
                               its own.  Gaussian excludes tempering */
    int learn_sigma;      /**< 1: learn the s_i of Gaussian units (log s by
                               gradient steps, rbm_gauss.c); 0: keep them [0].
                               One process only (not data-parallel) */
    double holdout;       /**< the fraction of the rows pmk_rbm_train_table
                               holds out of training, in [0,1) [0.05]; other
                               calls ignore it */
    pmk_progress_fn progress; /**< called after each minibatch (pmk/progress.h) [NULL] */
    void *progress_ctx;   /**< passed to progress [NULL] */
    /* Data-parallel training (doc/scaling.md): `parts` workers (MPI ranks)
     * with the same seed, data and options each train on their part of every
     * minibatch, then @c reduce combines their parameters. */
    size_t part;          /**< this worker: rows [part n / parts, (part + 1) n /
                               parts) of each minibatch of n rows [0] */
    size_t parts;         /**< workers, >= 1 [1] */
    pmk_rbm_reduce_fn reduce; /**< after each minibatch when non-NULL [NULL] */
    void *reduce_ctx;     /**< passed to reduce [NULL] */
    int threads;          /**< pmk's threads for each minibatch step (rows
                               of the GEMMs in blocks of 48, OpenBLAS on one
                               thread): 0 = the cores available [0].  The
                               same seed gives a byte-identical model for any
                               count (per-row random streams; a BLAS whose
                               kernel tiles rows by a divisor of 48, as
                               OpenBLAS and gslcblas do).  Minibatches of
                               batch x D x H below PMK_RBM_BLAS_SHARE_MIN run
                               on one thread */
} pmk_rbm_options;

/** Multiply-adds a training GEMM (batch x D x H) needs before pmk_rbm_fit
 *  shares its minibatches among threads (2^23: a 100 x 784 x 500 minibatch is shared, the
 *  demo's 20 x 784 x 100 is not). */
#define PMK_RBM_BLAS_SHARE_MIN 8388608.0

/** Fills @p o with the defaults in brackets above. */
PMK_API void pmk_rbm_options_init_default(pmk_rbm_options *o);

/** Sets o->visible by name: "binary" or "gaussian"; PMK_EINVAL "unknown
 *  visible units 'X' (binary or gaussian)". */
PMK_API int pmk_rbm_options_set_visible(pmk_rbm_options *o, const char *name, pmk_error *err);

/** Sets the trainer by name: "cd" (persistent 0, temperatures 0), "pcd"
 *  (persistent 1) or "pt" (temperatures 10 unless already set, persistent
 *  0).  PMK_EINVAL "unknown trainer 'X' (cd, pcd or pt)". */
PMK_API int pmk_rbm_options_set_trainer(pmk_rbm_options *o, const char *name, pmk_error *err);

/** Sets the tempering replicas from @p spec: a count M ("10": betas evenly
 *  spaced from 0 to 1) or a list of inverse temperatures ("0,0.5,0.8,1"),
 *  with no check (pmk_rbm_options_check does it).  PMK_EINVAL "temperatures:
 *  'SPEC' is neither a count nor a list of numbers" or "temperatures: more
 *  than 64". */
PMK_API int pmk_rbm_options_set_temperatures(pmk_rbm_options *o, const char *spec,
                                             pmk_error *err);

/** Checks the options (epochs, batch and k >= 1, lr > 0, momentum < 1,
 *  weight decay >= 0, 1 <= hidden <= PMK_RBM_MAX_WEIGHTS, holdout in
 *  [0,1)); PMK_EINVAL, the message naming the offending one. */
PMK_API int pmk_rbm_options_check(const pmk_rbm_options *o, pmk_error *err);

/** The Gibbs steps used in epoch @p e (0-based within one pmk_rbm_fit call)
 *  of @p o->epochs: o->k, or with o->k_ramp 1 + round((k - 1) e / (E - 1)),
 *  which is 1 in the first epoch and k in the last (k when E = 1). */
PMK_API size_t pmk_rbm_epoch_k(const pmk_rbm_options *o, size_t e);

/** What pmk_rbm_fit reports after each epoch. */
typedef struct pmk_rbm_epoch_info {
    size_t epoch;         /**< 1-based over the model's life (m->epochs) */
    double recon_error;   /**< mean over the epoch's rows of rbm.m's error */
    double pseudo_likelihood; /**< pmk_rbm_fit_table: scikit-learn's one-bit
                               estimate on the first min(N, 1000) training
                               rows (drawing from the fit's rng); else NaN */
    double free_energy_gap;   /**< pmk_rbm_fit_table with held-out rows: mean
                               F(held out) - mean F(those training rows), the
                               overfitting monitor of Hinton's guide, sec. 6;
                               else NaN */
    const double *swap_rates; /**< parallel tempering: the M - 1 acceptance
                               rates of the swaps of replicas r and r + 1 over
                               the epoch (valid during the callback); else NULL */
    double pseudo_likelihood_exact; /**< with options log_exact_pl and
                               held-out rows (pmk_rbm_fit_table): the exact
                               pseudo-likelihood (every bit) of the held-out
                               rows; else NaN */
    const char *notice;   /**< NULL, except in the one call pmk_rbm_train_table
                               makes before the first epoch (epoch: the
                               epochs trained before, figures NaN): what the
                               run trains on, a line for a person */
} pmk_rbm_epoch_info;

/** Called after each epoch with the model's parameters up to date; a non-zero
 *  return stops training and becomes pmk_rbm_fit's status. */
typedef int (*pmk_rbm_epoch_fn)(const pmk_rbm *m, const pmk_rbm_epoch_info *info,
                                void *ctx);

/** Trains @p m on X (N x D, values in [0,1]) by CD-k or PCD-k; see rbm_train.c for
 *  the update equations.  Continues from @p m as it stands (parameters,
 *  momentum, chains, epoch count), so pmk_rbm_init it first for a fresh run.
 *  Minibatches are a fresh permutation of the rows every epoch.  After each
 *  epoch @p r's state is recorded in the model (m->rng_state, with
 *  pmk_rng_get_seed as m->rng_seed), what a later run continues from with
 *  continue_rng (pmk_rbm_train_table).  Computation
 *  is in single precision; the model keeps double.  @p cb may be NULL.
 *  Statuses: those of pmk_rbm_options_check and pmk_rbm_check_data,
 *  PMK_EDATA for N = 0, PMK_ENUMERIC when an epoch diverges (non-finite
 *  reconstruction error), PMK_ELIMIT when the trainer's buffers (sized by
 *  the batch and the persistent chains) exceed the memory ceiling,
 *  PMK_ENOMEM, or the callback's non-zero return. */
PMK_API int pmk_rbm_fit(pmk_rbm *m, const gsl_matrix *X, const pmk_rbm_options *o,
                        pmk_rng *r, pmk_rbm_epoch_fn cb, void *ctx, pmk_error *err);

/** Trains on the rows of @p t as pmk_rbm_fit does on a matrix, converting one
 *  minibatch at a time from the table's compact storage
 *  (pmk_table_gather_f32), so that no N x D copy of the data is made: the
 *  same model, bit for bit, as pmk_rbm_fit on the matrix of @p t's
 *  transformed rows.  With @p cb, each epoch's info carries the monitoring
 *  figures (the pseudo-likelihood, and with @p hold, rows held out of
 *  training, e.g. by pmk_table_split, the free-energy gap); @p hold may be
 *  NULL.  For binary units the table's transform must check [0,1]
 *  (check01) or binarize, else PMK_EINVAL (a Gaussian model standardises
 *  each minibatch as it records); the model records it (m->transform), and a
 *  model that records another is PMK_EINVAL (see pmk_rbm_check_transform).
 *  Statuses otherwise as pmk_rbm_fit. */
PMK_API int pmk_rbm_fit_table(pmk_rbm *m, const pmk_table *t, const pmk_table *hold,
                              const pmk_rbm_options *o, pmk_rng *r, pmk_rbm_epoch_fn cb,
                              void *ctx, pmk_error *err);

/** What pmk_rbm_train_table did. */
typedef struct pmk_rbm_train_result {
    size_t train_rows;         /**< the rows trained on */
    size_t held_out;           /**< the rows held out (the free-energy gap's) */
    pmk_rbm_epoch_info last;   /**< the last epoch's figures (notice NULL) */
} pmk_rbm_train_result;

/** A training run on the rows of @p t in one call, as `pmk rbm train` makes
 *  it: holds out o->holdout of the rows (pmk_table_split, drawing from @p r);
 *  with *@p m NULL, allocates a model of D = the table's columns and
 *  o->hidden hidden units and initialises it on the training rows
 *  (pmk_rbm_init_table, drawing from @p r), otherwise continues *@p m; then
 *  pmk_rbm_fit_table on the training rows with the held-out ones.  @p cb
 *  (may be NULL) is called once before the first epoch with info->notice
 *  set ("N rows (T for training, H held out), D = 36, H = 8, CD-1, batch
 *  100", with "PCD-" for persistent chains and " (ramped from 1)" for a k
 *  ramp), then after each epoch as pmk_rbm_fit_table calls it.  *@p out (may
 *  be NULL) is set on success and on a failure in training.  A model made
 *  here is the caller's on success (pmk_rbm_free) and freed on error, *@p m
 *  left NULL.  Statuses: those of pmk_rbm_options_check, pmk_table_split,
 *  pmk_rbm_alloc, pmk_rbm_init_table and pmk_rbm_fit_table, or the
 *  callback's non-zero return. */
PMK_API int pmk_rbm_train_table(pmk_rbm **m, const pmk_table *t, const pmk_rbm_options *o,
                                pmk_rng *r, pmk_rbm_epoch_fn cb, void *ctx,
                                pmk_rbm_train_result *out, pmk_error *err);

#ifdef __cplusplus
}
#endif
#endif
