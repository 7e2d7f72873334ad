/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* dataset_read.c: one reader for CSV and IDX data sets, in chunks of rows.
 *
 * The format is the file's: the first four bytes (after gunzip) are an IDX
 * magic (00 00, a known element type, 1 to 8 dimensions) or the file is read
 * as CSV.  Those bytes are handed on to the CSV reader, so standard input
 * works as well as a file.  CSV goes through pmk_csv_open_in, with its
 * messages and its byte range.  IDX is streamed: the header is checked, the
 * rows before the range are read past, and each chunk is decoded from the
 * body's big-endian elements; the labels file (given, or found by the
 * standard pairing) is streamed beside it, its count checked against the
 * images.  The body's length is checked as pmk_idx_read checks it whenever
 * the range runs to the end of the file. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pmk/dataset.h"
#include "pmk/idx.h"
#include "io/csv_internal.h"
#include "io/idx_internal.h"
#include "io/dataset_internal.h"
#include "io/stream_internal.h"
#include "core/progress_internal.h"
#include "core/core_internal.h"

/* One side of an IDX data set: the images or the labels. */
typedef struct idx_side {
    pmk_instream *in;
    pmk_idx_header h;
    size_t rowbytes;          /* bytes of one record */
    unsigned char *raw;       /* up to chunk_rows records, grown as bytes arrive */
    size_t rawcap;
} idx_side;

struct pmk_data_reader {
    int format;
    char *path;               /* as shown in messages */
    size_t d;
    int has_labels;
    pmk_csv_reader *csv;
    /* IDX */
    idx_side img, lab;
    size_t chunk_rows;
    size_t first, next, end;  /* the range's first record (0-based), the next, its end */
    pmk_progress_fn progress; /* and its progress_ctx: the options' */
    void *progress_ctx;
    double *X;                /* chunk_rows x d, made on the first double read */
    long *y;                  /* chunk_rows labels */
    int failed;
    int started;              /* a chunk was asked for: src is then NULL */
    char *src, *src_labels;   /* the path as opened and the labels file, and */
    pmk_data_options src_opt; /* the options: pmk_data_reader_source */
};

void pmk_data_close(pmk_data_reader *r)
{
    if (!r)
        return;
    pmk_csv_close(r->csv);
    pmk_instream_close(r->img.in);
    pmk_instream_close(r->lab.in);
    CORE_FREE(r->img.raw, r->lab.raw, r->X, r->y, r->path, r->src, r->src_labels, r);
}

const char *pmk_data_reader_source(const pmk_data_reader *r, const pmk_data_options **o)
{
    *o = &r->src_opt;
    return r->started ? NULL : r->src;
}

size_t pmk_data_nfeatures(const pmk_data_reader *r) { return r->d; }
int pmk_data_has_labels(const pmk_data_reader *r) { return r->has_labels; }

void pmk_data_csv_columns(const pmk_data_reader *r, long *label_col, long *weight_col)
{
    *label_col = r->csv && r->csv->lc != SIZE_MAX ? (long)r->csv->lc : -1;
    *weight_col = r->csv && r->csv->wc != SIZE_MAX ? (long)r->csv->wc : -1;
}
int pmk_data_format(const pmk_data_reader *r) { return r->format; }
const char *pmk_data_path(const pmk_data_reader *r) { return r->path; }
int pmk_data_is_u8(const pmk_data_reader *r)
{
    return r->format == PMK_DATA_IDX && r->img.h.type == PMK_IDX_U8;
}
const pmk_idx_header *pmk_data_idx_header(const pmk_data_reader *r)
{
    return r->format == PMK_DATA_IDX ? &r->img.h : NULL;
}
size_t pmk_data_range_rows(const pmk_data_reader *r)
{
    return r->format == PMK_DATA_IDX ? r->end - r->next : 0;
}

/* ---------------------------------------------------------------- IDX */

/* Reads @p n bytes of @p s's body into s->raw, which grows only as the
 * bytes arrive (from 1 MiB, doubling), so that a header claiming huge
 * records costs nothing; a short body is the length error, @p done bytes of
 * the body having been read before. */
