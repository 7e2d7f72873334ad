/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* ising.c: the Ising-MRF model (Bishop, PRML 8.3.3): parameters and options,
 * the energy, the bookkeeping the methods share and pmk_ising_denoise's
 * dispatch.  The noise models are in ising_noise.c.  The methods: ICM in ising_icm.c, annealed Gibbs
 * sampling in ising_anneal.c, mean field in ising_meanfield.c, the exact MAP
 * by minimum cut in ising_maxflow.c. */
#include "config.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/threads.h"
#include "pmk/ising.h"
#include "pmk/limits.h"
#include "pmk/stream.h"
#include "models/ising_internal.h"

/* The hot loops work on signed bytes and are written so that the compiler
 * vectorises them; -O3 is asked for here (and ISING_HOT adds an AVX2 clone). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif

/* ------------------------------------------------------------------ model
 *
 * Model (Bishop, PRML §8.3.3, eq. 8.42):
 *     E(x, y) = h sum_i x_i - beta sum_<ij> x_i x_j - eta sum_i x_i y_i,
 * x, y in {-1,+1}^(H x W), pairs over the 4- or 8-neighbourhood, free boundary.
 * Writing S1 = sum x_i, S2 = sum_<ij> x_i x_j, S3 = sum x_i y_i (integers),
 * E = h S1 - beta S2 - eta S3.
 *
 * Local energy difference at pixel m with neighbour sum s_m = sum_{j in N(m)} x_j:
 *     E(x_m = +1) - E(x_m = -1) = 2h - 2 beta s_m - 2 eta y_m,
 * so the lower-energy state is sign(-h + beta s_m + eta y_m) (ICM's rule). */

void pmk_ising_params_init_default(pmk_ising_params *p)
{
    *p = (pmk_ising_params){.beta = 1.0, .eta = 2.1, .h = 0.0, .neighbours = 4,
                            .levels = 0, .data_cost = PMK_ISING_L2};
}

int pmk_ising_params_check(const pmk_ising_params *p, pmk_error *err)
{
    if (!isfinite(p->beta))
        return pmk_error_set(err, PMK_EINVAL, "beta must be a finite number, not %g", p->beta);
    if (!isfinite(p->eta))
        return pmk_error_set(err, PMK_EINVAL, "eta must be a finite number, not %g", p->eta);
    if (!isfinite(p->h))
        return pmk_error_set(err, PMK_EINVAL, "h must be a finite number, not %g", p->h);
    if (p->neighbours != 4 && p->neighbours != 8)
        return pmk_error_set(err, PMK_EINVAL, "neighbours must be 4 or 8, not %d",
                             p->neighbours);
    if (p->levels == 1 || p->levels > 256)
        return pmk_error_set(err, PMK_EINVAL, "levels must be 0 (binary) or 2..256, not %u",
                             p->levels);
    if ((unsigned)p->data_cost > PMK_ISING_L1)
        return pmk_error_set(err, PMK_EINVAL, "unknown data cost %d", (int)p->data_cost);
    if (p->levels && p->h != 0)
        return pmk_error_set(err, PMK_EINVAL,
                             "h has no meaning in the Potts model (levels %u); leave it 0",
                             p->levels);
    return PMK_OK;
}

/* Every quantity the methods compute is bounded by B n or 2 B, with
 * B = |h| + K |beta| + |eta| (K neighbours) and n pixels: |E| <= B n (the
 * three sums are at most n, K n / 2 and n), the local difference
 * |dE_i| <= 2 B, the mean-field argument and free energy, the min-cut
 * capacities 2 |beta| and 2 |eta - h| and their flow (at most 2 B n).  So
 * B n <= DBL_MAX / 4 keeps all of them finite. */
int pmk_ising_params_check_size(const pmk_ising_params *p, size_t width, size_t height,
                                pmk_error *err)
{
    int rc = pmk_ising_params_check(p, err);
    if (rc)
        return rc;
    const double n = (double)width * (double)height;
    const double th = fabs(p->h), tb = p->neighbours * fabs(p->beta), te = fabs(p->eta);
    const double most = DBL_MAX / 4 / (n > 1 ? n : 1);
    if (th + tb + te <= most)
        return PMK_OK;
    const char *name = tb >= th && tb >= te ? "beta" : te >= th ? "eta" : "h";
    double v = tb >= th && tb >= te ? p->beta : te >= th ? p->eta : p->h;
    return pmk_error_set(err, PMK_EINVAL,
                         "%s %g is too large for a %zu x %zu image: the energy would overflow "
                         "(|h| + %d |beta| + |eta| must be at most %.3g)",
                         name, v, width, height, p->neighbours, most);
}

