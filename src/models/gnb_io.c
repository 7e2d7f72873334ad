/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_io.c: the gnb model file: a line-oriented text format (doc/formats.md),
 * numbers in %.17g in the C locale, whatever the caller's locale. */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pmk/limits.h"
#include "pmk/stream.h"
#include "models/gnb_internal.h"

#define MAGIC "pmk-gnb"

/* ---------------------------------------------------------------- C locale
 *
 * printf/strtod follow LC_NUMERIC; a program that set, say, de_DE would write
 * "0,5".  uselocale() switches this thread only (POSIX.1-2008), so the library
 * stays thread-safe and leaves the caller's locale as it was. */

typedef struct {
    locale_t c, old;
} c_locale;

static int c_locale_enter(c_locale *l)
{
    l->c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (l->c == (locale_t)0)
        return PMK_ENOMEM;
    l->old = uselocale(l->c);
    return PMK_OK;
}

static void c_locale_leave(c_locale *l)
{
    uselocale(l->old);
    freelocale(l->c);
}

/* ---------------------------------------------------------------- save */

static const char *variance_name(int v) { return v == PMK_GNB_VAR_CLASS ? "class" : "shared"; }

static const char *priors_name(int p)
{
    return p == PMK_GNB_PRIOR_UNIFORM ? "uniform" : p == PMK_GNB_PRIOR_EXPLICIT ? "explicit"
                                                                              : "empirical";
}

static void put_row(FILE *f, const char *key, const double *v, size_t n)
{
    fputs(key, f);
    for (size_t j = 0; j < n; j++)
        fprintf(f, " %.17g", v[j]);
    fputc('\n', f);
}

int pmk_gnb_save(const pmk_gnb *m, const char *path, pmk_error *err)
{
    if (!m->finished)
        return pmk_error_at(err, PMK_EINVAL, path, 0, 0, "cannot save a model that is not fitted");
    pmk_outfile o;
    int rc = pmk_outfile_open(&o, path, err);
    if (rc)
        return rc;
    c_locale loc;
    if (c_locale_enter(&loc)) {
        pmk_outfile_abort(&o);
        return pmk_error_at(err, PMK_ENOMEM, path, 0, 0, "out of memory");
    }
    FILE *f = o.fp;
    const pmk_gnb_options *op = &m->opt;
    size_t K = m->k, D = m->d;
    fprintf(f, "%s %d\n", MAGIC, PMK_GNB_FORMAT_VERSION);
    fprintf(f, "features %zu\n", D);
    fprintf(f, "classes %zu\n", K);
    fprintf(f, "rows %.17g\n", pmk_gnb_ntrain(m));
    fprintf(f, "variance %s\n", variance_name(op->variance));
    fprintf(f, "priors %s\n", priors_name(op->priors));
    if (op->priors == PMK_GNB_PRIOR_EXPLICIT)
        put_row(f, "prior_list", op->prior, op->n_prior);
    fprintf(f, "scale %.17g\n", op->scale);
    fprintf(f, "var_smoothing %.17g\n", op->var_smoothing);
    fprintf(f, "var_floor %.17g\n", op->var_floor);
    fputs("labels", f);
    for (size_t k = 0; k < K; k++)
        fprintf(f, " %ld", m->labels[k]);
    fputs("\ndata\n", f);
    for (size_t k = 0; k < K; k++) {
        fprintf(f, "class %ld %.17g\n", m->labels[k], m->count[k]);
        put_row(f, "mean", m->mean + k * D, D);
        put_row(f, "m2", m->m2 + k * D, D);
    }
    fputs("end\n", f);
    c_locale_leave(&loc);
    return pmk_outfile_commit(&o, err);
}

/* ---------------------------------------------------------------- load */

typedef struct {
    pmk_instream *in;
    const char *path;
    char buf[1 << 16];
    size_t pos, len;
    int eof;
    char *line;           /* current line, NUL-terminated, without '\n' */
    size_t cap;
    size_t max_line;
    long lineno;
} reader;

