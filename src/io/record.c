/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* record.c: the text-record reader and writer of the model files (magic line,
 * key/value header, rows of %.17g numbers in the C locale, line and column in
 * every message) and the C-locale switch; see record_internal.h. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pmk/limits.h"
#include "core/core_internal.h"
#include "io/record_internal.h"

#define REC_BUF 65536

/* ---------------------------------------------------------------- C locale */

locale_t pmk_c_locale_new(void) { return newlocale(LC_NUMERIC_MASK, "C", (locale_t)0); }

int pmk_c_locale_enter(pmk_c_locale *l)
{
    l->c = pmk_c_locale_new();
    if (l->c == (locale_t)0)
        return PMK_ENOMEM;
    l->old = uselocale(l->c);
    return PMK_OK;
}

void pmk_c_locale_leave(pmk_c_locale *l)
{
    if (l->c == (locale_t)0)
        return;
    uselocale(l->old);
    freelocale(l->c);
    l->c = (locale_t)0;
}

/* ---------------------------------------------------------------- lines */

int pmk_rec_open(pmk_rec_reader *r, pmk_instream *in, size_t max_line, const char *eof_what,
                 int need_eol, pmk_error *err)
{
    memset(r, 0, sizeof *r);
    r->in = in;
    r->path = pmk_instream_path(in);
    r->err = err ? err : &r->local;
    r->max = max_line;
    r->eof_what = eof_what;
    r->need_eol = need_eol;
    r->buf = malloc(REC_BUF);
    if (!r->buf || pmk_c_locale_enter(&r->loc))
        return pmk_error_at(r->err, PMK_ENOMEM, r->path, 0, 0, "out of memory");
    r->in_locale = 1;
    return PMK_OK;
}

void pmk_rec_close(pmk_rec_reader *r)
{
    if (r->in_locale)
        pmk_c_locale_leave(&r->loc);
    r->in_locale = 0;
    free(r->buf);
    free(r->line);
    r->buf = r->line = NULL;
}

void pmk_rec_set_max(pmk_rec_reader *r, size_t max_line) { r->max = max_line; }

