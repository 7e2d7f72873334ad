/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_ising_potts.c: the Ising marginals (mean field by hand and against
 * brute force, Gibbs samples against brute force, the files written) and
 * the Potts model (energy by hand, alpha-expansion against brute force, ICM
 * monotone, L = 2 against the Ising code). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_ising.h"
#include "models/ising_internal.h"

/* ---------------------------------------------------------------- helpers */

/* Exact marginals P(x_i = +1) of p(x | y) ~ exp(-E(x, y)) by summing over all
 * 2^n states (n <= 16). */
static void brute_marginals(const pmk_ising_params *p, size_t W, size_t H, const int8_t *y,
                            double *q)
{
    size_t n = W * H;
    int8_t x[16];
    double z = 0, e0 = 0;
    for (size_t i = 0; i < n; i++)
        q[i] = 0;
    for (unsigned long s = 0; s < (1ul << n); s++) {
        for (size_t i = 0; i < n; i++)
            x[i] = (s >> i) & 1 ? 1 : -1;
        double e;
        ck_assert_int_eq(pmk_ising_energy(p, W, H, x, y, &e, NULL), PMK_OK);
        if (s == 0)
            e0 = e;
        double w = exp(-(e - e0));
        z += w;
        for (size_t i = 0; i < n; i++)
            q[i] += x[i] > 0 ? w : 0;
    }
    for (size_t i = 0; i < n; i++)
        q[i] /= z;
}

static pmk_ising_params potts_params(double beta, double eta, int nb, unsigned L,
                                     pmk_ising_data_cost c)
{
    pmk_ising_params p = {beta, eta, 0, nb, L, c};
    return p;
}

/* A grey image with the given levels. */
static pmk_grey_image *grey(size_t W, size_t H, unsigned maxval, const uint16_t *v)
{
    pmk_grey_image *g = pmk_grey_image_alloc(W, H, maxval, NULL);
    ck_assert_ptr_nonnull(g);
    memcpy(g->level, v, W * H * sizeof *v);
    return g;
}

/* ---------------------------------------------------------------- marginals */

/* x = tanh(a - b x) by bisection (decreasing right side: one root). */
static double solve_tanh(double a, double b)
{
    double lo = -1, hi = 1;
    for (int k = 0; k < 200; k++) {
        double mid = (lo + hi) / 2;
        if (mid - tanh(a - b * mid) > 0)
            hi = mid;
        else
            lo = mid;
    }
    return (lo + hi) / 2;
}

START_TEST(test_marginals_meanfield_1x2)
{
    /* 1 x 2, y = (+1, -1), beta 0.5, eta 1, h 0: the fixed point
     *     m1 = tanh(0.5 m2 + 1),  m2 = tanh(0.5 m1 - 1)
     * is antisymmetric (m2 = -m1), so m1 = tanh(1 - 0.5 m1): m1 = 0.60331...;
     * P(x_1 = +1) = (1 + m1) / 2.  With beta 0 each pixel is alone:
     * P = 1 / (1 + exp(-2 (eta y - h))), exactly the mean-field answer. */
    const int8_t y[2] = {1, -1};
    int8_t x[2];
    pmk_ising_params p = ising_params(0.5, 1, 0, 4);
    pmk_ising_options o;
    pmk_ising_options_init_default(&o);
    o.method = PMK_ISING_MEANFIELD;
    o.marginals = 1;
    o.tol = 1e-14;
    o.max_sweeps = 10000;
    pmk_ising_result r;
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, 2, 1, y, x, NULL, &r, NULL), PMK_OK);
    double m1 = solve_tanh(1, 0.5);
    ck_assert(fabs(m1 - 0.603315) < 1e-6);
    ck_assert(fabs(r.marginals[0] - (1 + m1) / 2) < 1e-12);
    ck_assert(fabs(r.marginals[1] - (1 - m1) / 2) < 1e-12);
    /* the fixed-point equations themselves */
    double q1 = 2 * r.marginals[0] - 1, q2 = 2 * r.marginals[1] - 1;
    ck_assert(fabs(q1 - tanh(0.5 * q2 + 1)) < 1e-12 && fabs(q2 - tanh(0.5 * q1 - 1)) < 1e-12);
    pmk_ising_result_clear(&r);
    ck_assert_ptr_null(r.marginals);

    p = ising_params(0, 0.7, 0.3, 4);
    o.damping = 1;   /* undamped: exact after one sweep */
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, 2, 1, y, x, NULL, &r, NULL), PMK_OK);
    ck_assert(fabs(r.marginals[0] - 1 / (1 + exp(-2 * (0.7 - 0.3)))) < 1e-15);
    ck_assert(fabs(r.marginals[1] - 1 / (1 + exp(-2 * (-0.7 - 0.3)))) < 1e-15);
    pmk_ising_result_clear(&r);
}
END_TEST

