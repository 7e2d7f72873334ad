/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* csv_parse.c: the CSV reader's line and field parser: line splitting over
 * the reader's buffer, the integer fast path and the decimal slow path, label
 * parsing, header detection, and every positioned message they give.
 *
 * Reading.  The file comes through pmk_instream (gzip by magic bytes) into one
 * buffer of at least 1 MiB; memchr finds each line end and the line is parsed
 * in place.  Runs of value fields [0-9]{1,15} go through the hot loop of
 * csv_run.c (commas found 64 bytes at a time).  Each other field first tries
 * the integer fast path: an optional '-',
 * 1 to 15 digits, then ',' or the line end.  15 digits keep the value below
 * 2^53, so (double)v is exact and equals what strtod gives.  Anything else
 * takes the slow path: the field is cut out (surrounding blanks and one pair of
 * double quotes removed), checked against the decimal syntax
 *     [+-]? (D+ ('.' D*)? | '.' D+) ([eE] [+-]? D+)?
 * and converted by strtod_l in a "C" locale from pmk_c_locale_new (record.c),
 * so the caller's locale never matters and glibc's correctly rounded
 * conversion gives the exact nearest double.  Hexadecimal floats, "nan" and
 * "inf" are refused.  Every line is terminated in the buffer by a '\n'
 * sentinel (a CR before it is overwritten), so the fast path needs no bounds
 * checks.
 *
 * Dialect (doc/formats.md): fields separated by ',', lines by LF or CRLF;
 * a UTF-8 byte-order mark at the start is skipped; blanks (space, tab) around a
 * field are ignored; a field may be enclosed in double quotes (a header name of
 * any text, "" for a quote, or a number); blank lines are accepted only at the
 * end of the file.  Columns in messages are 1-based byte columns counted from
 * the start of the line (after a BOM). */
#include "config.h"

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/limits.h"
#include "io/csv_internal.h"

/* ---------------------------------------------------------------- lines */

/* Takes the next line: on return 1, [*ls, *le) is its text without the line
 * end, *le == '\n' (a sentinel), and r->line is its number.  0 at end of file,
 * -1 on error (a read error, or a line longer than max_line). */
int pmk_csv_next_line(pmk_csv_reader *r, char **ls, char **le, pmk_error *err)
{
    for (;;) {
        char *b = r->buf + r->beg;
        size_t avail = r->end - r->beg;
        char *nl = r->scan < avail ? memchr(b + r->scan, '\n', avail - r->scan) : NULL;
        if (!nl && r->eof && avail > 0) {
            nl = b + avail;   /* a last line without a line end */
            *nl = '\n';
        }
        if (nl) {
            size_t len = (size_t)(nl - b);
            r->line++;
            if (len - (len > 0 && nl[-1] == '\r') > r->opt.max_line)
                break;   /* (the CR of a CRLF is part of the line end) */
            r->beg += len + (r->beg + len < r->end);
            r->scan = 0;
            if (len > 0 && nl[-1] == '\r') {
                nl--;
                *nl = '\n';
            }
            if (r->range_lines < 0 && pmk_csv_offset(r, b) >= r->range_end)
                r->range_lines = r->line - 1;   /* the range's last line: the one before */
            if (pmk_csv_offset(r, b) < r->skip_before)
                continue;   /* before the range: counted, not parsed */
            *ls = b;
            *le = nl;
            return 1;
        }
        if (avail > r->opt.max_line + 1) {   /* + 1: room for a CR */
            r->line++;
            break;
        }
        if (r->eof)
            return 0;
        r->scan = avail;
        if (r->beg > 0) {
            memmove(r->buf, b, avail);
            r->off0 += r->beg;
            r->beg = 0;
            r->end = avail;
        }
        if (r->cap - r->end < CSV_READ_BLOCK / 2) {
            if (r->cap > SIZE_MAX / 2 - 1)
                return pmk_error_at(err, PMK_ENOMEM, r->path, r->line + 1, 0, "out of memory"), -1;
            /* whatever max_line says, the line buffer stays under the ceiling */
            char what[96];
            snprintf(what, sizeof what, "a line of more than %zu bytes", avail);
            if (pmk_mem_check(r->path, r->line + 1, 0, (unsigned long long)2 * r->cap + 1, what,
                              err))
                return -1;
            char *nb = realloc(r->buf, 2 * r->cap + 1);
            if (!nb)
                return pmk_error_at(err, PMK_ENOMEM, r->path, r->line + 1, 0, "out of memory"), -1;
            r->buf = nb;
            r->cap *= 2;
        }
        long got = pmk_instream_read(r->in, r->buf + r->end, r->cap - r->end, err);
        if (got < 0)
            return -1;
        if (got == 0)
            r->eof = 1;
        r->end += (size_t)got;
    }
    pmk_error_at(err, PMK_ELIMIT, r->path, r->line, (long)r->opt.max_line + 1,
                 "line longer than the limit of %zu bytes", r->opt.max_line);
    return -1;
}

