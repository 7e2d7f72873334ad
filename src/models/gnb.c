/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb.c: the Gaussian class-conditional classifier: streaming mergeable fit,
 * GEMM-based prediction, evaluation.  Save/load live in gnb_io.c. */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/kernels.h"
#include "pmk/limits.h"
#include "models/gnb_internal.h"

/* Rows per block in the prediction GEMMs: bounds the scratch at B x D doubles
 * (1.6 MB for MNIST) whatever N is, while keeping the GEMMs large enough for
 * BLAS to run near peak. */
#define GNB_BLOCK 256

/* ---------------------------------------------------------------- options */

void pmk_gnb_options_init_default(pmk_gnb_options *o)
{
    o->scale = 1.0;
    o->var_smoothing = 1e-9;
    o->var_floor = 0.0;
    o->variance = PMK_GNB_VAR_SHARED;
    o->priors = PMK_GNB_PRIOR_EMPIRICAL;
    o->prior = NULL;
    o->n_prior = 0;
    o->max_classes = PMK_GNB_MAX_CLASSES_DEFAULT;
}

int pmk_gnb_options_check(const pmk_gnb_options *o, pmk_error *err)
{
    if (!(o->scale > 0) || !isfinite(o->scale))
        return pmk_error_set(err, PMK_EINVAL, "the feature scale must be a positive number, not %g",
                             o->scale);
    if (!(o->var_smoothing >= 0) || !isfinite(o->var_smoothing))
        return pmk_error_set(err, PMK_EINVAL, "var_smoothing must be >= 0, not %g",
                             o->var_smoothing);
    if (!(o->var_floor >= 0) || !isfinite(o->var_floor))
        return pmk_error_set(err, PMK_EINVAL, "the variance floor must be >= 0, not %g",
                             o->var_floor);
    if (o->variance != PMK_GNB_VAR_SHARED && o->variance != PMK_GNB_VAR_CLASS)
        return pmk_error_set(err, PMK_EINVAL, "unknown variance mode %d", o->variance);
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
    m->pop_var = calloc(D, sizeof *m->pop_var);
    m->center = calloc(D, sizeof *m->center);
    m->shift = calloc(D, sizeof *m->shift);
    if (!m->pop_var || !m->center || !m->shift)
        goto nomem;
    return m;
nomem:
    pmk_gnb_free(m);
    pmk_error_set(err, PMK_ENOMEM, "out of memory");
    return NULL;
}

static void free_derived(pmk_gnb *m)
{
    free(m->var);
    free(m->alpha);
    free(m->W);
    free(m->P);
    free(m->c);
    free(m->zero_raw);
    free(m->zero_off);
    free(m->zero_dim);
    m->zero_off = m->zero_dim = NULL;
    m->var = m->alpha = m->W = m->P = m->c = NULL;
    m->zero_raw = NULL;
    m->finished = 0;
}

void pmk_gnb_free(pmk_gnb *m)
{
    if (!m)
        return;
    free_derived(m);
    free(m->prior_buf);
    free(m->labels);
    free(m->count);
    free(m->mean);
    free(m->m2);
    free(m->pop_var);
    free(m->center);
    free(m->shift);
    free(m);
}

int pmk_gnb_reserve(pmk_gnb *m, size_t k)
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
            return PMK_ELIMIT;
    }
    /* Each realloc keeps the old block valid on failure, so the model stays
     * consistent (only cap grows once all four succeed). */
    long *labels = realloc(m->labels, cap * sizeof *labels);
    if (!labels)
        return PMK_ENOMEM;
    m->labels = labels;
    double *count = realloc(m->count, cap * sizeof *count);
    if (!count)
        return PMK_ENOMEM;
    m->count = count;
    double *mean = realloc(m->mean, kd * sizeof *mean);
    if (!mean)
        return PMK_ENOMEM;
    m->mean = mean;
    double *m2 = realloc(m->m2, kd * sizeof *m2);
    if (!m2)
        return PMK_ENOMEM;
    m->m2 = m2;
    m->cap = cap;
    return PMK_OK;
}

/* Index of @p label among the K sorted labels, or -1. */
static long find_label(const long *labels, size_t K, long label)
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

/* Adds the @p nnew sorted labels @p u (none already in the model) as empty
 * classes at their sorted places, in one backward merge: O((K + nnew) D) for
 * the whole chunk instead of O(K D) per new label.  Room must exist. */
