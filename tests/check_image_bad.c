/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_image_bad.c: the image suite's second half: every bad input with its
 * exact message and status, write errors, thresholding, montage and
 * side-by-side pictures. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <png.h>
#include <zlib.h>

#include "check_image.h"

/* ---------------------------------------------------------------- bad input */

START_TEST(test_bad_headers)
{
    EXPECT_BAD("magic.pgm", "XY 3 2\n", PMK_EFORMAT,
               ": not a PBM, PGM or PNG image (unknown magic bytes 58 59)");
    img_expect_bad("empty.pgm", "", 0, PMK_EFORMAT, ": empty file, not an image");
    EXPECT_BAD("ppm.pgm", "P6\n1 1\n255\nabc", PMK_EUNSUP,
               ": PPM (P6) colour images are not supported; convert to PGM or PNG");
    EXPECT_BAD("h.pgm", "P2\n3 x\n", PMK_EFORMAT,
               ":2:3: bad height: expected a decimal number, found 'x'");
    EXPECT_BAD("w.pbm", "P4\n3x2\n", PMK_EFORMAT,
               ":2:2: bad width: expected whitespace after the number, found 'x'");
    EXPECT_BAD("m.pgm", "P5\n3 2\n", PMK_EFORMAT,
               ":3: end of file in the header, expected the maxval");
    EXPECT_BAD("m2.pbm", "P1 #c\n", PMK_EFORMAT,
               ":2: end of file in the header, expected the width");
    EXPECT_BAD("m3.pgm", "P2 3 2 #", PMK_EFORMAT,
               ":1: end of file in the header, expected the maxval");
    EXPECT_BAD("max0.pgm", "P5 3 2 0\n", PMK_EFORMAT, ":1:8: maxval 0 is out of range 1..65535");
    EXPECT_BAD("maxbig.pgm", "P2\n3 2\n  65536\n", PMK_EFORMAT,
               ":3:3: maxval 65536 is out of range 1..65535");
    EXPECT_BAD("w0.pbm", "P4\n0 5\n", PMK_EFORMAT, ":2:1: width is 0");
    EXPECT_BAD("h0.pbm", "P4\n5 0\n", PMK_EFORMAT, ":2:3: height is 0");
    EXPECT_BAD("w32.pbm", "P4\n4294967296 1\n", PMK_ELIMIT,
               ":2:1: width 4294967296 is too large (more than 2147483647)");
    EXPECT_BAD("w40.pbm", "P4\n1 99999999999999999999999\n", PMK_ELIMIT,
               ":2:3: height is too large (more than 2147483647)");
    EXPECT_BAD("ovf.pgm", "P5\n2147483647 2147483647\n255\n", PMK_ELIMIT,
               ":2:1: PGM image of 2147483647 x 2147483647 pixels is too large (the pixel "
               "count overflows)");
}
END_TEST

