/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* threads.c: what a `threads` option means (pmk/threads.h), and the BLAS
 * thread count pmk sets around its GEMM phases.  Nothing here is stored:
 * the count comes with each call's options. */
#include "config.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "pmk/threads.h"
#include "core/core_internal.h"

int pmk_threads_available(void)
{
#ifdef CPU_COUNT
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set) < PMK_THREADS_MAX ? CPU_COUNT(&set) : PMK_THREADS_MAX;
#endif
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > PMK_THREADS_MAX ? PMK_THREADS_MAX : (int)n;
}

int pmk_threads_resolve(int threads)
{
    if (threads > 0)
        return threads < PMK_THREADS_MAX ? threads : PMK_THREADS_MAX;
    if (threads < 0)
        return 1;
    /* OpenMP's own variable, as libgomp reads it: "4" or "4,2" (nesting) */
    const char *env = getenv("OMP_NUM_THREADS");
    if (env) {
        char *end;
        long n = strtol(env, &end, 10);
        if (end != env && n > 0 && (*end == '\0' || *end == ','))
            return n < PMK_THREADS_MAX ? (int)n : PMK_THREADS_MAX;
    }
    return pmk_threads_available();
}

int pmk_threads_check(int threads, pmk_error *err)
{
    if (threads < 0 || threads > PMK_THREADS_MAX)
        return pmk_error_set(err, PMK_EINVAL,
                             "threads: %d is not 0 (the cores available) or a count up to %d",
                             threads, PMK_THREADS_MAX);
    return PMK_OK;
}

int pmk_threads_openmp(void)
{
#ifdef _OPENMP
    return 1;
#else
    return 0;
#endif
}

int core_thread_cpu(void)
{
#if defined(__linux__) && defined(CPU_COUNT)
    return sched_getcpu();
#else
    return -1;
#endif
}

/* Why: Linux places a new thread (and often a woken one) on its creator's
 * CPU when the other looks busy (sched_wakeup_new's target_cpu was the
 * parent's for 32 of 42 two-thread ICM runs traced on this loaded VM).
 * OpenMP's first parallel region then spins on that CPU waiting for the
 * thread, which runs at the next tick, and the two share the CPU in time
 * slices until the load balancer parts them.  A mask without that CPU
 * migrates the thread at once; the whole mask back leaves it there. */
void core_thread_apart(int cpu)
{
#if defined(__linux__) && defined(CPU_COUNT)
    if (cpu < 0 || sched_getcpu() != cpu)
        return;
    cpu_set_t all, other;
    if (sched_getaffinity(0, sizeof all, &all) != 0 || !CPU_ISSET(cpu, &all))
        return;
    other = all;
    CPU_CLR(cpu, &other);
    if (CPU_COUNT(&other) > 0 && sched_setaffinity(0, sizeof other, &other) == 0)
        (void)sched_setaffinity(0, sizeof all, &all);
#else
    (void)cpu;
#endif
}

int pmk_threads_start(int threads)
{
    const int T = pmk_threads_resolve(threads);
    int n = 1;
#ifdef _OPENMP
    if (T > 1) {
        const int cpu = core_thread_cpu();
#pragma omp parallel num_threads(T)
        {
            if (omp_get_thread_num() == 0)
                n = omp_get_num_threads();
            else
                core_thread_apart(cpu);
        }
    }
#else
    (void)T;
#endif
    return n;
}

/* OpenBLAS's count is its process-wide setting, not pmk's: each GEMM phase
 * sets it on entry (core_blas_threads(n)) and back to 1 on exit, so that
 * between phases, and inside pmk's own parallel regions, no BLAS call
 * starts or wakes its threads. */
void core_blas_threads(int n)
{
    const core_blas *b = core_blas_get();
    if (b->set_threads)
        b->set_threads(n < 1 ? 1 : n);
}

typedef struct run_arg {
    void (*fn)(void *, size_t);
    void *ctx;
    size_t p;
    const void *all;    /* the affinity mask to restore (cpu_set_t), or NULL */
    int started;        /* the thread was made */
    pthread_t th;
} run_arg;

static void *run_one(void *v)
{
    run_arg *a = v;
#if defined(__linux__) && defined(CPU_COUNT)
    if (a->all)   /* made off the caller's CPU: the whole mask back, the kernel free to move it */
        (void)sched_setaffinity(0, sizeof(cpu_set_t), a->all);
#endif
    a->fn(a->ctx, a->p);
    return NULL;
}

/* Each thread is made with a mask without the caller's CPU, so that it
 * starts at once on another (the kernel tends to queue a new thread on its
 * creator's CPU: 4 ms, a tick, behind the caller's own part, measured on
 * the 2-vCPU VM), and takes the whole mask back as it starts. */
void core_threads_run(size_t P, void (*fn)(void *ctx, size_t p), void *ctx)
{
    run_arg local[8], *a = P <= 8 ? local : malloc(P * sizeof *a);
    pthread_attr_t attr, *pa = NULL;
    const void *all = NULL;
#if defined(__linux__) && defined(CPU_COUNT)
    cpu_set_t mask, other;
    const int cpu = core_thread_cpu();
    if (P > 1 && cpu >= 0 && sched_getaffinity(0, sizeof mask, &mask) == 0
        && CPU_ISSET(cpu, &mask)) {
        other = mask;
        CPU_CLR(cpu, &other);
        if (CPU_COUNT(&other) > 0 && pthread_attr_init(&attr) == 0) {
            if (pthread_attr_setaffinity_np(&attr, sizeof other, &other) == 0)
                pa = &attr, all = &mask;
            else
                pthread_attr_destroy(&attr);
        }
    }
#endif
    for (size_t p = 1; a && p < P; p++) {
        a[p] = (run_arg){fn, ctx, p, all, 0, 0};
        a[p].started = pthread_create(&a[p].th, pa, run_one, &a[p]) == 0;
    }
    if (pa)
        pthread_attr_destroy(pa);
    if (P > 0)
        fn(ctx, 0);
    for (size_t p = 1; p < P; p++) {
        if (a && a[p].started)
            pthread_join(a[p].th, NULL);
        else
            fn(ctx, p);   /* no thread (or no memory for the list): here */
    }
    if (a != local)
        free(a);
}