/* Reads the next line.  1: a line; 0: end of file; <0: error (in err). */
static int next_line(reader *r, pmk_error *err)
{
    size_t n = 0;
    for (;;) {
        if (r->pos == r->len) {
            if (r->eof)
                break;
            long got = pmk_instream_read(r->in, r->buf, sizeof r->buf, err);
            if (got < 0)
                return -1;
            if (got == 0) {
                r->eof = 1;
                break;
            }
            r->pos = 0;
            r->len = (size_t)got;
        }
        char *nl = memchr(r->buf + r->pos, '\n', r->len - r->pos);
        size_t take = nl ? (size_t)(nl - (r->buf + r->pos)) : r->len - r->pos;
        if (n + take + 1 > r->max_line) {
            pmk_error_at(err, PMK_ELIMIT, r->path, r->lineno + 1, 0,
                         "line longer than %zu bytes", r->max_line);
            return -1;
        }
        if (n + take + 1 > r->cap) {
            size_t cap = r->cap ? r->cap : 256;
            while (cap < n + take + 1)
                cap *= 2;
            char *p = realloc(r->line, cap);
            if (!p) {
                pmk_error_at(err, PMK_ENOMEM, r->path, r->lineno + 1, 0, "out of memory");
                return -1;
            }
            r->line = p;
            r->cap = cap;
        }
        memcpy(r->line + n, r->buf + r->pos, take);
        n += take;
        r->pos += take;
        if (nl) {
            r->pos++;
            r->line[n] = '\0';
            r->lineno++;
            return 1;
        }
    }
    if (n == 0)
        return 0;
    /* A last line without '\n': the file was cut short. */
    r->line[n] = '\0';
    r->lineno++;
    pmk_error_at(err, PMK_EFORMAT, r->path, r->lineno, 0,
                 "truncated model file: the last line has no end");
    return -1;
}

/* Requires another line; at end of file reports truncation, saying what was
 * expected. */
static int need_line(reader *r, const char *expected, pmk_error *err)
{
    int got = next_line(r, err);
    if (got < 0)
        return -1;
    if (got == 0) {
        pmk_error_at(err, PMK_EFORMAT, r->path, r->lineno + 1, 0,
                     "truncated model file: expected %s", expected);
        return -1;
    }
    return 0;
}

/* Splits off the first space-separated word of *s (NUL-terminates it). */
static char *word(char **s)
{
    char *p = *s;
    while (*p == ' ' || *p == '\t' || *p == '\r')
        p++;
    if (!*p) {
        *s = p;
        return NULL;
    }
    char *w = p;
    while (*p && *p != ' ' && *p != '\t' && *p != '\r')
        p++;
    if (*p)
        *p++ = '\0';
    *s = p;
    return w;
}

static int parse_double(reader *r, const char *w, long col, double *out, pmk_error *err)
{
    char *end;
    errno = 0;
    double v = strtod(w, &end);
    /* ERANGE with a finite result is underflow to a subnormal: %.17g writes those. */
    if (end == w || *end || !isfinite(v))
        return pmk_error_at(err, PMK_EFORMAT, r->path, r->lineno, col, "'%s' is not a finite number",
                            w);
    *out = v;
    return PMK_OK;
}

static int parse_long(reader *r, const char *w, long col, long *out, pmk_error *err)
{
    char *end;
    errno = 0;
    long v = strtol(w, &end, 10);
    if (end == w || *end || errno == ERANGE)
        return pmk_error_at(err, PMK_EFORMAT, r->path, r->lineno, col, "'%s' is not an integer",
                            w);
    *out = v;
    return PMK_OK;
}

static int parse_size(reader *r, const char *w, size_t *out, pmk_error *err)
{
    char *end;
    errno = 0;
    unsigned long long v = w[0] == '-' ? 0 : strtoull(w, &end, 10);
    if (w[0] == '-' || end == w || *end || errno == ERANGE || v > SIZE_MAX || v == 0)
        return pmk_error_at(err, PMK_EFORMAT, r->path, r->lineno, 2,
                            "'%s' is not a positive integer", w);
    *out = (size_t)v;
    return PMK_OK;
}