START_TEST(test_bad_rasters)
{
    /* The 40-byte PGM claiming 100000 x 100000 = 10^10 bytes of raster: its
     * header is 21 bytes, 19 follow.  Refused from the file size, before any
     * allocation (allocating would need 80 GB for the matrix). */
    static const char huge[] = "P5\n100000 100000\n255\n0123456789abcdefghi";
    ck_assert_uint_eq(sizeof huge - 1, 40);
    EXPECT_BAD("huge.pgm", huge, PMK_ELIMIT,
               ": header claims 100000 x 100000 pixels (10000000000 bytes of raster) but "
               "only 19 bytes follow it");
    EXPECT_BAD("huge.pbm", "P1\n100000 100000\n0101", PMK_ELIMIT,
               ": header claims 100000 x 100000 pixels (at least 10000000000 bytes of "
               "raster) but only 4 bytes follow it");
    /* Short rasters: 4 x 2 P5 needs 8 bytes, has 6; 16 x 3 P4 needs 6, has 5. */
    EXPECT_BAD("short.pgm", "P5\n4 2\n255\nabcdef", PMK_EFORMAT,
               ": short raster: expected 8 bytes of raster, found 6");
    EXPECT_BAD("short.pbm", "P4\n16 3\n\x01\x02\x03\x04\x05", PMK_EFORMAT,
               ": short raster: expected 6 bytes of raster, found 5");
    EXPECT_BAD("short16.pgm", "P5\n2 2\n1000\n\x00\x01\x00\x02\x00\x03\x00", PMK_EFORMAT,
               ": short raster: expected 8 bytes of raster, found 7");
    EXPECT_BAD("short1.pbm", "P1\n3 3\n010\n01\n", PMK_EFORMAT,
               ":4: short raster: expected 9 samples, found 5 (end of file)");
    EXPECT_BAD("short2.pgm", "P2\n2 2\n9\n1 2\n3", PMK_EFORMAT,
               ":5: short raster: expected 4 samples, found 3 (end of file)");
    /* Samples above maxval, raw and plain. */
    EXPECT_BAD("over16.pgm", "P5\n2 1\n1000\n\x03\xe8\x03\xe9", PMK_EFORMAT,
               ": sample 1001 at row 1, column 2 exceeds maxval 1000");
    EXPECT_BAD("over8.pgm", "P5\n2 2\n100\n\x01\x02\x03\x65", PMK_EFORMAT,
               ": sample 101 at row 2, column 2 exceeds maxval 100");
    EXPECT_BAD("overp.pgm", "P2\n2 2\n10\n1 2\n3 11\n", PMK_EFORMAT,
               ":5:3: sample 11 exceeds maxval 10");
    /* Garbage in plain rasters. */
    EXPECT_BAD("junk.pgm", "P2\n2 1\n10\n1 x\n", PMK_EFORMAT,
               ":4:3: bad character 'x' in the PGM raster (expected a decimal sample)");
    EXPECT_BAD("junk2.pgm", "P2\n2 1\n10\n1 2x\n", PMK_EFORMAT,
               ":4:4: bad character 'x' in the PGM raster (expected a decimal sample)");
    EXPECT_BAD("junk.pbm", "P1\n2 2\n0 1\n1 2\n", PMK_EFORMAT,
               ":4:3: bad character '2' in the PBM raster (expected 0 or 1)");
    EXPECT_BAD("junk2.pbm", "P1\n2 2\n0 1\n1\x01", PMK_EFORMAT,
               ":4:2: bad character \\x01 in the PBM raster (expected 0 or 1)");
}
END_TEST

START_TEST(test_missing_and_directory)
{
    pmk_error e;
    pmk_image *img = (pmk_image *)0x1;
    char want[1024];
    ck_assert_int_eq(pmk_image_read(img_tpath("nope.pbm"), &img, &e), PMK_EIO);
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory", img_tpath("nope.pbm"));
    ck_assert_str_eq(e.msg, want);
    ck_assert_ptr_null(img);
    ck_assert_int_eq(pmk_image_read(img_dir, &img, &e), PMK_EIO);
    snprintf(want, sizeof want, "%s: cannot read: is a directory", img_dir);
    ck_assert_str_eq(e.msg, want);
}
END_TEST

/* Writes a PNG signature, an IHDR for an 8-bit grey w x h image and the
 * start of an empty IDAT chunk: 8 + 25 + 8 + 8 = 49 bytes. */
static void write_ihdr(const char *path, uint32_t w, uint32_t h)
{
    unsigned char b[49] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                           0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    for (int k = 0; k < 4; k++) {
        b[16 + k] = (unsigned char)(w >> (24 - 8 * k));
        b[20 + k] = (unsigned char)(h >> (24 - 8 * k));
    }
    b[24] = 8;   /* depth; colour type, compression, filter, interlace 0 */
    uLong crc = crc32(0L, b + 12, 17);
    for (int k = 0; k < 4; k++)
        b[29 + k] = (unsigned char)(crc >> (24 - 8 * k));
    memcpy(b + 33, "\0\0\0\0IDAT", 8);
    crc = crc32(0L, b + 37, 4);
    for (int k = 0; k < 4; k++)
        b[41 + k] = (unsigned char)(crc >> (24 - 8 * k));
    memcpy(b + 45, "\0\0\0\0", 4);
    test_write_file(path, b, sizeof b);
}

