/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* plot_montage.c: labelled montages: pmk_montage's grey tiles magnified by
 * pixel replication into a cairo canvas, with a title, captions and a colour
 * bar drawn around them (gnb means and sigma, RBM filters, samples). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/gnb.h"
#include "pmk/image.h"
#include "pmk/rbm.h"
#include "plot/plot_internal.h"

/* Layout constants (pixels): the border, the title strip, a caption strip,
 * the colour bar's width and the room for its labels. */
enum { MG_BORDER = 8, MG_TITLE = 28, MG_CAPTION = 15, MG_BAR = 14, MG_BAR_ROOM = 72,
       MG_MIN_WIDTH = 240 };

void pmk_plot_montage_options_init_default(pmk_plot_montage_options *o)
{
    memset(o, 0, sizeof *o);
    o->zoom = 4;
    o->ncols = 10;
    o->mode = PMK_MONTAGE_GLOBAL;
}

/* Caption lines: 0 without captions, 2 when one has a newline, else 1. */
static size_t caption_lines(const pmk_plot_montage_options *o, size_t T)
{
    size_t n = o->captions ? 1 : 0;
    for (size_t t = 0; o->captions && t < T; t++)
        if (o->captions[t] && strchr(o->captions[t], '\n'))
            n = 2;
    return n;
}

int pmk_plot_zoom_check(size_t zoom, pmk_error *err)
{
    return zoom < 1 || zoom > 64 ? pmk_error_set(err, PMK_EINVAL, "zoom %zu is not in 1..64", zoom)
                                 : PMK_OK;
}

int pmk_plot_montage_layout_get(size_t T, size_t th, size_t tw, const pmk_plot_montage_options *o,
                                pmk_plot_montage_layout *l, pmk_error *err)
{
    if (pmk_plot_zoom_check(o->zoom, err))
        return PMK_EINVAL;
    if (T == 0 || th == 0 || tw == 0)
        return pmk_error_set(err, PMK_EINVAL, "montage: no tiles");
    if (th > 32767 || tw > 32767)
        return pmk_error_set(err, PMK_ELIMIT, "montage: tiles of %zu x %zu pixels", th, tw);
    size_t ncols = o->ncols ? o->ncols : 10, gap = 4 + o->zoom;
    memset(l, 0, sizeof *l);
    l->cols = ncols < T ? ncols : T;
    l->rows = (T + l->cols - 1) / l->cols;
    l->cell_w = tw * o->zoom + gap;
    l->cell_h = th * o->zoom + gap + MG_CAPTION * caption_lines(o, T);
    l->x0 = MG_BORDER;
    l->y0 = MG_BORDER + (o->title ? MG_TITLE : 0);
    /* doubles: no overflow before the limit check */
    double w = (double)l->x0 + (double)l->cols * (double)l->cell_w - (double)gap + MG_BORDER
               + (o->colorbar ? 8 + MG_BAR + MG_BAR_ROOM : 0);
    double h = (double)l->y0 + (double)l->rows * (double)l->cell_h - (double)gap + MG_BORDER;
    w = w < MG_MIN_WIDTH && o->title ? MG_MIN_WIDTH : w;
    if (w > 32767 || h > 32767)
        return pmk_error_set(err, PMK_ELIMIT, "montage: a picture of %.0f x %.0f pixels is past "
                             "cairo's 32767 a side", w, h);
    l->width = (size_t)w;
    l->height = (size_t)h;
    return PMK_OK;
}

/* Draws the montage of o and l at vertical offset oy on cr: the tiles as
 * pmk_montage maps them to grey, magnified; the title, captions, bar. */
