/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* ising.c: Ising-MRF denoising of binary images: the energy, ICM (raster,
 * random and checkerboard orders), annealed Gibbs sampling, mean field, and
 * the noise models.  The exact MAP by minimum cut is in ising_maxflow.c. */
#include "config.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/ising.h"
#include "pmk/limits.h"
#include "models/ising_internal.h"

/* The hot loops below work on signed bytes and are written so that the
 * compiler vectorises them; -O3 and an AVX2 clone (chosen at load time,
 * falling back to the baseline ISA) are asked for here only. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__ELF__) \
    && !defined(__SANITIZE_ADDRESS__)
#define ISING_HOT __attribute__((target_clones("avx2", "default")))
#else
#define ISING_HOT
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
    p->beta = 1.0;
    p->eta = 2.1;
    p->h = 0.0;
    p->neighbours = 4;
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
    return PMK_OK;
}

void pmk_ising_result_clear(pmk_ising_result *r)
{
    if (!r)
        return;
    free(r->trace);
    memset(r, 0, sizeof *r);
}

/* Checks the size and that every spin is -1 or +1. */
static int check_spins(size_t width, size_t height, const int8_t *v, const char *what,
                       size_t *n, pmk_error *err)
{
    if (width == 0 || height == 0)
        return pmk_error_set(err, PMK_EINVAL, "the image is empty (%zux%zu)", width, height);
    if (pmk_size_mul(width, height, n) != PMK_OK || *n > (size_t)INT32_MAX)
        return pmk_error_set(err, PMK_ELIMIT, "the image is too large (%zux%zu)", width, height);
    /* Vectorisable scan, then locate: a spin + 1 is 0 or 2 (bit 1 only). */
    uint8_t bad = 0;
    for (size_t i = 0; i < *n; i++)
        bad |= (uint8_t)((uint8_t)(v[i] + 1) & 0xfdu);
    for (size_t i = 0; bad && i < *n; i++)
        if (v[i] != 1 && v[i] != -1)
            return pmk_error_set(err, PMK_EINVAL,
                                 "%s: spin at row %zu, column %zu is %d, not -1 or +1", what,
                                 i / width + 1, i % width + 1, (int)v[i]);
    return PMK_OK;
}

/* Neighbour sum s = sum_{j in N(r,c)} x_j with the free boundary (W x H),
 * for spins (int8_t, summed as int) and for mean-field means (double). */
#define PMK_ISING_NEIGHBOUR_SUM(NAME, T, S)                                        \
    static S NAME(const T *x, size_t W, size_t H, size_t r, size_t c, int nb)     \
    {                                                                             \
        const T *row = x + r * W;                                                 \
        S s = 0;                                                                  \
        if (c > 0)                                                                \
            s += row[c - 1];                                                      \
        if (c + 1 < W)                                                            \
            s += row[c + 1];                                                      \
        if (r > 0) {                                                              \
            s += row[c - W];                                                      \
            if (nb == 8) {                                                        \
                if (c > 0)                                                        \
                    s += row[c - W - 1];                                          \
                if (c + 1 < W)                                                    \
                    s += row[c - W + 1];                                          \
            }                                                                     \
        }                                                                         \
        if (r + 1 < H) {                                                          \
            s += row[c + W];                                                      \
            if (nb == 8) {                                                        \
                if (c > 0)                                                        \
                    s += row[c + W - 1];                                          \
                if (c + 1 < W)                                                    \
                    s += row[c + W + 1];                                          \
            }                                                                     \
        }                                                                         \
        return s;                                                                 \
    }
PMK_ISING_NEIGHBOUR_SUM(nsum, int8_t, int)
PMK_ISING_NEIGHBOUR_SUM(msum, double, double)

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

static double energy_of(const pmk_ising_params *p, long long s1, long long s2, long long s3)
{
    return p->h * (double)s1 - p->beta * (double)s2 - p->eta * (double)s3;
}

static double energy_fast(const pmk_ising_params *p, size_t W, size_t H, const int8_t *x,
                          const int8_t *y)
{
    long long s1, s2, s3;
    energy_sums(W, H, x, y, p->neighbours, &s1, &s2, &s3);
    return energy_of(p, s1, s2, s3);
}

