/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_spins.c: the spin-image suite: binary images read straight into
 * int8 spins and written back (exact round trips, byte-identical to the
 * pmk_image writers), the rule that a PGM of 0/maxval samples is binary, the
 * grey-image paths, and the "FMT:PATH" output names. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_image.h"

/* A W x H spin image with an irregular pattern (W not a multiple of 8, so
 * P4 and 1-bit PNG rows end in padding bits). */
static pmk_spin_image *make_spins(size_t w, size_t h, unsigned seed)
{
    pmk_spin_image *s = pmk_spin_image_alloc(w, h, NULL);
    ck_assert_ptr_nonnull(s);
    uint32_t v = seed * 2654435761u + 1;
    for (size_t i = 0; i < w * h; i++) {
        v = v * 1664525u + 1013904223u;
        s->spins[i] = (v >> 28) & 1 ? 1 : -1;
    }
    return s;
}

/* Reads @p path with pmk_image_read_binary, which must give spins. */
static pmk_spin_image *read_spins(const char *path)
{
    pmk_error e;
    pmk_spin_image *s = (pmk_spin_image *)0x1;
    pmk_image *g = (pmk_image *)0x1;
    int rc = pmk_image_read_binary(path, &s, &g, &e);
    ck_assert_msg(rc == PMK_OK, "%s: %s", path, e.msg);
    ck_assert_ptr_null(g);
    ck_assert_ptr_nonnull(s);
    return s;
}

static void assert_same_spins(const pmk_spin_image *a, const pmk_spin_image *b, const char *what)
{
    ck_assert_uint_eq(a->width, b->width);
    ck_assert_uint_eq(a->height, b->height);
    ck_assert_msg(memcmp(a->spins, b->spins, a->width * a->height) == 0, "%s: spins differ",
                  what);
}

static void assert_same_file(const char *p1, const char *p2)
{
    size_t n1, n2;
    char *d1 = test_read_file(p1, &n1), *d2 = test_read_file(p2, &n2);
    ck_assert_uint_eq(n1, n2);
    ck_assert_msg(memcmp(d1, d2, n1) == 0, "%s and %s differ", p1, p2);
    free(d1);
    free(d2);
}

/* Spins -> file -> spins is exact, the file is byte for byte what
 * pmk_image_write makes of the same image as a binary pmk_image, and
 * file -> spins -> file gives the same bytes again. */
START_TEST(test_round_trips)
{
    static const pmk_image_format fmts[] = {PMK_IMAGE_PBM, PMK_IMAGE_PBM_PLAIN, PMK_IMAGE_PGM,
                                            PMK_IMAGE_PGM_PLAIN, PMK_IMAGE_PNG};
    static const size_t sizes[][2] = {{13, 5}, {1, 1}, {8, 3}, {1001, 37}};
    pmk_error e;
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        pmk_spin_image *s = make_spins(sizes[k][0], sizes[k][1], (unsigned)k);
        pmk_image *img = NULL;
        ck_assert_int_eq(pmk_spin_image_to_image(s, &img, &e), PMK_OK);
        for (size_t f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
            char p1[600], p2[600], p3[600];
            snprintf(p1, sizeof p1, "%s/s%zu-%zu.img", img_dir, k, f);
            snprintf(p2, sizeof p2, "%s/i%zu-%zu.img", img_dir, k, f);
            snprintf(p3, sizeof p3, "%s/t%zu-%zu.img", img_dir, k, f);
            ck_assert_int_eq(pmk_spin_image_write(p1, s, fmts[f], &e), PMK_OK);
            ck_assert_int_eq(pmk_image_write(p2, img, fmts[f], &e), PMK_OK);
            assert_same_file(p1, p2);
            pmk_spin_image *back = read_spins(p1);
            assert_same_spins(s, back, p1);
            ck_assert_int_eq(pmk_spin_image_write(p3, back, fmts[f], &e), PMK_OK);
            assert_same_file(p1, p3);
            pmk_spin_image_free(back);
        }
        pmk_image_free(img);
        pmk_spin_image_free(s);
    }
}
END_TEST

