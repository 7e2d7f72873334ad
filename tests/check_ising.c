/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_ising.c: the Ising denoising model: energy and its local difference,
 * ICM (hand-computed case, monotone energy, fast paths against the plain rule),
 * min-cut against brute force, anneal, mean field and the noise models. */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_ising.h"
#include "models/ising_internal.h"
#include "pmk/stream.h"

/* ---------------------------------------------------------------- helpers */

void ising_random_spins(pmk_rng *r, int8_t *v, size_t n, double pplus)
{
    for (size_t i = 0; i < n; i++)
        v[i] = pmk_rng_uniform(r) < pplus ? 1 : -1;
}

/* A blob image with some pixels flipped: closer to what denoising sees. */
static void noisy_blobs(pmk_rng *r, int8_t *y, size_t W, size_t H, double flip)
{
    for (size_t i = 0; i < H; i++)
        for (size_t j = 0; j < W; j++) {
            double a = sin(0.45 * (double)i) + cos(0.3 * (double)j);
            int8_t v = a > 0.2 ? 1 : -1;
            y[i * W + j] = pmk_rng_uniform(r) < flip ? (int8_t)-v : v;
        }
}

/* E(x, y) written out pair by pair, independently of the library: every
 * ordered pair (i, j) of neighbours is visited and halved. */
static double energy_direct(const int8_t *x, const int8_t *y, size_t W, size_t H, int nb,
                            double beta, double eta, double h)
{
    double e = 0;
    for (long r = 0; r < (long)H; r++)
        for (long c = 0; c < (long)W; c++) {
            int xi = x[r * (long)W + c];
            e += h * xi - eta * xi * y[r * (long)W + c];
            for (long dr = -1; dr <= 1; dr++)
                for (long dc = -1; dc <= 1; dc++) {
                    if ((dr == 0 && dc == 0) || (nb == 4 && dr != 0 && dc != 0))
                        continue;
                    long rr = r + dr, cc = c + dc;
                    if (rr < 0 || rr >= (long)H || cc < 0 || cc >= (long)W)
                        continue;
                    e -= 0.5 * beta * xi * x[rr * (long)W + cc];
                }
        }
    return e;
}

pmk_ising_params ising_params(double beta, double eta, double h, int nb)
{
    pmk_ising_params p = {beta, eta, h, nb, 0, PMK_ISING_L2};
    return p;
}

/* ---------------------------------------------------------------- energy */

START_TEST(test_energy_hand)
{
    /* x = + + +    y = + - +
     *     + - -        + + -
     * S1 = 4 - 2 = 2.  S3 = 1 - 1 + 1 + 1 - 1 + 1 = 2.
     * 4-pairs: horizontal (+,+) (+,+) (+,-) (-,-) = 1 + 1 - 1 + 1 = 2,
     *          vertical (+,+) (+,-) (+,-) = 1 - 1 - 1 = -1;  S2 = 1.
     * 8-pairs add the diagonals (0,0)(1,1) = -1, (0,1)(1,0) = 1,
     *          (0,1)(1,2) = -1, (0,2)(1,1) = -1;  S2 = 1 - 2 = -1.
     * beta 1, eta 2.1, h 0.5:  E4 = 0.5*2 - 1 - 2.1*2 = -4.2,
     *                          E8 = 0.5*2 + 1 - 2.1*2 = -2.2. */
    const int8_t x[6] = {1, 1, 1, 1, -1, -1}, y[6] = {1, -1, 1, 1, 1, -1};
    pmk_ising_params p = ising_params(1, 2.1, 0.5, 4);
    double e;
    ck_assert_int_eq(pmk_ising_energy(&p, 3, 2, x, y, &e, NULL), PMK_OK);
    ck_assert_double_eq_tol(e, -4.2, 1e-12);
    p.neighbours = 8;
    ck_assert_int_eq(pmk_ising_energy(&p, 3, 2, x, y, &e, NULL), PMK_OK);
    ck_assert_double_eq_tol(e, -2.2, 1e-12);
}
END_TEST