int pmk_ising_energy(const pmk_ising_params *p, size_t width, size_t height,
                     const int8_t *x, const int8_t *y, double *energy, pmk_error *err)
{
    size_t n;
    int rc;
    if ((rc = pmk_ising_params_check(p, err)) || (rc = check_spins(width, height, x, "x", &n, err))
        || (rc = check_spins(width, height, y, "y", &n, err))
        || (rc = pmk_ising_params_check_size(p, width, height, err)))
        return rc;
    *energy = energy_fast(p, width, height, x, y);
    return PMK_OK;
}

int pmk_ising_energy_terms(const pmk_ising_params *p, size_t width, size_t height,
                           const int8_t *x, const int8_t *y, pmk_ising_terms *t, pmk_error *err)
{
    size_t n;
    int rc;
    if ((rc = pmk_ising_params_check(p, err)) || (rc = check_spins(width, height, x, "x", &n, err))
        || (rc = check_spins(width, height, y, "y", &n, err)))
        return rc;
    energy_sums(width, height, x, y, p->neighbours, &t->sum_x, &t->sum_pairs, &t->sum_xy);
    t->energy = energy_of(p, t->sum_x, t->sum_pairs, t->sum_xy);
    return PMK_OK;
}

double pmk_ising_local_delta(const pmk_ising_params *p, size_t width, size_t height,
                             const int8_t *x, const int8_t *y, size_t row, size_t col)
{
    int s = nsum(x, width, height, row, col, p->neighbours);
    return 2 * p->h - 2 * p->beta * s - 2 * p->eta * y[row * width + col];
}

/* ------------------------------------------------------------------ the ICM rule
 *
 * The decision depends only on (s, y_i): dec[y_i > 0][s + 8] is +1, -1 or 0
 * (a tie: keep x_i), computed once per run in double precision as
 * sign((-h + beta s) + eta y).  For beta >= 0 this is non-decreasing in s
 * (each floating-point step is monotone), so it is also given by two integer
 * thresholds per y: +1 iff s >= pmin[y], -1 iff s <= mmax[y].  The byte-wise
 * fast paths use the thresholds; the reference path uses the table. */
typedef struct ising_rule {
    int8_t dec[2][17];
    int8_t pmin[2], mmax[2];
} ising_rule;

static void rule_init(ising_rule *R, const pmk_ising_params *p)
{
    for (int yb = 0; yb < 2; yb++) {
        double yv = yb ? 1.0 : -1.0;
        for (int s = -8; s <= 8; s++) {
            double f = (-p->h + p->beta * s) + p->eta * yv;
            R->dec[yb][s + 8] = f > 0 ? 1 : f < 0 ? -1 : 0;
        }
        R->pmin[yb] = 100;
        for (int s = -8; s <= 8; s++)
            if (R->dec[yb][s + 8] == 1) {
                R->pmin[yb] = (int8_t)s;
                break;
            }
        R->mmax[yb] = -100;
        for (int s = 8; s >= -8; s--)
            if (R->dec[yb][s + 8] == -1) {
                R->mmax[yb] = (int8_t)s;
                break;
            }
    }
}

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

/* The visiting order of one sweep as pixel indices: raster, a fresh random
 * permutation, or the colour classes in turn.  Colours: (r + c) mod 2 for 4
 * neighbours, 2 (r mod 2) + (c mod 2) for 8, so that no two pixels of one
 * class are neighbours and a class may be updated at once. */
static void visit_order(pmk_ising_order order, size_t W, size_t H, int nb, pmk_rng *rng,
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
 * byte-compare reduction of that width vectorises; a size_t one does not). */
static size_t count_diff(const int8_t *a, const int8_t *b, size_t n)
{
    size_t d = 0;
    for (size_t i0 = 0; i0 < n; i0 += 1u << 20) {
        size_t e = n - i0 < (1u << 20) ? n : i0 + (1u << 20);
        unsigned k = 0;
        for (size_t i = i0; i < e; i++)
            k += (unsigned)(a[i] != b[i]);
        d += k;
    }
    return d;
}

/* ------------------------------------------------------------------ ICM
 *
 * Iterated conditional modes (Besag 1986; Bishop, PRML §8.3.3): from x = y,
 * visit pixels in the given order, setting x_i <- sign(-h + beta s_i + eta y_i)
 * in place (a tie keeps x_i).  Each update cannot raise E, so E is
 * non-increasing; stop after a sweep that changes nothing or at max_sweeps.
 * Cost: O(H W) per sweep. */
