/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_io.c: the RBM's text model file (doc/formats.md): written with %.17g
 * in the C locale whatever the process locale, read back bit for bit, every
 * malformed input refused with the file and line.
 *
 *   pmk-rbm 1              magic and format version
 *   visible D
 *   hidden H
 *   epochs E               epochs trained (momentum switch on --resume)
 *   b                      then 1 line of D numbers
 *   a                      then 1 line of H numbers
 *   W                      then D lines of H numbers
 *   momentum 0|1           1: then "db" + 1 line, "da" + 1 line, "dW" + D lines
 *   chains P               then P lines of H numbers (PCD hidden states)
 *   end */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pmk/limits.h"
#include "pmk/rbm.h"
#include "pmk/stream.h"

/* ---------------------------------------------------------------- C locale */

/* Switches this thread to the C locale for numbers (uselocale is per thread,
 * so nothing global changes); returns the previous locale for restore. */
static locale_t c_locale_enter(locale_t *cl)
{
    *cl = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (*cl == (locale_t)0)
        return (locale_t)0;
    return uselocale(*cl);
}

static void c_locale_leave(locale_t old, locale_t cl)
{
    if (cl != (locale_t)0) {
        uselocale(old);
        freelocale(cl);
    }
}

/* ---------------------------------------------------------------- save */

static void put_row(FILE *f, const double *x, size_t n, size_t stride)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, i ? " %.17g" : "%.17g", x[i * stride]);
    fputc('\n', f);
}

static void put_matrix(FILE *f, const gsl_matrix *A)
{
    for (size_t i = 0; i < A->size1; i++)
        put_row(f, gsl_matrix_const_ptr(A, i, 0), A->size2, 1);
}

int pmk_rbm_save(const pmk_rbm *m, const char *path, pmk_error *err)
{
    pmk_outfile o;
    int rc = pmk_outfile_open(&o, path, err);
    if (rc)
        return rc;
    locale_t cl, old = c_locale_enter(&cl);
    FILE *f = o.fp;
    fprintf(f, "pmk-rbm %d\nvisible %zu\nhidden %zu\nepochs %zu\n", PMK_RBM_FORMAT_VERSION,
            m->d, m->h, m->epochs);
    fputs("b\n", f);
    put_row(f, m->b->data, m->d, m->b->stride);
    fputs("a\n", f);
    put_row(f, m->a->data, m->h, m->a->stride);
    fputs("W\n", f);
    put_matrix(f, m->W);
    int mom = m->dW && m->db && m->da;
    fprintf(f, "momentum %d\n", mom);
    if (mom) {
        fputs("db\n", f);
        put_row(f, m->db->data, m->d, m->db->stride);
        fputs("da\n", f);
        put_row(f, m->da->data, m->h, m->da->stride);
        fputs("dW\n", f);
        put_matrix(f, m->dW);
    }
    fprintf(f, "chains %zu\n", m->chains ? m->chains->size1 : (size_t)0);
    if (m->chains)
        put_matrix(f, m->chains);
    fputs("end\n", f);
    c_locale_leave(old, cl);
    return pmk_outfile_commit(&o, err);
}

/* ---------------------------------------------------------------- load */

typedef struct reader {
    pmk_instream *in;
    const char *path;
    char buf[65536];
    size_t pos, len;
    int eof;
    char *line;         /* the current line, NUL-terminated */
    size_t cap, max;    /* line buffer capacity; longest line accepted */
    long lineno;
    pmk_error *err;
} reader;

/* Reads the next line into r->line (without '\n').  Returns 1 with a line,
 * 0 at end of file, -1 on error (set). */