START_TEST(test_energy_matches_direct)
{
    pmk_rng *r = pmk_rng_alloc(NULL, 7);
    const size_t dims[][2] = {{1, 1}, {1, 9}, {9, 1}, {2, 2}, {7, 6}, {33, 17}};
    for (size_t t = 0; t < sizeof dims / sizeof dims[0]; t++)
        for (int nb = 4; nb <= 8; nb += 4) {
            size_t W = dims[t][0], H = dims[t][1], n = W * H;
            int8_t *x = malloc(n), *y = malloc(n);
            ising_random_spins(r, x, n, 0.5);
            ising_random_spins(r, y, n, 0.3);
            pmk_ising_params p = ising_params(0.7, 1.3, -0.4, nb);
            double e;
            ck_assert_int_eq(pmk_ising_energy(&p, W, H, x, y, &e, NULL), PMK_OK);
            ck_assert_double_eq_tol(e, energy_direct(x, y, W, H, nb, 0.7, 1.3, -0.4), 1e-9);
            free(x);
            free(y);
        }
    pmk_rng_free(r);
}
END_TEST

START_TEST(test_local_delta_every_pixel)
{
    /* E(x_m=+1) - E(x_m=-1) = 2h - 2 beta sum_{N(m)} x_j - 2 eta y_m, against two
     * full recomputations, at every pixel (borders and corners included). */
    pmk_rng *r = pmk_rng_alloc(NULL, 11);
    const size_t dims[][2] = {{1, 1}, {1, 5}, {6, 1}, {2, 3}, {8, 7}};
    const double par[][3] = {{1, 2.1, 0}, {0.35, -0.8, 1.7}, {-1.2, 0.5, -0.3}};
    for (size_t t = 0; t < sizeof dims / sizeof dims[0]; t++)
        for (size_t k = 0; k < sizeof par / sizeof par[0]; k++)
            for (int nb = 4; nb <= 8; nb += 4) {
                size_t W = dims[t][0], H = dims[t][1], n = W * H;
                int8_t *x = malloc(n), *y = malloc(n);
                ising_random_spins(r, x, n, 0.5);
                ising_random_spins(r, y, n, 0.5);
                pmk_ising_params p = ising_params(par[k][0], par[k][1], par[k][2], nb);
                for (size_t m = 0; m < n; m++) {
                    double ep, em;
                    int8_t save = x[m];
                    x[m] = 1;
                    ck_assert_int_eq(pmk_ising_energy(&p, W, H, x, y, &ep, NULL), PMK_OK);
                    double dp = energy_direct(x, y, W, H, nb, p.beta, p.eta, p.h);
                    x[m] = -1;
                    ck_assert_int_eq(pmk_ising_energy(&p, W, H, x, y, &em, NULL), PMK_OK);
                    double dm = energy_direct(x, y, W, H, nb, p.beta, p.eta, p.h);
                    x[m] = save;
                    double d = pmk_ising_local_delta(&p, W, H, x, y, m / W, m % W);
                    ck_assert_double_eq_tol(d, ep - em, 1e-9);
                    ck_assert_double_eq_tol(d, dp - dm, 1e-9);
                }
                free(x);
                free(y);
            }
    pmk_rng_free(r);
}
END_TEST