int pmk_rec_fail(pmk_rec_reader *r, int code, long col, const char *fmt, ...)
{
    char msg[PMK_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return pmk_error_at(r->err, code, r->path, r->lineno, col, "%s", msg);
}

/* Appends @p n bytes to the line being built (its length *len), growing the
 * buffer geometrically up to r->max. */
static int line_append(pmk_rec_reader *r, const char *s, size_t n, size_t *len)
{
    if (*len + n > r->max)
        return pmk_error_at(r->err, PMK_ELIMIT, r->path, r->lineno + 1, 0,
                            "line longer than %zu bytes", r->max);
    if (*len + n + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 256;
        while (cap < *len + n + 1)
            cap *= 2;
        char *p = realloc(r->line, cap);
        if (!p)
            return pmk_error_at(r->err, PMK_ENOMEM, r->path, r->lineno + 1, 0, "out of memory");
        r->line = p;
        r->cap = cap;
    }
    memcpy(r->line + *len, s, n);
    *len += n;
    return PMK_OK;
}

int pmk_rec_next(pmk_rec_reader *r)
{
    size_t n = 0;
    int any = 0, ended = 0;
    while (!ended) {
        if (r->pos == r->len) {
            if (r->eof)
                break;
            long k = pmk_instream_read(r->in, r->buf, REC_BUF, r->err);
            if (k < 0)
                return -1;
            if (k == 0) {
                r->eof = 1;
                break;
            }
            r->pos = 0;
            r->len = (size_t)k;
        }
        any = 1;
        char *nl = memchr(r->buf + r->pos, '\n', r->len - r->pos);
        size_t take = nl ? (size_t)(nl - (r->buf + r->pos)) : r->len - r->pos;
        if (line_append(r, r->buf + r->pos, take, &n))
            return -1;
        r->pos += take;
        if (nl) {
            r->pos++;
            ended = 1;
        }
    }
    if (!any)
        return 0;
    if (!r->line && line_append(r, "", 0, &n))
        return -1;
    r->line[n] = '\0';
    r->lineno++;
    if (!ended && r->need_eol) {
        pmk_rec_fail(r, PMK_EFORMAT, 0, "%s: the last line has no end", r->eof_what);
        return -1;
    }
    /* CRLF files read as LF ones: the CR is white space at the end. */
    if (n && r->line[n - 1] == '\r')
        r->line[n - 1] = '\0';
    r->cur = r->line;
    r->col = 0;
    return 1;
}

int pmk_rec_need(pmk_rec_reader *r, const char *what)
{
    int k = pmk_rec_next(r);
    if (k < 0)
        return r->err->code ? r->err->code : PMK_EFORMAT;
    if (k == 0)
        return pmk_error_at(r->err, PMK_EFORMAT, r->path, r->lineno + 1, 0, "%s: expected %s",
                            r->eof_what, what);
    return PMK_OK;
}

int pmk_rec_expect_eof(pmk_rec_reader *r, int quote)
{
    int k;
    long first = r->lineno + 1;
    while ((k = pmk_rec_next(r)) > 0) {
        /* a few blank lines are harmless; gigabytes of them (a gzip bomb of
         * newlines) would take minutes to read, for nothing */
        if (pmk_rec_at_end(r) && r->lineno - first >= PMK_REC_MAX_BLANK)
            return pmk_rec_fail(r, PMK_EFORMAT, 0, "more than %d blank lines after 'end'",
                                PMK_REC_MAX_BLANK);
        if (pmk_rec_at_end(r))
            continue;
        if (!quote)
            return pmk_rec_fail(r, PMK_EFORMAT, 0, "unexpected text after 'end'");
        char ex[176];
        return pmk_rec_fail(r, PMK_EFORMAT, 0, "unexpected '%s' after 'end'",
                            pmk_rec_excerpt(r->line, ex, sizeof ex));
    }
    return k < 0 ? (r->err->code ? r->err->code : PMK_EIO) : PMK_OK;
}

/* ---------------------------------------------------------------- words */

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

char *pmk_rec_word(pmk_rec_reader *r)
{
    char *p = r->cur;
    while (is_blank(*p))
        p++;
    if (!*p) {
        r->cur = p;
        return NULL;
    }
    char *w = p;
    while (*p && !is_blank(*p))
        p++;
    if (*p)
        *p++ = '\0';
    r->cur = p;
    r->col++;
    return w;
}

int pmk_rec_at_end(pmk_rec_reader *r)
{
    const char *p = r->cur;
    while (is_blank(*p))
        p++;
    return *p == '\0';
}

const char *pmk_rec_excerpt(const char *s, char *buf, size_t len)
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

/* ---------------------------------------------------------------- fields */

/* 1 when @p w is a decimal number as %.17g writes it: [+-] digits [. digits]
 * [(e|E) [+-] digits] (digits on at least one side of the point). */
static int decimal_syntax(const char *w)
{
    const char *p = w;
    if (*p == '+' || *p == '-')
        p++;
    size_t digits = 0;
    while (*p >= '0' && *p <= '9')
        p++, digits++;
    if (*p == '.') {
        p++;
        while (*p >= '0' && *p <= '9')
            p++, digits++;
    }
    if (!digits)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

int pmk_rec_number(pmk_rec_reader *r, const char *w, const pmk_rec_rule *rule,
                   const char *prefix, double *out)
{
    const char *sep = prefix ? ": " : "";
    if (!prefix)
        prefix = "";
    double v = 0;
    int syntax = decimal_syntax(w);
    /* exactly strtod's value, without its multiple-precision path where
     * 128-bit integers suffice (src/core/decimal.c); else strtod, the
     * caller in the C locale (ERANGE with a finite result is underflow to
     * a subnormal, which %.17g writes) */
    if (syntax && !core_decimal_parse(w, &v))
        v = strtod(w, NULL);
    if (!syntax || !isfinite(v)) {
        char ex[176];
        return pmk_rec_fail(r, PMK_EFORMAT, r->col, "%s%s'%s' is not a finite number", prefix,
                            sep, pmk_rec_excerpt(w, ex, sizeof ex));
    }
    int is_int = v == floor(v);
    int lo_ok = (rule->flags & PMK_REC_LO_OPEN) ? v > rule->lo : v >= rule->lo;
    if ((rule->flags & PMK_REC_INTEGER) && rule->lo == 0 && rule->hi == 1
        && !(is_int && lo_ok && v <= rule->hi))
        return pmk_rec_fail(r, PMK_EFORMAT, r->col, "%s%s%s must be 0 or 1, not %.40s", prefix, sep,
                            rule->what, w);
    if ((rule->flags & PMK_REC_INTEGER) && !is_int)
        return pmk_rec_fail(r, PMK_EFORMAT, r->col, "%s%s%s must be an integer, not %.40s", prefix,
                            sep, rule->what, w);
    if (rule->lo == -INFINITY && !(v <= rule->hi))
        return pmk_rec_fail(r, PMK_EFORMAT, r->col, "%s%s%s must be at most %.16g, not %.40s",
                            prefix, sep, rule->what, rule->hi, w);
    if (!lo_ok || !(v <= rule->hi)) {
        return pmk_rec_fail(r, PMK_EFORMAT, r->col, "%s%s%s must be in %c%.16g, %.16g], not %.40s",
                            prefix, sep, rule->what, (rule->flags & PMK_REC_LO_OPEN) ? '(' : '[',
                            rule->lo, rule->hi, w);
    }
    *out = v;
    return PMK_OK;
}

int pmk_rec_is_count(const char *w, size_t *out)
{
    unsigned long long v = 0;
    if (!*w)
        return 0;
    for (const char *p = w; *p; p++) {
        if (*p < '0' || *p > '9' || v > (ULLONG_MAX - 9) / 10)
            return 0;
        v = v * 10 + (unsigned)(*p - '0');
    }
    if (v > SIZE_MAX)
        return 0;
    *out = (size_t)v;
    return 1;
}

int pmk_rec_count(pmk_rec_reader *r, const char *w, const char *what, size_t lo, size_t hi,
                  size_t *out)
{
    char ex[176];
    size_t v = 0;
    if (!pmk_rec_is_count(w, &v))
        return pmk_rec_fail(r, PMK_EFORMAT, r->col, "'%s' is not a %s integer",
                            pmk_rec_excerpt(w, ex, sizeof ex), lo ? "positive" : "non-negative");
    if (v < lo)
        return pmk_rec_fail(r, PMK_EFORMAT, r->col, "%s must be at least %zu, not %s", what, lo,
                            pmk_rec_excerpt(w, ex, sizeof ex));
    if (v > hi)
        return pmk_rec_fail(r, PMK_ELIMIT, r->col, "%s %zu is more than pmk accepts (%zu)", what,
                            v, hi);
    *out = v;
    return PMK_OK;
}

int pmk_rec_long(pmk_rec_reader *r, const char *w, long *out)
{
    char ex[176];
    const char *p = w + (*w == '-' || *w == '+');
    int ok = *p != '\0';
    for (; ok && *p; p++)
        ok = *p >= '0' && *p <= '9';
    char *end;
    errno = 0;
    long v = ok ? strtol(w, &end, 10) : 0;
    if (!ok || errno == ERANGE)
        return pmk_rec_fail(r, PMK_EFORMAT, r->col, "'%s' is not an integer",
                            pmk_rec_excerpt(w, ex, sizeof ex));
    *out = v;
    return PMK_OK;
}

int pmk_rec_row(pmk_rec_reader *r, const pmk_rec_rule *rule, const char *prefix, double *x,
                size_t n, size_t stride, size_t *got)
{
    size_t i = 0;
    char *w;
    for (; i < n && (w = pmk_rec_word(r)); i++) {
        int rc = pmk_rec_number(r, w, rule, prefix, &x[i * stride]);
        if (rc) {
            *got = i;
            return rc;
        }
    }
    *got = i;
    return PMK_OK;
}

int pmk_rec_row_alloc(pmk_rec_reader *r, const pmk_rec_rule *rule, const char *prefix, size_t n,
                      double **out, size_t *got)
{
    size_t i = 0, cap = 0;
    char *w;
    *got = 0;
    for (; i < n && (w = pmk_rec_word(r)); i++) {
        int rc = pmk_rec_grow(r, out, &cap, i + 1, n);
        if (!rc)
            rc = pmk_rec_number(r, w, rule, prefix, &(*out)[i]);
        if (rc) {
            *got = i;
            return rc;
        }
    }
    *got = i;
    return PMK_OK;
}

int pmk_rec_file_size(const pmk_rec_reader *r, unsigned long long *bytes)
{
    struct stat st;
    /* "<stdin>" is how a stream names standard input: no file to stat */
    if (pmk_instream_is_gzip(r->in) || !strcmp(r->path, "<stdin>") || stat(r->path, &st) != 0
        || !S_ISREG(st.st_mode))
        return 0;
    *bytes = (unsigned long long)st.st_size;
    return 1;
}

int pmk_rec_grow(pmk_rec_reader *r, double **buf, size_t *cap, size_t need, size_t total)
{
    if (need <= *cap)
        return PMK_OK;
    size_t c = *cap ? *cap : 4096;
    while (c < need)
        c = c > SIZE_MAX / 2 ? need : 2 * c;
    if (c > total)
        c = total;
    double *p = realloc(*buf, c * sizeof *p);
    if (!p)
        return pmk_rec_fail(r, PMK_ENOMEM, 0, "out of memory");
    *buf = p;
    *cap = c;
    return PMK_OK;
}

/* ---------------------------------------------------------------- writer */

void pmk_rec_put_magic(FILE *f, const char *magic, int version)
{
    fprintf(f, "%s %d\n", magic, version);
}

void pmk_rec_put_row(FILE *f, const char *key, const double *x, size_t n, size_t stride)
{
    /* "%.17g" each, formatted by core_decimal_g17 (exactly printf's bytes,
     * without its multiple-precision path) into a block written at once */
    char line[4096];
    size_t at = 0;
    if (key)
        fputs(key, f);
    for (size_t i = 0; i < n; i++) {
        if (at > sizeof line - 40) {
            fwrite(line, 1, at, f);
            at = 0;
        }
        if (i || key)
            line[at++] = ' ';
        at += core_decimal_g17(x[i * stride], line + at);
    }
    line[at++] = '\n';
    fwrite(line, 1, at, f);
}

int pmk_rec_put_done(FILE *f, const char *name, pmk_error *err)
{
    if (fflush(f) != 0 || ferror(f))
        return pmk_error_at(err, PMK_EIO, name, 0, 0, "cannot write: %s",
                            errno ? strerror(errno) : "write error");
    return PMK_OK;
}

int pmk_rec_put_check(const pmk_rec_rule *rule, const char *name, const double *x, size_t n,
                      size_t stride, pmk_error *err)
{
    for (size_t i = 0; i < n; i++) {
        double v = x[i * stride];
        int lo_ok = (rule->flags & PMK_REC_LO_OPEN) ? v > rule->lo : v >= rule->lo;
        if (!lo_ok || !(v <= rule->hi) || ((rule->flags & PMK_REC_INTEGER) && v != floor(v)))
            return pmk_error_set(err, PMK_EDATA,
                                 "cannot save: %s %zu of %s is %g, which the reader refuses "
                                 "(%s must be in %c%.16g, %.16g]%s)",
                                 "value", i + 1, name, v, rule->what,
                                 (rule->flags & PMK_REC_LO_OPEN) ? '(' : '[', rule->lo, rule->hi,
                                 (rule->flags & PMK_REC_INTEGER) ? ", an integer" : "");
    }
    return PMK_OK;
}
