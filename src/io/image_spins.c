/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* image_spins.c: binary images as spins (one signed byte a pixel, the Ising
 * routines' layout) straight from and to PBM, PGM and PNG files, and between
 * spins and pmk_image.  Bits are unpacked and packed a byte at a time: eight
 * spins per table entry on the way in, eight spins per multiply on the way
 * out. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pmk/limits.h"
#include "core/core_internal.h"
#include "io/image_internal.h"

/* The byte loops below (packing, the spin check) vectorise at -O3 only. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif

pmk_spin_image *img_spins_uninit(size_t width, size_t height, pmk_error *err)
{
    size_t n;
    if (img_check_alloc(width, height, 1, "a spin image", &n, err))
        return NULL;
    pmk_spin_image *s = malloc(sizeof *s);
    int8_t *v = s ? core_alloc_huge(n) : NULL;
    if (!v) {
        free(s);
        pmk_error_set(err, PMK_ENOMEM, "out of memory for a %zu x %zu image", width, height);
        return NULL;
    }
    s->width = width;
    s->height = height;
    s->spins = v;
    return s;
}

pmk_spin_image *pmk_spin_image_alloc(size_t width, size_t height, pmk_error *err)
{
    pmk_spin_image *s = img_spins_uninit(width, height, err);
    if (s)
        memset(s->spins, 0xff, width * height);   /* -1: white */
    return s;
}

void pmk_spin_image_free(pmk_spin_image *s)
{
    if (!s)
        return;
    free(s->spins);
    free(s);
}

/* ---------------------------------------------------------------- bits */

void img_spin_lut(int8_t lut[256][8], int set_is)
{
    for (unsigned b = 0; b < 256; b++)
        for (unsigned j = 0; j < 8; j++)
            lut[b][j] = (int8_t)((b >> (7 - j)) & 1u ? set_is : -set_is);
}

void img_unpack_spins(const unsigned char *src, size_t w, int8_t *dst, const int8_t lut[256][8])
{
    size_t full = w / 8, k;
    for (k = 0; k < full; k++)
        memcpy(dst + 8 * k, lut[src[k]], 8);
    if (w % 8) {
        /* The padding bits need not be defined (libpng merges a row's last
         * byte into what its buffer held): masked off. */
        unsigned last = src[k] & (0xff00u >> (w % 8)) & 0xffu;
        memcpy(dst + 8 * k, lut[last], w % 8);
    }
}

/* Eight spins to one PBM byte (bit 7 = the first pixel, set = black = +1).
 * A spin's byte has its sign bit set for -1 (0xff) and clear for +1 (0x01):
 * the complemented sign bits, one a byte, are gathered into the top byte by
 * one multiply (byte i, bit 0, lands on bit 63 - i). */
static inline unsigned char pack8(const int8_t *p)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t v;
    memcpy(&v, p, 8);
    uint64_t m = (~v >> 7) & 0x0101010101010101ull;
    return (unsigned char)((m * 0x8040201008040201ull) >> 56);
#else
    unsigned b = 0;
    for (int j = 0; j < 8; j++)
        b = b << 1 | (p[j] > 0);
    return (unsigned char)b;
#endif
}

void img_view_bits(const img_view *v, size_t r, unsigned char *row)
{
    const size_t w = v->width, rowbytes = w / 8 + (w % 8 != 0);
    if (v->spins) {
        const int8_t *s = v->spins + r * w;
        size_t full = w / 8, k;
        for (k = 0; k < full; k++)
            row[k] = pack8(s + 8 * k);
        if (w % 8) {
            unsigned b = 0;
            for (size_t c = 8 * k; c < w; c++)
                b |= (unsigned)(s[c] > 0) << (7 - (c & 7));
            row[k] = (unsigned char)b;
        }
        return;
    }
    const double *src = v->pix->data + r * v->pix->tda;
    memset(row, 0, rowbytes);
    for (size_t c = 0; c < w; c++)
        if (src[c] > 0)
            row[c >> 3] |= (unsigned char)(0x80u >> (c & 7));
}

/* ---------------------------------------------------------------- read */

int pmk_image_read_binary(const char *path, pmk_spin_image **spins, pmk_image **grey,
                          pmk_error *err)
{
    return img_read_any(path, grey, spins, err);
}

int pmk_spin_threshold_check(double t, pmk_error *err)
{
    if (!(t >= 0.0 && t <= 1.0))
        return pmk_error_set(err, PMK_EINVAL, "threshold %g is not in [0, 1] (0 = none)", t);
    return PMK_OK;
}

