/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* csv_read.c: the streaming CSV reader (open, chunks, close) and the
 * whole-file read into a pmk_dataset; the parsing is in csv_parse.c, the
 * dialect in doc/formats.md. */
#include "config.h"

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_matrix.h>

#include "pmk/limits.h"
#include "io/csv_internal.h"
#include "io/record_internal.h"
#include "io/dataset_internal.h"
#include "io/stream_internal.h"
#include "core/progress_internal.h"
#include "core/core_internal.h"

void pmk_csv_options_init_default(pmk_csv_options *o)
{
    o->header = PMK_CSV_HEADER_AUTO;
    o->label_col = 0;
    o->chunk_rows = 0;   /* about 1 MiB of doubles a chunk */
    o->max_line = PMK_CSV_MAX_LINE_DEFAULT;
    o->value_min = -HUGE_VAL;
    o->value_max = HUGE_VAL;
    o->value_integer = 0;
    o->label_min = LONG_MIN;
    o->label_max = LONG_MAX;
    o->progress = NULL;
    o->progress_ctx = NULL;
    o->weight_col = -1;
    o->label_tokens = 0;
}

void pmk_dataset_free(pmk_dataset *ds)
{
    if (!ds)
        return;
    gsl_matrix_free(ds->X);
    free(ds->y);
    free(ds);
}

static int check_options(const char *shown, const pmk_csv_options *o, pmk_error *err)
{
    if (o->label_col == LONG_MIN || o->weight_col == LONG_MIN)
        return pmk_error_at(err, PMK_EINVAL, shown, 0, 0, "column LONG_MIN is not valid");
    if (o->label_col != -1 && o->label_col == o->weight_col)
        return pmk_error_at(err, PMK_EINVAL, shown, 0, 0,
                            "the label column cannot also be the weight column");
    if (o->max_line == 0 || o->max_line > SIZE_MAX / 4)
        return pmk_error_at(err, PMK_EINVAL, shown, 0, 0, "max_line must be positive");
    if (o->header < PMK_CSV_HEADER_AUTO || o->header > PMK_CSV_HEADER_YES)
        return pmk_error_at(err, PMK_EINVAL, shown, 0, 0, "header must be auto, no or yes");
    return PMK_OK;
}

pmk_csv_reader *pmk_csv_open(const char *path, const pmk_csv_options *opt, pmk_error *err)
{
    pmk_error local;
    if (!err)
        err = &local;
    pmk_csv_options o;
    if (opt)
        o = *opt;
    else
        pmk_csv_options_init_default(&o);
    const char *shown = pmk_stream_shown(path);
    if (check_options(shown, &o, err))
        return NULL;
    pmk_instream *in = pmk_instream_open(path, err);
    if (!in)
        return NULL;
    return pmk_csv_open_in(in, shown, NULL, 0, &o, 0, (unsigned long long)-1, err);
}

/* The first line: a UTF-16 BOM is refused, a UTF-8 one skipped (a BOM alone
 * on its line is a blank line).  1 with the line, 0 for an empty file, -1 on
 * error. */
static int first_line(pmk_csv_reader *r, char **ls, char **le, pmk_error *err)
{
    int got = pmk_csv_next_data_line(r, ls, le, err);
    if (got <= 0)
        return got;
    if (r->line == 1 && *le - *ls >= 2
        && (memcmp(*ls, "\xff\xfe", 2) == 0 || memcmp(*ls, "\xfe\xff", 2) == 0)) {
        pmk_error_at(err, PMK_EFORMAT, r->path, 1, 1,
                     "UTF-16 text (byte-order mark %s), not ASCII or UTF-8",
                     (*ls)[0] == '\xff' ? "FF FE" : "FE FF");
        return -1;
    }
    if (r->line == 1 && *le - *ls >= 3 && memcmp(*ls, "\xef\xbb\xbf", 3) == 0) {
        *ls += 3;   /* UTF-8 byte-order mark */
        if (pmk_csv_blank_line(*ls, *le)) {   /* a BOM alone on its line: a blank line */
            r->blank_line = r->line;
            return pmk_csv_next_data_line(r, ls, le, err);
        }
    }
    return 1;
}

/* Column @p c of the options (>= 0, -1 none, PMK_COL_FROM_END(k)) of a
 * line of @p r->ncols fields as an index into *@p at (SIZE_MAX: none). */