static int is_blank(char c) { return c == ' ' || c == '\t'; }

int pmk_csv_blank_line(const char *ls, const char *le)
{
    while (ls < le && is_blank(*ls))
        ls++;
    return ls == le;
}

/* ---------------------------------------------------------------- fields */

/* One field as the slow path sees it. */
typedef struct field {
    char *start;     /* where the field starts (its byte column) */
    char *cs, *ce;   /* its contents: blanks and enclosing quotes removed */
    char *delim;     /* the ',' after it, or the line end */
    int quoted;
} field;

/* Cuts the field starting at @p f out of the line ending at @p le.  Returns
 * NULL, or a static reason when the quoting is broken. */
static const char *scan_field(char *f, char *le, field *out)
{
    char *p = f;
    out->start = f;
    out->quoted = 0;
    while (p < le && is_blank(*p))
        p++;
    if (p < le && *p == '"') {
        char *q = p + 1;
        for (;;) {
            q = memchr(q, '"', (size_t)(le - q));
            if (!q)
                return "unterminated quoted field";
            if (q + 1 < le && q[1] == '"') {
                q += 2;          /* "" inside quotes is one quote */
                continue;
            }
            break;
        }
        out->cs = p + 1;
        out->ce = q;
        out->quoted = 1;
        p = q + 1;
        while (p < le && is_blank(*p))
            p++;
        if (p < le && *p != ',')
            return "unexpected text after a closing double quote";
        out->delim = p;
        return NULL;
    }
    char *c = memchr(p, ',', (size_t)(le - p));
    if (!c)
        c = le;
    out->cs = p;
    out->ce = c;
    while (out->ce > out->cs && is_blank(out->ce[-1]))
        out->ce--;
    out->delim = c;
    return NULL;
}

/* Writes [s, e) into @p out as a quoted string for a message: at most
 * CSV_QUOTE_MAX bytes, then "...", bytes outside printable ASCII as \xNN. */
static const char *quote(const char *s, const char *e, char *out, size_t outlen)
{
    size_t k = 0;
    out[k++] = '\'';
    const char *stop = e - s > CSV_QUOTE_MAX ? s + CSV_QUOTE_MAX : e;
    for (const char *p = s; p < stop && k + 8 < outlen; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c < 0x7f && c != '\\')
            out[k++] = (char)c;
        else
            k += (size_t)snprintf(out + k, outlen - k, "\\x%02x", c);
    }
    if (stop < e && k + 4 < outlen) {
        memcpy(out + k, "...", 3);
        k += 3;
    }
    out[k++] = '\'';
    out[k] = '\0';
    return out;
}

enum { NUM_OK = 0, NUM_SYNTAX, NUM_NONFINITE, NUM_RANGE, NUM_EMPTY };

static int ieq(const char *s, const char *e, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(e - s) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((s[i] | 0x20) != word[i])
            return 0;
    return 1;
}

/* Does [s, e) follow the decimal syntax in the file comment?  Returns NUM_OK,
 * NUM_NONFINITE for nan/inf/infinity (any case, optional sign), NUM_EMPTY or
 * NUM_SYNTAX. */
