/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* dataset_table.c: a whole data set in memory, compact.
 *
 * Storage.  N rows of D values, row-major, in one of three forms: bytes when
 * every value is an integer 0..255 (MNIST: 60000 x 784 = 47 MB), doubles
 * otherwise (8 bytes a value), or bits once a binarizing transform has been
 * set (ceil(D/8) bytes a row).  A CSV file is read as bytes while its values
 * allow, and converted to doubles at the first value that does not fit; an
 * IDX u8 file is read as bytes straight from the file.  The values live in a
 * reference-counted store; a table sees its rows through an optional index
 * map, so the two halves of a holdout split share the values of the table
 * they came from (no copy).
 *
 * Gathering.  A model takes rows in blocks: pmk_table_gather writes B rows as
 * doubles (B x D), transformed; bytes go through a 256-entry table of the
 * transformed values, so a pixel costs one load. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/dataset.h"
#include "pmk/limits.h"
#include "io/dataset_internal.h"
#include "core/core_internal.h"

/* The values, shared by a table and the tables split from it. */
typedef struct tstore {
    size_t refs;
    int kind;              /* PMK_TABLE_U8, _F64, _BITS */
    size_t stride;         /* bytes per row */
    size_t nrows;          /* rows stored */
    unsigned char *data;   /* nrows * stride bytes */
} tstore;

struct pmk_table {
    size_t n, d;
    tstore *st;
    size_t *map;           /* n row indices into st, NULL = row i is st's row i */
    long *y;               /* n labels or NULL */
    long *pos;             /* n source positions */
    char *path;            /* NULL for a table from a matrix */
    int format;            /* PMK_DATA_CSV, PMK_DATA_IDX, 0 for a matrix */
    long label_col;        /* CSV: the label column, for field numbers; -1 none */
    long weight_col;       /* CSV: the weight column, likewise */
    pmk_data_stats stats;
    pmk_transform tf;
    double lut[256];       /* bytes: each value transformed */
    float lutf[256];
};

static void store_unref(tstore *s)
{
    if (s && --s->refs == 0) {
        free(s->data);
        free(s);
    }
}

void pmk_table_free(pmk_table *t)
{
    if (!t)
        return;
    store_unref(t->st);
    CORE_FREE(t->map, t->y, t->pos, t->path, t);
}

static void set_luts(pmk_table *t)
{
    for (int v = 0; v < 256; v++) {
        t->lut[v] = pmk_transform_apply(&t->tf, (double)v);
        t->lutf[v] = (float)t->lut[v];
    }
}

/* The store's row for table row @p i. */
static const unsigned char *row_ptr(const pmk_table *t, size_t i)
{
    size_t k = t->map ? t->map[i] : i;
    return t->st->data + k * t->st->stride;
}

/* Raw value (i, j) (not for bits). */
static double raw_value(const pmk_table *t, size_t i, size_t j)
{
    const unsigned char *p = row_ptr(t, i);
    if (t->st->kind == PMK_TABLE_U8)
        return p[j];
    double x;
    memcpy(&x, p + j * sizeof(double), sizeof x);
    return x;
}

/* The statistics of the table's raw values (bits keep the ones they had). */
static void compute_stats(pmk_table *t)
{
    pmk_data_stats *s = &t->stats;
    pmk_data_stats_init(s);
    if (t->st->kind == PMK_TABLE_U8) {
        for (size_t i = 0; i < t->n; i++)
            pmk_data_stats_add_bytes(s, row_ptr(t, i), t->d);
        return;
    }
    for (size_t i = 0; i < t->n; i++) {
        gsl_matrix_const_view v = gsl_matrix_const_view_array((const double *)row_ptr(t, i), 1,
                                                              t->d);
        pmk_data_stats_add(s, &v.matrix);
    }
}

/* ---------------------------------------------------------------- building */

/* A table growing row by row as chunks arrive. */
typedef struct builder {
    pmk_table *t;
    size_t cap;            /* rows allocated */
    const char *shown;     /* for messages */
} builder;

