/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* ising_internal.h: pieces of the ising module shared between its files and
 * exercised by the unit tests, not part of the installed API. */
#ifndef PMK_ISING_INTERNAL_H
#define PMK_ISING_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "pmk/ising.h"

/* Exact MAP by s-t minimum cut (Boykov-Kolmogorov max-flow on the grid).
 * x receives width*height spins.  beta >= 0 (checked by the caller). */
int pmk_ising_mincut(const pmk_ising_params *p, size_t width, size_t height,
                     const int8_t *y, int8_t *x, pmk_error *err);

/* ICM by the plain per-pixel rule, no vectorised fast path: the reference the
 * fast raster and checkerboard paths are tested against.  Same contract as
 * pmk_ising_denoise with method ICM. */
int pmk_ising_icm_reference(const pmk_ising_params *p, const pmk_ising_options *o,
                            size_t width, size_t height, const int8_t *y, int8_t *x,
                            pmk_rng *rng, pmk_ising_result *res, pmk_error *err);

#endif