static void insert_classes(pmk_gnb *m, const long *u, size_t nnew)
{
    size_t D = m->d, a = m->k, b = nnew, k = m->k + nnew;
    while (b > 0) {
        k--;
        if (a > 0 && m->labels[a - 1] > u[b - 1]) {
            a--;
            m->labels[k] = m->labels[a];
            m->count[k] = m->count[a];
            memmove(m->mean + k * D, m->mean + a * D, D * sizeof *m->mean);
            memmove(m->m2 + k * D, m->m2 + a * D, D * sizeof *m->m2);
        } else {
            b--;
            m->labels[k] = u[b];
            m->count[k] = 0;
            memset(m->mean + k * D, 0, D * sizeof *m->mean);
            memset(m->m2 + k * D, 0, D * sizeof *m->m2);
        }
    }
    m->k += nnew;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* Row kernels of the fit and of prediction, unrolled by four so that GCC's
 * basic-block vectorizer packs them at -O2 (the loop vectorizer is off there);
 * D is any length.  Each is a pure elementwise loop over one row of D values. */

/* acc += s x */
static void row_axpy(double *restrict acc, const double *restrict x, double s, size_t D)
{
    size_t j = 0;
    for (; j + 4 <= D; j += 4) {
        acc[j] += x[j] * s;
        acc[j + 1] += x[j + 1] * s;
        acc[j + 2] += x[j + 2] * s;
        acc[j + 3] += x[j + 3] * s;
    }
    for (; j < D; j++)
        acc[j] += x[j] * s;
}

/* acc += (s x - mu)^2 */
static void row_sqdev(double *restrict acc, const double *restrict x, double s,
                      const double *restrict mu, size_t D)
{
    size_t j = 0;
    for (; j + 4 <= D; j += 4) {
        double d0 = x[j] * s - mu[j], d1 = x[j + 1] * s - mu[j + 1];
        double d2 = x[j + 2] * s - mu[j + 2], d3 = x[j + 3] * s - mu[j + 3];
        acc[j] += d0 * d0;
        acc[j + 1] += d1 * d1;
        acc[j + 2] += d2 * d2;
        acc[j + 3] += d3 * d3;
    }
    for (; j < D; j++) {
        double d = x[j] * s - mu[j];
        acc[j] += d * d;
    }
}

/* out = s x - t; returns sum_j out_j^2 p_j when p is non-NULL (else 0). */
static double row_shift(double *restrict out, const double *restrict x, double s,
                        const double *restrict t, const double *restrict p, size_t D)
{
    size_t j = 0;
    if (!p) {
        for (; j + 4 <= D; j += 4) {
            out[j] = x[j] * s - t[j];
            out[j + 1] = x[j + 1] * s - t[j + 1];
            out[j + 2] = x[j + 2] * s - t[j + 2];
            out[j + 3] = x[j + 3] * s - t[j + 3];
        }
        for (; j < D; j++)
            out[j] = x[j] * s - t[j];
        return 0;
    }
    double q0 = 0, q1 = 0, q2 = 0, q3 = 0;
    for (; j + 4 <= D; j += 4) {
        double a0 = x[j] * s - t[j], a1 = x[j + 1] * s - t[j + 1];
        double a2 = x[j + 2] * s - t[j + 2], a3 = x[j + 3] * s - t[j + 3];
        out[j] = a0;
        out[j + 1] = a1;
        out[j + 2] = a2;
        out[j + 3] = a3;
        q0 += a0 * a0 * p[j];
        q1 += a1 * a1 * p[j + 1];
        q2 += a2 * a2 * p[j + 2];
        q3 += a3 * a3 * p[j + 3];
    }
    for (; j < D; j++) {
        out[j] = x[j] * s - t[j];
        q0 += out[j] * out[j] * p[j];
    }
    return (q0 + q1) + (q2 + q3);
}

/* ---------------------------------------------------------------- fit
 *
 * Streaming sufficient statistics (Chan, Golub & LeVeque, "Algorithms for
 * computing the sample variance: analysis and recommendations", The American
 * Statistician 37(3), 1983, eq. 2.1).  For one class and dimension, a set A
 * with (n_A, mean_A, M2_A) and a chunk B with (n_B, mean_B, M2_B), where
 * M2 = sum (x - mean)^2:
 *   n     = n_A + n_B,   delta = mean_B - mean_A
 *   mean  = mean_A + delta * n_B / n
 *   M2    = M2_A + M2_B + delta^2 * n_A * n_B / n
 * The chunk's own mean and M2 come from two passes over its rows (exact up to
 * rounding, no raw sum of squares).  Dimensions: the chunk is N x D, the
 * statistics K x D, the chunk's temporary statistics K x D: memory is
 * O(K * D) whatever the number of rows.  The same update merges two models. */

static void chan_merge(double na, double *mean_a, double *m2a, double nb, const double *mean_b,
                       const double *m2b, size_t D)
{
    if (nb == 0)
        return;
    if (na == 0) {
        memcpy(mean_a, mean_b, D * sizeof *mean_a);
        memcpy(m2a, m2b, D * sizeof *m2a);
        return;
    }
    double n = na + nb, fb = nb / n, fab = na * nb / n;
    for (size_t j = 0; j < D; j++) {
        double delta = mean_b[j] - mean_a[j];
        mean_a[j] += delta * fb;
        m2a[j] += m2b[j] + delta * delta * fab;
    }
}

int pmk_gnb_partial_fit(pmk_gnb *m, const gsl_matrix *X, const long *y, pmk_error *err)
{
    size_t N = X->size1, D = m->d;
    if (X->size2 != D)
        return pmk_error_set(err, PMK_EINVAL, "the data have %zu features, the model %zu",
                             X->size2, D);
    if (N == 0)
        return PMK_OK;
    const double s = m->opt.scale;

    /* The chunk's distinct labels (sorted: nu of them), and those new to the
     * model (nnew, sorted, in @p v).  Everything below is O(N log N + nu D),
     * plus O(K D) once per chunk that brings new labels: no N x K scan. */
    long *u = malloc(N * sizeof *u), *v = malloc(N * sizeof *v);
    if (!u || !v) {
        free(u), free(v);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    }
    memcpy(u, y, N * sizeof *u);
    qsort(u, N, sizeof *u, cmp_long);
    size_t nu = 0, nnew = 0;
    for (size_t i = 0; i < N; i++)
        if (i == 0 || u[i] != u[i - 1])
            u[nu++] = u[i];
    for (size_t i = 0; i < nu; i++)
        if (find_label(m->labels, m->k, u[i]) < 0)
            v[nnew++] = u[i];
    if (m->k + nnew > m->opt.max_classes) {
        /* Name the row whose label is the first one too many: walk the rows,
         * marking each new label the first time it appears. */
        size_t seen = m->k;
        unsigned char *hit = calloc(nnew, 1);
        for (size_t i = 0; hit && i < N; i++) {
            long pos = find_label(v, nnew, y[i]);
            if (pos >= 0 && !hit[pos]) {
                hit[pos] = 1;
                if (++seen > m->opt.max_classes) {
                    free(hit), free(u), free(v);
                    return pmk_error_at(err, PMK_EDATA, NULL, (long)(i + 1), 0,
                                        "label %ld makes more than %zu classes (is the label "
                                        "column right?)",
                                        y[i], m->opt.max_classes);
                }
            }
        }
        free(hit), free(u), free(v);
        return pmk_error_set(err, PMK_EDATA, "more than %zu classes", m->opt.max_classes);
    }
    size_t K = m->k + nnew, KD, UD;
    if (pmk_size_mul(K, D, &KD) || KD > PMK_GNB_MAX_PARAMS) {
        free(u), free(v);
        return pmk_error_set(err, PMK_ELIMIT, "%zu classes x %zu features is too many", K, D);
    }
    UD = nu * D;   /* <= N D: the chunk itself holds that many values */
    /* The model once finished (5 K x D arrays: mean, m2, var, W, P) and this
     * chunk's statistics (2 nu x D), under the memory ceiling. */
    if (nnew) {
        char what[96];
        snprintf(what, sizeof what, "a model of %zu classes x %zu features", K, D);
        int mrc = pmk_mem_check(NULL, 0, 0,
                                8ULL * (5ULL * KD + 2ULL * UD + 5ULL * K + 3ULL * D), what, err);
        if (mrc) {
            free(u), free(v);
            return mrc;
        }
    }
    /* The chunk's statistics over its own nu classes; the model itself is
     * touched only once the chunk has been checked. */
    double *cnt = calloc(nu, sizeof *cnt), *mb = calloc(UD, sizeof *mb),
           *m2b = calloc(UD, sizeof *m2b);
    size_t *idx = malloc(N * sizeof *idx);
    int rc = (!cnt || !mb || !m2b || !idx) ? PMK_ENOMEM : pmk_gnb_reserve(m, K);
    if (rc) {
        free(cnt), free(mb), free(m2b), free(idx), free(u), free(v);
        return rc == PMK_ELIMIT
                   ? pmk_error_set(err, rc, "%zu classes x %zu features is too many", K, D)
                   : pmk_error_set(err, rc, "out of memory");
    }

    /* Pass 1: per-class sums, then means.  A non-finite value makes its
     * class's sum non-finite, so one check of the sums replaces a check per
     * value (the row and column are looked up only then). */
    for (size_t i = 0; i < N; i++) {
        size_t k = (size_t)find_label(u, nu, y[i]);
        idx[i] = k;
        cnt[k] += 1;
        row_axpy(mb + k * D, gsl_matrix_const_ptr(X, i, 0), s, D);
    }
    int finite = 1;
    for (size_t t = 0; t < UD; t++)
        finite &= isfinite(mb[t]) != 0;
    if (!finite) {
        rc = pmk_error_set(err, PMK_EDATA, "the sum of a feature overflows");
        for (size_t i = 0; i < N; i++) {
            const double *row = gsl_matrix_const_ptr(X, i, 0);
            for (size_t j = 0; j < D; j++)
                if (!isfinite(row[j] * s)) {
                    rc = pmk_error_at(err, PMK_EDATA, NULL, (long)(i + 1), (long)(j + 1),
                                      "value %g is not finite after scaling", row[j]);
                    i = N;
                    break;
                }
        }
        free(cnt), free(mb), free(m2b), free(idx), free(u), free(v);
        return rc;
    }
    for (size_t k = 0; k < nu; k++)
        for (size_t j = 0; j < D; j++)
            mb[k * D + j] /= cnt[k];
    /* Pass 2: squared deviations from the chunk's class means. */
    for (size_t i = 0; i < N; i++)
        row_sqdev(m2b + idx[i] * D, gsl_matrix_const_ptr(X, i, 0), s, mb + idx[i] * D, D);
    /* Commit: the new classes at their sorted places, then the Chan update
     * of each class the chunk holds. */
    if (nnew)
        insert_classes(m, v, nnew);
    free_derived(m);
    for (size_t c = 0; c < nu; c++) {
        size_t k = (size_t)find_label(m->labels, m->k, u[c]);
        chan_merge(m->count[k], m->mean + k * D, m->m2 + k * D, cnt[c], mb + c * D,
                   m2b + c * D, D);
        m->count[k] += cnt[c];
    }
    free(cnt), free(mb), free(m2b), free(idx), free(u), free(v);
    pmk_gnb_refresh_views(m);
    return PMK_OK;
}

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
    free_derived(m);
    size_t KD = K * D;
    m->var = malloc(KD * sizeof *m->var);
    m->W = malloc(KD * sizeof *m->W);
    m->P = malloc(KD * sizeof *m->P);
    m->zero_raw = malloc(KD);
    m->alpha = malloc(K * sizeof *m->alpha);
    m->c = malloc(K * sizeof *m->c);
    if (!m->var || !m->W || !m->P || !m->zero_raw || !m->alpha || !m->c) {
        free_derived(m);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    }

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
        if (!isfinite(c) || !isfinite(ss)) {
            /* e.g. values near 1e200: their squares exceed DBL_MAX */
            free_derived(m);
            return pmk_error_set(err, PMK_EDATA,
                                 "feature %zu: the values overflow double precision (the sum "
                                 "of squared deviations is %s); scale them down (--scale)",
                                 j + 1, isnan(ss) ? "not a number" : "infinite");
        }
        m->center[j] = c;
        m->pop_var[j] = ss / N;
        if (m->pop_var[j] > maxvar)
            maxvar = m->pop_var[j];
    }
    m->smooth_add = o->var_smoothing * maxvar;

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
            m->zero_raw[k * D + j] = raw <= tol * tol;
            double v = raw + m->smooth_add;
            if (v < o->var_floor)
                v = o->var_floor;
            if (!(v > 0) || !isfinite(v)) {
                free_derived(m);
                return pmk_error_set(err, PMK_EDATA,
                                     "feature %zu has zero variance and there is no smoothing "
                                     "or floor to raise it (every feature is constant?)",
                                     j + 1);
            }
            m->var[k * D + j] = v;
        }
    }
    /* The zero-variance features of each class as index lists, for eval's
     * warning (a few dozen per class on MNIST instead of a scan of all D). */
    size_t nz = 0;
    for (size_t t = 0; t < KD; t++)
        nz += m->zero_raw[t];
    m->zero_off = malloc((K + 1) * sizeof *m->zero_off);
    m->zero_dim = malloc((nz ? nz : 1) * sizeof *m->zero_dim);
    if (!m->zero_off || !m->zero_dim) {
        free_derived(m);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    }
    nz = 0;
    for (size_t k = 0; k < K; k++) {
        m->zero_off[k] = nz;
        for (size_t j = 0; j < D; j++)
            if (m->zero_raw[k * D + j])
                m->zero_dim[nz++] = j;
    }
    m->zero_off[K] = nz;
    for (size_t k = 0; k < K; k++) {
        switch (o->priors) {
        case PMK_GNB_PRIOR_UNIFORM: m->alpha[k] = 1.0 / (double)K; break;
        case PMK_GNB_PRIOR_EXPLICIT: m->alpha[k] = o->prior[k]; break;
        default: m->alpha[k] = m->count[k] / N;
        }
    }
    double nll = 0;
    for (size_t j = 0; j < D; j++) {
        size_t best = 0;
        for (size_t k = 1; o->variance == PMK_GNB_VAR_CLASS && k < K; k++)
            if (m->var[k * D + j] < m->var[best * D + j])
                best = k;
        m->shift[j] = o->variance == PMK_GNB_VAR_CLASS ? m->mean[best * D + j] : m->center[j];
    }
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
            free_derived(m);
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

