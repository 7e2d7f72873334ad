/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* montage.c: pictures made of pictures: a grid of small grey tiles (class
 * means, RBM filters, Gibbs samples) and images placed side by side, both as
 * grey 8-bit images ready for pmk_image_write. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "pmk/image.h"

/* Gaps between tiles and grid cells without a tile are white. */
#define GAP_LEVEL 255.0
/* A constant tile (or a constant set under GLOBAL) is drawn mid-grey. */
#define MID_LEVEL 128.0

/* Contrast map: level = round(255 * (v - lo) / (hi - lo)), clipped to 0..255.
 * With hi <= lo (a constant input) every pixel is MID_LEVEL. */
static inline double to_level(double v, double lo, double hi)
{
    if (!(hi > lo))
        return MID_LEVEL;
    double x = (v - lo) / (hi - lo);
    x = x < 0.0 ? 0.0 : x > 1.0 ? 1.0 : x;
    return floor(255.0 * x + 0.5);
}

int pmk_montage(const gsl_matrix *tiles, size_t th, size_t tw, size_t ncols, int mode,
                double lo, double hi, pmk_image **out, pmk_error *err)
{
    *out = NULL;
    if (!tiles || tiles->size1 == 0)
        return pmk_error_set(err, PMK_EINVAL, "montage: no tiles");
    if (th == 0 || tw == 0 || th * tw / tw != th || tiles->size2 != th * tw)
        return pmk_error_set(err, PMK_EINVAL,
                             "montage: tiles of %zu x %zu pixels need %zu values a row, "
                             "not %zu", th, tw, th * tw, tiles->size2);
    if (ncols == 0)
        return pmk_error_set(err, PMK_EINVAL, "montage: the number of columns must be positive");
    if (mode != PMK_MONTAGE_RANGE && mode != PMK_MONTAGE_GLOBAL && mode != PMK_MONTAGE_TILE)
        return pmk_error_set(err, PMK_EINVAL, "montage: unknown contrast mode %d", mode);
    if (mode == PMK_MONTAGE_RANGE && !(isfinite(lo) && isfinite(hi) && lo < hi))
        return pmk_error_set(err, PMK_EINVAL, "montage: range [%g, %g] is empty or not finite",
                             lo, hi);
    const size_t T = tiles->size1, P = th * tw;
    /* Non-finite values have no grey level. */
    double gmin = INFINITY, gmax = -INFINITY;
    for (size_t t = 0; t < T; t++) {
        const double *v = tiles->data + t * tiles->tda;
        for (size_t p = 0; p < P; p++) {
            if (!isfinite(v[p]))
                return pmk_error_set(err, PMK_EINVAL,
                                     "montage: tile %zu, pixel %zu is not finite", t + 1, p + 1);
            gmin = v[p] < gmin ? v[p] : gmin;
            gmax = v[p] > gmax ? v[p] : gmax;
        }
    }
    const size_t cols = ncols < T ? ncols : T, rows = (T + cols - 1) / cols;
    size_t W, H;
    if (pmk_size_mul(cols, tw + 1, &W) || pmk_size_mul(rows, th + 1, &H))
        return pmk_error_set(err, PMK_ELIMIT, "montage: the picture would be too large");
    W -= 1;   /* gaps between tiles only, none around the border */
    H -= 1;
    pmk_image *img = pmk_image_alloc(W, H, 0, 255, err);
    if (!img)
        return err ? err->code : PMK_ENOMEM;
    gsl_matrix_set_all(img->pix, GAP_LEVEL);
    for (size_t t = 0; t < T; t++) {
        const double *v = tiles->data + t * tiles->tda;
        double a = lo, b = hi;
        if (mode == PMK_MONTAGE_GLOBAL) {
            a = gmin;
            b = gmax;
        } else if (mode == PMK_MONTAGE_TILE) {
            a = INFINITY;
            b = -INFINITY;
            for (size_t p = 0; p < P; p++) {
                a = v[p] < a ? v[p] : a;
                b = v[p] > b ? v[p] : b;
            }
        }
        const size_t y0 = (t / cols) * (th + 1), x0 = (t % cols) * (tw + 1);
        for (size_t i = 0; i < th; i++) {
            double *dst = img->pix->data + (y0 + i) * img->pix->tda + x0;
            for (size_t j = 0; j < tw; j++)
                dst[j] = to_level(v[i * tw + j], a, b);
        }
    }
    *out = img;
    return PMK_OK;
}

int pmk_image_hconcat(const pmk_image *const *imgs, size_t n, size_t gap, pmk_image **out,
                      pmk_error *err)
{
    *out = NULL;
    if (n == 0)
        return pmk_error_set(err, PMK_EINVAL, "hconcat: no images");
    size_t W = 0, H = imgs[0]->height;
    for (size_t k = 0; k < n; k++) {
        if (imgs[k]->height != H)
            return pmk_error_set(err, PMK_EINVAL,
                                 "hconcat: image %zu is %zu pixels high, image 1 is %zu", k + 1,
                                 imgs[k]->height, H);
        if (pmk_size_add(W, imgs[k]->width, &W) || (k > 0 && pmk_size_add(W, gap, &W)))
            return pmk_error_set(err, PMK_ELIMIT, "hconcat: the picture would be too large");
    }
    pmk_image *img = pmk_image_alloc(W, H, 0, 255, err);
    if (!img)
        return err ? err->code : PMK_ENOMEM;
    gsl_matrix_set_all(img->pix, GAP_LEVEL);
    size_t x0 = 0;
    for (size_t k = 0; k < n; k++) {
        const pmk_image *s = imgs[k];
        const double scale = s->binary ? 0.0 : 255.0 / s->maxval;
        for (size_t r = 0; r < H; r++) {
            const double *src = s->pix->data + r * s->pix->tda;
            double *dst = img->pix->data + r * img->pix->tda + x0;
            if (s->binary) {
                for (size_t c = 0; c < s->width; c++)
                    dst[c] = src[c] > 0 ? 0.0 : 255.0;   /* black ink on white */
            } else {
                for (size_t c = 0; c < s->width; c++) {
                    double v = floor(src[c] * scale + 0.5);
                    dst[c] = v < 0.0 ? 0.0 : v > 255.0 ? 255.0 : v;
                }
            }
        }
        x0 += s->width + gap;
    }
    *out = img;
    return PMK_OK;
}
