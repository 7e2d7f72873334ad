/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* csv_parse.c: streams a CSV file through pmk_csv_read_chunk and prints the
 * wall-clock and CPU seconds and MB/s of the parse (the pmk side of
 * bench/csv.sh).  usage: csv_parse FILE.csv [CHUNK_ROWS] (default: the
 * library's, about 1 MiB of doubles a chunk). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "pmk/pmk.h"

static double now(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: csv_parse FILE.csv [CHUNK_ROWS]\n");
        return 2;
    }
    struct stat st;
    if (stat(argv[1], &st) != 0) {
        perror(argv[1]);
        return 1;
    }
    pmk_error err;
    double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    pmk_csv_options o;
    pmk_csv_options_init_default(&o);
    if (argc == 3 && (o.chunk_rows = strtoul(argv[2], NULL, 10)) == 0) {
        fprintf(stderr, "csv_parse: CHUNK_ROWS must be a positive number\n");
        return 2;
    }
    pmk_csv_reader *r = pmk_csv_open(argv[1], &o, &err);
    if (!r) {
        fprintf(stderr, "csv_parse: %s\n", err.msg);
        return 1;
    }
    pmk_csv_chunk ch;
    size_t n = 0;
    double sum = 0;   /* touches the values so the parse cannot be skipped */
    int rc;
    while ((rc = pmk_csv_read_chunk(r, &ch, &err)) == PMK_OK && ch.n > 0) {
        n += ch.n;
        sum += gsl_matrix_get(&ch.X.matrix, ch.n - 1, ch.X.matrix.size2 - 1);
    }
    if (rc) {
        fprintf(stderr, "csv_parse: %s\n", err.msg);
        return 1;
    }
    double t = now(CLOCK_MONOTONIC) - t0, c = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
    pmk_csv_close(r);
    printf("%zu rows %.4f s %.1f MB/s cpu %.4f s (check %g)\n", n, t, (double)st.st_size / t / 1e6,
           c, sum);
    return 0;
}
