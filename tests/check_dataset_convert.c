/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_dataset_convert.c: the conversions of the data-set layer (what `pmk
 * convert` does): the format sniff, IDX to CSV with its exact text, CSV to
 * IDX byte for byte (the five test images and their labels both ways), the
 * shape rules and the u8 checks' messages; and the CSV sets and numbered
 * headers (pmk/csv.h) that exports write. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "check_dataset.h"

/* ds_images5 / ds_labels5 as CSV, label first. */
static const char csv5[] = "label,pixel0,pixel1,pixel2,pixel3\n"
                           "9,0,1,2,255\n8,10,11,12,254\n7,20,21,22,253\n"
                           "6,30,31,32,252\n5,40,41,42,251\n";

static void assert_bytes(const char *path, const void *want, size_t n)
{
    size_t len;
    char *got = test_read_file(path, &len);
    ck_assert_ptr_nonnull(got);
    ck_assert_uint_eq(len, n);
    ck_assert_int_eq(memcmp(got, want, n), 0);
    free(got);
}

START_TEST(test_sniff)
{
    int f = -1;
    pmk_error err;
    ck_assert_int_eq(pmk_data_sniff(FILE_WITH("s.idx", ds_images5), &f, &err), PMK_OK);
    ck_assert_int_eq(f, PMK_DATA_IDX);
    ck_assert_int_eq(pmk_data_sniff(TEXT("s.csv", csv5), &f, &err), PMK_OK);
    ck_assert_int_eq(f, PMK_DATA_CSV);
    ck_assert_int_eq(pmk_data_sniff(TEXT("one.csv", "\0"), &f, &err), PMK_OK);  /* 0 bytes */
    ck_assert_int_eq(f, PMK_DATA_CSV);
    f = -1;
    ck_assert_int_eq(pmk_data_sniff("-", &f, &err), PMK_OK);   /* stdin is not read */
    ck_assert_int_eq(f, PMK_DATA_CSV);
    ck_assert_int_eq(pmk_data_sniff("/nonexistent/x.idx", &f, &err), PMK_EIO);
    ck_assert_str_eq(err.msg, "/nonexistent/x.idx: cannot open: No such file or directory");
}
END_TEST

START_TEST(test_idx_to_csv)
{
    const char *img = FILE_WITH("c-images-idx3-ubyte", ds_images5);
    const char *lab = FILE_WITH("c-labels-idx1-ubyte", ds_labels5);
    char out[700];
    snprintf(out, sizeof out, "%s.csv", img);
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.labels = lab;
    pmk_data_convert_info info;
    pmk_error err;
    ck_assert_int_eq(pmk_data_to_csv(img, &o, out, &info, &err), PMK_OK);
    size_t len;
    char *text = test_read_file(out, &len);
    ck_assert_str_eq(text, csv5);
    free(text);
    ck_assert_uint_eq(info.rows, 5);
    ck_assert_uint_eq(info.d, 4);
    ck_assert_int_eq(info.labels, 1);
    /* the images alone: no label column */
    o.labels = NULL;
    o.label_col = -1;
    ck_assert_int_eq(pmk_data_to_csv(img, &o, out, &info, &err), PMK_OK);
    text = test_read_file(out, &len);
    ck_assert(strncmp(text, "pixel0,pixel1,pixel2,pixel3\n0,1,2,255\n10,", 41) == 0);
    free(text);
    ck_assert_int_eq(info.labels, 0);
}
END_TEST

