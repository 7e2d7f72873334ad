/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* dataset.c: the transform every model applies to its data, the one default
 * policy that picks its scale, the statistics that policy reads, the reader's
 * options, and the IDX images -> labels file-name pairing.
 *
 * Transform: x' = scale * x, then with threshold t > 0, x' = [scale * x >= t].
 * Default policy (pmk_transform_auto): pixels are integers 0..255, and only
 * they get the scale 1/255; data already in [0,1] (all 0/1, or fractions)
 * keep the scale 1, and so does anything else (a value of 256 or 0.5 among
 * integers says these are not pixels). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/threads.h"
#include "pmk/dataset.h"
#include "pmk/limits.h"
#include "io/csv_internal.h"
#include "io/dataset_internal.h"

void pmk_transform_init(pmk_transform *tf)
{
    tf->scale = 1.0;
    tf->threshold = 0.0;
    tf->check01 = 0;
}

int pmk_transform_check(const pmk_transform *tf, pmk_error *err)
{
    if (!(tf->scale > 0) || !isfinite(tf->scale))
        return pmk_error_set(err, PMK_EINVAL, "transform: scale %g is not a positive number",
                             tf->scale);
    if (!(tf->threshold >= 0 && tf->threshold <= 1))
        return pmk_error_set(err, PMK_EINVAL,
                             "transform: threshold %g is not in [0,1] (0 = no binarizing)",
                             tf->threshold);
    if (tf->check01 != 0 && tf->check01 != 1)
        return pmk_error_set(err, PMK_EINVAL, "transform: check01 is %d, not 0 or 1",
                             tf->check01);
    return PMK_OK;
}

double pmk_transform_apply(const pmk_transform *tf, double x)
{
    double s = tf->scale * x;
    if (tf->threshold > 0)
        return s >= tf->threshold ? 1.0 : 0.0;
    return s;
}

void pmk_data_stats_init(pmk_data_stats *s)
{
    s->count = 0;
    s->min = s->max = 0.0;
    s->all_u8 = 1;
}

/* The two summaries below are loops for the compiler to vectorise (-O3). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC push_options
#pragma GCC optimize("O3")
#endif

/* One branch-free pass a row: the row's least and greatest value (a NaN
 * compares false and is passed over, as the running min and max pass it),
 * and whether every value is an integer 0..255 (NaN: not). */
void pmk_data_stats_add(pmk_data_stats *s, const gsl_matrix *X)
{
    size_t D = X->size2;
    if (D == 0)
        return;
    for (size_t i = 0; i < X->size1; i++) {
        const double *row = X->data + i * X->tda;
        double lo = s->count == 0 ? row[0] : s->min, hi = s->count == 0 ? row[0] : s->max;
        int u8 = 1;
        for (size_t j = 0; j < D; j++) {
            double x = row[j];
            int in = x >= 0 && x <= 255;   /* NaN: not */
            lo = x < lo ? x : lo;
            hi = x > hi ? x : hi;
            u8 &= in & ((double)(int)(in ? x : 0) == x);
        }
        s->min = lo;
        s->max = hi;
        s->count += D;
        s->all_u8 &= u8;
    }
}

void pmk_data_stats_add_bytes(pmk_data_stats *s, const unsigned char *b, size_t n)
{
    if (n == 0)
        return;
    unsigned char lo = 255, hi = 0;
    for (size_t t = 0; t < n; t++) {
        lo = b[t] < lo ? b[t] : lo;
        hi = b[t] > hi ? b[t] : hi;
    }
    if (s->count == 0 || lo < s->min)
        s->min = lo;
    if (s->count == 0 || hi > s->max)
        s->max = hi;
    s->count += n;
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC pop_options
#endif

size_t pmk_data_chunk_cap(size_t d, size_t rows)
{
    size_t max_cells = CSV_CHUNK_CELLS;
    unsigned long long mcap = pmk_mem_limit(NULL);
    if (mcap && mcap / 4 / sizeof(double) < max_cells)   /* PMK_MAX_MEMORY below 256 MiB */
        max_cells = (size_t)(mcap / 4 / sizeof(double));
    if (d == 0)
        return rows ? rows : 1;
    if (rows == 0)
        rows = CSV_CHUNK_AUTO_ROWS(d);
    if (rows > max_cells / d)
        rows = max_cells / d ? max_cells / d : 1;
    return rows;
}

void pmk_transform_auto(const pmk_data_stats *s, pmk_transform *tf)
{
    tf->scale = s->count > 0 && s->all_u8 && s->max > 1 ? 1.0 / 255.0 : 1.0;
}

void pmk_data_options_init_default(pmk_data_options *o)
{
    o->format = PMK_DATA_AUTO;
    o->header = PMK_CSV_HEADER_AUTO;
    o->label_col = 0;
    o->labels = NULL;
    o->chunk_rows = 0;   /* about 1 MiB of doubles a chunk */
    o->max_line = PMK_CSV_MAX_LINE_DEFAULT;
    o->begin = 0;
    o->end = PMK_DATA_END;
    o->progress = NULL;
    o->progress_ctx = NULL;
    o->u8 = 0;
    o->threads = 0;
    o->label_tokens = 0;
    o->weight_col = -1;
}

int pmk_data_parse_column(const char *text, long *col, pmk_error *err)
{
    char *end;
    if (!strcmp(text, "none") || !strcmp(text, "last")) {
        *col = text[0] == 'n' ? -1 : PMK_COL_FROM_END(1);
        return PMK_OK;
    }
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end || errno || isspace((unsigned char)text[0]) || text[0] == '+'
        || v == LONG_MIN || (v == 0 && text[0] == '-'))
        return pmk_error_set(err, PMK_EINVAL,
                             "'%s' is not a column (0, 1, ..., last, -1, -2, ... or none)", text);
    *col = v >= 0 ? v : PMK_COL_FROM_END(-v);
    return PMK_OK;
}