static pmk_table *table_new(size_t d, int kind, pmk_error *err)
{
    pmk_table *t = calloc(1, sizeof *t);
    tstore *s = calloc(1, sizeof *s);
    if (!t || !s) {
        free(t);
        free(s);
        pmk_error_set(err, PMK_ENOMEM, "out of memory");
        return NULL;
    }
    s->refs = 1;
    s->kind = kind;
    s->stride = kind == PMK_TABLE_U8 ? d : d * sizeof(double);
    t->st = s;
    t->d = d;
    t->label_col = -1;
    t->weight_col = -1;
    pmk_transform_init(&t->tf);
    set_luts(t);
    return t;
}

/* Makes room for @p more rows (doubling), within the memory ceiling: a row
 * takes its values, a label and a position.  @p line is the position of the
 * last row to come, for the message. */
static int reserve(builder *b, size_t more, int labels, long line, pmk_error *err)
{
    pmk_table *t = b->t;
    if (t->n + more <= b->cap)
        return PMK_OK;
    size_t ncap;
    int rc = pmk_data_grow(b->shown, t->n + more, b->cap,
                           (unsigned long long)t->st->stride + 2 * sizeof(long), t->d, line,
                           &ncap, err);
    if (rc)
        return rc;
    size_t bytes;
    if (pmk_size_mul(ncap, t->st->stride, &bytes) || ncap > SIZE_MAX / sizeof(long))
        return pmk_error_at(err, PMK_ELIMIT, b->shown, 0, 0, "too many rows for memory");
    unsigned char *nd = realloc(t->st->data, bytes ? bytes : 1);
    if (nd)
        t->st->data = nd;
    long *np = realloc(t->pos, ncap * sizeof(long));
    if (np)
        t->pos = np;
    long *ny = labels ? realloc(t->y, ncap * sizeof(long)) : NULL;
    if (ny)
        t->y = ny;
    if (!nd || !np || (labels && !ny))
        return pmk_error_at(err, PMK_ENOMEM, b->shown, 0, 0, "out of memory after %zu rows",
                            t->n);
    b->cap = ncap;
    return PMK_OK;
}

/* Converts a byte table to doubles, in place of its store (capacity kept). */
static int widen(builder *b, pmk_error *err)
{
    pmk_table *t = b->t;
    size_t bytes;
    if (pmk_size_mul(b->cap, t->d * sizeof(double), &bytes))
        return pmk_error_at(err, PMK_ELIMIT, b->shown, 0, 0, "too many rows for memory");
    char what[160];
    snprintf(what, sizeof what, "%zu rows of %zu values as doubles", b->cap, t->d);
    int rc = pmk_mem_check(b->shown, 0, 0, bytes, what, err);
    if (rc)
        return rc;
    unsigned char *nd = malloc(bytes ? bytes : 1);
    if (!nd)
        return pmk_error_at(err, PMK_ENOMEM, b->shown, 0, 0, "out of memory after %zu rows",
                            t->n);
    const unsigned char *src = t->st->data;
    double *dst = (double *)nd;
    for (size_t k = 0; k < t->n * t->d; k++)
        dst[k] = src[k];
    free(t->st->data);
    t->st->data = nd;
    t->st->kind = PMK_TABLE_F64;
    t->st->stride = t->d * sizeof(double);
    return PMK_OK;
}

static int is_u8(double x) { return x >= 0 && x <= 255 && x == floor(x); }

/* Appends a chunk: its rows as bytes (@p X, IDX u8) or, with X NULL, as the
 * chunk's doubles (kept as bytes while every value is one). */
