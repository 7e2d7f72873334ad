/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/** @file pmk/rng.h
 * The random number generator every stochastic pmk routine draws from.
 *
 * A thin owner of a gsl_rng.  Randomness enters the library only through a
 * pmk_rng the caller passes in, so the same seed reproduces a run bit for bit.
 * Thread-safety: a pmk_rng must not be used by two threads at once; distinct
 * generators are independent. */
#ifndef PMK_RNG_H
#define PMK_RNG_H

#include <stddef.h>
#include <gsl/gsl_rng.h>
#include "pmk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An opaque random number generator (a gsl_rng and the seed it was given). */
typedef struct pmk_rng pmk_rng;

/** The generator type pmk uses when none is named: MT19937. */
#define PMK_RNG_DEFAULT_TYPE gsl_rng_mt19937

/** Allocates a generator of type @p T (NULL = MT19937) seeded with @p seed.
 *  @return a generator owned by the caller (free with pmk_rng_free), or NULL
 *  when out of memory. */
PMK_API pmk_rng *pmk_rng_alloc(const gsl_rng_type *T, unsigned long seed);

/** Allocates a generator following GSL's conventions: type from the environment
 *  variable GSL_RNG_TYPE (else MT19937) and seed from GSL_RNG_SEED (else GSL's
 *  default, 0).  Unlike gsl_rng_env_setup() it reads the environment without
 *  changing GSL's global defaults and without printing.
 *  @return a generator owned by the caller, or NULL with @p err filled:
 *  PMK_EINVAL for an unknown type name or a non-numeric seed, PMK_ENOMEM.
 *  Thread-safe as long as no thread changes the environment meanwhile. */
PMK_API pmk_rng *pmk_rng_alloc_env(pmk_error *err);

/** Frees @p r; NULL is accepted. */
PMK_API void pmk_rng_free(pmk_rng *r);

/** Re-seeds @p r: the sequence restarts as from pmk_rng_alloc with @p seed. */
PMK_API void pmk_rng_seed(pmk_rng *r, unsigned long seed);

/** The underlying GSL generator, for gsl_ran_* calls: owned by @p r (do not
 *  free it), valid until pmk_rng_free. */
PMK_API gsl_rng *pmk_rng_gsl(pmk_rng *r);

/** The generator's type name ("mt19937", ...), a static string. */
PMK_API const char *pmk_rng_name(const pmk_rng *r);
/** The seed @p r was last given (by pmk_rng_alloc*, or pmk_rng_seed). */
PMK_API unsigned long pmk_rng_get_seed(const pmk_rng *r);

/** A uniform double in [0, 1). */
PMK_API double pmk_rng_uniform(pmk_rng *r);

/** A uniform integer in [0, n); 0 when n <= 1.  @p n may not exceed the
 *  generator's range plus one (2^32 for MT19937); GSL then returns 0. */
PMK_API unsigned long pmk_rng_uniform_int(pmk_rng *r, unsigned long n);

/** A standard normal deviate N(0, 1). */
PMK_API double pmk_rng_gaussian(pmk_rng *r);

/** Fills @p perm[0..n) (caller-owned) with a uniformly random permutation of
 *  0..n-1 (Fisher-Yates), drawing n-1 integers from @p r; n <= 2^32 with
 *  MT19937. */
PMK_API void pmk_rng_permutation(pmk_rng *r, size_t *perm, size_t n);

#ifdef __cplusplus
}
#endif
#endif