START_TEST(test_energy_rejects_bad_spin)
{
    const int8_t x[4] = {1, 0, 1, 1}, y[4] = {1, 1, 1, 1};
    pmk_ising_params p = ising_params(1, 2.1, 0, 4);
    pmk_error e;
    double en;
    ck_assert_int_eq(pmk_ising_energy(&p, 2, 2, x, y, &en, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "x: spin at row 1, column 2 is 0, not -1 or +1");
    p.neighbours = 6;
    ck_assert_int_eq(pmk_ising_energy(&p, 2, 2, y, y, &en, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "neighbours must be 4 or 8, not 6");
}
END_TEST

/* ---------------------------------------------------------------- ICM */

START_TEST(test_icm_hand_5x5)
{
    /* beta 1, eta 2.1, h 0, raster ICM.  A pixel becomes +1 when
     * s + 2.1 y > 0 (s = neighbour sum), so a black pixel flips only with
     * s <= -3 and a white one only with s >= 3.
     *   y:  - - - - +      sweep 1, in place:
     *       - + - - -      (1,1): s = -1-1-1-1 = -4, 2.1 - 4 < 0 -> -1
     *       - - + + +      (3,3): s = +1+1+1+1 = 4, 4 - 2.1 > 0 -> +1
     *       - - + - +      every other pixel keeps its value: e.g. the
     *       + - + + +      corners (0,4) and (4,0) have s = -2 (keep +1),
     *                      (1,4) has s = 1 (1 - 2.1 < 0: keeps -1).
     * Sweep 2 changes nothing ((2,3) now has s = 2, (0,1) s = -3 ...): stop.
     * E(y):  S1 = 11 - 14 = -3, S3 = 25, S2 = 2 (horizontal) + 2 (vertical)
     *        = 4  ->  E0 = -4 - 2.1*25 = -56.5.
     * Each flip lowers E by 2*4 - 2*2.1 = 3.8  ->  E = -64.1  (check:
     * S3 = 21, S2 = 10 + 10 = 20, E = -20 - 2.1*21 = -64.1). */
    const int8_t y[25] = {-1, -1, -1, -1, 1,  -1, 1,  -1, -1, -1, -1, -1, 1,
                          1,  1,  -1, -1, 1,  -1, 1,  1,  -1, 1,  1,  1};
    int8_t want[25];
    memcpy(want, y, 25);
    want[1 * 5 + 1] = -1;
    want[3 * 5 + 3] = 1;
    pmk_ising_params p = ising_params(1, 2.1, 0, 4);
    pmk_ising_options o;
    pmk_ising_options_init_default(&o);
    pmk_ising_result res;
    int8_t x[25];
    for (int fast = 0; fast < 2; fast++) {
        if (fast)
            ck_assert_int_eq(pmk_ising_denoise(&p, &o, 5, 5, y, x, NULL, &res, NULL), PMK_OK);
        else
            ck_assert_int_eq(pmk_ising_icm_reference(&p, &o, 5, 5, y, x, NULL, &res, NULL),
                             PMK_OK);
        ck_assert_mem_eq(x, want, 25);
        ck_assert_uint_eq(res.sweeps, 2);
        ck_assert_uint_eq(res.ntrace, 2);
        ck_assert_uint_eq(res.trace[0].changed, 2);
        ck_assert_uint_eq(res.trace[1].changed, 0);
        ck_assert_double_eq_tol(res.trace[0].energy, -64.1, 1e-9);
        ck_assert_uint_eq(res.trace[0].errors, 0); /* no truth image given */
        if (fast) {
            ck_assert_int_eq(res.converged, 1);
            ck_assert_uint_eq(res.changed, 2);
            ck_assert_double_eq_tol(res.energy_initial, -56.5, 1e-9);
            ck_assert_double_eq_tol(res.energy, -64.1, 1e-9);
        }
        pmk_ising_result_clear(&res);
    }
    /* With a truth image the trace counts the errors per sweep: against y the
     * two changed pixels, against the result none. */
    o.truth = y;
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, 5, 5, y, x, NULL, &res, NULL), PMK_OK);
    ck_assert_uint_eq(res.trace[0].errors, 2);
    ck_assert_uint_eq(res.trace[1].errors, 2);
    /* what a report needs besides: the size and the fraction, 2 of 25 */
    ck_assert_uint_eq(res.width, 5);
    ck_assert_uint_eq(res.height, 5);
    ck_assert_uint_eq(res.errors, 2);
    ck_assert_double_eq(res.error, 0.08);
    /* the trace saved as pmk_ising_trace_write writes it, committed by the
     * caller; an unwritable name leaves the output closed */
    char path[600];
    snprintf(path, sizeof path, "%s/trace.csv", test_tmpdir());
    pmk_outfile of;
    pmk_error err;
    ck_assert_int_eq(pmk_ising_trace_save(&of, path, &res, PMK_ISING_ICM, 1, &err), PMK_OK);
    ck_assert_int_eq(pmk_outfile_commit(&of, &err), PMK_OK);
    size_t len;
    char *csv = test_read_file(path, &len);
    ck_assert_str_eq(csv, "sweep,changed,energy,error\n"
                          "1,2,-64.099999999999994,0.080000000000000002\n"
                          "2,0,-64.099999999999994,0.080000000000000002\n");
    free(csv);
    snprintf(path, sizeof path, "%s/no-such-dir/trace.csv", test_tmpdir());
    ck_assert_int_eq(pmk_ising_trace_save(&of, path, &res, PMK_ISING_ICM, 1, &err), PMK_EIO);
    ck_assert_ptr_null(of.fp);
    pmk_ising_result_clear(&res);
    o.truth = want;
    o.method = PMK_ISING_ANNEAL; /* every method fills it; anneal from a low T is ICM-like */
    o.t0 = 1e-3;
    o.anneal_sweeps = 3;
    pmk_rng *r = pmk_rng_alloc(NULL, 1);
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, 5, 5, y, x, r, &res, NULL), PMK_OK);
    ck_assert_mem_eq(x, want, 25);
    ck_assert_uint_eq(res.trace[2].errors, 0);
    pmk_ising_result_clear(&res);
    pmk_rng_free(r);
}
END_TEST