int pmk_data_options_check(const pmk_data_options *o, pmk_error *err)
{
    if (o->format < PMK_DATA_AUTO || o->format > PMK_DATA_IDX)
        return pmk_error_set(err, PMK_EINVAL, "format %d is not auto, csv or idx", o->format);
    if (o->header < PMK_CSV_HEADER_AUTO || o->header > PMK_CSV_HEADER_YES)
        return pmk_error_set(err, PMK_EINVAL, "header must be auto, no or yes");
    if (o->label_col == LONG_MIN || o->weight_col == LONG_MIN)
        return pmk_error_set(err, PMK_EINVAL, "column LONG_MIN is not valid");
    if (o->label_col != -1 && o->label_col == o->weight_col)
        return pmk_error_set(err, PMK_EINVAL, "the label column cannot also be the weight column");
    if (o->max_line == 0 || o->max_line > SIZE_MAX / 4)
        return pmk_error_set(err, PMK_EINVAL, "max_line must be positive");
    if (o->u8 & ~(PMK_DATA_U8_VALUES | PMK_DATA_U8_LABELS))
        return pmk_error_set(err, PMK_EINVAL, "u8 flags %#x are not known", (unsigned)o->u8);
    if (pmk_threads_check(o->threads, err))
        return PMK_EINVAL;
    if (o->begin > o->end)
        return pmk_error_set(err, PMK_EINVAL, "range [%llu, %llu): the start is after the end",
                             o->begin, o->end);
    if (o->labels && o->label_col == -1)
        return pmk_error_set(err, PMK_EINVAL,
                             "a labels file (%s) is given but labels are not wanted "
                             "(label column -1)", o->labels);
    return PMK_OK;
}

/* The standard MNIST names: "train-images-idx3-ubyte" pairs with
 * "train-labels-idx1-ubyte", also in the dotted spelling
 * "train-images.idx3-ubyte" -> "train-labels.idx1-ubyte", each optionally
 * ending in ".gz" (kept).  Only the last occurrence counts, and it must end
 * the name (or precede ".gz"). */
char *pmk_data_pair_labels(const char *images_path)
{
    static const char *const from[] = {"-images-idx3-ubyte", "-images.idx3-ubyte"};
    static const char *const to[] = {"-labels-idx1-ubyte", "-labels.idx1-ubyte"};
    size_t n = strlen(images_path);
    size_t base = n >= 3 && strcmp(images_path + n - 3, ".gz") == 0 ? n - 3 : n;
    for (size_t k = 0; k < 2; k++) {
        size_t m = strlen(from[k]);
        if (base < m || memcmp(images_path + base - m, from[k], m) != 0)
            continue;
        const char *slash = strrchr(images_path, '/');
        size_t stem = base - m - (slash ? (size_t)(slash + 1 - images_path) : 0);
        if (stem == 0)
            return NULL;   /* "-images-idx3-ubyte" alone names no data set */
        char *out = malloc(n + 1);
        if (!out)
            return NULL;
        memcpy(out, images_path, n + 1);
        memcpy(out + base - m, to[k], m);   /* same length */
        return out;
    }
    return NULL;
}

int pmk_data_grow(const char *shown, size_t need, size_t cap, unsigned long long row_bytes,
                  size_t d, long line, size_t *ncap, pmk_error *err)
{
    size_t n = cap ? cap : need;
    while (n < need)
        n = n > SIZE_MAX / 2 ? SIZE_MAX : 2 * n;
    /* never more rows than the memory ceiling holds: grow less, or stop */
    unsigned long long mcap = pmk_mem_limit(NULL);
    if (mcap && n > mcap / row_bytes)
        n = (size_t)(mcap / row_bytes);
    if (n < need) {
        char what[160];
        snprintf(what, sizeof what, "reading %zu or more rows of %zu values", need, d);
        int rc = pmk_mem_check(shown, line, 0, (unsigned long long)need * row_bytes, what, err);
        return rc ? rc : pmk_error_at(err, PMK_ELIMIT, shown, 0, 0, "too many rows for memory");
    }
    *ncap = n;
    return PMK_OK;
}

gsl_matrix *pmk_matrix_wrap(double *data, size_t n, size_t d)
{
    /* GSL's blocks are malloc'ed and gsl_block_free calls free() */
    gsl_block *b = malloc(sizeof *b);
    if (!b)
        return NULL;
    b->size = n * d;
    b->data = data;
    gsl_matrix *m = gsl_matrix_alloc_from_block(b, 0, n, d, d);
    if (!m) {
        free(b);
        return NULL;
    }
    m->owner = 1;
    return m;
}

int pmk_transform_agrees(const pmk_transform *model, const pmk_transform *asked,
                         const char *how, pmk_error *err)
{
    if (asked->scale > 0 && fabs(asked->scale - model->scale) > 1e-12 * model->scale)
        return pmk_error_set(err, PMK_EINVAL,
                             "scale %.17g contradicts the model's scale %.17g (it was %s with it)",
                             asked->scale, model->scale, how);
    if (asked->threshold > 0 && asked->threshold != model->threshold) {
        if (model->threshold > 0)
            return pmk_error_set(err, PMK_EINVAL,
                                 "binarizing at %.17g contradicts the model's threshold %.17g",
                                 asked->threshold, model->threshold);
        return pmk_error_set(err, PMK_EINVAL,
                             "binarizing at %.17g contradicts the model, which was %s on "
                             "values not binarized", asked->threshold, how);
    }
    return PMK_OK;
}
