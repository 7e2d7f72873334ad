/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/** @file pmk/rbm.h
 * The binary restricted Boltzmann machine: conditionals, sampling,
 * free energy, CD-k / PCD-k / parallel-tempering training (with a sparsity
 * target, and an exact resume), pseudo-likelihood, log Z (exact and AIS),
 * Gibbs chains and pictures of a model, and its files (the text model file,
 * the parameters exported as CSV).
 *
 * Model (D visible units v, H hidden units h, both in {0,1}):
 *   E(v,h) = -v'Wh - b'v - a'h,   p(v,h) = exp(-E(v,h)) / Z,
 *   p(h_j = 1 | v) = sigmoid((W'v + a)_j),   p(v_i = 1 | h) = sigmoid((Wh + b)_i),
 *   F(v) = -b'v - sum_j softplus((W'v + a)_j),   log p(v) = -F(v) - log Z.
 * W is D x H, b has D entries, a has H.  Data matrices hold one example per
 * row (N x D); hidden matrices are N x H.
 *
 * Thread-safety: no global state.  A pmk_rbm may be read by several threads at
 * once (every evaluation function takes it const); training, loading into it
 * and freeing it need exclusive access.  Each thread needs its own pmk_rng. */
#ifndef PMK_RBM_H
#define PMK_RBM_H

#include <stddef.h>
#include <stdio.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include "pmk/status.h"
#include "pmk/progress.h"
#include "pmk/rng.h"
#include "pmk/stream.h"
#include "pmk/dataset.h"
#include "pmk/image.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Format version written by pmk_rbm_save (first line "pmk-rbm 4") for a model
 *  with Gaussian visible units; a binary one that records its transform and
 *  a training RNG state or sparsity means is written as version 3, one with
 *  a transform only as version 2, one without as version 1 (the oldest
 *  version that holds the model). */
#define PMK_RBM_FORMAT_VERSION 4

/** The most replicas of parallel tempering (pmk_rbm_options.temperatures). */
#define PMK_RBM_PT_MAX 64

/** The longest gsl_rng state (bytes) a model file may record. */
#define PMK_RBM_RNG_STATE_MAX 65536

/** The widest layer pmk_rbm_log_z_exact enumerates (2^25 states). */
#define PMK_RBM_EXACT_MAX 25

/** Largest D*H accepted by pmk_rbm_alloc and pmk_rbm_load (2^30 weights). */
#define PMK_RBM_MAX_WEIGHTS ((size_t)1 << 30)

/** A binary RBM.  Parameters are public and may be edited; the training state
 *  (momentum, chains, epoch count) is what `--resume` continues from. */
typedef struct pmk_rbm {
    size_t d;            /**< D visible units */
    size_t h;            /**< H hidden units */
    gsl_matrix *W;       /**< D x H weights */
    gsl_vector *b;       /**< D visible biases */
    gsl_vector *a;       /**< H hidden biases */
    /* Training state, NULL until the first pmk_rbm_fit. */
    gsl_matrix *dW;      /**< D x H momentum ("increment") of W */
    gsl_vector *db;      /**< D momentum of b */
    gsl_vector *da;      /**< H momentum of a */
    gsl_matrix *chains;  /**< P x H hidden states of the persistent chains (PCD) */
    size_t epochs;       /**< epochs trained so far (drives the momentum switch) */
    /* What is done to raw data before the model sees it (doc/formats.md). */
    pmk_transform transform; /**< set by pmk_rbm_fit_table; every use applies it */
    int transform_known; /**< 0: none recorded (a new model, a version 1 file) */
    /* What makes a resumed run exact (version 3; pmk_rbm_options.continue_rng). */
    unsigned char *rng_state; /**< the training RNG's state after the last epoch
                               (gsl_rng_state bytes, native byte order), NULL
                               when none is recorded */
    size_t rng_size;     /**< bytes of rng_state (gsl_rng_size) */
    char rng_type[32];   /**< the generator's type name (gsl_rng_name) */
    unsigned long rng_seed; /**< the seed of the run's holdout split */
    gsl_vector *q;       /**< H running means of p(h_j = 1 | v) kept by the
                              sparsity target, NULL when it is off */
    /* Gaussian visible units (version 4; pmk_rbm_alloc_gauss, doc/rbm.md). */
    int visible;         /**< PMK_RBM_BINARY (0) or PMK_RBM_GAUSSIAN */
    gsl_vector *sigma;   /**< D standard deviations s_i (Gaussian), else NULL */
    gsl_vector *std_mean; /**< D means of the standardisation z = (x - mean) / sd
                               of the transformed data (Gaussian), else NULL */
    gsl_vector *std_sd;  /**< D standard deviations of it, floored (Gaussian) */
} pmk_rbm;