/* ---------------------------------------------------------------- merge */

pmk_gnb *pmk_gnb_merge(const pmk_gnb *a, const pmk_gnb *b, pmk_error *err)
{
    const pmk_gnb_options *oa = &a->opt, *ob = &b->opt;
    const char *what = NULL;
    if (a->d != b->d)
        what = "numbers of features";
    else if (oa->scale != ob->scale)
        what = "feature scales";
    else if (oa->var_smoothing != ob->var_smoothing)
        what = "var_smoothing values";
    else if (oa->var_floor != ob->var_floor)
        what = "variance floors";
    else if (oa->variance != ob->variance)
        what = "variance modes";
    else if (oa->priors != ob->priors)
        what = "prior modes";
    else if (oa->priors == PMK_GNB_PRIOR_EXPLICIT &&
             (oa->n_prior != ob->n_prior ||
              memcmp(oa->prior, ob->prior, oa->n_prior * sizeof *oa->prior)))
        what = "explicit prior lists";
    if (what) {
        pmk_error_set(err, PMK_EINVAL, "cannot merge models with different %s", what);
        return NULL;
    }
    pmk_gnb *m = pmk_gnb_alloc(a->d, oa, err);
    if (!m)
        return NULL;
    size_t D = a->d, cap = a->k + b->k;
    if (pmk_gnb_reserve(m, cap ? cap : 1)) {
        pmk_gnb_free(m);
        pmk_error_set(err, PMK_ENOMEM, "out of memory");
        return NULL;
    }
    /* Union of the two sorted label lists, merging classes present in both. */
    size_t i = 0, j = 0, k = 0;
    while (i < a->k || j < b->k) {
        int take_a = j >= b->k || (i < a->k && a->labels[i] <= b->labels[j]);
        int take_b = i >= a->k || (j < b->k && b->labels[j] <= a->labels[i]);
        const pmk_gnb *src = take_a ? a : b;
        size_t si = take_a ? i : j;
        m->labels[k] = src->labels[si];
        m->count[k] = src->count[si];
        memcpy(m->mean + k * D, src->mean + si * D, D * sizeof *m->mean);
        memcpy(m->m2 + k * D, src->m2 + si * D, D * sizeof *m->m2);
        if (take_a && take_b) {
            chan_merge(m->count[k], m->mean + k * D, m->m2 + k * D, b->count[j],
                       b->mean + j * D, b->m2 + j * D, D);
            m->count[k] += b->count[j];
        }
        i += take_a;
        j += take_b;
        k++;
    }
    m->k = k;
    if (pmk_gnb_finish(m, err)) {
        pmk_gnb_free(m);
        return NULL;
    }
    return m;
}

