/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* progress_internal.h: the one way the library's loops call a caller's
 * pmk_progress_fn (pmk/progress.h). */
#ifndef PMK_PROGRESS_INTERNAL_H
#define PMK_PROGRESS_INTERNAL_H

#include "pmk/progress.h"

/* Calls @p fn (when not NULL) with one report.  PMK_OK, or the callback's
 * non-zero return with @p err (may be NULL) set to "WHAT: stopped by the
 * progress callback". */
static inline int pmk_progress_tell(pmk_progress_fn fn, void *ctx, const char *what,
                                    unsigned long long done, unsigned long long total,
                                    const char *unit, pmk_error *err)
{
    if (!fn)
        return PMK_OK;
    pmk_progress p = {what, done, total, unit};
    int rc = fn(&p, ctx);
    return rc ? pmk_error_set(err, rc, "%s: stopped by the progress callback", what) : PMK_OK;
}

#endif