/** The kinds of visible units (pmk_rbm.visible, pmk_rbm_options.visible). */
enum {
    PMK_RBM_BINARY = 0,   /**< v in {0,1}^D: the binary RBM above */
    PMK_RBM_GAUSSIAN = 1  /**< v real: the Gaussian-Bernoulli RBM (rbm_gauss.c):
                               E(v,h) = sum_i (v_i - b_i)^2 / (2 s_i^2)
                                        - sum_ij (v_i / s_i) W_ij h_j - a'h */
};

/** Allocates a D x H model with every parameter 0, no training state and no
 *  transform recorded.
 *  D = 0 or H = 0 is PMK_EINVAL; D*H above PMK_RBM_MAX_WEIGHTS, or
 *  8 (D H + D + H) bytes above the memory ceiling, is PMK_ELIMIT
 *  (refused before allocating); PMK_ENOMEM.  @return a model owned by the
 *  caller (pmk_rbm_free), or NULL on error. */
PMK_API pmk_rbm *pmk_rbm_alloc(size_t d, size_t h, pmk_error *err);

/** Frees the model and its training state; NULL is accepted. */
PMK_API void pmk_rbm_free(pmk_rbm *m);

/** A deep copy (training state included), owned by the caller, or NULL
 *  when out of memory (PMK_ENOMEM). */
PMK_API pmk_rbm *pmk_rbm_copy(const pmk_rbm *m, pmk_error *err);

/** Initialises the parameters as in Hinton's practical guide (2010, sec. 8):
 *  W_ij ~ N(0, 0.01^2), a = 0, b_i = log(p_i / (1 - p_i)) with p_i the mean of
 *  column i of @p X (N x D, values in [0,1]) clipped to [0.001, 0.999]; with
 *  @p X NULL, b = 0.  Drops any training state.  Draws D*H normals from @p r.
 *  @return PMK_OK, or the status of pmk_rbm_check_data on @p X (the model is
 *  then unchanged). */
PMK_API int pmk_rbm_init(pmk_rbm *m, const gsl_matrix *X, pmk_rng *r, pmk_error *err);

/** pmk_rbm_init with the base rates of the rows of @p t (transformed by its
 *  transform, gathered in blocks): the same model as pmk_rbm_init on the
 *  matrix those rows make.  PMK_EDATA when @p t does not have D columns or
 *  has no rows; the statuses of pmk_table_gather. */
PMK_API int pmk_rbm_init_table(pmk_rbm *m, const pmk_table *t, pmk_rng *r, pmk_error *err);

/** Checks that X is N x D with every value in [0,1] (Gaussian units: finite):
 *  PMK_EDATA otherwise, the error naming the first offending row and column
 *  (1-based) as "row R, column C: ...". */
PMK_API int pmk_rbm_check_data(const pmk_rbm *m, const gsl_matrix *X, pmk_error *err);

/* ---------------------------------------------------------------- conditionals
 *
 * Shapes are checked: an input whose width is not the model's layer, or an
 * output of the wrong size, is PMK_EINVAL with a message naming both sizes;
 * a failed GEMM passes its status up.  Outputs are caller-allocated. */

/** P (N x H) <- p(h = 1 | v) = sigmoid(V W + a) for V (N x D), on one
 *  thread (pmk_rbm_hidden_prob_threads with 1). */
PMK_API int pmk_rbm_hidden_prob(const pmk_rbm *m, const gsl_matrix *V, gsl_matrix *P,
                                pmk_error *err);

/** pmk_rbm_hidden_prob on @p threads threads (0: the cores available,
 *  pmk/threads.h): the rows in fixed blocks of 96, one GEMM each, shared
 *  among the threads, so P is the same bits for any count. */
PMK_API int pmk_rbm_hidden_prob_threads(const pmk_rbm *m, const gsl_matrix *V, int threads,
                                        gsl_matrix *P, pmk_error *err);

/** P (N x D) <- p(v = 1 | h) = sigmoid(Hs W' + b) for Hs (N x H); Gaussian
 *  units: the means b + s (Hs W') of p(v | h). */
PMK_API int pmk_rbm_visible_prob(const pmk_rbm *m, const gsl_matrix *Hs, gsl_matrix *P,
                                 pmk_error *err);

/** S (N x H) <- one sample of h ~ p(h | v) per row of V (N x D), on one
 *  thread: pmk_rbm_sample_hidden_threads with 1, the same draws. */