void pmk_ising_options_init_default(pmk_ising_options *o)
{
    o->method = PMK_ISING_ICM;
    o->order = PMK_ISING_RASTER;
    o->max_sweeps = 100;
    o->t0 = 4.0;
    o->t_factor = 0.9;
    o->anneal_sweeps = 100;
    o->damping = 0.5;
    o->tol = 1e-6;
    o->truth = NULL;
    o->on_sweep = NULL;
    o->on_sweep_arg = NULL;
    o->marginals = 0;
    o->marginals_from = PMK_ISING_MEANFIELD;
    o->burn_in = 0.5;
    o->threads = 0;
}

int pmk_ising_options_check(const pmk_ising_options *o, pmk_error *err)
{
    if ((unsigned)o->method > PMK_ISING_MINCUT)
        return pmk_error_set(err, PMK_EINVAL, "unknown method %d", (int)o->method);
    if ((unsigned)o->order > PMK_ISING_CHECKERBOARD)
        return pmk_error_set(err, PMK_EINVAL, "unknown order %d", (int)o->order);
    if (o->max_sweeps < 1)
        return pmk_error_set(err, PMK_EINVAL, "max-sweeps must be at least 1");
    if (!(o->t0 > 0) || !isfinite(o->t0))
        return pmk_error_set(err, PMK_EINVAL, "the start temperature must be positive, not %g",
                             o->t0);
    if (!(o->t_factor > 0 && o->t_factor <= 1))
        return pmk_error_set(err, PMK_EINVAL,
                             "the temperature factor must be in (0, 1], not %g", o->t_factor);
    if (o->anneal_sweeps < 1)
        return pmk_error_set(err, PMK_EINVAL, "anneal sweeps must be at least 1");
    if (!(o->damping > 0 && o->damping <= 1))
        return pmk_error_set(err, PMK_EINVAL, "the damping must be in (0, 1], not %g",
                             o->damping);
    if (!(o->tol >= 0) || !isfinite(o->tol))
        return pmk_error_set(err, PMK_EINVAL, "the tolerance must be >= 0, not %g", o->tol);
    if (o->marginals_from != PMK_ISING_MEANFIELD && o->marginals_from != PMK_ISING_ANNEAL)
        return pmk_error_set(err, PMK_EINVAL, "marginals come from meanfield or anneal, not %s",
                             pmk_ising_method_name(o->marginals_from)
                                 ? pmk_ising_method_name(o->marginals_from)
                                 : "an unknown method");
    if (!(o->burn_in >= 0 && o->burn_in < 1))
        return pmk_error_set(err, PMK_EINVAL, "the burn-in must be in [0, 1), not %g",
                             o->burn_in);
    return pmk_threads_check(o->threads, err);
}

int pmk_ising_check(const pmk_ising_params *p, const pmk_ising_options *o, pmk_error *err)
{
    int rc;
    if ((rc = pmk_ising_params_check(p, err)) || (rc = pmk_ising_options_check(o, err)))
        return rc;
    if (o->method == PMK_ISING_MINCUT && p->beta < 0)
        return pmk_error_set(err, PMK_EINVAL,
                             "mincut needs beta >= 0 (beta = %g makes the energy "
                             "non-submodular); use icm, anneal or meanfield",
                             p->beta);
    if (p->levels && (o->method == PMK_ISING_ANNEAL || o->method == PMK_ISING_MEANFIELD))
        return pmk_error_set(err, PMK_EINVAL,
                             "the Potts model (levels %u) is solved by icm or mincut "
                             "(alpha-expansion)", p->levels);
    if (p->levels && o->marginals)
        return pmk_error_set(err, PMK_EINVAL,
                             "marginals are for the binary model, not the Potts model "
                             "(levels %u)", p->levels);
    return PMK_OK;
}

/* ------------------------------------------------------------------ names */

static const char *const method_names[] = {"icm", "anneal", "meanfield", "mincut"};
static const char *const order_names[] = {"raster", "random", "checkerboard"};

