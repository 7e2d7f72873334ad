/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/** @file pmk/threads.h
 * How many threads a call uses.  There is no library-wide setting: every
 * call that can use threads takes a @c threads field in its options
 * (pmk_data_options, pmk_ising_options, pmk_rbm_options,
 * pmk_rbm_ais_options, pmk_rbm_sample_options; the pmk_rbm_*_threads calls
 * take it as an argument), 0 meaning the cores available to the process.
 * pmk's own threads are OpenMP's (when built with it: pmk_threads_openmp);
 * without OpenMP the same work is done on one thread with the same
 * results.  The count also sets OpenBLAS's threads for the GEMM phases
 * (training, free energies), and OpenBLAS runs on one thread elsewhere. */
#ifndef PMK_THREADS_H
#define PMK_THREADS_H

#include "pmk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The largest thread count an option may ask for. */
#define PMK_THREADS_MAX 1024

/** The cores this process may run on (sched_getaffinity), at least 1. */
PMK_API int pmk_threads_available(void);

/** The count a @c threads option means: @p threads itself when positive
 *  (at most PMK_THREADS_MAX); for 0, the environment's OMP_NUM_THREADS when
 *  it starts with a positive number (its first entry), else
 *  pmk_threads_available(); 1 for a negative value. */
PMK_API int pmk_threads_resolve(int threads);

/** PMK_OK when @p threads is 0 .. PMK_THREADS_MAX, else PMK_EINVAL with
 *  "threads: N is not 0 (the cores available) or a count up to 1024". */
PMK_API int pmk_threads_check(int threads, pmk_error *err);

/** 1 when libpmk was built with OpenMP (its own threads), else 0. */
PMK_API int pmk_threads_openmp(void);

/** Starts the threads of a @c threads option (pmk_threads_resolve) now, so
 *  that the next call with that count finds them started.  OpenMP starts a
 *  thread in the first parallel region that needs it and the caller waits
 *  there until the thread runs (on a virtual machine often milliseconds,
 *  more than a 2048 x 2048 ICM run); a program that times its calls, or
 *  can start its threads while it has nothing else to do, calls this first.
 *  A thread that starts on the caller's CPU moves once to another CPU the
 *  process may use (nothing stays pinned).  Returns the threads now
 *  started, the caller included: 1 for a count of 1 or without OpenMP. */
PMK_API int pmk_threads_start(int threads);

#ifdef __cplusplus
}
#endif
#endif