static int append(builder *b, const unsigned char *X, const pmk_data_chunk *ch, pmk_error *err)
{
    pmk_table *t = b->t;
    const size_t d = t->d;
    int rc = reserve(b, ch->n, ch->y != NULL, ch->first_pos + (long)ch->n - 1, err);
    if (rc)
        return rc;
    int fits = t->st->kind == PMK_TABLE_U8;
    for (size_t i = 0; i < ch->n && fits && !X; i++) {
        const double *row = gsl_matrix_const_ptr(&ch->X.matrix, i, 0);
        for (size_t j = 0; j < d && fits; j++)
            fits = is_u8(row[j]);
    }
    /* the first value that is not a byte turns the table into doubles */
    if (t->st->kind == PMK_TABLE_U8 && !fits && (rc = widen(b, err)))
        return rc;
    for (size_t i = 0; i < ch->n; i++) {
        unsigned char *dst = t->st->data + (t->n + i) * t->st->stride;
        const double *row = X ? NULL : gsl_matrix_const_ptr(&ch->X.matrix, i, 0);
        if (X)
            memcpy(dst, X + i * d, d);
        else if (t->st->kind == PMK_TABLE_U8)
            for (size_t j = 0; j < d; j++)
                dst[j] = (unsigned char)row[j];
        else
            memcpy(dst, row, d * sizeof(double));
        t->pos[t->n + i] = ch->first_pos + (long)i;
        if (t->y)
            t->y[t->n + i] = ch->y[i];
    }
    t->n += ch->n;
    t->st->nrows = t->n;
    return PMK_OK;
}

/* Gives back what the doubling allocated beyond the rows read. */
static void shrink(pmk_table *t)
{
    size_t bytes = t->n * t->st->stride;
    unsigned char *nd = realloc(t->st->data, bytes ? bytes : 1);
    if (nd)
        t->st->data = nd;
    long *np = realloc(t->pos, (t->n ? t->n : 1) * sizeof(long));
    if (np)
        t->pos = np;
    if (t->y) {
        long *ny = realloc(t->y, (t->n ? t->n : 1) * sizeof(long));
        if (ny)
            t->y = ny;
    }
}

int pmk_data_read_all(const char *path, const pmk_data_options *o, pmk_table **out,
                      pmk_error *err)
{
    pmk_error local;
    if (!err)
        err = &local;
    *out = NULL;
    pmk_data_reader *r = pmk_data_open(path, o, err);
    if (!r)
        return err->code;
    builder b = {NULL, 0, pmk_data_path(r)};
    int rc = PMK_OK;
    if (!(b.t = table_new(pmk_data_nfeatures(r), PMK_TABLE_U8, err))) {
        rc = err->code;
        goto done;
    }
    if (!(b.t->path = strdup(b.shown))) {
        rc = pmk_error_set(err, PMK_ENOMEM, "out of memory");
        goto done;
    }
    b.t->format = pmk_data_format(r);
    pmk_data_csv_columns(r, &b.t->label_col, &b.t->weight_col);
    const int u8 = pmk_data_is_u8(r);
    /* IDX: the rows are known; check the whole table against the ceiling at
     * once (it still grows only as rows arrive: a header may lie) */
    size_t known = pmk_data_range_rows(r);
    if (u8 && known) {
        char what[160];
        snprintf(what, sizeof what, "a table of %zu rows of %zu bytes", known, b.t->d);
        if ((rc = pmk_mem_check(b.shown, 0, 0,
                                (unsigned long long)known * (b.t->d + 2 * sizeof(long)), what,
                                err)))
            goto done;
    }
    pmk_data_chunk ch;
    for (;;) {
        const unsigned char *X = NULL;
        rc = u8 ? pmk_data_read_chunk_u8(r, &X, &ch, err) : pmk_data_read_chunk(r, &ch, err);
        if (rc || ch.n == 0)
            break;
        if ((rc = append(&b, X, &ch, err)))
            break;
    }
    if (!rc && b.t->n == 0)
        rc = pmk_error_at(err, PMK_EFORMAT, b.shown, 0, 0, "no data rows in the range");
done:
    if (!rc) {
        shrink(b.t);
        compute_stats(b.t);
        *out = b.t;
    } else {
        pmk_table_free(b.t);
    }
    pmk_data_close(r);
    return rc;
}

