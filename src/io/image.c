/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* image.c: the pmk_image type, format detection (magic bytes on read, the
 * extension on write), the buffered read cursor the readers share, atomic
 * writing through pmk_outfile, and thresholding grey images to spins. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>

#include "pmk/limits.h"
#include "core/core_internal.h"
#include "io/image_internal.h"

/* ---------------------------------------------------------------- the type */

int img_check_alloc(size_t width, size_t height, size_t elem, const char *what, size_t *nbytes,
                    pmk_error *err)
{
    size_t npix;
    if (width == 0 || height == 0)
        return pmk_error_set(err, PMK_EINVAL,
                             "image size %zu x %zu: width and height must be positive", width,
                             height);
    if (pmk_size_mul(width, height, &npix) || pmk_size_mul(npix, elem, nbytes))
        return pmk_error_set(err, PMK_ELIMIT, "image size %zu x %zu is too large", width, height);
    char name[96];
    snprintf(name, sizeof name, "%s of %zu x %zu pixels", what, width, height);
    return pmk_mem_check(NULL, 0, 0, *nbytes, name, err);
}

pmk_image *img_alloc_uninit(size_t width, size_t height, int binary, unsigned maxval,
                            pmk_error *err)
{
    size_t nbytes;
    if (!binary && (maxval < 1 || maxval > 65535)) {
        pmk_error_set(err, PMK_EINVAL, "maxval %u is out of range 1..65535", maxval);
        return NULL;
    }
    /* Every image pmk makes (read, copied, thresholded, a montage) is under
     * the ceiling; the readers have said so already, with a position. */
    if (img_check_alloc(width, height, sizeof(double), "an image", &nbytes, err))
        return NULL;
    pmk_image *img = malloc(sizeof *img);
    gsl_matrix *m = img ? gsl_matrix_alloc(height, width) : NULL;
    if (!m) {
        free(img);
        pmk_error_set(err, PMK_ENOMEM, "out of memory for a %zu x %zu image", width, height);
        return NULL;
    }
    core_advise_huge(m->data, nbytes);
    img->width = width;
    img->height = height;
    img->binary = binary ? 1 : 0;
    img->maxval = binary ? 1u : maxval;
    img->pix = m;
    return img;
}

pmk_image *pmk_image_alloc(size_t width, size_t height, int binary, unsigned maxval,
                           pmk_error *err)
{
    pmk_image *img = img_alloc_uninit(width, height, binary, maxval, err);
    if (img)
        gsl_matrix_set_all(img->pix, binary ? -1.0 : 0.0);
    return img;
}

pmk_image *pmk_image_copy(const pmk_image *img, pmk_error *err)
{
    pmk_image *c = img_alloc_uninit(img->width, img->height, img->binary, img->maxval, err);
    if (c)
        gsl_matrix_memcpy(c->pix, img->pix);
    return c;
}

void pmk_image_free(pmk_image *img)
{
    if (!img)
        return;
    gsl_matrix_free(img->pix);
    free(img);
}

/* ---------------------------------------------------------------- bit rows */

void img_bits_lut(double lut[256][8], double one, double zero)
{
    for (unsigned b = 0; b < 256; b++)
        for (unsigned j = 0; j < 8; j++)
            lut[b][j] = (b >> (7 - j)) & 1u ? one : zero;
}

void img_unpack_bits(const unsigned char *src, size_t w, double *dst,
                     const double lut[256][8])
{
    size_t full = w / 8, k;
    for (k = 0; k < full; k++)
        memcpy(dst + 8 * k, lut[src[k]], 8 * sizeof(double));
    if (w % 8) {
        /* The padding bits are masked off: they need not be defined (libpng
         * merges a row's last byte into what the buffer held). */
        unsigned last = src[k] & (0xff00u >> (w % 8)) & 0xffu;
        memcpy(dst + 8 * k, lut[last], (w % 8) * sizeof(double));
    }
}

/* ---------------------------------------------------------------- limits */

