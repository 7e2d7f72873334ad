/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_pmk.h: the suites of the one Check runner, and helpers they share. */
#ifndef PMK_CHECK_PMK_H
#define PMK_CHECK_PMK_H

#include <check.h>
#include <stddef.h>

Suite *suite_core(void);
Suite *suite_stream(void);
Suite *suite_record(void);
Suite *suite_report(void);
Suite *suite_csv(void);
TCase *tcase_csv_limits(void);   /* check_csv_limits.c, part of suite_csv */
TCase *tcase_csv_simd(void);     /* check_csv_simd.c, part of suite_csv */
TCase *tcase_csv_seek(void);     /* check_csv_seek.c, part of suite_csv */
Suite *suite_readers(void);
Suite *suite_idx(void);
Suite *suite_dataset(void);
Suite *suite_image(void);
Suite *suite_spins(void);
Suite *suite_gnb(void);
Suite *suite_rbm(void);
/* The rbm suite's second half (check_rbm_train.c), and the model both use: a
 * D x H model with W ~ N(0, scale^2), b, a ~ N(0, 1), from seed. */
void suite_rbm_training(Suite *s);
/* The rbm suite's third part (check_rbm_draw.c): data, sampling, pictures, export. */
void suite_rbm_draw(Suite *s);
/* The rbm suite's fourth part (check_rbm_run.c): the training run from a table. */
void suite_rbm_run(Suite *s);
/* Data-parallel RBM training (check_rbm_parallel.c): the reduce hook. */
void suite_rbm_parallel(Suite *s);
void suite_rbm_resume(Suite *s);
void suite_rbm_gauss(Suite *s);

struct pmk_rbm *check_rbm_random_model(size_t d, size_t h, double scale,
                                       unsigned long seed);
Suite *suite_ising(void);
Suite *suite_reentrant(void);
Suite *suite_progress(void);
Suite *suite_threads(void);
TCase *tcase_threads_gnb(void);   /* check_threads_gnb.c: in suite_threads */
TCase *tcase_threads_rbm(void);   /* check_threads_rbm.c: in suite_threads */
Suite *suite_plot(void);
Suite *suite_vecf(void);   /* check_vecf.c: the RBM trainer's vector kernels */
Suite *suite_decimal(void);   /* check_decimal.c: exact model-file number conversions */

/* Path of a file in the source tree ($PMK_TOP_SRCDIR/<rel>), in a static buffer
 * that the next call overwrites. */
const char *test_srcpath(const char *rel);

/* A fresh, empty temporary folder for this test (removed by the OS's /tmp
 * policy; tests remove what they create). */
const char *test_tmpdir(void);

/* Writes @p len bytes to @p path (creating or truncating it); aborts the test
 * on failure. */
void test_write_file(const char *path, const void *data, size_t len);

/* Switches LC_ALL to de_DE.UTF-8, whose decimal point is ',': the locale is
 * compiled with localedef once per runner, into a folder its tests share
 * (localedef took over a minute under load, once a test).  0 when it cannot
 * be had (no localedef, no de_DE source): the caller skips, saying so. */
int test_de_locale(void);

/* Reads a whole file into a malloc'ed buffer (NUL-terminated); *len gets its size. */
char *test_read_file(const char *path, size_t *len);

#endif
