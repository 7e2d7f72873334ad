/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_posteriors.c: fit the Gaussian class-conditional classifier on a labelled
 * CSV file and print the posterior p(y = k | x) of every class for one row of
 * another CSV file.
 *
 * Build against the installed library:
 *   cc -std=c11 gnb_posteriors.c -o gnb_posteriors $(pkg-config --cflags --libs pmk)
 * Run:
 *   ./gnb_posteriors mnist-train.csv.gz mnist-test.csv.gz 0
 *
 * Every pmk call returns a status (0 = PMK_OK) and fills a pmk_error whose
 * message names the file, line and column at fault; the library never prints. */
#include <stdio.h>
#include <stdlib.h>
#include <pmk/pmk.h>

/* Prints the error and returns the exit status 1. */
static int fail(const pmk_error *err)
{
    fprintf(stderr, "gnb_posteriors: %s\n", err->msg);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: gnb_posteriors TRAIN.csv TEST.csv [ROW]\n");
        return 2;
    }
    size_t row = argc == 4 ? strtoul(argv[3], NULL, 10) : 0;
    pmk_error err;
    pmk_error_clear(&err);

    /* Both files whole in memory: N x D pixels 0..255 and N labels (label
     * first on each line, gzip recognised by its magic bytes). */
    pmk_dataset *train = NULL, *test = NULL;
    if (pmk_csv_read_all(argv[1], NULL, &train, &err))
        return fail(&err);
    if (pmk_csv_read_all(argv[2], NULL, &test, &err)) {
        pmk_dataset_free(train);
        return fail(&err);
    }
    if (row >= test->n || test->d != train->d) {
        fprintf(stderr, "gnb_posteriors: %s has no row %zu of %zu features\n", argv[2], row,
                train->d);
        pmk_dataset_free(train);
        pmk_dataset_free(test);
        return 1;
    }

    /* Fit: pixels scaled to 0..1 (the default transform chooses 1/255 for
     * values that are all integers 0..255), one variance per pixel shared by
     * the classes, 1e-9 of the largest variance added to all: the defaults. */
    pmk_gnb_options opt;
    pmk_gnb_options_init_default(&opt);
    pmk_gnb *model = pmk_gnb_fit(train->X, train->y, &opt, &err);
    pmk_dataset_free(train);
    if (!model) {
        pmk_dataset_free(test);
        return fail(&err);
    }
    size_t K = pmk_gnb_nclasses(model), D = pmk_gnb_nfeatures(model);
    const long *labels = pmk_gnb_labels(model);   /* owned by the model */
    printf("fitted %.0f rows, %zu classes, %zu features\n", pmk_gnb_ntrain(model), K, D);

    /* The posteriors of one row: a 1 x D view of the test matrix in, a 1 x K
     * matrix (ours to allocate and free) out.  The model applies its scale. */
    gsl_matrix_const_view x = gsl_matrix_const_submatrix(test->X, row, 0, 1, D);
    gsl_matrix *P = gsl_matrix_alloc(1, K);
    int rc = 0;
    if (pmk_gnb_predict_proba(model, &x.matrix, P, &err)) {
        rc = fail(&err);
    } else {
        printf("row %zu of %s, true label %ld\n", row, argv[2], test->y[row]);
        size_t best = 0;
        for (size_t k = 0; k < K; k++) {
            double p = gsl_matrix_get(P, 0, k);
            printf("p(y=%ld|x) = %.17g\n", labels[k], p);
            if (p > gsl_matrix_get(P, 0, best))
                best = k;
        }
        printf("predicted %ld\n", labels[best]);
    }
    gsl_matrix_free(P);
    pmk_gnb_free(model);
    pmk_dataset_free(test);
    return rc;
}
