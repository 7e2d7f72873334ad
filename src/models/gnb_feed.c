/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_feed.c: a fit's rows gathered into its chunks.  The statistics of a
 * fit depend on how its rows are grouped (each chunk's own mean and M2, then
 * a Chan merge), so the fit works in chunks of a fixed number of rows
 * (1024 in the CLI, 4096 for a library caller who leaves chunk_rows 0).  As
 * doubles, such a chunk of 784 pixels a row is 6.4 (25.7) MB, gone over five
 * times (the parse writes it; the means, the deviations, the raw-value
 * summary and the byte spill read it): beyond a core's own caches, and at two
 * threads the cores wait on memory.  So the reader hands over small chunks
 * (FEED_READ_ROWS rows, whose doubles stay in the cache), the feeder keeps
 * their rows as bytes while every value is an integer 0..255, and the fit
 * sees the same chunks as before, as bytes (pmk_gnb_fit_bytes: the same
 * bits): 0.8 (3.2) MB.  A full chunk of bytes goes to the byte spill as it is.  At
 * the first value that is not a byte the chunk held so far is widened to
 * doubles and the rest of the data stays doubles (as before, to the bit).
 * Messages about a row name its place in the file: the feeder keeps where
 * each reader chunk's rows came from. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "pmk/limits.h"
#include "io/dataset_internal.h"
#include "models/gnb_internal.h"

/* The row kernels are plain loops written for the compiler to vectorise
 * (across a row: each value's own operations in the same order, so the bits
 * do not depend on the vector width); -O3 is asked for here, and no
 * contraction into FMA. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3", "fp-contract=off")
#endif

/* Rows a reader hands over at a time: 32 x 784 doubles = 200 KB. */
#define FEED_READ_ROWS ((size_t)32)

typedef struct feed_run {
    size_t row;    /* the first held row of a reader chunk */
    long pos;      /* its place in the file (pmk_data_chunk.first_pos) */
} feed_run;

struct pmk_gnb_feed {
    pmk_gnb *m;
    pmk_gnb_spill *sp;     /* the fit's byte spill, or NULL */
    size_t d, cap, n;      /* row length, rows a chunk, rows held */
    unsigned char *b;      /* cap x d bytes, while every value held is a byte */
    double *x;             /* cap x d doubles, once one is not (b is then freed) */
    long *y;               /* cap labels */
    feed_run *run;         /* where the held rows came from: a run a reader chunk */
    size_t nrun, runcap;
};

size_t pmk_gnb_feed_read_rows(size_t rows)
{
    return rows < FEED_READ_ROWS ? rows : FEED_READ_ROWS;
}

pmk_gnb_feed *pmk_gnb_feed_open(pmk_gnb *m, size_t rows, pmk_gnb_spill *sp, pmk_error *err)
{
    pmk_gnb_feed *f = calloc(1, sizeof *f);
    size_t D = m->d, bytes;
    rows = pmk_data_chunk_cap(D, rows);   /* a CSV reader's chunk of that many rows */
    if (!f || pmk_size_mul(rows, D, &bytes))
        goto nomem;
    f->m = m;
    f->sp = sp;
    f->d = D;
    f->cap = rows;
    f->runcap = 16;
    f->y = malloc(rows * sizeof *f->y);
    f->run = malloc(f->runcap * sizeof *f->run);
    if (!f->y || !f->run)
        goto nomem;
    if (pmk_gnb_bytes_fit_ok(m))
        f->b = malloc(bytes ? bytes : 1);
    if (!f->b) {   /* a model that needs doubles, or no memory for bytes: doubles */
        pmk_gnb_spill_drop(sp);
        if (!(f->x = malloc((bytes ? bytes : 1) * sizeof *f->x)))
            goto nomem;
    }
    return f;
nomem:
    pmk_error_set(err, PMK_ENOMEM, "out of memory");
    pmk_gnb_feed_free(f);
    return NULL;
}

void pmk_gnb_feed_free(pmk_gnb_feed *f)
{
    if (!f)
        return;
    free(f->b);
    free(f->x);
    free(f->y);
    free(f->run);
    free(f);
}

/* One row of @p D doubles as bytes at @p o: 1 when every value is an
 * integer 0..255 (the byte gives it back; NaN: not).  Clamp, truncate and
 * compare, two doubles an SSE2 operation where there is SSE2. */
int pmk_gnb_row_bytes(const double *restrict row, unsigned char *restrict o, size_t D)
{
    size_t j = 0;
    int ok = 1;
#ifdef __SSE2__
    const __m128d zero = _mm_setzero_pd(), top = _mm_set1_pd(255);
    __m128d bad = _mm_setzero_pd();
    for (; j + 8 <= D; j += 8) {
        __m128i q[4];
        for (int k = 0; k < 4; k++) {
            __m128d v = _mm_loadu_pd(row + j + 2 * k);
            /* max(v, 0) is 0 for a NaN v, which then differs from v */
            q[k] = _mm_cvttpd_epi32(_mm_min_pd(_mm_max_pd(v, zero), top));
            bad = _mm_or_pd(bad, _mm_cmpneq_pd(_mm_cvtepi32_pd(q[k]), v));
        }
        __m128i w = _mm_packs_epi32(_mm_unpacklo_epi64(q[0], q[1]), _mm_unpacklo_epi64(q[2], q[3]));
        _mm_storel_epi64((__m128i *)(o + j), _mm_packus_epi16(w, w));
    }
    ok = _mm_movemask_pd(bad) == 0;
#endif
    for (; j < D; j++) {
        double v = row[j], c = v >= 0 && v <= 255 ? v : 0;
        unsigned char b = (unsigned char)c;
        o[j] = b;
        ok &= (double)b == v;
    }
    return ok;
}

