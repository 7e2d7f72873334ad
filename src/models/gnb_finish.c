/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_finish.c: the Gaussian classifier's closed-form parameters from the
 * per-class sufficient statistics that gnb_fit.c gathers (the maximum
 * likelihood estimates, smoothing and floor, the prediction coefficients),
 * and the one-call fit. */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/limits.h"
#include "models/gnb_internal.h"

/* ---------------------------------------------------------------- finish
 *
 * Maximum likelihood (the closed form; Murphy, "Machine Learning: a
 * Probabilistic Perspective", 2012, sec. 3.5.1.1 and 4.2.4):
 *   mu_kd = mean of class k,  alpha_k = N_k / N,
 *   shared: sigma2_d  = (1/N) sum_k M2_kd     class: sigma2_kd = M2_kd / N_k
 * Class-blind statistics from the per-class ones (the same Chan update):
 *   c_d = (1/N) sum_k N_k mu_kd,
 *   Var(x_d) = (1/N) [sum_k M2_kd + sum_k N_k (mu_kd - c_d)^2]
 * Smoothing as scikit-learn's GaussianNB: every variance gets
 * epsilon * max_d Var(x_d) added; then the absolute floor applies.
 * The prediction coefficients on shifted data x' = s x - t, mu' = mu - t:
 *   W_kd = mu'_kd / v_kd,  P_kd = 1 / v_kd,
 *   c_k  = log alpha_k - 1/2 sum_d [log(2 pi v_kd) + mu'_kd^2 / v_kd]
 * so that log alpha_k + log p(x|k) = c_k + sum_d x'_d W_kd - 1/2 sum_d x'_d^2 P_kd.
 * The three terms cancel when x is near mu_k, each carrying a rounding error
 * of about 2^-53 (x'^2 + mu'^2) P; the shift t_d keeps them small.  Shared
 * variance: t = c (the data's centre, for features far from 0).  Class
 * variances: t_d = mu_kd of the class with the smallest variance in d, so
 * the largest precisions (dimensions nearly constant in a class, P up to
 * 1/(epsilon max Var)) meet mu' = 0 and, for rows at that constant, x' = 0:
 * exact zeros instead of two ~1e7 terms cancelling (MNIST's border pixels).
 * The training NLL follows from the statistics, sum over class k rows of
 * (x_d - mu_kd)^2 being M2_kd:
 *   NLL = -(1/N) sum_k N_k [log alpha_k - 1/2 sum_d log(2 pi v_kd)]
 *         + (1/2N) sum_k sum_d M2_kd / v_kd. */

/* The class-blind centre c_d and population variance Var(x_d); the
 * smoothing epsilon * max_d Var(x_d). */
static int class_blind(pmk_gnb *m, double N, pmk_error *err)
{
    size_t K = m->k, D = m->d;
    double maxvar = 0;
    for (size_t j = 0; j < D; j++) {
        double c = 0, ss = 0;
        for (size_t k = 0; k < K; k++)
            c += m->count[k] * m->mean[k * D + j];
        c /= N;
        for (size_t k = 0; k < K; k++) {
            double dl = m->mean[k * D + j] - c;
            ss += m->m2[k * D + j] + m->count[k] * dl * dl;
        }
        if (!isfinite(c) || !isfinite(ss))   /* e.g. values near 1e200: their squares exceed DBL_MAX */
            return pmk_error_set(err, PMK_EDATA,
                                 "feature %zu: the values overflow double precision (the sum "
                                 "of squared deviations is %s); scale them down (--scale)",
                                 j + 1, isnan(ss) ? "not a number" : "infinite");
        m->center[j] = c;
        m->pop_var[j] = ss / N;
        if (m->pop_var[j] > maxvar)
            maxvar = m->pop_var[j];
    }
    m->smooth_add = m->opt.var_smoothing * maxvar;
    return PMK_OK;
}

/* The variances used (pooled or per class, smoothing, floor); @p zero_raw
 * (K x D) marks those zero before smoothing. */
static int variances(pmk_gnb *m, double N, unsigned char *zero_raw, pmk_error *err)
{
    size_t K = m->k, D = m->d;
    const pmk_gnb_options *o = &m->opt;
    for (size_t j = 0; j < D; j++) {
        double pooled = 0;
        if (o->variance == PMK_GNB_VAR_SHARED) {
            for (size_t k = 0; k < K; k++)
                pooled += m->m2[k * D + j];
            pooled /= N;
        }
        for (size_t k = 0; k < K; k++) {
            double raw = o->variance == PMK_GNB_VAR_SHARED ? pooled : m->m2[k * D + j] / m->count[k];
            double mu = m->mean[k * D + j], tol = 4 * DBL_EPSILON * fabs(mu);
            zero_raw[k * D + j] = raw <= tol * tol;
            double v = raw + m->smooth_add;
            if (v < o->var_floor)
                v = o->var_floor;
            if (!(v > 0) || !isfinite(v))
                return pmk_error_set(err, PMK_EDATA,
                                     "feature %zu has zero variance and there is no smoothing "
                                     "or floor to raise it (every feature is constant?)",
                                     j + 1);
            m->var[k * D + j] = v;
        }
    }
    return PMK_OK;
}

/* The zero-variance features of each class as index lists, for eval's
 * warning (a few dozen per class on MNIST instead of a scan of all D). */
