/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* image_read.c: times pmk_image_read on one file: `image_read FILE REPS`
 * prints the median wall time in milliseconds over REPS reads (each read
 * allocates and frees its matrix, as a program reading one image does). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <gsl/gsl_errno.h>

#include "pmk/pmk.h"
#include "bench_clock.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: image_read FILE REPS\n");
        return 2;
    }
    gsl_set_error_handler_off();
    int reps = atoi(argv[2]);
    if (reps < 1 || reps > 1000)
        reps = 5;
    double *t = malloc((size_t)reps * sizeof *t);
    for (int i = 0; i < reps; i++) {
        pmk_error e;
        pmk_image *img;
        double t0 = bench_now();
        if (pmk_image_read(argv[1], &img, &e)) {
            fprintf(stderr, "image_read: %s\n", e.msg);
            return 1;
        }
        t[i] = (bench_now() - t0) * 1e3;
        pmk_image_free(img);
    }
    qsort(t, (size_t)reps, sizeof *t, bench_cmp_double);
    printf("%.3f\n", t[reps / 2]);
    free(t);
    return 0;
}
