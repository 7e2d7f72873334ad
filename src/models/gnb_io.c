/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_io.c: the gnb model file on streams (doc/formats.md): written with the
 * record writer in %.17g in the C locale, read back with the record reader,
 * every number's kind and range checked and every refusal naming the line.
 * The model opens no file: pmk_gnb_save / pmk_gnb_load (src/io/modelfile.c)
 * are the path helpers. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/limits.h"
#include "io/record_internal.h"
#include "models/gnb_internal.h"

#define MAGIC "pmk-gnb"

/* ---------------------------------------------------------------- rules
 *
 * Magnitudes: a mean and the scale are at most 1e150, so that a square
 * ((x - mu)^2, x'^2 in the prediction) stays below 1e300; a sum of squared
 * deviations, a variance floor and the smoothing at most 1e300.  Counts are
 * integers up to 2^53 (doubles count exactly that far).  What is derived
 * from them (variances, the prediction coefficients) is checked after
 * pmk_gnb_finish (check_derived). */
static const pmk_rec_rule rule_scale = {"the scale", 0, 1e150, PMK_REC_LO_OPEN};
static const pmk_rec_rule rule_threshold = {"the threshold", 0, 1, 0};
static const pmk_rec_rule rule_smoothing = {"var_smoothing", 0, 1e300, 0};
static const pmk_rec_rule rule_floor = {"var_floor", 0, 1e300, 0};
static const pmk_rec_rule rule_ridge = {"the ridge", 0, 1e300, 0};
static const pmk_rec_rule rule_rows = {"rows", 1, 9007199254740992.0, PMK_REC_INTEGER};
/* version 3 (a weighted fit): rows and counts are sums of weights */
static const pmk_rec_rule rule_wrows = {"rows", 0, 1e300, PMK_REC_LO_OPEN};
static const pmk_rec_rule rule_prior = {"a prior", 0, 1, PMK_REC_LO_OPEN};
static const pmk_rec_rule rule_mean = {"a mean", -1e150, 1e150, 0};
static const pmk_rec_rule rule_m2 = {"a sum of squared deviations", -INFINITY, 1e300, 0};
static const pmk_rec_rule rule_count = {"a class count", -INFINITY, INFINITY, 0};

/* ---------------------------------------------------------------- write */

static const char *variance_name(int v) { return v == PMK_GNB_VAR_CLASS ? "class" : "shared"; }

static const char *priors_name(int p)
{
    return p == PMK_GNB_PRIOR_UNIFORM ? "uniform" : p == PMK_GNB_PRIOR_EXPLICIT ? "explicit"
                                                                              : "empirical";
}

/* A token model's "tokens" line (version 4): its K tokens in byte order,
 * class k's label being k. */
static void write_tokens(const pmk_gnb *m, FILE *f)
{
    if (!m->tokens)
        return;
    fputs("tokens ", f);
    pmk_tokens_write(&m->tok, f);
    fputc('\n', f);
}

static void write_body(const pmk_gnb *m, FILE *f)
{
    const pmk_gnb_options *op = &m->opt;
    const pmk_transform *tf = &op->transform;
    size_t K = m->k, D = m->d;
    /* A plain scale is version 1, which every pmk reads, byte for byte as
     * before the transform had more fields. */
    int plain = tf->threshold == 0 && !tf->check01, whole = 1, full = m->scatter != NULL;
    for (size_t k = 0; k < K; k++)   /* counts that are not integers: weights */
        whole &= m->count[k] == floor(m->count[k]);
    pmk_rec_put_magic(f, MAGIC, full || m->tokens ? 4 : !whole ? 3 : plain ? 1 : 2);
    fprintf(f, "features %zu\n", D);
    fprintf(f, "classes %zu\n", K);
    fprintf(f, "rows %.17g\n", pmk_gnb_ntrain(m));
    fprintf(f, "variance %s\n", variance_name(op->variance));
    fprintf(f, "priors %s\n", priors_name(op->priors));
    if (op->priors == PMK_GNB_PRIOR_EXPLICIT)
        pmk_rec_put_row(f, "prior_list", op->prior, op->n_prior, 1);
    fprintf(f, "scale %.17g\n", tf->scale);
    if (!plain)
        fprintf(f, "threshold %.17g\ncheck01 %d\n", tf->threshold, tf->check01);
    fprintf(f, "var_smoothing %.17g\n", op->var_smoothing);
    fprintf(f, "var_floor %.17g\n", op->var_floor);
    if (full)
        fprintf(f, "covariance full\nridge %.17g\n", op->ridge);
    fputs("labels", f);
    for (size_t k = 0; k < K; k++)
        fprintf(f, " %ld", m->labels[k]);
    fputc('\n', f);
    write_tokens(m, f);
    fputs("data\n", f);
    for (size_t k = 0; k < K; k++) {
        fprintf(f, "class %ld %.17g\n", m->labels[k], m->count[k]);
        pmk_rec_put_row(f, "mean", m->mean + k * D, D, 1);
        pmk_rec_put_row(f, "m2", m->m2 + k * D, D, 1);
    }
    if (full)
        pmk_gnb_full_write(m, f);
    fputs("end\n", f);
}