/* Rows [i, i + n) of @p X as bytes at @p out: 1 when every value is one. */
static int to_bytes(const gsl_matrix *X, size_t i, size_t n, unsigned char *out)
{
    size_t D = X->size2;
    int ok = 1;
    for (size_t r = 0; r < n; r++)
        ok &= pmk_gnb_row_bytes(gsl_matrix_const_ptr(X, i + r, 0), out + r * D, D);
    return ok;
}

/* From bytes to doubles for good: the rows held so far widened. */
static int widen(pmk_gnb_feed *f, pmk_error *err)
{
    size_t cells = f->cap * f->d;
    if (!(f->x = malloc((cells ? cells : 1) * sizeof *f->x)))
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    for (size_t t = 0; t < f->n * f->d; t++)
        f->x[t] = f->b[t];
    free(f->b);
    f->b = NULL;
    pmk_gnb_spill_drop(f->sp);   /* the training pass re-reads the file */
    return PMK_OK;
}

/* A model error about held row err->line moved to its place in the file. */
static int at_row(const pmk_gnb_feed *f, const pmk_data_reader *r, pmk_error *err)
{
    pmk_data_chunk ch = {.n = 0};
    if (err && err->line > 0) {
        size_t row = (size_t)err->line - 1, k = f->nrun;
        while (k > 1 && f->run[k - 1].row > row)
            k--;
        ch.first_pos = f->run[k - 1].pos;
        err->line = (long)(row - f->run[k - 1].row) + 1;
    }
    return pmk_gnb_at_chunk(r, &ch, err);
}

int pmk_gnb_feed_flush(pmk_gnb_feed *f, const pmk_data_reader *r, pmk_error *err)
{
    if (f->n == 0)
        return PMK_OK;
    int rc;
    if (f->b) {
        rc = pmk_gnb_fit_bytes(f->m, f->b, f->n, f->y, err);
        if (!rc)
            pmk_gnb_spill_put(f->sp, f->y, f->b, f->n);
    } else {
        gsl_matrix_view X = gsl_matrix_view_array(f->x, f->n, f->d);
        rc = pmk_gnb_partial_fit(f->m, &X.matrix, f->y, err);
    }
    if (rc)
        return at_row(f, r, err);
    f->n = f->nrun = 0;
    return PMK_OK;
}

/* A reader chunk's rows added, as doubles (@p B NULL) or as the bytes
 * @p B (n x D). */
static int add(pmk_gnb_feed *f, const pmk_data_reader *r, const pmk_data_chunk *ch,
               const unsigned char *B, pmk_error *err)
{
    if (ch->n && ch->tok)
        return PMK_GNB_FEED_TOKENS;
    if (ch->n && (!ch->y || ch->w || (!B && ch->X.matrix.size2 != f->d)))
        return pmk_error_set(err, PMK_EINVAL, "the fit's feeder takes rows with integer labels "
                                              "and no weights");
    size_t D = f->d;
    for (size_t i = 0; i < ch->n;) {
        size_t take = ch->n - i < f->cap - f->n ? ch->n - i : f->cap - f->n;
        if (f->nrun == f->runcap) {   /* at most one run a reader chunk */
            feed_run *nr = f->runcap < SIZE_MAX / 2 / sizeof *nr
                               ? realloc(f->run, 2 * f->runcap * sizeof *nr) : NULL;
            if (!nr)
                return pmk_error_set(err, PMK_ENOMEM, "out of memory");
            f->run = nr;
            f->runcap *= 2;
        }
        f->run[f->nrun++] = (feed_run){f->n, ch->first_pos + (long)i};
        memcpy(f->y + f->n, ch->y + i, take * sizeof *f->y);
        int rc = PMK_OK;
        if (B && f->b)
            memcpy(f->b + f->n * D, B + i * D, take * D);
        else if (B)   /* a model that needs doubles */
            for (size_t t = 0; t < take * D; t++)
                f->x[f->n * D + t] = B[i * D + t];
        else if (f->b && !to_bytes(&ch->X.matrix, i, take, f->b + f->n * D))
            rc = widen(f, err);
        if (rc)
            return rc;
        if (!B && !f->b)
            for (size_t t = 0; t < take; t++)
                memcpy(f->x + (f->n + t) * D, gsl_matrix_const_ptr(&ch->X.matrix, i + t, 0),
                       D * sizeof *f->x);
        f->n += take;
        i += take;
        if (f->n == f->cap && (rc = pmk_gnb_feed_flush(f, r, err)))
            return rc;
    }
    return PMK_OK;
}

int pmk_gnb_feed_read(pmk_gnb_feed *f, pmk_data_reader *r, pmk_data_chunk *ch, pmk_error *err)
{
    const unsigned char *B = NULL;
    int rc = pmk_data_is_u8(r) ? pmk_data_read_chunk_u8(r, &B, ch, err)
                               : pmk_data_read_chunk(r, ch, err);
    if (!rc && ch->n)
        rc = add(f, r, ch, B, err);
    return rc;
}
