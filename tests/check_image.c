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

#include "check_pmk.h"
#include "pmk/pmk.h"

/* ---------------------------------------------------------------- helpers */

static char dir[256];
static char pathbuf[512];

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
}

static void teardown(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* A path in this test's folder (static buffer). */
static const char *tpath(const char *name)
{
    snprintf(pathbuf, sizeof pathbuf, "%s/%s", dir, name);
    return pathbuf;
}

/* Writes @p len bytes to a file @p name in the test folder and reads it as an
 * image.  Returns the status; *img gets the image (NULL on failure). */
static int read_bytes(const char *name, const void *data, size_t len, pmk_image **img,
                      pmk_error *e)
{
    test_write_file(tpath(name), data, len);
    pmk_error_clear(e);
    return pmk_image_read(tpath(name), img, e);
}

/* The bytes must fail with @p code and the message PATH + @p tail. */
static void expect_bad(const char *name, const void *data, size_t len, int code,
                       const char *tail)
{
    pmk_error e;
    pmk_image *img = (pmk_image *)0x1;
    int rc = read_bytes(name, data, len, &img, &e);
    char want[1024];
    snprintf(want, sizeof want, "%s%s", tpath(name), tail);
    ck_assert_msg(rc == code, "%s: status %d, wanted %d (%s)", name, rc, code, e.msg);
    ck_assert_int_eq(e.code, code);
    ck_assert_str_eq(e.msg, want);
    ck_assert_ptr_null(img);
}
#define EXPECT_BAD(name, lit, code, tail) expect_bad(name, lit, sizeof(lit) - 1, code, tail)

/* Asserts that image @p img holds exactly the h x w values @p v (row-major). */
static void assert_pixels(const pmk_image *img, size_t w, size_t h, const double *v)
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

static int same_matrix(const gsl_matrix *a, const gsl_matrix *b)
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
static pmk_image *make_binary(void)
{
    pmk_image *img = pmk_image_alloc(13, 5, 1, 1, NULL);
    ck_assert_ptr_nonnull(img);
    for (size_t r = 0; r < 5; r++)
        for (size_t c = 0; c < 13; c++)
            gsl_matrix_set(img->pix, r, c, ((r * 7 + c * c) % 3 == 0) ? 1.0 : -1.0);
    return img;
}

/* A 7 x 4 grey image using 0, maxval and levels in between. */
static pmk_image *make_grey(unsigned maxval)
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

/* write -> read gives the same matrix; read -> write -> read -> write gives
 * the same bytes.  @p want_magic is the file's first bytes. */
static void round_trip(const pmk_image *img, const char *name, pmk_image_format fmt,
                       const char *want_magic)
{
    pmk_error e;
    pmk_image *a = NULL, *b = NULL;
    char p1[512], p2[512];
    snprintf(p1, sizeof p1, "%s/1-%s", dir, name);
    snprintf(p2, sizeof p2, "%s/2-%s", dir, name);
    ck_assert_int_eq(pmk_image_write(p1, img, fmt, &e), PMK_OK);
    ck_assert_int_eq(pmk_image_read(p1, &a, &e), PMK_OK);
    ck_assert_msg(same_matrix(a->pix, img->pix), "%s: matrix changed", name);
    ck_assert_int_eq(a->binary, img->binary);
    ck_assert_uint_eq(a->maxval, img->maxval);
    ck_assert_int_eq(pmk_image_write(p2, a, fmt, &e), PMK_OK);
    ck_assert_int_eq(pmk_image_read(p2, &b, &e), PMK_OK);
    ck_assert_msg(same_matrix(b->pix, img->pix), "%s: matrix changed", name);
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
    ck_assert_int_eq(read_bytes("a.pbm", f, sizeof f - 1, &img, &e), PMK_OK);
    ck_assert_int_eq(img->binary, 1);
    ck_assert_uint_eq(img->maxval, 1);
    assert_pixels(img, 3, 2, want);
    pmk_image_free(img);
    /* The same from the fixture file in the source tree (comment ending the
     * header, CRLF line ends, tabs). */
    ck_assert_int_eq(pmk_image_read(test_srcpath("tests/data/img-comments.pbm"), &img, &e),
                     PMK_OK);
    static const double want2[] = {1, -1, -1, 1, -1, 1, 1, -1};
    assert_pixels(img, 4, 2, want2);
    pmk_image_free(img);
}
END_TEST

START_TEST(test_p2_known)
{
    static const char f[] = "P2\n# x\n3 2\n# maxval next\n1000\n0 500\n1000\n  7 8#c\n 9\n";
    static const double want[] = {0, 500, 1000, 7, 8, 9};
    pmk_error e;
    pmk_image *img;
    ck_assert_int_eq(read_bytes("a.pgm", f, sizeof f - 1, &img, &e), PMK_OK);
    ck_assert_int_eq(img->binary, 0);
    ck_assert_uint_eq(img->maxval, 1000);
    assert_pixels(img, 3, 2, want);
    pmk_image_free(img);
    ck_assert_int_eq(pmk_image_read(test_srcpath("tests/data/img-plain.pgm"), &img, &e),
                     PMK_OK);
    static const double want2[] = {0, 65535, 1, 2, 300, 65534};
    ck_assert_uint_eq(img->maxval, 65535);
    assert_pixels(img, 2, 3, want2);
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
    ck_assert_int_eq(read_bytes("a.pbm", p4, sizeof p4 - 1, &img, &e), PMK_OK);
    assert_pixels(img, 10, 2, w4);
    pmk_image_free(img);
    ck_assert_int_eq(read_bytes("a.pgm", p5, sizeof p5 - 1, &img, &e), PMK_OK);
    ck_assert_uint_eq(img->maxval, 1000);
    assert_pixels(img, 2, 1, w5);
    pmk_image_free(img);
    /* A comment as the header's last whitespace: it reads as its newline,
     * and the raster starts after that newline ('\n' = 10 is not a sample).
     * Blanks may follow the raster (Netpbm skips them between images). */
    static const char pc[] = "P5 3 1 255#c\n\x01\x0a\x03\n \t\r\n";
    static const double wc[] = {1, 10, 3};
    ck_assert_int_eq(read_bytes("c.pgm", pc, sizeof pc - 1, &img, &e), PMK_OK);
    assert_pixels(img, 3, 1, wc);
    pmk_image_free(img);
    /* Anything else after the raster is an error, at its byte offset: the
     * 3 raster bytes end at offset 16, the blank is 16, 't' is 17. */
    static const char pt[] = "P5 3 1 255#c\n\x01\x0a\x03 trailing";
    expect_bad("t.pgm", pt, sizeof pt - 1, PMK_EFORMAT,
               ": data after the end of the image (at offset 17): pmk reads one image a file");
    /* A second image, raw or plain, is named as such; a plain one at its line
     * and column. */
    static const char p2[] = "P5 1 1 255\n\x07P5 1 1 255\n\x07";
    expect_bad("two.pgm", p2, sizeof p2 - 1, PMK_EFORMAT,
               ": a second image follows the first (at offset 12): pmk reads one image a file");
    static const char p1two[] = "P1\n2 1\n0 1\n# next\nP1\n2 1\n0 1\n";
    expect_bad("two.pbm", p1two, sizeof p1two - 1, PMK_EFORMAT,
               ":5:1: a second image follows the first: pmk reads one image a file");
    static const char p2x[] = "P2\n2 1\n9\n1 2 3\n";
    expect_bad("x.pgm", p2x, sizeof p2x - 1, PMK_EFORMAT,
               ":4:5: data after the end of the image: pmk reads one image a file");
    /* Maxval 1 PGM is grey, not binary: 0 black, 1 white. */
    static const char p1g[] = "P5\n2 1\n1\n\x00\x01";
    static const double w1g[] = {0, 1};
    ck_assert_int_eq(read_bytes("m1.pgm", p1g, sizeof p1g - 1, &img, &e), PMK_OK);
    ck_assert_int_eq(img->binary, 0);
    ck_assert_uint_eq(img->maxval, 1);
    assert_pixels(img, 2, 1, w1g);
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
    pmk_image *bin = make_binary(), *img = (pmk_image *)0x1;
    pmk_error e;
    char want[1024];
    ck_assert_int_eq(pmk_image_write(tpath("b.png"), bin, PMK_IMAGE_AUTO, &e), PMK_OK);
    ck_assert_int_eq(pmk_image_write(tpath("b.pbm"), bin, PMK_IMAGE_AUTO, &e), PMK_OK);
    setenv("PMK_MAX_MEMORY", "519", 1);
    ck_assert_int_eq(pmk_image_read(tpath("b.png"), &img, &e), PMK_ELIMIT);
    snprintf(want, sizeof want, "%s: PNG image of 13 x 5 pixels is too large (needs 738 bytes, "
             "more than the PMK_MAX_MEMORY limit of 519 bytes)", tpath("b.png"));
    ck_assert_str_eq(e.msg, want);
    ck_assert_ptr_null(img);
    ck_assert_int_eq(pmk_image_read(tpath("b.pbm"), &img, &e), PMK_ELIMIT);
    snprintf(want, sizeof want, "%s:2:1: PBM image of 13 x 5 pixels is too large (needs 520 "
             "bytes, more than the PMK_MAX_MEMORY limit of 519 bytes)", tpath("b.pbm"));
    ck_assert_str_eq(e.msg, want);
    setenv("PMK_MAX_MEMORY", "737", 1);
    ck_assert_int_eq(pmk_image_read(tpath("b.png"), &img, &e), PMK_ELIMIT);
    setenv("PMK_MAX_MEMORY", "738", 1);
    ck_assert_int_eq(pmk_image_read(tpath("b.png"), &img, &e), PMK_OK);
    pmk_image_free(img);
    setenv("PMK_MAX_MEMORY", "1k", 1);
    ck_assert_int_eq(pmk_image_read(tpath("b.pbm"), &img, &e), PMK_OK);
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
    FILE *f = fopen(tpath("bomb.png"), "wb");
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
    ck_assert_int_eq(pmk_image_read(tpath("bomb.png"), &img, &e), PMK_ELIMIT);
    /* The matrix (128000000 bytes), the decoded rows (4000 x 500) and
     * libpng's two rows (16 x 4000): 130064000. */
    snprintf(want, sizeof want, "%s: PNG image of 4000 x 4000 pixels is too large (needs "
             "130064000 bytes, more than the PMK_MAX_MEMORY limit of 67108864 bytes)",
             tpath("bomb.png"));
    ck_assert_str_eq(e.msg, want);
    /* With room for it, the same file reads: all white. */
    setenv("PMK_MAX_MEMORY", "130064000", 1);
    ck_assert_int_eq(pmk_image_read(tpath("bomb.png"), &img, &e), PMK_OK);
    ck_assert(gsl_matrix_min(img->pix) == -1.0 && gsl_matrix_max(img->pix) == -1.0);
    pmk_image_free(img);
    /* Not a byte count: ignored. */
    setenv("PMK_MAX_MEMORY", "1x", 1);
    ck_assert_int_eq(pmk_image_read(tpath("b.pbm"), &img, &e), PMK_OK);
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
    test_write_file(tpath("in.pgm"), f, sizeof f - 1);
    int saved = dup(STDIN_FILENO);
    ck_assert(saved >= 0);
    ck_assert_ptr_nonnull(freopen(tpath("in.pgm"), "rb", stdin));
    ck_assert_int_eq(pmk_image_read("-", &img, &e), PMK_OK);
    static const double w[] = {3, 7};
    assert_pixels(img, 2, 1, w);
    pmk_image_free(img);
    test_write_file(tpath("bad.pgm"), bad, sizeof bad - 1);
    ck_assert_ptr_nonnull(freopen(tpath("bad.pgm"), "rb", stdin));
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
    pmk_image *bin = make_binary();
    pmk_error e;
    ck_assert_int_eq(pmk_image_write("-", bin, PMK_IMAGE_AUTO, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "-: cannot tell the image format from the name "
                            "(use .pbm, .pgm or .png)");
    ck_assert_int_eq(pmk_image_write(tpath("f.png"), bin, PMK_IMAGE_AUTO, &e), PMK_OK);
    /* Descriptor 1 is pointed at a file and restored after, so that a run
     * without fork (CK_FORK=no, valgrind) keeps its own output. */
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    int fd = open(tpath("out.png"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ck_assert(saved >= 0 && fd >= 0);
    ck_assert_int_eq(dup2(fd, STDOUT_FILENO), STDOUT_FILENO);
    close(fd);
    int rc = pmk_image_write("-", bin, PMK_IMAGE_PNG, &e);
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    ck_assert_int_eq(rc, PMK_OK);
    size_t n1, n2;
    char *a = test_read_file(tpath("f.png"), &n1), *b = test_read_file(tpath("out.png"), &n2);
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
    ck_assert_int_eq(pmk_image_write(tpath("horse.pbm"), img, PMK_IMAGE_AUTO, &e), PMK_OK);
    size_t n2;
    char *again = test_read_file(tpath("horse.pbm"), &n2);
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
    gzFile gz = gzopen(tpath("a.pbm.gz"), "wb");
    ck_assert_ptr_nonnull(gz);
    ck_assert_int_eq(gzwrite(gz, f, sizeof f - 1), (int)(sizeof f - 1));
    ck_assert_int_eq(gzclose(gz), Z_OK);
    pmk_error e;
    pmk_image *img;
    ck_assert_int_eq(pmk_image_read(tpath("a.pbm.gz"), &img, &e), PMK_OK);
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
    gz = gzopen(tpath("s.pgm.gz"), "wb");
    gzwrite(gz, shortr, sizeof shortr - 1);
    gzclose(gz);
    img = (pmk_image *)0x1;
    ck_assert_int_eq(pmk_image_read(tpath("s.pgm.gz"), &img, &e2), PMK_EFORMAT);
    snprintf(want, sizeof want, "%s: short raster: expected 8 bytes of raster, found 6",
             tpath("s.pgm.gz"));
    ck_assert_str_eq(e2.msg, want);
    ck_assert_ptr_null(img);
    gz = gzopen(tpath("l.pgm.gz"), "wb");
    gzwrite(gz, lying, sizeof lying - 1);
    gzclose(gz);
    ck_assert_int_eq(pmk_image_read(tpath("l.pgm.gz"), &img, &e2), PMK_ELIMIT);
    snprintf(want, sizeof want, "%s: header claims 1000 x 1000 pixels (1000000 bytes "
             "of raster) but only 3 bytes follow it", tpath("l.pgm.gz"));
    ck_assert_str_eq(e2.msg, want);
    /* With the size unknown, a matrix beyond the machine's memory is refused
     * from the header: 2^31-1 x 2^28 pixels need 2^62 bytes or so. */
    static const char vast[] = "P4 2147483647 268435456\n";
    gz = gzopen(tpath("v.pbm.gz"), "wb");
    gzwrite(gz, vast, sizeof vast - 1);
    gzclose(gz);
    ck_assert_int_eq(pmk_image_read(tpath("v.pbm.gz"), &img, &e2), PMK_ELIMIT);
    snprintf(want, sizeof want, "%s:1:4: PBM image of 2147483647 x 268435456 pixels is too "
             "large (needs 4611686016279904256 bytes, more than the ", tpath("v.pbm.gz"));
    ck_assert_msg(strncmp(e2.msg, want, strlen(want)) == 0, "%s", e2.msg);
}
END_TEST

/* ---------------------------------------------------------------- round trips */

START_TEST(test_round_trips)
{
    pmk_image *bin = make_binary();
    round_trip(bin, "b.pbm", PMK_IMAGE_AUTO, "P4\n13 5\n");
    round_trip(bin, "b1.pbm", PMK_IMAGE_PBM_PLAIN, "P1\n13 5\n");
    round_trip(bin, "b.png", PMK_IMAGE_AUTO, "\x89PNG");
    for (int k = 0; k < 3; k++) {
        unsigned maxval = k == 0 ? 255 : k == 1 ? 1000 : 65535;
        pmk_image *g = make_grey(maxval);
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
    pmk_image *bin = make_binary(), *g = NULL;
    /* Binary as PGM: black 0, white 255, maxval 255. */
    ck_assert_int_eq(pmk_image_write(tpath("b.pgm"), bin, PMK_IMAGE_AUTO, &e), PMK_OK);
    ck_assert_int_eq(pmk_image_read(tpath("b.pgm"), &g, &e), PMK_OK);
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
    ck_assert_int_eq(pmk_image_write(tpath("t.pbm"), t, PMK_IMAGE_AUTO, &e), PMK_OK);
    size_t n;
    char *d = test_read_file(tpath("t.pbm"), &n);
    ck_assert_uint_eq(n, 10);
    ck_assert(memcmp(d, "P4\n10 1\n\xc0\x40", 10) == 0);
    free(d);
    pmk_image_free(t);
    /* Grey maxval 1000 as PNG: 16-bit, levels scaled by 65535/1000, rounded:
     * 7 -> round(458.745) = 459, 1000 -> 65535. */
    pmk_image *k = pmk_image_alloc(2, 1, 0, 1000, &e);
    gsl_matrix_set(k->pix, 0, 0, 7);
    gsl_matrix_set(k->pix, 0, 1, 1000);
    ck_assert_int_eq(pmk_image_write(tpath("k.png"), k, PMK_IMAGE_AUTO, &e), PMK_OK);
    ck_assert_int_eq(pmk_image_read(tpath("k.png"), &g, &e), PMK_OK);
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
    ck_assert_int_eq(pmk_image_write(tpath("k8.png"), k, PMK_IMAGE_AUTO, &e), PMK_OK);
    ck_assert_int_eq(pmk_image_read(tpath("k8.png"), &g, &e), PMK_OK);
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
    write_png(tpath("rgb.png"), 5, 1, 8, PNG_COLOR_TYPE_RGB, rgb, 15, NULL, 0, NULL, 0);
    ck_assert_int_eq(pmk_image_read(tpath("rgb.png"), &img, &e), PMK_OK);
    static const double wrgb[] = {76, 150, 29, 18, 255};
    ck_assert_int_eq(img->binary, 0);
    ck_assert_uint_eq(img->maxval, 255);
    assert_pixels(img, 5, 1, wrgb);
    pmk_image_free(img);
    /* RGBA: alpha dropped, not composited (alpha 0 keeps the colour). */
    static const unsigned char rgba[] = {255, 0, 0, 0, 10, 20, 30, 128};
    write_png(tpath("rgba.png"), 2, 1, 8, PNG_COLOR_TYPE_RGB_ALPHA, rgba, 8, NULL, 0, NULL, 0);
    ck_assert_int_eq(pmk_image_read(tpath("rgba.png"), &img, &e), PMK_OK);
    static const double wrgba[] = {76, 18};
    assert_pixels(img, 2, 1, wrgba);
    pmk_image_free(img);
    /* RGB 16-bit: maxval 65535; red 65535 * 0.299 = 19594.965 -> 19595. */
    static const unsigned char rgb16[] = {0xff, 0xff, 0, 0, 0, 0,
                                          0x12, 0x34, 0x12, 0x34, 0x12, 0x34};
    write_png(tpath("rgb16.png"), 2, 1, 16, PNG_COLOR_TYPE_RGB, rgb16, 12, NULL, 0, NULL, 0);
    ck_assert_int_eq(pmk_image_read(tpath("rgb16.png"), &img, &e), PMK_OK);
    static const double wrgb16[] = {19595, 0x1234};
    ck_assert_uint_eq(img->maxval, 65535);
    assert_pixels(img, 2, 1, wrgb16);
    pmk_image_free(img);
    /* Palette (2-bit indices) with a tRNS entry: through the palette to RGB,
     * then grey; transparency dropped. Indices 0 1 2 3 -> black, green, grey
     * (90, 90, 90), red. */
    static const png_color pal[] = {{0, 0, 0}, {0, 255, 0}, {90, 90, 90}, {255, 0, 0}};
    static const unsigned char trans[] = {0};
    static const unsigned char idx[] = {0x1b};   /* 00 01 10 11 */
    write_png(tpath("pal.png"), 4, 1, 2, PNG_COLOR_TYPE_PALETTE, idx, 1, pal, 4, trans, 1);
    ck_assert_int_eq(pmk_image_read(tpath("pal.png"), &img, &e), PMK_OK);
    static const double wpal[] = {0, 150, 90, 76};
    ck_assert_uint_eq(img->maxval, 255);
    assert_pixels(img, 4, 1, wpal);
    pmk_image_free(img);
    /* Grey + alpha: alpha dropped. */
    static const unsigned char ga[] = {17, 0, 200, 255};
    write_png(tpath("ga.png"), 2, 1, 8, PNG_COLOR_TYPE_GRAY_ALPHA, ga, 4, NULL, 0, NULL, 0);
    ck_assert_int_eq(pmk_image_read(tpath("ga.png"), &img, &e), PMK_OK);
    static const double wga[] = {17, 200};
    assert_pixels(img, 2, 1, wga);
    pmk_image_free(img);
    /* 2-bit and 4-bit grey keep their levels: maxval 3 and 15. */
    static const unsigned char g2[] = {0x1b};   /* 0 1 2 3 */
    write_png(tpath("g2.png"), 4, 1, 2, PNG_COLOR_TYPE_GRAY, g2, 1, NULL, 0, NULL, 0);
    ck_assert_int_eq(pmk_image_read(tpath("g2.png"), &img, &e), PMK_OK);
    static const double wg2[] = {0, 1, 2, 3};
    ck_assert_uint_eq(img->maxval, 3);
    assert_pixels(img, 4, 1, wg2);
    pmk_image_free(img);
    static const unsigned char g4[] = {0x0f, 0x70};   /* 0 15 7 0 */
    write_png(tpath("g4.png"), 3, 1, 4, PNG_COLOR_TYPE_GRAY, g4, 2, NULL, 0, NULL, 0);
    ck_assert_int_eq(pmk_image_read(tpath("g4.png"), &img, &e), PMK_OK);
    static const double wg4[] = {0, 15, 7};
    ck_assert_uint_eq(img->maxval, 15);
    assert_pixels(img, 3, 1, wg4);
    pmk_image_free(img);
    /* 1-bit grey is binary: PNG 0 (black) -> +1. Bits 0110 1 -> -1 +1... */
    static const unsigned char b1[] = {0x68};   /* 0 1 1 0 1 */
    write_png(tpath("b1.png"), 5, 1, 1, PNG_COLOR_TYPE_GRAY, b1, 1, NULL, 0, NULL, 0);
    ck_assert_int_eq(pmk_image_read(tpath("b1.png"), &img, &e), PMK_OK);
    static const double wb1[] = {1, -1, -1, 1, -1};
    ck_assert_int_eq(img->binary, 1);
    assert_pixels(img, 5, 1, wb1);
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
    write_png_il(tpath("il8.png"), 9, 9, 8, PNG_COLOR_TYPE_GRAY, g8, 9, NULL, 0, NULL, 0, 1);
    write_png_il(tpath("il1.png"), 9, 9, 1, PNG_COLOR_TYPE_GRAY, g1, 2, NULL, 0, NULL, 0, 1);
    size_t n;
    char *d = test_read_file(tpath("il8.png"), &n);
    ck_assert_int_eq(d[8 + 8 + 12], 1);   /* IHDR's interlace method: Adam7 */
    free(d);
    ck_assert_int_eq(pmk_image_read(tpath("il8.png"), &img, &e), PMK_OK);
    double w8[81], w1[81];
    for (unsigned k = 0; k < 81; k++) {
        w8[k] = g8[k];
        w1[k] = (k / 9 + k % 9) % 3 == 0 ? 1.0 : -1.0;
    }
    assert_pixels(img, 9, 9, w8);
    pmk_image_free(img);
    ck_assert_int_eq(pmk_image_read(tpath("il1.png"), &img, &e), PMK_OK);
    ck_assert_int_eq(img->binary, 1);
    assert_pixels(img, 9, 9, w1);
    pmk_image_free(img);
}
END_TEST

/* ---------------------------------------------------------------- bad input */

START_TEST(test_bad_headers)
{
    EXPECT_BAD("magic.pgm", "XY 3 2\n", PMK_EFORMAT,
               ": not a PBM, PGM or PNG image (unknown magic bytes 58 59)");
    expect_bad("empty.pgm", "", 0, PMK_EFORMAT, ": empty file, not an image");
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
    ck_assert_int_eq(pmk_image_read(tpath("nope.pbm"), &img, &e), PMK_EIO);
    snprintf(want, sizeof want, "%s: cannot open: No such file or directory", tpath("nope.pbm"));
    ck_assert_str_eq(e.msg, want);
    ck_assert_ptr_null(img);
    ck_assert_int_eq(pmk_image_read(dir, &img, &e), PMK_EIO);
    snprintf(want, sizeof want, "%s: cannot read: is a directory", dir);
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
    pmk_image *g = make_grey(255), *img = (pmk_image *)0x1;
    ck_assert_int_eq(pmk_image_write(tpath("good.png"), g, PMK_IMAGE_AUTO, &e), PMK_OK);
    size_t n;
    char *d = test_read_file(tpath("good.png"), &n);
    char want[1024];
    /* Cut in the middle of the data, and just before IEND (the last 12 bytes). */
    expect_bad("cut.png", d, n / 2, PMK_EFORMAT, ": truncated PNG (unexpected end of file)");
    expect_bad("cut2.png", d, n - 12, PMK_EFORMAT, ": truncated PNG (unexpected end of file)");
    expect_bad("cut3.png", d, 8, PMK_EFORMAT, ": truncated PNG (unexpected end of file)");
    /* A flipped bit in IDAT's stored CRC: the data still inflate, the CRC no
     * longer matches.  The chunks: signature 8, IHDR 8+13+4 = 25, then IDAT's
     * length (4), type (4), data (len) and CRC (4). */
    ck_assert(memcmp(d + 33 + 4, "IDAT", 4) == 0);
    size_t len = (size_t)(unsigned char)d[33] << 24 | (size_t)(unsigned char)d[34] << 16
                 | (size_t)(unsigned char)d[35] << 8 | (unsigned char)d[36];
    d[33 + 8 + len + 1] ^= 0x10;
    expect_bad("crc.png", d, n, PMK_EFORMAT, ": bad PNG: IDAT: CRC error");
    d[33 + 8 + len + 1] ^= 0x10;
    /* A flipped bit inside the compressed data breaks inflating first. */
    d[33 + 8 + 2] ^= 0x10;
    pmk_image_free(img == (pmk_image *)0x1 ? NULL : img);
    img = (pmk_image *)0x1;
    ck_assert_int_eq(read_bytes("crc1.png", d, n, &img, &e), PMK_EFORMAT);
    snprintf(want, sizeof want, "%s: bad PNG: ", tpath("crc1.png"));
    ck_assert_msg(strncmp(e.msg, want, strlen(want)) == 0, "%s", e.msg);
    ck_assert_ptr_null(img);
    d[33 + 8 + 2] ^= 0x10;
    /* A bad CRC in IHDR. */
    d[16 + 3] ^= 0x01;   /* the width's low byte */
    expect_bad("crc2.png", d, n, PMK_EFORMAT, ": bad PNG: IHDR: CRC error");
    free(d);
    /* PNG headers claiming huge sizes in a tiny file: refused up front. */
    write_ihdr(tpath("ovf.png"), 0x7fffffff, 0x7fffffff);
    img = (pmk_image *)0x1;
    ck_assert_int_eq(pmk_image_read(tpath("ovf.png"), &img, &e), PMK_ELIMIT);
    snprintf(want, sizeof want, "%s: PNG image of 2147483647 x 2147483647 pixels is too large "
             "(the pixel count overflows)", tpath("ovf.png"));
    ck_assert_str_eq(e.msg, want);
    ck_assert_ptr_null(img);
    /* 100000 x 100000 8-bit grey: 10^10 bytes of rows (plus filter bytes)
     * cannot come out of 49 bytes, deflate expanding at most 1032:1. */
    write_ihdr(tpath("huge.png"), 100000, 100000);
    ck_assert_int_eq(pmk_image_read(tpath("huge.png"), &img, &e), PMK_ELIMIT);
    snprintf(want, sizeof want, "%s: header claims 100000 x 100000 pixels (10000000000 bytes of "
             "image data) but the file has only 49 bytes", tpath("huge.png"));
    ck_assert_str_eq(e.msg, want);
    ck_assert_ptr_null(img);
    (void)want;
    pmk_image_free(g);
}
END_TEST

START_TEST(test_write_errors)
{
    pmk_error e;
    pmk_image *g = make_grey(255), *bin = make_binary();
    char want[1024];
    /* A good file already there must survive every failed write. */
    char target[512];
    snprintf(target, sizeof target, "%s", tpath("keep.pbm"));
    ck_assert_int_eq(pmk_image_write(target, bin, PMK_IMAGE_AUTO, &e), PMK_OK);
    size_t n0;
    char *before = test_read_file(target, &n0);

    ck_assert_int_eq(pmk_image_write(tpath("keep.pbm"), g, PMK_IMAGE_AUTO, &e), PMK_EINVAL);
    snprintf(want, sizeof want, "%s: cannot write a grey image as PBM: threshold it first",
             tpath("keep.pbm"));
    ck_assert_str_eq(e.msg, want);

    ck_assert_int_eq(pmk_image_write(tpath("x.jpg"), g, PMK_IMAGE_AUTO, &e), PMK_EINVAL);
    snprintf(want, sizeof want,
             "%s: cannot tell the image format from the name (use .pbm, .pgm or .png)",
             tpath("x.jpg"));
    ck_assert_str_eq(e.msg, want);
    ck_assert_int_eq(access(tpath("x.jpg"), F_OK), -1);

    pmk_image_format f;
    ck_assert_int_eq(pmk_image_format_from_path("a/b.c/PIC.PnG", &f, &e), PMK_OK);
    ck_assert_int_eq(f, PMK_IMAGE_PNG);
    ck_assert_int_eq(pmk_image_format_from_path("a.pgm/noext", &f, &e), PMK_EINVAL);

    gsl_matrix_set(g->pix, 2, 3, 255.6);   /* rounds to 256 > maxval */
    ck_assert_int_eq(pmk_image_write(tpath("g.pgm"), g, PMK_IMAGE_AUTO, &e), PMK_EINVAL);
    snprintf(want, sizeof want,
             "%s: cannot write: pixel at row 3, column 4 is 255.6, outside 0..maxval",
             tpath("g.pgm"));
    ck_assert_str_eq(e.msg, want);
    ck_assert_int_eq(access(tpath("g.pgm"), F_OK), -1);
    gsl_matrix_set(g->pix, 2, 3, -1);
    ck_assert_int_eq(pmk_image_write(tpath("g.pgm"), g, PMK_IMAGE_AUTO, &e), PMK_EINVAL);
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
    ck_assert_int_eq(pmk_image_write(tpath("no/such/dir/a.png"), g, PMK_IMAGE_AUTO, &e),
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
    ck_assert(same_matrix(b->pix, c->pix) && c->pix != b->pix && c->binary == 1);
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
    assert_pixels(b, 2, 2, w5);
    pmk_image_free(b);
    /* t = 1: cut at 255; only 255 itself is white. */
    ck_assert_int_eq(pmk_image_threshold(g, 1.0, &b, &e), PMK_OK);
    static const double w1[] = {1, 1, 1, -1};
    assert_pixels(b, 2, 2, w1);
    pmk_image_free(b);
    /* t = 0.5 / 255 cuts at 0.5: only level 0 is black. */
    ck_assert_int_eq(pmk_image_threshold(g, 0.5 / 255, &b, &e), PMK_OK);
    static const double w0[] = {1, -1, -1, -1};
    assert_pixels(b, 2, 2, w0);
    /* A binary image comes back unchanged. */
    pmk_image *bb;
    ck_assert_int_eq(pmk_image_threshold(b, 0.3, &bb, &e), PMK_OK);
    assert_pixels(bb, 2, 2, w0);
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
    assert_pixels(m, 5, 2, wr);
    pmk_image_free(m);
    /* GLOBAL: min 0, max 4 over both tiles, so the same as RANGE [0, 4]. */
    ck_assert_int_eq(pmk_montage(t, 2, 2, 2, PMK_MONTAGE_GLOBAL, 9, -9, &m, &e), PMK_OK);
    assert_pixels(m, 5, 2, wr);
    pmk_image_free(m);
    /* TILE: A over [0, 3]: 0, 85, 170, 255; B is constant: mid-grey 128. */
    ck_assert_int_eq(pmk_montage(t, 2, 2, 2, PMK_MONTAGE_TILE, 0, 0, &m, &e), PMK_OK);
    static const double wt[] = {0, 85, 255, 128, 128, 170, 255, 255, 128, 128};
    assert_pixels(m, 5, 2, wt);
    pmk_image_free(m);
    /* One column: stacked, row 2 the gap.  RANGE [1, 2] clips: 0, 1 -> 0;
     * 2, 3, 4 -> 255. */
    ck_assert_int_eq(pmk_montage(t, 2, 2, 1, PMK_MONTAGE_RANGE, 1, 2, &m, &e), PMK_OK);
    static const double wc[] = {0, 0, 255, 255, 255, 255, 255, 255, 255, 255};
    assert_pixels(m, 2, 5, wc);
    pmk_image_free(m);
    /* More columns than tiles: only 2 are used. */
    ck_assert_int_eq(pmk_montage(t, 2, 2, 9, PMK_MONTAGE_RANGE, 0, 4, &m, &e), PMK_OK);
    assert_pixels(m, 5, 2, wr);
    pmk_image_free(m);
    /* Three 1x1 tiles in 2 columns: the fourth cell is empty (white). */
    gsl_matrix *t3 = gsl_matrix_alloc(3, 1);
    gsl_matrix_set(t3, 0, 0, 0);
    gsl_matrix_set(t3, 1, 0, 1);
    gsl_matrix_set(t3, 2, 0, 0.5);
    ck_assert_int_eq(pmk_montage(t3, 1, 1, 2, PMK_MONTAGE_GLOBAL, 0, 0, &m, &e), PMK_OK);
    static const double w3[] = {0, 255, 255, 255, 255, 255, 128, 255, 255};
    assert_pixels(m, 3, 3, w3);
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
    assert_pixels(o, 5, 2, w);
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

Suite *suite_image(void)
{
    Suite *s = suite_create("image");
    TCase *tc = tcase_create("parse");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_p1_comments_unseparated);
    tcase_add_test(tc, test_p2_known);
    tcase_add_test(tc, test_raw_known);
    tcase_add_test(tc, test_horse);
    tcase_add_test(tc, test_gzip_input);
    tcase_add_test(tc, test_stdin);
    tcase_add_test(tc, test_stdout);
    suite_add_tcase(s, tc);
    tc = tcase_create("round-trip");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_round_trips);
    tcase_add_test(tc, test_write_conversions);
    tcase_add_test(tc, test_png_colour_types);
    suite_add_tcase(s, tc);
    tc = tcase_create("bad-input");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_bad_headers);
    tcase_add_test(tc, test_bad_rasters);
    tcase_add_test(tc, test_missing_and_directory);
    tcase_add_test(tc, test_bad_png);
    tcase_add_test(tc, test_write_errors);
    tcase_add_test(tc, test_alloc);
    tcase_add_test(tc, test_max_memory);
    suite_add_tcase(s, tc);
    tc = tcase_create("pictures");
    tcase_add_test(tc, test_threshold);
    tcase_add_test(tc, test_montage);
    tcase_add_test(tc, test_hconcat);
    suite_add_tcase(s, tc);
    return s;
}
