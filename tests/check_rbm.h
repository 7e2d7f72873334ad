/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_rbm.h: what the files of the rbm suite share. */
#ifndef PMK_CHECK_RBM_H
#define PMK_CHECK_RBM_H

#include "check_pmk.h"
#include "pmk/pmk.h"

/* The mean exact log-likelihood of X's rows, -mean F(v) - log Z
 * (check_rbm_train.c). */
double rbm_mean_loglik(const pmk_rbm *m, const gsl_matrix *X);
/* X's 0/255 rows as a table with the transform an RBM takes; X is freed
 * (check_rbm_run.c). */
pmk_table *rbm_table_of(gsl_matrix *X);
/* The model file's text (pmk_rbm_write), malloc'ed: byte-exact comparisons
 * of models (check_rbm_run.c). */
char *rbm_model_text(const pmk_rbm *m);

#endif
