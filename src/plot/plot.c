/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* plot.c: line plots and heat maps drawn with cairo (doc/design.md, "Plots"),
 * and the canvas, text and PNG output the other figures share. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pmk/stream.h"
#include "plot/plot_internal.h"

/* ---------------------------------------------------------------- shared */

cairo_t *plot_canvas(size_t w, size_t h, pmk_error *err)
{
    if (w == 0 || h == 0 || w > 32767 || h > 32767) {
        pmk_error_set(err, PMK_ELIMIT, "plot: a picture of %zu x %zu pixels is past cairo's "
                      "32767 a side", w, h);
        return NULL;
    }
    if (plot_cairo_open(err))
        return NULL;
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h);
    cairo_t *cr = cairo_create(s);
    cairo_surface_destroy(s);   /* cr holds it */
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        cairo_destroy(cr);
        pmk_error_set(err, PMK_ENOMEM, "plot: out of memory for %zu x %zu pixels", w, h);
        return NULL;
    }
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    return cr;
}

static cairo_status_t write_png_chunk(void *fp, const unsigned char *data, unsigned int n)
{
    return fwrite(data, 1, n, fp) == n ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

int plot_finish(cairo_t *cr, const char *path, pmk_error *err)
{
    cairo_surface_t *s = cairo_get_target(cr);
    cairo_surface_flush(s);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
        int rc = pmk_error_set(err, PMK_ENOMEM, "%s: cannot draw: %s", path,
                               cairo_status_to_string(cairo_status(cr)));
        cairo_destroy(cr);
        return rc;
    }
    pmk_outfile of;
    int rc = pmk_outfile_open(&of, path, err);
    if (rc == PMK_OK) {
        if (cairo_surface_write_to_png_stream(s, write_png_chunk, of.fp) != CAIRO_STATUS_SUCCESS) {
            int e = errno;
            pmk_outfile_abort(&of);
            rc = pmk_error_set(err, PMK_EIO, "%s: cannot write: %s", path, strerror(e));
        } else {
            rc = pmk_outfile_commit(&of, err);
        }
    }
    cairo_destroy(cr);
    return rc;
}

