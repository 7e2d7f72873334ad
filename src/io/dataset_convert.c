/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* dataset_convert.c: data sets from one format to the other, as `pmk
 * convert` does it.  IDX (or any data set) to CSV is streamed a chunk at a
 * time from the data-set reader to the CSV writer; CSV to IDX reads with the
 * reader's byte checks and holds the rows as bytes until the end, since an
 * IDX header states N before the body. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/dataset.h"
#include "pmk/idx.h"
#include "pmk/limits.h"
#include "pmk/stream.h"

int pmk_data_sniff(const char *path, int *format, pmk_error *err)
{
    *format = PMK_DATA_CSV;
    if (strcmp(path, "-") == 0)
        return PMK_OK;
    pmk_instream *in = pmk_instream_open(path, err);
    if (!in)
        return err ? err->code : PMK_EIO;
    unsigned char b[2];
    size_t got = 0;
    long k;
    while (got < 2 && (k = pmk_instream_read(in, b + got, 2 - got, err)) > 0)
        got += (size_t)k;
    pmk_instream_close(in);
    if (got == 2 && b[0] == 0 && b[1] == 0)
        *format = PMK_DATA_IDX;
    return PMK_OK;
}

static void info_clear(pmk_data_convert_info *info)
{
    if (info)
        memset(info, 0, sizeof *info);
}

int pmk_data_to_csv(const char *path, const pmk_data_options *o, const char *out,
                    pmk_data_convert_info *info, pmk_error *err)
{
    pmk_error local;
    if (!err)
        err = &local;
    info_clear(info);
    pmk_data_reader *r = pmk_data_open(path, o, err);
    if (!r)
        return err->code;
    size_t d = pmk_data_nfeatures(r), n = 0;
    int has_y = pmk_data_has_labels(r), rc;
    /* Every CSV pmk writes starts with a header line (doc/formats.md). */
    char *head = pmk_csv_numbered_header(has_y ? "label" : NULL, "pixel", d);
    pmk_csv_writer *w = NULL;
    if (!head) {
        rc = pmk_error_set(err, PMK_ENOMEM, "out of memory");
        goto done;
    }
    if (!(w = pmk_csv_writer_open(out, d, head, err))) {
        rc = err->code;
        goto done;
    }
    pmk_data_chunk ch;
    while ((rc = pmk_data_read_chunk(r, &ch, err)) == PMK_OK && ch.n > 0) {
        if ((rc = pmk_csv_writer_rows(w, &ch.X.matrix, ch.y, err)))
            break;
        n += ch.n;
    }
    if (!rc) {
        rc = pmk_csv_writer_commit(w, err);
        w = NULL;
    }
    if (!rc && info) {
        info->rows = n;
        info->d = d;
        info->labels = has_y;
    }
done:
    pmk_csv_writer_abort(w);
    pmk_data_close(r);
    free(head);
    return rc;
}

/* The images' dimensions after N: the shape asked for, else square when D
 * is a square above 1, else D. */
static int idx_dims(const char *shown, size_t d, const size_t *shape, size_t dims[3],
                    size_t *ndim, pmk_error *err)
{
    if (shape) {
        if (shape[0] * shape[1] != d)
            return pmk_error_at(err, PMK_EINVAL, shown, 0, 0,
                                "shape %zux%zu holds %zu values, but rows have %zu", shape[0],
                                shape[1], shape[0] * shape[1], d);
        dims[1] = shape[0];
        dims[2] = shape[1];
        *ndim = 3;
        return PMK_OK;
    }
    size_t s = 1;
    while ((s + 1) * (s + 1) <= d)
        s++;
    *ndim = d > 1 && s * s == d ? 3 : 2;
    dims[1] = *ndim == 3 ? s : d;
    dims[2] = s;
    return PMK_OK;
}

/* The rows held as bytes: room for @p need rows (doubling), under the
 * memory ceiling; @p line is the last row's, for the message. */
typedef struct held {
    unsigned char *pix, *lab;
    size_t n, cap, d;
    int labels;
} held;

