/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* ising_sweeps.c: checkerboard ICM at several thread counts in one process,
 * so that the figures do not depend on a process's start (OpenMP's first
 * parallel region waits for its new threads: bench/threads.sh's fresh
 * processes pay that in their `icm` rows).  Built on request only:
 *   make bench/ising_sweeps
 *   bench/ising_sweeps [-o RAW] IMAGE [REPS [THREADS...]]   (default 51; 1 2)
 * IMAGE is a noisy binary image (bench/threads.sh's disc).  Each thread count
 * first starts its threads (pmk_threads_start) and runs every task once
 * untimed; then REPS rounds, each running every count (the order of the
 * counts reversed every other round) on three tasks, timing
 * pmk_ising_denoise alone (the output image allocated once, as the CLI
 * allocates it before its clock):
 *   icm    the default model (eta 2.1), at most 20 sweeps (2 on the disc)
 *   icm7   eta 1, at most 20 sweeps (7 on the 2048 x 2048 disc)
 *   icm1   eta 1, one sweep
 *   sweep  one sweep: (icm7 - icm1) / (S - 1), S icm7's sweeps; the median
 *          of the rounds' own differences, and the difference of the bests
 * Prints the median and best seconds of each count and the speed-ups
 * (first count / each count); with -o, appends the runs to RAW as
 * "T ipicm|ipicm7|ipicm1 SECONDS" and "T ipicm7sweeps S" lines (the format
 * of bench/threads.sh's raw file).  Exit 1 when the images of two thread
 * counts differ (they must be identical). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pmk/pmk.h"
#include "bench_clock.h"

enum { NTASK = 3, MAXT = 8 };
static const char *const task_name[NTASK] = {"icm", "icm7", "icm1"};

/* The median of v[0 .. n - 1], sorted in tmp (v keeps its order). */
static double median(const double *v, int n, double *tmp)
{
    memcpy(tmp, v, (size_t)n * sizeof *v);
    qsort(tmp, (size_t)n, sizeof *tmp, bench_cmp_double);
    return n % 2 ? tmp[n / 2] : (tmp[n / 2 - 1] + tmp[n / 2]) / 2;
}

static double best(const double *v, int n)
{
    double m = v[0];
    for (int i = 1; i < n; i++)
        m = v[i] < m ? v[i] : m;
    return m;
}

/* One run of task k at T threads into x; its seconds, its sweeps in *sweeps. */
static double run(int k, int T, const pmk_spin_image *y, pmk_spin_image *x, size_t *sweeps)
{
    pmk_ising_params p;
    pmk_ising_options o;
    pmk_ising_result res = {0};
    pmk_error e;
    pmk_ising_params_init_default(&p);
    pmk_ising_options_init_default(&o);
    o.method = PMK_ISING_ICM;
    o.order = PMK_ISING_CHECKERBOARD;
    o.threads = T;
    o.max_sweeps = k == 2 ? 1 : 20;
    if (k > 0)
        p.eta = 1;
    double t0 = bench_now();
    if (pmk_ising_denoise(&p, &o, y->width, y->height, y->spins, x->spins, NULL, &res, &e)) {
        fprintf(stderr, "ising_sweeps: %s\n", e.msg);
        exit(1);
    }
    double s = bench_now() - t0;
    *sweeps = res.sweeps;
    pmk_ising_result_clear(&res);
    return s;
}

int main(int argc, char **argv)
{
    const char *rawpath = NULL;
    if (argc > 2 && !strcmp(argv[1], "-o")) {
        rawpath = argv[2];
        argc -= 2;
        argv += 2;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: ising_sweeps [-o RAW] IMAGE [REPS [THREADS...]]\n");
        return 2;
    }
    int reps = argc > 2 ? atoi(argv[2]) : 51, nt = 0, T[MAXT];
    if (reps < 1 || reps > 100000)
        reps = 51;
    for (int i = 3; i < argc && nt < MAXT; i++)
        if (atoi(argv[i]) > 0)
            T[nt++] = atoi(argv[i]);
    if (nt == 0) {
        T[0] = 1;
        T[1] = 2;
        nt = 2;
    }
    pmk_error e;
    pmk_spin_image *y = NULL, *x = NULL, *ref[NTASK] = {NULL};
    if (pmk_spin_image_read(argv[1], 0, &y, &e)
        || !(x = pmk_spin_image_alloc(y->width, y->height, &e))) {
        fprintf(stderr, "ising_sweeps: %s\n", e.msg);
        return 1;
    }
    size_t n = y->width * y->height, S7 = 0, sw;
    double *t = malloc((size_t)nt * NTASK * (size_t)reps * sizeof *t);
    double *d = malloc(2 * (size_t)reps * sizeof *d), *tmp = d + reps;
    FILE *raw = rawpath ? fopen(rawpath, "a") : NULL;
    if (!t || !d || (rawpath && !raw)) {
        fprintf(stderr, "ising_sweeps: %s\n", raw || !rawpath ? "out of memory" : rawpath);
        return 1;
    }
    /* start each count's threads, warm every task, keep count 1's images */
    for (int j = 0; j < nt; j++) {
        pmk_threads_start(T[j]);
        for (int k = 0; k < NTASK; k++) {
            run(k, T[j], y, x, &sw);
            if (j == 0 && !(ref[k] = pmk_spin_image_alloc(y->width, y->height, &e))) {
                fprintf(stderr, "ising_sweeps: %s\n", e.msg);
                return 1;
            }
            if (j == 0)
                memcpy(ref[k]->spins, x->spins, n);
            else if (memcmp(ref[k]->spins, x->spins, n)) {
                fprintf(stderr, "ising_sweeps: %s at %d threads differs from %d threads\n",
                        task_name[k], T[j], T[0]);
                return 1;
            }
        }
    }
    /* t[(j * NTASK + k) * reps + r] */
    for (int r = 0; r < reps; r++)
        for (int jj = 0; jj < nt; jj++) {
            int j = r % 2 ? nt - 1 - jj : jj;
            for (int k = 0; k < NTASK; k++) {
                double s = run(k, T[j], y, x, &sw);
                t[(j * NTASK + k) * reps + r] = s;
                if (k == 1)
                    S7 = sw;
                if (raw)
                    fprintf(raw, "%d ip%s %.9f\n", T[j], task_name[k], s);
            }
            if (raw)
                fprintf(raw, "%d ipicm7sweeps %zu\n", T[j], S7);
        }
    printf("in one process, %zu x %zu, %d interleaved rounds, seconds (median / best)\n",
           y->width, y->height, reps);
    printf("%-6s", "task");
    for (int j = 0; j < nt; j++)
        printf("  %8d thr (median / best)", T[j]);
    for (int j = 1; j < nt; j++)
        printf("  speed-up %d/%d (median / best)", T[0], T[j]);
    printf("\n");
    double med[MAXT], bst[MAXT];
    for (int k = 0; k <= NTASK; k++) {
        printf("%-6s", k < NTASK ? task_name[k] : "sweep");
        for (int j = 0; j < nt; j++) {
            double *v = t + (size_t)(j * NTASK + (k < NTASK ? k : 0)) * (size_t)reps;
            if (k < NTASK) {
                bst[j] = best(v, reps);
                med[j] = median(v, reps, tmp);
            } else {   /* per round: icm7 - icm1, over S7 - 1 sweeps */
                const double *v7 = t + (size_t)(j * NTASK + 1) * (size_t)reps,
                             *v1 = t + (size_t)(j * NTASK + 2) * (size_t)reps;
                double m = S7 > 1 ? (double)(S7 - 1) : 1;
                for (int r = 0; r < reps; r++)
                    d[r] = (v7[r] - v1[r]) / m;
                bst[j] = (best(v7, reps) - best(v1, reps)) / m;
                med[j] = median(d, reps, tmp);
            }
            printf("  %12.6f / %12.6f", med[j], bst[j]);
        }
        for (int j = 1; j < nt; j++)
            printf("  %14.2fx / %6.2fx", med[0] / med[j], bst[0] / bst[j]);
        printf("\n");
    }
    printf("(icm7: %zu sweeps; sweep: icm7 - icm1 over %zu sweeps, the median of the rounds' "
           "differences / the bests' difference)\n", S7, S7 > 1 ? S7 - 1 : 1);
    if (raw)
        fclose(raw);
    for (int k = 0; k < NTASK; k++)
        pmk_spin_image_free(ref[k]);
    pmk_spin_image_free(x);
    pmk_spin_image_free(y);
    free(t);
    free(d);
    return 0;
}