PMK_API int pmk_rbm_sample_hidden(const pmk_rbm *m, const gsl_matrix *V, gsl_matrix *S,
                                  pmk_rng *r, pmk_error *err);

/** S (N x H) <- one sample of h ~ p(h | v) per row of V (N x D) on
 *  @p threads threads (0: the cores available).  Four uniforms are drawn
 *  from @p r (after the shapes are checked) as the key of one stream per
 *  row (xoshiro256** seeded from the key and the row's index), from which
 *  that row's H draws come: the same seed gives the same S for any thread
 *  count.  Statuses as pmk_rbm_hidden_prob. */
PMK_API int pmk_rbm_sample_hidden_threads(const pmk_rbm *m, const gsl_matrix *V, int threads,
                                          gsl_matrix *S, pmk_rng *r, pmk_error *err);

/** S (N x D) <- one sample of v ~ p(v | h) per row of Hs (N x H), drawing
 *  N*D uniforms (Gaussian units: N*D normals) from @p r.  Statuses as
 *  pmk_rbm_visible_prob. */
PMK_API int pmk_rbm_sample_visible(const pmk_rbm *m, const gsl_matrix *Hs, gsl_matrix *S,
                                   pmk_rng *r, pmk_error *err);

/** @p steps sweeps of block Gibbs sampling v -> h -> v on each row of V (N x D,
 *  updated in place with binary samples).  When @p mean is non-NULL (N x D) it
 *  receives p(v = 1 | h) of the last sweep (the "visible means" to display).
 *  @return PMK_EINVAL when a shape does not match, PMK_ENOMEM. */
PMK_API int pmk_rbm_gibbs(const pmk_rbm *m, gsl_matrix *V, size_t steps, gsl_matrix *mean,
                          pmk_rng *r, pmk_error *err);

/** F (N) <- free energy F(v) of each row of V (N x D); F is caller-allocated.
 *  @return PMK_EINVAL when a shape does not match, PMK_ENOMEM. */
PMK_API int pmk_rbm_free_energy(const pmk_rbm *m, const gsl_matrix *V, gsl_vector *F,
                                pmk_error *err);

/** M (H) <- the mean over the rows of V (N x D) of p(h_j = 1 | v): each
 *  hidden unit's mean activation (a unit near 0 or 1 for every row is dead);
 *  NaN for N = 0.  PMK_EINVAL when a shape does not match, PMK_ENOMEM. */
PMK_API int pmk_rbm_hidden_means(const pmk_rbm *m, const gsl_matrix *V, gsl_vector *M,
                                 pmk_error *err);

/** pmk_rbm_hidden_means on @p threads threads (0: the cores available):
 *  the column sums of fixed blocks of 96 rows added in block order, so M is
 *  the same bits for any count (and as pmk_rbm_hidden_means). */
PMK_API int pmk_rbm_hidden_means_threads(const pmk_rbm *m, const gsl_matrix *V, int threads,
                                         gsl_vector *M, pmk_error *err);

/** The mean of F(v) over the rows of V (N x D) into *@p out (NaN for N = 0);
 *  statuses as pmk_rbm_free_energy. */
PMK_API int pmk_rbm_mean_free_energy(const pmk_rbm *m, const gsl_matrix *V, double *out,
                                     pmk_error *err);

/* ---------------------------------------------------------------- monitoring */

/** Reconstruction error as in Hinton's rbm.m: the mean over rows of
 *  sum_i (v_i - p(v_i = 1 | h))^2 with h sampled from p(h | v), into *@p out
 *  (NaN for N = 0).  The samples come from per-row streams keyed by four
 *  uniforms of @p r, as pmk_rbm_sample_hidden_threads; one thread
 *  (pmk_rbm_recon_error_threads: any count, the same bits).  PMK_EINVAL
 *  when V is not N x D; PMK_ENOMEM. */
PMK_API int pmk_rbm_recon_error(const pmk_rbm *m, const gsl_matrix *V, pmk_rng *r,
                                double *out, pmk_error *err);

/** pmk_rbm_recon_error on @p threads threads (0: the cores available): the
 *  rows in fixed blocks, each row's draws from its own stream, the blocks'
 *  sums added in block order, so *@p out is the same bits for any count. */
PMK_API int pmk_rbm_recon_error_threads(const pmk_rbm *m, const gsl_matrix *V, int threads,
                                        pmk_rng *r, double *out, pmk_error *err);