/* A hand-made P4 file: 10 x 2, rows 0xA5 0xC0 and 0x01 0x7F; the padding
 * bits of each row's last byte (6 of them) are set in the input, ignored on
 * reading and written clear. */
START_TEST(test_known_bits)
{
    static const unsigned char p4[] = "P4\n10 2\n\xA5\xFF\x01\x7F";
    static const int8_t want[20] = {1, -1, 1, -1, -1, 1, -1, 1, 1, 1,
                                    -1, -1, -1, -1, -1, -1, -1, 1, -1, 1};
    test_write_file(img_tpath("k.pbm"), p4, sizeof p4 - 1);
    pmk_spin_image *s = read_spins(img_tpath("k.pbm"));
    ck_assert_uint_eq(s->width, 10);
    ck_assert_uint_eq(s->height, 2);
    for (int i = 0; i < 20; i++)
        ck_assert_msg(s->spins[i] == want[i], "spin %d is %d", i, s->spins[i]);
    pmk_error e;
    ck_assert_int_eq(pmk_spin_image_write(img_tpath("k2.pbm"), s, PMK_IMAGE_AUTO, &e), PMK_OK);
    size_t n;
    char *d = test_read_file(img_tpath("k2.pbm"), &n);
    ck_assert_uint_eq(n, 12);
    ck_assert(memcmp(d, "P4\n10 2\n\xA5\xC0\x01\x40", 12) == 0);
    free(d);
    /* The same pixels as PGM: black 0, white 255. */
    ck_assert_int_eq(pmk_spin_image_write(img_tpath("k.pgm"), s, PMK_IMAGE_AUTO, &e), PMK_OK);
    d = test_read_file(img_tpath("k.pgm"), &n);
    ck_assert_uint_eq(n, 12 + 20);
    ck_assert(memcmp(d, "P5\n10 2\n255\n", 12) == 0);
    for (int i = 0; i < 20; i++)
        ck_assert_uint_eq((unsigned char)d[12 + i], want[i] > 0 ? 0u : 255u);
    free(d);
    pmk_spin_image_free(s);
}
END_TEST

/* A PGM whose every sample is 0 or maxval reads as binary (0 black); any
 * other level keeps it grey; pmk_image_read itself still gives grey. */
