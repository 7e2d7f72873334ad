/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* csv_numbered.c: header lines of numbered column names ("label,h0,h1,..."),
 * the header every exported table of pmk has, and a matrix written under
 * one. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/csv.h"

char *pmk_csv_numbered_header(const char *first, const char *prefix, size_t n)
{
    /* each name: a comma, the prefix and at most 20 digits */
    size_t cap, len = first ? strlen(first) : 0;
    if (pmk_size_mul(n, strlen(prefix) + 22, &cap) || pmk_size_add(cap, len + 2, &cap))
        return NULL;
    char *h = malloc(cap), *p = h;
    if (!h)
        return NULL;
    *p = '\0';
    if (first)
        p += sprintf(p, "%s", first);
    for (size_t j = 0; j < n; j++)
        p += sprintf(p, "%s%s%zu", p == h ? "" : ",", prefix, j);
    return h;
}

int pmk_csv_write_numbered(const char *path, const gsl_matrix *X, const long *y,
                           const char *first, const char *prefix, pmk_error *err)
{
    size_t n = X->size2, cap;
    if (pmk_size_mul(n, strlen(prefix) + 22, &cap))
        return pmk_error_set(err, PMK_ELIMIT, "%s: a header of %zu names is too long", path, n);
    char *h = pmk_csv_numbered_header(first, prefix, n);
    if (!h)
        return pmk_error_set(err, PMK_ENOMEM, "%s: out of memory for a header of %zu names", path,
                             n);
    int rc = pmk_csv_write(path, X, y, h, err);
    free(h);
    return rc;
}
