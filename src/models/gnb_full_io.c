/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_full_io.c: the full covariance's part of the gnb model file
 * (doc/formats.md): after the classes, D lines "scatter S_ii ... S_i,D-1",
 * the upper triangle of the pooled within-class scatter row by row, in
 * %.17g.  The statistic, not Sigma or its factor, is stored, so that a
 * loaded model merges exactly and load -> save is byte-identical; finish
 * recomputes Sigma, the ridge and the Cholesky factor. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/limits.h"
#include "io/record_internal.h"
#include "models/gnb_internal.h"

static const pmk_rec_rule rule_scatter = {"a scatter value", -1e300, 1e300, 0};

void pmk_gnb_full_write(const pmk_gnb *m, FILE *f)
{
    size_t D = m->d;
    for (size_t i = 0; i < D; i++)
        pmk_rec_put_row(f, "scatter", m->scatter + i * D + i, D - i, 1);
}

int pmk_gnb_full_write_check(const pmk_gnb *m, pmk_error *err)
{
    size_t D = m->d;
    for (size_t i = 0; i < D; i++) {
        int rc = pmk_rec_put_check(&rule_scatter, "the scatter", m->scatter + i * D + i, D - i,
                                   1, err);
        if (rc)
            return rc;
    }
    return PMK_OK;
}

int pmk_gnb_full_check_header(pmk_rec_reader *r, size_t D)
{
    size_t DD;
    if (pmk_size_mul(D, D, &DD) || DD > PMK_GNB_MAX_PARAMS)
        return pmk_rec_fail(r, PMK_ELIMIT, 0,
                            "a full covariance of %zu features is more than pmk accepts", D);
    unsigned long long size, need = (unsigned long long)D * (D + 1);   /* 2 bytes a number */
    if (pmk_rec_file_size(r, &size) && size < need)
        return pmk_rec_fail(r, PMK_EFORMAT, 0,
                            "a full covariance of %zu features needs at least %llu bytes of "
                            "text, but the file has only %llu (truncated, or an edited header)",
                            D, need, size);
    return PMK_OK;
}

int pmk_gnb_full_read(pmk_rec_reader *r, pmk_gnb *m)
{
    size_t D = m->d;
    for (size_t i = 0; i < D; i++) {
        double *row = m->scatter + i * D + i;
        int rc = pmk_rec_need(r, "'scatter' rows");
        if (rc)
            return rc;
        char *w = pmk_rec_word(r);
        size_t got;
        if (!w || strcmp(w, "scatter"))
            return pmk_rec_fail(r, PMK_EFORMAT, 1, "expected 'scatter' row %zu of %zu", i + 1,
                                D);
        if ((rc = pmk_rec_row(r, &rule_scatter, NULL, row, D - i, 1, &got)))
            return rc;
        if (got < D - i || !pmk_rec_at_end(r))
            return pmk_rec_fail(r, PMK_EFORMAT, 0,
                                "expected %zu numbers after 'scatter' (row %zu), found %s", D - i,
                                i + 1, got < D - i ? "fewer" : "more");
        if (!(row[0] >= 0))
            return pmk_rec_fail(r, PMK_EFORMAT, 2,
                                "a diagonal scatter value cannot be negative (%g)", row[0]);
    }
    return PMK_OK;
}