static int resolve_col(pmk_csv_reader *r, long c, const char *what, size_t *at, pmk_error *err)
{
    const size_t nc = r->ncols;
    *at = SIZE_MAX;
    if (c == -1)
        return PMK_OK;
    const size_t k = c >= 0 ? (size_t)c : (size_t)(-1 - c);   /* from the end: k >= 1 */
    if (c >= 0 && k >= nc)
        return pmk_error_at(err, PMK_EINVAL, r->path, r->line, 0,
                            "%s column %ld does not exist: the file has %zu columns (0 to %zu)",
                            what, c, nc, nc - 1);
    if (c < 0 && k > nc)
        return pmk_error_at(err, PMK_EINVAL, r->path, r->line, 0,
                            "%s column -%zu does not exist: the file has %zu columns (-1 to "
                            "-%zu from the end)", what, k, nc, nc);
    *at = c >= 0 ? k : nc - k;
    return PMK_OK;
}

/* Fixes the columns from the first line [ls, le): PMK_OK or an error. */
static int set_columns(pmk_csv_reader *r, char *ls, char *le, pmk_error *err)
{
    r->ncols = pmk_csv_count_fields(ls, le);
    if (resolve_col(r, r->opt.label_col, "label", &r->lc, err)
        || resolve_col(r, r->opt.weight_col, "weight", &r->wc, err))
        return err->code;
    if (r->wc != SIZE_MAX && r->wc == r->lc)
        return pmk_error_at(err, PMK_EINVAL, r->path, r->line, 0,
                            "column %zu cannot be both the label and the weight", r->lc);
    r->d = r->ncols - (r->lc != SIZE_MAX) - (r->wc != SIZE_MAX);
    if (r->d == 0) {
        /* one column: most often not a CSV at all (IDX, an image) or another separator */
        const char *nul = memchr(ls, '\0', (size_t)(le - ls));
        if (nul)
            return pmk_error_at(err, PMK_EFORMAT, r->path, r->line, (long)(nul - ls) + 1,
                                "binary data (a NUL byte), not a CSV file");
        if (memchr(ls, ';', (size_t)(le - ls)) || memchr(ls, '\t', (size_t)(le - ls)))
            return pmk_error_at(err, PMK_EFORMAT, r->path, r->line, 0,
                                "no feature columns: the only column is the label "
                                "(fields are separated by ',', not ';' or TAB)");
        return pmk_error_at(err, PMK_EFORMAT, r->path, r->line, 0,
                            "no feature columns: the only column is the label");
    }
    const char *cr = memchr(ls, '\r', (size_t)(le - ls));
    if (cr)   /* a CR inside the first line: CR-only line ends (classic Mac OS) */
        return pmk_error_at(err, PMK_EFORMAT, r->path, r->line, (long)(cr - ls) + 1,
                            "a CR inside the line (the lines end in CR alone? pmk reads LF or "
                            "CRLF line ends)");
    return PMK_OK;
}

/* Allocates the chunk buffers: at most CSV_CHUNK_CELLS values (64 MiB)
 * whatever chunk_rows says, so that very wide rows cannot demand gigabytes.
 * A chunk of 2 MiB or more is in huge pages (a few page faults, not one per
 * 4 KiB: each thread's reader has its own chunk). */
static int alloc_chunk(pmk_csv_reader *r, pmk_error *err)
{
    r->opt.chunk_rows = pmk_data_chunk_cap(r->d, r->opt.chunk_rows);
    size_t cells = r->opt.chunk_rows * r->d;
    r->X = core_alloc_huge(cells * sizeof(double));   /* gnb fit's 1024 rows: 6.4 MB */
    r->y = r->lc != SIZE_MAX ? malloc(r->opt.chunk_rows * sizeof(long)) : NULL;
    r->w = r->wc != SIZE_MAX ? malloc(r->opt.chunk_rows * sizeof(double)) : NULL;
    if (!r->X || (r->lc != SIZE_MAX && !r->y) || (r->wc != SIZE_MAX && !r->w))
        return pmk_error_at(err, PMK_ENOMEM, r->path, 0, 0,
                            "out of memory for a chunk of %zu rows", r->opt.chunk_rows);
    return PMK_OK;
}

