/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_gemm.c: the GEMM-only floor of one CD-1 epoch (bench/rbm.sh): the five
 * GEMMs of each minibatch update with the shapes pmk_rbm_fit uses, N/B times,
 * in single and double precision.  Usage: rbm_gemm N D H B; prints
 * "float SECONDS" and "double SECONDS". */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "pmk/pmk.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fputs("usage: rbm_gemm N D H B\n", stderr);
        return 2;
    }
    size_t N = strtoul(argv[1], NULL, 10), D = strtoul(argv[2], NULL, 10);
    size_t H = strtoul(argv[3], NULL, 10), B = strtoul(argv[4], NULL, 10);
    /* V0, V: B x D; PH0, PH, Hs: B x H; W, dW: D x H.  Per batch:
     * PH0 = V0 W, PV = Hs W', PH = PV W, dW += V0'PH0, dW -= PV'PH. */
    {
        gsl_matrix_float *V = gsl_matrix_float_calloc(B, D), *PV = gsl_matrix_float_calloc(B, D);
        gsl_matrix_float *P0 = gsl_matrix_float_calloc(B, H), *P = gsl_matrix_float_calloc(B, H);
        gsl_matrix_float *W = gsl_matrix_float_calloc(D, H), *G = gsl_matrix_float_calloc(D, H);
        double t0 = now();
        for (size_t s = 0; s < N / B; s++) {
            pmk_gemm_float(CblasNoTrans, CblasNoTrans, 1, V, W, 0, P0);
            pmk_gemm_float(CblasNoTrans, CblasTrans, 1, P0, W, 0, PV);
            pmk_gemm_float(CblasNoTrans, CblasNoTrans, 1, PV, W, 0, P);
            pmk_gemm_float(CblasTrans, CblasNoTrans, 0.001f, V, P0, 1, G);
            pmk_gemm_float(CblasTrans, CblasNoTrans, -0.001f, PV, P, 1, G);
        }
        printf("float %.4f\n", now() - t0);
    }
    {
        gsl_matrix *V = gsl_matrix_calloc(B, D), *PV = gsl_matrix_calloc(B, D);
        gsl_matrix *P0 = gsl_matrix_calloc(B, H), *P = gsl_matrix_calloc(B, H);
        gsl_matrix *W = gsl_matrix_calloc(D, H), *G = gsl_matrix_calloc(D, H);
        double t0 = now();
        for (size_t s = 0; s < N / B; s++) {
            pmk_gemm(CblasNoTrans, CblasNoTrans, 1, V, W, 0, P0);
            pmk_gemm(CblasNoTrans, CblasTrans, 1, P0, W, 0, PV);
            pmk_gemm(CblasNoTrans, CblasNoTrans, 1, PV, W, 0, P);
            pmk_gemm(CblasTrans, CblasNoTrans, 0.001, V, P0, 1, G);
            pmk_gemm(CblasTrans, CblasNoTrans, -0.001, PV, P, 1, G);
        }
        printf("double %.4f\n", now() - t0);
    }
    return 0;
}