int pmk_ising_icm_reference(const pmk_ising_params *p, const pmk_ising_options *o,
                            size_t W, size_t H, const int8_t *y, int8_t *x,
                            pmk_rng *rng, pmk_ising_result *res, pmk_error *err)
{
    size_t n = W * H, cap = 0;
    int nb = p->neighbours, rc = PMK_OK;
    ising_rule R;
    rule_init(&R, p);
    memset(res, 0, sizeof *res);
    if (o->order == PMK_ISING_RANDOM && !rng)
        return pmk_error_set(err, PMK_EINVAL, "this method and order need a random generator");
    size_t *idx = malloc(n * sizeof *idx);
    if (!idx)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu pixels", n);
    memcpy(x, y, n);
    res->energy_initial = energy_fast(p, W, H, x, y);
    if (o->order != PMK_ISING_RANDOM)
        visit_order(o->order, W, H, nb, rng, idx);
    for (size_t sw = 1; sw <= o->max_sweeps; sw++) {
        if (o->order == PMK_ISING_RANDOM)
            visit_order(o->order, W, H, nb, rng, idx);
        size_t changed = 0;
        for (size_t k = 0; k < n; k++) {
            size_t i = idx[k];
            int s = nsum(x, W, H, i / W, i % W, nb);
            int8_t d = R.dec[y[i] > 0][s + 8];
            if (d != 0 && d != x[i]) {
                x[i] = d;
                changed++;
            }
        }
        pmk_ising_sweep rec = {sw, changed, energy_fast(p, W, H, x, y), 0, 0,
                               o->truth ? count_diff(x, o->truth, W * H) : 0};
        if ((rc = trace_push(res, &cap, &rec, err)))
            break;
        res->sweeps = sw;
        if (changed == 0) {
            res->converged = 1;
            break;
        }
        if (o->on_sweep && o->on_sweep(&rec, o->on_sweep_arg))
            break;
    }
    free(idx);
    return rc;
}

/* The decision for neighbour sum s and observation yv in threshold form
 * (beta >= 0): +1 if s >= P_y, -1 if s <= M_y, else keep xo. */
static inline int8_t decide(const ising_rule *R, int s, int8_t yv, int8_t xo)
{
    int yb = yv > 0;
    return s >= R->pmin[yb] ? 1 : (s <= R->mmax[yb] ? -1 : xo);
}

/* Sum of the neighbours of (r, c) other than the left one, for a row whose
 * rows above / below are up / dn (zero rows at the border). */
static inline int sum_but_left(const int8_t *up, const int8_t *row, const int8_t *dn,
                               size_t W, size_t c, int nb)
{
    int s = up[c] + dn[c];
    if (c + 1 < W)
        s += row[c + 1] + (nb == 8 ? up[c + 1] + dn[c + 1] : 0);
    if (c > 0 && nb == 8)
        s += up[c - 1] + dn[c - 1];
    return s;
}

/* The serial part of the raster sweep: b_0 = rp_0, b_c = rm_c | (rp_c & b_{c-1}),
 * written over rp (bytes 0/1, W of them).  This is a carry chain (rm
 * generates, rp propagates), so eight pixels at a time it is a parallel
 * prefix (Kogge-Stone) over the bytes of a 64-bit word, little-endian so
 * that a left shift by 8 moves pixel k onto pixel k + 1: after the three
 * steps byte k of G is b_k for a carry-in of 0 and byte k of P the AND of
 * rp over bytes 0..k, so b = G | (P & cin).  Only the carry passes from one
 * word to the next: about 2 operations a pixel with no long dependence,
 * where the plain loop waits two cycles a pixel on the one before. */
static inline void raster_carry(uint8_t *restrict rp, const uint8_t *restrict rm, size_t W)
{
    uint8_t b = rp[0];
    size_t c = 1;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; c + 8 <= W; c += 8) {
        uint64_t G, P;
        memcpy(&G, rm + c, 8);
        memcpy(&P, rp + c, 8);
        G |= P & (G << 8);
        P &= P << 8 | 0xffu;
        G |= P & (G << 16);
        P &= P << 16 | 0xffffu;
        G |= P & (G << 32);
        P &= P << 32 | 0xffffffffu;
        G |= P & (0x0101010101010101ull * b);
        memcpy(rp + c, &G, 8);
        b = (uint8_t)(G >> 56);
    }