pmk_csv_reader *pmk_csv_open_in(pmk_instream *in, const char *shown, const void *pre,
                                size_t npre, const pmk_csv_options *opt,
                                unsigned long long begin, unsigned long long end,
                                pmk_error *err)
{
    pmk_error local;
    if (!err)
        err = &local;
    const pmk_csv_options o = *opt;
    if (check_options(shown, &o, err)) {
        pmk_instream_close(in);
        return NULL;
    }
    pmk_csv_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(shown))) {
        free(r);
        pmk_instream_close(in);
        pmk_error_at(err, PMK_ENOMEM, shown, 0, 0, "out of memory");
        return NULL;
    }
    r->in = in;
    r->opt = o;
    r->range_end = (unsigned long long)-1;   /* in force once the header is read */
    r->cap = CSV_READ_BLOCK;
    r->cloc = pmk_c_locale_new();
    r->buf = malloc(r->cap + 1);
    if (!r->cloc || !r->buf) {
        pmk_error_at(err, PMK_ENOMEM, shown, 0, 0, "out of memory");
        goto fail;
    }
    if (npre)
        memcpy(r->buf, pre, npre);
    r->end = npre;
    r->check_values = o.value_min > -HUGE_VAL || o.value_max < HUGE_VAL || o.value_integer
                      || o.label_min > LONG_MIN || o.label_max < LONG_MAX;
    if ((begin > 0 || end != (unsigned long long)-1) && pmk_instream_is_gzip(in)) {
        pmk_error_at(err, PMK_EUNSUP, shown, 0, 0,
                     "a byte range cannot be read from gzip input (the offsets would be "
                     "those of the uncompressed text): gunzip it first");
        goto fail;
    }

    char *ls, *le;
    int got = first_line(r, &ls, &le, err);
    if (got < 0)
        goto fail;
    if (got == 0) {
        pmk_error_at(err, PMK_EFORMAT, r->path, 0, 0, "empty file (no header and no rows)");
        goto fail;
    }
    if (set_columns(r, ls, le, err))
        goto fail;
    if (o.header == PMK_CSV_HEADER_AUTO)
        r->has_header = pmk_csv_looks_like_header(ls, le);
    else
        r->has_header = o.header == PMK_CSV_HEADER_YES;
    if (r->has_header) {
        if (pmk_csv_header_check(r, ls, le, err))   /* a header must at least tokenize */
            goto fail;
        long hline = r->line;
        /* a header-only file is an error for every range */
        got = pmk_csv_next_data_line(r, &ls, &le, err);
        if (got < 0)
            goto fail;
        if (got == 0) {
            pmk_error_at(err, PMK_EFORMAT, r->path, hline, 1, "header only, no data rows");
            goto fail;
        }
    }
    if (alloc_chunk(r, err))
        goto fail;
    /* The range: rows starting before begin are passed over. */
    r->range_end = end;
    if (pmk_csv_offset(r, ls) < begin) {
        r->skip_before = begin;
        r->blank_line = 0;
        if ((got = pmk_csv_next_data_line(r, &ls, &le, err)) < 0)
            goto fail;
        if (got == 0)
            return r;   /* an empty range */
    } else if (pmk_csv_offset(r, ls) >= end) {
        r->range_done = 1;
        return r;
    }
    /* The first data row is parsed here, so that a bad first row fails the open. */
    long lab = 0;
    double wt = 1;
    if (pmk_csv_parse_row(r, ls, le, r->X, &lab, &wt, err)) {
        /* Line 1 has names but was not all names: say why it was read as data. */
        if (o.header == PMK_CSV_HEADER_AUTO && r->line == 1 && pmk_csv_any_name(ls, le)) {
            size_t len = strlen(err->msg);
            snprintf(err->msg + len, sizeof err->msg - len,
                     " (line 1 is read as data: a header needs every field to be a name)");
        }
        goto fail;
    }
    if (r->y)
        r->y[0] = lab;
    if (pmk_csv_label_token(r, 0, err))
        goto fail;
    if (r->w)
        r->w[0] = wt;
    r->prefilled = 1;
    r->prefilled_line = r->line;
    return r;
fail:
    pmk_csv_close(r);
    return NULL;
}

size_t pmk_csv_ncols(const pmk_csv_reader *r) { return r->d; }
int pmk_csv_has_header(const pmk_csv_reader *r) { return r->has_header; }
const char *pmk_csv_path(const pmk_csv_reader *r) { return r->path; }

/* Progress after a chunk of @p n rows (0: the end): bytes of a regular
 * file, else lines, whose total is known at the end. */
static int csv_progress(const pmk_csv_reader *r, size_t n, pmk_error *err)
{
    if (!r->opt.progress)
        return PMK_OK;
    unsigned long long at, size, lines = (unsigned long long)r->line;
    char what[200];
    pmk_instream_tell(r->in, &at, &size);
    snprintf(what, sizeof what, "reading %s", r->path);
    return size ? pmk_progress_tell(r->opt.progress, r->opt.progress_ctx, what,
                                    n && at < size ? at : size, size, "bytes", err)
                : pmk_progress_tell(r->opt.progress, r->opt.progress_ctx, what, lines,
                                    n ? 0 : lines, "lines", err);
}