START_TEST(test_icm_tie_keeps_pixel)
{
    /* y = + - + (1x3), beta 1, eta 2, h 0.  Middle: s = 2, y = -1, field
     * -0 + 2 - 2 = 0: a tie, so it keeps -1.  Ends: s = -1, y = +1, field
     * -1 + 2 = 1 > 0: +1.  Nothing changes; with h = -0.001 the middle's field
     * becomes +0.001 and it flips to +1 (then the ends stay +1). */
    const int8_t y[3] = {1, -1, 1};
    int8_t x[3];
    pmk_ising_options o;
    pmk_ising_options_init_default(&o);
    for (int ord = PMK_ISING_RASTER; ord <= PMK_ISING_CHECKERBOARD; ord++) {
        pmk_rng *r = pmk_rng_alloc(NULL, 1);
        o.order = (pmk_ising_order)ord;
        pmk_ising_params p = ising_params(1, 2, 0, 4);
        pmk_ising_result res;
        ck_assert_int_eq(pmk_ising_denoise(&p, &o, 3, 1, y, x, r, &res, NULL), PMK_OK);
        ck_assert_mem_eq(x, y, 3);
        ck_assert_uint_eq(res.sweeps, 1);
        pmk_ising_result_clear(&res);
        p.h = -0.001;
        ck_assert_int_eq(pmk_ising_denoise(&p, &o, 3, 1, y, x, r, &res, NULL), PMK_OK);
        ck_assert_int_eq(x[0], 1);
        ck_assert_int_eq(x[1], 1);
        ck_assert_int_eq(x[2], 1);
        pmk_ising_result_clear(&res);
        pmk_rng_free(r);
    }
}
END_TEST

START_TEST(test_icm_energy_never_increases)
{
    pmk_rng *r = pmk_rng_alloc(NULL, 3);
    const double par[][3] = {{1, 2.1, 0}, {0.6, 1.0, 0.3}, {2, 0.5, -0.7}, {-0.5, 1, 0.2}};
    const size_t W = 37, H = 23, n = W * H;
    int8_t *y = malloc(n), *x = malloc(n);
    for (size_t k = 0; k < sizeof par / sizeof par[0]; k++)
        for (int nb = 4; nb <= 8; nb += 4)
            for (int ord = PMK_ISING_RASTER; ord <= PMK_ISING_CHECKERBOARD; ord++) {
                noisy_blobs(r, y, W, H, 0.25);
                pmk_ising_params p = ising_params(par[k][0], par[k][1], par[k][2], nb);
                pmk_ising_options o;
                pmk_ising_options_init_default(&o);
                o.order = (pmk_ising_order)ord;
                pmk_ising_result res;
                ck_assert_int_eq(pmk_ising_denoise(&p, &o, W, H, y, x, r, &res, NULL), PMK_OK);
                double prev = res.energy_initial;
                for (size_t s = 0; s < res.ntrace; s++) {
                    ck_assert_msg(res.trace[s].energy <= prev + 1e-9,
                                  "energy rose in sweep %zu: %g -> %g", s + 1, prev,
                                  res.trace[s].energy);
                    prev = res.trace[s].energy;
                }
                /* Converged: no single flip lowers E (a local minimum), and the
                 * trace energy is the true energy of x. */
                ck_assert_int_eq(res.converged, 1);
                for (size_t m = 0; m < n; m++) {
                        double d = pmk_ising_local_delta(&p, W, H, x, y, m / W, m % W);
                        ck_assert(x[m] > 0 ? d <= 0 : d >= 0);
                    }
                ck_assert_double_eq_tol(res.energy,
                                        energy_direct(x, y, W, H, nb, p.beta, p.eta, p.h), 1e-8);
                pmk_ising_result_clear(&res);
            }
    free(y);
    free(x);
    pmk_rng_free(r);
}
END_TEST