/** Pseudo-likelihood, mean over rows of sum_i log p(v_i | v_{-i}), where
 *  log p(v_i | v_{-i}) = log sigmoid(F(v~i) - F(v)) and v~i is v with bit i
 *  flipped (v_i -> 1 - v_i).  Exact: every bit of every row (N*D*H work). */
PMK_API int pmk_rbm_pseudo_likelihood(const pmk_rbm *m, const gsl_matrix *V, double *out,
                                      pmk_error *err);

/** scikit-learn's stochastic estimate (BernoulliRBM.score_samples): per row one
 *  bit i drawn uniformly, D * log sigmoid(F(v~i) - F(v)); the mean over rows.
 *  The N bits are drawn from @p r first, in row order (N draws). */
PMK_API int pmk_rbm_pseudo_likelihood_1bit(const pmk_rbm *m, const gsl_matrix *V,
                                           pmk_rng *r, double *out, pmk_error *err);

/** pmk_rbm_pseudo_likelihood and pmk_rbm_pseudo_likelihood_1bit on
 *  @p threads threads (0: the cores available): the same bits for any count
 *  (the one-bit estimate's N bits are still drawn first, in row order). */
PMK_API int pmk_rbm_pseudo_likelihood_threads(const pmk_rbm *m, const gsl_matrix *V,
                                              int threads, double *out, pmk_error *err);
PMK_API int pmk_rbm_pseudo_likelihood_1bit_threads(const pmk_rbm *m, const gsl_matrix *V,
                                                   int threads, pmk_rng *r, double *out,
                                                   pmk_error *err);

/* ---------------------------------------------------------------- log Z */

/** Exact log Z by enumerating the smaller layer (ties: the hidden layer):
 *    hidden:  log Z = logsumexp_h [a'h + sum_i softplus(b_i + (Wh)_i)],
 *    visible: log Z = logsumexp_v [b'v + sum_j softplus(a_j + (W'v)_j)],
 *  in GEMM blocks, accumulated in double.  A smaller layer wider than
 *  PMK_RBM_EXACT_MAX units is PMK_ELIMIT ("... too wide ...; use AIS"). */
PMK_API int pmk_rbm_log_z_exact(const pmk_rbm *m, double *log_z, pmk_error *err);

/** AIS settings (Salakhutdinov & Murray 2008). */
typedef struct pmk_rbm_ais_options {
    size_t runs;          /**< M independent AIS runs [100] */
    size_t n_betas[3];    /**< intervals on [0,0.5], [0.5,0.9], [0.9,1]
                               [500, 4000, 10000]: their schedule */
    pmk_progress_fn progress; /**< called after each intermediate distribution
                               (pmk/progress.h) [NULL] */
    void *progress_ctx;   /**< passed to progress [NULL] */
    int threads;          /**< threads running the runs (each run its own RNG
                               stream: the estimate does not depend on it);
                               0 = the cores available [0] */
    /* The runs over several workers (MPI ranks, doc/scaling.md): worker
     * `part` of `parts` runs the blocks of 16 runs [part B / parts,
     * (part + 1) B / parts) of the B blocks (every worker draws the M run
     * seeds from r all the same), leaving 0 as the other runs' log weights;
     * then @c reduce must sum the M log weights over the workers in place,
     * and the estimate is the one-worker one bit for bit. */
    size_t part;          /**< this worker [0] */
    size_t parts;         /**< workers, >= 1 [1] */
    int (*reduce)(double *log_w, size_t runs, void *ctx, pmk_error *err);
                          /**< after the runs, when non-NULL [NULL] */
    void *reduce_ctx;     /**< passed to reduce [NULL] */
} pmk_rbm_ais_options;

/** Fills @p o with the defaults in brackets above. */
PMK_API void pmk_rbm_ais_options_init_default(pmk_rbm_ais_options *o);

/** Checks @p o: at least 2 runs, at least one intermediate distribution, at
 *  most 10^7 on each interval, part < parts; PMK_EINVAL with a message
 *  naming the setting. */
PMK_API int pmk_rbm_ais_options_check(const pmk_rbm_ais_options *o, pmk_error *err);

/** The result of pmk_rbm_log_z_ais. */
typedef struct pmk_rbm_ais_result {
    double log_z;         /**< log of the mean importance weight times Z_A */
    double log_z_lo;      /**< log(Z^ - 3 sigma^), -inf when that is <= 0 */
    double log_z_hi;      /**< log(Z^ + 3 sigma^) */
    double log_z_base;    /**< log Z_0 = log Z_A + H log 2, the start of the path */
    size_t runs;          /**< M, the AIS runs */
    size_t steps;         /**< the number of intermediate distributions */
} pmk_rbm_ais_result;

