/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_image.c: the image suite: PBM/PGM/PNG round trips and known parses,
 * the horse data, every bad input with its exact message and status,
 * thresholding, montage and side-by-side pictures. */
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

/* write -> read gives the same matrix; read -> write -> read -> write gives
 * the same bytes.  @p want_magic is the file's first bytes. */
static void round_trip(const pmk_image *img, const char *name, pmk_image_format fmt,
                       const char *want_magic)
{
    pmk_error e;
    pmk_image *a = NULL, *b = NULL;
    char p1[512], p2[512];
    snprintf(p1, sizeof p1, "%s/1-%s", img_dir, name);
    snprintf(p2, sizeof p2, "%s/2-%s", img_dir, name);
    ck_assert_int_eq(pmk_image_write(p1, img, fmt, &e), PMK_OK);
    ck_assert_int_eq(pmk_image_read(p1, &a, &e), PMK_OK);
    ck_assert_msg(img_same_matrix(a->pix, img->pix), "%s: matrix changed", name);
    ck_assert_int_eq(a->binary, img->binary);
    ck_assert_uint_eq(a->maxval, img->maxval);
    ck_assert_int_eq(pmk_image_write(p2, a, fmt, &e), PMK_OK);
    ck_assert_int_eq(pmk_image_read(p2, &b, &e), PMK_OK);
    ck_assert_msg(img_same_matrix(b->pix, img->pix), "%s: matrix changed", name);
    size_t n1, n2;
    char *d1 = test_read_file(p1, &n1), *d2 = test_read_file(p2, &n2);
    ck_assert_uint_eq(n1, n2);
    ck_assert_msg(memcmp(d1, d2, n1) == 0, "%s: bytes differ", name);
    ck_assert_msg(memcmp(d1, want_magic, strlen(want_magic)) == 0, "%s: wrong magic", name);
    free(d1);
    free(d2);
    pmk_image_free(a);
    pmk_image_free(b);
}

/* ---------------------------------------------------------------- known parses */

START_TEST(test_p1_comments_unseparated)
{
    /* Comments after the magic, after a number, on a line of their own and in
     * the raster; digits unseparated and split across lines. */
    static const char f[] = "P1# after the magic\n3 # width\n#full line\n2\n01\n0#mid raster\n110";
    static const double want[] = {-1, 1, -1, 1, 1, -1};
    pmk_error e;
    pmk_image *img;
    ck_assert_int_eq(img_read_bytes("a.pbm", f, sizeof f - 1, &img, &e), PMK_OK);
    ck_assert_int_eq(img->binary, 1);
    ck_assert_uint_eq(img->maxval, 1);
    img_assert_pixels(img, 3, 2, want);
    pmk_image_free(img);
    /* The same from the fixture file in the source tree (comment ending the
     * header, CRLF line ends, tabs). */
    ck_assert_int_eq(pmk_image_read(test_srcpath("tests/data/img-comments.pbm"), &img, &e),
                     PMK_OK);
    static const double want2[] = {1, -1, -1, 1, -1, 1, 1, -1};
    img_assert_pixels(img, 4, 2, want2);
    pmk_image_free(img);
}
END_TEST

START_TEST(test_p2_known)
{
    static const char f[] = "P2\n# x\n3 2\n# maxval next\n1000\n0 500\n1000\n  7 8#c\n 9\n";
    static const double want[] = {0, 500, 1000, 7, 8, 9};
    pmk_error e;
    pmk_image *img;
    ck_assert_int_eq(img_read_bytes("a.pgm", f, sizeof f - 1, &img, &e), PMK_OK);
    ck_assert_int_eq(img->binary, 0);
    ck_assert_uint_eq(img->maxval, 1000);
    img_assert_pixels(img, 3, 2, want);
    pmk_image_free(img);
    ck_assert_int_eq(pmk_image_read(test_srcpath("tests/data/img-plain.pgm"), &img, &e),
                     PMK_OK);
    static const double want2[] = {0, 65535, 1, 2, 300, 65534};
    ck_assert_uint_eq(img->maxval, 65535);
    img_assert_pixels(img, 2, 3, want2);
    pmk_image_free(img);
}
END_TEST

