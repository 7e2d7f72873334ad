/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_gemm.c: the GEMM-only floor of one CD-1 epoch (bench/rbm.sh): the five
 * GEMMs of each minibatch update with the shapes and the thread split of
 * pmk_rbm_fit (src/models/rbm_step.c), N/B times, in single and double
 * precision.  With T threads each takes a run of 48-row blocks of the batch
 * for GEMMs 1-3 and, after a barrier, a run of 48-row blocks of D for GEMMs
 * 4-5, each calling the BLAS (on one thread) on its rows.
 *   rbm_gemm N D H B [T]     prints "float SECONDS" and "double SECONDS"
 *   rbm_gemm blocks D H B    for grains G of 1..48 rows: whether GEMMs over
 *                            row blocks starting at multiples of G give the
 *                            bits of one call over all rows (the trainer's
 *                            identity across thread counts needs G = 48) */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "pmk/pmk.h"
#include "bench_clock.h"

enum { GRAIN = 48 };

/* Thread id of T: rows [*lo, *hi) of n in whole g-row blocks (rbm_step.c). */
static void share(size_t n, size_t g, int T, int id, size_t *lo, size_t *hi)
{
    size_t nb = (n + g - 1) / g, b0 = nb * (size_t)id / (size_t)T;
    size_t b1 = nb * (size_t)(id + 1) / (size_t)T;
    *lo = b0 * g < n ? b0 * g : n;
    *hi = b1 * g < n ? b1 * g : n;
}

/* One minibatch's five GEMMs for type TYPE (float or double, GEMM its
 * pmk_gemm_float or pmk_gemm), split as in the trainer.  Per batch:
 * PH0 = V0 W, PV = Hs W', PH = PV W (rows of the batch), dW += V0'PH0,
 * dW -= PV'PH (rows of D). */
