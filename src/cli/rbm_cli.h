/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_cli.h: what the two files of `pmk rbm` share: rbm.c (the verbs that read
 * data: train, hidden, eval; the data path; the dispatch) and rbm_draw.c (the
 * verbs that draw or write out a model: sample, filters, export; the demo). */
#ifndef PMK_RBM_CLI_H
#define PMK_RBM_CLI_H

#include "cli/cli.h"

/* Own option keys: above the letters, below the groups' keys (opt.c). */
enum {
    OPT_LR = 256, OPT_PERSISTENT, OPT_CD_RAMP, OPT_MOMENTUM, OPT_WD, OPT_RESUME, OPT_HOLDOUT,
    OPT_LOG, OPT_CHECKPOINT, OPT_PROB, OPT_SAMPLE, OPT_EVERY, OPT_INIT, OPT_EXACT, OPT_AIS,
    OPT_AIS_RUNS, OPT_AIS_BETAS, OPT_COUNT, OPT_COLS
};

/* A data set read for a model: the table, transformed as the model says, and
 * for the verbs that score every row, those rows as doubles. */
typedef struct rbm_data {
    pmk_table *t;
    gsl_matrix *X;     /* N x D in [0,1], or NULL */
    const long *y;     /* N labels, or NULL */
    const char *path;
} rbm_data;

void rbm_data_free(rbm_data *d);
/* Loads MODEL; with @p da, refuses a --scale or --binarize that contradicts
 * the transform the model records (exit 2, naming both).  Prints errors. */
int rbm_load_model(const char *path, const cli_data_args *da, pmk_rbm **m);
/* Reads PATH and transforms it as @p m says (see rbm.c); with @p matrix the
 * rows are also gathered as doubles.  Prints its errors. */
int rbm_load_data(const char *path, const cli_data_args *da, const pmk_rbm *m,
                  const char *mpath, int matrix, rbm_data *out);
/* --scale and --binarize checked as the library checks a transform. */
int rbm_check_transform_args(const cli_data_args *da);
/* The positional arguments: at least @p min ("missing" otherwise), at most @p max. */
int rbm_expect_args(const cli_args *a, size_t min, size_t max, const char *missing);
/* "FIRST,P0,P1,...": a CSV header line (malloc'ed). */
char *rbm_numbered_header(const char *first, const char *prefix, size_t n);
/* X (labels y, may be NULL) as CSV under a numbered header. */
int rbm_write_csv(const char *path, const gsl_matrix *X, const long *y, const char *first,
                  const char *prefix);

/* The verbs of rbm_draw.c. */
int rbm_sample(int argc, char **argv);
int rbm_filters(int argc, char **argv);
int rbm_export(int argc, char **argv);

#endif