void plot_text(cairo_t *cr, double x, double y, int align, double px, int bold, const char *s)
{
    cairo_text_extents_t e;
    cairo_select_font_face(cr, "sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, px);
    cairo_text_extents(cr, s, &e);
    double dx = align < 0 ? 0.0 : align == 0 ? -(e.x_advance / 2.0) : -e.x_advance;
    cairo_move_to(cr, x + dx, y);
    cairo_show_text(cr, s);
}

void plot_colour(cairo_t *cr, size_t k)
{
    static const double pal[6][3] = {
        {0.122, 0.467, 0.706}, {1.000, 0.498, 0.055}, {0.173, 0.627, 0.173},
        {0.839, 0.153, 0.157}, {0.580, 0.404, 0.741}, {0.549, 0.337, 0.294},
    };
    cairo_set_source_rgb(cr, pal[k % 6][0], pal[k % 6][1], pal[k % 6][2]);
}

double plot_tick_step(double lo, double hi, double *first)
{
    double span = hi - lo, raw = span / 5.0, p = pow(10.0, floor(log10(raw))), step = p;
    if (raw / p >= 5.0)
        step = 5.0 * p;
    else if (raw / p >= 2.0)
        step = 2.0 * p;
    *first = ceil(lo / step - 1e-9) * step;
    return step;
}

void plot_colorbar(cairo_t *cr, double x, double y, double w, double h, double lo, double hi)
{
    cairo_pattern_t *g = cairo_pattern_create_linear(0, y + h, 0, y);
    cairo_pattern_add_color_stop_rgb(g, 0, 0, 0, 0);
    cairo_pattern_add_color_stop_rgb(g, 1, 1, 1, 1);
    cairo_rectangle(cr, x, y, w, h);
    cairo_set_source(cr, g);
    cairo_fill_preserve(cr);
    cairo_pattern_destroy(g);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(cr, 1);
    cairo_stroke(cr);
    char buf[32];
    for (int k = 0; k < 3; k++) {
        double v = lo + (hi - lo) * k / 2.0, ty = y + h - h * k / 2.0;
        snprintf(buf, sizeof buf, "%.3g", fabs(v) < 1e-12 * (fabs(lo) + fabs(hi)) ? 0.0 : v);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        cairo_move_to(cr, x + w, ty);
        cairo_line_to(cr, x + w + 4, ty);
        cairo_stroke(cr);
        plot_text(cr, x + w + 6, ty + 4, -1, 11, 0, buf);
    }
}

/* ---------------------------------------------------------------- line plots */

/* The ranges of pmk_plot_lines (see its comment): x over all curves, y of
 * panel k, both widened as documented. */
static int ranges(const pmk_plot_panel *panels, size_t np, double *x0, double *x1, double *y0,
                  double *y1, size_t k, pmk_error *err)
{
    if (!panels || np == 0)
        return pmk_error_set(err, PMK_EINVAL, "plot: no panels");
    double xl = INFINITY, xh = -INFINITY;
    int levels = 0;
    for (size_t p = 0; p < np; p++) {
        if (panels[p].nseries == 0)
            return pmk_error_set(err, PMK_EINVAL, "plot: panel %zu has no curves", p + 1);
        for (size_t s = 0; s < panels[p].nseries; s++) {
            const pmk_plot_series *c = &panels[p].series[s];
            if (c->n == 0)
                return pmk_error_set(err, PMK_EINVAL, "plot: curve '%s' has no points",
                                     c->name ? c->name : "");
            levels |= c->n == 1 && isfinite(c->y[0]);
            for (size_t i = 0; c->n > 1 && i < c->n; i++)
                if (isfinite(c->x[i]) && isfinite(c->y[i])) {
                    xl = c->x[i] < xl ? c->x[i] : xl;
                    xh = c->x[i] > xh ? c->x[i] : xh;
                }
        }
    }
    if (!(xl <= xh) && levels)   /* reference levels only: x from 0 to 1 */
        xl = 0.0, xh = 1.0;
    if (!(xl <= xh))
        return pmk_error_set(err, PMK_EINVAL, "plot: nothing to plot");
    if (xl == xh)
        xl -= 0.5, xh += 0.5;
    double yl = INFINITY, yh = -INFINITY;
    for (size_t s = 0; s < panels[k].nseries; s++) {
        const pmk_plot_series *c = &panels[k].series[s];
        for (size_t i = 0; i < c->n; i++)
            if (isfinite(c->y[i]) && (c->n == 1 || isfinite(c->x[i]))) {
                yl = c->y[i] < yl ? c->y[i] : yl;
                yh = c->y[i] > yh ? c->y[i] : yh;
            }
    }
    if (!(yl <= yh))
        yl = 0.0, yh = 0.0;   /* a panel without data: an empty frame */
    double pad = yh > yl ? 0.05 * (yh - yl) : 1.0;
    *x0 = xl, *x1 = xh, *y0 = yl - pad, *y1 = yh + pad;
    return PMK_OK;
}

/* Panel k's plot box in pixels. */
static void box(size_t k, double *bx0, double *by0, double *bx1, double *by1)
{
    *bx0 = PMK_PLOT_LEFT;
    *bx1 = PMK_PLOT_WIDTH - PMK_PLOT_RIGHT;
    *by0 = PMK_PLOT_TOP + (double)k * PMK_PLOT_PANEL_H + PMK_PLOT_PAD_TOP;
    *by1 = PMK_PLOT_TOP + (double)(k + 1) * PMK_PLOT_PANEL_H - PMK_PLOT_PAD_BOTTOM;
}

int pmk_plot_point(const pmk_plot_panel *panels, size_t npanels, size_t k, double x, double y,
                   double *px, double *py, pmk_error *err)
{
    double x0, x1, y0, y1, bx0, by0, bx1, by1;
    if (k >= npanels)
        return pmk_error_set(err, PMK_EINVAL, "plot: panel %zu of %zu", k + 1, npanels);
    int rc = ranges(panels, npanels, &x0, &x1, &y0, &y1, k, err);
    if (rc)
        return rc;
    box(k, &bx0, &by0, &bx1, &by1);
    *px = bx0 + (x - x0) / (x1 - x0) * (bx1 - bx0);
    *py = by1 - (y - y0) / (y1 - y0) * (by1 - by0);
    return PMK_OK;
}

/* 1 when every finite x of the curves is a whole number (epochs, sweeps):
 * then the x ticks are whole numbers too. */
static int whole_xs(const pmk_plot_panel *panels, size_t npanels)
{
    for (size_t k = 0; k < npanels; k++)
        for (size_t s = 0; s < panels[k].nseries; s++)
            for (size_t i = 0; panels[k].series[s].x && i < panels[k].series[s].n; i++) {
                double x = panels[k].series[s].x[i];
                if (isfinite(x) && x != floor(x))
                    return 0;
            }
    return 1;
}

static void axes(cairo_t *cr, size_t k, double x0, double x1, double y0, double y1,
                 int whole, const char *xlabel, const char *ylabel)
{
    double bx0, by0, bx1, by1, t, step;
    char buf[32];
    box(k, &bx0, &by0, &bx1, &by1);
    cairo_set_line_width(cr, 1);
    for (int axis = 0; axis < 2; axis++) {
        double lo = axis ? y0 : x0, hi = axis ? y1 : x1;
        step = plot_tick_step(lo, hi, &t);
        if (!axis && whole && step < 1)
            step = 1, t = ceil(lo - 1e-9);
        for (; t <= hi + 1e-9 * step; t += step) {
            double p = axis ? by1 - (t - lo) / (hi - lo) * (by1 - by0)
                            : bx0 + (t - lo) / (hi - lo) * (bx1 - bx0);
            snprintf(buf, sizeof buf, "%g", fabs(t) < 1e-9 * step ? 0.0 : t);
            cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);   /* grid */
            cairo_move_to(cr, axis ? bx0 : floor(p) + 0.5, axis ? floor(p) + 0.5 : by0);
            cairo_line_to(cr, axis ? bx1 : floor(p) + 0.5, axis ? floor(p) + 0.5 : by1);
            cairo_stroke(cr);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            if (axis)
                plot_text(cr, bx0 - 6, p + 4, 1, 11, 0, buf);
            else
                plot_text(cr, p, by1 + 15, 0, 11, 0, buf);
        }
    }
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_rectangle(cr, bx0 + 0.5, by0 + 0.5, bx1 - bx0 - 1, by1 - by0 - 1);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    if (xlabel)
        plot_text(cr, (bx0 + bx1) / 2, by1 + 33, 0, 12, 0, xlabel);
    if (ylabel) {
        cairo_save(cr);
        cairo_translate(cr, 18, (by0 + by1) / 2);
        cairo_rotate(cr, -M_PI / 2);
        plot_text(cr, 0, 0, 0, 12, 0, ylabel);
        cairo_restore(cr);
    }
}