/* Parses exactly @p n numbers after the key word into @p v. */
static int parse_row(reader *r, char *rest, const char *key, double *v, size_t n,
                     pmk_error *err)
{
    size_t got = 0;
    char *w;
    while ((w = word(&rest))) {
        if (got == n)
            return pmk_error_at(err, PMK_EFORMAT, r->path, r->lineno, 0,
                                "expected %zu numbers after '%s', found more", n, key);
        if (parse_double(r, w, (long)got + 2, &v[got], err))
            return PMK_EFORMAT;
        got++;
    }
    if (got != n)
        return pmk_error_at(err, PMK_EFORMAT, r->path, r->lineno, 0,
                            "expected %zu numbers after '%s', found %zu%s", n, key, got,
                            r->eof && r->pos == r->len ? " (truncated file?)" : "");
    return PMK_OK;
}

/* The header's keys, each required once (prior_list only with explicit priors). */
enum { H_FEATURES, H_CLASSES, H_ROWS, H_VARIANCE, H_PRIORS, H_PRIOR_LIST, H_SCALE,
       H_SMOOTHING, H_FLOOR, H_LABELS, H_NKEYS };
static const char *const header_keys[H_NKEYS] = {
    "features", "classes", "rows", "variance", "priors", "prior_list",
    "scale", "var_smoothing", "var_floor", "labels",
};

