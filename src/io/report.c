/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* report.c: structured results written as text or JSON (pmk/report.h).  A
 * caller fills a list of fields, each with its JSON key and, optionally, the
 * text line that shows it; text lines with no key are prose for people only.
 * pmk_report_write prints the list either as text (the lines, in order) or as
 * one JSON object (the keyed fields, in order, nested where a list was
 * opened), so the two forms cannot drift apart. */
#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/report.h"
#include "core/core_internal.h"

typedef enum { F_TEXT, F_NUM, F_INT, F_STR, F_BOOL, F_NULL, F_NUMS, F_INTS, F_IMATRIX,
               F_BEGIN_LIST, F_END_LIST } kind;

typedef struct field {
    kind kind;
    char *key;     /* JSON key; NULL: text only (or a list element) */
    char *text;    /* the text line, formatted; NULL: JSON only */
    double num;
    long long i;
    char *str;
    double *nums;  /* F_NUMS */
    long long *ints;   /* F_INTS, F_IMATRIX (rows x cols) */
    size_t n, cols;
} field;

struct pmk_report {
    field *f;
    size_t n, cap;
    int failed;    /* out of memory: emit reports it */
};

pmk_report *pmk_report_new(void)
{
    return calloc(1, sizeof(pmk_report));
}

void pmk_report_free(pmk_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++) {
        CORE_FREE(r->f[i].key, r->f[i].text, r->f[i].str, r->f[i].nums, r->f[i].ints);
    }
    free(r->f);
    free(r);
}

static char *dup_or_null(pmk_report *r, const char *s)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        r->failed = 1;
    return d;
}

static char *vformat(pmk_report *r, const char *fmt, va_list ap)
{
    if (!fmt)
        return NULL;
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) {
        r->failed = 1;
        return NULL;
    }
    return s;
}

static field *push(pmk_report *r, kind k, const char *key)
{
    if (!r || r->failed)   /* NULL: pmk_report_new failed, emit says so */
        return NULL;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 32;
        field *f = realloc(r->f, cap * sizeof *f);
        if (!f) {
            r->failed = 1;
            return NULL;
        }
        r->f = f;
        r->cap = cap;
    }
    field *f = &r->f[r->n++];
    memset(f, 0, sizeof *f);
    f->kind = k;
    f->key = dup_or_null(r, key);
    return f;
}

/* A scalar field: its kind and key, then its text line from the caller's
 * format and arguments (FIELD declares f, the field or NULL). */
static field *scalar(pmk_report *r, kind k, const char *key, const char *fmt, va_list ap)
{
    field *f = push(r, k, key);
    if (f)
        f->text = vformat(r, fmt, ap);
    return f;
}
#define FIELD(k, key, fmt)                                                                        \
    va_list ap;                                                                                   \
    va_start(ap, fmt);                                                                            \
    field *f = scalar(r, k, key, fmt, ap);                                                        \
    va_end(ap)

void pmk_report_text(pmk_report *r, const char *fmt, ...)
{
    FIELD(F_TEXT, NULL, fmt);
    (void)f;
}

void pmk_report_num(pmk_report *r, const char *key, double v, const char *fmt, ...)
{
    FIELD(F_NUM, key, fmt);
    if (f)
        f->num = v;
}

void pmk_report_int(pmk_report *r, const char *key, long long v, const char *fmt, ...)
{
    FIELD(F_INT, key, fmt);
    if (f)
        f->i = v;
}

void pmk_report_str(pmk_report *r, const char *key, const char *v, const char *fmt, ...)
{
    FIELD(v ? F_STR : F_NULL, key, fmt);
    if (f)
        f->str = dup_or_null(r, v);
}

void pmk_report_bool(pmk_report *r, const char *key, int v, const char *fmt, ...)
{
    FIELD(F_BOOL, key, fmt);
    if (f)
        f->i = v != 0;
}

void pmk_report_null(pmk_report *r, const char *key)
{
    push(r, F_NULL, key);
}

