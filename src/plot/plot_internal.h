/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* plot_internal.h: what the files of src/plot share: a cairo surface written
 * as PNG through pmk_outfile, text placement, the palette. */
#ifndef PMK_PLOT_INTERNAL_H
#define PMK_PLOT_INTERNAL_H

#include <cairo.h>
#include "pmk/plot.h"
#include "plot/plot_cairo.h"

/* A white RGB24 surface of w x h pixels and a context on it; NULL with
 * PMK_ENOMEM (or PMK_ELIMIT past cairo's 32767 pixels a side) in err. */
cairo_t *plot_canvas(size_t w, size_t h, pmk_error *err);

/* Writes cr's surface as PNG at path atomically and destroys cr (always). */
int plot_finish(cairo_t *cr, const char *path, pmk_error *err);

/* Text of size px at (x, y), y the baseline; align -1 left, 0 centre,
 * 1 right.  bold: the bold face. */
void plot_text(cairo_t *cr, double x, double y, int align, double px, int bold, const char *s);

/* Series colour k of the palette (tab10's first six, repeated). */
void plot_colour(cairo_t *cr, size_t k);

/* Ticks for [lo, hi]: a step of 1, 2 or 5 times a power of ten giving 3..8
 * ticks; the first tick in *first. */
double plot_tick_step(double lo, double hi, double *first);

/* A vertical grey bar for values lo (black) .. hi (white) at (x, y), w x h,
 * with 3 ticks labelled (lo, middle, hi) at its right. */
void plot_colorbar(cairo_t *cr, double x, double y, double w, double h, double lo, double hi);

#endif
