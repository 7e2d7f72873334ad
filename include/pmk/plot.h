/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/** @file pmk/plot.h
 * Labelled figures drawn with cairo and written as PNG: montages of tiles
 * magnified with captions, a title and a colour bar; line plots (RBM training
 * curves, Ising energy traces); heat maps (a confusion matrix).
 *
 * Every function takes data and writes one PNG atomically through
 * pmk_outfile ("-" is standard output); a failed write leaves an existing
 * file untouched.  Text is cairo's "sans" face at fixed sizes; the geometry
 * (pmk_plot_point, pmk_plot_montage_layout) does not depend on the font, so
 * a caller or a test knows where every tile and every data point lands.
 * Thread-safety: no global state (cairo's font cache is its own, locked). */
#ifndef PMK_PLOT_H
#define PMK_PLOT_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include "pmk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct pmk_gnb;
struct pmk_gnb_eval;
struct pmk_rbm;
struct pmk_ising_result;
struct pmk_data_options;

/* ---------------------------------------------------------------- line plots */

/** Line-plot geometry, in pixels: a figure is PMK_PLOT_WIDTH wide and
 *  PMK_PLOT_TOP + npanels * PMK_PLOT_PANEL_H high.  Panel k's plot box spans
 *  x in [PMK_PLOT_LEFT, PMK_PLOT_WIDTH - PMK_PLOT_RIGHT] and y in
 *  [PMK_PLOT_TOP + k H + PMK_PLOT_PAD_TOP, PMK_PLOT_TOP + (k + 1) H -
 *  PMK_PLOT_PAD_BOTTOM] (H = PMK_PLOT_PANEL_H); the legend sits right of it. */
enum {
    PMK_PLOT_WIDTH = 760, PMK_PLOT_TOP = 34, PMK_PLOT_PANEL_H = 220, PMK_PLOT_LEFT = 84,
    PMK_PLOT_RIGHT = 170, PMK_PLOT_PAD_TOP = 8, PMK_PLOT_PAD_BOTTOM = 44
};

/** One curve: y[i] against x[i], i < n (the arrays are the caller's).
 *  Non-finite points are skipped (the line breaks there).  A series of one
 *  point is a reference level: a dashed horizontal line at y[0] across the
 *  panel (e.g. the exact energy mincut reaches); its x takes no part in the
 *  x range. */
typedef struct pmk_plot_series {
    const char *name;   /**< legend entry */
    const double *x;
    const double *y;
    size_t n;
} pmk_plot_series;

/** A panel: curves sharing one y axis. */
typedef struct pmk_plot_panel {
    const char *ylabel;
    const pmk_plot_series *series;
    size_t nseries;
} pmk_plot_panel;

/** Draws @p npanels panels stacked, one x axis range for all of them: from
 *  the least to the greatest finite x of the curves (not of reference
 *  levels; 0 to 1 when there are only reference levels).  Each panel's y range is its finite y values' (reference levels
 *  included) widened by 5% of their span on each side (a span of 0 by 1 on
 *  each side).  When every finite x is a whole number (epochs, sweeps), the
 *  x ticks are whole numbers.  Curve k is drawn in colour k of a fixed palette, 2 pixels
 *  wide, with a legend.  PMK_EINVAL: no panels, a panel without series, a
 *  series without points, no finite point at all ("nothing to plot");
 *  PMK_EIO / PMK_ENOMEM naming @p path. */
PMK_API int pmk_plot_lines(const char *path, const char *title, const char *xlabel,
                           const pmk_plot_panel *panels, size_t npanels, pmk_error *err);

/** Where pmk_plot_lines draws the point (@p x, @p y) of panel @p k: pixel
 *  coordinates (fractional; pixel (i, j) covers [i, i+1) x [j, j+1)) in
 *  *@p px, *@p py.  Same PMK_EINVAL cases as pmk_plot_lines, and @p k out of
 *  range. */
