/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* status.c: status codes, the pmk_error record, and overflow-checked sizes. */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <gsl/gsl_errno.h>

#include "pmk/status.h"

void pmk_error_clear(pmk_error *err)
{
    if (!err)
        return;
    err->code = PMK_OK;
    err->line = 0;
    err->column = 0;
    err->msg[0] = '\0';
}

int pmk_error_set(pmk_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return code;
    va_list ap;
    err->code = code;
    err->line = 0;
    err->column = 0;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

int pmk_error_at(pmk_error *err, int code, const char *file, long line, long column,
                 const char *fmt, ...)
{
    if (!err)
        return code;
    size_t off = 0;
    err->code = code;
    err->line = line;
    err->column = column;
    err->msg[0] = '\0';
    if (file) {
        int w;
        if (line > 0 && column > 0)
            w = snprintf(err->msg, sizeof err->msg, "%s:%ld:%ld: ", file, line, column);
        else if (line > 0)
            w = snprintf(err->msg, sizeof err->msg, "%s:%ld: ", file, line);
        else
            w = snprintf(err->msg, sizeof err->msg, "%s: ", file);
        if (w > 0)
            off = (size_t)w < sizeof err->msg ? (size_t)w : sizeof err->msg - 1;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg + off, sizeof err->msg - off, fmt, ap);
    va_end(ap);
    return code;
}

void pmk_error_prefix(pmk_error *err, const char *prefix)
{
    if (!err || !prefix)
        return;
    size_t pl = strlen(prefix), ml = strlen(err->msg);
    if (pl + 2 >= sizeof err->msg)
        pl = sizeof err->msg - 3;
    if (pl + 2 + ml >= sizeof err->msg)
        ml = sizeof err->msg - 1 - pl - 2;
    memmove(err->msg + pl + 2, err->msg, ml);
    memcpy(err->msg, prefix, pl);
    err->msg[pl] = ':';
    err->msg[pl + 1] = ' ';
    err->msg[pl + 2 + ml] = '\0';
}

const char *pmk_strerror(int code)
{
    switch (code) {
    case PMK_OK: return "success";
    case PMK_EINVAL: return "invalid argument";
    case PMK_ENOMEM: return "out of memory";
    case PMK_EIO: return "input/output error";
    case PMK_EFORMAT: return "malformed input";
    case PMK_EDATA: return "data do not fit the model";
    case PMK_ELIMIT: return "size limit exceeded";
    case PMK_ENUMERIC: return "numerical failure";
    case PMK_EUNSUP: return "unsupported";
    default: return "unknown error";
    }
}

int pmk_status_from_gsl(int s)
{
    switch (s) {
    case GSL_SUCCESS: return PMK_OK;
    case GSL_ENOMEM: return PMK_ENOMEM;
    case GSL_EINVAL:
    case GSL_EBADLEN:
    case GSL_ENOTSQR:
    case GSL_EDOM: return PMK_EINVAL;
    default: return PMK_ENUMERIC;
    }
}

int pmk_size_mul(size_t a, size_t b, size_t *out)
{
    if (a != 0 && b > SIZE_MAX / a)
        return PMK_ELIMIT;
    *out = a * b;
    return PMK_OK;
}

int pmk_size_add(size_t a, size_t b, size_t *out)
{
    if (b > SIZE_MAX - a)
        return PMK_ELIMIT;
    *out = a + b;
    return PMK_OK;
}