/* ---------------------------------------------------------------- accessors */

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
    return find_label(m->labels, m->k, label);
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

/* ---------------------------------------------------------------- prediction
 *
 * Joint log-likelihood of a block of B rows (B <= GNB_BLOCK), X' = s X - 1 t^T
 * (B x D, in the scratch), W and P K x D:
 *   J = X' W^T                                   (GEMM, B x K)
 *   shared: J[i,k] += c_k - 1/2 sum_d X'_id^2 P_0d   (one row dot per i)
 *   class:  J += -1/2 (X' o X') P^T + 1 c^T      (second GEMM)
 * The shift t (see pmk_gnb_finish) keeps the cancellation between the three
 * terms of sum (x - mu)^2 / v small. */

static int jll_block(const pmk_gnb *m, const gsl_matrix *X, gsl_matrix *J, double *scratch)
{
    size_t B = X->size1, D = m->d, K = m->k;
    const double s = m->opt.scale;
    int shared = m->opt.variance == PMK_GNB_VAR_SHARED;
    double *q = scratch + B * D;   /* B: -1/2 sum_d x'^2 P_0d, shared mode */
    for (size_t i = 0; i < B; i++)
        q[i] = -0.5 * row_shift(scratch + i * D, gsl_matrix_const_ptr(X, i, 0), s, m->shift,
                                shared ? m->P : NULL, D);
    gsl_matrix_view Xb = gsl_matrix_view_array(scratch, B, D);
    gsl_matrix_const_view W = gsl_matrix_const_view_array(m->W, K, D);
    int rc = pmk_gemm(CblasNoTrans, CblasTrans, 1.0, &Xb.matrix, &W.matrix, 0.0, J);
    if (rc)
        return rc;
    if (!shared) {
        for (size_t t = 0; t < B * D; t++)
            scratch[t] *= scratch[t];
        gsl_matrix_const_view P = gsl_matrix_const_view_array(m->P, K, D);
        rc = pmk_gemm(CblasNoTrans, CblasTrans, -0.5, &Xb.matrix, &P.matrix, 1.0, J);
        if (rc)
            return rc;
    }
    for (size_t i = 0; i < B; i++) {
        double *out = gsl_matrix_ptr(J, i, 0), qi = shared ? q[i] : 0;
        for (size_t k = 0; k < K; k++)
            out[k] += m->c[k] + qi;
    }
    return PMK_OK;
}

