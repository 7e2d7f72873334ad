/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_ising_bits.c: the bit-packed checkerboard ICM (ising_bits.c) against
 * the byte path and the plain per-pixel rule: the same image, trace and
 * error counts, on every thread count. */
#include "config.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "check_ising.h"
#include "core/core_internal.h"
#include "models/ising_internal.h"

/* The three ICM paths on y (W x H, 4 neighbours, checkerboard), with
 * T threads for the bit-packed one: images, traces (changed counts,
 * energies, errors against truth) and the start energy must be equal. */
static void three_paths(const pmk_ising_params *p, size_t W, size_t H, const int8_t *y,
                        const int8_t *truth, size_t max_sweeps, int T)
{
    size_t n = W * H;
    int8_t *a = malloc(n), *b = malloc(n), *c = malloc(n);
    pmk_ising_options o;
    pmk_ising_options_init_default(&o);
    o.order = PMK_ISING_CHECKERBOARD;
    o.max_sweeps = max_sweeps;
    o.truth = truth;
    o.threads = 1;
    pmk_ising_result ra = {0}, rb = {0}, rc = {0};
    ck_assert_int_eq(pmk_ising_icm_reference(p, &o, W, H, y, a, NULL, &ra, NULL), PMK_OK);
    ck_assert_int_eq(ising_icm_bytes(p, &o, W, H, y, b, &rb, NULL), PMK_OK);
    ck_assert_int_eq(ising_icm_bits(p, &o, W, H, y, c, T, &rc, NULL), PMK_OK);
    ck_assert_mem_eq(a, b, n);
    ck_assert_mem_eq(a, c, n);
    ck_assert(ra.energy_initial == rc.energy_initial);
    ck_assert_uint_eq(ra.ntrace, rb.ntrace);
    ck_assert_uint_eq(ra.ntrace, rc.ntrace);
    ck_assert_uint_eq(ra.sweeps, rc.sweeps);
    ck_assert_int_eq(ra.converged, rc.converged);
    for (size_t s = 0; s < ra.ntrace; s++) {
        ck_assert_uint_eq(ra.trace[s].sweep, rc.trace[s].sweep);
        ck_assert_uint_eq(ra.trace[s].changed, rb.trace[s].changed);
        ck_assert_uint_eq(ra.trace[s].changed, rc.trace[s].changed);
        ck_assert(ra.trace[s].energy == rb.trace[s].energy);
        ck_assert(ra.trace[s].energy == rc.trace[s].energy);
        ck_assert_uint_eq(ra.trace[s].errors, rc.trace[s].errors);
    }
    pmk_ising_result_clear(&ra);
    pmk_ising_result_clear(&rb);
    pmk_ising_result_clear(&rc);
    free(a);
    free(b);
    free(c);
}

/* Random images (each spin +1 with probability 0.3, 0.5 or 0.8) of odd and
 * even sides, 1 x 1, 1 x N, N x 1 and widths around word boundaries (the
 * planes hold ceil(W / 2) bits: 63, 64, 65, 127, 128, 129, 257), with ties
 * (eta = 2, h = 0; eta = 0; beta = h = 0), beta = 0 and a field h. */
START_TEST(test_bits_equal_bytes_and_reference)
{
    const double par[][3] = {{1, 2.1, 0}, {1, 2, 0}, {1, 1, 1},     {0.3, 1.7, -0.2},
                             {0, 1, 0.5}, {2.5, 0.4, 0}, {1, 0, 0}, {0, 0, 0}, {0.5, 1, -0.5}};
    const size_t dims[][2] = {{1, 1},  {1, 17},  {17, 1}, {2, 2},   {3, 3},  {2, 7},
                              {7, 2},  {63, 5},  {64, 6}, {65, 7},  {127, 3}, {128, 4},
                              {129, 9}, {257, 2}, {130, 1}, {31, 29}};
    pmk_rng *r = pmk_rng_alloc(NULL, 11);
    for (size_t t = 0; t < sizeof dims / sizeof dims[0]; t++) {
        size_t W = dims[t][0], H = dims[t][1], n = W * H;
        int8_t *y = malloc(n), *truth = malloc(n);
        for (int seed = 0; seed < 3; seed++) {
            ising_random_spins(r, y, n, seed == 0 ? 0.3 : seed == 1 ? 0.5 : 0.8);
            ising_random_spins(r, truth, n, 0.5);
            for (size_t k = 0; k < sizeof par / sizeof par[0]; k++) {
                pmk_ising_params p = ising_params(par[k][0], par[k][1], par[k][2], 4);
                three_paths(&p, W, H, y, seed == 1 ? truth : NULL, 100, 1);
                three_paths(&p, W, H, y, NULL, 1 + (size_t)seed, 1);
            }
        }
        free(y);
        free(truth);
    }
    pmk_rng_free(r);
}
END_TEST