int pmk_spin_image_from_image(const pmk_image *img, double t, pmk_spin_image **out,
                              pmk_error *err)
{
    *out = NULL;
    int rc = pmk_spin_threshold_check(t, err);
    if (rc)
        return rc;
    if (!img->binary && t == 0.0)
        return pmk_error_set(err, PMK_EDATA,
                             "grey image (maxval %u): a threshold is needed to binarise it",
                             img->maxval);
    pmk_spin_image *s = img_spins_uninit(img->width, img->height, err);
    if (!s)
        return err ? err->code : PMK_ENOMEM;
    /* Grey: black where level < t * maxval, as pmk_image_threshold. */
    const double cut = img->binary ? 0.0 : t * img->maxval;
    for (size_t r = 0; r < img->height; r++) {
        const double *src = img->pix->data + r * img->pix->tda;
        int8_t *dst = s->spins + r * img->width;
        if (img->binary)
            for (size_t c = 0; c < img->width; c++)
                dst[c] = src[c] > 0 ? 1 : -1;
        else
            for (size_t c = 0; c < img->width; c++)
                dst[c] = src[c] < cut ? 1 : -1;
    }
    *out = s;
    return PMK_OK;
}

int pmk_spin_image_read(const char *path, double t, pmk_spin_image **out, pmk_error *err)
{
    pmk_image *grey = NULL;
    int rc = pmk_image_read_binary(path, out, &grey, err);
    if (rc || *out)
        return rc;
    rc = pmk_spin_image_from_image(grey, t, out, err);
    if (rc == PMK_EDATA || rc == PMK_EINVAL)
        pmk_error_prefix(err, path);
    pmk_image_free(grey);
    return rc;
}

int pmk_spin_image_read_like(const char *path, double t, const pmk_spin_image *like,
                             const char *like_path, pmk_spin_image **out, pmk_error *err)
{
    int rc = pmk_spin_image_read(path, t, out, err);
    const pmk_spin_image *s = *out;
    if (rc || !like || (s->width == like->width && s->height == like->height))
        return rc;
    rc = pmk_error_set(err, PMK_EDATA, "%s is %zux%zu but %s is %zux%zu", path, s->width,
                       s->height, like_path, like->width, like->height);
    pmk_spin_image_free(*out);
    *out = NULL;
    return rc;
}

int pmk_spin_image_to_image(const pmk_spin_image *s, pmk_image **out, pmk_error *err)
{
    *out = NULL;
    pmk_image *img = img_alloc_uninit(s->width, s->height, 1, 1, err);
    if (!img)
        return err ? err->code : PMK_ENOMEM;
    for (size_t r = 0; r < s->height; r++) {
        const int8_t *src = s->spins + r * s->width;
        double *dst = img->pix->data + r * img->pix->tda;
        for (size_t c = 0; c < s->width; c++)
            dst[c] = src[c] > 0 ? 1.0 : -1.0;
    }
    *out = img;
    return PMK_OK;
}

/* ---------------------------------------------------------------- write */

int pmk_spin_image_write(const char *path, const pmk_spin_image *s, pmk_image_format fmt,
                         pmk_error *err)
{
    int rc;
    if (fmt == PMK_IMAGE_AUTO && (rc = pmk_image_format_from_path(path, &fmt, err)))
        return rc;
    if (!s || !s->spins || s->width == 0 || s->height == 0)
        return pmk_error_at(err, PMK_EINVAL, path, 0, 0, "cannot write: an empty spin image");
    const size_t n = s->width * s->height;
    /* Vectorisable scan, then locate: a spin + 1 is 0 or 2 (bit 1 only). */
    uint8_t bad = 0;
    for (size_t i = 0; i < n; i++)
        bad |= (uint8_t)((uint8_t)(s->spins[i] + 1) & 0xfdu);
    for (size_t i = 0; bad && i < n; i++)
        if (s->spins[i] != 1 && s->spins[i] != -1)
            return pmk_error_at(err, PMK_EINVAL, path, 0, 0,
                                "cannot write: spin at row %zu, column %zu is %d, not -1 or +1",
                                i / s->width + 1, i % s->width + 1, (int)s->spins[i]);
    img_view v = {s->width, s->height, 1, 1u, NULL, s->spins};
    return img_write_view(path, &v, fmt, err);
}
