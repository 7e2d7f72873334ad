/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* core_internal.h: helpers the library's modules share and do not export. */
#ifndef PMK_CORE_INTERNAL_H
#define PMK_CORE_INTERNAL_H

#include <stddef.h>

/* Asks for transparent huge pages over the 2 MiB-aligned interior of the
 * untouched buffer p of n bytes (THP in "madvise" mode, Debian's default).
 * A hint only: failure changes nothing. */
void core_advise_huge(void *p, size_t n);

/* malloc(n), but from 2 MiB boundaries in whole huge pages when n is at
 * least 2 MiB.  Free with free(); the memory is not zeroed. */
void *core_alloc_huge(size_t n);

#endif