/* Refuses a model the reader would refuse (a scale or mean beyond the
 * rules above), so that nothing unreadable is written. */
static int write_check(const pmk_gnb *m, pmk_error *err)
{
    const pmk_gnb_options *op = &m->opt;
    int rc;
    if ((rc = pmk_rec_put_check(&rule_scale, "scale", &op->transform.scale, 1, 1, err))
        || (rc = pmk_rec_put_check(&rule_smoothing, "var_smoothing", &op->var_smoothing, 1, 1,
                                   err))
        || (rc = pmk_rec_put_check(&rule_floor, "var_floor", &op->var_floor, 1, 1, err))
        || (rc = pmk_rec_put_check(&rule_mean, "the means", m->mean, m->k * m->d, 1, err))
        || (rc = pmk_rec_put_check(&rule_m2, "the sums of squared deviations", m->m2,
                                   m->k * m->d, 1, err))
        || (m->scatter && (rc = pmk_gnb_full_write_check(m, err))))
        return rc;
    return PMK_OK;
}

int pmk_gnb_write(const pmk_gnb *m, FILE *f, pmk_error *err)
{
    if (!m->finished)
        return pmk_error_set(err, PMK_EINVAL, "cannot save a model that is not fitted");
    int rc = write_check(m, err);
    if (rc)
        return rc;
    pmk_c_locale loc;
    if (pmk_c_locale_enter(&loc))
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    write_body(m, f);
    pmk_c_locale_leave(&loc);
    return pmk_rec_put_done(f, NULL, err);
}

/* ---------------------------------------------------------------- read: header */

/* The header's keys, each required once (prior_list only with explicit priors). */
enum { H_FEATURES, H_CLASSES, H_ROWS, H_VARIANCE, H_PRIORS, H_PRIOR_LIST, H_SCALE,
       H_THRESHOLD, H_CHECK01, H_SMOOTHING, H_FLOOR, H_LABELS, H_COVARIANCE, H_RIDGE, H_TOKENS,
       H_NKEYS };
static const char *const header_keys[H_NKEYS] = {
    "features", "classes", "rows", "variance", "priors", "prior_list",
    "scale", "threshold", "check01", "var_smoothing", "var_floor", "labels",
    "covariance", "ridge",   /* version 4, a full covariance */
    "tokens",                /* version 4, token labels */
};

typedef struct header {
    size_t version;
    long seen[H_NKEYS];     /* the line of each key, 0 when not seen */
    size_t D, K;
    double rows;
    pmk_gnb_options opt;
    double *plist;          /* K explicit priors */
    long *labels;           /* K labels */
    pmk_tokens tok;         /* version 4, optional: K tokens, labels 0..K-1 */
} header;

