/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* limits.c: the memory ceiling (physical memory, lowered by PMK_MAX_MEMORY)
 * that the readers check before allocating what a file claims to hold. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "pmk/limits.h"

int pmk_mem_parse(const char *s, unsigned long long *bytes)
{
    if (!s || *s < '0' || *s > '9')
        return PMK_EINVAL;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno)
        return PMK_EINVAL;
    int shift = 0;
    switch (*end) {
    case '\0': break;
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    case 't': case 'T': shift = 40; end++; break;
    default: return PMK_EINVAL;
    }
    if (*end != '\0' || v > (ULLONG_MAX >> shift))
        return PMK_EINVAL;
    *bytes = v << shift;
    return PMK_OK;
}

/* PMK_MAX_MEMORY: 0 when unset or not of pmk_mem_parse's form. */
static unsigned long long env_max_memory(void)
{
    unsigned long long v;
    return pmk_mem_parse(getenv("PMK_MAX_MEMORY"), &v) == PMK_OK ? v : 0;
}

unsigned long long pmk_mem_limit(int *from_env)
{
    unsigned long long cap = 0;
    long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
    if (pages > 0 && psize > 0)
        cap = (unsigned long long)pages * (unsigned long long)psize;
    unsigned long long env = env_max_memory();
    int e = env && (!cap || env < cap);
    if (e)
        cap = env;
    if (from_env)
        *from_env = e;
    return cap;
}

int pmk_mem_check(const char *file, long line, long col, unsigned long long bytes,
                  const char *what, pmk_error *err)
{
    int from_env;
    unsigned long long cap = pmk_mem_limit(&from_env);
    if (!cap || bytes <= cap)
        return PMK_OK;
    if (from_env)
        return pmk_error_at(err, PMK_ELIMIT, file, line, col,
                            "%s needs %llu bytes, more than the PMK_MAX_MEMORY limit of %llu "
                            "bytes", what, bytes, cap);
    return pmk_error_at(err, PMK_ELIMIT, file, line, col,
                        "%s needs %llu bytes, more than the %llu bytes of memory", what, bytes,
                        cap);
}
