/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb.c: the Gaussian class-conditional classifier: options, the model's
 * memory and its accessors.  Fit and merge live in gnb_fit.c, prediction and
 * evaluation in gnb_predict.c, save/load in gnb_io.c. */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/kernels.h"
#include "pmk/limits.h"
#include "models/gnb_internal.h"
#include "core/core_internal.h"

/* ---------------------------------------------------------------- options */

void pmk_gnb_options_init_default(pmk_gnb_options *o)
{
    pmk_transform_init(&o->transform);
    o->transform.scale = 0;   /* automatic */
    o->var_smoothing = 1e-9;
    o->var_floor = 0.0;
    o->variance = PMK_GNB_VAR_SHARED;
    o->priors = PMK_GNB_PRIOR_EMPIRICAL;
    o->prior = NULL;
    o->n_prior = 0;
    o->max_classes = PMK_GNB_MAX_CLASSES_DEFAULT;
    o->covariance = PMK_GNB_COV_DIAG;
    o->ridge = PMK_GNB_RIDGE_DEFAULT;
}

int pmk_gnb_options_check(const pmk_gnb_options *o, pmk_error *err)
{
    const pmk_transform *tf = &o->transform;
    if (tf->scale == 0 && (tf->threshold != 0 || tf->check01))
        return pmk_error_set(err, PMK_EINVAL,
                             "%s needs an explicit scale: a streaming fit chooses the automatic "
                             "scale only after the last row", tf->threshold != 0
                                 ? "binarizing" : "the [0,1] check");
    if (tf->scale != 0) {
        int rc = pmk_transform_check(tf, err);
        if (rc)
            return rc;
    }
    if (!(o->var_smoothing >= 0) || !isfinite(o->var_smoothing))
        return pmk_error_set(err, PMK_EINVAL, "var_smoothing must be >= 0, not %g",
                             o->var_smoothing);
    if (!(o->var_floor >= 0) || !isfinite(o->var_floor))
        return pmk_error_set(err, PMK_EINVAL, "the variance floor must be >= 0, not %g",
                             o->var_floor);
    if (o->variance != PMK_GNB_VAR_SHARED && o->variance != PMK_GNB_VAR_CLASS)
        return pmk_error_set(err, PMK_EINVAL, "unknown variance mode %d", o->variance);
    if (o->covariance != PMK_GNB_COV_DIAG && o->covariance != PMK_GNB_COV_FULL)
        return pmk_error_set(err, PMK_EINVAL, "unknown covariance kind %d", o->covariance);
    if (!(o->ridge >= 0) || !isfinite(o->ridge))
        return pmk_error_set(err, PMK_EINVAL, "the ridge must be >= 0, not %g", o->ridge);
    if (o->covariance == PMK_GNB_COV_FULL && o->variance == PMK_GNB_VAR_CLASS)
        return pmk_error_set(err, PMK_EINVAL, "a full covariance is shared by the classes: "
                             "not with one variance per class");
    if (o->max_classes < 1)
        return pmk_error_set(err, PMK_EINVAL, "max_classes must be at least 1");
    switch (o->priors) {
    case PMK_GNB_PRIOR_EMPIRICAL:
    case PMK_GNB_PRIOR_UNIFORM:
        break;
    case PMK_GNB_PRIOR_EXPLICIT: {
        if (!o->prior || o->n_prior == 0)
            return pmk_error_set(err, PMK_EINVAL, "explicit priors: the list is empty");
        double s = 0;
        for (size_t k = 0; k < o->n_prior; k++) {
            if (!(o->prior[k] > 0) || !(o->prior[k] <= 1))
                return pmk_error_set(err, PMK_EINVAL,
                                     "explicit priors: entry %zu is %g, not in (0, 1]", k + 1,
                                     o->prior[k]);
            s += o->prior[k];
        }
        if (fabs(s - 1.0) > 1e-9)
            return pmk_error_set(err, PMK_EINVAL,
                                 "explicit priors: they sum to %.17g, not 1 (within 1e-9)", s);
        break;
    }
    default:
        return pmk_error_set(err, PMK_EINVAL, "unknown prior mode %d", o->priors);
    }
    return PMK_OK;
}

/* ---------------------------------------------------------------- alloc */

