/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_rows_internal.h: the RBM's row-parallel calls outside training
 * (rbm_rows.c): rows in fixed blocks shared among pmk's threads, per-row
 * random streams keyed by (a key drawn from the caller's pmk_rng, domain,
 * row), sums added in block order: the same bits for any thread count.
 * Not exported; the tests reach it. */
#ifndef PMK_RBM_ROWS_INTERNAL_H
#define PMK_RBM_ROWS_INTERNAL_H

#include <stdint.h>
#include <gsl/gsl_matrix.h>
#include "pmk/rbm.h"
#include "pmk/rng.h"

/* Rows a block: one GEMM each.  A multiple of 48, so that OpenBLAS's row
 * tiles (4 to 16 rows) start at the same rows whatever the block. */
#define RBM_ROWS_BLOCK 96

/* The domains of the keyed streams (one stream per row and domain). */
enum { RBM_ROWS_DOM_HIDDEN = 1, RBM_ROWS_DOM_RECON = 2, RBM_ROWS_DOM_CHAIN = 3 };

/* A stream's key: four 32-bit draws from the caller's pmk_rng. */
typedef struct rbm_key {
    uint64_t k[2];
} rbm_key;

/* xoshiro256** (Blackman & Vigna 2018): one row's stream. */
typedef struct rbm_xs {
    uint64_t s[4];
} rbm_xs;

void rbm_key_draw(pmk_rng *r, rbm_key *key);
/* The stream of row @p row in domain @p dom: its state from splitmix64 of
 * (key, dom, row). */
void rbm_xs_init(rbm_xs *x, const rbm_key *key, unsigned dom, uint64_t row);

static inline uint64_t rbm_xs_next(rbm_xs *x)
{
    uint64_t *s = x->s, t = s[1] << 17, m = s[1] * 5u;
    const uint64_t result = ((m << 7) | (m >> 57)) * 9u;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}

/* Uniform on [0, 1), 53 bits. */
static inline double rbm_xs_uniform(rbm_xs *x)
{
    return (double)(rbm_xs_next(x) >> 11) * 0x1.0p-53;
}

/* N(0, 1) by Box-Muller (one of the pair). */
double rbm_xs_gaussian(rbm_xs *x);

/* Runs @p fn over the blocks of @p n rows (RBM_ROWS_BLOCK each; the last
 * may be short) on @p threads threads (as pmk_threads_resolve takes it), each
 * thread with @p ws doubles of workspace; block b's call gets rows
 * [n0, n0 + nb) and its own @p nparts doubles (zeroed), and sums[k] (when
 * @p nparts) is the k-th entry of the blocks' parts added in block order.
 * Returns the status of the first failing block in block order (PMK_ENOMEM
 * for a workspace), with no message: the caller words it. */
typedef int (*rbm_rows_fn)(void *ctx, size_t n0, size_t nb, double *ws, double *part);
int rbm_rows_run(size_t n, int threads, size_t ws, size_t nparts, rbm_rows_fn fn, void *ctx,
                 double *sums);

/* Each row n of P (row0 + n of the whole) <- a Bernoulli draw of itself, from
 * stream (key, dom, row0 + n). */
void rbm_bernoulli_rows(gsl_matrix *P, const rbm_key *key, unsigned dom, size_t row0);

/* Checks shapes as the conditionals do (rbm.c): X has @p cols columns (the
 * layer @p layer), Y (may be NULL) X's rows by @p out_cols. */
int rbm_check_shapes(const gsl_matrix *X, size_t cols, const char *layer, const gsl_matrix *Y,
                     size_t out_cols, pmk_error *err);

/* Y <- sigmoid(X op(W) + c) (hidden: X = V, N x D; else X = Hs, N x H), the
 * two conditionals on one thread (rbm.c). */
int rbm_conditional(const pmk_rbm *m, int hidden, const gsl_matrix *X, gsl_matrix *Y,
                    pmk_error *err);

/* The threaded bodies of the public calls (@p threads as pmk_threads_resolve
 * takes it; the result the same for any count).  @p key NULL: p(h | v),
 * else a draw of it, row n from stream (key, RBM_ROWS_DOM_HIDDEN, n). */
int rbm_hidden_rows(const pmk_rbm *m, const gsl_matrix *V, const rbm_key *key, int threads,
                    gsl_matrix *Y, pmk_error *err);
/* F (may be NULL) <- the free energies of V's rows; *sum their total. */
int rbm_free_energy_rows(const pmk_rbm *m, const gsl_matrix *V, int threads, gsl_vector *F,
                         double *sum, pmk_error *err);
/* The hidden sample of row n from stream (key from @p r, RBM_ROWS_DOM_RECON, n). */
int rbm_recon_error_rows(const pmk_rbm *m, const gsl_matrix *V, pmk_rng *r, int threads,
                         double *out, pmk_error *err);
/* pmk_rbm_log_z_exact (rbm_score.c): blocks of states on @p threads threads,
 * merged in block order (Gaussian units: rbm_gauss_log_z_exact's blocks). */
int rbm_log_z_exact_rows(const pmk_rbm *m, int threads, double *log_z, pmk_error *err);
/* The pseudo-likelihood (rbm_score.c): exact (r NULL) or one bit a row, row
 * n's bit the n-th draw of pmk_rng_uniform_int(r, D) (drawn first, in row
 * order, as pmk 0.1 drew them). */
int rbm_pseudo_likelihood_rows(const pmk_rbm *m, const gsl_matrix *V, pmk_rng *r, int threads,
                               double *out, pmk_error *err);

#endif