int pmk_csv_read_chunk(pmk_csv_reader *r, pmk_csv_chunk *chunk, pmk_error *err)
{
    pmk_error local;
    if (!err)
        err = &local;
    size_t n = r->prefilled;
    long first = n ? r->prefilled_line : 0;
    r->prefilled = 0;
    if (n == 0)
        pmk_tokens_clear(&r->tok);
    const size_t d = r->d;
    long dummy;
    double wdummy;
    while (n < r->opt.chunk_rows) {
        char *ls, *le;
        int got = pmk_csv_next_data_line(r, &ls, &le, err);
        if (got < 0)
            return err->code;
        if (got == 0)
            break;
        if (n == 0)
            first = r->line;
        int rc = pmk_csv_parse_row(r, ls, le, r->X + n * d, r->y ? r->y + n : &dummy,
                                   r->w ? r->w + n : &wdummy, err);
        if (rc || (rc = pmk_csv_label_token(r, n, err)))
            return rc;
        n++;
    }
    chunk->n = n;
    chunk->first_line = first;
    chunk->y = n ? r->y : NULL;
    chunk->w = n ? r->w : NULL;
    chunk->tok = n && r->tokmode ? (const char *const *)r->tok.tok : NULL;
    chunk->ntok = n && r->tokmode ? r->tok.n : 0;
    if (n)
        chunk->X = gsl_matrix_view_array(r->X, n, d);
    else
        memset(&chunk->X, 0, sizeof chunk->X);
    return csv_progress(r, n, err);
}

void pmk_csv_close(pmk_csv_reader *r)
{
    if (!r)
        return;
    pmk_instream_close(r->in);
    if (r->cloc)
        freelocale(r->cloc);
    pmk_tokens_clear(&r->tok);
    CORE_FREE(r->buf, r->X, r->y, r->w, r->path, r);
}

/* ---------------------------------------------------------------- whole file */

int pmk_csv_read_all(const char *path, const pmk_csv_options *opt, pmk_dataset **out,
                     pmk_error *err)
{
    pmk_error local;
    if (!err)
        err = &local;
    *out = NULL;
    if (opt && opt->label_tokens)
        return pmk_error_set(err, PMK_EINVAL, "token labels need the streaming reader");
    pmk_csv_reader *r = pmk_csv_open(path, opt, err);
    if (!r)
        return err->code;
    const size_t d = r->d;
    size_t n = 0, cap = 0;
    double *X = NULL;
    long *y = NULL;
    int rc;
    pmk_csv_chunk ch;
    while ((rc = pmk_csv_read_chunk(r, &ch, err)) == PMK_OK && ch.n > 0) {
        if (n + ch.n > cap) {
            size_t ncap;
            if ((rc = pmk_data_grow(r->path, n + ch.n, cap,
                                    (unsigned long long)(d + 1) * sizeof(double), d,
                                    ch.first_line + (long)ch.n - 1, &ncap, err)))
                break;
            size_t cells;
            if (pmk_size_mul(ncap, d, &cells) || cells > SIZE_MAX / sizeof(double)) {
                rc = pmk_error_at(err, PMK_ELIMIT, r->path, 0, 0, "too many rows for memory");
                break;
            }
            double *nX = realloc(X, cells * sizeof(double));
            if (nX)
                X = nX;
            long *ny = r->lc != SIZE_MAX ? realloc(y, ncap * sizeof(long)) : NULL;
            if (ny)
                y = ny;
            if (!nX || (r->lc != SIZE_MAX && !ny)) {
                rc = pmk_error_at(err, PMK_ENOMEM, r->path, 0, 0,
                                  "out of memory after %zu rows", n);
                break;
            }
            cap = ncap;
        }
        memcpy(X + n * d, ch.X.matrix.data, ch.n * d * sizeof(double));
        if (y)
            memcpy(y + n, ch.y, ch.n * sizeof(long));
        n += ch.n;
    }
    pmk_csv_close(r);
    if (rc) {
        free(X);
        free(y);
        return rc;
    }
    /* n >= 1: pmk_csv_open refuses files without rows */
    double *shrunk = realloc(X, n * d * sizeof(double));
    if (shrunk)
        X = shrunk;
    pmk_dataset *ds = calloc(1, sizeof *ds);
    gsl_matrix *m = ds ? pmk_matrix_wrap(X, n, d) : NULL;
    if (!m) {
        CORE_FREE(ds, X, y);
        return pmk_error_at(err, PMK_ENOMEM, path, 0, 0, "out of memory");
    }
    ds->X = m;
    ds->y = y;
    ds->n = n;
    ds->d = d;
    *out = ds;
    return PMK_OK;
}