const char *pmk_ising_method_name(pmk_ising_method m)
{
    return (unsigned)m <= PMK_ISING_MINCUT ? method_names[m] : NULL;
}

const char *pmk_ising_order_name(pmk_ising_order o)
{
    return (unsigned)o <= PMK_ISING_CHECKERBOARD ? order_names[o] : NULL;
}

/* The index of @p name in names[0..n), or PMK_EINVAL listing them. */
static int name_index(const char *name, const char *const *names, int n, int *out,
                      pmk_error *err)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(name, names[i])) {
            *out = i;
            return PMK_OK;
        }
    char list[64];
    size_t k = 0;
    for (int i = 0; i < n; i++)
        k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "", names[i]);
    return pmk_error_set(err, PMK_EINVAL, "'%s' is not one of %s", name, list);
}

int pmk_ising_method_parse(const char *name, pmk_ising_method *m, pmk_error *err)
{
    int i = 0, rc = name_index(name, method_names, 4, &i, err);
    if (!rc)
        *m = (pmk_ising_method)i;
    return rc;
}

int pmk_ising_order_parse(const char *name, pmk_ising_order *o, pmk_error *err)
{
    int i = 0, rc = name_index(name, order_names, 3, &i, err);
    if (!rc)
        *o = (pmk_ising_order)i;
    return rc;
}

int pmk_ising_data_cost_parse(const char *name, pmk_ising_data_cost *c, pmk_error *err)
{
    static const char *const names[] = {"l2", "l1"};
    int i = 0, rc = name_index(name, names, 2, &i, err);
    if (!rc)
        *c = (pmk_ising_data_cost)i;
    return rc;
}

void pmk_ising_result_clear(pmk_ising_result *r)
{
    if (!r)
        return;
    free(r->trace);
    free(r->marginals);
    memset(r, 0, sizeof *r);
}

int ising_spins_bad(const int8_t *v, size_t width, size_t n, const char *what, pmk_error *err)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] != 1 && v[i] != -1)
            return pmk_error_set(err, PMK_EINVAL,
                                 "%s: spin at row %zu, column %zu is %d, not -1 or +1", what,
                                 i / width + 1, i % width + 1, (int)v[i]);
    return PMK_OK;
}

/* Checks the size and, unless v is NULL (a method that checks the spins as
 * it reads them), that every spin is -1 or +1. */
static int check_spins(size_t width, size_t height, const int8_t *v, const char *what,
                       size_t *n, int T, pmk_error *err)
{
    if (width == 0 || height == 0)
        return pmk_error_set(err, PMK_EINVAL, "the image is empty (%zux%zu)", width, height);
    if (pmk_size_mul(width, height, n) != PMK_OK || *n > (size_t)INT32_MAX)
        return pmk_error_set(err, PMK_ELIMIT, "the image is too large (%zux%zu)", width, height);
    if (!v)
        return PMK_OK;
    /* Vectorisable scan, then locate: a spin + 1 is 0 or 2 (bit 1 only). */
    uint8_t bad = 0;
    const size_t nn = *n;
    long nblk = (long)((nn + (1u << 18) - 1) >> 18);
#pragma omp parallel for schedule(static) num_threads(T) reduction(| : bad) if (T > 1 && nblk > 1)
    for (long k = 0; k < nblk; k++) {
        size_t e = nn - ((size_t)k << 18) < (1u << 18) ? nn : ((size_t)k + 1) << 18;
        for (size_t i = (size_t)k << 18; i < e; i++)
            bad |= (uint8_t)((uint8_t)(v[i] + 1) & 0xfdu);
    }
    return bad ? ising_spins_bad(v, width, nn, what, err) : PMK_OK;
}

/* The three integer sums S1, S2, S3 of E over the W x H image, one fused
 * byte loop per row with int accumulators (vectorisable); pairs are counted
 * from each pixel to its right, lower (and lower-right, lower-left) neighbours. */
