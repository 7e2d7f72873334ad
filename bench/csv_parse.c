/* csv_parse.c: streams a CSV file through pmk_csv_read_chunk and prints the
 * seconds and MB/s of the parse (the pmk side of bench/csv.sh). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "pmk/pmk.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: csv_parse FILE.csv\n");
        return 2;
    }
    struct stat st;
    if (stat(argv[1], &st) != 0) {
        perror(argv[1]);
        return 1;
    }
    pmk_error err;
    double t0 = now();
    pmk_csv_reader *r = pmk_csv_open(argv[1], NULL, &err);
    if (!r) {
        fprintf(stderr, "csv_parse: %s\n", err.msg);
        return 1;
    }
    pmk_csv_chunk ch;
    size_t n = 0;
    double sum = 0;   /* touches the values so the parse cannot be skipped */
    while (pmk_csv_read_chunk(r, &ch, &err) == PMK_OK && ch.n > 0) {
        n += ch.n;
        sum += gsl_matrix_get(&ch.X.matrix, ch.n - 1, ch.X.matrix.size2 - 1);
    }
    if (err.code) {
        fprintf(stderr, "csv_parse: %s\n", err.msg);
        return 1;
    }
    double t = now() - t0;
    pmk_csv_close(r);
    printf("%zu rows %.4f s %.1f MB/s (check %g)\n", n, t, (double)st.st_size / t / 1e6, sum);
    return 0;
}