START_TEST(test_csv_to_idx)
{
    const char *in = TEXT("t.csv", csv5);
    char out[700], labs[700];
    snprintf(out, sizeof out, "%s.idx", in);
    snprintf(labs, sizeof labs, "%s.lab", in);
    pmk_data_convert_info info;
    pmk_error err;
    /* 4 values a row: 2 x 2 images, byte for byte the IDX files */
    ck_assert_int_eq(pmk_data_to_idx(in, NULL, NULL, out, labs, &info, &err), PMK_OK);
    assert_bytes(out, ds_images5, sizeof ds_images5);
    assert_bytes(labs, ds_labels5, sizeof ds_labels5);
    ck_assert_uint_eq(info.rows, 5);
    ck_assert_uint_eq(info.ndim, 3);
    ck_assert_uint_eq(info.dims[1], 2);
    ck_assert_uint_eq(info.dims[2], 2);
    /* a shape: 5 x 1 x 4 */
    const size_t shape[2] = {1, 4};
    ck_assert_int_eq(pmk_data_to_idx(in, NULL, shape, out, NULL, &info, &err), PMK_OK);
    unsigned char want[36];
    memcpy(want, ds_images5, sizeof want);
    want[11] = 1;
    want[15] = 4;
    assert_bytes(out, want, sizeof want);
    const size_t bad[2] = {2, 3};
    ck_assert_int_eq(pmk_data_to_idx(in, NULL, bad, out, NULL, &info, &err), PMK_EINVAL);
    char msg[1024];
    snprintf(msg, sizeof msg, "%s: shape 2x3 holds 6 values, but rows have 4", in);
    ck_assert_str_eq(err.msg, msg);
    /* 3 values a row: N x D */
    ck_assert_int_eq(pmk_data_to_idx(TEXT("w.csv", "1,2,3,4\n"), NULL, NULL, out, NULL, &info,
                                     &err), PMK_OK);
    ck_assert_uint_eq(info.ndim, 2);
    ck_assert_uint_eq(info.dims[1], 3);
    /* the u8 checks: values always, labels when they are written */
    const char *v256 = TEXT("v.csv", "1,2,256,4\n");
    ck_assert_int_eq(pmk_data_to_idx(v256, NULL, NULL, out, NULL, &info, &err), PMK_EDATA);
    snprintf(msg, sizeof msg, "%s:1:5: field 3: '256' is not in the range 0 to 255", v256);
    ck_assert_str_eq(err.msg, msg);
    const char *l300 = TEXT("l.csv", "300,1,2,3,4\n");
    ck_assert_int_eq(pmk_data_to_idx(l300, NULL, NULL, out, NULL, &info, &err), PMK_OK);
    ck_assert_int_eq(pmk_data_to_idx(l300, NULL, NULL, out, labs, &info, &err), PMK_EDATA);
    snprintf(msg, sizeof msg, "%s:1:1: field 1: label '300' is not in the range 0 to 255", l300);
    ck_assert_str_eq(err.msg, msg);
    /* labels asked for, none in the data */
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.label_col = -1;
    ck_assert_int_eq(pmk_data_to_idx(in, &o, NULL, out, labs, &info, &err), PMK_EINVAL);
    snprintf(msg, sizeof msg, "%s: no label column to write to %s", in, labs);
    ck_assert_str_eq(err.msg, msg);
}
END_TEST

START_TEST(test_csv_sets)
{
    char *h = pmk_csv_numbered_header("label", "mu", 3);
    ck_assert_str_eq(h, "label,mu0,mu1,mu2");
    free(h);
    h = pmk_csv_numbered_header(NULL, "h", 2);
    ck_assert_str_eq(h, "h0,h1");
    free(h);
    h = pmk_csv_numbered_header("x", "p", 0);
    ck_assert_str_eq(h, "x");
    free(h);

    char dir[700], p[800];
    snprintf(dir, sizeof dir, "%s/set", test_tmpdir());
    const double v[2] = {1.5, -2};
    gsl_matrix_const_view X = gsl_matrix_const_view_array(v, 1, 2);
    const long y[1] = {7};
    pmk_csv_table t[2] = {{"a.csv", &X.matrix, y, "label,x,y"}, {"b.csv", NULL, NULL, "scale"}};
    pmk_error err;
    ck_assert_int_eq(pmk_csv_write_set(dir, t, 2, &err), PMK_OK);
    snprintf(p, sizeof p, "%s/a.csv", dir);
    size_t len;
    char *text = test_read_file(p, &len);
    ck_assert_str_eq(text, "label,x,y\n7,1.5,-2\n");
    free(text);
    snprintf(p, sizeof p, "%s/b.csv", dir);
    text = test_read_file(p, &len);
    ck_assert_str_eq(text, "scale\n");
    free(text);
    /* a member that fails (a NaN): no target changes */
    const double nan2[2] = {NAN, 0};
    gsl_matrix_const_view N = gsl_matrix_const_view_array(nan2, 1, 2);
    pmk_csv_table t2[2] = {{"b.csv", &X.matrix, NULL, "new"}, {"a.csv", &N.matrix, NULL, NULL}};
    ck_assert_int_eq(pmk_csv_write_set(dir, t2, 2, &err), PMK_EDATA);
    text = test_read_file(p, &len);
    ck_assert_str_eq(text, "scale\n");
    free(text);
    snprintf(p, sizeof p, "%s/a.csv", dir);
    ck_assert_ptr_nonnull(strstr(err.msg, p));   /* the target's name, not the staging one */
}
END_TEST

void suite_dataset_convert(Suite *s)
{
    TCase *tc = tcase_create("convert");
    tcase_add_test(tc, test_sniff);
    tcase_add_test(tc, test_idx_to_csv);
    tcase_add_test(tc, test_csv_to_idx);
    tcase_add_test(tc, test_csv_sets);
    suite_add_tcase(s, tc);
}