START_TEST(test_bad_png)
{
    pmk_error e;
    pmk_image *g = img_make_grey(255), *img = (pmk_image *)0x1;
    ck_assert_int_eq(pmk_image_write(img_tpath("good.png"), g, PMK_IMAGE_AUTO, &e), PMK_OK);
    size_t n;
    char *d = test_read_file(img_tpath("good.png"), &n);
    char want[1024];
    /* Cut in the middle of the data, and just before IEND (the last 12 bytes). */
    img_expect_bad("cut.png", d, n / 2, PMK_EFORMAT, ": truncated PNG (unexpected end of file)");
    img_expect_bad("cut2.png", d, n - 12, PMK_EFORMAT, ": truncated PNG (unexpected end of file)");
    img_expect_bad("cut3.png", d, 8, PMK_EFORMAT, ": truncated PNG (unexpected end of file)");
    /* A flipped bit in IDAT's stored CRC: the data still inflate, the CRC no
     * longer matches.  The chunks: signature 8, IHDR 8+13+4 = 25, then IDAT's
     * length (4), type (4), data (len) and CRC (4). */
    ck_assert(memcmp(d + 33 + 4, "IDAT", 4) == 0);
    size_t len = (size_t)(unsigned char)d[33] << 24 | (size_t)(unsigned char)d[34] << 16
                 | (size_t)(unsigned char)d[35] << 8 | (unsigned char)d[36];
    d[33 + 8 + len + 1] ^= 0x10;
    img_expect_bad("crc.png", d, n, PMK_EFORMAT, ": bad PNG: IDAT: CRC error");
    d[33 + 8 + len + 1] ^= 0x10;
    /* A flipped bit inside the compressed data breaks inflating first. */
    d[33 + 8 + 2] ^= 0x10;
    pmk_image_free(img == (pmk_image *)0x1 ? NULL : img);
    img = (pmk_image *)0x1;
    ck_assert_int_eq(img_read_bytes("crc1.png", d, n, &img, &e), PMK_EFORMAT);
    snprintf(want, sizeof want, "%s: bad PNG: ", img_tpath("crc1.png"));
    ck_assert_msg(strncmp(e.msg, want, strlen(want)) == 0, "%s", e.msg);
    ck_assert_ptr_null(img);
    d[33 + 8 + 2] ^= 0x10;
    /* A bad CRC in IHDR. */
    d[16 + 3] ^= 0x01;   /* the width's low byte */
    img_expect_bad("crc2.png", d, n, PMK_EFORMAT, ": bad PNG: IHDR: CRC error");
    free(d);
    /* PNG headers claiming huge sizes in a tiny file: refused up front. */
    write_ihdr(img_tpath("ovf.png"), 0x7fffffff, 0x7fffffff);
    img = (pmk_image *)0x1;
    ck_assert_int_eq(pmk_image_read(img_tpath("ovf.png"), &img, &e), PMK_ELIMIT);
    snprintf(want, sizeof want, "%s: PNG image of 2147483647 x 2147483647 pixels is too large "
             "(the pixel count overflows)", img_tpath("ovf.png"));
    ck_assert_str_eq(e.msg, want);
    ck_assert_ptr_null(img);
    /* 100000 x 100000 8-bit grey: 10^10 bytes of rows (plus filter bytes)
     * cannot come out of 49 bytes, deflate expanding at most 1032:1. */
    write_ihdr(img_tpath("huge.png"), 100000, 100000);
    ck_assert_int_eq(pmk_image_read(img_tpath("huge.png"), &img, &e), PMK_ELIMIT);
    snprintf(want, sizeof want, "%s: header claims 100000 x 100000 pixels (10000000000 bytes of "
             "image data) but the file has only 49 bytes", img_tpath("huge.png"));
    ck_assert_str_eq(e.msg, want);
    ck_assert_ptr_null(img);
    (void)want;
    pmk_image_free(g);
}
END_TEST