/* For each W x H of @p dims: y with a fraction @p p_minus of -1s and a random
 * truth, through three_paths on 1 to 5 threads with beta 1, eta 2 (ties):
 * with the truth to @p sweeps sweeps, without it to @p sweeps_plain; and,
 * when @p also_q, with beta 0.8, eta 1.1, h 0.2 and the truth for 1 sweep. */
static void paths_on_dims(const size_t (*dims)[2], size_t count, unsigned long seed,
                          double p_minus, size_t sweeps, size_t sweeps_plain, int also_q)
{
    pmk_rng *r = pmk_rng_alloc(NULL, seed);
    for (size_t t = 0; t < count; t++) {
        size_t W = dims[t][0], H = dims[t][1], n = W * H;
        int8_t *y = malloc(n), *truth = malloc(n);
        ising_random_spins(r, y, n, p_minus);
        ising_random_spins(r, truth, n, 0.5);
        pmk_ising_params p = ising_params(1, 2, 0, 4);   /* ties */
        pmk_ising_params q = ising_params(0.8, 1.1, 0.2, 4);
        for (int T = 1; T <= 5; T++) {
            three_paths(&p, W, H, y, truth, sweeps, T);
            three_paths(&p, W, H, y, NULL, sweeps_plain, T);
            if (also_q)
                three_paths(&q, W, H, y, truth, 1, T);
        }
        free(y);
        free(truth);
    }
    pmk_rng_free(r);
}

/* 1 to 5 threads, more threads than rows included (3 x 2, 129 x 3): the
 * same image, trace and errors as one thread and as the byte path. */
START_TEST(test_bits_any_threads)
{
    const size_t dims[][2] = {{3, 2}, {129, 3}, {65, 37}, {200, 11}, {64, 64}};
    paths_on_dims(dims, sizeof dims / sizeof dims[0], 12, 0.45, 100, 2, 0);
}
END_TEST

/* A 4 x 3 image by hand (beta 1, eta 0.5, h 0: the neighbours outvote y):
 * the first sweep turns the lone -1 inside +1s and the lone +1 in the
 * corner, and the second sweep changes nothing. */
START_TEST(test_bits_hand)
{
    const int8_t y[12] = {1, 1, 1, -1, /* */ 1, -1, 1, 1, /* */ 1, 1, 1, 1};
    int8_t x[12];
    pmk_ising_params p = ising_params(1, 0.5, 0, 4);
    pmk_ising_options o;
    pmk_ising_options_init_default(&o);
    o.order = PMK_ISING_CHECKERBOARD;
    pmk_ising_result res = {0};
    ck_assert_int_eq(ising_icm_bits(&p, &o, 4, 3, y, x, 1, &res, NULL), PMK_OK);
    for (int i = 0; i < 12; i++)
        ck_assert_int_eq(x[i], 1);
    ck_assert_uint_eq(res.ntrace, 2);
    ck_assert_uint_eq(res.trace[0].changed, 2);
    ck_assert_uint_eq(res.trace[1].changed, 0);
    /* all +1: S1 = 12, S2 = 17 pairs, S3 = 10 - 2 (y has two -1s); h = 0 */
    ck_assert(res.trace[1].energy == -17.0 - 0.5 * 8);
    ck_assert_int_eq(res.converged, 1);
    pmk_ising_result_clear(&res);
}
END_TEST

/* An image of more than 2^18 pixels (the blocks pmk_ising_denoise's check
 * of y and its counts share among threads): on 1 to 3 threads the changed
 * pixels and errors are the ones counted here, and a bad spin in the second
 * block is found where it is. */
