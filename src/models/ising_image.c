/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* ising_image.c: the ising module's image-level I/O beyond spins: grey
 * images as 16-bit levels for the Potts model (read, write) and the
 * marginals as CSV or a grey picture.  Files go through the image module
 * (pmk/image.h) and pmk_outfile, so every write is atomic. */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/ising.h"
#include "pmk/limits.h"
#include "pmk/stream.h"

/* ------------------------------------------------------------------ grey levels */

pmk_grey_image *pmk_grey_image_alloc(size_t width, size_t height, unsigned maxval,
                                     pmk_error *err)
{
    size_t n;
    if (width == 0 || height == 0 || maxval < 1 || maxval > 65535) {
        pmk_error_set(err, PMK_EINVAL, "a grey image needs a size and a maxval in 1..65535 "
                                       "(%zux%zu, maxval %u)", width, height, maxval);
        return NULL;
    }
    if (pmk_size_mul(width, height, &n) != PMK_OK || n > SIZE_MAX / 2) {
        pmk_error_set(err, PMK_ELIMIT, "the image is too large (%zux%zu)", width, height);
        return NULL;
    }
    if (pmk_mem_check(NULL, 0, 0, (unsigned long long)n * 2, "the grey image", err))
        return NULL;
    pmk_grey_image *g = malloc(sizeof *g);
    uint16_t *v = calloc(n, sizeof *v);
    if (!g || !v) {
        free(g);
        free(v);
        pmk_error_set(err, PMK_ENOMEM, "out of memory for a %zux%zu image", width, height);
        return NULL;
    }
    *g = (pmk_grey_image){width, height, maxval, v};
    return g;
}

void pmk_grey_image_free(pmk_grey_image *g)
{
    if (g) {
        free(g->level);
        free(g);
    }
}

int pmk_grey_image_read(const char *path, const pmk_grey_image *like, const char *like_path,
                        pmk_grey_image **out, pmk_error *err)
{
    pmk_image *img = NULL;
    *out = NULL;
    int rc = pmk_image_read(path, &img, err);
    if (rc)
        return rc;
    if (like && (img->width != like->width || img->height != like->height)) {
        rc = pmk_error_set(err, PMK_EDATA, "%s is %zux%zu but %s is %zux%zu", path, img->width,
                           img->height, like_path, like->width, like->height);
    } else if ((*out = pmk_grey_image_alloc(img->width, img->height, img->maxval, err))) {
        /* binary: +1 (black) is level 0, -1 (white) level 1 */
        for (size_t r = 0; r < img->height; r++)
            for (size_t c = 0; c < img->width; c++) {
                double v = gsl_matrix_get(img->pix, r, c);
                (*out)->level[r * img->width + c] = img->binary ? v < 0 : (uint16_t)v;
            }
    } else {
        rc = err ? err->code : PMK_ENOMEM;
    }
    pmk_image_free(img);
    return rc;
}

int pmk_grey_image_write(const char *path, const pmk_grey_image *g, pmk_image_format fmt,
                         pmk_error *err)
{
    const int binary = g->maxval == 1;
    pmk_image *img = pmk_image_alloc(g->width, g->height, binary, g->maxval, err);
    if (!img)
        return err ? err->code : PMK_ENOMEM;
    for (size_t r = 0; r < g->height; r++)
        for (size_t c = 0; c < g->width; c++) {
            unsigned v = g->level[r * g->width + c];
            gsl_matrix_set(img->pix, r, c, binary ? (v ? -1.0 : 1.0) : (double)v);
        }
    int rc = pmk_image_write(path, img, fmt, err);
    pmk_image_free(img);
    return rc;
}

/* ------------------------------------------------------------------ marginals */

/* 1 when @p path ends in ".csv" (any case). */
static int is_csv(const char *path)
{
    size_t k = strlen(path);
    const char *e = path + (k >= 4 ? k - 4 : 0);
    return k >= 4 && e[0] == '.' && tolower((unsigned char)e[1]) == 'c'
           && tolower((unsigned char)e[2]) == 's' && tolower((unsigned char)e[3]) == 'v';
}

int pmk_ising_marginals_save(const char *path, size_t width, size_t height, const double *prob,
                             pmk_error *err)
{
    const size_t n = width * height;
    for (size_t i = 0; i < n; i++)
        if (!(prob[i] >= 0 && prob[i] <= 1))
            return pmk_error_set(err, PMK_EINVAL,
                                 "marginal at row %zu, column %zu is %g, not in [0, 1]",
                                 i / width + 1, i % width + 1, prob[i]);
    if (is_csv(path)) {
        pmk_outfile of;
        int rc = pmk_outfile_open(&of, path, err);
        if (rc)
            return rc;
        for (size_t c = 0; c < width; c++)
            fprintf(of.fp, "%scol%zu", c ? "," : "", c);
        fputc('\n', of.fp);
        for (size_t i = 0; i < n; i++)
            fprintf(of.fp, "%.17g%c", prob[i], (i + 1) % width ? ',' : '\n');
        return pmk_outfile_commit(&of, err);
    }
    pmk_image_format fmt = PMK_IMAGE_AUTO;
    const char *file;
    int rc = pmk_image_output_parse(path, &fmt, &file, err);
    if (rc)
        return rc;
    pmk_image *img = pmk_image_alloc(width, height, 0, 255, err);
    if (!img)
        return err ? err->code : PMK_ENOMEM;
    for (size_t i = 0; i < n; i++)
        gsl_matrix_set(img->pix, i / width, i % width, floor(255 * (1 - prob[i]) + 0.5));
    rc = pmk_image_write(file, img, fmt, err);
    pmk_image_free(img);
    return rc;
}
