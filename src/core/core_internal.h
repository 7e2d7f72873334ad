/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* core_internal.h: helpers the library's modules share and do not export. */
#ifndef PMK_CORE_INTERNAL_H
#define PMK_CORE_INTERNAL_H

#include <stddef.h>
#include <stdlib.h>
#include <gsl/gsl_cblas.h>

/* Frees each pointer given (NULL allowed): a destructor's field list in one
 * statement, CORE_FREE(t->a, t->b, t).  Every value is read before the first
 * free, so the list may end with the struct that holds the others. */
static inline void core_free_list(void *const *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(p[i]);
}
#define CORE_FREE(...)                                                                            \
    core_free_list((void *const[]){__VA_ARGS__}, sizeof((void *[]){__VA_ARGS__}) / sizeof(void *))

/* Asks for transparent huge pages over the 2 MiB-aligned interior of the
 * untouched buffer p of n bytes (THP in "madvise" mode, Debian's default).
 * A hint only: failure changes nothing. */
void core_advise_huge(void *p, size_t n);

/* malloc(n), but from 2 MiB boundaries in whole huge pages when n is at
 * least 2 MiB.  Free with free(); the memory is not zeroed. */
void *core_alloc_huge(size_t n);

/* The CBLAS routines pmk calls (see blas.c): OpenBLAS's when it could be
 * opened, else GSL's reference CBLAS.  set_threads is NULL for gslcblas. */
typedef struct core_blas {
    void (*dgemm)(enum CBLAS_ORDER, enum CBLAS_TRANSPOSE, enum CBLAS_TRANSPOSE, int, int, int,
                  double, const double *, int, const double *, int, double, double *, int);
    void (*sgemm)(enum CBLAS_ORDER, enum CBLAS_TRANSPOSE, enum CBLAS_TRANSPOSE, int, int, int,
                  float, const float *, int, const float *, int, float, float *, int);
    void (*dgemv)(enum CBLAS_ORDER, enum CBLAS_TRANSPOSE, int, int, double, const double *, int,
                  const double *, int, double, double *, int);
    void (*dsyrk)(enum CBLAS_ORDER, enum CBLAS_UPLO, enum CBLAS_TRANSPOSE, int, int, double,
                  const double *, int, double, double *, int);
    void (*set_threads)(int);
    const char *name; /* "openblas" or "gslcblas" */
} core_blas;

/* The CBLAS, chosen (and OpenBLAS opened) on the first call; thread-safe.
 * OpenBLAS is set to one thread when it is opened (threads.c). */
const core_blas *core_blas_get(void);

/* Sets OpenBLAS's thread count to @p n (at least 1) for a GEMM phase, opening
 * it first; a GEMM phase ends with core_blas_threads(1).  A no-op for
 * gslcblas.  OpenBLAS's count is process-wide: concurrent phases with
 * different counts see the last one set (the results do not change, only
 * the speed). */
void core_blas_threads(int n);

/* The CPU the calling thread runs on, or -1 where that is unknown. */
int core_thread_cpu(void);

/* Called by a team's thread other than the first with the CPU the first
 * thread ran on (core_thread_cpu(), taken before the parallel region): when
 * the caller runs on that CPU too, it moves to another CPU of its affinity
 * mask and gets the whole mask back at once, so the kernel keeps it free
 * to move.  Nothing when the CPUs differ, cpu is -1 or there is no other
 * CPU. */
void core_thread_apart(int cpu);

/* Runs fn(ctx, p) for p = 0 .. P-1, part 0 on the calling thread and each
 * other part on a POSIX thread of its own, and returns when all are done.
 * For coarse parts that share nothing (gnb_par.c's file ranges): a new
 * thread runs its part at once, where an OpenMP team's first region keeps
 * the caller waiting while the new thread spins on the caller's CPU (the
 * kernel often puts it there; core_thread_apart).  Each thread is made
 * with an affinity mask without the caller's CPU and takes the whole mask
 * back as it starts.  A part whose thread cannot be made runs on the
 * calling thread after part 0. */
void core_threads_run(size_t P, void (*fn)(void *ctx, size_t p), void *ctx);

/* Exact decimal conversions for model files (decimal.c).
 * core_decimal_parse: the double strtod gives for @p s, which must be
 * [+-]digits[.digits][(e|E)[+-]digits] and nothing more: 1 and *out when
 * done here, 0 when the caller is to call strtod (more than 19 significant
 * digits, a power of ten past 10^-31 or 10^27, a rounding mode not to
 * nearest).
 * core_decimal_g17: writes what snprintf(buf, 32, "%.17g", x) writes in the
 * C locale (it is called for values it does not cover); the length.
 * core_decimal_g17_fast: the same, or 0 for a value it leaves to snprintf
 * (|x| below 1e-16 or from 1e44, not finite, a rounding mode not to
 * nearest). */
int core_decimal_parse(const char *s, double *out);
size_t core_decimal_g17(double x, char *buf);
size_t core_decimal_g17_fast(double x, char *buf);

#endif