START_TEST(test_marginals_meanfield_exact_when_independent)
{
    /* beta = 0: the posterior factorises and mean field is exact; brute
     * force over the 2^9 states of a 3 x 3 image agrees to rounding. */
    pmk_rng *rng = pmk_rng_alloc(NULL, 11);
    int8_t y[9], x[9];
    double q[9];
    ising_random_spins(rng, y, 9, 0.5);
    pmk_ising_params p = ising_params(0, 0.8, -0.25, 8);
    pmk_ising_options o;
    pmk_ising_options_init_default(&o);
    o.marginals = 1;   /* from mean field, a second run after ICM */
    o.damping = 1;     /* undamped: exact after one sweep when beta = 0 */
    pmk_ising_result r;
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, 3, 3, y, x, rng, &r, NULL), PMK_OK);
    brute_marginals(&p, 3, 3, y, q);
    for (int i = 0; i < 9; i++)
        ck_assert(fabs(r.marginals[i] - q[i]) < 1e-12);
    pmk_ising_result_clear(&r);
    pmk_rng_free(rng);
}
END_TEST

START_TEST(test_marginals_gibbs_brute_force)
{
    /* Anneal at T = 1 throughout (t0 1, factor 1) is a Gibbs sampler of
     * p(x | y).  3 x 3, beta 0.3, eta 0.5, h 0.1: 40,000 sweeps, the first
     * 2,000 dropped.  Bound: the sd of a mean of N correlated samples is
     * sqrt(tau p (1 - p) / N) <= 0.5 sqrt(tau / 38000) = 0.0026 sqrt(tau);
     * at these weak couplings tau (the integrated autocorrelation in sweeps)
     * is well under 4, so 5 sd < 0.026: tolerance 0.03. */
    pmk_rng *rng = pmk_rng_alloc(NULL, 5);
    const int8_t y[9] = {1, 1, -1, 1, -1, -1, 1, 1, -1};
    int8_t x[9];
    double q[9];
    pmk_ising_params p = ising_params(0.3, 0.5, 0.1, 4);
    pmk_ising_options o;
    pmk_ising_options_init_default(&o);
    o.method = PMK_ISING_ANNEAL;
    o.t0 = 1;
    o.t_factor = 1;
    o.anneal_sweeps = 40000;
    o.burn_in = 0.05;
    o.marginals = 1;
    o.marginals_from = PMK_ISING_ANNEAL;
    pmk_ising_result r;
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, 3, 3, y, x, rng, &r, NULL), PMK_OK);
    brute_marginals(&p, 3, 3, y, q);
    for (int i = 0; i < 9; i++)
        ck_assert_msg(fabs(r.marginals[i] - q[i]) < 0.03, "pixel %d: %g, exact %g", i,
                      r.marginals[i], q[i]);
    /* a sample count: every estimate is k / 38000 */
    for (int i = 0; i < 9; i++) {
        double k = r.marginals[i] * 38000;
        ck_assert(fabs(k - floor(k + 0.5)) < 1e-6);
    }
    pmk_ising_result_clear(&r);
    pmk_rng_free(rng);
}
END_TEST

