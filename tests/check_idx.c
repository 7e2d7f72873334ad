/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_idx.c: the IDX reader and writer: every element type decoded from
 * bytes written out by hand, byte-exact round trips (plain and gzip), and each
 * malformed header or body with its exact message. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check_pmk.h"
#include "pmk/pmk.h"

static char dir[512];
static char pathbuf[700];

static const char *file_with(const char *name, const void *bytes, size_t len)
{
    if (!dir[0])
        snprintf(dir, sizeof dir, "%s", test_tmpdir());
    snprintf(pathbuf, sizeof pathbuf, "%s/%s", dir, name);
    test_write_file(pathbuf, bytes, len);
    return pathbuf;
}
#define FILE_WITH(name, arr) file_with(name, arr, sizeof arr)

static void cleanup(void)
{
    if (!dir[0])
        return;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    dir[0] = '\0';
}

/* The fixture tests/data/idx-images.idx3-ubyte, byte for byte (34 bytes):
 * magic 00 00 08 03, dims 3 x 2 x 3, then 18 pixels. */
static const unsigned char images[] = {
    0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 3,
    0, 1, 2, 3, 4, 5, 255, 254, 253, 252, 251, 250, 10, 20, 30, 40, 50, 60,
};

START_TEST(test_read_u8_images_and_labels)
{
    gsl_matrix *X = NULL;
    size_t dims[8], nd = 0;
    pmk_error e;
    ck_assert_int_eq(pmk_idx_read(test_srcpath("tests/data/idx-images.idx3-ubyte"), &X, dims, &nd,
                                  &e), PMK_OK);
    ck_assert_uint_eq(nd, 3);
    ck_assert_uint_eq(dims[0], 3);
    ck_assert_uint_eq(dims[1], 2);
    ck_assert_uint_eq(dims[2], 3);
    /* N = 3 images, D = 2 * 3 = 6 pixels each */
    ck_assert_uint_eq(X->size1, 3);
    ck_assert_uint_eq(X->size2, 6);
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 6; j++)
            ck_assert(gsl_matrix_get(X, i, j) == images[16 + 6 * i + j]);
    ck_assert(gsl_matrix_get(X, 1, 0) == 255);
    ck_assert(gsl_matrix_get(X, 2, 5) == 60);
    gsl_matrix_free(X);

    long *y = NULL;
    size_t n = 0;
    ck_assert_int_eq(pmk_idx_read_labels(test_srcpath("tests/data/idx-labels.idx1-ubyte"), &y, &n,
                                         &e), PMK_OK);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(y[0], 9);
    ck_assert_int_eq(y[1], 0);
    ck_assert_int_eq(y[2], 7);
    free(y);
    /* a label file as a matrix: N x 1 */
    ck_assert_int_eq(pmk_idx_read(test_srcpath("tests/data/idx-labels.idx1-ubyte"), &X, NULL, NULL,
                                  &e), PMK_OK);
    ck_assert_uint_eq(X->size1, 3);
    ck_assert_uint_eq(X->size2, 1);
    ck_assert(gsl_matrix_get(X, 0, 0) == 9);
    gsl_matrix_free(X);
}
END_TEST

/* Reads @p bytes as IDX, checks the values, writes them back with the same
 * type and dims and checks the bytes are the same. */
static void roundtrip(const char *name, const unsigned char *bytes, size_t len, int type,
                      const double *want, size_t nwant)
{
    const char *p = file_with(name, bytes, len);
    char in[700], out[720];
    snprintf(in, sizeof in, "%s", p);
    snprintf(out, sizeof out, "%s.out", in);
    gsl_matrix *X = NULL;
    size_t dims[8], nd;
    pmk_error e;
    ck_assert_msg(pmk_idx_read(in, &X, dims, &nd, &e) == PMK_OK, "%s", e.msg);
    ck_assert_uint_eq(X->size1 * X->size2, nwant);
    for (size_t i = 0; i < nwant; i++)
        ck_assert_msg(X->data[i] == want[i], "%s element %zu: %.17g, want %.17g", name, i,
                      X->data[i], want[i]);
    ck_assert_msg(pmk_idx_write(out, X, type, dims, nd, &e) == PMK_OK, "%s", e.msg);
    size_t olen;
    char *got = test_read_file(out, &olen);
    ck_assert_uint_eq(olen, len);
    ck_assert(memcmp(got, bytes, len) == 0);
    free(got);
    gsl_matrix_free(X);
}