START_TEST(test_pgm_binary_rule)
{
    pmk_error e;
    static const struct {
        const char *bytes;
        size_t len;
        int binary;
    } cases[] = {
        {"P5\n3 1\n7\n\x00\x07\x00", 12, 1},
        {"P5\n3 1\n7\n\x00\x03\x07", 12, 0},
        {"P2\n3 1\n9\n9 0 9\n", 15, 1},
        {"P2\n3 1\n9\n9 1 9\n", 15, 0},
        {"P5\n2 1\n65535\n\xff\xff\x00\x00", 17, 1},
        {"P5\n2 1\n65535\n\xff\xfe\x00\x00", 17, 0},
        {"P5\n2 1\n1\n\x01\x00", 11, 1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char name[32];
        snprintf(name, sizeof name, "c%zu.pgm", k);
        test_write_file(img_tpath(name), cases[k].bytes, cases[k].len);
        pmk_spin_image *s = NULL;
        pmk_image *g = NULL;
        ck_assert_int_eq(pmk_image_read_binary(img_tpath(name), &s, &g, &e), PMK_OK);
        ck_assert_msg((s != NULL) == cases[k].binary && (g != NULL) == !cases[k].binary,
                      "case %zu", k);
        if (s) {
            /* the first sample is maxval (white) in every binary case but
             * the first, whose first is 0 (black) */
            ck_assert_int_eq(s->spins[0], k == 0 ? 1 : -1);
            ck_assert_int_eq(s->spins[1], k == 0 ? -1 : 1);
        }
        pmk_spin_image_free(s);
        pmk_image_free(g);
        pmk_image *img = NULL;
        ck_assert_int_eq(pmk_image_read(img_tpath(name), &img, &e), PMK_OK);
        ck_assert_int_eq(img->binary, 0);
        pmk_image_free(img);
    }
}
END_TEST

/* Grey images become spins only with a threshold. */
START_TEST(test_grey)
{
    pmk_error e;
    /* levels 0 10 200 255 / 127 128 0 255: black where level < 127.5 */
    static const char pgm[] = "P2\n4 2\n255\n0 10 200 255\n127 128 0 255\n";
    static const int8_t want[8] = {1, 1, -1, -1, 1, -1, 1, -1};
    test_write_file(img_tpath("g.pgm"), pgm, sizeof pgm - 1);
    pmk_spin_image *s = (pmk_spin_image *)0x1;
    ck_assert_int_eq(pmk_spin_image_read(img_tpath("g.pgm"), 0, &s, &e), PMK_EDATA);
    ck_assert_ptr_null(s);
    char msg[700];
    snprintf(msg, sizeof msg, "%s: grey image (maxval 255): a threshold is needed to binarise it",
             img_tpath("g.pgm"));
    ck_assert_str_eq(e.msg, msg);
    ck_assert_int_eq(pmk_spin_image_read(img_tpath("g.pgm"), 0.5, &s, &e), PMK_OK);
    ck_assert(memcmp(s->spins, want, 8) == 0);
    /* a second image like the first: the same size reads (NULL: no check),
     * another is refused naming both */
    pmk_spin_image *s2 = NULL, *wide = make_spins(5, 2, 1);
    ck_assert_int_eq(pmk_spin_image_read_like(img_tpath("g.pgm"), 0.5, s, "first", &s2, &e),
                     PMK_OK);
    ck_assert(memcmp(s2->spins, want, 8) == 0);
    pmk_spin_image_free(s2);
    ck_assert_int_eq(pmk_spin_image_read_like(img_tpath("g.pgm"), 0.5, NULL, NULL, &s2, &e),
                     PMK_OK);
    pmk_spin_image_free(s2);
    ck_assert_int_eq(pmk_spin_image_read_like(img_tpath("g.pgm"), 0.5, wide, "w.pbm", &s2, &e),
                     PMK_EDATA);
    ck_assert_ptr_null(s2);
    snprintf(msg, sizeof msg, "%s is 4x2 but w.pbm is 5x2", img_tpath("g.pgm"));
    ck_assert_str_eq(e.msg, msg);
    pmk_spin_image_free(wide);
    pmk_spin_image_free(s);
    /* the same as pmk_image_threshold */
    pmk_image *g = NULL, *b = NULL;
    ck_assert_int_eq(pmk_image_read(img_tpath("g.pgm"), &g, &e), PMK_OK);
    ck_assert_int_eq(pmk_image_threshold(g, 0.5, &b, &e), PMK_OK);
    ck_assert_int_eq(pmk_spin_image_from_image(b, 0, &s, &e), PMK_OK);
    ck_assert(memcmp(s->spins, want, 8) == 0);
    pmk_spin_image_free(s);
    ck_assert_int_eq(pmk_spin_image_from_image(g, 1.5, &s, &e), PMK_EINVAL);
    ck_assert_ptr_null(s);
    pmk_image_free(g);
    pmk_image_free(b);
}
END_TEST

START_TEST(test_write_errors)
{
    pmk_error e;
    pmk_spin_image *s = pmk_spin_image_alloc(3, 2, &e);
    ck_assert_ptr_nonnull(s);
    for (int i = 0; i < 6; i++)
        ck_assert_int_eq(s->spins[i], -1);   /* allocated white */
    s->spins[4] = 0;
    ck_assert_int_eq(pmk_spin_image_write(img_tpath("z.pbm"), s, PMK_IMAGE_AUTO, &e), PMK_EINVAL);
    char msg[700];
    snprintf(msg, sizeof msg, "%s: cannot write: spin at row 2, column 2 is 0, not -1 or +1",
             img_tpath("z.pbm"));
    ck_assert_str_eq(e.msg, msg);
    s->spins[4] = 1;
    ck_assert_int_eq(pmk_spin_image_write(img_tpath("z.txt"), s, PMK_IMAGE_AUTO, &e), PMK_EINVAL);
    ck_assert_ptr_null(pmk_spin_image_alloc(0, 2, &e));
    ck_assert_int_eq(e.code, PMK_EINVAL);
    pmk_spin_image_free(s);
    pmk_spin_image_free(NULL);
}
END_TEST

/* "FMT:PATH", --format and the extension. */
START_TEST(test_output_parse)
{
    pmk_error e;
    pmk_image_format f;
    const char *path;
    f = PMK_IMAGE_AUTO;
    ck_assert_int_eq(pmk_image_output_parse("png:-", &f, &path, &e), PMK_OK);
    ck_assert_int_eq(f, PMK_IMAGE_PNG);
    ck_assert_str_eq(path, "-");
    f = PMK_IMAGE_AUTO;
    ck_assert_int_eq(pmk_image_output_parse("PGM:x.png", &f, &path, &e), PMK_OK);
    ck_assert_int_eq(f, PMK_IMAGE_PGM);
    ck_assert_str_eq(path, "x.png");
    f = PMK_IMAGE_AUTO;
    ck_assert_int_eq(pmk_image_output_parse("d/out.pbm", &f, &path, &e), PMK_OK);
    ck_assert_int_eq(f, PMK_IMAGE_PBM);
    ck_assert_str_eq(path, "d/out.pbm");
    f = PMK_IMAGE_AUTO;   /* "abc:" is not a format: part of the name */
    ck_assert_int_eq(pmk_image_output_parse("abc:y.png", &f, &path, &e), PMK_OK);
    ck_assert_int_eq(f, PMK_IMAGE_PNG);
    ck_assert_str_eq(path, "abc:y.png");
    f = PMK_IMAGE_PBM;    /* explicit, and agreeing */
    ck_assert_int_eq(pmk_image_output_parse("-", &f, &path, &e), PMK_OK);
    ck_assert_int_eq(pmk_image_output_parse("pbm:-", &f, &path, &e), PMK_OK);
    ck_assert_int_eq(f, PMK_IMAGE_PBM);
    f = PMK_IMAGE_PNG;
    ck_assert_int_eq(pmk_image_output_parse("pbm:-", &f, &path, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the format png contradicts the output 'pbm:-'");
    f = PMK_IMAGE_AUTO;
    ck_assert_int_eq(pmk_image_output_parse("-", &f, &path, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "an image written to standard output needs a format (pbm:-, pgm:- "
                            "or png:-)");
    f = PMK_IMAGE_AUTO;
    ck_assert_int_eq(pmk_image_output_parse("png:", &f, &path, &e), PMK_EINVAL);
    ck_assert_int_eq(pmk_image_format_parse("Png", &f, &e), PMK_OK);
    ck_assert_int_eq(f, PMK_IMAGE_PNG);
    ck_assert_int_eq(pmk_image_format_parse("jpg", &f, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "unknown image format 'jpg' (use pbm, pgm or png)");
}
END_TEST

Suite *suite_spins(void)
{
    Suite *s = suite_create("spins");
    TCase *tc = tcase_create("spins");
    tcase_add_checked_fixture(tc, img_setup, img_teardown);
    tcase_add_test(tc, test_round_trips);
    tcase_add_test(tc, test_known_bits);
    tcase_add_test(tc, test_pgm_binary_rule);
    tcase_add_test(tc, test_grey);
    tcase_add_test(tc, test_write_errors);
    tcase_add_test(tc, test_output_parse);
    suite_add_tcase(s, tc);
    return s;
}
