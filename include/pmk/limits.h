/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/** @file pmk/limits.h
 * The memory ceiling that every reader checks before it allocates
 * what a file asks for (data sets, images, model files). */
#ifndef PMK_LIMITS_H
#define PMK_LIMITS_H

#include "pmk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The most bytes one object read from a file (a data set, an image, a model)
 *  may take in memory: the machine's physical memory, lowered by the
 *  environment variable PMK_MAX_MEMORY when that holds a smaller byte count
 *  (decimal digits with an optional k, M, G or T suffix, powers of 1024;
 *  any other value is ignored).  0 when neither is known.  @p from_env (may be
 *  NULL) is set to 1 when the ceiling comes from PMK_MAX_MEMORY, else 0.
 *  Reads the environment on every call (getenv): thread-safe as long as no
 *  thread changes the environment meanwhile. */
PMK_API unsigned long long pmk_mem_limit(int *from_env);

/** Parses a byte count as PMK_MAX_MEMORY takes it: decimal digits with an
 *  optional k, M, G or T suffix (either case; powers of 1024), nothing else.
 *  @return PMK_OK with *@p bytes set, or PMK_EINVAL (NULL, empty, a sign,
 *  blanks, another suffix, overflow) leaving it alone. */
PMK_API int pmk_mem_parse(const char *s, unsigned long long *bytes);

/** PMK_OK when @p bytes is within pmk_mem_limit() (or no limit is known);
 *  else fills @p err with "FILE[:LINE[:COL]]: WHAT needs N bytes, more than
 *  the PMK_MAX_MEMORY limit of C bytes" (or "..., more than the C bytes of
 *  memory") and returns PMK_ELIMIT.  @p line and @p col are 0 when unknown. */
PMK_API int pmk_mem_check(const char *file, long line, long col, unsigned long long bytes,
                          const char *what, pmk_error *err);

#ifdef __cplusplus
}
#endif
#endif