static int draw(cairo_t *cr, const gsl_matrix *tiles, size_t th, size_t tw,
                const pmk_plot_montage_options *o, const pmk_plot_montage_layout *l, size_t oy,
                pmk_error *err)
{
    pmk_image *grid = NULL;
    const size_t T = tiles->size1, z = o->zoom;
    int rc = pmk_montage(tiles, th, tw, l->cols, o->mode, o->lo, o->hi, &grid, err);
    if (rc)
        return rc;
    cairo_surface_t *s = cairo_get_target(cr);
    cairo_surface_flush(s);
    unsigned char *data = cairo_image_surface_get_data(s);
    const size_t stride = (size_t)cairo_image_surface_get_stride(s);
    for (size_t t = 0; t < T; t++) {
        const size_t gx = (t % l->cols) * (tw + 1), gy = (t / l->cols) * (th + 1);
        const size_t x0 = l->x0 + (t % l->cols) * l->cell_w, y0 = oy + l->y0 + (t / l->cols) * l->cell_h;
        for (size_t i = 0; i < th * z; i++) {
            const double *src = grid->pix->data + (gy + i / z) * grid->pix->tda + gx;
            uint32_t *dst = (uint32_t *)(void *)(data + (y0 + i) * stride) + x0;
            for (size_t j = 0; j < tw * z; j++) {
                uint32_t g = (uint32_t)src[j / z];   /* 0..255, integral */
                dst[j] = 0xff000000u | g << 16 | g << 8 | g;
            }
        }
    }
    cairo_surface_mark_dirty(s);
    pmk_image_free(grid);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    if (o->title)
        plot_text(cr, (double)l->width / 2.0, (double)oy + MG_BORDER + 18, 0, 14, 1, o->title);
    double cap_px = (double)l->cell_w / 5.0;
    cap_px = cap_px > 12 ? 12 : cap_px < 7 ? 7 : cap_px;
    for (size_t t = 0; o->captions && t < T; t++) {
        const double cx = (double)(l->x0 + (t % l->cols) * l->cell_w) + tw * z / 2.0;
        const double cy = (double)(oy + l->y0 + (t / l->cols) * l->cell_h + th * z) + 12;
        char line[128];
        const char *c = o->captions[t] ? o->captions[t] : "", *nl = strchr(c, '\n');
        snprintf(line, sizeof line, "%.*s", nl ? (int)(nl - c) : (int)strlen(c), c);
        cairo_save(cr);
        cairo_rectangle(cr, cx - l->cell_w / 2.0, cy - 12, (double)l->cell_w,
                        MG_CAPTION * (double)caption_lines(o, T));
        cairo_clip(cr);
        plot_text(cr, cx, cy, 0, cap_px, 0, line);
        if (nl)
            plot_text(cr, cx, cy + MG_CAPTION, 0, cap_px, 0, nl + 1);
        cairo_restore(cr);
    }
    if (o->colorbar && o->mode != PMK_MONTAGE_TILE) {
        double lo = o->lo, hi = o->hi;
        if (o->mode == PMK_MONTAGE_GLOBAL) {
            lo = INFINITY, hi = -INFINITY;
            for (size_t t = 0; t < T; t++)
                for (size_t p = 0; p < th * tw; p++) {
                    double v = gsl_matrix_get(tiles, t, p);
                    lo = v < lo ? v : lo;
                    hi = v > hi ? v : hi;
                }
        }
        const double bx = (double)(l->x0 + l->cols * l->cell_w - (4 + z) + 8);
        const double by = (double)(oy + l->y0);
        const double bh = (double)(l->rows * l->cell_h - (4 + z) - MG_CAPTION * caption_lines(o, T));
        plot_colorbar(cr, bx, by, MG_BAR, bh, lo, hi);
    }
    return PMK_OK;
}

int pmk_plot_montage(const gsl_matrix *tiles, size_t th, size_t tw,
                     const pmk_plot_montage_options *o, const char *png, pmk_error *err)
{
    pmk_plot_montage_layout l;
    if (!tiles || tiles->size1 == 0)
        return pmk_error_set(err, PMK_EINVAL, "montage: no tiles");
    int rc = pmk_plot_montage_layout_get(tiles->size1, th, tw, o, &l, err);
    cairo_t *cr = rc ? NULL : plot_canvas(l.width, l.height, err);
    if (!cr)
        return rc ? rc : err ? err->code : PMK_ENOMEM;
    if ((rc = draw(cr, tiles, th, tw, o, &l, 0, err))) {
        cairo_destroy(cr);
        return rc;
    }
    return plot_finish(cr, png, err);
}

/* "0", "1", ... for K labels into one buffer; the pointers into *names. */
static int label_names(const long *labels, size_t K, char ***names, pmk_error *err)
{
    char **v = malloc(K * (sizeof *v + 24));
    if (!v)
        return pmk_error_set(err, PMK_ENOMEM, "plot: out of memory");
    char *buf = (char *)(v + K);
    for (size_t k = 0; k < K; k++) {
        v[k] = buf + 24 * k;
        snprintf(v[k], 24, "%ld", labels[k]);
    }
    *names = v;
    return PMK_OK;
}

