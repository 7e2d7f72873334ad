/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* csv_write.c: the CSV writer: numbers in the C locale, each the shortest
 * of %.15g / %.17g that reads back to the same double, written atomically
 * (gzipped for a name ending in ".gz"). */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_matrix.h>

#include "pmk/csv.h"
#include "io/csv_internal.h"
#include "io/record_internal.h"
#include "io/dataout_internal.h"
#include "core/core_internal.h"

/* ---------------------------------------------------------------- writing */

/* Appends the decimal digits of the integer @p v to @p p; returns the end. */
static char *put_long(char *p, long v)
{
    char tmp[24];
    int k = 0;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do {
        tmp[k++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *p++ = '-';
    while (k)
        *p++ = tmp[--k];
    return p;
}

/* Appends the shortest of "%.15g" / "%.17g" that reads back as @p x, in the C
 * locale.  Integers below 2^53 in magnitude print as integers ("-0" for -0). */
static char *put_double(char *p, double x, locale_t loc)
{
    if (x == floor(x) && fabs(x) < 9007199254740992.0) {
        if (x == 0 && signbit(x)) {
            *p++ = '-';
            *p++ = '0';
            return p;
        }
        return put_long(p, (long)x);
    }
    /* the caller (pmk_csv_write) is in the C locale */
    int n = snprintf(p, 32, "%.15g", x);
    if (strtod_l(p, NULL, loc) != x)
        n = snprintf(p, 32, "%.17g", x);
    return p + n;
}

struct pmk_csv_writer {
    pmk_dataout out;
    char *shown;      /* the path in messages ("<stdout>" for "-") */
    size_t d;         /* values a row */
    size_t rows;      /* rows written so far */
    size_t cap;       /* longest line */
    char *buf;
    size_t bufcap;
    locale_t loc;
};

/* Refuses a non-finite value: the CSV reader would refuse it. */
static int check_finite(const char *shown, const gsl_matrix *X, size_t first, pmk_error *err)
{
    for (size_t i = 0; i < X->size1; i++)
        for (size_t j = 0; j < X->size2; j++)
            if (!isfinite(gsl_matrix_get(X, i, j)))
                return pmk_error_at(err, PMK_EDATA, shown, 0, 0,
                                    "row %zu, column %zu: %s cannot be written (the CSV reader "
                                    "refuses non-finite values)", first + i + 1, j + 1,
                                    isnan(gsl_matrix_get(X, i, j)) ? "NaN" : "an infinity");
    return PMK_OK;
}

static void writer_free(pmk_csv_writer *w)
{
    if (w->loc)
        freelocale(w->loc);
    CORE_FREE(w->buf, w->shown, w);
}

pmk_csv_writer *pmk_csv_writer_open(const char *path, size_t d, const char *header,
                                    pmk_error *err)
{
    const char *shown = strcmp(path, "-") == 0 ? "<stdout>" : path;
    /* one line at most: a label and d numbers of up to 25 bytes each */
    size_t cap;
    if (pmk_size_mul(d + 1, 32, &cap) || pmk_size_add(cap, 64, &cap)) {
        pmk_error_at(err, PMK_ELIMIT, shown, 0, 0, "rows too wide");
        return NULL;
    }
    pmk_csv_writer *w = calloc(1, sizeof *w);
    if (w) {
        w->d = d;
        w->cap = cap;
        w->bufcap = cap > CSV_BLOCK ? 2 * cap : CSV_BLOCK + cap;
        w->buf = malloc(w->bufcap);
        w->shown = strdup(shown);
        w->loc = pmk_c_locale_new();
    }
    if (!w || !w->buf || !w->shown || !w->loc) {
        if (w)
            writer_free(w);
        pmk_error_at(err, PMK_ENOMEM, shown, 0, 0, "out of memory");
        return NULL;
    }
    int rc = pmk_dataout_open(&w->out, path, err);
    if (!rc && header) {
        size_t hl = strlen(header);
        rc = pmk_dataout_write(&w->out, header, hl, err);
        if (!rc && (hl == 0 || header[hl - 1] != '\n'))
            rc = pmk_dataout_write(&w->out, "\n", 1, err);
        if (rc)
            pmk_dataout_abort(&w->out);
    }
    if (rc) {
        writer_free(w);
        return NULL;
    }
    return w;
}

int pmk_csv_writer_rows(pmk_csv_writer *w, const gsl_matrix *X, const long *y, pmk_error *err)
{
    if (X->size2 != w->d)
        return pmk_error_at(err, PMK_EINVAL, w->shown, 0, 0,
                            "rows of %zu values given to a writer of %zu", X->size2, w->d);
    int rc = check_finite(w->shown, X, w->rows, err);
    char *p = w->buf;
    pmk_c_locale cl = {(locale_t)0, (locale_t)0};
    if (!rc && (rc = pmk_c_locale_enter(&cl)))
        pmk_error_at(err, rc, w->shown, 0, 0, "out of memory");
    for (size_t i = 0; i < X->size1 && !rc; i++) {
        if (y) {
            p = put_long(p, y[i]);
            *p++ = ',';
        }
        const double *row = X->data + i * X->tda;
        for (size_t j = 0; j < w->d; j++) {
            p = put_double(p, row[j], w->loc);
            *p++ = ',';
        }
        p[-1] = '\n';
        if ((size_t)(p - w->buf) + w->cap > w->bufcap) {
            rc = pmk_dataout_write(&w->out, w->buf, (size_t)(p - w->buf), err);
            p = w->buf;
        }
    }
    pmk_c_locale_leave(&cl);
    if (!rc)
        rc = pmk_dataout_write(&w->out, w->buf, (size_t)(p - w->buf), err);
    if (!rc)
        w->rows += X->size1;
    return rc;
}

int pmk_csv_writer_commit(pmk_csv_writer *w, pmk_error *err)
{
    int rc = pmk_dataout_commit(&w->out, err);
    writer_free(w);
    return rc;
}

void pmk_csv_writer_abort(pmk_csv_writer *w)
{
    if (!w)
        return;
    pmk_dataout_abort(&w->out);
    writer_free(w);
}

int pmk_csv_write(const char *path, const gsl_matrix *X, const long *y, const char *header,
                  pmk_error *err)
{
    /* every value checked before the target is touched */
    int rc = check_finite(strcmp(path, "-") == 0 ? "<stdout>" : path, X, 0, err);
    if (rc)
        return rc;
    pmk_csv_writer *w = pmk_csv_writer_open(path, X->size2, header, err);
    if (!w)
        return err ? err->code : PMK_ENOMEM;
    if ((rc = pmk_csv_writer_rows(w, X, y, err))) {
        pmk_csv_writer_abort(w);
        return rc;
    }
    return pmk_csv_writer_commit(w, err);
}