START_TEST(test_marginals_same_run_or_second)
{
    /* Mean-field marginals are the same whether mean field is the method
     * or a second run after ICM; anneal's need a generator. */
    pmk_rng *rng = pmk_rng_alloc(NULL, 3);
    int8_t y[48], x[48];
    ising_random_spins(rng, y, 48, 0.4);
    pmk_ising_params p = ising_params(0.7, 1.2, 0, 4);
    pmk_ising_options o;
    pmk_ising_options_init_default(&o);
    o.marginals = 1;
    pmk_ising_result a, b;
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, 8, 6, y, x, NULL, &a, NULL), PMK_OK);
    ck_assert_uint_ge(a.ntrace, 1);   /* ICM's own trace */
    o.method = PMK_ISING_MEANFIELD;
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, 8, 6, y, x, NULL, &b, NULL), PMK_OK);
    ck_assert_mem_eq(a.marginals, b.marginals, 48 * sizeof(double));
    pmk_ising_result_clear(&a);
    pmk_ising_result_clear(&b);
    o.method = PMK_ISING_ICM;
    o.marginals_from = PMK_ISING_ANNEAL;
    pmk_error e;
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, 8, 6, y, x, NULL, &a, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "this method and order need a random generator");
    ck_assert_ptr_null(a.marginals);
    pmk_rng_free(rng);
}
END_TEST