static int load_body(reader *r, pmk_gnb **out, pmk_error *err)
{
    const char *P = r->path;
    int got = next_line(r, err);
    if (got < 0)
        return PMK_EFORMAT;
    if (got == 0)
        return pmk_error_at(err, PMK_EFORMAT, P, 1, 0, "empty file, not a pmk gnb model");
    char *rest = r->line, *w = word(&rest);
    if (!w || strcmp(w, MAGIC) != 0) {
        if (w && !strncmp(w, "pmk-", 4) && strlen(w) < 40)
            return pmk_error_at(err, PMK_EFORMAT, P, 1, 0,
                                "a '%s' file, not a gnb model (wrong kind of model)", w);
        return pmk_error_at(err, PMK_EFORMAT, P, 1, 0,
                            "not a pmk gnb model (the first line is not '%s VERSION')", MAGIC);
    }
    long version;
    if (!(w = word(&rest)) || parse_long(r, w, 2, &version, err) || version < 1 || word(&rest))
        return pmk_error_at(err, PMK_EFORMAT, P, 1, 0, "bad format version line");
    if (version > PMK_GNB_FORMAT_VERSION)
        return pmk_error_at(err, PMK_EUNSUP, P, 1, 0,
                            "model format version %ld is newer than this pmk reads (%d): "
                            "upgrade pmk",
                            version, PMK_GNB_FORMAT_VERSION);

    /* Header: "key value..." lines up to "data". */
    long seen[H_NKEYS] = {0};
    size_t D = 0, K = 0;
    double rows = 0;
    pmk_gnb_options opt;
    pmk_gnb_options_init_default(&opt);
    opt.max_classes = SIZE_MAX;
    double *plist = NULL;
    long *labels = NULL;
    pmk_gnb *m = NULL;
    int rc = PMK_EFORMAT;
    for (;;) {
        if (need_line(r, "a header line or 'data'", err))
            goto out;
        rest = r->line;
        w = word(&rest);
        if (!w)
            continue;   /* blank lines are allowed in the header */
        if (!strcmp(w, "data"))
            break;
        int h = 0;
        while (h < H_NKEYS && strcmp(w, header_keys[h]))
            h++;
        if (h == H_NKEYS) {
            pmk_error_at(err, PMK_EFORMAT, P, r->lineno, 1, "unknown header key '%.60s'", w);
            goto out;
        }
        if (seen[h]) {
            pmk_error_at(err, PMK_EFORMAT, P, r->lineno, 1,
                         "'%s' given twice (first on line %ld)", w, seen[h]);
            goto out;
        }
        seen[h] = r->lineno;
        if (h == H_LABELS || h == H_PRIOR_LIST) {
            if (!K) {
                pmk_error_at(err, PMK_EFORMAT, P, r->lineno, 1, "'%s' before 'classes'", w);
                goto out;
            }
            if (h == H_PRIOR_LIST) {
                if (!(plist = malloc(K * sizeof *plist))) {
                    rc = pmk_error_at(err, PMK_ENOMEM, P, r->lineno, 0, "out of memory");
                    goto out;
                }
                if (parse_row(r, rest, w, plist, K, err))
                    goto out;
                continue;
            }
            if (!(labels = malloc(K * sizeof *labels))) {
                rc = pmk_error_at(err, PMK_ENOMEM, P, r->lineno, 0, "out of memory");
                goto out;
            }
            size_t n = 0;
            char *t;
            while ((t = word(&rest))) {
                if (n == K) {
                    pmk_error_at(err, PMK_EFORMAT, P, r->lineno, 0,
                                 "more than %zu labels (the 'classes' line)", K);
                    goto out;
                }
                if (parse_long(r, t, (long)n + 2, &labels[n], err))
                    goto out;
                if (n > 0 && labels[n] <= labels[n - 1]) {
                    pmk_error_at(err, PMK_EFORMAT, P, r->lineno, (long)n + 2,
                                 "labels must increase strictly (%ld after %ld)", labels[n],
                                 labels[n - 1]);
                    goto out;
                }
                n++;
            }
            if (n != K) {
                pmk_error_at(err, PMK_EFORMAT, P, r->lineno, 0,
                             "%zu labels where 'classes' says %zu", n, K);
                goto out;
            }
            continue;
        }
        char *v = word(&rest);
        if (!v || word(&rest)) {
            pmk_error_at(err, PMK_EFORMAT, P, r->lineno, 0, "'%s' takes exactly one value", w);
            goto out;
        }
        switch (h) {
        case H_FEATURES:
        case H_CLASSES: {
            size_t x = 0;
            if (parse_size(r, v, &x, err))
                goto out;
            if (x > PMK_GNB_MAX_PARAMS) {
                rc = pmk_error_at(err, PMK_ELIMIT, P, r->lineno, 2, "%s %zu is more than pmk accepts (%zu)", w, x,
                                  (size_t)PMK_GNB_MAX_PARAMS);
                goto out;
            }
            *(h == H_FEATURES ? &D : &K) = x;
            /* The labels and prior_list lines hold K numbers of at most 24
             * characters each: let them through whatever K is. */
            if (h == H_CLASSES && K * 32 + 256 > r->max_line)
                r->max_line = K * 32 + 256;
            if (D && K && D * K > PMK_GNB_MAX_PARAMS) {
                rc = pmk_error_at(err, PMK_ELIMIT, P, r->lineno, 0,
                                  "%zu classes x %zu features is more than pmk accepts (%zu)", K,
                                  D, (size_t)PMK_GNB_MAX_PARAMS);
                goto out;
            }
            struct stat st;
            if (D && K && !pmk_instream_is_gzip(r->in) && stat(P, &st) == 0
                && S_ISREG(st.st_mode) && (unsigned long long)st.st_size / 4 < (unsigned long long)K * D) {
                /* the mean and m2 lines hold 2 K D numbers of at least two bytes */
                rc = pmk_error_at(err, PMK_EFORMAT, P, r->lineno, 0,
                                  "%zu classes x %zu features need at least %llu bytes of "
                                  "text, but the file has only %lld (truncated, or an edited "
                                  "header)", K, D, 4ull * K * D, (long long)st.st_size);
                goto out;
            }
            if (D && K) {
                /* What pmk_gnb_alloc and the data lines will take, before any
                 * of it is allocated: five K x D arrays (mean, m2, var, W, P),
                 * five per class, three per feature, all doubles or longs. */
                char what[128];
                snprintf(what, sizeof what, "a model of %zu classes x %zu features", K, D);
                if (pmk_mem_check(P, r->lineno, 0, 8ull * (5ull * K * D + 5ull * K + 3ull * D),
                                  what, err)) {
                    rc = PMK_ELIMIT;
                    goto out;
                }
            }
            break;
        }
        case H_ROWS:
            if (parse_double(r, v, 2, &rows, err))
                goto out;
            break;
        case H_VARIANCE:
            if (!strcmp(v, "shared"))
                opt.variance = PMK_GNB_VAR_SHARED;
            else if (!strcmp(v, "class"))
                opt.variance = PMK_GNB_VAR_CLASS;
            else {
                pmk_error_at(err, PMK_EFORMAT, P, r->lineno, 2,
                             "variance must be 'shared' or 'class', not '%.60s'", v);
                goto out;
            }
            break;
        case H_PRIORS:
            if (!strcmp(v, "empirical"))
                opt.priors = PMK_GNB_PRIOR_EMPIRICAL;
            else if (!strcmp(v, "uniform"))
                opt.priors = PMK_GNB_PRIOR_UNIFORM;
            else if (!strcmp(v, "explicit"))
                opt.priors = PMK_GNB_PRIOR_EXPLICIT;
            else {
                pmk_error_at(err, PMK_EFORMAT, P, r->lineno, 2,
                             "priors must be 'empirical', 'uniform' or 'explicit', not '%.60s'",
                             v);
                goto out;
            }
            break;
        case H_SCALE:
            if (parse_double(r, v, 2, &opt.scale, err))
                goto out;
            break;
        case H_SMOOTHING:
            if (parse_double(r, v, 2, &opt.var_smoothing, err))
                goto out;
            break;
        case H_FLOOR:
            if (parse_double(r, v, 2, &opt.var_floor, err))
                goto out;
            break;
        }
    }
    for (int h = 0; h < H_NKEYS; h++) {
        int needed = h != H_PRIOR_LIST || opt.priors == PMK_GNB_PRIOR_EXPLICIT;
        if (needed && !seen[h]) {
            pmk_error_at(err, PMK_EFORMAT, P, r->lineno, 0, "the header has no '%s' line",
                         header_keys[h]);
            goto out;
        }
        if (!needed && seen[h]) {
            pmk_error_at(err, PMK_EFORMAT, P, seen[h], 0,
                         "'prior_list' given but the priors are not 'explicit'");
            goto out;
        }
    }
    opt.prior = plist;
    opt.n_prior = plist ? K : 0;
    pmk_error e2;
    if (pmk_gnb_options_check(&opt, &e2)) {
        pmk_error_at(err, PMK_EFORMAT, P, r->lineno, 0, "bad header: %s", e2.msg);
        goto out;
    }
    m = pmk_gnb_alloc(D, &opt, err);
    if (!m || pmk_gnb_reserve(m, K)) {
        rc = pmk_error_at(err, PMK_ENOMEM, P, r->lineno, 0, "out of memory");
        pmk_gnb_free(m);
        goto out;
    }
    /* Data lines longer than D numbers of 32 characters cannot be ours. */
    r->max_line = D * 32 + 256;
    for (size_t k = 0; k < K; k++) {
        char what[96];
        snprintf(what, sizeof what, "'class %ld COUNT'", labels[k]);
        if (need_line(r, what, err))
            goto fail;
        rest = r->line;
        w = word(&rest);
        long lab;
        double cnt;
        char *lw = word(&rest), *cw = word(&rest);
        if (!w || strcmp(w, "class") || !lw || !cw || word(&rest)) {
            pmk_error_at(err, PMK_EFORMAT, P, r->lineno, 0, "expected %s", what);
            goto fail;
        }
        if (parse_long(r, lw, 2, &lab, err) || parse_double(r, cw, 3, &cnt, err))
            goto fail;
        if (lab != labels[k]) {
            pmk_error_at(err, PMK_EFORMAT, P, r->lineno, 2,
                         "class %ld where the labels line has %ld", lab, labels[k]);
            goto fail;
        }
        if (!(cnt >= 1) || cnt != floor(cnt) || cnt > 9007199254740992.0) {
            pmk_error_at(err, PMK_EFORMAT, P, r->lineno, 3,
                         "the count of class %ld must be a positive integer, not %s", lab, cw);
            goto fail;
        }
        m->labels[k] = lab;
        m->count[k] = cnt;
        m->k = k + 1;
        static const char *const keys[2] = {"mean", "m2"};
        double *dst[2] = {m->mean + k * D, m->m2 + k * D};
        for (int q = 0; q < 2; q++) {
            snprintf(what, sizeof what, "'%s' of class %ld", keys[q], lab);
            if (need_line(r, what, err))
                goto fail;
            rest = r->line;
            w = word(&rest);
            if (!w || strcmp(w, keys[q])) {
                pmk_error_at(err, PMK_EFORMAT, P, r->lineno, 1, "expected %s", what);
                goto fail;
            }
            if (parse_row(r, rest, keys[q], dst[q], D, err))
                goto fail;
        }
        for (size_t j = 0; j < D; j++) {
            if (!(dst[1][j] >= 0)) {
                pmk_error_at(err, PMK_EFORMAT, P, r->lineno, (long)j + 2,
                             "a sum of squared deviations cannot be negative (%g)", dst[1][j]);
                goto fail;
            }
            if (cnt == 1 && dst[1][j] != 0) {
                pmk_error_at(err, PMK_EFORMAT, P, r->lineno, (long)j + 2,
                             "class %ld has one row, so its m2 must be 0", lab);
                goto fail;
            }
        }
    }
    if (need_line(r, "'end'", err))
        goto fail;
    rest = r->line;
    w = word(&rest);
    if (!w || strcmp(w, "end") || word(&rest)) {
        pmk_error_at(err, PMK_EFORMAT, P, r->lineno, 0, "expected 'end' after the last class");
        goto fail;
    }
    for (;;) {
        got = next_line(r, err);
        if (got < 0)
            goto fail;
        if (got == 0)
            break;
        rest = r->line;
        if (word(&rest)) {
            pmk_error_at(err, PMK_EFORMAT, P, r->lineno, 0, "unexpected text after 'end'");
            goto fail;
        }
    }
    if (pmk_gnb_ntrain(m) != rows) {
        pmk_error_at(err, PMK_EFORMAT, P, seen[H_ROWS], 0,
                     "rows %.17g does not match the class counts, which sum to %.17g", rows,
                     pmk_gnb_ntrain(m));
        goto fail;
    }
    if (pmk_gnb_finish(m, err)) {
        pmk_error_prefix(err, P);
        rc = err ? err->code : PMK_EDATA;
        goto fail;
    }
    *out = m;
    rc = PMK_OK;
    goto out;
fail:
    pmk_gnb_free(m);
    if (err && err->code)
        rc = err->code;
out:
    free(plist);
    free(labels);
    return rc;
}

int pmk_gnb_load(const char *path, pmk_gnb **out, pmk_error *err)
{
    *out = NULL;
    reader *r = calloc(1, sizeof *r);
    if (!r)
        return pmk_error_at(err, PMK_ENOMEM, path, 0, 0, "out of memory");
    r->in = pmk_instream_open(path, err);
    if (!r->in) {
        free(r);
        return err ? err->code : PMK_EIO;
    }
    r->path = pmk_instream_path(r->in);
    r->max_line = (size_t)1 << 20;
    c_locale loc;
    int rc;
    if (c_locale_enter(&loc)) {
        rc = pmk_error_at(err, PMK_ENOMEM, r->path, 0, 0, "out of memory");
    } else {
        pmk_error local;
        pmk_error_clear(&local);
        rc = load_body(r, out, err ? err : &local);
        c_locale_leave(&loc);
    }
    pmk_instream_close(r->in);
    free(r->line);
    free(r);
    return rc;
}
