/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_gnb.h: what the two halves of the gnb suite share (check_gnb.c). */
#ifndef PMK_CHECK_GNB_H
#define PMK_CHECK_GNB_H

#include <stddef.h>
#include "check_pmk.h"
#include "pmk/pmk.h"

/* |a - b| <= tol * max(1, |a|, |b|): relative for large values, absolute near 0. */
int gnb_close_to(double a, double b, double tol);
#define ck_assert_close(a, b, tol)                                                           \
    ck_assert_msg(gnb_close_to((a), (b), (tol)), "%s = %.17g, expected %.17g (tol %g)", #a,  \
                  (double)(a), (double)(b), (double)(tol))

/* The hand-worked case: five rows of two features, labels 3, 3, 3, 7, 7. */
extern const double gnb_tiny_x[5][2];
extern const long gnb_tiny_y[5];
pmk_gnb *gnb_fit_tiny(int variance, int priors, const double *plist, size_t np);
/* Random N x D data around class means (see check_gnb.c), labels from labs. */
gsl_matrix *gnb_random_data(size_t N, size_t D, const long *labs, size_t K, double offset,
                            long **y, unsigned long seed);
extern const long gnb_five_labels[5];
void gnb_assert_same_model(const pmk_gnb *a, const pmk_gnb *b, double tol);
/* The model file's text of @p m (every statistic and parameter, %.17g),
 * malloc'ed: byte-exact comparisons of models. */
char *gnb_model_text(const pmk_gnb *m);
/* The second half of the suite (check_gnb_more.c). */
void suite_gnb_more(Suite *s);
/* The model over files (check_gnb_data.c). */
void suite_gnb_data(Suite *s);
/* The weighted fit (check_gnb_weights.c). */
void suite_gnb_weights(Suite *s);
/* Token labels (check_gnb_tokens.c). */
void suite_gnb_tokens(Suite *s);
/* The full shared covariance (check_gnb_full.c). */
void suite_gnb_full(Suite *s);
/* Several data files as one (check_gnb_files.c). */
void suite_gnb_files(Suite *s);
/* The fit's feeder (check_gnb_feed.c). */
void suite_gnb_feed(Suite *s);

#endif