static int read_magic(pmk_rec_reader *r, size_t *version_out)
{
    int got = pmk_rec_next(r);
    if (got < 0)
        return r->err->code;
    if (got == 0)
        return pmk_error_at(r->err, PMK_EFORMAT, r->path, 1, 0,
                            "empty file, not a pmk gnb model");
    char *w = pmk_rec_word(r);
    if (!w || strcmp(w, MAGIC) != 0) {
        if (w && !strncmp(w, "pmk-", 4) && strlen(w) < 40)
            return pmk_rec_fail(r, PMK_EFORMAT, 0,
                                "a '%s' file, not a gnb model (wrong kind of model)", w);
        return pmk_rec_fail(r, PMK_EFORMAT, 0,
                            "not a pmk gnb model (the first line is not '%s VERSION')", MAGIC);
    }
    size_t version;
    if (!(w = pmk_rec_word(r)) || !pmk_rec_is_count(w, &version) || version < 1
        || !pmk_rec_at_end(r))
        return pmk_rec_fail(r, PMK_EFORMAT, 0, "bad format version line");
    if (version > PMK_GNB_FORMAT_VERSION)
        return pmk_rec_fail(r, PMK_EUNSUP, 0,
                            "model format version %zu is newer than this pmk reads (%d): "
                            "upgrade pmk",
                            version, PMK_GNB_FORMAT_VERSION);
    *version_out = version;
    return PMK_OK;
}

/* features / classes: a count in [1, PMK_GNB_MAX_PARAMS]; once both are
 * known, K x D is capped, a plain file must hold the 2 K D numbers (two
 * bytes each at least), and what the model will take must fit the memory
 * ceiling, all before anything is allocated. */
static int read_dimension(pmk_rec_reader *r, header *hd, int h, const char *v)
{
    size_t x;
    int rc = pmk_rec_count(r, v, header_keys[h], 1, PMK_GNB_MAX_PARAMS, &x);
    if (rc)
        return rc;
    *(h == H_FEATURES ? &hd->D : &hd->K) = x;
    size_t D = hd->D, K = hd->K;
    /* The labels and prior_list lines hold K numbers of at most 24
     * characters each: let them through whatever K is. */
    if (h == H_CLASSES && K * 32 + 256 > r->max)
        pmk_rec_set_max(r, K * 32 + 256);
    if (!D || !K)
        return PMK_OK;
    if (D * K > PMK_GNB_MAX_PARAMS)
        return pmk_rec_fail(r, PMK_ELIMIT, 0,
                            "%zu classes x %zu features is more than pmk accepts (%zu)", K, D,
                            (size_t)PMK_GNB_MAX_PARAMS);
    unsigned long long size;
    if (pmk_rec_file_size(r, &size) && size / 4 < (unsigned long long)K * D)
        return pmk_rec_fail(r, PMK_EFORMAT, 0,
                            "%zu classes x %zu features need at least %llu bytes of text, but "
                            "the file has only %llu (truncated, or an edited header)",
                            K, D, 4ull * K * D, size);
    /* pmk_gnb_alloc and finish: five K x D arrays (mean, m2, var, W, P), five
     * per class, three per feature, all doubles or longs. */
    char what[128];
    snprintf(what, sizeof what, "a model of %zu classes x %zu features", K, D);
    return pmk_mem_check(r->path, r->lineno, 0, 8ull * (5ull * K * D + 5ull * K + 3ull * D),
                         what, r->err);
}

static int read_labels(pmk_rec_reader *r, header *hd)
{
    size_t K = hd->K, n = 0, cap = 0;
    char *t;
    while ((t = pmk_rec_word(r))) {
        if (n == K)
            return pmk_rec_fail(r, PMK_EFORMAT, 0, "more than %zu labels (the 'classes' line)",
                                K);
        if (n == cap) {
            /* grown as labels arrive: a header's K allocates nothing by itself */
            cap = cap ? (2 * cap < K ? 2 * cap : K) : (K < 1024 ? K : 1024);
            long *p = realloc(hd->labels, cap * sizeof *p);
            if (!p)
                return pmk_rec_fail(r, PMK_ENOMEM, 0, "out of memory");
            hd->labels = p;
        }
        int rc = pmk_rec_long(r, t, &hd->labels[n]);
        if (rc)
            return rc;
        if (n > 0 && hd->labels[n] <= hd->labels[n - 1])
            return pmk_rec_fail(r, PMK_EFORMAT, r->col,
                                "labels must increase strictly (%ld after %ld)", hd->labels[n],
                                hd->labels[n - 1]);
        n++;
    }
    if (n != K)
        return pmk_rec_fail(r, PMK_EFORMAT, 0, "%zu labels where 'classes' says %zu", n, K);
    return PMK_OK;
}

