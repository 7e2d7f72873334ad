/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_tokens.c: the Gaussian classifier's token labels (doc/design.md,
 * "Labels that are any token").  A token model keeps its K tokens in byte
 * order (m->tok) and labels 0..K-1, so the integer fit, merge and file code
 * run unchanged on the class indices.  A chunk or a model whose tokens are
 * not all in the model's table is met by relabelling: every class gets its
 * rank in the union of the tokens (an integer model's classes their decimal
 * tokens), its rows reordered by that rank (a copy; whole rows move, no
 * arithmetic), and the integer code then inserts the new classes in place. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/gnb_internal.h"
#include "core/core_internal.h"

/* The token of class k: the model's, or an integer label's decimal in buf. */
static const char *class_token(const pmk_gnb *m, size_t k, char buf[24], size_t *len)
{
    if (m->tokens) {
        *len = m->tok.len[k];
        return m->tok.tok[k];
    }
    *len = (size_t)snprintf(buf, 24, "%ld", m->labels[k]);
    return buf;
}

/* Adds the tokens of @p m's classes to @p u. */
static int add_classes(pmk_tokens *u, const pmk_gnb *m, size_t max, pmk_error *err)
{
    char buf[24];
    size_t len, at;
    int added, rc = PMK_OK;
    for (size_t k = 0; !rc && k < m->k; k++) {
        const char *s = class_token(m, k, buf, &len);
        rc = pmk_tokens_add(u, s, len, max, &at, &added, err);
    }
    return rc;
}

/* A copy of a model's statistics, its classes labelled by their rank in a
 * union of tokens and in that order, with room for @c cap classes. */
typedef struct ranked {
    long *labels;
    double *count, *mean, *m2;
    size_t k, cap;
} ranked;

static void ranked_free(ranked *v) { CORE_FREE(v->labels, v->count, v->mean, v->m2); }

static int ranked_rows(const pmk_gnb *m, const pmk_tokens *u, size_t cap, ranked *v,
                       pmk_error *err)
{
    size_t K = m->k, D = m->d;
    memset(v, 0, sizeof *v);
    v->cap = cap > K ? cap : K ? K : 1;
    size_t *at = malloc((u->n ? u->n : 1) * sizeof *at);
    v->labels = malloc(v->cap * sizeof *v->labels);
    v->count = malloc(v->cap * sizeof *v->count);
    v->mean = malloc(v->cap * D * sizeof *v->mean);
    v->m2 = malloc(v->cap * D * sizeof *v->m2);
    if (!at || !v->labels || !v->count || !v->mean || !v->m2) {
        free(at);
        ranked_free(v);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    }
    for (size_t r = 0; r < u->n; r++)
        at[r] = SIZE_MAX;
    char buf[24];
    size_t len;
    for (size_t k = 0; k < K; k++) {
        const char *s = class_token(m, k, buf, &len);
        at[pmk_tokens_find(u, s, len)] = k;   /* u holds every class's token */
    }
    for (size_t r = 0; r < u->n; r++) {
        if (at[r] == SIZE_MAX)
            continue;
        size_t k = at[r], i = v->k++;
        v->labels[i] = (long)r;
        v->count[i] = m->count[k];
        memcpy(v->mean + i * D, m->mean + k * D, D * sizeof *v->mean);
        memcpy(v->m2 + i * D, m->m2 + k * D, D * sizeof *v->m2);
    }
    free(at);
    return PMK_OK;
}

/* Swaps the model's statistics with @p v's (both ways). */
static void swap_rows(pmk_gnb *m, ranked *v)
{
    ranked t = {m->labels, m->count, m->mean, m->m2, m->k, m->cap};
    m->labels = v->labels, m->count = v->count, m->mean = v->mean, m->m2 = v->m2;
    m->k = v->k, m->cap = v->cap;
    *v = t;
}

/* When the chunk's new tokens would make more than max_classes classes: the
 * row whose label is the first one too many, as gnb_fit.c says it for
 * integers (the union of the tables would only say "more than MAX"). */
static int too_many_tokens(const pmk_gnb *m, const long *y, size_t N, const char *const *tok,
                           size_t ntok, pmk_error *err)
{
    long *cls = malloc((ntok ? ntok : 1) * sizeof *cls);
    unsigned char *hit = calloc(ntok ? ntok : 1, 1);
    int rc = !cls || !hit ? pmk_error_set(err, PMK_ENOMEM, "out of memory") : PMK_OK;
    if (!rc)
        pmk_gnb_token_classes(m, tok, ntok, cls);
    for (size_t i = 0, seen = m->k; !rc && i < N; i++) {
        if (cls[y[i]] >= 0 || hit[y[i]])
            continue;   /* a class already, or met before in the chunk */
        hit[y[i]] = 1;
        if (++seen > m->opt.max_classes)
            rc = pmk_error_at(err, PMK_EDATA, NULL, (long)(i + 1), 0,
                              "label %s makes more than %zu classes (is the label column "
                              "right?)", tok[y[i]], m->opt.max_classes);
    }
    CORE_FREE(cls, hit);
    return rc;
}