ISING_HOT
static void energy_sums(size_t W, size_t H, const int8_t *x, const int8_t *y, int nb,
                        long long *s1, long long *s2, long long *s3)
{
    long long a1 = 0, a2 = 0, a3 = 0;
    for (size_t r = 0; r < H; r++) {
        const int8_t *restrict row = x + r * W, *restrict yr = y + r * W;
        int b1 = row[W - 1], b2 = 0, b3 = row[W - 1] * yr[W - 1];
        if (r + 1 < H) {
            const int8_t *restrict dn = row + W;
            b2 += row[W - 1] * dn[W - 1];
            if (nb == 8) {
                for (size_t c = 0; c + 1 < W; c++) {
                    b1 += row[c];
                    b3 += row[c] * yr[c];
                    b2 += row[c] * (row[c + 1] + dn[c] + dn[c + 1]) + row[c + 1] * dn[c];
                }
            } else {
                for (size_t c = 0; c + 1 < W; c++) {
                    b1 += row[c];
                    b3 += row[c] * yr[c];
                    b2 += row[c] * (row[c + 1] + dn[c]);
                }
            }
        } else {
            for (size_t c = 0; c + 1 < W; c++) {
                b1 += row[c];
                b3 += row[c] * yr[c];
                b2 += row[c] * row[c + 1];
            }
        }
        a1 += b1;
        a2 += b2;
        a3 += b3;
    }
    *s1 = a1;
    *s2 = a2;
    *s3 = a3;
}

/* The clones stay static: a target_clones resolver of an extern function is
 * exported from the library whatever its visibility. */
void ising_energy_sums(size_t W, size_t H, const int8_t *x, const int8_t *y, int nb,
                       long long *s1, long long *s2, long long *s3)
{
    energy_sums(W, H, x, y, nb, s1, s2, s3);
}

double ising_energy_of(const pmk_ising_params *p, long long s1, long long s2, long long s3)
{
    return p->h * (double)s1 - p->beta * (double)s2 - p->eta * (double)s3;
}

double ising_energy(const pmk_ising_params *p, size_t W, size_t H, const int8_t *x,
                          const int8_t *y)
{
    long long s1, s2, s3;
    ising_energy_sums(W, H, x, y, p->neighbours, &s1, &s2, &s3);
    return ising_energy_of(p, s1, s2, s3);
}

int pmk_ising_energy(const pmk_ising_params *p, size_t width, size_t height,
                     const int8_t *x, const int8_t *y, double *energy, pmk_error *err)
{
    pmk_ising_terms t;
    int rc = pmk_ising_energy_terms(p, width, height, x, y, &t, err);
    if (rc == PMK_OK)
        *energy = t.energy;
    return rc;
}

int pmk_ising_energy_terms(const pmk_ising_params *p, size_t width, size_t height,
                           const int8_t *x, const int8_t *y, pmk_ising_terms *t, pmk_error *err)
{
    size_t n;
    int rc;
    if ((rc = pmk_ising_params_check(p, err)) || (rc = check_spins(width, height, x, "x", &n, 1, err))
        || (rc = check_spins(width, height, y, "y", &n, 1, err))
        || (rc = pmk_ising_params_check_size(p, width, height, err)))
        return rc;
    ising_energy_sums(width, height, x, y, p->neighbours, &t->sum_x, &t->sum_pairs, &t->sum_xy);
    t->energy = ising_energy_of(p, t->sum_x, t->sum_pairs, t->sum_xy);
    return PMK_OK;
}

double pmk_ising_local_delta(const pmk_ising_params *p, size_t width, size_t height,
                             const int8_t *x, const int8_t *y, size_t row, size_t col)
{
    int s = ising_nsum(x, width, height, row, col, p->neighbours);
    return 2 * p->h - 2 * p->beta * s - 2 * p->eta * y[row * width + col];
}

/* ------------------------------------------------------------------ shared by the methods */

/* Sweep bookkeeping. */
static int trace_push(pmk_ising_result *r, size_t *cap, const pmk_ising_sweep *s,
                      pmk_error *err)
{
    if (r->ntrace == *cap) {
        size_t nc = *cap ? 2 * *cap : 64;
        pmk_ising_sweep *t = realloc(r->trace, nc * sizeof *t);
        if (!t)
            return pmk_error_set(err, PMK_ENOMEM, "out of memory for the sweep trace");
        r->trace = t;
        *cap = nc;
    }
    r->trace[r->ntrace++] = *s;
    return PMK_OK;
}