START_TEST(test_denoise_counts_any_threads)
{
    enum { W = 513, H = 512 };
    size_t n = (size_t)W * H;
    int8_t *y = malloc(n), *x = malloc(n), *truth = malloc(n);
    pmk_rng *r = pmk_rng_alloc(NULL, 13);
    ising_random_spins(r, y, n, 0.5);
    ising_random_spins(r, truth, n, 0.5);
    pmk_rng_free(r);
    pmk_ising_params p = ising_params(1, 2.1, 0, 4);
    for (int T = 1; T <= 3; T++) {
        pmk_ising_options o;
        pmk_ising_options_init_default(&o);
        o.order = PMK_ISING_CHECKERBOARD;
        o.truth = truth;
        o.threads = T;
        pmk_ising_result res = {0};
        ck_assert_int_eq(pmk_ising_denoise(&p, &o, W, H, y, x, NULL, &res, NULL), PMK_OK);
        size_t ch = 0, er = 0;
        for (size_t i = 0; i < n; i++) {
            ch += x[i] != y[i];
            er += x[i] != truth[i];
        }
        ck_assert_uint_gt(ch, 0);
        ck_assert_uint_eq(res.changed, ch);
        ck_assert_uint_eq(res.errors, er);
        ck_assert_uint_eq(res.trace[res.ntrace - 1].errors, er);
        pmk_ising_result_clear(&res);
        y[262500] = 3;   /* in block 2: row 512 (1-based), column 358 */
        pmk_error e;
        ck_assert_int_eq(pmk_ising_denoise(&p, &o, W, H, y, x, NULL, NULL, &e), PMK_EINVAL);
        ck_assert_str_eq(e.msg, "observed image: spin at row 512, column 358 is 3, not -1 or +1");
        y[262500] = 1;
    }
    free(y);
    free(x);
    free(truth);
}
END_TEST

/* Where the run keeps its bit planes: in x's own rows when a row of them
 * (k = 2, or 3 with a truth, times S = 2 ceil(ceil(W / 2) / 64) words) and
 * 63 bytes of alignment fit in W bytes, else in a buffer of its own.  100
 * wide takes x without a truth and the buffer with one; 1 wide, 17 and 64
 * always the buffer; 150, 200, 333 and 1000 always x.  Bands of one row (5
 * threads on 5 or 7 rows), one row, odd widths off the word size: the
 * same image, trace and errors as the byte path and the plain rule, on 1
 * to 5 threads. */
START_TEST(test_bits_bands_in_x)
{
    const size_t dims[][2] = {{100, 9}, {150, 5}, {200, 7}, {333, 6}, {1000, 3},
                              {300, 1}, {1, 40},  {17, 12}, {64, 10}};
    paths_on_dims(dims, sizeof dims / sizeof dims[0], 14, 0.4, 100, 100, 1);
}
END_TEST

/* x overlapping the truth (here: the same buffer, holding it) makes the
 * run keep its planes apart: the image and the error counts are those of
 * a run with the truth elsewhere. */
START_TEST(test_bits_x_is_truth)
{
    enum { W = 200, H = 7 };
    int8_t y[W * H], truth[W * H], a[W * H], b[W * H];
    pmk_rng *r = pmk_rng_alloc(NULL, 15);
    ising_random_spins(r, y, W * H, 0.4);
    ising_random_spins(r, truth, W * H, 0.5);
    pmk_rng_free(r);
    pmk_ising_params p = ising_params(1, 2.1, 0, 4);
    pmk_ising_options o;
    pmk_ising_options_init_default(&o);
    o.order = PMK_ISING_CHECKERBOARD;
    o.truth = truth;
    pmk_ising_result ra = {0}, rb = {0};
    ck_assert_int_eq(ising_icm_bits(&p, &o, W, H, y, a, 3, &ra, NULL), PMK_OK);
    memcpy(b, truth, sizeof b);
    o.truth = b;
    ck_assert_int_eq(ising_icm_bits(&p, &o, W, H, y, b, 3, &rb, NULL), PMK_OK);
    ck_assert_mem_eq(a, b, sizeof a);
    ck_assert_uint_gt(ra.errors, 0);
    ck_assert_uint_eq(ra.errors, rb.errors);
    ck_assert_uint_eq(ra.changed, rb.changed);
    ck_assert_uint_eq(ra.ntrace, rb.ntrace);
    for (size_t s = 0; s < ra.ntrace; s++)
        ck_assert_uint_eq(ra.trace[s].errors, rb.trace[s].errors);
    pmk_ising_result_clear(&ra);
    pmk_ising_result_clear(&rb);
}
END_TEST