#endif
    for (; c < W; c++) {
        b = (uint8_t)(rm[c] | (rp[c] & b));
        rp[c] = b;
    }
}

/* Fast raster sweep (beta >= 0).  Row by row; within a row only the left
 * neighbour is already updated, so with q_c = the sum of the other neighbours
 * (row above: new; row below and right: old) the result for pixel c is
 *     b_c = rm_c | (rp_c & b_{c-1})          (bits: 1 = +1)
 * where rp_c / rm_c are the decisions for a left neighbour of +1 / -1.  The
 * decisions are monotone in s (beta >= 0), so rm_c <= rp_c and the recurrence
 * above is exact.  Computing q, rp, rm and the write-back are byte-parallel
 * (one fused loop each over the interior columns); only the two-operation
 * recurrence is serial.  Dimensions: rp, rm are W bytes; zero is a row of W
 * zero bytes for the missing rows at the border. */
ISING_HOT
static size_t icm_raster_sweep(const ising_rule *R, size_t W, size_t H, const int8_t *y,
                               int8_t *x, int nb, uint8_t *restrict rp, uint8_t *restrict rm,
                               const int8_t *zero)
{
    const int8_t P0 = R->pmin[0], P1 = R->pmin[1], M0 = R->mmax[0], M1 = R->mmax[1];
    size_t changed = 0;
    for (size_t r = 0; r < H; r++) {
        const int8_t *restrict up = r > 0 ? x + (r - 1) * W : zero;
        const int8_t *restrict dn = r + 1 < H ? x + (r + 1) * W : zero;
        int8_t *restrict row = x + r * W;
        const int8_t *restrict yr = y + r * W;
        /* c = 0 has no left neighbour: its decision is final. */
        rp[0] = decide(R, sum_but_left(up, row, dn, W, 0, nb), yr[0], row[0]) > 0;
        if (W > 1) {
            size_t e = W - 1;
            int q = sum_but_left(up, row, dn, W, e, nb);
            rp[e] = decide(R, q + 1, yr[e], row[e]) > 0;
            rm[e] = decide(R, q - 1, yr[e], row[e]) > 0;
        }
        if (nb == 8) {
            for (size_t c = 1; c + 1 < W; c++) {
                int8_t q = (int8_t)(up[c - 1] + up[c] + up[c + 1] + dn[c - 1] + dn[c] + dn[c + 1]
                                    + row[c + 1]);
                int8_t P = yr[c] > 0 ? P1 : P0, M = yr[c] > 0 ? M1 : M0;
                uint8_t xo = row[c] > 0;
                int8_t sp = (int8_t)(q + 1), sm = (int8_t)(q - 1);
                rp[c] = sp >= P ? 1 : (sp <= M ? 0 : xo);
                rm[c] = sm >= P ? 1 : (sm <= M ? 0 : xo);
            }
        } else {
            for (size_t c = 1; c + 1 < W; c++) {
                int8_t q = (int8_t)(up[c] + dn[c] + row[c + 1]);
                int8_t P = yr[c] > 0 ? P1 : P0, M = yr[c] > 0 ? M1 : M0;
                uint8_t xo = row[c] > 0;
                int8_t sp = (int8_t)(q + 1), sm = (int8_t)(q - 1);
                rp[c] = sp >= P ? 1 : (sp <= M ? 0 : xo);
                rm[c] = sm >= P ? 1 : (sm <= M ? 0 : xo);
            }
        }
        raster_carry(rp, rm, W);
        size_t ch = 0;
        for (size_t c = 0; c < W; c++) {
            int8_t xn = (int8_t)(2 * rp[c] - 1);
            ch += xn != row[c];
            row[c] = xn;
        }
        changed += ch;
    }
    return changed;
}

/* One colour class of one row, checkerboard order: the pixels with
 * c mod 2 == par (mask m set) get the decision from the current image, the
 * others keep their value.  The row is first copied to old (W bytes), so the
 * vectorised loop reads old and writes row without a dependence between
 * them.  Returns the number of pixels changed. */
