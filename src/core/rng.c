/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rng.c: the pmk_rng wrapper over gsl_rng: seeding, GSL's environment
 * conventions without touching GSL's globals, and the few draws models need. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "pmk/rng.h"

struct pmk_rng {
    gsl_rng *g;
    unsigned long seed;
};

pmk_rng *pmk_rng_alloc(const gsl_rng_type *T, unsigned long seed)
{
    pmk_rng *r = malloc(sizeof *r);
    if (!r)
        return NULL;
    r->g = gsl_rng_alloc(T ? T : PMK_RNG_DEFAULT_TYPE);
    if (!r->g) {
        free(r);
        return NULL;
    }
    pmk_rng_seed(r, seed);
    return r;
}

pmk_rng *pmk_rng_alloc_env(pmk_error *err)
{
    const gsl_rng_type *T = PMK_RNG_DEFAULT_TYPE;
    unsigned long seed = gsl_rng_default_seed;
    const char *name = getenv("GSL_RNG_TYPE");
    if (name && *name) {
        const gsl_rng_type **t;
        T = NULL;
        for (t = gsl_rng_types_setup(); *t; t++) {
            if (strcmp(name, (*t)->name) == 0) {
                T = *t;
                break;
            }
        }
        if (!T) {
            pmk_error_set(err, PMK_EINVAL, "GSL_RNG_TYPE=%s is not a GSL generator type", name);
            return NULL;
        }
    }
    const char *s = getenv("GSL_RNG_SEED");
    if (s && *s) {
        char *end;
        errno = 0;
        seed = strtoul(s, &end, 0);
        if (*end || errno || s[0] == '-') {
            pmk_error_set(err, PMK_EINVAL, "GSL_RNG_SEED=%s is not a non-negative integer", s);
            return NULL;
        }
    }
    pmk_rng *r = pmk_rng_alloc(T, seed);
    if (!r)
        pmk_error_set(err, PMK_ENOMEM, "out of memory allocating the random number generator");
    return r;
}

void pmk_rng_free(pmk_rng *r)
{
    if (!r)
        return;
    gsl_rng_free(r->g);
    free(r);
}

void pmk_rng_seed(pmk_rng *r, unsigned long seed)
{
    r->seed = seed;
    gsl_rng_set(r->g, seed);
}

gsl_rng *pmk_rng_gsl(pmk_rng *r) { return r->g; }
const char *pmk_rng_name(const pmk_rng *r) { return gsl_rng_name(r->g); }
unsigned long pmk_rng_get_seed(const pmk_rng *r) { return r->seed; }
double pmk_rng_uniform(pmk_rng *r) { return gsl_rng_uniform(r->g); }
double pmk_rng_gaussian(pmk_rng *r) { return gsl_ran_gaussian_ziggurat(r->g, 1.0); }

unsigned long pmk_rng_uniform_int(pmk_rng *r, unsigned long n)
{
    return n <= 1 ? 0 : gsl_rng_uniform_int(r->g, n);
}

void pmk_rng_permutation(pmk_rng *r, size_t *perm, size_t n)
{
    for (size_t i = 0; i < n; i++)
        perm[i] = i;
    /* Fisher-Yates, drawing j uniformly in [0, i]. */
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)pmk_rng_uniform_int(r, (unsigned long)i);
        size_t t = perm[i - 1];
        perm[i - 1] = perm[j];
        perm[j] = t;
    }
}