pmk_gnb *pmk_gnb_alloc(size_t D, const pmk_gnb_options *opt, pmk_error *err)
{
    pmk_gnb_options def;
    if (!opt) {
        pmk_gnb_options_init_default(&def);
        opt = &def;
    }
    if (D == 0) {
        pmk_error_set(err, PMK_EINVAL, "a model needs at least one feature");
        return NULL;
    }
    if (D > PMK_GNB_MAX_PARAMS) {
        pmk_error_set(err, PMK_ELIMIT, "%zu features is more than a model may have (%zu)", D,
                      (size_t)PMK_GNB_MAX_PARAMS);
        return NULL;
    }
    if (pmk_gnb_options_check(opt, err))
        return NULL;
    pmk_gnb *m = calloc(1, sizeof *m);
    if (!m)
        goto nomem;
    m->d = D;
    m->opt = *opt;
    m->scale_open = opt->transform.scale == 0;
    pmk_data_stats_init(&m->stats);
    m->opt.prior = NULL;
    if (opt->priors == PMK_GNB_PRIOR_EXPLICIT) {
        m->prior_buf = malloc(opt->n_prior * sizeof *m->prior_buf);
        if (!m->prior_buf)
            goto nomem;
        memcpy(m->prior_buf, opt->prior, opt->n_prior * sizeof *m->prior_buf);
        m->opt.prior = m->prior_buf;
    } else {
        m->opt.n_prior = 0;
    }
    if (!(m->feat = calloc(3 * D, sizeof *m->feat)))
        goto nomem;
    m->pop_var = m->feat;
    m->center = m->feat + D;
    m->shift = m->feat + 2 * D;
    if (opt->covariance == PMK_GNB_COV_FULL && pmk_gnb_full_alloc(m, err)) {
        pmk_gnb_free(m);
        return NULL;
    }
    return m;
nomem:
    pmk_gnb_free(m);
    pmk_error_set(err, PMK_ENOMEM, "out of memory");
    return NULL;
}

void pmk_gnb_free_derived(pmk_gnb *m)
{
    free(m->derived);
    free(m->zero_off);
    free(m->lanes);
    m->derived = m->var = m->W = m->P = m->alpha = m->c = m->lanes = NULL;
    m->zero_off = m->zero_dim = NULL;
    pmk_gnb_full_free_derived(m);
    m->finished = 0;
}

void pmk_gnb_free(pmk_gnb *m)
{
    if (!m)
        return;
    pmk_gnb_free_derived(m);
    pmk_tokens_clear(&m->tok);
    CORE_FREE(m->prior_buf, m->labels, m->count, m->mean, m->m2, m->feat, m->scatter, m);
}

/* *@p p grown to @p n elements of @p size bytes; on failure *@p p is kept
 * (realloc leaves the old block valid) and 0 is returned. */
static int grow(void **p, size_t n, size_t size)
{
    void *q = realloc(*p, n * size);
    if (!q)
        return 0;
    *p = q;
    return 1;
}

int pmk_gnb_reserve(pmk_gnb *m, size_t k, pmk_error *err)
{
    if (k <= m->cap)
        return PMK_OK;
    size_t cap = m->cap ? m->cap : 4;
    while (cap < k)
        cap *= 2;
    size_t kd;
    if (pmk_size_mul(cap, m->d, &kd) || kd > PMK_GNB_MAX_PARAMS) {
        cap = k;
        if (pmk_size_mul(cap, m->d, &kd) || kd > PMK_GNB_MAX_PARAMS)
            return pmk_error_set(err, PMK_ELIMIT, "%zu classes x %zu features is too many", k,
                                 m->d);
    }
    /* Each block grows on its own and a failed one keeps the old, so the
     * model stays consistent: cap grows only once all four succeed. */
    if (!grow((void **)&m->labels, cap, sizeof *m->labels)
        || !grow((void **)&m->count, cap, sizeof *m->count)
        || !grow((void **)&m->mean, kd, sizeof *m->mean)
        || !grow((void **)&m->m2, kd, sizeof *m->m2))
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    m->cap = cap;
    return PMK_OK;
}

/* Index of @p label among the K sorted labels, or -1. */
long pmk_gnb_find_label(const long *labels, size_t K, long label)
{
    size_t lo = 0, hi = K;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (labels[mid] < label)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (lo < K && labels[lo] == label) ? (long)lo : -1;
}

/* ---------------------------------------------------------------- input */