START_TEST(test_icm_fast_equals_reference)
{
    /* The byte-parallel raster and checkerboard paths must reproduce the plain
     * per-pixel rule exactly, traces included, ties (eta = 2, h = 0, or h = 1)
     * and degenerate widths included. */
    pmk_rng *r = pmk_rng_alloc(NULL, 5);
    const double par[][3] = {{1, 2.1, 0}, {1, 2, 0}, {1, 1, 1}, {0.3, 1.7, -0.2},
                             {0, 1, 0.5}, {2.5, 0.4, 0.0}};
    const size_t dims[][2] = {{1, 1}, {1, 13}, {13, 1}, {2, 2}, {31, 29}, {64, 9}};
    for (size_t k = 0; k < sizeof par / sizeof par[0]; k++)
        for (size_t t = 0; t < sizeof dims / sizeof dims[0]; t++)
            for (int nb = 4; nb <= 8; nb += 4)
                for (int ord = PMK_ISING_RASTER; ord <= PMK_ISING_CHECKERBOARD;
                     ord += PMK_ISING_CHECKERBOARD) {
                    size_t W = dims[t][0], H = dims[t][1], n = W * H;
                    int8_t *y = malloc(n), *a = malloc(n), *b = malloc(n);
                    noisy_blobs(r, y, W, H, 0.3);
                    pmk_ising_params p = ising_params(par[k][0], par[k][1], par[k][2], nb);
                    pmk_ising_options o;
                    pmk_ising_options_init_default(&o);
                    o.order = (pmk_ising_order)ord;
                    pmk_ising_result ra, rb;
                    memset(&rb, 0, sizeof rb);
                    ck_assert_int_eq(pmk_ising_denoise(&p, &o, W, H, y, a, NULL, &ra, NULL),
                                     PMK_OK);
                    ck_assert_int_eq(pmk_ising_icm_reference(&p, &o, W, H, y, b, NULL, &rb, NULL),
                                     PMK_OK);
                    ck_assert_mem_eq(a, b, n);
                    ck_assert_uint_eq(ra.ntrace, rb.ntrace);
                    for (size_t s = 0; s < ra.ntrace; s++) {
                        ck_assert_uint_eq(ra.trace[s].changed, rb.trace[s].changed);
                        ck_assert(ra.trace[s].energy == rb.trace[s].energy);
                    }
                    pmk_ising_result_clear(&ra);
                    pmk_ising_result_clear(&rb);
                    free(y);
                    free(a);
                    free(b);
                }
    pmk_rng_free(r);
}
END_TEST