/* The check of y done while packing: a bad spin in the last of 3 bands
 * (row 8 of 9), in the first (row 1, the last column) and in a 1-wide
 * image is found where it is, with pmk_ising_denoise's message; and
 * before pmk_ising_denoise's check of the parameters against the size. */
START_TEST(test_bits_bad_spin)
{
    enum { W = 200, H = 9 };
    int8_t y[W * H], x[W * H];
    for (size_t i = 0; i < W * H; i++)
        y[i] = i % 3 ? 1 : -1;
    pmk_ising_params p = ising_params(1, 2.1, 0, 4);
    pmk_ising_options o;
    pmk_ising_options_init_default(&o);
    o.order = PMK_ISING_CHECKERBOARD;
    pmk_ising_result res = {0};
    pmk_error e;
    const size_t at[3][2] = {{7 * W + 4, W}, {W - 1, W}, {5, 1}};
    const char *msg[3] = {"observed image: spin at row 8, column 5 is 0, not -1 or +1",
                          "observed image: spin at row 1, column 200 is 0, not -1 or +1",
                          "observed image: spin at row 6, column 1 is 0, not -1 or +1"};
    for (int k = 0; k < 3; k++) {
        size_t w = at[k][1];
        int8_t old = y[at[k][0]];
        y[at[k][0]] = 0;
        for (int T = 1; T <= 3; T++) {
            ck_assert_int_eq(ising_icm_bits(&p, &o, w, H, y, x, T, &res, &e), PMK_EINVAL);
            ck_assert_str_eq(e.msg, msg[k]);
            pmk_ising_result_clear(&res);
        }
        o.threads = 3;
        ck_assert_int_eq(pmk_ising_denoise(&p, &o, w, H, y, x, NULL, &res, &e), PMK_EINVAL);
        ck_assert_str_eq(e.msg, msg[k]);
        pmk_ising_params big = ising_params(1e308, 2.1, 0, 4);   /* too large for W H */
        ck_assert_int_eq(pmk_ising_denoise(&big, &o, w, H, y, x, NULL, &res, &e), PMK_EINVAL);
        ck_assert_str_eq(e.msg, msg[k]);
        y[at[k][0]] = old;
        ck_assert_int_eq(pmk_ising_denoise(&big, &o, w, H, y, x, NULL, &res, &e), PMK_EINVAL);
        ck_assert_ptr_nonnull(strstr(e.msg, "too large"));
    }
}
END_TEST

/* pmk_threads_start: the team's size (the count asked for with OpenMP, 1
 * for a count of 1, a negative one or without OpenMP); the bit-packed runs
 * after it, whose threads move off thread 0's CPU (core_thread_apart), give
 * the one-thread images and traces; core_thread_apart leaves the caller's
 * affinity mask as it was (nothing pinned), also when it moves it, and does
 * nothing for CPU -1. */
START_TEST(test_threads_start)
{
    const int omp = pmk_threads_openmp();
    ck_assert_int_eq(pmk_threads_start(1), 1);
    ck_assert_int_eq(pmk_threads_start(-2), 1);
    ck_assert_int_eq(pmk_threads_start(3), omp ? 3 : 1);
    ck_assert_int_eq(pmk_threads_start(2), omp ? 2 : 1);
    const size_t dims[][2] = {{65, 37}, {200, 11}};
    paths_on_dims(dims, 2, 14, 0.4, 100, 3, 1);
#if defined(__linux__) && defined(CPU_COUNT)
    cpu_set_t before, after;
    ck_assert_int_eq(sched_getaffinity(0, sizeof before, &before), 0);
    core_thread_apart(-1);
    core_thread_apart(core_thread_cpu());   /* moves this thread when it can */
    ck_assert_int_eq(sched_getaffinity(0, sizeof after, &after), 0);
    ck_assert(CPU_EQUAL(&before, &after));
#endif
}
END_TEST

void suite_ising_bits(Suite *s)
{
    TCase *tc = tcase_create("icm_bits");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_bits_equal_bytes_and_reference);
    tcase_add_test(tc, test_bits_any_threads);
    tcase_add_test(tc, test_bits_hand);
    tcase_add_test(tc, test_denoise_counts_any_threads);
    tcase_add_test(tc, test_bits_bands_in_x);
    tcase_add_test(tc, test_bits_x_is_truth);
    tcase_add_test(tc, test_bits_bad_spin);
    tcase_add_test(tc, test_threads_start);
    suite_add_tcase(s, tc);
}