int pmk_gnb_input_open(const pmk_gnb *m, const gsl_matrix *X, double s, pmk_gnb_input *in,
                       pmk_error *err)
{
    const pmk_transform *tf = &m->opt.transform;
    in->X = X;
    in->s = s;
    in->own = NULL;
    if ((tf->threshold == 0 && !tf->check01) || X->size1 == 0)
        return PMK_OK;
    /* An explicit scale here (pmk_gnb_options_check): s is tf->scale. */
    if (!(in->own = gsl_matrix_alloc(X->size1, X->size2)))
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    for (size_t i = 0; i < X->size1; i++) {
        const double *x = gsl_matrix_const_ptr(X, i, 0);
        double *out = gsl_matrix_ptr(in->own, i, 0);
        for (size_t j = 0; j < X->size2; j++) {
            double v = s * x[j];
            if (tf->check01 && !(v >= 0 && v <= 1)) {
                char by[64] = "";
                if (s != 1)
                    snprintf(by, sizeof by, ", after scaling by %g", s);
                return pmk_error_at(err, PMK_EDATA, NULL, (long)i + 1, (long)j + 1,
                                    "value %g is outside [0,1]%s", x[j], by);
            }
            out[j] = tf->threshold > 0 ? (v >= tf->threshold) : v;
        }
    }
    in->X = in->own;
    in->s = 1;
    return PMK_OK;
}

void pmk_gnb_input_close(pmk_gnb_input *in)
{
    if (in->own)
        gsl_matrix_free(in->own);
    in->own = NULL;
}

/* ---------------------------------------------------------------- accessors */

int pmk_gnb_check_transform(const pmk_gnb *m, const pmk_transform *asked, pmk_error *err)
{
    const pmk_transform *tf = &m->opt.transform;
    if (m->scale_open)
        return pmk_error_set(err, PMK_EINVAL, "the model is not fitted");
    return pmk_transform_agrees(tf, asked, "fitted", err);
}

size_t pmk_gnb_nfeatures(const pmk_gnb *m) { return m->d; }
size_t pmk_gnb_nclasses(const pmk_gnb *m) { return m->k; }
int pmk_gnb_is_finished(const pmk_gnb *m) { return m->finished; }
const pmk_gnb_options *pmk_gnb_get_options(const pmk_gnb *m) { return &m->opt; }
const long *pmk_gnb_labels(const pmk_gnb *m) { return m->labels; }
const double *pmk_gnb_counts(const pmk_gnb *m) { return m->count; }
double pmk_gnb_smoothing_added(const pmk_gnb *m) { return m->smooth_add; }
double pmk_gnb_train_mean_nll(const pmk_gnb *m) { return m->train_nll; }

double pmk_gnb_ntrain(const pmk_gnb *m)
{
    double n = 0;
    for (size_t k = 0; k < m->k; k++)
        n += m->count[k];
    return n;
}

long pmk_gnb_class_index(const pmk_gnb *m, long label)
{
    return pmk_gnb_find_label(m->labels, m->k, label);
}

void pmk_gnb_refresh_views(pmk_gnb *m)
{
    if (m->k > 0) {
        m->mean_v = gsl_matrix_view_array(m->mean, m->k, m->d);
        m->m2_v = gsl_matrix_view_array(m->m2, m->k, m->d);
    }
    if (m->finished) {
        m->var_v = gsl_matrix_view_array(m->var, m->k, m->d);
        m->alpha_v = gsl_vector_view_array(m->alpha, m->k);
    }
    m->pop_var_v = gsl_vector_view_array(m->pop_var, m->d);
    m->center_v = gsl_vector_view_array(m->center, m->d);
}

const gsl_matrix *pmk_gnb_means(const pmk_gnb *m) { return m->k ? &m->mean_v.matrix : NULL; }
const gsl_matrix *pmk_gnb_m2(const pmk_gnb *m) { return m->k ? &m->m2_v.matrix : NULL; }
const gsl_matrix *pmk_gnb_variances(const pmk_gnb *m)
{
    return m->finished ? &m->var_v.matrix : NULL;
}
const gsl_vector *pmk_gnb_priors(const pmk_gnb *m)
{
    return m->finished ? &m->alpha_v.vector : NULL;
}
const gsl_vector *pmk_gnb_pop_variances(const pmk_gnb *m)
{
    return m->finished ? &m->pop_var_v.vector : NULL;
}
const gsl_vector *pmk_gnb_pop_means(const pmk_gnb *m)
{
    return m->finished ? &m->center_v.vector : NULL;
}