START_TEST(test_every_type_decodes_and_roundtrips)
{
    /* s8: 0x80 = -128, 0xff = -1, 0x7f = 127 */
    static const unsigned char s8[] = {0, 0, 0x09, 1, 0, 0, 0, 3, 0x80, 0xff, 0x7f};
    static const double s8v[] = {-128, -1, 127};
    roundtrip("s8", s8, sizeof s8, PMK_IDX_S8, s8v, 3);
    /* i16, 1 x 2: ff fe = -2, 01 00 = 256 */
    static const unsigned char i16[] = {0, 0, 0x0b, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0xff, 0xfe, 1, 0};
    static const double i16v[] = {-2, 256};
    roundtrip("i16", i16, sizeof i16, PMK_IDX_I16, i16v, 2);
    /* i32: 80 00 00 00 = -2^31, 00 01 00 00 = 65536 */
    static const unsigned char i32[] = {0, 0, 0x0c, 1, 0, 0, 0, 2, 0x80, 0, 0, 0, 0, 1, 0, 0};
    static const double i32v[] = {-2147483648.0, 65536};
    roundtrip("i32", i32, sizeof i32, PMK_IDX_I32, i32v, 2);
    /* f32: 3f 80 00 00 = 1.0; c0 49 0f db = -(float)pi = -3.1415927410125732 */
    static const unsigned char f32[] = {0, 0, 0x0d, 1, 0, 0, 0, 2,
                                        0x3f, 0x80, 0, 0, 0xc0, 0x49, 0x0f, 0xdb};
    static const double f32v[] = {1.0, -3.1415927410125732};
    roundtrip("f32", f32, sizeof f32, PMK_IDX_F32, f32v, 2);
    /* f64: 3f b9 99 99 99 99 99 9a = 0.1 */
    static const unsigned char f64[] = {0, 0, 0x0e, 1, 0, 0, 0, 1,
                                        0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9a};
    static const double f64v[] = {0.1};
    roundtrip("f64", f64, sizeof f64, PMK_IDX_F64, f64v, 1);
    /* u8 with its three dimensions */
    double u8v[18];
    for (int i = 0; i < 18; i++)
        u8v[i] = images[16 + i];
    roundtrip("u8", images, sizeof images, PMK_IDX_U8, u8v, 18);
    cleanup();
}
END_TEST

START_TEST(test_gzip_roundtrip)
{
    gsl_matrix *X = NULL;
    size_t dims[8], nd;
    pmk_error e;
    ck_assert_int_eq(pmk_idx_read(test_srcpath("tests/data/idx-images.idx3-ubyte"), &X, dims, &nd,
                                  &e), PMK_OK);
    const char *p = FILE_WITH("x", images);   /* makes the folder */
    char gz[720];
    snprintf(gz, sizeof gz, "%s/img.idx3-ubyte.gz", dir);
    (void)p;
    ck_assert_int_eq(pmk_idx_write(gz, X, PMK_IDX_U8, dims, nd, &e), PMK_OK);
    /* gzipped (by the name), and the content is the fixture byte for byte */
    gzFile g = gzopen(gz, "rb");
    unsigned char buf[100];
    int n = gzread(g, buf, sizeof buf);
    ck_assert_int_eq(gzdirect(g), 0);
    gzclose(g);
    ck_assert_int_eq(n, (int)sizeof images);
    ck_assert(memcmp(buf, images, sizeof images) == 0);
    gsl_matrix *Y = NULL;
    ck_assert_int_eq(pmk_idx_read(gz, &Y, NULL, NULL, &e), PMK_OK);
    ck_assert(gsl_matrix_equal(X, Y));
    gsl_matrix_free(Y);
    gsl_matrix_free(X);
    /* labels: written and read back */
    long y[3] = {9, 0, 255}, *back = NULL;
    size_t nb;
    snprintf(gz, sizeof gz, "%s/lab.gz", dir);
    ck_assert_int_eq(pmk_idx_write_labels(gz, y, 3, &e), PMK_OK);
    ck_assert_int_eq(pmk_idx_read_labels(gz, &back, &nb, &e), PMK_OK);
    ck_assert_uint_eq(nb, 3);
    ck_assert(back[0] == 9 && back[1] == 0 && back[2] == 255);
    free(back);
    cleanup();
}
END_TEST

