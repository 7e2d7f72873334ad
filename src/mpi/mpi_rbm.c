/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* mpi_rbm.c: `mpirun -np P pmk rbm train`: synchronous data-parallel
 * training.  Every rank reads the same data with the same seed, so it draws
 * the same holdout split and the same minibatch order; rank r trains on its
 * part of each minibatch (pmk_rbm_options.part, parts), and after each
 * minibatch the parameters and momentum buffers are replaced by their
 * row-weighted sum over the ranks (MPI_Allreduce): since every rank started
 * the step from the same parameters, that is the update of the whole
 * minibatch.  With PMK_MPI_AVERAGE_EVERY=K (K > 1) the ranks instead run K
 * minibatches on their parts alone and then average (periodic parameter
 * averaging, doc/scaling.md).  Deterministic for a seed and P.
 * `rbm eval --ais`: rank r runs its share of the AIS runs' blocks
 * (pmk_rbm_ais_options.part, parts) and the log weights, 0 outside each
 * rank's runs, are summed (exactly: x + 0 = x) on every rank, which then
 * combines all M in run order: the estimate is one process's, bit for bit.
 * The rows' own figures (free energy, pseudo-likelihood) are computed on
 * every rank: they draw from the one RNG row after row. */
#include "config.h"

#include <stdlib.h>
#include <mpi.h>

#include "mpi/pmk_mpi.h"

typedef struct rbm_ctx {
    unsigned long every, steps;
} rbm_ctx;

static int reduce(float *const *buf, const size_t *len, size_t nbuf, double weight,
                  double *recon, void *ctx, pmk_error *err)
{
    rbm_ctx *c = ctx;
    int rc = pmkmpi_agree(0, err);   /* a rank that stopped stops every rank */
    if (rc)
        return rc;
    MPI_Allreduce(MPI_IN_PLACE, recon, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    if (++c->steps % c->every)
        return PMK_OK;
    /* K > 1: each rank's own parameters, averaged with equal weights */
    float w = c->every > 1 ? 1.0f / (float)pmkmpi_size() : (float)weight;
    for (size_t i = 0; i < nbuf; i++) {
        for (size_t j = 0; j < len[i]; j++)
            buf[i][j] *= w;
        MPI_Allreduce(MPI_IN_PLACE, buf[i], (int)len[i], MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    }
    return PMK_OK;
}

void pmkmpi_rbm_options(pmk_rbm_options *o)
{
    static rbm_ctx ctx;
    if (pmkmpi_size() == 1)
        return;
    const char *k = getenv("PMK_MPI_AVERAGE_EVERY");
    ctx.every = k && strtoul(k, NULL, 10) > 0 ? strtoul(k, NULL, 10) : 1;
    o->part = (size_t)pmkmpi_rank();
    o->parts = (size_t)pmkmpi_size();
    o->reduce = reduce;
    o->reduce_ctx = &ctx;
}

/* The runs' log weights, each rank's own and zeros, summed over the ranks. */
static int ais_reduce(double *log_w, size_t runs, void *ctx, pmk_error *err)
{
    (void)ctx;
    int rc = pmkmpi_agree(0, err);   /* a rank that stopped stops every rank */
    if (!rc)
        MPI_Allreduce(MPI_IN_PLACE, log_w, (int)runs, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    return rc;
}

void pmkmpi_rbm_ais_options(pmk_rbm_ais_options *o)
{
    if (pmkmpi_size() == 1)
        return;
    o->part = (size_t)pmkmpi_rank();
    o->parts = (size_t)pmkmpi_size();
    o->reduce = ais_reduce;
}