START_TEST(test_zero_coupling_returns_y)
{
    /* beta = h = 0: E = -eta sum x_i y_i is minimised by x = y alone
     * (eta > 0), and with eta = 0 every rule ties and keeps y. */
    pmk_rng *r = pmk_rng_alloc(NULL, 9);
    const size_t W = 19, H = 13, n = W * H;
    int8_t *y = malloc(n), *x = malloc(n);
    ising_random_spins(r, y, n, 0.4);
    const double etas[] = {2.1, 0.0};
    for (size_t k = 0; k < 2; k++)
        for (int nb = 4; nb <= 8; nb += 4)
            for (int m = PMK_ISING_ICM; m <= PMK_ISING_MINCUT; m++)
                for (int ord = PMK_ISING_RASTER; ord <= PMK_ISING_CHECKERBOARD; ord++) {
                    pmk_ising_params p = ising_params(0, etas[k], 0, nb);
                    pmk_ising_options o;
                    pmk_ising_options_init_default(&o);
                    o.method = (pmk_ising_method)m;
                    o.order = (pmk_ising_order)ord;
                    o.anneal_sweeps = 5;
                    o.max_sweeps = 5;
                    pmk_ising_result res;
                    ck_assert_int_eq(pmk_ising_denoise(&p, &o, W, H, y, x, r, &res, NULL), PMK_OK);
                    ck_assert_msg(memcmp(x, y, n) == 0, "method %d order %d eta %g nb %d", m, ord,
                                  etas[k], nb);
                    ck_assert_uint_eq(res.changed, 0);
                    pmk_ising_result_clear(&res);
                }
    free(y);
    free(x);
    pmk_rng_free(r);
}
END_TEST

START_TEST(test_random_order_reproducible)
{
    const size_t W = 40, H = 30, n = W * H;
    int8_t *y = malloc(n), *a = malloc(n), *b = malloc(n);
    pmk_rng *r = pmk_rng_alloc(NULL, 1);
    noisy_blobs(r, y, W, H, 0.2);
    pmk_ising_params p = ising_params(1, 2.1, 0, 4);
    pmk_ising_options o;
    pmk_ising_options_init_default(&o);
    o.order = PMK_ISING_RANDOM;
    pmk_error e;
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, W, H, y, a, NULL, NULL, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "this method and order need a random generator");
    pmk_rng_seed(r, 77);
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, W, H, y, a, r, NULL, NULL), PMK_OK);
    pmk_rng_seed(r, 77);
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, W, H, y, b, r, NULL, NULL), PMK_OK);
    ck_assert_mem_eq(a, b, n);
    free(y);
    free(a);
    free(b);
    pmk_rng_free(r);
}
END_TEST

/* ---------------------------------------------------------------- min-cut */

START_TEST(test_mincut_brute_force)
{
    /* Every image up to 4x4 (2^16 states) is enumerated and the minimum energy
     * compared with the energy of the min-cut labelling. */
    pmk_rng *r = pmk_rng_alloc(NULL, 13);
    const size_t dims[][2] = {{1, 1}, {4, 1}, {1, 3}, {2, 2}, {3, 2}, {3, 3}, {4, 3}, {4, 4}};
    for (size_t t = 0; t < sizeof dims / sizeof dims[0]; t++)
        for (int nb = 4; nb <= 8; nb += 4)
            for (int trial = 0; trial < 5; trial++) {
                size_t W = dims[t][0], H = dims[t][1], n = W * H;
                int8_t y[16], x[16], z[16];
                ising_random_spins(r, y, n, 0.5);
                double beta, eta, h;
                if (trial == 0) { /* integer ties */
                    beta = 1, eta = 2, h = 0;
                } else if (trial == 1) {
                    beta = 1, eta = 2.1, h = 0;
                } else {
                    beta = 2.5 * pmk_rng_uniform(r);
                    eta = 4 * pmk_rng_uniform(r) - 1;
                    h = 4 * pmk_rng_uniform(r) - 2;
                }
                pmk_ising_params p = ising_params(beta, eta, h, nb);
                pmk_ising_options o;
                pmk_ising_options_init_default(&o);
                o.method = PMK_ISING_MINCUT;
                pmk_ising_result res;
                ck_assert_int_eq(pmk_ising_denoise(&p, &o, W, H, y, x, NULL, &res, NULL), PMK_OK);
                double best = INFINITY;
                for (unsigned long s = 0; s < (1ul << n); s++) {
                    for (size_t i = 0; i < n; i++)
                        z[i] = (s >> i) & 1 ? 1 : -1;
                    double e = energy_direct(z, y, W, H, nb, beta, eta, h);
                    if (e < best)
                        best = e;
                }
                double ex = energy_direct(x, y, W, H, nb, beta, eta, h);
                ck_assert_msg(fabs(ex - best) <= 1e-9, "%zux%zu nb %d beta %g eta %g h %g: %g vs %g",
                              W, H, nb, beta, eta, h, ex, best);
                ck_assert_double_eq_tol(res.energy, best, 1e-9);
                pmk_ising_result_clear(&res);
            }
    pmk_rng_free(r);
}
END_TEST

