/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* alloc.c: large work buffers in transparent huge pages.  On a virtual
 * machine a 4 KiB page fault costs tens of microseconds, so a fresh 16 MiB
 * buffer touched once costs more than the work done in it; whole 2 MiB pages
 * cut the faults 512-fold (numpy asks the kernel for the same on its large
 * arrays).  The hints change no result. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "core/core_internal.h"

void core_advise_huge(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)1 << 21;
    if (n < huge)   /* no whole huge page inside */
        return;
    uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1);
    uintptr_t b = ((uintptr_t)p + n) & ~(huge - 1);
    if (b > a)
        (void)madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
    (void)p;
    (void)n;
#endif
}

void *core_alloc_huge(size_t n)
{
#ifdef MADV_HUGEPAGE
    const size_t huge = (size_t)1 << 21;
    if (n >= huge && n <= SIZE_MAX - huge) {
        void *p = NULL;
        size_t len = (n + huge - 1) & ~(huge - 1);
        if (posix_memalign(&p, huge, len) != 0)
            return NULL;
        core_advise_huge(p, len);
        return p;
    }
#endif
    return malloc(n ? n : 1);
}