START_TEST(test_write_errors)
{
    pmk_error e;
    pmk_image *g = img_make_grey(255), *bin = img_make_binary();
    char want[1024];
    /* A good file already there must survive every failed write. */
    char target[512];
    snprintf(target, sizeof target, "%s", img_tpath("keep.pbm"));
    ck_assert_int_eq(pmk_image_write(target, bin, PMK_IMAGE_AUTO, &e), PMK_OK);
    size_t n0;
    char *before = test_read_file(target, &n0);

    ck_assert_int_eq(pmk_image_write(img_tpath("keep.pbm"), g, PMK_IMAGE_AUTO, &e), PMK_EINVAL);
    snprintf(want, sizeof want, "%s: cannot write a grey image as PBM: threshold it first",
             img_tpath("keep.pbm"));
    ck_assert_str_eq(e.msg, want);

    ck_assert_int_eq(pmk_image_write(img_tpath("x.jpg"), g, PMK_IMAGE_AUTO, &e), PMK_EINVAL);
    snprintf(want, sizeof want,
             "%s: cannot tell the image format from the name (use .pbm, .pgm or .png)",
             img_tpath("x.jpg"));
    ck_assert_str_eq(e.msg, want);
    ck_assert_int_eq(access(img_tpath("x.jpg"), F_OK), -1);

    pmk_image_format f;
    ck_assert_int_eq(pmk_image_format_from_path("a/b.c/PIC.PnG", &f, &e), PMK_OK);
    ck_assert_int_eq(f, PMK_IMAGE_PNG);
    ck_assert_int_eq(pmk_image_format_from_path("a.pgm/noext", &f, &e), PMK_EINVAL);

    gsl_matrix_set(g->pix, 2, 3, 255.6);   /* rounds to 256 > maxval */
    ck_assert_int_eq(pmk_image_write(img_tpath("g.pgm"), g, PMK_IMAGE_AUTO, &e), PMK_EINVAL);
    snprintf(want, sizeof want,
             "%s: cannot write: pixel at row 3, column 4 is 255.6, outside 0..maxval",
             img_tpath("g.pgm"));
    ck_assert_str_eq(e.msg, want);
    ck_assert_int_eq(access(img_tpath("g.pgm"), F_OK), -1);
    gsl_matrix_set(g->pix, 2, 3, -1);
    ck_assert_int_eq(pmk_image_write(img_tpath("g.pgm"), g, PMK_IMAGE_AUTO, &e), PMK_EINVAL);
    gsl_matrix_set(bin->pix, 0, 0, NAN);
    ck_assert_int_eq(pmk_image_write(target, bin, PMK_IMAGE_AUTO, &e), PMK_EINVAL);

    /* A write the disk refuses: the error names the file. */
    gsl_matrix_set(g->pix, 2, 3, 5);
    if (access("/dev/full", W_OK) == 0) {
        ck_assert_int_eq(pmk_image_write("/dev/full", g, PMK_IMAGE_PNG, &e), PMK_EIO);
        ck_assert_msg(strncmp(e.msg, "/dev/full: cannot write: ", 25) == 0, "%s", e.msg);
        ck_assert_int_eq(pmk_image_write("/dev/full", g, PMK_IMAGE_PGM, &e), PMK_EIO);
        ck_assert_msg(strncmp(e.msg, "/dev/full: cannot write: ", 25) == 0, "%s", e.msg);
    }
    /* An unwritable place: the target's folder does not exist. */
    ck_assert_int_eq(pmk_image_write(img_tpath("no/such/dir/a.png"), g, PMK_IMAGE_AUTO, &e),
                     PMK_EIO);

    size_t n1;
    char *after = test_read_file(target, &n1);
    ck_assert_uint_eq(n0, n1);
    ck_assert(memcmp(before, after, n0) == 0);
    free(before);
    free(after);
    pmk_image_free(g);
    pmk_image_free(bin);
}
END_TEST

START_TEST(test_alloc)
{
    pmk_error e;
    pmk_image *b = pmk_image_alloc(3, 2, 1, 7, &e);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(b->maxval, 1);
    ck_assert(gsl_matrix_min(b->pix) == -1.0 && gsl_matrix_max(b->pix) == -1.0);
    pmk_image *c = pmk_image_copy(b, &e);
    ck_assert(img_same_matrix(b->pix, c->pix) && c->pix != b->pix && c->binary == 1);
    pmk_image_free(b);
    pmk_image_free(c);
    pmk_image_free(NULL);
    ck_assert_ptr_null(pmk_image_alloc(0, 2, 0, 255, &e));
    ck_assert_int_eq(e.code, PMK_EINVAL);
    ck_assert_ptr_null(pmk_image_alloc(SIZE_MAX / 2, 3, 0, 255, &e));
    ck_assert_int_eq(e.code, PMK_ELIMIT);
    ck_assert_ptr_null(pmk_image_alloc(2, 2, 0, 0, &e));
    ck_assert_int_eq(e.code, PMK_EINVAL);
    ck_assert_ptr_null(pmk_image_alloc(2, 2, 0, 65536, &e));
    ck_assert_int_eq(e.code, PMK_EINVAL);
}
END_TEST

/* ---------------------------------------------------------------- threshold */

