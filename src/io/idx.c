/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* idx.c: reading and writing the IDX files of MNIST and Fashion-MNIST
 * (idx3-ubyte images, idx1-ubyte labels), plain or gzipped.
 *
 * Layout (LeCun et al., "THE MNIST DATABASE of handwritten digits"): bytes 0-1
 * are zero, byte 2 the element type, byte 3 the number of dimensions n; then n
 * big-endian u32 sizes; then the product of the sizes elements, big-endian,
 * row-major.  The reader checks every part of that against the file: the body
 * must be exactly as long as the header says.  The body is read into a buffer
 * that grows only as bytes arrive (doubling, capped at the announced size), so
 * a 16-byte file that claims 2^32 x 2^32 x 2^32 elements costs nothing. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_matrix.h>

#include "pmk/limits.h"
#include "pmk/idx.h"
#include "pmk/stream.h"
#include "io/dataout_internal.h"
#include "io/idx_internal.h"
#include "io/dataset_internal.h"
#include "io/stream_internal.h"

size_t pmk_idx_type_size(int t)
{
    switch (t) {
    case PMK_IDX_U8: case PMK_IDX_S8: return 1;
    case PMK_IDX_I16: return 2;
    case PMK_IDX_I32: case PMK_IDX_F32: return 4;
    case PMK_IDX_F64: return 8;
    default: return 0;
    }
}

const char *pmk_idx_type_name(int t)
{
    switch (t) {
    case PMK_IDX_U8: return "u8";
    case PMK_IDX_S8: return "s8";
    case PMK_IDX_I16: return "i16";
    case PMK_IDX_I32: return "i32";
    case PMK_IDX_F32: return "f32";
    case PMK_IDX_F64: return "f64";
    default: return "?";
    }
}

int pmk_idx_magic_ok(const unsigned char *b)
{
    return b[0] == 0 && b[1] == 0 && pmk_idx_type_size(b[2]) && b[3] >= 1 && b[3] <= 8;
}

long pmk_idx_read_full(pmk_instream *in, unsigned char *buf, size_t n, pmk_error *err)
{
    size_t got = 0;
    while (got < n) {
        long k = pmk_instream_read(in, buf + got, n - got, err);
        if (k < 0)
            return -1;
        if (k == 0)
            break;
        got += (size_t)k;
    }
    return (long)got;
}

void pmk_idx_dims_text(const size_t *dims, size_t ndim, char *out, size_t len)
{
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < ndim && k < len; i++)
        k += (size_t)snprintf(out + k, len - k, i ? " x %zu" : "%zu", dims[i]);
}