static int read_prior_list(pmk_rec_reader *r, header *hd)
{
    size_t K = hd->K, got;
    int rc = pmk_rec_row_alloc(r, &rule_prior, NULL, K, &hd->plist, &got);
    if (rc)
        return rc;
    if (got < K)
        return pmk_rec_fail(r, PMK_EFORMAT, 0,
                            "expected %zu numbers after 'prior_list', found %zu", K, got);
    if (!pmk_rec_at_end(r))
        return pmk_rec_fail(r, PMK_EFORMAT, 0,
                            "expected %zu numbers after 'prior_list', found more", K);
    return PMK_OK;
}

/* The "tokens" line: K tokens, each checked, in strictly increasing byte
 * order (after 'labels', which must then be 0..K-1). */
static int read_tokens(pmk_rec_reader *r, header *hd)
{
    if (hd->version < 4)
        return pmk_rec_fail(r, PMK_EFORMAT, 1, "'tokens' in a format version %zu file (from 4)",
                            hd->version);
    if (!hd->seen[H_LABELS])
        return pmk_rec_fail(r, PMK_EFORMAT, 1, "'tokens' before 'labels'");
    char *t;
    pmk_error e;
    size_t at;
    int added;
    while ((t = pmk_rec_word(r))) {
        size_t n = hd->tok.n, len = strlen(t);
        if (n == hd->K)
            return pmk_rec_fail(r, PMK_EFORMAT, 0, "more than %zu tokens (the 'classes' line)",
                                hd->K);
        if (n && pmk_token_cmp(hd->tok.tok[n - 1], hd->tok.len[n - 1], t, len) >= 0)
            return pmk_rec_fail(r, PMK_EFORMAT, 0, "token %zu: not after the one before (tokens "
                                "are in increasing byte order)", n + 1);
        if (pmk_tokens_add(&hd->tok, t, len, SIZE_MAX, &at, &added, &e))
            return pmk_rec_fail(r, PMK_EFORMAT, 0, "token %zu: %s", n + 1, e.msg);
    }
    if (hd->tok.n != hd->K)
        return pmk_rec_fail(r, PMK_EFORMAT, 0, "%zu tokens where 'classes' says %zu", hd->tok.n,
                            hd->K);
    for (size_t k = 0; k < hd->K; k++)
        if (hd->labels[k] != (long)k)
            return pmk_rec_fail(r, PMK_EFORMAT, 0, "a model of tokens has labels 0 to %zu",
                                hd->K - 1);
    return PMK_OK;
}

/* One "key value" line whose key is @p h (not labels or prior_list). */
static int read_setting(pmk_rec_reader *r, header *hd, int h)
{
    const char *key = header_keys[h];
    char *v = pmk_rec_word(r);
    if (!v || !pmk_rec_at_end(r))
        return pmk_rec_fail(r, PMK_EFORMAT, 0, "'%s' takes exactly one value", key);
    pmk_gnb_options *o = &hd->opt;
    switch (h) {
    case H_FEATURES:
    case H_CLASSES:
        return read_dimension(r, hd, h, v);
    case H_ROWS:
        return pmk_rec_number(r, v, hd->version >= 3 ? &rule_wrows : &rule_rows, NULL, &hd->rows);
    case H_SCALE:
        return pmk_rec_number(r, v, &rule_scale, NULL, &o->transform.scale);
    case H_THRESHOLD:
        return pmk_rec_number(r, v, &rule_threshold, NULL, &o->transform.threshold);
    case H_CHECK01: {
        size_t c = 0;
        int rc = pmk_rec_count(r, v, key, 0, 1, &c);
        o->transform.check01 = (int)c;
        return rc;
    }
    case H_SMOOTHING:
        return pmk_rec_number(r, v, &rule_smoothing, NULL, &o->var_smoothing);
    case H_FLOOR:
        return pmk_rec_number(r, v, &rule_floor, NULL, &o->var_floor);
    case H_RIDGE:
        return pmk_rec_number(r, v, &rule_ridge, NULL, &o->ridge);
    case H_COVARIANCE:
        if (strcmp(v, "diag") && strcmp(v, "full"))
            return pmk_rec_fail(r, PMK_EFORMAT, 2,
                                "covariance must be 'diag' or 'full', not '%.60s'", v);
        o->covariance = v[0] == 'f' ? PMK_GNB_COV_FULL : PMK_GNB_COV_DIAG;
        return PMK_OK;
    case H_VARIANCE:
        if (!strcmp(v, "shared"))
            o->variance = PMK_GNB_VAR_SHARED;
        else if (!strcmp(v, "class"))
            o->variance = PMK_GNB_VAR_CLASS;
        else
            return pmk_rec_fail(r, PMK_EFORMAT, 2,
                                "variance must be 'shared' or 'class', not '%.60s'", v);
        return PMK_OK;
    default: /* H_PRIORS */
        if (!strcmp(v, "empirical"))
            o->priors = PMK_GNB_PRIOR_EMPIRICAL;
        else if (!strcmp(v, "uniform"))
            o->priors = PMK_GNB_PRIOR_UNIFORM;
        else if (!strcmp(v, "explicit"))
            o->priors = PMK_GNB_PRIOR_EXPLICIT;
        else
            return pmk_rec_fail(r, PMK_EFORMAT, 2,
                                "priors must be 'empirical', 'uniform' or 'explicit', not "
                                "'%.60s'", v);
        return PMK_OK;
    }
}

