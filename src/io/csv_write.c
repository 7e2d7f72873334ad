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

int pmk_csv_write(const char *path, const gsl_matrix *X, const long *y, const char *header,
                  pmk_error *err)
{
    const char *shown = strcmp(path, "-") == 0 ? "<stdout>" : path;
    const size_t n = X->size1, d = X->size2;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++)
            if (!isfinite(gsl_matrix_get(X, i, j)))
                return pmk_error_at(err, PMK_EDATA, shown, 0, 0,
                                    "row %zu, column %zu: %s cannot be written (the CSV reader "
                                    "refuses non-finite values)", i + 1, j + 1,
                                    isnan(gsl_matrix_get(X, i, j)) ? "NaN" : "an infinity");
    locale_t loc = pmk_c_locale_new();
    /* one line at most: a label and d numbers of up to 25 bytes each */
    size_t cap;
    if (pmk_size_mul(d + 1, 32, &cap) || pmk_size_add(cap, 64, &cap))
        return pmk_error_at(err, PMK_ELIMIT, shown, 0, 0, "rows too wide");
    size_t bufcap = cap > CSV_BLOCK ? 2 * cap : CSV_BLOCK + cap;
    char *buf = malloc(bufcap);
    if (!loc || !buf) {
        if (loc)
            freelocale(loc);
        free(buf);
        return pmk_error_at(err, PMK_ENOMEM, shown, 0, 0, "out of memory");
    }
    pmk_dataout w;
    int rc = pmk_dataout_open(&w, path, err);
    if (rc)
        goto done;
    if (header) {
        size_t hl = strlen(header);
        rc = pmk_dataout_write(&w, header, hl, err);
        if (!rc && (hl == 0 || header[hl - 1] != '\n'))
            rc = pmk_dataout_write(&w, "\n", 1, err);
    }
    char *p = buf;
    pmk_c_locale cl = {(locale_t)0, (locale_t)0};
    if (!rc && (rc = pmk_c_locale_enter(&cl)))
        pmk_error_at(err, rc, shown, 0, 0, "out of memory");
    for (size_t i = 0; i < n && !rc; i++) {
        if (y) {
            p = put_long(p, y[i]);
            *p++ = ',';
        }
        const double *row = X->data + i * X->tda;
        for (size_t j = 0; j < d; j++) {
            p = put_double(p, row[j], loc);
            *p++ = ',';
        }
        p[-1] = '\n';
        if ((size_t)(p - buf) + cap > bufcap) {
            rc = pmk_dataout_write(&w, buf, (size_t)(p - buf), err);
            p = buf;
        }
    }
    pmk_c_locale_leave(&cl);
    if (!rc)
        rc = pmk_dataout_write(&w, buf, (size_t)(p - buf), err);
    if (!rc)
        rc = pmk_dataout_commit(&w, err);
    else
        pmk_dataout_abort(&w);
done:
    freelocale(loc);
    free(buf);
    return rc;
}