int pmk_idx_header_read(pmk_instream *in, const unsigned char *pre, size_t npre,
                        pmk_idx_header *hd, pmk_error *err)
{
    memset(hd, 0, sizeof *hd);
    const char *shown = pmk_instream_path(in);
    const char *after = pmk_instream_is_gzip(in) ? " after gunzip" : "";
    unsigned char h[36];
    if (npre)
        memcpy(h, pre, npre);
    long got = pmk_idx_read_full(in, h + npre, 4 - npre, err);
    if (got < 0)
        return err->code;
    got += (long)npre;
    if (got < 4)
        return pmk_error_at(err, PMK_EFORMAT, shown, 0, 0,
                            "not an IDX file: %ld bytes%s, the header needs at least 4", got,
                            after);
    if (h[0] != 0 || h[1] != 0)
        return pmk_error_at(err, PMK_EFORMAT, shown, 0, 0,
                            "not an IDX file: magic %02x %02x %02x %02x, expected 00 00 then "
                            "a type and a dimension count", h[0], h[1], h[2], h[3]);
    hd->type = h[2];
    hd->esz = pmk_idx_type_size(hd->type);
    if (!hd->esz)
        return pmk_error_at(err, PMK_EFORMAT, shown, 0, 0,
                            "unknown IDX element type 0x%02x (known: 08 u8, 09 s8, 0b i16, "
                            "0c i32, 0d f32, 0e f64)", h[2]);
    hd->ndim = h[3];
    if (hd->ndim < 1 || hd->ndim > 8)
        return pmk_error_at(err, PMK_EFORMAT, shown, 0, 0,
                            "IDX header gives %zu dimensions, expected 1 to 8", hd->ndim);
    hd->hlen = 4 + 4 * hd->ndim;
    got = pmk_idx_read_full(in, h + 4, hd->hlen - 4, err);
    if (got < 0)
        return err->code;
    if ((size_t)got < hd->hlen - 4)
        return pmk_error_at(err, PMK_EFORMAT, shown, 0, 0,
                            "truncated IDX header: %zu bytes%s, a header with %zu dimensions "
                            "has %zu", 4 + (size_t)got, after, hd->ndim, hd->hlen);
    hd->count = 1;
    int overflow = 0;
    for (size_t i = 0; i < hd->ndim; i++) {
        const unsigned char *b = h + 4 + 4 * i;
        hd->dims[i] = (size_t)b[0] << 24 | (size_t)b[1] << 16 | (size_t)b[2] << 8 | b[3];
        if (hd->dims[i] == 0)
            return pmk_error_at(err, PMK_EFORMAT, shown, 0, 0, "IDX dimension %zu of %zu is 0",
                                i + 1, hd->ndim);
        overflow |= pmk_size_mul(hd->count, hd->dims[i], &hd->count) != PMK_OK;
    }
    /* the size as doubles too: pmk_idx_read makes an N x D matrix of them */
    if (overflow || hd->count > SIZE_MAX / sizeof(double)
        || pmk_size_mul(hd->count, hd->esz, &hd->bytes)
        || pmk_size_add(hd->bytes, hd->hlen, &hd->total)) {
        char dt[160];
        pmk_idx_dims_text(hd->dims, hd->ndim, dt, sizeof dt);
        return pmk_error_at(err, PMK_ELIMIT, shown, 0, 0,
                            "IDX header says %s %s elements: more than memory can hold", dt,
                            pmk_idx_type_name(hd->type));
    }
    return PMK_OK;
}

int pmk_idx_length_error(pmk_instream *in, const pmk_idx_header *h, size_t have,
                         pmk_error *err)
{
    char dt[160];
    pmk_idx_dims_text(h->dims, h->ndim, dt, sizeof dt);
    return pmk_error_at(err, PMK_EFORMAT, pmk_instream_path(in), 0, 0,
                        "header says %s %s = %zu bytes, file has %zu bytes%s", dt,
                        pmk_idx_type_name(h->type), h->total, have,
                        pmk_instream_is_gzip(in) ? " after gunzip" : "");
}