/* Reads @p bytes as an IDX file; returns the status, the message with the
 * path replaced by "F". */
static int idx_error(const void *bytes, size_t len, int gzip, char *msg, size_t mlen)
{
    const char *p = file_with("bad.idx", "", 0);
    char path[700];
    snprintf(path, sizeof path, "%s", p);
    if (gzip) {
        gzFile g = gzopen(path, "wb");
        gzwrite(g, bytes, (unsigned)len);
        gzclose(g);
    } else {
        test_write_file(path, bytes, len);
    }
    gsl_matrix *X = NULL;
    pmk_error e;
    pmk_error_clear(&e);
    int rc = pmk_idx_read(path, &X, NULL, NULL, &e);
    gsl_matrix_free(X);
    size_t pl = strlen(path);
    snprintf(msg, mlen, "F%s", strncmp(e.msg, path, pl) == 0 ? e.msg + pl : e.msg);
    return rc;
}

#define IDX_BAD(arr, len, gz, code, text)                                      \
    do {                                                                       \
        char m_[PMK_ERROR_MSG_MAX + 8];                                            \
        ck_assert_int_eq(idx_error(arr, len, gz, m_, sizeof m_), code);        \
        ck_assert_str_eq(m_, text);                                            \
    } while (0)

START_TEST(test_bad_headers_and_bodies)
{
    IDX_BAD("", 0, 0, PMK_EFORMAT, "F: not an IDX file: 0 bytes, the header needs at least 4");
    IDX_BAD("3,0,0,0\n", 8, 0, PMK_EFORMAT,
            "F: not an IDX file: magic 33 2c 30 2c, expected 00 00 then a type and a dimension "
            "count");
    static const unsigned char type7[] = {0, 0, 7, 1, 0, 0, 0, 1, 0};
    IDX_BAD(type7, sizeof type7, 0, PMK_EFORMAT,
            "F: unknown IDX element type 0x07 (known: 08 u8, 09 s8, 0b i16, 0c i32, 0d f32, "
            "0e f64)");
    static const unsigned char nd0[] = {0, 0, 8, 0, 1};
    IDX_BAD(nd0, sizeof nd0, 0, PMK_EFORMAT, "F: IDX header gives 0 dimensions, expected 1 to 8");
    static const unsigned char nd9[] = {0, 0, 8, 9, 0, 0, 0, 1};
    IDX_BAD(nd9, sizeof nd9, 0, PMK_EFORMAT, "F: IDX header gives 9 dimensions, expected 1 to 8");
    static const unsigned char shorthead[] = {0, 0, 8, 3, 0, 0, 0, 3, 0, 0};
    IDX_BAD(shorthead, sizeof shorthead, 0, PMK_EFORMAT,
            "F: truncated IDX header: 10 bytes, a header with 3 dimensions has 16");
    static const unsigned char zero[] = {0, 0, 8, 2, 0, 0, 0, 3, 0, 0, 0, 0};
    IDX_BAD(zero, sizeof zero, 0, PMK_EFORMAT, "F: IDX dimension 2 of 2 is 0");
    /* (2^32-1)^3 elements overflow 64 bits: refused before any allocation */
    static const unsigned char huge[] = {0, 0, 0x0e, 3, 255, 255, 255, 255, 255, 255, 255, 255,
                                         255, 255, 255, 255};
    IDX_BAD(huge, sizeof huge, 0, PMK_ELIMIT,
            "F: IDX header says 4294967295 x 4294967295 x 4294967295 f64 elements: more than "
            "memory can hold");
    /* (2^32-1)^2 u8 elements fit in size_t, but not as doubles (8 bytes each) */
    static const unsigned char huge2[] = {0, 0, 8, 2, 255, 255, 255, 255, 255, 255, 255, 255, 1};
    IDX_BAD(huge2, sizeof huge2, 0, PMK_ELIMIT,
            "F: IDX header says 4294967295 x 4294967295 u8 elements: more than memory can hold");
    /* a header that lies: 60000 x 28 x 28 = 47040000 pixels + 16 bytes of header */
    static const unsigned char lie[] = {0, 0, 8, 3, 0, 0, 0xea, 0x60, 0, 0, 0, 28, 0, 0, 0, 28,
                                        1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    IDX_BAD(lie, sizeof lie, 0, PMK_EFORMAT,
            "F: header says 60000 x 28 x 28 u8 = 47040016 bytes, file has 26 bytes");
    /* the fixture cut at 30 of its 34 bytes, plain and gzipped; and 2 extra bytes */
    IDX_BAD(images, 30, 0, PMK_EFORMAT, "F: header says 3 x 2 x 3 u8 = 34 bytes, file has 30 bytes");
    IDX_BAD(images, 30, 1, PMK_EFORMAT,
            "F: header says 3 x 2 x 3 u8 = 34 bytes, file has 30 bytes after gunzip");
    unsigned char longer[sizeof images + 2];
    memcpy(longer, images, sizeof images);
    longer[sizeof images] = longer[sizeof images + 1] = 0;
    IDX_BAD(longer, sizeof longer, 0, PMK_EFORMAT,
            "F: header says 3 x 2 x 3 u8 = 34 bytes, file has 36 bytes");
    /* PMK_MAX_MEMORY below the 18 doubles (144 bytes) of the fixture */
    setenv("PMK_MAX_MEMORY", "100", 1);
    IDX_BAD(images, sizeof images, 0, PMK_ELIMIT,
            "F: an IDX body of 3 x 2 x 3 u8 elements (as doubles) needs 144 bytes, more than "
            "the PMK_MAX_MEMORY limit of 100 bytes");
    setenv("PMK_MAX_MEMORY", "1k", 1);
    char m1[PMK_ERROR_MSG_MAX + 8];
    ck_assert_int_eq(idx_error(images, sizeof images, 0, m1, sizeof m1), PMK_OK);
    unsetenv("PMK_MAX_MEMORY");
    /* NaN in a float file */
    static const unsigned char nan32[] = {0, 0, 0x0d, 1, 0, 0, 0, 2, 0x3f, 0x80, 0, 0,
                                          0x7f, 0xc0, 0, 0};
    IDX_BAD(nan32, sizeof nan32, 0, PMK_EDATA, "F: element 2 (row 2, column 1) is NaN");
    /* a truncated gzip stream */
    static const unsigned char gzhead[] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0x63};
    IDX_BAD(gzhead, sizeof gzhead, 0, PMK_EFORMAT,
            "F: truncated gzip stream (unexpected end of file)");
    cleanup();
}
END_TEST