int ising_run_begin(ising_run *run, const pmk_ising_params *p, const pmk_ising_options *o,
                    size_t W, size_t H, const int8_t *y, int8_t *x, pmk_rng *rng,
                    int with_order, size_t work, pmk_ising_result *res, pmk_error *err)
{
    *run = (ising_run){o, res, x, W, H, W * H, p->neighbours, rng, NULL, NULL, 0, PMK_OK,
                       NULL, 0, 0, 0, 0};
    if ((with_order && !(run->idx = malloc(run->n * sizeof *run->idx)))
        || (work && !(run->work = malloc(run->n * work)))) {
        ising_run_end(run);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu pixels", run->n);
    }
    if (with_order && o->order != PMK_ISING_RANDOM)
        ising_visit_order(o->order, W, H, run->nb, rng, run->idx);
    if (o->marginals && o->method == o->marginals_from) {
        run->marg = res->marginals;
        run->burn = (size_t)floor(o->burn_in * (double)o->anneal_sweeps);
        memset(run->marg, 0, run->n * sizeof *run->marg);
    }
    memcpy(x, y, run->n);
    res->energy_initial = ising_energy(p, W, H, x, y);
    return PMK_OK;
}

int ising_run_sweep(ising_run *run, size_t sweep, size_t changed, double energy,
                    double temperature, double free_energy, int converged, pmk_error *err)
{
    const pmk_ising_options *o = run->o;
    pmk_ising_sweep rec = {sweep, changed, energy, temperature, free_energy,
                           run->have_errors ? run->errors
                           : o->truth       ? ising_count_diff(run->x, o->truth, run->n, 1)
                                            : 0};
    if ((run->rc = trace_push(run->res, &run->cap, &rec, err)))
        return 1;
    /* anneal marginals: one sample at the end of each sweep after the burn-in */
    if (run->marg && o->method == PMK_ISING_ANNEAL && sweep > run->burn) {
        for (size_t i = 0; i < run->n; i++)
            run->marg[i] += run->x[i] > 0;
        run->nsamp++;
    }
    run->res->sweeps = sweep;
    if (converged)
        return run->res->converged = 1;
    return o->on_sweep && o->on_sweep(&rec, o->on_sweep_arg);
}

int ising_run_end(ising_run *run)
{
    /* the marginals: mean field's from its means (the work buffer); anneal's
     * counts averaged, or, stopped before the burn-in ended, the last state */
    double *q = run->marg;
    if (q && run->rc == PMK_OK && run->o->method == PMK_ISING_MEANFIELD) {
        const double *m = run->work;
        for (size_t i = 0; i < run->n; i++)
            q[i] = (1 + m[i]) / 2;
    } else if (q && run->rc == PMK_OK) {
        for (size_t i = 0; i < run->n; i++)
            q[i] = run->nsamp ? q[i] / (double)run->nsamp : run->x[i] > 0;
    }
    free(run->idx);
    free(run->work);
    run->idx = run->work = NULL;
    return run->rc;
}

/* The visiting order of one sweep as pixel indices: raster, a fresh random
 * permutation, or the colour classes in turn.  Colours: (r + c) mod 2 for 4
 * neighbours, 2 (r mod 2) + (c mod 2) for 8, so that no two pixels of one
 * class are neighbours and a class may be updated at once. */
void ising_visit_order(pmk_ising_order order, size_t W, size_t H, int nb, pmk_rng *rng,
                        size_t *idx)
{
    size_t n = W * H, k = 0;
    if (order == PMK_ISING_RANDOM) {
        pmk_rng_permutation(rng, idx, n);
    } else if (order == PMK_ISING_CHECKERBOARD) {
        int ncol = nb == 8 ? 4 : 2;
        for (int col = 0; col < ncol; col++)
            for (size_t r = 0; r < H; r++)
                for (size_t c = 0; c < W; c++) {
                    int cc = nb == 8 ? (int)(2 * (r & 1) + (c & 1)) : (int)((r + c) & 1);
                    if (cc == col)
                        idx[k++] = r * W + c;
                }
    } else {
        for (size_t i = 0; i < n; i++)
            idx[i] = i;
    }
}

/* Pixels where a and b differ, counted in blocks into an unsigned (a
 * byte-compare reduction of that width vectorises; a size_t one does not),
 * the blocks shared among T threads. */