START_TEST(test_mincut_at_most_icm)
{
    /* On larger noisy images the exact MAP is at most every other method's
     * energy (a lower bound that would fail on a wrong cut). */
    pmk_rng *r = pmk_rng_alloc(NULL, 17);
    const size_t W = 80, H = 60, n = W * H;
    int8_t *y = malloc(n), *x = malloc(n);
    for (int nb = 4; nb <= 8; nb += 4) {
        noisy_blobs(r, y, W, H, 0.15);
        pmk_ising_params p = ising_params(1, 2.1, 0.1, nb);
        pmk_ising_options o;
        pmk_ising_options_init_default(&o);
        pmk_ising_result res;
        o.method = PMK_ISING_MINCUT;
        ck_assert_int_eq(pmk_ising_denoise(&p, &o, W, H, y, x, NULL, &res, NULL), PMK_OK);
        double emap = res.energy;
        ck_assert_double_eq_tol(emap, energy_direct(x, y, W, H, nb, 1, 2.1, 0.1), 1e-7);
        pmk_ising_result_clear(&res);
        for (int m = PMK_ISING_ICM; m <= PMK_ISING_MEANFIELD; m++) {
            o.method = (pmk_ising_method)m;
            ck_assert_int_eq(pmk_ising_denoise(&p, &o, W, H, y, x, r, &res, NULL), PMK_OK);
            ck_assert_msg(emap <= res.energy + 1e-7, "method %d: %g < MAP %g", m, res.energy, emap);
            pmk_ising_result_clear(&res);
        }
    }
    free(y);
    free(x);
    pmk_rng_free(r);
}
END_TEST

START_TEST(test_mincut_rejects_negative_beta)
{
    const int8_t y[4] = {1, -1, 1, 1};
    int8_t x[4];
    pmk_ising_params p = ising_params(-0.5, 2.1, 0, 4);
    pmk_ising_options o;
    pmk_ising_options_init_default(&o);
    o.method = PMK_ISING_MINCUT;
    pmk_error e;
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, 2, 2, y, x, NULL, NULL, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "mincut needs beta >= 0 (beta = -0.5 makes the energy "
                            "non-submodular); use icm, anneal or meanfield");
}
END_TEST

/* ---------------------------------------------------------------- anneal, mean field */

/* on_sweep callback: counts calls and asks to stop after *limit sweeps. */
static int stop_after(const pmk_ising_sweep *s, void *arg)
{
    size_t *limit = arg;
    return s->sweep >= *limit;
}

