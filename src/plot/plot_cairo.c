/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* plot_cairo.c: opens cairo at the first figure (plot_cairo.h says why).
 * The table is filled once under pthread_once and only read after, as
 * src/core/blas.c does for OpenBLAS. */
#include "config.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define PLOT_CAIRO_LOADER
#include "pmk/status.h"
#include "plot/plot_cairo.h"

static struct {
    plot_cairo_api api;
    char failed[160];   /* why the library could not be opened; "" when it was */
} cairo_state;
static pthread_once_t cairo_once = PTHREAD_ONCE_INIT;

static void load(void)
{
    void *h = dlopen(PMK_CAIRO_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *why = dlerror();
        snprintf(cairo_state.failed, sizeof cairo_state.failed, "%s", why ? why : PMK_CAIRO_SONAME);
        return;
    }
    plot_cairo_api a;
#define PLOT_CAIRO_SYM(f)                                                       \
    if (!(*(void **)&a.p_##f = dlsym(h, #f))) {                                 \
        snprintf(cairo_state.failed, sizeof cairo_state.failed, "%s has no %s", PMK_CAIRO_SONAME, #f); \
        return;                                                                 \
    }
    PLOT_CAIRO_FUNCS(PLOT_CAIRO_SYM)
#undef PLOT_CAIRO_SYM
    cairo_state.api = a;
}

int plot_cairo_open(pmk_error *err)
{
    (void)pthread_once(&cairo_once, load);
    if (cairo_state.failed[0])
        return pmk_error_set(err, PMK_EUNSUP, "plot: cannot open cairo, which draws the "
                             "figures: %s", cairo_state.failed);
    return PMK_OK;
}

const plot_cairo_api *plot_cairo(void) { return &cairo_state.api; }
