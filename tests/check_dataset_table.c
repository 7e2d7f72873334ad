/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_dataset_table.c: the dataset suite's second half: the compact table
 * (bytes, doubles, bits) and its gathers, the [0,1] check's positioned
 * messages, round trips, the memory ceiling, the holdout split against the
 * code `pmk rbm train` used before it moved here, and the one rule for an
 * option that contradicts a model's transform. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>
#include <zlib.h>

#include "check_dataset.h"

/* ---------------------------------------------------------------- table */

START_TEST(test_table_storage)
{
    pmk_error e;
    pmk_table *t;
    const char *path = TEXT("t.csv", ds_csv_text);
    ck_assert_int_eq(pmk_data_read_all(path, NULL, &t, &e), PMK_OK);
    ck_assert_int_eq(pmk_table_storage(t), PMK_TABLE_U8);
    ck_assert_uint_eq(pmk_table_nrows(t), 5);
    ck_assert_uint_eq(pmk_table_nfeatures(t), 2);
    ck_assert_uint_eq(pmk_table_bytes(t), 10);
    ck_assert_str_eq(pmk_table_path(t), path);
    const pmk_data_stats *st = pmk_table_stats(t);
    ck_assert(st->count == 10 && st->min == 0 && st->max == 255 && st->all_u8);
    ck_assert_int_eq(pmk_table_labels(t)[2], 7);
    ck_assert_int_eq(pmk_table_positions(t)[4], 6);
    pmk_transform tf;
    pmk_transform_init(&tf);
    pmk_transform_auto(st, &tf);
    ck_assert(tf.scale == 1.0 / 255.0);
    pmk_table_free(t);

    /* a value that is not a byte after some rows of bytes: doubles, exact */
    path = TEXT("f.csv", "1,2,3\n4,5,6\n7,0.5,256\n8,-1,1e300\n");
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.chunk_rows = 1;
    ck_assert_int_eq(pmk_data_read_all(path, &o, &t, &e), PMK_OK);
    ck_assert_int_eq(pmk_table_storage(t), PMK_TABLE_F64);
    ck_assert_uint_eq(pmk_table_bytes(t), 4 * 2 * sizeof(double));
    gsl_matrix *X = gsl_matrix_alloc(4, 2);
    ck_assert_int_eq(pmk_table_gather(t, NULL, 4, X, &e), PMK_OK);
    const double want[] = {2, 3, 5, 6, 0.5, 256, -1, 1e300};
    for (size_t k = 0; k < 8; k++)
        ck_assert(X->data[k] == want[k]);
    st = pmk_table_stats(t);
    ck_assert(st->min == -1 && st->max == 1e300 && !st->all_u8);
    /* rows in any order, any count */
    size_t pick[] = {3, 0};
    ck_assert_int_eq(pmk_table_gather(t, pick, 2, X, &e), PMK_OK);
    ck_assert(X->data[0] == -1 && X->data[2] == 2);
    pick[0] = 4;
    ck_assert_int_eq(pmk_table_gather(t, pick, 2, X, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "gather: row 4 of a table of 4 rows");
    gsl_matrix_free(X);
    pmk_table_free(t);

    /* IDX u8: bytes straight from the file */
    const char *img = FILE_WITH("s-images-idx3-ubyte", ds_images5);
    FILE_WITH("s-labels-idx1-ubyte", ds_labels5);
    ck_assert_int_eq(pmk_data_read_all(img, NULL, &t, &e), PMK_OK);
    ck_assert_int_eq(pmk_table_storage(t), PMK_TABLE_U8);
    ck_assert_uint_eq(pmk_table_bytes(t), 20);
    ck_assert_int_eq(pmk_table_labels(t)[1], 8);
    ck_assert_int_eq(pmk_table_positions(t)[1], 2);
    X = gsl_matrix_alloc(5, 4);
    ck_assert_int_eq(pmk_table_gather(t, NULL, 5, X, &e), PMK_OK);
    ck_assert(gsl_matrix_get(X, 4, 3) == 251 && gsl_matrix_get(X, 2, 1) == 21);
    gsl_matrix_free(X);
    pmk_table_free(t);

    /* an empty range is no table */
    o.begin = 1000;
    ck_assert_int_eq(pmk_data_read_all(path, &o, &t, &e), PMK_EFORMAT);
    char msg[800];
    snprintf(msg, sizeof msg, "%s: no data rows in the range", path);
    ck_assert_str_eq(e.msg, msg);
    ck_assert_ptr_null(t);
}
END_TEST

START_TEST(test_table_check01)
{
    pmk_error e;
    pmk_table *t;
    char want[800];
    char path[700];
    snprintf(path, sizeof path, "%s", test_srcpath("tests/data/rbm-bad-range.csv"));
    ck_assert_int_eq(pmk_data_read_all(path, NULL, &t, &e), PMK_OK);
    /* the messages `pmk rbm train` gave (tests/cli_rbm.sh) */
    pmk_transform tf = {1.0 / 255.0, 0, 1};
    ck_assert_int_eq(pmk_table_set_transform(t, &tf, &e), PMK_EDATA);
    snprintf(want, sizeof want, "%s:3:6: value 300 is outside [0,1] after scaling by 0.00392157",
             path);
    ck_assert_str_eq(e.msg, want);
    ck_assert_int_eq(e.line, 3);
    ck_assert_int_eq(e.column, 6);
    tf.scale = 1;
    ck_assert_int_eq(pmk_table_set_transform(t, &tf, &e), PMK_EDATA);
    snprintf(want, sizeof want, "%s:1:9: value 192 is outside [0,1]", path);
    ck_assert_str_eq(e.msg, want);
    ck_assert(pmk_table_transform(t)->scale == 1 && !pmk_table_transform(t)->check01);
    pmk_table_free(t);

    /* the field number counts the label column where it lies */
    const char *csv = TEXT("lc.csv", "0,7,1\n1,4,2\n");
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.label_col = 1;
    ck_assert_int_eq(pmk_data_read_all(csv, &o, &t, &e), PMK_OK);
    ck_assert_int_eq(pmk_table_set_transform(t, &tf, &e), PMK_EDATA);
    snprintf(want, sizeof want, "%s:2:3: value 2 is outside [0,1]", csv);
    ck_assert_str_eq(e.msg, want);
    pmk_table_free(t);

    /* IDX: record and column */
    const char *img = FILE_WITH("c-images-idx3-ubyte", ds_images5);
    FILE_WITH("c-labels-idx1-ubyte", ds_labels5);
    ck_assert_int_eq(pmk_data_read_all(img, NULL, &t, &e), PMK_OK);
    ck_assert_int_eq(pmk_table_set_transform(t, &tf, &e), PMK_EDATA);
    snprintf(want, sizeof want, "%s: record 1, column 3: value 2 is outside [0,1]", img);
    ck_assert_str_eq(e.msg, want);
    tf.scale = 1.0 / 255.0;
    ck_assert_int_eq(pmk_table_set_transform(t, &tf, &e), PMK_OK);
    pmk_table_free(t);

    /* a matrix: row and column */
    double v[] = {0, 1, 0, 1, 0, 1.5};
    gsl_matrix_view m = gsl_matrix_view_array(v, 2, 3);
    ck_assert_int_eq(pmk_table_from_matrix(&m.matrix, NULL, &t, &e), PMK_OK);
    ck_assert_ptr_null(pmk_table_labels(t));
    ck_assert_ptr_null(pmk_table_path(t));
    tf.scale = 1;
    ck_assert_int_eq(pmk_table_set_transform(t, &tf, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "row 2, column 3: value 1.5 is outside [0,1]");
    pmk_table_free(t);
}
END_TEST

START_TEST(test_table_bits_and_f32)
{
    pmk_error e;
    pmk_table *t;
    const char *path = TEXT("b.csv", ds_csv_text);
    ck_assert_int_eq(pmk_data_read_all(path, NULL, &t, &e), PMK_OK);
    /* 2/255 .. 255/255 against 0.5: only 255 and none else reach it */
    pmk_transform tf = {1.0 / 255.0, 0.5, 1};
    ck_assert_int_eq(pmk_table_set_transform(t, &tf, &e), PMK_OK);
    ck_assert_int_eq(pmk_table_storage(t), PMK_TABLE_BITS);
    ck_assert_uint_eq(pmk_table_bytes(t), 5);
    gsl_matrix *X = gsl_matrix_alloc(5, 2);
    ck_assert_int_eq(pmk_table_gather(t, NULL, 5, X, &e), PMK_OK);
    const double want[] = {0, 0, 0, 0, 1, 0, 0, 0, 0, 0};
    for (size_t k = 0; k < 10; k++)
        ck_assert(X->data[k] == want[k]);
    ck_assert_int_eq(pmk_table_set_transform(t, &tf, &e), PMK_OK);
    tf.threshold = 0.25;
    ck_assert_int_eq(pmk_table_set_transform(t, &tf, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the table is binarized (scale 0.00392157, threshold 0.5) and cannot "
                            "take another transform (scale 0.00392157, threshold 0.25)");
    /* a split of a bits table keeps the bits */
    pmk_rng *r = pmk_rng_alloc(gsl_rng_mt19937, 3);
    pmk_table *tr, *ho;
    ck_assert_int_eq(pmk_table_split(t, 0.4, r, &tr, &ho, &e), PMK_OK);
    ck_assert_uint_eq(pmk_table_nrows(tr), 3);
    ck_assert_uint_eq(pmk_table_nrows(ho), 2);
    ck_assert_int_eq(pmk_table_storage(ho), PMK_TABLE_BITS);
    pmk_rng_free(r);
    pmk_table_free(tr);
    pmk_table_free(ho);
    pmk_table_free(t);

    /* wider than a byte: bits cross byte boundaries */
    gsl_matrix *W = gsl_matrix_alloc(3, 19);
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 19; j++)
            gsl_matrix_set(W, i, j, (double)((i * 7 + j * 3) % 5) / 4.0);
    ck_assert_int_eq(pmk_table_from_matrix(W, NULL, &t, &e), PMK_OK);
    ck_assert_int_eq(pmk_table_storage(t), PMK_TABLE_F64);
    tf = (pmk_transform){1, 0.5, 0};
    ck_assert_int_eq(pmk_table_set_transform(t, &tf, &e), PMK_OK);
    ck_assert_uint_eq(pmk_table_bytes(t), 9);
    gsl_matrix *G = gsl_matrix_alloc(3, 19);
    ck_assert_int_eq(pmk_table_gather(t, NULL, 3, G, &e), PMK_OK);
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 19; j++)
            ck_assert(gsl_matrix_get(G, i, j) == (gsl_matrix_get(W, i, j) >= 0.5 ? 1.0 : 0.0));
    pmk_table_free(t);

    /* f32: the double gather rounded to float, for doubles and bytes */
    ck_assert_int_eq(pmk_table_from_matrix(W, NULL, &t, &e), PMK_OK);
    tf = (pmk_transform){1.0 / 3.0, 0, 0};
    ck_assert_int_eq(pmk_table_set_transform(t, &tf, &e), PMK_OK);
    float f[3 * 19];
    ck_assert_int_eq(pmk_table_gather(t, NULL, 3, G, &e), PMK_OK);
    ck_assert_int_eq(pmk_table_gather_f32(t, NULL, 3, f, &e), PMK_OK);
    for (size_t k = 0; k < 3 * 19; k++)
        ck_assert(f[k] == (float)G->data[k]);
    pmk_table_free(t);
    const char *img = FILE_WITH("f-images-idx3-ubyte", ds_images5);
    FILE_WITH("f-labels-idx1-ubyte", ds_labels5);
    ck_assert_int_eq(pmk_data_read_all(img, NULL, &t, &e), PMK_OK);
    ck_assert_int_eq(pmk_table_set_transform(t, &tf, &e), PMK_OK);
    gsl_matrix *I = gsl_matrix_alloc(5, 4);
    ck_assert_int_eq(pmk_table_gather(t, NULL, 5, I, &e), PMK_OK);
    ck_assert_int_eq(pmk_table_gather_f32(t, NULL, 5, f, &e), PMK_OK);
    for (size_t k = 0; k < 20; k++) {
        ck_assert(I->data[k] == (1.0 / 3.0) * (double)ds_images5[16 + k]);
        ck_assert(f[k] == (float)I->data[k]);
    }
    gsl_matrix_free(I);
    pmk_table_free(t);
    gsl_matrix_free(G);
    gsl_matrix_free(W);
    gsl_matrix_free(X);
}
END_TEST

/* Written by pmk's writers and read back as a table: the same values, bit
 * for bit, and the same labels. */
START_TEST(test_table_round_trips)
{
    pmk_error e;
    pmk_rng *r = pmk_rng_alloc(gsl_rng_mt19937, 11);
    gsl_matrix *X = gsl_matrix_alloc(40, 7), *Y = gsl_matrix_alloc(40, 7);
    long y[40];
    for (size_t i = 0; i < 40; i++) {
        y[i] = (long)pmk_rng_uniform_int(r, 10);
        for (size_t j = 0; j < 7; j++)
            gsl_matrix_set(X, i, j, pmk_rng_gaussian(r) * pow(10, (double)j - 3));
    }
    char path[700];
    snprintf(path, sizeof path, "%s/rt.csv", test_tmpdir());
    ck_assert_int_eq(pmk_csv_write(path, X, y, NULL, &e), PMK_OK);
    pmk_table *t;
    ck_assert_int_eq(pmk_data_read_all(path, NULL, &t, &e), PMK_OK);
    ck_assert_int_eq(pmk_table_gather(t, NULL, 40, Y, &e), PMK_OK);
    ck_assert(memcmp(X->data, Y->data, 40 * 7 * sizeof(double)) == 0);
    ck_assert(memcmp(pmk_table_labels(t), y, sizeof y) == 0);
    pmk_table_free(t);
    /* bytes through IDX files */
    for (size_t k = 0; k < 40 * 7; k++)
        X->data[k] = (double)pmk_rng_uniform_int(r, 256);
    char img[700], lab[700];
    snprintf(img, sizeof img, "%s/rt-images-idx3-ubyte.gz", test_tmpdir());
    snprintf(lab, sizeof lab, "%s/rt-labels.idx", test_tmpdir());
    ck_assert_int_eq(pmk_idx_write(img, X, PMK_IDX_U8, NULL, 0, &e), PMK_OK);
    ck_assert_int_eq(pmk_idx_write_labels(lab, y, 40, &e), PMK_OK);
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.labels = lab;
    ck_assert_int_eq(pmk_data_read_all(img, &o, &t, &e), PMK_OK);
    ck_assert_int_eq(pmk_table_storage(t), PMK_TABLE_U8);
    ck_assert_int_eq(pmk_table_gather(t, NULL, 40, Y, &e), PMK_OK);
    ck_assert(gsl_matrix_equal(X, Y));
    ck_assert(memcmp(pmk_table_labels(t), y, sizeof y) == 0);
    pmk_table_free(t);
    gsl_matrix_free(X);
    gsl_matrix_free(Y);
    pmk_rng_free(r);
}
END_TEST

/* An MNIST-shaped file of 6,000 rows of 784 bytes: as a table it takes its
 * 4.7 MB, within a 6 MiB ceiling that its 37.6 MB of doubles exceed. */
START_TEST(test_table_memory)
{
    const size_t N = 6000, D = 784;
    size_t len = 16 + N * D;
    unsigned char *b = malloc(len);
    const unsigned char h[16] = {0, 0, 8, 3, 0, 0, 0x17, 0x70, 0, 0, 0, 28, 0, 0, 0, 28};
    memcpy(b, h, 16);
    for (size_t k = 0; k < N * D; k++)
        b[16 + k] = (unsigned char)(k * 7 % 251);
    const char *img = ds_fixture("big-images-idx3-ubyte", b, len);
    free(b);
    char path[700];
    snprintf(path, sizeof path, "%s", img);
    pmk_error e;
    pmk_table *t;
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.label_col = -1;
    setenv("PMK_MAX_MEMORY", "6M", 1);
    ck_assert_int_eq(pmk_data_read_all(path, &o, &t, &e), PMK_OK);
    ck_assert_uint_eq(pmk_table_bytes(t), N * D);
    ck_assert_int_eq(pmk_table_storage(t), PMK_TABLE_U8);
    pmk_table_free(t);
    gsl_matrix *X = NULL;
    ck_assert_int_eq(pmk_idx_read(path, &X, NULL, NULL, &e), PMK_ELIMIT);
    setenv("PMK_MAX_MEMORY", "4M", 1);
    ck_assert_int_eq(pmk_data_read_all(path, &o, &t, &e), PMK_ELIMIT);
    char want[900];
    snprintf(want, sizeof want,
             "%s: a table of 6000 rows of 784 bytes needs 4800000 bytes, more than the "
             "PMK_MAX_MEMORY limit of 4194304 bytes", path);
    ck_assert_str_eq(e.msg, want);
    /* CSV grows as it reads, within the same ceiling */
    const char *csv = TEXT("w.csv", "1,2\n");
    setenv("PMK_MAX_MEMORY", "1k", 1);
    ck_assert_int_eq(pmk_data_read_all(csv, NULL, &t, &e), PMK_OK);
    pmk_table_free(t);
    unsetenv("PMK_MAX_MEMORY");
}
END_TEST

/* ---------------------------------------------------------------- split */

/* The holdout split as src/cli/rbm.c made it before pmk_table_split: rows
 * permuted when H > 0, the last H held out. */
static void old_split(const gsl_matrix *X, double holdout, pmk_rng *r, gsl_matrix **train,
                      gsl_matrix **held)
{
    const size_t N = X->size1, D = X->size2;
    size_t nheld = (size_t)floor(holdout * (double)N);
    if (nheld >= N)
        nheld = N - 1;
    size_t ntrain = N - nheld;
    size_t *perm = malloc(N * sizeof *perm);
    gsl_matrix *Xs = gsl_matrix_alloc(N, D);
    if (nheld)
        pmk_rng_permutation(r, perm, N);
    else
        for (size_t n = 0; n < N; n++)
            perm[n] = n;
    for (size_t n = 0; n < N; n++)
        memcpy(gsl_matrix_ptr(Xs, n, 0), gsl_matrix_const_ptr(X, perm[n], 0), D * sizeof(double));
    *train = gsl_matrix_alloc(ntrain, D);
    gsl_matrix_const_view tv = gsl_matrix_const_submatrix(Xs, 0, 0, ntrain, D);
    gsl_matrix_memcpy(*train, &tv.matrix);
    *held = NULL;
    if (nheld) {
        *held = gsl_matrix_alloc(nheld, D);
        gsl_matrix_const_view hv = gsl_matrix_const_submatrix(Xs, ntrain, 0, nheld, D);
        gsl_matrix_memcpy(*held, &hv.matrix);
    }
    gsl_matrix_free(Xs);
    free(perm);
}

static void assert_same(const pmk_table *t, const gsl_matrix *want)
{
    ck_assert_uint_eq(pmk_table_nrows(t), want->size1);
    gsl_matrix *got = gsl_matrix_alloc(want->size1, want->size2);
    pmk_error e;
    ck_assert_int_eq(pmk_table_gather(t, NULL, want->size1, got, &e), PMK_OK);
    ck_assert(gsl_matrix_equal(got, want));
    gsl_matrix_free(got);
}

START_TEST(test_split_as_before)
{
    /* 37 rows of 3 values; row n holds n, n + 100 and a fraction, so rows are
     * told apart and the table stores doubles */
    const size_t N = 37;
    gsl_matrix *X = gsl_matrix_alloc(N, 3);
    long y[37];
    for (size_t n = 0; n < N; n++) {
        gsl_matrix_set(X, n, 0, (double)n);
        gsl_matrix_set(X, n, 1, (double)n + 100);
        gsl_matrix_set(X, n, 2, 0.25 * (double)(n % 4));
        y[n] = (long)n * 10;
    }
    const double fracs[] = {0, 0.01, 0.05, 0.2, 0.5, 0.99};
    const unsigned long seeds[] = {1, 42, 12345};
    pmk_error e;
    for (size_t s = 0; s < 3; s++)
        for (size_t f = 0; f < 6; f++) {
            pmk_rng *r1 = pmk_rng_alloc(gsl_rng_mt19937, seeds[s]);
            pmk_rng *r2 = pmk_rng_alloc(gsl_rng_mt19937, seeds[s]);
            gsl_matrix *otrain, *oheld;
            old_split(X, fracs[f], r1, &otrain, &oheld);
            pmk_table *t, *train, *hold;
            ck_assert_int_eq(pmk_table_from_matrix(X, y, &t, &e), PMK_OK);
            ck_assert_int_eq(pmk_table_split(t, fracs[f], r2, &train, &hold, &e), PMK_OK);
            pmk_table_free(t); /* the halves keep the values */
            assert_same(train, otrain);
            ck_assert((hold == NULL) == (oheld == NULL));
            if (hold)
                assert_same(hold, oheld);
            /* labels and positions follow their rows */
            const long *ty = pmk_table_labels(train), *tp = pmk_table_positions(train);
            for (size_t i = 0; i < pmk_table_nrows(train); i++) {
                ck_assert_int_eq(ty[i], (long)gsl_matrix_get(otrain, i, 0) * 10);
                ck_assert_int_eq(tp[i], (long)gsl_matrix_get(otrain, i, 0) + 1);
            }
            /* the generators drew the same numbers */
            ck_assert_uint_eq(pmk_rng_uniform_int(r1, 1000000), pmk_rng_uniform_int(r2, 1000000));
            gsl_matrix_free(otrain);
            if (oheld)
                gsl_matrix_free(oheld);
            pmk_table_free(train);
            pmk_table_free(hold);
            pmk_rng_free(r1);
            pmk_rng_free(r2);
        }
    gsl_matrix_free(X);
}
END_TEST

/* One rule for an option against a model's transform: 0 asks nothing, an
 * equal value agrees (scale to 1e-12 relative), anything else is refused
 * naming both values. */
START_TEST(test_transform_agrees)
{
    pmk_transform model, asked;
    pmk_error e;
    pmk_transform_init(&model);
    model.scale = 1.0 / 255.0;
    pmk_transform_init(&asked);
    asked.scale = 0;
    ck_assert_int_eq(pmk_transform_agrees(&model, &asked, "fitted", &e), PMK_OK);
    asked.scale = 1.0 / 255.0 * (1 + 1e-13);
    ck_assert_int_eq(pmk_transform_agrees(&model, &asked, "fitted", &e), PMK_OK);
    asked.scale = 1;
    ck_assert_int_eq(pmk_transform_agrees(&model, &asked, "fitted", &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "scale 1 contradicts the model's scale 0.0039215686274509803 "
                            "(it was fitted with it)");
    asked.scale = 0;
    asked.threshold = 0.5;
    ck_assert_int_eq(pmk_transform_agrees(&model, &asked, "trained", &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "binarizing at 0.5 contradicts the model, which was trained on "
                            "values not binarized");
    model.threshold = 0.25;
    ck_assert_int_eq(pmk_transform_agrees(&model, &asked, "trained", &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "binarizing at 0.5 contradicts the model's threshold 0.25");
    asked.threshold = 0.25;
    ck_assert_int_eq(pmk_transform_agrees(&model, &asked, "trained", &e), PMK_OK);
}
END_TEST

void suite_dataset_table(Suite *s)
{
    TCase *tc = tcase_create("table");
    tcase_add_test(tc, test_table_storage);
    tcase_add_test(tc, test_table_check01);
    tcase_add_test(tc, test_table_bits_and_f32);
    tcase_add_test(tc, test_table_round_trips);
    tcase_add_test(tc, test_table_memory);
    suite_add_tcase(s, tc);
    tc = tcase_create("split");
    tcase_add_test(tc, test_split_as_before);
    tcase_add_test(tc, test_transform_agrees);
    suite_add_tcase(s, tc);
}