static int next_line(reader *r)
{
    size_t n = 0;
    int got = 0;
    for (;;) {
        if (r->pos == r->len) {
            if (r->eof)
                break;
            long k = pmk_instream_read(r->in, r->buf, sizeof r->buf, r->err);
            if (k < 0)
                return -1;
            if (k == 0) {
                r->eof = 1;
                break;
            }
            r->pos = 0;
            r->len = (size_t)k;
        }
        got = 1;
        char *nl = memchr(r->buf + r->pos, '\n', r->len - r->pos);
        size_t take = (nl ? (size_t)(nl - (r->buf + r->pos)) : r->len - r->pos);
        if (n + take + 1 > r->max) {
            pmk_error_at(r->err, PMK_ELIMIT, r->path, r->lineno + 1, 0,
                         "line longer than %zu bytes", r->max);
            return -1;
        }
        if (n + take + 1 > r->cap) {
            size_t cap = r->cap ? r->cap : 256;
            while (cap < n + take + 1)
                cap *= 2;
            char *p = realloc(r->line, cap);
            if (!p) {
                pmk_error_set(r->err, PMK_ENOMEM, "%s: out of memory", r->path);
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
            break;
        }
    }
    if (!got)
        return 0;
    r->line[n] = '\0';
    if (n && r->line[n - 1] == '\r')
        r->line[n - 1] = '\0';
    r->lineno++;
    return 1;
}

/* Shows at most 40 bytes of a line in a message, those outside printable
 * ASCII as \xNN (a binary file must not put raw bytes on a terminal). */
static const char *excerpt(const char *s, char *buf, size_t len)
{
    size_t k = 0, i = 0;
    for (; s[i] && i < 40 && k + 8 < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f)
            buf[k++] = (char)c;
        else
            k += (size_t)snprintf(buf + k, len - k, "\\x%02x", c);
    }
    snprintf(buf + k, len - k, "%s", s[i] ? "..." : "");
    return buf;
}

static int need_line(reader *r, const char *what)
{
    int k = next_line(r);
    if (k < 0)
        return r->err ? r->err->code : PMK_EFORMAT;
    if (k == 0)
        return pmk_error_at(r->err, PMK_EFORMAT, r->path, r->lineno + 1, 0,
                            "unexpected end of file: expected %s", what);
    return PMK_OK;
}

/* Expects a line "KEY" exactly. */
static int expect_key(reader *r, const char *key)
{
    char what[64], ex[64];
    snprintf(what, sizeof what, "'%s'", key);
    int rc = need_line(r, what);
    if (rc)
        return rc;
    if (strcmp(r->line, key) != 0)
        return pmk_error_at(r->err, PMK_EFORMAT, r->path, r->lineno, 0,
                            "expected '%s', found '%s'", key, excerpt(r->line, ex, sizeof ex));
    return PMK_OK;
}

/* Expects "KEY N" with N a non-negative integer <= lim. */
static int expect_count(reader *r, const char *key, size_t lim, size_t *out)
{
    char what[64], ex[64];
    snprintf(what, sizeof what, "'%s N'", key);
    int rc = need_line(r, what);
    if (rc)
        return rc;
    size_t kl = strlen(key);
    const char *p = r->line + kl;
    char *end;
    errno = 0;
    unsigned long long v = 0;
    int ok = strncmp(r->line, key, kl) == 0 && *p == ' ' && p[1] >= '0' && p[1] <= '9';
    if (ok) {
        v = strtoull(p + 1, &end, 10);
        ok = *end == '\0' && errno == 0;
    }
    if (!ok)
        return pmk_error_at(r->err, PMK_EFORMAT, r->path, r->lineno, 0,
                            "expected '%s N', found '%s'", key, excerpt(r->line, ex, sizeof ex));
    if (v > lim)
        return pmk_error_at(r->err, PMK_ELIMIT, r->path, r->lineno, 0,
                            "%s %llu exceeds the limit of %zu", key, v, lim);
    *out = (size_t)v;
    return PMK_OK;
}

/* Reads one line of exactly n finite numbers into x[i * stride]. */
static int read_numbers(reader *r, const char *what, double *x, size_t n, size_t stride)
{
    int rc = need_line(r, what);
    if (rc)
        return rc;
    const char *p = r->line;
    for (size_t i = 0; i < n; i++) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            return pmk_error_at(r->err, PMK_EFORMAT, r->path, r->lineno, 0,
                                "%s: %zu numbers, expected %zu", what, i, n);
        char *end;
        double v = strtod(p, &end);
        if (end == p || (*end && *end != ' ' && *end != '\t') || !isfinite(v)) {
            char tok[48];
            size_t tl = strcspn(p, " \t");
            snprintf(tok, sizeof tok, "%.*s", (int)(tl > 40 ? 40 : tl), p);
            return pmk_error_at(r->err, PMK_EFORMAT, r->path, r->lineno, (long)i + 1,
                                "%s: '%s' is not a finite number", what, tok);
        }
        x[i * stride] = v;
        p = end;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p)
        return pmk_error_at(r->err, PMK_EFORMAT, r->path, r->lineno, 0,
                            "%s: more than %zu numbers", what, n);
    return PMK_OK;
}