static int side_read(idx_side *s, size_t n, size_t done, pmk_error *err)
{
    size_t have = 0;
    for (;;) {
        size_t want = n < s->rawcap ? n : s->rawcap;
        long got = pmk_idx_read_full(s->in, s->raw + have, want - have, err);
        if (got < 0)
            return err->code;
        have += (size_t)got;
        if (have < want)
            return pmk_idx_length_error(s->in, &s->h, s->h.hlen + done + have, err);
        if (have == n)
            return PMK_OK;
        size_t ncap = s->rawcap > n / 2 ? n : 2 * s->rawcap;
        unsigned char *nr = realloc(s->raw, ncap);
        if (!nr)
            return pmk_error_at(err, PMK_ENOMEM, pmk_instream_path(s->in), 0, 0,
                                "out of memory");
        s->raw = nr;
        s->rawcap = ncap;
    }
}

/* Reads past records [0, @p k) of @p s. */
static int side_skip(idx_side *s, size_t k, pmk_error *err)
{
    size_t done = 0, total = k * s->rowbytes;
    while (done < total) {
        size_t n = total - done < s->rawcap ? total - done : s->rawcap;
        int rc = side_read(s, n, done, err);
        if (rc)
            return rc;
        done += n;
    }
    return PMK_OK;
}

/* After the last record: nothing may follow. */
static int side_tail(idx_side *s, pmk_error *err)
{
    unsigned char junk[4096];
    size_t extra = 0;
    long got;
    while ((got = pmk_idx_read_full(s->in, junk, sizeof junk, err)) > 0)
        extra += (size_t)got;
    if (got < 0)
        return err->code;
    return extra ? pmk_idx_length_error(s->in, &s->h, s->h.total + extra, err) : PMK_OK;
}

/* Opens the labels of the IDX reader @p r: @p given, or the standard pair. */
static int open_labels(pmk_data_reader *r, const char *images, const char *given, pmk_error *err)
{
    char *paired = NULL;
    const char *path = given;
    if (!path) {
        paired = strcmp(images, "-") == 0 ? NULL : pmk_data_pair_labels(images);
        if (!paired)
            return pmk_error_at(err, PMK_EINVAL, r->path, 0, 0,
                                "no labels file pairs with this name (the standard pairing "
                                "needs a name ending in -images-idx3-ubyte or "
                                "-images.idx3-ubyte); name the labels file, or read without "
                                "labels");
        if (access(paired, F_OK) != 0) {
            pmk_error_at(err, PMK_EINVAL, r->path, 0, 0,
                         "its labels file %s (by the standard pairing) does not exist; name "
                         "the labels file, or read without labels", paired);
            free(paired);
            return PMK_EINVAL;
        }
        path = paired;
    }
    int rc = PMK_OK;
    if (!(r->lab.in = pmk_instream_open(path, err)))
        rc = err->code;
    else if (!(rc = pmk_idx_header_read(r->lab.in, NULL, 0, &r->lab.h, err))
             && !(rc = pmk_idx_labels_check(pmk_instream_path(r->lab.in), &r->lab.h, err))
             && r->lab.h.dims[0] != r->img.h.dims[0])
        rc = pmk_error_at(err, PMK_EDATA, NULL, 0, 0,
                          "%s has %zu images but %s has %zu labels: the counts must be equal",
                          r->path, r->img.h.dims[0], pmk_instream_path(r->lab.in),
                          r->lab.h.dims[0]);
    free(paired);
    r->lab.rowbytes = r->lab.h.esz;
    return rc;
}