ISING_HOT
static size_t checker_row(const ising_rule *R, size_t W, const int8_t *restrict up,
                          int8_t *restrict row, const int8_t *restrict dn,
                          const int8_t *restrict yr, int nb, const int8_t *restrict m,
                          int8_t *restrict old)
{
    const int8_t P0 = R->pmin[0], P1 = R->pmin[1], M0 = R->mmax[0], M1 = R->mmax[1];
    memcpy(old, row, W);
    if (nb == 8) {
        for (size_t c = 1; c + 1 < W; c++) {
            int8_t s = (int8_t)(up[c - 1] + up[c] + up[c + 1] + dn[c - 1] + dn[c] + dn[c + 1]
                                + old[c - 1] + old[c + 1]);
            int8_t xo = old[c];
            int8_t P = yr[c] > 0 ? P1 : P0, M = yr[c] > 0 ? M1 : M0;
            int8_t xn = s >= P ? 1 : (s <= M ? -1 : xo);
            row[c] = m[c] ? xn : xo;
        }
    } else {
        for (size_t c = 1; c + 1 < W; c++) {
            int8_t s = (int8_t)(up[c] + dn[c] + old[c - 1] + old[c + 1]);
            int8_t xo = old[c];
            int8_t P = yr[c] > 0 ? P1 : P0, M = yr[c] > 0 ? M1 : M0;
            int8_t xn = s >= P ? 1 : (s <= M ? -1 : xo);
            row[c] = m[c] ? xn : xo;
        }
    }
    for (size_t c = 0; c < W; c += W > 1 ? W - 1 : 1) { /* the two edge pixels */
        if (m[c]) {
            int s = sum_but_left(up, old, dn, W, c, nb) + (c > 0 ? old[c - 1] : 0);
            row[c] = decide(R, s, yr[c], old[c]);
        }
    }
    /* Counted apart: a byte-compare reduction into an unsigned vectorises. */
    unsigned cnt = 0;
    for (size_t c = 0; c < W; c++)
        cnt += (unsigned)(old[c] != row[c]);
    return cnt;
}

/* Fast checkerboard sweep (beta >= 0): each colour class in turn, all of its
 * pixels at once; pixels of one class have no neighbours in that class, so
 * this equals updating them one by one.  4 neighbours: classes (r + c) mod 2;
 * 8 neighbours: classes 2 (r mod 2) + (c mod 2).  The classes are run as a
 * wavefront in one pass over the rows (class k of row r needs class k-1 done
 * on rows r-1..r+1 only), which gives the same result as one full pass per
 * class and keeps the rows in cache.  mask[par][c] is 1 where
 * c mod 2 == par.  Dimensions: tmp, mask rows W bytes. */
static size_t icm_checker_sweep(const ising_rule *R, size_t W, size_t H, const int8_t *y,
                                int8_t *x, int nb, int8_t *tmp, const int8_t *const mask[2],
                                const int8_t *zero)
{
    size_t changed = 0;
#define ROWPTRS(rr)                                                                            \
    const int8_t *up = (rr) > 0 ? x + ((rr) - 1) * W : zero;                                   \
    const int8_t *dn = (rr) + 1 < H ? x + ((rr) + 1) * W : zero;                               \
    int8_t *row = x + (rr) * W;                                                                \
    const int8_t *yr = y + (rr) * W;
    if (nb == 4) {
        /* class 0 of row r (c mod 2 == r mod 2), then class 1 of row r - 1. */
        for (size_t r = 0; r <= H; r++) {
            if (r < H) {
                ROWPTRS(r)
                changed += checker_row(R, W, up, row, dn, yr, nb, mask[r & 1], tmp);
            }
            if (r > 0) {
                ROWPTRS(r - 1)
                changed += checker_row(R, W, up, row, dn, yr, nb, mask[r & 1], tmp);
            }
        }
    } else {
        /* classes (even rows, even c), (even, odd), (odd, even), (odd, odd):
         * classes 0 and 1 of row r (r even); classes 2 and 3 of row r - 1 (odd)
         * once the even rows r - 2 and r are done (r = H, when H is even,
         * finishes the last odd row). */
        for (size_t r = 0; r <= H; r += 2) {
            if (r < H) {
                ROWPTRS(r)
                changed += checker_row(R, W, up, row, dn, yr, nb, mask[0], tmp);
                changed += checker_row(R, W, up, row, dn, yr, nb, mask[1], tmp);
            }
            if (r > 0) {
                ROWPTRS(r - 1)
                changed += checker_row(R, W, up, row, dn, yr, nb, mask[0], tmp);
                changed += checker_row(R, W, up, row, dn, yr, nb, mask[1], tmp);
            }
        }
    }
#undef ROWPTRS
    return changed;
}

