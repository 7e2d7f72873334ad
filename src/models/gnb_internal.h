/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_internal.h: the layout of a pmk_gnb, shared by gnb.c (fit, predict) and
 * gnb_io.c (save, load).  Not installed. */
#ifndef PMK_GNB_INTERNAL_H
#define PMK_GNB_INTERNAL_H

#include "pmk/gnb.h"

struct pmk_gnb {
    size_t d, k, cap;        /* D features, K classes, rows allocated */
    pmk_gnb_options opt;     /* opt.prior points at prior_buf */
    double *prior_buf;       /* n_prior explicit priors, owned */
    /* sufficient statistics, cap rows each, first k used, increasing labels */
    long *labels;            /* K */
    double *count;           /* K: N_k */
    double *mean;            /* K x D: mu_kd (scaled units) */
    double *m2;              /* K x D: sum over class k of (x_d - mu_kd)^2 */
    /* derived by pmk_gnb_finish, valid when finished */
    int finished;
    double *var;             /* K x D: variance used (smoothing, floor) */
    double *alpha;           /* K: priors */
    double *pop_var;         /* D: class-blind population variance */
    double *center;          /* D: class-blind mean */
    double *shift;           /* D: subtracted from s x before the GEMMs (see finish) */
    double *W;               /* K x D: (mu_kd - shift_d) / var_kd */
    double *P;               /* K x D: 1 / var_kd */
    double *c;               /* K: log alpha_k - 1/2 sum_d [log(2 pi var_kd) + (mu_kd - shift_d)^2 / var_kd] */
    unsigned char *zero_raw; /* K x D: 1 where the fitted variance is zero before smoothing */
    size_t *zero_off;        /* K + 1: class k's such features are zero_dim[zero_off[k] ..] */
    size_t *zero_dim;        /* those features, class by class */
    double smooth_add;       /* epsilon * max_d pop_var_d */
    double train_nll;        /* mean training NLL from the statistics */
    /* views handed out by the accessors, refreshed whenever the arrays change */
    gsl_matrix_view mean_v, m2_v, var_v;
    gsl_vector_view alpha_v, pop_var_v, center_v;
};

/* Points the accessor views at the current arrays (after any change). */
void pmk_gnb_refresh_views(pmk_gnb *m);

/* Makes room for @p k classes (keeps the statistics).  PMK_ENOMEM on failure,
 * model unchanged. */
int pmk_gnb_reserve(pmk_gnb *m, size_t k);

#endif
