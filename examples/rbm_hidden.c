/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_hidden.c: train a small binary RBM on MNIST digits by contrastive
 * divergence (CD-1), then, for the first few rows, print p(h_j = 1 | v), one
 * sample of the hidden units, and log p(v) with the exact partition function.
 *
 * Build against the installed library:
 *   cc -std=c11 rbm_hidden.c -o rbm_hidden $(pkg-config --cflags --libs pmk)
 * Run:
 *   ./rbm_hidden mnist-train.csv.gz [MODEL]
 *
 * Model: E(v, h) = -v'Wh - b'v - a'h over v in {0,1}^D, h in {0,1}^H;
 * p(h_j = 1 | v) = sigmoid((W'v + a)_j); F(v) = -b'v - sum_j softplus((W'v + a)_j);
 * log p(v) = -F(v) - log Z.  Grey pixels scaled to [0,1] are used as v
 * (probabilities), as Hinton's rbm.m does. */
#include <stdio.h>
#include <stdlib.h>
#include <pmk/pmk.h>

enum { H = 16, ROWS = 3, SEED = 1 };

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: rbm_hidden TRAIN.csv [MODEL]\n");
        return 2;
    }
    pmk_error err;
    pmk_error_clear(&err);
    pmk_dataset *ds = NULL;
    pmk_rng *rng = NULL;
    pmk_rbm *m = NULL;
    gsl_matrix *P = NULL, *S = NULL;
    gsl_vector *F = NULL;
    int rc = 1;

    /* N x D pixels 0..255 -> [0,1]; the labels are not used. */
    if (pmk_csv_read_all(argv[1], NULL, &ds, &err))
        goto fail;
    gsl_matrix_scale(ds->X, 1.0 / 255.0);
    size_t D = ds->d;

    /* Every random draw (initial weights, minibatches, Gibbs steps, the
     * samples below) comes from this one generator: a seed, one result. */
    rng = pmk_rng_alloc(NULL, SEED);
    m = pmk_rbm_alloc(D, H, &err);
    if (!rng || !m)
        goto fail;
    /* W ~ N(0, 0.01^2), a = 0, b from the pixel means (Hinton's guide). */
    if (pmk_rbm_init(m, ds->X, rng, &err))
        goto fail;

    /* Two epochs of CD-1 in minibatches of 100 (rbm.m's other defaults). */
    pmk_rbm_options opt;
    pmk_rbm_options_init_default(&opt);
    opt.epochs = 2;
    if (pmk_rbm_fit(m, ds->X, &opt, rng, NULL, NULL, &err))
        goto fail;
    if (argc == 3 && pmk_rbm_save(m, argv[2], &err))
        goto fail;

    /* H = 16 is narrow enough to sum over all 2^16 hidden states: exact log Z. */
    double log_z;
    if (pmk_rbm_log_z_exact(m, &log_z, &err))
        goto fail;
    printf("trained %zu x %zu RBM on %zu rows, %zu epochs; log Z = %.6f\n", D, (size_t)H,
           ds->n, m->epochs, log_z);

    /* The first ROWS rows as a ROWS x D view; outputs are ours to free. */
    gsl_matrix_const_view V = gsl_matrix_const_submatrix(ds->X, 0, 0, ROWS, D);
    P = gsl_matrix_alloc(ROWS, H);
    S = gsl_matrix_alloc(ROWS, H);
    F = gsl_vector_alloc(ROWS);
    if (!P || !S || !F)
        goto fail;
    if (pmk_rbm_hidden_prob(m, &V.matrix, P, &err)
        || pmk_rbm_sample_hidden(m, &V.matrix, S, rng, &err)
        || pmk_rbm_free_energy(m, &V.matrix, F, &err)) {
        fprintf(stderr, "rbm_hidden: %s\n", err.msg);
        goto out;
    }
    for (size_t i = 0; i < ROWS; i++) {
        printf("row %zu (label %ld): log p(v) = %.6f\n  p(h=1|v):", i, ds->y[i],
               -gsl_vector_get(F, i) - log_z);
        for (size_t j = 0; j < H; j++)
            printf(" %.4f", gsl_matrix_get(P, i, j));
        printf("\n  sample:  ");
        for (size_t j = 0; j < H; j++)
            printf(" %6.0f", gsl_matrix_get(S, i, j));
        printf("\n");
    }
    rc = 0;
    goto out;
fail:
    fprintf(stderr, "rbm_hidden: %s\n", err.msg[0] ? err.msg : "out of memory");
out:
    gsl_vector_free(F);
    gsl_matrix_free(S);
    gsl_matrix_free(P);
    pmk_rbm_free(m);
    pmk_rng_free(rng);
    pmk_dataset_free(ds);
    return rc;
}