/** Estimates log Z by annealed importance sampling from a base-rate RBM A
 *  (W = 0, no hidden units, visible biases b_A,i = logit of the mean of column
 *  i of @p X clipped to [0.001, 0.999]; X NULL: b_A = 0) to the model B.
 *  See rbm_score.c for the equations.  @p o NULL means the defaults.  Statuses:
 *  those of pmk_rbm_ais_options_check, PMK_EDATA when X
 *  does not have D columns, PMK_ELIMIT when the runs' states exceed the
 *  memory ceiling (pmk_mem_check), PMK_ENOMEM.  Draws from @p r only. */
PMK_API int pmk_rbm_log_z_ais(const pmk_rbm *m, const gsl_matrix *X,
                              const pmk_rbm_ais_options *o, pmk_rng *r,
                              pmk_rbm_ais_result *out, pmk_error *err);

/** How pmk_rbm_evaluate gets log Z. */
enum {
    PMK_RBM_LOG_Z_NONE = 0,   /**< not at all: log Z and log p(v) are NaN */
    PMK_RBM_LOG_Z_EXACT = 1,  /**< pmk_rbm_log_z_exact */
    PMK_RBM_LOG_Z_AIS = 2     /**< pmk_rbm_log_z_ais, with the data as base rates */
};

/** The figures of pmk_rbm_evaluate: what `pmk rbm eval` reports. */
typedef struct pmk_rbm_evaluation {
    size_t n;                      /**< N, the rows scored */
    double recon_error;            /**< pmk_rbm_recon_error */
    double pseudo_likelihood;      /**< pmk_rbm_pseudo_likelihood (every bit) */
    double pseudo_likelihood_1bit; /**< pmk_rbm_pseudo_likelihood_1bit */
    double mean_free_energy;       /**< pmk_rbm_mean_free_energy */
    int log_z_method;              /**< PMK_RBM_LOG_Z_* */
    double log_z;                  /**< exact or AIS estimate; NaN for NONE */
    double mean_log_prob;          /**< mean log p(v) = -mean F(v) - log Z */
    pmk_rbm_ais_result ais;        /**< the AIS run (AIS only; zeros otherwise) */
    double log_jacobian;           /**< pmk_rbm_log_jacobian: 0 for binary units */
    double mean_log_density;       /**< Gaussian units: mean_log_prob + log_jacobian,
                                        the mean log-density of the rows in the
                                        units of the raw data (nats); else NaN */
} pmk_rbm_evaluation;

/** Scores the rows of @p V (N x D, values in [0,1]) in one call: log Z by
 *  @p log_z_method (EXACT first, so that a layer too wide is refused before
 *  any other work), then the reconstruction error, both pseudo-likelihoods,
 *  the mean free energy and, for AIS, pmk_rbm_log_z_ais with @p ao (NULL:
 *  the defaults), drawing from @p r in that order.  Every figure runs on
 *  ao->threads threads (0, and with @p ao NULL: the cores available), and
 *  none depends on the count: rows in fixed blocks, sums added in block
 *  order, the reconstruction's hidden samples from per-row streams keyed by
 *  four draws of @p r (as pmk_rbm_sample_hidden_threads), the one-bit
 *  estimate's bits drawn from @p r in row order first, AIS as
 *  pmk_rbm_log_z_ais.  *@p out is set only on success.  Statuses: those of the functions named; PMK_ELIMIT is, with
 *  EXACT, a layer too wide (pmk_rbm_log_z_exact), with AIS, the runs'
 *  memory; PMK_EINVAL for an unknown method. */
PMK_API int pmk_rbm_evaluate(const pmk_rbm *m, const gsl_matrix *V, int log_z_method,
                             const pmk_rbm_ais_options *ao, pmk_rng *r,
                             pmk_rbm_evaluation *out, pmk_error *err);

/* ---------------------------------------------------------------- transform */

/** Checks a transform asked for by a user of a model (a CLI option) against
 *  the one the model records: @p asked->scale > 0 and @p asked->threshold > 0
 *  are requests (0 = not asked); check01 is not compared.  PMK_EINVAL naming
 *  both values when a request differs from the model's (a scale by more than
 *  1e-12 relative); PMK_OK when the model records no transform. */
PMK_API int pmk_rbm_check_transform(const pmk_rbm *m, const pmk_transform *asked,
                                    pmk_error *err);