static int check_predict(const pmk_gnb *m, const gsl_matrix *X, size_t jrows, size_t jcols,
                         pmk_error *err)
{
    if (!m->finished)
        return pmk_error_set(err, PMK_EINVAL, "the model is not fitted");
    if (X->size2 != m->d)
        return pmk_error_set(err, PMK_EINVAL, "the data have %zu features, the model %zu",
                             X->size2, m->d);
    if (jrows != X->size1 || jcols != m->k)
        return pmk_error_set(err, PMK_EINVAL, "the output is %zu x %zu, expected %zu x %zu",
                             jrows, jcols, X->size1, m->k);
    return PMK_OK;
}

/* Runs jll_block over X in blocks of GNB_BLOCK rows.  @p J is N x K, or, when
 * @p per_block is non-NULL, GNB_BLOCK x K scratch handed with each block (rows
 * [start, start+B)) to @p per_block. */
typedef int (*block_fn)(void *ctx, size_t start, gsl_matrix *Jb, pmk_error *err);

static int jll_blocks(const pmk_gnb *m, const gsl_matrix *X, gsl_matrix *J, block_fn per_block,
                      void *ctx, pmk_error *err)
{
    size_t N = X->size1;
    if (N == 0)
        return PMK_OK;
    size_t B = N < GNB_BLOCK ? N : GNB_BLOCK;
    double *scratch = malloc(B * (m->d + 1) * sizeof *scratch);
    if (!scratch)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    int rc = PMK_OK;
    for (size_t start = 0; start < N && !rc; start += B) {
        size_t nb = N - start < B ? N - start : B;
        gsl_matrix_const_view Xb = gsl_matrix_const_submatrix(X, start, 0, nb, m->d);
        gsl_matrix_view Jb = gsl_matrix_submatrix(J, per_block ? 0 : start, 0, nb, m->k);
        rc = jll_block(m, &Xb.matrix, &Jb.matrix, scratch);
        if (rc)
            rc = pmk_error_set(err, rc, "GEMM failed: %s", pmk_strerror(rc));
        else if (per_block)
            rc = per_block(ctx, start, &Jb.matrix, err);
    }
    free(scratch);
    return rc;
}

