/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/** @file pmk/report.h
 * Structured results, written as text for people or as one JSON object for
 * programs, from one list so that the two cannot disagree.
 *
 * A caller fills a report with fields in order.  Each field has a JSON key
 * (NULL for an element of a list) and an optional text line: a printf format
 * with its arguments, newline included (NULL: the field is JSON only).
 * pmk_report_text adds a line for people only.  Lists nest with
 * pmk_report_begin_list / pmk_report_end_list.
 *
 * JSON numbers are written with 17 significant digits (they read back to
 * the same double); NaN and infinities are written as null.  Strings are
 * escaped as JSON requires (quote, backslash, control characters).
 *
 * The adders never fail loudly: out of memory is remembered in the report
 * and returned by pmk_report_write (a NULL report, from a failed
 * pmk_report_new, included), so that a caller checks once. */
#ifndef PMK_REPORT_H
#define PMK_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "pmk/api.h"
#include "pmk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pmk_report pmk_report;

/** A new, empty report, or NULL when out of memory (the adders and
 *  pmk_report_write accept NULL). */
PMK_API pmk_report *pmk_report_new(void);
/** Frees @p r (NULL is accepted). */
PMK_API void pmk_report_free(pmk_report *r);

/** A text-only line (no JSON member). */
PMK_API void pmk_report_text(pmk_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/** A number; JSON "key": v with %.17g (null when not finite). */
PMK_API void pmk_report_num(pmk_report *r, const char *key, double v, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/** An integer. */
PMK_API void pmk_report_int(pmk_report *r, const char *key, long long v, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/** A string (copied); a NULL @p v is written as JSON null. */
PMK_API void pmk_report_str(pmk_report *r, const char *key, const char *v, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/** A boolean (true when @p v is not 0). */
PMK_API void pmk_report_bool(pmk_report *r, const char *key, int v, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/** JSON null, with no text line. */
PMK_API void pmk_report_null(pmk_report *r, const char *key);
/** A JSON list of @p n numbers (copied), with no text line. */
PMK_API void pmk_report_nums(pmk_report *r, const char *key, const double *v, size_t n);
/** A JSON list of @p n integers (copied), with no text line. */
PMK_API void pmk_report_longs(pmk_report *r, const char *key, const long *v, size_t n);
/** A JSON list of @p rows lists of @p cols integers (row-major @p v, copied). */
PMK_API void pmk_report_size_matrix(pmk_report *r, const char *key, const size_t *v,
                                    size_t rows, size_t cols);
/** Opens a JSON list under @p key: the fields up to pmk_report_end_list are
 *  its elements (give them a NULL key, or open an object-less list of
 *  values). */
PMK_API void pmk_report_begin_list(pmk_report *r, const char *key);
/** Closes the list opened last. */
PMK_API void pmk_report_end_list(pmk_report *r);

/** Writes @p r on @p out: the text lines in order (@p json 0), or one JSON
 *  object and a newline.
 *  @return PMK_OK, or PMK_ENOMEM ("out of memory") when a field could not
 *  be stored; nothing is written then. */
PMK_API int pmk_report_write(const pmk_report *r, FILE *out, int json, pmk_error *err);

#ifdef __cplusplus
}
#endif

#endif
