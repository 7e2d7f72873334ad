/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* blas.c: the CBLAS behind pmk_gemm and friends, chosen when a GEMM is first
 * needed.  libpmk links GSL's reference gslcblas and opens OpenBLAS with
 * dlopen only then: a command that does no BLAS (ising, convert, gnb's
 * streaming fit) neither pays for loading OpenBLAS and its Fortran runtime
 * (about a third of `pmk ising denoise`'s 2048 x 2048 run: its 12,000
 * relocations) nor gets its threads, which spin in sched_yield.  The calls
 * and their arguments are the ones gsl_blas_dgemm makes, so the results are
 * those of the CBLAS named by pmk_cblas_name().  pmk owns OpenBLAS's thread
 * count: openblas_set_num_threads is found with dlsym when OpenBLAS is
 * opened (not at configure time: the library opened is the one installed at
 * run time), set to 1 at once, and raised only for GEMM phases
 * (core_blas_threads, threads.c) from their options' thread count.  OpenBLAS
 * starts its pool of threads when it is loaded (OPENBLAS_NUM_THREADS of
 * them, else one per core) and they spin while idle; the library does not
 * touch the environment, so the pmk CLI sets that variable to 1 at start,
 * and a C program that wants no pool does the same before its first GEMM. */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"

static core_blas blas_choice;
static pthread_once_t blas_once = PTHREAD_ONCE_INIT;

static void load(void)
{
    blas_choice.dgemm = cblas_dgemm;
    blas_choice.sgemm = cblas_sgemm;
    blas_choice.dgemv = cblas_dgemv;
    blas_choice.dsyrk = cblas_dsyrk;
    blas_choice.name = "gslcblas";
#ifdef PMK_OPENBLAS_SONAME
    /* PMK_CBLAS=gslcblas keeps the reference CBLAS (for comparisons). */
    const char *want = getenv("PMK_CBLAS");
    if (want && strcmp(want, "gslcblas") == 0)
        return;
    void *h = dlopen(PMK_OPENBLAS_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return;
    core_blas b = blas_choice;
    *(void **)&b.dgemm = dlsym(h, "cblas_dgemm");
    *(void **)&b.sgemm = dlsym(h, "cblas_sgemm");
    *(void **)&b.dgemv = dlsym(h, "cblas_dgemv");
    *(void **)&b.dsyrk = dlsym(h, "cblas_dsyrk");
    *(void **)&b.set_threads = dlsym(h, "openblas_set_num_threads");
    if (!b.dgemm || !b.sgemm || !b.dgemv || !b.dsyrk) {
        dlclose(h);
        return;
    }
    b.name = "openblas";
    if (b.set_threads)
        b.set_threads(1);   /* one until a GEMM phase asks for more */
    blas_choice = b;
#endif
}

const core_blas *core_blas_get(void)
{
    (void)pthread_once(&blas_once, load);
    return &blas_choice;
}