PMK_API int pmk_plot_point(const pmk_plot_panel *panels, size_t npanels, size_t k, double x,
                           double y, double *px, double *py, pmk_error *err);

/** RBM training curves from a `pmk rbm train --log` CSV (header
 *  epoch,recon_error,pseudo_likelihood,free_energy_gap,...): three panels
 *  (reconstruction error, pseudo-likelihood, free-energy gap) against epoch.
 *  Column order is free; other columns are ignored.  PMK_EFORMAT naming the
 *  file (and line): a missing column ("LOG:1: no column 'free_energy_gap'"),
 *  a row that is not numbers, no rows ("LOG: no epochs to plot"); PMK_EIO. */
PMK_API int pmk_plot_rbm_log(const char *csv, const char *png, pmk_error *err);

/** The same figure from @p n rows in memory: @p rows is n x 4, row-major,
 *  each epoch, recon_error, pseudo_likelihood, free_energy_gap.  A run's
 *  epoch callback can collect them (pmk_rbm_epoch_info).  n = 0 is
 *  PMK_EINVAL ("no epochs to plot"). */
PMK_API int pmk_plot_rbm_curves(const double *rows, size_t n, const char *png, pmk_error *err);

/** Energy against sweep of @p n denoising runs in one figure, run i named
 *  @p names[i] (icm, anneal, ...), and below it, when @p with_error (the
 *  runs were given a truth image), the fraction of pixels wrong:
 *  errors / (width * height).  A run without sweeps (mincut) is drawn as a
 *  reference level at its final energy (and error).  PMK_EINVAL for n = 0. */
PMK_API int pmk_plot_ising_traces(const struct pmk_ising_result *const *runs,
                                  const char *const *names, size_t n, int with_error,
                                  const char *png, pmk_error *err);

/** The same figure from @p n trace CSVs (`pmk ising denoise --trace`): the
 *  columns sweep and energy, and error when every file has it; each run is
 *  named after its method as its columns tell (anneal has temperature,
 *  meanfield free_energy, else icm).  PMK_EFORMAT naming the file (and
 *  line): a missing column, a bad number, an empty trace ("TRACE: no sweeps
 *  (a mincut trace has none)"). */
PMK_API int pmk_plot_trace_files(const char *const *csv, size_t n, const char *png,
                                 pmk_error *err);

/* ---------------------------------------------------------------- heat map */

/** A @p rows x @p cols heat map of @p v (row-major), white at 0 to dark blue
 *  at the greatest value, each cell with its value written in (format
 *  "%.0f"), rows and columns named by @p row_names / @p col_names (NULL:
 *  1, 2, ...).  Cells are 40 pixels square.  PMK_EINVAL: an empty or
 *  non-finite matrix. */
PMK_API int pmk_plot_heatmap(const char *path, const char *title, const char *xlabel,
                             const char *ylabel, const double *v, size_t rows, size_t cols,
                             const char *const *row_names, const char *const *col_names,
                             pmk_error *err);

/** The confusion matrix of an evaluation (true class down, predicted across,
 *  counts written in) as a heat map.  PMK_EINVAL when @p e has none (more
 *  than PMK_GNB_EVAL_CONFUSION_MAX classes). */
PMK_API int pmk_plot_confusion(const struct pmk_gnb_eval *e, const struct pmk_gnb *m,
                               const char *png, pmk_error *err);

/* ---------------------------------------------------------------- montages */

/** What pmk_plot_montage draws; set defaults with
 *  pmk_plot_montage_options_init_default. */
typedef struct pmk_plot_montage_options {
    size_t zoom;                   /**< each pixel a zoom x zoom block, 1..64 [4] */
    size_t ncols;                  /**< grid columns (0: 10) */
    int mode;                      /**< PMK_MONTAGE_RANGE/GLOBAL/TILE [GLOBAL] */
    double lo, hi;                 /**< the range of PMK_MONTAGE_RANGE */
    const char *title;             /**< above the grid, or NULL */
    const char *const *captions;   /**< one per tile, below it (one newline
                                        makes two lines), or NULL */
    int colorbar;                  /**< 1: a grey bar with its values at the right
                                        (not with PMK_MONTAGE_TILE) [0] */
} pmk_plot_montage_options;