int pmk_table_from_matrix(const gsl_matrix *X, const long *y, pmk_table **out, pmk_error *err)
{
    *out = NULL;
    const size_t n = X->size1, d = X->size2;
    int u8 = 1;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++) {
            double x = gsl_matrix_get(X, i, j);
            if (!isfinite(x))
                return pmk_error_set(err, PMK_EDATA, "row %zu, column %zu: value %g is not finite",
                                     i + 1, j + 1, x);
            u8 &= is_u8(x);
        }
    pmk_table *t = table_new(d, u8 ? PMK_TABLE_U8 : PMK_TABLE_F64, err);
    if (!t)
        return err ? err->code : PMK_ENOMEM;
    builder b = {t, 0, "matrix"};
    int rc = reserve(&b, n, y != NULL, 0, err);
    if (rc) {
        pmk_table_free(t);
        return rc;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char *dst = t->st->data + i * t->st->stride;
        for (size_t j = 0; j < d; j++) {
            double x = gsl_matrix_get(X, i, j);
            if (u8)
                dst[j] = (unsigned char)x;
            else
                memcpy(dst + j * sizeof x, &x, sizeof x);
        }
        t->pos[i] = (long)i + 1;
        if (y)
            t->y[i] = y[i];
    }
    t->n = t->st->nrows = n;
    compute_stats(t);
    *out = t;
    return PMK_OK;
}

/* ---------------------------------------------------------------- transform */

/* The message for a value outside [0,1]: positioned as the source allows. */
static int outside01(const pmk_table *t, size_t i, size_t j, double x, pmk_error *err)
{
    char after[64] = "";
    if (t->tf.scale != 1.0)
        snprintf(after, sizeof after, " after scaling by %g", t->tf.scale);
    long pos = t->pos[i];
    if (t->format == PMK_DATA_CSV) {
        const long a = t->label_col, c = t->weight_col, lo = a < c ? a : c, hi = a < c ? c : a;
        long col = (long)j + (lo >= 0 && (long)j >= lo);
        col += 1 + (hi >= 0 && col >= hi);
        return pmk_error_at(err, PMK_EDATA, t->path, pos, col, "value %.17g is outside [0,1]%s",
                            x, after);
    }
    if (t->format == PMK_DATA_IDX)
        return pmk_error_at(err, PMK_EDATA, t->path, 0, 0,
                            "record %ld, column %zu: value %.17g is outside [0,1]%s", pos, j + 1,
                            x, after);
    return pmk_error_set(err, PMK_EDATA, "row %ld, column %zu: value %.17g is outside [0,1]%s",
                         pos, j + 1, x, after);
}

/* The first value outside [0,1] after scaling, in row order: its error. */
static int check01(pmk_table *t, pmk_error *err)
{
    const double s = t->tf.scale, lo = t->stats.min * s, hi = t->stats.max * s;
    if (t->stats.count == 0 || (lo >= 0 && hi <= 1))
        return PMK_OK;   /* the statistics show every value is in range */
    for (size_t i = 0; i < t->n; i++)
        for (size_t j = 0; j < t->d; j++) {
            double x = raw_value(t, i, j), v = s * x;
            if (!(v >= 0 && v <= 1))
                return outside01(t, i, j, x, err);
        }
    return PMK_OK;
}

/* Repacks the table's rows as bits of the binarized values (a new store,
 * rows in table order). */
static int to_bits(pmk_table *t, pmk_error *err)
{
    size_t stride = (t->d + 7) / 8, bytes;
    if (pmk_size_mul(t->n, stride, &bytes))
        return pmk_error_set(err, PMK_ELIMIT, "too many rows for memory");
    tstore *s = calloc(1, sizeof *s);
    unsigned char *data = calloc(bytes ? bytes : 1, 1);
    if (!s || !data) {
        free(s);
        free(data);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < t->n; i++) {
        unsigned char *dst = data + i * stride;
        for (size_t j = 0; j < t->d; j++)
            if (pmk_transform_apply(&t->tf, raw_value(t, i, j)) != 0)
                dst[j >> 3] |= (unsigned char)(1u << (j & 7));
    }
    s->refs = 1;
    s->kind = PMK_TABLE_BITS;
    s->stride = stride;
    s->nrows = t->n;
    s->data = data;
    store_unref(t->st);
    t->st = s;
    free(t->map);
    t->map = NULL;
    return PMK_OK;
}