int pmk_plot_lines(const char *path, const char *title, const char *xlabel,
                   const pmk_plot_panel *panels, size_t npanels, pmk_error *err)
{
    double x0, x1, y0, y1;
    int rc = ranges(panels, npanels, &x0, &x1, &y0, &y1, 0, err);
    if (rc)
        return rc;
    cairo_t *cr = plot_canvas(PMK_PLOT_WIDTH, PMK_PLOT_TOP + npanels * PMK_PLOT_PANEL_H, err);
    if (!cr)
        return err ? err->code : PMK_ENOMEM;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    if (title)
        plot_text(cr, PMK_PLOT_WIDTH / 2.0, 22, 0, 15, 1, title);
    const int whole = whole_xs(panels, npanels);
    for (size_t k = 0; k < npanels; k++) {
        double bx0, by0, bx1, by1;
        ranges(panels, npanels, &x0, &x1, &y0, &y1, k, NULL);
        axes(cr, k, x0, x1, y0, y1, whole, xlabel, panels[k].ylabel);
        box(k, &bx0, &by0, &bx1, &by1);
        for (size_t s = 0; s < panels[k].nseries; s++) {
            const pmk_plot_series *c = &panels[k].series[s];
            double ly = by0 + 14 + 18.0 * (double)s;
            cairo_save(cr);
            cairo_rectangle(cr, bx0, by0, bx1 - bx0, by1 - by0);
            cairo_clip(cr);
            plot_colour(cr, s);
            cairo_set_line_width(cr, 2);
            cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
            if (c->n == 1) {   /* a reference level */
                double dash = 6;
                double py = by1 - (c->y[0] - y0) / (y1 - y0) * (by1 - by0);
                cairo_set_dash(cr, &dash, 1, 0);
                cairo_move_to(cr, bx0, py);
                cairo_line_to(cr, bx1, py);
            }
            for (size_t i = 0, open = 0; c->n > 1 && i < c->n; i++) {
                if (!isfinite(c->x[i]) || !isfinite(c->y[i])) {
                    open = 0;
                    continue;
                }
                double px = bx0 + (c->x[i] - x0) / (x1 - x0) * (bx1 - bx0);
                double py = by1 - (c->y[i] - y0) / (y1 - y0) * (by1 - by0);
                if (open)
                    cairo_line_to(cr, px, py);
                else
                    cairo_move_to(cr, px, py), cairo_line_to(cr, px, py);
                open = 1;
            }
            cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
            cairo_stroke(cr);
            cairo_restore(cr);
            /* legend: a short line and the name, right of the box */
            plot_colour(cr, s);
            cairo_set_line_width(cr, 2);
            cairo_move_to(cr, bx1 + 12, ly - 4);
            cairo_line_to(cr, bx1 + 34, ly - 4);
            cairo_stroke(cr);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            plot_text(cr, bx1 + 40, ly, -1, 12, 0, c->name ? c->name : "");
        }
    }
    return plot_finish(cr, path, err);
}

