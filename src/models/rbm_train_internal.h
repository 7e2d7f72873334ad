/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_train_internal.h: the single-precision trainer's state, shared by
 * rbm_train.c (allocation, seeding, write-back) and rbm_step.c (the
 * minibatch update on pmk's threads).  Not exported. */
#ifndef PMK_RBM_TRAIN_INTERNAL_H
#define PMK_RBM_TRAIN_INTERNAL_H

#include <stdint.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include "models/rbm_internal.h"
#include "core/vecf_internal.h"

/* Rows per block of the threaded step: every thread takes a contiguous run
 * of whole blocks, so each GEMM call starts at a multiple of RBM_GRAIN rows.
 * A BLAS whose single-threaded kernel tiles C's rows by a divisor of it
 * computes each row the same way whatever the split (OpenBLAS 0.3.21's
 * sgemm here tiles by 12: checked in bench/rbm_blocks.c), which makes the
 * model the same for every thread count. */
#define RBM_GRAIN 48

struct pmk_rbm_trainer {
    size_t d, h, batch, k, p;   /* p: persistent chains, 0 for CD */
    float lr, wd;
    int threads;                /* pmk's threads for a step (1: small minibatches) */
    gsl_matrix_float *W, *dW;   /* D x H */
    gsl_vector_float *b, *db;   /* D */
    gsl_vector_float *a, *da;   /* H */
    gsl_matrix_float *V0;       /* batch x D: the minibatch */
    gsl_matrix_float *PH0;      /* batch x H */
    gsl_matrix_float *Hs;       /* rows x H: hidden samples */
    gsl_matrix_float *PV, *Vs;  /* rows x D: visible probabilities, samples */
    gsl_matrix_float *PH;       /* rows x H */
    gsl_matrix_float *chains;   /* p x H */
    int chains_ready;
    size_t M, nch;              /* tempering replicas (0: none); chain rows p max(M, 1) */
    float betas[PMK_RBM_PT_MAX]; /* their inverse temperatures, the last 1 */
    gsl_matrix_float *ptv;      /* nch x D: each replica's visible samples */
    gsl_matrix_float *bb, *ab;  /* M x D, M x H: beta_r b, beta_r a */
    double *energy;             /* nch: E(v, h) of each replica's chains */
    unsigned long swaps[PMK_RBM_PT_MAX], tries; /* accepted per pair, attempted */
    float sp_p, sp_cost, sp_decay; /* the sparsity target (sp_cost > 0: on) */
    gsl_vector_float *q;        /* H running means of p(h | v0), NULL when off */
    int q_ready;
    float *sums;                /* column sums: V0, Vk (D each), PH0, PHk (H each) */
    float *recon;               /* batch: each row's squared reconstruction error */
    vecf_xo16 *xb;              /* batch + nch: each data row's and chain's stream */
    xo4 *xs;                    /* the same rows' streams of Gaussian draws (else NULL) */
    int simd;                   /* the vector level of the row kernels (vecf_level) */
    uint32_t key[4];            /* the epoch's key (pmk_rbm_trainer_seed) */
    uint64_t step;              /* minibatches since the key was set */
    size_t row0;                /* the first data row's index in the minibatch (MPI) */
    int gauss;                  /* Gaussian visible units: v / s | h ~ N(Wh + b / s, 1) */
    rbm_sigma_f *sg;            /* their s when not all 1 or learned, else NULL */
};

/* The stream domains of rbm_stream: a minibatch's data rows, its chains,
 * and the tempering swaps. */
enum { RBM_DOM_DATA = 1, RBM_DOM_CHAIN = 2, RBM_DOM_SWAP = 3 };

/* *xb (16 lanes, Bernoulli draws) and, when @p x4 is not NULL, *x4 (4 lanes,
 * Gaussian draws and the swaps) <- the streams of row @p row in domain
 * @p dom of the trainer's current minibatch: functions of (seed, epoch,
 * minibatch, domain, row) only. */
void rbm_stream(const pmk_rbm_trainer *t, unsigned dom, uint64_t row, vecf_xo16 *xb, xo4 *x4);

/* Where the step finds its minibatch: rows @p idx[0..n) of a table (or of a
 * matrix), gathered into V0 on the threads, each its own rows, when @p src
 * is given to rbm_step_rows; fill writes rows [lo, hi) of the minibatch. */
typedef struct rbm_source {
    int (*fill)(const void *ctx, const size_t *idx, size_t lo, size_t hi, float *rows,
                pmk_error *err);
    const void *ctx;
    const size_t *idx;
} rbm_source;

/* pmk_rbm_trainer_step on checked shapes (rbm_step.c), the minibatch in V0
 * already or, with @p src, gathered from it first: PMK_OK, or a GEMM's status
 * or the gather's, with the message in @p err. */
int rbm_step_rows(pmk_rbm_trainer *t, size_t n, double mu, const gsl_matrix_float *h0,
                  const rbm_source *src, double *recon_sum, pmk_error *err);

#endif