START_TEST(test_anneal_reproducible_by_seed)
{
    const size_t W = 30, H = 20, n = W * H;
    int8_t *y = malloc(n), *a = malloc(n), *b = malloc(n);
    pmk_rng *r = pmk_rng_alloc(NULL, 2);
    noisy_blobs(r, y, W, H, 0.2);
    pmk_ising_params p = ising_params(1, 2.1, 0, 8);
    pmk_ising_options o;
    pmk_ising_options_init_default(&o);
    o.method = PMK_ISING_ANNEAL;
    o.anneal_sweeps = 30;
    pmk_ising_result ra, rb;
    pmk_rng_seed(r, 123);
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, W, H, y, a, r, &ra, NULL), PMK_OK);
    pmk_rng_seed(r, 123);
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, W, H, y, b, r, &rb, NULL), PMK_OK);
    ck_assert_mem_eq(a, b, n);
    ck_assert_uint_eq(ra.ntrace, 30);
    ck_assert_uint_eq(rb.ntrace, 30);
    double lowest = ra.energy_initial;
    for (size_t s = 0; s < 30; s++) {
        ck_assert(ra.trace[s].energy == rb.trace[s].energy);
        ck_assert_double_eq_tol(ra.trace[s].temperature, 4 * pow(0.9, (double)s), 1e-12);
        if (ra.trace[s].energy < lowest)
            lowest = ra.trace[s].energy;
    }
    /* The state returned is the lowest seen, with its true energy. */
    ck_assert(ra.energy == lowest);
    ck_assert_double_eq_tol(ra.energy, energy_direct(a, y, W, H, 8, 1, 2.1, 0), 1e-9);
    pmk_ising_result_clear(&ra);
    pmk_ising_result_clear(&rb);
    /* A callback that returns non-zero stops the run after that sweep. */
    size_t limit = 4;
    o.on_sweep = stop_after;
    o.on_sweep_arg = &limit;
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, W, H, y, a, r, &ra, NULL), PMK_OK);
    ck_assert_uint_eq(ra.sweeps, 4);
    ck_assert_uint_eq(ra.ntrace, 4);
    pmk_ising_result_clear(&ra);
    o.method = PMK_ISING_MEANFIELD;
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, W, H, y, a, r, &ra, NULL), PMK_OK);
    ck_assert_uint_eq(ra.sweeps, 4);
    ck_assert_int_eq(ra.converged, 0);
    pmk_ising_result_clear(&ra);
    o.on_sweep = NULL;
    o.method = PMK_ISING_ANNEAL;
    pmk_error e;
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, W, H, y, a, NULL, NULL, &e), PMK_EINVAL);
    free(y);
    free(a);
    free(b);
    pmk_rng_free(r);
}
END_TEST

START_TEST(test_meanfield_strong_bias)
{
    /* h = 10 dominates (|beta s + eta y| <= 4*0.1 + 1 = 1.4): every mean goes
     * to tanh(about -10) < 0, so the thresholded image is all -1. */
    const size_t W = 6, H = 5, n = W * H;
    int8_t y[30], x[30];
    pmk_rng *r = pmk_rng_alloc(NULL, 4);
    ising_random_spins(r, y, n, 0.5);
    pmk_ising_params p = ising_params(0.1, 1, 10, 4);
    pmk_ising_options o;
    pmk_ising_options_init_default(&o);
    o.method = PMK_ISING_MEANFIELD;
    pmk_ising_result res;
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, W, H, y, x, r, &res, NULL), PMK_OK);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(x[i], -1);
    ck_assert_int_eq(res.converged, 1);
    ck_assert(isfinite(res.trace[res.ntrace - 1].free_energy));
    /* Damped updates converge: the free energy at the end is below the first. */
    ck_assert(res.trace[res.ntrace - 1].free_energy <= res.trace[0].free_energy);
    pmk_ising_result_clear(&res);
    pmk_rng_free(r);
}
END_TEST

Suite *suite_ising(void)
{
    Suite *s = suite_create("ising");
    TCase *tc = tcase_create("energy");
    tcase_add_test(tc, test_energy_hand);
    tcase_add_test(tc, test_energy_matches_direct);
    tcase_add_test(tc, test_local_delta_every_pixel);
    tcase_add_test(tc, test_energy_rejects_bad_spin);
    suite_add_tcase(s, tc);
    tc = tcase_create("icm");
    tcase_add_test(tc, test_icm_hand_5x5);
    tcase_add_test(tc, test_icm_tie_keeps_pixel);
    tcase_add_test(tc, test_icm_energy_never_increases);
    tcase_add_test(tc, test_icm_fast_equals_reference);
    tcase_add_test(tc, test_zero_coupling_returns_y);
    tcase_add_test(tc, test_random_order_reproducible);
    suite_add_tcase(s, tc);
    tc = tcase_create("mincut");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_mincut_brute_force);
    tcase_add_test(tc, test_mincut_at_most_icm);
    tcase_add_test(tc, test_mincut_rejects_negative_beta);
    suite_add_tcase(s, tc);
    tc = tcase_create("sampling");
    tcase_add_test(tc, test_anneal_reproducible_by_seed);
    tcase_add_test(tc, test_meanfield_strong_bias);
    suite_add_tcase(s, tc);
    suite_ising_noise(s);   /* check_ising_noise.c */
    suite_ising_potts(s);   /* check_ising_potts.c */
    suite_ising_bits(s);    /* check_ising_bits.c */
    return s;
}