int pmk_table_set_transform(pmk_table *t, const pmk_transform *tf, pmk_error *err)
{
    int rc = pmk_transform_check(tf, err);
    if (rc)
        return rc;
    if (t->st->kind == PMK_TABLE_BITS) {
        if (tf->scale == t->tf.scale && tf->threshold == t->tf.threshold)
            return PMK_OK;
        return pmk_error_set(err, PMK_EINVAL,
                             "the table is binarized (scale %g, threshold %g) and cannot take "
                             "another transform (scale %g, threshold %g)",
                             t->tf.scale, t->tf.threshold, tf->scale, tf->threshold);
    }
    pmk_transform old = t->tf;
    t->tf = *tf;
    if ((tf->check01 && (rc = check01(t, err))) || (tf->threshold > 0 && (rc = to_bits(t, err)))) {
        t->tf = old;
        return rc;
    }
    set_luts(t);
    return PMK_OK;
}

/* ---------------------------------------------------------------- gathering */

static int gather_check(const pmk_table *t, const size_t *rows, size_t n, size_t out_rows,
                        size_t out_cols, pmk_error *err)
{
    if (out_rows < n || out_cols != t->d)
        return pmk_error_set(err, PMK_EINVAL,
                             "gather: %zu rows of %zu values do not fit a %zu x %zu output", n,
                             t->d, out_rows, out_cols);
    for (size_t i = 0; i < n; i++)
        if ((rows ? rows[i] : i) >= t->n)
            return pmk_error_set(err, PMK_EINVAL, "gather: row %zu of a table of %zu rows",
                                 rows ? rows[i] : i, t->n);
    return PMK_OK;
}

/* One row, transformed, into dst[0, D) of type T: bytes through the lookup
 * table LUT, bits as 0/1, doubles through the transform.  Written once for
 * the double and the float gather. */
#define GATHER_ROW(T, LUT)                                                     \
    switch (t->st->kind) {                                                   \
    case PMK_TABLE_U8:                                                       \
        for (size_t j = 0; j < d; j++)                                       \
            dst[j] = t->LUT[p[j]];                                           \
        break;                                                               \
    case PMK_TABLE_BITS:                                                     \
        for (size_t j = 0; j < d; j++)                                       \
            dst[j] = (T)((p[j >> 3] >> (j & 7)) & 1u);                       \
        break;                                                               \
    default:                                                                 \
        for (size_t j = 0; j < d; j++) {                                     \
            double x;                                                        \
            memcpy(&x, p + j * sizeof x, sizeof x);                          \
            dst[j] = (T)pmk_transform_apply(&t->tf, x);                      \
        }                                                                    \
    }

int pmk_table_gather(const pmk_table *t, const size_t *rows, size_t n, gsl_matrix *out,
                     pmk_error *err)
{
    int rc = gather_check(t, rows, n, out->size1, out->size2, err);
    const size_t d = t->d;
    for (size_t i = 0; i < n && !rc; i++) {
        const unsigned char *p = row_ptr(t, rows ? rows[i] : i);
        double *dst = out->data + i * out->tda;
        GATHER_ROW(double, lut)
    }
    return rc;
}