static int open_idx(pmk_data_reader *r, const char *path, const unsigned char *pre, size_t npre,
                    const pmk_data_options *o, pmk_error *err)
{
    int rc = pmk_idx_header_read(r->img.in, pre, npre, &r->img.h, err);
    if (rc)
        return rc;
    const pmk_idx_header *h = &r->img.h;
    const size_t N = h->dims[0];
    r->d = h->count / N;
    r->img.rowbytes = r->d * h->esz;
    if (o->weight_col != -1)
        return pmk_error_at(err, PMK_EINVAL, r->path, 0, 0,
                            "a weight column is for CSV input, and this is IDX");
    if (o->label_col != -1) {
        if ((rc = open_labels(r, path, o->labels, err)))
            return rc;
        r->has_labels = 1;
    }
    /* a chunk holds at most CSV_CHUNK_CELLS values, as for CSV */
    r->chunk_rows = o->chunk_rows ? o->chunk_rows : r->d ? CSV_CHUNK_AUTO_ROWS(r->d) : 1;
    if (r->d && r->chunk_rows > CSV_CHUNK_CELLS / r->d)
        r->chunk_rows = CSV_CHUNK_CELLS / r->d ? CSV_CHUNK_CELLS / r->d : 1;
    r->next = o->begin < N ? (size_t)o->begin : N;
    r->end = o->end < N ? (size_t)o->end : N;
    if (r->end < r->next)
        r->end = r->next;
    r->first = r->next;
    /* the buffers start small and grow as bytes arrive (side_read) */
    const size_t mib = (size_t)1 << 20;
    r->img.rawcap = r->chunk_rows * r->img.rowbytes < mib ? r->chunk_rows * r->img.rowbytes : mib;
    r->lab.rawcap = r->chunk_rows * r->lab.rowbytes;
    r->img.raw = malloc(r->img.rawcap);
    r->lab.raw = r->has_labels ? malloc(r->lab.rawcap) : NULL;
    r->y = r->has_labels ? malloc(r->chunk_rows * sizeof(long)) : NULL;
    if (!r->img.raw || (r->has_labels && (!r->lab.raw || !r->y)))
        return pmk_error_at(err, PMK_ENOMEM, r->path, 0, 0, "out of memory for a chunk of %zu rows",
                            r->chunk_rows);
    if ((rc = side_skip(&r->img, r->next, err)))
        return rc;
    if (r->has_labels && (rc = side_skip(&r->lab, r->next, err)))
        return rc;
    return PMK_OK;
}

/* Reads the next chunk's records as bytes into img.raw (and the labels). */
static int idx_chunk_raw(pmk_data_reader *r, pmk_data_chunk *chunk, pmk_error *err)
{
    size_t n = r->end - r->next < r->chunk_rows ? r->end - r->next : r->chunk_rows;
    int rc;
    memset(chunk, 0, sizeof *chunk);
    if (n == 0) {
        /* the range ran to the end of the file: check nothing follows */
        if (r->next == r->img.h.dims[0] && r->img.in) {
            if ((rc = side_tail(&r->img, err)) || (r->has_labels && (rc = side_tail(&r->lab, err))))
                return rc;
            pmk_instream_close(r->img.in);
            r->img.in = NULL;
        }
        return PMK_OK;
    }
    if ((rc = side_read(&r->img, n * r->img.rowbytes, r->next * r->img.rowbytes, err)))
        return rc;
    if (r->has_labels) {
        if ((rc = side_read(&r->lab, n * r->lab.rowbytes, r->next * r->lab.rowbytes, err)))
            return rc;
        for (size_t i = 0; i < n; i++)
            r->y[i] = (long)pmk_idx_element(r->lab.h.type, r->lab.raw, i);
        chunk->y = r->y;
    }
    chunk->n = n;
    chunk->first_pos = (long)r->next + 1;
    r->next += n;
    char what[200];
    snprintf(what, sizeof what, "reading %s", r->path);
    return pmk_progress_tell(r->progress, r->progress_ctx, what, r->next - r->first,
                             r->end - r->first, "rows", err);
}

int pmk_data_read_chunk_u8(pmk_data_reader *r, const unsigned char **X, pmk_data_chunk *chunk,
                           pmk_error *err)
{
    pmk_error local;
    if (!err)
        err = &local;
    if (r->failed)
        return pmk_error_set(err, PMK_EINVAL, "%s: read after an error", r->path);
    int rc = idx_chunk_raw(r, chunk, err);
    r->started = 1;
    r->failed = rc != PMK_OK;
    *X = r->img.raw;
    return rc;
}

static int idx_chunk(pmk_data_reader *r, pmk_data_chunk *chunk, pmk_error *err)
{
    int rc = idx_chunk_raw(r, chunk, err);
    if (rc || chunk->n == 0)
        return rc;
    /* the doubles, once the bytes they come from are there */
    if (!r->X && !(r->X = core_alloc_huge(r->chunk_rows * r->d * sizeof(double))))
        return pmk_error_at(err, PMK_ENOMEM, r->path, 0, 0, "out of memory for a chunk of %zu rows",
                            r->chunk_rows);
    const size_t cells = chunk->n * r->d, first = ((size_t)chunk->first_pos - 1) * r->d;
    for (size_t i = 0; i < cells; i++) {
        double x = pmk_idx_element(r->img.h.type, r->img.raw, i);
        if (!isfinite(x))
            return pmk_idx_nonfinite(r->path, first + i, r->d, x, err);
        r->X[i] = x;
    }
    chunk->X = gsl_matrix_view_array(r->X, chunk->n, r->d);
    return PMK_OK;
}

/* ---------------------------------------------------------------- both */