/** The transform to apply to data for model @p m (NULL: a model still to be
 *  trained), into *@p out: the model's when it records one (after
 *  pmk_rbm_check_transform of @p asked); otherwise @p asked->scale when > 0,
 *  else the data layer's one policy (pmk_transform_auto over @p stats), with
 *  @p asked->threshold, and check01 set: an RBM's units lie in [0,1].  @p
 *  asked may be NULL (nothing asked).  PMK_EINVAL as pmk_rbm_check_transform
 *  and pmk_transform_check. */
PMK_API int pmk_rbm_transform_for(const pmk_rbm *m, const pmk_data_stats *stats,
                                  const pmk_transform *asked, pmk_transform *out,
                                  pmk_error *err);

/** Reads the data set at @p path for model @p m (NULL: a binary model still to
 *  be trained; a new Gaussian one: pmk_rbm_read_data_gauss) into a new table
 *  *@p out (owned by the caller): pmk_data_read_all
 *  with @p o (NULL: the defaults), the width checked against the model
 *  (PMK_EDATA "PATH: the data have N feature columns but the model has D
 *  visible units"), and the transform pmk_rbm_transform_for chooses from
 *  @p asked (may be NULL) and the table's statistics set on the table.  With
 *  @p X non-NULL, *X also gets the transformed rows as a new N x D matrix
 *  (owned by the caller), standardised for a Gaussian model.  Statuses: PMK_EINVAL only for @p o or @p asked
 *  (as pmk_rbm_transform_for), else those of pmk_data_read_all and
 *  pmk_table_set_transform, PMK_ENOMEM; nothing is returned on error. */
PMK_API int pmk_rbm_read_data(const pmk_rbm *m, const char *path, const pmk_data_options *o,
                              const pmk_transform *asked, pmk_table **out, gsl_matrix **X,
                              pmk_error *err);

/* ---------------------------------------------------------------- Gaussian units
 *
 * The Gaussian-Bernoulli RBM (Hinton & Salakhutdinov 2006; Cho, Ilin &
 * Raiko 2011; equations in rbm_gauss.c and doc/rbm.md).  Every function
 * above takes such a model: the conditionals (p(v|h) gives the means
 * b + s (Wh)), sampling, Gibbs chains, free energy, log Z (exact and AIS),
 * training (CD, PCD; not tempering).  Its inputs and outputs are
 * standardised values z = (S x - mean) / sd, x raw data, S the table's scale:
 * pmk_rbm_read_data and pmk_rbm_sample_init standardise, pmk_rbm_sample
 * returns S x (the standardisation inverted).  The pseudo-likelihood, which
 * flips bits, is NaN for it. */

/** Allocates a D x H Gaussian-Bernoulli model: every parameter 0, s = 1,
 *  the identity standardisation (mean 0, sd 1).  Statuses as pmk_rbm_alloc. */
PMK_API pmk_rbm *pmk_rbm_alloc_gauss(size_t d, size_t h, pmk_error *err);

/** Fits the standardisation of Gaussian model @p m to the rows of @p t
 *  (transformed): mean_i the column mean, sd_i = sqrt(var_i + 1e-9 max_k
 *  var_k), var the population variance, so that constant features (blank
 *  pixels) get the floor of Gaussian naive Bayes' default var_smoothing
 *  (pmk/gnb.h); all features constant: sd = 1.  PMK_EINVAL for a binary
 *  model, PMK_EDATA for a table of another width or no rows, PMK_ENOMEM. */
PMK_API int pmk_rbm_fit_standardisation(pmk_rbm *m, const pmk_table *t, pmk_error *err);

/** X (N x D) <- (X - mean) / sd row by row, or with @p inverse X sd + mean,
 *  for a Gaussian model; nothing for a binary one.  PMK_EINVAL when X does
 *  not have D columns. */
PMK_API int pmk_rbm_standardise(const pmk_rbm *m, gsl_matrix *X, int inverse, pmk_error *err);

/** The log-Jacobian of the map from raw data x to the model's units z,
 *  sum_i log(S / sd_i) with S the recorded scale (1 when none): log p(x) =
 *  log p(z) + this.  0 for a binary model (a probability, not a density). */
PMK_API double pmk_rbm_log_jacobian(const pmk_rbm *m);

/** Reads the data set at @p path for a new Gaussian model into a new table
 *  *@p out, as pmk_rbm_read_data with no model but without the [0,1]
 *  check: the scale @p asked->scale when > 0, else pmk_transform_auto.
 *  PMK_EINVAL for a threshold (Gaussian units are not binarized); otherwise
 *  statuses as pmk_rbm_read_data. */
PMK_API int pmk_rbm_read_data_gauss(const char *path, const pmk_data_options *o,
                                    const pmk_transform *asked, pmk_table **out,
                                    pmk_error *err);