void pmk_report_nums(pmk_report *r, const char *key, const double *v, size_t n)
{
    field *f = push(r, F_NUMS, key);
    if (!f)
        return;
    if (n && !(f->nums = malloc(n * sizeof *v))) {
        r->failed = 1;
        return;
    }
    if (n)
        memcpy(f->nums, v, n * sizeof *v);
    f->n = n;
}

static void put_ints(pmk_report *r, field *f, const void *v, size_t n, size_t size, int is_signed)
{
    if (n && !(f->ints = malloc(n * sizeof *f->ints))) {
        r->failed = 1;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const char *p = (const char *)v + i * size;
        if (size == sizeof(long) && is_signed)
            f->ints[i] = *(const long *)(const void *)p;
        else if (size == sizeof(size_t))
            f->ints[i] = (long long)*(const size_t *)(const void *)p;
        else
            f->ints[i] = *(const int *)(const void *)p;
    }
    f->n = n;
}

void pmk_report_longs(pmk_report *r, const char *key, const long *v, size_t n)
{
    field *f = push(r, F_INTS, key);
    if (f)
        put_ints(r, f, v, n, sizeof *v, 1);
}

void pmk_report_size_matrix(pmk_report *r, const char *key, const size_t *v, size_t rows,
                            size_t cols)
{
    field *f = push(r, F_IMATRIX, key);
    if (!f)
        return;
    put_ints(r, f, v, rows * cols, sizeof *v, 0);
    f->n = rows;
    f->cols = cols;
}

void pmk_report_begin_list(pmk_report *r, const char *key)
{
    push(r, F_BEGIN_LIST, key);
}

void pmk_report_end_list(pmk_report *r)
{
    push(r, F_END_LIST, NULL);
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

static void json_double(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, "%.17g", x);
    else
        fputs("null", f);
}

static void json_int_list(FILE *f, const long long *v, size_t n)
{
    fputc('[', f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%lld", i ? ", " : "", v[i]);
    fputc(']', f);
}

static void emit_json(const pmk_report *r, FILE *out)
{
    int first = 1;   /* no comma before the first member of an object or list */
    fputc('{', out);
    for (size_t i = 0; i < r->n; i++) {
        const field *f = &r->f[i];
        if (f->kind == F_TEXT)
            continue;
        if (f->kind == F_END_LIST) {
            fputc(']', out);
            first = 0;
            continue;
        }
        if (!first)
            fputs(", ", out);
        first = 0;
        if (f->key) {
            json_string(out, f->key);
            fputs(": ", out);
        }
        switch (f->kind) {
        case F_NUM: json_double(out, f->num); break;
        case F_INT: fprintf(out, "%lld", f->i); break;
        case F_STR: json_string(out, f->str); break;
        case F_BOOL: fputs(f->i ? "true" : "false", out); break;
        case F_NULL: fputs("null", out); break;
        case F_NUMS:
            fputc('[', out);
            for (size_t k = 0; k < f->n; k++) {
                fputs(k ? ", " : "", out);
                json_double(out, f->nums[k]);
            }
            fputc(']', out);
            break;
        case F_INTS: json_int_list(out, f->ints, f->n); break;
        case F_IMATRIX:
            fputc('[', out);
            for (size_t k = 0; k < f->n; k++) {
                fputs(k ? ", " : "", out);
                json_int_list(out, f->ints + k * f->cols, f->cols);
            }
            fputc(']', out);
            break;
        case F_BEGIN_LIST: fputc('[', out); first = 1; break;
        default: break;
        }
    }
    fputs("}\n", out);
}

int pmk_report_write(const pmk_report *r, FILE *out, int json, pmk_error *err)
{
    if (!r || r->failed)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    if (json) {
        emit_json(r, out);
        return PMK_OK;
    }
    for (size_t i = 0; i < r->n; i++)
        if (r->f[i].text)
            fputs(r->f[i].text, out);
    return PMK_OK;
}