int img_check_size(const char *path, long line, long col, const char *what,
                   size_t width, size_t height, pmk_error *err)
{
    size_t npix, nbytes;
    if (pmk_size_mul(width, height, &npix) || pmk_size_mul(npix, sizeof(double), &nbytes))
        return pmk_error_at(err, PMK_ELIMIT, path, line, col,
                            "%s image of %zu x %zu pixels is too large (the pixel count "
                            "overflows)", what, width, height);
    return img_check_mem(path, line, col, what, width, height, nbytes, err);
}

int img_check_mem(const char *path, long line, long col, const char *what, size_t width,
                  size_t height, size_t nbytes, pmk_error *err)
{
    /* Under the machine's physical memory, and under PMK_MAX_MEMORY when
     * that is set lower. */
    int from_env;
    unsigned long long cap = pmk_mem_limit(&from_env);
    if (cap && (unsigned long long)nbytes > cap)
        return pmk_error_at(err, PMK_ELIMIT, path, line, col,
                            "%s image of %zu x %zu pixels is too large (needs %zu bytes, "
                            "more than %s%llu bytes%s)", what, width, height, nbytes,
                            from_env ? "the PMK_MAX_MEMORY limit of " : "the ", cap,
                            from_env ? "" : " of memory");
    return PMK_OK;
}

/* ---------------------------------------------------------------- read cursor */

#define IMG_BUFSIZE 65536

long img_fill(img_in *in)
{
    if (in->pos < in->len)
        return (long)(in->len - in->pos);
    in->base += in->len;
    in->pos = in->len = 0;
    if (in->eof || in->failed)
        return in->failed ? -1 : 0;
    long got = pmk_instream_read(in->s, in->buf, in->cap, in->err);
    if (got < 0) {
        in->failed = 1;
        return -1;
    }
    if (got == 0)
        in->eof = 1;
    in->len = (size_t)got;
    return got;
}

long img_ensure(img_in *in, size_t n)
{
    while (in->len - in->pos < n && !in->eof && !in->failed) {
        if (in->pos > 0) {
            memmove(in->buf, in->buf + in->pos, in->len - in->pos);
            in->base += in->pos;
            in->len -= in->pos;
            in->pos = 0;
        }
        long got = pmk_instream_read(in->s, in->buf + in->len, in->cap - in->len, in->err);
        if (got < 0) {
            in->failed = 1;
            return -1;
        }
        if (got == 0)
            in->eof = 1;
        in->len += (size_t)got;
    }
    if (in->failed)
        return -1;
    return (long)(in->len - in->pos);
}

long img_read(img_in *in, void *dst, size_t n)
{
    unsigned char *d = dst;
    size_t done = 0;
    while (done < n) {
        if (in->pos == in->len) {
            /* Big reads go straight from the stream, past the window. */
            if (n - done >= in->cap && !in->eof && !in->failed) {
                in->base += in->len;
                in->pos = in->len = 0;
                size_t want = n - done;
                long got = pmk_instream_read(in->s, d + done, want, in->err);
                if (got < 0) {
                    in->failed = 1;
                    return -1;
                }
                if (got == 0) {
                    in->eof = 1;
                    break;
                }
                in->base += (size_t)got;
                done += (size_t)got;
                continue;
            }
            long r = img_fill(in);
            if (r < 0)
                return -1;
            if (r == 0)
                break;
        }
        size_t k = in->len - in->pos;
        if (k > n - done)
            k = n - done;
        memcpy(d + done, in->buf + in->pos, k);
        in->pos += k;
        done += k;
    }
    return (long)done;
}