int pmk_gnb_joint_log_likelihood(const pmk_gnb *m, const gsl_matrix *X, gsl_matrix *J,
                                 pmk_error *err)
{
    int rc = check_predict(m, X, J->size1, J->size2, err);
    return rc ? rc : jll_blocks(m, X, J, NULL, NULL, err);
}

int pmk_gnb_predict_log_proba(const pmk_gnb *m, const gsl_matrix *X, gsl_matrix *L,
                              pmk_error *err)
{
    int rc = pmk_gnb_joint_log_likelihood(m, X, L, err);
    return rc ? rc : pmk_log_softmax_rows(L);
}

int pmk_gnb_predict_proba(const pmk_gnb *m, const gsl_matrix *X, gsl_matrix *P,
                          pmk_error *err)
{
    int rc = pmk_gnb_joint_log_likelihood(m, X, P, err);
    return rc ? rc : pmk_softmax_rows(P);
}

static size_t argmax_row(const gsl_matrix *J, size_t i)
{
    const double *r = gsl_matrix_const_ptr(J, i, 0);
    size_t best = 0;
    for (size_t k = 1; k < J->size2; k++)
        if (r[k] > r[best])
            best = k;
    return best;
}

struct predict_ctx {
    const pmk_gnb *m;
    long *labels;
};