START_TEST(test_raw_known)
{
    /* P4, width 10: two bytes a row, the last 6 bits padding (set here, and
     * ignored).  Row 0: 1000 0000 01|11 1111 -> pixels 0 and 9 black. */
    static const char p4[] = "P4\n10 2\n\x80\x7f\x00\x40";
    static const double w4[] = {1, -1, -1, -1, -1, -1, -1, -1, -1, 1,
                                -1, -1, -1, -1, -1, -1, -1, -1, -1, 1};
    /* P5 with maxval 1000: two big-endian bytes a sample (0x03e8 = 1000). */
    static const char p5[] = "P5 2 1 1000\n\x03\xe8\x00\x07";
    static const double w5[] = {1000, 7};
    pmk_error e;
    pmk_image *img;
    ck_assert_int_eq(img_read_bytes("a.pbm", p4, sizeof p4 - 1, &img, &e), PMK_OK);
    img_assert_pixels(img, 10, 2, w4);
    pmk_image_free(img);
    ck_assert_int_eq(img_read_bytes("a.pgm", p5, sizeof p5 - 1, &img, &e), PMK_OK);
    ck_assert_uint_eq(img->maxval, 1000);
    img_assert_pixels(img, 2, 1, w5);
    pmk_image_free(img);
    /* A comment as the header's last whitespace: it reads as its newline,
     * and the raster starts after that newline ('\n' = 10 is not a sample).
     * Blanks may follow the raster (Netpbm skips them between images). */
    static const char pc[] = "P5 3 1 255#c\n\x01\x0a\x03\n \t\r\n";
    static const double wc[] = {1, 10, 3};
    ck_assert_int_eq(img_read_bytes("c.pgm", pc, sizeof pc - 1, &img, &e), PMK_OK);
    img_assert_pixels(img, 3, 1, wc);
    pmk_image_free(img);
    /* Anything else after the raster is an error, at its byte offset: the
     * 3 raster bytes end at offset 16, the blank is 16, 't' is 17. */
    static const char pt[] = "P5 3 1 255#c\n\x01\x0a\x03 trailing";
    img_expect_bad("t.pgm", pt, sizeof pt - 1, PMK_EFORMAT,
               ": data after the end of the image (at offset 17): pmk reads one image a file");
    /* A second image, raw or plain, is named as such; a plain one at its line
     * and column. */
    static const char p2[] = "P5 1 1 255\n\x07P5 1 1 255\n\x07";
    img_expect_bad("two.pgm", p2, sizeof p2 - 1, PMK_EFORMAT,
               ": a second image follows the first (at offset 12): pmk reads one image a file");
    static const char p1two[] = "P1\n2 1\n0 1\n# next\nP1\n2 1\n0 1\n";
    img_expect_bad("two.pbm", p1two, sizeof p1two - 1, PMK_EFORMAT,
               ":5:1: a second image follows the first: pmk reads one image a file");
    static const char p2x[] = "P2\n2 1\n9\n1 2 3\n";
    img_expect_bad("x.pgm", p2x, sizeof p2x - 1, PMK_EFORMAT,
               ":4:5: data after the end of the image: pmk reads one image a file");
    /* Maxval 1 PGM is grey, not binary: 0 black, 1 white. */
    static const char p1g[] = "P5\n2 1\n1\n\x00\x01";
    static const double w1g[] = {0, 1};
    ck_assert_int_eq(img_read_bytes("m1.pgm", p1g, sizeof p1g - 1, &img, &e), PMK_OK);
    ck_assert_int_eq(img->binary, 0);
    ck_assert_uint_eq(img->maxval, 1);
    img_assert_pixels(img, 2, 1, w1g);
    pmk_image_free(img);
}
END_TEST

