/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* pmk_mpi.h: the pmk program under `mpirun -np P` (src/mpi/, built with
 * ./configure --with-mpi).  Part of the program, not of libpmk: libpmk never
 * links MPI, and the functions below use only its public API.  In a build
 * without MPI they are inline stubs (one process, rank 0), so the CLI calls
 * them unconditionally.
 *
 * The failure protocol (doc/design.md, "MPI"): ranks > 0 write nothing on
 * stdout and keep their stderr in a temporary file; every collective step
 * starts with pmkmpi_agree, which tells every rank whether any failed and
 * hands the first failing rank's message to all, so rank 0 prints it once
 * and every rank exits with its status (pmkmpi_finalize). */
#ifndef PMK_MPI_H
#define PMK_MPI_H

#include "pmk/pmk.h"

#ifdef PMK_WITH_MPI
/* MPI_Init; ranks > 0 are silenced.  Called first in main. */
void pmkmpi_init(int *argc, char ***argv);
/* The exit status every rank returns: the worst of all ranks' @p status;
 * rank 0 prints a failing rank's message that it has not printed.  MPI_Finalize. */
int pmkmpi_finalize(int status);
int pmkmpi_rank(void);
int pmkmpi_size(void);
/* Collective: PMK_OK when every rank passes rc == 0; else the first failing
 * rank's status, with its message in @p err on every rank. */
int pmkmpi_agree(int rc, pmk_error *err);
/* As pmkmpi_agree for a CLI exit status (0, 1, 2) whose message this rank
 * has already printed: the message sent is that line. */
int pmkmpi_agree_status(int status, pmk_error *err);
/* This rank's part of @p path in @p o: CSV bytes [r S/P, (r+1) S/P) of a
 * file of S bytes, IDX rows [r N/P, (r+1) N/P).  Local (no communication);
 * nothing to do when P = 1.  PMK_EINVAL for stdin, PMK_EIO. */
int pmkmpi_range(const char *path, pmk_data_options *o, pmk_error *err);

/* gnb over ranks (mpi_gnb.c), each collective.  fit: every rank fits its
 * part, rank 0 folds the parts' statistics in rank order with pmk_gnb_merge
 * and writes @p out; *@p m is the merged model on every rank, *@p train its
 * evaluation over all rows (when @p train_pass). */
int pmkmpi_gnb_fit(const char *path, const pmk_data_options *o, const pmk_gnb_options *go,
                   int train_pass, const char *out, pmk_gnb **m, pmk_gnb_eval **train,
                   pmk_error *err);
/* eval: @p status is this rank's CLI status so far (its reader opened or
 * not, pmkmpi_agree_status); the
 * evaluation of @p r's rows summed over ranks, in *@p out on every rank. */
int pmkmpi_gnb_eval(int rc, const pmk_gnb *m, pmk_data_reader *r, pmk_gnb_eval **out,
                    pmk_error *err);
/* predict: rows of every rank, in input order, into @p path by rank 0. */
int pmkmpi_gnb_predict(int rc, const pmk_gnb *m, pmk_data_reader *r, int columns,
                       const char *path, pmk_error *err);
/* rbm train over ranks (mpi_rbm.c): sets @p o's part, parts and reduce. */
void pmkmpi_rbm_options(pmk_rbm_options *o);
/* rbm eval --ais over ranks: sets @p o's part, parts and reduce. */
void pmkmpi_rbm_ais_options(pmk_rbm_ais_options *o);
#else
static inline void pmkmpi_rbm_options(pmk_rbm_options *o) { (void)o; }
static inline void pmkmpi_rbm_ais_options(pmk_rbm_ais_options *o) { (void)o; }
static inline void pmkmpi_init(int *argc, char ***argv) { (void)argc, (void)argv; }
static inline int pmkmpi_finalize(int status) { return status; }
static inline int pmkmpi_rank(void) { return 0; }
static inline int pmkmpi_size(void) { return 1; }
static inline int pmkmpi_agree(int rc, pmk_error *err) { (void)err; return rc; }
static inline int pmkmpi_agree_status(int status, pmk_error *err)
{
    (void)err;
    return status;
}
static inline int pmkmpi_range(const char *path, pmk_data_options *o, pmk_error *err)
{
    (void)path, (void)o, (void)err;
    return PMK_OK;
}
static inline int pmkmpi_gnb_fit(const char *path, const pmk_data_options *o,
                                 const pmk_gnb_options *go, int train_pass, const char *out,
                                 pmk_gnb **m, pmk_gnb_eval **train, pmk_error *err)
{
    (void)path, (void)o, (void)go, (void)train_pass, (void)out, (void)m, (void)train;
    return pmk_error_set(err, PMK_EUNSUP, "pmk was built without MPI");
}
static inline int pmkmpi_gnb_eval(int rc, const pmk_gnb *m, pmk_data_reader *r,
                                  pmk_gnb_eval **out, pmk_error *err)
{
    return rc ? rc : pmk_gnb_eval_reader(m, r, out, err);
}
static inline int pmkmpi_gnb_predict(int rc, const pmk_gnb *m, pmk_data_reader *r, int columns,
                                     const char *path, pmk_error *err)
{
    return rc ? rc : pmk_gnb_predict_save(m, r, columns, path, err);
}
#endif

#endif
