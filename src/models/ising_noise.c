/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* ising_noise.c: the noise models that make test images for the Ising
 * denoisers: exact-count spin flips on a binary image, rounded and clipped
 * Gaussian noise on a grey one, and pmk_ising_noise_image, which applies
 * either to an image as read. */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "pmk/ising.h"
#include "pmk/image.h"
#include "pmk/limits.h"

/* ------------------------------------------------------------------ noise */

int pmk_ising_noise_flip(int8_t *x, size_t n, double prob, pmk_rng *rng, size_t *flipped,
                         pmk_error *err)
{
    if (!(prob >= 0 && prob <= 1))
        return pmk_error_set(err, PMK_EINVAL, "the flip probability must be in [0, 1], not %g",
                             prob);
    if (n > 0xffffffffUL)
        return pmk_error_set(err, PMK_ELIMIT, "too many pixels (%zu) for the generator", n);
    size_t k = (size_t)floor(prob * (double)n + 0.5);
    if (k > n)
        k = n;
    int rc = pmk_mem_check(NULL, 0, 0, (unsigned long long)n * sizeof(size_t),
                           "choosing the pixels to flip", err);
    if (rc)
        return rc;
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    if (!idx)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu pixels", n);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    /* Partial Fisher-Yates: the first k entries become a uniform k-subset. */
    for (size_t t = 0; t < k; t++) {
        size_t j = t + (size_t)pmk_rng_uniform_int(rng, (unsigned long)(n - t));
        size_t v = idx[j];
        idx[j] = idx[t];
        idx[t] = v;
        x[v] = (int8_t)-x[v];
    }
    free(idx);
    if (flipped)
        *flipped = k;
    return PMK_OK;
}

int pmk_ising_noise_gaussian(double *v, size_t n, unsigned maxval, double sigma, pmk_rng *rng,
                             pmk_error *err)
{
    if (!(sigma >= 0) || !isfinite(sigma))
        return pmk_error_set(err, PMK_EINVAL, "the noise level must be >= 0, not %g", sigma);
    double sd = sigma * maxval;
    if (!isfinite(sd) || sd > 1e15)
        return pmk_error_set(err, PMK_EINVAL,
                             "the noise level %g is too large (sigma * maxval must be at most "
                             "1e15)", sigma);
    for (size_t i = 0; i < n; i++) {
        double t = floor(v[i] + sd * pmk_rng_gaussian(rng) + 0.5);
        v[i] = t < 0 ? 0 : t > maxval ? maxval : t;
    }
    return PMK_OK;
}

/* ------------------------------------------------------------------ on an image */

void pmk_ising_noise_init_default(pmk_ising_noise *o)
{
    o->flip = NAN;
    o->gauss = NAN;
    o->threshold = 0;
}

int pmk_ising_noise_check(const pmk_ising_noise *o, pmk_error *err)
{
    if (isnan(o->flip) == isnan(o->gauss))
        return pmk_error_set(err, PMK_EINVAL, "give exactly one of flip and gauss");
    if (!isnan(o->flip) && !(o->flip >= 0 && o->flip <= 1))
        return pmk_error_set(err, PMK_EINVAL, "the flip probability must be in [0, 1], not %g",
                             o->flip);
    if (!isnan(o->gauss) && !(o->gauss >= 0 && isfinite(o->gauss)))
        return pmk_error_set(err, PMK_EINVAL, "the noise level must be >= 0, not %g", o->gauss);
    return pmk_spin_threshold_check(o->threshold, err);
}

int pmk_ising_noise_image(const pmk_ising_noise *o, pmk_spin_image **spins, pmk_image **grey,
                          pmk_rng *rng, size_t *count, pmk_error *err)
{
    int rc = pmk_ising_noise_check(o, err);
    if (rc)
        return rc;
    if (!isnan(o->gauss)) {
        pmk_image *g = *grey;
        if (!g || g->binary)
            return pmk_error_set(err, PMK_EDATA, "Gaussian noise needs a grey image; this one "
                                                 "is binary (flip its pixels instead)");
        /* row by row: gsl_matrix rows may be padded */
        for (size_t r = 0; r < g->height; r++)
            if ((rc = pmk_ising_noise_gaussian(gsl_matrix_ptr(g->pix, r, 0), g->width, g->maxval,
                                               o->gauss, rng, err)))
                return rc;
        if (count)
            *count = g->width * g->height;
        return PMK_OK;
    }
    if (!*spins) {   /* grey levels, or a binary pmk_image */
        if ((rc = pmk_spin_image_from_image(*grey, o->threshold, spins, err)))
            return rc;
        pmk_image_free(*grey);
        *grey = NULL;
    }
    pmk_spin_image *s = *spins;
    return pmk_ising_noise_flip(s->spins, s->width * s->height, o->flip, rng, count, err);
}

int pmk_ising_noise_read(const pmk_ising_noise *o, const char *path, pmk_spin_image **spins,
                         pmk_image **grey, pmk_rng *rng, size_t *count, pmk_error *err)
{
    *spins = NULL;
    *grey = NULL;
    int rc = isnan(o->gauss) ? pmk_image_read_binary(path, spins, grey, err)
                             : pmk_image_read(path, grey, err);
    if (!rc && (rc = pmk_ising_noise_image(o, spins, grey, rng, count, err))) {
        if (rc != PMK_EINVAL)
            pmk_error_prefix(err, path);
        pmk_spin_image_free(*spins);
        pmk_image_free(*grey);
        *spins = NULL;
        *grey = NULL;
    }
    return rc;
}
