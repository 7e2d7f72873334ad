/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/** @file pmk/progress.h
 * Progress of long jobs.  A job that can take more than a second takes an
 * optional callback (a `progress` field with its `progress_ctx` in its
 * options) and calls it as its work advances, so that the caller can show a
 * meter, or stop the job.  The library never prints: pmk's one renderer is
 * the CLI's (src/cli/progress.c).
 *
 * Where it is called:
 * - pmk_csv_read_chunk (pmk_csv_options), pmk_data_read_chunk and so
 *   pmk_data_read_all (pmk_data_options): after each chunk; "bytes" of the
 *   file's size (compressed bytes for gzip), "rows" of the range for IDX,
 *   and "rows" with total 0 for a CSV that is not a regular file (a pipe).
 * - pmk_rbm_fit, pmk_rbm_fit_table (pmk_rbm_options): after each minibatch,
 *   "batches" of ceil(N / batch), what = "epoch E/LAST".
 * - pmk_rbm_log_z_ais (pmk_rbm_ais_options): after each intermediate
 *   distribution, "beta steps" of n_betas[0] + n_betas[1] + n_betas[2].
 * - pmk_ising_denoise reports each sweep through its own on_sweep.
 *
 * The calls are cheap (no clock is read), and may come thousands of times a
 * second: a renderer throttles.  Thread-safety: the callback runs on the
 * job's thread. */
#ifndef PMK_PROGRESS_H
#define PMK_PROGRESS_H

#include "pmk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** One report of a job's progress; valid during the call only. */
typedef struct pmk_progress {
    const char *what;          /**< what is being done ("reading FILE", "epoch 3/10",
                                    "AIS"), for a person */
    unsigned long long done;   /**< units done: increases within one job, and
                                    reaches total when the job completes */
    unsigned long long total;  /**< units of the whole job; 0 when not known */
    const char *unit;          /**< "bytes", "rows", "batches", "beta steps", ... */
} pmk_progress;

/** The callback.  @p ctx is the options' progress_ctx.  A non-zero return
 *  stops the job: it frees what it made and returns that value as its status,
 *  with the error's message "WHAT: stopped by the progress callback" (so
 *  return a pmk status, e.g. PMK_EINVAL, to keep pmk_strerror meaningful). */
typedef int (*pmk_progress_fn)(const pmk_progress *p, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