static int number_syntax(const char *s, const char *e)
{
    if (s == e)
        return NUM_EMPTY;
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    if (ieq(p, e, "nan") || ieq(p, e, "inf") || ieq(p, e, "infinity"))
        return NUM_NONFINITE;
    size_t mant = 0;
    while (p < e && (unsigned)(*p - '0') < 10)
        p++, mant++;
    if (p < e && *p == '.') {
        p++;
        while (p < e && (unsigned)(*p - '0') < 10)
            p++, mant++;
    }
    if (mant == 0)
        return NUM_SYNTAX;
    if (p < e && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < e && (*p == '+' || *p == '-'))
            p++;
        size_t ex = 0;
        while (p < e && (unsigned)(*p - '0') < 10)
            p++, ex++;
        if (ex == 0)
            return NUM_SYNTAX;
    }
    return p == e ? NUM_OK : NUM_SYNTAX;
}

/* Converts [s, e) (inside the reader's buffer, followed by at least one byte
 * that may be overwritten for a moment) to the nearest double. */
static int to_double(locale_t loc, char *s, char *e, double *out)
{
    int st = number_syntax(s, e);
    if (st != NUM_OK)
        return st;
    char save = *e;
    *e = '\0';
    char *end;
    double v = strtod_l(s, &end, loc);
    *e = save;
    if (isinf(v))
        return NUM_RANGE;   /* beyond DBL_MAX; underflow to 0 or a subnormal is exact */
    *out = v;
    return NUM_OK;
}

static long colno(const char *ls, const char *p) { return (long)(p - ls) + 1; }

/* The error for a field whose text is not a usable number. */
static int bad_number(pmk_csv_reader *r, int st, const char *ls, const field *fd, size_t k,
                      pmk_error *err)
{
    char q[CSV_QUOTE_MAX * 4 + 16];
    long col = colno(ls, fd->start);
    switch (st) {
    case NUM_EMPTY:
        return pmk_error_at(err, PMK_EFORMAT, r->path, r->line, col,
                            "field %zu: empty field, expected a number", k + 1);
    case NUM_NONFINITE:
        return pmk_error_at(err, PMK_EDATA, r->path, r->line, col,
                            "field %zu: %s is not a finite number", k + 1,
                            quote(fd->cs, fd->ce, q, sizeof q));
    case NUM_RANGE:
        return pmk_error_at(err, PMK_EDATA, r->path, r->line, col,
                            "field %zu: %s is too large for a double", k + 1,
                            quote(fd->cs, fd->ce, q, sizeof q));
    default:
        return pmk_error_at(err, PMK_EFORMAT, r->path, r->line, col,
                            "field %zu: %s is not a number", k + 1,
                            quote(fd->cs, fd->ce, q, sizeof q));
    }
}

/* The label in [s, e): [+-]? digits, within long. */
static int parse_label_text(const char *s, const char *e, long *out)
{
    const char *p = s;
    int neg = 0;
    if (p < e && (*p == '+' || *p == '-'))
        neg = *p++ == '-';
    if (p == e)
        return NUM_SYNTAX;
    unsigned long v = 0, lim = neg ? (unsigned long)LONG_MAX + 1 : (unsigned long)LONG_MAX;
    int over = 0;
    for (; p < e; p++) {
        unsigned dg = (unsigned)(*p - '0');
        if (dg >= 10)
            return NUM_SYNTAX;
        if (v > (lim - dg) / 10)
            over = 1;
        else
            v = v * 10 + dg;
    }
    if (over)
        return NUM_RANGE;
    *out = neg ? (v == (unsigned long)LONG_MAX + 1 ? LONG_MIN : -(long)v) : (long)v;
    return NUM_OK;
}

/* Counts the fields of a line (quotes respected), for ragged-row messages. */
size_t pmk_csv_count_fields(char *ls, char *le)
{
    size_t n = 0;
    char *p = ls;
    for (;;) {
        field fd;
        n++;
        if (scan_field(p, le, &fd)) {   /* broken quotes: count commas from here */
            for (char *c = p; c < le; c++)
                n += *c == ',';
            return n;
        }
        if (fd.delim >= le)
            return n;
        p = fd.delim + 1;
    }
}

/* Finds field @p k (0-based) of a line that parsed, for value-check messages. */
static void find_field(char *ls, char *le, size_t k, field *fd)
{
    char *p = ls;
    for (size_t i = 0;; i++) {
        scan_field(p, le, fd);
        if (i == k || fd->delim >= le)
            return;
        p = fd->delim + 1;
    }
}

/* ---------------------------------------------------------------- rows */

/* The fast paths' scan: an optional '-', then ASCII digits.  Returns the
 * first byte after them; *nd is the digit count and *v their value (exact up
 * to 19 digits; the callers take at most 18). */
