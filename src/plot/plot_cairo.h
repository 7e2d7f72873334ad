/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* plot_cairo.h: cairo, opened with dlopen when the first figure is drawn
 * (plot_cairo.c).  Linked, cairo and the fifteen libraries it pulls in (X11,
 * xcb, fontconfig, freetype, pixman, ...) were mapped and relocated by every
 * pmk command: about 2.7 ms of each process's start on the VMs measured,
 * for the few commands that draw.  The src/plot files call cairo by its
 * own names; the macros below send each call through the table the loader
 * fills.  Include after <cairo.h>. */
#ifndef PMK_PLOT_CAIRO_H
#define PMK_PLOT_CAIRO_H

#include <cairo.h>
#include "pmk/status.h"

/* Every cairo function src/plot calls. */
#define PLOT_CAIRO_FUNCS(X)                                                                  \
    X(cairo_clip) X(cairo_create) X(cairo_destroy) X(cairo_fill) X(cairo_fill_preserve)       \
    X(cairo_get_target) X(cairo_image_surface_create) X(cairo_image_surface_get_data)         \
    X(cairo_image_surface_get_stride) X(cairo_line_to) X(cairo_move_to) X(cairo_paint)        \
    X(cairo_pattern_add_color_stop_rgb) X(cairo_pattern_create_linear)                       \
    X(cairo_pattern_destroy) X(cairo_rectangle) X(cairo_restore) X(cairo_rotate)              \
    X(cairo_save) X(cairo_select_font_face) X(cairo_set_dash) X(cairo_set_font_size)          \
    X(cairo_set_line_cap) X(cairo_set_line_join) X(cairo_set_line_width)                      \
    X(cairo_set_source) X(cairo_set_source_rgb) X(cairo_show_text) X(cairo_status)            \
    X(cairo_status_to_string) X(cairo_stroke) X(cairo_surface_destroy) X(cairo_surface_flush) \
    X(cairo_surface_mark_dirty) X(cairo_surface_write_to_png_stream) X(cairo_text_extents)    \
    X(cairo_translate)

typedef struct plot_cairo_api {
#define PLOT_CAIRO_MEMBER(f) __typeof__(f) *p_##f;
    PLOT_CAIRO_FUNCS(PLOT_CAIRO_MEMBER)
#undef PLOT_CAIRO_MEMBER
} plot_cairo_api;

/* Opens cairo once per process: PMK_OK, or PMK_EUNSUP with a message when
 * its library cannot be opened.  Every figure's first step (plot_canvas). */
int plot_cairo_open(pmk_error *err);

/* The table; only after plot_cairo_open succeeded. */
const plot_cairo_api *plot_cairo(void);

#ifndef PLOT_CAIRO_LOADER
#define PLOT_CAIRO_CALL(f) (plot_cairo()->p_##f)
#define cairo_clip PLOT_CAIRO_CALL(cairo_clip)
#define cairo_create PLOT_CAIRO_CALL(cairo_create)
#define cairo_destroy PLOT_CAIRO_CALL(cairo_destroy)
#define cairo_fill PLOT_CAIRO_CALL(cairo_fill)
#define cairo_fill_preserve PLOT_CAIRO_CALL(cairo_fill_preserve)
#define cairo_get_target PLOT_CAIRO_CALL(cairo_get_target)
#define cairo_image_surface_create PLOT_CAIRO_CALL(cairo_image_surface_create)
#define cairo_image_surface_get_data PLOT_CAIRO_CALL(cairo_image_surface_get_data)
#define cairo_image_surface_get_stride PLOT_CAIRO_CALL(cairo_image_surface_get_stride)
#define cairo_line_to PLOT_CAIRO_CALL(cairo_line_to)
#define cairo_move_to PLOT_CAIRO_CALL(cairo_move_to)
#define cairo_paint PLOT_CAIRO_CALL(cairo_paint)
#define cairo_pattern_add_color_stop_rgb PLOT_CAIRO_CALL(cairo_pattern_add_color_stop_rgb)
#define cairo_pattern_create_linear PLOT_CAIRO_CALL(cairo_pattern_create_linear)
#define cairo_pattern_destroy PLOT_CAIRO_CALL(cairo_pattern_destroy)
#define cairo_rectangle PLOT_CAIRO_CALL(cairo_rectangle)
#define cairo_restore PLOT_CAIRO_CALL(cairo_restore)
#define cairo_rotate PLOT_CAIRO_CALL(cairo_rotate)
#define cairo_save PLOT_CAIRO_CALL(cairo_save)
#define cairo_select_font_face PLOT_CAIRO_CALL(cairo_select_font_face)
#define cairo_set_dash PLOT_CAIRO_CALL(cairo_set_dash)
#define cairo_set_font_size PLOT_CAIRO_CALL(cairo_set_font_size)
#define cairo_set_line_cap PLOT_CAIRO_CALL(cairo_set_line_cap)
#define cairo_set_line_join PLOT_CAIRO_CALL(cairo_set_line_join)
#define cairo_set_line_width PLOT_CAIRO_CALL(cairo_set_line_width)
#define cairo_set_source PLOT_CAIRO_CALL(cairo_set_source)
#define cairo_set_source_rgb PLOT_CAIRO_CALL(cairo_set_source_rgb)
#define cairo_show_text PLOT_CAIRO_CALL(cairo_show_text)
#define cairo_status PLOT_CAIRO_CALL(cairo_status)
#define cairo_status_to_string PLOT_CAIRO_CALL(cairo_status_to_string)
#define cairo_stroke PLOT_CAIRO_CALL(cairo_stroke)
#define cairo_surface_destroy PLOT_CAIRO_CALL(cairo_surface_destroy)
#define cairo_surface_flush PLOT_CAIRO_CALL(cairo_surface_flush)
#define cairo_surface_mark_dirty PLOT_CAIRO_CALL(cairo_surface_mark_dirty)
#define cairo_surface_write_to_png_stream PLOT_CAIRO_CALL(cairo_surface_write_to_png_stream)
#define cairo_text_extents PLOT_CAIRO_CALL(cairo_text_extents)
#define cairo_translate PLOT_CAIRO_CALL(cairo_translate)
#endif

#endif