START_TEST(test_threshold)
{
    pmk_error e;
    pmk_image *g = pmk_image_alloc(2, 2, 0, 255, &e), *b;
    gsl_matrix_set(g->pix, 0, 0, 0);
    gsl_matrix_set(g->pix, 0, 1, 127);
    gsl_matrix_set(g->pix, 1, 0, 128);
    gsl_matrix_set(g->pix, 1, 1, 255);
    /* t = 0.5: cut at 127.5; 0 and 127 are below (black +1), 128, 255 not. */
    ck_assert_int_eq(pmk_image_threshold(g, 0.5, &b, &e), PMK_OK);
    static const double w5[] = {1, 1, -1, -1};
    ck_assert_int_eq(b->binary, 1);
    ck_assert_uint_eq(b->maxval, 1);
    img_assert_pixels(b, 2, 2, w5);
    pmk_image_free(b);
    /* t = 1: cut at 255; only 255 itself is white. */
    ck_assert_int_eq(pmk_image_threshold(g, 1.0, &b, &e), PMK_OK);
    static const double w1[] = {1, 1, 1, -1};
    img_assert_pixels(b, 2, 2, w1);
    pmk_image_free(b);
    /* t = 0.5 / 255 cuts at 0.5: only level 0 is black. */
    ck_assert_int_eq(pmk_image_threshold(g, 0.5 / 255, &b, &e), PMK_OK);
    static const double w0[] = {1, -1, -1, -1};
    img_assert_pixels(b, 2, 2, w0);
    /* A binary image comes back unchanged. */
    pmk_image *bb;
    ck_assert_int_eq(pmk_image_threshold(b, 0.3, &bb, &e), PMK_OK);
    img_assert_pixels(bb, 2, 2, w0);
    pmk_image_free(bb);
    pmk_image_free(b);
    b = (pmk_image *)0x1;
    ck_assert_int_eq(pmk_image_threshold(g, 0.0, &b, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "threshold 0 is out of range (0, 1]");
    ck_assert_ptr_null(b);
    ck_assert_int_eq(pmk_image_threshold(g, 1.5, &b, &e), PMK_EINVAL);
    ck_assert_int_eq(pmk_image_threshold(g, NAN, &b, &e), PMK_EINVAL);
    pmk_image_free(g);
}
END_TEST

/* ---------------------------------------------------------------- montage */

START_TEST(test_montage)
{
    pmk_error e;
    pmk_image *m;
    /* Two 2x2 tiles: A = [0 1; 2 3], B = constant 4. */
    gsl_matrix *t = gsl_matrix_alloc(2, 4);
    static const double tv[] = {0, 1, 2, 3, 4, 4, 4, 4};
    for (size_t k = 0; k < 8; k++)
        t->data[k] = tv[k];
    /* RANGE [0, 4]: round(255 v / 4): 0, 63.75 -> 64, 127.5 -> 128, 191.25
     * -> 191, 4 -> 255.  Side by side, column 2 is the white gap. */
    ck_assert_int_eq(pmk_montage(t, 2, 2, 2, PMK_MONTAGE_RANGE, 0, 4, &m, &e), PMK_OK);
    static const double wr[] = {0, 64, 255, 255, 255, 128, 191, 255, 255, 255};
    ck_assert_int_eq(m->binary, 0);
    ck_assert_uint_eq(m->maxval, 255);
    img_assert_pixels(m, 5, 2, wr);
    pmk_image_free(m);
    /* GLOBAL: min 0, max 4 over both tiles, so the same as RANGE [0, 4]. */
    ck_assert_int_eq(pmk_montage(t, 2, 2, 2, PMK_MONTAGE_GLOBAL, 9, -9, &m, &e), PMK_OK);
    img_assert_pixels(m, 5, 2, wr);
    pmk_image_free(m);
    /* TILE: A over [0, 3]: 0, 85, 170, 255; B is constant: mid-grey 128. */
    ck_assert_int_eq(pmk_montage(t, 2, 2, 2, PMK_MONTAGE_TILE, 0, 0, &m, &e), PMK_OK);
    static const double wt[] = {0, 85, 255, 128, 128, 170, 255, 255, 128, 128};
    img_assert_pixels(m, 5, 2, wt);
    pmk_image_free(m);
    /* One column: stacked, row 2 the gap.  RANGE [1, 2] clips: 0, 1 -> 0;
     * 2, 3, 4 -> 255. */
    ck_assert_int_eq(pmk_montage(t, 2, 2, 1, PMK_MONTAGE_RANGE, 1, 2, &m, &e), PMK_OK);
    static const double wc[] = {0, 0, 255, 255, 255, 255, 255, 255, 255, 255};
    img_assert_pixels(m, 2, 5, wc);
    pmk_image_free(m);
    /* More columns than tiles: only 2 are used. */
    ck_assert_int_eq(pmk_montage(t, 2, 2, 9, PMK_MONTAGE_RANGE, 0, 4, &m, &e), PMK_OK);
    img_assert_pixels(m, 5, 2, wr);
    pmk_image_free(m);
    /* Three 1x1 tiles in 2 columns: the fourth cell is empty (white). */
    gsl_matrix *t3 = gsl_matrix_alloc(3, 1);
    gsl_matrix_set(t3, 0, 0, 0);
    gsl_matrix_set(t3, 1, 0, 1);
    gsl_matrix_set(t3, 2, 0, 0.5);
    ck_assert_int_eq(pmk_montage(t3, 1, 1, 2, PMK_MONTAGE_GLOBAL, 0, 0, &m, &e), PMK_OK);
    static const double w3[] = {0, 255, 255, 255, 255, 255, 128, 255, 255};
    img_assert_pixels(m, 3, 3, w3);
    pmk_image_free(m);
    /* Errors. */
    ck_assert_int_eq(pmk_montage(t, 2, 3, 2, PMK_MONTAGE_TILE, 0, 0, &m, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "montage: tiles of 2 x 3 pixels need 6 values a row, not 4");
    ck_assert_ptr_null(m);
    ck_assert_int_eq(pmk_montage(t, 2, 2, 0, PMK_MONTAGE_TILE, 0, 0, &m, &e), PMK_EINVAL);
    ck_assert_int_eq(pmk_montage(t, 2, 2, 2, PMK_MONTAGE_RANGE, 1, 1, &m, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "montage: range [1, 1] is empty or not finite");
    ck_assert_int_eq(pmk_montage(t, 2, 2, 2, 7, 0, 1, &m, &e), PMK_EINVAL);
    gsl_matrix_set(t, 1, 2, NAN);
    ck_assert_int_eq(pmk_montage(t, 2, 2, 2, PMK_MONTAGE_GLOBAL, 0, 1, &m, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "montage: tile 2, pixel 3 is not finite");
    gsl_matrix_free(t);
    gsl_matrix_free(t3);
}
END_TEST

START_TEST(test_hconcat)
{
    pmk_error e;
    pmk_image *b = pmk_image_alloc(2, 2, 1, 1, &e), *g = pmk_image_alloc(2, 2, 0, 3, &e), *o;
    gsl_matrix_set(b->pix, 0, 0, 1);
    gsl_matrix_set(b->pix, 1, 1, 1);
    gsl_matrix_set(g->pix, 0, 1, 3);
    gsl_matrix_set(g->pix, 1, 0, 1);
    gsl_matrix_set(g->pix, 1, 1, 2);
    /* Binary: black ink (+1) 0, white 255.  Grey maxval 3: 0, 85, 170, 255.
     * One white gap column between. */
    const pmk_image *two[] = {b, g};
    ck_assert_int_eq(pmk_image_hconcat(two, 2, 1, &o, &e), PMK_OK);
    static const double w[] = {0, 255, 255, 0, 255, 255, 0, 255, 85, 170};
    ck_assert_uint_eq(o->maxval, 255);
    img_assert_pixels(o, 5, 2, w);
    pmk_image_free(o);
    /* No gap. */
    ck_assert_int_eq(pmk_image_hconcat(two, 2, 0, &o, &e), PMK_OK);
    ck_assert_uint_eq(o->width, 4);
    ck_assert(gsl_matrix_get(o->pix, 1, 3) == 170.0);
    pmk_image_free(o);
    pmk_image *tall = pmk_image_alloc(1, 3, 1, 1, &e);
    const pmk_image *bad[] = {b, tall};
    ck_assert_int_eq(pmk_image_hconcat(bad, 2, 1, &o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "hconcat: image 2 is 3 pixels high, image 1 is 2");
    ck_assert_ptr_null(o);
    pmk_image_free(b);
    pmk_image_free(g);
    pmk_image_free(tall);
}
END_TEST

void suite_image_more(Suite *s)
{
    TCase *tc = tcase_create("bad-input");
    tcase_add_checked_fixture(tc, img_setup, img_teardown);
    tcase_add_test(tc, test_bad_headers);
    tcase_add_test(tc, test_bad_rasters);
    tcase_add_test(tc, test_missing_and_directory);
    tcase_add_test(tc, test_bad_png);
    tcase_add_test(tc, test_write_errors);
    tcase_add_test(tc, test_alloc);
    suite_add_tcase(s, tc);
    tc = tcase_create("pictures");
    tcase_add_test(tc, test_threshold);
    tcase_add_test(tc, test_montage);
    tcase_add_test(tc, test_hconcat);
    suite_add_tcase(s, tc);
}