static uint32_t be32(const unsigned char *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

double pmk_idx_element(int type, const unsigned char *b, size_t i)
{
    switch (type) {
    case PMK_IDX_U8: return b[i];
    case PMK_IDX_S8: return (signed char)b[i];
    case PMK_IDX_I16: return (int16_t)(uint16_t)(b[2 * i] << 8 | b[2 * i + 1]);
    case PMK_IDX_I32: return (int32_t)be32(b + 4 * i);
    case PMK_IDX_F32: {
        uint32_t u = be32(b + 4 * i);
        float f;
        memcpy(&f, &u, sizeof f);
        return f;
    }
    default: {
        uint64_t u = (uint64_t)be32(b + 8 * i) << 32 | be32(b + 8 * i + 4);
        double x;
        memcpy(&x, &u, sizeof x);
        return x;
    }
    }
}

/* Reads the IDX file at @p path as doubles into *@p data (N x D, malloc'ed,
 * the caller's) with its header in *@p hd; @p labels: it must be a labels
 * file.  The array grows as the body arrives (doubling, capped at N x D;
 * realloc moves no pages for large blocks), so neither a lying header nor
 * the raw body costs memory: the peak is the doubles and one chunk. */
static int read_doubles(const char *path, int labels, double **data, pmk_idx_header *hd,
                        pmk_error *err)
{
    pmk_error local;
    if (!err)
        err = &local;
    *data = NULL;
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.format = PMK_DATA_IDX;
    o.label_col = -1;
    pmk_data_reader *r = pmk_data_open(path, &o, err);
    if (!r)
        return err->code;
    const char *shown = pmk_data_path(r);
    const pmk_idx_header *h = pmk_data_idx_header(r);
    *hd = *h;
    const size_t n = h->dims[0], d = h->count / n;
    size_t have = 0, cap = 0;
    char dt[160], what[320];
    pmk_idx_dims_text(h->dims, h->ndim, dt, sizeof dt);
    snprintf(what, sizeof what, "an IDX body of %s %s elements (as doubles)", dt,
             pmk_idx_type_name(h->type));
    int rc = labels ? pmk_idx_labels_check(shown, h, err) : PMK_OK;
    if (!rc)
        rc = pmk_mem_check(shown, 0, 0, (unsigned long long)h->count * sizeof(double), what, err);
    pmk_data_chunk ch;
    while (!rc && !(rc = pmk_data_read_chunk(r, &ch, err)) && ch.n > 0) {
        if (have + ch.n > cap) {
            size_t ncap = cap ? cap : ch.n;
            while (ncap < have + ch.n)
                ncap = ncap > n / 2 ? n : 2 * ncap;
            double *nd = realloc(*data, ncap * d * sizeof(double));
            if (!nd) {
                rc = pmk_error_at(err, PMK_ENOMEM, shown, 0, 0,
                                  "out of memory for %zu x %zu values", n, d);
                break;
            }
            *data = nd;
            cap = ncap;
        }
        memcpy(*data + have * d, ch.X.matrix.data, ch.n * d * sizeof(double));
        have += ch.n;
    }
    pmk_data_close(r);
    if (rc) {
        free(*data);
        *data = NULL;
    }
    return rc;
}

int pmk_idx_read(const char *path, gsl_matrix **X, size_t dims_out[8], size_t *ndim_out,
                 pmk_error *err)
{
    double *data;
    pmk_idx_header h;
    *X = NULL;
    int rc = read_doubles(path, 0, &data, &h, err);
    if (!rc && !(*X = pmk_matrix_wrap(data, h.dims[0], h.count / h.dims[0]))) {
        free(data);
        rc = pmk_error_at(err, PMK_ENOMEM, pmk_stream_shown(path), 0, 0,
                          "out of memory");
    }
    if (!rc && dims_out)
        memcpy(dims_out, h.dims, sizeof h.dims);
    if (!rc && ndim_out)
        *ndim_out = h.ndim;
    return rc;
}

int pmk_idx_nonfinite(const char *shown, size_t i, size_t d, double x, pmk_error *err)
{
    return pmk_error_at(err, PMK_EDATA, shown, 0, 0, "element %zu (row %zu, column %zu) is %s",
                        i + 1, i / d + 1, i % d + 1, isnan(x) ? "NaN" : "infinite");
}

int pmk_idx_labels_check(const char *shown, const pmk_idx_header *h, pmk_error *err)
{
    if (h->ndim != 1) {
        char dt[160];
        pmk_idx_dims_text(h->dims, h->ndim, dt, sizeof dt);
        return pmk_error_at(err, PMK_EFORMAT, shown, 0, 0,
                            "not a label file: %zu dimensions (%s), expected 1", h->ndim, dt);
    }
    if (h->type == PMK_IDX_F32 || h->type == PMK_IDX_F64)
        return pmk_error_at(err, PMK_EFORMAT, shown, 0, 0,
                            "not a label file: elements are %s, expected integers",
                            pmk_idx_type_name(h->type));
    return PMK_OK;
}

int pmk_idx_read_labels(const char *path, long **y, size_t *n, pmk_error *err)
{
    double *data;
    pmk_idx_header h;
    *y = NULL;
    *n = 0;
    int rc = read_doubles(path, 1, &data, &h, err);
    if (rc)
        return rc;
    /* The labels replace the doubles in place (a long is no wider than a
     * double, and element i's long ends where its double ends), so reading a
     * labels file costs one buffer, not two; the shrink cannot fail in a
     * way that matters (realloc keeps the block when it does). */
    _Static_assert(sizeof(long) <= sizeof(double), "labels are converted in place");
    for (size_t i = 0; i < h.count; i++) {
        long v = (long)data[i];
        memcpy((char *)data + i * sizeof v, &v, sizeof v);
    }
    long *out = h.count ? realloc(data, h.count * sizeof *out) : NULL;
    if (!out)
        out = (long *)(void *)data;
    *y = out;
    *n = h.count;
    return PMK_OK;
}

/* ---------------------------------------------------------------- writing */

/* Writes the header and @p body (already big-endian) through an atomic output. */
static int idx_store(const char *path, int type, const size_t *dims, size_t ndim,
                     const unsigned char *body, size_t bytes, pmk_error *err)
{
    unsigned char h[36] = {0, 0, (unsigned char)type, (unsigned char)ndim};
    for (size_t i = 0; i < ndim; i++) {
        h[4 + 4 * i] = (unsigned char)(dims[i] >> 24);
        h[5 + 4 * i] = (unsigned char)(dims[i] >> 16);
        h[6 + 4 * i] = (unsigned char)(dims[i] >> 8);
        h[7 + 4 * i] = (unsigned char)dims[i];
    }
    pmk_dataout w;
    int rc = pmk_dataout_open(&w, path, err);
    if (rc)
        return rc;
    rc = pmk_dataout_write(&w, h, 4 + 4 * ndim, err);
    if (!rc)
        rc = pmk_dataout_write(&w, body, bytes, err);
    if (!rc)
        return pmk_dataout_commit(&w, err);
    pmk_dataout_abort(&w);
    return rc;
}

/* Checks @p ndim dims (1..8, each 1..2^32-1) and that their product is @p want. */
static int check_dims(const char *shown, const size_t *dims, size_t ndim, size_t want,
                      pmk_error *err)
{
    if (ndim < 1 || ndim > 8)
        return pmk_error_at(err, PMK_EINVAL, shown, 0, 0,
                            "IDX files have 1 to 8 dimensions, not %zu", ndim);
    size_t prod = 1;
    for (size_t i = 0; i < ndim; i++) {
        if (dims[i] == 0 || dims[i] > UINT32_MAX)
            return pmk_error_at(err, PMK_EINVAL, shown, 0, 0,
                                "IDX dimension %zu is %zu, expected 1 to 4294967295", i + 1,
                                dims[i]);
        if (pmk_size_mul(prod, dims[i], &prod))
            return pmk_error_at(err, PMK_EINVAL, shown, 0, 0, "IDX dimensions overflow");
    }
    if (prod != want)
        return pmk_error_at(err, PMK_EINVAL, shown, 0, 0,
                            "IDX dimensions hold %zu elements, the data has %zu", prod, want);
    return PMK_OK;
}

int pmk_idx_write_u8(const char *path, const unsigned char *data, const size_t *dims,
                     size_t ndim, pmk_error *err)
{
    pmk_error local;
    if (!err)
        err = &local;
    const char *shown = strcmp(path, "-") == 0 ? "<stdout>" : path;
    size_t prod = 1;
    for (size_t i = 0; i < ndim && i < 8; i++)
        if (pmk_size_mul(prod, dims[i], &prod))
            break;
    int rc = check_dims(shown, dims, ndim, prod, err);
    if (rc)
        return rc;
    return idx_store(path, PMK_IDX_U8, dims, ndim, data, prod, err);
}

int pmk_idx_write(const char *path, const gsl_matrix *X, int type, const size_t *dims,
                  size_t ndim, pmk_error *err)
{
    pmk_error local;
    if (!err)
        err = &local;
    const char *shown = strcmp(path, "-") == 0 ? "<stdout>" : path;
    const size_t n = X->size1, d = X->size2, esz = pmk_idx_type_size(type);
    if (!esz)
        return pmk_error_at(err, PMK_EINVAL, shown, 0, 0, "unknown IDX element type 0x%02x",
                            (unsigned)type);
    size_t nd2[2] = {n, d};
    if (ndim == 0) {
        dims = nd2;
        ndim = 2;
    }
    int rc = check_dims(shown, dims, ndim, n * d, err);
    if (rc)
        return rc;
    static const struct { int type; double lo, hi; const char *what; } range[] = {
        {PMK_IDX_U8, 0, 255, "integers 0 to 255"},
        {PMK_IDX_S8, -128, 127, "integers -128 to 127"},
        {PMK_IDX_I16, -32768, 32767, "integers -32768 to 32767"},
        {PMK_IDX_I32, -2147483648.0, 2147483647.0, "integers -2147483648 to 2147483647"},
    };
    unsigned char *body = malloc(n * d * esz);
    if (!body)
        return pmk_error_at(err, PMK_ENOMEM, shown, 0, 0, "out of memory");
    unsigned char *p = body;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < d; j++) {
            double x = gsl_matrix_get(X, i, j);
            const char *bad = NULL;
            for (size_t t = 0; t < sizeof range / sizeof range[0]; t++)
                if (range[t].type == type && !(x >= range[t].lo && x <= range[t].hi && x == floor(x)))
                    bad = range[t].what;
            if (type == PMK_IDX_F32 && !((double)(float)x == x || isnan(x)))
                bad = "values a 32-bit float holds exactly";
            if (bad) {
                free(body);
                return pmk_error_at(err, PMK_EDATA, shown, 0, 0,
                                    "row %zu, column %zu: %.17g does not fit in %s (%s)", i + 1,
                                    j + 1, x, pmk_idx_type_name(type), bad);
            }
            uint64_t u = 0;
            switch (type) {
            case PMK_IDX_U8: case PMK_IDX_S8: *p++ = (unsigned char)(int)x; continue;
            case PMK_IDX_I16: u = (uint16_t)(int16_t)x; break;
            case PMK_IDX_I32: u = (uint32_t)(int32_t)x; break;
            case PMK_IDX_F32: {
                float f = (float)x;
                uint32_t v;
                memcpy(&v, &f, sizeof v);
                u = v;
                break;
            }
            default: memcpy(&u, &x, sizeof u); break;
            }
            for (size_t b = esz; b-- > 0;)
                *p++ = (unsigned char)(u >> (8 * b));
        }
    }
    rc = idx_store(path, type, dims, ndim, body, n * d * esz, err);
    free(body);
    return rc;
}

int pmk_idx_write_labels(const char *path, const long *y, size_t n, pmk_error *err)
{
    pmk_error local;
    if (!err)
        err = &local;
    const char *shown = strcmp(path, "-") == 0 ? "<stdout>" : path;
    unsigned char *body = malloc(n ? n : 1);
    if (!body)
        return pmk_error_at(err, PMK_ENOMEM, shown, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (y[i] < 0 || y[i] > 255) {
            free(body);
            return pmk_error_at(err, PMK_EDATA, shown, 0, 0,
                                "label %zu is %ld: does not fit in u8 (integers 0 to 255)",
                                i + 1, y[i]);
        }
        body[i] = (unsigned char)y[i];
    }
    int rc = pmk_idx_write_u8(path, body, &n, 1, err);
    free(body);
    return rc;
}