/* "key value..." lines up to "data", then the checks that need all of them. */
static int read_header(pmk_rec_reader *r, header *hd)
{
    int rc;
    long blank = 0;
    for (;;) {
        if ((rc = pmk_rec_need(r, "a header line or 'data'")))
            return rc;
        char *w = pmk_rec_word(r);
        if (!w && ++blank > PMK_REC_MAX_BLANK)
            return pmk_rec_fail(r, PMK_EFORMAT, 0, "more than %d blank lines in the header",
                                PMK_REC_MAX_BLANK);
        if (!w)
            continue;   /* blank lines are allowed in the header */
        if (!strcmp(w, "data"))
            break;
        int h = 0;
        while (h < H_NKEYS && strcmp(w, header_keys[h]))
            h++;
        if (h == H_NKEYS)
            return pmk_rec_fail(r, PMK_EFORMAT, 1, "unknown header key '%.60s'", w);
        if (hd->seen[h])
            return pmk_rec_fail(r, PMK_EFORMAT, 1, "'%s' given twice (first on line %ld)", w,
                                hd->seen[h]);
        hd->seen[h] = r->lineno;
        if ((h == H_LABELS || h == H_PRIOR_LIST) && !hd->K)
            return pmk_rec_fail(r, PMK_EFORMAT, 1, "'%s' before 'classes'", w);
        rc = h == H_LABELS ? read_labels(r, hd) : h == H_TOKENS ? read_tokens(r, hd)
             : h == H_PRIOR_LIST ? read_prior_list(r, hd) : read_setting(r, hd, h);
        if (rc)
            return rc;
    }
    for (int h = 0; h < H_NKEYS; h++) {
        int needed = h != H_PRIOR_LIST || hd->opt.priors == PMK_GNB_PRIOR_EXPLICIT;
        if (h == H_THRESHOLD || h == H_CHECK01 || h == H_COVARIANCE || h == H_RIDGE
            || h == H_TOKENS)
            continue;   /* versions 2 and 4, optional: none, no check, diag, the default, integers */
        if (needed && !hd->seen[h])
            return pmk_rec_fail(r, PMK_EFORMAT, 0, "the header has no '%s' line",
                                header_keys[h]);
        if (!needed && hd->seen[h])
            return pmk_error_at(r->err, PMK_EFORMAT, r->path, hd->seen[h], 0,
                                "'prior_list' given but the priors are not 'explicit'");
    }
    hd->opt.prior = hd->plist;
    hd->opt.n_prior = hd->plist ? hd->K : 0;
    pmk_error e2;
    if (pmk_gnb_options_check(&hd->opt, &e2))
        return pmk_rec_fail(r, PMK_EFORMAT, 0, "bad header: %s", e2.msg);
    return hd->opt.covariance == PMK_GNB_COV_FULL ? pmk_gnb_full_check_header(r, hd->D) : PMK_OK;
}

/* ---------------------------------------------------------------- read: data */

/* Scratch for one class's rows, grown as the numbers arrive. */
typedef struct rows {
    double *mean, *m2;
} rows;

