/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/** @file pmk/status.h
 * Status codes and the error record every fallible pmk call fills.
 *
 * The library never prints, exits or aborts.  A fallible function returns an
 * int status (PMK_OK = 0) and, when given a non-NULL pmk_error, writes a
 * one-line human-readable cause into it, prefixed with "FILE:LINE:COLUMN: "
 * where a file position is known.  Thread-safety: pmk_error is caller-owned;
 * nothing here touches global state. */
#ifndef PMK_STATUS_H
#define PMK_STATUS_H

#include <stddef.h>
#include "pmk/api.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Status codes returned by every fallible pmk function. */
enum pmk_status {
    PMK_OK = 0,       /**< success */
    PMK_EINVAL = 1,   /**< invalid argument or option value */
    PMK_ENOMEM = 2,   /**< allocation failed */
    PMK_EIO = 3,      /**< the operating system refused a read or write */
    PMK_EFORMAT = 4,  /**< the input is malformed (bad syntax, bad header, ...) */
    PMK_EDATA = 5,    /**< well-formed input whose values do not fit the model */
    PMK_ELIMIT = 6,   /**< a size or resource limit would be exceeded */
    PMK_ENUMERIC = 7, /**< a numerical failure (GSL error, non-finite result) */
    PMK_EUNSUP = 8    /**< a valid but unsupported variant of a format or option */
};

/** Size of the message buffer in pmk_error. */
#define PMK_ERROR_MSG_MAX 1024

/** The cause of a failure: filled by the library, owned by the caller. */
typedef struct pmk_error {
    int code;                       /**< one of enum pmk_status */
    long line;                      /**< 1-based line (or record) number, 0 if none */
    long column;                    /**< 1-based column (field) number, 0 if none */
    char msg[PMK_ERROR_MSG_MAX];    /**< full message, "FILE:LINE:COL: cause" */
} pmk_error;

/** Resets @p err to PMK_OK with an empty message, line and column 0.
 *  NULL is accepted. */
PMK_API void pmk_error_clear(pmk_error *err);

/** Fills @p err (may be NULL) with @p code and a printf-style message (cut
 *  to PMK_ERROR_MSG_MAX - 1 bytes); line and column are set to 0.
 *  @return @p code, so that callers can write `return pmk_error_set(...)`. */
PMK_API int pmk_error_set(pmk_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Like pmk_error_set, prefixing the message with "FILE:LINE:COL: ".
 *  @p file may be NULL (no prefix); @p line / @p column of 0 are left out. */
PMK_API int pmk_error_at(pmk_error *err, int code, const char *file, long line, long column,
                         const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/** Prepends "PREFIX: " to an error message already set (e.g. a file name);
 *  the code, line and column stay.  NULL @p err is accepted. */
PMK_API void pmk_error_prefix(pmk_error *err, const char *prefix);

/** A short description of a status code ("malformed input", ...): a static
 *  string, never NULL (an unknown code gets a generic one). */
PMK_API const char *pmk_strerror(int code);

/** Converts a GSL status (GSL_ENOMEM, GSL_EBADLEN, ...) to a pmk status. */
PMK_API int pmk_status_from_gsl(int gsl_status);

/** Overflow-checked size product: stores a*b in *out and returns PMK_OK, or
 *  returns PMK_ELIMIT without touching *out when it overflows. */
PMK_API int pmk_size_mul(size_t a, size_t b, size_t *out);
/** Overflow-checked size sum: as pmk_size_mul, for a+b. */
PMK_API int pmk_size_add(size_t a, size_t b, size_t *out);

#ifdef __cplusplus
}
#endif
#endif