size_t ising_count_diff(const int8_t *a, const int8_t *b, size_t n, int T)
{
    size_t d = 0;
    long nblk = (long)((n + (1u << 18) - 1) >> 18);
#pragma omp parallel for schedule(static) num_threads(T) reduction(+ : d) if (T > 1 && nblk > 1)
    for (long k0 = 0; k0 < nblk; k0++) {
        size_t i0 = (size_t)k0 << 18, e = n - i0 < (1u << 18) ? n : i0 + (1u << 18);
        unsigned k = 0;
        for (size_t i = i0; i < e; i++)
            k += (unsigned)(a[i] != b[i]);
        d += k;
    }
    return d;
}

/* ------------------------------------------------------------------ dispatch */

/* The method of @p o on checked arguments. */
static int run_method(const pmk_ising_params *p, const pmk_ising_options *o, size_t width,
                      size_t height, const int8_t *y, int8_t *x, pmk_rng *rng,
                      pmk_ising_result *res, pmk_error *err)
{
    switch (o->method) {
    case PMK_ISING_ICM:
        if (p->beta >= 0 && o->order != PMK_ISING_RANDOM)
            return ising_icm_fast(p, o, width, height, y, x, res, err);
        return pmk_ising_icm_reference(p, o, width, height, y, x, rng, res, err);
    case PMK_ISING_ANNEAL:
        return ising_anneal(p, o, width, height, y, x, rng, res, err);
    case PMK_ISING_MEANFIELD:
        return ising_meanfield(p, o, width, height, y, x, rng, res, err);
    default:   /* PMK_ISING_MINCUT, beta >= 0: pmk_ising_check */
        res->energy_initial = ising_energy(p, width, height, y, y);
        return pmk_ising_mincut(p, width, height, y, x, err);
    }
}

/* The marginals of o->marginals_from when that is not the method run: a
 * second run with the same options, its image and trace dropped. */
static int second_run(const pmk_ising_params *p, const pmk_ising_options *o, size_t W,
                      size_t H, const int8_t *y, pmk_rng *rng, double *marg, pmk_error *err)
{
    pmk_ising_options o2 = *o;
    pmk_ising_result r2 = {0};
    r2.marginals = marg;   /* filled in place, kept by the caller */
    o2.method = o->marginals_from;
    o2.truth = NULL;
    o2.on_sweep = NULL;
    int8_t *x2 = malloc(W * H);
    int rc = x2 ? run_method(p, &o2, W, H, y, x2, rng, &r2, err)
                : pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu pixels", W * H);
    free(x2);
    r2.marginals = NULL;
    pmk_ising_result_clear(&r2);
    return rc;
}