START_TEST(test_labels_must_be_1d_integers)
{
    pmk_error e;
    long *y = NULL;
    size_t n;
    const char *img = test_srcpath("tests/data/idx-images.idx3-ubyte");
    char want[800];
    ck_assert_int_eq(pmk_idx_read_labels(img, &y, &n, &e), PMK_EFORMAT);
    snprintf(want, sizeof want, "%s: not a label file: 3 dimensions (3 x 2 x 3), expected 1", img);
    ck_assert_str_eq(e.msg, want);
    ck_assert_ptr_null(y);
    static const unsigned char f32[] = {0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0x80, 0, 0};
    const char *p = FILE_WITH("f.idx", f32);
    ck_assert_int_eq(pmk_idx_read_labels(p, &y, &n, &e), PMK_EFORMAT);
    snprintf(want, sizeof want, "%s: not a label file: elements are f32, expected integers", p);
    ck_assert_str_eq(e.msg, want);
    cleanup();
}
END_TEST

START_TEST(test_write_refuses_unrepresentable)
{
    pmk_error e;
    const char *p = FILE_WITH("keep.idx", images);
    char path[700], want[900];
    snprintf(path, sizeof path, "%s", p);
    gsl_matrix *X = gsl_matrix_calloc(2, 3);
    gsl_matrix_set(X, 0, 1, 256);
    ck_assert_int_eq(pmk_idx_write(path, X, PMK_IDX_U8, NULL, 0, &e), PMK_EDATA);
    snprintf(want, sizeof want, "%s: row 1, column 2: 256 does not fit in u8 (integers 0 to 255)",
             path);
    ck_assert_str_eq(e.msg, want);
    gsl_matrix_set(X, 0, 1, 2.5);
    ck_assert_int_eq(pmk_idx_write(path, X, PMK_IDX_U8, NULL, 0, &e), PMK_EDATA);
    snprintf(want, sizeof want, "%s: row 1, column 2: 2.5 does not fit in u8 (integers 0 to 255)",
             path);
    ck_assert_str_eq(e.msg, want);
    gsl_matrix_set(X, 0, 1, 0.1);
    ck_assert_int_eq(pmk_idx_write(path, X, PMK_IDX_F32, NULL, 0, &e), PMK_EDATA);
    snprintf(want, sizeof want, "%s: row 1, column 2: 0.10000000000000001 does not fit in f32 "
             "(values a 32-bit float holds exactly)", path);
    ck_assert_str_eq(e.msg, want);
    size_t dims[2] = {2, 2};
    gsl_matrix_set(X, 0, 1, 1);
    ck_assert_int_eq(pmk_idx_write(path, X, PMK_IDX_U8, dims, 2, &e), PMK_EINVAL);
    snprintf(want, sizeof want, "%s: IDX dimensions hold 4 elements, the data has 6", path);
    ck_assert_str_eq(e.msg, want);
    long y[2] = {3, 300};
    ck_assert_int_eq(pmk_idx_write_labels(path, y, 2, &e), PMK_EDATA);
    snprintf(want, sizeof want, "%s: label 2 is 300: does not fit in u8 (integers 0 to 255)", path);
    ck_assert_str_eq(e.msg, want);
    /* every refusal left the file as it was */
    size_t len;
    char *got = test_read_file(path, &len);
    ck_assert_uint_eq(len, sizeof images);
    ck_assert(memcmp(got, images, len) == 0);
    free(got);
    /* a full disk is an error naming the file */
    ck_assert_int_eq(pmk_idx_write("/dev/full", X, PMK_IDX_U8, NULL, 0, &e), PMK_EIO);
    ck_assert_str_eq(e.msg, "/dev/full: cannot write: No space left on device");
    gsl_matrix_free(X);
    cleanup();
}
END_TEST

Suite *suite_idx(void)
{
    Suite *s = suite_create("idx");
    TCase *tc = tcase_create("read");
    tcase_add_test(tc, test_read_u8_images_and_labels);
    tcase_add_test(tc, test_every_type_decodes_and_roundtrips);
    tcase_add_test(tc, test_gzip_roundtrip);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_test(tc, test_bad_headers_and_bodies);
    tcase_add_test(tc, test_labels_must_be_1d_integers);
    tcase_add_test(tc, test_write_refuses_unrepresentable);
    suite_add_tcase(s, tc);
    return s;
}