int pmk_gnb_partial_fit_tokens(pmk_gnb *m, const gsl_matrix *X, const long *y,
                               const double *w, const char *const *tok, size_t ntok,
                               pmk_error *err)
{
    if (!tok) {
        if (m->tokens)
            return pmk_error_set(err, PMK_EINVAL, "integer labels for a model of token labels "
                                                  "(give them as tokens)");
        return pmk_gnb_fit_labels(m, X, y, w, err);
    }
    if (X->size2 != m->d)
        return pmk_error_set(err, PMK_EINVAL, "the data have %zu features, the model %zu",
                             X->size2, m->d);
    size_t N = X->size1;
    long *map = malloc((ntok ? ntok : 1) * sizeof *map);
    long *yr = malloc((N ? N : 1) * sizeof *yr);
    int rc = !map || !yr ? pmk_error_set(err, PMK_ENOMEM, "out of memory") : PMK_OK;
    for (size_t i = 0; !rc && i < N; i++)
        if (y[i] < 0 || (size_t)y[i] >= ntok)
            rc = pmk_error_at(err, PMK_EINVAL, NULL, (long)(i + 1), 0,
                              "label index %ld outside the %zu tokens", y[i], ntok);
    for (size_t j = 0; !rc && j < ntok; j++)
        map[j] = -2;   /* not used by a row: not a class */
    for (size_t i = 0; !rc && i < N; i++)
        map[y[i]] = -1;
    int known = m->tokens;   /* every token already a class: no relabelling */
    for (size_t j = 0; !rc && j < ntok; j++)
        if (map[j] == -1)
            known &= (map[j] = m->tokens ? pmk_tokens_find(&m->tok, tok[j], strlen(tok[j]))
                                         : -1) >= 0;
    pmk_tokens u;
    pmk_tokens_init(&u);
    ranked v = {0};
    if (!rc && !known && !(rc = too_many_tokens(m, y, N, tok, ntok, err))) {
        size_t at;
        int added;
        rc = add_classes(&u, m, m->opt.max_classes, err);
        for (size_t j = 0; !rc && j < ntok; j++)
            if (map[j] != -2)
                rc = pmk_tokens_add(&u, tok[j], strlen(tok[j]), m->opt.max_classes, &at,
                                    &added, err);
        for (size_t j = 0; !rc && j < ntok; j++)
            if (map[j] != -2)
                map[j] = pmk_tokens_find(&u, tok[j], strlen(tok[j]));
        if (!rc)
            rc = ranked_rows(m, &u, m->cap, &v, err);
    }
    for (size_t i = 0; !rc && i < N; i++)
        yr[i] = map[y[i]];
    if (!rc && !known) {
        swap_rows(m, &v);   /* the model relabelled; v holds the old rows */
        if ((rc = pmk_gnb_fit_labels(m, X, yr, w, err))) {
            swap_rows(m, &v);
        } else {
            pmk_gnb_free_derived(m);   /* in the old order, also when no row was kept */
            pmk_tokens_clear(&m->tok);
            m->tok = u;
            pmk_tokens_init(&u);
            m->tokens = 1;
        }
        pmk_gnb_refresh_views(m);
    } else if (!rc) {
        rc = pmk_gnb_fit_labels(m, X, yr, w, err);
    }
    ranked_free(&v);
    pmk_tokens_clear(&u);
    CORE_FREE(map, yr);
    return rc;
}

int pmk_gnb_merge_tokens(pmk_gnb *m, const pmk_gnb *a, const pmk_gnb *b, pmk_error *err)
{
    pmk_tokens u;
    pmk_tokens_init(&u);
    ranked va = {0}, vb = {0};
    int rc = add_classes(&u, a, SIZE_MAX, err);
    if (!rc)
        rc = add_classes(&u, b, SIZE_MAX, err);
    if (!rc && !(rc = ranked_rows(a, &u, 0, &va, err)))
        rc = ranked_rows(b, &u, 0, &vb, err);
    if (!rc) {
        pmk_gnb ta = *a, tb = *b;   /* shallow: only the statistics differ */
        ta.tokens = tb.tokens = 0;
        ta.labels = va.labels, ta.count = va.count, ta.mean = va.mean, ta.m2 = va.m2;
        ta.k = va.k;
        tb.labels = vb.labels, tb.count = vb.count, tb.mean = vb.mean, tb.m2 = vb.m2;
        tb.k = vb.k;
        if (!(rc = pmk_gnb_merge_stats(m, &ta, &tb, err))) {
            pmk_tokens_clear(&m->tok);
            m->tok = u;
            pmk_tokens_init(&u);
            m->tokens = 1;
        }
    }
    ranked_free(&va);
    ranked_free(&vb);
    pmk_tokens_clear(&u);
    return rc;
}

const char *pmk_gnb_token(const pmk_gnb *m, size_t k)
{
    return m->tokens && k < m->k ? m->tok.tok[k] : NULL;
}

void pmk_gnb_put_label(const pmk_gnb *m, size_t k, FILE *out)
{
    if (m->tokens)
        fwrite(m->tok.tok[k], 1, m->tok.len[k], out);
    else
        fprintf(out, "%ld", m->labels[k]);
}

const char *pmk_gnb_label_text(const pmk_gnb *m, size_t k, char buf[32])
{
    if (m->tokens)
        return m->tok.tok[k];
    snprintf(buf, 32, "%ld", m->labels[k]);
    return buf;
}

long pmk_gnb_label_class(const pmk_gnb *m, long label)
{
    if (!m->tokens)
        return pmk_gnb_find_label(m->labels, m->k, label);
    char buf[24];
    int len = snprintf(buf, sizeof buf, "%ld", label);
    return pmk_tokens_find(&m->tok, buf, (size_t)len);
}

void pmk_gnb_token_classes(const pmk_gnb *m, const char *const *tok, size_t ntok, long *cls)
{
    for (size_t j = 0; tok && j < ntok; j++) {
        size_t len = strlen(tok[j]);
        long v;
        cls[j] = m->tokens ? pmk_tokens_find(&m->tok, tok[j], len)
                 : pmk_token_integer(tok[j], len, &v) ? pmk_gnb_find_label(m->labels, m->k, v)
                                                      : -1;
    }
}