/* ---------------------------------------------------------------- sampling
 *
 * Gibbs chains run from chosen starting states, with snapshots of the
 * visible means along the way (what `pmk rbm sample` writes). */

/** Sampling options. */
typedef struct pmk_rbm_sample_options {
    size_t chains;        /**< C chains [10] */
    size_t steps;         /**< sweeps v -> h -> v of each chain [1000] */
    size_t every;         /**< a snapshot after every this many sweeps; 0 means
                               steps / 10, at least 1 [0] */
    int binary;           /**< 1: the snapshots are the chains' binary visible
                               states, 0: the means p(v = 1 | h) [0]; the
                               chains and their draws are the same */
    int threads;          /**< threads running the chains (blocks of 96
                               chains, each chain its own RNG stream: the
                               snapshots do not depend on it); 0 = the
                               cores available [0] */
} pmk_rbm_sample_options;

/** Fills @p o with the defaults in brackets above. */
PMK_API void pmk_rbm_sample_options_init_default(pmk_rbm_sample_options *o);

/** Checks @p o: at least 1 chain and 1 step, at least one snapshot
 *  (every <= steps) and a thread count pmk_threads_check takes; PMK_EINVAL
 *  with a message naming the setting. */
PMK_API int pmk_rbm_sample_options_check(const pmk_rbm_sample_options *o, pmk_error *err);

/** Starting states of o->chains chains, a new C x D matrix *@p V (owned by
 *  the caller): the first C rows of @p t (transformed, as pmk_rbm_read_data
 *  gives them), or with @p t NULL, pixels drawn from Bernoulli(1/2) (C*D
 *  uniforms from @p r, row by row).  Statuses: those of
 *  pmk_rbm_sample_options_check; PMK_EDATA when @p t has another width than
 *  D, or fewer than C rows ("PATH: N rows, fewer than the C chains");
 *  PMK_ELIMIT when the run's memory (as pmk_rbm_sample) exceeds the
 *  ceiling, checked before allocating; PMK_ENOMEM. */
PMK_API int pmk_rbm_sample_init(const pmk_rbm *m, const pmk_table *t,
                                const pmk_rbm_sample_options *o, pmk_rng *r, gsl_matrix **V,
                                pmk_error *err);

/** Runs the chains V (C x D binary states, updated in place) for S * every
 *  sweeps of block Gibbs sampling (as pmk_rbm_gibbs), S = steps / every, on
 *  o->threads threads.  Four uniforms drawn from @p r key one stream per
 *  chain (xoshiro256** seeded from the key and the chain's index) that
 *  gives all its draws: the same seed gives the same snapshots for any
 *  thread count.  It keeps the visible means
 *  p(v = 1 | h) after every @c every sweeps: *@p snaps (S C x D; snapshot s
 *  in rows s C .. s C + C - 1) and, when @p sweeps is non-NULL, *@p sweeps
 *  (S C entries, the sweep count of each row), both new and owned by the
 *  caller.  The memory of the run, 8 (D + 1) C (S + 2) bytes, is checked
 *  against the ceiling first (PMK_ELIMIT "C chains with S snapshots needs
 *  ...").  Statuses: those of pmk_rbm_sample_options_check, PMK_EINVAL when
 *  V is not C x D, PMK_ELIMIT, PMK_ENOMEM; nothing is returned on error. */
PMK_API int pmk_rbm_sample(const pmk_rbm *m, gsl_matrix *V, const pmk_rbm_sample_options *o,
                           pmk_rng *r, gsl_matrix **snaps, long **sweeps, pmk_error *err);

/* ---------------------------------------------------------------- pictures
 *
 * A model of D = S x S visible units is a model of S x S images: its
 * filters (columns of W) and its visible states are drawn as square tiles
 * in a montage (pmk_montage), ready for pmk_image_write. */

/** The side S of a square image of @p d pixels (S * S = d) into *@p side;
 *  PMK_EDATA "D visible units are not a square image" otherwise. */
PMK_API int pmk_rbm_image_side(size_t d, size_t *side, pmk_error *err);

/** The first @p count filters of @p m (columns of W; 0 or more than H: all
 *  H) as a new image *@p out, @p cols tiles a row (0: ceil(sqrt(count))),
 *  each filter drawn with its own contrast (PMK_MONTAGE_TILE: its smallest
 *  weight black, its largest white).  Statuses: those of
 *  pmk_rbm_image_side, of pmk_montage (PMK_ELIMIT past the memory
 *  ceiling), PMK_ENOMEM. */
