/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_fit.c: the streaming, mergeable fit of the Gaussian classifier:
 * per-class sufficient statistics (partial_fit, of rows as doubles or as
 * bytes), and the merge of two models' statistics.  The closed-form
 * parameters are gnb_finish.c's. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/kernels.h"
#include "pmk/limits.h"
#include "io/dataset_internal.h"
#include "models/gnb_internal.h"
#include "core/core_internal.h"

/* The row kernels are plain loops written for the compiler to vectorise
 * (across a row: each value's own operations in the same order, so the bits
 * do not depend on the vector width); -O3 is asked for here, and no
 * contraction into FMA. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3", "fp-contract=off")
#endif

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

/* Row kernels of the fit, unrolled by four so that GCC's basic-block
 * vectorizer packs them at -O2 (the loop vectorizer is off there); D is any
 * length.  Each is a pure elementwise loop over one row of D values. */

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

/* acc += w (s x - mu)^2 */
static void row_sqdev(double *restrict acc, const double *restrict x, double s,
                      const double *restrict mu, double w, size_t D)
{
    size_t j = 0;
    for (; j + 4 <= D; j += 4) {
        double d0 = x[j] * s - mu[j], d1 = x[j + 1] * s - mu[j + 1];
        double d2 = x[j + 2] * s - mu[j + 2], d3 = x[j + 3] * s - mu[j + 3];
        acc[j] += w * (d0 * d0);
        acc[j + 1] += w * (d1 * d1);
        acc[j + 2] += w * (d2 * d2);
        acc[j + 3] += w * (d3 * d3);
    }
    for (; j < D; j++) {
        double d = x[j] * s - mu[j];
        acc[j] += w * (d * d);
    }
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

/* One chunk's work: its distinct labels, its statistics over them, and the
 * scratch, freed together. */
typedef struct chunk_stats {
    long *u, *v;        /* N: the chunk's nu distinct labels, sorted; the nnew new ones */
    size_t nu, nnew;
    double *cnt;        /* nu: rows per chunk class */
    double *mb, *m2b;   /* nu x D: the chunk's class means and M2 */
    size_t *idx;        /* N: each row's chunk class */
} chunk_stats;

static void chunk_stats_free(chunk_stats *c)
{
    CORE_FREE(c->u, c->v, c->cnt, c->mb, c->m2b, c->idx);
}

/* The row whose label is the first one too many: walk the rows, marking each
 * new label the first time it appears. */
static int too_many_classes(const pmk_gnb *m, const chunk_stats *c, const long *y, size_t N,
                            pmk_error *err)
{
    size_t seen = m->k, max = m->opt.max_classes;
    unsigned char *hit = calloc(c->nnew, 1);
    for (size_t i = 0; hit && i < N; i++) {
        long pos = pmk_gnb_find_label(c->v, c->nnew, y[i]);
        if (pos >= 0 && !hit[pos]) {
            hit[pos] = 1;
            if (++seen > max) {
                free(hit);
                return pmk_error_at(err, PMK_EDATA, NULL, (long)(i + 1), 0,
                                    "label %ld makes more than %zu classes (is the label column "
                                    "right?)", y[i], max);
            }
        }
    }
    free(hit);
    return pmk_error_set(err, PMK_EDATA, "more than %zu classes", max);
}

/* The chunk's distinct labels (sorted: nu of them), and those new to the
 * model (nnew, sorted, in c->v); the limits on K; the scratch; room in the
 * model for K classes.  Everything is O(N log N + nu D), plus O(K D) once
 * per chunk that brings new labels: no N x K scan. */
static int chunk_labels(pmk_gnb *m, const long *y, size_t N, chunk_stats *c, pmk_error *err)
{
    size_t D = m->d;
    c->u = malloc(N * sizeof *c->u);
    c->v = malloc(N * sizeof *c->v);
    if (!c->u || !c->v)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    memcpy(c->u, y, N * sizeof *c->u);
    qsort(c->u, N, sizeof *c->u, cmp_long);
    for (size_t i = 0; i < N; i++)
        if (i == 0 || c->u[i] != c->u[i - 1])
            c->u[c->nu++] = c->u[i];
    for (size_t i = 0; i < c->nu; i++)
        if (pmk_gnb_find_label(m->labels, m->k, c->u[i]) < 0)
            c->v[c->nnew++] = c->u[i];
    if (m->k + c->nnew > m->opt.max_classes)
        return too_many_classes(m, c, y, N, err);
    size_t K = m->k + c->nnew, KD, UD = c->nu * D;   /* UD <= N D: the chunk holds as many */
    if (pmk_size_mul(K, D, &KD) || KD > PMK_GNB_MAX_PARAMS)
        return pmk_error_set(err, PMK_ELIMIT, "%zu classes x %zu features is too many", K, D);
    /* The model once finished (5 K x D arrays: mean, m2, var, W, P) and this
     * chunk's statistics (2 nu x D), under the memory ceiling. */
    if (c->nnew) {
        char what[96];
        snprintf(what, sizeof what, "a model of %zu classes x %zu features", K, D);
        int rc = pmk_mem_check(NULL, 0, 0, 8ULL * (5ULL * KD + 2ULL * UD + 5ULL * K + 3ULL * D),
                               what, err);
        if (rc)
            return rc;
    }
    c->cnt = calloc(c->nu, sizeof *c->cnt);
    c->mb = calloc(UD, sizeof *c->mb);
    c->m2b = calloc(UD, sizeof *c->m2b);
    c->idx = malloc(N * sizeof *c->idx);
    if (!c->cnt || !c->mb || !c->m2b || !c->idx)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    return pmk_gnb_reserve(m, K, err);
}

/* The chunk's class means and M2 in two passes over its rows (x scaled by
 * @p s).  A non-finite value makes its class's sum non-finite, so one check
 * of the sums replaces a check per value (the row and column are looked up
 * only then). */
static int chunk_moments(const gsl_matrix *X, double s, const long *y, const double *w,
                         chunk_stats *c, pmk_error *err)
{
    size_t N = X->size1, D = X->size2, UD = c->nu * D;
    for (size_t i = 0; i < N; i++) {
        size_t k = (size_t)pmk_gnb_find_label(c->u, c->nu, y[i]);
        c->idx[i] = k;
        c->cnt[k] += w ? w[i] : 1;
        row_axpy(c->mb + k * D, gsl_matrix_const_ptr(X, i, 0), w ? s * w[i] : s, D);
    }
    int finite = 1;
    for (size_t t = 0; t < UD; t++)
        finite &= isfinite(c->mb[t]) != 0;
    if (!finite) {
        for (size_t i = 0; i < N; i++) {
            const double *row = gsl_matrix_const_ptr(X, i, 0);
            for (size_t j = 0; j < D; j++)
                if (!isfinite(row[j] * s))
                    return pmk_error_at(err, PMK_EDATA, NULL, (long)(i + 1), (long)(j + 1),
                                        "value %g is not finite after scaling", row[j]);
        }
        return pmk_error_set(err, PMK_EDATA, "the sum of a feature overflows");
    }
    for (size_t k = 0; k < c->nu; k++)
        for (size_t j = 0; j < D; j++)
            c->mb[k * D + j] /= c->cnt[k];
    for (size_t i = 0; i < N; i++)
        row_sqdev(c->m2b + c->idx[i] * D, gsl_matrix_const_ptr(X, i, 0), s,
                  c->mb + c->idx[i] * D, w ? w[i] : 1, D);
    return PMK_OK;
}

/* The rows of positive weight: @p kept (N) lists them, their number in
 * *@p nk; a negative or non-finite weight is PMK_EDATA naming its row. */
/* Commits a checked chunk: the new classes at their sorted places, then the
 * Chan update of each class the chunk holds. */
static void commit(pmk_gnb *m, const chunk_stats *c)
{
    size_t D = m->d;
    if (c->nnew)
        insert_classes(m, c->v, c->nnew);
    pmk_gnb_free_derived(m);
    for (size_t i = 0; i < c->nu; i++) {
        size_t k = (size_t)pmk_gnb_find_label(m->labels, m->k, c->u[i]);
        chan_merge(m->count[k], m->mean + k * D, m->m2 + k * D, c->cnt[i], c->mb + i * D,
                   c->m2b + i * D, D);
        m->count[k] += c->cnt[i];
    }
}

static int check_weights(const double *w, size_t N, size_t *kept, size_t *nk, pmk_error *err)
{
    *nk = 0;
    for (size_t i = 0; i < N; i++) {
        if (!(w[i] >= 0) || !isfinite(w[i]))
            return pmk_error_at(err, PMK_EDATA, NULL, (long)(i + 1), 0,
                                "weight %g is %s", w[i],
                                isfinite(w[i]) ? "negative" : "not finite");
        if (w[i] > 0)
            kept[(*nk)++] = i;
    }
    return PMK_OK;
}

int pmk_gnb_partial_fit(pmk_gnb *m, const gsl_matrix *X, const long *y, pmk_error *err)
{
    return pmk_gnb_partial_fit_weighted(m, X, y, NULL, err);
}

/* The fit of the rows of @p X that have positive weight: rows of weight 0
 * are dropped first (a copy of the chunk without them), as if absent. */
int pmk_gnb_partial_fit_weighted(pmk_gnb *m, const gsl_matrix *X, const long *y, const double *w,
                                 pmk_error *err)
{
    return pmk_gnb_partial_fit_tokens(m, X, y, w, NULL, 0, err);
}

int pmk_gnb_fit_labels(pmk_gnb *m, const gsl_matrix *X, const long *y, const double *w,
                       pmk_error *err)
{
    size_t N = X->size1, D = m->d, nk = N;
    if (X->size2 != D)
        return pmk_error_set(err, PMK_EINVAL, "the data have %zu features, the model %zu",
                             X->size2, D);
    if (N == 0)
        return PMK_OK;
    if (w) {
        size_t *kept = malloc(N * sizeof *kept);
        if (!kept)
            return pmk_error_set(err, PMK_ENOMEM, "out of memory");
        int rc = check_weights(w, N, kept, &nk, err);
        if (!rc && nk < N) {   /* zeros: fit the compacted rows, errors placed back */
            gsl_matrix *Xk = nk ? gsl_matrix_alloc(nk, D) : NULL;
            long *yk = malloc((nk ? nk : 1) * sizeof *yk);
            double *wk = malloc((nk ? nk : 1) * sizeof *wk);
            rc = (nk && !Xk) || !yk || !wk ? pmk_error_set(err, PMK_ENOMEM, "out of memory") : 0;
            for (size_t i = 0; !rc && i < nk; i++) {
                gsl_vector_const_view row = gsl_matrix_const_row(X, kept[i]);
                gsl_matrix_set_row(Xk, i, &row.vector);
                yk[i] = y[kept[i]], wk[i] = w[kept[i]];
            }
            if (!rc && nk && (rc = pmk_gnb_fit_labels(m, Xk, yk, wk, err)) && err
                && err->line > 0)
                err->line = (long)kept[err->line - 1] + 1;
            gsl_matrix_free(Xk);
            free(yk);
            free(wk);
        }
        free(kept);
        if (rc || nk < N)
            return rc;
    }
    /* The model itself is touched only once the chunk has been checked. */
    pmk_gnb_input in;
    chunk_stats c;
    memset(&c, 0, sizeof c);
    int rc = pmk_gnb_input_open(m, X, pmk_gnb_fit_scale(m), &in, err);
    if (!rc && !(rc = chunk_labels(m, y, N, &c, err)))
        rc = chunk_moments(in.X, in.s, y, w, &c, err);
    if (!rc && m->scatter)   /* the last step that can fail: it adds to S at once */
        rc = pmk_gnb_full_chunk(m, in.X, in.s, w, c.idx, c.u, c.nu, c.cnt, c.mb, err);
    if (!rc) {
        commit(m, &c);
        if (m->scale_open)
            pmk_data_stats_add(&m->stats, X);
        pmk_gnb_refresh_views(m);
    }
    chunk_stats_free(&c);
    pmk_gnb_input_close(&in);
    return rc;
}

/* ---------------------------------------------------------------- bytes
 *
 * The same fit of rows held as bytes (gnb_feed.c: pixels, integers 0..255).
 * (double)b is exactly the double the reader would have handed over, and
 * the kernels do the same operations in the same order as row_axpy and
 * row_sqdev with weight 1, so the statistics have the same bits as those
 * of the rows as doubles; an eighth of the memory is read. */

/* acc += s b */
static void row_axpy_bytes(double *restrict acc, const unsigned char *restrict b, double s,
                           size_t D)
{
    for (size_t j = 0; j < D; j++)
        acc[j] += (double)b[j] * s;
}

/* acc += 1 (s b - mu)^2, as row_sqdev with w = 1 */
static void row_sqdev_bytes(double *restrict acc, const unsigned char *restrict b, double s,
                            const double *restrict mu, size_t D)
{
    for (size_t j = 0; j < D; j++) {
        double d = (double)b[j] * s - mu[j];
        acc[j] += 1.0 * (d * d);
    }
}

/* chunk_moments of the @p N x D bytes @p B, unweighted. */
static int chunk_moments_bytes(const unsigned char *B, size_t N, size_t D, double s,
                               const long *y, chunk_stats *c, pmk_error *err)
{
    size_t UD = c->nu * D;
    for (size_t i = 0; i < N; i++) {
        size_t k = (size_t)pmk_gnb_find_label(c->u, c->nu, y[i]);
        c->idx[i] = k;
        c->cnt[k] += 1;
        row_axpy_bytes(c->mb + k * D, B + i * D, s, D);
    }
    int finite = 1;
    for (size_t t = 0; t < UD; t++)
        finite &= isfinite(c->mb[t]) != 0;
    if (!finite) {   /* a scale near DBL_MAX */
        for (size_t i = 0; i < N; i++)
            for (size_t j = 0; j < D; j++)
                if (!isfinite((double)B[i * D + j] * s))
                    return pmk_error_at(err, PMK_EDATA, NULL, (long)(i + 1), (long)(j + 1),
                                        "value %g is not finite after scaling",
                                        (double)B[i * D + j]);
        return pmk_error_set(err, PMK_EDATA, "the sum of a feature overflows");
    }
    for (size_t k = 0; k < c->nu; k++)
        for (size_t j = 0; j < D; j++)
            c->mb[k * D + j] /= c->cnt[k];
    for (size_t i = 0; i < N; i++)
        row_sqdev_bytes(c->m2b + c->idx[i] * D, B + i * D, s, c->mb + c->idx[i] * D, D);
    return PMK_OK;
}

int pmk_gnb_fit_bytes(pmk_gnb *m, const unsigned char *B, size_t N, const long *y,
                      pmk_error *err)
{
    if (!pmk_gnb_bytes_fit_ok(m))
        return pmk_error_set(err, PMK_EINVAL, "this model cannot fit rows as bytes");
    if (N == 0)
        return PMK_OK;
    chunk_stats c;
    memset(&c, 0, sizeof c);
    int rc = chunk_labels(m, y, N, &c, err);
    if (!rc)
        rc = chunk_moments_bytes(B, N, m->d, pmk_gnb_fit_scale(m), y, &c, err);
    if (!rc) {
        commit(m, &c);
        if (m->scale_open)
            pmk_data_stats_add_bytes(&m->stats, B, N * m->d);
        pmk_gnb_refresh_views(m);
    }
    chunk_stats_free(&c);
    return rc;
}

/* ---------------------------------------------------------------- merge */

pmk_gnb *pmk_gnb_merge(const pmk_gnb *a, const pmk_gnb *b, pmk_error *err)
{
    const pmk_gnb_options *oa = &a->opt, *ob = &b->opt;
    const pmk_transform *ta = &oa->transform, *tb = &ob->transform;
    const char *what = NULL;
    if (a->scale_open || b->scale_open) {
        pmk_error_set(err, PMK_EINVAL, "cannot merge a model whose automatic scale is not "
                      "chosen yet (finish it first)");
        return NULL;
    }
    if (a->d != b->d)
        what = "numbers of features";
    else if (ta->scale != tb->scale)
        what = "feature scales";
    else if (ta->threshold != tb->threshold || ta->check01 != tb->check01)
        what = "transforms";
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
    if (!what && (oa->covariance != ob->covariance || oa->ridge != ob->ridge))
        what = "covariance kinds or ridges";
    if (what) {
        pmk_error_set(err, PMK_EINVAL, "cannot merge models with different %s", what);
        return NULL;
    }
    pmk_gnb *m = pmk_gnb_alloc(a->d, oa, err);
    if (m && (pmk_gnb_merge_stats(m, a, b, err) || pmk_gnb_finish(m, err))) {
        pmk_gnb_free(m);
        m = NULL;
    }
    return m;
}

int pmk_gnb_merge_stats(pmk_gnb *m, const pmk_gnb *a, const pmk_gnb *b, pmk_error *err)
{
    if (a->tokens || b->tokens)
        return pmk_gnb_merge_tokens(m, a, b, err);
    size_t D = a->d, cap = a->k + b->k;
    if (pmk_gnb_reserve(m, cap ? cap : 1, err)
        || (m->scatter && pmk_gnb_full_merge(m, a, b, err)))
        return err ? err->code : PMK_ENOMEM;
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
    return PMK_OK;
}