static inline char *scan_int(char *p, int *neg, uint64_t *v, size_t *nd)
{
    *neg = *p == '-';
    p += *neg;
    const char *ds = p;
    uint64_t x = 0;
    unsigned dg;
    while ((dg = (unsigned)(unsigned char)*p - '0') < 10) {
        x = x * 10 + dg;
        p++;
    }
    *v = x;
    *nd = (size_t)(p - ds);
    return p;
}

/* The label field fd (field k of the line at ls), which is not a plain
 * integer, into *label: PMK_OK or the error; with label_tokens, any text
 * that is not an integer is kept as the row's token (pmk_csv_label_token). */
static int label_field(pmk_csv_reader *r, const char *ls, const field *fd, size_t k,
                       long *label, pmk_error *err)
{
    char q[CSV_QUOTE_MAX * 4 + 16];
    int st = parse_label_text(fd->cs, fd->ce, label);
    if (st && r->opt.label_tokens) {
        r->row_token = 1, r->tok_s = fd->cs, r->tok_len = (size_t)(fd->ce - fd->cs);
        r->tok_col = colno(ls, fd->start);
        return PMK_OK;
    }
    if (st)
        return pmk_error_at(err, PMK_EDATA, r->path, r->line, colno(ls, fd->start),
                            "field %zu: label %s is %s", k + 1, quote(fd->cs, fd->ce, q, sizeof q),
                            st == NUM_RANGE ? "out of range" : "not an integer");
    return PMK_OK;
}

/* Field k of the line [ls, le) at *pp, when the hot loop (csv_run.c) did
 * not take it: the scalar fast paths -?[0-9]{1,15} for a value (exact as a double) and
 * -?[0-9]{1,18} for the label (within a long), then ',' or the line end;
 * anything else through the full field scanner.  A feature value goes to
 * *(*dst)++, the weight column's to *weight, the label to *label; *pp ends
 * on the field's delimiter. */
static inline int parse_field(pmk_csv_reader *r, char *ls, char *le, size_t k, char **pp,
                              double **dst, long *label, double *weight, pmk_error *err)
{
    char *f = *pp, *p;
    int neg;
    size_t nd;
    uint64_t v;
    double *slot = k == r->wc ? weight : *dst;
    p = scan_int(f, &neg, &v, &nd);
    const int plain = *p == ',' || *p == '\n';
    if (plain && k != r->lc && nd - 1 < 15) {
        const double x = (double)(int64_t)v;   /* < 2^53: exact, and a cheaper convert */
        *slot = neg ? -x : x;
    } else if (plain && k == r->lc && nd - 1 < 18) {
        *label = neg ? -(long)v : (long)v;
    } else {
        field fd;
        const char *why = scan_field(f, le, &fd);
        if (why)
            return pmk_error_at(err, PMK_EFORMAT, r->path, r->line, colno(ls, f),
                                "field %zu: %s", k + 1, why);
        int st = k != r->lc ? to_double(r->cloc, fd.cs, fd.ce, slot)
                            : label_field(r, ls, &fd, k, label, err);
        if (st)
            return k != r->lc ? bad_number(r, st, ls, &fd, k, err) : st;
        p = fd.delim;
    }
    if (k == r->wc && *weight < 0) {   /* the message of a weights file's, placed */
        field fd;
        scan_field(f, le, &fd);
        return pmk_error_at(err, PMK_EDATA, r->path, r->line, colno(ls, f),
                            "field %zu: weight %.*s is negative (0 drops a row)", k + 1,
                            (int)(fd.ce - fd.cs < 40 ? fd.ce - fd.cs : 40), fd.cs);
    }
    *dst += k != r->lc && k != r->wc;
    *pp = p;
    return PMK_OK;
}

/* The field index of feature @p j: j with the label and weight columns
 * (SIZE_MAX: none) stepped over. */
static size_t feature_field(size_t j, size_t lc, size_t wc)
{
    const size_t a = lc < wc ? lc : wc, b = lc < wc ? wc : lc;
    j += j >= a;
    return j + (j >= b);
}