int pmk_table_gather_f32(const pmk_table *t, const size_t *rows, size_t n, float *out,
                         pmk_error *err)
{
    int rc = gather_check(t, rows, n, n, t->d, err);
    const size_t d = t->d;
    for (size_t i = 0; i < n && !rc; i++) {
        const unsigned char *p = row_ptr(t, rows ? rows[i] : i);
        float *dst = out + i * d;
        if (i + 4 < n) {   /* the RBM's rows are random: row i + 4's lines on their way */
            const unsigned char *q = row_ptr(t, rows ? rows[i + 4] : i + 4);
            for (size_t o = 0; o < t->st->stride; o += 64)
                __builtin_prefetch(q + o);
        }
        GATHER_ROW(float, lutf)
    }
    return rc;
}

/* ---------------------------------------------------------------- accessors */

size_t pmk_table_nrows(const pmk_table *t) { return t->n; }
size_t pmk_table_nfeatures(const pmk_table *t) { return t->d; }
const long *pmk_table_labels(const pmk_table *t) { return t->y; }
const long *pmk_table_positions(const pmk_table *t) { return t->pos; }
const char *pmk_table_path(const pmk_table *t) { return t->path; }
int pmk_table_storage(const pmk_table *t) { return t->st->kind; }
size_t pmk_table_bytes(const pmk_table *t) { return t->n * t->st->stride; }
const pmk_transform *pmk_table_transform(const pmk_table *t) { return &t->tf; }
const pmk_data_stats *pmk_table_stats(const pmk_table *t) { return &t->stats; }

/* ---------------------------------------------------------------- split */

/* A table of rows @p rows[0..n) of @p t, sharing its store. */
static pmk_table *subset(const pmk_table *t, const size_t *rows, size_t n, pmk_error *err)
{
    pmk_table *s = calloc(1, sizeof *s);
    if (!s) {
        pmk_error_set(err, PMK_ENOMEM, "out of memory");
        return NULL;
    }
    *s = *t;
    s->n = n;
    s->map = malloc((n ? n : 1) * sizeof *s->map);
    s->pos = malloc((n ? n : 1) * sizeof *s->pos);
    s->y = t->y ? malloc((n ? n : 1) * sizeof *s->y) : NULL;
    s->path = t->path ? strdup(t->path) : NULL;
    s->st = NULL;
    if (!s->map || !s->pos || (t->y && !s->y) || (t->path && !s->path)) {
        pmk_table_free(s);
        pmk_error_set(err, PMK_ENOMEM, "out of memory");
        return NULL;
    }
    s->st = t->st;
    s->st->refs++;
    for (size_t i = 0; i < n; i++) {
        size_t k = rows[i];
        s->map[i] = t->map ? t->map[k] : k;
        s->pos[i] = t->pos[k];
        if (t->y)
            s->y[i] = t->y[k];
    }
    if (t->st->kind != PMK_TABLE_BITS)
        compute_stats(s);
    return s;
}

int pmk_table_split(const pmk_table *t, double frac, pmk_rng *r, pmk_table **train,
                    pmk_table **hold, pmk_error *err)
{
    *train = *hold = NULL;
    if (!(frac >= 0 && frac < 1))
        return pmk_error_set(err, PMK_EINVAL, "holdout fraction %g is not in [0,1)", frac);
    const size_t N = t->n;
    /* Held-out rows: a seeded random subset (the last H of a permutation). */
    size_t nheld = (size_t)floor(frac * (double)N);
    if (nheld >= N)
        nheld = N ? N - 1 : 0;
    size_t ntrain = N - nheld;
    size_t *perm = malloc((N ? N : 1) * sizeof *perm);
    if (!perm)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    if (nheld)
        pmk_rng_permutation(r, perm, N);
    else
        for (size_t n = 0; n < N; n++)
            perm[n] = n;
    int rc = PMK_OK;
    if (!(*train = subset(t, perm, ntrain, err)))
        rc = err ? err->code : PMK_ENOMEM;
    else if (nheld && !(*hold = subset(t, perm + ntrain, nheld, err)))
        rc = err ? err->code : PMK_ENOMEM;
    free(perm);
    if (rc) {
        pmk_table_free(*train);
        *train = NULL;
    }
    return rc;
}