/* ---------------------------------------------------------------- heat map */

enum { HM_CELL = 40, HM_LEFT = 80, HM_TOP = 60, HM_RIGHT = 20, HM_BOTTOM = 20 };

int pmk_plot_heatmap(const char *path, const char *title, const char *xlabel, const char *ylabel,
                     const double *v, size_t rows, size_t cols, const char *const *row_names,
                     const char *const *col_names, pmk_error *err)
{
    if (!v || rows == 0 || cols == 0)
        return pmk_error_set(err, PMK_EINVAL, "heat map: no cells");
    if (rows > 700 || cols > 700)
        return pmk_error_set(err, PMK_ELIMIT, "heat map: %zu x %zu cells is past 700 a side",
                             rows, cols);
    double vmax = 0.0;
    for (size_t i = 0; i < rows * cols; i++) {
        if (!isfinite(v[i]))
            return pmk_error_set(err, PMK_EINVAL, "heat map: cell %zu is not finite", i + 1);
        vmax = fabs(v[i]) > vmax ? fabs(v[i]) : vmax;
    }
    cairo_t *cr = plot_canvas(HM_LEFT + cols * HM_CELL + HM_RIGHT,
                              HM_TOP + rows * HM_CELL + HM_BOTTOM, err);
    if (!cr)
        return err ? err->code : PMK_ENOMEM;
    char buf[32];
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    if (title)
        plot_text(cr, (HM_LEFT + cols * HM_CELL) / 2.0, 18, 0, 14, 1, title);
    if (xlabel)
        plot_text(cr, HM_LEFT + cols * HM_CELL / 2.0, 36, 0, 12, 0, xlabel);
    if (ylabel) {
        cairo_save(cr);
        cairo_translate(cr, 16, HM_TOP + rows * HM_CELL / 2.0);
        cairo_rotate(cr, -M_PI / 2);
        plot_text(cr, 0, 0, 0, 12, 0, ylabel);
        cairo_restore(cr);
    }
    for (size_t j = 0; j < cols; j++) {
        snprintf(buf, sizeof buf, "%zu", j + 1);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        plot_text(cr, HM_LEFT + (j + 0.5) * HM_CELL, HM_TOP - 6, 0, 12, 0,
                  col_names ? col_names[j] : buf);
    }
    for (size_t i = 0; i < rows; i++) {
        snprintf(buf, sizeof buf, "%zu", i + 1);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        plot_text(cr, HM_LEFT - 8, HM_TOP + (i + 0.5) * HM_CELL + 4, 1, 12, 0,
                  row_names ? row_names[i] : buf);
        for (size_t j = 0; j < cols; j++) {
            /* white (0) .. dark blue (vmax), as the square root so that the
             * small off-diagonal counts are visible next to the diagonal */
            double f = vmax > 0 ? sqrt(fabs(v[i * cols + j]) / vmax) : 0.0;
            double x = HM_LEFT + (double)j * HM_CELL, y = HM_TOP + (double)i * HM_CELL;
            cairo_set_source_rgb(cr, 1 - 0.92 * f, 1 - 0.70 * f, 1 - 0.45 * f);
            cairo_rectangle(cr, x, y, HM_CELL, HM_CELL);
            cairo_fill(cr);
            snprintf(buf, sizeof buf, "%.0f", v[i * cols + j]);
            cairo_set_source_rgb(cr, f > 0.6 ? 1 : 0.1, f > 0.6 ? 1 : 0.1, f > 0.6 ? 1 : 0.1);
            plot_text(cr, x + HM_CELL / 2.0, y + HM_CELL / 2.0 + 4, 0, 11, 0, buf);
        }
    }
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(cr, 1);
    cairo_rectangle(cr, HM_LEFT + 0.5, HM_TOP + 0.5, cols * HM_CELL - 1.0, rows * HM_CELL - 1.0);
    cairo_stroke(cr);
    return plot_finish(cr, path, err);
}