static int icm_fast(const pmk_ising_params *p, const pmk_ising_options *o, size_t W, size_t H,
                    const int8_t *y, int8_t *x, pmk_ising_result *res, pmk_error *err)
{
    ising_rule R;
    rule_init(&R, p);
    size_t cap = 0;
    int rc = PMK_OK;
    /* zero row, three work rows, two mask rows */
    uint8_t *buf = calloc(6, W);
    if (!buf)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu pixels", W);
    const int8_t *zero = (const int8_t *)buf;
    int8_t *tmp = (int8_t *)buf + W;
    uint8_t *rp = buf + 2 * W, *rm = buf + 3 * W;
    int8_t *m0 = (int8_t *)buf + 4 * W, *m1 = (int8_t *)buf + 5 * W;
    for (size_t c = 0; c < W; c++) {
        m0[c] = (c & 1) ? 0 : 1;
        m1[c] = (c & 1) ? 1 : 0;
    }
    const int8_t *mask[2] = {m0, m1};
    memcpy(x, y, W * H);
    res->energy_initial = energy_fast(p, W, H, x, y);
    for (size_t sw = 1; sw <= o->max_sweeps; sw++) {
        size_t changed = o->order == PMK_ISING_CHECKERBOARD
                             ? icm_checker_sweep(&R, W, H, y, x, p->neighbours, tmp, mask, zero)
                             : icm_raster_sweep(&R, W, H, y, x, p->neighbours, rp, rm, zero);
        pmk_ising_sweep rec = {sw, changed, energy_fast(p, W, H, x, y), 0, 0,
                               o->truth ? count_diff(x, o->truth, W * H) : 0};
        if ((rc = trace_push(res, &cap, &rec, err)))
            break;
        res->sweeps = sw;
        if (changed == 0) {
            res->converged = 1;
            break;
        }
        if (o->on_sweep && o->on_sweep(&rec, o->on_sweep_arg))
            break;
    }
    free(buf);
    return rc;
}

/* ------------------------------------------------------------------ anneal
 *
 * Simulated annealing by Gibbs sampling (Geman & Geman 1984): at temperature
 * T each visited pixel is drawn from its conditional
 *     p(x_i = +1 | rest) = 1 / (1 + exp(dE_i / T)),  dE_i = 2h - 2 beta s_i - 2 eta y_i,
 * with T_k = t0 * t_factor^(k-1) in sweep k.  The sums S1, S2, S3 are kept
 * exactly under each flip (d = x_new - x_old: S1 += d, S2 += d s_i,
 * S3 += d y_i), and the lowest-energy state among x = y and the end of every
 * sweep is returned.  The conditional depends only on (s_i, y_i), so it is
 * tabulated once per sweep. */
static int anneal(const pmk_ising_params *p, const pmk_ising_options *o, size_t W, size_t H,
                  const int8_t *y, int8_t *x, pmk_rng *rng, pmk_ising_result *res,
                  pmk_error *err)
{
    size_t n = W * H, cap = 0;
    int nb = p->neighbours, rc = PMK_OK;
    size_t *idx = malloc(n * sizeof *idx);
    int8_t *best = malloc(n);
    if (!idx || !best) {
        free(idx);
        free(best);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu pixels", n);
    }
    memcpy(x, y, n);
    memcpy(best, y, n);
    long long s1, s2, s3;
    energy_sums(W, H, x, y, nb, &s1, &s2, &s3);
    double ebest = energy_of(p, s1, s2, s3);
    res->energy_initial = ebest;
    if (o->order != PMK_ISING_RANDOM)
        visit_order(o->order, W, H, nb, rng, idx);
    double T = o->t0;
    for (size_t sw = 1; sw <= o->anneal_sweeps; sw++) {
        double pplus[2][17];
        for (int yb = 0; yb < 2; yb++)
            for (int s = -8; s <= 8; s++) {
                double e = (2 * p->h - 2 * p->beta * s - 2 * p->eta * (yb ? 1 : -1)) / T;
                /* T may underflow to 0 on a long schedule: a tie (0 / 0) is
                 * then a fair coin, anything else a sure step (e = +-inf). */
                pplus[yb][s + 8] = isnan(e) ? 0.5
                                   : e > 0  ? exp(-e) / (1 + exp(-e))
                                            : 1 / (1 + exp(e));
            }
        if (o->order == PMK_ISING_RANDOM)
            visit_order(o->order, W, H, nb, rng, idx);
        size_t changed = 0;
        for (size_t k = 0; k < n; k++) {
            size_t i = idx[k];
            int s = nsum(x, W, H, i / W, i % W, nb);
            int8_t xn = pmk_rng_uniform(rng) < pplus[y[i] > 0][s + 8] ? 1 : -1;
            if (xn != x[i]) {
                int d = xn - x[i];
                s1 += d;
                s2 += (long long)d * s;
                s3 += d * y[i];
                x[i] = xn;
                changed++;
            }
        }
        double e = energy_of(p, s1, s2, s3);
        pmk_ising_sweep rec = {sw, changed, e, T, 0, o->truth ? count_diff(x, o->truth, n) : 0};
        if ((rc = trace_push(res, &cap, &rec, err)))
            break;
        res->sweeps = sw;
        if (e < ebest) {
            ebest = e;
            memcpy(best, x, n);
        }
        T *= o->t_factor;
        if (o->on_sweep && o->on_sweep(&rec, o->on_sweep_arg))
            break;
    }
    memcpy(x, best, n);
    free(idx);
    free(best);
    return rc;
}