static int predict_block(void *ctx, size_t start, gsl_matrix *Jb, pmk_error *err)
{
    struct predict_ctx *p = ctx;
    (void)err;
    for (size_t i = 0; i < Jb->size1; i++)
        p->labels[start + i] = p->m->labels[argmax_row(Jb, i)];
    return PMK_OK;
}

/* The GNB_BLOCK x K scratch that jll_blocks fills block by block. */
static int with_block_scratch(const pmk_gnb *m, const gsl_matrix *X, block_fn fn, void *ctx,
                              pmk_error *err)
{
    size_t B = X->size1 < GNB_BLOCK ? X->size1 : GNB_BLOCK;
    if (B == 0)
        return PMK_OK;
    gsl_matrix *J = gsl_matrix_alloc(B, m->k);
    if (!J)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    int rc = jll_blocks(m, X, J, fn, ctx, err);
    gsl_matrix_free(J);
    return rc;
}

int pmk_gnb_predict(const pmk_gnb *m, const gsl_matrix *X, long *labels, pmk_error *err)
{
    int rc = check_predict(m, X, X->size1, m->k, err);
    if (rc)
        return rc;
    struct predict_ctx p = {m, labels};
    return with_block_scratch(m, X, predict_block, &p, err);
}

/* ---------------------------------------------------------------- evaluation */

/* The counts of @p e: 3 K-vectors, and the K x K confusion for small K. */
static int eval_counts_alloc(pmk_gnb_eval *e, size_t K)
{
    e->support = calloc(K ? K : 1, sizeof *e->support);
    e->predicted = calloc(K ? K : 1, sizeof *e->predicted);
    e->hits = calloc(K ? K : 1, sizeof *e->hits);
    e->confusion = K <= PMK_GNB_EVAL_CONFUSION_MAX
                       ? calloc(K ? K * K : 1, sizeof *e->confusion) : NULL;
    return e->support && e->predicted && e->hits
           && (e->confusion || K > PMK_GNB_EVAL_CONFUSION_MAX);
}

static void eval_counts_free(pmk_gnb_eval *e)
{
    free(e->confusion);
    free(e->support);
    free(e->predicted);
    free(e->hits);
}

