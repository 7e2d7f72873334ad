/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* csv_tokens.c: the CSV reader's token labels (pmk_csv_options.label_tokens;
 * doc/design.md, "Labels that are any token").  Until a label is not an
 * integer, chunks carry integer labels as always.  From the first one on,
 * each chunk interns its labels in a sorted table (integers as their
 * canonical decimal, so "007" and "7" are one) and y[i] is the index of row
 * i's; the consumer maps the chunk's table into its own. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "io/csv_internal.h"

/* Adds [s, s+len) to the chunk's table and makes y[i] its index; a new
 * token moves the indices at or after its place up by one in y[0, i). */
static int intern(pmk_csv_reader *r, size_t i, const char *s, size_t len, pmk_error *err)
{
    size_t at;
    int added;
    int rc = pmk_tokens_add(&r->tok, s, len, (size_t)-1, &at, &added, err);
    if (rc)
        return rc;
    for (size_t j = 0; added && j < i; j++)
        r->y[j] += r->y[j] >= (long)at;
    r->y[i] = (long)at;
    return PMK_OK;
}

static int intern_integer(pmk_csv_reader *r, size_t i, long v, pmk_error *err)
{
    char buf[24];
    int len = snprintf(buf, sizeof buf, "%ld", v);
    return intern(r, i, buf, (size_t)len, err);
}

int pmk_csv_label_token(pmk_csv_reader *r, size_t i, pmk_error *err)
{
    if (!r->y || (!r->row_token && !r->tokmode))
        return PMK_OK;
    if (!r->row_token)
        return intern_integer(r, i, r->y[i], err);
    pmk_error e;
    int rc = pmk_token_check(r->tok_s, r->tok_len, &e);
    if (rc)
        return pmk_error_at(err, rc, r->path, r->line, r->tok_col, "field %zu: %s", r->lc + 1,
                            e.msg);
    if (!r->tokmode) {   /* the first token: the chunk's rows so far become tokens */
        r->tokmode = 1;
        for (size_t j = 0; j < i; j++)
            if ((rc = intern_integer(r, j, r->y[j], err)))
                return rc;
    }
    return intern(r, i, r->tok_s, r->tok_len, err);
}