/* Parses the data line [ls, le) (*le == '\n') into row[0, d) and *label. */
int pmk_csv_parse_row(pmk_csv_reader *r, char *ls, char *le, double *row, long *label,
                      double *weight, pmk_error *err)
{
    const size_t nc = r->ncols, lc = r->lc, wc = r->wc;
    char *p = ls;
    double *dst = row;
    r->row_token = 0;
    for (size_t k = 0; k < nc; k++) {
        /* The value fields before the label or weight, or before the last
         * field, in the hot loop; the rest (the label, the weight, the last
         * field, a field that is not a plain integer) here. */
        size_t stop = k < lc && lc < nc - 1 ? lc : nc - 1;
        stop = k < wc && wc < stop ? wc : stop;
        if (k < stop && k != lc && k != wc) {
            size_t got = pmk_csv_plain_run(&p, le, dst, stop - k);
            dst += got;
            k += got;   /* < nc: stop <= nc - 1 */
        }
        int st = parse_field(r, ls, le, k, &p, &dst, label, weight, err);
        if (st)
            return st;
        if (*p == ',') {
            p++;
            if (k + 1 == nc)
                return pmk_error_at(err, PMK_EFORMAT, r->path, r->line, colno(ls, p),
                                    "ragged row: %zu fields, expected %zu",
                                    pmk_csv_count_fields(ls, le), nc);
        } else if (k + 1 < nc) {
            return pmk_error_at(err, PMK_EFORMAT, r->path, r->line, colno(ls, le),
                                "ragged row: %zu fields, expected %zu", k + 1, nc);
        }
    }
    if (!r->check_values)
        return PMK_OK;

    /* The optional checks, after the fact so that they cost nothing when off. */
    const pmk_csv_options *o = &r->opt;
    char q[CSV_QUOTE_MAX * 4 + 16];
    field fd;
    if (lc != SIZE_MAX && !r->row_token && (*label < o->label_min || *label > o->label_max)) {
        find_field(ls, le, lc, &fd);
        return pmk_error_at(err, PMK_EDATA, r->path, r->line, colno(ls, fd.start),
                            "field %zu: label %s is not in the range %ld to %ld", lc + 1,
                            quote(fd.cs, fd.ce, q, sizeof q), o->label_min, o->label_max);
    }
    for (size_t j = 0; j < r->d; j++) {
        double x = row[j];
        int bad_range = !(x >= o->value_min && x <= o->value_max);
        int bad_int = o->value_integer && x != floor(x);
        if (!bad_range && !bad_int)
            continue;
        size_t k = feature_field(j, lc, wc);
        find_field(ls, le, k, &fd);
        if (bad_int)
            return pmk_error_at(err, PMK_EDATA, r->path, r->line, colno(ls, fd.start),
                                "field %zu: %s is not an integer", k + 1,
                                quote(fd.cs, fd.ce, q, sizeof q));
        return pmk_error_at(err, PMK_EDATA, r->path, r->line, colno(ls, fd.start),
                            "field %zu: %s is not in the range %.17g to %.17g", k + 1,
                            quote(fd.cs, fd.ce, q, sizeof q), o->value_min, o->value_max);
    }
    return PMK_OK;
}

/* Takes the next line holding data, skipping blank lines at the end of the
 * file.  Returns 1 with the line, 0 at end of file, -1 on error. */
int pmk_csv_next_data_line(pmk_csv_reader *r, char **ls, char **le, pmk_error *err)
{
    if (r->range_done)
        return 0;
    for (;;) {
        int got = pmk_csv_next_line(r, ls, le, err);
        if (got <= 0)
            return got;
        /* A line starting at or after the range's end belongs to the next
         * range; but after blank lines, read on until data (an error, as for
         * the whole file) or the end of the file. */
        if (pmk_csv_offset(r, *ls) >= r->range_end && !r->blank_line) {
            r->range_done = 1;
            return 0;
        }
        if (pmk_csv_blank_line(*ls, *le)) {
            if (!r->blank_line)
                r->blank_line = r->line;
            continue;
        }
        if (r->blank_line) {
            pmk_error_at(err, PMK_EFORMAT, r->path, r->blank_line, 1,
                         "blank line before more data (blank lines are accepted only "
                         "at the end of the file)");
            return -1;
        }
        return 1;
    }
}

/* ---------------------------------------------------------------- open */