static int hold_room(held *h, const char *shown, size_t need, long line, pmk_error *err)
{
    if (need <= h->cap)
        return PMK_OK;
    size_t ncap = h->cap ? 2 * h->cap : 4096;
    while (ncap < need)
        ncap *= 2;
    unsigned long long per = h->d + (h->labels ? 1 : 0), lim = pmk_mem_limit(NULL);
    char what[96];
    snprintf(what, sizeof what, "holding %zu rows of %llu bytes", need, per);
    int rc = pmk_mem_check(shown, line, 0, (unsigned long long)need * per, what, err);
    if (rc)
        return rc;
    if (lim && ncap > lim / per)
        ncap = (size_t)(lim / per);
    size_t bytes;
    unsigned char *np = NULL, *nl = NULL;
    if (pmk_size_mul(ncap, h->d, &bytes) == PMK_OK && (np = realloc(h->pix, bytes)))
        h->pix = np;
    if (h->labels && (nl = realloc(h->lab, ncap)))
        h->lab = nl;
    if (!np || (h->labels && !nl))
        return pmk_error_at(err, PMK_ENOMEM, shown, 0, 0, "out of memory after %zu rows", h->n);
    h->cap = ncap;
    return PMK_OK;
}

/* Writes the held rows as the IDX set: both staged, then both renamed. */
static int write_idx(const held *h, const size_t dims[3], size_t ndim, const char *out,
                     const char *labels_out, pmk_error *err)
{
    pmk_outset set;
    pmk_outset_init(&set);
    const char *out_w = pmk_outset_add(&set, out, err);
    const char *lab_w = out_w && labels_out ? pmk_outset_add(&set, labels_out, err) : NULL;
    int rc = !out_w || (labels_out && !lab_w) ? err->code : PMK_OK;
    if (!rc && (pmk_idx_write_u8(out_w, h->pix, dims, ndim, err)
                || (labels_out && pmk_idx_write_u8(lab_w, h->lab, dims, 1, err)))) {
        pmk_outset_name_target(&set, err);
        rc = err->code;
    }
    if (rc) {
        pmk_outset_abort(&set);
        return rc;
    }
    return pmk_outset_commit(&set, err);
}

int pmk_data_to_idx(const char *path, const pmk_data_options *o, const size_t *shape,
                    const char *out, const char *labels_out, pmk_data_convert_info *info,
                    pmk_error *err)
{
    pmk_error local;
    if (!err)
        err = &local;
    info_clear(info);
    pmk_data_options co;
    if (o)
        co = *o;
    else
        pmk_data_options_init_default(&co);
    co.format = PMK_DATA_CSV;
    co.u8 |= PMK_DATA_U8_VALUES | (labels_out ? PMK_DATA_U8_LABELS : 0);
    pmk_data_reader *r = pmk_data_open(path, &co, err);
    if (!r)
        return err->code;
    const char *shown = pmk_data_path(r);
    held h = {NULL, NULL, 0, 0, pmk_data_nfeatures(r), labels_out != NULL};
    size_t dims[3] = {0, 0, 0}, ndim = 2;
    int rc = idx_dims(shown, h.d, shape, dims, &ndim, err);
    if (!rc && labels_out && !pmk_data_has_labels(r))
        rc = pmk_error_at(err, PMK_EINVAL, shown, 0, 0, "no label column to write to %s",
                          labels_out);
    pmk_data_chunk ch;
    while (!rc && (rc = pmk_data_read_chunk(r, &ch, err)) == PMK_OK && ch.n > 0) {
        if ((rc = hold_room(&h, shown, h.n + ch.n, ch.first_pos + (long)ch.n - 1, err)))
            break;
        /* the reader checked every value is an integer 0..255 (and each label) */
        for (size_t i = 0; i < ch.n; i++) {
            const double *row = gsl_matrix_const_ptr(&ch.X.matrix, i, 0);
            unsigned char *dst = h.pix + (h.n + i) * h.d;
            for (size_t j = 0; j < h.d; j++)
                dst[j] = (unsigned char)row[j];
            if (h.labels)
                h.lab[h.n + i] = (unsigned char)ch.y[i];
        }
        h.n += ch.n;
    }
    dims[0] = h.n;
    if (!rc)
        rc = write_idx(&h, dims, ndim, out, labels_out, err);
    if (!rc && info) {
        info->rows = h.n;
        info->d = h.d;
        info->labels = h.labels;
        memcpy(info->dims, dims, sizeof dims);
        info->ndim = ndim;
    }
    pmk_data_close(r);
    free(h.pix);
    free(h.lab);
    return rc;
}
