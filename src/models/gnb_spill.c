/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_spill.c: the byte spill of a fit's rows, which gives the training
 * accuracy a cheap second pass (gnb_data.c's fitter, gnb_par.c's ranges). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "models/gnb_internal.h"

/* The bytes widened to doubles in a loop for the compiler to vectorise. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif

/* ---------------------------------------------------------------- spill
 *
 * The training accuracy needs the finished model, hence a second pass over
 * the training rows.  Re-parsing a CSV would cost as much as the fit, so
 * while fitting, rows whose values are all integers 0..255 (pixels) are also
 * written to an anonymous temporary file, one byte per value: N*D bytes on
 * disk, nothing in memory.  The second pass reads that back (and works for
 * stdin too).  At the first value that is not a byte the spill is dropped and
 * the second pass re-reads the file (or, for stdin, is skipped).  Record
 * layout: size_t n, n longs (labels), n*D bytes. */

typedef struct pmk_gnb_spill {
    FILE *f;
    unsigned char *bytes;   /* chunk_rows * D, made at first use: with the
                             * feeder (pmk_gnb_spill_put) not before the
                             * second pass, which then takes the block the
                             * feeder's chunk freed instead of fresh pages */
    long *y;                /* chunk_rows: the labels of the rows kept */
    size_t d, chunk_rows;
} spill;

static void spill_drop(spill *sp)
{
    if (sp->f)
        fclose(sp->f);
    free(sp->bytes);
    free(sp->y);
    sp->f = NULL;
    sp->bytes = NULL;
    sp->y = NULL;
}

static void spill_init(spill *sp, size_t chunk_rows, size_t d)
{
    sp->d = d;
    sp->chunk_rows = chunk_rows;
    sp->f = tmpfile();
    sp->y = malloc(chunk_rows * sizeof *sp->y);
    if (!sp->f || !sp->y)
        spill_drop(sp);
}

/* The row buffer, made now if not yet: 0, or -1 out of memory. */
static int spill_bytes(spill *sp)
{
    if (!sp->bytes)
        sp->bytes = malloc(sp->chunk_rows * sp->d > 0 ? sp->chunk_rows * sp->d : 1);
    return sp->bytes ? 0 : -1;
}

/* The rows of chunk @p ch, those of weight 0 (@p w, NULL: none) left out as
 * the fit leaves them out. */
static void spill_add(spill *sp, const pmk_data_chunk *ch, const double *w)
{
    if (!sp->f)
        return;
    if (!ch->y || ch->n > sp->chunk_rows || spill_bytes(sp)) {
        spill_drop(sp);
        return;
    }
    size_t D = sp->d, n = 0;
    int ok = 1;
    for (size_t i = 0; i < ch->n; i++) {
        if (w && w[i] == 0)
            continue;
        const double *row = gsl_matrix_const_ptr(&ch->X.matrix, i, 0);
        sp->y[n] = ch->y[i];
        ok &= pmk_gnb_row_bytes(row, sp->bytes + n++ * D, D);
    }
    if (n && (!ok || fwrite(&n, sizeof n, 1, sp->f) != 1
              || fwrite(sp->y, sizeof *sp->y, n, sp->f) != n
              || fwrite(sp->bytes, D, n, sp->f) != n))
        spill_drop(sp);
}

/* The second pass over a complete spill: PMK_OK and *out, or -1 when the
 * spill cannot be read back (the caller then re-reads the file), or a model
 * error (check01).  Each spilled chunk is evaluated SPILL_ROWS rows at a
 * time (the figures do not depend on the grouping), so that the doubles
 * stay in cache and are not a fresh chunk-sized buffer to fault in. */
#define SPILL_ROWS ((size_t)32)
static int spill_eval(spill *sp, const pmk_gnb *m, pmk_gnb_eval **out, pmk_error *err)
{
    size_t D = sp->d, n, cap = sp->chunk_rows, B = cap < SPILL_ROWS ? cap : SPILL_ROWS;
    if (!sp->f || fflush(sp->f) || fseek(sp->f, 0, SEEK_SET) || spill_bytes(sp))
        return -1;
    pmk_gnb_eval *e = pmk_gnb_eval_alloc(m, err);
    gsl_matrix *X = gsl_matrix_alloc(B, D);
    long *y = malloc(cap * sizeof *y);
    int rc = (!e || !X || !y) ? -1 : 0;
    while (!rc && fread(&n, sizeof n, 1, sp->f) == 1) {
        if (n == 0 || n > cap || fread(y, sizeof *y, n, sp->f) != n
            || fread(sp->bytes, D, n, sp->f) != n) {
            rc = -1;
            break;
        }
        for (size_t a = 0; a < n && !rc; a += B) {
            size_t b = n - a < B ? n - a : B;
            const unsigned char *src = sp->bytes + a * D;
            for (size_t t = 0; t < b * D; t++)
                X->data[t] = src[t];
            gsl_matrix_view V = gsl_matrix_submatrix(X, 0, 0, b, D);
            rc = pmk_gnb_eval_add(e, m, &V.matrix, y + a, err) ? -1 : 0;
        }
    }
    if (!rc && (ferror(sp->f) || !e || e->n == 0))
        rc = -1;
    gsl_matrix_free(X);
    free(y);
    if (rc) {
        pmk_gnb_eval_free(e);
        return -1;
    }
    *out = e;
    return PMK_OK;
}

/* The spill of one range of gnb_par.c's fit (gnb_internal.h). */
pmk_gnb_spill *pmk_gnb_spill_open(size_t chunk_rows, size_t d)
{
    spill *sp = calloc(1, sizeof *sp);
    if (sp)
        spill_init(sp, chunk_rows, d);
    return sp;
}

void pmk_gnb_spill_add(pmk_gnb_spill *sp, const pmk_data_chunk *ch, const double *w)
{
    if (!sp)
        return;
    if (ch->tok)   /* labels that index the chunk's tokens: the training pass re-reads */
        spill_drop(sp);
    else
        spill_add(sp, ch, w);
}

int pmk_gnb_spill_eval(pmk_gnb_spill *sp, const pmk_gnb *m, pmk_gnb_eval **out, pmk_error *err)
{
    return sp ? spill_eval(sp, m, out, err) : -1;
}

void pmk_gnb_spill_put(pmk_gnb_spill *sp, const long *y, const unsigned char *bytes, size_t n)
{
    if (!sp || !sp->f || n == 0)
        return;
    if (n > sp->chunk_rows || fwrite(&n, sizeof n, 1, sp->f) != 1
        || fwrite(y, sizeof *y, n, sp->f) != n || fwrite(bytes, sp->d, n, sp->f) != n)
        spill_drop(sp);
}

void pmk_gnb_spill_drop(pmk_gnb_spill *sp)
{
    if (sp)
        spill_drop(sp);
}

void pmk_gnb_spill_free(pmk_gnb_spill *sp)
{
    if (sp)
        spill_drop(sp);
    free(sp);
}