START_TEST(test_max_memory)
{
    /* PMK_MAX_MEMORY lowers the ceiling on the pixel matrix: a 13 x 5 image
     * needs 13 * 5 * 8 = 520 bytes.  The PNG reader also counts its decoded
     * rows (1 bit a pixel: 2 bytes a row, 10) and libpng's two row buffers
     * (at most 16 bytes a pixel of width, 208): 738 bytes.  (Each test runs in
     * its own process, so setenv stays here.) */
    pmk_image *bin = img_make_binary(), *img = (pmk_image *)0x1;
    pmk_error e;
    char want[1024];
    ck_assert_int_eq(pmk_image_write(img_tpath("b.png"), bin, PMK_IMAGE_AUTO, &e), PMK_OK);
    ck_assert_int_eq(pmk_image_write(img_tpath("b.pbm"), bin, PMK_IMAGE_AUTO, &e), PMK_OK);
    setenv("PMK_MAX_MEMORY", "519", 1);
    ck_assert_int_eq(pmk_image_read(img_tpath("b.png"), &img, &e), PMK_ELIMIT);
    snprintf(want, sizeof want, "%s: PNG image of 13 x 5 pixels is too large (needs 738 bytes, "
             "more than the PMK_MAX_MEMORY limit of 519 bytes)", img_tpath("b.png"));
    ck_assert_str_eq(e.msg, want);
    ck_assert_ptr_null(img);
    ck_assert_int_eq(pmk_image_read(img_tpath("b.pbm"), &img, &e), PMK_ELIMIT);
    snprintf(want, sizeof want, "%s:2:1: PBM image of 13 x 5 pixels is too large (needs 520 "
             "bytes, more than the PMK_MAX_MEMORY limit of 519 bytes)", img_tpath("b.pbm"));
    ck_assert_str_eq(e.msg, want);
    setenv("PMK_MAX_MEMORY", "737", 1);
    ck_assert_int_eq(pmk_image_read(img_tpath("b.png"), &img, &e), PMK_ELIMIT);
    setenv("PMK_MAX_MEMORY", "738", 1);
    ck_assert_int_eq(pmk_image_read(img_tpath("b.png"), &img, &e), PMK_OK);
    pmk_image_free(img);
    setenv("PMK_MAX_MEMORY", "1k", 1);
    ck_assert_int_eq(pmk_image_read(img_tpath("b.pbm"), &img, &e), PMK_OK);
    pmk_image_free(img);
    /* The reason for the variable: a small PNG may describe a huge image.
     * 4000 x 4000 white pixels at 1 bit: 4000 rows of a filter byte and 500
     * bytes of ones deflate to a few kB, yet need a 128 MB matrix.  Under a
     * 64M ceiling that is refused from the header. */
    setenv("PMK_MAX_MEMORY", "64M", 1);
    const size_t W = 4000, rb = 1 + W / 8;
    unsigned char *raw = malloc(rb * W);
    for (size_t r = 0; r < W; r++) {
        raw[r * rb] = 0;
        memset(raw + r * rb + 1, 0xff, rb - 1);
    }
    uLongf zlen = compressBound(rb * W);
    unsigned char *z = malloc(zlen);
    ck_assert_int_eq(compress2(z, &zlen, raw, rb * W, 9), Z_OK);
    FILE *f = fopen(img_tpath("bomb.png"), "wb");
    unsigned char hdr[8 + 25 + 8];
    memcpy(hdr, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
    for (int k = 0; k < 4; k++)
        hdr[16 + k] = hdr[20 + k] = (unsigned char)(W >> (24 - 8 * k));
    memcpy(hdr + 24, "\x01\0\0\0\0", 5);   /* depth 1, grey */
    uLong crc = crc32(0L, hdr + 12, 17);
    for (int k = 0; k < 4; k++) {
        hdr[29 + k] = (unsigned char)(crc >> (24 - 8 * k));
        hdr[33 + k] = (unsigned char)(zlen >> (24 - 8 * k));
    }
    memcpy(hdr + 37, "IDAT", 4);
    fwrite(hdr, 1, sizeof hdr, f);
    fwrite(z, 1, zlen, f);
    crc = crc32(crc32(0L, (const Bytef *)"IDAT", 4), z, zlen);
    unsigned char tail[16] = {0, 0, 0, 0, 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
    for (int k = 0; k < 4; k++)
        tail[k] = (unsigned char)(crc >> (24 - 8 * k));
    fwrite(tail, 1, sizeof tail, f);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_uint_lt(zlen, 8000);
    free(raw);
    free(z);
    ck_assert_int_eq(pmk_image_read(img_tpath("bomb.png"), &img, &e), PMK_ELIMIT);
    /* The matrix (128000000 bytes), the decoded rows (4000 x 500) and
     * libpng's two rows (16 x 4000): 130064000. */
    snprintf(want, sizeof want, "%s: PNG image of 4000 x 4000 pixels is too large (needs "
             "130064000 bytes, more than the PMK_MAX_MEMORY limit of 67108864 bytes)",
             img_tpath("bomb.png"));
    ck_assert_str_eq(e.msg, want);
    /* With room for it, the same file reads: all white. */
    setenv("PMK_MAX_MEMORY", "130064000", 1);
    ck_assert_int_eq(pmk_image_read(img_tpath("bomb.png"), &img, &e), PMK_OK);
    ck_assert(gsl_matrix_min(img->pix) == -1.0 && gsl_matrix_max(img->pix) == -1.0);
    pmk_image_free(img);
    /* Not a byte count: ignored. */
    setenv("PMK_MAX_MEMORY", "1x", 1);
    ck_assert_int_eq(pmk_image_read(img_tpath("b.pbm"), &img, &e), PMK_OK);
    pmk_image_free(img);
    unsetenv("PMK_MAX_MEMORY");
    pmk_image_free(bin);
}
END_TEST

START_TEST(test_stdin)
{
    /* "-" reads standard input, shown as <stdin>; its size is unknown. */
    static const char f[] = "P2 2 1 9 3 7\n", bad[] = "P5 4 2 255\nabcdef";
    pmk_error e;
    pmk_image *img;
    test_write_file(img_tpath("in.pgm"), f, sizeof f - 1);
    int saved = dup(STDIN_FILENO);
    ck_assert(saved >= 0);
    ck_assert_ptr_nonnull(freopen(img_tpath("in.pgm"), "rb", stdin));
    ck_assert_int_eq(pmk_image_read("-", &img, &e), PMK_OK);
    static const double w[] = {3, 7};
    img_assert_pixels(img, 2, 1, w);
    pmk_image_free(img);
    test_write_file(img_tpath("bad.pgm"), bad, sizeof bad - 1);
    ck_assert_ptr_nonnull(freopen(img_tpath("bad.pgm"), "rb", stdin));
    int rc = pmk_image_read("-", &img, &e);
    dup2(saved, STDIN_FILENO);   /* the runner's stdin back, for CK_FORK=no */
    close(saved);
    ck_assert_int_eq(rc, PMK_EFORMAT);
    ck_assert_str_eq(e.msg, "<stdin>: short raster: expected 8 bytes of raster, found 6");
}
END_TEST

START_TEST(test_stdout)
{
    /* "-" writes to standard output, which has no extension: the format must
     * be named.  The bytes are those a named file gets. */
    pmk_image *bin = img_make_binary();
    pmk_error e;
    ck_assert_int_eq(pmk_image_write("-", bin, PMK_IMAGE_AUTO, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "-: cannot tell the image format from the name "
                            "(use .pbm, .pgm or .png)");
    ck_assert_int_eq(pmk_image_write(img_tpath("f.png"), bin, PMK_IMAGE_AUTO, &e), PMK_OK);
    /* Descriptor 1 is pointed at a file and restored after, so that a run
     * without fork (CK_FORK=no, valgrind) keeps its own output. */
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    int fd = open(img_tpath("out.png"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ck_assert(saved >= 0 && fd >= 0);
    ck_assert_int_eq(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
    close(fd);
    int rc = pmk_image_write("-", bin, PMK_IMAGE_PNG, &e);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    ck_assert_int_eq(rc, PMK_OK);
    size_t n1, n2;
    char *a = test_read_file(img_tpath("f.png"), &n1), *b = test_read_file(img_tpath("out.png"), &n2);
    ck_assert_uint_eq(n1, n2);
    ck_assert(memcmp(a, b, n1) == 0);
    free(a);
    free(b);
    pmk_image_free(bin);
}
END_TEST

/* ---------------------------------------------------------------- horse */

START_TEST(test_horse)
{
    pmk_error e;
    pmk_image *img, *noisy;
    const char *hp = test_srcpath("data/horse.pbm");
    size_t n;
    unsigned char *raw = (unsigned char *)test_read_file(hp, &n);
    /* Independent count: parse the P4 header with sscanf, popcount the rows
     * (masking the padding bits, here none: 400 = 50 * 8). */
    int w, h, off;
    ck_assert_int_eq(sscanf((char *)raw, "P4 %d %d%n", &w, &h, &off), 2);
    off += 1;   /* the single whitespace */
    size_t rowbytes = (size_t)(w + 7) / 8, black = 0;
    ck_assert_uint_eq(n, (size_t)off + rowbytes * (size_t)h);
    for (int r = 0; r < h; r++)
        for (size_t k = 0; k < rowbytes; k++) {
            unsigned b = raw[off + r * rowbytes + k];
            if (k == rowbytes - 1 && w % 8)
                b &= 0xffu << (8 - w % 8);
            black += (size_t)__builtin_popcount(b);
        }

    ck_assert_int_eq(pmk_image_read(hp, &img, &e), PMK_OK);
    ck_assert_uint_eq(img->width, 400);
    ck_assert_uint_eq(img->height, 328);
    ck_assert_int_eq(img->binary, 1);
    size_t nblack = 0, nwhite = 0;
    for (size_t r = 0; r < 328; r++)
        for (size_t c = 0; c < 400; c++) {
            double v = gsl_matrix_get(img->pix, r, c);
            nblack += v == 1.0;
            nwhite += v == -1.0;
            /* Every pixel equals its bit in the file. */
            unsigned bit = raw[off + r * rowbytes + c / 8] >> (7 - c % 8) & 1u;
            ck_assert(v == (bit ? 1.0 : -1.0));
        }
    ck_assert_uint_eq(nblack, black);
    ck_assert_uint_eq(nblack + nwhite, 400 * 328);
    /* Figures from numpy.unpackbits over the file: 43,412 black pixels, the
     * first black one (row-major) at row 9, column 350, the last at 312, 287. */
    ck_assert_uint_eq(nblack, 43412);
    ck_assert(gsl_matrix_get(img->pix, 9, 350) == 1.0);
    ck_assert(gsl_matrix_get(img->pix, 9, 349) == -1.0);
    ck_assert(gsl_matrix_get(img->pix, 312, 287) == 1.0);
    ck_assert(gsl_matrix_get(img->pix, 164, 200) == 1.0);
    ck_assert(gsl_matrix_get(img->pix, 0, 0) == -1.0);
    ck_assert(gsl_matrix_get(img->pix, 300, 50) == -1.0);

    ck_assert_int_eq(pmk_image_read(test_srcpath("data/horse-noisy10.pbm"), &noisy, &e), PMK_OK);
    size_t diff = 0;
    for (size_t r = 0; r < 328; r++)
        for (size_t c = 0; c < 400; c++)
            diff += gsl_matrix_get(img->pix, r, c) != gsl_matrix_get(noisy->pix, r, c);
    ck_assert_uint_eq(diff, 13120);   /* 10% of 131,200 flipped */

    /* Writing it back as P4 reproduces the file byte for byte. */
    ck_assert_int_eq(pmk_image_write(img_tpath("horse.pbm"), img, PMK_IMAGE_AUTO, &e), PMK_OK);
    size_t n2;
    char *again = test_read_file(img_tpath("horse.pbm"), &n2);
    ck_assert_uint_eq(n2, n);
    ck_assert(memcmp(again, raw, n) == 0);
    free(again);
    free(raw);
    pmk_image_free(img);
    pmk_image_free(noisy);
}
END_TEST

START_TEST(test_gzip_input)
{
    /* A gzip-compressed PBM reads like the plain one (the stream layer). */
    static const char f[] = "P4\n10 2\n\x80\x7f\x00\x40";
    gzFile gz = gzopen(img_tpath("a.pbm.gz"), "wb");
    ck_assert_ptr_nonnull(gz);
    ck_assert_int_eq(gzwrite(gz, f, sizeof f - 1), (int)(sizeof f - 1));
    ck_assert_int_eq(gzclose(gz), Z_OK);
    pmk_error e;
    pmk_image *img;
    ck_assert_int_eq(pmk_image_read(img_tpath("a.pbm.gz"), &img, &e), PMK_OK);
    ck_assert_uint_eq(img->width, 10);
    ck_assert(gsl_matrix_get(img->pix, 0, 0) == 1.0 && gsl_matrix_get(img->pix, 1, 9) == 1.0);
    ck_assert(gsl_matrix_get(img->pix, 0, 1) == -1.0);
    pmk_image_free(img);
    /* Compressed, the file size is unknown: a short raster is found after
     * reading, with the same verdicts as for a plain file (less than half
     * there: the header is lying). */
    static const char shortr[] = "P5\n4 2\n255\nabcdef", lying[] = "P5 1000 1000 255\nxyz";
    char want[1024];
    pmk_error e2;
    gz = gzopen(img_tpath("s.pgm.gz"), "wb");
    gzwrite(gz, shortr, sizeof shortr - 1);
    gzclose(gz);
    img = (pmk_image *)0x1;
    ck_assert_int_eq(pmk_image_read(img_tpath("s.pgm.gz"), &img, &e2), PMK_EFORMAT);
    snprintf(want, sizeof want, "%s: short raster: expected 8 bytes of raster, found 6",
             img_tpath("s.pgm.gz"));
    ck_assert_str_eq(e2.msg, want);
    ck_assert_ptr_null(img);
    gz = gzopen(img_tpath("l.pgm.gz"), "wb");
    gzwrite(gz, lying, sizeof lying - 1);
    gzclose(gz);
    ck_assert_int_eq(pmk_image_read(img_tpath("l.pgm.gz"), &img, &e2), PMK_ELIMIT);
    snprintf(want, sizeof want, "%s: header claims 1000 x 1000 pixels (1000000 bytes "
             "of raster) but only 3 bytes follow it", img_tpath("l.pgm.gz"));
    ck_assert_str_eq(e2.msg, want);
    /* With the size unknown, a matrix beyond the machine's memory is refused
     * from the header: 2^31-1 x 2^28 pixels need 2^62 bytes or so. */
    static const char vast[] = "P4 2147483647 268435456\n";
    gz = gzopen(img_tpath("v.pbm.gz"), "wb");
    gzwrite(gz, vast, sizeof vast - 1);
    gzclose(gz);
    ck_assert_int_eq(pmk_image_read(img_tpath("v.pbm.gz"), &img, &e2), PMK_ELIMIT);
    snprintf(want, sizeof want, "%s:1:4: PBM image of 2147483647 x 268435456 pixels is too "
             "large (needs 4611686016279904256 bytes, more than the ", img_tpath("v.pbm.gz"));
    ck_assert_msg(strncmp(e2.msg, want, strlen(want)) == 0, "%s", e2.msg);
}
END_TEST

/* ---------------------------------------------------------------- round trips */

START_TEST(test_round_trips)
{
    pmk_image *bin = img_make_binary();
    round_trip(bin, "b.pbm", PMK_IMAGE_AUTO, "P4\n13 5\n");
    round_trip(bin, "b1.pbm", PMK_IMAGE_PBM_PLAIN, "P1\n13 5\n");
    round_trip(bin, "b.png", PMK_IMAGE_AUTO, "\x89PNG");
    for (int k = 0; k < 3; k++) {
        unsigned maxval = k == 0 ? 255 : k == 1 ? 1000 : 65535;
        pmk_image *g = img_make_grey(maxval);
        char name[32], magic[32];
        snprintf(name, sizeof name, "g%u.pgm", maxval);
        snprintf(magic, sizeof magic, "P5\n7 4\n%u\n", maxval);
        round_trip(g, name, PMK_IMAGE_AUTO, magic);
        snprintf(name, sizeof name, "g%u-plain.pgm", maxval);
        snprintf(magic, sizeof magic, "P2\n7 4\n%u\n", maxval);
        round_trip(g, name, PMK_IMAGE_PGM_PLAIN, magic);
        if (maxval != 1000) {
            snprintf(name, sizeof name, "g%u.png", maxval);
            round_trip(g, name, PMK_IMAGE_PNG, "\x89PNG");
        }
        pmk_image_free(g);
    }
    pmk_image_free(bin);
}
END_TEST

START_TEST(test_write_conversions)
{
    pmk_error e;
    pmk_image *bin = img_make_binary(), *g = NULL;
    /* Binary as PGM: black 0, white 255, maxval 255. */
    ck_assert_int_eq(pmk_image_write(img_tpath("b.pgm"), bin, PMK_IMAGE_AUTO, &e), PMK_OK);
    ck_assert_int_eq(pmk_image_read(img_tpath("b.pgm"), &g, &e), PMK_OK);
    ck_assert_int_eq(g->binary, 0);
    ck_assert_uint_eq(g->maxval, 255);
    for (size_t r = 0; r < 5; r++)
        for (size_t c = 0; c < 13; c++)
            ck_assert(gsl_matrix_get(g->pix, r, c)
                      == (gsl_matrix_get(bin->pix, r, c) > 0 ? 0.0 : 255.0));
    pmk_image_free(g);
    /* Exact bytes of a 10 x 1 P4: 1100000001 -> c0 40. */
    pmk_image *t = pmk_image_alloc(10, 1, 1, 1, &e);
    gsl_matrix_set(t->pix, 0, 0, 1);
    gsl_matrix_set(t->pix, 0, 1, 1);
    gsl_matrix_set(t->pix, 0, 9, 1);
    ck_assert_int_eq(pmk_image_write(img_tpath("t.pbm"), t, PMK_IMAGE_AUTO, &e), PMK_OK);
    size_t n;
    char *d = test_read_file(img_tpath("t.pbm"), &n);
    ck_assert_uint_eq(n, 10);
    ck_assert(memcmp(d, "P4\n10 1\n\xc0\x40", 10) == 0);
    free(d);
    pmk_image_free(t);
    /* Grey maxval 1000 as PNG: 16-bit, levels scaled by 65535/1000, rounded:
     * 7 -> round(458.745) = 459, 1000 -> 65535. */
    pmk_image *k = pmk_image_alloc(2, 1, 0, 1000, &e);
    gsl_matrix_set(k->pix, 0, 0, 7);
    gsl_matrix_set(k->pix, 0, 1, 1000);
    ck_assert_int_eq(pmk_image_write(img_tpath("k.png"), k, PMK_IMAGE_AUTO, &e), PMK_OK);
    ck_assert_int_eq(pmk_image_read(img_tpath("k.png"), &g, &e), PMK_OK);
    ck_assert_uint_eq(g->maxval, 65535);
    ck_assert(gsl_matrix_get(g->pix, 0, 0) == 459.0);
    ck_assert(gsl_matrix_get(g->pix, 0, 1) == 65535.0);
    pmk_image_free(g);
    /* Maxval 100 as PNG: 8-bit, 37 -> round(94.35) = 94; pixels are rounded
     * to the nearest level first (36.6 -> 37). */
    pmk_image_free(k);
    k = pmk_image_alloc(2, 1, 0, 100, &e);
    gsl_matrix_set(k->pix, 0, 0, 36.6);
    gsl_matrix_set(k->pix, 0, 1, 100);
    ck_assert_int_eq(pmk_image_write(img_tpath("k8.png"), k, PMK_IMAGE_AUTO, &e), PMK_OK);
    ck_assert_int_eq(pmk_image_read(img_tpath("k8.png"), &g, &e), PMK_OK);
    ck_assert_uint_eq(g->maxval, 255);
    ck_assert(gsl_matrix_get(g->pix, 0, 0) == 94.0);
    ck_assert(gsl_matrix_get(g->pix, 0, 1) == 255.0);
    pmk_image_free(g);
    pmk_image_free(k);
    pmk_image_free(bin);
}
END_TEST

/* Writes a PNG of any colour type with libpng, for the colour-type tests. */
static void write_png_il(const char *path, unsigned w, unsigned h, int depth, int ctype,
                         const unsigned char *data, size_t rowbytes, const png_color *pal,
                         int npal, const unsigned char *trans, int ntrans, int interlace)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    ck_assert(png && info);
    if (setjmp(png_jmpbuf(png)))
        ck_abort_msg("libpng failed writing %s", path);
    png_init_io(png, f);
    png_set_IHDR(png, info, w, h, depth, ctype,
                 interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (pal)
        png_set_PLTE(png, info, pal, npal);
    if (trans)
        png_set_tRNS(png, info, trans, ntrans, NULL);
    png_write_info(png, info);
    png_bytep rows[64];
    ck_assert_uint_le(h, 64);
    for (unsigned r = 0; r < h; r++)
        rows[r] = (png_bytep)(data + r * rowbytes);
    png_write_image(png, rows);   /* all Adam7 passes when interlaced */
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    ck_assert_int_eq(fclose(f), 0);
}

static void write_png(const char *path, unsigned w, unsigned h, int depth, int ctype,
                      const unsigned char *data, size_t rowbytes, const png_color *pal,
                      int npal, const unsigned char *trans, int ntrans)
{
    write_png_il(path, w, h, depth, ctype, data, rowbytes, pal, npal, trans, ntrans, 0);
}

START_TEST(test_png_colour_types)
{
    pmk_error e;
    pmk_image *img;
    /* RGB 8-bit -> grey with Y = round((299 R + 587 G + 114 B) / 1000):
     * red 255*299/1000 = 76.245 -> 76; green 149.685 -> 150; blue 29.07 ->
     * 29; (10, 20, 30): (2990 + 11740 + 3420)/1000 = 18.15 -> 18; white 255. */
    static const unsigned char rgb[] = {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30, 255, 255, 255};
    write_png(img_tpath("rgb.png"), 5, 1, 8, PNG_COLOR_TYPE_RGB, rgb, 15, NULL, 0, NULL, 0);
    ck_assert_int_eq(pmk_image_read(img_tpath("rgb.png"), &img, &e), PMK_OK);
    static const double wrgb[] = {76, 150, 29, 18, 255};
    ck_assert_int_eq(img->binary, 0);
    ck_assert_uint_eq(img->maxval, 255);
    img_assert_pixels(img, 5, 1, wrgb);
    pmk_image_free(img);
    /* RGBA: alpha dropped, not composited (alpha 0 keeps the colour). */
    static const unsigned char rgba[] = {255, 0, 0, 0, 10, 20, 30, 128};
    write_png(img_tpath("rgba.png"), 2, 1, 8, PNG_COLOR_TYPE_RGB_ALPHA, rgba, 8, NULL, 0, NULL, 0);
    ck_assert_int_eq(pmk_image_read(img_tpath("rgba.png"), &img, &e), PMK_OK);
    static const double wrgba[] = {76, 18};
    img_assert_pixels(img, 2, 1, wrgba);
    pmk_image_free(img);
    /* RGB 16-bit: maxval 65535; red 65535 * 0.299 = 19594.965 -> 19595. */
    static const unsigned char rgb16[] = {0xff, 0xff, 0, 0, 0, 0,
                                          0x12, 0x34, 0x12, 0x34, 0x12, 0x34};
    write_png(img_tpath("rgb16.png"), 2, 1, 16, PNG_COLOR_TYPE_RGB, rgb16, 12, NULL, 0, NULL, 0);
    ck_assert_int_eq(pmk_image_read(img_tpath("rgb16.png"), &img, &e), PMK_OK);
    static const double wrgb16[] = {19595, 0x1234};
    ck_assert_uint_eq(img->maxval, 65535);
    img_assert_pixels(img, 2, 1, wrgb16);
    pmk_image_free(img);
    /* Palette (2-bit indices) with a tRNS entry: through the palette to RGB,
     * then grey; transparency dropped. Indices 0 1 2 3 -> black, green, grey
     * (90, 90, 90), red. */
    static const png_color pal[] = {{0, 0, 0}, {0, 255, 0}, {90, 90, 90}, {255, 0, 0}};
    static const unsigned char trans[] = {0};
    static const unsigned char idx[] = {0x1b};   /* 00 01 10 11 */
    write_png(img_tpath("pal.png"), 4, 1, 2, PNG_COLOR_TYPE_PALETTE, idx, 1, pal, 4, trans, 1);
    ck_assert_int_eq(pmk_image_read(img_tpath("pal.png"), &img, &e), PMK_OK);
    static const double wpal[] = {0, 150, 90, 76};
    ck_assert_uint_eq(img->maxval, 255);
    img_assert_pixels(img, 4, 1, wpal);
    pmk_image_free(img);
    /* Grey + alpha: alpha dropped. */
    static const unsigned char ga[] = {17, 0, 200, 255};
    write_png(img_tpath("ga.png"), 2, 1, 8, PNG_COLOR_TYPE_GRAY_ALPHA, ga, 4, NULL, 0, NULL, 0);
    ck_assert_int_eq(pmk_image_read(img_tpath("ga.png"), &img, &e), PMK_OK);
    static const double wga[] = {17, 200};
    img_assert_pixels(img, 2, 1, wga);
    pmk_image_free(img);
    /* 2-bit and 4-bit grey keep their levels: maxval 3 and 15. */
    static const unsigned char g2[] = {0x1b};   /* 0 1 2 3 */
    write_png(img_tpath("g2.png"), 4, 1, 2, PNG_COLOR_TYPE_GRAY, g2, 1, NULL, 0, NULL, 0);
    ck_assert_int_eq(pmk_image_read(img_tpath("g2.png"), &img, &e), PMK_OK);
    static const double wg2[] = {0, 1, 2, 3};
    ck_assert_uint_eq(img->maxval, 3);
    img_assert_pixels(img, 4, 1, wg2);
    pmk_image_free(img);
    static const unsigned char g4[] = {0x0f, 0x70};   /* 0 15 7 0 */
    write_png(img_tpath("g4.png"), 3, 1, 4, PNG_COLOR_TYPE_GRAY, g4, 2, NULL, 0, NULL, 0);
    ck_assert_int_eq(pmk_image_read(img_tpath("g4.png"), &img, &e), PMK_OK);
    static const double wg4[] = {0, 15, 7};
    ck_assert_uint_eq(img->maxval, 15);
    img_assert_pixels(img, 3, 1, wg4);
    pmk_image_free(img);
    /* 1-bit grey is binary: PNG 0 (black) -> +1. Bits 0110 1 -> -1 +1... */
    static const unsigned char b1[] = {0x68};   /* 0 1 1 0 1 */
    write_png(img_tpath("b1.png"), 5, 1, 1, PNG_COLOR_TYPE_GRAY, b1, 1, NULL, 0, NULL, 0);
    ck_assert_int_eq(pmk_image_read(img_tpath("b1.png"), &img, &e), PMK_OK);
    static const double wb1[] = {1, -1, -1, 1, -1};
    ck_assert_int_eq(img->binary, 1);
    img_assert_pixels(img, 5, 1, wb1);
    pmk_image_free(img);
    /* Interlaced (Adam7): 9 x 9 so that every pass has pixels; 8-bit grey
     * level 10 r + c, and 1-bit with black where (r + c) % 3 == 0. */
    unsigned char g8[81], g1[9 * 2];
    memset(g1, 0, sizeof g1);
    for (unsigned r = 0; r < 9; r++)
        for (unsigned c = 0; c < 9; c++) {
            g8[r * 9 + c] = (unsigned char)(10 * r + c);
            if ((r + c) % 3 != 0)
                g1[r * 2 + c / 8] |= (unsigned char)(0x80u >> (c % 8));
        }
    write_png_il(img_tpath("il8.png"), 9, 9, 8, PNG_COLOR_TYPE_GRAY, g8, 9, NULL, 0, NULL, 0, 1);
    write_png_il(img_tpath("il1.png"), 9, 9, 1, PNG_COLOR_TYPE_GRAY, g1, 2, NULL, 0, NULL, 0, 1);
    size_t n;
    char *d = test_read_file(img_tpath("il8.png"), &n);
    ck_assert_int_eq(d[8 + 8 + 12], 1);   /* IHDR's interlace method: Adam7 */
    free(d);
    ck_assert_int_eq(pmk_image_read(img_tpath("il8.png"), &img, &e), PMK_OK);
    double w8[81], w1[81];
    for (unsigned k = 0; k < 81; k++) {
        w8[k] = g8[k];
        w1[k] = (k / 9 + k % 9) % 3 == 0 ? 1.0 : -1.0;
    }
    img_assert_pixels(img, 9, 9, w8);
    pmk_image_free(img);
    ck_assert_int_eq(pmk_image_read(img_tpath("il1.png"), &img, &e), PMK_OK);
    ck_assert_int_eq(img->binary, 1);
    img_assert_pixels(img, 9, 9, w1);
    pmk_image_free(img);
}
END_TEST

Suite *suite_image(void)
{
    Suite *s = suite_create("image");
    TCase *tc = tcase_create("parse");
    tcase_add_checked_fixture(tc, img_setup, img_teardown);
    tcase_add_test(tc, test_p1_comments_unseparated);
    tcase_add_test(tc, test_p2_known);
    tcase_add_test(tc, test_raw_known);
    tcase_add_test(tc, test_horse);
    tcase_add_test(tc, test_gzip_input);
    tcase_add_test(tc, test_stdin);
    tcase_add_test(tc, test_stdout);
    tcase_add_test(tc, test_max_memory);
    suite_add_tcase(s, tc);
    tc = tcase_create("round-trip");
    tcase_add_checked_fixture(tc, img_setup, img_teardown);
    tcase_add_test(tc, test_round_trips);
    tcase_add_test(tc, test_write_conversions);
    tcase_add_test(tc, test_png_colour_types);
    suite_add_tcase(s, tc);
    suite_image_more(s);   /* check_image_bad.c */
    return s;
}