int img_read_upto(img_in *in, size_t need, unsigned char **out, size_t *got)
{
    size_t cap = need < ((size_t)1 << 20) ? need : ((size_t)1 << 20);
    long long rem = img_remaining(in);
    if (rem >= 0 && (unsigned long long)rem >= (unsigned long long)need)
        cap = need;   /* the file holds it all: one allocation */
    if (cap == 0)
        cap = 1;
    unsigned char *buf = malloc(cap);
    size_t n = 0;
    if (!buf)
        return pmk_error_at(in->err, PMK_ENOMEM, in->path, 0, 0, "out of memory");
    while (n < need) {
        if (n == cap) {
            size_t ncap = cap > need / 2 ? need : cap * 2;
            unsigned char *nb = realloc(buf, ncap);
            if (!nb) {
                free(buf);
                return pmk_error_at(in->err, PMK_ENOMEM, in->path, 0, 0, "out of memory");
            }
            buf = nb;
            cap = ncap;
        }
        long r = img_read(in, buf + n, cap - n);
        if (r < 0) {
            free(buf);
            return in->err ? in->err->code : PMK_EIO;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *out = buf;
    *got = n;
    return PMK_OK;
}

long long img_remaining(const img_in *in)
{
    if (in->size < 0)
        return -1;
    long long off = (long long)img_offset(in);
    return in->size > off ? in->size - off : 0;
}

/* ---------------------------------------------------------------- read */

/* Reads @p path; with @p spins non-NULL a binary image comes back there
 * (see img_in.spins) and *out stays NULL. */
int img_read_any(const char *path, pmk_image **out, pmk_spin_image **spins, pmk_error *err)
{
    *out = NULL;
    if (spins)
        *spins = NULL;
    pmk_instream *s = pmk_instream_open(path, err);
    if (!s)
        return err ? err->code : PMK_EIO;
    img_in in = {0};
    in.s = s;
    in.path = pmk_instream_path(s);
    in.cap = IMG_BUFSIZE;
    in.line = 1;
    in.size = -1;
    in.err = err;
    in.spins = spins;
    struct stat st;
    if (strcmp(path, "-") != 0 && !pmk_instream_is_gzip(s) && stat(path, &st) == 0
        && S_ISREG(st.st_mode))
        in.size = (long long)st.st_size;
    int rc;
    if (!(in.buf = malloc(in.cap))) {
        rc = pmk_error_at(err, PMK_ENOMEM, in.path, 0, 0, "out of memory");
        goto done;
    }
    /* The magic: "P1".."P7" for Netpbm, 89 50 4e 47 0d 0a 1a 0a for PNG.
     * Peeked, not consumed: the readers parse from offset 0. */
    long avail = img_ensure(&in, 8);
    if (avail < 0) {
        rc = err ? err->code : PMK_EIO;
        goto done;
    }
    size_t have = (size_t)avail < 8 ? (size_t)avail : 8;
    const unsigned char *m = in.buf + in.pos;
    if (have == 0) {
        rc = pmk_error_at(err, PMK_EFORMAT, in.path, 0, 0, "empty file, not an image");
    } else if (have >= 2 && m[0] == 'P' && (m[1] == '1' || m[1] == '2' || m[1] == '4'
                                             || m[1] == '5')) {
        rc = img_pnm_read(&in, out, err);
    } else if (have >= 2 && m[0] == 'P' && (m[1] == '3' || m[1] == '6')) {
        rc = pmk_error_at(err, PMK_EUNSUP, in.path, 0, 0,
                          "PPM (P%c) colour images are not supported; convert to PGM or PNG",
                          m[1]);
    } else if (have >= 2 && m[0] == 'P' && m[1] == '7') {
        rc = pmk_error_at(err, PMK_EUNSUP, in.path, 0, 0,
                          "PAM (P7) images are not supported; convert to PGM or PNG");
    } else if (have == 8 && memcmp(m, "\x89PNG\r\n\x1a\n", 8) == 0) {
        rc = img_png_read(&in, out, err);
    } else {
        rc = pmk_error_at(err, PMK_EFORMAT, in.path, 0, 0,
                          "not a PBM, PGM or PNG image (unknown magic bytes %02x %02x)",
                          m[0], have > 1 ? m[1] : 0u);
    }
done:
    free(in.buf);
    pmk_instream_close(s);
    if (rc != PMK_OK) {
        pmk_image_free(*out);
        *out = NULL;
        if (spins) {
            pmk_spin_image_free(*spins);
            *spins = NULL;
        }
    }
    return rc;
}

int pmk_image_read(const char *path, pmk_image **out, pmk_error *err)
{
    return img_read_any(path, out, NULL, err);
}

/* ---------------------------------------------------------------- write */

static const struct {
    const char *name;
    pmk_image_format fmt;
} format_names[] = {{"pbm", PMK_IMAGE_PBM}, {"pgm", PMK_IMAGE_PGM}, {"png", PMK_IMAGE_PNG}};

int pmk_image_format_parse(const char *name, pmk_image_format *fmt, pmk_error *err)
{
    for (size_t k = 0; k < sizeof format_names / sizeof format_names[0]; k++)
        if (strcasecmp(name, format_names[k].name) == 0) {
            *fmt = format_names[k].fmt;
            return PMK_OK;
        }
    return pmk_error_set(err, PMK_EINVAL, "unknown image format '%s' (use pbm, pgm or png)",
                         name);
}

static const char *format_name(pmk_image_format fmt)
{
    return fmt == PMK_IMAGE_PBM || fmt == PMK_IMAGE_PBM_PLAIN   ? "pbm"
           : fmt == PMK_IMAGE_PGM || fmt == PMK_IMAGE_PGM_PLAIN ? "pgm"
                                                                : "png";
}

int pmk_image_output_parse(const char *spec, pmk_image_format *fmt, const char **path,
                           pmk_error *err)
{
    const char *colon = strchr(spec, ':');
    *path = spec;
    if (colon && colon - spec == 3) {
        char name[4];
        memcpy(name, spec, 3);
        name[3] = '\0';
        pmk_image_format pre;
        if (pmk_image_format_parse(name, &pre, NULL) == PMK_OK) {
            if (*fmt != PMK_IMAGE_AUTO && strcmp(format_name(*fmt), format_name(pre)) != 0)
                return pmk_error_set(err, PMK_EINVAL,
                                     "the format %s contradicts the output '%s'",
                                     format_name(*fmt), spec);
            if (*fmt == PMK_IMAGE_AUTO)
                *fmt = pre;
            *path = colon + 1;
            if (!**path)
                return pmk_error_set(err, PMK_EINVAL, "'%s' names no file (use %s:- for "
                                     "standard output)", spec, name);
        }
    }
    if (*fmt != PMK_IMAGE_AUTO)
        return PMK_OK;
    if (strcmp(*path, "-") == 0)
        return pmk_error_set(err, PMK_EINVAL,
                             "an image written to standard output needs a format "
                             "(pbm:-, pgm:- or png:-)");
    return pmk_image_format_from_path(*path, fmt, err);
}

int pmk_image_format_from_path(const char *path, pmk_image_format *fmt, pmk_error *err)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    if (dot && strcasecmp(dot, ".pbm") == 0)
        *fmt = PMK_IMAGE_PBM;
    else if (dot && strcasecmp(dot, ".pgm") == 0)
        *fmt = PMK_IMAGE_PGM;
    else if (dot && strcasecmp(dot, ".png") == 0)
        *fmt = PMK_IMAGE_PNG;
    else
        return pmk_error_at(err, PMK_EINVAL, path, 0, 0,
                            "cannot tell the image format from the name "
                            "(use .pbm, .pgm or .png)");
    return PMK_OK;
}

/* Checks the fields and every pixel: a binary pixel must not be NaN; a grey
 * one must round to an integer in 0..maxval. */
static int image_validate(const char *path, const pmk_image *img, pmk_error *err)
{
    if (!img || !img->pix || img->pix->size1 != img->height || img->pix->size2 != img->width
        || img->width == 0 || img->height == 0)
        return pmk_error_at(err, PMK_EINVAL, path, 0, 0,
                            "cannot write: the image's size does not match its pixel matrix");
    if (!img->binary && (img->maxval < 1 || img->maxval > 65535))
        return pmk_error_at(err, PMK_EINVAL, path, 0, 0,
                            "cannot write: maxval %u is out of range 1..65535", img->maxval);
    const gsl_matrix *m = img->pix;
    double hi = img->binary ? INFINITY : img->maxval + 0.5;
    double lo = img->binary ? -INFINITY : -0.5;
    for (size_t r = 0; r < img->height; r++) {
        const double *row = m->data + r * m->tda;
        for (size_t c = 0; c < img->width; c++) {
            double v = row[c];
            /* !(v >= lo) also catches NaN. */
            if (!(v >= lo) || !(v < hi) || (img->binary && isnan(v)))
                return pmk_error_at(err, PMK_EINVAL, path, 0, 0,
                                    "cannot write: pixel at row %zu, column %zu is %g, "
                                    "outside %s", r + 1, c + 1, v,
                                    img->binary ? "the spins -1/+1" : "0..maxval");
        }
    }
    return PMK_OK;
}

int img_write_view(const char *path, const img_view *v, pmk_image_format fmt, pmk_error *err)
{
    int rc;
    if (fmt == PMK_IMAGE_AUTO && (rc = pmk_image_format_from_path(path, &fmt, err)))
        return rc;
    if ((fmt == PMK_IMAGE_PBM || fmt == PMK_IMAGE_PBM_PLAIN) && !v->binary)
        return pmk_error_at(err, PMK_EINVAL, path, 0, 0,
                            "cannot write a grey image as PBM: threshold it first");
    if (fmt != PMK_IMAGE_PBM && fmt != PMK_IMAGE_PBM_PLAIN && fmt != PMK_IMAGE_PGM
        && fmt != PMK_IMAGE_PGM_PLAIN && fmt != PMK_IMAGE_PNG)
        return pmk_error_at(err, PMK_EINVAL, path, 0, 0, "unknown image format %d", (int)fmt);
    pmk_outfile o;
    if ((rc = pmk_outfile_open(&o, path, err)))
        return rc;
    switch (fmt) {
    case PMK_IMAGE_PBM: rc = img_pbm_write(o.fp, path, v, 0, err); break;
    case PMK_IMAGE_PBM_PLAIN: rc = img_pbm_write(o.fp, path, v, 1, err); break;
    case PMK_IMAGE_PGM: rc = img_pgm_write(o.fp, path, v, 0, err); break;
    case PMK_IMAGE_PGM_PLAIN: rc = img_pgm_write(o.fp, path, v, 1, err); break;
    default: rc = img_png_write(o.fp, path, v, err); break;
    }
    if (rc) {
        pmk_outfile_abort(&o);
        return rc;
    }
    return pmk_outfile_commit(&o, err);
}

int pmk_image_write(const char *path, const pmk_image *img, pmk_image_format fmt,
                    pmk_error *err)
{
    int rc;
    pmk_image_format f = fmt;
    if (f == PMK_IMAGE_AUTO && (rc = pmk_image_format_from_path(path, &f, err)))
        return rc;
    if ((rc = image_validate(path, img, err)))
        return rc;
    img_view v = {img->width, img->height, img->binary, img->binary ? 1u : img->maxval,
                  img->pix, NULL};
    return img_write_view(path, &v, f, err);
}

/* ---------------------------------------------------------------- threshold */

int pmk_image_threshold(const pmk_image *grey, double t, pmk_image **out, pmk_error *err)
{
    *out = NULL;
    if (!(t > 0.0 && t <= 1.0))
        return pmk_error_set(err, PMK_EINVAL, "threshold %g is out of range (0, 1]", t);
    if (grey->binary) {
        /* Already spins: thresholding changes nothing. */
        *out = pmk_image_copy(grey, err);
        return *out ? PMK_OK : PMK_ENOMEM;
    }
    pmk_image *b = img_alloc_uninit(grey->width, grey->height, 1, 1, err);
    if (!b)
        return err ? err->code : PMK_ENOMEM;
    const double cut = t * grey->maxval;
    for (size_t r = 0; r < grey->height; r++) {
        const double *src = grey->pix->data + r * grey->pix->tda;
        double *dst = b->pix->data + r * b->pix->tda;
        for (size_t c = 0; c < grey->width; c++)
            dst[c] = src[c] < cut ? 1.0 : -1.0;
    }
    *out = b;
    return PMK_OK;
}