static int zero_lists(pmk_gnb *m, const unsigned char *zero_raw, pmk_error *err)
{
    size_t K = m->k, D = m->d, nz = 0;
    for (size_t t = 0; t < K * D; t++)
        nz += zero_raw[t];
    if (!(m->zero_off = malloc((K + 1 + nz) * sizeof *m->zero_off)))
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    m->zero_dim = m->zero_off + K + 1;
    nz = 0;
    for (size_t k = 0; k < K; k++) {
        m->zero_off[k] = nz;
        for (size_t j = 0; j < D; j++)
            if (zero_raw[k * D + j])
                m->zero_dim[nz++] = j;
    }
    m->zero_off[K] = nz;
    return PMK_OK;
}

/* Priors, the shift, the prediction coefficients W, P, c and the training
 * NLL. */
static int coefficients(pmk_gnb *m, double N, pmk_error *err)
{
    size_t K = m->k, D = m->d;
    const pmk_gnb_options *o = &m->opt;
    for (size_t k = 0; k < K; k++) {
        switch (o->priors) {
        case PMK_GNB_PRIOR_UNIFORM: m->alpha[k] = 1.0 / (double)K; break;
        case PMK_GNB_PRIOR_EXPLICIT: m->alpha[k] = o->prior[k]; break;
        default: m->alpha[k] = m->count[k] / N;
        }
    }
    for (size_t j = 0; j < D; j++) {
        size_t best = 0;
        for (size_t k = 1; o->variance == PMK_GNB_VAR_CLASS && k < K; k++)
            if (m->var[k * D + j] < m->var[best * D + j])
                best = k;
        m->shift[j] = o->variance == PMK_GNB_VAR_CLASS ? m->mean[best * D + j] : m->center[j];
    }
    double nll = 0;
    for (size_t k = 0; k < K; k++) {
        double logdet = 0, quad = 0, fitq = 0;
        for (size_t j = 0; j < D; j++) {
            size_t i = k * D + j;
            double v = m->var[i], mu = m->mean[i] - m->shift[j];
            m->P[i] = 1.0 / v;
            m->W[i] = mu / v;
            logdet += log(2 * M_PI * v);
            quad += mu * mu / v;
            fitq += m->m2[i] / v;
        }
        double la = log(m->alpha[k]);
        m->c[k] = la - 0.5 * (logdet + quad);
        if (!isfinite(m->c[k]) || !isfinite(fitq)) {
            pmk_error_set(err, PMK_EDATA,
                          "class %ld: the log-density overflows double precision (values "
                          "far larger than their standard deviation); scale them down "
                          "(--scale)", m->labels[k]);
            if (err)
                err->line = (long)k + 1; /* the class, for callers that map it to a place */
            return PMK_EDATA;
        }
        nll += -m->count[k] * (la - 0.5 * logdet) + 0.5 * fitq;
    }
    m->train_nll = nll / N;
    return PMK_OK;
}

/* With an automatic scale still open: the data layer's one policy over
 * the raw values fitted, then the statistics rescaled (they are linear in
 * x: mean by s, M2 by s^2); from now on the scale is fixed. */
static void close_scale(pmk_gnb *m)
{
    pmk_transform_auto(&m->stats, &m->opt.transform);
    double s = m->opt.transform.scale;
    m->scale_open = 0;
    if (s == 1)
        return;
    pmk_gnb_full_rescale(m, s);
    for (size_t t = 0; t < m->k * m->d; t++) {
        m->mean[t] *= s;
        m->m2[t] *= s * s;
    }
}

int pmk_gnb_finish(pmk_gnb *m, pmk_error *err)
{
    size_t K = m->k, D = m->d;
    double N = 0;
    for (size_t k = 0; k < K; k++)
        N += m->count[k];
    if (K == 0 || N == 0)
        return pmk_error_set(err, PMK_EDATA, "no training rows");
    const pmk_gnb_options *o = &m->opt;
    if (o->priors == PMK_GNB_PRIOR_EXPLICIT && o->n_prior != K)
        return pmk_error_set(err, PMK_EINVAL,
                             "%zu explicit priors given for %zu classes (one per label, in "
                             "increasing label order)",
                             o->n_prior, K);
    pmk_gnb_free_derived(m);
    if (m->scale_open)
        close_scale(m);
    size_t KD = K * D;
    unsigned char *zero_raw = malloc(KD);
    m->derived = malloc((3 * KD + 2 * K) * sizeof *m->derived);
    int rc = (!m->derived || !zero_raw) ? pmk_error_set(err, PMK_ENOMEM, "out of memory") : 0;
    if (!rc) {
        m->var = m->derived;
        m->W = m->var + KD;
        m->P = m->W + KD;
        m->alpha = m->P + KD;
        m->c = m->alpha + K;
        rc = class_blind(m, N, err);
    }
    if (!rc && !(rc = variances(m, N, zero_raw, err)))
        rc = zero_lists(m, zero_raw, err);
    free(zero_raw);
    if (!rc)
        rc = coefficients(m, N, err);
    if (!rc && m->scatter)
        rc = pmk_gnb_full_finish(m, N, err);
    if (!rc)
        rc = pmk_gnb_lanes_make(m, err);
    if (rc) {
        pmk_gnb_free_derived(m);
        return rc;
    }
    m->finished = 1;
    pmk_gnb_refresh_views(m);
    return PMK_OK;
}

pmk_gnb *pmk_gnb_fit(const gsl_matrix *X, const long *y, const pmk_gnb_options *opt,
                     pmk_error *err)
{
    pmk_gnb *m = pmk_gnb_alloc(X->size2, opt, err);
    if (!m)
        return NULL;
    if (pmk_gnb_partial_fit(m, X, y, err) || pmk_gnb_finish(m, err)) {
        pmk_gnb_free(m);
        return NULL;
    }
    return m;
}