int pmk_plot_gnb_model(const pmk_gnb *m, size_t th, size_t tw, size_t zoom, const char *png,
                       pmk_error *err)
{
    if (!pmk_gnb_is_finished(m))
        return pmk_error_set(err, PMK_EINVAL, "plot: the model is not finished");
    const size_t K = pmk_gnb_nclasses(m), D = pmk_gnb_nfeatures(m);
    if (th == 0) {
        size_t s = (size_t)floor(sqrt((double)D) + 0.5);
        if (s * s != D)
            return pmk_error_set(err, PMK_EINVAL, "%zu features is not a square image", D);
        th = tw = s;
    }
    if (th * tw != D)
        return pmk_error_set(err, PMK_EINVAL, "a %zux%zu tile is not %zu features", th, tw, D);
    gsl_matrix *sd = gsl_matrix_alloc(K, D);
    char **names = NULL;
    int rc = sd ? label_names(pmk_gnb_labels(m), K, &names, err)
                : pmk_error_set(err, PMK_ENOMEM, "plot: out of memory");
    if (rc) {
        if (sd)
            gsl_matrix_free(sd);
        return rc;
    }
    const gsl_matrix *var = pmk_gnb_variances(m);
    for (size_t k = 0; k < K; k++)
        for (size_t j = 0; j < D; j++)
            gsl_matrix_set(sd, k, j, sqrt(gsl_matrix_get(var, k, j)));
    /* shared variance: the rows are one, drawn once */
    const int shared = pmk_gnb_get_options(m)->variance == PMK_GNB_VAR_SHARED;
    gsl_matrix_view sdv = gsl_matrix_submatrix(sd, 0, 0, shared ? 1 : K, D);
    static const char *const all[] = {"all classes"};
    pmk_plot_montage_options om, os;
    pmk_plot_montage_layout lm, ls;
    pmk_plot_montage_options_init_default(&om);
    om.zoom = zoom;
    om.ncols = K;
    om.colorbar = 1;
    os = om;
    om.title = "class means";
    om.captions = (const char *const *)names;
    os.captions = shared ? all : om.captions;
    os.title = pmk_gnb_covariance(m) ? "standard deviation (sigma), full covariance"
                                     : "standard deviation (sigma)";
    cairo_t *cr = NULL;
    if (!(rc = pmk_plot_montage_layout_get(K, th, tw, &om, &lm, err))
        && !(rc = pmk_plot_montage_layout_get(shared ? 1 : K, th, tw, &os, &ls, err))) {
        lm.width = ls.width = lm.width > ls.width ? lm.width : ls.width;
        cr = plot_canvas(lm.width, lm.height + ls.height, err);
        rc = !cr ? (err ? err->code : PMK_ENOMEM)
             : draw(cr, pmk_gnb_means(m), th, tw, &om, &lm, 0, err)
                 ? err->code : draw(cr, &sdv.matrix, th, tw, &os, &ls, lm.height, err);
    }
    gsl_matrix_free(sd);
    free(names);
    if (rc || !cr) {
        if (cr)
            cairo_destroy(cr);
        return rc;
    }
    return plot_finish(cr, png, err);
}

int pmk_plot_rbm_filters(const pmk_rbm *m, size_t count, size_t cols, size_t zoom, const char *png,
                         pmk_error *err)
{
    size_t side;
    int rc = pmk_rbm_image_side(m->d, &side, err);
    if (rc)
        return rc;
    count = count == 0 || count > m->h ? m->h : count;
    gsl_matrix *tiles = gsl_matrix_alloc(count, m->d);
    char **names = malloc(count * (sizeof *names + 24));
    if (!tiles || !names) {
        if (tiles)
            gsl_matrix_free(tiles);
        free(names);
        return pmk_error_set(err, PMK_ENOMEM, "plot: out of memory");
    }
    double a = 0.0;
    for (size_t k = 0; k < count; k++) {
        names[k] = (char *)(names + count) + 24 * k;
        snprintf(names[k], 24, "h%zu", k + 1);
        for (size_t i = 0; i < m->d; i++) {
            double w = gsl_matrix_get(m->W, i, k);
            gsl_matrix_set(tiles, k, i, w);
            a = fabs(w) > a ? fabs(w) : a;
        }
    }
    pmk_plot_montage_options o;
    pmk_plot_montage_options_init_default(&o);
    o.zoom = zoom;
    o.ncols = cols ? cols : (size_t)ceil(sqrt((double)count));
    o.mode = PMK_MONTAGE_RANGE;
    o.lo = a > 0 ? -a : -1.0;
    o.hi = a > 0 ? a : 1.0;
    o.colorbar = 1;
    o.title = "RBM filters (columns of W)";
    o.captions = (const char *const *)names;
    rc = pmk_plot_montage(tiles, side, side, &o, png, err);
    gsl_matrix_free(tiles);
    free(names);
    return rc;
}
