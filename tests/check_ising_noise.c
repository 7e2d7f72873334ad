/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_ising_noise.c: the ising suite's noise models (exact flip counts,
 * uniform flips, Gaussian clipping and its bounds, the noise options and
 * pmk_ising_noise_image on both kinds of image), the size bound of the
 * parameters, the method and order names and pmk_ising_check. */
#include "config.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check_ising.h"
#include "pmk/report.h"

/* ---------------------------------------------------------------- noise */

START_TEST(test_noise_flip_exact_count)
{
    pmk_rng *r = pmk_rng_alloc(NULL, 21);
    const size_t n = 1000;
    int8_t *x = malloc(n), *x0 = malloc(n);
    /* round(P n): 0.1 -> 100, 0.0125 -> 12.5 rounds to 13, 0 -> 0, 1 -> 1000. */
    const double ps[] = {0.1, 0.0125, 0.0, 1.0};
    const size_t want[] = {100, 13, 0, 1000};
    for (size_t k = 0; k < 4; k++) {
        ising_random_spins(r, x0, n, 0.5);
        memcpy(x, x0, n);
        size_t flipped = 0;
        ck_assert_int_eq(pmk_ising_noise_flip(x, n, ps[k], r, &flipped, NULL), PMK_OK);
        ck_assert_uint_eq(flipped, want[k]);
        size_t d = 0;
        for (size_t i = 0; i < n; i++) {
            ck_assert(x[i] == x0[i] || x[i] == -x0[i]);
            d += x[i] != x0[i];
        }
        ck_assert_uint_eq(d, want[k]); /* distinct pixels: no pixel flipped twice */
    }
    pmk_error e;
    ck_assert_int_eq(pmk_ising_noise_flip(x, n, 1.5, r, NULL, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the flip probability must be in [0, 1], not 1.5");
    free(x);
    free(x0);
    pmk_rng_free(r);
}
END_TEST

START_TEST(test_noise_flip_uniform)
{
    /* 3 of 10 pixels per draw, 20000 draws: each pixel's count is
     * Binomial(20000, 0.3), mean 6000, sd 64.8; 5 sd = 324. */
    pmk_rng *r = pmk_rng_alloc(NULL, 8);
    int8_t x[10];
    long count[10] = {0};
    for (int t = 0; t < 20000; t++) {
        memset(x, 1, sizeof x);
        ck_assert_int_eq(pmk_ising_noise_flip(x, 10, 0.3, r, NULL, NULL), PMK_OK);
        for (int i = 0; i < 10; i++)
            count[i] += x[i] < 0;
    }
    for (int i = 0; i < 10; i++)
        ck_assert_msg(labs(count[i] - 6000) <= 324, "pixel %d: %ld", i, count[i]);
    pmk_rng_free(r);
}
END_TEST

START_TEST(test_noise_gaussian_clips)
{
    /* sigma 0 changes nothing; sigma 1e4 (sd 2.55e6 levels) drives a level
     * strictly inside 0..255 with probability below 1e-4 per pixel, so of 200
     * pixels at most a few stay inside: assert >= 190 at the ends. */
    pmk_rng *r = pmk_rng_alloc(NULL, 6);
    double v[200];
    for (int i = 0; i < 200; i++)
        v[i] = i % 256;
    ck_assert_int_eq(pmk_ising_noise_gaussian(v, 200, 255, 0, r, NULL), PMK_OK);
    for (int i = 0; i < 200; i++)
        ck_assert(v[i] == i % 256);
    ck_assert_int_eq(pmk_ising_noise_gaussian(v, 200, 255, 1e4, r, NULL), PMK_OK);
    int ends = 0;
    for (int i = 0; i < 200; i++) {
        ck_assert(v[i] >= 0 && v[i] <= 255 && v[i] == floor(v[i]));
        ends += v[i] == 0 || v[i] == 255;
    }
    ck_assert_int_ge(ends, 190);
    pmk_rng_free(r);
}
END_TEST

/* The parameters' size bound: B = |h| + K |beta| + |eta| at most
 * DBL_MAX / 4 / n.  On 2 x 2 (n = 4) that is DBL_MAX / 16 = 1.12e+307:
 * beta = DBL_MAX / 64 (K = 4: B = DBL_MAX / 16 exactly, plus eta = 0) is
 * the largest accepted, and its energy is finite; the next double up is
 * refused, naming beta; NaN names its parameter. */
START_TEST(test_params_size_bound)
{
    const int8_t x[4] = {1, 1, 1, 1};
    pmk_ising_params p = ising_params(DBL_MAX / 64, 0, 0, 4);
    pmk_error e;
    double en;
    ck_assert_int_eq(pmk_ising_params_check_size(&p, 2, 2, &e), PMK_OK);
    ck_assert_int_eq(pmk_ising_energy(&p, 2, 2, x, x, &en, &e), PMK_OK);
    /* 4 pairs of +1 spins: E = -4 beta = -DBL_MAX / 16. */
    ck_assert(en == -DBL_MAX / 16);
    p.beta = nextafter(DBL_MAX / 64, INFINITY);
    ck_assert_int_eq(pmk_ising_energy(&p, 2, 2, x, x, &en, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "beta 2.8089e+306 is too large for a 2 x 2 image: the energy would "
                            "overflow (|h| + 4 |beta| + |eta| must be at most 1.12e+307)");
    pmk_ising_terms t;   /* the terms are bounded alike */
    ck_assert_int_eq(pmk_ising_energy_terms(&p, 2, 2, x, x, &t, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "beta 2.8089e+306 is too large for a 2 x 2 image: the energy would "
                            "overflow (|h| + 4 |beta| + |eta| must be at most 1.12e+307)");
    /* The largest term is named: here h. */
    p = ising_params(1, 1, -2e307, 8);
    ck_assert_int_eq(pmk_ising_params_check_size(&p, 2, 2, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "h -2e+307 is too large for a 2 x 2 image: the energy would "
                            "overflow (|h| + 8 |beta| + |eta| must be at most 1.12e+307)");
    int8_t xo[4];
    pmk_ising_options o;
    pmk_ising_options_init_default(&o);
    ck_assert_int_eq(pmk_ising_denoise(&p, &o, 2, 2, x, xo, NULL, NULL, &e), PMK_EINVAL);
    p.eta = NAN;
    ck_assert_int_eq(pmk_ising_params_check(&p, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "eta must be a finite number, not nan");
}
END_TEST

START_TEST(test_noise_gaussian_too_large)
{
    pmk_rng *r = pmk_rng_alloc(NULL, 6);
    double v[2] = {1, 2};
    pmk_error e;
    /* sd = sigma * maxval: 1e15 is allowed, beyond it refused, v unchanged. */
    ck_assert_int_eq(pmk_ising_noise_gaussian(v, 2, 255, 2e13, r, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the noise level 2e+13 is too large (sigma * maxval must be at "
                            "most 1e15)");
    ck_assert(v[0] == 1 && v[1] == 2);
    ck_assert_int_eq(pmk_ising_noise_gaussian(v, 2, 1, 1e15, r, &e), PMK_OK);
    ck_assert(v[0] >= 0 && v[0] <= 1 && v[1] >= 0 && v[1] <= 1);
    pmk_rng_free(r);
}
END_TEST

/* The noise options: exactly one of flip and gauss, each in range, and the
 * threshold in [0, 1]. */
START_TEST(test_noise_options)
{
    pmk_ising_noise o;
    pmk_error e;
    pmk_ising_noise_init_default(&o);
    ck_assert(isnan(o.flip) && isnan(o.gauss) && o.threshold == 0);
    ck_assert_int_eq(pmk_ising_noise_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "give exactly one of flip and gauss");
    o.flip = 0.25;
    ck_assert_int_eq(pmk_ising_noise_check(&o, &e), PMK_OK);
    o.gauss = 0.1;
    ck_assert_int_eq(pmk_ising_noise_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "give exactly one of flip and gauss");
    o.flip = NAN;
    ck_assert_int_eq(pmk_ising_noise_check(&o, &e), PMK_OK);
    o.gauss = -1;
    ck_assert_int_eq(pmk_ising_noise_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the noise level must be >= 0, not -1");
    o.gauss = NAN;
    o.flip = 2;
    ck_assert_int_eq(pmk_ising_noise_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the flip probability must be in [0, 1], not 2");
    o.flip = 1;
    o.threshold = 1.5;
    ck_assert_int_eq(pmk_ising_noise_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "threshold 1.5 is not in [0, 1] (0 = none)");
    ck_assert_int_eq(pmk_spin_threshold_check(0, &e), PMK_OK);
    ck_assert_int_eq(pmk_spin_threshold_check(1, &e), PMK_OK);
    ck_assert_int_eq(pmk_spin_threshold_check(-0.5, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "threshold -0.5 is not in [0, 1] (0 = none)");
}
END_TEST

/* pmk_ising_noise_image: flips on spins, on a grey image binarised first
 * (levels 0, 100, 200, 255 at threshold 0.5: cut 127.5, black = +1 below),
 * Gaussian noise on grey levels only. */
START_TEST(test_noise_image)
{
    pmk_rng *r = pmk_rng_alloc(NULL, 8);
    pmk_error e;
    pmk_ising_noise o;
    pmk_ising_noise_init_default(&o);
    o.flip = 1;   /* every pixel: the result is known */
    pmk_spin_image *s = NULL;
    pmk_image *g = pmk_image_alloc(2, 2, 0, 255, NULL);
    const double lv[4] = {0, 100, 200, 255};
    for (int i = 0; i < 4; i++)
        gsl_matrix_set(g->pix, (size_t)i / 2, (size_t)i % 2, lv[i]);
    size_t count = 0;
    /* grey, no threshold: refused, the image kept */
    ck_assert_int_eq(pmk_ising_noise_image(&o, &s, &g, r, &count, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "grey image (maxval 255): a threshold is needed to binarise it");
    ck_assert(g != NULL && s == NULL);
    /* Gaussian noise of sd 0 keeps every level: 4 pixels noised */
    o.flip = NAN;
    o.gauss = 0;
    ck_assert_int_eq(pmk_ising_noise_image(&o, &s, &g, r, &count, &e), PMK_OK);
    ck_assert_uint_eq(count, 4);
    for (int i = 0; i < 4; i++)
        ck_assert(gsl_matrix_get(g->pix, (size_t)i / 2, (size_t)i % 2) == lv[i]);
    /* flips after thresholding at 0.5: spins +1 +1 -1 -1, all flipped */
    o.gauss = NAN;
    o.flip = 1;
    o.threshold = 0.5;
    ck_assert_int_eq(pmk_ising_noise_image(&o, &s, &g, r, &count, &e), PMK_OK);
    ck_assert(g == NULL && s != NULL);
    ck_assert_uint_eq(count, 4);
    const int8_t want[4] = {-1, -1, 1, 1};
    ck_assert_mem_eq(s->spins, want, 4);
    /* Gaussian noise on spins, or on a binary pmk_image: refused */
    o.flip = NAN;
    o.gauss = 0.1;
    const char *bin = "Gaussian noise needs a grey image; this one is binary (flip its pixels "
                      "instead)";
    ck_assert_int_eq(pmk_ising_noise_image(&o, &s, &g, r, &count, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, bin);
    g = pmk_image_alloc(2, 2, 1, 1, NULL);
    pmk_spin_image *none = NULL;
    ck_assert_int_eq(pmk_ising_noise_image(&o, &none, &g, r, &count, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, bin);
    /* a binary pmk_image takes flips through its own spins (all -1 here) */
    o.gauss = NAN;
    o.flip = 0.5;
    o.threshold = 0;
    ck_assert_int_eq(pmk_ising_noise_image(&o, &none, &g, r, NULL, &e), PMK_OK);
    ck_assert(g == NULL && none != NULL);
    int plus = 0;
    for (int i = 0; i < 4; i++)
        plus += none->spins[i] == 1;
    ck_assert_int_eq(plus, 2);
    /* bad options first */
    o.flip = 2;
    ck_assert_int_eq(pmk_ising_noise_image(&o, &none, &g, r, NULL, &e), PMK_EINVAL);
    pmk_spin_image_free(none);
    pmk_spin_image_free(s);
    pmk_rng_free(r);
}
END_TEST

/* The names round-trip; an unknown one lists them. */
/* pmk_ising_noise_read: the file read as the noise needs it; the noise's
 * complaint about the image names the file. */
START_TEST(test_noise_read)
{
    char path[600];
    snprintf(path, sizeof path, "%s/noise-read.pgm", test_tmpdir());
    static const char pgm[] = "P2\n2 2\n255\n0 255\n255 0\n";   /* 0 and maxval only */
    test_write_file(path, pgm, sizeof pgm - 1);
    pmk_rng *r = pmk_rng_alloc(NULL, 8);
    pmk_error e;
    pmk_ising_noise o;
    pmk_ising_noise_init_default(&o);
    pmk_spin_image *s = NULL;
    pmk_image *g = NULL;
    size_t count = 0;
    /* flips: read as binary, every pixel flipped */
    o.flip = 1;
    ck_assert_int_eq(pmk_ising_noise_read(&o, path, &s, &g, r, &count, &e), PMK_OK);
    ck_assert(s != NULL && g == NULL);
    ck_assert_uint_eq(count, 4);
    const int8_t want[4] = {-1, 1, 1, -1};
    ck_assert_mem_eq(s->spins, want, 4);
    pmk_spin_image_free(s);
    /* Gaussian noise of sd 0: read as levels, grey to it, kept */
    o.flip = NAN;
    o.gauss = 0;
    ck_assert_int_eq(pmk_ising_noise_read(&o, path, &s, &g, r, &count, &e), PMK_OK);
    ck_assert(s == NULL && g != NULL);
    ck_assert_uint_eq(count, 4);
    ck_assert(gsl_matrix_get(g->pix, 0, 1) == 255 && gsl_matrix_get(g->pix, 1, 1) == 0);
    pmk_image_free(g);
    /* a Gaussian level too large for maxval: PMK_EINVAL, unprefixed */
    o.gauss = 1e14;
    ck_assert_int_eq(pmk_ising_noise_read(&o, path, &s, &g, r, &count, &e), PMK_EINVAL);
    ck_assert(s == NULL && g == NULL);
    /* a PBM to Gaussian noise: the image's kind, named */
    snprintf(path, sizeof path, "%s/noise-read.pbm", test_tmpdir());
    test_write_file(path, "P1\n1 1\n1\n", 9);
    o.gauss = 0.1;
    ck_assert_int_eq(pmk_ising_noise_read(&o, path, &s, &g, r, &count, &e), PMK_EDATA);
    ck_assert(s == NULL && g == NULL);
    char msg[800];
    snprintf(msg, sizeof msg, "%s: Gaussian noise needs a grey image; this one is binary "
             "(flip its pixels instead)", path);
    ck_assert_str_eq(e.msg, msg);
    pmk_rng_free(r);
}
END_TEST

START_TEST(test_names)
{
    pmk_error e;
    pmk_ising_method m;
    pmk_ising_order o;
    for (int k = 0; k <= PMK_ISING_MINCUT; k++) {
        ck_assert_int_eq(pmk_ising_method_parse(pmk_ising_method_name((pmk_ising_method)k), &m,
                                                &e), PMK_OK);
        ck_assert_int_eq(m, k);
    }
    for (int k = 0; k <= PMK_ISING_CHECKERBOARD; k++) {
        ck_assert_int_eq(pmk_ising_order_parse(pmk_ising_order_name((pmk_ising_order)k), &o, &e),
                         PMK_OK);
        ck_assert_int_eq(o, k);
    }
    ck_assert_str_eq(pmk_ising_method_name(PMK_ISING_MEANFIELD), "meanfield");
    ck_assert_str_eq(pmk_ising_order_name(PMK_ISING_CHECKERBOARD), "checkerboard");
    ck_assert_ptr_null(pmk_ising_method_name((pmk_ising_method)4));
    ck_assert_ptr_null(pmk_ising_order_name((pmk_ising_order)3));
    m = PMK_ISING_ANNEAL;
    ck_assert_int_eq(pmk_ising_method_parse("ICM", &m, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "'ICM' is not one of icm, anneal, meanfield, mincut");
    ck_assert_int_eq(m, PMK_ISING_ANNEAL);
    ck_assert_int_eq(pmk_ising_order_parse("spiral", &o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "'spiral' is not one of raster, random, checkerboard");
}
END_TEST

/* pmk_ising_result_to_report on a hand-made ICM run of a 2 x 2 image: the
 * exact text and JSON (what `pmk ising denoise` prints), and mincut's
 * shorter text. */
START_TEST(test_result_report)
{
    pmk_ising_params p;
    pmk_ising_options o;
    pmk_ising_params_init_default(&p);
    pmk_ising_options_init_default(&o);
    pmk_ising_sweep tr[2] = {{1, 1, -5.5, 0, 0, 1}, {2, 0, -5.5, 0, 0, 1}};
    pmk_ising_result res = {2, 2, 2, 1, -3, -5.5, 1, 1, 0.25, tr, 2, NULL};
    char *buf = NULL;
    size_t len = 0;
    pmk_error e;
    for (int json = 0; json < 2; json++) {
        FILE *f = open_memstream(&buf, &len);
        pmk_report *r = pmk_report_new();
        pmk_ising_result_to_report(&p, &o, &res, "c.pbm", 0.5, r);
        ck_assert_int_eq(pmk_report_write(r, f, json, &e), PMK_OK);
        pmk_report_free(r);
        fclose(f);
        ck_assert_str_eq(buf, json ? "{\"method\": \"icm\", \"order\": \"raster\", \"neighbours\": 4, "
                                     "\"levels\": 0, \"beta\": 1, \"eta\": 2.1000000000000001, "
                                     "\"h\": 0, \"width\": 2, \"height\": 2, \"sweeps\": 2, "
                                     "\"converged\": true, \"energy_initial\": -3, \"energy\": "
                                     "-5.5, \"changed\": 1, \"errors\": 1, \"error\": 0.25, "
                                     "\"seconds\": 0.5, \"changed_per_sweep\": [1, 0], "
                                     "\"energy_per_sweep\": [-5.5, -5.5], \"error_per_sweep\": "
                                     "[0.25, 0.25]}\n"
                                   : "method icm (raster order), 4 neighbours, beta 1, eta 2.1, h 0\n"
                                     "sweeps 2 (converged)\n"
                                     "  sweep 1: changed 1, energy -5.5, error 25.0000%\n"
                                     "  sweep 2: changed 0, energy -5.5, error 25.0000%\n"
                                     "energy -3 -> -5.5\n"
                                     "changed 1 of 4 pixels\n"
                                     "error 25.0000% (1 of 4 pixels differ from c.pbm)\n");
        free(buf);
        buf = NULL;
    }
    o.method = PMK_ISING_MINCUT;
    p.levels = 3;
    res.sweeps = 0, res.ntrace = 0, res.converged = 0;
    FILE *f = open_memstream(&buf, &len);
    pmk_report *r = pmk_report_new();
    pmk_ising_result_to_report(&p, &o, &res, NULL, 0.5, r);
    ck_assert_int_eq(pmk_report_write(r, f, 0, &e), PMK_OK);
    pmk_report_free(r);
    fclose(f);
    ck_assert_str_eq(buf, "method mincut, 4 neighbours, 3 levels, beta 1, eta 2.1, h 0\n"
                          "energy -3 -> -5.5\nchanged 1 of 4 pixels\n");
    free(buf);
}
END_TEST

/* pmk_ising_method_list_parse: order kept, and each bad list's message. */
START_TEST(test_method_list)
{
    pmk_ising_method m[4];
    size_t n = 9;
    pmk_error e;
    ck_assert_int_eq(pmk_ising_method_list_parse("mincut,icm,meanfield,anneal", m, &n, &e),
                     PMK_OK);
    ck_assert_uint_eq(n, 4);
    ck_assert_int_eq(m[0], PMK_ISING_MINCUT);
    ck_assert_int_eq(m[1], PMK_ISING_ICM);
    ck_assert_int_eq(m[2], PMK_ISING_MEANFIELD);
    ck_assert_int_eq(m[3], PMK_ISING_ANNEAL);
    ck_assert_int_eq(pmk_ising_method_list_parse("anneal", m, &n, &e), PMK_OK);
    ck_assert_uint_eq(n, 1);
    const char *bad[][2] = {{"", "an empty name in the method list ''"},
                            {"icm,", "an empty name in the method list 'icm,'"},
                            {"icm,,mincut", "an empty name in the method list 'icm,,mincut'"},
                            {"icm,mincut,icm", "'icm' is listed twice"},
                            {"icm,Anneal", "'Anneal' is not one of icm, anneal, meanfield, mincut"},
                            {"icm,simulatedannealing",
                             "'simulatedannealing' is not one of icm, anneal, meanfield, mincut"}};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        n = 7;
        ck_assert_int_eq(pmk_ising_method_list_parse(bad[k][0], m, &n, &e), PMK_EINVAL);
        ck_assert_str_eq(e.msg, bad[k][1]);
        ck_assert_uint_eq(n, 7);
    }
}
END_TEST

/* pmk_ising_check: both checks, then mincut needs beta >= 0 (0 is fine). */
START_TEST(test_check)
{
    pmk_error e;
    pmk_ising_params p = ising_params(-0.5, 2.1, 0, 4);
    pmk_ising_options o;
    pmk_ising_options_init_default(&o);
    ck_assert_int_eq(pmk_ising_check(&p, &o, &e), PMK_OK);
    o.method = PMK_ISING_MINCUT;
    ck_assert_int_eq(pmk_ising_check(&p, &o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "mincut needs beta >= 0 (beta = -0.5 makes the energy "
                            "non-submodular); use icm, anneal or meanfield");
    p.beta = 0;
    ck_assert_int_eq(pmk_ising_check(&p, &o, &e), PMK_OK);
    p.neighbours = 6;
    ck_assert_int_eq(pmk_ising_check(&p, &o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "neighbours must be 4 or 8, not 6");
    p.neighbours = 8;
    o.damping = 0;
    ck_assert_int_eq(pmk_ising_check(&p, &o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the damping must be in (0, 1], not 0");
}
END_TEST

void suite_ising_noise(Suite *s)
{
    TCase *tc = tcase_create("noise");
    tcase_add_test(tc, test_noise_flip_exact_count);
    tcase_add_test(tc, test_noise_flip_uniform);
    tcase_add_test(tc, test_noise_gaussian_clips);
    tcase_add_test(tc, test_noise_gaussian_too_large);
    tcase_add_test(tc, test_params_size_bound);
    tcase_add_test(tc, test_noise_options);
    tcase_add_test(tc, test_noise_image);
    tcase_add_test(tc, test_noise_read);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_check);
    tcase_add_test(tc, test_result_report);
    tcase_add_test(tc, test_method_list);
    suite_add_tcase(s, tc);
}