static int read_matrix(reader *r, const char *name, gsl_matrix *A)
{
    char what[64];
    for (size_t i = 0; i < A->size1; i++) {
        snprintf(what, sizeof what, "row %zu of %s", i + 1, name);
        int rc = read_numbers(r, what, gsl_matrix_ptr(A, i, 0), A->size2, 1);
        if (rc)
            return rc;
    }
    return PMK_OK;
}

static int load_body(reader *r, pmk_rbm **out)
{
    char ex[176];
    pmk_rbm *m = NULL;
    int rc = need_line(r, "'pmk-rbm 1'");
    if (rc)
        return rc;
    int version;
    char tail;
    if (strncmp(r->line, "pmk-rbm ", 8) != 0)
        return pmk_error_at(r->err, PMK_EFORMAT, r->path, 1, 0,
                            "not a pmk RBM model (first line '%s', expected 'pmk-rbm %d')",
                            excerpt(r->line, ex, sizeof ex), PMK_RBM_FORMAT_VERSION);
    if (sscanf(r->line + 8, "%d%c", &version, &tail) != 1 || version < 1)
        return pmk_error_at(r->err, PMK_EFORMAT, r->path, 1, 0, "bad format version '%s'",
                            excerpt(r->line + 8, ex, sizeof ex));
    if (version > PMK_RBM_FORMAT_VERSION)
        return pmk_error_at(r->err, PMK_EUNSUP, r->path, 1, 0,
                            "format version %d is newer than this pmk reads (%d)", version,
                            PMK_RBM_FORMAT_VERSION);
    size_t d, h, epochs, mom, p;
    if ((rc = expect_count(r, "visible", PMK_RBM_MAX_WEIGHTS, &d)))
        return rc;
    if (d == 0)
        return pmk_error_at(r->err, PMK_EFORMAT, r->path, r->lineno, 0,
                            "an RBM needs at least 1 visible unit");
    if ((rc = expect_count(r, "hidden", PMK_RBM_MAX_WEIGHTS, &h)))
        return rc;
    /* A plain file must back the header before D x H doubles are allocated:
     * W alone is D lines of H numbers of at least two bytes each ("0 ").
     * (Gzip and pipes give no size; there the memory ceiling is the bound.) */
    struct stat st;
    if ((unsigned long long)d * h <= PMK_RBM_MAX_WEIGHTS && !pmk_instream_is_gzip(r->in)
        && stat(r->path, &st) == 0 && S_ISREG(st.st_mode)
        && (unsigned long long)st.st_size / 2 < (unsigned long long)d * h)
        return pmk_error_at(r->err, PMK_EFORMAT, r->path, r->lineno, 0,
                            "%zu x %zu weights need at least %llu bytes of text, but the "
                            "file has only %lld (truncated, or an edited header)", d, h,
                            2ull * d * h, (long long)st.st_size);
    /* pmk_rbm_alloc's W and dW (D x H each) and four vectors, before they
     * exist (beyond PMK_RBM_MAX_WEIGHTS pmk_rbm_alloc gives its own message) */
    char what[96];
    snprintf(what, sizeof what, "an RBM of %zu visible x %zu hidden units", d, h);
    if ((unsigned long long)d * h <= PMK_RBM_MAX_WEIGHTS
        && (rc = pmk_mem_check(r->path, r->lineno, 0,
                               8ull * (2ull * d * h + 2ull * d + 2ull * h), what, r->err)))
        return rc;
    pmk_error e2;
    m = pmk_rbm_alloc(d, h, &e2);
    if (!m)
        return pmk_error_at(r->err, e2.code == PMK_EINVAL ? PMK_EFORMAT : e2.code, r->path,
                            r->lineno, 0, "%s", e2.msg);
    if ((rc = expect_count(r, "epochs", (size_t)-1 / 2, &epochs)))
        goto fail;
    m->epochs = epochs;
    /* A line holds at most max(D, H) numbers of at most 25 characters each. */
    r->max = 64 + 26 * (d > h ? d : h);
    if ((rc = expect_key(r, "b")) || (rc = read_numbers(r, "b", m->b->data, d, m->b->stride))
        || (rc = expect_key(r, "a")) || (rc = read_numbers(r, "a", m->a->data, h, m->a->stride))
        || (rc = expect_key(r, "W")) || (rc = read_matrix(r, "W", m->W))
        || (rc = expect_count(r, "momentum", 1, &mom)))
        goto fail;
    if (mom) {
        m->dW = gsl_matrix_alloc(d, h);
        m->db = gsl_vector_alloc(d);
        m->da = gsl_vector_alloc(h);
        if (!m->dW || !m->db || !m->da) {
            rc = pmk_error_set(r->err, PMK_ENOMEM, "%s: out of memory", r->path);
            goto fail;
        }
        if ((rc = expect_key(r, "db"))
            || (rc = read_numbers(r, "db", m->db->data, d, m->db->stride))
            || (rc = expect_key(r, "da"))
            || (rc = read_numbers(r, "da", m->da->data, h, m->da->stride))
            || (rc = expect_key(r, "dW")) || (rc = read_matrix(r, "dW", m->dW)))
            goto fail;
    }
    if ((rc = expect_count(r, "chains", PMK_RBM_MAX_WEIGHTS / h, &p)))
        goto fail;
    if (p) {
        /* as for W: a plain file must hold P x H numbers of two bytes or more,
         * and the chains (with the model) must fit under the memory ceiling */
        struct stat cst;
        if (!pmk_instream_is_gzip(r->in) && stat(r->path, &cst) == 0 && S_ISREG(cst.st_mode)
            && (unsigned long long)cst.st_size / 2 < (unsigned long long)p * h) {
            rc = pmk_error_at(r->err, PMK_EFORMAT, r->path, r->lineno, 0,
                              "%zu chains of %zu hidden units need at least %llu bytes of "
                              "text, but the file has only %lld (truncated, or an edited "
                              "header)", p, h, 2ull * p * h, (long long)cst.st_size);
            goto fail;
        }
        char cwhat[128];
        snprintf(cwhat, sizeof cwhat, "an RBM of %zu visible x %zu hidden units with %zu chains",
                 d, h, p);
        if ((rc = pmk_mem_check(r->path, r->lineno, 0,
                                8ull * (2ull * d * h + 2ull * d + 2ull * h
                                        + (unsigned long long)p * h), cwhat, r->err)))
            goto fail;
        m->chains = gsl_matrix_alloc(p, h);
        if (!m->chains) {
            rc = pmk_error_set(r->err, PMK_ENOMEM, "%s: out of memory", r->path);
            goto fail;
        }
        if ((rc = read_matrix(r, "chains", m->chains)))
            goto fail;
    }
    if ((rc = expect_key(r, "end")))
        goto fail;
    int k;
    while ((k = next_line(r)) > 0)
        if (r->line[0]) {
            rc = pmk_error_at(r->err, PMK_EFORMAT, r->path, r->lineno, 0,
                              "unexpected '%s' after 'end'", excerpt(r->line, ex, sizeof ex));
            goto fail;
        }
    if (k < 0) {
        rc = r->err ? r->err->code : PMK_EIO;
        goto fail;
    }
    *out = m;
    return PMK_OK;
fail:
    pmk_rbm_free(m);
    return rc;
}

int pmk_rbm_load(const char *path, pmk_rbm **out, pmk_error *err)
{
    pmk_error local;
    if (!err)
        err = &local;
    reader *r = calloc(1, sizeof *r);
    if (!r)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    r->err = err;
    r->max = 4096;
    r->in = pmk_instream_open(path, err);
    if (!r->in) {
        free(r);
        return err->code ? err->code : PMK_EIO;
    }
    r->path = pmk_instream_path(r->in);
    locale_t cl, old = c_locale_enter(&cl);
    int rc = load_body(r, out);
    c_locale_leave(old, cl);
    pmk_instream_close(r->in);
    free(r->line);
    free(r);
    return rc;
}