static pmk_data_reader *data_open(const char *path, const pmk_data_options *opt, int *rel,
                                  pmk_error *err)
{
    pmk_error local;
    if (!err)
        err = &local;
    pmk_data_options o;
    if (opt)
        o = *opt;
    else
        pmk_data_options_init_default(&o);
    const char *shown = pmk_stream_shown(path);
    if (pmk_data_options_check(&o, err)) {
        pmk_error_prefix(err, shown);
        return NULL;
    }
    pmk_data_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(shown)) || !(r->src = strdup(path))
        || (o.labels && !(r->src_labels = strdup(o.labels)))) {
        if (r)
            CORE_FREE(r->path, r->src);
        free(r);
        pmk_error_at(err, PMK_ENOMEM, shown, 0, 0, "out of memory");
        return NULL;
    }
    pmk_instream *in = pmk_instream_open(path, err);
    if (!in)
        goto fail;
    unsigned char pre[4];
    long npre = pmk_idx_read_full(in, pre, sizeof pre, err);
    if (npre < 0) {
        pmk_instream_close(in);
        goto fail;
    }
    r->src_opt = o;
    r->src_opt.labels = r->src_labels;
    r->format = o.format;
    r->progress = o.progress;
    r->progress_ctx = o.progress_ctx;
    if (r->format == PMK_DATA_AUTO)
        r->format = npre == 4 && pmk_idx_magic_ok(pre) ? PMK_DATA_IDX : PMK_DATA_CSV;
    if (r->format == PMK_DATA_IDX) {
        r->img.in = in;
        if (open_idx(r, path, pre, (size_t)npre, &o, err))
            goto fail;
        return r;
    }
    if (o.labels) {
        pmk_instream_close(in);
        pmk_error_at(err, PMK_EINVAL, shown, 0, 0,
                     "a labels file (%s) is for IDX input, and this is CSV; its labels are "
                     "a column", o.labels);
        goto fail;
    }
    pmk_csv_options co;
    pmk_csv_options_init_default(&co);
    co.header = o.header;
    co.label_col = o.label_col;
    co.weight_col = o.weight_col;
    co.label_tokens = o.label_tokens;
    co.chunk_rows = o.chunk_rows;
    co.max_line = o.max_line;
    co.progress = o.progress;
    co.progress_ctx = o.progress_ctx;
    if (o.u8 & PMK_DATA_U8_VALUES) {
        co.value_min = 0;
        co.value_max = 255;
        co.value_integer = 1;
    }
    if (o.u8 & PMK_DATA_U8_LABELS) {
        co.label_min = 0;
        co.label_max = 255;
    }
    if (!(r->csv = pmk_csv_open_in(in, shown, pre, (size_t)npre, &co, o.begin, o.end, rel, err)))
        goto fail;
    r->d = pmk_csv_ncols(r->csv);
    r->has_labels = o.label_col != -1;
    return r;
fail:
    pmk_data_close(r);
    return NULL;
}

pmk_data_reader *pmk_data_open(const char *path, const pmk_data_options *opt, pmk_error *err)
{
    return data_open(path, opt, NULL, err);
}

pmk_data_reader *pmk_data_open_seek(const char *path, const pmk_data_options *o, int *rel,
                                    pmk_error *err)
{
    *rel = 0;
    return data_open(path, o, rel, err);
}

void pmk_data_range_lines(const pmk_data_reader *r, int *relative, long *last)
{
    *relative = 0;
    *last = 0;
    if (r->csv)
        pmk_csv_range_lines(r->csv, relative, last);
}

int pmk_data_read_chunk(pmk_data_reader *r, pmk_data_chunk *chunk, pmk_error *err)
{
    pmk_error local;
    if (!err)
        err = &local;
    if (r->failed)
        return pmk_error_set(err, PMK_EINVAL, "%s: read after an error", r->path);
    int rc;
    r->started = 1;
    chunk->w = NULL;
    if (r->csv) {
        pmk_csv_chunk c;
        rc = pmk_csv_read_chunk(r->csv, &c, err);
        if (!rc) {
            chunk->X = c.X;
            chunk->y = c.y;
            chunk->w = c.w;
            chunk->n = c.n;
            chunk->first_pos = c.first_line;
            chunk->tok = c.tok;
            chunk->ntok = c.ntok;
        }
    } else {
        rc = idx_chunk(r, chunk, err);
    }
    r->failed = rc != PMK_OK;
    return rc;
}