int pmk_ising_denoise(const pmk_ising_params *p, const pmk_ising_options *o, size_t width,
                      size_t height, const int8_t *y, int8_t *x, pmk_rng *rng,
                      pmk_ising_result *res, pmk_error *err)
{
    pmk_ising_result local;
    size_t n;
    int rc;
    const int T = pmk_threads_resolve(o->threads); /* checking y, counting */
    /* The bit-packed ICM checks y as it packs it and counts the changed
     * pixels and errors from its last sweep's popcounts. */
    const int bits = ising_icm_bits_runs(p, o);
    if (!res)
        res = &local;
    memset(res, 0, sizeof *res);
    if ((rc = pmk_ising_check(p, o, err))
        || (p->levels && (rc = pmk_error_set(err, PMK_EINVAL, "levels %u: the Potts model "
                                             "runs through pmk_potts_denoise", p->levels)))
        || (rc = check_spins(width, height, bits ? NULL : y, "observed image", &n, T, err)))
        return rc;
    if ((rc = pmk_ising_params_check_size(p, width, height, err)))   /* a bad y first */
        return bits && check_spins(width, height, y, "observed image", &n, T, err) ? PMK_EINVAL
                                                                                   : rc;
    /* The method's own buffers, beside the caller's x and y: a visiting
     * order (size_t a pixel) for the reference ICM, anneal and mean field,
     * plus the best state (anneal) or the means (mean field); the fast ICM
     * needs six rows only; the min-cut graph checks its own. */
    size_t per = o->method == PMK_ISING_ANNEAL      ? sizeof(size_t) + 1
                 : o->method == PMK_ISING_MEANFIELD ? sizeof(size_t) + sizeof(double)
                 : o->method == PMK_ISING_ICM && (p->beta < 0 || o->order == PMK_ISING_RANDOM)
                     ? sizeof(size_t)
                     : 0;
    /* a second run for the marginals needs its own image and work space */
    if (o->marginals && o->method != o->marginals_from)
        per += 1 + sizeof(size_t) + sizeof(double);
    if (o->marginals)
        per += sizeof(double);   /* the marginals themselves */
    if (per && (rc = pmk_mem_check(NULL, 0, 0, (unsigned long long)n * per,
                                   "the work space of this method", err)))
        return rc;
    /* The trace keeps one record a sweep, up to the sweeps the options allow. */
    size_t nsw = o->method == PMK_ISING_ANNEAL ? o->anneal_sweeps
                 : o->method == PMK_ISING_MINCUT ? 0
                                                 : o->max_sweeps;
    unsigned long long tb = nsw > ULLONG_MAX / sizeof(pmk_ising_sweep)
                                ? ULLONG_MAX
                                : (unsigned long long)nsw * sizeof(pmk_ising_sweep);
    char what[64];
    snprintf(what, sizeof what, "a trace of %zu sweeps", nsw);
    if ((rc = pmk_mem_check(NULL, 0, 0, tb, what, err)))
        return rc;
    int needs_rng = o->method == PMK_ISING_ANNEAL
                    || (o->order == PMK_ISING_RANDOM && o->method != PMK_ISING_MINCUT)
                    || (o->marginals && o->marginals_from == PMK_ISING_ANNEAL);
    if (needs_rng && !rng)
        return pmk_error_set(err, PMK_EINVAL, "this method and order need a random generator");
    double *marg = NULL;
    if (o->marginals && !(marg = malloc(n * sizeof *marg)))
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu marginals", n);
    res->marginals = marg;   /* set again after the run: the plain ICM zeroes res */
    rc = run_method(p, o, width, height, y, x, rng, res, err);
    res->marginals = marg;
    if (rc == PMK_OK && o->marginals && o->method != o->marginals_from)
        rc = second_run(p, o, width, height, y, rng, res->marginals, err);
    if (rc == PMK_OK) {
        /* ICM and mean field return the image of their last sweep, whose
         * energy (the same sums) the trace holds already. */
        int last = (o->method == PMK_ISING_ICM || o->method == PMK_ISING_MEANFIELD)
                   && res->ntrace > 0;
        res->energy = last ? res->trace[res->ntrace - 1].energy
                           : ising_energy(p, width, height, x, y);
        if (!bits) {
            res->changed = ising_count_diff(x, y, n, T);
            res->errors = o->truth ? ising_count_diff(x, o->truth, n, T) : 0;
        }
        res->error = (double)res->errors / (double)n;
        res->width = width;
        res->height = height;
    }
    if (rc != PMK_OK || res == &local)
        pmk_ising_result_clear(res);
    return rc;
}

/* ------------------------------------------------------------------ trace */

int pmk_ising_trace_write(FILE *fp, const pmk_ising_result *res, pmk_ising_method method,
                          size_t npixels, int with_error, pmk_error *err)
{
    const char *last = method == PMK_ISING_ANNEAL      ? ",temperature"
                       : method == PMK_ISING_MEANFIELD ? ",free_energy"
                                                       : "";
    fprintf(fp, "sweep,changed,energy%s%s\n", with_error ? ",error" : "", last);
    for (size_t k = 0; k < res->ntrace; k++) {
        const pmk_ising_sweep *s = &res->trace[k];
        fprintf(fp, "%zu,%zu,%.17g", s->sweep, s->changed, s->energy);
        if (with_error)
            fprintf(fp, ",%.17g", (double)s->errors / (double)npixels);
        if (*last)
            fprintf(fp, ",%.17g", method == PMK_ISING_ANNEAL ? s->temperature : s->free_energy);
        fputc('\n', fp);
    }
    if (ferror(fp))
        return pmk_error_set(err, PMK_EIO, "cannot write the sweep trace");
    return PMK_OK;
}

int pmk_ising_trace_save(pmk_outfile *of, const char *path, const pmk_ising_result *res,
                         pmk_ising_method method, int with_error, pmk_error *err)
{
    int rc = pmk_outfile_open(of, path, err);
    if (rc)
        return rc;
    pmk_ising_trace_write(of->fp, res, method, res->width * res->height, with_error, NULL);
    /* a write error shows in the sync, with the file's name (which aborts) */
    return pmk_outfile_sync(of, err);
}