/** PMK_EINVAL ("zoom Z is not in 1..64") unless 1 <= @p zoom <= 64: the
 *  magnification every montage takes; a caller may check an option early. */
PMK_API int pmk_plot_zoom_check(size_t zoom, pmk_error *err);

/** Defaults: zoom 4, 10 columns, GLOBAL contrast, no title, captions or bar. */
PMK_API void pmk_plot_montage_options_init_default(pmk_plot_montage_options *o);

/** Where pmk_plot_montage puts things: the image is width x height; tile t
 *  (0-based) has its top-left pixel at (x0 + (t % cols) * cell_w,
 *  y0 + (t / cols) * cell_h) and covers tw*zoom x th*zoom pixels, exactly
 *  pmk_montage's tile t magnified by pixel replication.  Captions, title and
 *  bar lie outside the tiles. */
typedef struct pmk_plot_montage_layout {
    size_t width, height, cols, rows, x0, y0, cell_w, cell_h;
} pmk_plot_montage_layout;

/** The layout of @p T tiles of @p th x @p tw pixels under @p o.  PMK_EINVAL
 *  for a zoom outside 1..64 or an empty tile; PMK_ELIMIT when the picture
 *  would exceed 32767 pixels a side (cairo's limit). */
PMK_API int pmk_plot_montage_layout_get(size_t T, size_t th, size_t tw,
                                        const pmk_plot_montage_options *o,
                                        pmk_plot_montage_layout *l, pmk_error *err);

/** The tiles (rows of @p tiles, th*tw values each) as pmk_montage lays them
 *  out and maps them to grey, magnified, with the title, captions and colour
 *  bar of @p o, as an RGB PNG at @p png.  Errors as pmk_montage and
 *  pmk_plot_montage_layout_get, PMK_EIO naming the file. */
PMK_API int pmk_plot_montage(const gsl_matrix *tiles, size_t th, size_t tw,
                             const pmk_plot_montage_options *o, const char *png, pmk_error *err);

/** A gnb model's class means (captioned with their labels) above the
 *  per-class sigma, each with its colour bar, tiles th x tw (0: square),
 *  magnified @p zoom times.  Errors as pmk_gnb_montage and pmk_plot_montage. */
PMK_API int pmk_plot_gnb_model(const struct pmk_gnb *m, size_t th, size_t tw, size_t zoom,
                               const char *png, pmk_error *err);

/** The first @p count filters of an RBM (columns of W as square images,
 *  captioned h1, h2, ...), on one signed scale [-a, a], a = max |W_ij| over
 *  them, with a colour bar, @p cols a row, magnified @p zoom times.  count
 *  0: all of them.  Errors as pmk_rbm_filters_image and pmk_plot_montage. */
PMK_API int pmk_plot_rbm_filters(const struct pmk_rbm *m, size_t count, size_t cols, size_t zoom,
                                 const char *png, pmk_error *err);

/** The @p count test rows of @p data (opened for @p m as pmk_gnb_open_data
 *  does, with @p o) whose true class gets the smallest posterior, worst
 *  first, each captioned with its true and predicted label and the
 *  posterior of both ("true 3, p .01" over "predicted 5, p .98"), tiles th x tw (0: square),
 *  magnified @p zoom times.  Rows without labels cannot be judged:
 *  PMK_EDATA naming the file.  Errors of the data layer as they come. */
PMK_API int pmk_plot_gnb_worst(const struct pmk_gnb *m, const char *model_name, const char *data,
                               const struct pmk_data_options *o, size_t count, size_t zoom,
                               const char *png, pmk_error *err);

#ifdef __cplusplus
}
#endif

#endif
