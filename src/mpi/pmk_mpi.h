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

/* One process, over all the files: the library's fit, then the model saved. */
static inline int pmkmpi_gnb_fit_one(const char *const *paths, size_t n,
                                     const pmk_data_options *o, const pmk_gnb_options *go,
                                     int train_pass, const char *out, pmk_gnb **m,
                                     pmk_gnb_eval **train, pmk_error *err)
{
    int rc = pmk_gnb_fit_files(paths, n, o, go, m, train_pass ? train : NULL, err);
    return rc ? rc : pmk_gnb_save(*m, out, err);
}

/* One process, over all the files: the predictions written atomically. */
static inline int pmkmpi_gnb_predict_one(const pmk_gnb *m, const char *model_name,
                                         const char *const *paths, size_t n,
                                         const pmk_data_options *o, int columns,
                                         const char *path, pmk_error *err)
{
    pmk_outfile of;
    int rc = pmk_outfile_open(&of, path, err);
    if (!rc && (rc = pmk_gnb_predict_files(m, model_name, paths, n, o, columns, of.fp, err)))
        pmk_outfile_abort(&of);
    return rc ? rc : pmk_outfile_commit(&of, err);
}

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

/* gnb over ranks (mpi_gnb.c), each collective, over the data files
 * @p paths (n >= 1) taken as one data set in file order.  Each rank's share
 * (share_files): one file, its byte range (pmkmpi_range); several, whole
 * files, rank r taking files [r n / P, (r + 1) n / P) (a contiguous run, so
 * that rank order is file order; at least P files).  fit: every rank fits
 * its share, rank 0 folds the shares' statistics in rank order with
 * pmk_gnb_merge and writes @p out; *@p m is the merged model on every rank,
 * *@p train its evaluation over all rows (when @p train_pass).  With one
 * process (no mpirun, or no MPI in the build) the functions are those of
 * the library over all the files (pmk_gnb_*_files). */
int pmkmpi_gnb_fit(const char *const *paths, size_t n, const pmk_data_options *o,
                   const pmk_gnb_options *go, int train_pass, const char *out, pmk_gnb **m,
                   pmk_gnb_eval **train, pmk_error *err);
/* eval: @p rc is this rank's CLI status so far (the model loaded or not,
 * pmkmpi_agree_status); the evaluation of every rank's rows summed, in
 * *@p out on every rank. */
int pmkmpi_gnb_eval(int rc, const pmk_gnb *m, const char *model_name, const char *const *paths,
                    size_t n, const pmk_data_options *o, pmk_gnb_eval **out, pmk_error *err);
/* predict: rows of every rank, in input order, into @p path by rank 0. */
int pmkmpi_gnb_predict(int rc, const pmk_gnb *m, const char *model_name,
                       const char *const *paths, size_t n, const pmk_data_options *o,
                       int columns, const char *path, pmk_error *err);
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
static inline int pmkmpi_gnb_fit(const char *const *paths, size_t n, const pmk_data_options *o,
                                 const pmk_gnb_options *go, int train_pass, const char *out,
                                 pmk_gnb **m, pmk_gnb_eval **train, pmk_error *err)
{
    return pmkmpi_gnb_fit_one(paths, n, o, go, train_pass, out, m, train, err);
}
static inline int pmkmpi_gnb_eval(int rc, const pmk_gnb *m, const char *model_name,
                                  const char *const *paths, size_t n,
                                  const pmk_data_options *o, pmk_gnb_eval **out, pmk_error *err)
{
    return rc ? rc : pmk_gnb_eval_files(m, model_name, paths, n, o, out, err);
}
static inline int pmkmpi_gnb_predict(int rc, const pmk_gnb *m, const char *model_name,
                                     const char *const *paths, size_t n,
                                     const pmk_data_options *o, int columns, const char *path,
                                     pmk_error *err)
{
    return rc ? rc : pmkmpi_gnb_predict_one(m, model_name, paths, n, o, columns, path, err);
}
#endif

#endif