pmk_gnb_eval *pmk_gnb_eval_alloc(const pmk_gnb *m, pmk_error *err)
{
    pmk_gnb_eval *e = calloc(1, sizeof *e);
    if (!e || !eval_counts_alloc(e, m->k)) {
        if (e)
            eval_counts_free(e);
        free(e);
        pmk_error_set(err, PMK_ENOMEM, "out of memory");
        return NULL;
    }
    e->k = m->k;
    return e;
}

void pmk_gnb_eval_free(pmk_gnb_eval *e)
{
    if (!e)
        return;
    eval_counts_free(e);
    free(e);
}

struct eval_ctx {
    const pmk_gnb *m;
    pmk_gnb_eval *e;
    const gsl_matrix *X;
    const size_t *truth;
};

static int eval_block(void *ctx, size_t start, gsl_matrix *Jb, pmk_error *err)
{
    struct eval_ctx *c = ctx;
    const pmk_gnb *m = c->m;
    size_t K = m->k, D = m->d;
    (void)err;
    for (size_t i = 0; i < Jb->size1; i++) {
        size_t t = c->truth[start + i], p = argmax_row(Jb, i);
        const double *r = gsl_matrix_const_ptr(Jb, i, 0);
        double lse = pmk_logsumexp(r, K, 1);
        c->e->n++;
        c->e->correct += p == t;
        c->e->support[t]++;
        c->e->predicted[p]++;
        c->e->hits[t] += p == t;
        if (c->e->confusion)
            c->e->confusion[t * K + p]++;
        c->e->sum_nll -= r[t];
        c->e->sum_log_post += r[t] - lse;
        const double *x = gsl_matrix_const_ptr(c->X, start + i, 0), *mu = m->mean + t * D;
        for (size_t z = m->zero_off[t]; z < m->zero_off[t + 1]; z++) {
            size_t j = m->zero_dim[z];
            if (x[j] * m->opt.scale != mu[j]) {
                c->e->zero_var_rows++;
                break;
            }
        }
    }
    return PMK_OK;
}

int pmk_gnb_eval_add(pmk_gnb_eval *e, const pmk_gnb *m, const gsl_matrix *X, const long *y,
                     pmk_error *err)
{
    int rc = check_predict(m, X, X->size1, m->k, err);
    if (rc)
        return rc;
    if (e->k != m->k)
        return pmk_error_set(err, PMK_EINVAL, "the evaluation was made for another model");
    size_t N = X->size1;
    if (N == 0)
        return PMK_OK;
    size_t *truth = malloc(N * sizeof *truth);
    if (!truth)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    for (size_t i = 0; i < N; i++) {
        long k = find_label(m->labels, m->k, y[i]);
        if (k < 0) {
            free(truth);
            return pmk_error_at(err, PMK_EDATA, NULL, (long)(i + 1), 0,
                                "label %ld was not seen in training (the model has %zu "
                                "classes, labels %ld to %ld)",
                                y[i], m->k, m->labels[0], m->labels[m->k - 1]);
        }
        truth[i] = (size_t)k;
    }
    /* Accumulate into a copy so that a failure leaves @p e unchanged. */
    pmk_gnb_eval tmp = *e;
    size_t K = m->k, kk = K <= PMK_GNB_EVAL_CONFUSION_MAX ? K * K : 0;
    if (!eval_counts_alloc(&tmp, K)) {
        eval_counts_free(&tmp);
        free(truth);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    }
    if (kk)
        memcpy(tmp.confusion, e->confusion, kk * sizeof *tmp.confusion);
    memcpy(tmp.support, e->support, K * sizeof *tmp.support);
    memcpy(tmp.predicted, e->predicted, K * sizeof *tmp.predicted);
    memcpy(tmp.hits, e->hits, K * sizeof *tmp.hits);
    struct eval_ctx c = {m, &tmp, X, truth};
    rc = with_block_scratch(m, X, eval_block, &c, err);
    free(truth);
    if (rc) {
        eval_counts_free(&tmp);
        return rc;
    }
    eval_counts_free(e);
    *e = tmp;
    return PMK_OK;
}

double pmk_gnb_eval_precision(const pmk_gnb_eval *e, size_t k)
{
    return e->predicted[k] ? (double)e->hits[k] / (double)e->predicted[k] : NAN;
}

double pmk_gnb_eval_recall(const pmk_gnb_eval *e, size_t k)
{
    return e->support[k] ? (double)e->hits[k] / (double)e->support[k] : NAN;
}