/* ------------------------------------------------------------------ mean field
 *
 * Naive mean field (Murphy, MLaPP §21.3.2; Bishop §8.3.3 / §10.1): a fully
 * factorised q(x) = prod_i q_i(x_i) with means m_i = E_q[x_i] satisfies
 *     m_i = tanh(beta sum_{j in N(i)} m_j + eta y_i - h).
 * Starting from m = y, pixels are visited in the given order and updated in
 * place with damping d:  m_i <- (1 - d) m_i + d tanh(...).  The variational
 * free energy
 *     F(m) = h sum m_i - beta sum_<ij> m_i m_j - eta sum m_i y_i
 *            + sum_i [p_i ln p_i + (1 - p_i) ln(1 - p_i)],  p_i = (1 + m_i) / 2,
 * is reported after each sweep, with the energy of the thresholded image
 * x_i = sign(m_i) (a tie keeps y_i).  Stop when max_i |dm_i| < tol. */

static double xlogx(double v) { return v > 0 ? v * log(v) : 0.0; }

static double free_energy(const pmk_ising_params *p, size_t W, size_t H, const double *m,
                          const int8_t *y)
{
    double a1 = 0, a2 = 0, a3 = 0, ent = 0;
    int nb = p->neighbours;
    for (size_t r = 0; r < H; r++)
        for (size_t c = 0; c < W; c++) {
            size_t i = r * W + c;
            a1 += m[i];
            a3 += m[i] * y[i];
            if (c + 1 < W)
                a2 += m[i] * m[i + 1];
            if (r + 1 < H) {
                a2 += m[i] * m[i + W];
                if (nb == 8 && c + 1 < W)
                    a2 += m[i] * m[i + W + 1] + m[i + 1] * m[i + W];
            }
            double pi = (1 + m[i]) / 2;
            ent += xlogx(pi) + xlogx(1 - pi);
        }
    return p->h * a1 - p->beta * a2 - p->eta * a3 + ent;
}