/* "KEY" then D numbers of @p rule into the new or grown *@p dst. */
static int read_stat_row(pmk_rec_reader *r, const char *key, long lab,
                         const pmk_rec_rule *rule, double **dst, size_t D)
{
    char what[96];
    snprintf(what, sizeof what, "'%s' of class %ld", key, lab);
    int rc = pmk_rec_need(r, what);
    if (rc)
        return rc;
    char *w = pmk_rec_word(r);
    if (!w || strcmp(w, key))
        return pmk_rec_fail(r, PMK_EFORMAT, 1, "expected %s", what);
    size_t got;
    if ((rc = pmk_rec_row_alloc(r, rule, NULL, D, dst, &got)))
        return rc;
    if (got < D)
        return pmk_rec_fail(r, PMK_EFORMAT, 0, "expected %zu numbers after '%s', found %zu%s", D,
                            key, got, r->eof && r->pos == r->len ? " (truncated file?)" : "");
    if (!pmk_rec_at_end(r))
        return pmk_rec_fail(r, PMK_EFORMAT, 0, "expected %zu numbers after '%s', found more", D,
                            key);
    return PMK_OK;
}

/* Class k's three lines: "class LABEL COUNT", "mean ...", "m2 ...".  The
 * model, and room in it for the class, are made only once the class's rows
 * have been read, so memory follows what the file really holds, whatever
 * its header claims. */
static int read_class(pmk_rec_reader *r, const header *hd, rows *sc, pmk_gnb **mp, size_t k)
{
    size_t D = hd->D;
    long want = hd->labels[k];
    char what[96];
    snprintf(what, sizeof what, "'class %ld COUNT'", want);
    int rc = pmk_rec_need(r, what);
    if (rc)
        return rc;
    char *w = pmk_rec_word(r), *lw = pmk_rec_word(r), *cw = pmk_rec_word(r);
    if (!w || strcmp(w, "class") || !lw || !cw || !pmk_rec_at_end(r))
        return pmk_rec_fail(r, PMK_EFORMAT, 0, "expected %s", what);
    long lab;
    double cnt;
    r->col = 2;
    if ((rc = pmk_rec_long(r, lw, &lab)))
        return rc;
    r->col = 3;
    if ((rc = pmk_rec_number(r, cw, &rule_count, NULL, &cnt)))
        return rc;
    if (lab != want)
        return pmk_rec_fail(r, PMK_EFORMAT, 2, "class %ld where the labels line has %ld", lab,
                            want);
    int weighted = hd->version >= 3;   /* a count is a sum of weights */
    if (weighted && !(cnt > 0 && cnt <= 1e300))
        return pmk_rec_fail(r, PMK_EFORMAT, 3,
                            "the count of class %ld must be in (0, 1e+300], not %s", lab, cw);
    if (!weighted && (!(cnt >= 1) || cnt != floor(cnt) || cnt > 9007199254740992.0))
        return pmk_rec_fail(r, PMK_EFORMAT, 3,
                            "the count of class %ld must be a positive integer, not %s", lab, cw);
    if ((rc = read_stat_row(r, "mean", lab, &rule_mean, &sc->mean, D))
        || (rc = read_stat_row(r, "m2", lab, &rule_m2, &sc->m2, D)))
        return rc;
    for (size_t j = 0; j < D; j++) {
        if (!(sc->m2[j] >= 0))
            return pmk_rec_fail(r, PMK_EFORMAT, (long)j + 2,
                                "a sum of squared deviations cannot be negative (%g)", sc->m2[j]);
        if (!weighted && cnt == 1 && sc->m2[j] != 0)
            return pmk_rec_fail(r, PMK_EFORMAT, (long)j + 2,
                                "class %ld has one row, so its m2 must be 0", lab);
    }
    pmk_error e2;
    if (!*mp && !(*mp = pmk_gnb_alloc(D, &hd->opt, &e2)))
        return pmk_rec_fail(r, e2.code, 0, "%s", e2.msg);
    pmk_gnb *m = *mp;
    if (pmk_gnb_reserve(m, k + 1, &e2))
        return pmk_rec_fail(r, e2.code, 0, "%s", e2.msg);
    m->labels[k] = lab;
    m->count[k] = cnt;
    memcpy(m->mean + k * D, sc->mean, D * sizeof *sc->mean);
    memcpy(m->m2 + k * D, sc->m2, D * sizeof *sc->m2);
    m->k = k + 1;
    return PMK_OK;
}

