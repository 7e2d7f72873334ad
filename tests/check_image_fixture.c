/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_image_fixture.c: what the image and spin suites share: a test folder
 * per test, paths in it, reading given bytes as an image, the expected
 * failure of bad bytes, pixel comparisons and two small images. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_image.h"

char img_dir[256];
char img_pathbuf[512];

void img_setup(void)
{
    snprintf(img_dir, sizeof img_dir, "%s", test_tmpdir());
}

void img_teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", img_dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* A path in this test's folder (buffer). */
const char *img_tpath(const char *name)
{
    snprintf(img_pathbuf, sizeof img_pathbuf, "%s/%s", img_dir, name);
    return img_pathbuf;
}

/* Writes @p len bytes to a file @p name in the test folder and reads it as an
 * image.  Returns the status; *img gets the image (NULL on failure). */
int img_read_bytes(const char *name, const void *data, size_t len, pmk_image **img,
                      pmk_error *e)
{
    test_write_file(img_tpath(name), data, len);
    pmk_error_clear(e);
    return pmk_image_read(img_tpath(name), img, e);
}

/* The bytes must fail with @p code and the message PATH + @p tail. */
void img_expect_bad(const char *name, const void *data, size_t len, int code,
                       const char *tail)
{
    pmk_error e;
    pmk_image *img = (pmk_image *)0x1;
    int rc = img_read_bytes(name, data, len, &img, &e);
    char want[1024];
    snprintf(want, sizeof want, "%s%s", img_tpath(name), tail);
    ck_assert_msg(rc == code, "%s: status %d, wanted %d (%s)", name, rc, code, e.msg);
    ck_assert_int_eq(e.code, code);
    ck_assert_str_eq(e.msg, want);
    ck_assert_ptr_null(img);
}

/* Asserts that image @p img holds exactly the h x w values @p v (row-major). */
void img_assert_pixels(const pmk_image *img, size_t w, size_t h, const double *v)
{
    ck_assert_uint_eq(img->width, w);
    ck_assert_uint_eq(img->height, h);
    ck_assert_uint_eq(img->pix->size1, h);
    ck_assert_uint_eq(img->pix->size2, w);
    for (size_t r = 0; r < h; r++)
        for (size_t c = 0; c < w; c++)
            ck_assert_msg(gsl_matrix_get(img->pix, r, c) == v[r * w + c],
                          "pixel (%zu, %zu) is %g, wanted %g", r, c,
                          gsl_matrix_get(img->pix, r, c), v[r * w + c]);
}

int img_same_matrix(const gsl_matrix *a, const gsl_matrix *b)
{
    if (a->size1 != b->size1 || a->size2 != b->size2)
        return 0;
    for (size_t r = 0; r < a->size1; r++)
        for (size_t c = 0; c < a->size2; c++)
            if (gsl_matrix_get(a, r, c) != gsl_matrix_get(b, r, c))
                return 0;
    return 1;
}

/* A 13 x 5 binary image (13 is not a multiple of 8: P4 and 1-bit PNG rows
 * end in padding bits) with an irregular pattern. */
pmk_image *img_make_binary(void)
{
    pmk_image *img = pmk_image_alloc(13, 5, 1, 1, NULL);
    ck_assert_ptr_nonnull(img);
    for (size_t r = 0; r < 5; r++)
        for (size_t c = 0; c < 13; c++)
            gsl_matrix_set(img->pix, r, c, ((r * 7 + c * c) % 3 == 0) ? 1.0 : -1.0);
    return img;
}

/* A 7 x 4 grey image using 0, maxval and levels in between. */
pmk_image *img_make_grey(unsigned maxval)
{
    pmk_image *img = pmk_image_alloc(7, 4, 0, maxval, NULL);
    ck_assert_ptr_nonnull(img);
    for (size_t r = 0; r < 4; r++)
        for (size_t c = 0; c < 7; c++)
            gsl_matrix_set(img->pix, r, c,
                           (double)(((r * 7 + c) * 2654435761u) % (maxval + 1u)));
    gsl_matrix_set(img->pix, 0, 0, 0);
    gsl_matrix_set(img->pix, 3, 6, maxval);
    return img;
}