START_TEST(test_marginals_save)
{
    const double q[6] = {0, 0.25, 1, 0.5, 0.998, 1.0 / 3};
    char dir[] = "/tmp/pmk-marg-XXXXXX", path[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/m.CSV", dir);
    ck_assert_int_eq(pmk_ising_marginals_save(path, 3, 2, q, NULL), PMK_OK);
    char buf[256] = {0};
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    size_t k = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    ck_assert_uint_gt(k, 0);
    ck_assert_str_eq(buf, "col0,col1,col2\n0,0.25,1\n0.5,0.998,0.33333333333333331\n");
    unlink(path);
    /* a picture: level round(255 (1 - p)): 255, 191, 0 / 128, 1, 170 */
    snprintf(path, sizeof path, "%s/m.pgm", dir);
    ck_assert_int_eq(pmk_ising_marginals_save(path, 3, 2, q, NULL), PMK_OK);
    pmk_grey_image *g;
    ck_assert_int_eq(pmk_grey_image_read(path, NULL, NULL, &g, NULL), PMK_OK);
    const uint16_t want[6] = {255, 191, 0, 128, 1, 170};
    ck_assert_uint_eq(g->maxval, 255);
    ck_assert_mem_eq(g->level, want, sizeof want);
    pmk_grey_image_free(g);
    unlink(path);
    pmk_error e;
    const double bad[2] = {0.5, 1.5};
    ck_assert_int_eq(pmk_ising_marginals_save(path, 2, 1, bad, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "marginal at row 1, column 2 is 1.5, not in [0, 1]");
    snprintf(path, sizeof path, "%s/m.txt", dir);
    ck_assert_int_eq(pmk_ising_marginals_save(path, 3, 2, q, &e), PMK_EINVAL);
    ck_assert(access(path, F_OK) != 0);
    rmdir(dir);
}
END_TEST

START_TEST(test_marginals_checks)
{
    pmk_ising_params p = ising_params(1, 2, 0, 4);
    pmk_ising_options o;
    pmk_error e;
    pmk_ising_options_init_default(&o);
    ck_assert(o.marginals == 0 && o.marginals_from == PMK_ISING_MEANFIELD && o.burn_in == 0.5);
    o.marginals_from = PMK_ISING_MINCUT;
    ck_assert_int_eq(pmk_ising_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "marginals come from meanfield or anneal, not mincut");
    o.marginals_from = PMK_ISING_ANNEAL;
    o.burn_in = 1;
    ck_assert_int_eq(pmk_ising_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the burn-in must be in [0, 1), not 1");
    o.burn_in = 0;
    o.marginals = 1;
    p.levels = 3;
    ck_assert_int_eq(pmk_ising_check(&p, &o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "marginals are for the binary model, not the Potts model (levels 3)");
}
END_TEST

/* ---------------------------------------------------------------- Potts */

START_TEST(test_potts_energy_hand)
{
    /* 1 x 3, maxval 4, L = 3 (levels 0, 2, 4), y = (0, 3, 4), x = (0, 2, 4):
     * L2: D = 0 + (1/4)^2 + 0 = 1/16; L1: D = 1/4; two pairs differ.
     * eta 2, beta 0.5:  E2 = 2/16 + 1 = 1.125,  E1 = 2/4 + 1 = 1.5. */
    const uint16_t yv[3] = {0, 3, 4}, xv[3] = {0, 2, 4}, bad[3] = {0, 1, 4};
    pmk_grey_image *y = grey(3, 1, 4, yv), *x = grey(3, 1, 4, xv), *xb = grey(3, 1, 4, bad);
    pmk_ising_params p = potts_params(0.5, 2, 4, 3, PMK_ISING_L2);
    double e;
    pmk_error err;
    ck_assert_int_eq(pmk_potts_energy(&p, x, y, &e, NULL), PMK_OK);
    ck_assert(e == 1.125);
    p.data_cost = PMK_ISING_L1;
    ck_assert_int_eq(pmk_potts_energy(&p, x, y, &e, NULL), PMK_OK);
    ck_assert(e == 1.5);
    ck_assert_int_eq(pmk_potts_energy(&p, xb, y, &e, &err), PMK_EINVAL);
    ck_assert_str_eq(err.msg, "x: level 1 at row 1, column 2 is not one of the 3 levels");
    p.levels = 6;
    ck_assert_int_eq(pmk_potts_energy(&p, x, y, &e, &err), PMK_EDATA);
    ck_assert_str_eq(err.msg, "6 levels need a maxval of at least 5; this image has 4");
    pmk_grey_image_free(y);
    pmk_grey_image_free(x);
    pmk_grey_image_free(xb);
}
END_TEST

/* The least Potts energy over all L^n labelings (n <= 9), written out
 * independently of the library: levels g_k, each pair once. */
static double brute_potts(const pmk_ising_params *p, const pmk_grey_image *y)
{
    const size_t W = y->width, H = y->height, n = W * H;
    const unsigned L = p->levels;
    const double M = y->maxval;
    unsigned long total = 1;
    for (size_t i = 0; i < n; i++)
        total *= L;
    double best = INFINITY;
    int lab[9];
    for (unsigned long s = 0; s < total; s++) {
        unsigned long t = s;
        double e = 0;
        for (size_t i = 0; i < n; i++, t /= L) {
            lab[i] = (int)(t % L);
            double g = floor(lab[i] * M / (L - 1) + 0.5), d = fabs(g - y->level[i]) / M;
            e += p->eta * (p->data_cost == PMK_ISING_L1 ? d : d * d);
        }
        for (size_t r = 0; r < H; r++)
            for (size_t c = 0; c < W; c++) {
                int a = lab[r * W + c];
                if (c + 1 < W)
                    e += p->beta * (a != lab[r * W + c + 1]);
                if (r + 1 < H) {
                    e += p->beta * (a != lab[(r + 1) * W + c]);
                    if (p->neighbours == 8 && c + 1 < W)
                        e += p->beta * (a != lab[(r + 1) * W + c + 1]);
                    if (p->neighbours == 8 && c > 0)
                        e += p->beta * (a != lab[(r + 1) * W + c - 1]);
                }
            }
        if (e < best)
            best = e;
    }
    return best;
}

START_TEST(test_potts_expansion_brute_force)
{
    /* alpha-expansion with L = 3 on 120 random tiny images (2x2 to 3x3,
     * both neighbourhoods, both data costs, beta from 0.05 to 0.65 against
     * eta 1): always within its factor 2 of the minimum (Boykov et al. 2001,
     * Thm 6.1, c = 1 for Potts), and never above ICM's energy from the same
     * start.  Exactly minimal in 120 of the 120 cases with this seed: the
     * count is asserted so that a change shows.  Tolerance 1e-9: the brute
     * force sums its doubles in another order than the library's integers. */
    pmk_rng *rng = pmk_rng_alloc(NULL, 21);
    const size_t dims[3][2] = {{2, 2}, {3, 2}, {3, 3}};
    int exact = 0, cases = 0;
    for (int k = 0; k < 120; k++) {
        size_t W = dims[k % 3][0], H = dims[k % 3][1], n = W * H;
        uint16_t v[9];
        for (size_t i = 0; i < n; i++)
            v[i] = (uint16_t)pmk_rng_uniform_int(rng, 256);
        pmk_grey_image *y = grey(W, H, 255, v), *x = NULL, *xi = NULL;
        pmk_ising_params p = potts_params(0.05 + 0.6 * pmk_rng_uniform(rng), 1,
                                          k % 2 ? 8 : 4, 3, k % 4 < 2 ? PMK_ISING_L2
                                                                       : PMK_ISING_L1);
        pmk_ising_options o;
        pmk_ising_options_init_default(&o);
        o.method = PMK_ISING_MINCUT;
        pmk_ising_result r, ri;
        ck_assert_int_eq(pmk_potts_denoise(&p, &o, y, NULL, &x, NULL, &r, NULL), PMK_OK);
        o.method = PMK_ISING_ICM;
        ck_assert_int_eq(pmk_potts_denoise(&p, &o, y, NULL, &xi, NULL, &ri, NULL), PMK_OK);
        double emin = brute_potts(&p, y), e;
        ck_assert_int_eq(pmk_potts_energy(&p, x, y, &e, NULL), PMK_OK);
        ck_assert(e == r.energy);
        ck_assert(r.converged && r.trace[r.ntrace - 1].changed == 0);
        ck_assert_msg(e >= emin - 1e-9 && e <= 2 * emin + 1e-9, "case %d: %g vs min %g", k,
                      e, emin);
        ck_assert(e <= ri.energy + 1e-12);
        exact += e <= emin + 1e-9;
        cases++;
        pmk_ising_result_clear(&r);
        pmk_ising_result_clear(&ri);
        pmk_grey_image_free(x);
        pmk_grey_image_free(xi);
        pmk_grey_image_free(y);
    }
    ck_assert_int_eq(cases, 120);
    ck_assert_int_eq(exact, 120);
    pmk_rng_free(rng);
}
END_TEST

START_TEST(test_potts_icm_never_increases)
{
    /* maxval 16 and L = 5 (levels 0, 4, 8, 12, 16), eta and beta dyadic:
     * every quantity is a dyadic rational, computed exactly, so the trace's
     * energies must not increase at all, in every order. */
    pmk_rng *rng = pmk_rng_alloc(NULL, 8);
    uint16_t v[30 * 20];
    for (size_t i = 0; i < 600; i++)
        v[i] = (uint16_t)pmk_rng_uniform_int(rng, 17);
    pmk_grey_image *y = grey(30, 20, 16, v);
    for (int order = 0; order < 3; order++)
        for (int nb = 4; nb <= 8; nb += 4)
            for (int c = 0; c < 2; c++) {
                pmk_ising_params p = potts_params(0.375, 1.5, nb, 5, (pmk_ising_data_cost)c);
                pmk_ising_options o;
                pmk_ising_options_init_default(&o);
                o.order = (pmk_ising_order)order;
                pmk_ising_result r;
                pmk_grey_image *x;
                ck_assert_int_eq(pmk_potts_denoise(&p, &o, y, y, &x, rng, &r, NULL), PMK_OK);
                double prev = r.energy_initial;
                for (size_t s = 0; s < r.ntrace; s++) {
                    ck_assert(r.trace[s].energy <= prev);
                    ck_assert(r.trace[s].changed == 0 || r.trace[s].energy < prev);
                    prev = r.trace[s].energy;
                }
                ck_assert(r.converged && r.energy == prev);
                ck_assert_uint_eq(r.errors, r.trace[r.ntrace - 1].errors);
                pmk_ising_result_clear(&r);
                pmk_grey_image_free(x);
            }
    pmk_grey_image_free(y);
    pmk_rng_free(rng);
}
END_TEST

START_TEST(test_potts_two_levels_is_ising)
{
    /* L = 2 on a binary image (maxval 1: black 0 = spin +1, white 1 = -1)
     * gives ICM's very image, sweep counts and changes, in every order and
     * both neighbourhoods, tie-prone parameters included (eta = 2 beta);
     * the energies obey E_ising = 2 E_potts - eta n - beta P.  The exact MAP
     * (mincut / 2-label expansion) reaches the same least energy. */
    pmk_rng *rng = pmk_rng_alloc(NULL, 4);
    const size_t W = 13, H = 11, n = W * H;
    const double pars[3][2] = {{1, 2.1}, {1, 2}, {0.5, 1.5}};
    int8_t y[13 * 11], x[13 * 11];
    for (int rep = 0; rep < 3; rep++) {
        ising_random_spins(rng, y, n, 0.4);
        uint16_t v[13 * 11];
        for (size_t i = 0; i < n; i++)
            v[i] = y[i] > 0 ? 0 : 1;
        pmk_grey_image *gy = grey(W, H, 1, v);
        for (int nb = 4; nb <= 8; nb += 4) {
            const double pairs = nb == 4 ? (double)((W - 1) * H + W * (H - 1))
                                         : (double)((W - 1) * H + W * (H - 1)
                                                    + 2 * (W - 1) * (H - 1));
            for (int m = 0; m < 4; m++) {
                pmk_ising_params pi = ising_params(pars[rep][0], pars[rep][1], 0, nb);
                pmk_ising_params pp = potts_params(pars[rep][0], pars[rep][1], nb, 2,
                                                   (pmk_ising_data_cost)(m & 1));
                pmk_ising_options o;
                pmk_ising_options_init_default(&o);
                o.method = m < 3 ? PMK_ISING_ICM : PMK_ISING_MINCUT;
                o.order = (pmk_ising_order)(m < 3 ? m : 0);
                pmk_ising_result ri, rp;
                pmk_grey_image *gx;
                pmk_rng *r1 = pmk_rng_alloc(NULL, 9), *r2 = pmk_rng_alloc(NULL, 9);
                ck_assert_int_eq(pmk_ising_denoise(&pi, &o, W, H, y, x, r1, &ri, NULL), PMK_OK);
                ck_assert_int_eq(pmk_potts_denoise(&pp, &o, gy, NULL, &gx, r2, &rp, NULL),
                                 PMK_OK);
                double tol = 1e-9 * (fabs(ri.energy) + 1);
                ck_assert(fabs(ri.energy - (2 * rp.energy - pars[rep][1] * n
                                            - pars[rep][0] * pairs)) < tol);
                ck_assert(fabs(ri.energy_initial - (2 * rp.energy_initial - pars[rep][1] * n
                                                    - pars[rep][0] * pairs)) < tol);
                if (m < 3) {
                    for (size_t i = 0; i < n; i++)
                        ck_assert_int_eq(x[i] > 0, gx->level[i] == 0);
                    ck_assert_uint_eq(ri.ntrace, rp.ntrace);
                    for (size_t s = 0; s < ri.ntrace; s++)
                        ck_assert_uint_eq(ri.trace[s].changed, rp.trace[s].changed);
                    ck_assert_uint_eq(ri.changed, rp.changed);
                }
                pmk_ising_result_clear(&ri);
                pmk_ising_result_clear(&rp);
                pmk_grey_image_free(gx);
                pmk_rng_free(r1);
                pmk_rng_free(r2);
            }
        }
        pmk_grey_image_free(gy);
    }
    pmk_rng_free(rng);
}
END_TEST

START_TEST(test_potts_checks)
{
    const uint16_t v[4] = {0, 1, 1, 0};
    pmk_grey_image *y = grey(2, 2, 1, v), *x = (pmk_grey_image *)&x;
    pmk_ising_params p;
    pmk_ising_options o;
    pmk_error e;
    pmk_ising_data_cost c;
    pmk_ising_params_init_default(&p);
    pmk_ising_options_init_default(&o);
    ck_assert(p.levels == 0 && p.data_cost == PMK_ISING_L2);
    ck_assert_int_eq(pmk_potts_denoise(&p, &o, y, NULL, &x, NULL, NULL, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "levels is 0: the Potts model needs 2..256");
    ck_assert_ptr_null(x);
    p.levels = 1;
    ck_assert_int_eq(pmk_ising_params_check(&p, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "levels must be 0 (binary) or 2..256, not 1");
    p.levels = 3;
    p.h = 0.5;
    ck_assert_int_eq(pmk_ising_params_check(&p, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "h has no meaning in the Potts model (levels 3); leave it 0");
    p.h = 0;
    o.method = PMK_ISING_ANNEAL;
    ck_assert_int_eq(pmk_ising_check(&p, &o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the Potts model (levels 3) is solved by icm or mincut "
                            "(alpha-expansion)");
    o.method = PMK_ISING_MINCUT;
    ck_assert_int_eq(pmk_potts_denoise(&p, &o, y, NULL, &x, NULL, NULL, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "3 levels need a maxval of at least 2; this image has 1");
    int8_t s[4] = {1, 1, 1, 1}, sx[4];
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, 2, 2, s, sx, NULL, NULL, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "levels 3: the Potts model runs through pmk_potts_denoise");
    ck_assert_int_eq(pmk_ising_data_cost_parse("l1", &c, NULL), PMK_OK);
    ck_assert_int_eq(c, PMK_ISING_L1);
    ck_assert_int_eq(pmk_ising_data_cost_parse("L1", &c, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "'L1' is not one of l2, l1");
    pmk_grey_image_free(y);
}
END_TEST

START_TEST(test_grey_image_io)
{
    /* maxval 1 is written as the binary image it is: the bytes of the same
     * spins through pmk_spin_image_write; a grey one keeps its levels. */
    char dir[] = "/tmp/pmk-grey-XXXXXX", a[64], b[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(a, sizeof a, "%s/a.pbm", dir);
    snprintf(b, sizeof b, "%s/b.pbm", dir);
    const uint16_t v[6] = {0, 1, 1, 0, 0, 1};
    pmk_grey_image *g = grey(3, 2, 1, v), *r = NULL;
    pmk_spin_image *s = pmk_spin_image_alloc(3, 2, NULL);
    for (int i = 0; i < 6; i++)
        s->spins[i] = v[i] ? -1 : 1;
    ck_assert_int_eq(pmk_grey_image_write(a, g, PMK_IMAGE_AUTO, NULL), PMK_OK);
    ck_assert_int_eq(pmk_spin_image_write(b, s, PMK_IMAGE_AUTO, NULL), PMK_OK);
    char ca[64] = {0}, cb[64] = {0};
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    size_t na = fread(ca, 1, sizeof ca, fa), nb = fread(cb, 1, sizeof cb, fb);
    fclose(fa);
    fclose(fb);
    ck_assert_uint_eq(na, nb);
    ck_assert_mem_eq(ca, cb, na);
    ck_assert_int_eq(pmk_grey_image_read(a, NULL, NULL, &r, NULL), PMK_OK);
    ck_assert_uint_eq(r->maxval, 1);
    ck_assert_mem_eq(r->level, v, sizeof v);
    pmk_grey_image_free(r);
    pmk_error e;
    const uint16_t w[4] = {0, 1000, 65535, 7};
    pmk_grey_image *g2 = grey(2, 2, 65535, w);
    snprintf(a, sizeof a, "%s/a.pgm", dir);
    ck_assert_int_eq(pmk_grey_image_write(a, g2, PMK_IMAGE_AUTO, NULL), PMK_OK);
    ck_assert_int_eq(pmk_grey_image_read(a, g, b, &r, &e), PMK_EDATA);
    char want[160];
    snprintf(want, sizeof want, "%s is 2x2 but %s is 3x2", a, b);
    ck_assert_str_eq(e.msg, want);
    ck_assert_int_eq(pmk_grey_image_read(a, NULL, NULL, &r, NULL), PMK_OK);
    ck_assert_uint_eq(r->maxval, 65535);
    ck_assert_mem_eq(r->level, w, sizeof w);
    ck_assert_ptr_null(pmk_grey_image_alloc(2, 2, 0, &e));
    ck_assert_int_eq(e.code, PMK_EINVAL);
    pmk_grey_image_free(r);
    pmk_grey_image_free(g2);
    pmk_grey_image_free(g);
    pmk_spin_image_free(s);
    unlink(a);
    snprintf(a, sizeof a, "%s/a.pbm", dir);
    unlink(a);
    unlink(b);
    rmdir(dir);
}
END_TEST

void suite_ising_potts(Suite *s)
{
    TCase *tc = tcase_create("marginals");
    tcase_add_test(tc, test_marginals_meanfield_1x2);
    tcase_add_test(tc, test_marginals_meanfield_exact_when_independent);
    tcase_add_test(tc, test_marginals_gibbs_brute_force);
    tcase_add_test(tc, test_marginals_same_run_or_second);
    tcase_add_test(tc, test_marginals_save);
    tcase_add_test(tc, test_marginals_checks);
    suite_add_tcase(s, tc);
    tc = tcase_create("potts");
    tcase_add_test(tc, test_potts_energy_hand);
    tcase_add_test(tc, test_potts_expansion_brute_force);
    tcase_add_test(tc, test_potts_icm_never_increases);
    tcase_add_test(tc, test_potts_two_levels_is_ising);
    tcase_add_test(tc, test_potts_checks);
    tcase_add_test(tc, test_grey_image_io);
    suite_add_tcase(s, tc);
}