/* What prediction uses must be finite: the variances (> 0), the priors and
 * the coefficients W, P, c.  Means near 1e150 over variances near 1e-300
 * pass every field rule yet overflow here; say so at the class's line. */
static int overflow_at(pmk_rec_reader *r, const pmk_gnb *m, long first_line, size_t k)
{
    return pmk_error_at(r->err, PMK_EFORMAT, r->path, first_line + 3 * (long)k, 0,
                        "class %ld: its means and variances overflow the prediction "
                        "coefficients (an edited model?)", m->labels[k]);
}

static int check_derived(pmk_rec_reader *r, const pmk_gnb *m, long first_line)
{
    size_t K = m->k, D = m->d;
    for (size_t k = 0; k < K; k++) {
        int ok = isfinite(m->c[k]) && isfinite(m->alpha[k]);
        for (size_t j = 0; ok && j < D; j++)
            ok = isfinite(m->W[k * D + j]) && isfinite(m->P[k * D + j])
                 && m->var[k * D + j] > 0;
        if (!ok)
            return overflow_at(r, m, first_line, k);
    }
    return PMK_OK;
}

static int read_body(pmk_rec_reader *r, header *hd, pmk_gnb **out)
{
    int rc;
    if ((rc = read_magic(r, &hd->version)) || (rc = read_header(r, hd)))
        return rc;
    pmk_gnb *m = NULL;
    rows sc = {NULL, NULL};
    /* Data lines longer than D numbers of 32 characters cannot be ours. */
    pmk_rec_set_max(r, hd->D * 32 + 256);
    /* the data section has no blank lines: class k is on line first + 3k */
    long first = r->lineno + 1;
    for (size_t k = 0; k < hd->K; k++)
        if ((rc = read_class(r, hd, &sc, &m, k)))
            goto fail;
    if (hd->tok.n) {   /* a token model: the classes are the tokens */
        m->tok = hd->tok;
        m->tokens = 1;
        pmk_tokens_init(&hd->tok);
    }
    if ((m->scatter && (rc = pmk_gnb_full_read(r, m))) || (rc = pmk_rec_need(r, "'end'")))
        goto fail;
    char *w = pmk_rec_word(r);
    if (!w || strcmp(w, "end") || !pmk_rec_at_end(r)) {
        rc = pmk_rec_fail(r, PMK_EFORMAT, 0, "expected 'end' after the last class");
        goto fail;
    }
    if ((rc = pmk_rec_expect_eof(r, 0)))
        goto fail;
    if (pmk_gnb_ntrain(m) != hd->rows) {
        rc = pmk_error_at(r->err, PMK_EFORMAT, r->path, hd->seen[H_ROWS], 0,
                          "rows %.17g does not match the class counts, which sum to %.17g",
                          hd->rows, pmk_gnb_ntrain(m));
        goto fail;
    }
    if (pmk_gnb_finish(m, r->err)) {
        if (r->err->code == PMK_EDATA && r->err->line > 0) {
            /* A class whose coefficients overflow: name its line, as check_derived does. */
            rc = overflow_at(r, m, first, (size_t)(r->err->line - 1));
            goto fail;
        }
        pmk_error_prefix(r->err, r->path);
        rc = r->err->code ? r->err->code : PMK_EDATA;
        goto fail;
    }
    if ((rc = check_derived(r, m, first)))
        goto fail;
    free(sc.mean);
    free(sc.m2);
    *out = m;
    return PMK_OK;
fail:
    free(sc.mean);
    free(sc.m2);
    pmk_gnb_free(m);
    return rc ? rc : PMK_EFORMAT;
}

int pmk_gnb_read(pmk_instream *in, pmk_gnb **out, pmk_error *err)
{
    *out = NULL;
    pmk_rec_reader r;
    int rc = pmk_rec_open(&r, in, (size_t)1 << 20, "truncated model file", 1, err);
    if (rc) {
        pmk_rec_close(&r);
        return rc;
    }
    header hd;
    memset(&hd, 0, sizeof hd);
    pmk_gnb_options_init_default(&hd.opt);
    hd.opt.max_classes = SIZE_MAX;
    rc = read_body(&r, &hd, out);
    free(hd.plist);
    free(hd.labels);
    pmk_tokens_clear(&hd.tok);
    pmk_rec_close(&r);
    return rc;
}
