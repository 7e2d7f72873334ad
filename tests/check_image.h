/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_image.h: the image tests' shared fixture (check_image_fixture.c). */
#ifndef PMK_CHECK_IMAGE_H
#define PMK_CHECK_IMAGE_H

#include "check_pmk.h"
#include "pmk/pmk.h"

/* The current test's folder, made by img_setup and removed by img_teardown. */
extern char img_dir[256];
void img_setup(void);
void img_teardown(void);
/* A path in the test's folder (a static buffer, valid until the next call). */
const char *img_tpath(const char *name);
/* Writes @p len bytes to @p name in the folder and reads them as an image:
 * the status; *img gets the image (NULL on failure). */
int img_read_bytes(const char *name, const void *data, size_t len, pmk_image **img,
                   pmk_error *e);
/* The bytes must fail with @p code and the message PATH + @p tail. */
void img_expect_bad(const char *name, const void *data, size_t len, int code, const char *tail);
#define EXPECT_BAD(name, lit, code, tail) img_expect_bad(name, lit, sizeof(lit) - 1, code, tail)
/* @p img holds exactly the h x w values @p v (row-major). */
void img_assert_pixels(const pmk_image *img, size_t w, size_t h, const double *v);
int img_same_matrix(const gsl_matrix *a, const gsl_matrix *b);
/* A 13 x 5 binary image (P4 and 1-bit PNG rows end in padding bits). */
pmk_image *img_make_binary(void);
/* A 7 x 4 grey image using 0, maxval and levels in between. */
pmk_image *img_make_grey(unsigned maxval);
/* The second half of the image suite (check_image_bad.c). */
void suite_image_more(Suite *s);

#endif