/* Decodes one UTF-8 sequence at [p, e); returns the code point (0xFFFD for a
 * malformed sequence). */
static unsigned long utf8_first(const unsigned char *p, const unsigned char *e)
{
    unsigned long c = *p;
    int n = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    if (c >= 0x80 && n == 0)
        return 0xFFFD;
    c &= n == 3 ? 0x07 : n == 2 ? 0x0F : n == 1 ? 0x1F : 0x7F;
    for (int i = 1; i <= n; i++) {
        if (p + i >= e || (p[i] & 0xC0) != 0x80)
            return 0xFFFD;
        c = c << 6 | (p[i] & 0x3F);
    }
    return c;
}

/* Is @p c a digit other than ASCII's (Unicode Nd, super- and subscripts,
 * circled digits) or a minus sign other than '-'?  A field starting with one
 * is a number typed with the wrong characters, not a column name. */
static int unicode_digitlike(unsigned long c)
{
    /* the zero of each block of ten decimal digits (Unicode 15, category Nd) */
    static const unsigned long zero[] = {
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66,
        0x0CE6, 0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810,
        0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0,
        0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10, 0x104A0, 0x11066, 0x1D7CE,
        0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E950, 0x1FBF0,
    };
    for (size_t i = 0; i < sizeof zero / sizeof zero[0]; i++)
        if (c >= zero[i] && c < zero[i] + 10)
            return 1;
    return c == 0xB2 || c == 0xB3 || c == 0xB9 || (c >= 0x2070 && c <= 0x2079)
           || (c >= 0x2080 && c <= 0x2089) || (c >= 0x2460 && c <= 0x249B)
           || c == 0x2212 || c == 0xFF0B || c == 0xFF0D || c == 0xFE63;
}

/* Is [s, e) a column name?  A name is not empty, holds no control byte (below
 * 0x20 or 0x7F), does not start like a number (an ASCII digit, a sign, '.',
 * or a non-ASCII digit or minus sign) and is not a NaN or infinity spelling
 * (nan, inf, infinity in any case, optionally signed or followed by "(...)"). */
static int is_name(const char *s, const char *e)
{
    if (s == e)
        return 0;
    for (const char *p = s; p < e; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            return 0;
    unsigned char c = (unsigned char)*s;
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')
        return 0;
    if (c >= 0x80 && unicode_digitlike(utf8_first((const unsigned char *)s,
                                                  (const unsigned char *)e)))
        return 0;
    const char *w = memchr(s, '(', (size_t)(e - s));
    if (w && e[-1] == ')')
        e = w;
    return !(ieq(s, e, "nan") || ieq(s, e, "inf") || ieq(s, e, "infinity"));
}

/* Scans the fields of [ls, le) for names (is_name): with @p all, 1 when
 * every field is one; else 1 when some field is one.  A field that does not
 * scan (broken quotes, a control byte) makes it 0 either way. */
static int names(char *ls, char *le, int all)
{
    for (char *p = ls;;) {
        field fd;
        if (scan_field(p, le, &fd))
            return 0;
        if (is_name(fd.cs, fd.ce) != all)   /* all: a non-name; any: a name */
            return !all;
        if (fd.delim >= le)
            return all;
        p = fd.delim + 1;
    }
}

/* Is the first line a header?  Only when every field, quoted or not, is a
 * name (is_name).  A line with a number, an empty field, a broken number
 * (1O, 0x10, 1_000, nan(1), a Unicode digit), a control byte or broken quotes
 * is data, and parse_row reports its first bad field at FILE:1:COL. */
int pmk_csv_looks_like_header(char *ls, char *le)
{
    return names(ls, le, 1);
}

/* Does the line hold at least one name (is_name)? */
int pmk_csv_any_name(char *ls, char *le)
{
    return names(ls, le, 0);
}

int pmk_csv_header_check(pmk_csv_reader *r, char *ls, char *le, pmk_error *err)
{
    char *p = ls;
    for (size_t k = 0;; k++) {
        field fd;
        const char *why = scan_field(p, le, &fd);
        if (why)
            return pmk_error_at(err, PMK_EFORMAT, r->path, r->line, colno(ls, p),
                                "field %zu: %s", k + 1, why);
        if (fd.delim >= le)
            return PMK_OK;
        p = fd.delim + 1;
    }
}