#define EPOCH(TYPE, M, GEMM, N, D, H, B, T)                                                       \
    do {                                                                                          \
        gsl_##M *V = gsl_##M##_calloc(B, D), *PV = gsl_##M##_calloc(B, D);                        \
        gsl_##M *P0 = gsl_##M##_calloc(B, H), *P = gsl_##M##_calloc(B, H);                        \
        gsl_##M *W = gsl_##M##_calloc(D, H), *G = gsl_##M##_calloc(D, H);                         \
        double t0 = bench_now();                                                                  \
        for (size_t s = 0; s < (N) / (B); s++) {                                                  \
            _Pragma("omp parallel num_threads(T)")                                                \
            {                                                                                     \
                int id = 0, nt = 1;                                                               \
                OMP_IDS(id, nt);                                                                  \
                size_t lo, hi;                                                                    \
                share(B, GRAIN, nt, id, &lo, &hi);                                                \
                if (hi > lo) {                                                                    \
                    gsl_##M##_view v = gsl_##M##_submatrix(V, lo, 0, hi - lo, D);                 \
                    gsl_##M##_view pv = gsl_##M##_submatrix(PV, lo, 0, hi - lo, D);               \
                    gsl_##M##_view p0 = gsl_##M##_submatrix(P0, lo, 0, hi - lo, H);               \
                    gsl_##M##_view p = gsl_##M##_submatrix(P, lo, 0, hi - lo, H);                 \
                    GEMM(CblasNoTrans, CblasNoTrans, 1, &v.matrix, W, 0, &p0.matrix);             \
                    GEMM(CblasNoTrans, CblasTrans, 1, &p0.matrix, W, 0, &pv.matrix);              \
                    GEMM(CblasNoTrans, CblasNoTrans, 1, &pv.matrix, W, 0, &p.matrix);             \
                }                                                                                 \
                _Pragma("omp barrier");                                                           \
                share(D, GRAIN, nt, id, &lo, &hi);                                                \
                if (hi > lo) {                                                                    \
                    gsl_##M##_view v = gsl_##M##_submatrix(V, 0, lo, B, hi - lo);                 \
                    gsl_##M##_view pv = gsl_##M##_submatrix(PV, 0, lo, B, hi - lo);               \
                    gsl_##M##_view g = gsl_##M##_submatrix(G, lo, 0, hi - lo, H);                 \
                    GEMM(CblasTrans, CblasNoTrans, (TYPE)0.001, &v.matrix, P0, 1, &g.matrix);     \
                    GEMM(CblasTrans, CblasNoTrans, (TYPE)-0.001, &pv.matrix, P, 1, &g.matrix);    \
                }                                                                                 \
            }                                                                                     \
        }                                                                                         \
        printf("%s %.4f\n", #TYPE, bench_now() - t0);                                             \
        gsl_##M##_free(V), gsl_##M##_free(PV), gsl_##M##_free(P0), gsl_##M##_free(P);             \
        gsl_##M##_free(W), gsl_##M##_free(G);                                                     \
    } while (0)

#ifdef _OPENMP
#define OMP_IDS(id, nt) (id = omp_get_thread_num(), nt = omp_get_num_threads())
#else
#define OMP_IDS(id, nt) (void)0
#endif

/* Fills A with uniforms on [-0.5, 0.5) from a fixed LCG. */
static void fill(gsl_matrix_float *A, unsigned *x)
{
    for (size_t i = 0; i < A->size1 * A->size2; i++) {
        *x = *x * 1664525u + 1013904223u;
        A->data[i] = (float)(*x >> 8) * 0x1p-24f - 0.5f;
    }
}

/* The three GEMM shapes of the trainer, over blocks of g rows vs one call:
 * 0 when every block gives the whole call's bits. */
static int blocks(size_t D, size_t H, size_t B, size_t g)
{
    unsigned x = 1;
    gsl_matrix_float *V = gsl_matrix_float_alloc(B, D), *W = gsl_matrix_float_alloc(D, H);
    gsl_matrix_float *P = gsl_matrix_float_alloc(B, H), *C[2], *E[2], *G[2];
    fill(V, &x), fill(W, &x), fill(P, &x);
    for (int w = 0; w < 2; w++) {
        C[w] = gsl_matrix_float_calloc(B, H), E[w] = gsl_matrix_float_calloc(B, D);
        G[w] = gsl_matrix_float_calloc(D, H);
        size_t gb = w ? g : B, gd = w ? g : D;   /* w = 0: one call */
        for (size_t lo = 0; lo < B; lo += gb) {
            size_t n = B - lo < gb ? B - lo : gb;
            gsl_matrix_float_view v = gsl_matrix_float_submatrix(V, lo, 0, n, D);
            gsl_matrix_float_view p = gsl_matrix_float_submatrix(P, lo, 0, n, H);
            gsl_matrix_float_view c = gsl_matrix_float_submatrix(C[w], lo, 0, n, H);
            gsl_matrix_float_view e = gsl_matrix_float_submatrix(E[w], lo, 0, n, D);
            pmk_gemm_float(CblasNoTrans, CblasNoTrans, 1, &v.matrix, W, 0, &c.matrix);
            pmk_gemm_float(CblasNoTrans, CblasTrans, 1, &p.matrix, W, 0, &e.matrix);
        }
        for (size_t lo = 0; lo < D; lo += gd) {
            size_t n = D - lo < gd ? D - lo : gd;
            gsl_matrix_float_view v = gsl_matrix_float_submatrix(V, 0, lo, B, n);
            gsl_matrix_float_view gg = gsl_matrix_float_submatrix(G[w], lo, 0, n, H);
            pmk_gemm_float(CblasTrans, CblasNoTrans, 0.01f, &v.matrix, P, 0.9f, &gg.matrix);
        }
    }
    int diff = memcmp(C[0]->data, C[1]->data, B * H * sizeof(float)) != 0;
    diff |= (memcmp(E[0]->data, E[1]->data, B * D * sizeof(float)) != 0) << 1;
    diff |= (memcmp(G[0]->data, G[1]->data, D * H * sizeof(float)) != 0) << 2;
    for (int w = 0; w < 2; w++)
        gsl_matrix_float_free(C[w]), gsl_matrix_float_free(E[w]), gsl_matrix_float_free(G[w]);
    gsl_matrix_float_free(V), gsl_matrix_float_free(W), gsl_matrix_float_free(P);
    return diff;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "blocks") == 0) {
        size_t D = strtoul(argv[2], NULL, 10), H = strtoul(argv[3], NULL, 10);
        size_t B = strtoul(argv[4], NULL, 10);
        const size_t gs[] = {1, 2, 3, 4, 6, 8, 12, 16, 24, 48};
        int bad48 = 0;
        printf("%s: row blocks vs one call (V W, H W', V'P)\n", pmk_cblas_name());
        for (size_t i = 0; i < sizeof gs / sizeof gs[0]; i++) {
            int d = blocks(D, H, B, gs[i]);
            printf("grain %2zu: %s%s%s%s\n", gs[i], d ? "differs in" : "identical",
                   d & 1 ? " VW" : "", d & 2 ? " HW'" : "", d & 4 ? " V'P" : "");
            bad48 = gs[i] == GRAIN && d;
        }
        return bad48;
    }
    if (argc != 5 && argc != 6) {
        fputs("usage: rbm_gemm N D H B [THREADS] | rbm_gemm blocks D H B\n", stderr);
        return 2;
    }
    size_t N = strtoul(argv[1], NULL, 10), D = strtoul(argv[2], NULL, 10);
    size_t H = strtoul(argv[3], NULL, 10), B = strtoul(argv[4], NULL, 10);
    int T = argc == 6 ? atoi(argv[5]) : 1;
    (void)T;
    EPOCH(float, matrix_float, pmk_gemm_float, N, D, H, B, T);
    EPOCH(double, matrix, pmk_gemm, N, D, H, B, T);
    return 0;
}