static int meanfield(const pmk_ising_params *p, const pmk_ising_options *o, size_t W, size_t H,
                     const int8_t *y, int8_t *x, pmk_rng *rng, pmk_ising_result *res,
                     pmk_error *err)
{
    size_t n = W * H, cap = 0;
    int nb = p->neighbours, rc = PMK_OK;
    size_t *idx = malloc(n * sizeof *idx);
    double *m = malloc(n * sizeof *m);
    if (!idx || !m) {
        free(idx);
        free(m);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu pixels", n);
    }
    for (size_t i = 0; i < n; i++)
        m[i] = y[i];
    memcpy(x, y, n);
    res->energy_initial = energy_fast(p, W, H, x, y);
    if (o->order != PMK_ISING_RANDOM)
        visit_order(o->order, W, H, nb, rng, idx);
    double d = o->damping;
    for (size_t sw = 1; sw <= o->max_sweeps; sw++) {
        if (o->order == PMK_ISING_RANDOM)
            visit_order(o->order, W, H, nb, rng, idx);
        double maxd = 0;
        for (size_t k = 0; k < n; k++) {
            size_t i = idx[k];
            double t = tanh(p->beta * msum(m, W, H, i / W, i % W, nb) + p->eta * y[i] - p->h);
            double mn = (1 - d) * m[i] + d * t;
            double dm = fabs(mn - m[i]);
            if (dm > maxd)
                maxd = dm;
            m[i] = mn;
        }
        size_t changed = 0;
        for (size_t i = 0; i < n; i++) {
            int8_t xn = m[i] > 0 ? 1 : m[i] < 0 ? -1 : y[i];
            changed += xn != x[i];
            x[i] = xn;
        }
        pmk_ising_sweep rec = {sw, changed, energy_fast(p, W, H, x, y), 0,
                               free_energy(p, W, H, m, y),
                               o->truth ? count_diff(x, o->truth, n) : 0};
        if ((rc = trace_push(res, &cap, &rec, err)))
            break;
        res->sweeps = sw;
        if (maxd < o->tol) {
            res->converged = 1;
            break;
        }
        if (o->on_sweep && o->on_sweep(&rec, o->on_sweep_arg))
            break;
    }
    free(idx);
    free(m);
    return rc;
}

/* ------------------------------------------------------------------ dispatch */

int pmk_ising_denoise(const pmk_ising_params *p, const pmk_ising_options *o, size_t width,
                      size_t height, const int8_t *y, int8_t *x, pmk_rng *rng,
                      pmk_ising_result *res, pmk_error *err)
{
    pmk_ising_result local;
    size_t n;
    int rc;
    if (!res)
        res = &local;
    memset(res, 0, sizeof *res);
    if ((rc = pmk_ising_params_check(p, err)) || (rc = pmk_ising_options_check(o, err))
        || (rc = check_spins(width, height, y, "observed image", &n, err))
        || (rc = pmk_ising_params_check_size(p, width, height, err)))
        return rc;
    /* The method's own buffers, beside the caller's x and y: a visiting
     * order (size_t a pixel) for the reference ICM, anneal and mean field,
     * plus the best state (anneal) or the means (mean field); the fast ICM
     * needs six rows only; the min-cut graph checks its own. */
    size_t per = o->method == PMK_ISING_ANNEAL      ? sizeof(size_t) + 1
                 : o->method == PMK_ISING_MEANFIELD ? sizeof(size_t) + sizeof(double)
                 : o->method == PMK_ISING_ICM && (p->beta < 0 || o->order == PMK_ISING_RANDOM)
                     ? sizeof(size_t)
                     : 0;
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
                    || (o->order == PMK_ISING_RANDOM && o->method != PMK_ISING_MINCUT);
    if (needs_rng && !rng)
        return pmk_error_set(err, PMK_EINVAL, "this method and order need a random generator");
    switch (o->method) {
    case PMK_ISING_ICM:
        if (p->beta >= 0 && o->order != PMK_ISING_RANDOM)
            rc = icm_fast(p, o, width, height, y, x, res, err);
        else
            rc = pmk_ising_icm_reference(p, o, width, height, y, x, rng, res, err);
        break;
    case PMK_ISING_ANNEAL:
        rc = anneal(p, o, width, height, y, x, rng, res, err);
        break;
    case PMK_ISING_MEANFIELD:
        rc = meanfield(p, o, width, height, y, x, rng, res, err);
        break;
    case PMK_ISING_MINCUT:
        if (p->beta < 0) {
            rc = pmk_error_set(err, PMK_EINVAL,
                               "mincut needs beta >= 0 (beta = %g makes the energy "
                               "non-submodular); use icm, anneal or meanfield",
                               p->beta);
            break;
        }
        res->energy_initial = energy_fast(p, width, height, y, y);
        rc = pmk_ising_mincut(p, width, height, y, x, err);
        break;
    }
    if (rc == PMK_OK) {
        /* ICM and mean field return the image of their last sweep, whose
         * energy (the same sums) the trace holds already. */
        int last = (o->method == PMK_ISING_ICM || o->method == PMK_ISING_MEANFIELD)
                   && res->ntrace > 0;
        res->energy = last ? res->trace[res->ntrace - 1].energy
                           : energy_fast(p, width, height, x, y);
        res->changed = count_diff(x, y, n);
    }
    if (rc != PMK_OK || res == &local)
        pmk_ising_result_clear(res);
    return rc;
}

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