PMK_API int pmk_rbm_filters_image(const pmk_rbm *m, size_t count, size_t cols, pmk_image **out,
                                  pmk_error *err);

/** The rows of @p V (N x D values in [0,1]: visible states, means or
 *  probabilities) as a new image *@p out of square tiles, @p cols a row
 *  (PMK_MONTAGE_RANGE: 0 black, 1 white).  PMK_EINVAL when V does not have
 *  D columns or @p cols is 0; otherwise statuses as pmk_rbm_filters_image. */
PMK_API int pmk_rbm_visible_image(const pmk_rbm *m, const gsl_matrix *V, size_t cols,
                                  pmk_image **out, pmk_error *err);

/* ---------------------------------------------------------------- files */

/** Largest magnitude of a parameter (W, a, b) or momentum increment in a
 *  model file: sums of up to 2^31 such terms stay finite in the single
 *  precision training uses (see rbm_io.c). */
#define PMK_RBM_PARAM_MAX 1e25

/** Writes the model and its training state as text (the format of
 *  pmk_rbm_save) to @p f at its current position; @p f stays open and owned
 *  by the caller (a pmk_outfile's fp, an open_memstream, ...).  Numbers as
 *  %.17g in the C locale (the calling thread's, by uselocale).  Statuses:
 *  PMK_EDATA with nothing written when a value would be refused on reading
 *  (a parameter beyond PMK_RBM_PARAM_MAX, a chain state not 0 or 1),
 *  PMK_EIO when @p f reports a write error, PMK_ENOMEM. */
PMK_API int pmk_rbm_write(const pmk_rbm *m, FILE *f, pmk_error *err);

/** Reads one model (the format of pmk_rbm_save) from @p in, which stays open
 *  and owned by the caller, to its end.  Every number's kind and range is
 *  checked (parameters finite and within PMK_RBM_PARAM_MAX, chain states 0
 *  or 1, the momentum flag 0 or 1); memory grows only as the file delivers
 *  the rows its header announces.  Messages name pmk_instream_path(in), the
 *  line and the field.  *@p out as pmk_rbm_load; statuses as pmk_rbm_load. */
PMK_API int pmk_rbm_read(pmk_instream *in, pmk_rbm **out, pmk_error *err);

/** Writes the model (and its training state) as text to @p path atomically
 *  ("-" = stdout); numbers as %.17g in the C locale whatever the locale (the
 *  calling thread's only, by uselocale).  PMK_EIO (the target left
 *  untouched), PMK_EDATA (see pmk_rbm_write) or PMK_ENOMEM, naming @p path.
 *  A path helper over pmk_rbm_write. */
PMK_API int pmk_rbm_save(const pmk_rbm *m, const char *path, pmk_error *err);

/** Reads a model written by pmk_rbm_save (gzip accepted) into a new model,
 *  *@p out (owned by the caller: pmk_rbm_free; set only on success).  Errors name
 *  the file and line: PMK_EFORMAT for truncation, bad numbers or another
 *  kind of file, PMK_EUNSUP for a future version, PMK_ELIMIT for sizes
 *  beyond PMK_RBM_MAX_WEIGHTS, PMK_EIO, PMK_ENOMEM.  A path helper over
 *  pmk_rbm_read. */
PMK_API int pmk_rbm_load(const char *path, pmk_rbm **out, pmk_error *err);

/** The files pmk_rbm_export writes. */
#define PMK_RBM_EXPORT_FILES 4

/** The name of export file @p k: "W.csv", "b.csv", "a.csv",
 *  "transform.csv" for k = 0..3, NULL beyond. */
PMK_API const char *pmk_rbm_export_file(size_t k);

/** Writes the parameters and the transform as CSV files into the folder
 *  @p dir, created when missing: W.csv (D rows of H weights under
 *  "h0,...,h{H-1}"), b.csv (D rows under "b"), a.csv (H rows under "a") and
 *  transform.csv ("scale,threshold", then one row when the model records a
 *  transform); numbers as pmk_csv_write.  The four are written as a set
 *  (pmk_outset): every file replaced or none.  PMK_EIO naming the folder
 *  ("DIR: cannot create folder: ...") or the file, PMK_ELIMIT past the
 *  memory ceiling, PMK_ENOMEM. */
PMK_API int pmk_rbm_export(const pmk_rbm *m, const char *dir, pmk_error *err);

#ifdef __cplusplus
}
#endif

/* CD-k, PCD-k and parallel-tempering training: its options, its callback
 * and its results (split from this header at 700 lines). */
#include "pmk/rbm_train.h"
#endif
